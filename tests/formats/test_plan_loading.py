"""Loading is robust: old versions migrate, newer ones and unknown fields are refused by name,
and no input, however broken, raises anything but PlanLoadError."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hvplanner.errors import PlanLoadError
from hvplanner.formats import planfile
from hvplanner.formats.planfile import load_plan, plan_from_data, plan_from_json
from hvplanner.model.plan import SCHEMA_VERSION

DATA = Path(__file__).parent / "data"
SCHEMA1 = DATA / "seed-schema1.hvplan.json"
"""The bundled sample as schema 1 wrote it: kept unchanged so every later migration is tested."""

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _sample() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SCHEMA1.read_text(encoding="utf-8"))
    return data


def _error(text: str | bytes) -> str:
    with pytest.raises(PlanLoadError) as exc:
        plan_from_json(text, "p.hvplan.json")
    return str(exc.value)


def test_schema1_fixture_loads_as_the_bundled_sample(seed_sample):
    assert _sample()["schema_version"] == 1
    first, now = load_plan(SCHEMA1), load_plan(seed_sample)
    assert first.schema_version == SCHEMA_VERSION
    # The sample has since named its own workload; everything else is as first shipped.
    assert first.model_copy(update={"workloads": now.workloads, "vms": now.vms}) == now
    assert [v.model_copy(update={"profile": "x"}) for v in first.vms] == [
        v.model_copy(update={"profile": "x"}) for v in now.vms
    ]


def test_older_file_goes_through_migrate(monkeypatch):
    # No schema before 1 exists; a stand-in migration shows the wiring a schema 2 will use.
    seen: list[object] = []

    def migrate(data: dict[str, Any], where: str = "plan") -> dict[str, Any]:
        seen.append(data["schema_version"])
        out = {k: v for k, v in data.items() if k != "title"}
        return {**out, "name": data["title"], "schema_version": SCHEMA_VERSION}

    monkeypatch.setattr(planfile, "migrate", migrate)
    old = {k: v for k, v in _sample().items() if k != "name"}
    old.update(schema_version=0, title="from schema 0")
    for doc in (old, {"plan": old, "results": {}}):
        plan = plan_from_json(json.dumps(doc))
        assert plan.name == "from schema 0"
        assert plan.schema_version == SCHEMA_VERSION
    assert seen == [0, 0]


@pytest.mark.parametrize("version", [SCHEMA_VERSION + 1, 99])
def test_newer_file_is_refused_plain_and_inside_an_export(version):
    plan = {**_sample(), "schema_version": version}
    expected = (
        f"p.hvplan.json: made by a newer hvplanner (schema {version}); "
        f"this version reads up to {SCHEMA_VERSION}"
    )
    assert _error(json.dumps(plan)) == expected
    assert _error(json.dumps({"plan": plan, "results": {}})) == expected


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ((), "colour"),
        (("policy",), "colour"),
        (("host_models", 0), "colour"),
        (("hosts", 0), "colour"),
        (("vms", 0), "colour"),
    ],
)
def test_unknown_fields_are_named(path, field):
    data = _sample()
    target = data
    for key in path:
        target = target[key]
    target[field] = "red"
    name = "".join(f"[{k}]" if isinstance(k, int) else f".{k}" for k in (*path, field))
    expected = f"{name.lstrip('.')}: unknown field"
    assert expected in _error(json.dumps(data))
    # Inside an export the path is the plan's own, not prefixed with "plan".
    assert f": {expected}" in _error(json.dumps({"plan": data, "results": {}}))


def test_export_document_is_read_by_its_plan_part():
    plan = load_plan(SCHEMA1)
    doc = {"plan": _sample(), "results": {"sizing": {"anything": [1, 2]}, "extra": True}}
    assert plan_from_json(json.dumps(doc)) == plan
    assert _error(json.dumps({"plan": [1, 2]})) == "p.hvplan.json: plan: must be a JSON object"
    # A plan that also holds a "plan" key is a plan with an unknown field, not an export.
    assert "plan: unknown field" in _error(json.dumps({**_sample(), "plan": _sample()}))


def test_export_with_null_schema_version_is_not_unwrapped():
    doc = {"schema_version": None, "plan": _sample()}
    assert "schema_version: missing" in _error(json.dumps(doc))


def test_integer_too_long_to_convert_is_a_load_error():
    assert "p.hvplan.json" in _error('{"schema_version": ' + "1" * 5000 + "}")


def test_utf8_bom_is_accepted():
    assert plan_from_json(b"\xef\xbb\xbf" + SCHEMA1.read_bytes()) == load_plan(SCHEMA1)


def test_every_truncation_is_refused_or_complete():
    raw = SCHEMA1.read_bytes()
    whole = load_plan(SCHEMA1)
    for cut in range(len(raw)):
        try:
            plan = plan_from_json(raw[:cut])
        except PlanLoadError:
            continue
        assert plan == whole, cut  # only the trailing whitespace may go


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(value, dict):
        for k, v in value.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _paths(v, (*prefix, i))
    return out


SAMPLE_PATHS = _paths(_sample())[1:]


def _replace(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return data


@FUZZ
@given(value=json_values)
def test_any_json_value_is_a_plan_or_a_load_error(value):
    with contextlib.suppress(PlanLoadError):
        plan_from_json(json.dumps(value))


@FUZZ
@given(data=st.binary(max_size=200))
def test_any_bytes_are_a_plan_or_a_load_error(data):
    with contextlib.suppress(PlanLoadError):
        plan_from_json(data)


@FUZZ
@given(path=st.sampled_from(SAMPLE_PATHS), value=json_values, wrap=st.booleans())
def test_one_pass_validation_agrees_with_the_dict_path(path, value, wrap):
    """Same plan, or both refuse, whether the JSON is validated in one pass or as dicts."""
    data = _replace(_sample(), path, value)
    raw = json.dumps({"plan": data, "results": None} if wrap else data)
    try:
        fast: object = planfile._validate_fast(raw, "p")
    except PlanLoadError:
        fast = "refused"
    if fast is None:  # deferred to the dict path
        return
    try:
        slow: object = plan_from_data(data, "p")
    except PlanLoadError:
        slow = "refused"
    assert fast == slow


@FUZZ
@given(
    flips=st.lists(st.tuples(st.integers(min_value=0), st.integers(0, 255)), min_size=1, max_size=4)
)
def test_corrupted_bytes_are_a_plan_or_a_load_error(flips):
    raw = bytearray(SCHEMA1.read_bytes())
    for pos, byte in flips:
        raw[pos % len(raw)] = byte
    with contextlib.suppress(PlanLoadError):
        plan_from_json(bytes(raw))
