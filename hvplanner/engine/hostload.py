"""What each host carries against what it can give: the numbers behind the capacity bars.

Capacities come from `HostCapacity.of` twice: once without headroom (the bar's full
scale and the hard limit) and once with it (the headroom line), so the canvas, the
placement and the sizing read the same figures.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from hvplanner.engine.assumptions import MB_PER_GB, Assumptions, HostCapacity, resolve
from hvplanner.engine.numbers import fmt
from hvplanner.model.hypervisor import HypervisorProfile
from hvplanner.model.plan import VM, HostModel, Plan

DimKey = Literal["vcpus", "ram", "nic", "disk", "mhz", "vms"]
LoadState = Literal["comfortable", "near", "over", "unknown"]

# A dimension counts as "near" from this share of its headroom line on.
NEAR_SHARE = 0.9
_EPS = 1e-9


@dataclass(frozen=True)
class Segment:
    label: str
    value: float


@dataclass(frozen=True)
class DimensionLoad:
    """One bar. `capacity` None: the limit is unknown (not published) or not a constraint."""

    key: DimKey
    label: str
    unit: str
    segments: tuple[Segment, ...]
    capacity: float | None
    line: float | None
    hard: float | None
    hard_label: str = ""
    scale: float = 1.0  # displayed value = stored value / scale (RAM is kept in MB, shown in GB)

    @property
    def used(self) -> float:
        return sum(s.value for s in self.segments)

    @property
    def fill(self) -> float:
        """Share of the headroom line in use; the binding dimension has the largest."""
        if not self.line:
            return 0.0
        return self.used / self.line

    @property
    def state(self) -> LoadState:
        if self.line is None:
            return "unknown"
        if self.used > self.line + _EPS:
            return "over"
        if self.used >= NEAR_SHARE * self.line:
            return "near"
        return "comfortable"

    def breaks_hard_limit(self) -> bool:
        return self.hard is not None and self.used > self.hard + _EPS

    def describe(self) -> str:
        used = fmt(self.used / self.scale)
        if self.capacity is None:
            return f"{used} {self.unit}"
        return f"{used} / {fmt(self.capacity / self.scale)} {self.unit}"


@dataclass(frozen=True)
class HostLoad:
    host_id: str
    dims: tuple[DimensionLoad, ...]

    @property
    def binding(self) -> DimKey | None:
        known = [d for d in self.dims if d.line]
        if not known:
            return None
        return max(known, key=lambda d: d.fill).key

    def dim(self, key: DimKey) -> DimensionLoad | None:
        for d in self.dims:
            if d.key == key:
                return d
        return None

    def violations(self) -> list[str]:
        """Hard limits this load breaks, each as one sentence that names the limit."""
        out: list[str] = []
        for d in self.dims:
            if d.breaks_hard_limit() and d.hard is not None:
                out.append(
                    f"{d.label}: {fmt(d.used / d.scale)} {d.unit} would exceed "
                    f"{fmt(d.hard / d.scale)} {d.unit} ({d.hard_label})"
                )
        return out

    @property
    def worst_state(self) -> LoadState:
        states = {d.state for d in self.dims}
        if "over" in states:
            return "over"
        if "near" in states:
            return "near"
        if "comfortable" in states:
            return "comfortable"
        return "unknown"


class LoadCalculator:
    """Loads for one plan's policy on one hypervisor; capacities are cached per host model."""

    def __init__(self, plan: Plan, profile: HypervisorProfile) -> None:
        self.profile = profile
        self.assumptions: Assumptions = resolve(plan.policy, profile)
        self._full: Assumptions = resolve(
            plan.policy.model_copy(update={"headroom_pct": 0.0}), profile
        )
        self._caps: dict[str, tuple[HostCapacity, HostCapacity]] = {}

    def capacities(self, model: HostModel) -> tuple[HostCapacity, HostCapacity]:
        """(full, after headroom) for a host model."""
        caps = self._caps.get(model.id)
        if caps is None or caps[0].model_id != model.id:
            caps = (HostCapacity.of(model, self._full), HostCapacity.of(model, self.assumptions))
            self._caps[model.id] = caps
        return caps

    def forget(self) -> None:
        self._caps.clear()

    def load(self, host_id: str, model: HostModel, vms: Iterable[VM]) -> HostLoad:
        a = self.assumptions
        lim = self.profile.limits
        title = self.profile.title
        full, line = self.capacities(model)
        vcpus = running = 0
        guest_mb = overhead_mb = nic = disk = mhz = 0.0
        any_mhz = False
        for vm in vms:
            n = vm.count
            vcpus += n * vm.vcpu
            running += n
            over = a.vm_overhead_mb(vm.vcpu, vm.ram_gb)
            overhead_mb += n * over
            guest_mb += n * (a.vm_ram_mb(vm) - over)
            nic += n * vm.nic_mbps
            disk += n * vm.disk_gb
            if vm.cpu_mhz is not None:
                any_mhz = True
                mhz += n * vm.cpu_mhz
        reserve = a.host_reserve.value
        dims = [
            DimensionLoad(
                "vcpus",
                "vCPUs",
                "vCPUs",
                (Segment("vCPUs", float(vcpus)),),
                full.vcpus,
                line.vcpus,
                lim.vcpus_per_host.value,
                f"{title} allows {fmt(lim.vcpus_per_host.value or 0)} vCPUs per host",
            ),
            DimensionLoad(
                "ram",
                "RAM",
                "GB",
                (
                    Segment("host reserve", reserve),
                    Segment("VM RAM", guest_mb),
                    Segment("overhead", overhead_mb),
                ),
                full.ram_mb + reserve,
                line.ram_mb + reserve,
                full.ram_mb + reserve,
                f"RAM of {model.label}, capped by {title}",
                MB_PER_GB,
            ),
        ]
        if any_mhz:
            dims.append(
                DimensionLoad(
                    "mhz",
                    "CPU",
                    "GHz",
                    (Segment("peak MHz", mhz),),
                    full.mhz,
                    line.mhz,
                    None,
                    scale=1000.0,
                )
            )
        dims.append(
            DimensionLoad(
                "nic",
                "NIC",
                "Mbps",
                (Segment("VM traffic", nic),),
                full.nic_mbps,
                line.nic_mbps,
                None,
            )
        )
        dims.append(
            DimensionLoad(
                "disk",
                "Disk",
                "GB",
                (Segment("VM disks", disk),),
                full.disk_gb,
                line.disk_gb,
                None,
            )
        )
        running_limit = full.running_vms
        dims.append(
            DimensionLoad(
                "vms",
                "VMs",
                "VMs",
                (Segment("running VMs", float(running)),),
                running_limit,
                running_limit,
                running_limit,
                f"{title} runs at most {fmt(running_limit or 0)} VMs per host",
            )
        )
        return HostLoad(host_id, tuple(dims))


def vms_by_host(plan: Plan) -> dict[str | None, list[VM]]:
    out: dict[str | None, list[VM]] = {h.id: [] for h in plan.hosts}
    out[None] = []
    for vm in plan.vms:
        out.setdefault(vm.host, []).append(vm)
    return out


def plan_loads(plan: Plan, profile: HypervisorProfile) -> dict[str, HostLoad]:
    calc = LoadCalculator(plan, profile)
    by_host = vms_by_host(plan)
    return {
        h.id: calc.load(h.id, plan.host_model(h.model), by_host.get(h.id, [])) for h in plan.hosts
    }
