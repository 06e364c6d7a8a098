""" "Move to host…": put the selected VMs on a host chosen from a list, by keyboard.

The list shows every host with what it has free up to its headroom line, so the choice is
made on figures; the host under the cursor is checked against the hard-limit rule (the
one every edit obeys) and a refusal is named before Enter is pressed.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hvplanner.engine.hostload import DimensionBar, HostBars, vms_by_host
from hvplanner.ui.commands import MoveVMsCommand
from hvplanner.ui.document import EditRefusedError, PlanDocument
from hvplanner.ui.i18n import fmt, plural, translate
from hvplanner.ui.plaintext import rich
from hvplanner.ui.theme import theme

HOST_ROLE = Qt.ItemDataRole.UserRole + 1
UNPLACED = ""  # the list's first row: back to the unplaced tray
# How many hosts the dialog tries before it opens, looking for one the VMs fit on.
FIT_CHECKS = 50


def free_text(d: DimensionBar | None) -> str:
    """What is left below the headroom line, e.g. "12 vCPUs" or "over by 4 vCPUs"."""
    if d is None:
        return "—"
    if d.line is None:
        return translate("MoveToHostDialog", "no limit")
    left = (d.line - d.used) / d.scale
    if left < 0:
        return translate("MoveToHostDialog", "over by {n} {unit}").format(n=fmt(-left), unit=d.unit)
    return translate("MoveToHostDialog", "{n} {unit}").format(n=fmt(left), unit=d.unit)


def host_rows(doc: PlanDocument) -> list[tuple[str, str, str, int, HostBars]]:
    """(host id, label, model label, VM count, bars) for every host, in plan order."""
    plan = doc.plan
    by_host = vms_by_host(plan)
    models = {m.id: m for m in plan.host_models}
    return [
        (
            h.id,
            h.name or h.id,
            models[h.model].label,
            sum(v.count for v in by_host[h.id]),
            doc.load_of(h.id),
        )
        for h in plan.hosts
    ]


class HostList(QTreeWidget):
    """Enter accepts the dialog even though the tree has the focus."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            dialog = self.window()
            if isinstance(dialog, QDialog):
                dialog.accept()
                return
        super().keyPressEvent(event)


class MoveToHostDialog(QDialog):
    """Lists the hosts; `chosen` is the host id picked ("" for the unplaced tray).

    Keyboard-complete: the list has the focus with the first other host current; arrows
    or typing a name choose, Enter moves, Escape cancels. A host the move would break is
    refused in the dialog with the reason, and the dialog stays open.
    """

    def __init__(
        self, doc: PlanDocument, vm_ids: Sequence[str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.doc = doc
        self.vm_ids = list(vm_ids)
        self.chosen: str | None = None
        wanted = set(self.vm_ids)
        chosen = [v for v in doc.plan.vms if v.id in wanted]
        n = sum(v.count for v in chosen)
        what = (
            chosen[0].label
            if len(chosen) == 1
            else plural(
                n, translate("MoveToHostDialog", "VM"), translate("MoveToHostDialog", "VMs")
            )
        )
        self.setWindowTitle(translate("MoveToHostDialog", "Move {what} to host").format(what=what))
        need = translate("MoveToHostDialog", "{vcpus}, {ram} GB RAM").format(
            vcpus=plural(
                sum(v.count * v.vcpu for v in chosen),
                translate("MoveToHostDialog", "vCPU"),
                translate("MoveToHostDialog", "vCPUs"),
            ),
            ram=fmt(sum(v.count * v.ram_gb for v in chosen)),
        )
        head = QLabel(
            translate("MoveToHostDialog", "Move <b>{what}</b> ({need}) to:").format(
                what=rich(what), need=need
            )
        )
        self.list = HostList()
        self.list.setAccessibleName(translate("MoveToHostDialog", "Hosts"))
        self.list.setAccessibleDescription(
            translate("MoveToHostDialog", "Each host with what it has free; choose one to move to")
        )
        self.list.setColumnCount(5)
        self.list.setHeaderLabels(
            [
                translate("MoveToHostDialog", "Host"),
                translate("MoveToHostDialog", "Model"),
                translate("MoveToHostDialog", "VMs"),
                translate("MoveToHostDialog", "Free vCPUs"),
                translate("MoveToHostDialog", "Free RAM"),
            ]
        )
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setAllColumnsShowFocus(True)
        self.list.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.list.header().setStretchLastSection(False)
        self.list.setToolTip(
            translate(
                "MoveToHostDialog",
                "Free: what is left below each host's headroom line. Type a host's name to jump.",
            )
        )
        self._fill(chosen)
        self.reason = QLabel()
        self.reason.setWordWrap(True)
        theme().colour_label(self.reason, "error")
        self.reason.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(translate("MoveToHostDialog", "&Move"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(head)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.reason)
        layout.addWidget(self.buttons)
        self.list.currentItemChanged.connect(lambda *_: self._check())
        self.list.itemDoubleClicked.connect(lambda *_: self.accept())
        self.resize(620, 420)
        self.list.setFocus()
        self._check()

    def _fill(self, chosen: Sequence[object]) -> None:
        homes = {getattr(v, "host", None) for v in chosen}
        tray = QTreeWidgetItem([translate("MoveToHostDialog", "(unplaced)"), "", "", "", ""])
        tray.setData(0, HOST_ROLE, UNPLACED)
        tray.setToolTip(0, translate("MoveToHostDialog", "Back to the unplaced tray"))
        self.list.addTopLevelItem(tray)
        first: QTreeWidgetItem | None = None
        fits: QTreeWidgetItem | None = None
        checked = 0
        for hid, label, model, count, bars in host_rows(self.doc):
            name = (
                label
                if label == hid
                else translate("MoveToHostDialog", "{name} ({id})").format(name=label, id=hid)
            )
            item = QTreeWidgetItem(
                [
                    name,
                    model,
                    fmt(count),
                    free_text(bars.dim("vcpus")),
                    free_text(bars.dim("ram")),
                ]
            )
            for col in (2, 3, 4):
                item.setTextAlignment(
                    col, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                )
            item.setData(0, HOST_ROLE, hid)
            if homes == {hid}:
                item.setToolTip(
                    0, translate("MoveToHostDialog", "The selected VMs are on this host already")
                )
            else:
                first = first or item
                # Start on the first host that takes them (a few checks at most).
                if fits is None and checked < FIT_CHECKS:
                    checked += 1
                    if not self._refusal_for(hid):
                        fits = item
            self.list.addTopLevelItem(item)
        self.list.setCurrentItem(fits or first or tray)

    def current_host(self) -> str | None:
        item = self.list.currentItem()
        if item is None:
            return None
        return str(item.data(0, HOST_ROLE))

    def refusal(self) -> str:
        """Why moving to the current host is refused, or ""."""
        host = self.current_host()
        if host is None:
            return translate("MoveToHostDialog", "Choose a host")
        return self._refusal_for(host)

    def _refusal_for(self, host: str) -> str:
        try:
            MoveVMsCommand(self.doc, self.vm_ids, host or None)
        except EditRefusedError as exc:
            return str(exc)
        except ValueError as exc:
            return translate("PlanDocument", "Refused: {reason}").format(reason=exc)
        return ""

    def _check(self) -> str:
        text = self.refusal()
        self.reason.setText(text)
        self.reason.setVisible(bool(text))
        return text

    def accept(self) -> None:
        if self._check():
            self.list.setFocus()
            return  # refused: the reason is shown, the dialog stays open
        self.chosen = self.current_host()
        super().accept()
