from __future__ import annotations

import datetime as dt

import pytest

from hvplanner.catalog import load_catalog
from hvplanner.catalog.freshness import months_between, read_date, stale_figures


def test_read_dates_and_month_arithmetic() -> None:
    assert read_date("2026-11") == dt.date(2026, 11, 1)
    assert read_date("2026-12-07") == dt.date(2026, 12, 7)
    assert read_date("2026-12 (as quoted)") == dt.date(2026, 12, 1)
    with pytest.raises(ValueError):
        read_date("last week")
    assert months_between(dt.date(2026, 11, 1), dt.date(2027, 5, 1)) == 6
    assert months_between(dt.date(2026, 11, 15), dt.date(2027, 5, 14)) == 5


def test_stale_figures_name_entry_field_and_source() -> None:
    cat = load_catalog()
    later = dt.date(2027, 6, 7)  # 7 months after the November 2026 reading
    stale = stale_figures(cat, 7, later)
    keys = {(s.hypervisor, s.field) for s in stale}
    assert ("hyper-v@2016", "limits.lps_per_host") in keys  # read 2026-11
    assert ("xen-pv@4", "limits.lps_per_host") not in keys  # read 2026-12-07
    assert all(s.age_months >= 7 for s in stale)
    assert all(cat.source(s.source).read == s.read for s in stale)
