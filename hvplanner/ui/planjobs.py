"""Work that follows the plan, done off the GUI thread for large plans.

A `PlanJob` computes something from the document's current plan (the live simulation, the
summary's sizing and lower bound) and hands it to the GUI thread. The GUI thread takes a
snapshot (`prepare`: the plan, its hypervisor and whatever else the work needs, all
immutable) and a worker runs the work on it, making plain data and no Qt object. The
result is applied only while the document is still at the version it was computed for:
an edit in the meantime drops it and starts the work again on the newer plan, so a view
never shows figures of a plan that is gone.

Small plans are computed on the GUI thread at once: there the work takes a few
milliseconds, and a round trip through a worker would only make the views show
"computing…" for a moment.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from PySide6.QtCore import QObject, QTimer

from hvplanner.model.plan import Plan
from hvplanner.ui.background import BackgroundTask, ProgressFn
from hvplanner.ui.document import PlanDocument

T = TypeVar("T")

# VM entries from which the plan-wide work runs in a worker. Below it the simulation and the
# sizing take under about 30 ms together on 2 cores (measured at 1,000 VMs on 50 hosts).
BACKGROUND_FROM_VMS = 1_000


def in_background(plan: Plan) -> bool:
    return len(plan.vms) >= BACKGROUND_FROM_VMS


Work = Callable[[], T]
"""What the worker runs: a closure over the snapshot `prepare` took."""


class PlanJob(QObject, Generic[T]):
    """One computation kept current with the document: `request()` after each change.

    `prepare()` runs on the GUI thread and returns the work; the work's result goes to
    `apply`, or its exception to `failed`, on the GUI thread, only for the version the work
    was prepared for, or after `catch_up(result, plan it was for)` brought it to the
    current plan (None: it cannot, and the work runs again). One worker at a time:
    requests while it runs are merged into one run on the newest plan when it ends.
    """

    def __init__(
        self,
        doc: PlanDocument,
        prepare: Callable[[], Work[T]],
        apply: Callable[[T], None],
        failed: Callable[[BaseException], None],
        parent: QObject | None = None,
        catch_up: Callable[[T, Plan], T | None] | None = None,
    ) -> None:
        super().__init__(parent if parent is not None else doc)
        self.doc = doc
        self._prepare = prepare
        self._apply = apply
        self._failed = failed
        self._catch_up = catch_up
        self._plan: Plan | None = None  # the plan the running work was prepared for
        self._task = BackgroundTask(self)
        # The worker starts when the event loop next runs, not inside the caller: at open the
        # window is still being built then, and the two would share the interpreter.
        self._kick = QTimer(self)
        self._kick.setSingleShot(True)
        self._kick.setInterval(0)
        self._kick.timeout.connect(self._start)
        self._task.finished.connect(self._finished)
        self._task.failed.connect(self._failed_in_worker)
        self._version = -1  # the version the running work was prepared for
        self._again = False
        self.runs = 0  # how many times the work ran in a worker (tests count them)
        self.dropped = 0  # results thrown away because the plan had changed
        self.caught_up = 0  # results brought to a plan changed by moves since

    @property
    def busy(self) -> bool:
        """Work is about to start or running (and may run again for a newer plan)."""
        return self._kick.isActive() or self._task.running

    def request(self) -> None:
        """Computes for the document's current plan in a worker."""
        if self._task.running:
            # Already at work on this version, or to run again on the newest when it ends.
            self._again = self._version != self.doc.version
            return
        self._kick.start()

    def _start(self) -> None:
        if self._task.running:
            self.request()
            return
        self._again = False
        self._version = self.doc.version
        self._plan = self.doc.plan
        try:
            work = self._prepare()
        except Exception as exc:  # nothing to compute from (e.g. files not read yet)
            self._failed(exc)
            return

        def job(_progress: ProgressFn) -> object:
            return work()

        self.runs += 1
        self._task.start(job)

    def discard(self) -> None:
        """The running work's result is not wanted (the caller computed it itself)."""
        self._kick.stop()
        self._version = -1
        self._again = False

    def wait(self) -> None:
        """Blocks until the worker has ended (its result arrives with the next events)."""
        self._task.wait()

    def shutdown(self) -> None:
        """No result is wanted any more (the window closes): waits for the worker to end.
        The work is one bounded computation; a QThread destroyed while it runs would
        abort the process."""
        self.discard()
        self._task.wait()

    def _current(self) -> bool:
        return self._version == self.doc.version and not self._again

    def _finished(self, result: object) -> None:
        if self._current():
            self._apply(result)  # type: ignore[arg-type]
            return
        if self._version != -1 and self._catch_up is not None and self._plan is not None:
            # The plan changed while the work ran; when only by edits the result can follow
            # on this thread (VM moves), it is brought to the current plan, not thrown away.
            caught = self._catch_up(result, self._plan)  # type: ignore[arg-type]
            if caught is not None:
                self._again = False
                self.caught_up += 1
                self._apply(caught)
                return
        self._again_if_wanted()

    def _failed_in_worker(self, exc: object) -> None:
        if self._current():
            assert isinstance(exc, BaseException)
            self._failed(exc)
            return
        self._again_if_wanted()

    def _again_if_wanted(self) -> None:
        if self._version == -1 and not self._again:
            return  # discarded, and nothing changed since
        self.dropped += 1
        self.request()
