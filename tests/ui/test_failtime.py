"""The fail-host time field takes a typed time and refuses a bad one where it is typed."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from hvplanner.ui.failtime import FailTimeDialog, parse_clock


@pytest.mark.parametrize(
    ("text", "minute"),
    [("10:00", 600), ("9:30", 570), (" 14.15 ", 855), ("7h05", 425), ("23", 1380), ("0:00", 0)],
)
def test_parse_clock_reads_typed_times(text: str, minute: int) -> None:
    assert parse_clock(text) == minute


@pytest.mark.parametrize(
    ("text", "reason"),
    [("24:00", "hour 24 is past 23"), ("10:75", "minute 75 is past 59"), ("ten", "not a time")],
)
def test_parse_clock_names_what_is_wrong(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_clock(text)


def test_typed_time_and_enter_set_the_failure_minute(qtbot: QtBot) -> None:
    dialog = FailTimeDialog("h1", 7, 0.0)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.focusWidget() is dialog.time  # type at once; the old text is selected
    qtbot.keyClicks(dialog.time, "10:00")
    assert dialog.time.text() == "10:00"
    dialog.day.setValue(2)
    qtbot.keyClick(dialog.time, Qt.Key.Key_Return)
    assert dialog.result() == FailTimeDialog.DialogCode.Accepted
    assert dialog.minute() == 1440 + 600


def test_a_bad_time_is_refused_visibly_and_enter_keeps_the_dialog(qtbot: QtBot) -> None:
    dialog = FailTimeDialog("h1", 7, 600.0)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.time.text() == "10:00"
    dialog.time.selectAll()
    qtbot.keyClicks(dialog.time, "25:00")
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()
    assert dialog.error.isVisible() and "hour 25 is past 23" in dialog.error.text()
    qtbot.keyClick(dialog.time, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.minute() is None
    dialog.time.selectAll()
    qtbot.keyClicks(dialog.time, "7:45")
    assert ok.isEnabled() and not dialog.error.isVisible()
    assert dialog.minute() == 465
