"""Runs a placement off the GUI thread with progress and cancel; the result is a new Plan.

The placer is a plain function, so any engine (or a test double) plugs in unchanged.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, QThread, Signal

from hvplanner.model.hypervisor import HypervisorProfile
from hvplanner.model.plan import Plan


class PlacementCancelledError(Exception):
    """Raised inside a placer that noticed the user pressed Cancel."""


class Progress:
    """What a placer gets to report progress and to learn that it should stop."""

    def __init__(self, report: Callable[[int, str], None], cancel: threading.Event) -> None:
        self._report = report
        self._cancel = cancel

    def report(self, fraction: float, text: str = "") -> None:
        self._report(round(max(0.0, min(fraction, 1.0)) * 100), text)

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        if self._cancel.is_set():
            raise PlacementCancelledError


Placer = Callable[[Plan, HypervisorProfile, Progress], Plan]


class _Worker(QThread):
    progressed = Signal(int, str)
    done = Signal(object)
    failed = Signal(str)

    def __init__(self, placer: Placer, plan: Plan, profile: HypervisorProfile) -> None:
        super().__init__()
        self.placer = placer
        self.plan = plan
        self.profile = profile
        self.cancel_event = threading.Event()
        self.result: Plan | None = None

    def run(self) -> None:
        progress = Progress(self.progressed.emit, self.cancel_event)
        try:
            result = self.placer(self.plan, self.profile, progress)
        except PlacementCancelledError:
            return
        except Exception as exc:  # the engine's bug must not take the window down
            self.failed.emit(f"{type(exc).__name__}: {exc}")
            return
        if not self.cancel_event.is_set():
            self.result = result


class AutoPlaceRunner(QObject):
    """Signals:
    progressed(int, str): percent done and what is being done.
    finished(object): the placed Plan.
    failed(str): the placer raised; the text says what.
    cancelled(): the run stopped because cancel() was called.
    """

    progressed = Signal(int, str)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, placer: Placer, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.placer = placer
        self._worker: _Worker | None = None
        self._error: str | None = None

    @property
    def running(self) -> bool:
        return self._worker is not None

    def start(self, plan: Plan, profile: HypervisorProfile) -> None:
        if self._worker is not None:
            return
        self._error = None
        worker = _Worker(self.placer, plan, profile)
        worker.progressed.connect(self.progressed)
        worker.failed.connect(self._failed)
        worker.finished.connect(self._thread_done)
        self._worker = worker
        worker.start()

    def cancel(self) -> None:
        if self._worker is not None:
            self._worker.cancel_event.set()

    def wait(self, ms: int = 5000) -> bool:
        return self._worker.wait(ms) if self._worker is not None else True

    def _failed(self, text: str) -> None:
        self._error = text

    def _thread_done(self) -> None:
        worker = self._worker
        self._worker = None
        if worker is None:
            return
        worker.deleteLater()
        if self._error is not None:
            self.failed.emit(self._error)
        elif worker.cancel_event.is_set() or worker.result is None:
            self.cancelled.emit()
        else:
            self.finished.emit(worker.result)
