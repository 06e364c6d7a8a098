"""Runs a placement off the GUI thread with progress and cancel; the result is a new Plan.

The placer is a plain function, so any engine (or a test double) plugs in unchanged. The
thread is the one `BackgroundTask` that the exports and the readiness check use too.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from hvplanner.model.hypervisor import HypervisorProfile
from hvplanner.model.plan import Plan
from hvplanner.ui.background import BackgroundTask, Reporter


class PlacementCancelledError(Exception):
    """Raised inside a placer that noticed the user pressed Cancel."""


class Progress:
    """What a placer gets to report progress and to learn that it should stop."""

    def __init__(self, reporter: Reporter) -> None:
        self._reporter = reporter

    def report(self, fraction: float, text: str = "") -> None:
        self._reporter(round(max(0.0, min(fraction, 1.0)) * 100), 100, text)

    @property
    def cancelled(self) -> bool:
        return self._reporter.cancelled

    def check(self) -> None:
        if self._reporter.cancelled:
            raise PlacementCancelledError


Placer = Callable[[Plan, HypervisorProfile, Progress], Plan]


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
        self.task = BackgroundTask(self)
        self._text = ""
        self._cancel_asked = False
        self.task.progressed.connect(lambda done, _total: self.progressed.emit(done, self._text))
        self.task.described.connect(self._described)
        self.task.finished.connect(self._finished)
        self.task.failed.connect(lambda exc: self.failed.emit(f"{type(exc).__name__}: {exc}"))
        self.task.cancelled.connect(self.cancelled)

    @property
    def running(self) -> bool:
        return self.task.running

    def start(self, plan: Plan, profile: HypervisorProfile) -> None:
        placer = self.placer
        self._cancel_asked = False

        def job(progress: Reporter) -> Plan:
            return placer(plan, profile, Progress(progress))

        self.task.start(job)  # type: ignore[arg-type]

    def cancel(self) -> None:
        self._cancel_asked = True
        self.task.cancel()

    def wait(self) -> bool:
        return self.task.wait()

    def _described(self, text: str) -> None:
        self._text = text

    def _finished(self, plan: object) -> None:
        # A plan that arrives after Cancel is not applied: the user said no.
        if self._cancel_asked or not isinstance(plan, Plan):
            self.cancelled.emit()
        else:
            self.finished.emit(plan)
