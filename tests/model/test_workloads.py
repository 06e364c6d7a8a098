from __future__ import annotations

import json
from pathlib import Path

import pytest

from hvplanner.errors import PlanLoadError
from hvplanner.formats.planfile import load_plan, plan_from_json
from hvplanner.model.plan import (
    DEFAULT_CPU_AVG,
    DIURNAL_PEAK_HOUR,
    NIGHTLY_PEAK_HOUR,
    WorkloadProfile,
)


def _plan(vms=None, workloads=None):
    base = {
        "schema_version": 1,
        "host_models": [{"id": "m", "sockets": 1, "cores_per_socket": 4, "ghz": 2, "ram_gb": 64}],
        "hosts": [{"id": "h1", "model": "m"}],
        "vms": vms or [{"id": "v", "vcpu": 1, "ram_gb": 2, "profile": "diurnal"}],
    }
    if workloads is not None:
        base["workloads"] = workloads
    return json.dumps(base)


def test_old_plans_load_and_get_the_built_in_defaults():
    # The sample as first shipped, before it named a workload of its own.
    plan = load_plan(Path(__file__).parents[1] / "formats" / "data" / "seed-schema1.hvplan.json")
    assert plan.workloads == []
    w = plan.workload("diurnal")
    assert w.kind == "diurnal" and w.cpu_avg == DEFAULT_CPU_AVG
    assert w.hour == DIURNAL_PEAK_HOUR
    assert plan.workload("nightly-batch").hour == NIGHTLY_PEAK_HOUR


def test_named_workloads_and_redefined_built_ins():
    plan = plan_from_json(
        _plan(
            vms=[
                {"id": "a", "vcpu": 1, "ram_gb": 2, "profile": "web"},
                {"id": "b", "vcpu": 1, "ram_gb": 2, "profile": "diurnal"},
            ],
            workloads=[
                {"name": "web", "kind": "bursty", "seed": 3},
                {"name": "diurnal", "kind": "diurnal", "peak_hour": 10},
            ],
        )
    )
    assert plan.workload("web").seed == 3
    assert plan.workload("diurnal").hour == 10


@pytest.mark.parametrize(
    ("vms", "workloads", "message"),
    [
        ([{"id": "a", "vcpu": 1, "ram_gb": 2, "profile": "web"}], [], "no workload named 'web'"),
        ([{"id": "a", "vcpu": 1, "ram_gb": 2, "profile": "measured"}], [], "needs a workload"),
        (None, [{"name": "diurnal", "kind": "bursty"}], "keeps its kind"),
        (None, [{"name": "x", "kind": "constant"}] * 2, "duplicate name 'x'"),
        (None, [{"name": "x", "kind": "diurnal", "cpu_peak": 0.1}], "cpu_peak: below cpu_avg"),
        (None, [{"name": "x", "kind": "measured"}], "needs a CSV file"),
        (None, [{"name": "x", "kind": "diurnal", "peak_hour": 24}], "peak_hour"),
    ],
)
def test_bad_workloads_are_refused_with_the_field(vms, workloads, message):
    with pytest.raises(PlanLoadError, match=message):
        plan_from_json(_plan(vms, workloads), "p")


def test_every_default_is_described():
    for name, field in WorkloadProfile.model_fields.items():
        assert field.description, name
        if isinstance(field.default, float):
            assert f"{field.default:g}" in field.description, name
