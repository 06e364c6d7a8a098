"""File ▸ Import… and File ▸ Export ▸ PDF / JSON / CSV for the main window.

The figures come from `engine.report` and the files from `formats`; this module only asks,
shows progress and reports. Every file is written beside its target and renamed into
place, so a failed or cancelled export leaves the previous file as it was.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QProgressDialog, QWidget

from hvplanner.engine.report import full_report
from hvplanner.formats.inventory import (
    ImportResult,
    InventoryError,
)
from hvplanner.formats.planfile import PLAN_SUFFIX
from hvplanner.model.plan import Plan
from hvplanner.ui.background import BackgroundTask, ProgressFn
from hvplanner.ui.commands import ImportVMsCommand
from hvplanner.ui.dialogs import Asker, ExportKind
from hvplanner.ui.i18n import fmt, plural, translate
from hvplanner.ui.utilization.series import allowed_outside

if TYPE_CHECKING:
    from hvplanner.ui.session import PlanSession

PdfReportBuilder = Callable[..., object]
"""`engine.report.full_report`: what the worker runs for a PDF (pure computation)."""


def report_extras(session: PlanSession) -> dict[str, object]:
    """What the session knows beyond the plan: the workstation check and the failure what-if."""
    from hvplanner.model.report import ReadinessRow

    extras: dict[str, object] = {}
    verdicts = getattr(session.readiness_report, "verdicts", None)
    if verdicts:
        extras["readiness"] = [
            ReadinessRow(hypervisor=v.title, status=v.status, reasons="; ".join(v.reasons))
            for v in verdicts.values()
        ]
    live = session.live.live
    if live is not None and live.failed_hosts:
        extras["failure"] = (list(live.failed_hosts), live.fail_minute)
    return extras


class _CancelledError(Exception):
    pass


def _measured(plan: Plan, where: Path | None, allowed: frozenset[Path]) -> dict[str, object]:
    """The measured workloads' series, read in the worker (a file may be slow to read);
    `allowed`: the files outside the plan's folder that the user agreed to read."""
    if not any(w.kind == "measured" for w in plan.workloads):
        return {}
    from hvplanner.errors import InputError
    from hvplanner.formats.measured import load_plan_series

    if where is None:
        raise InputError(
            translate(
                "ExchangeActions", "measured workloads need the plan saved next to their CSV files"
            )
        )
    return dict(load_plan_series(plan, where, allow_outside=allowed))


