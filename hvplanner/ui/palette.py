"""The palette dock: host models and VM templates to drag onto the canvas."""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QElapsedTimer, QEvent, QMimeData, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hvplanner.model.plan import VM, HostModel, Plan
from hvplanner.painting.cards import hardware_text
from hvplanner.painting.chips import vm_size_text
from hvplanner.ui.canvas import mime
from hvplanner.ui.i18n import fmt, painted, plural, translate
from hvplanner.ui.presets import SERVER_PRESETS, VM_PRESETS

PAYLOAD = Qt.ItemDataRole.UserRole + 1


# The tooltip names a few of a size's VMs; a list of hundreds says no more.
TIP_NAMES = 4


@dataclass(frozen=True)
class PlanTemplate:
    """One VM size of the plan: a template to drag, and how many VMs of the plan have it."""

    vm: VM
    uses: int
    shown: tuple[VM, ...]  # the first few entries of this size, for the tooltip


# One C call per VM: at 30,000 VMs the palette's scan after an edit is most of its cost.
_size_key: Callable[[VM], tuple[object, ...]] = operator.attrgetter(
    "vcpu", "ram_gb", "disk_gb", "nic_mbps", "cpu_mhz", "profile"
)


def plan_templates(plan: Plan) -> list[PlanTemplate]:
    """One template per distinct VM size in the plan, in order of first use."""
    first: dict[tuple[object, ...], VM] = {}
    uses: dict[tuple[object, ...], int] = {}
    shown: dict[tuple[object, ...], list[VM]] = {}
    for v in plan.vms:
        key = _size_key(v)
        if key not in first:
            first[key] = v.model_copy(update={"count": 1, "host": None, "pinned": False})
            uses[key], shown[key] = 0, []
        uses[key] += v.count
        if len(shown[key]) < TIP_NAMES:
            shown[key].append(v)
    return [PlanTemplate(vm, uses[k], tuple(shown[k])) for k, vm in first.items()]


def template_texts(templates: Sequence[PlanTemplate]) -> list[tuple[str, str, str]]:
    """(label, count, tooltip) per template: named by size, since a VM's name says nothing of
    the others of its size; what tells two of one vCPU and RAM apart is added to both."""
    sizes = [vm_size_text(t.vm) for t in templates]
    out: list[tuple[str, str, str]] = []
    for t, size in zip(templates, sizes, strict=True):
        vm = t.vm
        extras = {
            "disk": translate("Palette", "{n} GB disk").format(n=fmt(vm.disk_gb)),
            "nic": translate("Palette", "{n} Mbps").format(n=fmt(vm.nic_mbps)),
            "mhz": translate("Palette", "sized by vCPUs")
            if vm.cpu_mhz is None
            else translate("Palette", "{n} MHz peak").format(n=fmt(vm.cpu_mhz)),
            "profile": vm.profile,
        }
        twins = [o.vm for o, s in zip(templates, sizes, strict=True) if s == size and o is not t]
        differ = {
            "disk": any(o.disk_gb != vm.disk_gb for o in twins),
            "nic": any(o.nic_mbps != vm.nic_mbps for o in twins),
            "mhz": any(o.cpu_mhz != vm.cpu_mhz for o in twins),
            "profile": any(o.profile != vm.profile for o in twins),
        }
        label = " · ".join([size, *(extras[k] for k in extras if differ[k])])
        shown = ", ".join(v.label + (f" ×{fmt(v.count)}" if v.count > 1 else "") for v in t.shown)
        more = t.uses - sum(v.count for v in t.shown)
        if more > 0:
            shown = translate("Palette", "{names} and {n} more").format(names=shown, n=fmt(more))
        details = [size]
        if vm.disk_gb:
            details.append(extras["disk"])
        if vm.nic_mbps:
            details.append(extras["nic"])
        if vm.cpu_mhz is not None:
            details.append(extras["mhz"])
        details.append(translate("Palette", "{workload} load").format(workload=vm.profile))
        tip = translate("Palette", "{details}\n{vms}: {names}").format(
            details=", ".join(details),
            vms=plural(t.uses, translate("Palette", "VM"), translate("Palette", "VMs")),
            names=shown,
        )
        out.append((label, f"×{fmt(t.uses)}", tip))
    return out


