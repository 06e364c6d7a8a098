"""VMTableModel: the plan's VM entries as rows, filtered and sorted in the model.

At thousands of VMs the canvas chips are too small to read; this table is how a plan that
size is worked. It stays fast at 10,000 entries by doing the work in plain Python lists
once per change: rows are indices into `plan.vms`; filtering tests a lower-cased text per
row built once per plan; sorting sorts the indices by a key per row. No proxy model calls
back into `data()` for every comparison, and no row has a widget of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from hvplanner.model.plan import VM, Plan
from hvplanner.ui.forms import GUEST_OS_CHOICES
from hvplanner.ui.i18n import QT_TRANSLATE_NOOP, fmt, translate

Index = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
UNPLACED = QT_TRANSLATE_NOOP("VMTable", "(unplaced)")
OS_LABELS = {value: label for label, value in GUEST_OS_CHOICES}


def os_label(os: str, default: str) -> str:
    label = OS_LABELS.get(os)
    return translate("Forms", label) if label else default


# Titles and tips are marked for translation in "VMTable" and translated when shown.
@dataclass(frozen=True)
class Column:
    title: str
    text: Callable[[VM, dict[str, str]], str]
    key: Callable[[VM, dict[str, str]], object]
    number: bool = False
    tip: str = ""


def _host(v: VM, hosts: dict[str, str]) -> str:
    return translate("VMTable", UNPLACED) if v.host is None else hosts.get(v.host, v.host)


COLUMNS: tuple[Column, ...] = (
    Column(
        QT_TRANSLATE_NOOP("VMTable", "Name"),
        lambda v, _h: v.label,
        lambda v, _h: v.label.casefold(),
    ),
    Column(
        QT_TRANSLATE_NOOP("VMTable", "Count"),
        lambda v, _h: fmt(v.count),
        lambda v, _h: v.count,
        True,
        QT_TRANSLATE_NOOP("VMTable", "identical VMs in this entry"),
    ),
    Column(
        QT_TRANSLATE_NOOP("VMTable", "vCPUs"),
        lambda v, _h: fmt(v.vcpu),
        lambda v, _h: v.vcpu,
        True,
        QT_TRANSLATE_NOOP("VMTable", "per VM"),
    ),
    Column(
        QT_TRANSLATE_NOOP("VMTable", "RAM (GB)"),
        lambda v, _h: fmt(v.ram_gb),
        lambda v, _h: v.ram_gb,
        True,
        QT_TRANSLATE_NOOP("VMTable", "per VM"),
    ),
    Column(
        QT_TRANSLATE_NOOP("VMTable", "Disk (GB)"),
        lambda v, _h: fmt(v.disk_gb),
        lambda v, _h: v.disk_gb,
        True,
        QT_TRANSLATE_NOOP("VMTable", "per VM"),
    ),
    Column(
        QT_TRANSLATE_NOOP("VMTable", "NIC (Mbps)"),
        lambda v, _h: fmt(v.nic_mbps) if v.nic_mbps else translate("VMTable", "none"),
        lambda v, _h: v.nic_mbps,
        True,
        QT_TRANSLATE_NOOP("VMTable", "per VM"),
    ),
    Column(
        QT_TRANSLATE_NOOP("VMTable", "Host"),
        _host,
        lambda v, h: (v.host is None, _host(v, h).casefold()),
    ),
    Column(
        QT_TRANSLATE_NOOP("VMTable", "Workload"), lambda v, _h: v.profile, lambda v, _h: v.profile
    ),
    Column(
        QT_TRANSLATE_NOOP("VMTable", "Guest OS"),
        lambda v, _h: os_label(v.os, v.os),
        lambda v, _h: os_label(v.os, ""),
    ),
)


class VMTableModel(QAbstractTableModel):
    """Rows are the plan's VM entries that match the filter, in the chosen order."""

    def __init__(self, plan: Plan, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._plan = plan
        self._vms: Sequence[VM] = plan.vms
        self._hosts: dict[str, str] = {}
        self._haystack: list[str] = []
        self._rows: list[int] = []
        self._row_of: dict[str, int] = {}
        self._filter = ""
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self._index_plan(plan)
        self._rows = self._compute_rows()
        self._reindex()

    # --- what the rows are ----------------------------------------------------------

    def _index_plan(self, plan: Plan) -> None:
        self._plan = plan
        self._vms = plan.vms
        self._hosts = {h.id: h.name or h.id for h in plan.hosts}
        # Translated once here, not once per row of a 10,000-row plan.
        unplaced = translate("VMTable", UNPLACED)
        os_names = {value: os_label(value, "") for value in OS_LABELS}
        hosts = self._hosts
        self._haystack = [
            " ".join(
                (
                    v.label,
                    v.id,
                    unplaced if v.host is None else hosts.get(v.host, v.host),
                    v.profile,
                    v.os,
                    os_names.get(v.os, ""),
                    v.anti_affinity or "",
                )
            ).casefold()
            for v in self._vms
        ]

    def _compute_rows(self) -> list[int]:
        needle = self._filter.casefold().strip()
        if needle:
            words = needle.split()
            rows = [i for i, hay in enumerate(self._haystack) if all(w in hay for w in words)]
        else:
            rows = list(range(len(self._vms)))
        if self._sort is not None:
            column, order = self._sort
            key = COLUMNS[column].key
            vms, hosts = self._vms, self._hosts
            keys = {i: key(vms[i], hosts) for i in rows}
            rows.sort(key=keys.__getitem__, reverse=order == Qt.SortOrder.DescendingOrder)
        return rows

    def _reindex(self) -> None:
        self._row_of = {self._vms[i].id: r for r, i in enumerate(self._rows)}

    def _replace_rows(self) -> None:
        rows = self._compute_rows()
        if rows == self._rows:
            if rows:
                self.dataChanged.emit(self.index(0, 0), self.index(len(rows) - 1, len(COLUMNS) - 1))
            return
        self.beginResetModel()
        self._rows = rows
        self._reindex()
        self.endResetModel()

    def set_plan(self, plan: Plan) -> None:
        """Follows an edit: values refresh in place; rows reset only when they change."""
        if plan is self._plan:
            return
        self._index_plan(plan)
        self._replace_rows()

    def set_filter(self, text: str) -> None:
        """Rows whose name, id, host, workload, OS or anti-affinity group contain every word."""
        if text == self._filter:
            return
        self._filter = text
        self._replace_rows()

    @property
    def filter_text(self) -> str:
        return self._filter

    def total(self) -> int:
        return len(self._vms)

    def vm(self, row: int) -> VM:
        return self._vms[self._rows[row]]

    def row_of(self, vm_id: str) -> int | None:
        return self._row_of.get(vm_id)

    # --- QAbstractTableModel ----------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        col = COLUMNS[index.column()]
        vm = self._vms[self._rows[index.row()]]
        if role == Qt.ItemDataRole.DisplayRole:
            return col.text(vm, self._hosts)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            align = Qt.AlignmentFlag.AlignRight if col.number else Qt.AlignmentFlag.AlignLeft
            return int(align | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 0:
            tip = translate("VMTable", "{name} (id {id})").format(name=vm.label, id=vm.id)
            if vm.anti_affinity:
                tip += "\n" + translate("VMTable", "Anti-affinity group: {group}").format(
                    group=vm.anti_affinity
                )
            if vm.pinned:
                tip += "\n" + translate("VMTable", "Pinned to its host")
            return tip
        if role == ID_ROLE:
            return vm.id
        if role == SORT_ROLE:
            return col.key(vm, self._hosts)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return translate("VMTable", COLUMNS[section].title)
        if role == Qt.ItemDataRole.ToolTipRole and COLUMNS[section].tip:
            return translate("VMTable", COLUMNS[section].tip)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        self.layoutAboutToBeChanged.emit()
        before = self._rows
        self._sort = (column, order)
        self._rows = self._compute_rows()
        self._reindex()
        # Persistent indexes (the current row) follow their VMs to their new rows; the
        # list re-selects its selected VMs by id (a selection range's middle moves apart).
        persistent = self.persistentIndexList()
        moved = []
        for p in persistent:
            row = self._row_of.get(self._vms[before[p.row()]].id, -1)
            moved.append(self.index(row, p.column()) if row >= 0 else QModelIndex())
        self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()
