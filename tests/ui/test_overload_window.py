"""Hosts packed past their simulated capacity are flagged in the Summary and on their cards,
and the cluster line averages over the hosts in use only."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from pytestqt.qtbot import QtBot

from hvplanner.engine.simulation.live import CLUSTER
from hvplanner.model.plan import VM, Host, HostModel, NicGroup, Plan
from hvplanner.ui.commands import MoveVMsCommand
from hvplanner.ui.mainwindow import MainWindow
from tests.ui.pyside_guard import skip_if_emit_leaks

pytestmark = skip_if_emit_leaks


def packed_plan(hosts: int = 40, full: int = 12) -> Plan:
    """`full` hosts of 16 LPs each carry 128 vCPUs (30 % busy: 38.4 LPs, 240 %); the rest
    are empty, as Auto-place leaves them when it packs by allocation."""
    model = HostModel(
        id="m",
        sockets=1,
        cores_per_socket=16,
        ghz=2.4,
        ram_gb=512,
        nics=[NicGroup(count=2, gbps=10)],
    )
    return Plan(
        name="Packed",
        host_models=[model],
        hosts=[Host(id=f"h{i + 1:02d}", model="m") for i in range(hosts)],
        vms=[
            VM(id=f"vm{i}", vcpu=4, ram_gb=4, host=f"h{i // 32 + 1:02d}") for i in range(full * 32)
        ],
    )


def test_overloaded_hosts_are_warned_of_and_badged(
    qtbot: QtBot, make_window: Callable[..., MainWindow]
) -> None:
    window = make_window(packed_plan())
    window.live.refresh_now()
    window.summary.refresh()
    texts = [window.summary.warnings.item(i).text() for i in range(window.summary.warnings.count())]
    over = [t for t in texts if "simulated CPU peak over 100 %" in t]
    assert len(over) == 1, texts
    assert over[0].startswith("⚠ 12 hosts (h01, h02, h03 and 9 more)")
    assert "(up to 240 %)" in over[0] and "ready time" in over[0]
    card = window.scene.cards["h01"]
    assert card.overload_text == "CPU 240 %"
    assert "CPU peak 240 % (over 100 % for 168 h)" in card.toolTip()
    assert window.scene.cards["h20"].overload_text == ""
    # The cluster is the twelve hosts in use, not diluted by 28 empty ones.
    live = window.live.live
    assert live is not None and live.hosts_in_use() == 12
    assert np.nanmax(live.percent(CLUSTER)[0]) == pytest.approx(240.0)
    legend = [item[1].text for item in window.utilization.legend.items]
    assert "cluster (average of 12 hosts in use)" in legend


def test_moving_load_off_a_host_clears_its_badge(
    qtbot: QtBot, make_window: Callable[..., MainWindow]
) -> None:
    window = make_window(packed_plan(hosts=4, full=1))
    window.live.refresh_now()
    assert window.scene.cards["h01"].overload_text == "CPU 240 %"
    # Spread h01's 32 VMs over the four hosts: 60 % each.
    plan = window.doc.plan
    for n, host in enumerate(["h02", "h03", "h04"]):
        ids = [v.id for v in plan.vms[8 * n : 8 * n + 8]]
        window.doc.push(MoveVMsCommand(window.doc, ids, host))
    window.live.refresh_now()
    assert all(c.overload_text == "" for c in window.scene.cards.values())
    window.summary.refresh()
    texts = [window.summary.warnings.item(i).text() for i in range(window.summary.warnings.count())]
    assert not any("simulated" in t for t in texts)
