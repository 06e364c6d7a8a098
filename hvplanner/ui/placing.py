"""Which placement the Auto-place action runs: the placement engine, applied as a new plan."""

from __future__ import annotations

from hvplanner.engine.assumptions import resolve_plan
from hvplanner.engine.placement import PlacementCancelled, place
from hvplanner.engine.placement.apply import apply_placement
from hvplanner.engine.placement.layout import placed_bounds, remember_bounds
from hvplanner.model.collection import collection_paused
from hvplanner.model.hypervisor import HypervisorProfile
from hvplanner.model.plan import Plan
from hvplanner.ui.autoplace import PlacementCancelledError, Placer, Progress
from hvplanner.ui.i18n import fmt, translate


def engine_placer(plan: Plan, profile: HypervisorProfile, progress: Progress) -> Plan:
    # The words reach the progress dialog; translate is thread-safe and touches no QObject.
    progress.report(0.05, translate("Placer", "Packing {n} VMs…").format(n=fmt(plan.vm_count)))
    try:
        # The engine polls Cancel between and inside its stages (HiGHS included), so a
        # cancel or quit ends the run in well under a second instead of at its time limit.
        a = resolve_plan(plan, profile)
        result = place(plan, a, cancel=lambda: progress.cancelled)
    except PlacementCancelled:
        raise PlacementCancelledError from None
    progress.check()
    progress.report(
        0.95,
        translate("Placer", "{n} hosts (lower bound {bound})").format(
            n=fmt(result.host_count), bound=fmt(result.lower_bound)
        ),
    )
    # A new object per moved VM: collections set off by them would find no garbage.
    with collection_paused():
        after = apply_placement(plan, result)
    # The status line and the summary ask for the new plan's lower bound: the engine's.
    remember_bounds(after, a, placed_bounds(result), result.moved)
    return after


def placer() -> Placer | None:
    return engine_placer
