"""Simulated overloads shown where people look: a badge on each host card and a Summary line.

The detection is engine.overload's, the same the report uses; this only
hands its result to the views after every live-simulation update.
"""

from __future__ import annotations

from collections.abc import Mapping

from hvplanner.engine.overload import HostOverload, overloaded_rows
from hvplanner.engine.simulation.live import LiveSimulation
from hvplanner.ui.canvas.cards import HostCard
from hvplanner.ui.summary import SummaryPanel


def show_overloads(
    live: LiveSimulation | None,
    cards: Mapping[str, HostCard],
    summary: SummaryPanel,
    touched: frozenset[str] | None = None,
) -> list[HostOverload]:
    """`touched`: the hosts whose series changed (None: any may have); only their cards
    can have a badge to change."""
    # The plan as laid out, not the what-if: a failure's overloads have their own lines.
    found = overloaded_rows(live.sim.host_rows()) if live is not None else []
    by_host = {o.host: o for o in found}
    ids = cards.keys() if touched is None else [h for h in touched if h in cards]
    for hid in ids:
        card = cards[hid]
        o = by_host.get(hid)
        card.set_overload(o.badge() if o else "", o.describe() if o else "")
    summary.set_overloads(found)
    return found
