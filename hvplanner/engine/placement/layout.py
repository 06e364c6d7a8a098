"""Bounds for the plan as laid out, without packing: what the window's summary shows
after every edit (a full re-pack runs only when the user asks for Auto-place).
"""

from __future__ import annotations

from hvplanner.engine.assumptions import Assumptions
from hvplanner.engine.placement import bounds
from hvplanner.engine.placement.problem import build
from hvplanner.model.placement import Bounds
from hvplanner.model.plan import Plan


def lower_bounds(plan: Plan, a: Assumptions) -> Bounds:
    """The packing lower bounds (volume, big items, anti-affinity, pinned) plus N+k."""
    problem = build(plan, a, None)
    parts = {
        "volume": bounds.volume(problem),
        "big_items": bounds.big_items(problem),
        "anti_affinity": bounds.anti_affinity(problem),
        "pinned": bounds.pinned(problem),
    }
    return bounds.make_bounds(parts, None, plan.policy.failover_hosts)


def hosts_in_use(plan: Plan) -> int:
    return len({v.host for v in plan.vms if v.host is not None})
