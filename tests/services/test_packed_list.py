"""PackedList: items come back equal, in order, by index, slice and iteration, and take less
room packed than as objects."""
from __future__ import annotations

import sys
from dataclasses import dataclass

from zhibang_desktop.services.packed_list import PackedList


@dataclass(frozen=True)
class Row:
    name: str
    fields: tuple[tuple[str, str, int], ...]
    members: tuple[str, ...]


def rows(n: int) -> list[Row]:
    return [Row(f"户主{i}", tuple((f"项目{k}", f"增城区荔城街{i}号{k}", 1) for k in range(40)),
                tuple(f"成员{i}-{k}" for k in range(i % 4))) for i in range(n)]


def deep_size(row: Row) -> int:
    return sys.getsizeof(row.name) + sum(sys.getsizeof(f) + sum(map(sys.getsizeof, f)) for f in row.fields) \
        + sum(map(sys.getsizeof, row.members))


def test_items_come_back_equal_in_order_by_index_slice_and_iteration():
    made = rows(50)
    packed: PackedList[Row] = PackedList()
    packed.append(made[0])
    packed.extend(made[1:])
    assert len(packed) == 50
    assert list(packed) == made
    assert packed[0] == made[0] and packed[-1] == made[-1] and packed[10:13] == made[10:13]
    assert packed[7] is not packed[7]  # made afresh each time: nothing held unpacked


def test_packed_items_take_a_fraction_of_their_objects():
    made = rows(200)
    packed: PackedList[Row] = PackedList()
    packed.extend(made)
    assert packed.packed_bytes() * 4 < sum(map(deep_size, made))


def test_an_empty_list():
    packed: PackedList[int] = PackedList()
    assert len(packed) == 0 and list(packed) == [] and packed.packed_bytes() == 0
