"""The sizing constants in force for one plan on one hypervisor, each with its origin.

Sizing, placement and simulation all read their ratios, overheads and reserves from
here, so the three can never disagree about what a host holds or what a VM costs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from hvplanner.model.hypervisor import RATIO_PER_LABELS, Figure, HypervisorProfile, Ratio
from hvplanner.model.plan import VM, HostModel, Plan, Policy
from hvplanner.text import fmt

MB_PER_GB = 1024.0
MBPS_PER_GBPS = 1000.0

# The vCPU:LP ratio is the workload's choice, the same on every hypervisor. Where the plan
# sets none this one default applies to all of them alike: no CPU overcommit, the
# conservative choice, named in every result that uses it.
DEFAULT_VCPU_PER_LP = 1.0


@dataclass(frozen=True)
class RatioRule:
    """The vCPU:LP ratio of one plan on one hypervisor: the plan's ratio (or the stated
    default), capped by the hypervisor's published maximum in logical processors.

    A per-core maximum becomes per-LP only once the threads per core are known, so the
    rule is kept whole and converted per host model.
    """

    wanted: float
    origin: str  # "policy" or "assumed" (the stated default)
    cap: Ratio
    guest_os: frozenset[str]
    title: str

    def cap_per_lp(self, threads_per_core: int) -> float | None:
        return self.cap.cap_per_lp(threads_per_core, set(self.guest_os))

    def per_lp(self, threads_per_core: int) -> float:
        cap = self.cap_per_lp(threads_per_core)
        return self.wanted if cap is None else min(self.wanted, cap)

    def capped(self, threads_per_core: int) -> bool:
        cap = self.cap_per_lp(threads_per_core)
        return cap is not None and cap < self.wanted

    def _cap_text(self, threads_per_core: int, threads_known: bool) -> str:
        c = self.cap
        if c.none_imposed:
            return f"{self.title} imposes no ratio [{c.source}]"
        if c.value is None:
            return f"no maximum found for {self.title}"
        raised = c.raised is not None and self.guest_os == {c.raised.all_guests_os}
        value = c.raised.value if raised and c.raised is not None else c.value
        src = c.raised.source if raised and c.raised is not None else c.source
        text = f"{self.title} allows at most {fmt(value)} {RATIO_PER_LABELS[c.per]}"
        if raised and c.raised is not None:
            text += f" (every guest is {c.raised.all_guests_os})"
        if c.per == "physical-core":
            known = "" if threads_known else ", assumed: no host model"
            text += (
                f" = {fmt(value)} ÷ {threads_per_core} thread"
                f"{'s' if threads_per_core != 1 else ''} per core{known}"
                f" = {fmt(value / threads_per_core)} per LP"
            )
        return f"{text} [{src}]"

    def basis(self, threads_per_core: int, threads_known: bool = True) -> str:
        """Which ratio a result used, and why: shown per column of the comparison."""
        used = self.per_lp(threads_per_core)
        plan = (
            f"the plan's {fmt(self.wanted)}:1"
            if self.origin == "policy"
            else f"the stated default {fmt(self.wanted)}:1 (the plan sets no ratio)"
        )
        cap = self._cap_text(threads_per_core, threads_known)
        if self.capped(threads_per_core):
            return f"{fmt(used)}:1 per LP: {plan} capped, {cap}"
        return f"{fmt(used)}:1 per LP: {plan}; {cap}"


@dataclass(frozen=True)
class Assumption:
    """One value the sizing uses, where it came from, and how to change it."""

    name: str
    value: float
    unit: str
    origin: str  # "policy", "catalog", "assumed" or "default"
    source: str | None
    note: str = ""


@dataclass(frozen=True)
class Assumptions:
    profile: HypervisorProfile
    policy: Policy
    ratio: Assumption  # the ratio rule at one thread per core; hosts use `ratio_rule`
    ratio_rule: RatioRule
    host_reserve: Assumption
    overhead_flat_mb: float | None  # set when the policy overrides the catalog's model
    overhead_known: bool
    headroom: float  # fraction kept free, 0 ≤ h < 1

    def vm_overhead_mb(self, vcpu: int, ram_gb: float) -> float:
        if self.overhead_flat_mb is not None:
            return self.overhead_flat_mb
        return self.profile.overhead.mb(vcpu, ram_gb)

    def vm_guest_ram_mb(self, vm: VM) -> float:
        """The guest's share of one instance's RAM on its host: configured RAM / overcommit."""
        return vm.ram_gb * MB_PER_GB / self.policy.ram_overcommit

    def vm_ram_mb(self, vm: VM) -> float:
        """RAM one instance claims on its host: configured RAM / overcommit + overhead."""
        return self.vm_guest_ram_mb(vm) + self.vm_overhead_mb(vm.vcpu, vm.ram_gb)

    def overhead_formula(self) -> str:
        if self.overhead_flat_mb is not None:
            return f"{self.overhead_flat_mb:g} MB per VM (policy)"
        return self.profile.overhead.formula()

    def overhead_source(self) -> str | None:
        if self.overhead_flat_mb is not None:
            return None
        return getattr(self.profile.overhead, "source", None)


def _from_figure(name: str, unit: str, override: float | None, fig: Figure) -> Assumption:
    if override is not None:
        return Assumption(name, override, unit, "policy", None)
    if fig.value is not None:
        return Assumption(name, fig.value, unit, "catalog", fig.source, fig.note)
    return Assumption(name, float("nan"), unit, "unknown", None, fig.note)


def ratio_rule(
    policy: Policy, profile: HypervisorProfile, guest_os: Iterable[str] = ()
) -> RatioRule:
    wanted, origin = (
        (policy.vcpu_per_lp, "policy")
        if policy.vcpu_per_lp is not None
        else (DEFAULT_VCPU_PER_LP, "assumed")
    )
    return RatioRule(wanted, origin, profile.limits.vcpu_per_lp, frozenset(guest_os), profile.title)


def resolve(
    policy: Policy, profile: HypervisorProfile, vms: Iterable[VM] | None = None
) -> Assumptions:
    """The constants in force; `vms` (the plan's guests) decide OS-conditional limits."""
    rule = ratio_rule(policy, profile, {v.os for v in vms} if vms is not None else ())
    note = rule.basis(1, threads_known=False)
    if rule.origin == "assumed":
        note += ". Set the policy's vcpu_per_lp to change it."
    ratio = Assumption(
        "vCPU:LP ratio",
        rule.per_lp(1),
        "vCPUs per LP",
        rule.origin,
        rule.cap.source if rule.capped(1) else None,
        note,
    )
    reserve = _from_figure(
        "host reserve", "MB per host", policy.host_reserve_mb, profile.host_reserve_mb
    )
    if reserve.origin == "unknown":
        reserve = Assumption(
            "host reserve",
            0.0,
            "MB per host",
            "assumed",
            None,
            f"{profile.title} publishes no host reserve; 0 MB assumed. "
            "Set the policy's host_reserve_mb to change it.",
        )
    return Assumptions(
        profile=profile,
        policy=policy,
        ratio=ratio,
        ratio_rule=rule,
        host_reserve=reserve,
        overhead_flat_mb=policy.vm_overhead_mb,
        overhead_known=policy.vm_overhead_mb is not None or profile.overhead.kind != "unknown",
        headroom=policy.headroom_pct / 100.0,
    )


@dataclass(frozen=True)
class HostCapacity:
    """What one host of a model can give VMs, after hypervisor limits, reserve and headroom.

    Dimensions that the hypervisor leaves unknown are `None` there and not checked.
    """

    model_id: str
    vcpus: float
    logical_processors: float
    ram_mb: float
    nic_mbps: float | None  # None: the model lists no NICs
    disk_gb: float | None  # None: shared storage
    mhz: float
    running_vms: float | None

    @staticmethod
    def of(model: HostModel, a: Assumptions) -> HostCapacity:
        keep = 1.0 - a.headroom
        lim = a.profile.limits
        lps = float(model.logical_processors)
        if lim.lps_per_host.value is not None:
            lps = min(lps, lim.lps_per_host.value)
        vcpus = lps * a.ratio_rule.per_lp(model.threads_per_core)
        if lim.vcpus_per_host.value is not None:
            vcpus = min(vcpus, lim.vcpus_per_host.value)
        ram_gb = model.ram_gb
        if lim.ram_gb_per_host.value is not None:
            ram_gb = min(ram_gb, lim.ram_gb_per_host.value)
        ram_mb = max(ram_gb * MB_PER_GB - a.host_reserve.value, 0.0)
        return HostCapacity(
            model_id=model.id,
            vcpus=vcpus * keep,
            logical_processors=lps * keep,
            ram_mb=ram_mb * keep,
            nic_mbps=model.nic_mbps * keep if model.nics else None,
            disk_gb=model.disk_gb * keep if model.disk_gb > 0 else None,
            mhz=model.mhz * keep,
            running_vms=lim.running_vms_per_host.value,
        )


def resolve_plan(plan: Plan, profile: HypervisorProfile) -> Assumptions:
    return resolve(plan.policy, profile, plan.vms)


# Policy fields that describe one hypervisor (its overhead and reserve). Comparing
# hypervisors with another's values would make them all look alike, so for every other
# hypervisor these come from its own catalog entry. The vCPU:LP ratio is not among them:
# it is the workload's choice and applies to every column alike, capped only where a
# hypervisor publishes a maximum (`RatioRule` above).
HYPERVISOR_SPECIFIC = ("vm_overhead_mb", "host_reserve_mb")


def policy_for(plan: Plan, profile: HypervisorProfile) -> Plan:
    """The plan as it is sized on `profile` in a comparison."""
    if profile.key == plan.hypervisor:
        return plan
    policy = plan.policy.model_copy(update=dict.fromkeys(HYPERVISOR_SPECIFIC))
    return plan.model_copy(update={"policy": policy})


def own_values_note(plan: Plan, profile: HypervisorProfile) -> str | None:
    """Said wherever `policy_for` set aside the plan's own values for another hypervisor."""
    mine = [f for f in HYPERVISOR_SPECIFIC if getattr(plan.policy, f) is not None]
    if profile.key == plan.hypervisor or not mine:
        return None
    return (
        f"the plan's {', '.join(mine)} apply to its own hypervisor ({plan.hypervisor}); "
        f"{profile.key} is sized with its catalog values"
    )
