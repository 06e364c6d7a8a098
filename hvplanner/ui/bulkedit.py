"""Bulk edit: one field set to one value on many VM entries, as one undo step.

The table of VMs offers it for its selected rows. vCPUs and RAM change what a host
carries, so the edit is checked by the same hard-limit rule as a drop or a move; the
workload and the guest OS do not change any limit. The host is a move (MoveVMsCommand).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from hvplanner.model import edits
from hvplanner.model.plan import VM, Plan
from hvplanner.ui.commands import PlanCommand
from hvplanner.ui.document import TRAY, PlanDocument
from hvplanner.ui.i18n import QT_TRANSLATE_NOOP, fmt, plural, translate

# The fields a bulk edit may set, with how the command names them (translated in "BulkEdit").
BULK_FIELDS: dict[str, str] = {
    "vcpu": QT_TRANSLATE_NOOP("BulkEdit", "vCPUs"),
    "ram_gb": QT_TRANSLATE_NOOP("BulkEdit", "RAM"),
    "profile": QT_TRANSLATE_NOOP("BulkEdit", "workload"),
    "os": QT_TRANSLATE_NOOP("BulkEdit", "guest OS"),
}
# Fields that change what a host carries (and so may break a hard limit).
LOAD_FIELDS = frozenset({"vcpu", "ram_gb"})


def set_field(plan: Plan, vm_ids: Collection[str], field: str, value: Any) -> Plan:
    """The plan with `field` = `value` on these VM entries; ValueError names a bad value."""
    if field not in BULK_FIELDS:
        raise ValueError(f"{field}: not a field a bulk edit sets")
    ids = set(vm_ids)
    changed: dict[int, VM] = {}
    for i, v in enumerate(plan.vms):
        if v.id in ids and getattr(v, field) != value:
            changed[i] = VM.model_validate({**v.model_dump(), field: value})
    if not changed:
        return plan
    vms = [changed.get(i, v) for i, v in enumerate(plan.vms)]
    return edits.rebuild(plan, vms=vms)


def value_text(field: str, value: Any) -> str:
    if field == "ram_gb":
        return translate("BulkEdit", "{n} GB").format(n=fmt(value))
    return fmt(value) if isinstance(value, (int, float)) else str(value)


class BulkEditCommand(PlanCommand):
    def __init__(self, doc: PlanDocument, vm_ids: Collection[str], field: str, value: Any) -> None:
        before = doc.plan
        after = set_field(before, vm_ids, field, value)
        ids = set(vm_ids)
        touched = {v.host or TRAY for v in before.vms if v.id in ids}
        if field in LOAD_FIELDS:
            doc.check_hard_limits(after, touched)
        n = len(ids)
        text = translate("BulkEdit", "Set {field} to {value} on {entries}").format(
            field=translate("BulkEdit", BULK_FIELDS[field]),
            value=value_text(field, value),
            entries=plural(
                n, translate("BulkEdit", "VM entry"), translate("BulkEdit", "VM entries")
            ),
        )
        self.changed = after is not before
        super().__init__(doc, text, after, frozenset(touched))
