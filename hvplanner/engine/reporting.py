"""Run the engines a Report needs for one plan (placement, simulation) and assemble it.

The CLI's export and the window's JSON export both call this, so they write the same
results. engine/report.build_report assembles; this decides what to run and notes what
was left out and why.
"""

from __future__ import annotations

from hvplanner.model.plan import Plan
from hvplanner.model.report import Report


def report_for(plan: Plan, *, placement: bool = True, time_limit: float | None = None) -> Report:
    from hvplanner.catalog import load_catalog
    from hvplanner.engine.report import build_report
    from hvplanner.errors import InputError

    profile = load_catalog().get(plan.hypervisor)
    notes: list[str] = []
    placed = None
    if not placement:
        notes.append("placement: left out on request")
    elif not plan.host_models:
        notes.append("placement: the plan has no host models")
    elif not plan.vms:
        notes.append("placement: the plan has no VMs")
    else:
        from hvplanner.engine.placement import place
        from hvplanner.engine.placement.place import DEFAULT_TIME_LIMIT
        from hvplanner.errors import PlacementInputError

        try:
            placed = place(plan, time_limit=time_limit or DEFAULT_TIME_LIMIT)
        except PlacementInputError as exc:
            notes.append(f"placement: {exc}")
    simulated = None
    if plan.hosts and any(v.host is not None for v in plan.vms):
        from hvplanner.engine.simulation.simulate import simulate

        try:
            simulated = simulate(plan, profile)
        except InputError as exc:  # e.g. a measured workload's CSV is missing
            notes.append(f"simulation: {exc}")
    else:
        notes.append("simulation: no VM is on a host yet (the plan as laid out is simulated)")
    return build_report(plan, profile, placement=placed, simulation=simulated, notes=notes)
