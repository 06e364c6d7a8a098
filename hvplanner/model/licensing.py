"""Licence rules of the catalog: what is counted, the minimums, and what one unit covers.

Rules change less often than prices, so the catalog holds the rules with their sources and
the plan holds the prices (`model.plan.Price`). A default price ships only where a public
list price exists (`model.licensing_file.ListPrice`), with the date and the source it was
published by.

A hypervisor entry's own rules are here; licensing.toml's Windows Server guest rule and
list prices are in `model.licensing_file`, which sizing never loads.
"""


# No `from __future__ import annotations` here: pydantic would build each field's type
# from its text (an eval per field), 0.003 s of every command's start over the plan, catalog
# and sizing models.

from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

Metric = Literal["physical-core", "socket", "socket-pair", "host", "windows-server", "free"]
"""What one licence unit counts. `windows-server`: the host is licensed by the Windows Server
guest rule of the catalog (Hyper-V: the host's own Windows Server licence, at least one full
licensing of its cores, which also covers its Windows Server guests)."""
METRIC_LABELS: dict[str, str] = {
    "physical-core": "per physical core",
    "socket": "per CPU socket",
    "socket-pair": "per pair of CPU sockets",
    "host": "per host",
    "windows-server": "Windows Server per physical core (host and guests)",
    "free": "free",
}
Term = Literal["subscription", "perpetual", "free"]

ProductKey = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)]


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class LicenceRule(_Data):
    """One licence a host needs to run the hypervisor, as its vendor counts it."""

    product: ProductKey = Field(description="the price book's key for this licence")
    name: str
    metric: Metric
    min_per_cpu: Annotated[int, Field(ge=0)] = Field(
        default=0, description="cores counted per physical CPU at least (physical-core)"
    )
    min_per_server: Annotated[int, Field(ge=0)] = Field(
        default=0, description="cores counted per host at least (physical-core)"
    )
    order_min: Annotated[int, Field(ge=0)] = Field(
        default=0, description="units bought per order at least, over all hosts"
    )
    covers: str = Field(description="what one unit gives the right to")
    term: Term
    optional: bool = Field(
        default=False, description="support that the software runs without (Proxmox VE)"
    )
    covers_windows_server_guests: bool = Field(
        default=False, description="the licence includes unlimited Windows Server guests"
    )
    source: str
    note: str = ""

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.metric == "free" and self.term != "free":
            raise ValueError("a free metric has the term 'free'")
        if self.metric != "physical-core" and (self.min_per_cpu or self.min_per_server):
            raise ValueError("per-CPU and per-server minimums apply to physical cores only")
        return self
