from __future__ import annotations

from hvplanner.engine.numbers import ceil_div, pow2_ceil


def test_ceil_div_ignores_float_noise():
    assert ceil_div(0.3, 0.1) == 3
    assert ceil_div(200, 8) == 25
    assert ceil_div(201, 8) == 26
    assert ceil_div(0, 5) == 0


def test_pow2():
    assert [pow2_ceil(x) for x in (1, 2, 3, 25, 32, 407)] == [1, 2, 4, 32, 32, 512]
