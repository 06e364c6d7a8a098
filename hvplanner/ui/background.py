"""Runs one function off the GUI thread, with progress and cancel; for exports and the like.

The function gets `progress(done, total) -> bool` and stops when it returns False (the
PDF writer's own callback has exactly that shape). Whatever it raises after a cancel
counts as the cancel; anything else it raises is reported, never lost in the thread. A
job that completes although Cancel came too late to stop it is reported as finished: its
work (a written file) is done, and saying "cancelled" would be untrue.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, QThread, Signal

ProgressFn = Callable[[int, int], bool]
Job = Callable[[ProgressFn], object]


class _Thread(QThread):
    progressed = Signal(int, int)

    def __init__(self, job: Job) -> None:
        super().__init__()
        self.job = job
        self.cancel_event = threading.Event()
        self.result: object = None
        self.error: BaseException | None = None
        self.completed = False

    def _progress(self, done: int, total: int) -> bool:
        self.progressed.emit(done, total)
        return not self.cancel_event.is_set()

    def run(self) -> None:
        try:
            self.result = self.job(self._progress)
            self.completed = True
        except Exception as exc:  # reported on the GUI thread; a bug must not end the app
            self.error = _without_frames(exc)


def _without_frames(exc: BaseException) -> BaseException:
    """The exception alone: its traceback would keep the job's locals alive.

    Those may be Qt objects made in the worker (the PDF writer's QTextDocument); freed
    later on the GUI thread, Qt warns that their timers belong to another thread.
    """
    seen: set[int] = set()
    e: BaseException | None = exc
    while e is not None and id(e) not in seen:
        seen.add(id(e))
        e.__traceback__ = None
        e = e.__cause__ or e.__context__
    return exc


class BackgroundTask(QObject):
    """Signals:
    progressed(int, int): done and total, as the job reports them.
    finished(object): the job's return value.
    failed(object): the exception the job raised.
    cancelled(): the job stopped because of cancel().
    """

    progressed = Signal(int, int)
    finished = Signal(object)
    failed = Signal(object)
    cancelled = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread: _Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None

    def start(self, job: Job) -> bool:
        """False when a job is still running: one at a time."""
        if self._thread is not None:
            return False
        thread = _Thread(job)
        thread.progressed.connect(self.progressed)
        thread.finished.connect(self._thread_done)
        self._thread = thread
        thread.start()
        return True

    def cancel(self) -> None:
        if self._thread is not None:
            self._thread.cancel_event.set()

    def wait(self, ms: int = 10_000) -> bool:
        return self._thread.wait(ms) if self._thread is not None else True

    def _thread_done(self) -> None:
        thread, self._thread = self._thread, None
        if thread is None:
            return
        thread.deleteLater()
        if thread.completed:
            self.finished.emit(thread.result)
        elif thread.cancel_event.is_set():
            self.cancelled.emit()
        else:
            assert thread.error is not None
            self.failed.emit(thread.error)
