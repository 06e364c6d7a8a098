"""Per-host loads for the canvas: an edit re-validates only the hosts it touched.

`LoadBook` is built once per plan (one pass over the VMs); after that `preview` and `apply`
of a move cost O(1) hosts, whatever the size of the plan: the source loses the VM's demand
and the target gains it, with the host's capacities looked up in dictionaries.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np

from hvplanner.engine.assumptions import MB_PER_GB, Assumptions, HostCapacity
from hvplanner.engine.placement.flavors import FloatArray
from hvplanner.engine.placement.problem import (
    EPS,
    RAM,
    D,
    capacity_vector,
    demand,
    host_lps,
)
from hvplanner.model.placement import DIMENSIONS, HostLoad
from hvplanner.model.plan import VM, Plan


def _display(vec: FloatArray) -> FloatArray:
    out = vec.astype(np.float64).copy()
    out[RAM] = out[RAM] / MB_PER_GB
    return out


def make_host_load(
    host: str,
    model: str,
    load: FloatArray,
    cap: FloatArray,
    *,
    groups: Mapping[str, int] | None = None,
    too_wide: Iterable[str] = (),
) -> HostLoad:
    """A HostLoad from a load vector and a capacity vector (problem units: RAM in MB)."""
    shown_load = _display(load)
    shown_cap = _display(cap)
    capacity: dict[str, float | None] = {}
    utilization: dict[str, float] = {}
    over: list[str] = []
    for d, key in enumerate(DIMENSIONS):
        c = float(shown_cap[d])
        if not np.isfinite(c):
            capacity[key] = None
            continue
        capacity[key] = c
        u = float(shown_load[d] / c) if c > 0 else (0.0 if shown_load[d] <= 0 else float("inf"))
        utilization[key] = u
        if load[d] > cap[d] * (1 + EPS) + EPS:
            over.append(key)
    vms = round(float(load[D - 1]))
    binding = max(utilization, key=lambda k: utilization[k]) if vms and utilization else None
    return HostLoad(
        host=host,
        model=model,
        vms=vms,
        vcpus=float(shown_load[0]),
        ram_gb=float(shown_load[1]),
        disk_gb=float(shown_load[2]),
        nic_mbps=float(shown_load[3]),
        mhz=float(shown_load[4]),
        capacity=capacity,
        utilization=utilization,
        binding=binding,
        over=over,
        too_wide=sorted(set(too_wide)),
        groups={g: n for g, n in sorted((groups or {}).items()) if n > 0},
    )


def _load_vector(h: HostLoad) -> FloatArray:
    return np.array([h.vcpus, h.ram_gb * MB_PER_GB, h.disk_gb, h.nic_mbps, h.mhz, float(h.vms)])


class LoadBook:
    """Current load of every host in a plan, updated move by move."""

    def __init__(self, plan: Plan, a: Assumptions) -> None:
        self._a = a
        caps = {m.id: HostCapacity.of(m, a) for m in plan.host_models}
        self._cap: dict[str, FloatArray] = {}
        self._lps: dict[str, float] = {}
        self._model: dict[str, str] = {}
        for h in plan.hosts:
            self._cap[h.id] = capacity_vector(caps[h.model])
            self._lps[h.id] = host_lps(caps[h.model], a)
            self._model[h.id] = h.model
        self._vms: dict[str, VM] = {v.id: v for v in plan.vms}
        self._where: dict[str, str | None] = {v.id: v.host for v in plan.vms}
        acc: dict[str, FloatArray] = {h: np.zeros(D) for h in self._cap}
        groups: dict[str, dict[str, int]] = {h: {} for h in self._cap}
        wide: dict[str, list[str]] = {h: [] for h in self._cap}
        for v in plan.vms:
            if v.host is None:
                continue
            acc[v.host] += np.array(demand(v, a)) * v.count
            if v.anti_affinity is not None:
                g = groups[v.host]
                g[v.anti_affinity] = g.get(v.anti_affinity, 0) + v.count
            if v.vcpu > self._lps[v.host] + EPS:
                wide[v.host].append(v.id)
        self.loads: dict[str, HostLoad] = {
            h: make_host_load(
                h, self._model[h], acc[h], self._cap[h], groups=groups[h], too_wide=wide[h]
            )
            for h in self._cap
        }

    def _shift(self, host: str, vm: VM, sign: int) -> HostLoad:
        old = self.loads[host]
        load = _load_vector(old) + sign * np.array(demand(vm, self._a)) * vm.count
        load = np.where(np.abs(load) < 1e-9, 0.0, load)
        groups = dict(old.groups)
        if vm.anti_affinity is not None:
            groups[vm.anti_affinity] = groups.get(vm.anti_affinity, 0) + sign * vm.count
        wide = set(old.too_wide)
        if sign > 0 and vm.vcpu > self._lps[host] + EPS:
            wide.add(vm.id)
        if sign < 0:
            wide.discard(vm.id)
        return make_host_load(
            host, self._model[host], load, self._cap[host], groups=groups, too_wide=wide
        )

    def preview(self, vm_id: str, host: str | None) -> dict[str, HostLoad]:
        """Loads of the (at most two) hosts a move would change, without applying it."""
        vm = self._vms[vm_id]
        source = self._where[vm_id]
        if source == host:
            return {} if host is None else {host: self.loads[host]}
        out: dict[str, HostLoad] = {}
        if source is not None:
            out[source] = self._shift(source, vm, -1)
        if host is not None:
            out[host] = self._shift(host, vm, +1)
        return out

    def apply(self, vm_id: str, host: str | None) -> dict[str, HostLoad]:
        changed = self.preview(vm_id, host)
        self.loads.update(changed)
        self._where[vm_id] = host
        return changed


def host_loads(plan: Plan, a: Assumptions) -> dict[str, HostLoad]:
    """Every host's load from the VMs the plan puts on it (pinned or not)."""
    return LoadBook(plan, a).loads


def move_delta(book: LoadBook, vm_id: str, host: str | None) -> dict[str, HostLoad]:
    """The source and target loads after moving VM entry `vm_id` (all its instances)."""
    return book.preview(vm_id, host)


def check_hosts(plan: Plan, host_ids: Iterable[str], a: Assumptions) -> dict[str, HostLoad]:
    """Recompute only the named hosts from the VMs on them (no other host is evaluated)."""
    wanted = set(host_ids)
    models = {m.id: m for m in plan.host_models}
    hosts = {h.id: h for h in plan.hosts if h.id in wanted}
    acc: dict[str, FloatArray] = {h: np.zeros(D) for h in hosts}
    groups: dict[str, dict[str, int]] = {h: {} for h in hosts}
    wide: dict[str, list[str]] = {h: [] for h in hosts}
    caps = {h: HostCapacity.of(models[hosts[h].model], a) for h in hosts}
    for v in plan.vms:
        if v.host not in acc:
            continue
        acc[v.host] += np.array(demand(v, a)) * v.count
        if v.anti_affinity is not None:
            groups[v.host][v.anti_affinity] = groups[v.host].get(v.anti_affinity, 0) + v.count
        if v.vcpu > host_lps(caps[v.host], a) + EPS:
            wide[v.host].append(v.id)
    return {
        h: make_host_load(
            h,
            hosts[h].model,
            acc[h],
            capacity_vector(caps[h]),
            groups=groups[h],
            too_wide=wide[h],
        )
        for h in hosts
    }
