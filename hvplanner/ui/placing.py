"""Which placement the Auto-place action runs: the placement engine, applied as a new plan."""

from __future__ import annotations

from hvplanner.engine.assumptions import resolve
from hvplanner.engine.placement import place
from hvplanner.engine.placement.apply import apply_placement
from hvplanner.model.hypervisor import HypervisorProfile
from hvplanner.model.plan import Plan
from hvplanner.ui.autoplace import Placer, Progress


def engine_placer(plan: Plan, profile: HypervisorProfile, progress: Progress) -> Plan:
    progress.report(0.05, f"Packing {plan.vm_count:,} VMs…")
    result = place(plan, resolve(plan.policy, profile))
    progress.check()  # the engine runs to its time limit; a cancel discards its answer
    progress.report(0.95, f"{result.host_count} hosts (lower bound {result.lower_bound})")
    return apply_placement(plan, result)


def placer() -> Placer | None:
    return engine_placer
