"""Plans for the placement tests and a brute-force optimum for tiny ones."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence

from hvplanner.engine.assumptions import Assumptions, HostCapacity
from hvplanner.engine.placement import assumptions_for, place, verify
from hvplanner.model.placement import PlacementResult
from hvplanner.model.plan import VM, Host, HostModel, NicGroup, Plan, Policy


def host_model(
    mid: str = "m",
    *,
    cores: int = 8,
    ram_gb: float = 66,
    cost: float | None = None,
    disk_gb: float = 0,
    nic_gbps: float | None = None,
) -> HostModel:
    return HostModel(
        id=mid,
        sockets=1,
        cores_per_socket=cores,
        ghz=2.0,
        ram_gb=ram_gb,
        disk_gb=disk_gb,
        nics=[NicGroup(count=1, gbps=nic_gbps)] if nic_gbps else [],
        cost=cost,
    )


def plan_of(
    vms: Sequence[VM],
    models: Sequence[HostModel] | None = None,
    hosts: Sequence[Host] = (),
    **policy: float,
) -> Plan:
    # No overhead and no reserve, so a test can reason in round numbers: 8 cores × 1 vCPU/LP
    # and 64 GB usable on the default model.
    pol = {"vcpu_per_lp": 1.0, "vm_overhead_mb": 0.0, "host_reserve_mb": 2048.0}
    pol.update(policy)
    return Plan(
        policy=Policy.model_validate(pol),
        host_models=list(models or [host_model()]),
        hosts=list(hosts),
        vms=list(vms),
    )


def listed_hosts(n: int, model: str = "m") -> list[Host]:
    """Hosts h0…h{n-1} of one model, as a plan lists them."""
    return [Host(id=f"h{i}", model=model) for i in range(n)]


def placed(plan: Plan, **kw: object) -> tuple[PlacementResult, Assumptions]:
    a = assumptions_for(plan)
    r = place(plan, a, **kw)  # type: ignore[arg-type]
    problems = verify(plan, r, a)
    assert problems == [], problems
    return r, a


def _partitions(items: list[int]) -> Iterator[list[list[int]]]:
    if not items:
        yield []
        return
    first, rest = items[0], items[1:]
    for part in _partitions(rest):
        yield [[first], *part]
        for i in range(len(part)):
            yield [*part[:i], [first, *part[i]], *part[i + 1 :]]


def brute_force(plan: Plan, a: Assumptions) -> float:
    """Minimum total cost (or host count) over every partition of the instances."""
    items: list[tuple[tuple[float, ...], str | None, int]] = []
    for v in plan.vms:
        dem = (v.vcpu, a.vm_ram_mb(v), v.disk_gb, v.nic_mbps, v.cpu_mhz or 0.0, 1.0)
        items.extend((dem, v.anti_affinity, v.vcpu) for _ in range(v.count))
    costed = all(m.cost for m in plan.host_models)
    models = []
    for m in plan.host_models:
        c = HostCapacity.of(m, a)
        cap = (c.vcpus, c.ram_mb, c.disk_gb, c.nic_mbps, c.mhz, c.running_vms)
        lps = c.logical_processors / (1 - a.headroom)
        models.append((cap, lps, m.cost if costed else 1.0))

    def block_cost(block: list[int]) -> float:
        groups = [items[i][1] for i in block if items[i][1] is not None]
        if len(groups) != len(set(groups)):
            return float("inf")
        load = [sum(items[i][0][d] for i in block) for d in range(6)]
        widest = max(items[i][2] for i in block)
        best = float("inf")
        for cap, lps, cost in models:
            ok = widest <= lps + 1e-9 and all(
                c is None or x <= c * (1 + 1e-9) + 1e-9 for x, c in zip(load, cap, strict=True)
            )
            if ok:
                best = min(best, float(cost or 1.0))
        return best

    cache: dict[tuple[int, ...], float] = {}
    best = float("inf")
    for part in _partitions(list(range(len(items)))):
        total = 0.0
        for block in part:
            key = tuple(block)
            if key not in cache:
                cache[key] = block_cost(block)
            total += cache[key]
            if total >= best:
                break
        best = min(best, total)
    return best


def all_instances(plan: Plan) -> list[str]:
    return list(itertools.chain.from_iterable(v.instance_ids() for v in plan.vms))
