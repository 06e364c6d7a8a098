"""The inspector dock: properties of the selection, edited through undo commands."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from hvplanner.engine.hostload import DimensionBar
from hvplanner.engine.planindex import vms_by_id
from hvplanner.model.plan import BUILTIN_WORKLOADS, MAX_RAM_GB, Host, HostModel, Plan, Policy
from hvplanner.painting.bars import NO_LIMIT, NO_LIMIT_TEXT
from hvplanner.ui.commands import (
    EditHostCommand,
    EditHostModelCommand,
    EditVMCommand,
    RenamePlanCommand,
    SetPolicyCommand,
)
from hvplanner.ui.document import PlanDocument
from hvplanner.ui.forms import (
    HOST_MODEL_FIELDS,
    VM_FIELDS,
    Field,
    ModelForm,
    build_vm,
    validation_text,
)
from hvplanner.ui.i18n import QT_TRANSLATE_NOOP, fmt, painted, plural, translate
from hvplanner.ui.plaintext import rich
from hvplanner.ui.theme import hex_of

PLAN_FIELDS = (
    Field("name", QT_TRANSLATE_NOOP("Forms", "Plan name"), "text"),
    Field(
        "vcpu_per_lp",
        QT_TRANSLATE_NOOP("Forms", "vCPU:LP ratio"),
        "optional",
        ":1",
        0,
        64,
        2,
        QT_TRANSLATE_NOOP(
            "Forms", "0: the default 1:1 for every hypervisor, capped by a published maximum"
        ),
        QT_TRANSLATE_NOOP("Forms", "default 1:1"),
    ),
    Field("ram_overcommit", QT_TRANSLATE_NOOP("Forms", "RAM overcommit"), "float", "×", 0.1, 10),
    Field("headroom_pct", QT_TRANSLATE_NOOP("Forms", "Headroom"), "float", "%", 0, 99),
    Field("failover_hosts", QT_TRANSLATE_NOOP("Forms", "Failover hosts (N+k)"), "int", "", 0, 1000),
    Field(
        "vm_overhead_mb",
        QT_TRANSLATE_NOOP("Forms", "VM overhead"),
        "optional",
        QT_TRANSLATE_NOOP("Forms", "MB"),
        -1,
        65_536,
        0,
        QT_TRANSLATE_NOOP(
            "Forms", "memory each VM costs on top of its RAM; catalog's: the hypervisor's own model"
        ),
        QT_TRANSLATE_NOOP("Forms", "catalog's"),
    ),
    Field(
        "host_reserve_mb",
        QT_TRANSLATE_NOOP("Forms", "Host reserve"),
        "optional",
        QT_TRANSLATE_NOOP("Forms", "MB"),
        -1,
        MAX_RAM_GB * 1024,
        0,
        QT_TRANSLATE_NOOP(
            "Forms", "RAM every host keeps for itself; catalog's: the hypervisor's figure"
        ),
        QT_TRANSLATE_NOOP("Forms", "catalog's"),
    ),
    Field(
        "growth_pct_per_year",
        QT_TRANSLATE_NOOP("Forms", "Growth"),
        "float",
        QT_TRANSLATE_NOOP("Forms", "% a year"),
        0,
        1000,
        tip=QT_TRANSLATE_NOOP("Forms", "VM count growth the sizing plans for"),
    ),
    Field(
        "growth_years",
        QT_TRANSLATE_NOOP("Forms", "Growth for"),
        "int",
        QT_TRANSLATE_NOOP("Forms", "years"),
        0,
        50,
        one=QT_TRANSLATE_NOOP("Forms", "year"),
    ),
)
HOST_FIELDS = (
    Field("id", QT_TRANSLATE_NOOP("Forms", "Id"), "text"),
    Field("name", QT_TRANSLATE_NOOP("Forms", "Name"), "text"),
)
MODEL_COST = next(f for f in HOST_MODEL_FIELDS if f.name == "cost")
VM_HOST = Field(
    "host",
    QT_TRANSLATE_NOOP("Forms", "Host"),
    "choice",
    tip=QT_TRANSLATE_NOOP("Forms", "the host the VM runs on (Move to Host…: Ctrl+M)"),
)


def _dim_line(d: DimensionBar) -> str:
    if d.capacity:
        return translate("Inspector", "{dimension}: {load} ({state})").format(
            dimension=d.label, load=d.describe(), state=d.state
        )
    # No limit to measure against: say why, as the card's bar does, not "unknown".
    note = painted(NO_LIMIT_TEXT.get(d.key, NO_LIMIT))
    if d.used:
        return translate("Inspector", "{dimension}: {load} ({state})").format(
            dimension=d.label, load=d.describe(), state=note
        )
    return translate("Inspector", "{dimension}: {state}").format(dimension=d.label, state=note)


def _title(text: str) -> QLabel:
    label = QLabel(f"<b>{rich(text)}</b>")
    label.setWordWrap(True)
    return label


def workload_choices(plan: Plan) -> list[tuple[str, object]]:
    """The built-in workloads and the plan's own, each once."""
    names = [w for w in BUILTIN_WORKLOADS if w != "measured"]
    names += [w.name for w in plan.workloads if w.name not in names]
    return [(n, n) for n in names]


