"""The main window: assembles the editor, the views, the docks, the menus and the toolbar.

The parts work on one `PlanSession` and know no window: `editor` (canvas and edits),
`files` (open, save, autosave), `exchange` (import and exports), `autoplace` and `whatif`.
The window lays them out, names the plan in its title and asks before closing.
"""

from __future__ import annotations

import gc
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QTabWidget,
    QWidget,
)
from shiboken6 import isValid

from hvplanner.model.plan import VM, Plan
from hvplanner.ui import geometry, templates
from hvplanner.ui.autoplace import Placer
from hvplanner.ui.autoplace_action import AutoPlaceAction
from hvplanner.ui.autosave import Autosave
from hvplanner.ui.dialogs import Asker
from hvplanner.ui.docks import WindowDocks
from hvplanner.ui.editor import PlanEditor
from hvplanner.ui.exchange import ExchangeActions
from hvplanner.ui.files import PlanFiles
from hvplanner.ui.help import HelpActions
from hvplanner.ui.hosttable import HostTable
from hvplanner.ui.i18n import QT_TRANSLATE_NOOP, translate
from hvplanner.ui.inspector import Inspector
from hvplanner.ui.overloads import show_overloads
from hvplanner.ui.palette import Palette
from hvplanner.ui.planjobs import in_background
from hvplanner.ui.session import PlanSession
from hvplanner.ui.summary import SummaryPanel
from hvplanner.ui.theme import add_theme_menu
from hvplanner.ui.toolbar import MainToolBar
from hvplanner.ui.utilization import UtilizationView
from hvplanner.ui.views import EXTRA_VIEWS, link_readiness
from hvplanner.ui.vmlist import VMList
from hvplanner.ui.whatif import WhatIf

# What each tab holds, for screen readers (the tab's title is its name).
VIEW_DESCRIPTIONS = {
    "canvas": QT_TRANSLATE_NOOP(
        "MainWindow", "The plan as host cards with their VMs, to arrange by drag and drop or keys"
    ),
    "vms": QT_TRANSLATE_NOOP(
        "MainWindow", "Every VM entry in a table: the canvas's VMs, sortable and filterable"
    ),
    "hosts": QT_TRANSLATE_NOOP(
        "MainWindow", "Every host in a table: its model, VMs and load per resource, in words"
    ),
    "utilization": QT_TRANSLATE_NOOP("MainWindow", "Simulated CPU, RAM and NIC load over time"),
    "compare": QT_TRANSLATE_NOOP(
        "MainWindow", "KVM, Xen, ESXi, Hyper-V and VirtualBox side by side for this plan"
    ),
    "readiness": QT_TRANSLATE_NOOP(
        "MainWindow", "Whether this machine can run each hypervisor, check by check"
    ),
}


def default_settings() -> QSettings:
    return QSettings("hvplanner", "hvplanner")


