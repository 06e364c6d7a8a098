"""What the VMs on one host add up to: the one per-host sum behind every load figure.

The canvas bars and drop checks (`engine.hostload`) and the placement's host loads
(`engine.placement.incremental`: `host_loads` for the PDF report, `check_hosts`)
all add VMs up here, and the placement's per-VM demand vector is built from `claim`, so a
host's load is counted one way. Units follow the plan, except RAM: MB, as the capacities.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from hvplanner.engine.assumptions import Assumptions
from hvplanner.model.plan import VM, Plan


@dataclass(frozen=True)
class Claim:
    """What one instance of a VM takes from its host."""

    vcpus: float
    vm_ram_mb: float  # configured RAM after overcommit
    overhead_mb: float
    disk_gb: float
    nic_mbps: float
    mhz: float | None  # the VM's measured peak; None when it gives none

    @property
    def ram_mb(self) -> float:
        return self.vm_ram_mb + self.overhead_mb


def claim(vm: VM, a: Assumptions) -> Claim:
    return Claim(
        vcpus=float(vm.vcpu),
        vm_ram_mb=a.vm_guest_ram_mb(vm),
        overhead_mb=a.vm_overhead_mb(vm.vcpu, vm.ram_gb),
        disk_gb=float(vm.disk_gb),
        nic_mbps=float(vm.nic_mbps),
        mhz=None if vm.cpu_mhz is None else float(vm.cpu_mhz),
    )


def claim_key(vm: VM) -> tuple[float | None, ...]:
    """The VM fields `claim` reads: VMs equal in these take the same from a host."""
    return (vm.vcpu, vm.ram_gb, vm.disk_gb, vm.nic_mbps, vm.cpu_mhz)


@dataclass
class HostSums:
    """The VMs on one host, added up. The host reserve is not in here: it belongs to the
    host, and the capacities it is compared with already leave it out."""

    instances: int = 0
    vcpus: float = 0.0
    vm_ram_mb: float = 0.0
    overhead_mb: float = 0.0
    disk_gb: float = 0.0
    nic_mbps: float = 0.0
    mhz: float = 0.0
    # Instances that state cpu_mhz: the MHz figure means something only while there are any.
    mhz_instances: int = 0
    groups: dict[str, int] = field(default_factory=dict)  # anti-affinity group → members here

    @property
    def ram_mb(self) -> float:
        return self.vm_ram_mb + self.overhead_mb

    def add(self, vm: VM, a: Assumptions, sign: int = 1) -> None:
        """Adds all `vm.count` instances of `vm` (sign -1: takes them away)."""
        self.add_claim(vm, claim(vm, a), sign)

    def add_claim(self, vm: VM, c: Claim, sign: int = 1) -> None:
        """`add` with the VM's claim already made."""
        n = sign * vm.count
        self.instances += n
        self.vcpus += n * c.vcpus
        self.vm_ram_mb += n * c.vm_ram_mb
        self.overhead_mb += n * c.overhead_mb
        self.disk_gb += n * c.disk_gb
        self.nic_mbps += n * c.nic_mbps
        if c.mhz is not None:
            self.mhz += n * c.mhz
            self.mhz_instances += n
        if vm.anti_affinity is not None:
            self.groups[vm.anti_affinity] = self.groups.get(vm.anti_affinity, 0) + n

    def copy(self) -> HostSums:
        return HostSums(
            self.instances,
            self.vcpus,
            self.vm_ram_mb,
            self.overhead_mb,
            self.disk_gb,
            self.nic_mbps,
            self.mhz,
            self.mhz_instances,
            dict(self.groups),
        )


def host_sums(vms: Iterable[VM], a: Assumptions) -> HostSums:
    """The sums of VMs already known to share a host."""
    sums = HostSums()
    # A claim follows from the VM's size alone: made once per size, added per VM in order
    # (the same sums to the bit). A sizing runs this over every VM for every hypervisor.
    made: dict[tuple[float | None, ...], Claim] = {}
    for vm in vms:
        size = claim_key(vm)
        c = made.get(size)
        if c is None:
            c = made[size] = claim(vm, a)
        sums.add_claim(vm, c)
    return sums


def sums_by_host(
    plan: Plan, a: Assumptions, hosts: Collection[str] | None = None
) -> dict[str, HostSums]:
    """Sums of every host the plan lists, or only of `hosts`, in one pass over the VMs."""
    wanted = [h.id for h in plan.hosts if hosts is None or h.id in hosts]
    out = {h: HostSums() for h in wanted}
    for vm in plan.vms:
        if vm.host is not None:
            sums = out.get(vm.host)
            if sums is not None:
                sums.add(vm, a)
    return out
