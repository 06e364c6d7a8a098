"""Runs one function off the GUI thread, with progress and cancel: the PDF, JSON and CSV
exports, auto-place and the readiness check all use this one mechanism.

The function gets `progress(done, total) -> bool` and stops when it returns False.
Whatever it raises after a cancel counts as the cancel; anything else it raises is
reported, never lost in the thread. A job that completes although Cancel came too late to
stop it is reported as finished: its work (a written file) is done, and saying
"cancelled" would be untrue.

Workers compute; they create no Qt object (Qt's objects belong to the GUI thread, and a
QObject made in a worker can deadlock against the GUI thread in Qt's signal mutex). Work
that needs Qt, such as painting the PDF, is `then`: a generator run on the GUI thread one
step per turn of the event loop, with the same progress and cancel.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

from PySide6.QtCore import QCoreApplication, QObject, QThread, QTimer, Signal

ProgressFn = Callable[[int, int], bool]
Job = Callable[[ProgressFn], object]
Then = Callable[[object], Iterator[tuple[int, int]]]
"""The job's result → steps on the GUI thread, each yielding (done, total)."""


class Reporter:
    """The `progress` a job gets: `progress(done, total, text="") -> False to stop`, and
    `progress.cancelled` to ask without reporting."""

    def __init__(self, emit: Callable[[int, int, str], None], cancel: threading.Event) -> None:
        self._emit = emit
        self._cancel = cancel

    def __call__(self, done: int, total: int, text: str = "") -> bool:
        self._emit(done, total, text)
        return not self._cancel.is_set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()


class _Thread(QThread):
    progressed = Signal(int, int, str)

    def __init__(self, job: Job) -> None:
        super().__init__()
        self.job = job
        self.cancel_event = threading.Event()
        self.result: object = None
        self.error: BaseException | None = None
        self.completed = False

    def run(self) -> None:
        try:
            self.result = self.job(Reporter(self.progressed.emit, self.cancel_event))
            self.completed = True
        except Exception as exc:  # reported on the GUI thread; a bug must not end the app
            self.error = _without_frames(exc)


_LIVE: set[_Thread] = set()
"""Every worker not yet collected on the GUI thread: a QThread object destroyed while its
thread runs aborts the process, so each stays referenced here until it has ended."""
_HOOKED: set[int] = set()
"""The applications whose quit ends the workers (one, outside tests)."""


def live_workers() -> list[QThread]:
    return [t for t in _LIVE if t.isRunning()]


def end_workers() -> None:
    """Cancel every worker and wait for each to end: run when the application quits."""
    for t in list(_LIVE):
        t.cancel_event.set()
    for t in list(_LIVE):
        t.wait()
    _LIVE.clear()


def _hook_quit() -> None:
    app = QCoreApplication.instance()
    if app is not None and id(app) not in _HOOKED:
        app.aboutToQuit.connect(end_workers)
        _HOOKED.add(id(app))


def _without_frames(exc: BaseException) -> BaseException:
    """The exception alone: its traceback would keep the job's locals alive.

    Those may hold large results or, from a job that breaks the rule, Qt objects that
    must not be freed on another thread.
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
    described(str): what the job says it is doing, when it says.
    finished(object): the job's return value.
    failed(object): the exception the job raised.
    cancelled(): the job stopped because of cancel().
    """

    progressed = Signal(int, int)
    described = Signal(str)
    finished = Signal(object)
    failed = Signal(object)
    cancelled = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread: _Thread | None = None
        self._then: Then | None = None
        self._steps: Iterator[tuple[int, int]] | None = None
        self._result: object = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._step)

    @property
    def running(self) -> bool:
        return self._thread is not None or self._steps is not None

    def start(self, job: Job, then: Then | None = None) -> bool:
        """False when a job is still running: one at a time."""
        if self.running:
            return False
        thread = _Thread(job)
        thread.progressed.connect(self._progressed)
        thread.finished.connect(self._thread_done)
        self._thread = thread
        self._then = then
        _hook_quit()
        _LIVE.add(thread)
        thread.start()
        return True

    def cancel(self) -> None:
        if self._thread is not None:
            self._thread.cancel_event.set()
        if self._steps is not None:
            self._end_steps()
            self.cancelled.emit()

    def wait(self) -> bool:
        """Until the worker has ended. It checks cancel between its parts, and each part
        is bounded (placement by its time limit), so this ends; a QThread destroyed while
        running would abort the whole process."""
        return self._thread.wait() if self._thread is not None else True

    def _progressed(self, done: int, total: int, text: str) -> None:
        if text:
            self.described.emit(text)
        self.progressed.emit(done, total)

    def _thread_done(self) -> None:
        thread, self._thread = self._thread, None
        if thread is None:
            return
        _LIVE.discard(thread)
        thread.deleteLater()
        if thread.completed and self._then is not None:
            if thread.cancel_event.is_set():  # nothing written yet: the cancel holds
                self.cancelled.emit()
                return
            self._result = thread.result
            try:
                self._steps = self._then(thread.result)
            except Exception as exc:  # reported like the worker's own failures
                self.failed.emit(exc)
                return
            self._timer.start()
        elif thread.completed:
            self.finished.emit(thread.result)
        elif thread.cancel_event.is_set():
            self.cancelled.emit()
        else:
            assert thread.error is not None
            self.failed.emit(thread.error)

    def _step(self) -> None:
        if self._steps is None:
            return
        try:
            done, total = next(self._steps)
        except StopIteration:
            self._steps = None
            self.finished.emit(self._result)
            return
        except Exception as exc:
            self._steps = None
            self.failed.emit(_without_frames(exc))
            return
        self.progressed.emit(done, total)
        self._timer.start()

    def _end_steps(self) -> None:
        steps, self._steps = self._steps, None
        self._timer.stop()
        close = getattr(steps, "close", None)
        if close is not None:
            close()  # a generator's cleanup runs now: the temporary file goes
