"""A list that keeps its items pickled and compressed until they are read back, one at a time.

A print of up to 5,000 household forms reads every form first, in one snapshot of the archive,
and lays them out afterwards. As objects the forms took about 15 KB a household (a dataclass of
short Chinese strings and tuples); packed, under 2 KB. Items never leave the process: pickle
here only stores what the program itself made a moment before.
"""
from __future__ import annotations

import pickle
import zlib
from collections.abc import Iterator, Sequence
from typing import Generic, TypeVar, overload

T = TypeVar("T")


def _pack(item: object) -> bytes:
    return zlib.compress(pickle.dumps(item, pickle.HIGHEST_PROTOCOL), 1)


def _unpack(packed: bytes):
    return pickle.loads(zlib.decompress(packed))  # noqa: S301 — our own items, packed above


class PackedList(Sequence[T], Generic[T]):
    def __init__(self) -> None:
        self._packed: list[bytes] = []

    def append(self, item: T) -> None:
        self._packed.append(_pack(item))

    def extend(self, items) -> None:
        for item in items:
            self.append(item)

    def __len__(self) -> int:
        return len(self._packed)

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> list[T]: ...

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [_unpack(p) for p in self._packed[index]]
        return _unpack(self._packed[index])

    def __iter__(self) -> Iterator[T]:
        for packed in self._packed:
            yield _unpack(packed)

    def packed_bytes(self) -> int:
        """What the packed items take, in bytes."""
        return sum(len(p) for p in self._packed)
