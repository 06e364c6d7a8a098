"""What the catalog's licensing.toml holds: the Windows Server guest rule and the list
prices vendors published.

Kept apart from `model.licensing` (the rules each hypervisor entry carries): only cost
figures read this file, so the commands that size or place never build these models.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from hvplanner.model.defaults import empty_list
from hvplanner.model.licensing import ProductKey, Term

Period = Literal["year", "one-off"]


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Edition(_Data):
    product: ProductKey
    name: str
    vms_per_licensing: Annotated[int, Field(ge=1)] | None = Field(
        description="Windows Server VMs one full licensing of the host's cores covers; "
        "null: unlimited"
    )
    note: str = ""

    @field_validator("vms_per_licensing", mode="before")
    @classmethod
    def _unlimited(cls, v: object) -> object:
        return None if v == "unlimited" else v


class WindowsServerRule(_Data):
    """Windows Server guest licensing: the host's physical cores, whichever hypervisor."""

    releases: str
    min_per_cpu: Annotated[int, Field(ge=1)]
    min_per_server: Annotated[int, Field(ge=1)]
    editions: list[Edition] = Field(min_length=1)
    term: Term
    source: str
    note: str = ""


class ListPrice(_Data):
    """A price as its vendor published it: the default of a price book entry."""

    product: ProductKey
    price: Annotated[float, Field(ge=0)]
    per_units: Annotated[int, Field(ge=1)] = Field(
        default=1, description="units the price buys (16 for a 16-core pack)"
    )
    period: Period
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
    published: str = Field(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")
    source: str


class Licensing(_Data):
    """resources/hypervisors/licensing.toml: guest licensing and list prices."""

    windows_server: WindowsServerRule
    list_prices: list[ListPrice] = Field(default_factory=empty_list)

    def source_keys(self) -> set[str]:
        return {self.windows_server.source, *(p.source for p in self.list_prices)}
