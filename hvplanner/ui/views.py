"""Central views beside the canvas, by name, so `hvplanner gui --view NAME` can pick one.

A view module adds itself here: name → (tab title, factory taking the PlanDocument).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

from hvplanner.ui.document import PlanDocument
from hvplanner.ui.i18n import QT_TRANSLATE_NOOP
from hvplanner.ui.session import PlanSession

ViewFactory = Callable[[PlanDocument], QWidget]

# Views that follow the plan recompute every hypervisor's sizing; a pause batches drags.
FOLLOW_DELAY_MS = 300


class FollowWhenShown(QObject):
    """Keeps a view following the plan, but only while it is shown: a hidden tab computes
    nothing (at 10,000 VMs the comparison sizes the plan for every hypervisor, about a
    second). Edits while hidden only mark it stale; showing it brings it up to date, and
    edits while shown refresh it after a pause that batches a drag."""

    def __init__(self, view: QWidget, doc: PlanDocument, refresh: Callable[[], None]) -> None:
        super().__init__(view)
        self.view = view
        self.stale = True
        self.refreshes = 0  # how often it computed (tests pin the laziness with it)
        self._refresh = refresh
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(FOLLOW_DELAY_MS)
        self._timer.timeout.connect(self.bring_up_to_date)
        view.installEventFilter(self)
        doc.plan_changed.connect(self._plan_changed)

    def _plan_changed(self, _touched: object) -> None:
        self.stale = True
        if self.view.isVisible():
            self._timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view and event.type() == QEvent.Type.Show and self.stale:
            self.bring_up_to_date()
        return False

    def bring_up_to_date(self) -> None:
        self._timer.stop()
        if self.stale:
            self.stale = False
            self.refreshes += 1
            self._refresh()


def _compare(doc: PlanDocument) -> QWidget:
    from hvplanner.ui.compare.view import CompareView

    view = CompareView()
    view.follow = FollowWhenShown(view, doc, lambda: view.set_plan(doc.plan))  # type: ignore[attr-defined]
    return view


def _readiness(doc: PlanDocument) -> QWidget:
    from hvplanner.ui.readiness_panel import ReadinessPanel

    return ReadinessPanel()


def _utilization(doc: PlanDocument) -> QWidget:
    from hvplanner.ui.utilization import LiveSource, UtilizationView

    return UtilizationView(LiveSource.for_document(doc))


def _cost(doc: PlanDocument) -> QWidget:
    from hvplanner.ui.costview import CostView

    view = CostView(doc)
    view.follow = FollowWhenShown(view, doc, view.refresh)  # type: ignore[attr-defined]
    return view


# Tab titles, translated in the window's "MainWindow" context when the tab is added.
EXTRA_VIEWS: dict[str, tuple[str, ViewFactory]] = {
    "utilization": (QT_TRANSLATE_NOOP("MainWindow", "Utilization"), _utilization),
    "compare": (QT_TRANSLATE_NOOP("MainWindow", "Compare hypervisors"), _compare),
    "cost": (QT_TRANSLATE_NOOP("MainWindow", "Cost"), _cost),
    "readiness": (QT_TRANSLATE_NOOP("MainWindow", "This machine"), _readiness),
}


def link_readiness(session: PlanSession, panel: QWidget | None, compare: QWidget | None) -> None:
    """One workstation check feeds the session, the readiness tab and the comparison."""
    from hvplanner.ui.compare.view import CompareView
    from hvplanner.ui.readiness_panel import ReadinessPanel

    if not isinstance(panel, ReadinessPanel):
        return
    panel.check_finished.connect(session.set_readiness)
    if isinstance(compare, CompareView):

        def show(report: object) -> None:
            verdicts = getattr(report, "verdicts", {})
            compare.set_readiness({fam: (v.status, list(v.reasons)) for fam, v in verdicts.items()})

        session.readiness_changed.connect(show)
        compare.runCheckRequested.connect(panel.run_check)
