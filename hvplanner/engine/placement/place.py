"""`place(plan)`: the fewest (or cheapest) hosts for a plan, with bounds and the N+k check."""

from __future__ import annotations

import dataclasses
import re
import time
from collections.abc import Callable

import numpy as np

from hvplanner.catalog import load_catalog
from hvplanner.engine.assumptions import MB_PER_GB, Assumptions, resolve_plan
from hvplanner.engine.placement import bounds, failover
from hvplanner.engine.placement.budget import Budget, PlacementCancelled
from hvplanner.engine.placement.classes import aggregate, class_target, expand, repair
from hvplanner.engine.placement.firstfit import first_fit_index
from hvplanner.engine.placement.heuristics import bin_centric_per_vm, normalized
from hvplanner.engine.placement.incremental import make_host_load
from hvplanner.engine.placement.keep import Answer, keep_current, weigh
from hvplanner.engine.placement.packing import OpenBins
from hvplanner.engine.placement.problem import DISK, NIC, RAM, VCPU, D, Problem, build
from hvplanner.engine.placement.solve import CG_MAX_FLAVORS, Packed, cost_of, pack
from hvplanner.engine.timelimit import DEFAULT_TIME_LIMIT
from hvplanner.errors import PlacementInputError
from hvplanner.model.placement import (
    Bounds,
    FailoverReport,
    HostLoad,
    PlacedHost,
    PlacementResult,
)
from hvplanner.model.plan import Plan

__all__ = ["DEFAULT_TIME_LIMIT", "PlacementCancelled", "assumptions_for", "place"]

# Up to this many distinct sizes a per-VM bin-centric fill also runs beside the size
# classes (it costs VMs × hosts in NumPy calls) ...
BIN_CENTRIC_MAX = 12_000
# ... and only when the best answer so far is this far above the lower bound: closer, it
# cannot gain much, and at 10,000 VMs it costs more than the classes themselves.
BIN_CENTRIC_ABOVE = 1.03


def assumptions_for(plan: Plan) -> Assumptions:
    return resolve_plan(plan, load_catalog().get(plan.hypervisor))


def place(
    plan: Plan,
    assumptions: Assumptions | None = None,
    *,
    time_limit: float = DEFAULT_TIME_LIMIT,
    max_hosts: int | None = None,
    cancel: Callable[[], bool] | None = None,
) -> PlacementResult:
    """Pack every VM instance of the plan; pinned VMs stay on their hosts.

    Raises PlacementInputError when no placement exists (a VM larger than every host
    model, an anti-affinity group larger than `max_hosts`, pinned VMs that overload).
    `time_limit` scales the work the optimizing stages may do (the default limit, the
    default budget) and bounds the call's wall time; a stage it stops is named in the
    result's `stopped`. `cancel`, polled by every stage, stops the call early: it then
    raises PlacementCancelled.
    """
    t0 = time.perf_counter()
    budget = Budget.of(time_limit, t0, cancel)
    a = assumptions or assumptions_for(plan)
    problem = build(plan, a, max_hosts)
    k = plan.policy.failover_hosts
    parts = {
        "volume": bounds.volume(problem),
        "big_items": bounds.big_items(problem),
        "anti_affinity": bounds.anti_affinity(problem),
        "pinned": bounds.pinned(problem),
    }
    count_lb = max(parts.values())
    costed = problem.models.costed
    cost_lb = bounds.cost_bound(problem, count_lb) if costed else float(count_lb)
    packed = _pack(problem, cost_lb, budget)
    budget.check()
    lp = packed.lp_bound
    if lp is not None and costed:
        cost_lb = max(cost_lb, lp)
    outcome = failover.ensure(packed.bins, k)
    b = bounds.make_bounds(parts, None if costed else lp, k)
    if costed:
        b = b.model_copy(update={"lp": lp})
    chosen = keep_current(
        problem, k, weigh(problem, packed.bins, outcome, packed.algorithm), budget
    )
    result = _result(
        plan=plan,
        a=a,
        problem=problem,
        chosen=chosen,
        b=b,
        t0=t0,
    )
    if result.host_count < b.best:
        # A bound above a feasible answer is a wrong proof: never report it as one.
        raise RuntimeError(
            f"placement used {result.host_count} hosts below its lower bound {b.best} "
            f"({', '.join(b.tight)})"
        )
    cost_lower = cost_lb + k * float(problem.models.cost.min()) if costed else None
    if costed and result.cost is not None and cost_lower is not None:
        optimal = result.cost <= cost_lower * (1 + 1e-9)
    else:
        optimal = result.host_count <= b.best
    optimal = optimal or (packed.optimal and k == 0)
    if max_hosts is not None and result.host_count > max_hosts:
        raise PlacementInputError(
            f"the plan needs {result.host_count} hosts (at least {b.best}), "
            f"more than the {max_hosts} allowed"
        )
    return result.model_copy(
        update={
            "optimal": optimal,
            "cost_lower_bound": cost_lower,
            "seconds": time.perf_counter() - t0,
            "stopped": [] if optimal else list(budget.stops),
        }
    )


