"""Performance Monitor counter logs (PDH-CSV 4.0) read into measured series."""

from __future__ import annotations

from pathlib import Path

import pytest

from hvplanner.errors import InputError
from hvplanner.formats.measured import parse_measured_csv
from hvplanner.formats.perfmon import parse_perfmon

PERFMON = Path(__file__).parent / "data" / "sources" / "perfmon"


def test_counters_become_fractions_per_minute():
    s = parse_perfmon((PERFMON / "sql01.csv").read_text(), "sql01.csv")
    assert s.computer == "SQL01"
    assert (len(s.minutes), s.minutes[:2], s.minutes[-1]) == (96, [0.0, 15.0], 1425.0)
    assert (s.cpu[0], s.ram[0], s.nic_bytes[0]) == (0.2, 0.715, 250000.0)
    text = s.to_csv(nic_mbps=10)  # 250,000 B/s = 2 Mbit/s = 0.2 of 10 Mbps
    assert text.splitlines()[1] == "0,0.2000,0.7150,0.2000"
    measured = parse_measured_csv(text, "x")  # what a measured workload reads back
    assert len(measured.minutes) == 96


def test_a_blank_sample_is_a_gap():
    s = parse_perfmon((PERFMON / "web02-counters.csv").read_text(), "w.csv")
    assert len(s.minutes) == 95 and 150.0 not in s.minutes


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("name,cpu\nx,1\n", "not a Performance Monitor CSV"),
        ('"(PDH-CSV 4.0)","\\\\A\\Memory\\Available MBytes"\n', "needed the counters"),
        (
            '"(PDH-CSV 4.0)","\\\\A\\Processor(_Total)\\% Processor Time",'
            '"\\\\A\\Memory\\% Committed Bytes In Use"\n"yesterday","1","2"\n',
            "line 2: not a sample",
        ),
    ],
)
def test_unusable_logs_are_one_line_errors(text, needle):
    with pytest.raises(InputError, match=None) as exc:
        parse_perfmon(text, "p.csv")
    assert needle in str(exc.value) and "\n" not in str(exc.value)
