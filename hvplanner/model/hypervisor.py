"""Types of the hypervisor catalog: every figure carries the key of its source.

An unpublished figure is `None` ("unknown" in the data files), never a guess:
the sizing then says in a warning which limit it could not check.
"""


# No `from __future__ import annotations` here: pydantic would build each field's type
# from its text (an eval per field), 0.003 s of every command's start over the plan, catalog
# and sizing models.

import bisect
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from hvplanner.model.defaults import empty_list
from hvplanner.model.licensing import LicenceRule

Kind = Literal["type1", "type2", "kernel-based"]
Approach = Literal["full-binary-translation", "paravirtualization", "hardware-assisted", "os-level"]
NeedLevel = Literal[
    "required",
    "required-64bit-guests",
    "recommended",
    "optional",
    "not-used",
    "unknown",
]
# The hypervisor families, once: the catalog's order, the comparison's pickers and the
# readiness check's verdicts all read them from here.
Family = Literal[
    "kvm", "proxmox", "xen-pv", "xen-pvh", "xen-hvm", "xenserver", "esxi", "hyper-v", "virtualbox"
]
FAMILIES: tuple[Family, ...] = (
    "kvm", "proxmox", "xen-pv", "xen-pvh", "xen-hvm", "xenserver", "esxi", "hyper-v", "virtualbox"
)  # fmt: skip
"""Every family, in the order the comparison and the readiness check list them."""
FAMILY_LABELS: dict[str, str] = {
    "kvm": "KVM",
    "proxmox": "Proxmox VE",
    "xen-pv": "Xen PV",
    "xen-pvh": "Xen PVH",
    "xen-hvm": "Xen HVM",
    "xenserver": "XCP-ng",
    "esxi": "ESXi",
    "hyper-v": "Hyper-V",
    "virtualbox": "VirtualBox",
}
HOSTED_FAMILIES: frozenset[str] = frozenset({"kvm", "virtualbox"})
"""Families that run beside the host's operating system; the others replace it (bare metal:
ESXi, Proxmox VE and XenServer install as the machine's OS; Xen and Hyper-V put the
hypervisor under the OS, which becomes Dom0 or the parent partition)."""
BARE_METAL_FAMILIES: frozenset[str] = frozenset({"esxi", "proxmox", "xenserver"})
"""Products that install as the machine's whole operating system: they need a machine of
their own, whatever this one's hardware allows."""
RatioPer = Literal["logical-processor", "physical-core"]
RATIO_PER_LABELS: dict[str, str] = {
    "logical-processor": "per logical processor",
    "physical-core": "per physical core",
}

KIND_LABELS: dict[str, str] = {
    "type1": "Type 1 (bare-metal)",
    "type2": "Type 2 (hosted)",
    "kernel-based": "Kernel-based (the host kernel is the hypervisor)",
}
APPROACH_LABELS: dict[str, str] = {
    "full-binary-translation": "Full virtualization (trap-and-emulate / binary translation)",
    "paravirtualization": "Paravirtualization",
    "hardware-assisted": "Hardware-assisted virtualization",
    "os-level": "OS-level virtualization",
}
NEED_LABELS: dict[str, str] = {
    "required": "required",
    "required-64bit-guests": "required for 64-bit and SMP guests",
    "recommended": "recommended",
    "optional": "optional",
    "not-used": "not used",
    "unknown": "unknown",
}


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Source(_Data):
    title: str
    url: str
    read: str = Field(
        pattern=r"^\d{4}-\d{2}(-\d{2})?( .*)?$",
        description="date the source was read, YYYY-MM-DD or YYYY-MM, then an optional remark",
    )
    grade: Literal["primary", "secondary"]


class Figure(_Data):
    """A number with its provenance. `value` None means unknown (not published)."""

    value: float | None
    source: str | None = None
    note: str = ""

    @field_validator("value", mode="before")
    @classmethod
    def _unknown(cls, v: Any) -> Any:
        return None if v == "unknown" else v

    @model_validator(mode="after")
    def _cited(self) -> Self:
        if self.value is not None and not self.source:
            raise ValueError("a known figure needs a source key")
        return self

    @property
    def known(self) -> bool:
        return self.value is not None


class RaisedRatio(_Data):
    """A higher published maximum that holds only when every guest runs one OS release."""

    value: float = Field(gt=0)
    all_guests_os: str = Field(description="a VM `os` value every guest of the plan must have")
    source: str
    note: str = ""


