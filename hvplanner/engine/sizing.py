"""The seed's sizing method, step by step, with the formula and source of every figure.

vCPUs → logical processors by the vCPU:LP ratio; RAM = VM RAM / overcommit + per-VM
overhead + hosts × host reserve; NICs by bandwidth; storage = Σ disk; hosts = the most
that any per-host limit demands, plus the failover hosts.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from hvplanner.engine.assumptions import (
    MB_PER_GB,
    MBPS_PER_GBPS,
    Assumptions,
    HostCapacity,
    resolve,
)
from hvplanner.engine.hostsums import HostSums, host_sums
from hvplanner.engine.numbers import ceil_div, pow2_ceil
from hvplanner.model.hypervisor import Figure, HypervisorProfile
from hvplanner.model.plan import VM, HostModel, Plan, Policy
from hvplanner.model.sizing import Constraint, SizingResult, Step
from hvplanner.text import fmt, plural


@dataclass(frozen=True)
class HostShape:
    """What is known of the host hardware: nothing, the socket layout, or a whole model."""

    cores_per_socket: int | None = None
    threads_per_core: int = 1
    model: HostModel | None = None

    @staticmethod
    def of_model(model: HostModel) -> HostShape:
        return HostShape(model.cores_per_socket, model.threads_per_core, model)


@dataclass
class _Recorder:
    steps: list[Step]
    warnings: list[str]
    exceeded: list[str]

    def step(
        self, id: str, title: str, formula: str, values: str, result: str, source: str | None
    ) -> None:
        self.steps.append(
            Step(id=id, title=title, formula=formula, values=values, result=result, source=source)
        )


SHOWN_TERMS = 4


def terms(parts: Sequence[str], joiner: str = " + ") -> str:
    """A sum written out, shortened past a few terms: a plan of 500 VM entries would
    otherwise print 500 terms in every step."""
    if len(parts) <= SHOWN_TERMS:
        return joiner.join(parts) or "0"
    head = joiner.join(parts[: SHOWN_TERMS - 1])
    return f"{head}{joiner}… ({len(parts)} VM entries)"


def vm_terms(vms: Sequence[VM], term: Callable[[VM], str]) -> str:
    """`terms` of one term per VM entry, formatting only the terms that are shown."""
    if len(vms) <= SHOWN_TERMS:
        return terms([term(v) for v in vms])
    head = " + ".join(term(v) for v in vms[: SHOWN_TERMS - 1])
    return f"{head} + … ({len(vms)} VM entries)"


def _grown(vms: Sequence[VM], policy: Policy, rec: _Recorder) -> list[VM]:
    if policy.growth_years == 0 or policy.growth_pct_per_year == 0:
        return list(vms)
    factor = (1.0 + policy.growth_pct_per_year / 100.0) ** policy.growth_years
    before = sum(v.count for v in vms)
    grown = [v.model_copy(update={"count": math.ceil(v.count * factor - 1e-9)}) for v in vms]
    rec.step(
        "growth",
        "Growth",
        "count × (1 + growth)^years, rounded up per VM entry",
        f"{before} VMs × (1 + {fmt(policy.growth_pct_per_year)} %)^{policy.growth_years}"
        f" = {before} × {fmt(factor, 4)}",
        f"{sum(v.count for v in grown)} VMs",
        None,
    )
    return grown


def _limit(fig: Figure, what: str, profile: HypervisorProfile, rec: _Recorder) -> float | None:
    if fig.value is None:
        rec.warnings.append(f"{what} of {profile.title} is unknown (not published): not checked")
    return fig.value


def _per_vm_limits(vms: Sequence[VM], a: Assumptions, shape: HostShape, rec: _Recorder) -> None:
    p = a.profile
    max_vcpu = p.limits.vcpus_per_vm.value
    max_ram = p.limits.ram_gb_per_vm.value
    # The same for every VM: out of the loop (it runs once per VM and hypervisor).
    host_mb = shape.model.ram_gb * MB_PER_GB if shape.model is not None else None
    if p.limits.ram_gb_per_host.value is not None:
        cap = p.limits.ram_gb_per_host.value * MB_PER_GB
        host_mb = cap if host_mb is None else min(host_mb, cap)
    lps = shape.model.logical_processors if shape.model is not None else None
    for vm in vms:
        if max_vcpu is not None and vm.vcpu > max_vcpu:
            rec.exceeded.append(
                f"VM {vm.label!r}: {vm.vcpu} vCPUs exceed the {fmt(max_vcpu)} vCPUs per VM "
                f"of {p.title} [{p.limits.vcpus_per_vm.source}]"
            )
        if max_ram is not None and vm.ram_gb > max_ram:
            rec.exceeded.append(
                f"VM {vm.label!r}: {fmt(vm.ram_gb)} GB RAM exceeds the {fmt(max_ram)} GB per VM "
                f"of {p.title} [{p.limits.ram_gb_per_vm.source}]"
            )
        if host_mb is not None and (need := a.vm_ram_mb(vm)) > host_mb - a.host_reserve.value:
            rec.exceeded.append(
                f"VM {vm.label!r}: {fmt(need)} MB with its overhead exceeds the "
                f"{fmt(host_mb - a.host_reserve.value)} MB a host leaves after its reserve"
            )
        if lps is not None and vm.vcpu > lps:
            rec.exceeded.append(
                f"VM {vm.label!r}: {vm.vcpu} vCPUs exceed the host model's {lps} logical processors"
            )
    min_ram = p.needs.min_host_ram_gb.value
    if shape.model is not None and min_ram is not None and shape.model.ram_gb < min_ram:
        rec.exceeded.append(
            f"host model {shape.model.label!r}: {fmt(shape.model.ram_gb)} GB RAM is below the "
            f"{fmt(min_ram)} GB that {p.title} needs [{p.needs.min_host_ram_gb.source}]"
        )


def _constraint(
    id: str, label: str, demand: float, per_host: float, unit: str, source: str | None
) -> Constraint:
    hosts = ceil_div(demand, per_host) if per_host > 0 else 0
    fill = demand / per_host if per_host > 0 else math.inf
    return Constraint(
        id=id,
        label=label,
        demand=demand,
        per_host=per_host,
        unit=unit,
        hosts=hosts,
        fill=fill,
        source=source,
    )


@dataclass(frozen=True)
class _Demand:
    """The whole workload added up once (the shared host sums) with its derived figures."""

    sums: HostSums
    lps: int
    ratio: float
    nics: int
    vms_per_nic: int | None
    nic_gbps: float
    mhz: float | None

    @property
    def n(self) -> int:
        return self.sums.instances


def size(
    vms: Sequence[VM],
    profile: HypervisorProfile,
    policy: Policy,
    shape: HostShape | None = None,
) -> SizingResult:
    shape = shape or HostShape()
    rec = _Recorder([], [], [])
    a = resolve(policy, profile, vms)
    vms = _grown(vms, policy, rec)
    d = _demand(vms, a, shape, rec)
    _per_vm_limits(vms, a, shape, rec)
    if a.host_reserve.origin == "assumed":
        rec.warnings.append(a.host_reserve.note)
    cons = _limit_constraints(d, a, rec) + _model_constraints(d, a, shape, rec)
    cons += _anti_affinity(d.sums)
    active, binding = _hosts(cons, d.n, profile, rec)
    hosts = _failover(active, policy.failover_hosts, rec)
    ram_mb = _host_ram(d, a, active, rec)
    lps_r, ram_r = _rounded(d.lps, ram_mb, active, policy, rec)
    _installed(lps_r, ram_r, hosts, policy.failover_hosts if active else 0, rec)
    sockets = _sockets(lps_r, d, a, shape, active, rec)
    pow2 = policy.rounding == "pow2"
    return SizingResult(
        hypervisor=profile.key,
        hypervisor_title=profile.title,
        vms=d.n,
        vcpus=round(d.sums.vcpus),
        vcpu_per_lp=d.ratio,
        ratio_basis=a.ratio_rule.basis(shape.threads_per_core, shape.model is not None),
        logical_processors=d.lps,
        logical_processors_rounded=lps_r * active if pow2 else d.lps,
        logical_processors_per_host=lps_r,
        ram_gb=ram_mb / MB_PER_GB,
        ram_gb_rounded=ram_r * active if pow2 else ram_mb / MB_PER_GB,
        ram_gb_per_host=ram_r,
        ram_gb_installed=ram_r * hosts,
        logical_processors_installed=lps_r * hosts,
        vm_overhead_gb=d.sums.overhead_mb / MB_PER_GB,
        vms_per_nic=d.vms_per_nic,
        nics=d.nics,
        nic_gbps=d.nic_gbps,
        storage_gb=d.sums.disk_gb,
        cpu_mhz=d.mhz,
        sockets=sockets,
        hosts=hosts,
        hosts_before_failover=active,
        binding=binding.id if binding else "none",
        binding_label=binding.label if binding else "none",
        constraints=cons,
        steps=rec.steps,
        warnings=rec.warnings,
        limits_exceeded=rec.exceeded,
    )


def _demand(vms: Sequence[VM], a: Assumptions, shape: HostShape, rec: _Recorder) -> _Demand:
    sums = host_sums(vms, a)
    rec.step(
        "vms",
        "Virtual machines",
        "Σ count",
        vm_terms(vms, lambda v: str(v.count)),
        plural(sums.instances, "VM"),
        None,
    )
    vcpus = round(sums.vcpus)
    rec.step(
        "vcpus",
        "Virtual processors",
        "Σ count × vCPUs",
        vm_terms(vms, lambda v: f"{v.count} × {v.vcpu}"),
        plural(vcpus, "vCPU"),
        None,
    )
    ratio, lps = _lps(vcpus, a, shape, rec)
    _memory(vms, sums, a, rec)
    nics, per_nic, nic_gbps = _nics(vms, a.policy, shape, rec)
    rec.step(
        "storage",
        "Storage",
        "Σ count × disk",
        vm_terms(vms, lambda v: f"{v.count} × {fmt(v.disk_gb)} GB"),
        f"{fmt(sums.disk_gb)} GB",
        None,
    )
    mhz = _mhz(vms, sums, rec)
    return _Demand(sums, lps, ratio, nics, per_nic, nic_gbps, mhz)


def _lps(vcpus: int, a: Assumptions, shape: HostShape, rec: _Recorder) -> tuple[float, int]:
    rule = a.ratio_rule
    threads, known = shape.threads_per_core, shape.model is not None
    ratio = rule.per_lp(threads)
    basis = rule.basis(threads, known)
    if rule.origin == "assumed":
        rec.warnings.append(f"vCPU:LP ratio {basis}; set the policy's vcpu_per_lp to change it")
    if rule.capped(threads):
        rec.warnings.append(f"vCPU:LP ratio {basis}")
    lps = ceil_div(vcpus, ratio)
    source = rule.cap.source if rule.capped(threads) else None
    origin = "default" if rule.origin == "assumed" else "plan"
    if rule.capped(threads):
        origin = "capped"
    rec.step(
        "lps",
        "Logical processors",
        "⌈vCPUs ÷ vCPU:LP ratio⌉",
        f"⌈{vcpus} ÷ {fmt(ratio)}⌉ ({origin}: {basis})",
        plural(lps, "LP"),
        source,
    )
    return ratio, lps


def _memory(vms: Sequence[VM], sums: HostSums, a: Assumptions, rec: _Recorder) -> None:
    policy = a.policy
    if not a.overhead_known:
        rec.warnings.append(
            f"the per-VM memory overhead of {a.profile.title} is unknown (not published): "
            "counted as 0 MB; set the policy's vm_overhead_mb to include one"
        )
    rec.step(
        "vm-ram",
        "VM memory",
        "Σ count × RAM ÷ overcommit",
        f"({vm_terms(vms, lambda v: f'{v.count} × {fmt(v.ram_gb)} GB')})"
        + f" ÷ {fmt(policy.ram_overcommit)}",
        f"{fmt(sums.vm_ram_mb / MB_PER_GB)} GB",
        None,
    )
    rec.step(
        "overhead",
        "Per-VM overhead",
        a.overhead_formula(),
        vm_terms(vms, lambda v: f"{v.count} × {fmt(a.vm_overhead_mb(v.vcpu, v.ram_gb))} MB"),
        f"{fmt(sums.overhead_mb)} MB = {fmt(sums.overhead_mb / MB_PER_GB)} GB",
        a.overhead_source(),
    )


def _nics(
    vms: Sequence[VM], policy: Policy, shape: HostShape, rec: _Recorder
) -> tuple[int, int | None, float]:
    """The seed binds whole VMs to a NIC (10 × 100 Mbps per 1 GbE NIC)."""
    nic_gbps = policy.nic_gbps
    if shape.model is not None and shape.model.nics:
        # VMs are bound to the fastest ports; slower groups count in the bandwidth check.
        nic_gbps = max(g.gbps for g in shape.model.nics)
    nic_mbps = nic_gbps * MBPS_PER_GBPS
    talkers = [v for v in vms if v.nic_mbps > 0]
    rates = {v.nic_mbps for v in talkers}
    result = f"of {fmt(nic_gbps)} Gbps"
    if len(rates) == 1 and next(iter(rates)) <= nic_mbps:
        rate = next(iter(rates))
        n_talk = sum(v.count for v in talkers)
        # One NIC never needs to carry more VMs than there are (and a near-zero rate
        # would otherwise overflow the division).
        per_nic = nic_mbps / rate
        vms_per_nic = n_talk if per_nic >= n_talk else math.floor(per_nic + 1e-9)
        nics = ceil_div(n_talk, vms_per_nic)
        rec.step(
            "nics",
            "Network adapters",
            "VMs per NIC = ⌊NIC Mbps ÷ VM Mbps⌋; NICs = ⌈VMs ÷ VMs per NIC⌉",
            f"⌊{fmt(nic_mbps)} ÷ {fmt(rate)}⌋ = {vms_per_nic}; ⌈{n_talk} ÷ {vms_per_nic}⌉",
            f"{plural(nics, 'NIC')} {result}",
            None,
        )
        return nics, vms_per_nic, nic_gbps
    total_mbps = sum(v.count * v.nic_mbps for v in talkers)
    nics = ceil_div(total_mbps, nic_mbps)
    rec.step(
        "nics",
        "Network adapters",
        "⌈Σ VM Mbps ÷ NIC Mbps⌉",
        f"⌈{fmt(total_mbps)} ÷ {fmt(nic_mbps)}⌉",
        f"{plural(nics, 'NIC')} {result}",
        None,
    )
    return nics, None, nic_gbps


def _mhz(vms: Sequence[VM], sums: HostSums, rec: _Recorder) -> float | None:
    if sums.mhz_instances == 0:
        return None
    mhz_vms = [v for v in vms if v.cpu_mhz is not None]
    rec.step(
        "mhz",
        "CPU demand in MHz",
        "Σ count × peak MHz",
        vm_terms(mhz_vms, lambda v: f"{v.count} × {fmt(v.cpu_mhz or 0)} MHz"),
        f"{fmt(sums.mhz)} MHz",
        None,
    )
    return sums.mhz


def _limit_constraints(d: _Demand, a: Assumptions, rec: _Recorder) -> list[Constraint]:
    """One constraint per published per-host limit of the hypervisor; unknowns are warned."""
    lim, keep = a.profile.limits, 1.0 - a.headroom
    guest_ram_gb = d.sums.ram_mb / MB_PER_GB
    reserve = a.host_reserve.value
    checks: list[tuple[str, str, str, Figure, float, float, str]] = [
        # id, label, warning name, limit, demand, capacity factor, unit
        (
            "running_vms_per_host",
            "running VMs per host",
            "the running-VM limit per host",
            lim.running_vms_per_host,
            d.n,
            1.0,
            "VMs",
        ),
        (
            "vcpus_per_host",
            "virtual processors per host",
            "the vCPU limit per host",
            lim.vcpus_per_host,
            d.sums.vcpus,
            keep,
            "vCPUs",
        ),
        (
            "lps_per_host",
            "logical processors per host",
            "the logical-processor limit per host",
            lim.lps_per_host,
            d.lps,
            keep,
            "LPs",
        ),
    ]
    out: list[Constraint] = []
    for cid, label, what, fig, demand, factor, unit in checks:
        v = _limit(fig, what, a.profile, rec)
        if v is not None:
            out.append(_constraint(cid, label, demand, v * factor, unit, fig.source))
    v = _limit(lim.ram_gb_per_host, "the RAM limit per host", a.profile, rec)
    if v is not None:
        per_host = (v * MB_PER_GB - reserve) * keep / MB_PER_GB
        out.append(
            _constraint(
                "ram_per_host",
                "RAM per host",
                guest_ram_gb,
                per_host,
                "GB",
                lim.ram_gb_per_host.source,
            )
        )
    return out


def _model_constraints(
    d: _Demand, a: Assumptions, shape: HostShape, rec: _Recorder
) -> list[Constraint]:
    """What one host of the plan's model holds (`HostCapacity.of`), per dimension."""
    model = shape.model
    if model is None:
        if d.mhz is not None:
            rec.warnings.append("CPU demand in MHz needs a host model (cores × GHz): not checked")
        return []
    cap = HostCapacity.of(model, a)
    s = d.sums
    out = [
        _constraint(
            "model_lps",
            "host model logical processors",
            d.lps,
            cap.logical_processors,
            "LPs",
            None,
        ),
        _constraint(
            "model_ram",
            "host model RAM",
            s.ram_mb / MB_PER_GB,
            cap.ram_mb / MB_PER_GB,
            "GB",
            a.host_reserve.source,
        ),
    ]
    if cap.nic_mbps is not None and s.nic_mbps > 0:
        out.append(
            _constraint(
                "model_nic", "host model NIC bandwidth", s.nic_mbps, cap.nic_mbps, "Mbps", None
            )
        )
    if cap.disk_gb is not None and s.disk_gb > 0:
        out.append(
            _constraint("model_disk", "host model local disk", s.disk_gb, cap.disk_gb, "GB", None)
        )
    if d.mhz is not None:
        out.append(
            _constraint("cpu_mhz", "host model CPU MHz (cores × GHz)", d.mhz, cap.mhz, "MHz", None)
        )
    return out


