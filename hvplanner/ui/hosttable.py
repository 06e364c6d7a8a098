"""The Hosts tab: every host card of the canvas as a table row, in words.

With the VMs tab it is the canvas's accessible twin: a screen reader reads a host's model,
its VMs and each resource's load ("406.75 / 512 GB, near the headroom line") here, as the
card shows them with bars and colours. Its selection is the canvas's: selecting a row
selects the card.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hvplanner.engine.hostload import DimensionBar
from hvplanner.painting.bars import STATE_WORDS, state_text
from hvplanner.ui.editor import PlanEditor
from hvplanner.ui.i18n import QT_TRANSLATE_NOOP, fmt, painted, plural, translate

REFRESH_DELAY_MS = 150
# Column titles, translated in "HostTable" when the table is built.
DIMS = (
    ("vcpus", QT_TRANSLATE_NOOP("HostTable", "vCPUs")),
    ("ram", QT_TRANSLATE_NOOP("HostTable", "RAM")),
    ("nic", QT_TRANSLATE_NOOP("HostTable", "NIC")),
    ("disk", QT_TRANSLATE_NOOP("HostTable", "Disk")),
    ("vms", QT_TRANSLATE_NOOP("HostTable", "VMs")),
)
HEADERS = (
    QT_TRANSLATE_NOOP("HostTable", "Host"),
    QT_TRANSLATE_NOOP("HostTable", "Model"),
    QT_TRANSLATE_NOOP("HostTable", "VMs placed"),
    QT_TRANSLATE_NOOP("HostTable", "State"),
    *(t for _k, t in DIMS),
    QT_TRANSLATE_NOOP("HostTable", "Simulated peak"),
)


def dim_text(d: DimensionBar | None) -> str:
    if d is None:
        return "—"
    if d.capacity is None:
        return translate("HostTable", "{load} (no limit)").format(load=d.describe())
    words = painted(STATE_WORDS[d.state]) if d.state in STATE_WORDS else d.state
    if d.breaks_hard_limit():
        return translate("HostTable", "{load} · {state} · breaks a hard limit").format(
            load=d.describe(), state=words
        )
    return translate("HostTable", "{load} · {state}").format(load=d.describe(), state=words)


class HostTable(QWidget):
    def __init__(self, editor: PlanEditor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.doc = editor.doc
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setObjectName("host-table")
        self.table.setAccessibleName(translate("HostTable", "Hosts"))
        self.table.setAccessibleDescription(
            translate(
                "HostTable",
                "Every host of the plan with its model, VMs and the load of each resource in words;"
                " the selection is the canvas's",
            )
        )
        self.table.setHorizontalHeaderLabels([translate("HostTable", h) for h in HEADERS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().hide()
        self.count = QLabel()
        layout = QVBoxLayout(self)
        layout.addWidget(self.count)
        layout.addWidget(self.table, 1)
        self._ids: list[str] = []
        self._syncing = False
        self._stale = True
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REFRESH_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        self.doc.plan_changed.connect(self._plan_changed)
        editor.selection_changed.connect(self._canvas_selected)
        self.table.itemSelectionChanged.connect(self._table_selected)

    def _plan_changed(self, _touched: object) -> None:
        # Hidden: fill when shown, so edits on the canvas cost nothing here.
        self._stale = True
        if self.isVisible():
            self._timer.start()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def refresh(self) -> None:
        self._stale = False
        plan = self.doc.plan
        placed: dict[str, int] = {}
        for vm in plan.vms:
            if vm.host is not None:
                placed[vm.host] = placed.get(vm.host, 0) + vm.count
        cards = self.editor.scene.cards
        self._syncing = True
        try:
            self.table.setRowCount(len(plan.hosts))
            self._ids = []
            for row, host in enumerate(plan.hosts):
                load = self.doc.host_load(host.id)
                card = cards.get(host.id)
                overload = card.overload_text if card is not None else ""
                cells = [
                    f"{host.name} ({host.id})" if host.name else host.id,
                    plan.host_model(host.model).label,
                    fmt(placed.get(host.id, 0)),
                    state_text(load, painted),
                    *(dim_text(load.dim(key)) for key, _t in DIMS),  # type: ignore[arg-type]
                    overload or translate("HostTable", "within capacity"),
                ]
                for col, text in enumerate(cells):
                    item = QTableWidgetItem(text)
                    if col == 2:
                        item.setTextAlignment(
                            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                        )
                    self.table.setItem(row, col, item)
                self._ids.append(host.id)
        finally:
            self._syncing = False
        self.count.setText(
            plural(len(plan.hosts), translate("HostTable", "host"), translate("HostTable", "hosts"))
        )
        self._select(set(self.editor.scene.selected_host_ids()))

    def selected_ids(self) -> list[str]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self._ids[r] for r in rows if r < len(self._ids)]

    def _table_selected(self) -> None:
        if self._syncing:
            return
        scene = self.editor.scene
        scene.select_items(scene.cards.get(h) for h in set(self.selected_ids()))

    def _canvas_selected(self, _vms: list[str], hosts: list[str]) -> None:
        if self.isVisible() and not self._stale:
            self._select(set(hosts))

    def _select(self, ids: set[str]) -> None:
        selection = QItemSelection()
        last = self.table.columnCount() - 1
        for row, host_id in enumerate(self._ids):
            if host_id in ids:
                model = self.table.model()
                selection.select(model.index(row, 0), model.index(row, last))
        self._syncing = True
        try:
            self.table.selectionModel().select(
                selection, QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
        finally:
            self._syncing = False
