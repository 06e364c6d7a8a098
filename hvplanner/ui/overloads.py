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
    live: LiveSimulation | None, cards: Mapping[str, HostCard], summary: SummaryPanel
) -> list[HostOverload]:
    # The plan as laid out, not the what-if: a failure's overloads have their own lines.
    found = overloaded_rows(live.sim.host_rows()) if live is not None else []
    by_host = {o.host: o for o in found}
    for hid, card in cards.items():
        o = by_host.get(hid)
        card.set_overload(o.badge() if o else "", o.describe() if o else "")
    summary.set_overloads(found)
    return found
