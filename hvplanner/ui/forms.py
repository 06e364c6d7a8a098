"""Forms for VMs and host models: typed editors with units, validated by the plan's model.

The pydantic model is the only validator: a form collects values, the model accepts or
names the field that is wrong, and the form shows that message.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from hvplanner.formats.planfile import describe_validation_error
from hvplanner.model.plan import (
    BUILTIN_WORKLOADS,
    MAX_DISK_GB,
    MAX_NIC_MBPS,
    MAX_RAM_GB,
    MAX_VCPU,
    VM,
    HostModel,
)
from hvplanner.ui.i18n import QT_TRANSLATE_NOOP, translate
from hvplanner.ui.theme import theme

M = TypeVar("M", bound=BaseModel)


def _tr(text: str) -> str:
    """A field's label, unit, tip or special text, marked in the "Forms" context."""
    return translate("Forms", text) if text else ""


# The texts of a Field are marked with QT_TRANSLATE_NOOP("Forms", …) where it is declared
# and translated by the form that shows it.
@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: str  # "text", "int", "float", "optional", "bool", "choice"
    unit: str = ""
    low: float = 0
    high: float = 1e9
    decimals: int = 2
    tip: str = ""
    special: str = ""  # what the field's lowest value means, shown instead of it
    one: str = ""  # the unit after a count of 1 ("VM" where `unit` is "VMs")
    choices: tuple[tuple[str, object], ...] = ()  # "choice": (label, value) pairs


GUEST_OS_CHOICES: tuple[tuple[str, object], ...] = (
    (QT_TRANSLATE_NOOP("Forms", "Windows Server"), "windows-server"),
    (QT_TRANSLATE_NOOP("Forms", "Windows client"), "windows-client"),
    (QT_TRANSLATE_NOOP("Forms", "Linux"), "linux"),
    (QT_TRANSLATE_NOOP("Forms", "Other"), "other"),
)

VM_FIELDS: Sequence[Field] = (
    Field(
        "id",
        QT_TRANSLATE_NOOP("Forms", "Id"),
        "text",
        tip=QT_TRANSLATE_NOOP("Forms", "unique in the plan; no '#'"),
    ),
    Field("name", QT_TRANSLATE_NOOP("Forms", "Name"), "text"),
    Field(
        "count",
        QT_TRANSLATE_NOOP("Forms", "Count"),
        "int",
        QT_TRANSLATE_NOOP("Forms", "VMs"),
        1,
        1_000_000,
        tip=QT_TRANSLATE_NOOP("Forms", "identical VMs in this entry"),
        one=QT_TRANSLATE_NOOP("Forms", "VM"),
    ),
    Field(
        "vcpu",
        QT_TRANSLATE_NOOP("Forms", "vCPUs"),
        "int",
        QT_TRANSLATE_NOOP("Forms", "vCPUs"),
        1,
        MAX_VCPU,
        one=QT_TRANSLATE_NOOP("Forms", "vCPU"),
    ),
    Field(
        "ram_gb",
        QT_TRANSLATE_NOOP("Forms", "RAM"),
        "float",
        QT_TRANSLATE_NOOP("Forms", "GB"),
        0.01,
        MAX_RAM_GB,
    ),
    Field(
        "disk_gb",
        QT_TRANSLATE_NOOP("Forms", "Disk"),
        "float",
        QT_TRANSLATE_NOOP("Forms", "GB"),
        0,
        MAX_DISK_GB,
    ),
    Field(
        "nic_mbps",
        QT_TRANSLATE_NOOP("Forms", "Network"),
        "float",
        QT_TRANSLATE_NOOP("Forms", "Mbps"),
        0,
        MAX_NIC_MBPS,
        special=QT_TRANSLATE_NOOP("Forms", "none"),
    ),
    Field(
        "cpu_mhz",
        QT_TRANSLATE_NOOP("Forms", "Peak CPU"),
        "optional",
        QT_TRANSLATE_NOOP("Forms", "MHz"),
        0,
        10_000_000,
        0,
        QT_TRANSLATE_NOOP("Forms", "0: size by vCPUs"),
        QT_TRANSLATE_NOOP("Forms", "by vCPUs"),
    ),
    Field(
        "profile",
        QT_TRANSLATE_NOOP("Forms", "Workload"),
        "choice",
        tip=QT_TRANSLATE_NOOP("Forms", "how busy the VM is over time in the simulation"),
        choices=tuple((w, w) for w in BUILTIN_WORKLOADS if w != "measured"),
    ),
    Field(
        "os",
        QT_TRANSLATE_NOOP("Forms", "Guest OS"),
        "choice",
        tip=QT_TRANSLATE_NOOP(
            "Forms", "decides guest licensing (Windows Server is licensed per host core)"
        ),
        choices=GUEST_OS_CHOICES,
    ),
    Field(
        "anti_affinity",
        QT_TRANSLATE_NOOP("Forms", "Anti-affinity group"),
        "text",
        tip=QT_TRANSLATE_NOOP("Forms", "VMs of one group are kept on different hosts; empty: none"),
    ),
)

