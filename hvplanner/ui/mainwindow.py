"""The main window: canvas in the centre, palette, inspector and summary docks, menus."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QPoint, QSettings, Qt, QTimer, SignalInstance
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QGraphicsItem,
    QLabel,
    QMainWindow,
    QMenu,
    QProgressDialog,
    QTabWidget,
    QToolButton,
    QWidget,
)
from shiboken6 import isValid

from hvplanner.catalog import load_catalog
from hvplanner.engine.assumptions import resolve
from hvplanner.engine.livemove import estimate_moves, move_note
from hvplanner.engine.placement.layout import hosts_in_use, lower_bounds
from hvplanner.engine.sizing import plan_host_model, size_plan
from hvplanner.errors import InputError
from hvplanner.formats.planfile import PLAN_SUFFIX, load_plan, save_plan
from hvplanner.model.plan import VM, HostModel, Plan
from hvplanner.text import clock, plural
from hvplanner.ui.autoplace import AutoPlaceRunner, Placer
from hvplanner.ui.autosave import AUTOSAVE_INTERVAL_MS, Autosave
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
    ReplacePlanCommand,
    SetHypervisorCommand,
)
from hvplanner.ui.dialogs import Asker
from hvplanner.ui.document import EditRefusedError, PlanDocument
from hvplanner.ui.exchange import ExchangeActions
from hvplanner.ui.inspector import Inspector
from hvplanner.ui.palette import Palette
from hvplanner.ui.summary import SummaryPanel
from hvplanner.ui.utilization import LiveSource, UtilizationView
from hvplanner.ui.views import EXTRA_VIEWS

MAX_RECENT = 8
# The bottom docks' share of the window's height: the canvas gets the most room.
BOTTOM_SHARE = 0.27
SUMMARY_H = 170


def default_settings() -> QSettings:
    return QSettings("hvplanner", "hvplanner")


class MainWindow(QMainWindow):
    def __init__(
        self,
        plan: Plan,
        path: Path | None = None,
        *,
        asker: Asker | None = None,
        autosave: Autosave | None = None,
        placer: Placer | None = None,
        settings: QSettings | None = None,
    ) -> None:
        super().__init__()
        self.doc = PlanDocument(plan, path, self)
        self.asker = asker or Asker(self)
        self.autosave = autosave or Autosave()
        self.settings = settings or default_settings()
        self.placer = placer
        self.runner: AutoPlaceRunner | None = None
        self.progress: QProgressDialog | None = None

        # Before the views: the Utilization tab, the dock and the cards share this one.
        self.live = LiveSource.for_document(self.doc)
        self.scene = PlanScene(self.doc, ask_count=self.asker.count)
        self.scene.setParent(self)
        self.canvas = PlanView(self.scene)
        self.views = QTabWidget()
        self.views.setDocumentMode(True)
        self.view_names: list[str] = []
        self.add_view("canvas", "Layout", self.canvas)
        for name, (title, factory) in EXTRA_VIEWS.items():
            self.add_view(name, title, factory(self.doc))
        self.readiness_report: object | None = None
        self._link_readiness()
        self.setCentralWidget(self.views)

        self.palette = Palette()
        self.inspector = Inspector(self.doc)
        self.summary = SummaryPanel(self.doc)
        self.palette_dock = self._dock(
            "Palette", self.palette, Qt.DockWidgetArea.LeftDockWidgetArea
        )
        self.inspector_dock = self._dock(
            "Inspector", self.inspector, Qt.DockWidgetArea.RightDockWidgetArea
        )
        self.summary_dock = self._dock(
            "Summary", self.summary, Qt.DockWidgetArea.BottomDockWidgetArea
        )
        self.utilization = UtilizationView(self.live)
        self.utilization_dock = self._dock(
            "Utilization", self.utilization, Qt.DockWidgetArea.BottomDockWidgetArea
        )
        self.splitDockWidget(self.summary_dock, self.utilization_dock, Qt.Orientation.Horizontal)
        self._docks_shown: dict[QDockWidget, bool] | None = None
        self.hv_combo = QComboBox()
        self.hv_combo.setToolTip("Hypervisor: its limits and overheads apply to every host")
        for profile in load_catalog().ordered():
            self.hv_combo.addItem(profile.title, profile.key)
        self.hv_combo.activated.connect(self._hypervisor_chosen)

        self._make_actions()
        self._make_menus()
        self._make_toolbar()
        self.statusBar().addPermanentWidget(QLabel())
        self._load_user_templates()

        self._palette_timer = QTimer(self)
        self._palette_timer.setSingleShot(True)
        self._palette_timer.setInterval(150)
        self._palette_timer.timeout.connect(lambda: self.palette.refresh(self.doc.plan))
        self.doc.plan_changed.connect(self._plan_changed)
        self.doc.path_changed.connect(lambda _p: self._update_title())
        self.doc.refused.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.doc.undo_stack.cleanChanged.connect(lambda _c: self._update_title())
        self.scene.status.connect(lambda text: self.statusBar().showMessage(text, 6000))
        # Selecting many chips emits once per chip; one refresh per event-loop turn is enough.
        self._selection_timer = QTimer(self)
        self._selection_timer.setSingleShot(True)
        self._selection_timer.setInterval(0)
        self._selection_timer.timeout.connect(self._selection_changed)
        self.scene.selectionChanged.connect(self._selection_timer.start)
        self.scene.vms_moved.connect(self._vms_moved)
        self.live.updated.connect(self._live_updated)
        self.views.currentChanged.connect(self._view_changed)
        self.scene.edit_requested.connect(self._edit_requested)
        self.canvas.files_dropped.connect(self._files_dropped)
        self.canvas.context_menu.connect(self._context_menu)
        self.palette.new_host_model.connect(self.new_host_model)
        self.palette.new_template.connect(self.new_template)
        self.palette.activated.connect(self._palette_activated)

        self.autosave_timer = QTimer(self)
        self.autosave_timer.setInterval(AUTOSAVE_INTERVAL_MS)
        self.autosave_timer.timeout.connect(self.autosave_now)
        self.autosave_timer.start()

        self.setAcceptDrops(True)
        self._plan_changed(None)
        self._selection_changed()
        self._live_updated(None)
        self._docks_sized = False
        self.resizeDocks(
            [self.summary_dock, self.utilization_dock], [700, 900], Qt.Orientation.Horizontal
        )
        self.resizeDocks(
            [self.palette_dock, self.inspector_dock], [260, 300], Qt.Orientation.Horizontal
        )
        self.resize(1600, 1000)

    def _bottom_h(self) -> int:
        return max(SUMMARY_H, int(self.height() * BOTTOM_SHARE))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # Sized here, not in __init__: the window's final size is known only when shown.
        if not self._docks_sized:
            self._docks_sized = True
            self.resizeDocks([self.summary_dock], [self._bottom_h()], Qt.Orientation.Vertical)

    # --- construction --------------------------------------------------------------

    def add_view(self, name: str, title: str, widget: QWidget) -> None:
        self.views.addTab(widget, title)
        self.view_names.append(name)

    def view(self, name: str) -> QWidget | None:
        if name not in self.view_names:
            return None
        return self.views.widget(self.view_names.index(name))

    def _link_readiness(self) -> None:
        """One workstation check feeds both the readiness tab and the comparison's row."""
        from hvplanner.ui.compare.view import CompareView
        from hvplanner.ui.readiness_panel import ReadinessPanel

        panel, compare = self.view("readiness"), self.view("compare")
        if not isinstance(panel, ReadinessPanel):
            return

        def finished(report: object) -> None:
            self.readiness_report = report
            if isinstance(compare, CompareView):
                verdicts = getattr(report, "verdicts", {})
                compare.set_readiness(
                    {fam: (v.status, list(v.reasons)) for fam, v in verdicts.items()}
                )

        panel.check_finished.connect(finished)
        if isinstance(compare, CompareView):
            compare.runCheckRequested.connect(panel.run_check)

    def show_view(self, name: str) -> bool:
        if name not in self.view_names:
            return False
        self.views.setCurrentIndex(self.view_names.index(name))
        return True

    def _dock(self, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(title.lower())
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

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
        self.act_new = self._action("&New", self.new_plan, keys.New)
        self.act_open = self._action("&Open…", self.open_dialog, keys.Open)
        self.act_save = self._action("&Save", self.save, keys.Save)
        self.act_save_as = self._action("Save &As…", self.save_as, keys.SaveAs)
        self.act_quit = self._action("&Quit", self.close, keys.Quit)
        self.act_undo = self.doc.undo_stack.createUndoAction(self, "&Undo")
        self.act_undo.setShortcut(QKeySequence(keys.Undo))
        self.act_redo = self.doc.undo_stack.createRedoAction(self, "&Redo")
        self.act_redo.setShortcuts([QKeySequence(keys.Redo), QKeySequence("Ctrl+Y")])
        # The toolbar's buttons keep a fixed label (the menu's name the command): a label that
        # changes with every edit makes the toolbar jump.
        stack = self.doc.undo_stack
        self.undo_button = self._history_button("Undo", stack.undo, stack.canUndoChanged)
        self.redo_button = self._history_button("Redo", stack.redo, stack.canRedoChanged)
        stack.undoTextChanged.connect(lambda t: self._history_tip(self.undo_button, "Undo", t))
        stack.redoTextChanged.connect(lambda t: self._history_tip(self.redo_button, "Redo", t))
        self.act_delete = self._action("&Delete", self.delete_selection, keys.Delete)
        self.act_duplicate = self._action("D&uplicate", self.duplicate_selection, "Ctrl+D")
        self.act_edit = self._action("&Edit Properties", self.edit_selection, "F2")
        self.act_pin = self._action("&Pin to Host", lambda: self.pin_selection(True), "Ctrl+P")
        self.act_unpin = self._action("U&npin", lambda: self.pin_selection(False), "Ctrl+Shift+P")
        self.act_to_tray = self._action("Move to &Unplaced", self.unplace_selection, "Ctrl+U")
        self.act_expand = self._action("E&xpand Group", self.expand_selection)
        self.act_select_all = self._action("Select &All", self.select_all, keys.SelectAll)
        self.act_zoom_in = self._action("Zoom &In", self.canvas.zoom_in, keys.ZoomIn)
        self.act_zoom_out = self._action("Zoom &Out", self.canvas.zoom_out, keys.ZoomOut)
        self.act_fit = self._action("&Fit Plan", self.canvas.fit, "Ctrl+0")
        self.act_new_model = self._action("New &Host Model…", self.new_host_model)
        self.act_new_template = self._action("New &VM Template…", self.new_template)
        self.act_autoplace = self._action(
            "&Auto-place",
            self.auto_place,
            "Ctrl+R",
            "Place every unpinned VM onto the hosts (runs in the background)",
        )
        self.act_hosts_needed = self._action(
            "Add Hosts &Needed",
            self.add_hosts_needed,
            None,
            "Add hosts of the plan's host model until there are as many as the sizing needs",
        )
        if self.placer is None:
            self.act_autoplace.setEnabled(False)
            self.act_autoplace.setToolTip("Auto-place: the placement engine is not installed yet")

    @staticmethod
    def _history_button(
        text: str, slot: Callable[[], object], can_changed: SignalInstance
    ) -> QToolButton:
        # A plain button, not an action in the toolbar: Qt 6.11's toolbar button connects to
        # its action again on every change of the action, and these change with every edit
        # (about 1.2 KB a move+undo in bench/gui.py, never freed).
        button = QToolButton()
        button.setText(text)
        button.setAutoRaise(True)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.setEnabled(False)
        button.setToolTip(f"Nothing to {text.lower()}")
        button.clicked.connect(lambda _checked=False: slot())
        can_changed.connect(button.setEnabled)
        return button

    @staticmethod
    def _history_tip(button: QToolButton, verb: str, command: str) -> None:
        button.setToolTip(f"{verb}: {command}" if command else f"Nothing to {verb.lower()}")

    def _make_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addActions([self.act_new, self.act_open])
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        file_menu.addSeparator()
        file_menu.addActions([self.act_save, self.act_save_as])
        file_menu.addSeparator()
        self.exchange = ExchangeActions(self)
        self.exchange.add_to(file_menu)
        file_menu.addSeparator()
        file_menu.addAction(self.act_quit)
        edit = bar.addMenu("&Edit")
        edit.addActions([self.act_undo, self.act_redo])
        edit.addSeparator()
        edit.addActions([self.act_edit, self.act_duplicate, self.act_delete])
        edit.addSeparator()
        edit.addActions([self.act_pin, self.act_unpin, self.act_to_tray, self.act_expand])
        edit.addSeparator()
        edit.addAction(self.act_select_all)
        view = bar.addMenu("&View")
        view.addActions([self.act_zoom_in, self.act_zoom_out, self.act_fit])
        view.addSeparator()
        for dock in (
            self.palette_dock,
            self.inspector_dock,
            self.summary_dock,
            self.utilization_dock,
        ):
            view.addAction(dock.toggleViewAction())
        plan = bar.addMenu("&Plan")
        plan.addActions([self.act_new_model, self.act_new_template])
        plan.addSeparator()
        plan.addActions([self.act_autoplace, self.act_hosts_needed])

    def _make_toolbar(self) -> None:
        tb = self.addToolBar("Main")
        tb.setObjectName("main-toolbar")
        tb.setMovable(False)
        tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        tb.addWidget(QLabel(" Hypervisor: "))
        tb.addWidget(self.hv_combo)
        tb.addSeparator()
        tb.addActions([self.act_autoplace, self.act_hosts_needed])
        tb.addSeparator()
        tb.addWidget(self.undo_button)
        tb.addWidget(self.redo_button)
        tb.addSeparator()
        tb.addActions([self.act_zoom_in, self.act_zoom_out, self.act_fit])

    # --- reacting to the document ------------------------------------------------------

    def _plan_changed(self, touched: object) -> None:
        plan = self.doc.plan
        # The palette scans every VM for sizes; after a pause is soon enough.
        self._palette_timer.start()
        i = self.hv_combo.findData(plan.hypervisor)
        if i != self.hv_combo.currentIndex():
            self.hv_combo.setCurrentIndex(i)
        self._update_title()

    def _update_title(self) -> None:
        path = self.doc.path
        where = path.name if path else "not saved"
        self.setWindowTitle(f"{self.doc.plan.name} — {where}[*] — hvplanner")
        self.setWindowModified(not self.doc.undo_stack.isClean())

    def flush_selection(self) -> None:
        """Applies a pending selection change now (actions read the enabled state)."""
        if self._selection_timer.isActive():
            self._selection_timer.stop()
            self._selection_changed()

    def _selection_changed(self) -> None:
        if not isValid(self.scene) or not isValid(self.inspector):
            return  # the scene empties itself while the window is being destroyed
        vms = self.scene.selected_vm_ids()
        hosts = self.scene.selected_host_ids()
        self.inspector.show_selection(vms, hosts)
        wanted = set(vms)
        chosen = [v for v in self.doc.plan.vms if v.id in wanted]
        self.act_delete.setEnabled(bool(vms or hosts))
        self.act_duplicate.setEnabled(bool(vms or hosts))
        self.act_pin.setEnabled(any(v.host and not v.pinned for v in chosen))
        self.act_unpin.setEnabled(any(v.pinned for v in chosen))
        self.act_to_tray.setEnabled(any(v.host for v in chosen))
        self.act_expand.setEnabled(len(chosen) == 1 and chosen[0].count > 1)
        # Host cards show their hosts; VM chips the hosts they sit on.
        shown = hosts or list(dict.fromkeys(v.host for v in chosen if v.host))
        for view in self.utilization_views():
            view.show_hosts(shown)

    # --- live utilization -------------------------------------------------------------

    def utilization_views(self) -> list[UtilizationView]:
        tabs = [self.views.widget(i) for i in range(self.views.count())]
        return [self.utilization, *[w for w in tabs if isinstance(w, UtilizationView)]]

    def _live_updated(self, touched: object) -> None:
        live = self.live.live
        if live is None:
            for card in self.scene.cards.values():
                card.set_live(None)
            self.summary.set_failover(None)
            return
        known = live.sim.host_index
        ids = [h for h in self.scene.cards if h in known]
        if isinstance(touched, frozenset):
            ids = [h for h in ids if h in touched]
        for hid, sparks in live.sparks(ids).items():
            at = live.failed_at(hid)
            self.scene.cards[hid].set_live(sparks, "" if at is None else f"failed {clock(at)}")
        self.summary.set_failover(live.failover, clock(live.fail_minute))

    def fail_hosts(self, hosts: list[str], minute: float) -> bool:
        """Sets the what-if and shows the failed hosts with those their VMs restart on."""
        if self.live.pending:
            self.live.refresh_now()
        try:
            self.live.fail(hosts, minute)
        except ValueError as exc:
            self.statusBar().showMessage(f"Cannot fail {', '.join(hosts)}: {exc}", 8000)
            return False
        live = self.live.live
        failover = live.failover if live is not None else None
        if failover is None:
            return False
        targets = [r.to_host for r in failover.restarted if r.to_host is not None]
        for view in self.utilization_views():
            view.show_hosts([*failover.failed_hosts, *targets])
        if not isinstance(self.views.currentWidget(), UtilizationView):
            self.utilization_dock.show()
        verdict = "held" if failover.held else "NOT held"
        down = ", ".join(failover.failed_hosts)
        self.statusBar().showMessage(
            f"What-if: {down} {'fails' if len(failover.failed_hosts) == 1 else 'fail'} at "
            f"{clock(failover.at_minute)}: "
            f"N+{failover.failover_hosts_planned} {verdict} (see Summary)",
            10000,
        )
        return True

    def fail_host_dialog(self, host_id: str) -> None:
        live = self.live.live
        if live is None:
            self.statusBar().showMessage(self.live.error or "No simulation", 6000)
            return
        default = live.fail_minute if live.failed_hosts else self.utilization.playback.minute
        minute = self.asker.fail_time(host_id, live.days, default)
        if minute is not None:
            self.fail_hosts([*live.failed_hosts, host_id], minute)

    def clear_failure(self, host_id: str | None = None) -> None:
        self.live.clear_failure(None if host_id is None else [host_id])

    def _vms_moved(self, before: object, vm_ids: object, host: str) -> None:
        if not isinstance(before, Plan) or not isinstance(vm_ids, list):
            return
        note = move_note(estimate_moves(before, [str(v) for v in vm_ids], host))
        if note:
            self.statusBar().showMessage(f"Moved to {host}. {note}", 15000)

    def _layout_docks(self) -> list[QDockWidget]:
        return [self.palette_dock, self.inspector_dock, self.utilization_dock]

    def _view_changed(self, index: int) -> None:
        # The palette, inspector and plots serve the layout (the Utilization tab shows the
        # plots large); the other views get the whole width. What the user had open comes
        # back with the layout.
        on_layout = self.views.widget(index) is self.canvas
        if not on_layout and self._docks_shown is None:
            self._docks_shown = {d: d.isVisible() for d in self._layout_docks()}
            for dock in self._layout_docks():
                dock.hide()
            self.resizeDocks([self.summary_dock], [SUMMARY_H], Qt.Orientation.Vertical)
        elif on_layout and self._docks_shown is not None:
            for dock, shown in self._docks_shown.items():
                dock.setVisible(shown)
            self._docks_shown = None
            self.resizeDocks([self.summary_dock], [self._bottom_h()], Qt.Orientation.Vertical)

    # --- edits ----------------------------------------------------------------------

    def push(self, make: Callable[[], object]) -> bool:
        """Builds a command and pushes it; a refused or invalid edit goes to the status bar."""
        try:
            cmd = make()
        except EditRefusedError as exc:
            self.doc.refused.emit(str(exc))
            return False
        except ValueError as exc:
            self.doc.refused.emit(f"Refused: {exc}")
            return False
        self.doc.push(cmd)  # type: ignore[arg-type]
        return True

    def delete_selection(self) -> None:
        vms, hosts = self.scene.selected_vm_ids(), self.scene.selected_host_ids()
        if not vms and not hosts:
            return
        stack = self.doc.undo_stack
        if vms and hosts:
            # Two edits, one undo step: VMs first, so a host's own VMs are not sent to the tray.
            stack.beginMacro(f"Delete {len(vms)} VMs and {len(hosts)} hosts")
            self.push(lambda: RemoveCommand(self.doc, vm_ids=vms))
            self.push(lambda: RemoveCommand(self.doc, host_ids=hosts))
            stack.endMacro()
        else:
            self.push(lambda: RemoveCommand(self.doc, vms, hosts))

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
            items += [
                c
                for box in [self.scene.tray, *self.scene.cards.values()]
                for c in box.chips
                if c.vm.id in new_vms
            ]
        if select and items:
            self.scene.clearSelection()
            for item in items:
                item.setSelected(True)
        self.canvas.reveal(items)
        return True

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

    def expand_selection(self) -> None:
        vms = self.scene.selected_vm_ids()
        if len(vms) == 1:
            self.push(lambda: ExpandGroupCommand(self.doc, vms[0]))

    def select_all(self) -> None:
        # One selectionChanged for the lot, not one per chip.
        blocked = self.scene.blockSignals(True)
        try:
            for item in self.scene.items():
                if isinstance(item, VMChip):
                    item.setSelected(True)
        finally:
            self.scene.blockSignals(blocked)
        self.scene.selectionChanged.emit()

    def edit_selection(self) -> None:
        self.show_view("canvas")
        self.inspector_dock.show()
        self.inspector_dock.raise_()
        self.inspector.focus_editor()

    def _edit_requested(self, kind: str, ident: str) -> None:
        item = self.scene.chip(ident) if kind == "vm" else self.scene.cards.get(ident)
        if item is not None:
            self.scene.clearSelection()
            item.setSelected(True)
        self.edit_selection()

    def _hypervisor_chosen(self, index: int) -> None:
        key = self.hv_combo.itemData(index)
        if key and key != self.doc.plan.hypervisor:
            self.push(lambda: SetHypervisorCommand(self.doc, key))

    def new_host_model(self) -> None:
        model = self.asker.new_host_model({m.id for m in self.doc.plan.host_models})
        if model is not None:
            self.push(lambda: AddHostModelCommand(self.doc, model))

    def new_template(self) -> None:
        template = self.asker.new_template()
        if template is not None:
            self.user_templates_add(template)

    def _palette_activated(self, payload: object) -> None:
        if isinstance(payload, HostModel):
            self.push_and_show(lambda: AddHostCommand(self.doc, payload))
        elif isinstance(payload, VM):
            self.push_and_show(lambda: AddVMCommand(self.doc, payload, None))

    def add_hosts_needed(self) -> None:
        plan = self.doc.plan
        if not plan.host_models:
            self.statusBar().showMessage("Add a host model first (Plan ▸ New Host Model…)", 6000)
            return
        result = size_plan(plan, self.doc.profile)
        missing = result.hosts - len(plan.hosts)
        if missing <= 0:
            self.statusBar().showMessage(
                f"The plan already has the {result.hosts} hosts the sizing needs", 6000
            )
            return
        model = plan_host_model(plan)
        self.push_and_show(
            lambda: AddHostCommand(
                self.doc, model, missing, f"Add {missing} hosts needed by the sizing"
            )
        )

    # --- auto-place -------------------------------------------------------------------

    def auto_place(self) -> None:
        if self.placer is None or (self.runner is not None and self.runner.running):
            return
        self.runner = AutoPlaceRunner(self.placer, self)
        self.progress = QProgressDialog("Placing VMs…", "Cancel", 0, 100, self)
        self.progress.setWindowTitle("Auto-place")
        self.progress.setMinimumDuration(300)
        self.progress.canceled.connect(self.runner.cancel)
        self.runner.progressed.connect(self._placement_progress)
        self.runner.finished.connect(self._placement_done)
        self.runner.failed.connect(self._placement_failed)
        self.runner.cancelled.connect(self._placement_cancelled)
        self.act_autoplace.setEnabled(False)
        self._placing_from = self.doc.plan
        self.runner.start(self.doc.plan, self.doc.profile)

    def _placement_progress(self, percent: int, text: str) -> None:
        if self.progress is not None:
            self.progress.setValue(percent)
            if text:
                self.progress.setLabelText(text)

    def _placement_over(self, message: str) -> None:
        if self.progress is not None:
            self.progress.reset()
            self.progress.deleteLater()
            self.progress = None
        self.act_autoplace.setEnabled(self.placer is not None)
        self.statusBar().showMessage(message, 8000)

    def _placement_done(self, plan: object) -> None:
        if not isinstance(plan, Plan):
            self._placement_over("Auto-place returned no plan")
            return
        if self.doc.plan is not self._placing_from:
            self._placement_over("The plan changed while placing; Auto-place result discarded")
            return
        before = self._placing_from
        self.doc.push(ReplacePlanCommand(self.doc, "Auto-place", plan))
        self._placement_over(f"Auto-place done: {self._placement_change(before, plan)}")

    def _placement_change(self, before: Plan, after: Plan) -> str:
        """Hosts in use before → after against the lower bound, and what that means."""
        was, now = hosts_in_use(before), hosts_in_use(after)
        try:
            bound = lower_bounds(after, resolve(after.policy, self.doc.profile)).best
        except InputError:
            bound = 0
        text = f"{was} → {plural(now, 'host')} in use"
        if bound:
            text += f" (lower bound {bound})"
        notes = []
        if len(after.hosts) > len(before.hosts):
            notes.append(f"added {plural(len(after.hosts) - len(before.hosts), 'host')}")
        if now > was:
            notes.append("uses more hosts than before")
        if bound and now > bound:
            notes.append(f"{plural(now - bound, 'host')} above the bound")
        if notes:
            text += ": " + ", ".join(notes)
        return text + ". Undo reverts it in one step."

    def _placement_failed(self, text: str) -> None:
        self._placement_over(f"Auto-place failed: {text}")

    def _placement_cancelled(self) -> None:
        self._placement_over("Auto-place cancelled; the plan is unchanged")

    # --- files ----------------------------------------------------------------------

    def maybe_save(self) -> bool:
        """True when the open plan may be closed (saved, discarded, or clean)."""
        if self.doc.undo_stack.isClean():
            return True
        answer = self.asker.save_changes(self.doc.plan.name)
        if answer == "save":
            return self.save()
        return answer == "discard"

    def new_plan(self) -> None:
        if not self.maybe_save():
            return
        self.doc.reset(Plan(name="Untitled plan", hypervisor=self.doc.plan.hypervisor), None)
        self.autosave.clear()
        QTimer.singleShot(0, self.canvas.fit)

    def open_dialog(self) -> None:
        if not self.maybe_save():
            return
        folder = str(self.doc.path.parent) if self.doc.path else ""
        path = self.asker.open_path(folder)
        if path is not None:
            self.open_path(path, ask=False)

    def open_path(self, path: Path, ask: bool = True) -> bool:
        """Opens a plan; on any problem says what it is and leaves the open plan as it was."""
        if ask and not self.maybe_save():
            return False
        try:
            plan = load_plan(path)
            self.doc.reset(plan, path)
        except InputError as exc:
            self.asker.error("Cannot open the plan", str(exc))
            return False
        self.autosave.clear()
        self._add_recent(path)
        self.scene.clearSelection()
        QTimer.singleShot(0, self.canvas.fit)
        self.statusBar().showMessage(f"Opened {path}", 5000)
        return True

    def save(self) -> bool:
        if self.doc.path is None:
            return self.save_as()
        return self._write(self.doc.path)

    def save_as(self) -> bool:
        suggestion = str(self.doc.path or Path.home() / f"plan{PLAN_SUFFIX}")
        path = self.asker.save_path(suggestion)
        return path is not None and self._write(path)

    def _write(self, path: Path) -> bool:
        try:
            save_plan(self.doc.plan, path)
        except OSError as exc:
            self.asker.error("Cannot save the plan", f"{path}: {exc.strerror or exc}")
            return False
        self.doc.set_path(path)
        self.doc.undo_stack.setClean()
        self.autosave.clear()
        self._add_recent(path)
        self.statusBar().showMessage(f"Saved {path}", 5000)
        return True

    def recent_files(self) -> list[str]:
        value = self.settings.value("recent", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in value or []]

    def _add_recent(self, path: Path) -> None:
        p = str(path.resolve())
        recent = [p, *[r for r in self.recent_files() if r != p]][:MAX_RECENT]
        self.settings.setValue("recent", recent)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        recent = self.recent_files()
        if not recent:
            self.recent_menu.addAction("(none)").setEnabled(False)
        for r in recent:
            self.recent_menu.addAction(r, lambda r=r: self.open_path(Path(r)))

    def autosave_now(self) -> None:
        if not self.doc.undo_stack.isClean():
            try:
                self.autosave.write(self.doc.plan, self.doc.path)
            except OSError as exc:
                self.statusBar().showMessage(f"Autosave failed: {exc}", 8000)

    def offer_recovery(self) -> bool:
        pending = self.autosave.pending()
        if pending is None:
            return False
        plan, source = pending
        if not self.asker.recover(source):
            self.autosave.clear()
            return False
        try:
            self.doc.reset(plan, source)
        except InputError as exc:
            self.asker.error("Cannot recover", str(exc))
            self.autosave.clear()
            return False
        # The recovered plan differs from the file on disk: mark it unsaved.
        self.doc.undo_stack.resetClean()
        self._update_title()
        QTimer.singleShot(0, self.canvas.fit)
        return True

    def _files_dropped(self, files: list[str]) -> None:
        if files and files[0].lower().endswith((".csv", ".tsv")):
            self.exchange.import_inventory(Path(files[0]))
        elif files:
            self.open_path(Path(files[0]))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        files = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if files:
            event.acceptProposedAction()
            self._files_dropped(files)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.runner is not None and self.runner.running:
            self.runner.cancel()
            self.runner.wait()
        self.exchange.shutdown()
        if not self.maybe_save():
            event.ignore()
            return
        self.autosave.clear()
        self.autosave_timer.stop()
        event.accept()

    # --- user templates ---------------------------------------------------------------

    def _load_user_templates(self) -> None:
        raw = self.settings.value("templates", [])
        if isinstance(raw, str):
            raw = [raw]
        templates: list[VM] = []
        for text in raw or []:
            try:
                templates.append(VM.model_validate_json(str(text)))
            except ValueError:
                continue
        self.palette.user_templates = templates
        self.palette.refresh(self.doc.plan)

    def user_templates_add(self, template: VM) -> None:
        self.palette.user_templates.append(template)
        self.settings.setValue(
            "templates", [t.model_dump_json() for t in self.palette.user_templates]
        )
        self.palette.refresh(self.doc.plan)

    # --- context menus ----------------------------------------------------------------

    def build_context_menu(self, item: QGraphicsItem | None) -> QMenu:
        self.flush_selection()  # the menu's actions are enabled for the item just selected
        menu = QMenu(self)
        if isinstance(item, VMChip):
            menu.addActions([self.act_edit, self.act_duplicate])
            menu.addSeparator()
            menu.addActions([self.act_pin, self.act_unpin, self.act_to_tray, self.act_expand])
            menu.addSeparator()
            menu.addAction(self.act_delete)
        elif isinstance(item, HostCard):
            menu.addActions([self.act_edit, self.act_duplicate, self.act_delete])
            menu.addSeparator()
            hid = item.host_id
            live = self.live.live
            fail = menu.addAction("Fail This Host at…", lambda: self.fail_host_dialog(hid))
            fail.setStatusTip("What-if: this host stops; its VMs restart on the others")
            fail.setEnabled(live is not None)
            clear = menu.addAction("Clear Failure", lambda: self.clear_failure(hid))
            clear.setEnabled(live is not None and hid in live.failed_hosts)
        else:
            add = menu.addMenu("Add Host")
            for m in self.doc.plan.host_models:
                add.addAction(
                    m.label, lambda m=m: self.push_and_show(lambda: AddHostCommand(self.doc, m))
                )
            add.setEnabled(bool(self.doc.plan.host_models))
            menu.addActions([self.act_new_model, self.act_new_template])
            menu.addSeparator()
            menu.addActions([self.act_autoplace, self.act_hosts_needed, self.act_fit])
        return menu

    def _context_menu(self, item: object, pos: object) -> None:
        menu = self.build_context_menu(item if isinstance(item, QGraphicsItem) else None)
        if isinstance(pos, QPoint):
            menu.exec(pos)
        menu.deleteLater()
