"""What a VM moved between hosts on the canvas would cost as a live migration.

The pre-copy estimate (engine/migration.py) needs a link rate and a dirty rate:
- link: one NIC carries the migration, so the rate is the slower of the two hosts'
  fastest NICs, at line rate (the plan's default NIC speed when a model lists none);
- dirty rate: an assumption, the policy's `migration_dirty_mb_s_per_gb` (editable, shown
  with every estimate). Its default of 5 MB/s per GB makes a 4 GB VM dirty 20 MB/s, the
  first worked example of the research notes on pre-copy migration.
The stop rules are the plan's hypervisor's, from the catalog; where it publishes none
(ESXi, Hyper-V, VirtualBox) Xen's stand in and the note says so. QEMU has no caps: a copy
that cannot converge is reported as such, never with a made-up pause.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from hvplanner.catalog import load_catalog
from hvplanner.engine.assumptions import MB_PER_GB
from hvplanner.engine.migration import estimate_vm, rules_for
from hvplanner.model.hypervisor import HypervisorProfile
from hvplanner.model.migration import MigrationEstimate
from hvplanner.model.plan import VM, HostModel, Plan
from hvplanner.text import fmt

BITS_PER_BYTE = 8


def dirty_rate_mb_s(vm: VM, per_gb: float) -> float:
    return per_gb * vm.ram_gb


def link_gbps(a: HostModel, b: HostModel, default_gbps: float) -> float:
    def fastest(m: HostModel) -> float:
        return max((g.gbps for g in m.nics), default=default_gbps)

    return min(fastest(a), fastest(b))


def gbps_to_mb_s(gbps: float) -> float:
    """Line rate in MB/s of 1024 KiB, the unit of the estimate."""
    return gbps * 1e9 / BITS_PER_BYTE / (MB_PER_GB * 1024.0)


@dataclass(frozen=True)
class MoveEstimate:
    vm: VM
    source: str
    target: str
    gbps: float
    estimate: MigrationEstimate
    dirty_per_gb: float


def estimate_moves(
    before: Plan,
    vm_ids: Sequence[str],
    target: str,
    profile: HypervisorProfile | None = None,
) -> list[MoveEstimate]:
    """One estimate per moved VM entry that sat on another host (tray VMs do not migrate).

    `profile` defaults to the plan's hypervisor in the catalog.
    """
    models = {h.id: before.host_model(h.model) for h in before.hosts}
    if target not in models:
        return []
    wanted = set(vm_ids)
    rules = rules_for(profile if profile is not None else load_catalog().get(before.hypervisor))
    out: list[MoveEstimate] = []
    for vm in before.vms:
        if vm.id not in wanted or vm.host is None or vm.host == target or vm.host not in models:
            continue
        gbps = link_gbps(models[vm.host], models[target], before.policy.nic_gbps)
        dirty = dirty_rate_mb_s(vm, before.policy.migration_dirty_mb_s_per_gb)
        est = estimate_vm(vm, gbps_to_mb_s(gbps), dirty, rules)
        out.append(
            MoveEstimate(vm, vm.host, target, gbps, est, before.policy.migration_dirty_mb_s_per_gb)
        )
    return out


def _seconds(s: float) -> str:
    return f"{fmt(s, 1)} s" if s < 120 else f"{fmt(s / 60, 1)} min"


def move_note(moves: Sequence[MoveEstimate]) -> str:
    """The status-bar sentence for a drop; "" when nothing would migrate."""
    if not moves:
        return ""
    gbps = min(m.gbps for m in moves)
    assumption = (
        f"link {fmt(gbps)} Gb/s, assumed dirty rate {fmt(moves[0].dirty_per_gb)} MB/s per GB "
        "of RAM (policy)"
    )
    stuck = [m for m in moves if m.estimate.downtime_seconds is None]
    done = [m for m in moves if m.estimate.downtime_seconds is not None]
    if len(moves) == 1 and moves[0].vm.count == 1 and not stuck:
        e = moves[0].estimate
        text = (
            f"A live migration of this VM would take ~{_seconds(e.total_seconds or 0.0)} "
            f"with ~{fmt((e.downtime_seconds or 0.0) * 1000, 0)} ms pause"
        )
    elif not done:
        text = "A live migration would not converge: the copy never gets small enough to pause"
    else:
        n = sum(m.vm.count for m in done)
        total = sum((m.estimate.total_seconds or 0.0) * m.vm.count for m in done)
        pause = max(m.estimate.downtime_seconds or 0.0 for m in done)
        text = (
            f"Live migrations of these {n} VMs, one after another, would take "
            f"~{_seconds(total)} with up to ~{fmt(pause * 1000, 0)} ms pause each"
        )
        if stuck:
            names = ", ".join(m.vm.label for m in stuck)
            text += f"; {names} would not converge"
    if any(m.estimate.stop_reason in ("max-rounds", "max-factor") for m in done):
        text += " (pre-copy ended by its round cap, not by converging: the pause is long)"
    stop_rules = dict.fromkeys(a for m in moves for a in m.estimate.assumptions)
    return f"{text} ({'; '.join([assumption, *stop_rules])})"
