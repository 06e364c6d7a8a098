"""The plan's current layout as an answer: kept, with no VM moving, when it keeps every rule
and needs no more hosts (or costs no more) than the engine's own answer."""

from __future__ import annotations

from hvplanner.formats.planfile import load_plan
from hvplanner.model.placement import PlacementResult
from hvplanner.model.plan import VM, Host, Plan
from hvplanner.paths import samples_dir
from tests.engine.placement_helpers import host_model, listed_hosts, placed, plan_of


def _stays(plan: Plan, r: PlacementResult) -> bool:
    """Every instance on a host now is on that host in the result, checked apart from the
    engine's own count."""
    return all(r.assignment[i] == vm.host for vm in plan.vms if vm.host for i in vm.instance_ids())


def test_p2v_sample_already_on_its_optimum_moves_nothing() -> None:
    plan = load_plan(samples_dir() / "p2v-128-old-servers.hvplan.json")
    r, _a = placed(plan)
    assert r.host_count == 8 and r.optimal
    assert r.moved == 0 and _stays(plan, r)
    assert r.algorithm.startswith("the current layout")
    assert r.unused_hosts == []


def test_an_optimal_layout_with_anti_affinity_and_n_plus_1_stays() -> None:
    # 3 × 4 vCPUs on 8-core hosts: the volume says 2 hosts, N+1 one more; the two db VMs
    # may not share a host. The plan spreads one VM per host, which any one failure
    # survives (its VM restarts on a host with 4 free cores and no db member).
    plan = plan_of(
        [
            VM(id="db1", vcpu=4, ram_gb=8, anti_affinity="db", host="h0"),
            VM(id="web", vcpu=4, ram_gb=8, host="h1"),
            VM(id="db2", vcpu=4, ram_gb=8, anti_affinity="db", host="h2"),
        ],
        hosts=listed_hosts(3),
        failover_hosts=1,
    )
    r, _a = placed(plan)
    assert r.host_count == 3 and r.failover.holds
    assert r.moved == 0 and _stays(plan, r)
    assert r.algorithm.startswith("the current layout")


def test_two_anti_affinity_members_on_one_host_are_not_kept() -> None:
    plan = plan_of(
        [
            VM(id="db1", vcpu=2, ram_gb=8, anti_affinity="db", host="h0"),
            VM(id="db2", vcpu=2, ram_gb=8, anti_affinity="db", host="h0"),
        ],
        hosts=listed_hosts(2),
    )
    r, _a = placed(plan)
    assert r.host_count == 2 and r.assignment["db1"] != r.assignment["db2"]
    assert not r.algorithm.startswith("the current layout")


def test_an_overloaded_layout_is_not_kept() -> None:
    # 12 vCPUs on an 8-core host: the engine's answer spreads them, whatever it costs.
    plan = plan_of(
        [VM(id=f"vm{i}", vcpu=4, ram_gb=8, host="h0") for i in range(3)],
        hosts=listed_hosts(2),
    )
    r, _a = placed(plan)
    assert r.host_count == 2 and r.moved == 1
    assert not r.algorithm.startswith("the current layout")


def test_a_layout_on_more_hosts_than_needed_is_not_kept() -> None:
    plan = plan_of(
        [VM(id=f"vm{i}", vcpu=4, ram_gb=8, host=f"h{i}") for i in range(3)],
        hosts=listed_hosts(3),
    )
    r, _a = placed(plan)
    assert r.host_count == 2 and r.moved == 1
    assert not r.algorithm.startswith("the current layout")


def test_a_layout_with_a_vm_on_no_listed_host_is_not_a_candidate() -> None:
    plan = plan_of(
        [
            VM(id="a", vcpu=4, ram_gb=8, host="h0"),
            VM(id="b", vcpu=4, ram_gb=8),
        ],
        hosts=listed_hosts(2),
    )
    r, _a = placed(plan)
    assert r.host_count == 1 and r.moved == 0
    assert not r.algorithm.startswith("the current layout")


_MODELS = [
    host_model("small", cores=8, cost=4000),
    host_model("big", cores=16, ram_gb=130, cost=8000),
]


def test_a_costed_layout_is_kept_at_the_engines_cost() -> None:
    # Four 4-vCPU VMs on two small hosts (8 cores, 4,000 each): the big host (16 cores,
    # 8,000) listed first holds them all at the same cost, and the tie is the layout's.
    plan = plan_of(
        [VM(id=f"vm{i}", vcpu=4, ram_gb=8, host=f"s{i % 2}") for i in range(4)],
        models=_MODELS,
        hosts=[
            Host(id="b0", model="big"),
            Host(id="s0", model="small"),
            Host(id="s1", model="small"),
        ],
    )
    r, _a = placed(plan)
    assert r.cost == 8000 and r.moved == 0 and _stays(plan, r)
    assert r.algorithm.startswith("the current layout")
    assert r.unused_hosts == ["b0"]


def test_a_costed_layout_dearer_than_the_engines_answer_is_not_kept() -> None:
    # Two VMs fit one small host: the big one they are on costs twice as much.
    plan = plan_of(
        [VM(id=f"vm{i}", vcpu=4, ram_gb=8, host="b0") for i in range(2)],
        models=_MODELS,
        hosts=[Host(id="s0", model="small"), Host(id="b0", model="big")],
    )
    r, _a = placed(plan)
    assert r.cost == 4000 and r.moved == 2
    assert not r.algorithm.startswith("the current layout")


def test_one_host_too_many_is_emptied_moving_only_its_vms() -> None:
    # 39 VMs on 6 hosts under N+1; 5 hosts suffice. Emptying the least-loaded host onto
    # the others moves its 6 VMs; a packing from scratch moves most of the estate.
    plan = load_plan(samples_dir() / "mixed-workloads-6-hosts.hvplan.json")
    r, _a = placed(plan)
    assert r.host_count == 5 and r.failover.holds
    assert len(r.unused_hosts) == 1
    gone = r.unused_hosts[0]
    on_it = sum(vm.count for vm in plan.vms if vm.host == gone)
    assert r.moved == on_it == 6
    assert all(
        r.assignment[i] == vm.host for vm in plan.vms if vm.host != gone for i in vm.instance_ids()
    )


def test_emptying_a_host_keeps_anti_affinity() -> None:
    # h2 holds the least: its db2 may not join db1 on h0, so it goes to h1, which the
    # packing from scratch would rebuild (two hosts of 8 cores for 16 vCPUs).
    plan = plan_of(
        [
            VM(id="db1", vcpu=4, ram_gb=8, anti_affinity="db", host="h0"),
            VM(id="x", vcpu=3, ram_gb=8, host="h0"),
            VM(id="y", vcpu=4, ram_gb=8, host="h1"),
            VM(id="w", vcpu=2, ram_gb=8, host="h1"),
            VM(id="db2", vcpu=2, ram_gb=8, anti_affinity="db", host="h2"),
        ],
        hosts=listed_hosts(3),
    )
    r, _a = placed(plan)
    assert r.host_count == 2 and r.moved == 1
    assert r.assignment["db2"] == "h1" and r.unused_hosts == ["h2"]
