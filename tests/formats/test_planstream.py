"""The streamed plan writer gives the same text as plan_to_json, and writes atomically."""

from __future__ import annotations

from pathlib import Path

from hvplanner.formats.planfile import load_plan, plan_to_json
from hvplanner.formats.planstream import plan_chunks, save_plan_streamed
from hvplanner.model.plan import Plan
from tests.conftest import SAMPLES


def test_chunks_are_the_plan_file_text(tmp_path):
    plans = [load_plan(p) for p in sorted(Path(SAMPLES).glob("*.hvplan.json"))]
    plans.append(Plan())
    for plan in plans:
        assert "".join(plan_chunks(plan)) == plan_to_json(plan)
    out = tmp_path / "p.hvplan.json"
    save_plan_streamed(plans[0], out)
    assert load_plan(out) == plans[0]
    assert [p.name for p in tmp_path.iterdir()] == ["p.hvplan.json"]
