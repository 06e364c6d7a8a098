"""Auto-place machinery: runs off the GUI thread, reports progress, cancels, undoes in one step."""

from __future__ import annotations

import threading

from hvplanner.model import edits
from hvplanner.ui.autoplace import AutoPlaceRunner, Progress
from hvplanner.ui.mainwindow import MainWindow


def to_first_host(plan, profile, progress: Progress):
    for i in range(5):
        progress.report(i / 5, f"step {i}")
    unplaced = [v.id for v in plan.vms if v.host is None and v.id != "big"]
    return edits.move_vms(plan, unplaced, plan.hosts[-1].id)


def _window(qtbot, tmp_path, asker, placer, plan=None) -> MainWindow:
    """A window on `plan` (the small plan by default) whose Auto-place runs `placer`."""
    from PySide6.QtCore import QSettings

    from hvplanner.ui.autosave import Autosave
    from tests.ui.conftest import small_plan

    win = MainWindow(
        plan if plan is not None else small_plan(),
        asker=asker,
        autosave=Autosave(tmp_path / "a"),
        settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat),
        placer=placer,
    )
    qtbot.addWidget(win)
    return win


def _twelve_web_vms():
    """The small plan without its VM too big for any host, and 12 web VMs unplaced: the
    engine places every one."""
    from hvplanner.model.plan import VM
    from tests.ui.conftest import small_plan

    plan = small_plan()
    plan = plan.model_copy(update={"vms": [v for v in plan.vms if v.id != "big"]})
    return edits.add_vms(plan, [VM(id="web", count=12, vcpu=2, ram_gb=4)])


def test_runner_reports_progress_and_result(qtbot, window) -> None:
    runner = AutoPlaceRunner(to_first_host)
    seen: list[int] = []
    runner.progressed.connect(lambda p, _t: seen.append(p))
    with qtbot.waitSignal(runner.finished, timeout=5000) as done:
        runner.start(window.doc.plan, window.doc.profile)
    assert seen == [0, 20, 40, 60, 80]
    assert next(v.host for v in done.args[0].vms if v.id == "grp") == "h2"
    assert not runner.running


def test_runner_cancel(qtbot, window) -> None:
    started = threading.Event()

    def slow(plan, profile, progress: Progress):
        started.set()
        while True:
            progress.check()
            threading.Event().wait(0.005)

    runner = AutoPlaceRunner(slow)
    with qtbot.waitSignal(runner.cancelled, timeout=5000):
        runner.start(window.doc.plan, window.doc.profile)
        assert started.wait(5)
        runner.cancel()


def test_runner_failure_is_reported(qtbot, window) -> None:
    def broken(plan, profile, progress):
        raise RuntimeError("boom")

    runner = AutoPlaceRunner(broken)
    with qtbot.waitSignal(runner.failed, timeout=5000) as failed:
        runner.start(window.doc.plan, window.doc.profile)
    assert "boom" in failed.args[0]


def test_window_applies_placement_as_one_undo_step(qtbot, tmp_path, asker) -> None:

    win = _window(qtbot, tmp_path, asker, to_first_host)
    before = win.doc.plan
    assert win.autoplace.isEnabled()
    win.autoplace.run()
    qtbot.waitUntil(lambda: win.doc.undo_stack.count() == 1, timeout=5000)
    assert next(v.host for v in win.doc.plan.vms if v.id == "grp") == "h2"
    assert win.scene.cards["h2"].load.dim("vms").used == 5
    # h1 and h2 were in use and still are; "big" fits on neither, so no bound is known.
    message = win.statusBar().currentMessage()
    assert message.startswith("Auto-place done: 2 → 2 hosts in use")
    assert "Undo reverts it" in message
    win.doc.undo_stack.undo()
    assert win.doc.plan == before
    win.doc.undo_stack.setClean()


