"""File ▸ Import (preview, powered-off, one undo step) and File ▸ Export (PDF, JSON, CSV)."""

from __future__ import annotations

import gc
import json
import threading
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from hvplanner.formats.inventory import parse_inventory, read_inventory
from hvplanner.formats.planfile import load_plan
from hvplanner.ui.background import BackgroundTask
from hvplanner.ui.exchange_dialogs import ImportPreviewDialog, PdfOptionsDialog

DATA = Path(__file__).parents[1] / "formats" / "data"
RVTOOLS = DATA / "rvtools_vinfo.csv"


def _parse(include: bool):
    return parse_inventory(RVTOOLS.read_bytes(), RVTOOLS.name, include_powered_off=include)


@pytest.fixture
def preview(qtbot):
    dialog = ImportPreviewDialog(RVTOOLS.name, _parse(False), _parse)
    qtbot.addWidget(dialog)
    return dialog


def _column(model, col: int) -> list[str]:
    return [model.index(r, col).data() for r in range(model.rowCount())]


def test_preview_lists_rows_mapping_and_rejected_lines(preview, qtmodeltester) -> None:
    qtmodeltester.check(preview.rows_model)
    qtmodeltester.check(preview.rejected_model)
    assert preview.rows_model.rowCount() == 19
    assert preview.rows_model.headers == [
        "Line",
        "VM",
        "vCPU",
        "RAM GB",
        "Disk GB",
        "NIC Mbps",
        "OS",
        "Source host",
    ]
    first = [preview.rows_model.index(0, c).data() for c in range(8)]
    assert first == ["2", "dc01", "2", "4", "60", "0", "windows-server", "esx01.corp.example"]
    assert "web01-2" in _column(preview.rows_model, 1)
    lines, reasons = _column(preview.rejected_model, 0), _column(preview.rejected_model, 1)
    rejected = list(zip(lines, reasons, strict=True))
    assert ("17", "CPUs: empty") in rejected
    assert ("18", "Memory: 'abc' is not a number") in rejected
    assert len(rejected) == 5
    assert "VM name ← “VM”" in preview.mapping.text()
    assert "RAM ← “Memory”" in preview.mapping.text()
    assert "RVTools vInfo CSV" in preview.summary.text()
    assert preview.rejected_box.title() == "Rejected: 5 rows"
    assert preview.import_button.text() == "Import 19 rows"


def test_preview_rows_are_the_vms_with_their_source_lines(qtbot) -> None:
    text = (
        "VM,vCPUs,RAM GB,Disk GB,Count,Host\n"
        "web,2,4,40,,esx1\n"
        "web,2,4,40,3,esx2\n"
        "bad,x,4,40,,esx1\n"
        "db #1,8,32,500,,\n"
        "web,1,2,0.5,,esx1\n"
    )
    r = parse_inventory(text.encode(), "dup.csv")
    dialog = ImportPreviewDialog("dup.csv", r, lambda _include: r)
    qtbot.addWidget(dialog)
    model = dialog.rows_model
    shown = [[model.index(i, c).data() for c in range(8)] for i in range(model.rowCount())]
    assert shown == [
        ["2", "web", "2", "4", "40", "0", "other", "esx1"],
        ["3", "web-2 ×3", "2", "4", "40", "0", "other", "esx2"],
        ["5", "db -1", "8", "32", "500", "0", "other", ""],
        ["6", "web-3", "1", "2", "0.5", "0", "other", "esx1"],
    ]
    tips = [model.index(i, 1).data(Qt.ItemDataRole.ToolTipRole) for i in range(4)]
    assert tips[0] in (None, "")
    assert tips[1] == "“web” in the file; ids must be unique and hold no '#'"
    assert tips[2] == "“db #1” in the file; ids must be unique and hold no '#'"
    assert [v.id for v in r.vms] == ["web", "web-2", "db -1", "web-3"]
    assert dialog.summary.text().startswith("VM inventory CSV, comma-separated, 5 rows")
    assert "4 to import (6 VMs)" in dialog.summary.text()


def test_powered_off_checkbox_reparses_live(preview) -> None:
    assert "5 in the file" in preview.include_off.text()
    preview.include_off.setChecked(True)
    assert preview.rows_model.rowCount() == 24
    assert preview.current.powered_off_included
    assert preview.import_button.text() == "Import 24 rows"
    preview.include_off.setChecked(False)
    assert preview.rows_model.rowCount() == 19


def test_pdf_options_dialog(qtbot) -> None:
    dialog = PdfOptionsDialog("Letter", "Ops")
    qtbot.addWidget(dialog)
    assert dialog.values() == ("Letter", "Ops")
    dialog.page.setCurrentText("A4")
    dialog.author.setText("  Infra team ")
    assert dialog.values() == ("A4", "Infra team")


