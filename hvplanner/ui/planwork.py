"""What the workers of `ui.planjobs` run: functions of an immutable snapshot of the plan
that return plain data.

This module imports no Qt, and nothing it calls does: a worker thread must not touch Qt
objects (tests/ui/test_plan_workers.py records every call the workers make).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from hvplanner.engine.assumptions import Assumptions, resolve_plan
from hvplanner.engine.placement.layout import lower_bounds
from hvplanner.engine.simulation.live import LiveSimulation
from hvplanner.engine.simulation.profiles import MeasuredSeries
from hvplanner.engine.sizing import size_plan
from hvplanner.errors import InputError
from hvplanner.model.edits import same_but
from hvplanner.model.hypervisor import HypervisorProfile
from hvplanner.model.placement import Bounds
from hvplanner.model.plan import Plan
from hvplanner.model.sizing import SizingResult

Sized = tuple[SizingResult, Bounds | str | None]
"""The summary's sizing and the layout's lower bound (or why it has none)."""


def live_build(
    plan: Plan,
    profile: HypervisorProfile,
    measured: Mapping[str, MeasuredSeries],
    days: float,
    step_minutes: float,
    replacing: LiveSimulation | None = None,
) -> Callable[[], LiveSimulation]:
    """The live simulation of `plan`, built anew (measured series read beforehand).
    `replacing`: the retired one shown until then, shrunk first so that the two are not
    both in memory at full size."""

    def build() -> LiveSimulation:
        if replacing is not None:
            replacing.shrink()
        return LiveSimulation(
            plan, profile, days=days, step_minutes=step_minutes, measured=measured
        )

    return build


def placement_bounds(plan: Plan, assumptions: Assumptions) -> Bounds | str:
    """The packing lower bound of the layout, or why there is none: the part of the
    summary's placement row that reads every VM."""
    try:
        return lower_bounds(plan, assumptions)
    except InputError as exc:
        return str(exc)


def sizing(plan: Plan, profile: HypervisorProfile) -> Callable[[], Sized]:
    """The summary's reads of every VM: the sizing and the layout's lower bound."""

    def work() -> Sized:
        result = size_plan(plan, profile)
        bounds = placement_bounds(plan, resolve_plan(plan, profile)) if plan.vms else None
        return result, bounds

    return work


def same_sizing(old: Plan, new: Plan) -> bool:
    """Whether `new` has the sizing and lower bound of `old`: nothing differs but where
    unpinned VMs sit. Both read the VMs' sizes, the rules, the pins and where pinned VMs
    are, never where an unpinned VM is, so a move needs neither recomputed (the pass over
    the VMs here is identity checks: edits copy only the VMs they change)."""
    if old is new:
        return True
    if len(old.vms) != len(new.vms) or any(
        getattr(old, f) != getattr(new, f) for f in type(old).model_fields if f != "vms"
    ):
        return False
    for a, b in zip(old.vms, new.vms, strict=True):
        if a is b:
            continue
        if a.pinned or b.pinned or not same_but(a, b, ("host",)):
            return False
    return True
