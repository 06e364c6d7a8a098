"""Issue 18 item 3, in the window: a plan's measured series are read off the GUI thread
(the event loop keeps turning while a slow file is read, with progress and Cancel), and a
series outside the plan's folder is read only when the user says so, asked once per plan."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QSettings, Qt, QTimer

from hvplanner.formats import measured
from hvplanner.formats.planfile import load_plan
from hvplanner.ui import commands as c
from hvplanner.ui.autosave import Autosave
from hvplanner.ui.mainwindow import MainWindow
from tests.faults.plans import SERIES, write_plan
from tests.ui.conftest import FakeAsker

HOLD_S = 5.0


@pytest.fixture
def asker() -> FakeAsker:
    return FakeAsker()


@pytest.fixture
def open_window(qtbot, tmp_path: Path, asker: FakeAsker) -> Iterator[Callable[[Path], MainWindow]]:
    made: list[MainWindow] = []

    def make(path: Path) -> MainWindow:
        settings = QSettings(str(tmp_path / f"settings{len(made)}.ini"), QSettings.Format.IniFormat)
        win = MainWindow(
            load_plan(path),
            path,
            asker=asker,  # type: ignore[arg-type]
            autosave=Autosave(tmp_path / f"autosave{len(made)}"),
            settings=settings,
        )
        qtbot.addWidget(win)
        win.resize(1200, 800)
        win.show()
        made.append(win)
        return win

    yield make
    for win in made:
        win.live.series.shutdown()
        win.doc.undo_stack.setClean()


@pytest.fixture
def held(monkeypatch) -> Iterator[threading.Event]:
    """A slow source: every series read waits until the test sets the event (at most
    HOLD_S, so a window that blocks on it fails the test instead of hanging)."""
    release = threading.Event()
    real = measured.read_limited

    def slow(*args: object, **kwargs: object) -> bytes:
        release.wait(HOLD_S)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(measured, "read_limited", slow)
    yield release
    release.set()


def ticking(qtbot) -> list[int]:
    ticks: list[int] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    ticking.timer = timer  # type: ignore[attr-defined]  # alive as long as the test
    return ticks


def test_the_event_loop_turns_while_a_slow_series_is_read(qtbot, open_window, tmp_path, held):
    ticks = ticking(qtbot)
    win = open_window(write_plan(tmp_path))
    view = win.utilization
    qtbot.waitUntil(lambda: len(ticks) >= 20, timeout=3000)
    # Twenty turns of the event loop while the file is still being read.
    assert win.live.live is None and "Reading the measured series (db.csv)" in win.live.error
    assert not held.is_set() and win.live.series.reading
    assert view.reading_row.isVisibleTo(view) and view.read_button.text() == "Cancel"
    held.set()
    qtbot.waitUntil(lambda: win.live.live is not None, timeout=10_000)
    assert not view.reading_row.isVisibleTo(view)


def test_the_series_read_arrives_and_is_drawn(qtbot, open_window, tmp_path):
    win = open_window(write_plan(tmp_path))
    view = win.utilization
    win.views.setCurrentWidget(view)
    assert win.live.series.wait()
    assert win.live.live is not None and win.live.error == ""
    view.show_hosts(["h2"])  # the host of the measured VMs
    view.set_window(10080.0)
    view.seek(1440.0)
    hours, cpu = view.visible_data(0, "h2")
    assert len(hours) > 100 and np.isfinite(cpu).all()
    # The series says 25 % of the VMs' vCPUs at midnight, 100 % at noon, linearly between.
    assert cpu.max() > 2 * cpu.min() > 0
    assert view.readout.text().startswith("Simulated use")


def test_a_series_on_a_pipe_is_refused_in_words_naming_it(qtbot, open_window, tmp_path):
    path = write_plan(tmp_path, series="feed.csv")
    os.mkfifo(tmp_path / "feed.csv")
    win = open_window(path)
    assert win.live.series.wait(10_000)
    error = win.live.error
    assert "workloads[0].series" in error and "feed.csv: not a regular file" in error
    assert "feed.csv: not a regular file" in win.utilization.readout.text()
    assert win.utilization.read_button.text() == "Read again"


def test_cancel_stops_the_read_and_read_again_reads(qtbot, open_window, tmp_path, held):
    win = open_window(write_plan(tmp_path))
    view = win.utilization
    win.views.setCurrentWidget(view)
    qtbot.waitUntil(view.read_button.isVisible, timeout=3000)
    qtbot.mouseClick(view.read_button, Qt.MouseButton.LeftButton)
    held.set()
    assert win.live.series.wait(10_000)
    assert win.live.live is None and "cancelled" in win.live.error
    assert view.read_button.text() == "Read again"
    # An edit does not read them again unasked.
    vm = win.doc.plan.vms[0]
    win.doc.push(c.EditVMCommand(win.doc, vm.id, vm.model_copy(update={"name": "web2"})))
    win.live.refresh_now()
    assert not win.live.series.reading and win.live.live is None
    qtbot.mouseClick(view.read_button, Qt.MouseButton.LeftButton)
    assert win.live.series.wait(10_000)
    assert win.live.live is not None


def test_a_long_series_reports_progress(qtbot, open_window, tmp_path):
    path = write_plan(tmp_path)
    rows = "".join(f"{i},0.5,0.5,0\n" for i in range(200_000))
    (tmp_path / "db.csv").write_text("minute,cpu,ram,nic\n" + rows)
    win = open_window(path)
    seen: list[tuple[int, int]] = []
    win.live.series.progressed.connect(lambda d, t: seen.append((d, t)))
    assert win.live.series.wait(60_000)
    assert win.live.live is not None
    assert len(seen) >= 5 and all(0 <= d <= t for d, t in seen)
    assert seen[-1][0] > seen[0][0]


def outside_plan(tmp_path: Path) -> tuple[Path, Path]:
    folder = tmp_path / "plans"
    folder.mkdir()
    path = write_plan(folder, series="../shared/db.csv")
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "db.csv").write_text(SERIES)
    return path, (tmp_path / "shared" / "db.csv").resolve()


def test_a_series_outside_the_folder_is_read_when_the_user_says_read(
    qtbot, open_window, tmp_path, asker
):
    path, target = outside_plan(tmp_path)
    asker.outside_answer = True
    win = open_window(path)
    assert win.live.series.wait()
    assert asker.asked_outside == [(path, [target])]
    assert win.live.live is not None
    # Asked once per plan: not after an edit, nor when the plan is opened again.
    vm = win.doc.plan.vms[0]
    win.doc.push(c.EditVMCommand(win.doc, vm.id, vm.model_copy(update={"name": "web2"})))
    win.live.refresh_now()
    again = open_window(path)
    assert again.live.series.wait() and again.live.live is not None
    assert len(asker.asked_outside) == 1


def test_a_series_outside_the_folder_is_not_read_when_the_user_says_no(
    qtbot, open_window, tmp_path, asker, monkeypatch
):
    path, target = outside_plan(tmp_path)
    reads: list[object] = []
    monkeypatch.setattr(measured, "_load", lambda p, progress=None: reads.append(p))
    win = open_window(path)
    assert win.live.series.wait()
    assert asker.asked_outside == [(path, [target])] and reads == []
    error = win.live.error
    assert str(path) in error and "workloads[0].series" in error
    assert "'../shared/db.csv' leads out of the plan's folder" in error
    again = open_window(path)
    assert again.live.series.wait() and again.live.live is None
    assert len(asker.asked_outside) == 1


def test_the_export_reads_a_confirmed_outside_series(qtbot, open_window, tmp_path, asker):
    path, _ = outside_plan(tmp_path)
    asker.outside_answer = True
    win = open_window(path)
    assert win.live.series.wait()
    out = tmp_path / "r.json"
    asker.export_to["json"] = out
    win.exchange.export_json()
    qtbot.waitUntil(lambda: not win.exchange.task.running, timeout=60_000)
    assert out.exists() and asker.errors == []
    assert len(asker.asked_outside) == 1


def test_the_question_reads_as_typed_with_dont_read_the_default(qtbot, tmp_path):
    from hvplanner.ui.dialogs import outside_series_box

    target = tmp_path / "<b>x</b>.csv"
    box = outside_series_box(tmp_path / "p.hvplan.json", [target], None)
    qtbot.addWidget(box)
    assert box.text() == f"This plan reads {target} outside its folder. Read it?"
    assert box.textFormat() == Qt.TextFormat.PlainText
    assert box.defaultButton().text() == "&Don't read"
    assert box.escapeButton() is box.defaultButton()


def test_the_dialog_answers_read_and_dont_read(qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from hvplanner.ui.dialogs import Asker

    for name, want in (("read", True), ("dont-read", False)):

        def press(box: QMessageBox, name: str = name) -> int:
            button = next(b for b in box.buttons() if b.objectName() == name)
            button.click()
            return 0

        monkeypatch.setattr(QMessageBox, "exec", press)
        assert Asker(None).read_outside(tmp_path / "p.hvplan.json", [tmp_path / "x.csv"]) is want