def test_window_auto_place_with_the_engine(qtbot, tmp_path, asker) -> None:

    from hvplanner.engine.placement import assumptions_for
    from hvplanner.engine.placement.check import verify
    from hvplanner.ui.placing import engine_placer

    plan = _twelve_web_vms()
    win = _window(qtbot, tmp_path, asker, engine_placer, plan)
    before = win.doc.plan
    win.autoplace.run()
    qtbot.waitUntil(lambda: win.doc.undo_stack.count() == 1, timeout=20000)
    after = win.doc.plan
    assert all(v.host is not None for v in after.vms)
    assert after.vm_count == before.vm_count
    # Every host the window shows is within its capacity, by the engine's own checker.
    from hvplanner.engine.placement import place

    assert verify(after, place(after), assumptions_for(after)) == []
    assert "lower bound" in win.summary.facts.text()
    message = win.statusBar().currentMessage()
    assert "hosts in use (lower bound" in message, message
    # The engine's count of VMs taken off their hosts (a, b and c sit on h1 and h2).
    moved = place(before).moved
    assert (f"{moved} VMs move" if moved != 1 else "1 VM moves") in message, message
    win.doc.undo_stack.undo()
    assert win.doc.plan == before
    win.doc.undo_stack.setClean()


def test_cancel_ends_a_long_engine_placement_within_a_second(qtbot, window, monkeypatch) -> None:
    import time

    import numpy as np

    from hvplanner.engine.placement import classes
    from hvplanner.model.plan import VM, HostModel, Plan, Policy
    from hvplanner.ui.placing import engine_placer

    # 20,000 VMs of distinct sizes go through the size classes and their repair, which
    # the engine must drop at Cancel (and at quit) instead of running on to its time
    # limit. The whole placement takes well under a second now, so its repair stage is
    # made long here: it waits for the cancel (10 s at most), then runs as it is.
    real_swap = classes._swap
    inside = threading.Event()

    def long_swap(bins, cls, budget):
        inside.set()
        waited = time.perf_counter()
        while not budget.cancelled and time.perf_counter() - waited < 10.0:
            time.sleep(0.005)
        return real_swap(bins, cls, budget)

    monkeypatch.setattr(classes, "_swap", long_swap)
    rng = np.random.default_rng(7)
    vcpu, ram, disk = (
        rng.integers(1, 9, 20_000),
        rng.uniform(1, 32, 20_000),
        rng.uniform(20, 400, 20_000),
    )
    plan = Plan(
        policy=Policy(vcpu_per_lp=4),
        host_models=[
            HostModel(id="r", sockets=2, cores_per_socket=16, ghz=2.5, ram_gb=512, disk_gb=8000)
        ],
        vms=[
            VM(
                id=f"v{i}",
                vcpu=int(vcpu[i]),
                ram_gb=round(float(ram[i]), 3),
                disk_gb=round(float(disk[i]), 1),
            )
            for i in range(20_000)
        ],
    )
    runner = AutoPlaceRunner(engine_placer)
    texts: list[str] = []
    runner.progressed.connect(lambda _p, t: texts.append(t))
    finished: list[object] = []
    runner.finished.connect(finished.append)
    runner.start(plan, window.doc.profile)
    qtbot.waitUntil(lambda: any("Packing" in t for t in texts), timeout=10_000)
    qtbot.waitUntil(inside.is_set, timeout=10_000)  # inside the engine's stages
    with qtbot.waitSignal(runner.cancelled, timeout=5000):
        asked = time.perf_counter()
        runner.cancel()
    runner.task.wait()
    assert time.perf_counter() - asked < 1.0
    assert not finished


def test_the_status_line_is_worked_out_beside_the_placement(
    qtbot, tmp_path, asker, monkeypatch
) -> None:
    """Its lower bound is O(VMs): the run's thread works it out, the GUI thread only applies."""

    from hvplanner.ui import autoplace_action

    threads: list[str] = []
    real = autoplace_action.placement_change

    def spy(before, after, profile):
        threads.append(threading.current_thread().name)
        return real(before, after, profile)

    monkeypatch.setattr(autoplace_action, "placement_change", spy)
    win = _window(qtbot, tmp_path, asker, to_first_host)
    win.autoplace.run()
    qtbot.waitUntil(lambda: win.doc.undo_stack.count() == 1, timeout=5000)
    assert win.statusBar().currentMessage().startswith("Auto-place done: 2 → 2 hosts in use")
    assert threads and threading.main_thread().name not in threads
    win.doc.undo_stack.setClean()


