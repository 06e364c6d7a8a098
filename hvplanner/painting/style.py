"""Colours and sizes of the canvas, in one place so cards, chips, bars and charts agree.

Colours come in sets, one for a light and one for a dark background. Every painter takes the
set as input: the window passes the one that matches its palette, the PDF always the light one
(paper is white whatever the desktop's theme).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtGui import QColor, QFont


def _c(hex_or_rgba: str | tuple[int, int, int, int]) -> QColor:
    if isinstance(hex_or_rgba, tuple):
        return QColor(*hex_or_rgba)
    return QColor(hex_or_rgba)


@dataclass(frozen=True)
class Colours:
    """One colour set. `dark` says which background it was made for."""

    dark: bool
    state: dict[str, QColor]
    reserve: QColor
    bar_back: QColor
    headroom_line: QColor
    card_back: QColor
    card_border: QColor
    card_selected: QColor
    drop_ok: QColor
    drop_refused: QColor
    tray_back: QColor
    chip_back: QColor
    chip_pinned: QColor
    chip_border: QColor
    text: QColor
    muted: QColor
    scene_back: QColor
    # Charts and sparklines
    series: dict[str, QColor]
    spark: tuple[QColor, QColor]
    full_line: QColor
    grid: QColor
    axis_text: QColor
    headroom_band: QColor
    # Words that carry a verdict next to an icon (error, warning, fine)
    error: QColor
    warning: QColor
    good: QColor
    link: QColor
    # Lines of the live plots: one a host, the cluster's, the time cursor
    host_lines: tuple[QColor, ...]
    cluster_line: QColor
    cursor: QColor
    plot_back: QColor
    # The cost chart's parts: licences, Windows Server guests, hardware
    cost_parts: dict[str, QColor]
    # Tables: a cell that differs from its row, a group's header row
    diff_back: QColor
    group_back: QColor
    # Concept diagrams: fill and text of each box role, lines and arrows
    diagram: dict[str, tuple[QColor, QColor]] = field(default_factory=dict)
    diagram_line: QColor = field(default_factory=QColor)
    diagram_back: QColor = field(default_factory=QColor)


LIGHT = Colours(
    dark=False,
    state={
        "comfortable": _c("#3f9c5a"),
        "near": _c("#e0a020"),
        "over": _c("#d0453b"),
        "unknown": _c("#9aa0a6"),
    },
    reserve=_c("#8a8f96"),
    bar_back=_c("#e9ecef"),
    headroom_line=_c("#202428"),
    card_back=_c("#ffffff"),
    card_border=_c("#c4c9cf"),
    card_selected=_c("#2f6fd0"),
    drop_ok=_c("#3f9c5a"),
    drop_refused=_c("#d0453b"),
    tray_back=_c("#f5f3ea"),
    chip_back=_c("#e6eefb"),
    chip_pinned=_c("#fbeed0"),
    chip_border=_c("#8aa6d6"),
    text=_c("#1f2328"),
    muted=_c("#5f6670"),
    scene_back=_c("#f1f3f5"),
    series={"CPU": _c("#2f6fb3"), "RAM": _c("#1b7f3b"), "NIC": _c("#b0660f")},
    spark=(_c("#1f77b4"), _c("#2ca02c")),
    full_line=_c("#b42318"),
    grid=_c("#d1d5db"),
    axis_text=_c("#4b5563"),
    headroom_band=_c((250, 204, 21, 50)),
    error=_c("#b3261e"),
    warning=_c("#7a5200"),
    good=_c("#176b34"),
    link=_c("#1d4ed8"),
    host_lines=tuple(
        _c(h) for h in ("#1f77b4", "#9467bd", "#2ca02c", "#ff7f0e", "#17becf", "#8c564b")
    ),
    cluster_line=_c("#3c4148"),
    cursor=_c("#2f6fd0"),
    plot_back=_c("#ffffff"),
    cost_parts={"licences": _c("#1f6f8b"), "windows": _c("#7b61a8"), "hardware": _c("#c2833a")},
    diff_back=_c("#fff4d6"),
    group_back=_c("#e8edf3"),
    diagram={
        "hw": (_c("#d9dee7"), _c("#111827")),
        "hv": (_c("#2f5d8a"), _c("#ffffff")),
        "priv": (_c("#7aa6d6"), _c("#111827")),
        "guest": (_c("#cfe3f7"), _c("#111827")),
        "pv": (_c("#d8f0dc"), _c("#111827")),
        "hvm": (_c("#fbe3c8"), _c("#111827")),
        "note": (_c("#f5f5f5"), _c("#111827")),
    },
    diagram_line=_c("#374151"),
    diagram_back=_c("#ffffff"),
)

DARK = Colours(
    dark=True,
    state={
        "comfortable": _c("#4fb36c"),
        "near": _c("#e8ab2e"),
        "over": _c("#e5645a"),
        "unknown": _c("#8a9099"),
    },
    reserve=_c("#6e747c"),
    bar_back=_c("#3a3f46"),
    headroom_line=_c("#f0f2f4"),
    card_back=_c("#262a30"),
    card_border=_c("#4a5059"),
    card_selected=_c("#6ea0ff"),
    drop_ok=_c("#4fb36c"),
    drop_refused=_c("#e5645a"),
    tray_back=_c("#2e2c25"),
    chip_back=_c("#263349"),
    chip_pinned=_c("#4a3c1c"),
    chip_border=_c("#5a7bb0"),
    text=_c("#e6e8eb"),
    muted=_c("#a4abb5"),
    scene_back=_c("#1b1e22"),
    series={"CPU": _c("#6aa8ef"), "RAM": _c("#5cc27a"), "NIC": _c("#f0a24a")},
    spark=(_c("#6aa8ef"), _c("#5cc27a")),
    full_line=_c("#ff7b6e"),
    grid=_c("#3f4650"),
    axis_text=_c("#b8bfc8"),
    headroom_band=_c((250, 204, 21, 45)),
    error=_c("#ff8a80"),
    warning=_c("#f2c14e"),
    good=_c("#6fd08c"),
    link=_c("#8ab4ff"),
    host_lines=tuple(
        _c(h) for h in ("#5aa9e6", "#b48ee0", "#5cc27a", "#ffa04d", "#4fd6e6", "#c99a85")
    ),
    cluster_line=_c("#e6e8eb"),
    cursor=_c("#6ea0ff"),
    plot_back=_c("#1f2226"),
    cost_parts={"licences": _c("#3fa3c4"), "windows": _c("#a48ad4"), "hardware": _c("#e0a35a")},
    diff_back=_c("#3d3420"),
    group_back=_c("#2f3640"),
    diagram={
        "hw": (_c("#3a414d"), _c("#eef0f3")),
        "hv": (_c("#4a7fb5"), _c("#ffffff")),
        "priv": (_c("#30577f"), _c("#eef0f3")),
        "guest": (_c("#24384d"), _c("#eef0f3")),
        "pv": (_c("#234030"), _c("#eef0f3")),
        "hvm": (_c("#4a3620"), _c("#eef0f3")),
        "note": (_c("#2c3036"), _c("#eef0f3")),
    },
    diagram_line=_c("#c3c9d1"),
    diagram_back=_c("#1e2226"),
)


def colours_for(dark: bool) -> Colours:
    return DARK if dark else LIGHT


def contrast_ratio(fg: QColor, bg: QColor) -> float:
    """WCAG 2.x contrast ratio of two opaque colours (1 … 21)."""

    def lum(c: QColor) -> float:
        def ch(v: float) -> float:
            return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

        return 0.2126 * ch(c.redF()) + 0.7152 * ch(c.greenF()) + 0.0722 * ch(c.blueF())

    a, b = sorted((lum(fg), lum(bg)), reverse=True)
    return (a + 0.05) / (b + 0.05)


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
