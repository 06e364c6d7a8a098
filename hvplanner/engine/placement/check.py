"""An independent check of a placement result, instance by instance, in plain Python.

It shares no packing code with the engine: it recomputes every demand from the plan and
every capacity from `HostCapacity`, so an engine bug cannot hide behind its own numbers.
Slow on purpose-free grounds only (one loop per instance); meant for tests and audits.
"""

from __future__ import annotations

import itertools
import math

from hvplanner.engine.assumptions import Assumptions, HostCapacity
from hvplanner.model.placement import PlacementResult
from hvplanner.model.plan import VM, Plan

_TOL = 1e-6
_NAMES = ("vcpus", "ram_mb", "disk_gb", "nic_mbps", "mhz", "vms")
# Exhaustive failure sets beyond this are not tried; only the spare argument can then pass.
_MAX_SETS = 5000
# Search nodes per failure set for the restart of its VMs (a few hundred VMs at most).
_MAX_NODES = 20_000


def _demand(vm: VM, a: Assumptions) -> tuple[float, ...]:
    return (vm.vcpu, a.vm_ram_mb(vm), vm.disk_gb, vm.nic_mbps, vm.cpu_mhz or 0.0, 1.0)


def _capacity(c: HostCapacity) -> tuple[float | None, ...]:
    return (c.vcpus, c.ram_mb, c.disk_gb, c.nic_mbps, c.mhz, c.running_vms)


def _fits(load: list[float], cap: tuple[float | None, ...]) -> bool:
    return all(c is None or x <= c * (1 + _TOL) + _TOL for x, c in zip(load, cap, strict=True))


def verify(plan: Plan, result: PlacementResult, a: Assumptions) -> list[str]:
    """Every way the result breaks the plan's rules, as readable lines; [] when it holds."""
    bad: list[str] = []
    caps = {m.id: HostCapacity.of(m, a) for m in plan.host_models}
    lps = {mid: c.logical_processors / (1.0 - a.headroom) for mid, c in caps.items()}
    model_of: dict[str, str] = {h.id: h.model for h in plan.hosts}
    for h in result.hosts:
        if h.id in model_of and model_of[h.id] != h.model:
            bad.append(f"host {h.id}: model {h.model} differs from the plan's {model_of[h.id]}")
        if h.model not in caps:
            bad.append(f"host {h.id}: unknown model {h.model}")
        model_of[h.id] = h.model
    listed: dict[str, str] = {}
    for h in result.hosts:
        for inst in h.instances:
            if inst in listed:
                bad.append(f"instance {inst} listed on {listed[inst]} and {h.id}")
            listed[inst] = h.id
    if listed != result.assignment:
        bad.append("hosts' instance lists and the assignment disagree")
    loads: dict[str, list[float]] = {h.id: [0.0] * 6 for h in result.hosts}
    members: dict[str, list[tuple[tuple[float, ...], str | None, int]]] = {
        h.id: [] for h in result.hosts
    }
    seen: set[str] = set()
    for vm in plan.vms:
        dem = _demand(vm, a)
        for inst in vm.instance_ids():
            seen.add(inst)
            host = result.assignment.get(inst)
            if host is None:
                bad.append(f"instance {inst} is not placed")
                continue
            if host not in loads:
                bad.append(f"instance {inst} is on unknown host {host}")
                continue
            if vm.pinned and host != vm.host:
                bad.append(f"pinned instance {inst} moved from {vm.host} to {host}")
            if vm.vcpu > lps[model_of[host]] + _TOL:
                bad.append(f"instance {inst}: {vm.vcpu} vCPUs on a host with fewer processors")
            for d in range(6):
                loads[host][d] += dem[d]
            members[host].append((dem, vm.anti_affinity, vm.vcpu))
    extra = set(result.assignment) - seen
    if extra:
        bad.append(f"{len(extra)} assigned instances are not in the plan, e.g. {min(extra)}")
    for hid, load in loads.items():
        cap = _capacity(caps[model_of[hid]])
        for d, name in enumerate(_NAMES):
            c = cap[d]
            if c is not None and load[d] > c * (1 + _TOL) + _TOL:
                bad.append(f"host {hid}: {name} {load[d]:.6g} over capacity {c:.6g}")
        groups = [g for _, g, _ in members[hid] if g is not None]
        dup = {g for g in groups if groups.count(g) > 1}
        for g in sorted(dup):
            bad.append(f"host {hid}: anti-affinity group {g} has several members")
    if result.host_count != len(result.hosts):
        bad.append("host_count does not match the host list")
    k = plan.policy.failover_hosts
    if (
        k
        and result.failover.holds
        and not _failover_holds(
            result=result, caps=caps, lps=lps, members=members, loads=loads, k=k
        )
    ):
        bad.append(f"failover N+{k} is claimed but does not verify")
    if k and not result.failover.holds:
        bad.append(f"failover N+{k} does not hold")
    return bad