def host_choices(plan: Plan) -> list[tuple[str, object]]:
    return [
        (translate("Inspector", "(unplaced)"), ""),
        *((h.name or h.id, h.id) for h in plan.hosts),
    ]


class Inspector(QStackedWidget):
    def __init__(self, doc: PlanDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self._vm_id: str | None = None
        self._host_id: str | None = None
        self._selection: tuple[list[str], list[str]] = ([], [])

        self.plan_page, self.plan_form = self._page(translate("Inspector", "Plan"), PLAN_FIELDS)
        self.plan_form.edited.connect(self._plan_edited)
        self.vm_page, self.vm_form = self._page(
            translate("Inspector", "VM"),
            (
                *VM_FIELDS[:2],
                VM_HOST,
                *VM_FIELDS[2:],
                Field("pinned", QT_TRANSLATE_NOOP("Forms", "Pinned to host"), "bool"),
            ),
        )
        self.vm_form.edited.connect(self._vm_edited)
        self.host_page, self.host_form = self._page(translate("Inspector", "Host"), HOST_FIELDS)
        self.host_form.edited.connect(self._host_edited)
        self.model_combo = QComboBox()
        self.model_combo.activated.connect(self._host_edited)
        form_layout = self.host_form.layout()
        assert isinstance(form_layout, QFormLayout)
        form_layout.insertRow(2, translate("Inspector", "Model"), self.model_combo)
        self.host_details = QLabel()
        self.host_details.setWordWrap(True)
        page_layout = self.host_page.layout()
        assert isinstance(page_layout, QVBoxLayout)
        page_layout.insertWidget(2, self.host_details)
        # The model's cost is the model's, shared by every host of it: its own form.
        self.model_form = ModelForm((MODEL_COST,))
        self.model_form.edited.connect(self._model_edited)
        page_layout.insertWidget(2, self.model_form)
        self.multi_page = QWidget()
        self.multi_label = QLabel()
        self.multi_label.setWordWrap(True)
        multi_layout = QVBoxLayout(self.multi_page)
        multi_layout.addWidget(self.multi_label)
        multi_layout.addStretch(1)
        for page in (self.plan_page, self.vm_page, self.host_page, self.multi_page):
            self.addWidget(page)
        doc.plan_changed.connect(self._plan_changed)
        self.show_selection([], [])

    def _page(self, title: str, fields: Any) -> tuple[QWidget, ModelForm]:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(_title(title))
        form = ModelForm(fields)
        layout.addWidget(form)
        layout.addStretch(1)
        page.setProperty("title", title)
        return page, form

    def _plan_changed(self, _touched: object) -> None:
        self.show_selection(*self._selection)

    def show_selection(self, vm_ids: list[str], host_ids: list[str]) -> None:
        plan = self.doc.plan
        # Indexed only for a VM selected: after Auto-place the new plan's index waits
        # for its first use.
        vms = vms_by_id(plan) if vm_ids else {}
        hosts = {h.id: h for h in plan.hosts}
        vm_ids = [i for i in vm_ids if i in vms]
        host_ids = [i for i in host_ids if i in hosts]
        self._selection = (vm_ids, host_ids)
        self._vm_id = self._host_id = None
        if len(vm_ids) == 1 and not host_ids:
            self._vm_id = vm_ids[0]
            self.vm_form.set_choices("profile", workload_choices(plan))
            self.vm_form.set_choices("host", host_choices(plan))
            values = vms[vm_ids[0]].model_dump()
            values["host"] = values["host"] or ""
            values["anti_affinity"] = values["anti_affinity"] or ""
            self.vm_form.set_values(values)
            self.setCurrentWidget(self.vm_page)
        elif len(host_ids) == 1 and not vm_ids:
            host = hosts[host_ids[0]]
            self._host_id = host.id
            self.host_form.set_values(host.model_dump())
            self.model_combo.clear()
            for m in plan.host_models:
                self.model_combo.addItem(m.label, m.id)
            self.model_combo.setCurrentIndex(self.model_combo.findData(host.model))
            self.model_form.set_values({"cost": plan.host_model(host.model).cost})
            load = self.doc.host_load(host.id)
            lines = [
                "<i>{}</i>".format(
                    translate("Inspector", "Allocated (VM sizes + overhead + reserve):")
                )
            ]
            lines += [rich(_dim_line(d)) for d in load.dims]
            lines += [
                f"<span style='color:{hex_of('error')}'>{rich(v)}</span>" for v in load.violations()
            ]
            self.host_details.setText("<br>".join(lines))
            self.setCurrentWidget(self.host_page)
        elif vm_ids or host_ids:
            chosen = [vms[i] for i in vm_ids]
            n = sum(v.count for v in chosen)
            lines = []
            if chosen:
                entries = plural(
                    len(vm_ids),
                    translate("Inspector", "VM entry"),
                    translate("Inspector", "VM entries"),
                )
                count = plural(n, translate("Inspector", "VM"), translate("Inspector", "VMs"))
                lines.append(
                    translate("Inspector", "<b>{entries} ({vms})</b>").format(
                        entries=entries, vms=count
                    )
                )
                vcpus = plural(
                    sum(v.count * v.vcpu for v in chosen),
                    translate("Inspector", "vCPU"),
                    translate("Inspector", "vCPUs"),
                )
                ram = fmt(sum(v.count * v.ram_gb for v in chosen))
                lines.append(
                    translate("Inspector", "{vcpus}, {ram} GB RAM").format(vcpus=vcpus, ram=ram)
                )
            if host_ids:
                hosts_text = plural(
                    len(host_ids), translate("Inspector", "host"), translate("Inspector", "hosts")
                )
                lines.append(f"<b>{hosts_text}</b>")
            text = "<br>".join(lines)
            text += "<br><br>" + translate(
                "Inspector",
                "Drag them together, move them with Ctrl+M, or press Delete or Ctrl+D.",
            )
            self.multi_label.setText(text)
            self.setCurrentWidget(self.multi_page)
        else:
            values = plan.policy.model_dump()
            values["name"] = plan.name
            values["vcpu_per_lp"] = plan.policy.vcpu_per_lp or 0
            self.plan_form.set_values(values)
            self.setCurrentWidget(self.plan_page)

    def focus_editor(self) -> None:
        page = self.currentWidget()
        for form in (self.vm_form, self.host_form, self.plan_form):
            if form.parent() is page:
                editor = next(iter(form.editors.values()))
                editor.setFocus()
                return

    def _push(self, make: Any, form: ModelForm) -> bool:
        return self.doc.try_push(make, form.show_error)

    def _vm_edited(self) -> None:
        if self._vm_id is None:
            return
        old_id = self._vm_id
        old = next(v for v in self.doc.plan.vms if v.id == old_id)
        values = self.vm_form.values()
        if values["pinned"] and not values.get("host"):
            values["pinned"] = False
        try:
            vm = build_vm(values, old)
        except (ValidationError, ValueError) as exc:
            self.vm_form.show_error(validation_text(exc))
            return
        if vm != old and self._push(lambda: EditVMCommand(self.doc, old_id, vm), self.vm_form):
            self._selection = ([vm.id], [])
            self.show_selection(*self._selection)

    def _host_edited(self) -> None:
        if self._host_id is None:
            return
        old_id = self._host_id
        old = next(h for h in self.doc.plan.hosts if h.id == old_id)
        values = self.host_form.values()
        values["model"] = self.model_combo.currentData() or old.model
        try:
            host = Host.model_validate({**old.model_dump(), **values})
        except ValidationError as exc:
            self.host_form.show_error(validation_text(exc))
            return
        if host != old and self._push(
            lambda: EditHostCommand(self.doc, old_id, host), self.host_form
        ):
            self._selection = ([], [host.id])
            self.show_selection(*self._selection)

    def _model_edited(self) -> None:
        if self._host_id is None:
            return
        host = next(h for h in self.doc.plan.hosts if h.id == self._host_id)
        old = self.doc.plan.host_model(host.model)
        try:
            model = HostModel.model_validate({**old.model_dump(), **self.model_form.values()})
        except ValidationError as exc:
            self.model_form.show_error(validation_text(exc))
            return
        if model != old:
            self._push(lambda: EditHostModelCommand(self.doc, old.id, model), self.model_form)

    def _plan_edited(self) -> None:
        plan = self.doc.plan
        values = self.plan_form.values()
        name = values.pop("name")
        if name != plan.name:
            self._push(lambda: RenamePlanCommand(self.doc, name), self.plan_form)
            return
        data = plan.policy.model_dump()
        data.update(values)
        data["vcpu_per_lp"] = values["vcpu_per_lp"] or None
        try:
            policy = Policy.model_validate(data)
        except ValidationError as exc:
            self.plan_form.show_error(validation_text(exc))
            return
        if policy != plan.policy:
            self._push(lambda: SetPolicyCommand(self.doc, policy), self.plan_form)
