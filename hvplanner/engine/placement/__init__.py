"""VM → host placement: vector bin packing with lower bounds, anti-affinity, pinning and N+k.

Entry points: `place(plan)` for a full packing, `verify(plan, result)` for an independent
check of any result, and `LoadBook` / `host_loads` / `check_hosts` / `move_delta` for the
canvas, which re-validates only the hosts an edit touches.
"""

from hvplanner.engine.placement.check import verify
from hvplanner.engine.placement.incremental import (
    LoadBook,
    check_hosts,
    host_loads,
    move_delta,
)
from hvplanner.engine.placement.place import assumptions_for, place

__all__ = [
    "LoadBook",
    "assumptions_for",
    "check_hosts",
    "host_loads",
    "move_delta",
    "place",
    "verify",
]
