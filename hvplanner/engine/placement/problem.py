"""The plan turned into vectors: what each VM instance claims and what each host model gives.

Every figure comes from `engine.assumptions` (ratio, overhead, reserve, headroom, hypervisor
limits), so placement and sizing agree on what a host holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from hvplanner.engine.assumptions import MB_PER_GB, Assumptions, HostCapacity
from hvplanner.engine.hostsums import claim, claim_key
from hvplanner.engine.placement.flavors import BoolArray, FlavorBuilder, Flavors, FloatArray
from hvplanner.errors import PlacementInputError
from hvplanner.model.plan import VM, Plan

DIM_NAMES = ("vcpu", "ram", "disk", "nic", "mhz", "vms")
DIM_LABELS = ("vCPUs", "RAM", "local disk", "NIC bandwidth", "CPU MHz", "running VMs")
D = len(DIM_NAMES)
VCPU, RAM, DISK, NIC, MHZ, VMS = range(D)

# Relative slack for float sums: RAM overheads are fractional MB, and a host filled to
# exactly its capacity must not be rejected for a rounding error in the 15th digit.
EPS = 1e-9


def fits(load: FloatArray, cap: FloatArray) -> BoolArray:
    """Elementwise load ≤ cap with the shared tolerance (works on any broadcastable shapes)."""
    result: BoolArray = load <= cap * (1.0 + EPS) + EPS
    return result


@dataclass(frozen=True)
class ModelSet:
    ids: list[str]
    capacities: list[HostCapacity]
    cap: FloatArray  # (M, D), inf where the model does not limit the dimension
    lps: FloatArray  # (M,) logical processors: the widest VM a host can run
    cost: FloatArray  # (M,) the model's cost, or 1 when costs are not all given
    costed: bool

    @property
    def m(self) -> int:
        return len(self.ids)


@dataclass
class FixedHost:
    """A host the plan lists: its pinned VMs are already on it."""

    id: str
    model: int
    load: FloatArray
    instances: list[str] = field(default_factory=list)
    groups: dict[int, int] = field(default_factory=dict)
    items: list[tuple[FloatArray, int, int]] = field(default_factory=list)  # demand, count, group


@dataclass(frozen=True)
class Problem:
    models: ModelSet
    flavors: Flavors  # the instances the engine may move
    elig: BoolArray  # (K, M) flavor fits an empty host of the model
    groups: list[str]  # anti-affinity group names by index
    group_sizes: dict[int, int]  # members per group, pinned ones included
    fixed: list[FixedHost]
    pinned_demand: FloatArray  # (D,) total of pinned instances

    @property
    def total_demand(self) -> FloatArray:
        free: FloatArray = (self.flavors.dem * self.flavors.count[:, None]).sum(axis=0)
        return free + self.pinned_demand


def demand(vm: VM, a: Assumptions) -> tuple[float, ...]:
    """One instance's claim (`engine.hostsums.claim`) in the order of `DIM_NAMES`."""
    c = claim(vm, a)
    return (c.vcpus, c.ram_mb, c.disk_gb, c.nic_mbps, c.mhz or 0.0, 1.0)


def capacity_vector(c: HostCapacity) -> FloatArray:
    inf = np.inf
    return np.array(
        [
            c.vcpus,
            c.ram_mb,
            inf if c.disk_gb is None else c.disk_gb,
            inf if c.nic_mbps is None else c.nic_mbps,
            c.mhz,
            inf if c.running_vms is None else c.running_vms,
        ],
        dtype=np.float64,
    )


def host_lps(c: HostCapacity, a: Assumptions) -> float:
    # Headroom keeps capacity free; it does not make a host narrower than its processors.
    return c.logical_processors / (1.0 - a.headroom)


def model_set(plan: Plan, a: Assumptions) -> ModelSet:
    if not plan.host_models:
        raise PlacementInputError("the plan has no host models: add one to place VMs on")
    caps = [HostCapacity.of(m, a) for m in plan.host_models]
    costed = all(m.cost is not None and m.cost > 0 for m in plan.host_models)
    return ModelSet(
        ids=[m.id for m in plan.host_models],
        capacities=caps,
        cap=np.array([capacity_vector(c) for c in caps], dtype=np.float64).reshape(len(caps), D),
        lps=np.array([host_lps(c, a) for c in caps], dtype=np.float64),
        cost=np.array(
            [float(m.cost) if costed and m.cost else 1.0 for m in plan.host_models],
            dtype=np.float64,
        ),
        costed=costed,
    )


def _fmt(dim: int, value: float) -> str:
    if dim == RAM:
        return f"{value / MB_PER_GB:.2f} GB"
    if dim == DISK:
        return f"{value:g} GB"
    if dim == NIC:
        return f"{value:g} Mbps"
    if dim == MHZ:
        return f"{value:g} MHz"
    return f"{value:g}"


