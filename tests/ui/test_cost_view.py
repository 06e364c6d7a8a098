"""The window's cost: the comparison's cost rows and the Cost tab agree with `hvplanner cost`;
the price book dialog edits the plan in one undo step and refuses bad prices with the
CLI's words."""

from __future__ import annotations

import json

from PySide6.QtWidgets import QComboBox, QTableWidgetItem

from hvplanner.cli import main
from hvplanner.engine.cost import money
from hvplanner.formats.planfile import load_plan
from hvplanner.paths import samples_dir
from hvplanner.ui.costview import CostView

SAMPLE = samples_dir() / "windows-linux-licence-cost.hvplan.json"


def _cli_totals(capsys) -> dict[str, str]:
    assert main(["cost", str(SAMPLE), "--all", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    cur = out["currency"]
    return {
        key: money(h["totals"]["total"]["amount"], cur, h["totals"]["total"]["complete"])
        for key, h in out["hypervisors"].items()
    }


def _compare_row(window, label: str) -> dict[str, str]:
    view = window.view("compare")
    view.set_plan(window.doc.plan)
    model = view.model
    for g in range(model.rowCount()):
        gi = model.index(g, 0)
        if model.data(gi) != "On this plan":
            continue
        for r in range(model.rowCount(gi)):
            if model.data(model.index(r, 0, gi)) == label:
                return {
                    p.key: model.data(model.index(r, c + 1, gi))
                    for c, p in enumerate(model.profiles)
                }
    raise KeyError(label)


def test_window_and_cli_agree(make_window, capsys) -> None:
    win = make_window(load_plan(SAMPLE))
    cli = _cli_totals(capsys)
    assert cli["esxi@8.0"] == "283,682 USD"
    assert cli["kvm@rhel9"].endswith("+ needs a price")
    assert _compare_row(win, "Total over 5 years") == cli
    assert win.show_view("cost")
    view = win.view("cost")
    assert isinstance(view, CostView)
    shown = {h.key: money(h.total("total").amount, view.result.currency,
                          h.total("total").complete) for h in view.result.hypervisors}  # fmt: skip
    assert shown == cli
    assert _compare_row(win, "Licences")["kvm@rhel9"] == "needs a price"
    view.chart.grab()  # paints without error


def test_price_book_edit_undo_and_refusal(make_window, qtbot) -> None:
    win = make_window(load_plan(SAMPLE))
    win.show_view("cost")
    view = win.view("cost")
    dialog = view.open_price_book()
    qtbot.addWidget(dialog)
    # add a RHEL for Virtual Datacenters price: KVM's total becomes complete
    dialog.add_row(None)
    row = dialog.table.rowCount() - 1
    combo = dialog.table.cellWidget(row, 0)
    assert isinstance(combo, QComboBox)
    combo.setCurrentIndex(combo.findData("rhel-virtual-datacenters"))
    dialog.table.setItem(row, 1, QTableWidgetItem("2500"))
    dialog.years.setValue(3)
    assert dialog.apply()
    plan = win.doc.plan
    assert plan.horizon_years == 3
    assert any(p.product == "rhel-virtual-datacenters" for p in plan.prices)
    view.refresh()
    kvm = view.result.get("kvm@rhel9")
    assert kvm.total("licences").amount == 4 * 2500 * 3 and kvm.total("licences").complete
    win.doc.undo_stack.undo()
    assert win.doc.plan.horizon_years == 5
    assert not any(p.product == "rhel-virtual-datacenters" for p in win.doc.plan.prices)

    # a negative price is refused with the field named; the plan is unchanged
    dialog = view.open_price_book()
    qtbot.addWidget(dialog)
    dialog.table.setItem(0, 1, QTableWidgetItem("-5"))
    before = win.doc.plan
    assert not dialog.apply()
    assert "prices[0].price" in dialog.error.text()
    assert win.doc.plan == before
    # a currency that differs from the others: the plan's own check, same words as the CLI
    dialog.table.setItem(0, 1, QTableWidgetItem("350"))
    dialog.table.setItem(1, 4, QTableWidgetItem("EUR"))
    assert not dialog.apply()
    assert "prices[1].currency" in dialog.error.text()
    assert win.doc.plan == before
    dialog.reject()
    assert dialog.result() == 0  # closed without an edit
