"""The sizing constants in force for one plan on one hypervisor, each with its origin.

Sizing, placement and simulation all read their ratios, overheads and reserves from
here, so the three can never disagree about what a host holds or what a VM costs.
"""

from __future__ import annotations

from dataclasses import dataclass

from hvplanner.model.hypervisor import Figure, HypervisorProfile
from hvplanner.model.plan import VM, HostModel, Policy

MB_PER_GB = 1024.0
MBPS_PER_GBPS = 1000.0

# With no published ratio (Hyper-V 2016+ "imposes none", VMware publishes only maxima)
# the sizing assumes no CPU overcommit and says so in a warning: the conservative choice.
FALLBACK_VCPU_PER_LP = 1.0


@dataclass(frozen=True)
class Assumption:
    """One value the sizing uses, where it came from, and how to change it."""

    name: str
    value: float
    unit: str
    origin: str  # "policy", "catalog", "assumed" or "default"
    source: str | None
    note: str = ""


@dataclass(frozen=True)
class Assumptions:
    profile: HypervisorProfile
    policy: Policy
    ratio: Assumption
    host_reserve: Assumption
    overhead_flat_mb: float | None  # set when the policy overrides the catalog's model
    overhead_known: bool
    headroom: float  # fraction kept free, 0 ≤ h < 1

    def vm_overhead_mb(self, vcpu: int, ram_gb: float) -> float:
        if self.overhead_flat_mb is not None:
            return self.overhead_flat_mb
        return self.profile.overhead.mb(vcpu, ram_gb)

    def vm_guest_ram_mb(self, vm: VM) -> float:
        """The guest's share of one instance's RAM on its host: configured RAM / overcommit."""
        return vm.ram_gb * MB_PER_GB / self.policy.ram_overcommit

    def vm_ram_mb(self, vm: VM) -> float:
        """RAM one instance claims on its host: configured RAM / overcommit + overhead."""
        return self.vm_guest_ram_mb(vm) + self.vm_overhead_mb(vm.vcpu, vm.ram_gb)

    def overhead_formula(self) -> str:
        if self.overhead_flat_mb is not None:
            return f"{self.overhead_flat_mb:g} MB per VM (policy)"
        return self.profile.overhead.formula()

    def overhead_source(self) -> str | None:
        if self.overhead_flat_mb is not None:
            return None
        return getattr(self.profile.overhead, "source", None)


def _from_figure(name: str, unit: str, override: float | None, fig: Figure) -> Assumption:
    if override is not None:
        return Assumption(name, override, unit, "policy", None)
    if fig.value is not None:
        return Assumption(name, fig.value, unit, "catalog", fig.source, fig.note)
    return Assumption(name, float("nan"), unit, "unknown", None, fig.note)


def resolve(policy: Policy, profile: HypervisorProfile) -> Assumptions:
    ratio = _from_figure(
        "vCPU:LP ratio", "vCPUs per LP", policy.vcpu_per_lp, profile.limits.vcpu_per_lp
    )
    if ratio.origin == "unknown":
        ratio = Assumption(
            "vCPU:LP ratio",
            FALLBACK_VCPU_PER_LP,
            "vCPUs per LP",
            "assumed",
            None,
            f"{profile.title} publishes no ratio; assumed 1:1 (no CPU overcommit). "
            "Set the policy's vcpu_per_lp to change it.",
        )
    reserve = _from_figure(
        "host reserve", "MB per host", policy.host_reserve_mb, profile.host_reserve_mb
    )
    if reserve.origin == "unknown":
        reserve = Assumption(
            "host reserve",
            0.0,
            "MB per host",
            "assumed",
            None,
            f"{profile.title} publishes no host reserve; 0 MB assumed. "
            "Set the policy's host_reserve_mb to change it.",
        )
    return Assumptions(
        profile=profile,
        policy=policy,
        ratio=ratio,
        host_reserve=reserve,
        overhead_flat_mb=policy.vm_overhead_mb,
        overhead_known=policy.vm_overhead_mb is not None or profile.overhead.kind != "unknown",
        headroom=policy.headroom_pct / 100.0,
    )


@dataclass(frozen=True)
class HostCapacity:
    """What one host of a model can give VMs, after hypervisor limits, reserve and headroom.

    Dimensions that the hypervisor leaves unknown are `None` there and not checked.
    """

    model_id: str
    vcpus: float
    logical_processors: float
    ram_mb: float
    nic_mbps: float | None  # None: the model lists no NICs
    disk_gb: float | None  # None: shared storage
    mhz: float
    running_vms: float | None

    @staticmethod
    def of(model: HostModel, a: Assumptions) -> HostCapacity:
        keep = 1.0 - a.headroom
        lim = a.profile.limits
        lps = float(model.logical_processors)
        if lim.lps_per_host.value is not None:
            lps = min(lps, lim.lps_per_host.value)
        vcpus = lps * a.ratio.value
        if lim.vcpus_per_host.value is not None:
            vcpus = min(vcpus, lim.vcpus_per_host.value)
        ram_gb = model.ram_gb
        if lim.ram_gb_per_host.value is not None:
            ram_gb = min(ram_gb, lim.ram_gb_per_host.value)
        ram_mb = max(ram_gb * MB_PER_GB - a.host_reserve.value, 0.0)
        return HostCapacity(
            model_id=model.id,
            vcpus=vcpus * keep,
            logical_processors=lps * keep,
            ram_mb=ram_mb * keep,
            nic_mbps=model.nic_mbps * keep if model.nics else None,
            disk_gb=model.disk_gb * keep if model.disk_gb > 0 else None,
            mhz=model.mhz * keep,
            running_vms=lim.running_vms_per_host.value,
        )
