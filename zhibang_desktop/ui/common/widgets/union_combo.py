"""A combo box of the union tree, indented by level."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate, QWidget

from ....services.admin.org import OrgUnitView, list_units, subtree

SCOPED_ALL_LABEL = "本级及下属全部工会"
INDENT_PX = 18  # per level, in the drop-down list only
DEPTH_ROLE = Qt.UserRole + 1


def ordered_tree(units: list[OrgUnitView]) -> list[tuple[OrgUnitView, int]]:
    """Units in tree order (parent before children) with their depth."""
    children: dict[int | None, list[OrgUnitView]] = {}
    ids = {u.id for u in units}
    for u in units:
        children.setdefault(u.parent_id if u.parent_id in ids else None, []).append(u)
    out: list[tuple[OrgUnitView, int]] = []

    def walk(parent: int | None, depth: int) -> None:
        for u in children.get(parent, []):
            out.append((u, depth))
            walk(u.id, depth + 1)

    walk(None, 0)
    return out


class _IndentDelegate(QStyledItemDelegate):
    """Indents each union by its depth in the open list; the closed combo shows the bare name."""

    def initStyleOption(self, option, index) -> None:
        super().initStyleOption(option, index)
        option.rect.adjust(INDENT_PX * (index.data(DEPTH_ROLE) or 0), 0, 0, 0)


class UnionCombo(QComboBox):
    """`all_label` adds a first "all unions" entry (unit_id None) for filters.
    `for_household` disables the district union: a household belongs to a street or
    grassroots union. A user bound to a union is offered only that union's subtree, here as
    in every service."""

    def __init__(self, ctx, parent: QWidget | None = None, *, all_label: str | None = None,
                 for_household: bool = False):
        super().__init__(parent)
        self.ctx = ctx
        self.all_label = all_label
        self.for_household = for_household
        self.within = ctx.actor.scope_unit_id
        self.setModel(QStandardItemModel(self))
        self.setMaxVisibleItems(20)
        self.view().setItemDelegate(_IndentDelegate(self))
        self.reload()

    def reload(self) -> None:
        current = self.unit_id()
        self.blockSignals(True)
        model: QStandardItemModel = self.model()
        model.clear()
        if self.all_label is not None:
            item = QStandardItem(self.all_label)
            item.setData(None, Qt.UserRole)
            model.appendRow(item)
        units = list_units(self.ctx)
        if self.within is not None:
            units = subtree(units, self.within)
        for unit, depth in ordered_tree(units):
            if not unit.active and unit.id != current:
                continue
            item = QStandardItem(unit.name + ("" if unit.active else "（已停用）"))
            item.setData(unit.id, Qt.UserRole)
            item.setData(depth, DEPTH_ROLE)
            item.setToolTip(unit.path)
            if self.for_household and unit.level == "district":
                item.setEnabled(False)
            model.appendRow(item)
        self.blockSignals(False)
        self.set_unit_id(current, emit=False)

    def unit_id(self) -> int | None:
        return self.currentData(Qt.UserRole) if self.currentIndex() >= 0 else None

    def set_unit_id(self, unit_id: int | None, emit: bool = True) -> None:
        index = self.findData(unit_id, Qt.UserRole) if unit_id is not None else (0 if self.all_label is not None else -1)
        self.blockSignals(not emit)
        self.setCurrentIndex(index)
        self.blockSignals(False)


def union_filter(session, all_label: str = "全部工会") -> UnionCombo:
    """A list filter by union: a user bound to a union picks only within its subtree, and
    "all" reads as what it covers for them (本级及下属全部工会), not as the whole office."""
    scoped = session.actor.scope_unit_id is not None
    return UnionCombo(session.ctx, all_label=SCOPED_ALL_LABEL if scoped else all_label)
