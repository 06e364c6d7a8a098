"""The plan document: what the user lays out and what a `*.hvplan.json` file holds.

Units are fixed for the whole project: GB means 1024 MB (the seed's 406.75 GB is
computed that way) and NIC speeds are decimal (1 Gbps = 1000 Mbps).
"""


# No `from __future__ import annotations` here: pydantic would build each field's type
# from its text (an eval per field), 0.003 s of every command's start over the plan, catalog
# and sizing models.

from operator import attrgetter
from typing import Annotated, Literal, Self, cast

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    Strict,
    ValidationInfo,
    field_validator,
    model_validator,
)

from hvplanner.errors import capped, quoted
from hvplanner.model.defaults import empty_list
from hvplanner.model.guest import GuestOs

SCHEMA_VERSION = 1

# Bounds that reject typing mistakes, not real hardware: each is above the largest
# published figure in the catalog (e.g. 4 PB of host RAM on Windows Server 2025).
MAX_VM_COUNT = 1_000_000
# Compound growth multiplies the VM count; beyond this factor the figures stop meaning
# anything (1,000 % a year for 50 years would give a 52-digit factor).
MAX_GROWTH_FACTOR = 1_000.0
MAX_VCPU = 65_536
MAX_RAM_GB = 4 * 1024 * 1024
MAX_DISK_GB = 1024 * 1024 * 1024
MAX_NIC_MBPS = 10_000_000
MAX_MHZ = 10_000_000.0

Identifier = Annotated[
    str,
    Field(min_length=1, max_length=128, pattern=r"^[^\s#][^#]*$"),
]
"""Ids may hold spaces inside but no '#': 'ID#n' names the n-th instance of a VM entry."""

WorkloadKind = Literal["constant", "diurnal", "nightly-batch", "bursty", "measured"]
WorkloadProfileName = WorkloadKind
"""The built-in profiles: each kind is also a profile name that needs no definition."""
BUILTIN_WORKLOADS: tuple[WorkloadKind, ...] = (
    "constant",
    "diurnal",
    "nightly-batch",
    "bursty",
    "measured",
)
Rounding = Literal["none", "pow2"]


class _Strict(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        allow_inf_nan=False,
        str_strip_whitespace=True,
        validate_default=True,
    )


class Policy(_Strict):
    """Sizing assumptions. `None` means "use the hypervisor's catalog value"."""

    vcpu_per_lp: Annotated[float, Field(ge=0.1, le=64)] | None = Field(
        default=None,
        description="vCPUs per logical processor, the same for every hypervisor and capped by "
        "a hypervisor's published maximum; null: the stated default 1:1",
    )
    ram_overcommit: Annotated[float, Field(ge=0.1, le=10)] = Field(
        default=1.0, description="configured VM RAM divided by this factor (1 = no overcommit)"
    )
    vm_overhead_mb: Annotated[float, Field(ge=0, le=65_536)] | None = Field(
        default=None, description="flat per-VM memory overhead in MB; null: the catalog's model"
    )
    host_reserve_mb: Annotated[float, Field(ge=0, le=MAX_RAM_GB * 1024)] | None = Field(
        default=None, description="RAM kept for the host itself, per host, in MB"
    )
    headroom_pct: Annotated[float, Field(ge=0, lt=100)] = Field(
        default=0, description="percent of every host capacity kept free"
    )
    failover_hosts: Annotated[int, Strict(), Field(ge=0, le=1000)] = Field(
        default=0, description="k of N+k: hosts whose loss the plan must survive"
    )
    growth_pct_per_year: Annotated[float, Field(ge=0, le=1000)] = 0
    growth_years: Annotated[int, Strict(), Field(ge=0, le=50)] = 0

    @field_validator("growth_years")
    @classmethod
    def _growth_bounded(cls, years: int, info: ValidationInfo) -> int:
        pct = info.data.get("growth_pct_per_year")
        if isinstance(pct, float | int) and years:
            factor = (1.0 + pct / 100.0) ** years
            if factor > MAX_GROWTH_FACTOR:
                raise ValueError(
                    f"{pct:g} % a year for {years} years multiplies the VM count by "
                    f"{factor:.3g}; at most {MAX_GROWTH_FACTOR:,.0f}× is accepted"
                )
        return years

    rounding: Rounding = Field(
        default="none", description="pow2 rounds LPs and RAM per host up to a power of two"
    )
    migration_dirty_mb_s_per_gb: Annotated[float, Field(ge=0, le=10_000)] = Field(
        default=5.0,
        description="assumed memory dirty rate for live-migration estimates, MB/s per GB of "
        "VM RAM (5: a 4 GB VM dirties 20 MB/s, the pre-copy notes' first worked example)",
    )
    nic_gbps: Annotated[float, Field(ge=0.01, le=10_000)] = Field(
        default=1.0, description="NIC speed used when no host model gives one (the seed's 1 GbE)"
    )


