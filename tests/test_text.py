from __future__ import annotations

from hvplanner.text import fmt, plural


def test_fmt():
    assert fmt(406.75) == "406.75"
    assert fmt(20000.0) == "20,000"
    assert fmt(8.0) == "8"
    assert fmt(float("nan")) == "unknown"


def test_plural_counts_with_thousands_separators():
    assert plural(1, "host") == "1 host"
    assert plural(0, "host") == "0 hosts"
    assert plural(7935, "host") == "7,935 hosts"
    assert plural(4_000_000, "vCPU") == "4,000,000 vCPUs"
    assert plural(1, "VM") == "1 VM"
    assert plural(2, "entry", "entries") == "2 entries"
