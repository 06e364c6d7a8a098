"""Results of the sizing engine: what the UI, the CLI and the PDF all show."""


# No `from __future__ import annotations` here: pydantic would build each field's type
# from its text (an eval per field), 0.003 s of every command's start over the plan, catalog
# and sizing models.

from pydantic import BaseModel, ConfigDict, Field


class _Result(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Step(_Result):
    """One line of the explanation: how a figure was reached, and on whose authority."""

    id: str
    title: str
    formula: str
    values: str
    result: str
    source: str | None = None


class Constraint(_Result):
    """One per-host limit and how many hosts it alone would demand."""

    id: str
    label: str
    demand: float
    per_host: float
    unit: str
    hosts: int
    fill: float = Field(description="demand / per-host capacity: the binding one is largest")
    source: str | None = None


class SizingResult(_Result):
    hypervisor: str
    hypervisor_title: str
    vms: int
    vcpus: int
    vcpu_per_lp: float
    ratio_basis: str = Field(default="", description="which ratio was used, and why")
    logical_processors: int
    logical_processors_rounded: int
    logical_processors_per_host: int
    ram_gb: float
    ram_gb_rounded: float
    ram_gb_per_host: float
    ram_gb_installed: float = Field(
        description="RAM per host (after rounding) × all hosts, failover hosts included"
    )
    logical_processors_installed: int = Field(
        description="LPs per host (after rounding) × all hosts, failover hosts included"
    )
    vm_overhead_gb: float
    vms_per_nic: int | None
    nics: int
    nic_gbps: float
    storage_gb: float
    cpu_mhz: float | None = None
    sockets: int | None = None
    hosts: int
    hosts_before_failover: int
    binding: str
    binding_label: str
    constraints: list[Constraint]
    steps: list[Step]
    warnings: list[str]
    limits_exceeded: list[str]
