"""VM → host placement: vector bin packing with lower bounds, anti-affinity, pinning and N+k.

Entry points: `place(plan)` for a full packing, `verify(plan, result)` for an independent
check of any result, and `host_loads` (the PDF report) / `check_hosts` (only the hosts an
edit touched) for the loads of a plan's own hosts, from the per-host sums the canvas
bars read too (`engine.hostsums`).
"""

from hvplanner.engine.placement.check import verify
from hvplanner.engine.placement.incremental import check_hosts, host_loads
from hvplanner.engine.placement.place import PlacementCancelled, assumptions_for, place

__all__ = [
    "PlacementCancelled",
    "assumptions_for",
    "check_hosts",
    "host_loads",
    "place",
    "verify",
]
