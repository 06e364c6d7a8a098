"""LiveSource: one live simulation per document, shared by every view that draws it.

The dock, the Utilization tab and the host cards' sparklines all read the same
LiveSimulation, so a plan edit is simulated once. Edits are batched by a short pause:
an undo held down, or a macro of many moves, costs one update.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from PySide6.QtCore import QObject, QTimer, Signal

from hvplanner.engine.simulation.live import LiveSimulation
from hvplanner.engine.simulation.profiles import MeasuredSeries
from hvplanner.errors import InputError
from hvplanner.model.plan import Plan
from hvplanner.ui.document import PlanDocument
from hvplanner.ui.i18n import translate
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
        self.series = SeriesReader(self)
        self.series.changed.connect(self.refresh_now)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self.refresh_now)
        self._build()
        doc.plan_changed.connect(lambda _touched: self._timer.start())

    @staticmethod
    def for_document(doc: PlanDocument) -> LiveSource:
        found = doc.findChild(LiveSource)
        return found if isinstance(found, LiveSource) else LiveSource(doc)

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

    def _build(self) -> None:
        plan = self.doc.plan
        try:
            measured = self._measured(plan)
            if self.live is None:
                self.live = LiveSimulation(
                    plan,
                    self.doc.profile,
                    days=self.days,
                    step_minutes=self.step_minutes,
                    measured=measured,
                )
                touched: frozenset[str] | None = None
            else:
                touched = self.live.update(plan, self.doc.profile, measured)
            self.error = ""
        except _NotReadYetError as exc:
            self.live = None
            self.error = str(exc)
            touched = None
        except (InputError, KeyError, ValueError, OSError) as exc:
            # The graphs say why they are empty; the plan itself stays editable.
            self.live = None
            self.error = translate("LiveSource", "No simulation: {reason}").format(reason=exc)
            touched = None
        self._touched = touched

    def refresh_now(self) -> None:
        """Applies pending edits at once (tests and screenshots do not wait for the pause)."""
        self._timer.stop()
        self._build()
        self.updated.emit(self._touched)

    @property
    def pending(self) -> bool:
        return self._timer.isActive()

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