def _anti_affinity(sums: HostSums) -> list[Constraint]:
    if not sums.groups:
        return []
    # Members of one group never share a host: the largest group alone needs that many.
    name, members = max(sums.groups.items(), key=lambda kv: kv[1])
    return [_constraint("anti_affinity", f"anti-affinity group {name!r}", members, 1, "VMs", None)]


def _hosts(
    cons: list[Constraint], n: int, profile: HypervisorProfile, rec: _Recorder
) -> tuple[int, Constraint | None]:
    for c in cons:
        if c.per_host <= 0:
            rec.exceeded.append(f"{c.label}: nothing is left for VMs after the reserve")
    usable = [c for c in cons if c.per_host > 0]
    binding = max(usable, key=lambda c: c.fill, default=None)
    active = max((c.hosts for c in usable), default=0)
    if n > 0:
        active = max(active, 1)
        if not usable:
            rec.warnings.append(
                f"no per-host limit of {profile.title} is published and no host model is "
                "given: 1 host is a floor, not a result; give a host model (in a plan, or "
                "--sockets, --cores-per-socket, --ghz and --host-ram-gb) to size the hosts"
            )
    if usable:
        rec.step(
            "hosts",
            "Hosts",
            "max over per-host limits of ⌈demand ÷ per-host capacity⌉",
            "; ".join(
                f"{c.label}: ⌈{fmt(c.demand)} ÷ {fmt(c.per_host)}⌉ = {c.hosts}" for c in usable
            ),
            plural(active, "host") + (f", bound by {binding.label}" if binding else ""),
            binding.source if binding else None,
        )
    return active, binding


