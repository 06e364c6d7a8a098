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
    survivors = [h for h in loads if h not in failed]
    cur = {h: list(loads[h]) for h in survivors}
    groups = {h: {g for _, g, _ in members[h] if g is not None} for h in survivors}
    moving = [m for h in failed for m in members[h]]
    moving.sort(key=lambda m: -sum(m[0][:2]))
    for dem, g, vcpu in moving:
        for h in survivors:
            cap = _capacity(caps[model_of[h]])
            trial = [x + y for x, y in zip(cur[h], dem, strict=True)]
            if vcpu > lps[model_of[h]] + _TOL or (g is not None and g in groups[h]):
                continue
            if _fits(trial, cap):
                cur[h] = trial
                if g is not None:
                    groups[h].add(g)
                break
        else:
            return False
    return True