def _settle_heap(plan: Plan, opened: bool = False) -> None:
    """The plan, the scene and the window just built live as long as the plan is open:
    out of the collector's reach, a full collection scans only what edits made since. At
    30,000 VMs one over everything took 100–115 ms, the slowest of 200 moves. A small
    plan's heap is collected quickly, and is left as Python keeps it."""
    if opened:
        # The plan that was open is garbage now; what of it was frozen is let go first.
        gc.unfreeze()
        gc.collect()
    if in_background(plan):
        gc.freeze()


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
        self.session = PlanSession(plan, path, self)
        self.doc = self.session.doc
        self.live = self.session.live
        self.asker = asker or Asker(self)
        self.live.series.ask = self.asker.read_outside
        self.settings = settings or default_settings()

        self.editor = PlanEditor(self.session, self.asker)
        self.scene, self.canvas = self.editor.scene, self.editor.canvas
        self.views = QTabWidget()
        self.views.setDocumentMode(True)
        self.view_names: list[str] = []
        self.add_view("canvas", translate("MainWindow", "Layout"), self.editor)
        self.vm_list = VMList(self.editor)
        self.add_view("vms", translate("MainWindow", "VMs"), self.vm_list)
        self.host_table = HostTable(self.editor)
        self.add_view("hosts", translate("MainWindow", "Hosts"), self.host_table)
        for name, (title, factory) in EXTRA_VIEWS.items():
            self.add_view(name, translate("MainWindow", title), factory(self.doc))
        link_readiness(self.session, self.view("readiness"), self.view("compare"))
        self.setCentralWidget(self.views)

        self.palette = Palette()
        self.inspector = Inspector(self.doc)
        self.summary = SummaryPanel(self.doc)
        self.utilization = UtilizationView(self.live)
        self.docks = WindowDocks(self, self.palette, self.inspector, self.summary, self.utilization)
        self.palette_dock, self.inspector_dock = self.docks.palette, self.docks.inspector
        self.summary_dock, self.utilization_dock = self.docks.summary, self.docks.utilization

        autosave = autosave or Autosave()
        self.files = PlanFiles(self.session, self.asker, self.settings, autosave, self)
        self.exchange = ExchangeActions(self.session, self.asker, self.settings, self)
        self.autoplace = AutoPlaceAction(self.session, placer, self)
        self.whatif = WhatIf(self.session, self.asker, lambda: self.utilization.playback.minute)
        self.whatif.setParent(self)
        self.editor.background_actions.append(self.autoplace)
        self.editor.host_menu_hooks.append(self.whatif.add_host_entries)

        self._make_actions()
        self._make_menus()
        ed = self.editor
        self.toolbar = MainToolBar(
            self,
            self.session,
            [self.autoplace, ed.act_hosts_needed],
            [ed.act_zoom_in, ed.act_zoom_out, ed.act_fit],
        )
        self.addToolBar(self.toolbar)
        self.hv_combo = self.toolbar.hv_combo
        self.undo_button, self.redo_button = self.toolbar.undo_button, self.toolbar.redo_button
        self.statusBar().addPermanentWidget(QLabel())
        self.palette.user_templates = templates.load(self.settings)
        self.palette.refresh(self.doc.plan)
        self._connect()
        self.setAcceptDrops(True)
        self._plan_changed(None)
        placed = geometry.restore(self, self.settings)
        # Restored docks keep their saved sizes; else showEvent sizes the bottom ones.
        self._docks_sized = placed == "saved"
        _settle_heap(plan)
        if placed == "refitted":
            self.session.say(
                translate(
                    "MainWindow",
                    "The screen is smaller than when hvplanner last closed: the window "
                    "was fitted to it",
                ),
                10_000,
            )

    def _connect(self) -> None:
        session, editor = self.session, self.editor
        session.status.connect(self._status)
        self._palette_timer = QTimer(self)
        self._palette_timer.setSingleShot(True)
        self._palette_timer.setInterval(150)
        self._palette_timer.timeout.connect(lambda: self.palette.refresh(self.doc.plan))
        self.doc.plan_changed.connect(self._plan_changed)
        self.doc.path_changed.connect(lambda _p: self._update_title())
        self.doc.undo_stack.cleanChanged.connect(lambda _c: self._update_title())
        self.live.updated.connect(self._live_updated)
        self._live_updated(None)
        editor.selection_changed.connect(self._selection_changed)
        editor.edit_requested.connect(self._show_inspector)
        editor.template_created.connect(self.user_templates_add)
        editor.files_dropped.connect(self.files.files_dropped)
        self._selection_changed(*self._selection())
        self.files.opened.connect(self._plan_opened)
        self.files.import_requested.connect(self.exchange.import_inventory)
        self.whatif.failed.connect(self._show_failed)
        self.views.currentChanged.connect(self._view_changed)
        self.palette.new_host_model.connect(editor.new_host_model)
        self.palette.new_template.connect(editor.new_template)
        self.palette.activated.connect(editor.add_from_palette)

    def _status(self, text: str, ms: int) -> None:
        if isValid(self):
            self.statusBar().showMessage(text, ms)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # Sized here, not in __init__: the window's final size is known only when shown.
        if not self._docks_sized:
            self._docks_sized = True
            self.docks.size_bottom()

    # --- views and docks ---------------------------------------------------------------

    def add_view(self, name: str, title: str, widget: QWidget) -> None:
        self.views.addTab(widget, title)
        widget.setAccessibleName(title)
        described = VIEW_DESCRIPTIONS.get(name)
        widget.setAccessibleDescription(translate("MainWindow", described) if described else title)
        self.view_names.append(name)

    def view(self, name: str) -> QWidget | None:
        if name not in self.view_names:
            return None
        return self.views.widget(self.view_names.index(name))

    def show_view(self, name: str) -> bool:
        if name not in self.view_names:
            return False
        self.views.setCurrentIndex(self.view_names.index(name))
        return True

    @property
    def readiness_report(self) -> object | None:
        return self.session.readiness_report

    def _view_changed(self, index: int) -> None:
        self.docks.follow_view(self.views.widget(index) is self.editor)

    # --- actions, menus, toolbar -------------------------------------------------------

    def _make_actions(self) -> None:
        keys = QKeySequence.StandardKey
        self.act_quit = QAction(translate("MainWindow", "&Quit"), self)
        self.act_quit.setShortcut(QKeySequence(keys.Quit))
        self.act_quit.triggered.connect(lambda _c=False: self.close())
        self.act_undo = self.doc.undo_stack.createUndoAction(self, translate("MainWindow", "&Undo"))
        self.act_undo.setShortcut(QKeySequence(keys.Undo))
        self.act_redo = self.doc.undo_stack.createRedoAction(self, translate("MainWindow", "&Redo"))
        self.act_redo.setShortcuts([QKeySequence(keys.Redo), QKeySequence("Ctrl+Y")])
        for action in (
            self.act_quit,
            self.act_undo,
            self.act_redo,
            self.files.act_new,
            self.files.act_open,
            self.files.act_save,
            self.files.act_save_as,
            self.autoplace,
        ):
            self.addAction(action)

    def _make_menus(self) -> None:
        bar, ed = self.menuBar(), self.editor
        file_menu = bar.addMenu(translate("MainWindow", "&File"))
        self.files.add_to(file_menu)
        file_menu.addSeparator()
        self.exchange.add_to(file_menu)
        file_menu.addSeparator()
        file_menu.addAction(self.act_quit)
        edit = bar.addMenu(translate("MainWindow", "&Edit"))
        edit.addActions([self.act_undo, self.act_redo])
        edit.addSeparator()
        for action in ed.edit_actions():
            if action is None:
                edit.addSeparator()
            else:
                edit.addAction(action)
        view = bar.addMenu(translate("MainWindow", "&View"))
        view.addActions([ed.act_zoom_in, ed.act_zoom_out, ed.act_fit])
        view.addSeparator()
        for dock in self.docks.all():
            view.addAction(dock.toggleViewAction())
        view.addSeparator()
        add_theme_menu(view, self.settings)
        plan = bar.addMenu(translate("MainWindow", "&Plan"))
        plan.addActions([ed.act_new_model, ed.act_new_template])
        plan.addSeparator()
        plan.addActions([self.autoplace, ed.act_hosts_needed])
        self.help = HelpActions(self, bar)
        self.help.add_to(bar.addMenu(translate("MainWindow", "&Help")))

    # --- reacting to the session ------------------------------------------------------

    def _plan_changed(self, touched: object) -> None:
        # The palette scans every VM for sizes; after a pause is soon enough.
        self._palette_timer.start()
        self._update_title()

    def _plan_opened(self) -> None:
        _settle_heap(self.doc.plan, opened=True)
        self.scene.clearSelection()
        self._update_title()
        QTimer.singleShot(0, self.canvas.fit)

    def _update_title(self) -> None:
        if not isValid(self):
            return  # the undo stack reports "clean" once more while the window is destroyed
        path = self.doc.path
        where = path.name if path else translate("MainWindow", "not saved")
        self.setWindowTitle(
            translate("MainWindow", "{plan} — {file}[*] — hvplanner").format(
                plan=self.doc.plan.name, file=where
            )
        )
        self.setWindowModified(not self.doc.undo_stack.isClean())

    def _selection(self) -> tuple[list[str], list[str]]:
        return self.scene.selected_vm_ids(), self.scene.selected_host_ids()

    def _selection_changed(self, vms: list[str], hosts: list[str]) -> None:
        if not isValid(self.inspector):
            return
        self.inspector.show_selection(vms, hosts)
        # Host cards show their hosts; VM chips the hosts they sit on.
        wanted = set(vms)
        chosen = [v.host for v in self.doc.plan.vms if v.id in wanted and v.host]
        shown = hosts or list(dict.fromkeys(h for h in chosen if h))
        for view in self.utilization_views():
            view.show_hosts(shown)

    def _show_inspector(self) -> None:
        self.show_view("canvas")
        self.inspector_dock.show()
        self.inspector_dock.raise_()
        self.inspector.focus_editor()

    def utilization_views(self) -> list[UtilizationView]:
        tabs = [self.views.widget(i) for i in range(self.views.count())]
        return [self.utilization, *[w for w in tabs if isinstance(w, UtilizationView)]]

    def _live_updated(self, touched: object) -> None:
        from hvplanner.text import clock

        live = self.live.live
        hosts = touched if isinstance(touched, frozenset) else None
        if hosts is None and live is not None:
            _settle_heap(self.doc.plan)  # a new simulation: thousands of summaries that stay
        show_overloads(live, self.scene.cards, self.summary, hosts)
        if live is None:
            self.summary.set_failover(None)
        else:
            self.summary.set_failover(live.failover, clock(live.fail_minute))

    def _show_failed(self, hosts: list[str]) -> None:
        for view in self.utilization_views():
            view.show_hosts(hosts)
        if not isinstance(self.views.currentWidget(), UtilizationView):
            self.utilization_dock.show()

    def user_templates_add(self, template: VM) -> None:
        self.palette.user_templates = templates.add(self.settings, template)
        self.palette.refresh(self.doc.plan)

    # --- files dropped, closing -------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        files = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if files:
            event.acceptProposedAction()
            self.files.files_dropped(files)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.autoplace.shutdown()
        self.exchange.shutdown()
        self.live.series.shutdown()
        if not self.files.maybe_save():
            event.ignore()
            return
        self.files.close()
        self._save_layout()
        self.live.builder.shutdown()
        self.summary.sizer.shutdown()
        event.accept()

    def _save_layout(self) -> None:
        # Saved as the Layout tab shows them: the other tabs hide the palette and inspector.
        self.docks.restore()
        geometry.save(self, self.settings)
