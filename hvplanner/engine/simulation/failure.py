"""Where the VMs of failed hosts restart: the rule the host-failure what-if applies.

The rule is a plain function so that the placement engine's failover logic can take
its place without touching the simulation.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from hvplanner.engine.assumptions import Assumptions, HostCapacity
from hvplanner.model.plan import Plan

FFD_RULE = (
    "first-fit decreasing: the failed hosts' VMs, largest RAM first, each instance onto the "
    "first surviving host (plan order) with free vCPUs, RAM and VM slots; full capacity, "
    "the headroom may be used"
)


@dataclass(frozen=True)
class Restart:
    """Instances moved off failed hosts: (vm index, from host, to host, instances)."""

    placed: list[tuple[int, int, int, int]]
    unplaced: list[tuple[int, int, int]]  # (vm index, from host, instances)


RestartRule = Callable[
    [Plan, Assumptions, Sequence[HostCapacity], Sequence[int], set[int]], Restart
]


def restart_first_fit_decreasing(
    plan: Plan,
    a: Assumptions,
    capacities: Sequence[HostCapacity],
    host_of: Sequence[int],
    failed: set[int],
) -> Restart:
    """Restart by first-fit decreasing on what the survivors have left of their capacity.

    `host_of[i]` is the host index of plan.vms[i] (-1: unplaced). Capacity is by
    reservation (vCPUs, RAM as the sizing counts it, VM slots), like HA admission control,
    not by the simulated load at the moment of failure.
    """
    n_hosts = len(capacities)
    where = np.asarray(host_of, dtype=np.intp)
    count = np.array([v.count for v in plan.vms], dtype=np.float64)
    vcpu = np.array([v.vcpu for v in plan.vms], dtype=np.float64)
    ram = np.array([a.vm_ram_mb(v) for v in plan.vms], dtype=np.float64)
    on = where >= 0
    used_vcpu = np.bincount(where[on], count[on] * vcpu[on], minlength=n_hosts)
    used_ram = np.bincount(where[on], count[on] * ram[on], minlength=n_hosts)
    used_vms = np.bincount(where[on], count[on], minlength=n_hosts)
    free_vcpu = np.array([c.vcpus for c in capacities]) - used_vcpu
    free_ram = np.array([c.ram_mb for c in capacities]) - used_ram
    free_vms = (
        np.array([math.inf if c.running_vms is None else c.running_vms for c in capacities])
        - used_vms
    )
    survivors = [h for h in range(n_hosts) if h not in failed]
    moving = [i for i in range(len(plan.vms)) if where[i] in failed]
    moving.sort(key=lambda i: (-ram[i], -vcpu[i], i))
    placed: list[tuple[int, int, int, int]] = []
    unplaced: list[tuple[int, int, int]] = []
    for i in moving:
        left = plan.vms[i].count
        for h in survivors:
            fit = min(free_vcpu[h] // vcpu[i], free_ram[h] // ram[i] if ram[i] > 0 else left)
            fit = int(min(fit, free_vms[h], left))
            if fit <= 0:
                continue
            placed.append((i, int(where[i]), h, fit))
            free_vcpu[h] -= fit * vcpu[i]
            free_ram[h] -= fit * ram[i]
            free_vms[h] -= fit
            left -= fit
            if left == 0:
                break
        if left:
            unplaced.append((i, int(where[i]), left))
    return Restart(placed, unplaced)
