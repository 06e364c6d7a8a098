"""File ▸ New / Open / Open Recent / Save / Save As, the autosave timer and crash recovery.

It works on the session's document and asks its questions through the Asker; the window
adds its actions to the File menu and routes files dropped on it here.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

from hvplanner.errors import InputError
from hvplanner.formats.files import open_regular
from hvplanner.formats.planfile import PLAN_SUFFIX, save_plan
from hvplanner.formats.planparts import read_plan
from hvplanner.model.plan import Plan
from hvplanner.paths import samples_dir
from hvplanner.ui.autosave import AUTOSAVE_INTERVAL_MS, Autosave, Orphan, read_claimed
from hvplanner.ui.background import ProgressFn
from hvplanner.ui.dialogs import Asker
from hvplanner.ui.i18n import translate
from hvplanner.ui.planload import PlanLoader
from hvplanner.ui.session import PlanSession

MAX_RECENT = 8


def is_sample(path: Path) -> bool:
    """A plan bundled with hvplanner (read-only in an installation, shared in a checkout)."""
    try:
        return path.resolve().parent == samples_dir().resolve()
    except OSError:
        return False


def looks_like_inventory(path: Path) -> bool:
    """A CSV/TSV table rather than a plan: by its suffix, or a first line with separators
    and no JSON opening brace."""
    if path.suffix.lower() in (".csv", ".tsv"):
        return True
    try:
        # A pipe or a device must not block the window: the open below reports it instead.
        fd = open_regular(path, "a plan", InputError)
        with os.fdopen(fd, "rb") as f:
            head = f.read(4096)
    except (OSError, InputError):
        return False
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if not text or text[:1] in (b"{", b"["):
        return False
    first = text.splitlines()[0]
    return first.count(b",") + first.count(b";") + first.count(b"\t") >= 2


class PlanFiles(QObject):
    """Signals:
    opened(): another plan is open (new, opened or recovered): the canvas refits.
    import_requested(object): a file that is an inventory, not a plan (a Path).
    settled(bool): an open or a recovery that was started has ended; True if the plan
        was replaced.
    """

    opened = Signal()
    import_requested = Signal(object)
    settled = Signal(bool)

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
        self.act_new = self._action(
            translate("PlanFiles", "&New"),
            self.new_plan,
            keys.New,
            translate("PlanFiles", "Start an empty plan"),
        )
        self.act_open = self._action(
            translate("PlanFiles", "&Open…"),
            self.open_dialog,
            keys.Open,
            translate("PlanFiles", "Open a plan file"),
        )
        self.act_save = self._action(
            translate("PlanFiles", "&Save"),
            self.save,
            keys.Save,
            translate("PlanFiles", "Save the plan"),
        )
        self.act_save_as = self._action(
            translate("PlanFiles", "Save &As…"),
            self.save_as,
            keys.SaveAs,
            translate("PlanFiles", "Save the plan to another file"),
        )
        self.recent_menu: QMenu | None = None
        self.loader = PlanLoader(parent if isinstance(parent, QWidget) else None, self)

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
        self.recent_menu = menu.addMenu(translate("PlanFiles", "Open &Recent"))
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
        """The window closes (after maybe_save): no autosave is left behind, nor its lock."""
        self.timer.stop()
        self.loader.cancel()
        self.autosave.clear()
        self.autosave.release()

    # --- new / open -------------------------------------------------------------------

    def new_plan(self) -> None:
        if not self.maybe_save():
            return
        self.loader.cancel()
        self.doc.reset(
            Plan(name=translate("PlanFiles", "Untitled plan"), hypervisor=self.doc.plan.hypervisor),
            None,
        )
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
        """Starts opening a plan; True when its reading started. The file is read and
        checked off the GUI thread; `settled` says how it ended. On any problem the user is
        told what it is and the open plan stays as it was.

        A bundled sample opens as a copy (the first Save asks where), so it is never
        overwritten. An inventory CSV is not a plan: the user is offered File ▸ Import VMs.
        """
        if looks_like_inventory(path):
            if self.asker.offer_import(path):
                self.import_requested.emit(path)
            return False
        if self.loader.busy:
            self._still_reading()
            return False
        if ask and not self.maybe_save():
            return False
        before = self.doc.plan

        def job(progress: ProgressFn) -> object:
            return read_plan(path, progress=progress)

        self.session.say(translate("PlanFiles", "Opening {path}…").format(path=path), 0)
        return self.loader.start(
            translate("PlanFiles", "Open"),
            translate("PlanFiles", "Reading {file}…").format(file=path.name),
            job,
            lambda plan: self._read(path, plan, before),
            lambda exc: self._not_opened(path, exc),
            lambda: self._cancelled(
                translate("PlanFiles", "Open cancelled; the plan is unchanged")
            ),
            translate("PlanFiles", "Checking {file}…").format(file=path.name),
        )

    def _still_reading(self) -> None:
        self.session.say(
            translate("PlanFiles", "A plan is still being read: wait for it or cancel it"), 5000
        )

    def _cancelled(self, message: str) -> None:
        self.session.say(message, 5000)
        self.settled.emit(False)

    def _changed_since(self, before: Plan) -> bool:
        """The open plan was edited while the new one was read (before the progress dialog
        showed): those edits are not dropped without asking."""
        return self.doc.plan is not before and not self.maybe_save()

    def _not_opened(self, path: Path, exc: BaseException) -> None:
        text = str(exc) if isinstance(exc, InputError) else f"{path}: {exc}"
        self.session.say("", 0)
        self.asker.error(translate("PlanFiles", "Cannot open the plan"), text)
        self.settled.emit(False)

    def _read(self, path: Path, plan: object, before: Plan) -> None:
        assert isinstance(plan, Plan)
        if self._changed_since(before):
            self._cancelled(translate("PlanFiles", "Open cancelled; the plan is unchanged"))
            return
        sample = is_sample(path)
        try:
            self.doc.reset(plan, None if sample else path)
        except InputError as exc:
            self._not_opened(path, exc)
            return
        self.autosave.clear()
        self._add_recent(path)
        self.opened.emit()
        if sample:
            self.session.say(
                translate(
                    "PlanFiles", "Opened a copy of the sample {file}: Save asks where to keep it"
                ).format(file=path.name),
                8000,
            )
        else:
            self.session.say(translate("PlanFiles", "Opened {path}").format(path=path), 5000)
        self.settled.emit(True)

    def files_dropped(self, files: list[str]) -> None:
        """A plan file dropped on the window opens; an inventory is imported."""
        if files and files[0].lower().endswith((".csv", ".tsv", ".xlsx", ".xml", ".txt")):
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
            self.asker.error(
                translate("PlanFiles", "Cannot save the plan"), f"{path}: {exc.strerror or exc}"
            )
            return False
        self.doc.set_path(path)
        self.doc.undo_stack.setClean()
        self.autosave.clear()
        self._add_recent(path)
        self.session.say(translate("PlanFiles", "Saved {path}").format(path=path), 5000)
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
            menu.addAction(translate("PlanFiles", "(no recent plans)")).setEnabled(False)
        for r in recent:
            menu.addAction(r, lambda r=r: self.open_path(Path(r)))

    # --- autosave and recovery --------------------------------------------------------

    def autosave_now(self) -> None:
        if not self.doc.undo_stack.isClean():
            try:
                self.autosave.write(self.doc.plan, self.doc.path)
            except OSError as exc:
                self.session.say(
                    translate("PlanFiles", "Autosave failed: {error}").format(error=exc), 8000
                )

    def offer_recovery(self) -> bool:
        """Starts reading the autosaves no open window holds (off the GUI thread: they may
        be large); True when there are some. The newest readable one is then offered, and
        `settled` says whether it was recovered.

        Declined ones are deleted; another window's autosave is never offered nor touched.
        """
        if self.loader.busy:
            self._still_reading()
            return False
        claimed = self.autosave.claim()
        if not claimed:
            return False
        before = self.doc.plan

        def job(_progress: ProgressFn) -> object:
            return read_claimed(claimed)

        return self.loader.start(
            translate("PlanFiles", "Recover"),
            translate("PlanFiles", "Reading the unsaved work of a window that did not close…"),
            job,
            lambda read: self._offer(self.autosave.settle(list(read)), before),
            lambda exc: self._not_recovered(str(exc)),
            lambda: self._cancelled(
                translate("PlanFiles", "Recovery postponed; it is offered again next time")
            ),
        )

    def _not_recovered(self, text: str) -> None:
        self.asker.error(translate("PlanFiles", "Cannot recover"), text)
        self.settled.emit(False)

    def _offer(self, orphans: list[Orphan], before: Plan) -> None:
        for orphan in orphans:
            if not self.asker.recover(orphan.source):
                self.autosave.drop(orphan)
                continue
            if self._changed_since(before):
                self._cancelled(
                    translate("PlanFiles", "Recovery postponed; it is offered again next time")
                )
                return
            try:
                source = orphan.source
                self.doc.reset(orphan.plan, None if source and is_sample(source) else source)
            except InputError as exc:
                self.asker.error(translate("PlanFiles", "Cannot recover"), str(exc))
                self.autosave.drop(orphan)
                continue
            # The recovered plan differs from the file on disk: mark it unsaved, and keep it
            # safe under this window's own autosave before the old one goes.
            self.doc.undo_stack.resetClean()
            self.autosave_now()
            self.autosave.drop(orphan)
            self.opened.emit()
            self.session.say(
                translate("PlanFiles", "Recovered the unsaved changes; save them to keep them"),
                8000,
            )
            self.settled.emit(True)
            return
        self.settled.emit(False)
