"""The plan editor: the canvas, its selection, the edit actions and the context menus.

It works on a `PlanSession` and knows no window: the window puts it in a tab, adds its
actions to menus and listens to its signals. Drops onto the canvas are the scene's
(`canvas.scene`): the scene turns them into the same undo commands the actions push.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QGraphicsItem, QMenu, QVBoxLayout, QWidget
from shiboken6 import isValid

from hvplanner.engine.livemove import estimate_moves, move_note
from hvplanner.engine.sizing import plan_host_model, size_plan
from hvplanner.model.plan import VM, HostModel, Plan
from hvplanner.text import clock
from hvplanner.ui.canvas.cards import HostCard
from hvplanner.ui.canvas.chips import VMChip
from hvplanner.ui.canvas.scene import PlanScene
from hvplanner.ui.canvas.view import PlanView
from hvplanner.ui.commands import (
    AddHostCommand,
    AddHostModelCommand,
    AddVMCommand,
    DuplicateCommand,
    ExpandGroupCommand,
    MoveVMsCommand,
    PinCommand,
    RemoveCommand,
)
from hvplanner.ui.dialogs import Asker
from hvplanner.ui.i18n import fmt, plural, translate
from hvplanner.ui.session import PlanSession

HostMenuHook = Callable[[QMenu, str], None]


# Cards given their sparklines per turn of the event loop after a new simulation arrives.
SPARKS_CHUNK = 100


class PlanEditor(QWidget):
    """Signals:
    selection_changed(list, list): the selected VM ids and host ids (once per event-loop
        turn however many items changed).
    edit_requested(): the user asked to edit the selection (F2, double click): the window
        shows the inspector.
    template_created(object): a new VM template (a VM) for the palette.
    files_dropped(list): local files dropped onto the canvas.
    """

    selection_changed = Signal(list, list)
    edit_requested = Signal()
    template_created = Signal(object)
    files_dropped = Signal(list)

    def __init__(self, session: PlanSession, asker: Asker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.doc = session.doc
        self.asker = asker
        self.scene = PlanScene(self.doc, ask_count=asker.count)
        self.scene.setParent(self)
        self.canvas = PlanView(self.scene)
        self.canvas.setAccessibleName(translate("PlanEditor", "Plan layout"))
        self.canvas.setAccessibleDescription(
            translate(
                "PlanEditor",
                "Host cards with their VMs; arrow keys move between cards and chips, Enter goes "
                "into a card, Escape out. The VMs and Hosts tabs list the same as tables.",
            )
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.canvas)
        # Added by the window: Auto-place and the like on the empty canvas's menu, and
        # host-card entries (the what-if) under the edit actions.
        self.background_actions: list[QAction] = []
        self.host_menu_hooks: list[HostMenuHook] = []
        self._make_actions()

        # Selecting many chips emits once per chip; one refresh per event-loop turn is enough.
        self._selection_timer = QTimer(self)
        self._selection_timer.setSingleShot(True)
        self._selection_timer.setInterval(0)
        self._selection_timer.timeout.connect(self._selection_changed)
        self.scene.selectionChanged.connect(self._selection_timer.start)
        self.scene.status.connect(session.say)
        self.scene.vms_moved.connect(self._vms_moved)
        self.scene.edit_requested.connect(self._edit_requested)
        self.canvas.files_dropped.connect(self.files_dropped)
        self.canvas.context_menu.connect(self._context_menu)
        # A new simulation of a large plan reaches the cards on screen at once and the others
        # a chunk per turn of the event loop: 1,500 sparklines at once stall a drag.
        self._sparks_left: list[str] = []
        self._sparks_timer = QTimer(self)
        self._sparks_timer.setSingleShot(True)
        self._sparks_timer.setInterval(0)
        self._sparks_timer.timeout.connect(self._next_sparks)
        session.live.updated.connect(self._live_updated)
        self._selection_changed()
        self._live_updated(None)

    # --- actions ----------------------------------------------------------------------

    def _action(
        self,
        text: str,
        slot: Callable[[], object],
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
        tip: str = "",
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    def _make_actions(self) -> None:
        keys = QKeySequence.StandardKey
        a = self._action
        self.act_delete = a(translate("PlanEditor", "&Delete"), self.delete_selection, keys.Delete)
        self.act_duplicate = a(
            translate("PlanEditor", "D&uplicate"), self.duplicate_selection, "Ctrl+D"
        )
        self.act_edit = a(translate("PlanEditor", "&Edit Properties"), self.edit_selection, "F2")
        self.act_pin = a(
            translate("PlanEditor", "&Pin to Host"),
            lambda: self.pin_selection(True),
            "Ctrl+P",
            translate("PlanEditor", "Auto-place leaves pinned VMs on their host"),
        )
        self.act_unpin = a(
            translate("PlanEditor", "U&npin"), lambda: self.pin_selection(False), "Ctrl+Shift+P"
        )
        self.act_to_tray = a(
            translate("PlanEditor", "Move to &Unplaced"), self.unplace_selection, "Ctrl+U"
        )
        self.act_move_host = a(
            translate("PlanEditor", "&Move to Host…"),
            self.move_selection_to_host,
            "Ctrl+M",
            translate(
                "PlanEditor",
                "Put the selected VMs on a host chosen from a list (keyboard: arrows, Enter)",
            ),
        )
        self.act_expand = a(
            translate("PlanEditor", "E&xpand Group"),
            self.expand_selection,
            None,
            translate("PlanEditor", "One VM entry per member of the group"),
        )
        self.act_select_all = a(
            translate("PlanEditor", "Select &All"), self.select_all, keys.SelectAll
        )
        self.act_zoom_in = a(translate("PlanEditor", "Zoom &In"), self.canvas.zoom_in, keys.ZoomIn)
        self.act_zoom_out = a(
            translate("PlanEditor", "Zoom &Out"), self.canvas.zoom_out, keys.ZoomOut
        )
        self.act_fit = a(
            translate("PlanEditor", "&Fit Plan"),
            self.canvas.fit,
            "Ctrl+0",
            translate("PlanEditor", "Zoom to show the whole plan"),
        )
        self.act_new_model = a(
            translate("PlanEditor", "New &Host Model…"),
            self.new_host_model,
            None,
            translate("PlanEditor", "Describe a server for the palette"),
        )
        self.act_new_template = a(
            translate("PlanEditor", "New &VM Template…"),
            self.new_template,
            None,
            translate("PlanEditor", "Describe a VM for the palette"),
        )
        self.act_hosts_needed = a(
            translate("PlanEditor", "Add Hosts &Needed"),
            self.add_hosts_needed,
            None,
            translate(
                "PlanEditor",
                "Add hosts of the plan's host model until there are as many as the sizing needs",
            ),
        )

    def edit_actions(self) -> list[QAction | None]:
        """The Edit menu's entries after Undo/Redo; None is a separator."""
        return [
            self.act_edit,
            self.act_duplicate,
            self.act_delete,
            None,
            self.act_move_host,
            self.act_pin,
            self.act_unpin,
            self.act_to_tray,
            self.act_expand,
            None,
            self.act_select_all,
        ]

    # --- selection --------------------------------------------------------------------

    def flush_selection(self) -> None:
        """Applies a pending selection change now (actions read the enabled state)."""
        if self._selection_timer.isActive():
            self._selection_timer.stop()
            self._selection_changed()

    def _selection_changed(self) -> None:
        if not isValid(self.scene):
            return  # the scene empties itself while the editor is being destroyed
        vms = self.scene.selected_vm_ids()
        hosts = self.scene.selected_host_ids()
        wanted = set(vms)
        chosen = [v for v in self.doc.plan.vms if v.id in wanted]
        self.act_delete.setEnabled(bool(vms or hosts))
        self.act_duplicate.setEnabled(bool(vms or hosts))
        self.act_pin.setEnabled(any(v.host and not v.pinned for v in chosen))
        self.act_unpin.setEnabled(any(v.pinned for v in chosen))
        self.act_to_tray.setEnabled(any(v.host for v in chosen))
        self.act_move_host.setEnabled(bool(chosen))
        self.act_expand.setEnabled(len(chosen) == 1 and chosen[0].count > 1)
        self.selection_changed.emit(vms, hosts)

    def select_all(self) -> None:
        self.scene.select_items(self.scene.every_chip(), clear=False)

    def select(self, kind: str, ident: str) -> bool:
        item = self.scene.chip(ident) if kind == "vm" else self.scene.cards.get(ident)
        if item is None:
            return False
        self.scene.clearSelection()
        item.setSelected(True)
        return True

    # --- edits ------------------------------------------------------------------------

    def push(self, make: Callable[[], object]) -> bool:
        return self.session.try_push(make)  # type: ignore[arg-type]

    def push_and_show(self, make: Callable[[], object], select: bool = False) -> bool:
        """Pushes an edit that adds hosts or VMs and scrolls them into view (and selects
        them with `select`)."""
        before = self.doc.plan
        if not self.push(make):
            return False
        after = self.doc.plan
        old_hosts = {h.id for h in before.hosts}
        old_vms = {v.id for v in before.vms}
        items: list[QGraphicsItem] = [
            self.scene.cards[h.id]
            for h in after.hosts
            if h.id not in old_hosts and h.id in self.scene.cards
        ]
        new_vms = {v.id for v in after.vms} - old_vms
        if new_vms:
            items += [c for vm_id in sorted(new_vms) if (c := self.scene.chip(vm_id)) is not None]
        if select and items:
            self.scene.clearSelection()
            for item in items:
                item.setSelected(True)
        self.canvas.reveal(items)
        return True

    def delete_selection(self) -> None:
        vms, hosts = self.scene.selected_vm_ids(), self.scene.selected_host_ids()
        if not vms and not hosts:
            return
        stack = self.doc.undo_stack
        if vms and hosts:
            # Two edits, one undo step: VMs first, so a host's own VMs are not sent to the tray.
            vm_words = plural(
                len(vms), translate("PlanEditor", "VM"), translate("PlanEditor", "VMs")
            )
            host_words = plural(
                len(hosts), translate("PlanEditor", "host"), translate("PlanEditor", "hosts")
            )
            stack.beginMacro(
                translate("PlanCommand", "Delete {vms} and {hosts}").format(
                    vms=vm_words, hosts=host_words
                )
            )
            self.push(lambda: RemoveCommand(self.doc, vm_ids=vms))
            self.push(lambda: RemoveCommand(self.doc, host_ids=hosts))
            stack.endMacro()
        else:
            self.push(lambda: RemoveCommand(self.doc, vms, hosts))

    def duplicate_selection(self) -> None:
        vms, hosts = self.scene.selected_vm_ids(), self.scene.selected_host_ids()
        if vms or hosts:
            self.push_and_show(lambda: DuplicateCommand(self.doc, vms, hosts), select=True)

    def pin_selection(self, pinned: bool) -> None:
        vms = self.scene.selected_vm_ids()
        if vms:
            self.push(lambda: PinCommand(self.doc, vms, pinned))

    def unplace_selection(self) -> None:
        vms = self.scene.selected_vm_ids()
        if vms:
            self.push(lambda: MoveVMsCommand(self.doc, vms, None))

    def move_selection_to_host(self) -> None:
        vms = self.scene.selected_vm_ids()
        if not vms:
            self.session.say(translate("PlanEditor", "Move to Host: select one or more VMs first"))
            return
        host = self.asker.choose_host(self.doc, vms)
        if host is not None:
            self.push(lambda: MoveVMsCommand(self.doc, vms, host or None))

    def expand_selection(self) -> None:
        vms = self.scene.selected_vm_ids()
        if len(vms) == 1:
            self.push(lambda: ExpandGroupCommand(self.doc, vms[0]))

    def edit_selection(self) -> None:
        self.edit_requested.emit()

    def _edit_requested(self, kind: str, ident: str) -> None:
        self.select(kind, ident)
        self.edit_selection()

    def new_host_model(self) -> None:
        model = self.asker.new_host_model({m.id for m in self.doc.plan.host_models})
        if model is not None:
            self.push(lambda: AddHostModelCommand(self.doc, model))

    def new_template(self) -> None:
        template = self.asker.new_template()
        if template is not None:
            self.template_created.emit(template)

    def add_from_palette(self, payload: object) -> None:
        """A palette entry double-clicked: a host model adds a host, a VM template a VM."""
        if isinstance(payload, HostModel):
            self.push_and_show(lambda: AddHostCommand(self.doc, payload))
        elif isinstance(payload, VM):
            self.push_and_show(lambda: AddVMCommand(self.doc, payload, None))

    def add_hosts_needed(self) -> None:
        plan = self.doc.plan
        if not plan.host_models:
            self.session.say(
                translate("PlanEditor", "Add a host model first (Plan ▸ New Host Model…)")
            )
            return
        result = size_plan(plan, self.doc.profile)
        missing = result.hosts - len(plan.hosts)
        if missing <= 0:
            self.session.say(
                translate(
                    "PlanEditor", "The plan already has the {n} hosts the sizing needs"
                ).format(n=fmt(result.hosts))
            )
            return
        model = plan_host_model(plan)
        text = translate("PlanEditor", "Add {n} hosts needed by the sizing").format(n=fmt(missing))
        self.push_and_show(lambda: AddHostCommand(self.doc, model, missing, text))

    def _vms_moved(self, before: object, vm_ids: object, host: str) -> None:
        if not isinstance(before, Plan) or not isinstance(vm_ids, list):
            return
        note = move_note(estimate_moves(before, [str(v) for v in vm_ids], host))
        if note:
            self.session.say(
                translate("PlanEditor", "Moved to {host}. {note}").format(host=host, note=note),
                15000,
            )

    # --- the live simulation on the cards ---------------------------------------------

    def _live_updated(self, touched: object) -> None:
        if not isValid(self.scene):
            return
        live = self.session.live.live
        if live is None:
            self._sparks_left = []
            for card in self.scene.cards.values():
                card.set_live(None)
            return
        known = live.sim.host_index
        ids = [h for h in self.scene.cards if h in known]
        if isinstance(touched, frozenset):
            self._set_sparks([h for h in ids if h in touched])
            return
        if len(ids) <= SPARKS_CHUNK:
            self._sparks_left = []
            self._set_sparks(ids)
            return
        shown = self._cards_on_screen()
        self._set_sparks([h for h in ids if h in shown])
        self._sparks_left = [h for h in ids if h not in shown]
        self._sparks_timer.start()

    @property
    def sparks_pending(self) -> bool:
        """Cards still to get the sparklines of a new simulation."""
        return bool(self._sparks_left)

    def _cards_on_screen(self) -> set[str]:
        area = self.canvas.mapToScene(self.canvas.viewport().rect()).boundingRect()
        return {it.host.id for it in self.scene.items(area) if isinstance(it, HostCard)}

    def _next_sparks(self) -> None:
        if not isValid(self.scene):
            return
        chunk, self._sparks_left = (
            self._sparks_left[:SPARKS_CHUNK],
            self._sparks_left[SPARKS_CHUNK:],
        )
        self._set_sparks(chunk)
        if self._sparks_left:
            self._sparks_timer.start()

    def _set_sparks(self, ids: list[str]) -> None:
        live = self.session.live.live
        if live is None:
            return
        known = live.sim.host_index
        ids = [h for h in ids if h in self.scene.cards and h in known]
        for hid, sparks in live.sparks(ids).items():
            at = live.failed_at(hid)
            failed = (
                ""
                if at is None
                else translate("PlanEditor", "failed {time}").format(time=clock(at))
            )
            self.scene.cards[hid].set_live(sparks, failed)

    # --- context menus ----------------------------------------------------------------

    def build_context_menu(self, item: QGraphicsItem | None) -> QMenu:
        self.flush_selection()  # the menu's actions are enabled for the item just selected
        menu = QMenu(self)
        if isinstance(item, VMChip):
            menu.addActions([self.act_edit, self.act_duplicate])
            menu.addSeparator()
            menu.addActions(
                [
                    self.act_move_host,
                    self.act_pin,
                    self.act_unpin,
                    self.act_to_tray,
                    self.act_expand,
                ]
            )
            menu.addSeparator()
            menu.addAction(self.act_delete)
        elif isinstance(item, HostCard):
            menu.addActions([self.act_edit, self.act_duplicate, self.act_delete])
            for hook in self.host_menu_hooks:
                menu.addSeparator()
                hook(menu, item.host_id)
        else:
            add = menu.addMenu(translate("PlanEditor", "Add Host"))
            for m in self.doc.plan.host_models:
                add.addAction(
                    m.label, lambda m=m: self.push_and_show(lambda: AddHostCommand(self.doc, m))
                )
            add.setEnabled(bool(self.doc.plan.host_models))
            if not self.doc.plan.host_models:
                add.setToolTip(
                    translate(
                        "PlanEditor", "The plan has no host model yet: New Host Model… adds one"
                    )
                )
            menu.addActions([self.act_new_model, self.act_new_template])
            menu.addSeparator()
            menu.addActions([*self.background_actions, self.act_hosts_needed, self.act_fit])
        return menu

    def _context_menu(self, item: object, pos: object) -> None:
        menu = self.build_context_menu(item if isinstance(item, QGraphicsItem) else None)
        if isinstance(pos, QPoint):
            menu.exec(pos)
        menu.deleteLater()

    def focus_canvas(self) -> None:
        self.canvas.setFocus(Qt.FocusReason.OtherFocusReason)
