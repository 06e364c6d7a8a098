"""Open, save, recent files, bad files, autosave and recovery, closing with changes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hvplanner.formats.planfile import load_plan, save_plan
from hvplanner.ui.commands import MoveVMsCommand
from hvplanner.ui.dialogs import Answer
from tests.ui.conftest import small_plan


def edit(window) -> None:
    window.doc.push(MoveVMsCommand(window.doc, ["a"], "h2"))


def test_save_as_then_open_round_trip(window, asker, tmp_path: Path) -> None:
    edit(window)
    assert window.isWindowModified() and "*" in window.windowTitle()
    target = tmp_path / "out.hvplan.json"
    asker.save_as = target
    assert window.files.save()
    assert not window.isWindowModified()
    assert load_plan(target) == window.doc.plan
    assert window.files.recent_files() == [str(target.resolve())]
    assert "out.hvplan.json" in window.windowTitle()
    window.files.new_plan()
    assert window.doc.plan.hosts == []
    assert window.files.open_path(target)
    assert window.doc.plan == load_plan(target)
    assert window.doc.undo_stack.count() == 0


BAD_FILES = {
    "truncated": '{"schema_version": 1, "name": "x", "hosts": [',
    "malformed": "not json at all",
    "wrong-version": json.dumps({"schema_version": 99}),
    "hostile": json.dumps({"schema_version": 1, "vms": [{"id": "x", "vcpu": -1, "ram_gb": 1e308}]}),
    "unknown-hypervisor": json.dumps({"schema_version": 1, "hypervisor": "nope@1"}),
    "binary": "\udcff",
}


@pytest.mark.parametrize("kind", sorted(BAD_FILES))
def test_bad_file_shows_problem_and_keeps_plan(window, asker, tmp_path: Path, kind: str) -> None:
    edit(window)
    before = window.doc.plan
    path = tmp_path / f"{kind}.hvplan.json"
    if kind == "binary":
        path.write_bytes(b"\xff\xfe\x00garbage")
    else:
        path.write_text(BAD_FILES[kind])
    assert not window.files.open_path(path, ask=False)
    assert window.doc.plan is before
    assert window.doc.undo_stack.count() == 1
    ((title, text),) = asker.errors
    assert (title == "Cannot open the plan" and str(path) in text) or "nope@1" in text


def test_dropping_a_plan_file_opens_it(window, tmp_path: Path) -> None:
    path = tmp_path / "dropped.hvplan.json"
    plan = small_plan().model_copy(update={"name": "Dropped"})
    save_plan(plan, path)
    window.canvas.files_dropped.emit([str(path)])
    assert window.doc.plan.name == "Dropped"


@pytest.mark.parametrize(("answer", "closes"), [("discard", True), ("cancel", False)])
def test_close_with_changes_asks(window, asker, answer: Answer, closes: bool) -> None:
    edit(window)
    asker.answer = answer
    assert window.close() is closes
    assert asker.asked_save == 1


def test_close_saves_when_asked(window, asker, tmp_path: Path) -> None:
    edit(window)
    asker.answer = "save"
    asker.save_as = tmp_path / "closing.hvplan.json"
    assert window.close()
    assert load_plan(asker.save_as) == window.doc.plan


def test_autosave_and_recovery(window, asker, tmp_path: Path) -> None:
    window.files.autosave_now()
    assert not window.files.autosave.plan_path.exists()  # nothing unsaved, nothing written
    edit(window)
    window.files.autosave_now()
    assert window.files.autosave.plan_path.exists()
    edited = window.doc.plan
    # A crash: the next session starts on another plan and finds the autosave.
    window.doc.reset(small_plan(), None)
    asker.recover_answer = True
    assert window.files.offer_recovery()
    assert window.doc.plan == edited
    assert window.isWindowModified()
    window.doc.undo_stack.setClean()
    window.files.autosave.clear()
    assert not window.files.offer_recovery()


def test_declined_or_broken_recovery_is_cleared(window, asker) -> None:
    edit(window)
    window.files.autosave_now()
    asker.recover_answer = False
    assert not window.files.offer_recovery()
    assert not window.files.autosave.plan_path.exists()
    window.files.autosave.folder.mkdir(parents=True, exist_ok=True)
    window.files.autosave.plan_path.write_text("{ broken")
    assert window.files.autosave.pending() is None
    assert not window.files.autosave.plan_path.exists()


def test_saving_clears_autosave(window, asker, tmp_path: Path) -> None:
    edit(window)
    window.files.autosave_now()
    asker.save_as = tmp_path / "x.hvplan.json"
    window.files.save()
    assert not window.files.autosave.plan_path.exists()