def _pack(problem: Problem, cost_lb: float, budget: Budget) -> Packed:
    """`pack`, over size classes when the plan has too many distinct sizes for it."""
    if problem.flavors.k <= CG_MAX_FLAVORS:
        return _pack_costed(problem, cost_lb, budget)
    classes = aggregate(problem, class_target(problem.flavors.k))
    packed = _pack_costed(classes.problem, cost_lb, budget, proofs=False)
    budget.check()
    bins = repair(expand(problem, classes, packed.bins), budget, classes)
    budget.check()
    name = f"{packed.algorithm} over size classes, per-VM repair"
    if (problem.flavors.group >= 0).any():
        # The per-VM rules do not keep anti-affinity.
        return Packed(bins, name, False, None)
    used = np.bincount(bins.models(), minlength=problem.models.m)
    primary = int(np.argmax(used))
    # A plain first fit decreasing over the VMs themselves (sum of normalized sizes, as
    # `ffd` and a spreadsheet pack them), for each model as the one new hosts are:
    # whenever the classes end above the bound, so the answer is never worse than it.
    # Sizes that do not cluster (uniform random ones) lose in the classes, and this is
    # then the better answer (bench/RESULTS.md, case 2). It is stopped as soon as it
    # cannot beat the best answer, which on estates' sizes is early (`firstfit`).
    models = range(problem.models.m) if problem.models.m <= 4 else [primary]
    for model in sorted(models, key=lambda m: m != primary):
        if cost_of(bins) <= cost_lb * (1 + 1e-9):
            break  # at the bound: nothing can be better
        direct = OpenBins(problem)
        order = _ffd_order(problem, model)
        if first_fit_index(direct, problem.flavors.count, order, model, cost_of(bins), budget):
            bins, name = direct, "ffd-sum per VM"
    if problem.flavors.k <= BIN_CENTRIC_MAX and cost_of(bins) > cost_lb * BIN_CENTRIC_ABOVE:
        # The bin-centric rule per VM: on uniform random sizes in 4 dimensions it packs
        # about 1.5 % fewer hosts than first fit (bench/RESULTS.md, case 2).
        centric = bin_centric_per_vm(problem, problem.flavors.count, primary)
        if cost_of(centric) < cost_of(bins) - 1e-9:
            bins, name = centric, "bin-centric-dot per VM"
    # The classes' LP bound is not one for the VMs (classes claim more than they hold).
    return Packed(bins, name, False, None)


def _ffd_order(problem: Problem, model: int) -> np.ndarray:
    # `sort_keys(...)["sum"]`, without computing the other four keys.
    keys = normalized(problem, model).sum(axis=1)
    return np.argsort(-keys, kind="stable")


