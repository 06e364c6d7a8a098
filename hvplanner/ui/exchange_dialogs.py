"""The import preview and the PDF options: what the File menu asks before touching anything."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from hvplanner.formats.inventory import FIELD_LABELS, ImportResult, InventoryError
from hvplanner.formats.inventory_rows import (
    COUNT,
    DISK_GB,
    ID,
    NIC_MBPS,
    OS,
    RAM_GB,
    SOURCE_HOST,
    SOURCE_LINE,
    SOURCE_NAME,
    SOURCE_VM,
    VCPU,
)
from hvplanner.ui.i18n import fmt, translate
from hvplanner.ui.theme import theme

Cell = str | int | float
Index = QModelIndex | QPersistentModelIndex
Parse = Callable[[bool], ImportResult]
"""include_powered_off → the file read again with that choice."""

PAGE_NAMES = ("A4", "Letter")


class RowsModel(QAbstractTableModel):
    """A read-only table of plain values; numbers are right-aligned and shown rounded."""

    def __init__(self, headers: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.headers = list(headers)
        self.rows: list[tuple[Cell, ...]] = []
        self.tips: list[str] = []

    def set_rows(self, rows: list[tuple[Cell, ...]], tips: list[str] | None = None) -> None:
        self.beginResetModel()
        self.rows = rows
        self.tips = tips or []
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        value = self.rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            if isinstance(value, float):
                return fmt(value)
            return str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and isinstance(value, int | float):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and index.row() < len(self.tips):
            return self.tips[index.row()] or None
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.headers)
        ):
            return self.headers[section]
        return None


def _table(model: RowsModel) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 6)
    view.horizontalHeader().setStretchLastSection(True)
    return view


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'s' if n != 1 else ''}"


def describe(result: ImportResult) -> str:
    from hvplanner.formats.inventory import separator_name

    word = "row" if result.row_word == "line" else result.row_word
    head = result.label
    if result.delimiter:
        head += f", {separator_name(result.delimiter)}-separated"
    parts = [f"{head}, {_plural(result.rows, word)}"]
    instances = result.vms.instances
    imported = f"{result.imported:,} to import"
    if instances != result.imported:
        imported += f" ({instances:,} VMs)"
    parts.append(imported)
    if result.rejected:
        parts.append(f"{len(result.rejected):,} rejected")
    if result.powered_off:
        verb = "included" if result.powered_off_included else "skipped"
        parts.append(f"{result.powered_off:,} powered off {verb}")
    if result.templates:
        parts.append(f"{_plural(result.templates, 'template')} skipped")
    if result.renamed:
        parts.append(f"{len(result.renamed):,} renamed to keep ids unique")
    if result.containers:
        parts.append(f"{_plural(result.containers, 'container')} (OS-level guests)")
    if result.measured:
        parts.append(f"{result.measured:,} with measured utilisation")
    return " · ".join(parts)


class ImportPreviewDialog(QDialog):
    """Shows what an inventory file would add; nothing changes until Import is pressed."""

    IMPORT_HEADERS = ("Line", "VM", "vCPU", "RAM GB", "Disk GB", "NIC Mbps", "OS", "Source host")

    def __init__(
        self,
        source: str,
        first: ImportResult,
        parse: Parse,
        parent: QWidget | None = None,
        *,
        consolidation: Sequence[str] = (),
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Import VMs — {source}")
        self.parse = parse
        self.read: ImportResult = first
        """The file as read with the powered-off checkbox's current state."""

        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.mapping = QLabel()
        self.mapping.setWordWrap(True)
        self.mapping.setTextFormat(Qt.TextFormat.PlainText)
        self.warnings = QLabel()
        self.warnings.setWordWrap(True)
        self.warnings.setTextFormat(Qt.TextFormat.PlainText)
        theme().colour_label(self.warnings, "warning")
        self.include_off = QCheckBox(translate("ImportPreviewDialog", "Include powered-off VMs"))
        self.include_off.setChecked(first.powered_off_included)
        self.include_off.toggled.connect(self._reparse)
        self.tabs = QLabel()
        self.tabs.setTextFormat(Qt.TextFormat.PlainText)
        self.tabs.setWordWrap(True)
        self.use_hypervisor = QCheckBox()
        self.use_hypervisor.setChecked(True)
        self.add_hosts = QCheckBox()
        self.add_hosts.setChecked(True)
        # The P2V / V2V question: today's hosts beside what each hypervisor needs.
        self.consolidation = QLabel("\n".join(consolidation))
        self.consolidation.setTextFormat(Qt.TextFormat.PlainText)
        font = self.consolidation.font()
        font.setFamily("monospace")
        font.setStyleHint(font.StyleHint.Monospace)
        self.consolidation.setFont(font)
        self.consolidation_box = QGroupBox(
            translate("ImportPreviewDialog", "Consolidation: today's hosts and what the VMs need")
        )
        QVBoxLayout(self.consolidation_box).addWidget(self.consolidation)
        self.consolidation_box.setVisible(bool(consolidation))

        self.rows_model = RowsModel(self.IMPORT_HEADERS, self)
        self.rejected_model = RowsModel(("Line", "Reason"), self)
        self.rows_view = _table(self.rows_model)
        self.rejected_view = _table(self.rejected_model)
        self.rows_box = QGroupBox()
        QVBoxLayout(self.rows_box).addWidget(self.rows_view)
        self.rejected_box = QGroupBox()
        QVBoxLayout(self.rejected_box).addWidget(self.rejected_view)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.rows_box)
        split.addWidget(self.rejected_box)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 1)
        split.setChildrenCollapsible(False)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs)
        layout.addWidget(self.mapping)
        layout.addWidget(self.warnings)
        layout.addWidget(self.include_off)
        layout.addWidget(self.add_hosts)
        layout.addWidget(self.use_hypervisor)
        layout.addWidget(self.consolidation_box)
        layout.addWidget(split, 1)
        layout.addWidget(self.buttons)
        self.resize(1000, 780)
        self._show(first)

    @property
    def current(self) -> ImportResult:
        """What Import adds: the file as read, without the hosts or the hypervisor when
        their boxes are unticked."""
        r = self.read
        update: dict[str, object] = {}
        if not self.add_hosts.isChecked():
            update.update(host_models=[], hosts=[])
        if not self.use_hypervisor.isChecked():
            update["hypervisor"] = ""
        return r.model_copy(update=update) if update else r

    @property
    def import_button(self) -> QWidget:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def _reparse(self, include: bool) -> None:
        try:
            result = self.parse(include)
        except InventoryError as exc:  # the bytes were read once; only a bug gets here
            self.warnings.setText(str(exc))
            return
        self._show(result)

    def _show(self, r: ImportResult) -> None:
        self.read = r
        self.summary.setText(describe(r))
        where = f"Tab “{r.tab}”" if r.tab and r.format.endswith("xlsx") else ""
        if len(r.tabs) > 1:
            where += f" (also read: {', '.join(t for t in r.tabs if t != r.tab)})"
        self.tabs.setText(where)
        self.tabs.setVisible(bool(where))
        self.use_hypervisor.setText(
            f"Set the plan's hypervisor to {r.hypervisor} — {r.hypervisor_reason}"
        )
        self.use_hypervisor.setVisible(r.hypervisor_known)
        self.use_hypervisor.setChecked(r.hypervisor_known)
        self.rows_model.headers[0] = self.rejected_model.headers[0] = r.row_word.capitalize()
        models = len(r.host_models)
        self.add_hosts.setText(
            f"Add the {_plural(len(r.hosts), 'current host')} ({_plural(models, 'host model')}) "
            "and put each VM on its host"
        )
        self.add_hosts.setVisible(bool(r.hosts))
        mapped = [f"{FIELD_LABELS.get(k, k)} ← “{h}”" for k, h in r.columns.items()]
        self.mapping.setText("Columns: " + " · ".join(mapped))
        self.warnings.setText("\n".join(r.warnings))
        self.warnings.setVisible(bool(r.warnings))
        off = f" ({r.powered_off:,} in the file)" if r.powered_off else " (none in the file)"
        self.include_off.setText("Include powered-off VMs" + off)

        # Read from the import's plain rows: a million-row file shows without making a
        # million VM models on the GUI thread. `sources[i]` is where `vms[i]` came from.
        rows: list[tuple[Cell, ...]] = []
        tips: list[str] = []
        for vm, src in zip(r.vms.entries, r.sources.entries, strict=True):
            ident, count = vm[ID], vm[COUNT]
            rows.append(
                (
                    src[SOURCE_LINE],
                    ident if count == 1 else f"{ident} ×{count}",
                    vm[VCPU],
                    vm[RAM_GB],
                    vm[DISK_GB],
                    vm[NIC_MBPS],
                    vm[OS],
                    src[SOURCE_HOST] or "",
                )
            )
            name = src[SOURCE_NAME]
            tips.append(
                f"“{name}” in the file; ids must be unique and hold no '#'"
                if src[SOURCE_VM] != name
                else ""
            )
        self.rows_model.set_rows(rows, tips)
        self.rejected_model.set_rows([(x.line, x.reason) for x in r.rejected])
        self.rows_box.setTitle(f"To import: {_plural(len(r.vms), 'row')}")
        self.rejected_box.setTitle(f"Rejected: {_plural(len(r.rejected), 'row')}")
        for view in (self.rows_view, self.rejected_view):
            view.resizeColumnsToContents()
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(f"Import {_plural(len(r.vms), 'row')}" if r.vms else "Nothing to import")
        ok.setEnabled(bool(r.vms))


class PdfOptionsDialog(QDialog):
    def __init__(self, page: str, author: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(translate("PdfOptionsDialog", "PDF report"))
        self.page = QComboBox()
        self.page.addItems(PAGE_NAMES)
        self.page.setCurrentIndex(PAGE_NAMES.index(page) if page in PAGE_NAMES else 0)
        self.author = QLineEdit(author)
        self.author.setMaxLength(200)
        self.author.setPlaceholderText(
            translate("PdfOptionsDialog", "printed on the first page (optional)")
        )
        self.author.setMinimumWidth(self.author.fontMetrics().averageCharWidth() * 40)
        form = QFormLayout(self)
        form.addRow("Page size:", self.page)
        form.addRow("Author:", self.author)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self) -> tuple[str, str]:
        return self.page.currentText(), self.author.text().strip()