HOST_MODEL_FIELDS: Sequence[Field] = (
    Field("id", QT_TRANSLATE_NOOP("Forms", "Id"), "text"),
    Field("name", QT_TRANSLATE_NOOP("Forms", "Name"), "text"),
    Field("sockets", QT_TRANSLATE_NOOP("Forms", "Sockets"), "int", "", 1, 64),
    Field("cores_per_socket", QT_TRANSLATE_NOOP("Forms", "Cores per socket"), "int", "", 1, 1024),
    Field("threads_per_core", QT_TRANSLATE_NOOP("Forms", "Threads per core"), "int", "", 1, 8),
    Field(
        "ghz",
        QT_TRANSLATE_NOOP("Forms", "Clock"),
        "float",
        QT_TRANSLATE_NOOP("Forms", "GHz"),
        0.1,
        10,
    ),
    Field(
        "ram_gb",
        QT_TRANSLATE_NOOP("Forms", "RAM"),
        "float",
        QT_TRANSLATE_NOOP("Forms", "GB"),
        0.5,
        MAX_RAM_GB,
    ),
    Field("nic_count", QT_TRANSLATE_NOOP("Forms", "NICs"), "int", "", 0, 256),
    Field(
        "nic_gbps",
        QT_TRANSLATE_NOOP("Forms", "NIC speed"),
        "float",
        QT_TRANSLATE_NOOP("Forms", "Gbps"),
        0.01,
        10_000,
    ),
    Field(
        "disk_gb",
        QT_TRANSLATE_NOOP("Forms", "Local disk"),
        "float",
        QT_TRANSLATE_NOOP("Forms", "GB"),
        0,
        MAX_DISK_GB,
        0,
        QT_TRANSLATE_NOOP("Forms", "0: shared storage (SAN)"),
    ),
    Field(
        "cost",
        QT_TRANSLATE_NOOP("Forms", "Cost per host"),
        "optional",
        "",
        -1,
        1e9,
        2,
        QT_TRANSLATE_NOOP(
            "Forms",
            "price of one host of this model, in any one currency; unknown: no cost figures",
        ),
        QT_TRANSLATE_NOOP("Forms", "unknown"),
    ),
)


def vm_values(vm: VM) -> dict[str, Any]:
    return vm.model_dump()


def host_model_values(m: HostModel) -> dict[str, Any]:
    data = m.model_dump()
    data["nic_count"] = m.nics[0].count if m.nics else 0
    data["nic_gbps"] = m.nics[0].gbps if m.nics else 1.0
    return data


def build_vm(values: dict[str, Any], base: VM | None = None) -> VM:
    data = base.model_dump() if base else {}
    data.update(values)
    if not data.get("cpu_mhz"):
        data["cpu_mhz"] = None
    if not (data.get("anti_affinity") or "").strip():
        data["anti_affinity"] = None
    if data.get("host") == "":
        data["host"] = None
    return VM.model_validate(data)