class Ratio(Figure):
    """The most vCPUs a hypervisor supports per unit of CPU: a cap, never a target.

    `per` keeps the source's unit (Red Hat counts physical cores, Microsoft logical
    processors); `none_imposed` records a vendor's published "no ratio imposed", which is
    a known answer, not an unknown one.
    """

    per: RatioPer = "logical-processor"
    none_imposed: bool = False
    raised: RaisedRatio | None = None

    @model_validator(mode="after")
    def _none_imposed(self) -> Self:
        if self.none_imposed and (self.value is not None or not self.source):
            raise ValueError("'no ratio imposed' has no value and needs a source key")
        return self

    def cap_per_lp(self, threads_per_core: int, guest_os: set[str]) -> float | None:
        """The cap converted to vCPUs per logical processor; None: nothing published."""
        value = self.value
        if value is None:
            return None
        if self.raised is not None and guest_os == {self.raised.all_guests_os}:
            value = self.raised.value
        return value / threads_per_core if self.per == "physical-core" else value


class Need(_Data):
    level: NeedLevel
    source: str | None = None
    note: str = ""

    @model_validator(mode="after")
    def _cited(self) -> Self:
        if self.level != "unknown" and not self.source:
            raise ValueError("a known hardware need needs a source key")
        return self


class Fact(_Data):
    text: str
    source: str | None = None
    note: str = ""


class KindFact(_Data):
    value: Kind
    source: str
    note: str = ""


class ApproachFact(_Data):
    value: list[Approach] = Field(min_length=1)
    source: str
    note: str = ""


class LinearOverhead(_Data):
    """overhead_mb = fixed + per_vcpu·vCPUs + per_gb·GB, with an optional first-GB rate.

    With `first_gb_mb` set the RAM term is first_gb_mb for the first GB plus per_gb_mb for
    every further GB (Hyper-V 2008 R2's published rule).
    """

    kind: Literal["linear"]
    fixed_mb: float = 0
    per_vcpu_mb: float = 0
    per_gb_mb: float = 0
    first_gb_mb: float | None = None
    source: str
    note: str = ""

    def mb(self, vcpu: int, ram_gb: float) -> float:
        if self.first_gb_mb is None:
            ram_term = self.per_gb_mb * ram_gb
        else:
            ram_term = self.first_gb_mb + self.per_gb_mb * max(ram_gb - 1.0, 0.0)
        return self.fixed_mb + self.per_vcpu_mb * vcpu + ram_term

    def formula(self) -> str:
        parts: list[str] = []
        if self.fixed_mb:
            parts.append(f"{self.fixed_mb:g} MB")
        if self.per_vcpu_mb:
            parts.append(f"{self.per_vcpu_mb:g} MB × vCPUs")
        if self.first_gb_mb is not None:
            parts.append(f"{self.first_gb_mb:g} MB for the first GB")
            if self.per_gb_mb:
                parts.append(f"{self.per_gb_mb:g} MB × each further GB")
        elif self.per_gb_mb:
            parts.append(f"{self.per_gb_mb:g} MB × GB of VM RAM")
        return " + ".join(parts) or "0 MB"


class TableOverhead(_Data):
    """A published table by VM RAM (rows) and vCPUs (columns), in MB.

    Between rows the overhead is interpolated linearly; above the last row it is
    extrapolated from the last two rows; vCPUs take the next column up (or the last).
    """

    kind: Literal["table"]
    ram_mb: list[float] = Field(min_length=2)
    vcpus: list[int] = Field(min_length=1)
    overhead_mb: list[list[float]]
    source: str
    note: str = ""

    @model_validator(mode="after")
    def _shape(self) -> Self:
        if sorted(self.ram_mb) != self.ram_mb or sorted(self.vcpus) != self.vcpus:
            raise ValueError("ram_mb and vcpus must be ascending")
        if len(self.overhead_mb) != len(self.ram_mb) or any(
            len(r) != len(self.vcpus) for r in self.overhead_mb
        ):
            raise ValueError("overhead_mb must have one row per ram_mb and one column per vcpus")
        return self

    def mb(self, vcpu: int, ram_gb: float) -> float:
        col = min(bisect.bisect_left(self.vcpus, vcpu), len(self.vcpus) - 1)
        ram = ram_gb * 1024.0
        xs = self.ram_mb
        ys = [row[col] for row in self.overhead_mb]
        if ram <= xs[0]:
            return ys[0]
        i = min(bisect.bisect_left(xs, ram), len(xs) - 1)
        x0, x1, y0, y1 = xs[i - 1], xs[i], ys[i - 1], ys[i]
        return y0 + (y1 - y0) * (ram - x0) / (x1 - x0)

    def formula(self) -> str:
        return "published table by VM RAM and vCPUs (linear between rows)"


class UnknownOverhead(_Data):
    kind: Literal["unknown"]
    note: str = ""

    def mb(self, vcpu: int, ram_gb: float) -> float:
        return 0.0

    def formula(self) -> str:
        return "unknown (not published)"


