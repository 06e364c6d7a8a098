"""The comparison view: the catalog side by side, on this plan and on this workstation."""

from __future__ import annotations

import csv
import io

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    QSortFilterProxyModel,
    Qt,
    QUrl,
    Signal,
)
from PySide6.QtGui import QAction, QDesktopServices, QFontMetrics, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from hvplanner.catalog import Catalog, load_catalog
from hvplanner.engine.compare import KINDS, OS_LEVEL_NOTE
from hvplanner.formats.planfile import write_atomic
from hvplanner.model.hypervisor import APPROACH_LABELS, FAMILY_LABELS, HypervisorProfile
from hvplanner.model.plan import Plan
from hvplanner.ui.compare.concepts import ConceptsPanel
from hvplanner.ui.compare.model import CompareModel, DiffersRole, SourceUrlRole
from hvplanner.ui.i18n import translate
from hvplanner.ui.theme import colours, theme

FAMILY_TITLES = FAMILY_LABELS


class WrappingDelegate(QStyledItemDelegate):
    """Rows as tall as their longest wrapped cell: the table never clips a value."""

    def __init__(self, tree: QTreeView) -> None:
        super().__init__(tree)
        self._tree = tree

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:  # type: ignore[override]
        base = super().sizeHint(option, index)
        text = index.data(Qt.ItemDataRole.DisplayRole)
        if not isinstance(text, str) or not text:
            return base
        width = self._tree.header().sectionSize(index.column()) - 10
        if index.column() == 0:
            width -= self._tree.indentation() * 2
        font = index.data(Qt.ItemDataRole.FontRole) or option.font
        rect = QFontMetrics(font).boundingRect(
            QRect(0, 0, max(width, 20), 10_000), int(Qt.TextFlag.TextWordWrap), text
        )
        return QSize(base.width(), max(base.height(), rect.height() + 6))


def _short_releases(versions: list[HypervisorProfile]) -> list[str]:
    """'Windows Server 2008 R2 SP1', 'Windows Server 2016' → '2008 R2 SP1', '2016': the words
    every version shares say nothing in a picker that is already labelled."""
    words = [p.release.split() for p in versions]
    shared = 0
    while all(len(w) > shared + 1 for w in words) and len({w[shared] for w in words}) == 1:
        shared += 1
    return [" ".join(w[shared:]) for w in words]


