"""The utilization view draws the live simulation, follows plan edits and streams time."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from hvplanner.engine.simulation.live import CLUSTER
from hvplanner.model.plan import Plan
from hvplanner.ui.commands import MoveVMsCommand, SetHypervisorCommand
from hvplanner.ui.document import PlanDocument
from hvplanner.ui.utilization import LiveSource, UtilizationView
from tests.ui.pyside_guard import skip_if_emit_leaks

pytestmark = skip_if_emit_leaks


def _plan() -> Plan:
    return Plan.model_validate(
        {
            "hypervisor": "hyper-v@2008r2",
            "policy": {"vm_overhead_mb": 0, "host_reserve_mb": 0, "headroom_pct": 25},
            "host_models": [
                {"id": "m", "sockets": 1, "cores_per_socket": 8, "ghz": 2.0, "ram_gb": 64}
            ],
            "hosts": [{"id": "h1", "model": "m"}, {"id": "h2", "model": "m"}],
            "vms": [
                {"id": "a", "count": 4, "vcpu": 2, "ram_gb": 8, "host": "h1", "profile": "flat"},
                {"id": "b", "count": 2, "vcpu": 1, "ram_gb": 4, "host": "h1"},
            ],
            "workloads": [{"name": "flat", "kind": "constant", "cpu_avg": 0.5}],
        }
    )


@pytest.fixture
def view(qtbot: QtBot) -> UtilizationView:
    doc = PlanDocument(_plan())
    source = LiveSource(doc, days=1, step_minutes=30)
    v = UtilizationView(source)
    qtbot.addWidget(v)
    v.resize(900, 500)
    v.show()
    return v


def test_draws_the_cluster_and_the_chosen_host(view: UtilizationView) -> None:
    assert [view.host_box.itemText(i) for i in range(3)] == ["Cluster (hosts in use)", "h1", "h2"]
    view.set_window(1440.0)
    view.seek(1440.0)
    x, y = view.visible_data(0)
    assert len(x) == 48 and x[-1] == pytest.approx(23.5)
    view.show_hosts(["h1"])
    assert view.host_box.currentText() == "h1"
    _, h1 = view.visible_data(0, "h1")
    assert h1.min() >= 50.0  # 4 × 2 × 0.5 busy vCPUs on 8 LPs, plus b
    assert view.bands[0].getRegion() == pytest.approx((75.0, 100.0))
    assert "NIC capacity unknown" in view.notes[2].toPlainText()


def test_a_move_updates_through_the_simulator_and_keeps_the_view(
    qtbot: QtBot, view: UtilizationView
) -> None:
    source, doc = view.source, view.source.doc
    sim = source.live.sim  # type: ignore[union-attr]
    view.show_hosts(["h2"])
    view.set_window(360.0)
    view.seek(700.0)
    assert view.visible_data(0, "h2")[1].max() == 0
    with qtbot.waitSignal(source.updated, timeout=2000) as sig:
        doc.push(MoveVMsCommand(doc, ["b"], "h2"))
    assert sig.args == [frozenset({"h1", "h2"})]
    assert source.live.sim is sim  # type: ignore[union-attr]
    assert view.shown_hosts == ["h2"] and view.playback.minute == 700.0
    assert view.window_minutes == 360.0
    assert view.visible_data(0, "h2")[1].max() > 0
    with qtbot.waitSignal(source.updated, timeout=2000) as sig:
        doc.push(SetHypervisorCommand(doc, "kvm@rhel9"))
    assert sig.args == [None] and source.live.sim is not sim  # type: ignore[union-attr]
    assert view.shown_hosts == ["h2"] and view.playback.minute == 700.0


def test_play_pause_and_scrub(qtbot: QtBot, view: UtilizationView) -> None:
    view.show()
    view.seek(600.0)
    view.set_speed(1000)
    view.advance(1.0)
    assert view.playback.minute == 600.0  # paused: time stands still
    view.play()
    assert view.playing and view.timer.isActive()
    assert view.play_button.text().endswith("Pause")
    view.advance(6.0)  # 6 s at ×1000: 100 simulated minutes
    assert view.playback.minute == pytest.approx(700.0)
    assert view.visible_data(0)[0][-1] == pytest.approx(11.5)
    qtbot.waitUntil(lambda: view.playback.minute > 700.0, timeout=3000)
    view.pause()
    assert not view.timer.isActive()
    stopped = view.playback.minute
    qtbot.wait(80)
    assert view.playback.minute == stopped
    view.slider.setValue(300)
    assert view.playback.minute == 300.0
    assert view.time_label.text() == "day 1 05:00"
    x, _ = view.visible_data(0)
    assert x[-1] <= 5.0


def test_streaming_keeps_buffers_bounded(view: UtilizationView) -> None:
    view.show_hosts(["h1", "h2"])
    view.play()
    lengths = set()
    for _ in range(400):
        view.advance(0.5)
        lengths.add(len(view.visible_data(1, "h1")[0]))
    assert max(lengths) <= 1440 / 30 + 1  # never more than the window's steps
    assert 0.0 <= view.playback.minute < 1440.0  # looped round the simulated day


def test_failure_drops_the_host_to_zero(view: UtilizationView) -> None:
    view.show_hosts(["h1", "h2"])
    view.set_window(1440.0)
    view.seek(1440.0)
    view.source.fail(["h1"], 600.0)
    _, h1 = view.visible_data(0, "h1")
    _, h2 = view.visible_data(0, "h2")
    _, cl = view.visible_data(0, CLUSTER)
    assert (h1[20:] == 0).all() and h1[:20].min() > 0
    assert h2[20:].min() > h2[:20].max()
    # The cluster is the hosts in use: h1 before, h2 (which took all its VMs) after.
    assert cl[:20] == pytest.approx(h1[:20]) and cl[20:] == pytest.approx(h2[20:])
    assert view.fail_lines[0].isVisible() and view.fail_lines[0].value() == pytest.approx(10.0)
    assert "What-if: h1 fails at day 1 10:00" in view.readout.text()
    view.source.clear_failure()
    assert not view.fail_lines[0].isVisible()
