"""Plan edits as pure functions: each takes a Plan and returns a new, re-validated Plan.

The GUI's undo commands are thin wrappers around these, so every edit can be tested
without Qt and the plan's cross-references are checked after every change (moving and
pinning check only the references they change, see `with_vms`).
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Collection, Iterable, Sequence
from itertools import repeat
from operator import attrgetter, contains
from typing import Any

from pydantic import BaseModel

from hvplanner.model.plan import VM, Host, HostModel, Plan, Policy


def rebuild(plan: Plan, **fields: Any) -> Plan:
    # Nested models are passed as instances, so only the plan-level checks run again.
    data = {name: getattr(plan, name) for name in type(plan).model_fields}
    data.update(fields)
    return Plan.model_validate(data)


def with_vms(plan: Plan, vms: list[VM]) -> Plan:
    """`plan` with `vms` in place of its VMs, not re-checked as a whole.

    Only for a VM list with the plan's ids, profiles and order whose changed VMs refer to
    hosts of the plan (moving, pinning): every plan-level check would pass again, and at
    30,000 VMs running them costs most of an edit. The VMs themselves are already valid.
    """
    return with_parts(plan, vms=vms)


def with_parts(plan: Plan, **fields: Any) -> Plan:
    """`plan` with `fields` in place, not re-checked as a whole: for a caller that has
    checked what the plan-level checks would (Auto-place's `apply_placement`)."""
    data = {name: getattr(plan, name) for name in type(plan).model_fields}
    data.update(fields)
    return Plan.model_construct(set(plan.model_fields_set) | set(fields), **data)


_new = object.__new__
_set = object.__setattr__
# A model's state lives in these slots of BaseModel; their own setters skip the attribute
# look-up `object.__setattr__` makes, which was a fifth of the bulk paths' cost.
_slots = BaseModel.__dict__
_set_fields = _slots["__pydantic_fields_set__"].__set__
_set_extra = _slots["__pydantic_extra__"].__set__
_set_private = _slots["__pydantic_private__"].__set__
_HOST = frozenset({"host"})
_fields_of = attrgetter("__pydantic_fields_set__")
_dict_of = attrgetter("__dict__")


def _drain(calls: Iterable[object]) -> None:
    deque(calls, maxlen=0)


def checked_vm(values: dict[str, Any], fields_set: set[str]) -> VM:
    """The `VM` of field values that are already checked, without validating them again:
    what `VM.model_construct` gives, at a quarter of its cost.

    A VM has no private attributes and forbids extra fields, so its state is its field
    values and the set of fields given. For the bulk paths only (Auto-place copies nearly
    every VM of a plan, an import builds one per row), each of whose values came out of a
    validated VM or passed the model's own bounds. `fields_set` may be shared between VMs:
    pydantic changes it only on assignment, which a frozen model refuses, and copies it in
    `model_copy`.
    """
    vm = _new(VM)
    _set(vm, "__dict__", values)
    _set_fields(vm, fields_set)
    _set_extra(vm, None)
    _set_private(vm, None)
    return vm


def on_host(vm: VM, host: str | None) -> VM:
    """`vm` placed on `host`: what `vm.model_copy(update={"host": host})` gives, at about
    a third of its cost (`host` is a plain id, every other field keeps its checked value).
    A VM whose host was given shares its set of given fields with the copy."""
    values = vm.__dict__.copy()
    values["host"] = host
    given = vm.__pydantic_fields_set__
    return checked_vm(values, given if "host" in given else given | _HOST)


def on_hosts(vms: Sequence[VM], hosts: Sequence[str | None]) -> list[VM]:
    """`[on_host(vm, host) for vm, host in zip(vms, hosts)]`, made one step at a time for
    them all in C (`map`) instead of VM by VM in Python: a third less per VM, which
    Auto-place pays for nearly every VM of the plan."""
    fields = list(map(_fields_of, vms))
    if not all(map(contains, fields, repeat("host"))):
        fields = [given if "host" in given else given | _HOST for given in fields]
    values = list(map(dict.copy, map(_dict_of, vms)))
    _drain(map(dict.__setitem__, values, repeat("host"), hosts))
    out = list(map(_new, repeat(VM, len(values))))
    _drain(map(_set, out, repeat("__dict__"), values))
    _drain(map(_set_fields, out, fields))
    _drain(map(_set_extra, out, repeat(None)))
    _drain(map(_set_private, out, repeat(None)))
    return out


def same_but(a: VM, b: VM, fields: Collection[str]) -> bool:
    """Whether `b` is `a` with at most `fields` changed: `a.model_copy(update=…) == b`
    without building the copy (a tenth of its cost; after Auto-place the window asks it
    of every VM)."""
    if type(a) is not type(b):
        return False
    da, db = a.__dict__, b.__dict__
    return {**da, **{f: db[f] for f in fields}} == db


def unique_id(base: str, taken: Collection[str]) -> str:
    """`base`, or `base-2`, `base-3`… when taken; '#' and spaces are not carried over."""
    stem = re.sub(r"[#\s]+", "-", base.strip()).strip("-") or "item"
    stem = stem[:100]
    if stem not in taken:
        return stem
    m = re.fullmatch(r"(.*?)-(\d+)", stem)
    root, n = (m.group(1), int(m.group(2))) if m else (stem, 1)
    while True:
        n += 1
        cand = f"{root}-{n}"
        if cand not in taken:
            return cand


def move_vms(plan: Plan, vm_ids: Collection[str], host: str | None) -> Plan:
    return move_vms_showing(plan, vm_ids, host)[0]


def move_vms_showing(
    plan: Plan, vm_ids: Collection[str], host: str | None
) -> tuple[Plan, list[VM], list[VM]]:
    """`move_vms`, and the moved VMs as they were and as they are, in plan order (what an
    undo command keeps). Found in the one pass over the VMs the move makes anyway."""
    ids = set(vm_ids)
    was: list[VM] = []
    now: list[VM] = []

    def moved(v: VM) -> VM:
        new = v.model_copy(update={"host": host, "pinned": v.pinned and host is not None})
        was.append(v)
        now.append(new)
        return new

    vms = [moved(v) if v.id in ids else v for v in plan.vms]
    if host is not None and all(h.id != host for h in plan.hosts):
        return rebuild(plan, vms=vms), was, now  # the full check names the unknown host
    return with_vms(plan, vms), was, now


def add_vms(plan: Plan, vms: Sequence[VM]) -> Plan:
    return rebuild(plan, vms=[*plan.vms, *vms])


def new_vm(plan: Plan, template: VM, host: str | None, count: int = 1) -> VM:
    """A VM of the template's size with a fresh id, placed on `host`."""
    taken = {v.id for v in plan.vms}
    return VM.model_validate(
        {
            **template.model_dump(),
            "id": unique_id(template.id, taken),
            "count": count,
            "host": host,
            "pinned": False,
        }
    )


def add_hosts(plan: Plan, hosts: Sequence[Host]) -> Plan:
    return rebuild(plan, hosts=[*plan.hosts, *hosts])


def new_hosts(plan: Plan, model_id: str, n: int = 1) -> list[Host]:
    taken = {h.id for h in plan.hosts}
    out: list[Host] = []
    for _ in range(n):
        hid = unique_id(f"h{len(plan.hosts) + len(out) + 1}", taken)
        taken.add(hid)
        out.append(Host(id=hid, model=model_id, name=""))
    return out


def remove(plan: Plan, vm_ids: Collection[str] = (), host_ids: Collection[str] = ()) -> Plan:
    """Removes VMs and hosts; the VMs of a removed host go to the unplaced tray, not away."""
    gone_vms, gone_hosts = set(vm_ids), set(host_ids)
    vms = [
        v.model_copy(update={"host": None, "pinned": False}) if v.host in gone_hosts else v
        for v in plan.vms
        if v.id not in gone_vms
    ]
    hosts = [h for h in plan.hosts if h.id not in gone_hosts]
    return rebuild(plan, vms=vms, hosts=hosts)


def replace_vm(plan: Plan, old_id: str, vm: VM) -> Plan:
    return rebuild(plan, vms=[vm if v.id == old_id else v for v in plan.vms])


def replace_host(plan: Plan, old_id: str, host: Host) -> Plan:
    hosts = [host if h.id == old_id else h for h in plan.hosts]
    vms = plan.vms
    if host.id != old_id:
        vms = [v.model_copy(update={"host": host.id}) if v.host == old_id else v for v in vms]
    return rebuild(plan, hosts=hosts, vms=vms)


def add_host_model(plan: Plan, model: HostModel) -> Plan:
    return rebuild(plan, host_models=[*plan.host_models, model])


def replace_host_model(plan: Plan, old_id: str, model: HostModel) -> Plan:
    models = [model if m.id == old_id else m for m in plan.host_models]
    hosts = plan.hosts
    if model.id != old_id:
        hosts = [
            h.model_copy(update={"model": model.id}) if h.model == old_id else h for h in hosts
        ]
    return rebuild(plan, host_models=models, hosts=hosts)


def set_pinned(plan: Plan, vm_ids: Collection[str], pinned: bool) -> Plan:
    ids = set(vm_ids)
    vms = [
        v.model_copy(update={"pinned": pinned and v.host is not None}) if v.id in ids else v
        for v in plan.vms
    ]
    return with_vms(plan, vms)


def duplicate(plan: Plan, vm_ids: Iterable[str] = (), host_ids: Iterable[str] = ()) -> Plan:
    """Copies of VMs beside the originals; copies of hosts come empty (their VMs are not)."""
    vm_set, host_set = set(vm_ids), set(host_ids)
    taken_vm = {v.id for v in plan.vms}
    copies: list[VM] = []
    for v in plan.vms:
        if v.id in vm_set:
            vid = unique_id(v.id, taken_vm)
            taken_vm.add(vid)
            copies.append(v.model_copy(update={"id": vid, "pinned": False}))
    taken_host = {h.id for h in plan.hosts}
    host_copies: list[Host] = []
    for h in plan.hosts:
        if h.id in host_set:
            hid = unique_id(h.id, taken_host)
            taken_host.add(hid)
            host_copies.append(h.model_copy(update={"id": hid, "name": ""}))
    return rebuild(plan, vms=[*plan.vms, *copies], hosts=[*plan.hosts, *host_copies])


def expand_group(plan: Plan, vm_id: str) -> Plan:
    """One VM entry of count n becomes n entries of count 1, on the same host."""
    taken = {v.id for v in plan.vms}
    vms: list[VM] = []
    for v in plan.vms:
        if v.id != vm_id or v.count == 1:
            vms.append(v)
            continue
        taken.discard(v.id)
        for i in range(1, v.count + 1):
            vid = unique_id(f"{v.id}-{i}", taken)
            taken.add(vid)
            name = f"{v.name} {i}" if v.name else ""
            vms.append(v.model_copy(update={"id": vid, "count": 1, "name": name}))
    return rebuild(plan, vms=vms)


def set_hypervisor(plan: Plan, key: str) -> Plan:
    return rebuild(plan, hypervisor=key)


def set_policy(plan: Plan, policy: Policy) -> Plan:
    return rebuild(plan, policy=policy)
