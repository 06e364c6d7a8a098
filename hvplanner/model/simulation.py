"""Results of the utilization simulation and the host-failure what-if.

Percentages are of the host's full capacity (the 100 % line); the headroom line is
that capacity less the policy's headroom. Times are in minutes of simulated time.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from hvplanner.model.defaults import empty_list

CpuUnit = Literal["LP", "MHz"]


class _Result(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class MetricSummary(_Result):
    unit: str
    capacity: float | None = Field(description="the 100 % line at the start; null: unknown")
    capacity_after: float | None = Field(
        default=None,
        description="the 100 % line after a host failure, when it changed (the cluster): "
        "percentages are of each step's capacity",
    )
    headroom_line: float | None = Field(description="capacity less the policy's headroom")
    peak: float
    p95: float
    mean: float
    peak_pct: float | None
    p95_pct: float | None
    minutes_over_headroom: float | None
    minutes_over_capacity: float | None


class CpuSummary(MetricSummary):
    contention_peak_pct: float = Field(
        description="share of demanded CPU time that must wait when demand exceeds capacity "
        "(1 − capacity / demand), at its worst step: an estimate of CPU ready time"
    )
    contention_mean_pct: float = Field(description="the same, averaged over all steps")


class RamSummary(MetricSummary):
    allocated_mb: float = Field(
        description="configured RAM + overhead of the VMs at the start; above capacity means "
        "memory overcommit"
    )
    ballooned_peak_mb: float = Field(
        description="most RAM reclaimed from idle guest pages (ballooning) at any step"
    )
    swapped_peak_mb: float = Field(
        description="most active RAM that does not fit and would be swapped at any step"
    )


class HostSimulation(_Result):
    host: str
    label: str
    model: str
    vms: int = Field(description="VM instances on the host at the start")
    failed_at_minute: float | None = None
    cpu: CpuSummary
    ram: RamSummary
    nic: MetricSummary


class PlacedInstances(_Result):
    vm: str
    from_host: str
    to_host: str | None = Field(description="null: no survivor had room")
    instances: int


class FailoverResult(_Result):
    failed_hosts: list[str]
    at_minute: float
    rule: str = Field(description="how the failed hosts' VMs were restarted")
    restarted: list[PlacedInstances]
    unplaced: list[PlacedInstances]
    held: bool = Field(description="every instance of the failed hosts restarted on a survivor")
    overloaded_hosts: list[str] = Field(
        description="survivors whose CPU or RAM demand exceeds 100 % after the failure"
    )
    failover_hosts_planned: int = Field(description="the policy's k of N+k")


class UnplacedVM(_Result):
    vm: str
    instances: int


class SimulationResult(_Result):
    plan: str
    hypervisor: str
    days: float
    step_minutes: float
    steps: int
    cpu_unit: CpuUnit
    hosts: list[HostSimulation]
    cluster: HostSimulation
    unplaced: list[UnplacedVM] = Field(description="VMs with no host: not in any series")
    host_reserve_mb: float = Field(
        default=0.0,
        description="RAM capacities and percentages are of the RAM left for VMs: the host's "
        "RAM (capped by the hypervisor) less this reserve per host",
    )
    failover: FailoverResult | None = None
    warnings: list[str] = Field(default_factory=empty_list)
