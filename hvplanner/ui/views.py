"""Central views beside the canvas, by name, so `hvplanner gui --view NAME` can pick one.

A view module adds itself here: name → (tab title, factory taking the PlanDocument).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget

from hvplanner.ui.document import PlanDocument
from hvplanner.ui.session import PlanSession

ViewFactory = Callable[[PlanDocument], QWidget]

# Views that follow the plan recompute every hypervisor's sizing; a pause batches drags.
FOLLOW_DELAY_MS = 300


def _compare(doc: PlanDocument) -> QWidget:
    from hvplanner.ui.compare.view import CompareView

    view = CompareView()
    view.set_plan(doc.plan)
    timer = QTimer(view)
    timer.setSingleShot(True)
    timer.setInterval(FOLLOW_DELAY_MS)
    timer.timeout.connect(lambda: view.set_plan(doc.plan))
    doc.plan_changed.connect(timer.start)
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
    timer = QTimer(view)
    timer.setSingleShot(True)
    timer.setInterval(FOLLOW_DELAY_MS)
    timer.timeout.connect(view.refresh)
    doc.plan_changed.connect(timer.start)
    return view


EXTRA_VIEWS: dict[str, tuple[str, ViewFactory]] = {
    "utilization": ("Utilization", _utilization),
    "compare": ("Compare hypervisors", _compare),
    "cost": ("Cost", _cost),
    "readiness": ("This machine", _readiness),
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
