"""Settings the warnings talk about are editable in the Inspector, with undo, and bad values
are refused where they are typed."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QLineEdit, QSpinBox

from hvplanner.model.plan import WorkloadProfile
from hvplanner.ui.commands import ReplacePlanCommand
from hvplanner.ui.forms import HOST_MODEL_FIELDS, VM_FIELDS, ModelDialog, ModelForm, build_vm
from hvplanner.ui.mainwindow import MainWindow


def _vm(window: MainWindow, vm_id: str):
    return next(v for v in window.doc.plan.vms if v.id == vm_id)


def _select_vm(window: MainWindow, vm_id: str) -> None:
    window.scene.clearSelection()
    chip = window.scene.chip(vm_id)
    assert chip is not None
    chip.setSelected(True)
    window.editor.flush_selection()


def _choose(form: ModelForm, name: str, value: object) -> None:
    combo = form.editors[name]
    assert isinstance(combo, QComboBox)
    i = combo.findData(value)
    assert i >= 0, [combo.itemData(j) for j in range(combo.count())]
    combo.setCurrentIndex(i)
    combo.activated.emit(i)


def _type(form: ModelForm, name: str, value: object) -> None:
    ed = form.editors[name]
    if isinstance(ed, QLineEdit):
        ed.setText(str(value))
    elif isinstance(ed, (QSpinBox, QDoubleSpinBox)):
        ed.setValue(value)  # type: ignore[arg-type]
    ed.editingFinished.emit()  # type: ignore[attr-defined]


def _undo_redo(window: MainWindow, read, before, after) -> None:
    assert read() == after
    window.doc.undo_stack.undo()
    assert read() == before
    window.doc.undo_stack.redo()
    assert read() == after


def test_vm_host_field_moves_the_vm_with_undo(window: MainWindow) -> None:
    _select_vm(window, "c")
    form = window.inspector.vm_form
    combo = form.editors["host"]
    assert isinstance(combo, QComboBox)
    assert [combo.itemText(i) for i in range(combo.count())] == ["(unplaced)", "h1", "h2"]
    assert combo.currentData() == "h2"
    _choose(form, "host", "h1")
    _undo_redo(window, lambda: _vm(window, "c").host, "h2", "h1")
    _choose(form, "host", "")
    assert _vm(window, "c").host is None


def test_vm_host_field_refuses_a_host_the_vm_would_break(window: MainWindow) -> None:
    _select_vm(window, "big")
    form = window.inspector.vm_form
    _choose(form, "host", "h1")
    assert window.doc.plan.vms[3].host is None
    assert form.error.isVisibleTo(form) and form.error.text().startswith("Refused: h1: RAM")


def test_vm_workload_os_and_anti_affinity_with_undo(window: MainWindow) -> None:
    plan = window.doc.plan
    mine = WorkloadProfile(name="office", kind="diurnal")
    window.doc.push(
        ReplacePlanCommand(window.doc, "workload", plan.model_copy(update={"workloads": [mine]}))
    )
    _select_vm(window, "a")
    form = window.inspector.vm_form
    profiles = form.editors["profile"]
    assert isinstance(profiles, QComboBox)
    assert "office" in [profiles.itemData(i) for i in range(profiles.count())]
    _choose(form, "profile", "office")
    _undo_redo(window, lambda: _vm(window, "a").profile, "constant", "office")
    _choose(form, "os", "windows-server")
    _undo_redo(window, lambda: _vm(window, "a").os, "other", "windows-server")
    _type(form, "anti_affinity", "sql-pair")
    _undo_redo(window, lambda: _vm(window, "a").anti_affinity, None, "sql-pair")
    _type(form, "anti_affinity", "#bad")
    assert _vm(window, "a").anti_affinity == "sql-pair"
    assert form.error.isVisibleTo(form) and "anti_affinity" in form.error.text()
    _type(form, "anti_affinity", "")
    assert _vm(window, "a").anti_affinity is None


def test_plan_overhead_reserve_and_growth_with_undo(window: MainWindow) -> None:
    window.scene.clearSelection()
    window.editor.flush_selection()
    form = window.inspector.plan_form
    overhead = form.editors["vm_overhead_mb"]
    assert isinstance(overhead, QDoubleSpinBox)
    assert overhead.text() == "catalog's"  # None: the hypervisor's own model
    policy = lambda: window.doc.plan.policy  # noqa: E731
    _type(form, "vm_overhead_mb", 0.0)  # 0 MB is a value, not "catalog's"
    _undo_redo(window, lambda: policy().vm_overhead_mb, None, 0.0)
    _type(form, "vm_overhead_mb", 64.0)
    assert policy().vm_overhead_mb == 64.0
    _type(form, "vm_overhead_mb", -1.0)
    assert policy().vm_overhead_mb is None
    _type(form, "host_reserve_mb", 4096.0)
    _undo_redo(window, lambda: policy().host_reserve_mb, None, 4096.0)
    _type(form, "growth_pct_per_year", 10.0)
    _undo_redo(window, lambda: policy().growth_pct_per_year, 0.0, 10.0)
    _type(form, "growth_years", 3)
    _undo_redo(window, lambda: policy().growth_years, 0, 3)
    years = form.editors["growth_years"]
    assert isinstance(years, QSpinBox) and years.maximum() == 50  # 51 years cannot be typed


def test_host_model_cost_with_undo(window: MainWindow) -> None:
    window.scene.clearSelection()
    window.scene.cards["h1"].setSelected(True)
    window.editor.flush_selection()
    form = window.inspector.model_form
    cost = form.editors["cost"]
    assert isinstance(cost, QDoubleSpinBox) and cost.text() == "unknown"
    _type(form, "cost", 12000.0)
    _undo_redo(window, lambda: window.doc.plan.host_models[0].cost, None, 12000.0)


def test_dialogs_offer_the_new_fields(qtbot) -> None:
    names = {f.name for f in VM_FIELDS}
    assert {"profile", "os", "anti_affinity"} <= names
    dialog = ModelDialog(
        "New VM template",
        VM_FIELDS,
        build_vm,
        {"id": "t", "vcpu": 2, "ram_gb": 4, "profile": "constant", "os": "other"},
    )
    qtbot.addWidget(dialog)
    _choose(dialog.form, "os", "linux")
    _choose(dialog.form, "profile", "diurnal")
    assert dialog.result_model is not None
    assert (dialog.result_model.os, dialog.result_model.profile) == ("linux", "diurnal")
    dialog.form.editors["anti_affinity"].setText("#x")  # type: ignore[attr-defined]
    assert dialog.result_model is None and "anti_affinity" in dialog.form.error.text()
    assert "cost" in {f.name for f in HOST_MODEL_FIELDS}


def test_plan_values_set_again_replace_half_typed_text_and_keep_the_rest(qtbot, window) -> None:
    """The inspector sets the plan's values after every change of the plan; an editor that
    shows its value already is left as it is, one showing something else is reset."""
    form = window.inspector.plan_form
    name = form.editors["name"]
    failover = form.editors["failover_hosts"]
    overhead = form.editors["vm_overhead_mb"]
    assert isinstance(name, QLineEdit) and isinstance(failover, QSpinBox)
    assert isinstance(overhead, QDoubleSpinBox)
    shown = (name.text(), failover.text(), overhead.text())
    failover.lineEdit().setText("")  # half-typed: the spin box's value is still the plan's
    name.setText(name.text() + "x")
    window.doc.push(ReplacePlanCommand(window.doc, "same", window.doc.plan.model_copy()))
    assert (name.text(), failover.text(), overhead.text()) == shown
    assert name.cursorPosition() == 0
    window.doc.undo_stack.setClean()