def _failover(active: int, k: int, rec: _Recorder) -> int:
    if k:
        rec.step(
            "failover",
            "Failover (N+k)",
            "hosts + k",
            f"{active} + {k}",
            plural(active + k, "host"),
            None,
        )
    return active + k


def _host_ram(d: _Demand, a: Assumptions, active: int, rec: _Recorder) -> float:
    reserve = a.host_reserve.value
    s = d.sums
    ram_mb = s.ram_mb + active * reserve
    rec.step(
        "ram",
        "Host RAM",
        "VM memory + overhead + hosts × host reserve",
        f"{fmt(s.vm_ram_mb)} MB + {fmt(s.overhead_mb)} MB + {active} × {fmt(reserve)} MB",
        f"{fmt(ram_mb)} MB = {fmt(ram_mb / MB_PER_GB)} GB",
        a.host_reserve.source,
    )
    return ram_mb


def _rounded(
    lps: int, ram_mb: float, active: int, policy: Policy, rec: _Recorder
) -> tuple[int, float]:
    per_host_lps = ceil_div(lps, active) if active else 0
    per_host_ram = ram_mb / MB_PER_GB / active if active else 0.0
    if policy.rounding != "pow2" or not active:
        return per_host_lps, per_host_ram
    lps_r, ram_r = pow2_ceil(per_host_lps), float(pow2_ceil(math.ceil(per_host_ram - 1e-9)))
    rec.step(
        "round",
        "Rounding to powers of two",
        "per host: 2^⌈log₂ x⌉",
        f"{plural(per_host_lps, 'LP')}, {fmt(per_host_ram)} GB",
        f"{plural(lps_r, 'LP')}, {fmt(ram_r)} GB per host",
        None,
    )
    return lps_r, ram_r


