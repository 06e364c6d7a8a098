"""Turns a placement into a plan: new hosts added, VM entries split where their instances
landed on different hosts. Auto-place in the window applies this as one undoable step.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import compress
from itertools import count as counting
from operator import attrgetter, ne

from hvplanner.model.edits import on_host, on_hosts, rebuild, unique_id, with_parts
from hvplanner.model.placement import PlacementResult
from hvplanner.model.plan import VM, Host, Plan

_count = attrgetter("count")
_id = attrgetter("id")
_host = attrgetter("host")


def apply_placement(plan: Plan, result: PlacementResult) -> Plan:
    listed = {h.id for h in plan.hosts}
    hosts = list(plan.hosts)
    models = {m.id for m in plan.host_models}
    # Whether the new plan passes the plan's checks as the old one did is known from what
    # changed: hosts added (ids not listed, models of the plan), VMs moved to listed hosts,
    # no entry split (ids unchanged) and no pinned VM unplaced. Otherwise all run again.
    known_good = True
    for placed in result.hosts:
        if placed.id not in listed:
            hosts.append(Host(id=placed.id, model=placed.model))
            listed.add(placed.id)
            known_good = known_good and placed.model in models
    if max(map(_count, plan.vms), default=1) == 1:
        vms, moves_known = _singles_placed(plan.vms, result.assignment, listed)
        known_good = known_good and moves_known
    else:
        vms = _entries_placed(plan.vms, result.assignment)
        known_good = False
    if known_good:
        return with_parts(plan, hosts=hosts, vms=vms)
    return rebuild(plan, hosts=hosts, vms=vms)


def _singles_placed(
    old: list[VM], where: Mapping[str, str | None], listed: set[str]
) -> tuple[list[VM], bool]:
    """Entries of one VM each, placed: each step over them all in C (`map`), the VMs that
    stay kept as they are (the plans share them, so the live simulation's move test skips
    them). Also whether the moves pass the plan's checks: onto listed hosts, no pinned VM
    unplaced."""
    vms = list(old)
    targets = list(map(where.get, map(_id, vms)))
    moving = list(compress(counting(), map(ne, targets, map(_host, vms))))
    copies = on_hosts([vms[i] for i in moving], [targets[i] for i in moving])
    for i, vm in zip(moving, copies, strict=True):
        vms[i] = vm
    onto = set(targets)
    unplacing = None in onto
    onto.discard(None)
    known = onto <= listed
    if known and unplacing:
        known = not any(vms[i].pinned for i in moving if targets[i] is None)
    return vms, known


def _entries_placed(old: list[VM], where: Mapping[str, str | None]) -> list[VM]:
    """Entries of any count, placed: an entry whose instances landed on different hosts is
    split into one entry per host, the first keeping its id."""
    taken: set[str] | None = None  # ids in use: only an entry that splits needs them
    vms: list[VM] = []
    for vm in old:
        if vm.count == 1:
            host = where.get(vm.id)
            vms.append(vm if host == vm.host else on_host(vm, host))
            continue
        groups: dict[str | None, int] = {}
        for instance in vm.instance_ids():
            target = where.get(instance)
            groups[target] = groups.get(target, 0) + 1
        if len(groups) == 1 and vm.host in groups:
            vms.append(vm)  # stays whole where it was: kept as it is
            continue
        if len(groups) > 1 and taken is None:
            taken = {v.id for v in old}
        for i, (host, count) in enumerate(groups.items()):
            if i == 0:
                vm_id = vm.id
            else:
                assert taken is not None
                vm_id = unique_id(f"{vm.id}-{i + 1}", taken)
                taken.add(vm_id)
            vms.append(vm.model_copy(update={"id": vm_id, "count": count, "host": host}))
    return vms