def build_host_model(values: dict[str, Any], base: HostModel | None = None) -> HostModel:
    data = base.model_dump() if base else {}
    data.update(values)
    count = int(data.pop("nic_count", 0))
    gbps = float(data.pop("nic_gbps", 1.0))
    rest = list(base.nics[1:]) if base else []
    data["nics"] = ([{"count": count, "gbps": gbps}] if count else []) + [
        g.model_dump() for g in rest
    ]
    return HostModel.model_validate(data)


def _count_suffix(spin: QSpinBox, f: Field, value: int) -> None:
    suffix = " " + _tr(f.one if value == 1 else f.unit)
    if spin.suffix() != suffix:  # setting it lays the form out again, equal or not
        spin.setSuffix(suffix)


def _line_shows(ed: QLineEdit, text: str) -> bool:
    """Whether `setText(text)` and the cursor at 0 would change nothing in `ed`."""
    return (
        ed.text() == text
        and ed.cursorPosition() == 0
        and not ed.hasSelectedText()
        and not ed.isModified()
        and not ed.isUndoAvailable()
        and not ed.isRedoAvailable()
    )


def _spin_shows(ed: QSpinBox | QDoubleSpinBox, value: float) -> bool:
    """Whether `setValue(value)` would change nothing in `ed`: the value, and the text it
    shows for it (a half-typed text is replaced)."""
    if ed.value() != value:
        return False
    if ed.specialValueText() and value == ed.minimum():
        shown = ed.specialValueText()
    else:
        shown = ed.prefix() + ed.textFromValue(value) + ed.suffix()  # type: ignore[arg-type]
    return ed.text() == shown


class TrimmedSpinBox(QDoubleSpinBox):
    """Shows 8 as "8", not "8.00": the decimals are how finely a value can be typed, not
    how precisely it is known."""

    def textFromValue(self, value: float) -> str:
        text = super().textFromValue(value)
        point = self.locale().decimalPoint()
        if point in text:
            text = text.rstrip("0").removesuffix(point)
        return text


