"""Pre-copy live-migration estimate: rounds, total time and downtime of one VM.

Pre-copy as Clark et al. (NSDI 2005) describe it: copy memory while the VM runs, re-send
what it dirtied, pause for a last stop-and-copy. Clark et al. give no closed form; the
geometric recurrence used here is that of the later analytic models (Liu et al., HPDC'11;
Cerroni & Esposito 2014; the SpringerPlus 2016 survey): round 0 copies all of memory,
round i copies what was dirtied during round i-1, V_i = V_(i-1) · λ with λ = D / R.

Two things keep it honest where the pure recurrence is not:
- the writable working set (Clark et al.): pages the guest rewrites all the time are
  re-sent every round, so no round is smaller than the WWS and the pause is at least
  WWS ÷ R. Clark et al. measured 60 ms (Quake 3) and 210 ms (SPECweb) pauses, not the
  ~20 ms the recurrence alone predicts;
- a copy that cannot shrink below the hypervisor's stop target ends as that hypervisor
  ends it: Xen pauses after its fifth round whatever is left; QEMU has no round or volume
  cap and never pauses on its own, so the estimate says "does not converge".
"""

from __future__ import annotations

from dataclasses import dataclass

from hvplanner.catalog import load_catalog
from hvplanner.engine.assumptions import MB_PER_GB
from hvplanner.model.hypervisor import Cap, HypervisorProfile
from hvplanner.model.migration import MigrationEstimate, MigrationRound, StopReason
from hvplanner.model.plan import VM
from hvplanner.text import fmt

# The stop rules themselves live in the catalog (`[migration]` of each profile). What stays
# here is not a hypervisor's figure:
# x86's base page, the unit of Xen's page-count rule.
PAGE_KIB = 4.0
# Time to resume the VM on the target: the value of the reference's worked examples, an
# assumption (no hypervisor publishes it), kept editable on PreCopyRules.
T_RESUME_S = 0.020
# The writable working set is taken as what the guest dirties in this many seconds: pages
# rewritten faster than a round can carry them. An assumption (no source gives a default);
# 1 s puts a 1 GbE pause at 60-210 ms for the dirty rates of the notes' worked examples,
# the range Clark et al. measured. 0 turns the floor off.
WWS_WINDOW_S = 1.0
# Planner guidance in the reference: at λ ≥ ~0.8 pre-copy barely shrinks the dirty set.
WARN_RATIO = 0.8
# Whose published rules stand in where a hypervisor publishes none: Xen's are a complete
# set (round cap and page-count stop) in the catalog's sources.
ASSUMED_RULES = "xen-pv@4"
# A copy without caps that still shrinks is followed this far before it is called stuck.
MAX_MODELLED_ROUNDS = 10_000


@dataclass(frozen=True)
class PreCopyRules:
    """When the pre-copy stops. `downtime_limit_s` set: QEMU's rule instead of the page count.

    `None` caps are caps the hypervisor does not have. `assumptions` says which rules are
    not the hypervisor's own; the estimate repeats it.
    """

    max_rounds: int | None
    max_factor: float | None
    stop_pages: int | None
    page_kib: float = PAGE_KIB
    resume_s: float = T_RESUME_S
    downtime_limit_s: float | None = None
    bandwidth_cap_mb_s: float | None = None  # the migration stream's own rate limit
    wws_window_s: float = WWS_WINDOW_S
    warn_ratio: float = WARN_RATIO
    assumptions: tuple[str, ...] = ()
    stuck_note: str = ""  # what the hypervisor does when the copy cannot converge

    @property
    def threshold_mb(self) -> float:
        return 0.0 if self.stop_pages is None else self.stop_pages * self.page_kib / 1024.0


def _cap(fig: Cap) -> float | None:
    return fig.value


def _fallback(fb: HypervisorProfile, profile: HypervisorProfile) -> PreCopyRules:
    xen = fb.migration
    if xen.max_rounds.value is None or xen.stop_pages.value is None:
        raise ValueError(f"{fb.key} lacks a complete set of pre-copy stop rules")
    # "Xen (PV guests)" names a guest type; the rules are the product's.
    fb_name = fb.product.split(" (", 1)[0]
    return PreCopyRules(
        max_rounds=int(xen.max_rounds.value),
        max_factor=_cap(xen.max_factor),
        stop_pages=int(xen.stop_pages.value),
        assumptions=(
            f"{profile.product} publishes no pre-copy model; {fb_name}'s stop rules assumed",
        ),
    )


def rules_for(
    profile: HypervisorProfile,
    fallback: HypervisorProfile | None = None,
    *,
    via_libvirt: bool = True,
) -> PreCopyRules:
    """The profile's published stop rules; Xen's (`fallback`) stand in where it has none.

    `via_libvirt`: QEMU's default migration bandwidth (128 MiB/s) is lifted by libvirt,
    which manages KVM in the catalog's sources; False models bare QEMU.
    """
    own = profile.migration
    if not own.published:
        fb = fallback if fallback is not None else load_catalog().get(ASSUMED_RULES)
        return _fallback(fb, profile)
    notes: list[str] = []
    bw = own.max_bandwidth_mb_s
    cap_mb_s: float | None = None
    if bw.value is not None:
        if via_libvirt:
            notes.append(
                f"{profile.product}'s default migration bandwidth of {fmt(bw.value)} MB/s is "
                "lifted by libvirt: the link's line rate is used"
            )
        else:
            cap_mb_s = bw.value
            notes.append(f"bare QEMU: migration limited to its default {fmt(bw.value)} MB/s")
    limit = own.downtime_limit_ms.value
    return PreCopyRules(
        max_rounds=None if own.max_rounds.value is None else int(own.max_rounds.value),
        max_factor=own.max_factor.value,
        stop_pages=None if own.stop_pages.value is None else int(own.stop_pages.value),
        downtime_limit_s=None if limit is None else limit / 1000.0,
        bandwidth_cap_mb_s=cap_mb_s,
        assumptions=tuple(notes),
        stuck_note=own.max_rounds.note if own.max_rounds.none else "",
    )


