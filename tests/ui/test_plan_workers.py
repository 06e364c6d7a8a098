"""A large plan's simulation and sizing are computed in workers: the window paints first,
a result for a plan that has changed since is dropped, and the workers make no Qt object.

The size from which work goes to a worker is lowered to one VM here, so the small plan
takes the path a plan of thousands takes (and the tests stay quick).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterator

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QObject

from hvplanner.ui import planjobs, planwork
from hvplanner.ui.background import live_workers
from hvplanner.ui.commands import EditVMCommand, MoveVMsCommand
from hvplanner.ui.mainwindow import MainWindow
from hvplanner.ui.summary import COMPUTING
from tests.qt_guard import QtUseRecorder
from tests.ui.conftest import small_plan

WAIT_MS = 10_000


@pytest.fixture(autouse=True)
def _every_plan_in_workers(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(planjobs, "BACKGROUND_FROM_VMS", 1)
    yield
    gc.unfreeze()  # a "large" plan's window froze the heap; later tests start as usual


class Gate:
    """Holds every worker of the live simulation until `open()`: the test decides when
    results arrive."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.event = threading.Event()
        self.entered = threading.Event()
        real = planwork.LiveSimulation

        def held(*args: object, **kwargs: object) -> object:
            self.entered.set()
            if not self.event.wait(WAIT_MS / 1000):
                raise TimeoutError("the test never opened the gate")
            return real(*args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(planwork, "LiveSimulation", held)

    def open(self) -> None:
        self.event.set()


def _paints(widget: QObject) -> list[str]:
    """Records "paint" in the returned list each time the widget is painted."""
    seen: list[str] = []

    class Spy(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                seen.append("paint")
            return False

    spy = Spy(widget)
    widget.installEventFilter(spy)
    return seen


def _settled(qtbot, window: MainWindow) -> None:
    qtbot.waitUntil(
        lambda: (
            window.live.live is not None
            and not window.live.pending
            and not window.summary.computing
        ),
        timeout=WAIT_MS,
    )


def test_the_window_paints_before_the_simulation_arrives(
    qtbot, make_window: Callable[..., MainWindow], monkeypatch: pytest.MonkeyPatch
) -> None:
    gate = Gate(monkeypatch)
    window = make_window(small_plan())
    order = _paints(window.canvas.viewport())
    window.live.updated.connect(lambda _t: order.append("simulation"))
    qtbot.waitUntil(gate.entered.is_set, timeout=WAIT_MS)  # the build runs in a worker ...
    assert window.live.live is None and window.live.building
    assert not window.canvas.viewport().grab().isNull()  # ... and the canvas paints meanwhile
    assert order and set(order) == {"paint"}
    gate.open()
    _settled(qtbot, window)
    assert order[0] == "paint" and "simulation" in order
    assert window.live.live is not None and window.live.live.plan is window.doc.plan
    card = window.scene.cards["h1"]
    assert card.sparks is not None  # the cards got their sparklines when it arrived


def test_a_result_for_an_older_plan_is_dropped(
    qtbot, make_window: Callable[..., MainWindow], monkeypatch: pytest.MonkeyPatch
) -> None:
    gate = Gate(monkeypatch)
    window = make_window(small_plan())
    qtbot.waitUntil(gate.entered.is_set, timeout=WAIT_MS)
    builder = window.live.builder
    first = window.doc.plan
    # While `first` is being simulated, an edit that moves cannot follow: a VM made bigger.
    c = next(v for v in first.vms if v.id == "c")
    window.session.try_push(
        lambda: EditVMCommand(window.doc, "c", c.model_copy(update={"vcpu": 3}))
    )
    qtbot.waitUntil(lambda: not window.live._timer.isActive(), timeout=WAIT_MS)
    gate.open()
    _settled(qtbot, window)
    assert builder.dropped == 1 and builder.runs == 2 and builder.caught_up == 0
    live = window.live.live
    assert live is not None and live.plan is window.doc.plan
    assert live.sim.unit[live.sim.vm_index["c"], 0] == 3.0  # the bigger VM's vCPUs


def test_the_simulation_shown_during_a_rebuild_is_shrunk_until_the_new_one_arrives(
    qtbot, make_window: Callable[..., MainWindow], monkeypatch: pytest.MonkeyPatch
) -> None:
    window = make_window(small_plan())
    _settled(qtbot, window)
    shown = window.live.live
    assert shown is not None and shown.sim.series.dtype == np.float64
    gate = Gate(monkeypatch)
    c = next(v for v in window.doc.plan.vms if v.id == "c")
    window.session.try_push(
        lambda: EditVMCommand(window.doc, "c", c.model_copy(update={"vcpu": 3}))
    )
    qtbot.waitUntil(gate.entered.is_set, timeout=WAIT_MS)
    # Still the one shown while the new one is built, at half the memory, following no edit.
    assert window.live.live is shown and shown.retired
    assert shown.sim.series.dtype == np.float32
    assert shown.moves_to(window.doc.plan) is None
    gate.open()
    _settled(qtbot, window)
    live = window.live.live
    assert live is not None and live is not shown and live.plan is window.doc.plan
    assert not live.retired and live.sim.series.dtype == np.float64


def test_a_result_for_a_plan_changed_by_moves_catches_up(
    qtbot, make_window: Callable[..., MainWindow], monkeypatch: pytest.MonkeyPatch
) -> None:
    gate = Gate(monkeypatch)
    window = make_window(small_plan())
    qtbot.waitUntil(gate.entered.is_set, timeout=WAIT_MS)
    builder = window.live.builder
    window.session.try_push(lambda: MoveVMsCommand(window.doc, ["big", "grp"], "h2"))
    qtbot.waitUntil(lambda: not window.live._timer.isActive(), timeout=WAIT_MS)
    gate.open()
    _settled(qtbot, window)
    # Built for the plan before the move, moved here: no second build.
    assert builder.runs == 1 and builder.caught_up == 1 and builder.dropped == 0
    live = window.live.live
    assert live is not None and live.plan is window.doc.plan
    assert live.sim.host_of[live.sim.vm_index["big"]] == live.sim.host_index["h2"]


def test_a_move_follows_without_a_worker(qtbot, make_window: Callable[..., MainWindow]) -> None:
    window = make_window(small_plan())
    _settled(qtbot, window)
    live = window.live.live
    assert live is not None
    builds, sim = window.live.builder.runs, live.sim
    with qtbot.waitSignal(window.live.updated, timeout=WAIT_MS) as moved:
        window.session.try_push(lambda: MoveVMsCommand(window.doc, ["c"], "h1"))
    assert moved.args == [frozenset({"h1", "h2"})]
    assert window.live.builder.runs == builds and window.live.live is live and live.sim is sim
    assert live.plan is window.doc.plan


def test_the_summary_says_computing_then_shows_the_figures(
    qtbot, make_window: Callable[..., MainWindow], monkeypatch: pytest.MonkeyPatch
) -> None:
    held = threading.Event()
    real = planwork.size_plan

    def slow_size_plan(*args: object, **kwargs: object) -> object:
        held.wait(WAIT_MS / 1000)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(planwork, "size_plan", slow_size_plan)
    window = make_window(small_plan())
    summary = window.summary
    assert summary.computing
    assert COMPUTING in summary.facts.text() and "lower bound" not in summary.facts.text()
    assert summary.warnings.item(0).text().endswith(COMPUTING)
    held.set()
    qtbot.waitUntil(lambda: not summary.computing, timeout=WAIT_MS)
    text = summary.facts.text()
    assert COMPUTING not in text and "lower bound" in text and "the sizing needs" in text
    runs = summary.sizer.runs
    assert summary.result is not None
    vcpus = summary.result.vcpus
    # A move changes neither the sizing nor the bound: the figures follow without a worker.
    held.clear()
    window.session.try_push(lambda: MoveVMsCommand(window.doc, ["big"], "h2"))
    qtbot.waitUntil(lambda: "4 VMs unplaced" in summary.facts.text(), timeout=WAIT_MS)
    assert not summary.computing and summary.sizer.runs == runs
    # A VM made bigger: "computing…" after the pause, then the new plan's figures.
    c = next(v for v in window.doc.plan.vms if v.id == "c")
    window.session.try_push(
        lambda: EditVMCommand(window.doc, "c", c.model_copy(update={"vcpu": 3}))
    )
    qtbot.waitUntil(lambda: COMPUTING in summary.facts.text(), timeout=WAIT_MS)
    held.set()
    qtbot.waitUntil(lambda: not summary.computing, timeout=WAIT_MS)
    assert summary.sizer.runs == runs + 1 and "vCPUs" in summary.facts.text()
    assert summary.result.vcpus == vcpus + 2  # c had 1 vCPU


def test_only_moves_of_unpinned_vms_keep_the_sizing() -> None:
    from hvplanner.catalog import load_catalog
    from hvplanner.model import edits

    plan = small_plan()
    hv = load_catalog().get(plan.hypervisor)
    moved = edits.move_vms(plan, ["big", "a"], "h2")
    assert planwork.same_sizing(plan, moved)
    assert planwork.sizing(plan, hv)() == planwork.sizing(moved, hv)()  # what it relies on
    pinned = edits.move_vms(edits.set_pinned(plan, ["a"], True), ["a"], "h2")
    assert not planwork.same_sizing(edits.set_pinned(plan, ["a"], True), pinned)
    assert not planwork.same_sizing(plan, edits.set_pinned(plan, ["a"], True))
    bigger = plan.model_copy(
        update={"vms": [plan.vms[0].model_copy(update={"vcpu": 4}), *plan.vms[1:]]}
    )
    assert not planwork.same_sizing(plan, bigger)
    assert not planwork.same_sizing(plan, plan.model_copy(update={"hypervisor": "kvm@rhel9"}))


def test_the_workers_make_no_qt_object(
    qtbot, make_window: Callable[..., MainWindow], monkeypatch: pytest.MonkeyPatch
) -> None:
    recorder = QtUseRecorder()
    real_init = planjobs.PlanJob.__init__

    def recorded_init(self, doc, prepare, apply, failed, parent=None, catch_up=None) -> None:  # type: ignore[no-untyped-def]
        work = lambda: recorder.wrap(prepare())  # noqa: E731
        real_init(self, doc, work, apply, failed, parent, catch_up)

    monkeypatch.setattr(planjobs.PlanJob, "__init__", recorded_init)
    window = make_window(small_plan())
    _settled(qtbot, window)
    # A VM made bigger: the simulation is built anew (a move would follow on this thread).
    c = next(v for v in window.doc.plan.vms if v.id == "c")
    window.session.try_push(
        lambda: EditVMCommand(window.doc, "c", c.model_copy(update={"vcpu": 2}))
    )
    qtbot.waitUntil(lambda: window.live.builder.runs == 2, timeout=WAIT_MS)
    _settled(qtbot, window)
    assert window.summary.sizer.runs >= 2
    assert recorder.threads and threading.main_thread().name not in recorder.threads
    assert recorder.seen == [], sorted(set(recorder.seen))


def test_closing_the_window_waits_for_its_workers(
    qtbot, make_window: Callable[..., MainWindow], monkeypatch: pytest.MonkeyPatch
) -> None:
    gate = Gate(monkeypatch)
    window = make_window(small_plan())
    qtbot.waitUntil(gate.entered.is_set, timeout=WAIT_MS)
    threading.Timer(0.2, gate.open).start()
    window.doc.undo_stack.setClean()
    assert window.live.building
    window.close()  # a QThread destroyed while it runs would abort the process
    assert live_workers() == []


def test_a_new_simulation_reaches_every_card_a_chunk_at_a_time(
    qtbot, make_window: Callable[..., MainWindow], monkeypatch: pytest.MonkeyPatch
) -> None:
    from hvplanner.ui import editor

    window = make_window(small_plan())
    _settled(qtbot, window)
    monkeypatch.setattr(editor, "SPARKS_CHUNK", 1)
    window.canvas.scale(6, 6)  # close up on h1: h2 is off screen
    window.canvas.centerOn(window.scene.cards["h1"])
    shown = window.editor._cards_on_screen()
    assert shown == {"h1"}
    for card in window.scene.cards.values():
        card.set_live(None)
    window.live.live = None
    window.live.refresh_now()  # a new simulation: every card's sparkline changes
    cards = window.scene.cards
    assert all(cards[h].sparks is not None for h in shown)  # on screen: at once
    assert window.editor._sparks_left == [h for h in cards if h not in shown]
    qtbot.waitUntil(lambda: all(c.sparks is not None for c in cards.values()), timeout=WAIT_MS)
    live = window.live.live
    assert live is not None
    for hid, card in cards.items():
        assert (card.sparks == live.sparks([hid])[hid]).all()
