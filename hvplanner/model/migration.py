"""Result of the pre-copy live-migration estimate (engine/migration.py)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from hvplanner.model.defaults import empty_list

StopReason = Literal["threshold", "downtime-limit", "max-rounds", "max-factor", "no-convergence"]
"""no-convergence: no cap ends the copy (QEMU) and the dirty set no longer shrinks: the
hypervisor keeps copying and never pauses on its own."""


class MigrationRound(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    index: int = Field(description="0 is the full copy of memory; the last is stop-and-copy")
    mb: float = Field(description="MB sent in this round (1 MB = 1024 KiB)")
    seconds: float


class MigrationEstimate(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    ram_mb: float
    link_mb_s: float
    rate_mb_s: float = Field(description="the copy rate: the link, or a lower migration limit")
    dirty_mb_s: float
    wws_mb: float = Field(default=0.0, description="writable working set, re-sent every round")
    ratio: float = Field(description="λ = dirty rate / link rate; pre-copy converges only below 1")
    rounds: int = Field(description="pre-copy rounds before the stop-and-copy round")
    stop_reason: StopReason
    converged: bool = Field(
        description="the last dirty set fell below the stop threshold (or downtime limit) "
        "rather than a cap ending the pre-copy"
    )
    total_seconds: float | None = Field(
        description="T_mig: all rounds plus T_resume; None when the copy does not converge"
    )
    downtime_seconds: float | None = Field(
        description="T_down: stop-and-copy of the last set + T_resume; None: no pause comes"
    )
    total_mb: float = Field(description="V_mig: MB on the wire over all rounds")
    schedule: list[MigrationRound]
    warnings: list[str]
    assumptions: list[str] = Field(
        default_factory=empty_list,
        description="stop rules the hypervisor does not publish, taken from another one",
    )
