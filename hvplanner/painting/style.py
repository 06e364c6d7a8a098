"""Colours and sizes of the canvas, in one place so cards, chips and bars agree."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont

STATE_COLORS = {
    "comfortable": QColor("#3f9c5a"),
    "near": QColor("#e0a020"),
    "over": QColor("#d0453b"),
    "unknown": QColor("#9aa0a6"),
}
RESERVE_COLOR = QColor("#8a8f96")
BAR_BACK = QColor("#e9ecef")
HEADROOM_LINE = QColor("#202428")
CARD_BACK = QColor("#ffffff")
CARD_BORDER = QColor("#c4c9cf")
CARD_SELECTED = QColor("#2f6fd0")
DROP_OK = QColor("#3f9c5a")
DROP_REFUSED = QColor("#d0453b")
TRAY_BACK = QColor("#f5f3ea")
CHIP_BACK = QColor("#e6eefb")
CHIP_PINNED = QColor("#fbeed0")
CHIP_BORDER = QColor("#8aa6d6")
TEXT = QColor("#1f2328")
MUTED = QColor("#5f6670")
SCENE_BACK = QColor("#f1f3f5")

CARD_WIDTH = 352.0
PAD = 10.0
GAP = 24.0
CHIP_W = 160.0
CHIP_H = 38.0
CHIP_GAP = 6.0
BAR_ROW = 19.0
LABEL_W = 56.0  # room for the bold "▸ vCPUs" of the binding row
VALUE_W = 120.0


def font(point: float, bold: bool = False) -> QFont:
    f = QFont()
    f.setPointSizeF(point)
    f.setBold(bold)
    return f
