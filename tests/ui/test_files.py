"""Open, save, recent files, bad files, autosave and recovery, closing with changes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from hvplanner.formats.planfile import load_plan, save_plan
from hvplanner.ui.commands import MoveVMsCommand
from hvplanner.ui.dialogs import Answer
from tests.ui.conftest import small_plan
from tests.ui.opening import open_plan, recover


def edit(window) -> None:
    window.doc.push(MoveVMsCommand(window.doc, ["a"], "h2"))


def test_save_as_then_open_round_trip(qtbot, window, asker, tmp_path: Path) -> None:
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
    assert open_plan(qtbot, window, target)
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
def test_bad_file_shows_problem_and_keeps_plan(
    qtbot, window, asker, tmp_path: Path, kind: str
) -> None:
    edit(window)
    before = window.doc.plan
    path = tmp_path / f"{kind}.hvplan.json"
    if kind == "binary":
        path.write_bytes(b"\xff\xfe\x00garbage")
    else:
        path.write_text(BAD_FILES[kind])
    assert not open_plan(qtbot, window, path, ask=False)
    assert window.doc.plan is before
    assert window.doc.undo_stack.count() == 1
    ((title, text),) = asker.errors
    assert (title == "Cannot open the plan" and str(path) in text) or "nope@1" in text


def test_dropping_a_plan_file_opens_it(qtbot, window, tmp_path: Path) -> None:
    path = tmp_path / "dropped.hvplan.json"
    plan = small_plan().model_copy(update={"name": "Dropped"})
    save_plan(plan, path)
    window.canvas.files_dropped.emit([str(path)])
    qtbot.waitUntil(lambda: window.doc.plan.name == "Dropped", timeout=60_000)


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


def crashed_autosave(folder: Path, plan, source: Path | None = None) -> None:
    """What a window that did not close normally leaves: its autosave, and a lock file
    that names a process that is gone."""
    code = (
        "import os, sys\n"
        "from pathlib import Path\n"
        "from hvplanner.formats.planfile import load_plan\n"
        "from hvplanner.ui.autosave import Autosave\n"
        "a = Autosave(Path(sys.argv[1]), 'crashed')\n"
        "a.write(load_plan(Path(sys.argv[2])), Path(sys.argv[3]) if sys.argv[3] else None)\n"
        "os._exit(1)\n"
    )
    plan_file = folder.parent / "crashed-input.hvplan.json"
    save_plan(plan, plan_file)
    res = subprocess.run(
        [sys.executable, "-c", code, str(folder), str(plan_file), str(source or "")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert res.returncode == 1, res.stderr
    assert (folder / "autosave-crashed.lock").exists()


def test_autosave_and_recovery(qtbot, window, asker, tmp_path: Path) -> None:
    window.files.autosave_now()
    assert not window.files.autosave.plan_path.exists()  # nothing unsaved, nothing written
    edit(window)
    window.files.autosave_now()
    assert window.files.autosave.plan_path.exists()
    # Another window crashed with its own unsaved plan; this one is offered it.
    lost = small_plan().model_copy(update={"name": "Lost work"})
    crashed_autosave(window.files.autosave.folder, lost, tmp_path / "lost.hvplan.json")
    asker.recover_answer = True
    assert recover(qtbot, window)
    assert window.doc.plan == lost and window.doc.path == tmp_path / "lost.hvplan.json"
    assert window.isWindowModified()
    # Kept under this window's autosave; the crashed one's files are gone.
    assert load_plan(window.files.autosave.plan_path) == lost
    assert not (window.files.autosave.folder / "autosave-crashed.hvplan.json").exists()
    assert not recover(qtbot, window)
    window.doc.undo_stack.setClean()


def test_declined_or_broken_recovery_is_cleared(qtbot, window, asker) -> None:
    folder = window.files.autosave.folder
    crashed_autosave(folder, small_plan())
    asker.recover_answer = False
    assert not recover(qtbot, window)
    assert not (folder / "autosave-crashed.hvplan.json").exists()
    (folder / "autosave-crashed.hvplan.json").write_text("{ broken")
    assert window.files.autosave.pending() is None
    assert not (folder / "autosave-crashed.hvplan.json").exists()


def test_two_windows_keep_their_own_autosave(qtbot, make_window, asker) -> None:
    first = make_window(small_plan())
    edit(first)
    first.files.autosave_now()
    second = make_window(small_plan())
    assert first.files.autosave.plan_path != second.files.autosave.plan_path
    # The second window finds the first one's autosave held: no false recovery, no deletion.
    asker.recover_answer = False
    assert not recover(qtbot, second)
    assert first.files.autosave.plan_path.exists()
    edit(second)
    second.files.autosave_now()
    assert first.files.autosave.plan_path.exists() and second.files.autosave.plan_path.exists()
    # Closing one window removes its autosave only.
    asker.answer = "discard"
    assert second.close()
    assert not second.files.autosave.plan_path.exists()
    assert first.files.autosave.plan_path.exists()


def test_saving_clears_autosave(window, asker, tmp_path: Path) -> None:
    edit(window)
    window.files.autosave_now()
    asker.save_as = tmp_path / "x.hvplan.json"
    window.files.save()
    assert not window.files.autosave.plan_path.exists()


def test_a_bundled_sample_opens_as_a_copy(qtbot, window, asker, tmp_path: Path) -> None:
    from hvplanner.paths import sample_plan

    sample = sample_plan()
    before = sample.read_bytes()
    assert open_plan(qtbot, window, sample)
    assert window.doc.path is None and "not saved" in window.windowTitle()
    assert "copy of the sample" in window.statusBar().currentMessage()
    edit_any = next(v for v in window.doc.plan.vms if v.host)
    window.doc.push(MoveVMsCommand(window.doc, [edit_any.id], None))
    asker.save_as = tmp_path / "mine.hvplan.json"
    assert window.files.save()  # asks where: Save As
    assert window.doc.path == asker.save_as
    assert sample.read_bytes() == before


@pytest.mark.parametrize("name", ["vms.csv", "inventory.txt"])
def test_opening_an_inventory_offers_import(
    qtbot, window, asker, tmp_path: Path, name: str
) -> None:
    path = tmp_path / name
    path.write_text("name,vcpu,ram_gb\nweb-01,2,4\nweb-02,2,4\n")
    asker.import_file = None
    before = window.doc.plan
    asker.import_answer = True
    assert not window.files.open_path(path)
    assert asker.import_offered == [path]
    assert not asker.errors  # no JSON parser message
    # Accepted: the import preview runs on that file (read off the GUI thread), and the VMs
    # join the plan.
    qtbot.waitUntil(lambda: len(asker.previewed) == 1, timeout=10_000)
    assert {"web-01", "web-02"} <= {v.label for v in window.doc.plan.vms}
    window.doc.undo_stack.undo()
    assert window.doc.plan == before
    asker.import_answer = False
    assert not window.files.open_path(path)
    assert len(asker.previewed) == 1 and window.doc.plan == before


def test_a_running_instance_keeps_its_autosave_until_it_dies(tmp_path: Path) -> None:
    """Two processes, as two `hvplanner gui` windows are: the live one's autosave is neither
    offered nor deleted; once that process is gone, its autosave is offered."""
    from hvplanner.ui.autosave import Autosave

    folder = tmp_path / "autosave"
    plan_file = tmp_path / "input.hvplan.json"
    save_plan(small_plan(), plan_file)
    code = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from hvplanner.formats.planfile import load_plan\n"
        "from hvplanner.ui.autosave import Autosave\n"
        "a = Autosave(Path(sys.argv[1]), 'other')\n"
        "a.write(load_plan(Path(sys.argv[2])), None)\n"
        "print('ready', flush=True)\n"
        "time.sleep(60)\n"
    )
    other = subprocess.Popen(
        [sys.executable, "-c", code, str(folder), str(plan_file)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert other.stdout is not None and other.stdout.readline().strip() == "ready"
        mine = Autosave(folder)
        assert mine.orphans() == []
        assert (folder / "autosave-other.hvplan.json").exists()
    finally:
        other.kill()
        other.wait(10)
        if other.stdout is not None:
            other.stdout.close()
    later = Autosave(folder)
    found = later.orphans()
    assert [o.files.plan.name for o in found] == ["autosave-other.hvplan.json"]
    later.release()


def test_recovered_work_on_a_sample_is_still_a_copy(qtbot, window, asker) -> None:
    from hvplanner.paths import sample_plan

    crashed_autosave(window.files.autosave.folder, small_plan(), sample_plan())
    asker.recover_answer = True
    assert recover(qtbot, window)
    assert window.doc.path is None  # Save asks where: the sample is not overwritten
    window.doc.undo_stack.setClean()
