"""LiveSource: one live simulation per document, shared by every view that draws it.

The dock, the Utilization tab and the host cards' sparklines all read the same
LiveSimulation, so a plan edit is simulated once. Edits are batched by a short pause:
an undo held down, or a macro of many moves, costs one update.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from PySide6.QtCore import QObject, QTimer, Signal

from hvplanner.engine.simulation.live import LiveSimulation
from hvplanner.engine.simulation.profiles import MeasuredSeries
from hvplanner.errors import InputError
from hvplanner.model.plan import Plan
from hvplanner.ui.document import PlanDocument
from hvplanner.ui.i18n import translate
from hvplanner.ui.planjobs import PlanJob, in_background
from hvplanner.ui.planwork import live_build
from hvplanner.ui.utilization.series import SeriesReader

# Long enough to merge the signals of one gesture, short enough to feel immediate.
DEBOUNCE_MS = 30
DAYS = 7.0
STEP_MINUTES = 5.0


class _NotReadYetError(Exception):
    """The measured series are being read (or could not be): no simulation until they are."""


class LiveSource(QObject):
    """Signals:
    updated(object): the series changed; the touched host ids, or None for all of them.

    A move follows the plan on the GUI thread (two hosts' series, milliseconds); building
    the simulation anew (at open, after Auto-place or an edit other than a move) runs in a
    worker for a large plan (`ui.planjobs`), and `live` stays what it was until the new one
    arrives for the plan as it is then.

    Measured workloads' series files are read by `series` (a SeriesReader), off the GUI
    thread; until they are read, `live` is None and `error` says why.
    """

    updated = Signal(object)

    def __init__(
        self,
        doc: PlanDocument,
        *,
        days: float = DAYS,
        step_minutes: float = STEP_MINUTES,
        delay_ms: int = DEBOUNCE_MS,
    ) -> None:
        super().__init__(doc)
        self.doc = doc
        self.days = days
        self.step_minutes = step_minutes
        self.error = ""
        self.live: LiveSimulation | None = None
        self._touched: frozenset[str] | None = None
        self.series = SeriesReader(self)
        self.series.changed.connect(self.refresh_now)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self._follow)
        self.builder: PlanJob[LiveSimulation] = PlanJob(
            doc, self._prepare_build, self._built, self._build_failed, self, self._catch_up
        )
        if in_background(doc.plan):
            self.builder.request()
        else:
            self._build_here()
        doc.plan_changed.connect(lambda _touched: self._timer.start())

    @staticmethod
    def for_document(doc: PlanDocument) -> LiveSource:
        found = doc.findChild(LiveSource)
        return found if isinstance(found, LiveSource) else LiveSource(doc)

    @property
    def building(self) -> bool:
        """A new simulation is being built in a worker."""
        return self.builder.busy

    def _measured(self, plan: Plan) -> Mapping[str, MeasuredSeries]:
        if not any(w.kind == "measured" for w in plan.workloads):
            self.series.want_none()
            return {}
        if self.doc.path is None:
            raise InputError(
                translate(
                    "ExchangeActions",
                    "measured workloads need the plan saved next to their CSV files",
                )
            )
        series = self.series.get(plan, self.doc.path)
        if series is None:
            raise _NotReadYetError(self.series.why)
        return series

    def _prepare_build(self) -> Callable[[], LiveSimulation]:
        doc = self.doc
        measured = self._measured(doc.plan)  # read already, by the SeriesReader
        # The one shown stays until the new one arrives, but follows no edit any more: it
        # is shrunk in the worker, off this thread (tens of milliseconds at 30,000 VMs).
        if self.live is not None:
            self.live.retire()
        return live_build(doc.plan, doc.profile, measured, self.days, self.step_minutes, self.live)

    def _catch_up(self, live: LiveSimulation, _plan: Plan) -> LiveSimulation | None:
        """A simulation of a plan that VMs have moved in since: the moves applied here."""
        moves = live.moves_to(self.doc.plan)
        if moves is None:
            return None
        live.apply_moves(self.doc.plan, moves)
        return live

    def _built(self, live: LiveSimulation) -> None:
        if self.live is not None:
            live.take_failure(self.live)
        self.live, self.error = live, ""
        self.updated.emit(None)

    def _build_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, (_NotReadYetError, InputError, KeyError, ValueError, OSError)):
            raise exc  # a bug: reported like any other on the GUI thread
        self._no_simulation(exc)
        self.updated.emit(None)

    def _no_simulation(self, exc: BaseException) -> None:
        # The graphs say why they are empty; the plan itself stays editable.
        self.live = None
        if isinstance(exc, _NotReadYetError):
            self.error = str(exc)
        else:
            self.error = translate("LiveSource", "No simulation: {reason}").format(reason=exc)

    def _build_here(self) -> None:
        """Builds (or follows by moves) on the GUI thread."""
        plan = self.doc.plan
        try:
            measured = self._measured(plan)
            if self.live is None:
                self.live = live_build(
                    plan, self.doc.profile, measured, self.days, self.step_minutes
                )()
                touched: frozenset[str] | None = None
            else:
                touched = self.live.update(plan, self.doc.profile, measured)
            self.error = ""
        except (_NotReadYetError, InputError, KeyError, ValueError, OSError) as exc:
            self._no_simulation(exc)
            touched = None
        self._touched = touched

    def _follow(self) -> None:
        """After the pause that follows edits: moves here, a rebuild of a large plan in a
        worker."""
        plan = self.doc.plan
        if not self.builder.busy and self.live is not None:
            moves = self.live.moves_to(plan)
            if moves is not None:
                self.updated.emit(self.live.apply_moves(plan, moves))
                return
        if in_background(plan):
            self.builder.request()
            return
        self._build_here()
        self.updated.emit(self._touched)

    def refresh_now(self) -> None:
        """Applies pending edits at once, on this thread (tests, screenshots and the
        what-if do not wait for the pause or a worker)."""
        self._timer.stop()
        old = self.live
        if self.builder.busy:
            # The one held is of an older plan, which may differ by more than moves.
            self.builder.discard()
            self.live = None
        self._build_here()
        if old is not None and self.live is not None and self.live is not old:
            self.live.take_failure(old)
        self.updated.emit(self._touched)

    @property
    def pending(self) -> bool:
        return self._timer.isActive() or self.builder.busy

    def fail(self, hosts: Iterable[str], at_minute: float) -> None:
        """Sets the what-if; raises ValueError when no host would survive."""
        if self.live is None:
            return
        self.live.set_failure(hosts, at_minute)
        self.updated.emit(None)

    def clear_failure(self, hosts: Iterable[str] | None = None) -> None:
        if self.live is not None and self.live.failed_hosts:
            self.live.clear_failure(hosts)
            self.updated.emit(None)
