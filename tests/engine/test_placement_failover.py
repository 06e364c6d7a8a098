"""N+k: verified by the independent checker, which simulates failures itself."""

from __future__ import annotations

import pytest

from hvplanner.engine.placement import place, verify
from hvplanner.engine.placement.place import assumptions_for
from hvplanner.model.plan import VM, Host
from tests.engine.placement_helpers import host_model, placed, plan_of


@pytest.mark.parametrize("k", [1, 2])
def test_tight_packing_gets_k_spares(k: int) -> None:
    plan = plan_of([VM(id="v", count=6, vcpu=8, ram_gb=8)], failover_hosts=k)
    r, _ = placed(plan)
    assert r.failover.holds
    assert r.host_count == 6 + k
    assert r.lower_bound == 6 + k  # survivors must still hold the packing: bound + k
    assert r.optimal
    assert len(r.failover.spare_hosts) == k
    assert "N+" in r.failover.formula
    assert r.failover.reserve["vcpus"] == pytest.approx(8 * k)


def test_slack_packing_survives_without_a_spare() -> None:
    # Three quarter-full hosts (pinned there): any one can fail onto the others.
    plan = plan_of(
        [VM(id=f"p{i}", vcpu=2, ram_gb=4, host=f"h{i}", pinned=True) for i in (1, 2, 3)],
        hosts=[Host(id=f"h{i}", model="m") for i in (1, 2, 3)],
        failover_hosts=1,
    )
    r, _ = placed(plan)
    assert r.failover.holds
    assert r.failover.method == "simulation"
    assert r.host_count == 3
    assert not r.failover.spare_hosts


def test_failover_respects_anti_affinity_when_restarting() -> None:
    # Two hosts with a member each: a failed member cannot restart next to the other.
    plan = plan_of([VM(id="r", count=2, vcpu=1, ram_gb=1, anti_affinity="g")], failover_hosts=1)
    r, _ = placed(plan)
    assert r.failover.holds
    assert r.host_count == 3


def test_mixed_models_cover_every_host() -> None:
    plan = plan_of(
        [VM(id="cpu", count=3, vcpu=8, ram_gb=4), VM(id="mem", count=2, vcpu=1, ram_gb=120)],
        [
            host_model("c", cores=8, ram_gb=34, cost=1.0),
            host_model("r", cores=2, ram_gb=130, cost=1.0),
        ],
        failover_hosts=1,
    )
    r, _ = placed(plan)
    assert r.failover.holds
    assert r.failover.spare_hosts


def test_checker_catches_a_false_failover_claim() -> None:
    plan = plan_of([VM(id="v", count=4, vcpu=8, ram_gb=8)], failover_hosts=1)
    a = assumptions_for(plan)
    r = place(plan, a)
    spare = r.failover.spare_hosts[0]
    broken = r.model_copy(
        update={"hosts": [h for h in r.hosts if h.id != spare], "host_count": r.host_count - 1}
    )
    problems = verify(plan, broken, a)
    assert any("failover" in p for p in problems)


def test_checker_catches_overload_and_conflicts() -> None:
    plan = plan_of([VM(id="v", count=2, vcpu=6, ram_gb=8, anti_affinity="g")])
    a = assumptions_for(plan)
    r = place(plan, a)
    first = r.hosts[0]
    other = r.hosts[1]
    merged = first.model_copy(update={"instances": first.instances + other.instances})
    broken = r.model_copy(
        update={
            "hosts": [merged],
            "host_count": 1,
            "assignment": dict.fromkeys(r.assignment, first.id),
        }
    )
    problems = verify(plan, broken, a)
    assert any("vcpus" in p and "over capacity" in p for p in problems)
    assert any("anti-affinity" in p for p in problems)


def test_pinned_bound_takes_no_failover_hosts():
    from pathlib import Path

    from hvplanner.engine.placement import assumptions_for, place, verify
    from hvplanner.formats.planfile import load_plan

    sample = Path(__file__).resolve().parents[2] / "resources" / "samples"
    plan = load_plan(sample / "mixed-workloads-6-hosts.hvplan.json")
    pinned = [v.model_copy(update={"pinned": True}) for v in plan.vms]
    for k in (2, 5):
        p = plan.model_copy(
            update={"vms": pinned, "policy": plan.policy.model_copy(update={"failover_hosts": k})}
        )
        r = place(p)
        assert r.lower_bound <= r.host_count
        assert verify(p, r, assumptions_for(p)) == []


def test_restart_found_in_another_order_is_accepted_by_the_checker() -> None:
    # Regression: the engine proves N+2 by simulation, re-placing the failed hosts' VMs
    # disk-heavy first (the five 500 GB VMs onto the m8 spare, whose disk is shared
    # storage, so unlimited). The checker used to try only vCPU-first: the two 4-vCPU VMs
    # then filled the m8 and the fifth 500 GB VM found no room on the m16 (2000 GB), and
    # a true claim was reported as "claimed but does not verify".
    models = [
        host_model("m8", cost=1.0),
        host_model("m16", cores=16, ram_gb=98, cost=1.6, disk_gb=2000),
    ]
    vms = [
        VM(id="v0", count=5, vcpu=1, ram_gb=0.5, disk_gb=500),
        VM(id="v1", count=2, vcpu=4, ram_gb=0.5),
        VM(id="v2", vcpu=1, ram_gb=0.5),
        VM(id="v3", vcpu=3, ram_gb=0.5),
    ]
    plan = plan_of(vms, models, failover_hosts=2)
    r, _ = placed(plan, time_limit=2.0)  # `placed` asserts the checker finds nothing
    assert r.failover.holds
    assert r.failover.method == "simulation"
    assert r.host_count == 4
    # The search still refuses a claim no re-placement supports: three full 8-vCPU hosts
    # without their two spares cannot lose two of them.
    bad = plan_of([VM(id="f", count=24, vcpu=1, ram_gb=1)], failover_hosts=2)
    rb, ab = placed(bad)
    forged = rb.model_copy(
        update={
            "hosts": [h for h in rb.hosts if not h.spare],
            "host_count": rb.host_count - len(rb.failover.spare_hosts),
        }
    )
    assert verify(bad, forged, ab) == ["failover N+2 is claimed but does not verify"]