class NicGroup(_Strict):
    count: Annotated[int, Strict(), Field(ge=1, le=256)]
    gbps: Annotated[float, Field(ge=0.01, le=10_000)]


class HostModel(_Strict):
    id: Identifier
    name: str = Field(default="", max_length=200)
    sockets: Annotated[int, Strict(), Field(ge=1, le=64)]
    cores_per_socket: Annotated[int, Strict(), Field(ge=1, le=1024)]
    threads_per_core: Annotated[int, Strict(), Field(ge=1, le=8)] = 1
    ghz: Annotated[float, Field(gt=0, le=10)]
    ram_gb: Annotated[float, Field(gt=0, le=MAX_RAM_GB)]
    nics: list[NicGroup] = Field(default_factory=empty_list, max_length=64)
    disk_gb: Annotated[float, Field(ge=0, le=MAX_DISK_GB)] = Field(
        default=0, description="local disk; 0 means shared storage (SAN), not a constraint"
    )
    cost: Annotated[float, Field(ge=0, le=1e9)] | None = Field(
        default=None, description="price of one host, one-off, in the price book's currency"
    )
    support_per_year: Annotated[float, Field(ge=0, le=1e9)] | None = Field(
        default=None, description="hardware support of one host per year (optional)"
    )
    power_per_year: Annotated[float, Field(ge=0, le=1e9)] | None = Field(
        default=None, description="power and cooling of one host per year (optional)"
    )

    @property
    def cores(self) -> int:
        return self.sockets * self.cores_per_socket

    @property
    def logical_processors(self) -> int:
        return self.cores * self.threads_per_core

    @property
    def mhz(self) -> float:
        # Physical cores only: hyper-threads add no clock cycles (the seed's P2V sizing).
        return self.cores * self.ghz * 1000.0

    @property
    def nic_count(self) -> int:
        return sum(g.count for g in self.nics)

    @property
    def nic_mbps(self) -> float:
        return sum(g.count * g.gbps * 1000.0 for g in self.nics)

    @property
    def label(self) -> str:
        return self.name or self.id


class Host(_Strict):
    id: Identifier
    model: Identifier
    name: str = Field(default="", max_length=200)


class VM(_Strict):
    id: Identifier
    name: str = Field(default="", max_length=200)
    count: Annotated[int, Strict(), Field(ge=1, le=MAX_VM_COUNT)] = 1
    vcpu: Annotated[int, Strict(), Field(ge=1, le=MAX_VCPU)]
    ram_gb: Annotated[float, Field(gt=0, le=MAX_RAM_GB)]
    disk_gb: Annotated[float, Field(ge=0, le=MAX_DISK_GB)] = 0
    nic_mbps: Annotated[float, Field(ge=0, le=MAX_NIC_MBPS)] = 0
    cpu_mhz: Annotated[float, Field(gt=0, le=MAX_MHZ)] | None = Field(
        default=None,
        description="peak CPU demand in MHz (P2V sizing; the simulation scales the profile so "
        "its peak is this); null: size by vCPUs",
    )
    host: Identifier | None = None
    pinned: bool = False
    anti_affinity: Identifier | None = None
    profile: Identifier = Field(
        default="constant",
        description="a workload name: a built-in kind or the name of one of the plan's workloads",
    )
    os: GuestOs = Field(
        default="other",
        description="guest OS family, for licensing: windows-server, windows-client, linux "
        "or other; windows-7 is a windows-client (it raises Hyper-V 2008 R2's ratio to 12:1)",
    )

    @property
    def label(self) -> str:
        return self.name or self.id

    def instance_ids(self) -> list[str]:
        if self.count == 1:
            return [self.id]
        return [f"{self.id}#{i}" for i in range(1, self.count + 1)]


MAX_HORIZON_YEARS = 30
DEFAULT_HORIZON_YEARS = 5


class Price(_Strict):
    """One entry of the price book: what one licence product costs, and who says so."""

    product: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)] = Field(
        description="a licence product of the catalog (e.g. vmware-vcf, windows-server-standard)"
    )
    price: Annotated[float, Field(ge=0, le=1e9)] = Field(description="price of per_units units")
    per_units: Annotated[int, Strict(), Field(ge=1, le=1_000_000)] = Field(
        default=1, description="units the price buys (16 for a 16-core pack)"
    )
    period: Literal["year", "one-off"] = Field(
        description="year: a subscription paid every year; one-off: bought once"
    )
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] = Field(
        description="ISO 4217 code; every price of a plan has the same"
    )
    source: str = Field(default="", max_length=300, description="who gave the figure")
    date: Annotated[str, Field(pattern=r"^(\d{4}(-\d{2}(-\d{2})?)?)?$")] = Field(
        default="", description="when the figure was given, YYYY[-MM[-DD]]"
    )

    @property
    def unit_price(self) -> float:
        return self.price / self.per_units


