"""The P2V / V2V question after an import: the hosts that run the VMs today beside the hosts
the same VMs need under each hypervisor, on the same hardware (the seed's "128 old servers
onto 8 hosts").

Each figure is the sizing's host count (`engine.sizing.size_plan`: vCPU:LP ratio, RAM with
overheads and reserve, NICs, N+k) on the host model most of today's hosts use.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from hvplanner.engine.sizing import plan_host_model, size_plan
from hvplanner.errors import InputError
from hvplanner.model.hypervisor import HypervisorProfile
from hvplanner.model.plan import HostModel, Plan


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


def consolidation(plan: Plan, profiles: Sequence[HypervisorProfile]) -> Consolidation | None:
    """None when the plan describes no current hosts or holds no VMs."""
    if not plan.hosts or not plan.host_models or not plan.vms:
        return None
    model = plan_host_model(plan)
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
