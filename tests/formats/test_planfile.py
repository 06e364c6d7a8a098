from __future__ import annotations

import os

import pytest

from hvplanner.errors import PlanLoadError
from hvplanner.formats import planfile
from hvplanner.formats.planfile import load_plan, plan_json_schema, save_plan


def test_sample_round_trips_exactly(seed_sample, tmp_path):
    plan = load_plan(seed_sample)
    out = tmp_path / "copy.hvplan.json"
    save_plan(plan, out)
    assert load_plan(out) == plan
    save_plan(load_plan(out), tmp_path / "again.hvplan.json")
    assert out.read_text() == (tmp_path / "again.hvplan.json").read_text()


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(PlanLoadError, match="no such file"):
        load_plan(tmp_path / "nope.hvplan.json")
    with pytest.raises(PlanLoadError, match="is a folder"):
        load_plan(tmp_path)


def test_not_utf8(tmp_path):
    bad = tmp_path / "bad.hvplan.json"
    bad.write_bytes(b'{"name": "\xff\xfe"}')
    with pytest.raises(PlanLoadError):
        load_plan(bad)


def test_failed_save_leaves_the_old_file_untouched(seed_sample, tmp_path, monkeypatch):
    target = tmp_path / "plan.hvplan.json"
    target.write_text("old contents")
    plan = load_plan(seed_sample)

    def boom(*_a: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", boom)
    with pytest.raises(OSError, match="disk full"):
        save_plan(plan, target)
    assert target.read_text() == "old contents"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.hvplan.json"]


def test_migration_chain_runs_each_step_in_order(monkeypatch):
    seen: list[int] = []

    def step(version: int):
        def run(data):
            seen.append(version)
            return {**data, f"m{version}": True}

        return run

    monkeypatch.setattr(planfile, "SCHEMA_VERSION", 3)
    monkeypatch.setattr(planfile, "MIGRATIONS", {1: step(1), 2: step(2)})
    out = planfile.migrate({"schema_version": 1, "name": "x"})
    assert seen == [1, 2]
    assert out == {"schema_version": 3, "name": "x", "m1": True, "m2": True}


def test_schema_version_must_be_a_whole_number():
    with pytest.raises(PlanLoadError, match="schema_version: missing"):
        planfile.plan_from_data({"name": "x"})
    with pytest.raises(PlanLoadError, match="schema_version: 0"):
        planfile.plan_from_data({"schema_version": 0})


def test_schema_is_json_schema_with_all_fields():
    schema = plan_json_schema()
    assert schema["$schema"].endswith("2020-12/schema")
    props = schema["properties"]
    for key in ("schema_version", "name", "hypervisor", "policy", "host_models", "hosts", "vms"):
        assert key in props
    assert schema["additionalProperties"] is False


def test_sample_validates_against_the_published_schema(seed_sample):
    import json

    import jsonschema

    jsonschema.validate(json.loads(seed_sample.read_text()), plan_json_schema())
    bad = json.loads(seed_sample.read_text())
    bad["vms"][0]["vcpu"] = "four"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, plan_json_schema())


@pytest.mark.skipif(not hasattr(os, "fchmod"), reason="POSIX file modes")
def test_saved_files_get_ordinary_permissions(seed_sample, tmp_path):
    plan = load_plan(seed_sample)
    old = os.umask(0o022)
    try:
        save_plan(plan, tmp_path / "new.hvplan.json")
        existing = tmp_path / "shared.hvplan.json"
        existing.write_text("{}")
        existing.chmod(0o664)
        save_plan(plan, existing)
    finally:
        os.umask(old)
    assert (tmp_path / "new.hvplan.json").stat().st_mode & 0o777 == 0o644
    assert existing.stat().st_mode & 0o777 == 0o664
