"""Pre-copy live-migration estimate: rounds, total time and downtime of one VM.

The geometric model of Clark et al. (NSDI 2005), as written in the research notes
(/work/shared/reference/hypervisors-and-tools.md §4): round 0 copies all of memory,
round i copies what was dirtied during round i-1, V_i = V_mem · λ^i with λ = D / R;
a final stop-and-copy round sends the last dirty set while the VM is paused.
"""

from __future__ import annotations

from dataclasses import dataclass

from hvplanner.catalog import load_catalog
from hvplanner.engine.assumptions import MB_PER_GB
from hvplanner.model.hypervisor import Figure, HypervisorProfile
from hvplanner.model.migration import MigrationEstimate, MigrationRound, StopReason
from hvplanner.model.plan import VM

# The stop rules themselves live in the catalog (`[migration]` of each profile). What stays
# here is not a hypervisor's figure:
# x86's base page, the unit of Xen's page-count rule.
PAGE_KIB = 4.0
# Time to resume the VM on the target: the value of the reference's worked examples, an
# assumption (no hypervisor publishes it), kept editable on PreCopyRules.
T_RESUME_S = 0.020
# Planner guidance in the reference: at λ ≥ ~0.8 the 3× cap is hit and downtime blows up.
WARN_RATIO = 0.8
# Whose published rules stand in where a hypervisor publishes none: Xen's are the only
# complete set (round cap, volume cap and page-count stop) in the catalog's sources.
ASSUMED_RULES = "xen-pv@4"


@dataclass(frozen=True)
class PreCopyRules:
    """When the pre-copy stops. `downtime_limit_s` set: QEMU's rule instead of the page count.

    `assumptions` says which rules are not the hypervisor's own; the estimate repeats it.
    """

    max_rounds: int
    max_factor: float | None
    stop_pages: int
    page_kib: float = PAGE_KIB
    resume_s: float = T_RESUME_S
    downtime_limit_s: float | None = None
    warn_ratio: float = WARN_RATIO
    assumptions: tuple[str, ...] = ()

    @property
    def threshold_mb(self) -> float:
        return self.stop_pages * self.page_kib / 1024.0


def _value(fig: Figure) -> float:
    if fig.value is None:
        raise ValueError("an unknown stop rule has no value")
    return fig.value


def rules_for(
    profile: HypervisorProfile, fallback: HypervisorProfile | None = None
) -> PreCopyRules:
    """The profile's published stop rules; Xen's (`fallback`) stand in for missing ones."""
    fb = fallback if fallback is not None else load_catalog().get(ASSUMED_RULES)
    own, xen = profile.migration, fb.migration
    # "Xen (PV guests)" names a guest type; the rules are the product's.
    fb_name = fb.product.split(" (", 1)[0]
    if not (xen.max_rounds.known and xen.max_factor.known and xen.stop_pages.known):
        raise ValueError(f"{fb.key} lacks a complete set of pre-copy stop rules")
    if not own.published:
        return PreCopyRules(
            max_rounds=int(_value(xen.max_rounds)),
            max_factor=_value(xen.max_factor),
            stop_pages=int(_value(xen.stop_pages)),
            assumptions=(
                f"{profile.product} publishes no pre-copy model; {fb_name}'s stop rules assumed",
            ),
        )
    # A cap the hypervisor does not publish is still needed: without one, a copy that does
    # not converge would never end in the model. Xen's stands in and the estimate says so.
    borrowed: list[str] = []

    def pick(name: str, own_fig: Figure, xen_fig: Figure) -> float:
        if own_fig.known:
            return _value(own_fig)
        borrowed.append(name)
        return _value(xen_fig)

    limit = own.downtime_limit_ms
    max_rounds = int(pick("round cap", own.max_rounds, xen.max_rounds))
    max_factor = pick("volume cap", own.max_factor, xen.max_factor)
    # With a downtime limit the page count never decides, so it is not an assumption then.
    stop_pages = (
        int(_value(own.stop_pages if own.stop_pages.known else xen.stop_pages))
        if limit.known
        else int(pick("page-count stop", own.stop_pages, xen.stop_pages))
    )
    notes: tuple[str, ...] = ()
    if borrowed:
        notes = (f"{profile.product} publishes no {' or '.join(borrowed)}; {fb_name}'s assumed",)
    return PreCopyRules(
        max_rounds=max_rounds,
        max_factor=max_factor,
        stop_pages=stop_pages,
        downtime_limit_s=None if limit.value is None else limit.value / 1000.0,
        assumptions=notes,
    )


