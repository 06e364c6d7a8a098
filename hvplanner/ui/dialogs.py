"""Every question the window asks the user, behind one object that tests replace."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QInputDialog,
    QMessageBox,
    QWidget,
)

from hvplanner.errors import echo
from hvplanner.formats.planfile import PLAN_SUFFIX
from hvplanner.model.plan import MAX_VM_COUNT, VM, HostModel
from hvplanner.ui.forms import (
    HOST_MODEL_FIELDS,
    VM_FIELDS,
    ModelDialog,
    build_host_model,
    build_vm,
    host_model_values,
)
from hvplanner.ui.i18n import QT_TRANSLATE_NOOP, fmt, translate

if TYPE_CHECKING:
    from hvplanner.formats.inventory import ImportResult
    from hvplanner.ui.document import PlanDocument
    from hvplanner.ui.exchange_dialogs import Parse


def plan_filter() -> str:
    return translate(
        "Asker", "hvplanner plans (*{suffix});;JSON files (*.json);;All files (*)"
    ).format(suffix=PLAN_SUFFIX)


def inventory_filter() -> str:
    return translate(
        "Asker",
        "Inventories (*.csv *.tsv *.txt *.xlsx *.json *.xml);;CSV files (*.csv *.txt *.tsv);;"
        "Excel workbooks (*.xlsx);;All files (*)",
    )


Answer = Literal["save", "discard", "cancel"]
ExportKind = Literal["pdf", "json", "csv"]
# The dialog's title, the suffix and the file filter; the texts translated in "Asker".
EXPORTS: dict[ExportKind, tuple[str, str, str]] = {
    "pdf": (
        QT_TRANSLATE_NOOP("Asker", "Export PDF report"),
        ".pdf",
        QT_TRANSLATE_NOOP("Asker", "PDF files (*.pdf)"),
    ),
    "json": (
        QT_TRANSLATE_NOOP("Asker", "Export plan and results as JSON"),
        ".json",
        QT_TRANSLATE_NOOP("Asker", "JSON files (*.json)"),
    ),
    "csv": (
        QT_TRANSLATE_NOOP("Asker", "Export VM inventory as CSV"),
        ".csv",
        QT_TRANSLATE_NOOP("Asker", "CSV files (*.csv)"),
    ),
}


def save_changes_box(name: str, parent: QWidget | None = None) -> QMessageBox:
    """Save / Discard / Cancel, each with a mnemonic; Cancel is the default and Escape, so
    that a stray Enter or Escape never loses work."""
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        translate("Asker", "Unsaved changes"),
        translate("Asker", "Save the changes to “{name}” before closing it?").format(name=name),
        QMessageBox.StandardButton.NoButton,
        parent,
    )
    box.setInformativeText(
        translate("Asker", "Discard loses every change since the plan was last saved.")
    )
    box.addButton(translate("Asker", "&Save"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(translate("Asker", "&Discard"), QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(translate("Asker", "&Cancel"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    return box


def outside_series_box(plan: Path, paths: list[Path], parent: QWidget | None) -> QMessageBox:
    """Read / Don't read, with Don't read the default and Escape: a stray Enter reads
    nothing the user did not agree to."""
    if len(paths) == 1:
        text = translate(
            "OutsideSeries", "This plan reads {path} outside its folder. Read it?"
        ).format(path=echo(paths[0], 200))
    else:
        listed = "\n".join(echo(p, 200) for p in paths[:10])
        more = (
            "\n" + translate("OutsideSeries", "… and {n} more").format(n=fmt(len(paths) - 10))
            if len(paths) > 10
            else ""
        )
        text = translate(
            "OutsideSeries", "This plan reads {n} files outside its folder:\n{files}\nRead them?"
        ).format(n=fmt(len(paths)), files=listed + more)
    box = QMessageBox(
        QMessageBox.Icon.Question,
        translate("OutsideSeries", "Series outside the plan's folder"),
        text,
        QMessageBox.StandardButton.NoButton,
        parent,
    )
    box.setTextFormat(Qt.TextFormat.PlainText)
    # Plain text too: a path is shown as typed, never as markup.
    box.setInformativeText(
        translate(
            "OutsideSeries",
            "The plan {plan} names measured series outside the folder it is in. "
            "A plan from elsewhere can name any file; read it only if you expect this plan "
            "to use it. The answer holds for this plan until hvplanner quits.",
        ).format(plan=echo(plan, 200))
    )
    read = box.addButton(translate("OutsideSeries", "&Read"), QMessageBox.ButtonRole.AcceptRole)
    skip = box.addButton(
        translate("OutsideSeries", "&Don't read"), QMessageBox.ButtonRole.RejectRole
    )
    read.setObjectName("read")
    skip.setObjectName("dont-read")
    box.setDefaultButton(skip)
    box.setEscapeButton(skip)
    return box


class Asker:
    def __init__(self, parent: QWidget | None = None) -> None:
        self.parent = parent

    def save_changes(self, name: str) -> Answer:
        box = save_changes_box(name, self.parent)
        box.exec()
        clicked = box.clickedButton()
        role = box.buttonRole(clicked) if clicked is not None else None
        box.deleteLater()
        if role == QMessageBox.ButtonRole.AcceptRole:
            return "save"
        if role == QMessageBox.ButtonRole.DestructiveRole:
            return "discard"
        return "cancel"

    def offer_import(self, path: Path) -> bool:
        """A file given to File ▸ Open that is an inventory: import it instead?"""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            translate("Asker", "Not a plan file"),
            translate(
                "Asker", "“{file}” looks like a VM inventory (a CSV table), not a plan."
            ).format(file=path.name),
            QMessageBox.StandardButton.NoButton,
            self.parent,
        )
        box.setInformativeText(
            translate(
                "Asker",
                "File ▸ Open reads plans (*.hvplan.json); VM inventories and RVTools vInfo "
                "exports are read with File ▸ Import VMs. Import its VMs into this plan now?",
            )
        )
        yes = box.addButton(translate("Asker", "&Import VMs…"), QMessageBox.ButtonRole.AcceptRole)
        no = box.addButton(translate("Asker", "&Cancel"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(yes)
        box.setEscapeButton(no)
        box.exec()
        answer = box.clickedButton() is yes
        box.deleteLater()
        return answer

    def read_outside(self, plan: Path, paths: list[Path]) -> bool:
        """The plan names series files outside its folder: read them? (asked once per plan
        and file while the application runs)."""
        box = outside_series_box(plan, paths, self.parent)
        box.exec()
        answer = box.buttonRole(box.clickedButton()) == QMessageBox.ButtonRole.AcceptRole
        box.deleteLater()
        return answer

    def open_path(self, folder: str) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(
            self.parent, translate("Asker", "Open plan"), folder, plan_filter()
        )
        return Path(name) if name else None

    def save_path(self, suggestion: str) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(
            self.parent, translate("Asker", "Save plan as"), suggestion, plan_filter()
        )
        if not name:
            return None
        if not name.endswith(".json"):
            name += PLAN_SUFFIX
        return Path(name)

    def error(self, title: str, text: str) -> None:
        QMessageBox.critical(self.parent, title, text)

    def recover(self, source: Path | None) -> bool:
        question = (
            translate(
                "Asker",
                "hvplanner did not close normally last time. Recover the unsaved changes "
                "of {file}?",
            ).format(file=source.name)
            if source
            else translate(
                "Asker", "hvplanner did not close normally last time. Recover the unsaved changes?"
            )
        )
        box = QMessageBox.question(
            self.parent,
            translate("Asker", "Recover unsaved work"),
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes,
        )
        return box == QMessageBox.StandardButton.Yes

    def count(self, template: VM) -> int | None:
        n, ok = QInputDialog.getInt(
            self.parent,
            translate("Asker", "How many VMs?"),
            translate("Asker", "Number of “{template}” VMs:").format(template=template.label),
            10,
            1,
            MAX_VM_COUNT,
        )
        return n if ok else None

    def host_count(self, default: int) -> int | None:
        n, ok = QInputDialog.getInt(
            self.parent,
            translate("Asker", "Add hosts"),
            translate("Asker", "Hosts to add:"),
            default,
            1,
            10_000,
        )
        return n if ok else None

    def new_host_model(self, taken: set[str]) -> HostModel | None:
        initial = {"id": "new-model", "name": "", "sockets": 2, "cores_per_socket": 8}
        initial |= {"threads_per_core": 2, "ghz": 2.4, "ram_gb": 256, "nic_count": 2}
        initial |= {"nic_gbps": 10, "disk_gb": 0}

        def build(values: dict[str, object]) -> HostModel:
            if values.get("id") in taken:
                raise ValueError(
                    translate("Asker", "id: a host model {id!r} is already in the plan").format(
                        id=values["id"]
                    )
                )
            return build_host_model(values)

        dialog = ModelDialog(
            translate("Asker", "New host model"), HOST_MODEL_FIELDS, build, initial, self.parent
        )
        return dialog.result_model if dialog.exec() else None

    def new_template(self) -> VM | None:
        initial = {"id": "template", "name": "", "count": 1, "vcpu": 2, "ram_gb": 4}
        initial |= {"disk_gb": 60, "nic_mbps": 100, "cpu_mhz": None}
        initial |= {"profile": "constant", "os": "other", "anti_affinity": ""}
        dialog = ModelDialog(
            translate("Asker", "New VM template"), VM_FIELDS, build_vm, initial, self.parent
        )
        return dialog.result_model if dialog.exec() else None

    def fail_time(self, host: str, days: float, minute: float) -> float | None:
        """When `host` fails in the what-if: the minute from the start, or None (cancelled)."""
        from hvplanner.ui.failtime import FailTimeDialog

        dialog = FailTimeDialog(host, days, minute, self.parent)
        try:
            return dialog.minute() if dialog.exec() else None
        finally:
            dialog.deleteLater()

    def choose_host(self, doc: PlanDocument, vm_ids: list[str]) -> str | None:
        """The host to move these VMs to ("" for the unplaced tray), or None (cancelled)."""
        from hvplanner.ui.movehost import MoveToHostDialog

        dialog = MoveToHostDialog(doc, vm_ids, self.parent)
        try:
            return dialog.chosen if dialog.exec() else None
        finally:
            dialog.deleteLater()

    def import_path(self, folder: str) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(
            self.parent,
            translate("Asker", "Import VMs from an inventory (RVTools, Hyper-V, Proxmox…)"),
            folder,
            inventory_filter(),
        )
        return Path(name) if name else None

    def preview_import(
        self, source: str, first: ImportResult, parse: Parse, extra: Sequence[str] = ()
    ) -> ImportResult | None:
        from hvplanner.ui.exchange_dialogs import ImportPreviewDialog

        dialog = ImportPreviewDialog(source, first, parse, self.parent, consolidation=extra)
        try:
            return dialog.current if dialog.exec() else None
        finally:
            dialog.deleteLater()

    def export_path(self, kind: ExportKind, suggestion: str) -> Path | None:
        title, suffix, pattern = EXPORTS[kind]
        name, _ = QFileDialog.getSaveFileName(
            self.parent,
            translate("Asker", title),
            suggestion,
            translate("Asker", "{pattern};;All files (*)").format(
                pattern=translate("Asker", pattern)
            ),
        )
        if not name:
            return None
        if "." not in Path(name).name:
            name += suffix
        return Path(name)

    def pdf_options(self, page: str, author: str) -> tuple[str, str] | None:
        from hvplanner.ui.exchange_dialogs import PdfOptionsDialog

        dialog = PdfOptionsDialog(page, author, self.parent)
        try:
            return dialog.values() if dialog.exec() else None
        finally:
            dialog.deleteLater()


__all__ = ["Answer", "Asker", "ExportKind", "host_model_values"]
