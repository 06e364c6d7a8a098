"""Issue 18 item 3 with a real pointer: a plan whose measured series lies outside its
folder opens with a question; clicking Read reads it and the simulation runs, clicking
Don't read leaves it unread and the Utilization view says why, naming the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.faults.plans import SERIES, write_plan
from tests.real.driver import App

QUESTION = "Series outside the plan's folder"


@pytest.mark.parametrize(("button", "reads"), [("Read", True), ("Don't read", False)])
def test_clicking_the_answer_to_the_outside_series_question(
    display: str, tmp_path: Path, button: str, reads: bool
) -> None:
    folder = tmp_path / "plans"
    folder.mkdir()
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "db.csv").write_text(SERIES)
    plan = write_plan(folder, series="../shared/db.csv")
    home = tmp_path / "home"
    home.mkdir()
    app = App(display, home, plan, first_modal=QUESTION)
    try:
        state = app.wait(lambda s: button in s.get("modal_buttons", {}), f"the {button} button")
        assert state["simulation"].startswith("Reading the measured series")
        app.click(*app.middle(state["modal_buttons"][button]))
        state = app.wait(
            lambda s: s["modal"] is None and not s["simulation"].startswith("Reading"),
            "the answer to be taken",
        )
        if reads:
            assert state["simulation"] == ""
        else:
            assert "workloads[0].series: '../shared/db.csv' leads out" in state["simulation"]
        app.focus()
        app.close()
    finally:
        app.kill()