# Defaults of the workload profiles. They are planning assumptions, not measurements:
# every one is a field of WorkloadProfile, so a plan can set its own.
DEFAULT_CPU_AVG = 0.30
DEFAULT_CPU_PEAK = 0.80
DEFAULT_RAM_AVG = 0.60
DEFAULT_RAM_PEAK = 0.80
DEFAULT_NIC_AVG = 0.20
DEFAULT_NIC_PEAK = 0.70
DIURNAL_PEAK_HOUR = 14.0
DIURNAL_WIDTH_H = 10.0
NIGHTLY_PEAK_HOUR = 2.0
NIGHTLY_WIDTH_H = 4.0
BURSTS_PER_DAY = 6.0
BURST_MINUTES = 15.0

Fraction = Annotated[float, Field(ge=0, le=1)]


class WorkloadProfile(_Strict):
    """How busy a VM is over time. Fractions are of the VM's own vCPUs, RAM and NIC Mbps; a VM
    with cpu_mhz follows the CPU shape scaled so that its highest point is cpu_mhz.

    Every kind but `measured` is a shape s(t) between 0 and 1 scaled as
    trough + (peak − trough)·s(t), with the trough chosen so that the mean over the
    simulated days equals `avg`; when that would need a trough below 0, it is 0 and
    the mean ends above `avg`.
    """

    name: Identifier = Field(description="what VM.profile refers to; a built-in name redefines it")
    kind: WorkloadKind = Field(
        description="constant: avg all the time (peaks unused); diurnal: one raised-cosine "
        "peak a day (business hours); nightly-batch: the same, at night; "
        "bursty: seeded random spikes at the peak level; "
        "measured: a CSV time series (avg and peak unused)"
    )
    cpu_avg: Fraction = Field(
        default=DEFAULT_CPU_AVG,
        description=f"mean busy fraction of vCPUs (default {DEFAULT_CPU_AVG})",
    )
    cpu_peak: Fraction = Field(
        default=DEFAULT_CPU_PEAK,
        description=f"busy fraction at the peak (default {DEFAULT_CPU_PEAK})",
    )
    ram_avg: Fraction = Field(
        default=DEFAULT_RAM_AVG,
        description=f"mean active fraction of configured RAM (default {DEFAULT_RAM_AVG})",
    )
    ram_peak: Fraction = Field(
        default=DEFAULT_RAM_PEAK,
        description=f"active RAM fraction at the peak (default {DEFAULT_RAM_PEAK})",
    )
    nic_avg: Fraction = Field(
        default=DEFAULT_NIC_AVG,
        description=f"mean fraction of the VM's nic_mbps in use (default {DEFAULT_NIC_AVG})",
    )
    nic_peak: Fraction = Field(
        default=DEFAULT_NIC_PEAK,
        description=f"NIC fraction at the peak (default {DEFAULT_NIC_PEAK})",
    )
    peak_hour: Annotated[float, Field(ge=0, lt=24)] | None = Field(
        default=None,
        description=f"hour of day of the peak; null: {DIURNAL_PEAK_HOUR:g} for diurnal, "
        f"{NIGHTLY_PEAK_HOUR:g} for nightly-batch",
    )
    peak_width_h: Annotated[float, Field(gt=0, le=24)] | None = Field(
        default=None,
        description=f"hours from the start to the end of the peak; null: {DIURNAL_WIDTH_H:g} "
        f"for diurnal, {NIGHTLY_WIDTH_H:g} for nightly-batch",
    )
    bursts_per_day: Annotated[float, Field(ge=0, le=1440)] = Field(
        default=BURSTS_PER_DAY,
        description=f"bursty: mean spikes a day (default {BURSTS_PER_DAY:g})",
    )
    burst_minutes: Annotated[float, Field(gt=0, le=1440)] = Field(
        default=BURST_MINUTES, description=f"bursty: length of a spike (default {BURST_MINUTES:g})"
    )
    seed: Annotated[int, Strict(), Field(ge=0, le=2**63 - 1)] = Field(
        default=0,
        description="bursty: random seed; each VM entry draws its own spikes from it and its "
        "id (the instances of one entry spike together)",
    )
    series: str | None = Field(
        default=None,
        max_length=4096,
        description="measured: CSV file (relative to the plan) with columns minute, cpu, ram, "
        "nic as fractions; repeated when shorter than the simulation",
    )

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        problems = [
            f"{m}_peak: below {m}_avg"
            for m in ("cpu", "ram", "nic")
            if self.kind not in ("constant", "measured")
            and getattr(self, f"{m}_peak") < getattr(self, f"{m}_avg")
        ]
        if self.kind == "measured" and not self.series:
            problems.append("series: a measured workload needs a CSV file")
        if problems:
            raise ValueError(capped(problems))
        return self

    @property
    def hour(self) -> float:
        if self.peak_hour is not None:
            return self.peak_hour
        return NIGHTLY_PEAK_HOUR if self.kind == "nightly-batch" else DIURNAL_PEAK_HOUR

    @property
    def width_h(self) -> float:
        if self.peak_width_h is not None:
            return self.peak_width_h
        return NIGHTLY_WIDTH_H if self.kind == "nightly-batch" else DIURNAL_WIDTH_H