def _failover_holds(
    *,
    result: PlacementResult,
    caps: dict[str, HostCapacity],
    lps: dict[str, float],
    members: dict[str, list[tuple[tuple[float, ...], str | None, int]]],
    loads: dict[str, list[float]],
    k: int,
) -> bool:
    model_of = {h.id: h.model for h in result.hosts}
    empty = [h for h, m in members.items() if not m]
    loaded = [h for h, m in members.items() if m]
    spares_per_model: dict[str, int] = {}
    for h in empty:
        spares_per_model[model_of[h]] = spares_per_model.get(model_of[h], 0) + 1
    usable = [m for m, n in spares_per_model.items() if n >= k]

    def covered(h: str) -> bool:
        widest = max(v for _, _, v in members[h])
        return any(_fits(loads[h], _capacity(caps[m])) and widest <= lps[m] + _TOL for m in usable)

    if all(covered(h) for h in loaded):
        return True
    k_eff = min(k, len(loaded))
    if math.comb(len(loaded), k_eff) > _MAX_SETS:
        return False
    for failed in itertools.combinations(loaded, k_eff):
        if not _restart(
            failed=failed, caps=caps, lps=lps, members=members, loads=loads, model_of=model_of
        ):
            return False
    return True


def _restart(
    *,
    failed: tuple[str, ...],
    caps: dict[str, HostCapacity],
    lps: dict[str, float],
    members: dict[str, list[tuple[tuple[float, ...], str | None, int]]],
    loads: dict[str, list[float]],
    model_of: dict[str, str],
) -> bool:
    """Whether the failed hosts' VMs can restart on the survivors, decided by search.

    A first fit in one fixed order is only a heuristic: the engine may prove a failure
    set with another order, and a re-placement that exists must not read as a failed
    claim. So this searches every assignment (with the symmetries of identical VMs and
    identical survivors removed) up to `_MAX_NODES`; past that the claim is not shown.
    """
    survivors = [h for h in loads if h not in failed]
    cap = [_capacity(caps[model_of[h]]) for h in survivors]
    lp = [lps[model_of[h]] for h in survivors]
    cur = [list(loads[h]) for h in survivors]
    groups = [{g for _, g, _ in members[h] if g is not None} for h in survivors]
    moving = [m for h in failed for m in members[h]]
    # Largest first (by the sum of each dimension's share of the largest capacity), and
    # identical VMs next to each other so the search can order them.
    scale = [max((x for c in cap if (x := c[d]) is not None), default=0.0) or 1.0 for d in range(6)]
    moving.sort(
        key=lambda m: (-sum(x / s for x, s in zip(m[0], scale, strict=True)), m[0], m[1] or "")
    )
    nodes = [0]

    def place(i: int, lowest: int) -> bool:
        if i == len(moving):
            return True
        nodes[0] += 1
        if nodes[0] > _MAX_NODES:
            return False
        dem, g, vcpu = moving[i]
        tried: set[tuple[object, ...]] = set()
        for j in range(lowest, len(survivors)):
            if vcpu > lp[j] + _TOL or (g is not None and g in groups[j]):
                continue
            trial = [x + y for x, y in zip(cur[j], dem, strict=True)]
            if not _fits(trial, cap[j]):
                continue
            state = (model_of[survivors[j]], tuple(cur[j]), frozenset(groups[j]))
            if state in tried:
                continue
            tried.add(state)
            before = cur[j]
            cur[j] = trial
            if g is not None:
                groups[j].add(g)
            same_next = i + 1 < len(moving) and moving[i + 1] == moving[i]
            if place(i + 1, j if same_next else 0):
                return True
            cur[j] = before
            if g is not None:
                groups[j].discard(g)
        return False

    return place(0, 0)
