"""The P2V / V2V question after an import: the hosts that run the VMs today beside the hosts
the same VMs need under each hypervisor, on the same hardware (the seed's "128 old servers
onto 8 hosts").

Each figure is the sizing's host count (`engine.sizing.size_plan`: vCPU:LP ratio, RAM with
overheads and reserve, NICs, N+k) on the host model most of today's hosts use.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from hvplanner.engine.sizing import plan_host_model, size_plan
from hvplanner.errors import InputError
from hvplanner.model.edits import rebuild
from hvplanner.model.hypervisor import HypervisorProfile
from hvplanner.model.plan import VM, HostModel, Plan
from hvplanner.text import plural


@dataclass(frozen=True)
class Needed:
    hypervisor: str
    label: str
    hosts: int | None
    """None: the sizing could not run (the reason is in `note`)."""
    note: str = ""


@dataclass(frozen=True)
class Consolidation:
    current_hosts: int
    model: HostModel
    needed: list[Needed]

    def ratio(self, hosts: int | None) -> float | None:
        return self.current_hosts / hosts if hosts else None


SizeKey = tuple[int, float, float, float, float | None, str | None]
"""What the sizing reads of a VM besides its count: vCPUs, RAM, disk, NIC, MHz, group."""


def grouped_vms(sizes: Iterable[tuple[SizeKey, int]]) -> list[VM]:
    """One VM entry per distinct size, holding the count of all VMs of that size, in the
    order the sizes first appear."""
    counts: Counter[SizeKey] = Counter()
    for key, n in sizes:
        counts[key] += n
    return [
        VM(
            id=f"g{i}",
            vcpu=vcpu,
            ram_gb=ram,
            disk_gb=disk,
            nic_mbps=nic,
            cpu_mhz=mhz,
            anti_affinity=group,
            count=n,
        )
        for i, ((vcpu, ram, disk, nic, mhz, group), n) in enumerate(counts.items())
    ]


def grouped(plan: Plan) -> Plan:
    """The plan with identical VMs merged into one entry of their count: the sizing reads
    sizes, counts and anti-affinity groups only, so its answer is the same, and a
    100,000-VM estate is sized in a few hundred entries."""
    sizes = (
        ((v.vcpu, v.ram_gb, v.disk_gb, v.nic_mbps, v.cpu_mhz, v.anti_affinity), v.count)
        for v in plan.vms
    )
    return rebuild(plan, vms=grouped_vms(sizes), workloads=[])


def consolidation(plan: Plan, profiles: Sequence[HypervisorProfile]) -> Consolidation | None:
    """None when the plan describes no current hosts or holds no VMs."""
    if not plan.hosts or not plan.host_models or not plan.vms:
        return None
    model = plan_host_model(plan)
    plan = grouped(plan)
    needed: list[Needed] = []
    for p in profiles:
        try:
            sized = size_plan(plan, p)
        except InputError as exc:
            needed.append(Needed(p.key, p.title, None, str(exc)))
            continue
        note = "; ".join(sized.limits_exceeded) if sized.limits_exceeded else ""
        needed.append(Needed(p.key, p.title, sized.hosts, note))
    return Consolidation(len(plan.hosts), model, needed)


def consolidation_lines(cons: Consolidation) -> list[str]:
    """The consolidation as text lines: today's hosts beside each hypervisor's need."""
    out = [
        f"consolidation: today {plural(cons.current_hosts, 'host')}; on the same hardware "
        f"({cons.model.label}) the VMs need:"
    ]
    width = max(len(n.hypervisor) for n in cons.needed) if cons.needed else 0
    for n in cons.needed:
        if n.hosts is None:
            out.append(f"  {n.hypervisor:<{width}}  –  ({n.note})")
            continue
        ratio = cons.ratio(n.hosts)
        onto = f"  {cons.current_hosts} → {n.hosts}" + (f" ({ratio:.1f} : 1)" if ratio else "")
        note = f"  ! {n.note}" if n.note else ""
        out.append(f"  {n.hypervisor:<{width}}  {plural(n.hosts, 'host'):>10}{onto}{note}")
    return out