# --- the window ---------------------------------------------------------------------------


def _import(window, qtbot) -> None:
    """File ▸ Import reads the file off the GUI thread; the preview opens when it is read."""
    window.exchange.import_inventory()
    qtbot.waitUntil(lambda: not window.exchange.import_task.running, timeout=20_000)


def test_import_is_one_undo_step_with_unique_ids(window, asker, tmp_path, qtbot) -> None:
    before = window.doc.plan
    csv = tmp_path / "inv.csv"
    # "a" and "big" are taken in the plan; the import must not clash with them.
    csv.write_text("VM,vCPUs,RAM GB,Host\na,2,4,h1\nbig,1,2,\nnew,1,1,h2\n")
    asker.import_file = csv
    _import(window, qtbot)
    plan = window.doc.plan
    added = plan.vms[len(before.vms) :]
    assert [v.id for v in added] == ["a-2", "big-2", "new"]
    assert all(v.host is None for v in added)  # imported VMs land unplaced
    assert window.doc.undo_stack.count() == 1
    assert window.doc.undo_stack.text(0) == "Import 3 VMs from inv.csv"
    assert "Imported 3 VMs" in window.statusBar().currentMessage()
    window.doc.undo_stack.undo()
    assert window.doc.plan == before
    window.doc.undo_stack.redo()
    assert window.doc.plan == plan


def test_import_through_the_real_preview(window, asker, qtbot) -> None:
    asker.import_file = RVTOOLS

    def accept_with_powered_off(first, parse):
        dialog = ImportPreviewDialog(RVTOOLS.name, first, parse, window)
        qtbot.addWidget(dialog)
        dialog.include_off.setChecked(True)
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
        assert dialog.result() == ImportPreviewDialog.DialogCode.Accepted
        return dialog.current

    asker.preview_answer = accept_with_powered_off
    n_before = len(window.doc.plan.vms)
    _import(window, qtbot)
    assert len(window.doc.plan.vms) == n_before + 24
    assert window.doc.undo_stack.count() == 1
    window.doc.undo_stack.undo()
    assert len(window.doc.plan.vms) == n_before


def test_cancelled_preview_adds_nothing(window, asker, qtbot) -> None:
    before = window.doc.plan
    asker.import_file = RVTOOLS
    asker.preview_answer = lambda first, parse: None
    _import(window, qtbot)
    assert len(asker.previewed) == 1 and asker.previewed[0].imported == 19
    assert window.doc.plan is before
    assert window.doc.undo_stack.count() == 0
    assert "cancelled" in window.statusBar().currentMessage()


def test_unusable_file_is_reported_before_any_preview(window, asker, tmp_path, qtbot) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("just,some,columns\n1,2,3\n")
    asker.import_file = bad
    _import(window, qtbot)
    assert asker.previewed == []
    assert asker.errors and "missing column" in asker.errors[0][1]
    assert window.doc.undo_stack.count() == 0


def _wait_done(qtbot, window) -> None:
    qtbot.waitUntil(lambda: not window.exchange.task.running, timeout=20_000)


def test_export_pdf_json_csv(window, asker, qtbot, tmp_path) -> None:
    out = {k: tmp_path / f"plan.{k}" for k in ("pdf", "json", "csv")}
    asker.export_to = dict(out)
    asker.pdf_answer = ("Letter", "Infra team")

    window.exchange.export_pdf()
    _wait_done(qtbot, window)
    assert window.statusBar().currentMessage() == f"PDF report written to {out['pdf']}"
    # Extractors separate words with tabs or newlines; compare on single spaces.
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(out["pdf"]).pages).split())
    assert "Test plan" in text and "Infra team" in text
    box = PdfReader(out["pdf"]).pages[0].mediabox
    assert float(box.width) == pytest.approx(612, abs=1)  # Letter
    # The options are remembered for the next export.
    window.exchange.export_pdf()
    _wait_done(qtbot, window)
    assert asker.pdf_asked[-1] == ("Letter", "Infra team")

    window.exchange.export_json()
    _wait_done(qtbot, window)
    assert window.statusBar().currentMessage() == f"Plan and results written to {out['json']}"
    doc = json.loads(out["json"].read_text())
    assert doc["plan"]["name"] == "Test plan"
    assert doc["results"]["sizing"] is not None
    assert load_plan(out["json"]) == window.doc.plan

    window.exchange.export_csv()
    plan = window.doc.plan
    back = read_inventory(out["csv"], host_ids={h.id for h in plan.hosts})
    assert back.vms == plan.vms
    assert "VM inventory (5 rows) written to" in window.statusBar().currentMessage()
    assert asker.errors == []
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "plan.csv",
        "plan.json",
        "plan.pdf",
        "settings.ini",
    ]