def _pack_costed(problem: Problem, cost_lb: float, budget: Budget, proofs: bool = True) -> Packed:
    """`pack` on costs relative to the cheapest model, so equal costs pack as counts."""
    if not problem.models.costed:
        return pack(problem, cost_lb, budget, proofs)
    unit = float(problem.models.cost.min())
    models = dataclasses.replace(problem.models, cost=problem.models.cost / unit)
    scaled = dataclasses.replace(problem, models=models)
    packed = pack(scaled, cost_lb / unit, budget, proofs)
    bins = packed.bins
    bins.p = problem
    lp = None if packed.lp_bound is None else packed.lp_bound * unit
    return dataclasses.replace(packed, lp_bound=lp)


class HostNames:
    """Ids for new hosts in the plan's own pattern: h1…h4 continue as h5, h6; web-01,
    web-02 as web-03. A plan without hosts names them after the model (r650-001)."""

    def __init__(self, plan: Plan) -> None:
        self.taken = {h.id for h in plan.hosts}
        by_prefix: dict[str, list[str]] = {}
        for h in plan.hosts:
            m = _NUMBERED.match(h.id)
            if m:
                by_prefix.setdefault(m.group(1), []).append(m.group(2))
        self.prefix: str | None = None
        if by_prefix:
            self.prefix, digits = max(by_prefix.items(), key=lambda kv: (len(kv[1]), kv[0]))
            widths = {len(d) for d in digits}
            padded = any(d.startswith("0") for d in digits) and len(widths) == 1
            self.width = widths.pop() if padded else 0
            self.n = max(int(d) for d in digits)
        self.per_model: dict[str, int] = {}

    def next(self, model_id: str) -> str:
        while True:
            if self.prefix is not None:
                self.n += 1
                hid = f"{self.prefix}{self.n:0{self.width}d}"
            else:
                n = self.per_model.get(model_id, 0) + 1
                self.per_model[model_id] = n
                hid = f"{model_id[:100]}-{n:03d}"
            if hid not in self.taken:
                self.taken.add(hid)
                return hid


_NUMBERED = re.compile(r"^(.*?)(\d+)$")


def _formula(k: int, method: str, spares: int, hosts: int) -> str:
    if k == 0:
        return "no failover reserve asked (policy failover_hosts = 0)"
    head = f"N+{k}: the VMs of any {k} failed host(s) must restart on the survivors. "
    if method == "spares":
        return head + (
            f"{spares} empty spare host(s), each at least as large as the load of any host it "
            f"covers in every dimension, with ≥ {k} spares per covering model: if j failed "
            f"hosts are spares, at most {k} − j loaded hosts failed and at least {k} − j "
            "spares survive, so each failed host restarts whole on a spare."
        )
    if method == "simulation":
        return head + (
            f"every set of {k} failed hosts among {hosts} was simulated: its VMs were "
            "re-placed first fit, largest first, on the free capacity of the survivors, "
            "keeping anti-affinity."
        )
    return head + f"not established ({method})."


