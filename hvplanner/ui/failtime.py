"""The "Fail this host at…" dialog: a day and a typed clock time, checked as it is typed."""

from __future__ import annotations

import re

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from hvplanner.ui.i18n import translate
from hvplanner.ui.theme import theme

_CLOCK = re.compile(r"^\s*(\d{1,2})(?:\s*[:.h]\s*(\d{1,2}))?\s*$")


def parse_clock(text: str) -> int:
    """Minutes after midnight of "10:00", "9:30", "14.15", "7h05" or "10"; ValueError with a
    reason for anything else."""
    m = _CLOCK.match(text)
    if m is None:
        raise ValueError(
            translate(
                "FailTimeDialog", "“{text}” is not a time: type hours and minutes, e.g. 10:00"
            ).format(text=text.strip())
        )
    hours, minutes = int(m.group(1)), int(m.group(2) or 0)
    if hours > 23:
        raise ValueError(
            translate(
                "FailTimeDialog", "hour {hour} is past 23: type a time from 00:00 to 23:59"
            ).format(hour=hours)
        )
    if minutes > 59:
        raise ValueError(
            translate(
                "FailTimeDialog", "minute {minute} is past 59: type a time from 00:00 to 23:59"
            ).format(minute=minutes)
        )
    return hours * 60 + minutes


class FailTimeDialog(QDialog):
    """When a host fails in the what-if. OK (and Enter) work only while the time is valid."""

    def __init__(self, host: str, days: float, minute: float, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(translate("FailTimeDialog", "Fail host {host}").format(host=host))
        self.day = QSpinBox()
        self.day.setRange(1, max(int(days), 1))
        self.day.setValue(min(int(minute // 1440) + 1, self.day.maximum()))
        self.day.setToolTip(
            translate("FailTimeDialog", "Day of the simulated period (1 to {last})").format(
                last=self.day.maximum()
            )
        )
        rest = int(minute % 1440)
        self.time = QLineEdit(f"{rest // 60:02d}:{rest % 60:02d}")
        self.time.setObjectName("fail-time")
        self.time.setPlaceholderText(translate("FailTimeDialog", "HH:MM, e.g. 10:00"))
        self.time.setToolTip(translate("FailTimeDialog", "24-hour clock: 10:00, 9:30 or 14"))
        self.time.selectAll()
        self.error = QLabel()
        theme().colour_label(self.error, "error")
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(
            QLabel(
                translate(
                    "FailTimeDialog", "A what-if: {host} stops, its VMs restart on the other hosts."
                ).format(host=host)
            )
        )
        form.addRow(translate("FailTimeDialog", "&Day:"), self.day)
        form.addRow(translate("FailTimeDialog", "&Time:"), self.time)
        form.addRow(self.error)
        form.addRow(self.buttons)
        self.time.textChanged.connect(self._check)
        self.time.setFocus()
        self._check()

    def minute(self) -> float | None:
        """Minutes from the start of the simulation, or None while the time is not valid."""
        try:
            at = parse_clock(self.time.text())
        except ValueError:
            return None
        return (self.day.value() - 1) * 1440.0 + at

    def _check(self) -> None:
        try:
            parse_clock(self.time.text())
        except ValueError as exc:
            text = str(exc)
        else:
            text = ""
        self.error.setText(text)
        self.error.setVisible(bool(text))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not text)

    def accept(self) -> None:
        if self.minute() is not None:  # Enter on a bad time keeps the dialog open
            super().accept()
