"""Tree model of the comparison: groups of rows, one column per hypervisor.

Groups are top-level items so a QTreeView can collapse them; a recursive
QSortFilterProxyModel filters rows while keeping their group visible.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QFont

from hvplanner.catalog import Catalog
from hvplanner.engine.compare import (
    Cell,
    differs,
    matrix,
    plan_fit,
    ratio_text,
    with_plan_hypervisor,
)
from hvplanner.model.hypervisor import FAMILY_LABELS, HypervisorProfile
from hvplanner.model.plan import Plan
from hvplanner.model.report import PlanFit
from hvplanner.readiness.model import VERDICT_LABELS
from hvplanner.text import fmt  # cells go to CSV too: locale-independent numbers
from hvplanner.ui.i18n import translate
from hvplanner.ui.readiness_panel import VERDICT_WORDS
from hvplanner.ui.theme import colours

SourceUrlRole = Qt.ItemDataRole.UserRole + 1
DiffersRole = Qt.ItemDataRole.UserRole + 2
KindRole = Qt.ItemDataRole.UserRole + 3

HEADER_CHARS = 11


def status_brush(status: str) -> QBrush:
    """The words of a verdict ("fits", "blocked" …) in its colour for the current theme."""
    c = colours()
    return QBrush(
        {
            "fits": c.good,
            "exceeds": c.error,
            "uncertain": c.warning,
            "ready": c.good,
            "degraded": c.warning,
            "blocked": c.error,
            "own-machine": c.link,
        }.get(status, c.muted)
    )


Index = QModelIndex | QPersistentModelIndex

FAMILY_SHORT = FAMILY_LABELS


def _overhead_cell(gb: float | None) -> Cell:
    if gb is None:
        return Cell(
            translate("CompareModel", "unknown"),
            "unknown",
            None,
            translate("CompareModel", "The hypervisor publishes no per-VM overhead."),
        )
    return Cell(translate("CompareModel", "{n} GB").format(n=fmt(gb)), "value", None)


def _odd_one_out(cells: list[Cell], i: int) -> bool:
    """True where a cell differs from the row's most common value (ties: from the first)."""
    texts = [c.text for c in cells]
    if len(set(texts)) < 2:
        return False
    common = max(texts, key=lambda t: (texts.count(t), -texts.index(t)))
    return texts[i] != common


@dataclass
class _Row:
    label: str
    cells: list[Cell]
    tooltip_prefix: str = ""
    status: list[str] = field(default_factory=list)


@dataclass
class _Group:
    title: str
    rows: list[_Row]


