from __future__ import annotations

import pytest

from hvplanner.errors import InputError
from hvplanner.formats.measured import load_measured_csv, parse_measured_csv


def test_reads_minutes_or_clock_times_in_any_column_order(tmp_path):
    f = tmp_path / "db.csv"
    f.write_text("cpu,minute,ram,nic\n0.1,00:00,0.5,0\n0.9,12:00,0.6,1\n")
    s = load_measured_csv(f)
    assert list(s.minutes) == [0, 720]
    assert list(s.cpu) == [0.1, 0.9] and list(s.nic) == [0, 1]
    assert s.period == 1440


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("minute,cpu,ram\n0,0,0\n", "line 1: missing column(s) nic"),
        ("minute,cpu,ram,nic\n0,1.5,0,0\n", "line 2: cpu: 1.5 is not a fraction"),
        ("minute,cpu,ram,nic\n0,x,0,0\n", "line 2: cpu: 'x' is not a number"),
        ("minute,cpu,ram,nic\n5,0,0,0\n5,0,0,0\n", "line 3: minute: 5 is not after the last"),
        ("minute,cpu,ram,nic\n", "no samples"),
    ],
)
def test_bad_series_name_the_line_and_column(text, message):
    with pytest.raises(InputError) as exc:
        parse_measured_csv(text, "db.csv")
    assert str(exc.value) == f"db.csv: {message}" or message in str(exc.value)
