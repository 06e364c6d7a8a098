"""The main window: assembles the editor, the views, the docks, the menus and the toolbar.

The parts work on one `PlanSession` and know no window: `editor` (canvas and edits),
`files` (open, save, autosave), `exchange` (import and exports), `autoplace` and `whatif`.
The window lays them out, names the plan in its title and asks before closing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer, SignalInstance
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
    QLabel,
    QMainWindow,
    QTabWidget,
    QToolButton,
    QWidget,
)
from shiboken6 import isValid

from hvplanner.catalog import load_catalog
from hvplanner.model.plan import VM, Plan
from hvplanner.ui import geometry
from hvplanner.ui.autoplace import Placer
from hvplanner.ui.autoplace_action import AutoPlaceAction
from hvplanner.ui.autosave import Autosave
from hvplanner.ui.commands import SetHypervisorCommand
from hvplanner.ui.dialogs import Asker
from hvplanner.ui.editor import PlanEditor
from hvplanner.ui.exchange import ExchangeActions
from hvplanner.ui.files import PlanFiles
from hvplanner.ui.help import HelpActions
from hvplanner.ui.inspector import Inspector
from hvplanner.ui.palette import Palette
from hvplanner.ui.session import PlanSession
from hvplanner.ui.summary import SummaryPanel
from hvplanner.ui.utilization import UtilizationView
from hvplanner.ui.views import EXTRA_VIEWS
from hvplanner.ui.whatif import WhatIf

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
        self.session = PlanSession(plan, path, self)
        self.doc = self.session.doc
        self.live = self.session.live
        self.asker = asker or Asker(self)
        self.settings = settings or default_settings()

        self.editor = PlanEditor(self.session, self.asker)
        self.scene, self.canvas = self.editor.scene, self.editor.canvas
        self.views = QTabWidget()
        self.views.setDocumentMode(True)
        self.view_names: list[str] = []
        self.add_view("canvas", "Layout", self.editor)
        for name, (title, factory) in EXTRA_VIEWS.items():
            self.add_view(name, title, factory(self.doc))
        self._link_readiness()
        self.setCentralWidget(self.views)

        self.palette = Palette()
        self.inspector = Inspector(self.doc)
        self.summary = SummaryPanel(self.doc)
        self.utilization = UtilizationView(self.live)
        left, right = Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea
        bottom = Qt.DockWidgetArea.BottomDockWidgetArea
        self.palette_dock = self._dock("Palette", self.palette, left)
        self.inspector_dock = self._dock("Inspector", self.inspector, right)
        self.summary_dock = self._dock("Summary", self.summary, bottom)
        self.utilization_dock = self._dock("Utilization", self.utilization, bottom)
        self.splitDockWidget(self.summary_dock, self.utilization_dock, Qt.Orientation.Horizontal)
        self._docks_shown: dict[QDockWidget, bool] | None = None

        autosave = autosave or Autosave()
        self.files = PlanFiles(self.session, self.asker, self.settings, autosave, self)
        self.exchange = ExchangeActions(self.session, self.asker, self.settings, self)
        self.autoplace = AutoPlaceAction(self.session, placer, self)
        self.whatif = WhatIf(self.session, self.asker, lambda: self.utilization.playback.minute)
        self.whatif.setParent(self)
        self.editor.background_actions.append(self.autoplace)
        self.editor.host_menu_hooks.append(self.whatif.add_host_entries)
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
        self._connect()
        self.setAcceptDrops(True)
        self._plan_changed(None)
        self.resizeDocks(
            [self.summary_dock, self.utilization_dock], [700, 900], Qt.Orientation.Horizontal
        )
        self.resizeDocks(
            [self.palette_dock, self.inspector_dock], [260, 300], Qt.Orientation.Horizontal
        )
        # Restored docks keep their saved sizes; else showEvent sizes the bottom ones.
        self._docks_sized = geometry.restore(self, self.settings)

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

    def _bottom_h(self) -> int:
        return max(SUMMARY_H, int(self.height() * BOTTOM_SHARE))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # Sized here, not in __init__: the window's final size is known only when shown.
        if not self._docks_sized:
            self._docks_sized = True
            self.resizeDocks([self.summary_dock], [self._bottom_h()], Qt.Orientation.Vertical)

    # --- views and docks ---------------------------------------------------------------

    def add_view(self, name: str, title: str, widget: QWidget) -> None:
        self.views.addTab(widget, title)
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

    def _link_readiness(self) -> None:
        """One workstation check feeds the session, the readiness tab and the comparison."""
        from hvplanner.ui.compare.view import CompareView
        from hvplanner.ui.readiness_panel import ReadinessPanel

        panel, compare = self.view("readiness"), self.view("compare")
        if not isinstance(panel, ReadinessPanel):
            return
        panel.check_finished.connect(self.session.set_readiness)
        if isinstance(compare, CompareView):

            def show(report: object) -> None:
                verdicts = getattr(report, "verdicts", {})
                compare.set_readiness(
                    {fam: (v.status, list(v.reasons)) for fam, v in verdicts.items()}
                )

            self.session.readiness_changed.connect(show)
            compare.runCheckRequested.connect(panel.run_check)

    @property
    def readiness_report(self) -> object | None:
        return self.session.readiness_report

    def _dock(self, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(title.lower())
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _layout_docks(self) -> list[QDockWidget]:
        return [self.palette_dock, self.inspector_dock, self.utilization_dock]

    def _view_changed(self, index: int) -> None:
        # The palette, inspector and plots serve the layout (the Utilization tab shows the
        # plots large); the other views get the whole width. What the user had open comes
        # back with the layout.
        on_layout = self.views.widget(index) is self.editor
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

    # --- actions, menus, toolbar -------------------------------------------------------

    def _make_actions(self) -> None:
        keys = QKeySequence.StandardKey
        self.act_quit = QAction("&Quit", self)
        self.act_quit.setShortcut(QKeySequence(keys.Quit))
        self.act_quit.triggered.connect(lambda _c=False: self.close())
        self.act_undo = self.doc.undo_stack.createUndoAction(self, "&Undo")
        self.act_undo.setShortcut(QKeySequence(keys.Undo))
        self.act_redo = self.doc.undo_stack.createRedoAction(self, "&Redo")
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
        # The toolbar's buttons keep a fixed label (the menu's name the command): a label that
        # changes with every edit makes the toolbar jump.
        stack = self.doc.undo_stack
        self.undo_button = self._history_button("Undo", stack.undo, stack.canUndoChanged)
        self.redo_button = self._history_button("Redo", stack.redo, stack.canRedoChanged)
        stack.undoTextChanged.connect(lambda t: self._history_tip(self.undo_button, "Undo", t))
        stack.redoTextChanged.connect(lambda t: self._history_tip(self.redo_button, "Redo", t))

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
        bar, ed = self.menuBar(), self.editor
        file_menu = bar.addMenu("&File")
        self.files.add_to(file_menu)
        file_menu.addSeparator()
        self.exchange.add_to(file_menu)
        file_menu.addSeparator()
        file_menu.addAction(self.act_quit)
        edit = bar.addMenu("&Edit")
        edit.addActions([self.act_undo, self.act_redo])
        edit.addSeparator()
        for action in ed.edit_actions():
            if action is None:
                edit.addSeparator()
            else:
                edit.addAction(action)
        view = bar.addMenu("&View")
        view.addActions([ed.act_zoom_in, ed.act_zoom_out, ed.act_fit])
        view.addSeparator()
        for dock in (
            self.palette_dock,
            self.inspector_dock,
            self.summary_dock,
            self.utilization_dock,
        ):
            view.addAction(dock.toggleViewAction())
        plan = bar.addMenu("&Plan")
        plan.addActions([ed.act_new_model, ed.act_new_template])
        plan.addSeparator()
        plan.addActions([self.autoplace, ed.act_hosts_needed])
        self.help = HelpActions(self, bar)
        self.help.add_to(bar.addMenu("&Help"))

    def _make_toolbar(self) -> None:
        tb = self.addToolBar("Main")
        tb.setObjectName("main-toolbar")
        tb.setMovable(False)
        tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        tb.addWidget(QLabel(" Hypervisor: "))
        tb.addWidget(self.hv_combo)
        tb.addSeparator()
        tb.addActions([self.autoplace, self.editor.act_hosts_needed])
        tb.addSeparator()
        tb.addWidget(self.undo_button)
        tb.addWidget(self.redo_button)
        tb.addSeparator()
        tb.addActions([self.editor.act_zoom_in, self.editor.act_zoom_out, self.editor.act_fit])

    # --- reacting to the session ------------------------------------------------------

    def _plan_changed(self, touched: object) -> None:
        plan = self.doc.plan
        # The palette scans every VM for sizes; after a pause is soon enough.
        self._palette_timer.start()
        i = self.hv_combo.findData(plan.hypervisor)
        if i != self.hv_combo.currentIndex():
            self.hv_combo.setCurrentIndex(i)
        self._update_title()

    def _plan_opened(self) -> None:
        self.scene.clearSelection()
        self._update_title()
        QTimer.singleShot(0, self.canvas.fit)

    def _update_title(self) -> None:
        if not isValid(self):
            return  # the undo stack reports "clean" once more while the window is destroyed
        path = self.doc.path
        where = path.name if path else "not saved"
        self.setWindowTitle(f"{self.doc.plan.name} — {where}[*] — hvplanner")
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

    def _hypervisor_chosen(self, index: int) -> None:
        key = self.hv_combo.itemData(index)
        if key and key != self.doc.plan.hypervisor:
            self.session.try_push(lambda: SetHypervisorCommand(self.doc, key))

    def utilization_views(self) -> list[UtilizationView]:
        tabs = [self.views.widget(i) for i in range(self.views.count())]
        return [self.utilization, *[w for w in tabs if isinstance(w, UtilizationView)]]

    def _live_updated(self, _touched: object) -> None:
        from hvplanner.text import clock

        live = self.live.live
        if live is None:
            self.summary.set_failover(None)
        else:
            self.summary.set_failover(live.failover, clock(live.fail_minute))

    def _show_failed(self, hosts: list[str]) -> None:
        for view in self.utilization_views():
            view.show_hosts(hosts)
        if not isinstance(self.views.currentWidget(), UtilizationView):
            self.utilization_dock.show()

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
        if not self.files.maybe_save():
            event.ignore()
            return
        self.files.close()
        self._save_layout()
        event.accept()

    def _save_layout(self) -> None:
        # Saved as the Layout tab shows them: the other tabs hide the palette and inspector.
        if self._docks_shown is not None:
            for dock, shown in self._docks_shown.items():
                dock.setVisible(shown)
        geometry.save(self, self.settings)
