from __future__ import annotations

from hvplanner.engine.placement import assumptions_for, place, verify
from hvplanner.engine.placement.apply import apply_placement
from hvplanner.formats.planfile import load_plan
from hvplanner.model.plan import VM


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