class CompareModel(QAbstractItemModel):
    """Rows: 'On this plan', 'On this workstation', then the catalog's groups."""

    def __init__(self, catalog: Catalog, parent: object | None = None) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self._catalog = catalog
        self._profiles: list[HypervisorProfile] = catalog.newest()
        self._plan: Plan | None = None
        self.plan_key = ""  # the plan's hypervisor: its column is marked
        self._readiness: dict[str, tuple[str, list[str]]] | None = None
        self._groups: list[_Group] = []
        self._rebuild()

    # -- inputs ---------------------------------------------------------------
    @property
    def profiles(self) -> list[HypervisorProfile]:
        return list(self._profiles)

    def set_profiles(self, profiles: list[HypervisorProfile]) -> None:
        self.beginResetModel()
        self._profiles = self._with_plan_column(profiles)
        self._rebuild()
        self.endResetModel()

    def set_plan(self, plan: Plan | None) -> None:
        self.beginResetModel()
        self._plan = plan
        self.plan_key = plan.hypervisor if plan is not None else ""
        self._profiles = self._with_plan_column(self._profiles)
        self._rebuild()
        self.endResetModel()

    def _with_plan_column(self, profiles: list[HypervisorProfile]) -> list[HypervisorProfile]:
        """The plan's own hypervisor is always a column of the comparison."""
        if self._plan is None:
            return list(profiles)
        return with_plan_hypervisor(self._plan, profiles, self._catalog.ordered())

    def set_readiness(self, verdicts: dict[str, tuple[str, list[str]]] | None) -> None:
        """verdicts: family → (status, reasons), from the workstation check."""
        self.beginResetModel()
        self._readiness = verdicts
        self._rebuild()
        self.endResetModel()

    def plan_fits(self) -> list[PlanFit]:
        return plan_fit(self._plan, self._profiles) if self._plan is not None else []

    # -- building -------------------------------------------------------------
    def _rebuild(self) -> None:
        groups: list[_Group] = []
        if self._plan is not None:
            groups.append(
                _Group(translate("CompareModel", "On this plan"), self._plan_rows(self.plan_fits()))
            )
        groups.append(
            _Group(translate("CompareModel", "On this workstation"), [self._readiness_row()])
        )
        current: _Group | None = None
        for row, cells in matrix(self._profiles):
            if current is None or current.title != row.group:
                current = _Group(row.group, [])
                groups.append(current)
            current.rows.append(_Row(row.label, cells))
        self._groups = groups

    def _plan_rows(self, fits: list[PlanFit]) -> list[_Row]:
        def cells(texts: list[str]) -> list[Cell]:
            return [Cell(t, "value", None) for t in texts]

        verdict = _Row(
            translate("CompareModel", "Verdict"),
            cells([f.verdict for f in fits]),
            status=[f.status for f in fits],
        )
        exceeded = [
            Cell(
                translate("CompareModel", "yes")
                if f.limits_exceeded
                else translate("CompareModel", "no"),
                "value" if f.limits_exceeded else "no",
                None,
                "\n".join(f.limits_exceeded),
            )
            for f in fits
        ]
        return [
            _Row(translate("CompareModel", "Hosts needed"), cells([str(f.hosts) for f in fits])),
            _Row(translate("CompareModel", "Binding constraint"), cells([f.binding for f in fits])),
            _Row(
                translate("CompareModel", "Total RAM overhead"),
                [_overhead_cell(f.ram_overhead_gb) for f in fits],
            ),
            _Row(
                translate("CompareModel", "LPs needed"),
                cells([str(f.logical_processors) for f in fits]),
            ),
            _Row(
                translate("CompareModel", "vCPU:LP ratio used"),
                [Cell(ratio_text(f), "value", None, f.ratio_basis) for f in fits],
            ),
            _Row(translate("CompareModel", "Limit exceeded"), exceeded),
            verdict,
            *self._cost_rows(fits),
        ]

    def _cost_rows(self, fits: list[PlanFit]) -> list[_Row]:
        """Licences, Windows Server guests, hardware, total and per VM, as `hvplanner cost`."""
        from hvplanner.ui.costview import cost_cells

        return [_Row(label, cells) for label, cells in cost_cells(self._plan, fits, self._catalog)]

    def _readiness_row(self) -> _Row:
        if self._readiness is None:
            texts = [
                Cell(translate("CompareModel", "not checked"), "unknown", None)
                for _ in self._profiles
            ]
            return _Row(translate("CompareModel", "Readiness"), texts)
        cells: list[Cell] = []
        status: list[str] = []
        for p in self._profiles:
            st, reasons = self._readiness.get(p.family, ("unknown", []))
            word = VERDICT_WORDS.get(st)
            label = translate("ReadinessPanel", word) if word else VERDICT_LABELS.get(st, st)
            cells.append(Cell(label, "value", None, "\n".join(reasons)))
            status.append(st)
        return _Row(translate("CompareModel", "Readiness"), cells, status=status)

    # -- Qt model API ---------------------------------------------------------
    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, _TOP)
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, child: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not child.isValid():
            return QModelIndex()
        group = child.internalId()
        if group == _TOP:
            return QModelIndex()
        return self.createIndex(group - 1, 0, _TOP)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        if not parent.isValid():
            return len(self._groups)
        if parent.internalId() == _TOP and parent.column() == 0:
            return len(self._groups[parent.row()].rows)
        return 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 1 + len(self._profiles)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> object:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if section == 0:
                return ""
            p = self._profiles[section - 1]
            mark = "\n" + translate("CompareModel", "(this plan)") if p.key == self.plan_key else ""
            # Headers do not wrap by themselves; long release names would be clipped.
            release = "\n".join(textwrap.wrap(p.release.split(" (")[0], HEADER_CHARS))
            return f"{FAMILY_SHORT[p.family]}\n{release}{mark}"
        if role == Qt.ItemDataRole.FontRole and section > 0:
            if self._profiles[section - 1].key == self.plan_key:
                font = QFont()
                font.setBold(True)
                return font
            return None
        if role == Qt.ItemDataRole.ToolTipRole and section > 0:
            p = self._profiles[section - 1]
            if p.key == self.plan_key:
                return translate("CompareModel", "{title} ({key}) — the plan's hypervisor").format(
                    title=p.title, key=p.key
                )
            return f"{p.title} ({p.key})"
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def row_cells(self, index: Index) -> tuple[_Row | None, _Group]:
        if index.internalId() == _TOP:
            return None, self._groups[index.row()]
        group = self._groups[index.internalId() - 1]
        return group.rows[index.row()], group

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row, group = self.row_cells(index)
        col = index.column()
        if row is None:
            if role == Qt.ItemDataRole.DisplayRole and col == 0:
                return group.title
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(colours().group_back)
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
            if role == DiffersRole:
                return True
            return None
        if col == 0:
            if role == Qt.ItemDataRole.DisplayRole:
                return row.label
            if role == DiffersRole:
                return differs(row.cells)
            return None
        cell = row.cells[col - 1]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return cell.text
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(cell)
        if role == Qt.ItemDataRole.BackgroundRole and _odd_one_out(row.cells, col - 1):
            return QBrush(colours().diff_back)
        if role == Qt.ItemDataRole.ForegroundRole:
            if row.status:
                return status_brush(row.status[col - 1])
            if cell.kind == "unknown":
                return QBrush(colours().warning)
            if cell.kind == "no":
                return QBrush(colours().muted)
        if role == Qt.ItemDataRole.FontRole and cell.kind == "unknown":
            font = QFont()
            font.setItalic(True)
            return font
        if role == SourceUrlRole and cell.source:
            return self._catalog.sources[cell.source].url
        if role == KindRole:
            return cell.kind
        if role == DiffersRole:
            return differs(row.cells)
        return None

    def _tooltip(self, cell: Cell) -> str:
        lines = [cell.text]
        if cell.kind == "unknown":
            lines.append(translate("CompareModel", "Not published: no source gives this figure."))
        if cell.source:
            src = self._catalog.sources[cell.source]
            lines.append(
                translate("CompareModel", "Source: {title} ({grade}, read {date})").format(
                    title=src.title, grade=src.grade, date=src.read
                )
            )
            lines.append(src.url)
        if cell.note:
            lines.append(cell.note)
        return "\n".join(lines)


# internalId: 0 for a group item, group row + 1 for a row inside that group.
_TOP = 0
