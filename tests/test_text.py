from __future__ import annotations

import pytest

from hvplanner.text import clock, duration, fmt, parse_time, plural


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


@pytest.mark.parametrize(
    ("typed", "minute"),
    [("10:00", 600.0), (" 00:00 ", 0.0), ("d2-10:30", 2070.0), ("d7 23:59", 10079.0)],
)
def test_parse_time_reads_what_people_type(typed, minute):
    assert parse_time(typed) == minute
    assert clock(parse_time(typed)) == f"day {int(minute // 1440) + 1} {typed.strip()[-5:]}"


@pytest.mark.parametrize("typed", ["", "10", "24:00", "10:60", "d0-10:00", "10h", "1:2"])
def test_parse_time_refuses_the_rest_by_name(typed):
    with pytest.raises(ValueError, match="is not HH:MM or dN-HH:MM"):
        parse_time(typed)


def test_duration_reads_like_a_clock():
    assert [duration(m) for m in (None, 0, 59, 60, 1441, 1500)] == [
        "–",
        "0",
        "59m",
        "1h",
        "1d 0h 1m",
        "1d 1h",
    ]
