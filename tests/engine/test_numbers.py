from __future__ import annotations

from hvplanner.engine.numbers import ceil_div, fmt, pow2_ceil


def test_ceil_div_ignores_float_noise():
    assert ceil_div(0.3, 0.1) == 3
    assert ceil_div(200, 8) == 25
    assert ceil_div(201, 8) == 26
    assert ceil_div(0, 5) == 0


def test_pow2():
    assert [pow2_ceil(x) for x in (1, 2, 3, 25, 32, 407)] == [1, 2, 4, 32, 32, 512]


def test_fmt():
    assert fmt(406.75) == "406.75"
    assert fmt(20000.0) == "20,000"
    assert fmt(8.0) == "8"
    assert fmt(float("nan")) == "unknown"


def test_count():
    from hvplanner.engine.numbers import count

    assert count(1, "host") == "1 host"
    assert count(0, "VM") == "0 VMs"
    assert count(1200, "NIC") == "1,200 NICs"
    assert count(2, "VM is", "VMs are") == "2 VMs are"
