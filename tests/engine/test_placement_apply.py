from __future__ import annotations

import pytest
from pydantic import ValidationError

from hvplanner.engine.placement import assumptions_for, place, verify
from hvplanner.engine.placement.apply import apply_placement
from hvplanner.formats.planfile import load_plan
from hvplanner.model.plan import VM, Host, HostModel, Plan


def test_applied_plan_keeps_every_instance_and_matches_assignment(seed_sample):
    plan = load_plan(seed_sample)
    bigger = plan.model_copy(
        update={"vms": [VM(id="win7", count=500, vcpu=1, ram_gb=2, nic_mbps=100)]}
    )
    result = place(bigger)
    assert verify(bigger, result, assumptions_for(bigger)) == []
    applied = apply_placement(bigger, result)
    assert applied.vm_count == 500
    assert {h.id for h in applied.hosts} >= set(result.assignment.values())
    per_host: dict[str, int] = {}
    for vm in applied.vms:
        assert vm.host is not None
        per_host[vm.host] = per_host.get(vm.host, 0) + vm.count
    expected: dict[str, int] = {}
    for host in result.assignment.values():
        expected[host] = expected.get(host, 0) + 1
    assert per_host == expected
    assert len({v.id for v in applied.vms}) == len(applied.vms)
    assert applied.vms[0].id == "win7"


def _plan(n_hosts: int, n_vms: int, **vm: object) -> Plan:
    model = HostModel(id="m", sockets=1, cores_per_socket=8, ghz=2.0, ram_gb=64)
    return Plan(
        host_models=[model],
        hosts=[Host(id=f"h{i}", model="m") for i in range(n_hosts)],
        vms=[
            VM.model_validate({"id": f"v{i}", "vcpu": 1, "ram_gb": 2, **vm}) for i in range(n_vms)
        ],
    )


def test_applied_plan_is_the_checked_plan() -> None:
    # Applying skips the plan-level checks when it knows they pass: the plan it gives is
    # the one a full check of the same parts gives, on a plan whose VMs gave no host.
    plan = _plan(1, 40)
    result = place(plan)
    applied = apply_placement(plan, result)
    checked = Plan.model_validate(
        {name: getattr(applied, name) for name in type(applied).model_fields}
    )
    assert applied == checked and len(applied.hosts) > 1
    assert applied.model_dump_json() == checked.model_dump_json()
    for vm in applied.vms:
        assert vm.host == result.assignment[vm.id]
        assert vm.model_fields_set == {"id", "vcpu", "ram_gb", "host"}
    assert [v.model_dump() for v in applied.vms] == [
        v.model_copy(update={"host": result.assignment[v.id]}).model_dump() for v in plan.vms
    ]


def test_a_placement_onto_an_unknown_host_is_still_refused() -> None:
    plan = _plan(2, 3, host="h0")
    result = place(plan)
    bad = result.model_copy(update={"assignment": {**result.assignment, "v1": "nowhere"}})
    with pytest.raises(ValidationError, match=r"vms\[1\]\.host: no host with id 'nowhere'"):
        apply_placement(plan, bad)


def test_a_pinned_vm_left_unplaced_is_still_refused() -> None:
    plan = _plan(2, 3, host="h0", pinned=True)
    result = place(plan)
    bad = result.model_copy(update={"assignment": {**result.assignment, "v2": None}})
    with pytest.raises(ValidationError, match=r"vms\[2\]\.pinned"):
        apply_placement(plan, bad)


def test_on_hosts_is_on_host_for_each() -> None:
    from hvplanner.model.edits import on_host, on_hosts

    given_host = VM(id="a", vcpu=2, ram_gb=4, host="h1", pinned=True)
    no_host = VM(id="b", vcpu=1, ram_gb=2)
    vms, hosts = [given_host, no_host, no_host], ["h2", "h3", None]
    for bulk, one in zip(on_hosts(vms, hosts), map(on_host, vms, hosts), strict=True):
        assert bulk == one and bulk.model_fields_set == one.model_fields_set
        assert bulk.model_dump() == one.model_dump()
    assert on_hosts([], []) == []


def test_entries_of_several_vms_stay_or_split_as_before() -> None:
    plan = _plan(2, 0)
    plan = plan.model_copy(
        update={
            "vms": [
                VM(id="one", vcpu=1, ram_gb=2, host="h0"),
                VM(id="many", count=3, vcpu=1, ram_gb=2, host="h0"),
            ]
        }
    )
    result = place(plan)
    moved = {**result.assignment, "one": "h1", "many#1": "h0", "many#2": "h1", "many#3": "h1"}
    applied = apply_placement(plan, result.model_copy(update={"assignment": moved}))
    assert [(v.id, v.count, v.host) for v in applied.vms] == [
        ("one", 1, "h1"),
        ("many", 1, "h0"),
        ("many-2", 2, "h1"),
    ]
    same = {**result.assignment, **dict.fromkeys(["one", "many#1", "many#2", "many#3"], "h0")}
    kept = apply_placement(plan, result.model_copy(update={"assignment": same}))
    assert kept.vms[0] is plan.vms[0] and kept.vms[1] is plan.vms[1]


def test_applied_plan_saves_and_reopens_equal(tmp_path) -> None:
    from hvplanner.formats.planfile import load_plan, plan_to_json, save_plan
    from hvplanner.formats.planparts import read_plan

    plan = _plan(2, 60, host="h0")
    applied = apply_placement(plan, place(plan))
    path = tmp_path / "p.hvplan.json"
    save_plan(applied, path)
    assert load_plan(path) == applied
    assert read_plan(path, lambda _d, _t: True) == applied
    assert plan_to_json(load_plan(path)) == plan_to_json(applied)
