"""The hard-limit refusal rule: an edit may not put a host past a hard limit it kept.

A host that already breaks a limit (an opened file, a policy change) may still be edited
as long as the edit adds no new broken limit; so a user can repair a plan step by step.
The canvas drop, the inspector and the "Move to host…" command all ask this one rule.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from hvplanner.engine.hostload import HostBars, LoadCalculator
from hvplanner.engine.planindex import vms_by_host
from hvplanner.model.plan import Plan


@dataclass(frozen=True)
class Refusal:
    """Why an edit is refused: the host, its label and the first limit it would break."""

    host_id: str
    host_label: str
    reason: str

    @property
    def message(self) -> str:
        return f"Refused: {self.host_label}: {self.reason}"


class EditRefusedError(Exception):
    """An edit that would break a hard limit; the message says which and where."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.message)
        self.refusal = refusal


def _bars(calc: LoadCalculator, plan: Plan, host_id: str) -> HostBars | None:
    host = next((h for h in plan.hosts if h.id == host_id), None)
    if host is None:
        return None
    return calc.load(host_id, plan.host_model(host.model), vms_by_host(plan)[host_id])


def refusal(
    calc: LoadCalculator, before: Plan, after: Plan, hosts: Iterable[str]
) -> Refusal | None:
    """The first host of `hosts` that `after` puts past more hard limits than `before` did.

    Host ids not in `after` (the unplaced tray, a removed host) are skipped. `calc` holds
    the policy and hypervisor both plans are measured with.
    """
    for hid in sorted(set(hosts)):
        new_bars = _bars(calc, after, hid)
        if new_bars is None:
            continue
        new = new_bars.violations()
        if not new:
            continue
        old_bars = _bars(calc, before, hid)
        old = old_bars.violations() if old_bars is not None else []
        if len(new) > len(old):
            label = next(h.name or h.id for h in after.hosts if h.id == hid)
            return Refusal(hid, label, new[0])
    return None


def check(calc: LoadCalculator, before: Plan, after: Plan, hosts: Iterable[str]) -> None:
    """Raises EditRefusedError when `refusal` finds a host the edit would break."""
    found = refusal(calc, before, after, hosts)
    if found is not None:
        raise EditRefusedError(found)
