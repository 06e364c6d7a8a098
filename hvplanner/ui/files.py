"""File ▸ New / Open / Open Recent / Save / Save As, the autosave timer and crash recovery.

It works on the session's document and asks its questions through the Asker; the window
adds its actions to the File menu and routes files dropped on it here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from hvplanner.errors import InputError
from hvplanner.formats.planfile import PLAN_SUFFIX, load_plan, save_plan
from hvplanner.model.plan import Plan
from hvplanner.ui.autosave import AUTOSAVE_INTERVAL_MS, Autosave
from hvplanner.ui.dialogs import Asker
from hvplanner.ui.session import PlanSession

MAX_RECENT = 8


class PlanFiles(QObject):
    """Signals:
    opened(): another plan is open (new, opened or recovered): the canvas refits.
    import_requested(object): a file that is an inventory, not a plan (a Path).
    """

    opened = Signal()
    import_requested = Signal(object)

    def __init__(
        self,
        session: PlanSession,
        asker: Asker,
        settings: QSettings,
        autosave: Autosave,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.doc = session.doc
        self.asker = asker
        self.settings = settings
        self.autosave = autosave
        keys = QKeySequence.StandardKey
        self.act_new = self._action("&New", self.new_plan, keys.New, "Start an empty plan")
        self.act_open = self._action("&Open…", self.open_dialog, keys.Open, "Open a plan file")
        self.act_save = self._action("&Save", self.save, keys.Save, "Save the plan")
        self.act_save_as = self._action(
            "Save &As…", self.save_as, keys.SaveAs, "Save the plan to another file"
        )
        self.recent_menu: QMenu | None = None

        self.timer = QTimer(self)
        self.timer.setInterval(AUTOSAVE_INTERVAL_MS)
        self.timer.timeout.connect(self.autosave_now)
        self.timer.start()

    def _action(
        self,
        text: str,
        slot: Callable[[], object],
        shortcut: QKeySequence.StandardKey,
        tip: str,
    ) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(shortcut))
        action.setStatusTip(tip)
        action.setToolTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def add_to(self, menu: QMenu) -> None:
        """New, Open, Open Recent, Save, Save As."""
        menu.addActions([self.act_new, self.act_open])
        self.recent_menu = menu.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        menu.addSeparator()
        menu.addActions([self.act_save, self.act_save_as])

    # --- closing the open plan ----------------------------------------------------------

    def maybe_save(self) -> bool:
        """True when the open plan may be closed (saved, discarded, or clean)."""
        if self.doc.undo_stack.isClean():
            return True
        answer = self.asker.save_changes(self.doc.plan.name)
        if answer == "save":
            return self.save()
        return answer == "discard"

    def close(self) -> None:
        """The window closes (after maybe_save): no autosave is left behind."""
        self.timer.stop()
        self.autosave.clear()

    # --- new / open -------------------------------------------------------------------

    def new_plan(self) -> None:
        if not self.maybe_save():
            return
        self.doc.reset(Plan(name="Untitled plan", hypervisor=self.doc.plan.hypervisor), None)
        self.autosave.clear()
        self.opened.emit()

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
        self.opened.emit()
        self.session.say(f"Opened {path}", 5000)
        return True

    def files_dropped(self, files: list[str]) -> None:
        """A plan file dropped on the window opens; an inventory CSV is imported."""
        if files and files[0].lower().endswith((".csv", ".tsv")):
            self.import_requested.emit(Path(files[0]))
        elif files:
            self.open_path(Path(files[0]))

    # --- save -------------------------------------------------------------------------

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
        self.session.say(f"Saved {path}", 5000)
        return True

    # --- recent files -----------------------------------------------------------------

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
        menu = self.recent_menu
        if menu is None:
            return
        menu.clear()
        recent = self.recent_files()
        if not recent:
            menu.addAction("(no recent plans)").setEnabled(False)
        for r in recent:
            menu.addAction(r, lambda r=r: self.open_path(Path(r)))

    # --- autosave and recovery --------------------------------------------------------

    def autosave_now(self) -> None:
        if not self.doc.undo_stack.isClean():
            try:
                self.autosave.write(self.doc.plan, self.doc.path)
            except OSError as exc:
                self.session.say(f"Autosave failed: {exc}", 8000)

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
        self.opened.emit()
        return True
