"""A large plan checked in parts is the plan the whole-document check gives, and any file
that check refuses falls back to it, so its message is unchanged."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from hvplanner.errors import PlanLoadError
from hvplanner.formats import planparts
from hvplanner.formats.files import ReadCancelledError
from hvplanner.formats.planfile import plan_from_json
from hvplanner.formats.planparts import plan_from_bytes, plan_in_parts
from tests.conftest import SAMPLES
from tests.fuzz.gen import plan_bytes


def many_vms(n: int) -> dict[str, object]:
    return {
        "schema_version": 1,
        "name": "many",
        "host_models": [{"id": "m", "sockets": 1, "cores_per_socket": 8, "ghz": 2, "ram_gb": 64}],
        "hosts": [{"id": "h1", "model": "m"}],
        "vms": [{"id": f"vm-{i}", "vcpu": 1 + i % 4, "ram_gb": 2, "host": "h1"} for i in range(n)],
    }


def always(_done: int, _total: int) -> bool:
    return True


@pytest.fixture(autouse=True)
def small_parts(monkeypatch) -> None:
    monkeypatch.setattr(planparts, "PART_VMS", 3)  # many parts even in small plans


def test_samples_and_spacing_give_the_same_plan() -> None:
    texts = [p.read_bytes() for p in sorted(Path(SAMPLES).glob("*.hvplan.json"))]
    data = many_vms(100)
    texts += [
        json.dumps(data).encode(),
        json.dumps(data, indent=3).encode(),
        json.dumps(data, separators=(",", ":")).encode(),
        json.dumps({**data, "vms": []}).encode(),
        json.dumps({**data, "name": "Ünïcode ✓"}, ensure_ascii=False).encode(),
    ]
    for raw in texts:
        parts = plan_in_parts(raw, always)
        assert parts is not None
        whole = plan_from_json(raw)
        assert parts == whole
        assert parts.model_fields_set == whole.model_fields_set


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d["vms"][7].update(vcpu=-1),  # a bad VM in a later part
        lambda d: d["vms"][8].update(host="gone"),  # a reference across the parts
        lambda d: d["vms"].append(dict(d["vms"][0])),  # the same id in two parts
        lambda d: d.update(horizon_years=0),  # outside the VMs
        lambda d: d.update(schema_version=99),
    ],
)
def test_a_bad_plan_has_the_whole_document_message(change) -> None:
    data = many_vms(20)
    change(data)
    raw = json.dumps(data).encode()
    assert plan_in_parts(raw, always) is None
    with pytest.raises(PlanLoadError) as whole:
        plan_from_json(raw, "p.hvplan.json")
    with pytest.raises(PlanLoadError) as parts:
        plan_from_bytes(raw, "p.hvplan.json", always)
    assert str(parts.value) == str(whole.value)


def test_fuzzed_files_give_the_same_plan_or_the_same_message() -> None:
    rng = random.Random(18)
    for _ in range(400):
        raw = plan_bytes(rng)
        try:
            whole = plan_from_json(raw, "p")
        except PlanLoadError as exc:
            assert plan_in_parts(raw, always) is None
            with pytest.raises(PlanLoadError) as parts:
                plan_from_bytes(raw, "p", always)
            assert str(parts.value) == str(exc)
            continue
        parts_plan = plan_in_parts(raw, always)
        assert parts_plan is None or parts_plan == whole


def test_cancel_stops_between_parts() -> None:
    calls: list[int] = []

    def stop_at_second(done: int, total: int) -> bool:
        calls.append(done)
        return len(calls) < 2

    with pytest.raises(ReadCancelledError):
        plan_in_parts(json.dumps(many_vms(30)).encode(), stop_at_second)
    assert len(calls) == 2
