"""What each host carries against what it can give, as bars: the canvas's view of a load.

The canvas cards, the drop preview and refusal (`engine.refusal`), the
inspector and the summary panel read `HostBars`. The used amounts come from the shared
per-host sums (`engine.hostsums`), the same ones the placement's `HostLoad` is built from;
this module only splits them into segments and adds the host reserve, which the bars show.

Capacities come from `HostCapacity.of` twice: once without headroom (the bar's full
scale and the hard limit) and once with it (the headroom line), so the canvas, the
placement and the sizing read the same figures. The RAM bar's full scale is the host's
physical RAM (capped by the hypervisor), with the reserve as its own segment;
`hvplanner simulate` states its RAM against the RAM left for VMs instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

from hvplanner.engine.assumptions import MB_PER_GB, Assumptions, HostCapacity, resolve
from hvplanner.engine.hostsums import HostSums, host_sums, sums_by_host
from hvplanner.engine.planindex import hosts_stating_mhz, vms_by_host
from hvplanner.model.hypervisor import HypervisorProfile
from hvplanner.model.plan import VM, HostModel, Plan
from hvplanner.text import fmt

# The index lives in planindex (built once per plan version); views import it from here too.
__all__ = ["vms_by_host"]

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
class DimensionBar:
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
class HostBars:
    """The bars of one host card; `model.placement.HostLoad` is the placement's view."""

    host_id: str
    dims: tuple[DimensionBar, ...]

    @property
    def binding(self) -> DimKey | None:
        known = [d for d in self.dims if d.line]
        if not known:
            return None
        return max(known, key=lambda d: d.fill).key

    def dim(self, key: DimKey) -> DimensionBar | None:
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
    """Bars for one plan's policy on one hypervisor; capacities are cached per host model."""

    def __init__(self, plan: Plan, profile: HypervisorProfile) -> None:
        self.profile = profile
        self.assumptions: Assumptions = resolve(plan.policy, profile, plan.vms)
        self._full: Assumptions = resolve(
            plan.policy.model_copy(update={"headroom_pct": 0.0}), profile, plan.vms
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

    def load(self, host_id: str, model: HostModel, vms: Iterable[VM]) -> HostBars:
        """Bars of a host of `model` that runs `vms`."""
        return self.bars(host_id, model, host_sums(vms, self.assumptions))

    def bars(self, host_id: str, model: HostModel, sums: HostSums) -> HostBars:
        a = self.assumptions
        lim = self.profile.limits
        title = self.profile.title
        full, line = self.capacities(model)
        reserve = a.host_reserve.value
        dims = [
            DimensionBar(
                "vcpus",
                "vCPUs",
                "vCPUs",
                (Segment("vCPUs", sums.vcpus),),
                full.vcpus,
                line.vcpus,
                lim.vcpus_per_host.value,
                f"{title} allows {fmt(lim.vcpus_per_host.value or 0)} vCPUs per host",
            ),
            DimensionBar(
                "ram",
                "RAM",
                "GB",
                (
                    Segment("host reserve", reserve),
                    Segment("VM RAM", sums.vm_ram_mb),
                    Segment("overhead", sums.overhead_mb),
                ),
                full.ram_mb + reserve,
                line.ram_mb + reserve,
                full.ram_mb + reserve,
                f"RAM of {model.label}, capped by {title}",
                MB_PER_GB,
            ),
        ]
        if sums.mhz_instances:
            dims.append(
                DimensionBar(
                    "mhz",
                    "CPU",
                    "GHz",
                    (Segment("peak MHz", sums.mhz),),
                    full.mhz,
                    line.mhz,
                    None,
                    scale=1000.0,
                )
            )
        dims.append(
            DimensionBar(
                "nic",
                "NIC",
                "Mbps",
                (Segment("VM traffic", sums.nic_mbps),),
                full.nic_mbps,
                line.nic_mbps,
                None,
            )
        )
        dims.append(
            DimensionBar(
                "disk",
                "Disk",
                "GB",
                (Segment("VM disks", sums.disk_gb),),
                full.disk_gb,
                line.disk_gb,
                None,
            )
        )
        running_limit = full.running_vms
        dims.append(
            DimensionBar(
                "vms",
                "VMs",
                "VMs",
                (Segment("running VMs", float(sums.instances)),),
                running_limit,
                running_limit,
                running_limit,
                f"{title} runs at most {fmt(running_limit or 0)} VMs per host",
            )
        )
        return HostBars(host_id, tuple(dims))


def bar_count(vms: Iterable[VM]) -> int:
    """How many bars `LoadCalculator.bars` gives a host running `vms`, without adding them
    up (a card's height, for the canvas's cards far from the view): vCPUs, RAM, NIC, disk
    and running VMs, and the CPU (MHz) bar when some VM states its peak."""
    return 5 + (1 if any(vm.cpu_mhz is not None for vm in vms) else 0)


def host_bar_count(plan: Plan, host_id: str) -> int:
    """`bar_count` of the host's VMs, from an index of the plan built once (after
    Auto-place, in its thread) rather than a pass over each card's VMs."""
    return host_bar_counts(plan)(host_id)


def host_bar_counts(plan: Plan) -> Callable[[str], int]:
    """`host_bar_count` for the hosts of one plan, the index looked up once for them all
    (the canvas asks it of every card after Auto-place)."""
    stating = hosts_stating_mhz(plan)
    return lambda host_id: 5 + (1 if host_id in stating else 0)


def plan_loads(plan: Plan, profile: HypervisorProfile) -> dict[str, HostBars]:
    calc = LoadCalculator(plan, profile)
    sums = sums_by_host(plan, calc.assumptions)
    return {h.id: calc.bars(h.id, plan.host_model(h.model), sums[h.id]) for h in plan.hosts}
