"""The export's worker computes only; the pages are painted on the GUI thread; Cancel and
quitting reach every phase; no worker outlives the window."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QObject

from hvplanner.ui.background import BackgroundTask, live_workers
from tests.qt_guard import QtUseRecorder, leftovers


def _wait_done(qtbot, window) -> None:
    qtbot.waitUntil(lambda: not window.exchange.task.running, timeout=30_000)


def test_the_recorder_sees_qt_use(qtbot) -> None:
    """The check below can fail: a job that makes a QObject is caught."""
    recorder = QtUseRecorder()
    task = BackgroundTask()
    with qtbot.waitSignal(task.finished, timeout=5000):
        task.start(recorder.wrap(lambda progress: QObject().objectName()))
    assert recorder.seen, "a QObject made in the worker must be recorded"


def test_pdf_export_worker_makes_no_qt_object(window, asker, qtbot, tmp_path) -> None:
    target = tmp_path / "report.pdf"
    asker.export_to = {"pdf": target}
    recorder = QtUseRecorder()
    window.exchange.build_pdf_report = recorder.wrap(window.exchange.build_pdf_report)
    window.exchange.export_pdf()
    _wait_done(qtbot, window)
    assert asker.errors == []
    assert target.read_bytes().startswith(b"%PDF")
    assert recorder.threads and threading.main_thread().name not in recorder.threads
    assert recorder.seen == []
    assert leftovers() == ([], [])


def test_cancel_while_the_pages_are_painted(window, asker, qtbot, tmp_path) -> None:
    target = tmp_path / "report.pdf"
    target.write_bytes(b"previous report")
    asker.export_to = {"pdf": target}
    task = window.exchange.task
    window.exchange.export_pdf()
    qtbot.waitUntil(lambda: task._thread is None, timeout=30_000)  # the worker is done
    assert task.running  # ... and the pages are being painted
    window.exchange.progress.canceled.emit()
    assert not task.running
    assert target.read_bytes() == b"previous report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.pdf", "settings.ini"]
    assert window.statusBar().currentMessage() == "Export cancelled; no file was written"


def test_closing_the_window_during_an_export_waits_for_its_worker(
    window, asker, qtbot, tmp_path
) -> None:
    target = tmp_path / "report.pdf"
    asker.export_to = {"pdf": target}
    real = window.exchange.build_pdf_report
    started = threading.Event()

    def slow(plan, *, progress, **kw):
        def held(done, total):
            started.set()
            threading.Event().wait(0.3)  # a long phase
            return progress(done, total)

        return real(plan, progress=held, **kw)

    window.exchange.build_pdf_report = slow
    window.exchange.export_pdf()
    assert started.wait(10)
    window.close()
    assert live_workers() == []
    assert not target.exists()


QUIT_SCRIPT = """
import sys, threading
from pathlib import Path
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication
sys.path.insert(0, {repo!r})
from tests.ui.conftest import FakeAsker, small_plan
from hvplanner.ui.autosave import Autosave
from hvplanner.ui.mainwindow import MainWindow

tmp = Path({tmp!r})
app = QApplication(["hvplanner"])
asker = FakeAsker()
asker.export_to = {{"pdf": tmp / "r.pdf"}}
win = MainWindow(small_plan(), None, asker=asker,
                 autosave=Autosave(tmp / "autosave"),
                 settings=QSettings(str(tmp / "s.ini"), QSettings.Format.IniFormat))
real = win.exchange.build_pdf_report
def slow(plan, *, progress, **kw):
    def held(done, total):
        threading.Event().wait(0.5)
        return progress(done, total)
    return real(plan, progress=held, **kw)
win.exchange.build_pdf_report = slow
win.show()
QTimer.singleShot(50, win.exchange.export_pdf)
QTimer.singleShot(300, {how})  # while the worker is inside a phase
code = app.exec()
win.deleteLater()
QApplication.sendPostedEvents()
del win, real
import gc; gc.collect()
print("exit", code, flush=True)
"""


@pytest.mark.parametrize("how", ["win.close", "app.quit"])
def test_quitting_during_an_export_exits_cleanly(tmp_path: Path, how: str) -> None:
    """File ▸ Quit closes the window; a session ending quits the application."""
    repo = str(Path(__file__).resolve().parents[2])
    script = textwrap.dedent(QUIT_SCRIPT.format(repo=repo, tmp=str(tmp_path), how=how))
    done = subprocess.run(
        [sys.executable, "-c", script],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
        env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert "QThread: Destroyed while thread is still running" not in done.stderr
    assert done.returncode == 0, done.stderr[-2000:]
    assert "exit 0" in done.stdout
    assert not (tmp_path / "r.pdf").exists()


def test_the_recorder_sees_painting_in_a_worker(qtbot) -> None:
    """What the export did before: paint (here, the plan's picture) in the worker."""
    from hvplanner.catalog import load_catalog
    from hvplanner.engine.hostload import plan_loads
    from hvplanner.painting.plan import plan_pictures
    from hvplanner.painting.style import LIGHT
    from tests.ui.conftest import small_plan

    plan = small_plan()
    loads = plan_loads(plan, load_catalog().get(plan.hypervisor))
    recorder = QtUseRecorder()
    task = BackgroundTask()
    with qtbot.waitSignal(task.finished, timeout=5000):
        task.start(recorder.wrap(lambda progress: plan_pictures(plan, loads, LIGHT) and None))
    assert "hvplanner.painting.plan.plan_pictures" in recorder.seen


def test_the_guard_sees_a_running_worker_and_an_object_off_the_gui_thread(qtbot) -> None:
    from PySide6.QtCore import QThread

    gate = threading.Event()
    task = BackgroundTask()
    task.start(lambda progress: gate.wait(10))
    running, _ = leftovers()
    assert running
    gate.set()
    assert task.wait()
    qtbot.waitUntil(lambda: not task.running, timeout=5000)
    thread = QThread()
    thread.start()
    stray = QObject()
    stray.moveToThread(thread)
    assert leftovers()[1] == ["PySide6.QtCore.QObject"]
    stray.deleteLater()
    thread.quit()
    assert thread.wait(5000)
    del stray
    assert leftovers() == ([], [])


def test_a_plan_with_a_measured_workload_exports_from_the_window(qtbot, tmp_path) -> None:
    import json

    from PySide6.QtCore import QSettings

    from hvplanner.formats.planfile import load_plan
    from hvplanner.ui.autosave import Autosave
    from hvplanner.ui.mainwindow import MainWindow
    from tests.formats.test_one_report import PLAN
    from tests.ui.conftest import FakeAsker

    (tmp_path / "db.csv").write_text("minute,cpu,ram,nic\n0,0.25,0.5,0\n720,1,0.5,0\n")
    path = tmp_path / "m.hvplan.json"
    path.write_text(json.dumps(PLAN))
    asker = FakeAsker()
    window = MainWindow(
        load_plan(path),
        path,
        asker=asker,  # type: ignore[arg-type]
        autosave=Autosave(tmp_path / "autosave"),
        settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat),
    )
    qtbot.addWidget(window)
    asker.export_to = {"pdf": tmp_path / "r.pdf", "json": tmp_path / "r.json"}
    window.exchange.export_pdf()
    _wait_done(qtbot, window)
    window.exchange.export_json()
    _wait_done(qtbot, window)
    assert asker.errors == []
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
    sim = json.loads((tmp_path / "r.json").read_text())["results"]["simulation"]
    assert sim["hosts"][1]["cpu"]["peak"] == 4.0  # the measured trace's peak, as `simulate`
