"""The results document: a plan with everything computed from it, for export and reports.

One document feeds the JSON export and the PDF report, so the two never disagree. Its
results are recomputed from the plan on demand; importing reads the plan part only.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from hvplanner.model.placement import PlacementResult
from hvplanner.model.plan import Plan
from hvplanner.model.simulation import SimulationResult
from hvplanner.model.sizing import SizingResult


class Results(BaseModel):
    """What the engines made of a plan. Parts an engine did not compute are null."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    generated: datetime
    hvplanner: str
    hypervisor: str
    sizing: SizingResult | None = None
    placement: PlacementResult | None = None
    simulation: SimulationResult | None = None
    notes: list[str] = Field(
        default_factory=list, description="why a part is missing, e.g. no placement exists"
    )


class Report(BaseModel):
    """`{"plan": …, "results": …}`: the plan exactly as saved, then its results."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    plan: Plan
    results: Results
