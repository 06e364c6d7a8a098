"""Pre-copy live-migration estimate: rounds, total time and downtime of one VM.

The geometric model of Clark et al. (NSDI 2005), as written in the research notes
(/work/shared/reference/hypervisors-and-tools.md §4): round 0 copies all of memory,
round i copies what was dirtied during round i-1, V_i = V_mem · λ^i with λ = D / R;
a final stop-and-copy round sends the last dirty set while the VM is paused.
"""

from __future__ import annotations

from dataclasses import dataclass

from hvplanner.engine.assumptions import MB_PER_GB
from hvplanner.model.migration import MigrationEstimate, MigrationRound, StopReason
from hvplanner.model.plan import VM

# Xen's stop conditions, tools/libxc/xc_domain_save.c: the last round starts when
# iter ≥ DEF_MAX_ITERS (29), i.e. after at most 30 rounds ...
XEN_MAX_ROUNDS = 30
# ... when total_sent > DEF_MAX_FACTOR (3) × guest pages ...
XEN_MAX_FACTOR = 3.0
# ... or when fewer than 50 pages were dirtied in the round.
XEN_STOP_PAGES = 50
PAGE_KIB = 4.0
# Time to resume the VM on the target, the reference's worked examples (not measured).
T_RESUME_S = 0.020
# QEMU's DEFAULT_MIGRATE_SET_DOWNTIME 300 (ms), migration/options.c.
QEMU_DOWNTIME_LIMIT_S = 0.300
# Planner guidance in the reference: at λ ≥ ~0.8 the 3× cap is hit and downtime blows up.
WARN_RATIO = 0.8


@dataclass(frozen=True)
class PreCopyRules:
    """When the pre-copy stops. `downtime_limit_s` set: QEMU's rule instead of the page count."""

    max_rounds: int = XEN_MAX_ROUNDS
    max_factor: float | None = XEN_MAX_FACTOR
    stop_pages: int = XEN_STOP_PAGES
    page_kib: float = PAGE_KIB
    resume_s: float = T_RESUME_S
    downtime_limit_s: float | None = None
    warn_ratio: float = WARN_RATIO

    @property
    def threshold_mb(self) -> float:
        return self.stop_pages * self.page_kib / 1024.0


XEN = PreCopyRules()
# QEMU has no round or volume cap of its own (it throttles with auto-converge instead);
# the estimate keeps Xen's caps so that a non-converging case still ends.
QEMU = PreCopyRules(downtime_limit_s=QEMU_DOWNTIME_LIMIT_S)


def estimate_precopy(
    ram_mb: float,
    link_mb_s: float,
    dirty_mb_s: float,
    rules: PreCopyRules = XEN,
) -> MigrationEstimate:
    """Estimate one migration; all sizes in MB (1024 KiB), rates in MB/s."""
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
    )


def estimate_vm(
    vm: VM, link_mb_s: float, dirty_mb_s: float, rules: PreCopyRules = XEN
) -> MigrationEstimate:
    """One instance of a VM entry: its whole configured RAM is copied in round 0."""
    return estimate_precopy(vm.ram_gb * MB_PER_GB, link_mb_s, dirty_mb_s, rules)
