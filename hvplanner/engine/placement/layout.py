"""Bounds for the plan as laid out, without packing: what the window's summary shows
after every edit (a full re-pack runs only when the user asks for Auto-place).
"""

from __future__ import annotations

import threading
import weakref

from hvplanner.engine.assumptions import Assumptions
from hvplanner.engine.placement import bounds
from hvplanner.engine.placement.problem import build
from hvplanner.engine.planindex import vms_by_host
from hvplanner.model.placement import Bounds, PlacementResult
from hvplanner.model.plan import Plan
from hvplanner.text import plural

# Bounds already known for a plan, so that none is worked out twice: the last few plans,
# held weakly. Auto-place's run fills it from the engine's own bounds (`remember_bounds`)
# and the window's summary then reads them; both run in worker threads, hence the lock.
_KEEP = 4
# With them, the VMs the run moved, for the status line.
_known: list[tuple[weakref.ref[Plan], Assumptions, Bounds, int | None]] = []
_known_lock = threading.Lock()


def remember_bounds(plan: Plan, a: Assumptions, b: Bounds, moved: int | None = None) -> None:
    with _known_lock:
        _known.insert(0, (weakref.ref(plan), a, b, moved))
        del _known[_KEEP:]


def _recall(plan: Plan, a: Assumptions) -> Bounds | None:
    with _known_lock:
        for ref, known_a, b, _moved in _known:
            if ref() is plan and known_a == a:
                return b
    return None


def known_moves(plan: Plan) -> int | None:
    """The VM instances the placement that made `plan` moved off their hosts, if known."""
    with _known_lock:
        for ref, _a, _b, moved in _known:
            if ref() is plan:
                return moved
    return None


def known_bounds(plan: Plan) -> Bounds | None:
    """The bounds remembered for `plan` itself, if any: the run that made the plan
    remembered them with its own assumptions, which its caller shares."""
    with _known_lock:
        for ref, _a, b, _moved in _known:
            if ref() is plan:
                return b
    return None


def placed_bounds(result: PlacementResult) -> Bounds:
    """`lower_bounds` of the plan that applying `result` gives, taken from the result.

    Applying a placement changes where VMs run, never their sizes, their groups, the host
    models or the pinned VMs' hosts, so the four packing bounds are the engine's own (its
    pattern LP left out, as `lower_bounds` leaves it out). Working them out again cost
    Auto-place an O(VMs) pass over the new plan.
    """
    b = result.bounds
    parts = {
        "volume": b.volume,
        "big_items": b.big_items,
        "anti_affinity": b.anti_affinity,
        "pinned": b.pinned,
    }
    return bounds.make_bounds(parts, None, b.failover)


def lower_bounds(plan: Plan, a: Assumptions) -> Bounds:
    """The packing lower bounds (volume, big items, anti-affinity, pinned) plus N+k."""
    known = _recall(plan, a)
    if known is not None:
        return known
    problem = build(plan, a, None)
    parts = {
        "volume": bounds.volume(problem),
        "big_items": bounds.big_items(problem),
        "anti_affinity": bounds.anti_affinity(problem),
        "pinned": bounds.pinned(problem),
    }
    return bounds.make_bounds(parts, None, plan.policy.failover_hosts)


def hosts_in_use(plan: Plan) -> int:
    # From the shared index of VMs by host: after Auto-place the window asks it of the
    # plans before and after, whose indexes are built already (O(hosts) instead of O(VMs)).
    return sum(1 for host, vms in vms_by_host(plan).items() if host is not None and vms)


def failover_hosts(plan: Plan, used: int, bound: int | None = None) -> int:
    """Empty hosts the plan keeps as its N+k reserve, beside its `used` hosts in use: at
    most k of them.

    The N+k bound counts every host a plan needs, reserve included, so a layout is
    compared with it as hosts in use plus these. Given the bound, an empty host counts
    only while the hosts in use are fewer than it: hosts in use that reach the bound
    already carry the reserve spread over them (the engine's N+k answers without spares
    look so), and an empty host beside them is surplus, not reserve.
    """
    k = plan.policy.failover_hosts
    if not k:
        return 0
    # Every VM's host is a listed one (the plan's checks), so the rest are empty.
    spare = min(k, len(plan.hosts) - used)
    return spare if bound is None else min(spare, max(0, bound - used))


def hosts_line(plan: Plan, bound: int | None = None) -> tuple[str, int]:
    """("3 hosts in use + 2 failover hosts", 5): the layout's hosts on the bound's basis
    (`bound`: the plan's lower bound, when known; see `failover_hosts`)."""
    used = hosts_in_use(plan)
    spare = failover_hosts(plan, used, bound)
    text = plural(used, "host") + " in use"
    if spare:
        text += f" + {plural(spare, 'failover host')}"
    return text, used + spare


def bound_text(b: Bounds) -> str:
    """'4' or '4 (1 + 3 for N+3)': the bound with its failover part shown."""
    if not b.failover:
        return f"{b.best}"
    return f"{b.best} ({b.best - b.failover} + {b.failover} for N+{b.failover})"