def _result(
    *,
    plan: Plan,
    a: Assumptions,
    problem: Problem,
    chosen: Answer,
    b: Bounds,
    t0: float,
) -> PlacementResult:
    bins, outcome, st = chosen.bins, chosen.outcome, chosen.stays
    models = problem.models
    fl = problem.flavors
    spare_set = set(outcome.spares)
    names = HostNames(plan)
    # VMs on a plan host now stay there where the packing allows (`st`): which plan host
    # each bin becomes and which instances it takes first.
    kept = st.kept
    free = st.free
    # Python lists: the loop below reads them once per (host, flavor), 100,000 times at
    # 100,000 distinct sizes, where NumPy's scalar indexing would cost more than the rest.
    cursor = [0] * fl.k
    group_of: list[int] = fl.group.tolist()
    load = bins.loads()
    hosts: list[PlacedHost] = []
    unused: list[str] = []
    assignment: dict[str, str] = {}
    per_model: dict[str, int] = {}
    loads_seen: dict[tuple[int, bytes, tuple[tuple[str, int], ...]], HostLoad] = {}
    for i, host in enumerate(bins.bins):
        j = st.hosts[i]
        loaded = bool(host.content) or (j >= 0 and bool(problem.fixed[j].items))
        model_id = models.ids[host.model]
        hid = problem.fixed[j].id if j >= 0 else names.next(model_id)
        if not loaded and i not in spare_set:
            unused.append(hid)
            continue
        instances: list[str] = []
        if j >= 0:
            instances.extend(problem.fixed[j].instances)
        groups: dict[str, int] = {}
        if j >= 0:
            for g, n in problem.fixed[j].groups.items():
                groups[problem.groups[g]] = groups.get(problem.groups[g], 0) + n
        for f, c in sorted(host.content.items()):
            rest = c
            if kept:
                mine = kept.get((i, f))
                if mine:
                    instances.extend(mine)
                    rest -= len(mine)
            start = cursor[f]
            instances.extend(free[f][start : start + rest])
            cursor[f] = start + rest
            g = group_of[f]
            if g >= 0:
                groups[problem.groups[g]] = groups.get(problem.groups[g], 0) + c
        assignment.update(dict.fromkeys(instances, hid))
        # Hosts with the same model, load and groups share one load summary: a plan of
        # identical VMs opens tens of thousands of identical hosts.
        same = (host.model, load[i].tobytes(), tuple(sorted(groups.items())))
        shared = loads_seen.get(same)
        if shared is None:
            shared = make_host_load(hid, model_id, load[i], models.cap[host.model], groups=groups)
            loads_seen[same] = shared
        hl = (
            shared
            if shared.host == hid
            else HostLoad.model_construct(
                shared.model_fields_set, **{**shared.__dict__, "host": hid}
            )
        )
        # Built from validated parts by the engine itself: no second validation.
        hosts.append(
            PlacedHost.model_construct(
                id=hid,
                model=model_id,
                new=j < 0,
                spare=not loaded,
                instances=instances,
                load=hl,
            )
        )
        per_model[model_id] = per_model.get(model_id, 0) + 1
    on_bins = {bh.fixed for bh in bins.bins}
    unused.extend(h.id for i, h in enumerate(problem.fixed) if i not in on_bins)
    cost = (
        float(sum(models.cost[models.ids.index(m)] * n for m, n in per_model.items()))
        if models.costed
        else None
    )
    host_count = len(hosts)
    cap_total = np.zeros(D)
    free_total = np.zeros(D)
    for i, host in enumerate(bins.bins):
        in_use = bool(host.content) or (host.fixed >= 0 and bool(problem.fixed[host.fixed].items))
        if in_use or i in spare_set:
            cap = models.cap[host.model]
            finite = np.isfinite(cap)
            cap_total[finite] += cap[finite]
            free_total[finite] += cap[finite] - load[i][finite]
    reserve: dict[str, float] = {}
    fraction: dict[str, float] = {}
    for d, key, scale in (
        (VCPU, "vcpus", 1.0),
        (RAM, "ram_gb", MB_PER_GB),
        (DISK, "disk_gb", 1.0),
        (NIC, "nic_mbps", 1.0),
    ):
        if cap_total[d] > 0:
            reserve[key] = float(free_total[d] / scale)
            fraction[key] = float(free_total[d] / cap_total[d])
    warnings: list[str] = []
    if a.ratio.origin == "assumed":
        warnings.append(a.ratio.note)
    if a.host_reserve.origin == "assumed":
        warnings.append(a.host_reserve.note)
    k = plan.policy.failover_hosts
    spare_ids = [h.id for h in hosts if h.spare]
    report = FailoverReport(
        k=k,
        holds=outcome.holds,
        method=outcome.method,
        formula=_formula(k, outcome.method, len(spare_ids), host_count),
        spare_hosts=spare_ids,
        reserve=reserve,
        reserve_fraction=fraction,
    )
    return PlacementResult.model_construct(
        hypervisor=plan.hypervisor,
        hosts=hosts,
        unused_hosts=unused,
        host_count=host_count,
        per_model=per_model,
        cost=cost,
        lower_bound=b.best,
        bounds=b,
        ratio=host_count / b.best if b.best else 1.0,
        optimal=False,
        algorithm=chosen.algorithm,
        assignment=assignment,
        failover=report,
        seconds=time.perf_counter() - t0,
        warnings=warnings,
        moved=st.moved,
    )