def eligibility(dem: FloatArray, models: ModelSet) -> BoolArray:
    """(K, M): the flavor fits an empty host of the model, vCPUs within its processors."""
    ok: BoolArray = np.asarray(fits(dem[:, None, :], models.cap[None, :, :]).all(axis=2))
    narrow: BoolArray = np.asarray(dem[:, VCPU][:, None] <= models.lps[None, :] + EPS)
    return ok & narrow


def too_big_message(vm_id: str, dem: FloatArray, models: ModelSet) -> str:
    reasons: list[str] = []
    for m in range(models.m):
        cap = models.cap[m]
        for d in range(D):
            if not fits(dem[d : d + 1], cap[d : d + 1])[0]:
                reasons.append(
                    f"{DIM_LABELS[d]} {_fmt(d, dem[d])} > {_fmt(d, cap[d])} on {models.ids[m]}"
                )
                break
        else:
            reasons.append(
                f"{dem[VCPU]:g} vCPUs > {models.lps[m]:g} logical processors on {models.ids[m]}"
            )
    return f"VM {vm_id!r} fits no host model: " + "; ".join(reasons)


def build(plan: Plan, a: Assumptions, max_hosts: int | None = None) -> Problem:
    models = model_set(plan, a)
    model_index = {mid: i for i, mid in enumerate(models.ids)}
    group_index: dict[str, int] = {}
    group_sizes: dict[int, int] = {}
    fixed = [FixedHost(h.id, model_index[h.model], np.zeros(D)) for h in plan.hosts]
    fixed_index = {h.id: i for i, h in enumerate(fixed)}
    builder = FlavorBuilder()
    pinned_demand = np.zeros(D)
    # An imported estate lists thousands of VMs of a few sizes: each size is worked out once.
    demands: dict[tuple[float | None, ...], tuple[float, ...]] = {}
    for vm in plan.vms:
        key = claim_key(vm)
        dem = demands.get(key)
        if dem is None:
            dem = demands[key] = demand(vm, a)
        g = -1
        if vm.anti_affinity is not None:
            g = group_index.setdefault(vm.anti_affinity, len(group_index))
            group_sizes[g] = group_sizes.get(g, 0) + vm.count
        if vm.pinned and vm.host is not None:
            host = fixed[fixed_index[vm.host]]
            vec = np.array(dem)
            host.load += vec * vm.count
            pinned_demand += vec * vm.count
            host.instances.extend(vm.instance_ids())
            host.items.append((vec, vm.count, g))
            if vm.vcpu > models.lps[host.model] + EPS:
                raise PlacementInputError(
                    f"VM {vm.id!r} is pinned to host {host.id!r}, whose model "
                    f"{models.ids[host.model]!r} has {models.lps[host.model]:g} logical "
                    f"processors for its {vm.vcpu} vCPUs"
                )
            if g >= 0:
                host.groups[g] = host.groups.get(g, 0) + vm.count
                if host.groups[g] > 1:
                    raise PlacementInputError(
                        f"anti-affinity group {vm.anti_affinity!r} has more than one member "
                        f"pinned to host {host.id!r}"
                    )
        else:
            at = -1 if vm.host is None else fixed_index.get(vm.host, -1)
            builder.add(dem, g, vm.id, vm.instance_ids(), at)
    if fixed:
        # All hosts at once: a host at a time cost 1 ms of every placement at 500 hosts.
        loads = np.array([h.load for h in fixed])
        caps = models.cap[[h.model for h in fixed]]
        bad_at = np.argwhere(~fits(loads, caps))
        if bad_at.size:
            i, d = (int(x) for x in bad_at[0])
            raise PlacementInputError(
                f"pinned VMs overload host {fixed[i].id!r}: {DIM_LABELS[d]} "
                f"{_fmt(d, loads[i, d])} > {_fmt(d, caps[i, d])}"
            )
    flavors = builder.build(D)
    elig = eligibility(flavors.dem, models)
    bad = np.flatnonzero(~elig.any(axis=1))
    if bad.size:
        i = int(bad[0])
        raise PlacementInputError(too_big_message(flavors.vm_ids[i], flavors.dem[i], models))
    groups = sorted(group_index, key=group_index.__getitem__)
    if max_hosts is not None:
        for g, size in group_sizes.items():
            if size > max_hosts:
                raise PlacementInputError(
                    f"anti-affinity group {groups[g]!r} has {size} members and needs "
                    f"{size} hosts, but at most {max_hosts} are allowed"
                )
    return Problem(
        models=models,
        flavors=flavors,
        elig=elig,
        groups=groups,
        group_sizes=group_sizes,
        fixed=fixed,
        pinned_demand=pinned_demand,
    )
