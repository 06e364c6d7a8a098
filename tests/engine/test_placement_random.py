"""Random plans: every result passes the independent checker; tiny ones match brute force."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hvplanner.model.plan import VM, Host, HostModel
from tests.engine.placement_helpers import brute_force, host_model, placed, plan_of

MODELS = [
    host_model("m8", cost=1.0),
    host_model("m16", cores=16, ram_gb=98, cost=1.6, disk_gb=2000),
    host_model("m4", cores=4, ram_gb=66, cost=0.7, nic_gbps=10),
]


@st.composite
def plans(draw: st.DrawFn, max_instances: int = 40, listed: bool = True) -> tuple:
    n_models = draw(st.integers(1, 3))
    models: list[HostModel] = MODELS[:n_models]
    if not draw(st.booleans()):
        models = [m.model_copy(update={"cost": None}) for m in models]
    vms: list[VM] = []
    total = 0
    for i in range(draw(st.integers(1, 6))):
        count = draw(st.integers(1, 8))
        if total + count > max_instances:
            count = max_instances - total
        if count <= 0:
            break
        total += count
        vms.append(
            VM(
                id=f"v{i}",
                count=count,
                vcpu=draw(st.integers(1, 4)),
                ram_gb=draw(st.sampled_from([0.5, 1, 2, 4, 8, 16, 24, 31])),
                disk_gb=draw(st.sampled_from([0, 100, 500])),
                nic_mbps=draw(st.sampled_from([0, 500, 2500])),
                anti_affinity=draw(st.sampled_from([None, None, "g1", "g2"])),
            )
        )
    hosts = [Host(id="listed", model=models[0].id)] if listed and draw(st.booleans()) else []
    # Keep plans valid: the model check refuses a pinned VM without a listed host.
    if hosts and draw(st.booleans()):
        first = vms[0]
        vms[0] = VM.model_validate(
            {
                **first.model_dump(),
                "count": 1,
                "host": "listed",
                "pinned": True,
                "vcpu": 1,
                "ram_gb": 1.0,
            }
        )
    k = draw(st.sampled_from([0, 0, 1, 2]))
    return vms, models, hosts, k


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans())
def test_random_plans_pass_the_checker(case: tuple) -> None:
    vms, models, hosts, k = case
    plan = plan_of(vms, models, hosts, failover_hosts=k)
    r, _ = placed(plan, time_limit=2.0)
    assert r.failover.holds
    assert r.host_count >= r.lower_bound
    if r.cost is not None and r.cost_lower_bound is not None:
        assert r.cost >= r.cost_lower_bound - 1e-6


@settings(max_examples=25, deadline=None)
@given(plans(max_instances=6, listed=False))
def test_tiny_random_plans_match_brute_force(case: tuple) -> None:
    vms, models, _, _ = case
    plan = plan_of(vms, models)
    r, a = placed(plan, time_limit=5.0)
    best = brute_force(plan, a)
    got = r.cost if r.cost is not None else r.host_count
    assert got == pytest.approx(best)
    assert r.optimal
