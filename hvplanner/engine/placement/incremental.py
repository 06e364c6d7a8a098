"""The placement's view of per-host loads (`model.placement.HostLoad`), from the shared sums.

Every load here is built from `engine.hostsums`, the per-host sums the canvas bars
(`engine.hostload`) read too, and turned into a `HostLoad` by `make_host_load`, which
`place` also uses for its result. Who calls what:

- `host_loads`: every host of a plan (the PDF report's load table);
- `check_hosts`: only the named hosts, in one pass over the VMs and no work for any
  other host: the O(affected hosts) re-check after an edit;
The canvas redraws the hosts an edit touched with `engine.hostload`, which takes the
same sums from the same accumulator, so a move costs the VMs of the hosts it touches.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping

import numpy as np

from hvplanner.engine.assumptions import MB_PER_GB, Assumptions, HostCapacity
from hvplanner.engine.hostsums import HostSums, sums_by_host
from hvplanner.engine.placement.flavors import FloatArray
from hvplanner.engine.placement.problem import EPS, RAM, VMS, capacity_vector, host_lps
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
    vms = round(float(load[VMS]))
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


def _vector(sums: HostSums) -> FloatArray:
    """Sums in the problem's dimension order (see `problem.demand`)."""
    vec = np.array(
        [
            sums.vcpus,
            sums.ram_mb,
            sums.disk_gb,
            sums.nic_mbps,
            sums.mhz,
            float(sums.instances),
        ]
    )
    # A VM moved away and back leaves float dust where the sum was 0.
    return np.where(np.abs(vec) < 1e-9, 0.0, vec)


class _Hosts:
    """Capacity, width and model of the hosts of a plan (all or some), by id."""

    def __init__(self, plan: Plan, a: Assumptions, wanted: Collection[str] | None) -> None:
        caps = {m.id: HostCapacity.of(m, a) for m in plan.host_models}
        hosts = [h for h in plan.hosts if wanted is None or h.id in wanted]
        self.cap = {h.id: capacity_vector(caps[h.model]) for h in hosts}
        self.lps = {h.id: host_lps(caps[h.model], a) for h in hosts}
        self.model = {h.id: h.model for h in hosts}

    def wide(self, vm: VM, host: str) -> bool:
        return vm.vcpu > self.lps[host] + EPS

    def load(self, host: str, sums: HostSums, too_wide: Iterable[str]) -> HostLoad:
        return make_host_load(
            host,
            self.model[host],
            _vector(sums),
            self.cap[host],
            groups=sums.groups,
            too_wide=too_wide,
        )


def _loads(
    plan: Plan, a: Assumptions, wanted: Collection[str] | None
) -> tuple[_Hosts, dict[str, HostSums], dict[str, list[str]], dict[str, HostLoad]]:
    hosts = _Hosts(plan, a, wanted)
    sums = sums_by_host(plan, a, wanted)
    wide: dict[str, list[str]] = {h: [] for h in sums}
    for v in plan.vms:
        if v.host in sums and hosts.wide(v, v.host):
            wide[v.host].append(v.id)
    loads = {h: hosts.load(h, sums[h], wide[h]) for h in sums}
    return hosts, sums, wide, loads


def host_loads(plan: Plan, a: Assumptions) -> dict[str, HostLoad]:
    """Every host's load from the VMs the plan puts on it (pinned or not)."""
    return _loads(plan, a, None)[3]


def check_hosts(plan: Plan, host_ids: Iterable[str], a: Assumptions) -> dict[str, HostLoad]:
    """Recompute only the named hosts from the VMs on them (no other host is evaluated)."""
    return _loads(plan, a, set(host_ids))[3]
