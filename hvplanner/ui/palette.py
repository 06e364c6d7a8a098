"""The palette dock: host models and VM templates to drag onto the canvas."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QMimeData, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hvplanner.engine.numbers import fmt
from hvplanner.model.plan import VM, HostModel, Plan
from hvplanner.ui.canvas import mime
from hvplanner.ui.canvas.cards import hardware_text
from hvplanner.ui.canvas.chips import vm_size_text
from hvplanner.ui.presets import SERVER_PRESETS, VM_PRESETS

PAYLOAD = Qt.ItemDataRole.UserRole + 1


def plan_templates(plan: Plan) -> list[VM]:
    """One template per distinct VM size in the plan, named after the first VM of that size."""
    seen: dict[tuple[object, ...], VM] = {}
    for v in plan.vms:
        key = (v.vcpu, v.ram_gb, v.disk_gb, v.nic_mbps, v.cpu_mhz, v.profile)
        if key not in seen:
            seen[key] = v.model_copy(update={"count": 1, "host": None, "pinned": False})
    return list(seen.values())


class PaletteTree(QTreeWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setRootIsDecorated(True)
        self.setIndentation(14)

    def mimeTypes(self) -> list[str]:
        return [mime.VM_TEMPLATE, mime.HOST_MODEL]

    def mimeData(self, items: Sequence[QTreeWidgetItem]) -> QMimeData:
        payload = items[0].data(0, PAYLOAD) if items else None
        if isinstance(payload, HostModel):
            return mime.host_model_mime(payload)
        if isinstance(payload, VM):
            return mime.template_mime(payload)
        return QMimeData()


class Palette(QWidget):
    """Signals:
    new_host_model(): the user asked for the "New host model…" dialog.
    new_template(): the user asked for the "New VM template…" dialog.
    activated(object): a host model or VM template was double-clicked.
    """

    new_host_model = Signal()
    new_template = Signal()
    activated = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tree = PaletteTree()
        self.tree.itemDoubleClicked.connect(self._double_clicked)
        self.user_templates: list[VM] = []
        buttons = QHBoxLayout()
        add_model = QPushButton("New host model…")
        add_model.clicked.connect(self.new_host_model)
        add_vm = QPushButton("New VM template…")
        add_vm.clicked.connect(self.new_template)
        buttons.addWidget(add_model)
        buttons.addWidget(add_vm)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.tree)
        layout.addLayout(buttons)
        self._key: tuple[object, ...] | None = None

    def refresh(self, plan: Plan) -> None:
        templates = plan_templates(plan)
        key = (tuple(plan.host_models), tuple(templates), tuple(self.user_templates))
        if key == self._key:
            return
        self._key = key
        self.tree.clear()
        self._section("Host models in this plan", plan.host_models, "Drag onto the canvas")
        self._section("VM templates in this plan", templates, "Drag onto a host or the tray")
        if self.user_templates:
            self._section("My VM templates", self.user_templates, "Drag onto a host or the tray")
        self._section("Server presets", SERVER_PRESETS, "", expanded=False)
        self._section("VM presets", VM_PRESETS, "", expanded=False)

    def _section(
        self, title: str, entries: Sequence[HostModel | VM], hint: str, expanded: bool = True
    ) -> None:
        top = QTreeWidgetItem([title])
        top.setFlags(Qt.ItemFlag.ItemIsEnabled)
        font = top.font(0)
        font.setBold(True)
        top.setFont(0, font)
        if hint:
            top.setToolTip(0, hint)
        for entry in entries:
            if isinstance(entry, HostModel):
                text = entry.label
                tip = hardware_text(entry)
            else:
                text = f"{entry.label} — {vm_size_text(entry)}"
                tip = vm_size_text(entry) + (
                    f", {fmt(entry.disk_gb)} GB disk, {fmt(entry.nic_mbps)} Mbps"
                )
            item = QTreeWidgetItem([text])
            item.setToolTip(0, tip + "\nDrag onto the canvas; double-click to add one.")
            item.setData(0, PAYLOAD, entry)
            item.setFlags(
                Qt.ItemFlag.ItemIsEnabled
                | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsDragEnabled
            )
            top.addChild(item)
        if not entries:
            empty = QTreeWidgetItem(["(none yet)"])
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            top.addChild(empty)
        self.tree.addTopLevelItem(top)
        top.setExpanded(expanded)

    def _double_clicked(self, item: QTreeWidgetItem) -> None:
        payload = item.data(0, PAYLOAD)
        if isinstance(payload, (HostModel, VM)):
            self.activated.emit(payload)
