"""Opening a plan reads and checks it off the GUI thread: the window keeps turning, Cancel
keeps the open plan, a bad file says what it said before, one read at a time."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QPushButton

from hvplanner.errors import PlanLoadError
from hvplanner.formats.planfile import load_plan
from hvplanner.ui.background import live_workers
from hvplanner.ui.commands import MoveVMsCommand
from tests.ui.opening import open_plan, settle

VMS = 100_000


def large_plan(folder: Path, bad_at: int | None = None, count: int = VMS) -> Path:
    vms = [{"id": f"vm-{i}", "vcpu": 1, "ram_gb": 2} for i in range(count)]
    if bad_at is not None:
        vms[bad_at]["vcpu"] = -1
    path = folder / "large.hvplan.json"
    path.write_text(json.dumps({"schema_version": 1, "name": "Large", "vms": vms}))
    return path


@pytest.fixture(scope="module")
def large(tmp_path_factory) -> Path:
    return large_plan(tmp_path_factory.mktemp("large"))


def test_the_window_turns_while_a_large_plan_is_read_and_checked(qtbot, window, tmp_path) -> None:
    large = large_plan(tmp_path, count=3 * VMS)
    ticks: list[int] = []
    steps: set[int] = set()  # how far the check was, as the window's thread heard it

    def heard(done: int, _total: int) -> None:
        if live_workers():  # while the worker still reads or checks
            steps.add(done)

    def start() -> bool:
        if not window.files.open_path(large):
            return False
        assert window.files.loader.task is not None
        window.files.loader.task.progressed.connect(heard)
        return True

    qtbot.wait(300)  # the window's first layout and paint are done
    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    try:
        assert settle(window, start)
    finally:
        timer.stop()
    assert window.doc.plan.name == "Large" and len(window.doc.plan.vms) == 3 * VMS
    assert ticks
    # The window's thread took in steps of the check (the second half of the progress)
    # while it ran: checked in one call, the check would hold the interpreter lock
    # throughout, and report no step.
    assert len({v for v in steps if 500 < v < 1000}) >= 2, sorted(steps)


def test_cancel_keeps_the_open_plan(qtbot, window, asker, large) -> None:
    window.doc.push(MoveVMsCommand(window.doc, ["a"], "h2"))
    before = window.doc.plan
    ends: list[bool] = []
    window.files.settled.connect(ends.append)
    assert window.files.open_path(large)
    assert asker.asked_save == 1  # asked before reading
    assert window.files.loader.dialog is not None
    window.files.loader.dialog.findChild(QPushButton).click()  # the dialog's Cancel
    assert ends == [False] and not window.files.loader.busy
    assert "cancelled" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: not live_workers(), timeout=60_000)
    qtbot.wait(50)  # a worker that finished after Cancel delivers nothing
    assert window.doc.plan is before and window.doc.undo_stack.count() == 1
    assert ends == [False] and asker.errors == []


def test_a_second_open_while_reading_is_refused(qtbot, window, large, tmp_path) -> None:
    other = tmp_path / "other.hvplan.json"
    other.write_text(json.dumps({"schema_version": 1, "name": "Other"}))
    ends: list[bool] = []
    window.files.settled.connect(ends.append)
    assert window.files.open_path(large)
    assert not window.files.open_path(other)
    assert not window.files.offer_recovery()
    assert "still being read" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: bool(ends), timeout=60_000)
    assert ends == [True] and window.doc.plan.name == "Large"


def test_a_bad_large_file_says_what_it_said_before(qtbot, window, asker, tmp_path) -> None:
    path = large_plan(tmp_path, bad_at=VMS - 10)
    before = window.doc.plan
    with pytest.raises(PlanLoadError) as exc:
        load_plan(path)
    assert not open_plan(qtbot, window, path)
    assert asker.errors == [("Cannot open the plan", str(exc.value))]
    assert f"vms[{VMS - 10}].vcpu" in str(exc.value) and str(path) in str(exc.value)
    assert window.doc.plan is before


def test_unsaved_changes_are_asked_about_before_reading(qtbot, window, asker, large) -> None:
    window.doc.push(MoveVMsCommand(window.doc, ["a"], "h2"))
    asker.answer = "cancel"
    assert not window.files.open_path(large)
    assert asker.asked_save == 1 and not window.files.loader.busy
    assert window.doc.undo_stack.count() == 1


def test_an_edit_made_while_reading_is_not_dropped_unasked(qtbot, window, asker, large) -> None:
    ends: list[bool] = []
    window.files.settled.connect(ends.append)
    assert window.files.open_path(large)  # clean: nothing asked
    window.doc.push(MoveVMsCommand(window.doc, ["a"], "h2"))  # before the dialog shows
    asker.answer = "cancel"
    qtbot.waitUntil(lambda: bool(ends), timeout=60_000)
    assert ends == [False] and asker.asked_save == 1
    assert window.doc.plan.name != "Large" and window.doc.undo_stack.count() == 1


def test_the_worker_only_reads_and_checks(qtbot, window, tmp_path, monkeypatch) -> None:
    import threading

    from hvplanner.ui import files
    from tests.qt_guard import QtUseRecorder, leftovers

    path = tmp_path / "small.hvplan.json"
    path.write_text(json.dumps({"schema_version": 1, "name": "Small"}))
    recorder = QtUseRecorder()
    monkeypatch.setattr(files, "read_plan", recorder.wrap(files.read_plan))
    assert open_plan(qtbot, window, path)
    assert window.doc.plan.name == "Small"
    assert recorder.threads and threading.main_thread().name not in recorder.threads
    assert recorder.seen == []
    assert leftovers() == ([], [])
