"""Results of the cost engine: licences, Windows Server guests, hardware and totals.

A figure that needs a price is None with `status` "needs-price" and is left out of the
totals, which then say they are incomplete; it is never counted as 0.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from hvplanner.model.defaults import empty_list

LineKind = Literal["licence", "windows", "hardware"]
LineStatus = Literal["priced", "needs-price", "free", "unknown"]


class _Result(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CostLine(_Result):
    kind: LineKind
    product: str
    name: str
    metric: str
    units: int | None = Field(description="licensed units; None: the hosts' cores are unknown")
    unit_price: float | None
    period: Literal["year", "one-off"] | None
    cost: float | None = Field(description="over the horizon; None: needs a price or unknown")
    formula: str
    values: str
    status: LineStatus
    price_source: str = Field(default="", description="where the unit price comes from")
    source: str | None = Field(default=None, description="catalog source key of the rule")
    note: str = ""


class WindowsHost(_Result):
    """One host's Windows Server licensing: Standard stacks against Datacenter."""

    host: str
    licensed_cores: int
    windows_vms: int
    standard_licensings: int
    standard_cost: float | None
    datacenter_cost: float | None
    choice: Literal["standard", "datacenter"] | None
    reason: str


class Total(_Result):
    id: str
    title: str
    formula: str
    values: str
    amount: float | None = Field(description="None: nothing known to add up")
    complete: bool = Field(description="False: a part needs a price and is left out")


class HypervisorCost(_Result):
    key: str
    title: str
    hosts: int
    hosts_origin: Literal["plan", "sized"] = Field(
        description="plan: the plan's hosts; sized: the hosts sizing needs on this hypervisor"
    )
    licences: list[CostLine] = Field(description="hypervisor licences, then Windows Server")
    windows: list[WindowsHost]
    hardware: list[CostLine]
    totals: list[Total]
    needs_price: list[str] = Field(description="products or host models without a price")
    warnings: list[str]

    def total(self, total_id: str) -> Total:
        return next(t for t in self.totals if t.id == total_id)


class CostResult(_Result):
    horizon_years: int
    currency: str
    vms: int
    hypervisors: list[HypervisorCost]
    warnings: list[str] = Field(default_factory=empty_list)

    def get(self, key: str) -> HypervisorCost:
        return next(h for h in self.hypervisors if h.key == key)
