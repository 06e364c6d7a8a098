"""Results of the readiness check: checks with evidence, and one verdict per hypervisor."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

CheckStatus = Literal["pass", "warn", "fail", "unknown", "skip"]
VerdictStatus = Literal["ready", "degraded", "own-machine", "blocked", "unknown"]
"""own-machine: the hardware would do, but the product installs on bare metal as the
machine's operating system (ESXi, Proxmox VE, XCP-ng): it needs a machine of its own."""
VERDICT_LABELS: dict[str, str] = {
    "ready": "ready",
    "degraded": "degraded",
    "own-machine": "needs a machine of its own",
    "blocked": "blocked",
    "unknown": "unknown",
}
Area = Literal[
    "platform", "cpu", "firmware", "virtual-machine", "kvm", "iommu", "devices", "resources"
]

AREA_TITLES: dict[str, str] = {
    "platform": "Platform",
    "cpu": "Processor",
    "firmware": "Firmware",
    "virtual-machine": "Is this machine a VM?",
    "kvm": "KVM",
    "iommu": "IOMMU (device passthrough)",
    "devices": "Devices",
    "resources": "Cores, memory and disk",
}


class _Result(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Evidence(_Result):
    """What was looked at (a file, a command, an API) and what it said."""

    source: str
    value: str


class Check(_Result):
    id: str
    area: Area
    title: str
    status: CheckStatus
    summary: str
    evidence: list[Evidence] = Field(default_factory=list)
    fix: str | None = None
    fix_needs_admin: bool = False
    fix_needs_cold_boot: bool = False


class Verdict(_Result):
    family: str
    profile: str = Field(description="catalog key, id@version")
    title: str
    status: VerdictStatus
    reasons: list[str] = Field(description="the deciding reason first, then the other findings")
    limitations: list[str] = Field(
        default_factory=list,
        description="what would not work even so (device passthrough without an IOMMU): "
        "never a reason for the status",
    )

    @property
    def headline(self) -> str:
        first = self.reasons[0] if self.reasons else ""
        return f"{self.title}: {self.status} — {first}" if first else f"{self.title}: {self.status}"


class PlatformInfo(_Result):
    os: Literal["linux", "windows", "macos", "other"]
    arch: str | None
    kernel: str | None
    root: str | None = Field(description="snapshot folder read instead of the live system")


class CpuSummary(_Result):
    vendor: str | None
    model: str | None
    flags: list[str]


class Report(_Result):
    platform: PlatformInfo
    cpu: CpuSummary
    is_vm: bool | None
    hypervisor_detected: str | None
    checks: list[Check]
    verdicts: dict[str, Verdict]

    def check(self, check_id: str) -> Check | None:
        return next((c for c in self.checks if c.id == check_id), None)


class CheckSpec(_Result):
    """The fixed part of a check (id, area, title); `make` adds the outcome."""

    id: str
    area: Area
    title: str

    def make(
        self,
        status: CheckStatus,
        summary: str,
        *,
        evidence: list[Evidence] | None = None,
        fix: str | None = None,
        fix_needs_admin: bool = False,
        fix_needs_cold_boot: bool = False,
    ) -> Check:
        return Check(
            id=self.id,
            area=self.area,
            title=self.title,
            status=status,
            summary=summary,
            evidence=evidence or [],
            fix=fix,
            fix_needs_admin=fix_needs_admin,
            fix_needs_cold_boot=fix_needs_cold_boot,
        )


def tri(value: bool | None, true: CheckStatus = "pass", false: CheckStatus = "fail") -> CheckStatus:
    """The status of a yes/no/unknown finding."""
    if value is None:
        return "unknown"
    return true if value else false
