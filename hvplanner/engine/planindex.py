"""Indexes of a plan's VMs (by host, by id), built once per plan version.

Plans are immutable and an edit makes a new one, so an index is keyed by the plan object
itself. The window asks for them several times per edit (the canvas, the hard-limit check,
the inspector, the summary): at 30,000 VMs each scan costs milliseconds, so they share one.
The last few plans are kept, which covers undo and redo going back and forth. The lists
handed out are shared: callers read them and never change them. A worker may build the
indexes of a plan it made (Auto-place does, beside the placement), so the list of entries
is changed under a lock; the build itself runs outside it.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from typing import TypeVar

from hvplanner.model.plan import VM, Plan

__all__ = ["hosts_stating_mhz", "prepare", "vms_by_host", "vms_by_id"]

KEEP = 4

T = TypeVar("T")


class _PerPlan:
    def __init__(self) -> None:
        self._entries: list[tuple[weakref.ref[Plan], object]] = []
        self._lock = threading.Lock()

    def _find(self, plan: Plan) -> tuple[bool, object]:
        with self._lock:
            for i, (ref, value) in enumerate(self._entries):
                if ref() is plan:
                    if i:
                        self._entries.insert(0, self._entries.pop(i))
                    return True, value
        return False, None

    def get(self, plan: Plan, build: Callable[[Plan], T]) -> T:
        found, value = self._find(plan)
        if found:
            return value  # type: ignore[return-value]
        built = build(plan)
        with self._lock:
            self._entries.insert(0, (weakref.ref(plan), built))
            del self._entries[KEEP:]
        return built


_BY_HOST = _PerPlan()
_BY_ID = _PerPlan()
_MHZ = _PerPlan()


def _build_by_host(plan: Plan) -> dict[str | None, list[VM]]:
    out: dict[str | None, list[VM]] = {h.id: [] for h in plan.hosts}
    out[None] = []
    for vm in plan.vms:
        out.setdefault(vm.host, []).append(vm)
    return out


def vms_by_host(plan: Plan) -> dict[str | None, list[VM]]:
    """Host id → its VMs in plan order; None → the unplaced ones. Every host has an entry."""
    return _BY_HOST.get(plan, _build_by_host)


def vms_by_id(plan: Plan) -> dict[str, VM]:
    return _BY_ID.get(plan, lambda p: {v.id: v for v in p.vms})


def hosts_stating_mhz(plan: Plan) -> frozenset[str | None]:
    """Hosts (None: the unplaced) running a VM that states its CPU peak in MHz: their cards
    show one bar more (`hostload.bar_count`)."""
    return _MHZ.get(plan, lambda p: frozenset(v.host for v in p.vms if v.cpu_mhz is not None))


def prepare(plan: Plan) -> None:
    """Builds the indexes the canvas's redraw of `plan` reads (VMs by host, the hosts
    stating MHz) now, e.g. in the worker that made the plan, so that the GUI thread finds
    them ready when the plan is applied. VMs by id wait for their first use (a selection
    kept, a drop): the redraw does not need them."""
    vms_by_host(plan)
    hosts_stating_mhz(plan)
