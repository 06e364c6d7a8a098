"""One QUndoCommand per kind of edit; each swaps the document's plan for the edited one.

Plans are immutable, so a command keeps the plan before and after; both share every
unchanged host and VM object, which keeps the history cheap.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from itertools import compress, count

from PySide6.QtGui import QUndoCommand

from hvplanner.catalog import load_catalog
from hvplanner.engine.planindex import vms_by_id
from hvplanner.model import edits
from hvplanner.model.plan import VM, Host, HostModel, Plan, Policy, WorkloadProfile
from hvplanner.ui.document import TRAY, PlanDocument, Touched
from hvplanner.ui.i18n import plural, translate


def _vms(n: int) -> str:
    return plural(n, translate("PlanCommand", "VM"), translate("PlanCommand", "VMs"))


def _hosts(n: int) -> str:
    return plural(n, translate("PlanCommand", "host"), translate("PlanCommand", "hosts"))


def _hosts_of(plan: Plan, vm_ids: Collection[str]) -> set[str]:
    index = vms_by_id(plan)
    return {index[i].host or TRAY for i in set(vm_ids) if i in index}


class PlanCommand(QUndoCommand):
    def __init__(self, doc: PlanDocument, text: str, after: Plan, touched: Touched) -> None:
        super().__init__(text)
        self._doc = doc
        self.before = doc.plan
        self.after = after
        self._touched = touched

    def redo(self) -> None:
        self._doc.apply(self.after, self._touched)

    def undo(self) -> None:
        self._doc.apply(self.before, self._touched)


class MoveVMsCommand(PlanCommand):
    """Keeps the moved VMs as they were and are, not the two plans, once it has been done.

    Each plan holds its own list of every VM (30,000 pointers, 240 KB, at 30,000 VMs), so a
    history of 200 moves kept a plan a move, 48 MB. Undo and redo put the kept VMs back
    in the document's plan at their places: a plan equal to the one before or after, whose
    other VM objects are the same ones. `before` and `after` are read from the document's
    plan too, so they are this move's while the document is at one of its two ends (the
    scene reads them around the push).
    """

    def __init__(self, doc: PlanDocument, vm_ids: Collection[str], host: str | None) -> None:
        before = doc.plan
        after, self._was, self._now = edits.move_vms_showing(before, vm_ids, host)
        touched = _hosts_of(before, vm_ids) | {host or TRAY}
        doc.check_hard_limits(after, touched)
        where = host or translate("PlanCommand", "the tray")
        text = translate("PlanCommand", "Move {vms} to {host}").format(
            vms=_vms(len(vm_ids)), host=where
        )
        self._at: list[int] | None = None  # their places in the plan, found at the first undo
        self._kept: tuple[Plan, Plan] | None = None
        super().__init__(doc, text, after, frozenset(touched))

    @property  # type: ignore[override]
    def before(self) -> Plan:
        return self._kept[0] if self._kept is not None else self._with(self._was)

    @before.setter
    def before(self, plan: Plan) -> None:
        self._kept = (plan, self._kept[1]) if self._kept is not None else (plan, plan)

    @property  # type: ignore[override]
    def after(self) -> Plan:
        return self._kept[1] if self._kept is not None else self._with(self._now)

    @after.setter
    def after(self, plan: Plan) -> None:
        self._kept = (self._kept[0], plan) if self._kept is not None else (plan, plan)

    def _with(self, vms: list[VM]) -> Plan:
        """The document's plan with `vms` at the moved places (itself when they are there)."""
        plan = self._doc.plan
        at = self._places(plan)
        if all(plan.vms[i] is v for i, v in zip(at, vms, strict=True)):
            return plan
        new = list(plan.vms)
        for i, v in zip(at, vms, strict=True):
            new[i] = v
        return edits.with_vms(plan, new)

    def _places(self, plan: Plan) -> list[int]:
        """Where the moved VMs are in `plan` (at one end of this move): looked up once, by
        identity and in C (itertools, operator), half a millisecond at 30,000 VMs; the move
        itself does not pay for it."""
        if self._at is None:
            ends = {id(v) for v in (*self._was, *self._now)}
            self._at = list(compress(count(), map(ends.__contains__, map(id, plan.vms))))
        return self._at

    def redo(self) -> None:
        super().redo()
        self._kept = None

    def undo(self) -> None:
        super().undo()
        self._kept = None


