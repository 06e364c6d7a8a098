"""The VMs tab: every VM entry of the plan in a sortable, filterable table, with bulk edit.

Its selection is the canvas's selection: rows selected here are the chips selected there
and the other way round, so Delete, Ctrl+M (Move to Host…) and the inspector work on
either. The bulk-edit bar sets vCPUs, RAM, workload, guest OS or host on the selected
rows as one undo step, refused (with the reason) when a host would break a hard limit.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from hvplanner.engine.refusal import EditRefusedError
from hvplanner.model.plan import MAX_RAM_GB, MAX_VCPU
from hvplanner.ui.bulkedit import BulkEditCommand
from hvplanner.ui.commands import MoveVMsCommand
from hvplanner.ui.editor import PlanEditor
from hvplanner.ui.forms import GUEST_OS_CHOICES, TrimmedSpinBox, validation_text
from hvplanner.ui.i18n import QT_TRANSLATE_NOOP, fmt, plural, translate
from hvplanner.ui.inspector import host_choices, workload_choices
from hvplanner.ui.theme import theme
from hvplanner.ui.vmtable import VMTableModel

# Pixel widths of the columns after the name (the name takes the rest).
COLUMN_WIDTHS = (64, 64, 84, 84, 92, 180, 110, 120)
# The bulk bar's fields: the label (translated in "VMList") and the VM's field.
BULK_FIELDS = (
    (QT_TRANSLATE_NOOP("VMList", "vCPUs"), "vcpu"),
    (QT_TRANSLATE_NOOP("VMList", "RAM"), "ram_gb"),
    (QT_TRANSLATE_NOOP("VMList", "Workload"), "profile"),
    (QT_TRANSLATE_NOOP("VMList", "Guest OS"), "os"),
    (QT_TRANSLATE_NOOP("VMList", "Host"), "host"),
)


class VMList(QWidget):
    def __init__(self, editor: PlanEditor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.doc = editor.doc
        self._ids: set[str] = set()
        self._syncing = False
        self._stale = False

        self.filter = QLineEdit()
        self.filter.setObjectName("vm-filter")
        self.filter.setAccessibleName(translate("VMList", "Filter VMs"))
        self.filter.setPlaceholderText(
            translate("VMList", "Filter by name, id, host, workload or OS (Ctrl+F)")
        )
        self.filter.setClearButtonEnabled(True)
        self.count = QLabel()
        self.model = VMTableModel(self.doc.plan, self)
        self.table = QTableView()
        self.table.setAccessibleName(translate("VMList", "VMs"))
        self.table.setAccessibleDescription(
            translate(
                "VMList",
                "Every VM entry of the plan with its size and host; the selection is the canvas's",
            )
        )
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        # Fixed row heights and column widths: nothing measures 10,000 rows.
        rows = self.table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for i, width in enumerate(COLUMN_WIDTHS, start=1):
            header.resizeSection(i, width)
        header.setMinimumSectionSize(48)
        self.empty = QLabel()
        self.empty.setObjectName("vm-list-empty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet("padding: 24px")
        theme().colour_label(self.empty, "muted")

        self.bulk_label = QLabel()
        self.bulk_field = QComboBox()
        self.bulk_field.setToolTip(
            translate("VMList", "The field to set on every selected VM entry")
        )
        for label, name in BULK_FIELDS:
            self.bulk_field.addItem(translate("VMList", label), name)
        self.bulk_vcpu = QSpinBox()
        self.bulk_vcpu.setAccessibleName(translate("VMList", "vCPUs to set"))
        self.bulk_vcpu.setRange(1, MAX_VCPU)
        self.bulk_vcpu.setValue(2)
        self.bulk_vcpu.setSuffix(translate("VMList", " vCPUs"))
        self.bulk_ram = TrimmedSpinBox()
        self.bulk_ram.setAccessibleName(translate("VMList", "RAM to set (GB)"))
        self.bulk_ram.setRange(0.01, MAX_RAM_GB)
        self.bulk_ram.setValue(4)
        self.bulk_ram.setSuffix(translate("VMList", " GB"))
        self.bulk_profile = QComboBox()
        self.bulk_os = QComboBox()
        for label, value in GUEST_OS_CHOICES:
            self.bulk_os.addItem(translate("Forms", label), value)
        self.bulk_host = QComboBox()
        self.bulk_value = QStackedWidget()
        for w in (self.bulk_vcpu, self.bulk_ram, self.bulk_profile, self.bulk_os, self.bulk_host):
            self.bulk_value.addWidget(w)
        self.bulk_field.currentIndexChanged.connect(self.bulk_value.setCurrentIndex)
        self.apply = QPushButton(translate("VMList", "&Apply to selected"))
        self.apply.setToolTip(translate("VMList", "One undo step for all the selected rows"))
        self.apply.clicked.connect(self.apply_bulk)
        self.bulk_error = QLabel()
        theme().colour_label(self.bulk_error, "error")
        self.bulk_error.setWordWrap(True)
        self.bulk_error.hide()

        top = QHBoxLayout()
        top.addWidget(self.filter, 1)
        top.addWidget(self.count)
        bulk = QHBoxLayout()
        bulk.addWidget(self.bulk_label)
        bulk.addWidget(self.bulk_field)
        bulk.addWidget(self.bulk_value)
        bulk.addWidget(self.apply)
        bulk.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty, 1)
        layout.addLayout(bulk)
        layout.addWidget(self.bulk_error)
        # Focus that follows a tab switch lands on the table, not in the filter: a line edit
        # would take Ctrl+Z for its own text and the plan's undo would not run.
        QWidget.setTabOrder(self.table, self.filter)

        self.filter.textChanged.connect(self._filter_changed)
        self.table.selectionModel().selectionChanged.connect(self._table_selected)
        self.model.modelReset.connect(self._rows_changed)
        self.model.layoutChanged.connect(self._rows_changed)
        self.doc.plan_changed.connect(self._plan_changed)
        editor.selection_changed.connect(self._canvas_selected)
        find = QShortcut(QKeySequence.StandardKey.Find, self)
        find.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.activated.connect(self.focus_filter)
        self._fill_choices()
        self._update_labels()

    # --- the plan and the filter ------------------------------------------------------

    def focus_filter(self) -> None:
        self.filter.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter.selectAll()

    def _filter_changed(self, text: str) -> None:
        self.model.set_filter(text)

    def _plan_changed(self, _touched: object) -> None:
        # Re-indexing 10,000 rows takes tens of ms: not on every drag while the tab is hidden.
        if not self.isVisible():
            self._stale = True
            return
        self._catch_up()

    def _catch_up(self) -> None:
        self._stale = False
        self.model.set_plan(self.doc.plan)
        self._fill_choices()
        self._select_ids(self._ids)
        self._update_labels()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self._catch_up()

    def _fill_choices(self) -> None:
        plan = self.doc.plan
        for combo, choices in (
            (self.bulk_profile, workload_choices(plan)),
            (self.bulk_host, host_choices(plan)),
        ):
            current = combo.currentData()
            if [combo.itemData(i) for i in range(combo.count())] == [v for _, v in choices]:
                continue
            combo.clear()
            for label, value in choices:
                combo.addItem(label, value)
            combo.setCurrentIndex(max(combo.findData(current), 0))

    def _rows_changed(self) -> None:
        # A reset or a sort: the selected VMs are selected again where they now are.
        self._select_ids(self._ids)
        self._update_labels()

    def _update_labels(self) -> None:
        shown, total = self.model.rowCount(), self.model.total()
        entries = plural(total, translate("VMList", "VM entry"), translate("VMList", "VM entries"))
        vms = plural(self.doc.plan.vm_count, translate("VMList", "VM"), translate("VMList", "VMs"))
        self.count.setText(
            translate("VMList", "{entries} ({vms})").format(entries=entries, vms=vms)
            if shown == total
            else translate("VMList", "{shown} of {entries} shown").format(
                shown=fmt(shown), entries=entries
            )
        )
        if total == 0:
            self.empty.setText(
                translate(
                    "VMList",
                    "No VMs in the plan yet. Drag VM presets from the Palette onto the Layout, "
                    "or import an inventory (File ▸ Import VMs…).",
                )
            )
        elif shown == 0:
            self.empty.setText(
                translate("VMList", "No VM entry matches “{filter}”.").format(
                    filter=self.model.filter_text.strip()
                )
            )
        self.empty.setVisible(shown == 0)
        self.table.setVisible(shown > 0)
        n = len(self._ids)
        self.bulk_label.setText(
            translate("VMList", "Set on {entries}:").format(
                entries=plural(
                    n,
                    translate("VMList", "selected entry"),
                    translate("VMList", "selected entries"),
                )
            )
            if n
            else translate("VMList", "Select rows, then set:")
        )
        self.apply.setEnabled(n > 0)

    # --- selection shared with the canvas ------------------------------------------

    def selected_ids(self) -> list[str]:
        """The selected VM ids, in the table's order."""
        out: list[str] = []
        for rng in self.table.selectionModel().selection():
            out += [self.model.vm(r).id for r in range(rng.top(), rng.bottom() + 1)]
        return list(dict.fromkeys(out))

    def _table_selected(self) -> None:
        if self._syncing:
            return
        ids = self.selected_ids()
        # Rows hidden by the filter keep their selection: the filter narrows the view only.
        hidden = {i for i in self._ids if self.model.row_of(i) is None}
        self._ids = set(ids) | hidden
        self._update_labels()
        scene = self.editor.scene
        scene.select_items(scene.chip(i) for i in self._ids)

    def _canvas_selected(self, vms: list[str], _hosts: list[str]) -> None:
        if set(vms) == self._ids:
            return
        self._ids = set(vms)
        if not self.isVisible():
            self._stale = True
            return
        self._select_ids(self._ids)
        self._update_labels()

    def _select_ids(self, ids: set[str]) -> None:
        rows = sorted(r for i in ids if (r := self.model.row_of(i)) is not None)
        selection = QItemSelection()
        last = self.model.columnCount() - 1
        start = prev = -2
        for r in [*rows, -2]:
            if r == prev + 1:
                prev = r
                continue
            if start >= 0:
                selection.select(self.model.index(start, 0), self.model.index(prev, last))
            start = prev = r
        self._syncing = True
        try:
            self.table.selectionModel().select(
                selection, QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
        finally:
            self._syncing = False

    # --- bulk edit ------------------------------------------------------------------

    def bulk_value_now(self) -> tuple[str, Any]:
        field = str(self.bulk_field.currentData())
        value: Any = {
            "vcpu": self.bulk_vcpu.value(),
            "ram_gb": self.bulk_ram.value(),
            "profile": self.bulk_profile.currentData(),
            "os": self.bulk_os.currentData(),
            "host": self.bulk_host.currentData(),
        }[field]
        return field, value

    def apply_bulk(self) -> bool:
        """Sets the bar's field on every selected entry as one undo step; False if refused."""
        ids = sorted(self._ids)
        if not ids:
            return False
        field, value = self.bulk_value_now()
        try:
            if field == "host":
                cmd: MoveVMsCommand | BulkEditCommand = MoveVMsCommand(
                    self.doc, ids, str(value) or None
                )
            else:
                cmd = BulkEditCommand(self.doc, ids, field, value)
        except (EditRefusedError, ValueError) as exc:
            text = str(exc) if isinstance(exc, EditRefusedError) else validation_text(exc)
            self.bulk_error.setText(text)
            self.bulk_error.show()
            self.doc.refused.emit(text)
            return False
        self.bulk_error.hide()
        if isinstance(cmd, BulkEditCommand) and not cmd.changed:
            self.editor.session.say(
                translate("VMList", "Every selected entry has that {field} already").format(
                    field=self.bulk_field.currentText().lower()
                )
            )
            return True
        self.doc.push(cmd)
        self.editor.session.say(
            translate("VMList", "{edit} (one undo step)").format(edit=cmd.text())
        )
        return True
