"""Dark and light themes: every colour follows the palette, and text stays readable."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QBrush, QPalette
from PySide6.QtWidgets import QApplication

from hvplanner.formats.planfile import load_plan
from hvplanner.painting.style import DARK, LIGHT, contrast_ratio
from hvplanner.ui.compare.view import CompareView
from hvplanner.ui.theme import colours, palette_is_dark, theme


@pytest.fixture
def themed(qtbot):
    """Sets a theme for the test and puts the system's back afterwards."""
    yield theme()
    theme().set_mode("system")


def _cells(model, parent=None):
    parent = parent or QModelIndex()
    for r in range(model.rowCount(parent)):
        for c in range(model.columnCount(parent)):
            index = model.index(r, c, parent)
            yield index
        yield from _cells(model, model.index(r, 0, parent))


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_compare_table_text_is_readable(qtbot, themed, seed_sample, mode):
    """Contrast of every cell's text on its background, from the colours the table paints
    with: the model's foreground/background where it gives one, else the view's palette."""
    themed.set_mode(mode)
    assert palette_is_dark(QApplication.palette()) is (mode == "dark")
    view = CompareView()
    qtbot.addWidget(view)
    view.set_plan(load_plan(seed_sample))
    pal = view.tree.palette()
    model = view.tree.model()
    checked, worst = 0, (99.0, "")
    for index in _cells(model):
        text = index.data(Qt.ItemDataRole.DisplayRole)
        if not text:
            continue
        fg = index.data(Qt.ItemDataRole.ForegroundRole)
        bg = index.data(Qt.ItemDataRole.BackgroundRole)
        fg_colour = fg.color() if isinstance(fg, QBrush) else pal.color(QPalette.ColorRole.Text)
        backs = [pal.color(QPalette.ColorRole.Base)]
        if view.tree.alternatingRowColors():
            backs.append(pal.color(QPalette.ColorRole.AlternateBase))
        if isinstance(bg, QBrush):
            backs = [bg.color()]
        for back in backs:
            ratio = contrast_ratio(fg_colour, back)
            checked += 1
            if ratio < worst[0]:
                worst = (ratio, f"{text!r}: {fg_colour.name()} on {back.name()}")
    assert checked > 200
    assert worst[0] >= 4.5, worst


@pytest.mark.parametrize("colour_set", [LIGHT, DARK], ids=["light", "dark"])
def test_verdict_words_are_readable_on_the_card_and_table(colour_set):
    for word in (colour_set.error, colour_set.warning, colour_set.good, colour_set.muted):
        for back in (colour_set.card_back, colour_set.diff_back, colour_set.group_back):
            assert contrast_ratio(word, back) >= 4.5, (word.name(), back.name())
    assert contrast_ratio(colour_set.text, colour_set.card_back) >= 7


def test_switching_theme_repaints_canvas_charts_and_table(window, themed):
    themed.set_mode("light")
    assert colours() is LIGHT
    assert window.scene.backgroundBrush().color() == LIGHT.scene_back
    themed.set_mode("dark")
    assert colours() is DARK
    assert window.scene.backgroundBrush().color() == DARK.scene_back
    plots = window.utilization.plots
    assert plots.backgroundBrush().color() == DARK.plot_back
    assert window.utilization.cluster_curves[0].opts["pen"].color() == DARK.cluster_line
    themed.set_mode("light")
    assert window.scene.backgroundBrush().color() == LIGHT.scene_back
    assert plots.backgroundBrush().color() == LIGHT.plot_back


def test_view_menu_theme_choice_applies_and_is_kept(window, themed):
    menu = window.findChild(type(window.menuBar().actions()[0].menu()), "theme_menu")
    assert menu is not None
    actions = {a.objectName(): a for a in menu.actions()}
    actions["theme_dark"].trigger()
    assert themed.mode == "dark" and colours() is DARK
    assert window.settings.value("view/theme") == "dark"
    actions["theme_system"].trigger()
    assert themed.mode == "system"
    assert window.settings.value("view/theme") == "system"


def test_pdf_paints_light_whatever_the_theme(themed, tmp_path, seed_sample):
    from hvplanner.formats import pdf_report

    themed.set_mode("dark")
    assert pdf_report.PAPER is LIGHT
