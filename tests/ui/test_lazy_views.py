"""A tab that is not shown computes nothing; showing it brings it up to date with the plan."""

from __future__ import annotations

import hvplanner.ui.compare.model as compare_model
from hvplanner.ui.commands import MoveVMsCommand
from hvplanner.ui.compare.view import CompareView
from hvplanner.ui.views import FOLLOW_DELAY_MS
from tests.ui.conftest import big_plan


def _counting_plan_fit(monkeypatch) -> list[int]:
    calls: list[int] = []
    real = compare_model.plan_fit

    def counted(plan, profiles):
        calls.append(len(plan.vms))
        return real(plan, profiles)

    # The comparison's model calls the engine through this module attribute.
    monkeypatch.setattr(compare_model, "plan_fit", counted)
    return calls


def test_hidden_compare_tab_does_not_size_until_shown(qtbot, make_window, monkeypatch) -> None:
    calls = _counting_plan_fit(monkeypatch)
    window = make_window(big_plan())
    compare = window.view("compare")
    assert isinstance(compare, CompareView)
    assert not compare.isVisible()
    assert calls == []  # opened on the Layout tab: the comparison has not sized the plan

    # Edits while it is hidden do not size it either, not even after the pause.
    doc = window.doc
    vm = doc.plan.vms[0]
    target = next(h.id for h in doc.plan.hosts if h.id != vm.host)
    doc.push(MoveVMsCommand(doc, [vm.id], target))
    qtbot.wait(FOLLOW_DELAY_MS + 200)
    assert calls == []

    # Shown: it computes once, for the plan as it is now.
    assert window.show_view("compare")
    qtbot.waitUntil(lambda: len(calls) == 1)
    assert compare.model._plan is doc.plan
    assert next(v for v in compare.model._plan.vms if v.id == vm.id).host == target

    # While shown it follows edits after the pause; shown again unchanged, it does nothing.
    doc.undo_stack.undo()
    qtbot.waitUntil(lambda: len(calls) == 2, timeout=5000)
    assert compare.model._plan is doc.plan
    window.show_view("canvas")
    window.show_view("compare")
    qtbot.wait(FOLLOW_DELAY_MS + 100)
    assert len(calls) == 2


def test_compare_tab_shown_at_start_computes_at_once(qtbot, make_window, monkeypatch) -> None:
    calls = _counting_plan_fit(monkeypatch)
    window = make_window(big_plan())
    window.show_view("compare")
    qtbot.waitUntil(lambda: len(calls) == 1)
    assert window.view("compare").model._plan is window.doc.plan


def test_hidden_cost_tab_does_not_compute_until_shown(qtbot, make_window, monkeypatch) -> None:
    from hvplanner.ui import costview

    calls: list[int] = []
    real = costview.plan_cost

    def counted(plan):
        calls.append(len(plan.vms))
        return real(plan)

    monkeypatch.setattr(costview, "plan_cost", counted)
    window = make_window(big_plan())
    doc = window.doc
    vm = doc.plan.vms[0]
    target = next(h.id for h in doc.plan.hosts if h.id != vm.host)
    doc.push(MoveVMsCommand(doc, [vm.id], target))
    qtbot.wait(FOLLOW_DELAY_MS + 200)
    assert calls == []  # neither at open nor after an edit: nobody looks at it
    assert window.show_view("cost")
    qtbot.waitUntil(lambda: len(calls) == 1)
    assert window.view("cost").result is not None
