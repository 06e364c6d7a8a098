"""Assemble the results document from the plan and the engines' results."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from hvplanner import __version__
from hvplanner.engine.sizing import size_plan
from hvplanner.model.hypervisor import HypervisorProfile
from hvplanner.model.placement import PlacementResult
from hvplanner.model.plan import Plan
from hvplanner.model.report import Report, Results
from hvplanner.model.simulation import SimulationResult


def build_report(
    plan: Plan,
    profile: HypervisorProfile,
    *,
    placement: PlacementResult | None = None,
    simulation: SimulationResult | None = None,
    notes: Sequence[str] = (),
    generated: datetime | None = None,
) -> Report:
    """Size the plan on `profile` and bundle the optional placement and simulation results.

    The caller runs placement and simulation (they can be slow and are cancellable) and
    passes what it has; a part left out is null in the document, and `notes` say why.
    """
    when = generated or datetime.now(UTC).replace(microsecond=0)
    results = Results(
        generated=when,
        hvplanner=__version__,
        hypervisor=profile.key,
        sizing=size_plan(plan, profile),
        placement=placement,
        simulation=simulation,
        notes=list(notes),
    )
    return Report(plan=plan, results=results)
