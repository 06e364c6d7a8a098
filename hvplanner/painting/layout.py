"""Where cards and chips go: pure arithmetic on the canvas's fixed sizes, no Qt.

The canvas scene places its items with these functions and the PDF's picture of the plan
lays the same plan out with `layout_plan`, so both show the same arrangement.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from hvplanner.model.plan import VM, Plan
from hvplanner.painting import style
from hvplanner.painting.sparks import SPARK_H

HEADER_H = 60.0
TRAY_HEADER_H = 30.0
HOST_EMPTY_H = 22.0
TRAY_EMPTY_H = 40.0  # two lines of hint

Rect = tuple[float, float, float, float]
"""x, y, width, height."""


def per_row(width: float) -> int:
    return max(1, int((width - style.PAD * 2 + style.CHIP_GAP) // (style.CHIP_W + style.CHIP_GAP)))


def chip_positions(count: int, width: float, top: float) -> list[tuple[float, float]]:
    """Top-left corners of `count` chips in rows under `top`, inside a box `width` wide."""
    n = per_row(width)
    step_x, step_y = style.CHIP_W + style.CHIP_GAP, style.CHIP_H + style.CHIP_GAP
    return [
        (style.PAD + c * step_x, top + r * step_y) for r, c in (divmod(i, n) for i in range(count))
    ]


def box_height(count: int, width: float, top: float, empty_h: float) -> float:
    rows = -(-count // per_row(width))
    chips_h = rows * (style.CHIP_H + style.CHIP_GAP) if rows else empty_h
    return top + chips_h + style.PAD


def host_chip_top(bar_rows: int) -> float:
    # The sparkline row is there before the first simulation, so that a card's height
    # does not change (and the canvas does not relayout) when the series arrive.
    return HEADER_H + bar_rows * style.BAR_ROW + SPARK_H + 8


def grid_width(cols: int) -> float:
    return cols * style.CARD_WIDTH + (cols - 1) * style.GAP


def default_columns(n: int) -> int:
    """With no window to fit (a printed page): a little wider than square."""
    return 1 if n <= 1 else max(1, min(n, math.ceil(math.sqrt(n * 1.6))))


def card_positions(
    heights: Sequence[float], cols: int, top: float
) -> tuple[list[tuple[float, float]], float]:
    """Cards in rows of `cols` from `top`; returns their corners and the bottom of the grid."""
    out: list[tuple[float, float]] = []
    y = top
    for start in range(0, len(heights), cols):
        row = heights[start : start + cols]
        out += [(i * (style.CARD_WIDTH + style.GAP), y) for i in range(len(row))]
        y += max(row) + style.GAP
    return out, y - style.GAP


@dataclass(frozen=True)
class BoxLayout:
    rect: Rect
    chip_top: float
    """Relative to the box."""
    chips: list[tuple[VM, Rect]]
    """In plan coordinates."""


@dataclass(frozen=True)
class PlanLayout:
    tray: BoxLayout
    hosts: dict[str, BoxLayout]
    bounds: Rect


def _box(
    x: float, y: float, width: float, top: float, empty_h: float, vms: Sequence[VM]
) -> BoxLayout:
    h = box_height(len(vms), width, top, empty_h)
    chips = [
        (vm, (x + cx, y + cy, style.CHIP_W, style.CHIP_H))
        for vm, (cx, cy) in zip(vms, chip_positions(len(vms), width, top), strict=True)
    ]
    return BoxLayout((x, y, width, h), top, chips)


def layout_plan(plan: Plan, bar_rows: Mapping[str, int], columns: int | None = None) -> PlanLayout:
    """The tray on top, then the host cards in a grid, as the canvas shows them.

    `bar_rows`: host id → how many bars its card shows (the load's dimensions).
    """
    by_host: dict[str | None, list[VM]] = {h.id: [] for h in plan.hosts}
    by_host[None] = []
    for vm in plan.vms:
        by_host.setdefault(vm.host, []).append(vm)
    cols = max(1, min(columns or default_columns(len(plan.hosts)), max(len(plan.hosts), 1)))
    width = grid_width(cols)
    tray = _box(0.0, 0.0, width, TRAY_HEADER_H, TRAY_EMPTY_H, by_host[None])
    tops = [host_chip_top(bar_rows.get(h.id, 0)) for h in plan.hosts]
    heights = [
        box_height(len(by_host[h.id]), style.CARD_WIDTH, t, HOST_EMPTY_H)
        for h, t in zip(plan.hosts, tops, strict=True)
    ]
    corners, bottom = card_positions(heights, cols, tray.rect[3] + style.GAP)
    hosts = {
        h.id: _box(x, y, style.CARD_WIDTH, t, HOST_EMPTY_H, by_host[h.id])
        for h, t, (x, y) in zip(plan.hosts, tops, corners, strict=True)
    }
    if not plan.hosts:
        bottom = tray.rect[3]
    return PlanLayout(tray, hosts, (0.0, 0.0, width, bottom))