class Plan(_Strict):
    schema_version: Literal[1] = 1
    name: str = Field(default="Untitled plan", max_length=200)
    hypervisor: Annotated[str, Field(pattern=r"^[a-z0-9-]+(@[A-Za-z0-9._-]+)?$")] = "hyper-v@2008r2"
    policy: Policy = Field(default_factory=Policy)
    host_models: list[HostModel] = Field(default_factory=empty_list)
    hosts: list[Host] = Field(default_factory=empty_list)
    vms: list[VM] = Field(default_factory=empty_list)
    workloads: list[WorkloadProfile] = Field(
        default_factory=empty_list,
        description="workload profiles by name; the built-in names work without an entry",
    )
    prices: list[Price] = Field(
        default_factory=empty_list,
        description="the price book: per licence product, overriding the catalog's list prices",
    )
    horizon_years: Annotated[int, Strict(), Field(ge=1, le=MAX_HORIZON_YEARS)] = Field(
        default=DEFAULT_HORIZON_YEARS,
        description="years the cost is counted over (subscriptions, support, power)",
    )

    @model_validator(mode="after")
    def _references(self) -> Self:
        problems: list[str] = []
        _unique(problems, "host_models", [m.id for m in self.host_models])
        _unique(problems, "hosts", [h.id for h in self.hosts])
        _unique(problems, "vms", [v.id for v in self.vms])
        model_ids = {m.id for m in self.host_models}
        host_ids = {h.id for h in self.hosts}
        for i, h in enumerate(self.hosts):
            if h.model not in model_ids:
                problems.append(f"hosts[{i}].model: no host model with id {quoted(h.model)}")
        _unique(problems, "workloads", [w.name for w in self.workloads], key="name")
        _unique(problems, "prices", [p.product for p in self.prices], key="product")
        for i, price in enumerate(self.prices[1:], start=1):
            if price.currency != self.prices[0].currency:
                problems.append(
                    f"prices[{i}].currency: {price.currency} differs from "
                    f"prices[0].currency {self.prices[0].currency} (one currency per plan)"
                )
        for i, w in enumerate(self.workloads):
            if w.name in BUILTIN_WORKLOADS and w.kind != w.name:
                problems.append(f"workloads[{i}].kind: the built-in {w.name!r} keeps its kind")
        workload_names = {w.name for w in self.workloads}
        for i, v in enumerate(self.vms):
            if v.profile not in workload_names and v.profile not in BUILTIN_WORKLOADS:
                problems.append(f"vms[{i}].profile: no workload named {quoted(v.profile)}")
            elif v.profile == "measured" and "measured" not in workload_names:
                problems.append(f"vms[{i}].profile: 'measured' needs a workload with its series")
            if v.host is not None and v.host not in host_ids:
                problems.append(f"vms[{i}].host: no host with id {quoted(v.host)}")
            if v.pinned and v.host is None:
                problems.append(f"vms[{i}].pinned: a VM can only be pinned to a host")
        if problems:
            raise ValueError(capped(problems))
        return self

    @property
    def vm_count(self) -> int:
        # In C (map, attrgetter): Auto-place's progress line asks it of 30,000 entries.
        return sum(map(_count_of, self.vms))

    def workload(self, name: str) -> WorkloadProfile:
        """The plan's definition of a workload name, else the built-in's defaults."""
        for w in self.workloads:
            if w.name == name:
                return w
        if name in BUILTIN_WORKLOADS and name != "measured":
            return WorkloadProfile(name=name, kind=cast(WorkloadKind, name))
        raise KeyError(name)

    def host_model(self, model_id: str) -> HostModel:
        for m in self.host_models:
            if m.id == model_id:
                return m
        raise KeyError(model_id)


_count_of = attrgetter("count")


def _unique(problems: list[str], field: str, ids: list[str], key: str = "id") -> None:
    seen: set[str] = set()
    for i, ident in enumerate(ids):
        if ident in seen:
            problems.append(f"{field}[{i}].{key}: duplicate {key} {quoted(ident)}")
        seen.add(ident)