def default_rules() -> PreCopyRules:
    """Xen's rules, those of the reference's worked examples."""
    xen = load_catalog().get(ASSUMED_RULES)
    return rules_for(xen, xen)


def _stop(
    rules: PreCopyRules, v: float, rate: float, n: int, sent: float, ram: float
) -> StopReason | None:
    """Whether round n, about to send v, is the stop-and-copy round, and why."""
    if rules.downtime_limit_s is not None and v / rate <= rules.downtime_limit_s:
        return "downtime-limit"
    if rules.downtime_limit_s is None and rules.stop_pages is not None and v <= rules.threshold_mb:
        return "threshold"
    if rules.max_rounds is not None and n >= rules.max_rounds:
        return "max-rounds"
    if rules.max_factor is not None and sent > rules.max_factor * ram:
        return "max-factor"
    return None


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
    if rules.max_rounds is not None and rules.max_rounds < 1:
        raise ValueError("max_rounds must be ≥ 1")
    rate = (
        link_mb_s if rules.bandwidth_cap_mb_s is None else min(link_mb_s, rules.bandwidth_cap_mb_s)
    )
    lam = dirty_mb_s / rate
    wws = min(dirty_mb_s * rules.wws_window_s, ram_mb)
    sent, v, n = 0.0, ram_mb, 0
    schedule = [MigrationRound(index=0, mb=v, seconds=v / rate)]
    reason: StopReason | None = None
    while reason is None:
        # Round n (≥ 1) is about to send what round n-1 left dirty, never less than the WWS.
        sent += v
        n += 1
        before, v = v, min(max(v * lam, wws), ram_mb)
        reason = _stop(rules, v, rate, n, sent, ram_mb)
        uncapped = rules.max_rounds is None and rules.max_factor is None
        if reason is None and uncapped and (v >= before or n >= MAX_MODELLED_ROUNDS):
            reason = "no-convergence"  # nothing ends the copy and it no longer shrinks
        elif reason is None:
            schedule.append(MigrationRound(index=n, mb=v, seconds=v / rate))
    return _result(
        ram_mb, link_mb_s, dirty_mb_s, rules, rate, lam, wws, n, v, sent, reason, schedule
    )


def _result(
    ram_mb: float,
    link_mb_s: float,
    dirty_mb_s: float,
    rules: PreCopyRules,
    rate: float,
    lam: float,
    wws: float,
    n: int,
    v: float,
    sent: float,
    reason: StopReason,
    schedule: list[MigrationRound],
) -> MigrationEstimate:
    warnings: list[str] = []
    stuck = reason == "no-convergence"
    if stuck:
        warnings.append(
            f"does not converge: {fmt(v)} MB stays dirty each round, "
            f"{fmt(v / rate * 1000, 0)} ms at {fmt(rate)} MB/s, above the "
            f"{fmt((rules.downtime_limit_s or 0) * 1000, 0)} ms limit"
            + (f". {rules.stuck_note}" if rules.stuck_note else "")
        )
    else:
        schedule.append(MigrationRound(index=n, mb=v, seconds=v / rate))
        if lam >= rules.warn_ratio:
            warnings.append(
                f"dirty rate {dirty_mb_s:g} MB/s is {lam:.0%} of the {rate:g} MB/s copy rate "
                f"(≥ {rules.warn_ratio:.0%}): pre-copy barely shrinks the dirty set"
            )
    notes = list(rules.assumptions)
    if rules.wws_window_s > 0:
        notes.append(
            f"writable working set assumed: what the VM dirties in {fmt(rules.wws_window_s)} s "
            f"({fmt(wws)} MB), re-sent every round, so the pause is at least WWS ÷ rate"
        )
    total_mb = sent + (0.0 if stuck else v)
    return MigrationEstimate(
        ram_mb=ram_mb,
        link_mb_s=link_mb_s,
        rate_mb_s=rate,
        dirty_mb_s=dirty_mb_s,
        ratio=lam,
        wws_mb=wws,
        rounds=n,
        stop_reason=reason,
        converged=reason in ("threshold", "downtime-limit"),
        total_seconds=None if stuck else total_mb / rate + rules.resume_s,
        downtime_seconds=None if stuck else v / rate + rules.resume_s,
        total_mb=total_mb,
        schedule=schedule,
        warnings=warnings,
        assumptions=notes,
    )


def estimate_vm(
    vm: VM, link_mb_s: float, dirty_mb_s: float, rules: PreCopyRules | None = None
) -> MigrationEstimate:
    """One instance of a VM entry: its whole configured RAM is copied in round 0."""
    return estimate_precopy(vm.ram_gb * MB_PER_GB, link_mb_s, dirty_mb_s, rules)