class PaletteTree(QTreeWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHeaderHidden(True)
        # The count of a plan's template stays in view when a long size is cut.
        self.setColumnCount(2)
        self.header().setStretchLastSection(False)
        self.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setRootIsDecorated(True)
        self.setIndentation(14)

    def mimeTypes(self) -> list[str]:
        return [mime.VM_TEMPLATE, mime.HOST_MODEL]

    def startDrag(self, supportedActions: Qt.DropAction) -> None:
        # A palette row is copied onto the canvas, never moved: a drop that answered "move"
        # would make the item view delete the row.
        super().startDrag(Qt.DropAction.CopyAction)

    def mimeData(self, items: Sequence[QTreeWidgetItem]) -> QMimeData:
        payload = items[0].data(0, PAYLOAD) if items else None
        if isinstance(payload, HostModel):
            return mime.host_model_mime(payload)
        if isinstance(payload, VM):
            return mime.template_mime(payload)
        return QMimeData()


@dataclass(frozen=True)
class Row:
    text: str
    badge: str
    tip: str
    payload: HostModel | VM


@dataclass(frozen=True)
class Section:
    title: str
    hint: str
    rows: tuple[Row, ...]
    expanded: bool = True  # when first shown; afterwards the user's choice is kept


def _rows(
    entries: Sequence[HostModel | VM], texts: Sequence[tuple[str, str, str]] = ()
) -> tuple[Row, ...]:
    out: list[Row] = []
    for i, entry in enumerate(entries):
        badge = ""
        if texts:
            text, badge, tip = texts[i]
        elif isinstance(entry, HostModel):
            text = entry.label
            tip = hardware_text(entry, painted)
        else:
            text = f"{entry.label} — {vm_size_text(entry)}"
            tip = translate("Palette", "{size}, {disk} GB disk, {nic} Mbps").format(
                size=vm_size_text(entry), disk=fmt(entry.disk_gb), nic=fmt(entry.nic_mbps)
            )
        hint = translate("Palette", "Drag onto the canvas; double-click to add one.")
        out.append(Row(text, badge, f"{tip}\n{hint}", entry))
    return tuple(out)


# After a click in the palette, rows that would move wait this long (or until the pointer
# leaves it): a second double-click must land on the row the first one did.
HOLD_MS = 1500


class Palette(QWidget):
    """Signals:
    new_host_model(): the user asked for the "New host model…" dialog.
    new_template(): the user asked for the "New VM template…" dialog.
    activated(object): a host model or VM template was double-clicked.

    Rows never move under the pointer: an edit that adds or removes rows waits until the
    pointer leaves the palette (or HOLD_MS after the last click); counts and tooltips of the
    rows in place update at once. Sections keep the expansion the user gave them.
    """

    new_host_model = Signal()
    new_template = Signal()
    activated = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tree = PaletteTree()
        self.tree.setAccessibleName(translate("Palette", "Palette"))
        self.tree.setAccessibleDescription(
            translate("Palette", "Host models, VM templates and presets to drag onto the canvas")
        )
        self.tree.itemDoubleClicked.connect(self._double_clicked)
        self.tree.viewport().installEventFilter(self)
        self.user_templates: list[VM] = []
        buttons = QHBoxLayout()
        add_model = QPushButton(translate("Palette", "New host model…"))
        add_model.clicked.connect(self.new_host_model)
        add_vm = QPushButton(translate("Palette", "New VM template…"))
        add_vm.clicked.connect(self.new_template)
        buttons.addWidget(add_model)
        buttons.addWidget(add_vm)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.tree)
        layout.addLayout(buttons)
        self._key: tuple[object, ...] | None = None
        self._sections: list[Section] = []
        self._expanded: dict[str, bool] = {}
        self._pending: Plan | None = None
        self._pressed = QElapsedTimer()
        self._hold = QTimer(self)
        self._hold.setSingleShot(True)
        self._hold.timeout.connect(self._apply_pending)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick):
            self._pressed.start()
        elif kind == QEvent.Type.Leave and self._pending is not None:
            self._hold.start(0)
        return False

    def _holding(self) -> bool:
        if self.tree.viewport().underMouse():
            return True
        return self._pressed.isValid() and self._pressed.elapsed() < HOLD_MS

    def _apply_pending(self) -> None:
        plan, self._pending = self._pending, None
        if plan is not None:
            self.refresh(plan)

    def sections(self, plan: Plan, templates: list[PlanTemplate] | None = None) -> list[Section]:
        if templates is None:
            templates = plan_templates(plan)
        out = [
            Section(
                translate("Palette", "Host models in this plan"),
                translate("Palette", "Drag onto the canvas"),
                _rows(plan.host_models),
            ),
            Section(
                translate("Palette", "VM templates in this plan"),
                translate(
                    "Palette",
                    "One per VM size in the plan, with how many VMs have it. Drag onto a host "
                    "or the tray.",
                ),
                _rows([t.vm for t in templates], template_texts(templates)),
            ),
        ]
        if self.user_templates:
            out.append(
                Section(
                    translate("Palette", "My VM templates"),
                    translate("Palette", "Drag onto a host or the tray"),
                    _rows(self.user_templates),
                )
            )
        out.append(
            Section(
                translate("Palette", "Server presets"), "", _rows(SERVER_PRESETS), expanded=False
            )
        )
        out.append(
            Section(translate("Palette", "VM presets"), "", _rows(VM_PRESETS), expanded=False)
        )
        return out

    def refresh(self, plan: Plan) -> None:
        templates = plan_templates(plan)
        key = (tuple(plan.host_models), tuple(templates), tuple(self.user_templates))
        if key == self._key:
            return
        sections = self.sections(plan, templates)
        layout = [(s.title, tuple(r.text for r in s.rows)) for s in sections]
        if layout == [(s.title, tuple(r.text for r in s.rows)) for s in self._sections]:
            self._key, self._sections = key, sections
            self._update_in_place(sections)
            return
        if self._holding():
            self._pending = plan
            left = HOLD_MS - self._pressed.elapsed() if self._pressed.isValid() else HOLD_MS
            self._hold.start(max(int(left), 50))
            return
        self._key, self._sections = key, sections
        self._pending = None
        self._rebuild(sections)

    def _update_in_place(self, sections: list[Section]) -> None:
        for i, section in enumerate(sections):
            top = self.tree.topLevelItem(i)
            for j, row in enumerate(section.rows):
                item = top.child(j)
                item.setText(1, row.badge)
                item.setToolTip(0, row.tip)
                item.setToolTip(1, row.tip)
                item.setData(0, PAYLOAD, row.payload)

    def _rebuild(self, sections: list[Section]) -> None:
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            self._expanded[top.text(0)] = top.isExpanded()
        current = self.tree.currentItem()
        was = (current.parent().text(0), current.text(0)) if current and current.parent() else None
        scroll = self.tree.verticalScrollBar().value()
        self.tree.clear()
        for section in sections:
            self._section(section)
        self.tree.verticalScrollBar().setValue(scroll)
        if was is not None:
            for i in range(self.tree.topLevelItemCount()):
                top = self.tree.topLevelItem(i)
                if top.text(0) != was[0]:
                    continue
                for j in range(top.childCount()):
                    if top.child(j).text(0) == was[1]:
                        self.tree.setCurrentItem(top.child(j))

    def _section(self, section: Section) -> None:
        top = QTreeWidgetItem([section.title])
        top.setFlags(Qt.ItemFlag.ItemIsEnabled)
        font = top.font(0)
        font.setBold(True)
        top.setFont(0, font)
        if section.hint:
            top.setToolTip(0, section.hint)
        for row in section.rows:
            item = QTreeWidgetItem([row.text, row.badge])
            item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            item.setToolTip(0, row.tip)
            item.setToolTip(1, row.tip)
            item.setData(0, PAYLOAD, row.payload)
            item.setFlags(
                Qt.ItemFlag.ItemIsEnabled
                | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsDragEnabled
            )
            top.addChild(item)
        if not section.rows:
            empty = QTreeWidgetItem([translate("Palette", "(none yet)")])
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            top.addChild(empty)
        self.tree.addTopLevelItem(top)
        # Spanning takes effect only once an item is in the tree.
        top.setFirstColumnSpanned(True)
        for i in range(top.childCount()):
            child = top.child(i)
            child.setFirstColumnSpanned(not child.text(1))
        top.setExpanded(self._expanded.get(section.title, section.expanded))

    def _double_clicked(self, item: QTreeWidgetItem) -> None:
        payload = item.data(0, PAYLOAD)
        if isinstance(payload, (HostModel, VM)):
            self.activated.emit(payload)
