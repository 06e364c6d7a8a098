"""The results document: a plan with everything computed from it, for export and reports.

One document feeds the JSON export and the PDF report, so the two never disagree. Its
results are recomputed from the plan on demand; importing reads the plan part only.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from hvplanner.model.cost import CostResult
from hvplanner.model.defaults import empty_dict, empty_list
from hvplanner.model.placement import Bounds, HostLoad, PlacementResult
from hvplanner.model.plan import Plan
from hvplanner.model.simulation import SimulationResult
from hvplanner.model.sizing import SizingResult


class PlanFit(BaseModel):
    """How one hypervisor fares on a given plan: the 'on this plan' rows."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str
    hosts: int
    binding: str
    ram_overhead_gb: float | None  # None: the hypervisor publishes no overhead
    logical_processors: int
    vcpu_per_lp: float
    ratio_basis: str  # which ratio this column used, and why
    ratio_origin: Literal["plan", "default", "capped"]
    limits_exceeded: list[str]
    unknowns: int
    verdict: str
    status: Literal["fits", "exceeds", "uncertain"]


class ReadinessRow(BaseModel):
    """One hypervisor's verdict of a workstation check run in the window."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    hypervisor: str
    status: str
    reasons: str


class ChartSeries(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    percent: list[float] = Field(description="% of capacity, each point the peak of its bucket")


class Chart(BaseModel):
    """A utilization chart's data, already cut to a printable number of points."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str
    days: float
    headroom_pct: float
    series: list[ChartSeries]


class Results(BaseModel):
    """What the engines made of a plan. Parts an engine did not compute are null."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    generated: datetime
    hvplanner: str
    hypervisor: str
    sizing: SizingResult | None = None
    placement: PlacementResult | None = None
    simulation: SimulationResult | None = None
    loads: list[HostLoad] = Field(
        default_factory=empty_list, description="each laid-out host's load from the VMs on it"
    )
    bounds: Bounds | None = Field(default=None, description="lower bounds on the host count")
    fits: list[PlanFit] = Field(
        default_factory=empty_list, description="the plan sized on every hypervisor of the catalog"
    )
    cost: CostResult | None = Field(
        default=None, description="licences, Windows Server guests and hardware per hypervisor"
    )
    readiness: list[ReadinessRow] = Field(default_factory=empty_list)
    charts: list[Chart] = Field(
        default_factory=empty_list,
        exclude=True,
        description="printable utilization series; the JSON carries the simulation's figures",
    )
    sparks: dict[str, list[list[float]]] = Field(
        default_factory=empty_dict,
        exclude=True,
        description="host id → CPU and RAM in % of capacity, each point the peak of its "
        "bucket: the printed host cards' sparklines",
    )
    notes: list[str] = Field(
        default_factory=empty_list, description="why a part is missing, e.g. no placement exists"
    )


class Report(BaseModel):
    """`{"plan": …, "results": …}`: the plan exactly as saved, then its results."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    plan: Plan
    results: Results