Overhead = Annotated[LinearOverhead | TableOverhead | UnknownOverhead, Field(discriminator="kind")]


class Needs(_Data):
    hw_virt: Need = Field(description="Intel VT-x / AMD-V")
    slat: Need = Field(description="second-level address translation: Intel EPT / AMD RVI (NPT)")
    nx: Need = Field(description="NX/XD (DEP)")
    iommu: Need = Field(description="Intel VT-d / AMD-Vi, for device passthrough")
    min_cores: Figure
    min_host_ram_gb: Figure


class Limits(_Data):
    lps_per_host: Figure
    vcpus_per_host: Figure
    running_vms_per_host: Figure
    ram_gb_per_host: Figure
    vcpus_per_vm: Figure
    ram_gb_per_vm: Figure
    vcpu_per_lp: Ratio = Field(description="the most vCPUs supported per LP or per core")


class Architecture(_Data):
    kind: KindFact
    approach: ApproachFact
    privileged_domain: Fact
    guest_kernel_modification: Fact
    io_model: Fact
    windows_guests: Fact
    management_tools: Fact
    live_migration: Fact
    network_modes: Fact
    disk_formats: Fact
    license: Fact
    nested_virtualization: Fact = Field(description="a guest that runs a hypervisor itself")
    containers: Fact = Field(description="OS-level virtualization on the same host")


class Cap(Figure):
    """A limit that a source may also say does not exist: `none` is that published "no cap"
    (QEMU has no round cap), distinct from an unknown one."""

    none: bool = False

    @model_validator(mode="after")
    def _none_cited(self) -> Self:
        if self.none and (self.value is not None or not self.source):
            raise ValueError("'no cap' has no value and needs a source key")
        return self


def _unpublished() -> Cap:
    return Cap(value=None, note="Not published: the hypervisor documents no pre-copy model.")


class PreCopyModel(_Data):
    """When a pre-copy live migration stops copying and pauses the VM for the last round.

    A hypervisor that stops by page count sets `stop_pages`; one that stops once the last
    round fits a pause target sets `downtime_limit_ms`. Each unpublished rule stays unknown
    and the estimate says which rules it assumed instead.
    """

    max_rounds: Cap = Field(default_factory=_unpublished)
    max_factor: Cap = Field(
        default_factory=_unpublished, description="cap on data sent, × the VM's memory"
    )
    stop_pages: Cap = Field(
        default_factory=_unpublished, description="stop once fewer pages were dirtied in a round"
    )
    downtime_limit_ms: Cap = Field(
        default_factory=_unpublished, description="stop once the last round fits this pause"
    )
    max_bandwidth_mb_s: Cap = Field(
        default_factory=_unpublished,
        description="the migration stream's default rate limit (MB/s of 1024 KiB)",
    )
    note: str = ""

    @property
    def published(self) -> bool:
        return any(
            f.known or f.none
            for f in (self.max_rounds, self.max_factor, self.stop_pages, self.downtime_limit_ms)
        )


class HypervisorProfile(_Data):
    id: Annotated[str, Field(pattern=r"^[a-z0-9-]+$")]
    version: Annotated[str, Field(pattern=r"^[A-Za-z0-9._-]+$")]
    family: Family
    product: str
    release: str = Field(description="the version as users name it")
    released: int = Field(ge=1990, le=2100, description="year, orders versions of a product")
    architecture: Architecture
    needs: Needs
    limits: Limits
    overhead: Overhead
    host_reserve_mb: Figure
    migration: PreCopyModel = Field(default_factory=PreCopyModel)
    licensing: list[LicenceRule] = Field(
        default_factory=empty_list, description="the licences a host needs to run this hypervisor"
    )
    notes: list[str] = Field(default_factory=empty_list)

    @property
    def key(self) -> str:
        return f"{self.id}@{self.version}"

    @property
    def title(self) -> str:
        return f"{self.product} {self.release}"

    def source_keys(self) -> set[str]:
        keys: set[str] = set()
        _collect_sources(self, keys)
        return keys


def _collect_sources(obj: object, keys: set[str]) -> None:
    if isinstance(obj, BaseModel):
        # A model's __dict__ holds its fields (extra fields are forbidden): reading it
        # spares a lookup per field of every catalog entry at every start.
        fields = obj.__dict__
        src = fields.get("source")
        if isinstance(src, str) and src:
            keys.add(src)
        for value in fields.values():
            if isinstance(value, BaseModel | list):
                _collect_sources(value, keys)
    elif isinstance(obj, list):
        for item in obj:
            _collect_sources(item, keys)
