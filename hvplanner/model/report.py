"""The results document: a plan with everything computed from it, for export and reports.

One document feeds the JSON export and the PDF report, so the two never disagree. Its
results are recomputed from the plan on demand; importing reads the plan part only.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, SerializeAsAny

from hvplanner.model.plan import Plan
from hvplanner.model.sizing import SizingResult


class Results(BaseModel):
    """What the engines made of a plan. Parts an engine did not compute are null."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    generated: datetime
    hvplanner: str
    hypervisor: str
    sizing: SizingResult | None = None
    # Typed as any result model until the placement and simulation engines publish theirs.
    placement: SerializeAsAny[BaseModel] | None = None
    simulation: SerializeAsAny[BaseModel] | None = None


class Report(BaseModel):
    """`{"plan": …, "results": …}`: the plan exactly as saved, then its results."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    plan: Plan
    results: Results