class AddVMCommand(PlanCommand):
    def __init__(self, doc: PlanDocument, template: VM, host: str | None, count: int = 1) -> None:
        vm = edits.new_vm(doc.plan, template, host, count)
        after = edits.add_vms(doc.plan, [vm])
        doc.check_hard_limits(after, {host or TRAY})
        self.vm_id = vm.id
        text = translate("PlanCommand", "Add VM {vm}").format(vm=vm.label)
        super().__init__(doc, text, after, frozenset({host or TRAY}))


class AddHostCommand(PlanCommand):
    """Adds hosts of a model; a model not yet in the plan (a preset) is added with them."""

    def __init__(self, doc: PlanDocument, model: HostModel, n: int = 1, text: str = "") -> None:
        plan = doc.plan
        if all(m.id != model.id for m in plan.host_models):
            plan = edits.add_host_model(plan, model)
        elif plan.host_model(model.id) != model:
            taken = {m.id for m in plan.host_models}
            model = model.model_copy(update={"id": edits.unique_id(model.id, taken)})
            plan = edits.add_host_model(plan, model)
        hosts = edits.new_hosts(plan, model.id, n)
        self.host_ids = [h.id for h in hosts]
        after = edits.add_hosts(plan, hosts)
        text = text or (
            translate("PlanCommand", "Add host {host}").format(host=hosts[0].id)
            if n == 1
            else translate("PlanCommand", "Add {hosts}").format(hosts=_hosts(n))
        )
        super().__init__(doc, text, after, frozenset(self.host_ids))


class RemoveCommand(PlanCommand):
    def __init__(
        self, doc: PlanDocument, vm_ids: Collection[str] = (), host_ids: Collection[str] = ()
    ) -> None:
        after = edits.remove(doc.plan, vm_ids, host_ids)
        touched = _hosts_of(doc.plan, vm_ids) | set(host_ids)
        if host_ids:
            touched.add(TRAY)
        if vm_ids and host_ids:
            text = translate("PlanCommand", "Delete {vms} and {hosts}").format(
                vms=_vms(len(vm_ids)), hosts=_hosts(len(host_ids))
            )
        else:
            what = _vms(len(vm_ids)) if vm_ids else _hosts(len(host_ids))
            text = translate("PlanCommand", "Delete {what}").format(what=what)
        super().__init__(doc, text, after, frozenset(touched))


class EditVMCommand(PlanCommand):
    def __init__(self, doc: PlanDocument, old_id: str, vm: VM) -> None:
        after = edits.replace_vm(doc.plan, old_id, vm)
        old = next(v for v in doc.plan.vms if v.id == old_id)
        touched = {old.host or TRAY, vm.host or TRAY}
        doc.check_hard_limits(after, touched)
        text = translate("PlanCommand", "Edit VM {vm}").format(vm=vm.label)
        super().__init__(doc, text, after, frozenset(touched))


class EditHostCommand(PlanCommand):
    def __init__(self, doc: PlanDocument, old_id: str, host: Host) -> None:
        after = edits.replace_host(doc.plan, old_id, host)
        doc.check_hard_limits(after, {host.id})
        text = translate("PlanCommand", "Edit host {host}").format(host=host.name or host.id)
        super().__init__(doc, text, after, frozenset({old_id, host.id}))


class AddHostModelCommand(PlanCommand):
    def __init__(self, doc: PlanDocument, model: HostModel) -> None:
        text = translate("PlanCommand", "New host model {model}").format(model=model.label)
        super().__init__(doc, text, edits.add_host_model(doc.plan, model), None)


class EditHostModelCommand(PlanCommand):
    def __init__(self, doc: PlanDocument, old_id: str, model: HostModel) -> None:
        after = edits.replace_host_model(doc.plan, old_id, model)
        hosts = {h.id for h in after.hosts if h.model == model.id}
        doc.check_hard_limits(after, hosts)
        text = translate("PlanCommand", "Edit host model {model}").format(model=model.label)
        super().__init__(doc, text, after, None)


class DuplicateCommand(PlanCommand):
    def __init__(
        self, doc: PlanDocument, vm_ids: Iterable[str] = (), host_ids: Iterable[str] = ()
    ) -> None:
        vm_ids, host_ids = list(vm_ids), list(host_ids)
        after = edits.duplicate(doc.plan, vm_ids, host_ids)
        before_hosts = {h.id for h in doc.plan.hosts}
        new_hosts = {h.id for h in after.hosts} - before_hosts
        touched = _hosts_of(doc.plan, vm_ids) | new_hosts
        doc.check_hard_limits(after, touched)
        before_vms = {v.id for v in doc.plan.vms}
        self.new_vm_ids = [v.id for v in after.vms if v.id not in before_vms]
        self.new_host_ids = sorted(new_hosts)
        super().__init__(doc, translate("PlanCommand", "Duplicate"), after, frozenset(touched))


