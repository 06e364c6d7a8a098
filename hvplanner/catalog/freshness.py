"""Which catalog figures rest on a source read longer ago than a given number of months.

Every source records when it was read (`read`, "YYYY-MM-DD" or "YYYY-MM", optionally
followed by a remark). A month-only date counts from the first of that month, so a figure
is never reported fresher than it is.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

from pydantic import BaseModel

from hvplanner.catalog.loader import Catalog
from hvplanner.model.hypervisor import HypervisorProfile

_READ = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?")


def read_date(read: str) -> dt.date:
    m = _READ.match(read)
    if m is None:
        raise ValueError(f"read date {read!r} is not YYYY-MM-DD or YYYY-MM")
    return dt.date(int(m[1]), int(m[2]), int(m[3] or 1))


def months_between(earlier: dt.date, later: dt.date) -> int:
    """Whole months from `earlier` to `later` (0 within the same month-day span)."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    return months - (1 if later.day < earlier.day else 0)


@dataclass(frozen=True)
class StaleFigure:
    hypervisor: str
    field: str  # dotted path in the catalog entry, e.g. limits.ram_gb_per_host
    source: str
    read: str
    age_months: int


def _cited(obj: object, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(obj, BaseModel):
        src = getattr(obj, "source", None)
        if isinstance(src, str) and src:
            yield path, src
        for name in type(obj).model_fields:
            yield from _cited(getattr(obj, name), f"{path}.{name}" if path else name)


def cited_fields(profile: HypervisorProfile) -> list[tuple[str, str]]:
    """(field path, source key) for every cited figure, need and fact of an entry."""
    return list(_cited(profile, ""))


def stale_figures(catalog: Catalog, months: int, today: dt.date) -> list[StaleFigure]:
    out: list[StaleFigure] = []
    for p in catalog.ordered():
        for field, key in cited_fields(p):
            src = catalog.source(key)
            age = months_between(read_date(src.read), today)
            if age >= months:
                out.append(StaleFigure(p.key, field, key, src.read, age))
    return out
