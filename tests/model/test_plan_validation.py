from __future__ import annotations

import json

import pytest

from hvplanner.errors import PlanLoadError
from hvplanner.formats.planfile import plan_from_json


def _plan(**over):
    base = {
        "schema_version": 1,
        "name": "t",
        "hypervisor": "hyper-v@2008r2",
        "host_models": [{"id": "m", "sockets": 2, "cores_per_socket": 4, "ghz": 2.0, "ram_gb": 64}],
        "hosts": [{"id": "h1", "model": "m"}],
        "vms": [{"id": "v", "vcpu": 1, "ram_gb": 2}],
    }
    base.update(over)
    return json.dumps(base)


def _error(text: str) -> str:
    with pytest.raises(PlanLoadError) as exc:
        plan_from_json(text, "p.hvplan.json")
    return str(exc.value)


def test_valid_plan_loads_with_defaults():
    plan = plan_from_json(_plan())
    assert plan.policy.ram_overcommit == 1.0
    assert plan.vms[0].count == 1
    assert plan.vm_count == 1


@pytest.mark.parametrize(
    ("vm", "where"),
    [
        ({"id": "v", "vcpu": -3, "ram_gb": 2}, "vms[0].vcpu"),
        ({"id": "v", "vcpu": 0, "ram_gb": 2}, "vms[0].vcpu"),
        ({"id": "v", "vcpu": 1, "ram_gb": "two"}, "vms[0].ram_gb"),
        ({"id": "v", "vcpu": 1, "ram_gb": 1e12}, "vms[0].ram_gb"),
        ({"id": "v", "vcpu": 1, "ram_gb": 2, "count": 0}, "vms[0].count"),
        ({"id": "v", "vcpu": 1, "ram_gb": 2, "colour": "red"}, "vms[0].colour: unknown field"),
        ({"id": "v", "vcpu": 1, "ram_gb": 2, "host": "nope"}, "vms[0].host: no host"),
        ({"id": "v#2", "vcpu": 1, "ram_gb": 2}, "vms[0].id"),
        ({"id": "v", "vcpu": 1, "ram_gb": 2, "pinned": True}, "vms[0].pinned"),
    ],
)
def test_bad_vm_fields_are_named(vm, where):
    assert where in _error(_plan(vms=[vm]))


def test_nan_is_rejected():
    text = _plan().replace('"ram_gb": 2}', '"ram_gb": NaN}')
    assert "vms[0].ram_gb" in _error(text)


def test_missing_model_reference_is_named():
    assert "hosts[0].model: no host model with id 'x'" in _error(
        _plan(hosts=[{"id": "h1", "model": "x"}])
    )


def test_duplicate_ids_are_named():
    vms = [{"id": "v", "vcpu": 1, "ram_gb": 2}, {"id": "v", "vcpu": 1, "ram_gb": 2}]
    assert "vms[1].id: duplicate id 'v'" in _error(_plan(vms=vms))


def test_newer_schema_is_refused_with_versions():
    msg = _error(_plan(schema_version=7))
    assert "made by a newer hvplanner (schema 7); this version reads up to 1" in msg


def test_truncated_json_names_the_line():
    msg = _error(_plan()[:-40])
    assert "not valid JSON at line 1" in msg


def test_top_level_must_be_object():
    assert "top level must be a JSON object" in _error("[1, 2]")


def test_policy_rejects_absurd_values():
    assert "policy.headroom_pct" in _error(_plan(policy={"headroom_pct": 100}))
    assert "policy.rounding" in _error(_plan(policy={"rounding": "pow3"}))


def test_instance_ids():
    plan = plan_from_json(_plan(vms=[{"id": "web", "count": 3, "vcpu": 1, "ram_gb": 1}]))
    assert plan.vms[0].instance_ids() == ["web#1", "web#2", "web#3"]


def test_booleans_are_not_counts():
    assert "vms[0].count" in _error(_plan(vms=[{"id": "v", "vcpu": 1, "ram_gb": 2, "count": True}]))
    assert "vms[0].vcpu" in _error(_plan(vms=[{"id": "v", "vcpu": True, "ram_gb": 2}]))


def test_absurd_ratio_and_nic_speed_are_refused():
    assert "policy.vcpu_per_lp" in _error(_plan(policy={"vcpu_per_lp": 1e-300}))
    assert "policy.nic_gbps" in _error(_plan(policy={"nic_gbps": 1e-9}))