class PinCommand(PlanCommand):
    def __init__(self, doc: PlanDocument, vm_ids: Collection[str], pinned: bool) -> None:
        after = edits.set_pinned(doc.plan, vm_ids, pinned)
        text = (
            translate("PlanCommand", "Pin {vms}")
            if pinned
            else translate("PlanCommand", "Unpin {vms}")
        ).format(vms=_vms(len(vm_ids)))
        super().__init__(doc, text, after, frozenset(_hosts_of(doc.plan, vm_ids)))


class ExpandGroupCommand(PlanCommand):
    def __init__(self, doc: PlanDocument, vm_id: str) -> None:
        after = edits.expand_group(doc.plan, vm_id)
        text = translate("PlanCommand", "Expand {vm}").format(vm=vm_id)
        super().__init__(doc, text, after, frozenset(_hosts_of(doc.plan, [vm_id])))


class SetHypervisorCommand(PlanCommand):
    def __init__(self, doc: PlanDocument, key: str) -> None:
        after = edits.set_hypervisor(doc.plan, key)
        text = translate("PlanCommand", "Switch to {hypervisor}").format(
            hypervisor=load_catalog().get(key).title
        )
        super().__init__(doc, text, after, None)


class SetPolicyCommand(PlanCommand):
    def __init__(self, doc: PlanDocument, policy: Policy) -> None:
        super().__init__(
            doc, translate("PlanCommand", "Edit policy"), edits.set_policy(doc.plan, policy), None
        )


class RenamePlanCommand(PlanCommand):
    def __init__(self, doc: PlanDocument, name: str) -> None:
        super().__init__(
            doc,
            translate("PlanCommand", "Rename plan"),
            edits.rebuild(doc.plan, name=name),
            frozenset(),
        )


class ReplacePlanCommand(PlanCommand):
    """A whole-plan result such as an automatic placement, undone in one step."""

    def __init__(self, doc: PlanDocument, text: str, after: Plan) -> None:
        super().__init__(doc, text, after, None)


class ImportVMsCommand(PlanCommand):
    """VMs read from an inventory file join the plan; one undo step takes them all out.

    Without hosts they land unplaced. With the source's current hosts (RVTools vHost,
    Proxmox nodes) those hosts and their models join too, and each VM sits on its host;
    ids that clash with the plan's are suffixed. Measured-utilisation workloads the VMs
    refer to are added, and the hypervisor is switched when one is given."""

    def __init__(
        self,
        doc: PlanDocument,
        vms: Sequence[VM],
        source: str,
        *,
        workloads: Sequence[WorkloadProfile] = (),
        host_models: Sequence[HostModel] = (),
        hosts: Sequence[Host] = (),
        hypervisor: str | None = None,
    ) -> None:
        plan = doc.plan
        model_ids = {m.id for m in plan.host_models}
        new_models: list[HostModel] = []
        model_map: dict[str, str] = {}
        for m in host_models:
            ident = edits.unique_id(m.id, model_ids)
            model_ids.add(ident)
            model_map[m.id] = ident
            new_models.append(m.model_copy(update={"id": ident}))
        host_ids = {h.id for h in plan.hosts}
        new_hosts: list[Host] = []
        host_map: dict[str, str] = {}
        for h in hosts:
            ident = h.id if h.id not in host_ids else edits.unique_id(h.id, host_ids)
            host_ids.add(ident)
            host_map[h.id] = ident
            new_hosts.append(h.model_copy(update={"id": ident, "model": model_map[h.model]}))
        placed = [
            v.model_copy(update={"host": host_map.get(v.host or ""), "pinned": False}) for v in vms
        ]
        known = {w.name for w in plan.workloads}
        added = [w for w in workloads if w.name not in known]
        after = edits.rebuild(
            plan,
            host_models=[*plan.host_models, *new_models],
            hosts=[*plan.hosts, *new_hosts],
            vms=[*plan.vms, *placed],
            workloads=[*plan.workloads, *added],
            hypervisor=hypervisor or plan.hypervisor,
        )
        self.vm_ids = [v.id for v in placed]
        text = translate("PlanCommand", "Import {vms} from {source}").format(
            vms=_vms(len(placed)), source=source
        )
        touched = frozenset({TRAY}) if not new_hosts and not hypervisor else None
        super().__init__(doc, text, after, touched)
