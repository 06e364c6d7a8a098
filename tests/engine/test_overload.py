from __future__ import annotations

import pytest

from hvplanner.engine.overload import overloaded_hosts
from hvplanner.engine.simulation.simulate import simulate
from tests.engine.test_simulation import HV, make_plan

FLAT = {"name": "flat", "kind": "constant", "cpu_avg": 0.5, "ram_avg": 0.25, "nic_avg": 0.1}


def _plan(vms, **policy):
    plan = make_plan(vms, hosts=("h1", "h2", "h3"), workloads=[FLAT], **policy)
    return plan.model_copy(
        update={"vms": [v.model_copy(update={"profile": "flat"}) for v in plan.vms]}
    )


def test_a_host_past_100_percent_cpu_is_named_with_its_peak_and_duration():
    # 16 LPs per host. h1: 48 vCPUs × 0.5 busy = 24 LPs = 150 %; h2: 2 × 0.5 = 1 LP = 6 %.
    plan = _plan(
        [
            {"id": "big", "count": 12, "vcpu": 4, "ram_gb": 1, "host": "h1"},
            {"id": "small", "vcpu": 2, "ram_gb": 1, "host": "h2"},
        ]
    )
    result = simulate(plan, HV, days=1, step_minutes=60)
    found = overloaded_hosts(result)
    assert [o.host for o in found] == ["h1"]
    h1 = found[0]
    assert h1.over_capacity
    assert [m.metric for m in h1.metrics] == ["CPU"]
    assert h1.metrics[0].peak_pct == pytest.approx(150.0)
    assert h1.metrics[0].minutes_over_capacity == pytest.approx(24 * 60)
    assert h1.badge() == "CPU 150 %"
    assert h1.describe() == "CPU peak 150 % (over 100 % for 24 h)"


def test_a_host_over_the_headroom_line_but_under_100_is_reported_as_such():
    # 20 % headroom: the line is at 80 %. h1: 28 vCPUs × 0.5 = 14 LPs = 87.5 %.
    plan = _plan([{"id": "a", "count": 7, "vcpu": 4, "ram_gb": 1, "host": "h1"}], headroom_pct=20)
    found = overloaded_hosts(simulate(plan, HV, days=1, step_minutes=60))
    assert len(found) == 1 and not found[0].over_capacity
    cpu = found[0].metrics[0]
    assert cpu.headroom_pct == pytest.approx(80.0)
    assert cpu.peak_pct == pytest.approx(87.5)
    assert "over the 80 % headroom line for 24 h" in found[0].describe()


def test_hosts_within_their_lines_are_not_reported_and_over_100_come_first():
    plan = _plan(
        [
            {"id": "a", "count": 7, "vcpu": 4, "ram_gb": 1, "host": "h1"},  # 87.5 %
            {"id": "b", "count": 9, "vcpu": 4, "ram_gb": 1, "host": "h2"},  # 112.5 %
            {"id": "c", "vcpu": 4, "ram_gb": 1, "host": "h3"},  # 12.5 %
        ],
        headroom_pct=20,
    )
    found = overloaded_hosts(simulate(plan, HV, days=1, step_minutes=60))
    assert [(o.host, o.over_capacity) for o in found] == [("h2", True), ("h1", False)]
    plan = _plan([{"id": "c", "vcpu": 4, "ram_gb": 1, "host": "h3"}])
    assert overloaded_hosts(simulate(plan, HV, days=1, step_minutes=60)) == []
