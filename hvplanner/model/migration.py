"""Result of the pre-copy live-migration estimate (engine/migration.py)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

StopReason = Literal["threshold", "downtime-limit", "max-rounds", "max-factor"]


class MigrationRound(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    index: int = Field(description="0 is the full copy of memory; the last is stop-and-copy")
    mb: float = Field(description="MB sent in this round (1 MB = 1024 KiB)")
    seconds: float


class MigrationEstimate(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    ram_mb: float
    link_mb_s: float
    dirty_mb_s: float
    ratio: float = Field(description="λ = dirty rate / link rate; pre-copy converges only below 1")
    rounds: int = Field(description="pre-copy rounds before the stop-and-copy round")
    stop_reason: StopReason
    converged: bool = Field(
        description="the last dirty set fell below the stop threshold (or downtime limit) "
        "rather than a cap ending the pre-copy"
    )
    total_seconds: float = Field(description="T_mig: all rounds plus T_resume")
    downtime_seconds: float = Field(description="T_down: stop-and-copy of the last set + T_resume")
    total_mb: float = Field(description="V_mig: MB on the wire over all rounds")
    schedule: list[MigrationRound]
    warnings: list[str]
    assumptions: list[str] = Field(
        default_factory=list,
        description="stop rules the hypervisor does not publish, taken from another one",
    )
