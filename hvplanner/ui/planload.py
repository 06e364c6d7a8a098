"""Reading a plan file off the GUI thread, with a progress dialog and Cancel.

A plan file may be hundreds of megabytes: File ▸ Open, Open Recent, a dropped file and
crash recovery all read and validate it in a worker (plain Python, no Qt object), and the
window takes the result on its own thread. Cancel answers at once: the open plan stays,
and a worker still validating finishes unseen (pydantic cannot be interrupted midway),
its result dropped.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QProgressDialog, QWidget

from hvplanner.ui.background import BackgroundTask, ProgressFn
from hvplanner.ui.i18n import translate

# The dialog shows only for a read that lasts longer than this: small plans open without
# a flash of it.
SHOW_AFTER_MS = 300


class PlanLoader(QObject):
    """One read at a time. `start` returns False while one runs."""

    def __init__(self, owner: QWidget | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.owner = owner
        self.task: BackgroundTask | None = None
        self.dialog: QProgressDialog | None = None
        self._on_cancel: Callable[[], None] = lambda: None
        self._second_half = ""

    @property
    def busy(self) -> bool:
        return self.task is not None

    def start(
        self,
        title: str,
        label: str,
        job: Callable[[ProgressFn], object],
        done: Callable[[object], None],
        failed: Callable[[BaseException], None],
        cancelled: Callable[[], None],
        second_half: str = "",
    ) -> bool:
        """`second_half` replaces `label` once the job reports it is half done."""
        if self.task is not None:
            return False
        # A task of its own each time: after Cancel, a worker still validating may finish
        # while the next read runs, and its signals must reach nobody.
        task = BackgroundTask(self)
        self.task = task
        self._on_cancel = cancelled
        self._second_half = second_half

        def current() -> bool:
            return self.task is task

        def finish(call: Callable[[], None]) -> None:
            task.deleteLater()
            if current():
                self._end()
                call()

        task.finished.connect(lambda result: finish(lambda: done(result)))
        task.failed.connect(lambda exc: finish(lambda: failed(exc)))
        task.cancelled.connect(lambda: finish(cancelled))
        task.progressed.connect(lambda n, total: current() and self._progressed(n, total))
        task.described.connect(lambda text: current() and self._described(text))
        dialog = QProgressDialog(label, translate("PlanLoader", "Cancel"), 0, 0, self.owner)
        dialog.setWindowTitle(title)
        # Not modal: a modal dialog's setValue runs the event loop inside itself, where the
        # read's end would delete the dialog under it. An edit made meanwhile is asked about.
        dialog.setMinimumDuration(SHOW_AFTER_MS)
        dialog.setAutoReset(False)
        dialog.setAutoClose(False)
        dialog.canceled.connect(self.cancel)
        self.dialog = dialog
        task.start(job)
        return True

    def cancel(self) -> None:
        """The open plan stays; a worker past its last check ends unseen."""
        task = self.task
        if task is None:
            return
        task.cancel()
        self._end()
        self._on_cancel()

    def _end(self) -> None:
        self.task = None
        dialog, self.dialog = self.dialog, None
        if dialog is not None:
            dialog.canceled.disconnect(self.cancel)
            dialog.reset()
            dialog.deleteLater()

    def _progressed(self, done: int, total: int) -> None:
        if self.dialog is not None and total > 0:
            self.dialog.setMaximum(total)
            self.dialog.setValue(min(done, total))
            if self._second_half and 2 * done >= total:
                self.dialog.setLabelText(self._second_half)
                self._second_half = ""

    def _described(self, text: str) -> None:
        if self.dialog is not None:
            self.dialog.setLabelText(text)
