"""The summary dock: the placement line, the empty plan, the warnings list."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from PySide6.QtGui import QFont, QFontInfo, QFontMetrics

import hvplanner.ui
from hvplanner.model.plan import Plan
from hvplanner.ui.commands import MoveVMsCommand
from hvplanner.ui.summary import SEVERITIES
from tests.ui.conftest import big_plan, small_plan


def _warnings(window) -> list[str]:
    box = window.summary.warnings
    return [box.item(i).text() for i in range(box.count())]


def test_placement_says_incomplete_instead_of_a_ratio(window) -> None:
    window.summary.refresh()
    text = window.summary.facts.text()
    assert "incomplete: 5 VMs unplaced" in text and "ratio" not in text
    assert "2 hosts in use" in text
    window.session.try_push(lambda: MoveVMsCommand(window.doc, ["grp"], "h2"))
    window.session.try_push(lambda: MoveVMsCommand(window.doc, ["big"], "h2"))
    window.session.try_push(lambda: MoveVMsCommand(window.doc, ["a", "b", "c"], "h1"))
    window.session.try_push(lambda: MoveVMsCommand(window.doc, ["grp"], "h1"))
    window.summary.refresh()
    assert "ratio" in window.summary.facts.text()


def test_an_overloaded_host_makes_the_placement_incomplete(make_window) -> None:
    plan = small_plan()
    vms = [v.model_copy(update={"host": "h1"}) if v.id == "big" else v for v in plan.vms]
    window = make_window(plan.model_copy(update={"vms": vms}))
    text = window.summary.facts.text()
    assert "incomplete: 4 VMs unplaced, 1 host over capacity" in text


def test_an_empty_plan_says_how_to_start(make_window) -> None:
    window = make_window(Plan(name="Empty"))
    summary = window.summary.facts.text()
    assert "0 hosts in the plan" in summary and "nothing to size" in summary
    assert "Palette" in summary
    assert _warnings(window) == ["No warnings: the plan is empty."]
    assert "Empty plan" in window.scene.tray.hint()
    notes = [n.toPlainText() for n in window.utilization.notes]
    assert all(n.startswith("No hosts yet") for n in notes)


def test_warnings_are_sorted_and_collapse_per_host(make_window) -> None:
    window = make_window(big_plan(vms=1200))
    window.summary.refresh()
    texts = _warnings(window)
    marks = [t.split(" ", 1)[0] for t in texts]
    order = [{"✖": 0, "⚠": 1, "ℹ": 2}[m] for m in marks]
    assert order == sorted(order) and len(SEVERITIES) == 3
    # 10 hosts break the same limit by the same amount: one line that names the first three.
    shared = [t for t in texts if "hosts (esx-rack01-node01" in t and "would exceed" in t]
    assert len(shared) == 1 and shared[0].startswith("✖ 10 hosts") and "and 7 more)" in shared[0]


def _ui_strings() -> set[str]:
    chars: set[str] = set()
    for path in Path(hvplanner.ui.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                chars |= {c for c in node.value if ord(c) > 0x7F}
    return chars


def test_ui_glyphs_are_in_dejavu_sans(qapp) -> None:
    font = QFont("DejaVu Sans")
    if QFontInfo(font).family() != "DejaVu Sans":
        pytest.skip("DejaVu Sans is not installed")
    metrics = QFontMetrics(font)
    missing = sorted(c for c in _ui_strings() if not metrics.inFontUcs4(ord(c)))
    assert not missing, f"no glyph in DejaVu Sans (shows as an empty box): {missing}"


def test_n_plus_k_counts_failover_hosts_beside_the_hosts_in_use() -> None:
    # Issue: with N+3 the line read "1 host in use · lower bound 4 · ratio 0.25".
    from hvplanner.engine.placement import assumptions_for
    from hvplanner.model.plan import VM, Host, HostModel, Policy
    from hvplanner.ui.summary import placement_line

    plan = Plan(
        policy=Policy(failover_hosts=3),
        host_models=[HostModel(id="m", sockets=1, cores_per_socket=8, ghz=2.0, ram_gb=64)],
        hosts=[Host(id=f"h{i}", model="m") for i in (1, 2, 3, 4)],
        vms=[VM(id="a", vcpu=1, ram_gb=1, host="h1")],
    )
    text = placement_line(plan, assumptions_for(plan))
    assert text.startswith(
        "1 host in use + 3 failover hosts · lower bound <b>4 (1 + 3 for N+3)</b>"
    )
    assert text.endswith("ratio 1.00")