class ModelForm(QWidget):
    """Signals:
    edited(): a field was changed and left (editing finished).
    """

    edited = Signal()

    def __init__(self, fields: Sequence[Field], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fields = {f.name: f for f in fields}
        self.editors: dict[str, QWidget] = {}
        layout = QFormLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for f in fields:
            editor = self._editor(f)
            label, unit = _tr(f.label), _tr(f.unit)
            if f.tip:
                editor.setToolTip(_tr(f.tip))
                editor.setAccessibleDescription(_tr(f.tip))
            # The label names the field for a screen reader too (with its unit, if any).
            editor.setAccessibleName(
                translate("Forms", "{label} ({unit})").format(label=label, unit=unit)
                if unit
                else label
            )
            editor.setObjectName(f.name)
            self.editors[f.name] = editor
            layout.addRow(label, editor)
        self.error = QLabel()
        self.error.setWordWrap(True)
        theme().colour_label(self.error, "error")
        self.error.hide()
        layout.addRow(self.error)

    def _editor(self, f: Field) -> QWidget:
        if f.kind == "text":
            line = QLineEdit()
            line.editingFinished.connect(self.edited)
            return line
        if f.kind == "bool":
            box = QCheckBox()
            box.toggled.connect(self.edited)
            return box
        if f.kind == "choice":
            combo = QComboBox()
            for label, value in f.choices:
                combo.addItem(_tr(label), value)
            combo.activated.connect(lambda _i: self.edited.emit())
            return combo
        if f.kind == "int":
            spin = QSpinBox()
            spin.setRange(int(f.low), int(min(f.high, 2**31 - 1)))
            spin.setGroupSeparatorShown(True)
            if f.unit:
                spin.setSuffix(" " + _tr(f.unit))
            if f.one:
                spin.valueChanged.connect(lambda v, s=spin, f=f: _count_suffix(s, f, v))
            spin.setKeyboardTracking(False)
            spin.editingFinished.connect(self.edited)
            return spin
        dspin = TrimmedSpinBox()
        dspin.setDecimals(f.decimals)
        dspin.setRange(f.low, f.high)
        dspin.setGroupSeparatorShown(True)
        if f.unit:
            dspin.setSuffix(" " + _tr(f.unit))
        if f.special:
            dspin.setSpecialValueText(_tr(f.special))
        dspin.setKeyboardTracking(False)
        dspin.editingFinished.connect(self.edited)
        return dspin

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, ed in self.editors.items():
            if isinstance(ed, QLineEdit):
                out[name] = ed.text()
            elif isinstance(ed, QCheckBox):
                out[name] = ed.isChecked()
            elif isinstance(ed, QSpinBox):
                out[name] = ed.value()
            elif isinstance(ed, QComboBox):
                out[name] = ed.currentData()
            elif isinstance(ed, QDoubleSpinBox):
                v = ed.value()
                # An optional field's lowest value is its "none" (shown as the special text).
                optional = self.fields[name].kind == "optional"
                out[name] = (None if v <= ed.minimum() else v) if optional else v
        return out

    def set_choices(self, name: str, choices: Sequence[tuple[str, object]]) -> None:
        """Replaces a choice field's options (the plan's workloads, its hosts)."""
        combo = self.editors[name]
        assert isinstance(combo, QComboBox)
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        for label, value in choices:
            combo.addItem(label, value)
        combo.setCurrentIndex(max(combo.findData(current), 0))
        combo.blockSignals(False)

    def set_values(self, values: dict[str, Any]) -> None:
        # An editor that shows its value already is left alone: a spin box repaints at
        # every setValue and a line edit at every setText, equal or not, and the
        # inspector sets the plan's values again after every change of the plan.
        for name, ed in self.editors.items():
            v = values.get(name)
            ed.blockSignals(True)
            if isinstance(ed, QLineEdit):
                text = "" if v is None else str(v)
                if not _line_shows(ed, text):
                    ed.setText(text)
                    ed.setCursorPosition(0)
            elif isinstance(ed, QCheckBox):
                ed.setChecked(bool(v))
            elif isinstance(ed, QSpinBox):
                value = int(v or 0)
                if not _spin_shows(ed, value):
                    ed.setValue(value)
                if self.fields[name].one:
                    _count_suffix(ed, self.fields[name], ed.value())
            elif isinstance(ed, QComboBox):
                i = ed.findData(v)
                if i < 0 and v is not None:  # a value the options lack: shown, not lost
                    ed.addItem(str(v), v)
                    i = ed.count() - 1
                ed.setCurrentIndex(max(i, 0))
            elif isinstance(ed, QDoubleSpinBox):
                number = ed.minimum() if v is None else float(v)
                if not _spin_shows(ed, number):
                    ed.setValue(number)
            ed.blockSignals(False)
        self.show_error("")

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))


def validation_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return describe_validation_error(exc)
    return str(exc)


class ModelDialog(QDialog, Generic[M]):
    """A form in a dialog whose OK button works only while the values make a valid model."""

    def __init__(
        self,
        title: str,
        fields: Sequence[Field],
        build: Callable[[dict[str, Any]], M],
        initial: dict[str, Any],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self._build = build
        self.result_model: M | None = None
        self.form = ModelForm(fields)
        self.form.set_values(initial)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(self.buttons)
        for ed in self.form.editors.values():
            signal = (
                getattr(ed, "textChanged", None)
                or getattr(ed, "valueChanged", None)
                or getattr(ed, "currentIndexChanged", None)
            )
            if signal is not None:
                signal.connect(self._validate)
        self._validate()

    def _validate(self) -> None:
        try:
            self.result_model = self._build(self.form.values())
        except (ValidationError, ValueError) as exc:
            self.result_model = None
            self.form.show_error(validation_text(exc))
        else:
            self.form.show_error("")
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(self.result_model is not None)