def default_rules() -> PreCopyRules:
    """Xen's rules, those of the reference's worked examples."""
    xen = load_catalog().get(ASSUMED_RULES)
    return rules_for(xen, xen)


def estimate_precopy(
    ram_mb: float,
    link_mb_s: float,
    dirty_mb_s: float,
    rules: PreCopyRules | None = None,
) -> MigrationEstimate:
    """Estimate one migration; all sizes in MB (1024 KiB), rates in MB/s.

    Without `rules`, Xen's from the catalog (the reference's worked examples).
    """
    if rules is None:
        rules = default_rules()
    if ram_mb <= 0 or link_mb_s <= 0 or dirty_mb_s < 0:
        raise ValueError("ram_mb and link_mb_s must be > 0, dirty_mb_s ≥ 0")
    if rules.max_rounds < 1:
        raise ValueError("max_rounds must be ≥ 1")
    lam = dirty_mb_s / link_mb_s
    cap = None if rules.max_factor is None else rules.max_factor * ram_mb
    sent = 0.0
    v = ram_mb
    schedule = [MigrationRound(index=0, mb=v, seconds=v / link_mb_s)]
    n = 0
    reason: StopReason
    while True:
        # Round n (≥ 1) is about to send v; decide whether it is the stop-and-copy round.
        sent += v
        n += 1
        v = v * lam
        if rules.downtime_limit_s is not None and v / link_mb_s <= rules.downtime_limit_s:
            reason = "downtime-limit"
            break
        if rules.downtime_limit_s is None and v <= rules.threshold_mb:
            reason = "threshold"
            break
        if n >= rules.max_rounds:
            reason = "max-rounds"
            break
        if cap is not None and sent > cap:
            reason = "max-factor"
            break
        schedule.append(MigrationRound(index=n, mb=v, seconds=v / link_mb_s))
    schedule.append(MigrationRound(index=n, mb=v, seconds=v / link_mb_s))
    total_mb = sent + v
    warnings: list[str] = []
    if lam >= rules.warn_ratio:
        warnings.append(
            f"dirty rate {dirty_mb_s:g} MB/s is {lam:.0%} of the link's {link_mb_s:g} MB/s "
            f"(≥ {rules.warn_ratio:.0%}): pre-copy does not converge, "
            f"downtime is {v / link_mb_s + rules.resume_s:.1f} s"
        )
    return MigrationEstimate(
        ram_mb=ram_mb,
        link_mb_s=link_mb_s,
        dirty_mb_s=dirty_mb_s,
        ratio=lam,
        rounds=n,
        stop_reason=reason,
        converged=reason in ("threshold", "downtime-limit"),
        total_seconds=total_mb / link_mb_s + rules.resume_s,
        downtime_seconds=v / link_mb_s + rules.resume_s,
        total_mb=total_mb,
        schedule=schedule,
        warnings=warnings,
        assumptions=list(rules.assumptions),
    )


def estimate_vm(
    vm: VM, link_mb_s: float, dirty_mb_s: float, rules: PreCopyRules | None = None
) -> MigrationEstimate:
    """One instance of a VM entry: its whole configured RAM is copied in round 0."""
    return estimate_precopy(vm.ram_gb * MB_PER_GB, link_mb_s, dirty_mb_s, rules)
