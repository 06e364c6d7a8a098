"""Turns a placement into a plan: new hosts added, VM entries split where their instances
landed on different hosts. Auto-place in the window applies this as one undoable step.
"""

from __future__ import annotations

from hvplanner.model.edits import on_host, rebuild, unique_id, with_parts
from hvplanner.model.placement import PlacementResult
from hvplanner.model.plan import VM, Host, Plan


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
    taken: set[str] | None = None  # ids in use: only an entry that splits needs them
    where = result.assignment
    vms: list[VM] = []
    keep = vms.append
    get = where.get
    for vm in plan.vms:
        if vm.count == 1:
            # Most entries are one VM: one look-up, and the entry itself kept when it
            # stays, so the plans share it (the live simulation's move test skips it).
            host = get(vm.id)
            if host == vm.host:
                keep(vm)
                continue
            if host is None:
                known_good = known_good and not vm.pinned
            elif host not in listed:
                known_good = False
            keep(on_host(vm, host))
            continue
        known_good = False
        groups: dict[str | None, int] = {}
        for instance in vm.instance_ids():
            target = where.get(instance)
            groups[target] = groups.get(target, 0) + 1
        if len(groups) > 1 and taken is None:
            taken = {v.id for v in plan.vms}
        for i, (host, count) in enumerate(groups.items()):
            if i == 0:
                vm_id = vm.id
            else:
                assert taken is not None
                vm_id = unique_id(f"{vm.id}-{i + 1}", taken)
                taken.add(vm_id)
            vms.append(vm.model_copy(update={"id": vm_id, "count": count, "host": host}))
    if known_good:
        return with_parts(plan, hosts=hosts, vms=vms)
    return rebuild(plan, hosts=hosts, vms=vms)