def test_cancelled_pdf_export_keeps_the_previous_file(window, asker, qtbot, tmp_path) -> None:
    target = tmp_path / "report.pdf"
    target.write_bytes(b"previous report")
    asker.export_to = {"pdf": target}
    real = window.exchange.build_pdf_report
    gate = threading.Event()

    def held_builder(plan, *, progress, **kw):
        def slow_progress(done, total):
            if done == 1:
                gate.wait(10)  # hold the worker until the test has pressed Cancel
            return progress(done, total)

        return real(plan, progress=slow_progress, **kw)

    window.exchange.build_pdf_report = held_builder
    window.exchange.export_pdf()
    assert window.exchange.task.running
    window.exchange.progress.canceled.emit()  # what the dialog's Cancel button sends
    gate.set()
    _wait_done(qtbot, window)
    # Nothing the worker made may be left for the GUI thread to free (Qt warns if so).
    gc.collect()
    assert target.read_bytes() == b"previous report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.pdf", "settings.ini"]
    assert window.statusBar().currentMessage() == "Export cancelled; no file was written"
    assert window.exchange.progress is None
    assert window.exchange.act_pdf.isEnabled()


def test_failed_export_is_reported(window, asker, qtbot, tmp_path) -> None:
    asker.export_to = {
        "pdf": tmp_path / "no-such-folder" / "r.pdf",
        "csv": tmp_path / "x" / "r.csv",
    }
    window.exchange.export_pdf()
    _wait_done(qtbot, window)
    assert asker.errors[0][0] == "Export failed"
    assert "No such file or directory" in asker.errors[0][1]
    window.exchange.export_csv()
    assert len(asker.errors) == 2


def test_background_task_reports_result_failure_and_cancel(qtbot) -> None:
    task = BackgroundTask()
    with qtbot.waitSignal(task.finished, timeout=5000) as done:
        task.start(lambda progress: progress(1, 1) and 42)
    assert done.args == [42]
    with qtbot.waitSignal(task.failed, timeout=5000) as failed:
        task.start(lambda progress: 1 / 0)
    assert isinstance(failed.args[0], ZeroDivisionError)
    gate = threading.Event()

    def stoppable(progress):
        gate.wait(5)
        if not progress(0, 1):
            raise RuntimeError("stopped")
        return "not stopped"

    with qtbot.waitSignal(task.cancelled, timeout=5000):
        assert task.start(stoppable)
        assert not task.start(stoppable)  # one at a time
        task.cancel()
        gate.set()
    assert not task.running


def test_file_menu_has_import_and_export(window) -> None:
    file_menu = window.menuBar().actions()[0].menu()
    texts = [a.text() for a in file_menu.actions()]
    assert "&Import VMs…" in texts and "&Export" in texts
    export = window.exchange.export_menu
    assert [a.text() for a in export.actions()] == [
        "&PDF Report…",
        "&JSON (Plan and Results)…",
        "&CSV (VM Inventory)…",
    ]


def test_dropped_csv_goes_through_the_import_preview(window, asker, qtbot) -> None:
    asker.preview_answer = lambda first, parse: None
    window.canvas.files_dropped.emit([str(RVTOOLS)])
    qtbot.waitUntil(lambda: not window.exchange.import_task.running, timeout=20_000)
    assert [r.imported for r in asker.previewed] == [19]
    assert asker.errors == []


def test_window_pdf_includes_the_failure_what_if(window, asker, qtbot, tmp_path) -> None:
    from hvplanner.ui.utilization.source import LiveSource

    source = LiveSource.for_document(window.doc)
    source.refresh_now()
    source.fail(["h1"], 600)
    out = tmp_path / "what-if.pdf"
    asker.export_to = {"pdf": out}
    asker.pdf_answer = ("A4", "")
    window.exchange.export_pdf()
    _wait_done(qtbot, window)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(out).pages).split())
    assert "Host failure" in text
    assert "failed on day 1 at 10:00" in text


SOURCES = Path(__file__).parents[1] / "formats" / "data" / "sources"


