"""Issue 18 item 9: plan text (names, ids, series paths) shows as typed, never as markup,
in labels and tooltips."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import Qt as QtGuiQt
from PySide6.QtGui import QTextDocument

from hvplanner.formats.planfile import load_plan
from hvplanner.model.plan import Host
from hvplanner.ui import commands as c
from hvplanner.ui.autosave import Autosave
from hvplanner.ui.mainwindow import MainWindow
from tests.faults.plans import write_plan

MARKUP = "<h1 style='color:red'>BIG</h1>"


def shown(text: str, rich: bool | None = None) -> str:
    """What a user reads: Qt renders text that looks like markup as rich text."""
    doc = QTextDocument()
    if rich if rich is not None else QtGuiQt.mightBeRichText(text):
        doc.setHtml(text)
    else:
        doc.setPlainText(text)
    return doc.toPlainText()


def test_host_and_vm_tooltips_show_markup_as_typed(window) -> None:
    doc = window.doc
    doc.push(c.EditHostCommand(doc, "h1", Host(id="h1", model="m", name=MARKUP)))
    assert MARKUP in shown(window.scene.cards["h1"].toolTip())
    vm = next(v for v in doc.plan.vms if v.host == "h1")
    doc.push(c.EditVMCommand(doc, vm.id, vm.model_copy(update={"name": MARKUP})))
    chip = window.scene.chip(vm.id)
    assert MARKUP in shown(chip.toolTip())


def test_utilization_readout_shows_a_series_path_as_typed(qtbot, tmp_path: Path, asker) -> None:
    path = write_plan(tmp_path, series=MARKUP)
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    win = MainWindow(
        load_plan(path), path, asker=asker, autosave=Autosave(tmp_path / "a"), settings=settings
    )
    qtbot.addWidget(win)
    win.show()
    view = win.utilization
    view.source.refresh_now()
    view._render(force=True)
    label = view.readout
    assert label.textFormat() == Qt.TextFormat.RichText
    assert "BIG" in shown(label.text(), rich=True)
    assert MARKUP in shown(label.text(), rich=True)
    win.doc.undo_stack.setClean()