def _installed(lps_r: int, ram_r: float, hosts: int, k: int, rec: _Recorder) -> None:
    if k:
        rec.step(
            "installed",
            "Installed in all hosts",
            "per host × (hosts + failover hosts): a spare must take over a whole host",
            f"{lps_r} LPs × {hosts}; {fmt(ram_r)} GB × {hosts}",
            f"{plural(lps_r * hosts, 'LP')}, {fmt(ram_r * hosts)} GB",
            None,
        )


def _sockets(
    lps_r: int, d: _Demand, a: Assumptions, shape: HostShape, active: int, rec: _Recorder
) -> int | None:
    if shape.cores_per_socket is None or not active:
        return None
    per_socket = shape.cores_per_socket * shape.threads_per_core
    sockets = ceil_div(lps_r, per_socket)
    formula = "⌈LPs per host ÷ (cores per socket × threads)⌉"
    values = f"⌈{lps_r} ÷ ({shape.cores_per_socket} × {shape.threads_per_core})⌉"
    model = shape.model
    if d.mhz is not None and model is not None:
        # MHz demand needs clock cycles, which only cores give (the seed's P2V case).
        socket_mhz = model.cores_per_socket * model.ghz * 1000.0 * (1.0 - a.headroom)
        by_mhz = ceil_div(d.mhz / active, socket_mhz)
        formula += " and ⌈MHz per host ÷ (cores per socket × GHz)⌉"
        values += (
            f"; ⌈{fmt(d.mhz / active)} ÷ ({model.cores_per_socket} × "
            f"{fmt(model.ghz * 1000.0 * (1.0 - a.headroom))})⌉ = {by_mhz}"
        )
        sockets = max(sockets, by_mhz)
    rec.step("sockets", "Sockets per host", formula, values, plural(sockets, "socket"), None)
    return sockets


def plan_host_model(plan: Plan) -> HostModel:
    """The host model a plan is sized on: the one its hosts use most, else the first listed."""
    use: dict[str, int] = {}
    for h in plan.hosts:
        use[h.model] = use.get(h.model, 0) + 1
    model_id = max(use, key=lambda m: use[m]) if use else plan.host_models[0].id
    return plan.host_model(model_id)


def size_plan(plan: Plan, profile: HypervisorProfile) -> SizingResult:
    shape = HostShape.of_model(plan_host_model(plan)) if plan.host_models else HostShape()
    return size(plan.vms, profile, plan.policy, shape)
