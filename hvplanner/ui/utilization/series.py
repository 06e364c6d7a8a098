"""A plan's measured series in the window: read off the GUI thread (SeriesReader), and a
file outside the plan's folder only when the user agrees.

A plan can name a measured series anywhere (an absolute path, `..`, a link out of its
folder); a plan from elsewhere must not read a file the user did not agree to. The
window asks before the first read, once per plan and file; the answer holds until the
application quits, and the Utilization view and the exports read the same files.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QElapsedTimer,
    QEventLoop,
    QObject,
    QThread,
    QTimer,
    Signal,
)

from hvplanner.engine.simulation.profiles import MeasuredSeries
from hvplanner.errors import echo
from hvplanner.formats.measured import load_plan_series, series_files
from hvplanner.model.plan import Plan
from hvplanner.ui.background import BackgroundTask, ProgressFn

Ask = Callable[[Path, list[Path]], bool]
"""ask(plan file, series paths outside its folder) -> True to read them."""

_ANSWERS: dict[tuple[Path, Path], bool] = {}


def _key(plan_path: Path) -> Path:
    return plan_path.resolve()


def remember(plan_path: Path, paths: list[Path], read: bool) -> None:
    """Records the answer for these files of this plan (also for `gui --allow-outside-series`)."""
    for p in paths:
        _ANSWERS[(_key(plan_path), p)] = read


def outside(plan: Plan, plan_path: Path) -> list[Path]:
    """The plan's series files (resolved) that lie outside its folder."""
    return sorted({f.path for f in series_files(plan, plan_path) if not f.inside})


def allowed_outside(plan: Plan, plan_path: Path, ask: Ask | None) -> frozenset[Path]:
    """The plan's series files outside its folder that the user agreed to read; those not
    yet answered are asked about in one question (none when `ask` is None: not read)."""
    found = outside(plan, plan_path)
    key = _key(plan_path)
    unanswered = [p for p in found if (key, p) not in _ANSWERS]
    if unanswered and ask is not None:
        remember(plan_path, unanswered, ask(plan_path, unanswered))
    return frozenset(p for p in found if _ANSWERS.get((key, p), False))


CANCELLED = "reading the measured series was cancelled (Read again to read them)"
SeriesKey = tuple[str, tuple[tuple[str, str], ...]]


def series_key(plan: Plan, path: Path) -> SeriesKey:
    """What a read depends on: the plan's file and each measured workload's series path.

    An edit that changes neither reuses the series read before (no file is touched on the
    GUI thread); they are read again when the plan's file or a series path changes, or
    when the user asks (Read again).
    """
    named = tuple((w.name, w.series) for w in plan.workloads if w.kind == "measured" and w.series)
    return str(path), named


class SeriesReader(QObject):
    """Reads a plan's measured series off the GUI thread, with progress and cancel.

    The live simulation asks `get`: the series once read for this plan and file, or None
    while they are read (or when they could not be: `why` says so in words that name the
    file). Only plain data leaves the worker.

    Signals:
    changed(): a read started, ended, failed or was cancelled.
    progressed(int, int): done and total of the read under way.
    """

    changed = Signal()
    progressed = Signal(int, int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ask: Ask | None = None
        self.series: Mapping[str, MeasuredSeries] = {}
        self.key: SeriesKey | None = None  # what `series` were read for
        self.why = ""
        self.task = BackgroundTask(self)
        self.task.progressed.connect(self.progressed)
        self.task.finished.connect(self._read)
        self.task.failed.connect(self._failed)
        self.task.cancelled.connect(self._cancelled)
        self._wanted: tuple[Plan, Path] | None = None
        self._running: SeriesKey | None = None
        self._stopped: SeriesKey | None = None  # failed or cancelled: not read again unasked
        self._stopped_why = ""
        self._by_user = False
        self._asking = False
        self._closed = False
        self._start = QTimer(self)
        self._start.setSingleShot(True)
        self._start.setInterval(0)
        self._start.timeout.connect(self._begin)

    @property
    def reading(self) -> bool:
        return self.task.running or self._start.isActive() or self._asking

    def get(self, plan: Plan, path: Path) -> Mapping[str, MeasuredSeries] | None:
        key = series_key(plan, path)
        if key == self.key:
            return self.series
        self._wanted = (plan, path)
        if key == self._stopped:
            self.why = self._stopped_why
            return None
        if key != self._running:
            names = ", ".join(echo(s) for _, s in key[1][:3])
            more = f" and {len(key[1]) - 3:,} more" if len(key[1]) > 3 else ""
            self.why = f"Reading the measured series ({names}{more})…"
            # Started from the event loop: the question about files outside the plan's
            # folder is never asked in the middle of building the window or an edit.
            self._start.start()
        return None

    @property
    def stopped(self) -> bool:
        """The read for the plan as it is now failed or was cancelled."""
        return self._wanted is not None and series_key(*self._wanted) == self._stopped

    def want_none(self) -> None:
        """The plan has no measured series any more."""
        self._wanted = None

    def cancel(self) -> None:
        """The user's Cancel: the series stay unread until `read_again`."""
        if self.task.running:
            self._by_user = True
            self.task.cancel()
        elif self._start.isActive() and self._wanted is not None:
            self._start.stop()
            self._stop(series_key(*self._wanted), CANCELLED)

    def shutdown(self) -> None:
        """The window is closing: stop a read and wait for its thread; start no other."""
        self._closed = True
        self._start.stop()
        self.task.cancel()
        self.task.wait()

    def read_again(self) -> None:
        self._stopped = None
        if self._wanted is not None:
            plan, path = self._wanted
            self.get(plan, path)
            self.changed.emit()

    def wait(self, timeout_ms: int = 60_000) -> bool:
        """Until no read is under way (for `gui --fail` and `--screenshot`, and tests)."""
        clock = QElapsedTimer()
        clock.start()
        while self.reading and clock.elapsed() < timeout_ms:
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
            QThread.msleep(5)
        return not self.reading

    def _begin(self) -> None:
        if self._wanted is None or self._asking or self._closed:
            return
        plan, path = self._wanted
        key = series_key(plan, path)
        if key in (self.key, self._running, self._stopped):
            return
        if self.task.running:  # an older read: its end starts this one
            self.task.cancel()
            return
        try:
            self._asking = True
            allowed = allowed_outside(plan, path, self.ask)
        except (OSError, RuntimeError) as exc:  # a link loop, a folder that went away
            self._stop(key, f"{path}: {exc}")
            return
        finally:
            self._asking = False

        def job(progress: ProgressFn) -> object:
            return load_plan_series(plan, path, allow_outside=allowed, progress=progress)

        self._running = key
        self._by_user = False
        self.task.start(job)
        self.changed.emit()

    def _read(self, result: object) -> None:
        assert isinstance(result, dict)
        self.series, self.key = result, self._running
        self._running = None
        self.why = ""
        self._next()

    def _failed(self, exc: object) -> None:
        key, self._running = self._running, None
        why = str(exc) if isinstance(exc, BaseException) else repr(exc)
        if isinstance(exc, OSError):
            why = f"{exc.filename}: {exc.strerror}" if exc.filename else str(exc)
        self._stop(key, why)

    def _cancelled(self) -> None:
        key, self._running = self._running, None
        if self._by_user:
            self._stop(key, CANCELLED)
        else:
            self._next()

    def _stop(self, key: SeriesKey | None, why: str) -> None:
        self._stopped = key
        self.why = self._stopped_why = f"No simulation: {why}"
        self._next()

    def _next(self) -> None:
        self.changed.emit()
        if self._wanted is not None:
            plan, path = self._wanted
            self.get(plan, path)
