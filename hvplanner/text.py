"""How numbers, counts and simulated times read, on the terminal, in files and in the window.

The ground floor: every layer formats with these, so a figure reads the same wherever it
is shown. Locale-independent on purpose: the CLI and the files must not change with it.
"""

from __future__ import annotations

import math
import re

from hvplanner.errors import InputError

_TIME = re.compile(r"^(?:d(\d+)[-/ ])?(\d{1,2}):(\d{2})$")


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


def plural(n: float, word: str, many: str | None = None) -> str:
    """'1 host', '2 hosts', '20,000 NICs': counts as people write them."""
    return f"{fmt(n)} {word if n == 1 else many or word + 's'}"


def parse_time(text: str) -> float:
    """A simulated time as people type it: '10:00' (day 1) or 'd2-10:30' → minutes since the
    start (2070.0). ValueError names what was wrong."""
    m = _TIME.match(text.strip())
    if not m or int(m.group(2)) > 23 or int(m.group(3)) > 59 or m.group(1) == "0":
        raise ValueError(f"{text.strip()!r} is not HH:MM or dN-HH:MM")
    day = int(m.group(1) or 1)
    return (day - 1) * 1440.0 + int(m.group(2)) * 60.0 + int(m.group(3))


def parse_fail(text: str, hosts: list[str], days: float) -> tuple[str, float]:
    """'h1@d2-10:30' → ('h1', minute 2070)."""
    host, sep, when = text.rpartition("@")
    if not sep or not host:
        raise InputError(f"--fail: {text!r} is not HOST@TIME (e.g. h1@10:00)")
    if host not in hosts:
        raise InputError(f"--fail: {text}: no host {host!r} in the plan")
    try:
        minute = parse_time(when)
    except ValueError as exc:
        raise InputError(f"--fail: {text}: {exc}") from None
    if minute >= days * 1440:
        raise InputError(f"--fail: {text}: after the end of the {days:g} simulated days")
    return host, minute


def clock(minute: float) -> str:
    day, rest = divmod(round(minute), 1440)
    return f"day {day + 1} {rest // 60:02d}:{rest % 60:02d}"


def duration(minutes: float | None) -> str:
    if minutes is None:
        return "–"
    m = round(minutes)
    if m == 0:
        return "0"
    d, rest = divmod(m, 1440)
    h, mm = divmod(rest, 60)
    parts = [f"{d}d"] if d else []
    if h or (d and mm):
        parts.append(f"{h}h")
    if mm:
        parts.append(f"{mm}m")
    return " ".join(parts)
