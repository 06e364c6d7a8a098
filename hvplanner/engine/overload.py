"""Hosts whose simulated load passes their 100 % line or the policy's headroom line.

Allocation bars and hard limits say whether VMs *fit*; this says whether their simulated
use does. A host packed to 384/384 vCPUs fits, yet with the VMs' peaks it may run at
120 % CPU for hours: that is CPU contention (ready time) the plan must show. The Summary,
the host cards and the report all read this one function.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from hvplanner.model.simulation import HostSimulation, MetricSummary, SimulationResult

OverloadMetric = Literal["CPU", "RAM", "NIC"]
# A peak within this margin of a line is on it, not over it (sums of float fractions).
_EPS_PCT = 1e-6


@dataclass(frozen=True)
class MetricOverload:
    metric: OverloadMetric
    peak_pct: float
    headroom_pct: float | None  # the headroom line as a percent of capacity; None: no headroom
    minutes_over_capacity: float
    minutes_over_headroom: float

    @property
    def over_capacity(self) -> bool:
        return self.peak_pct > 100.0 + _EPS_PCT

    def describe(self) -> str:
        """ "CPU peak 120 % (over 100 % for 41 h 10 min)" or "… over the 80 % headroom line"."""
        if self.over_capacity:
            return (
                f"{self.metric} peak {self.peak_pct:.0f} % "
                f"(over 100 % for {_duration(self.minutes_over_capacity)})"
            )
        line = f"{self.headroom_pct:.0f} %" if self.headroom_pct is not None else "headroom"
        return (
            f"{self.metric} peak {self.peak_pct:.0f} % (over the {line} headroom line for "
            f"{_duration(self.minutes_over_headroom)})"
        )


@dataclass(frozen=True)
class HostOverload:
    host: str
    label: str
    metrics: tuple[MetricOverload, ...]

    @property
    def over_capacity(self) -> bool:
        return any(m.over_capacity for m in self.metrics)

    @property
    def worst_pct(self) -> float:
        return max(m.peak_pct for m in self.metrics)

    def describe(self) -> str:
        return "; ".join(m.describe() for m in self.metrics)

    def badge(self) -> str:
        """Short text for a host card: the worst metric and its peak."""
        worst = max(self.metrics, key=lambda m: m.peak_pct)
        return f"{worst.metric} {worst.peak_pct:.0f} %"


def _duration(minutes: float) -> str:
    total = round(minutes)
    hours, mins = divmod(total, 60)
    if hours and mins:
        return f"{hours} h {mins} min"
    if hours:
        return f"{hours} h"
    return f"{mins} min"


def _metric(name: OverloadMetric, m: MetricSummary) -> MetricOverload | None:
    if m.peak_pct is None or m.capacity is None or m.capacity <= 0:
        return None  # capacity unknown: nothing to be over
    head_pct = (
        m.headroom_line / m.capacity * 100.0
        if m.headroom_line is not None and m.headroom_line < m.capacity
        else None
    )
    over_cap = m.peak_pct > 100.0 + _EPS_PCT
    over_head = head_pct is not None and m.peak_pct > head_pct + _EPS_PCT
    if not over_cap and not over_head:
        return None
    return MetricOverload(
        metric=name,
        peak_pct=m.peak_pct,
        headroom_pct=head_pct,
        minutes_over_capacity=m.minutes_over_capacity or 0.0,
        minutes_over_headroom=m.minutes_over_headroom or 0.0,
    )


def host_overload(row: HostSimulation) -> HostOverload | None:
    """The metrics of one simulated host whose peak passes 100 % or the headroom line."""
    if row.failed_at_minute is not None and row.failed_at_minute <= 0:
        return None  # down for the whole period in the what-if
    metrics: tuple[tuple[OverloadMetric, MetricSummary], ...] = (
        ("CPU", row.cpu),
        ("RAM", row.ram),
        ("NIC", row.nic),
    )
    found = [o for name, m in metrics if (o := _metric(name, m)) is not None]
    return HostOverload(row.host, row.label, tuple(found)) if found else None


def overloaded_hosts(result: SimulationResult) -> list[HostOverload]:
    """Every host of a simulation whose CPU, RAM or NIC peak passes its 100 % line or the
    policy's headroom line, hosts over 100 % first, then by their worst peak."""
    return overloaded_rows(result.hosts)


def overloaded_rows(rows: Iterable[HostSimulation]) -> list[HostOverload]:
    """`overloaded_hosts` of the hosts' rows alone (the live view has no cluster row)."""
    found = [o for row in rows if (o := host_overload(row)) is not None]
    return sorted(found, key=lambda o: (not o.over_capacity, -o.worst_pct, o.host))