def test_the_new_plan_comes_with_its_bounds_and_indexes(
    qtbot, tmp_path, asker, monkeypatch
) -> None:
    """The engine's bounds serve the status line and the summary, and the plan's indexes
    are built in the run's thread: the GUI thread finds both ready."""

    from hvplanner.engine import planindex
    from hvplanner.engine.placement import layout
    from hvplanner.ui.placing import engine_placer

    bounds_of: list[object] = []
    indexed: dict[int, str] = {}
    real_build, real_index = layout.build, planindex._build_by_host

    def build(plan, a, max_hosts=None):
        bounds_of.append(plan)
        return real_build(plan, a, max_hosts)

    def index(plan):
        indexed.setdefault(id(plan), threading.current_thread().name)
        return real_index(plan)

    monkeypatch.setattr(layout, "build", build)
    monkeypatch.setattr(planindex, "_build_by_host", index)
    by_id: list[int] = []  # plans whose VMs were indexed by id
    real_get = planindex._BY_ID.get

    def get(plan, make):
        return real_get(plan, lambda p: by_id.append(id(p)) or make(p))

    monkeypatch.setattr(planindex._BY_ID, "get", get)
    plan = _twelve_web_vms()
    win = _window(qtbot, tmp_path, asker, engine_placer, plan)
    win.autoplace.run()
    qtbot.waitUntil(lambda: win.doc.undo_stack.count() == 1, timeout=20000)
    after = win.doc.plan
    qtbot.waitUntil(lambda: not win.summary.computing, timeout=5000)
    qtbot.wait(300)  # the summary's pause after an edit
    assert "lower bound" in win.summary.facts.text()
    assert "(lower bound" in win.statusBar().currentMessage()
    assert not any(p is after for p in bounds_of)
    assert indexed[id(after)] != threading.main_thread().name
    # Nothing is selected: neither the run nor the redraw indexed the VMs by id.
    assert id(after) not in by_id
    win.doc.undo_stack.setClean()


def test_a_long_run_shows_its_progress_and_cancel_and_a_quick_one_no_dialog(
    qtbot, tmp_path, asker, monkeypatch
) -> None:

    from hvplanner.ui.autoplace_action import SHOW_AFTER_MS

    release = threading.Event()

    def slow(plan, profile, progress: Progress):
        progress.report(0.4, "packing")
        while not release.is_set():
            progress.check()
            threading.Event().wait(0.005)
        return to_first_host(plan, profile, progress)

    win = _window(qtbot, tmp_path, asker, slow)
    win.show()
    win.autoplace.run()
    assert win.autoplace.progress is None  # not before SHOW_AFTER_MS
    qtbot.waitUntil(lambda: win.autoplace.progress is not None, timeout=SHOW_AFTER_MS + 5000)
    dialog = win.autoplace.progress
    qtbot.waitUntil(lambda: dialog.value() == 40 and dialog.labelText() == "packing")
    assert dialog.isVisible()
    dialog.canceled.emit()  # what its Cancel button sends
    qtbot.waitUntil(lambda: not win.autoplace.running, timeout=5000)
    assert win.autoplace.progress is None
    assert win.doc.undo_stack.count() == 0
    assert "cancelled" in win.statusBar().currentMessage()

    release.set()  # a run that ends at once: no dialog is ever built
    from hvplanner.ui import autoplace_action

    built: list[object] = []

    class Counted(autoplace_action.QProgressDialog):  # type: ignore[misc]
        def __init__(self, *args: object) -> None:
            built.append(args)
            super().__init__(*args)

    monkeypatch.setattr(autoplace_action, "QProgressDialog", Counted)
    win.autoplace.run()
    qtbot.waitUntil(lambda: win.doc.undo_stack.count() == 1, timeout=5000)
    qtbot.wait(SHOW_AFTER_MS + 100)
    assert win.autoplace.progress is None and not built
    win.doc.undo_stack.setClean()