class CompareFilter(QSortFilterProxyModel):
    """Search text and 'only differences'; groups stay while any of their rows does."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRecursiveFilteringEnabled(True)
        self._text = ""
        self._only_diff = False

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self._text = text.strip().lower()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_only_differences(self, on: bool) -> None:
        self.beginFilterChange()
        self._only_diff = on
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        model = self.sourceModel()
        if not source_parent.isValid():  # a group: shown through its rows
            return not self._text and not self._only_diff
        first = model.index(source_row, 0, source_parent)
        if self._only_diff and not model.data(first, DiffersRole):
            return False
        if not self._text:
            return True
        for col in range(model.columnCount(source_parent)):
            text = model.data(model.index(source_row, col, source_parent))
            if isinstance(text, str) and self._text in text.lower():
                return True
        return False


class CompareView(QWidget):
    """Signals: runCheckRequested — the user asked for the workstation check."""

    runCheckRequested = Signal()

    def __init__(self, catalog: Catalog | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.catalog = catalog or load_catalog()
        self.model = CompareModel(self.catalog, self)
        self._plan_key = ""
        self.proxy = CompareFilter(self)
        self.proxy.setSourceModel(self.model)

        self.search = QLineEdit(
            placeholderText=translate("CompareView", "Filter rows…"), clearButtonEnabled=True
        )
        self.search.setAccessibleName(translate("CompareView", "Filter rows"))
        self.search.setMinimumWidth(140)
        self.search.setMaximumWidth(260)
        self.search.textChanged.connect(self._on_filter)
        self.only_diff = QCheckBox(translate("CompareView", "Only differences"))
        self.only_diff.toggled.connect(self._on_filter)
        self.run_check = QPushButton(translate("CompareView", "Run check"))
        self.run_check.setToolTip(
            translate("CompareView", "Check whether this workstation can run each hypervisor")
        )
        self.run_check.clicked.connect(self.runCheckRequested)
        export = QPushButton(translate("CompareView", "Export CSV…"))
        export.clicked.connect(self._export_csv_dialog)
        self.concepts_toggle = QPushButton(translate("CompareView", "Concepts"))
        self.concepts_toggle.setCheckable(True)
        self.concepts_toggle.setToolTip(
            translate("CompareView", "Show the concepts behind the table, with diagrams")
        )

        bar = QHBoxLayout()
        bar.setContentsMargins(8, 6, 8, 6)
        self.pickers: dict[str, QComboBox] = {}
        for family, title in FAMILY_TITLES.items():
            versions = [p for p in self.catalog.ordered() if p.family == family]
            if len(versions) < 2:
                continue
            combo = QComboBox()
            for p, short in zip(versions, _short_releases(versions), strict=True):
                combo.addItem(short, p.key)
                combo.setItemData(combo.count() - 1, p.release, Qt.ItemDataRole.ToolTipRole)
            combo.setCurrentIndex(len(versions) - 1)
            combo.setToolTip(
                translate("CompareView", "{family} version shown in the table").format(family=title)
            )
            # Long release names would set the window's minimum width; the list shows them.
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(min(12, max(len(p.release) for p in versions)))
            combo.currentIndexChanged.connect(self._on_versions)
            bar.addWidget(QLabel(translate("CompareView", "{family}:").format(family=title)))
            bar.addWidget(combo)
            self.pickers[family] = combo
        bar.addStretch(1)
        bar.addWidget(self.run_check)
        bar.addWidget(export)
        bar.addWidget(self.concepts_toggle)
        # Filters and the legend on a second row: one row would set the window's minimum
        # width past a 1280-pixel screen.
        filters = QHBoxLayout()
        filters.setContentsMargins(8, 0, 8, 4)
        filters.addWidget(self.search)
        filters.addWidget(self.only_diff)
        filters.addSpacing(12)

        self.tree = QTreeView()
        self.tree.setAccessibleName(translate("CompareView", "Hypervisor comparison"))
        self.tree.setAccessibleDescription(
            translate(
                "CompareView",
                "One row per figure, one column per hypervisor; "
                "each cell's tooltip gives its source",
            )
        )
        self.tree.setModel(self.proxy)
        self.tree.setAlternatingRowColors(False)
        self.tree.setUniformRowHeights(False)
        self.tree.setWordWrap(True)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.tree.setItemDelegate(WrappingDelegate(self.tree))
        self.tree.setSelectionMode(QTreeView.SelectionMode.ExtendedSelection)
        self.tree.setSelectionBehavior(QTreeView.SelectionBehavior.SelectItems)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._context_menu)
        header = self.tree.header()
        # The hypervisor columns share the width (and wrap), so none is off-screen.
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(64)
        header.setStretchLastSection(False)  # every hypervisor column stretches alike
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        # Wrapped rows must be measured again whenever a column changes width.
        header.sectionResized.connect(lambda *_: self.tree.doItemsLayout())
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.tree.setColumnWidth(0, 150)
        self.model.modelReset.connect(
            lambda: header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        )
        copy = QAction(
            translate("CompareView", "Copy"), self, shortcut=QKeySequence.StandardKey.Copy
        )
        copy.triggered.connect(self.copy_selection)
        self.tree.addAction(copy)

        self.concepts = ConceptsPanel()
        self.concepts.setVisible(False)
        self.concepts_toggle.toggled.connect(self.concepts.setVisible)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.tree)
        split.addWidget(self.concepts)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([900, 360])

        self.legend = QLabel(self._legend_text())
        theme().changed.connect(self._theme_changed)
        self.legend.setWordWrap(True)
        filters.addWidget(self.legend, 1)

        # The seed's four kinds of virtualization, where each lives today; containers are
        # not sized here, so the note says where they fit.
        kinds = " · ".join(f"<b>{APPROACH_LABELS[k.approach]}</b> ({k.examples})" for k in KINDS)
        self.kinds = QLabel(
            translate("CompareView", "<b>Kinds:</b> {kinds}. {note}").format(
                kinds=kinds, note=OS_LEVEL_NOTE
            )
        )
        self.kinds.setWordWrap(True)
        self.kinds.setContentsMargins(8, 2, 8, 4)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addLayout(filters)
        layout.addWidget(split, 1)
        layout.addWidget(self.kinds)
        self.model.modelReset.connect(self.tree.expandAll)
        self.tree.expandAll()

    # -- inputs ---------------------------------------------------------------

    @staticmethod
    def _legend_text() -> str:
        swatch = colours().diff_back.name()
        words = translate(
            "CompareView",
            "differs from most hypervisors in its row · <b>bold</b> column: the plan's "
            "hypervisor · italic: not published · hover a cell for its source",
        )
        return f"<span style='background:{swatch}'>&nbsp;&nbsp;&nbsp;&nbsp;</span> {words}"

    def _theme_changed(self) -> None:
        self.legend.setText(self._legend_text())
        self.tree.viewport().update()

    def set_plan(self, plan: Plan | None) -> None:
        key = plan.hypervisor if plan is not None else ""
        if key != self._plan_key:
            # A new plan or hypervisor: show its version; later picks are the user's.
            self._plan_key = key
            self._pick_version(key)
        self.model.set_plan(plan)

    def _pick_version(self, key: str) -> None:
        for combo in self.pickers.values():
            i = combo.findData(key)
            if i >= 0 and i != combo.currentIndex():
                combo.setCurrentIndex(i)

    def set_readiness(self, verdicts: dict[str, tuple[str, list[str]]] | None) -> None:
        self.model.set_readiness(verdicts)

    # -- actions --------------------------------------------------------------
    def _on_filter(self) -> None:
        self.proxy.set_text(self.search.text())
        self.proxy.set_only_differences(self.only_diff.isChecked())
        self.tree.expandAll()

    def _on_versions(self) -> None:
        chosen = {fam: combo.currentData() for fam, combo in self.pickers.items()}
        profiles = []
        for p in self.catalog.newest():
            key = chosen.get(p.family, p.key)
            profiles.append(self.catalog.get(key))
        self.model.set_profiles(profiles)

    def _context_menu(self, pos: QPoint) -> None:
        index = self.tree.indexAt(pos)
        menu = QMenu(self)
        url = self.proxy.data(index, SourceUrlRole) if index.isValid() else None
        open_src = menu.addAction(translate("CompareView", "Open source in browser"))
        open_src.setEnabled(isinstance(url, str) and url.startswith("http"))
        copy = menu.addAction(translate("CompareView", "Copy"))
        export = menu.addAction(translate("CompareView", "Export CSV…"))
        chosen = menu.exec(self.tree.viewport().mapToGlobal(pos))
        if chosen is open_src and isinstance(url, str):
            QDesktopServices.openUrl(QUrl(url))
        elif chosen is copy:
            self.copy_selection()
        elif chosen is export:
            self._export_csv_dialog()

    def copy_selection(self) -> None:
        indexes = sorted(
            self.tree.selectionModel().selectedIndexes(),
            key=lambda i: (self._row_key(i), i.column()),
        )
        rows: dict[tuple[int, int], list[str]] = {}
        for i in indexes:
            rows.setdefault(self._row_key(i), []).append(str(self.proxy.data(i) or ""))
        text = "\n".join("\t".join(cells) for cells in rows.values())
        QGuiApplication.clipboard().setText(text)

    def _row_key(self, index: QModelIndex) -> tuple[int, int]:
        parent = index.parent()
        return (parent.row(), index.row()) if parent.isValid() else (index.row(), -1)

    def to_csv(self) -> str:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        m = self.model
        w.writerow(["group", "row", *(p.key for p in m.profiles)])
        for g in range(m.rowCount()):
            gi = m.index(g, 0)
            title = m.data(gi)
            for r in range(m.rowCount(gi)):
                cells = [str(m.data(m.index(r, c, gi)) or "") for c in range(m.columnCount())]
                w.writerow([title, *cells])
        return buf.getvalue()

    def _export_csv_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            translate("CompareView", "Export comparison"),
            "hypervisor-comparison.csv",
            translate("CompareView", "CSV files (*.csv)"),
        )
        if not path:
            return
        try:
            write_atomic(path, self.to_csv())
        except OSError as exc:
            QMessageBox.warning(
                self, translate("CompareView", "Export failed"), f"{path}: {exc.strerror or exc}"
            )
