"""Turns a placement into a plan: new hosts added, VM entries split where their instances
landed on different hosts. Auto-place in the window applies this as one undoable step.
"""

from __future__ import annotations

from hvplanner.model.edits import rebuild, unique_id
from hvplanner.model.placement import PlacementResult
from hvplanner.model.plan import VM, Host, Plan


def apply_placement(plan: Plan, result: PlacementResult) -> Plan:
    listed = {h.id for h in plan.hosts}
    hosts = list(plan.hosts)
    for placed in result.hosts:
        if placed.id not in listed:
            hosts.append(Host(id=placed.id, model=placed.model))
            listed.add(placed.id)
    taken = {v.id for v in plan.vms}
    vms: list[VM] = []
    for vm in plan.vms:
        groups: dict[str | None, int] = {}
        for instance in vm.instance_ids():
            target = result.assignment.get(instance)
            groups[target] = groups.get(target, 0) + 1
        for i, (host, count) in enumerate(groups.items()):
            vm_id = vm.id if i == 0 else unique_id(f"{vm.id}-{i + 1}", taken)
            taken.add(vm_id)
            vms.append(vm.model_copy(update={"id": vm_id, "count": count, "host": host}))
    return rebuild(plan, hosts=hosts, vms=vms)