def test_rvtools_workbook_preview_shows_tab_hosts_and_consolidation(window, asker, qtbot) -> None:
    asker.import_file = SOURCES / "rvtools.xlsx"
    seen = {}

    def accept(first, parse):
        dialog = ImportPreviewDialog("rvtools.xlsx", first, parse, window, consolidation=lines)
        qtbot.addWidget(dialog)
        seen["summary"] = dialog.summary.text()
        seen["tabs"] = dialog.tabs.text()
        seen["hosts"] = dialog.add_hosts.text()
        seen["hv"] = dialog.use_hypervisor.text()
        seen["row"] = dialog.rows_model.headers[0]
        seen["consolidation"] = dialog.consolidation.text()
        seen["visible"] = not dialog.consolidation_box.isHidden()
        return dialog.current

    lines: list[str] = []

    def answer(first, parse):
        lines.extend(asker.consolidations[-1])
        return accept(first, parse)

    asker.preview_answer = answer
    before = window.doc.plan
    _import(window, qtbot)
    assert seen["summary"].startswith("RVTools workbook, tab vInfo, 10 rows")
    assert seen["tabs"] == "Tab “vInfo” (also read: vHost, vDisk, vCPU, vMemory)"
    assert seen["hosts"].startswith("Add the 3 current hosts (2 host models)")
    assert seen["hv"].startswith("Set the plan's hypervisor to esxi@7.0 — ESX Version")
    assert seen["row"] == "Row"
    assert seen["consolidation"].startswith("consolidation: today 3 hosts")
    assert seen["visible"]
    plan = window.doc.plan
    assert plan.hypervisor == "esxi@7.0"
    assert len(plan.hosts) == len(before.hosts) + 3
    added = plan.vms[len(before.vms) :]
    assert len(added) == 7 and all(v.host for v in added)
    assert "on 3 current hosts" in window.statusBar().currentMessage()
    window.doc.undo_stack.undo()
    assert window.doc.plan == before


def test_unticking_hosts_and_hypervisor_imports_the_vms_unplaced(window, asker, qtbot) -> None:
    asker.import_file = SOURCES / "rvtools.xlsx"

    def untick(first, parse):
        dialog = ImportPreviewDialog("rvtools.xlsx", first, parse, window)
        qtbot.addWidget(dialog)
        dialog.add_hosts.setChecked(False)
        dialog.use_hypervisor.setChecked(False)
        return dialog.current

    asker.preview_answer = untick
    before = window.doc.plan
    _import(window, qtbot)
    plan = window.doc.plan
    assert plan.hypervisor == before.hypervisor and plan.hosts == before.hosts
    assert all(v.host is None for v in plan.vms[len(before.vms) :])
    # the measured utilisation came along as workloads the VMs refer to
    assert any(w.name.startswith("measured-cpu") for w in plan.workloads)


def test_reading_a_large_file_runs_off_the_gui_thread_and_cancels(
    window, asker, qtbot, tmp_path, monkeypatch
) -> None:
    import threading

    from hvplanner.ui import exchange as exchange_module

    big = tmp_path / "big.csv"
    big.write_text("name,vcpu,ram_gb\n" + "".join(f"vm{i},1,2\n" for i in range(200_000)))
    asker.import_file = big
    # On a fast machine the whole file is read before the test can press Cancel: the worker
    # is held after its first progress report until the click has been made.
    clicked = threading.Event()
    real_read = exchange_module.read_for_preview

    def held_read(path, taken, workloads, progress):
        def held(done: int, total: int) -> bool:
            keep_going = progress(done, total)
            clicked.wait(30)
            return keep_going and progress(done, total)

        return real_read(path, taken, workloads, held)

    monkeypatch.setattr(exchange_module, "read_for_preview", held_read)
    ticks: list[int] = []
    window.exchange.import_task.progressed.connect(lambda done, _t: ticks.append(done))
    window.exchange.import_inventory()
    assert window.exchange.import_task.running  # the call returned: the window is not blocked
    assert window.exchange.import_progress is not None
    qtbot.waitUntil(lambda: bool(ticks) or not window.exchange.import_task.running, timeout=60_000)
    assert asker.errors == [] and ticks, asker.errors
    from PySide6.QtWidgets import QPushButton

    # The user's click on the progress dialog's Cancel button.
    window.exchange.import_progress.findChild(QPushButton).click()
    clicked.set()
    qtbot.waitUntil(lambda: not window.exchange.import_task.running, timeout=60_000)
    assert asker.previewed == []
    assert window.statusBar().currentMessage() == "Import cancelled; the plan is unchanged"
    assert window.exchange.act_import.isEnabled()


def test_preview_of_a_pipe_separated_file(qtbot) -> None:
    def parse(include: bool):
        return parse_inventory(
            b"sep=|\nname|vcpu|ram_gb\na|1|2\n", "p.csv", include_powered_off=include
        )

    dialog = ImportPreviewDialog("p.csv", parse(False), parse)
    qtbot.addWidget(dialog)
    assert dialog.summary.text().startswith("VM inventory CSV, pipe-separated, 1 row")
    assert dialog.rows_model.rowCount() == 1
