"""Small numeric helpers shared by the engines and their explanations."""

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


def fmt(x: float, digits: int = 2) -> str:
    """406.75 → '406.75', 20000 → '20,000', 8.0 → '8'."""
    if math.isnan(x):
        return "unknown"
    if math.isinf(x):
        return "∞"
    r = round(x, digits)
    if r == int(r):
        return f"{int(r):,}"
    return f"{r:,.{digits}f}".rstrip("0").rstrip(".")


def count(n: float, noun: str, plural: str = "") -> str:
    """1 → '1 host', 3 → '3 hosts', 1200 → '1,200 hosts'; `plural` for irregular nouns."""
    word = noun if n == 1 else (plural or noun + "s")
    return f"{fmt(n)} {word}"
