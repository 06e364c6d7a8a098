"""Small numeric helpers shared by the engines (how numbers read lives in hvplanner.text)."""

from __future__ import annotations

import math

# Ratios of floats like 0.3 / 0.1 land a hair above a whole number; a relative
# tolerance keeps ⌈x⌉ from adding a host for a rounding artefact.
_EPS = 1e-9


def ceil_div(a: float, b: float) -> int:
    if a <= 0:
        return 0
    q = a / b
    return max(math.ceil(q - _EPS * max(1.0, abs(q))), 0)


def pow2_ceil(x: int) -> int:
    if x <= 1:
        return max(x, 0) if x <= 0 else 1
    return 1 << (x - 1).bit_length()
