"""The live graphs in the window: selection, sparklines, the failure what-if, migrations."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from hvplanner.ui.canvas import mime
from hvplanner.ui.mainwindow import MainWindow
from hvplanner.ui.utilization import UtilizationView
from tests.ui.conftest import FakeAsker, drag_drop, item_view_pos
from tests.ui.pyside_guard import skip_if_emit_leaks

pytestmark = skip_if_emit_leaks


def _action(menu, text: str):
    return next(a for a in menu.actions() if a.text() == text)


def test_selecting_a_card_plots_that_host(window: MainWindow) -> None:
    tab = next(v for v in window.utilization_views() if v is not window.utilization)
    assert window.utilization.shown_hosts == []
    window.scene.cards["h2"].setSelected(True)
    window.editor.flush_selection()
    assert window.utilization.shown_hosts == ["h2"] and tab.shown_hosts == ["h2"]
    assert window.utilization.host_box.currentText() == "h2"
    window.scene.clearSelection()
    window.scene.chip("a").setSelected(True)
    window.editor.flush_selection()
    assert window.utilization.shown_hosts == ["h1"]  # a VM chip shows the host it is on
    window.scene.clearSelection()
    window.editor.flush_selection()
    assert window.utilization.shown_hosts == []


def test_cards_carry_sparklines(qtbot: QtBot, window: MainWindow) -> None:
    card = window.scene.cards["h1"]
    assert card.sparks is not None and card.sparks.shape == (2, 60)
    assert card.sparks[0].max() > 0
    empty = window.scene.cards["h2"].sparks
    before = None if empty is None else empty.copy()
    with qtbot.waitSignal(window.live.updated, timeout=2000):
        drag_drop(window, mime.vm_ids_mime(["a"]), item_view_pos(window, window.scene.cards["h2"]))
    after = window.scene.cards["h2"].sparks
    assert after is not None and before is not None and after[0].max() > before[0].max()


def test_fail_from_the_context_menu(qtbot: QtBot, window: MainWindow, asker: FakeAsker) -> None:
    card = window.scene.cards["h1"]
    menu = window.editor.build_context_menu(card)
    assert not _action(menu, "Clear Failure").isEnabled()
    _action(menu, "Fail This Host at…").trigger()
    assert asker.asked_fail and asker.asked_fail[0][0] == "h1"
    live = window.live.live
    assert live is not None and live.failed_hosts == ("h1",)
    assert card.failed_text == "failed day 1 10:00"
    assert card.sparks is not None and card.sparks[0, -1] == 0
    assert "h1" in window.utilization.shown_hosts  # with the hosts its VMs went to
    assert "h1 fails at day 1 10:00" in window.utilization.readout.text()
    assert "What-if" in window.summary.facts.text()
    assert window.summary.failover is not None
    assert "fails at day 1 10:00" in window.statusBar().currentMessage()
    menu = window.editor.build_context_menu(card)
    clear = _action(menu, "Clear Failure")
    assert clear.isEnabled()
    clear.trigger()
    assert live.failed_hosts == () and card.failed_text == ""
    assert window.summary.failover is None and "What-if" not in window.summary.facts.text()


def test_failing_the_last_host_is_refused(window: MainWindow) -> None:
    assert window.whatif.fail_hosts(["h1"], 0)
    assert not window.whatif.fail_hosts(["h1", "h2"], 0)
    assert "at least one host must survive" in window.statusBar().currentMessage()


def test_moving_a_vm_says_what_a_live_migration_would_cost(window: MainWindow) -> None:
    card = window.scene.cards["h2"]
    assert drag_drop(window, mime.vm_ids_mime(["b"]), item_view_pos(window, card))
    text = window.statusBar().currentMessage()
    assert "A live migration of this VM would take ~" in text
    assert "ms pause" in text and "assumed dirty rate" in text and "link 1 Gb/s" in text


def test_utilization_tab_replaces_the_dock(window: MainWindow) -> None:
    assert window.utilization_dock.isVisible()
    assert window.show_view("utilization")
    assert isinstance(window.views.currentWidget(), UtilizationView)
    assert not window.utilization_dock.isVisible()
    window.show_view("canvas")
    assert window.utilization_dock.isVisible()


def test_many_selected_hosts_say_how_many_are_shown(make_window) -> None:
    from tests.ui.conftest import big_plan

    window = make_window(big_plan(hosts=12, vms=60))
    for hid in [f"h{i}" for i in range(1, 11)]:
        window.scene.cards[hid].setSelected(True)
    window.editor.flush_selection()
    view = window.utilization
    assert len(view.shown_hosts) == 6
    text = view.readout.text()
    assert "showing 6 of 10 selected hosts" in text
    assert "esx-rack01-node01" in text and "h1<" not in text  # names, as on the canvas
    assert view.host_box.findText("esx-rack01-node01") >= 0


def test_the_axes_label_0_and_100_and_the_day(window: MainWindow) -> None:
    view = window.utilization
    for plot in view.plot_items:
        labels = [t for t, _ in plot.getAxis("left")._tickLevels[0]]
        assert 0.0 in labels and 100.0 in labels
    axis = view.plot_items[-1].getAxis("bottom")
    axis.setRange(24.0, 48.0)
    assert axis.tickStrings([24.0, 27.0, 30.0], 1.0, 3.0) == ["day 2", "day 2 03:00", "06:00"]
    axis.setRange(20.0, 48.0)
    assert axis.tickStrings([21.0, 24.0, 27.0], 1.0, 3.0) == ["day 1 21:00", "day 2", "03:00"]


def test_other_views_get_the_width_and_the_layout_gets_its_docks_back(window: MainWindow) -> None:
    window.inspector_dock.hide()  # the user closed it: it stays closed
    assert window.show_view("compare")
    assert not window.palette_dock.isVisible()
    assert not window.utilization_dock.isVisible()
    assert window.summary_dock.isVisible()
    window.show_view("canvas")
    assert window.palette_dock.isVisible()
    assert window.utilization_dock.isVisible()
    assert not window.inspector_dock.isVisible()