def _why(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        where = f"{exc.filename}: " if exc.filename else ""
        return f"{where}{exc.strerror or exc}"
    return str(exc) or type(exc).__name__


class ExchangeActions(QObject):
    def __init__(
        self, session: PlanSession, asker: Asker, settings: QSettings, owner: QWidget
    ) -> None:
        super().__init__(owner)
        self.session = session
        self.doc = session.doc
        self.asker = asker
        self.settings = settings
        self.owner = owner  # parents the progress dialog and holds the actions' shortcuts
        self.task = BackgroundTask(self)
        self.progress: QProgressDialog | None = None
        self.build_pdf_report: PdfReportBuilder = full_report
        self._done_message = ""

        self.act_import = self._action(
            translate("ExchangeActions", "&Import VMs…"),
            self.import_inventory,
            "Ctrl+I",
            translate(
                "ExchangeActions",
                "Add VMs from an inventory: RVTools, Hyper-V or PowerCLI CSV, Proxmox, libvirt, "
                "Azure Migrate or a plain CSV (with a preview)",
            ),
        )
        self.act_pdf = self._action(
            translate("ExchangeActions", "&PDF Report…"),
            self.export_pdf,
            None,
            translate("ExchangeActions", "A printable report of the plan and its sizing"),
        )
        self.act_json = self._action(
            translate("ExchangeActions", "&JSON (Plan and Results)…"),
            self.export_json,
            None,
            translate("ExchangeActions", "The plan with its sizing and placement, for other tools"),
        )
        self.act_csv = self._action(
            translate("ExchangeActions", "&CSV (VM Inventory)…"),
            self.export_csv,
            None,
            translate(
                "ExchangeActions", "One row per VM entry with its host; File ▸ Import reads it back"
            ),
        )
        self.task.progressed.connect(self._progressed)
        self.task.finished.connect(lambda _r: self._over(self._done_message))
        self.task.failed.connect(self._failed)
        self.task.cancelled.connect(
            lambda: self._over(
                translate("ExchangeActions", "Export cancelled; no file was written")
            )
        )
        # Reading an inventory has its own task: a million-row file takes seconds.
        self.import_task = BackgroundTask(self)
        self.import_progress: QProgressDialog | None = None
        self._import_context: tuple[Path, Plan] | None = None
        self.import_task.progressed.connect(self._import_progressed)
        self.import_task.finished.connect(self._import_parsed)
        self.import_task.failed.connect(self._import_failed)
        self.import_task.cancelled.connect(
            lambda: self._import_over(
                translate("ExchangeActions", "Import cancelled; the plan is unchanged")
            )
        )

    def _action(
        self, text: str, slot: Callable[[], object], shortcut: str | None, tip: str
    ) -> QAction:
        action = QAction(text, self.owner)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.setStatusTip(tip)
        action.setToolTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        self.owner.addAction(action)
        return action

    def add_to(self, menu: QMenu) -> None:
        menu.addAction(self.act_import)
        export = menu.addMenu(translate("ExchangeActions", "&Export"))
        export.addActions([self.act_pdf, self.act_json, self.act_csv])
        self.export_menu = export

    def shutdown(self) -> None:
        """The window is closing: stop a running export and wait, so no thread outlives it."""
        self.task.cancel()
        self.import_task.cancel()
        self.task.wait()
        self.task.cancel()  # a worker that completed meanwhile leaves no page-writing behind

    # --- helpers ---------------------------------------------------------------------------

    def _allowed_outside(self) -> frozenset[Path]:
        """Series files outside the plan's folder that the user agreed to read (asked here,
        on the GUI thread, if the window has not asked yet)."""
        if self.doc.path is None:
            return frozenset()
        try:
            return allowed_outside(self.doc.plan, self.doc.path, self.asker.read_outside)
        except (OSError, RuntimeError):  # the worker's read names what is wrong
            return frozenset()

    def _status(self, text: str) -> None:
        self.session.say(text, 10_000)

    def _folder(self, key: str) -> str:
        value = self.settings.value(key, "")
        if value:
            return str(value)
        path = self.doc.path
        return str(path.parent) if path else str(Path.home())

    def _suggestion(self, kind: ExportKind) -> str:
        path = self.doc.path
        if path is not None:
            stem = path.name.removesuffix(PLAN_SUFFIX).removesuffix(".json")
        else:
            stem = re.sub(r'[\\/:*?"<>|\s]+', "-", self.doc.plan.name).strip("-.")
        return str(Path(self._folder("export/folder")) / f"{stem or 'plan'}.{kind}")

    def _export_path(self, kind: ExportKind) -> Path | None:
        path = self.asker.export_path(kind, self._suggestion(kind))
        if path is not None:
            self.settings.setValue("export/folder", str(path.parent))
        return path

    # --- import ----------------------------------------------------------------------------

    def import_inventory(self, path: Path | None = None) -> None:
        """Asks for the file unless given one (a file dropped on the window), then reads it
        off the GUI thread with progress and Cancel; the preview opens when it is read."""
        path = path or self.asker.import_path(self._folder("import/folder"))
        if path is None:
            return
        self.settings.setValue("import/folder", str(path.parent))
        if self.import_task.running:
            self._status(translate("ExchangeActions", "An import is still being read"))
            return
        plan = self.doc.plan
        taken = {v.id for v in plan.vms}
        workloads = {w.name for w in plan.workloads}

        def job(progress: ProgressFn) -> object:
            return read_for_preview(path, taken, workloads, progress)

        self._import_context = (path, plan)
        self.import_task.start(job)
        self.import_progress = QProgressDialog(
            translate("ExchangeActions", "Reading {file}…").format(file=path.name),
            translate("ExchangeActions", "Cancel"),
            0,
            0,
            self.owner,
        )
        self.import_progress.setWindowTitle(translate("ExchangeActions", "Import VMs"))
        self.import_progress.setMinimumDuration(400)
        self.import_progress.setAutoReset(False)
        self.import_progress.setAutoClose(False)
        self.import_progress.canceled.connect(self.import_task.cancel)
        self.act_import.setEnabled(False)

    def _import_progressed(self, done: int, _total: int) -> None:
        if self.import_progress is not None and self._import_context is not None:
            name = self._import_context[0].name
            self.import_progress.setLabelText(
                translate("ExchangeActions", "Reading {file}… {n} rows").format(
                    file=name, n=fmt(done)
                )
            )

    def _import_over(self, message: str | None) -> None:
        if self.import_progress is not None:
            self.import_progress.reset()
            self.import_progress.deleteLater()
            self.import_progress = None
        self.act_import.setEnabled(True)
        if message:
            self._status(message)

    def _import_failed(self, exc: object) -> None:
        self._import_over(None)
        text = _why(exc) if isinstance(exc, BaseException) else str(exc)
        self.asker.error(translate("ExchangeActions", "Cannot import"), text)

    def _import_parsed(self, parsed: object) -> None:
        self._import_over(None)
        assert isinstance(parsed, Preview) and self._import_context is not None
        path, plan = self._import_context
        result = self.asker.preview_import(
            path.name, parsed.results[False], parsed.parse, extra=parsed.consolidation
        )
        if result is None or not result.vms:
            self._status(translate("ExchangeActions", "Import cancelled; the plan is unchanged"))
            return
        if self.doc.plan is not plan:
            self._status(
                translate("ExchangeActions", "The plan changed during the preview; import again")
            )
            return

        def command() -> ImportVMsCommand:
            return ImportVMsCommand(
                self.doc,
                result.vms,
                path.name,
                workloads=result.workloads,
                host_models=result.host_models,
                hosts=result.hosts,
                hypervisor=result.hypervisor if result.hypervisor_known else None,
            )

        if self.session.try_push(command):
            where = (
                translate("ExchangeActions", "on {hosts}").format(
                    hosts=plural(
                        len(result.hosts),
                        translate("ExchangeActions", "current host"),
                        translate("ExchangeActions", "current hosts"),
                    )
                )
                if result.hosts
                else translate("ExchangeActions", "into the unplaced tray")
            )
            vms = plural(
                len(result.vms),
                translate("ExchangeActions", "VM"),
                translate("ExchangeActions", "VMs"),
            )
            self._status(
                translate(
                    "ExchangeActions",
                    "Imported {vms} from {file} {where} (Undo removes them in one step)",
                ).format(vms=vms, file=path.name, where=where)
            )

    # --- exports ---------------------------------------------------------------------------

    def _start(
        self,
        label: str,
        job: Callable[[ProgressFn], object],
        done: str,
        then: Callable[[object], Iterator[tuple[int, int]]] | None = None,
    ) -> None:
        if not self.task.start(job, then):
            self._status(translate("ExchangeActions", "An export is still running"))
            return
        self._done_message = done
        self.progress = QProgressDialog(
            label, translate("ExchangeActions", "Cancel"), 0, 0, self.owner
        )
        self.progress.setWindowTitle(translate("ExchangeActions", "Export"))
        self.progress.setMinimumDuration(400)
        self.progress.setAutoReset(False)
        self.progress.setAutoClose(False)
        self.progress.canceled.connect(self.task.cancel)
        for act in (self.act_pdf, self.act_json):
            act.setEnabled(False)

    def _progressed(self, done: int, total: int) -> None:
        if self.progress is not None and total > 0:
            self.progress.setMaximum(total)
            self.progress.setValue(min(done, total))

    def _over(self, message: str) -> None:
        if self.progress is not None:
            self.progress.reset()
            self.progress.deleteLater()
            self.progress = None
        for act in (self.act_pdf, self.act_json):
            act.setEnabled(True)
        self._status(message)

    def _failed(self, exc: object) -> None:
        text = _why(exc) if isinstance(exc, BaseException) else str(exc)
        self._over(translate("ExchangeActions", "Export failed"))
        self.asker.error(translate("ExchangeActions", "Export failed"), text)

    def export_pdf(self) -> None:
        page = str(self.settings.value("export/pdf_page", "A4"))
        author = str(self.settings.value("export/pdf_author", ""))
        options = self.asker.pdf_options(page, author)
        if options is None:
            return
        page, author = options
        self.settings.setValue("export/pdf_page", page)
        self.settings.setValue("export/pdf_author", author)
        path = self._export_path("pdf")
        if path is None:
            return
        plan, build, where = self.doc.plan, self.build_pdf_report, self.doc.path
        extras = report_extras(self.session)
        allowed = self._allowed_outside()

        # The worker computes the Report (sizing, loads, simulation, charts: pure Python and
        # NumPy); the pages are painted here, on the GUI thread, one per turn of the event
        # loop. QPdfWriter and QTextDocument are QObjects, and a QObject (let alone a
        # QGraphicsScene) made in a worker can deadlock against the GUI thread in Qt's
        # signal-slot mutex while it holds the GIL.
        def job(progress: ProgressFn) -> object:
            measured = _measured(plan, where, allowed)
            return build(plan, measured=measured, progress=progress, **extras)

        def pages(report: object) -> Iterator[tuple[int, int]]:
            from hvplanner.formats.pdf_report import PdfSteps

            return iter(PdfSteps(report, path, page=page, author=author))  # type: ignore[arg-type]

        self._start(
            translate("ExchangeActions", "Writing the PDF report…"),
            job,
            translate("ExchangeActions", "PDF report written to {path}").format(path=path),
            pages,
        )

    def export_json(self) -> None:
        path = self._export_path("json")
        if path is None:
            return
        plan, where = self.doc.plan, self.doc.path
        allowed = self._allowed_outside()

        def job(progress: ProgressFn) -> object:
            from hvplanner.formats.exchange import export_json

            progress(0, 2)
            # Runs the placement: seconds on a large plan.
            report = full_report(plan, place=True, measured=_measured(plan, where, allowed))
            if not progress(1, 2):
                raise _CancelledError
            export_json(report, path)
            progress(2, 2)
            return None

        self._start(
            translate("ExchangeActions", "Sizing and placing for the export…"),
            job,
            translate("ExchangeActions", "Plan and results written to {path}").format(path=path),
        )

    def export_csv(self) -> None:
        from hvplanner.formats.inventory_export import write_inventory_csv

        path = self._export_path("csv")
        if path is None:
            return
        plan: Plan = self.doc.plan
        try:
            write_inventory_csv(plan, path)
        except OSError as exc:
            self.asker.error(translate("ExchangeActions", "Export failed"), _why(exc))
            return
        rows = plural(
            len(plan.vms), translate("ExchangeActions", "row"), translate("ExchangeActions", "rows")
        )
        self._status(
            translate("ExchangeActions", "VM inventory ({rows}) written to {path}").format(
                rows=rows, path=path
            )
        )


class Preview:
    """An inventory read both ways (without and with powered-off VMs), so ticking the
    preview's checkbox never reads the file again on the GUI thread."""

    def __init__(self, results: dict[bool, ImportResult], consolidation: list[str]) -> None:
        self.results = results
        self.consolidation = consolidation

    def parse(self, include_powered_off: bool) -> ImportResult:
        return self.results[include_powered_off]


def read_for_preview(
    path: Path, taken: set[str], workloads: set[str], progress: ProgressFn
) -> Preview:
    """Runs in the worker: reads the file (twice when it has powered-off VMs) and sizes the
    consolidation, reporting rows read; raises ImportCancelled when Cancel is pressed."""
    from hvplanner.catalog import load_catalog
    from hvplanner.engine.consolidation import consolidation_lines
    from hvplanner.formats.inventory import (
        import_consolidation,
        plan_head_from_import,
        read_inventory,
    )

    def tick(rows: int) -> bool:
        return progress(rows, 0)

    def read(include: bool) -> ImportResult:
        return read_inventory(
            path, include_powered_off=include, taken_ids=taken, workloads=workloads, progress=tick
        )

    first = read(False)
    with_off = first.model_copy(update={"powered_off_included": True})
    both = {False: first, True: read(True) if first.powered_off else with_off}
    lines: list[str] = []
    if first.hosts and first.vms:
        try:
            catalog = load_catalog()
            cons = import_consolidation(plan_head_from_import(first), first.vms, catalog.newest())
        except InventoryError:
            cons = None
        if cons is not None:
            lines = consolidation_lines(cons)
    return Preview(both, lines)
