"""Which placement the Auto-place action runs: the placement engine, applied as a new plan."""

from __future__ import annotations

from hvplanner.engine.assumptions import resolve_plan
from hvplanner.engine.placement import PlacementCancelled, place
from hvplanner.engine.placement.apply import apply_placement
from hvplanner.model.hypervisor import HypervisorProfile
from hvplanner.model.plan import Plan
from hvplanner.ui.autoplace import PlacementCancelledError, Placer, Progress


def engine_placer(plan: Plan, profile: HypervisorProfile, progress: Progress) -> Plan:
    progress.report(0.05, f"Packing {plan.vm_count:,} VMs…")
    try:
        # The engine polls Cancel between and inside its stages (HiGHS included), so a
        # cancel or quit ends the run in well under a second instead of at its time limit.
        result = place(plan, resolve_plan(plan, profile), cancel=lambda: progress.cancelled)
    except PlacementCancelled:
        raise PlacementCancelledError from None
    progress.check()
    progress.report(0.95, f"{result.host_count} hosts (lower bound {result.lower_bound})")
    return apply_placement(plan, result)


def placer() -> Placer | None:
    return engine_placer
