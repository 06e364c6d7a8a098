"""The PDF report: real text a reader (and pdftotext) can find, user text printed literally."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from pypdf import PdfReader

from hvplanner.formats.pdf_report import ExportCancelledError, write_pdf
from hvplanner.formats.planfile import load_plan
from hvplanner.model.report import ReadinessRow

HOSTILE = "<b>x</b> & <img src=x>"


def _text(path) -> str:
    # Extractors separate words with tabs or newlines; compare on single spaces.
    return " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())


@pytest.fixture
def hostile_plan(seed_sample):
    plan = load_plan(seed_sample)
    vm = plan.vms[0].model_copy(update={"name": HOSTILE})
    return plan.model_copy(update={"vms": [vm], "name": "Plan <script>alert(1)</script>"})


@pytest.mark.parametrize("page", ["A4", "Letter"])
def test_report_has_the_sizing_figures(qapp, seed_sample, tmp_path, page):
    out = tmp_path / "seed.pdf"
    pages = write_pdf(load_plan(seed_sample), out, page=page, author="Infra team")
    reader = PdfReader(out)
    assert len(reader.pages) == pages >= 3
    text = _text(out)
    for figure in (
        "406.75",
        "416,512 MB",
        "25 LPs",
        "32 LPs, 512 GB per host",
        "20 NICs",
        "20,000 GB",
        "ms-hyperv-2008r2-limits",
        "Infra team",
        f"Page 1 of {pages}",
    ):
        assert figure in text, figure
    box = reader.pages[0].mediabox
    width_mm = float(box.width) / 72 * 25.4
    assert width_mm == pytest.approx(210 if page == "A4" else 215.9, abs=1)


def test_user_text_prints_literally(qapp, hostile_plan, tmp_path):
    out = tmp_path / "hostile.pdf"
    write_pdf(hostile_plan, out)
    text = _text(out)
    assert HOSTILE in text
    assert "<script>alert(1)</script>" in text
    # No author given: no empty "Author" line; the layout picture has no on-screen hints,
    # and no tray when every VM is on a host.
    assert "Author" not in text
    assert "Drop VMs" not in text and "drop VM" not in text and "The plan as laid out" in text
    assert "Unplaced (" not in text


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler's pdftotext not installed")
def test_pdftotext_finds_figures(qapp, seed_sample, tmp_path):
    out = tmp_path / "seed.pdf"
    write_pdf(load_plan(seed_sample), out)
    text = subprocess.run(
        ["pdftotext", str(out), "-"], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    assert "406.75" in text
    assert "Hypervisor comparison for this plan" in text


def test_cancel_leaves_no_file(qapp, seed_sample, tmp_path):
    out = tmp_path / "seed.pdf"
    out.write_bytes(b"previous report")
    with pytest.raises(ExportCancelledError):
        write_pdf(load_plan(seed_sample), out, progress=lambda done, total: done < 2)
    assert out.read_bytes() == b"previous report"
    assert [p.name for p in tmp_path.iterdir()] == ["seed.pdf"]


def test_report_gets_a_normal_file_mode(qapp, seed_sample, tmp_path):
    import os

    out = tmp_path / "seed.pdf"
    write_pdf(load_plan(seed_sample), out)
    umask = os.umask(0o022)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask


def test_report_has_placement_utilization_and_pictures(qapp, tmp_path):
    from tests.conftest import SAMPLES

    out = tmp_path / "p2v.pdf"
    pages = write_pdf(load_plan(SAMPLES / "p2v-128-old-servers.hvplan.json"), out)
    text = _text(out)
    for needle in (
        "Placement",
        "no placement can use fewer than 8",
        "p2v-01",
        "Utilization",
        "Cluster: 8 hosts",
        "busiest by CPU peak",
        "128,000 MHz",
    ):
        assert needle in text, needle
    assert "Xen: Dom0 owns the devices" not in text  # the concept diagrams are an appendix
    assert "The plan as laid out: p2v-07, p2v-08" in text  # 8 hosts: two cards to a row
    assert pages >= 6
    with_appendix = tmp_path / "p2v-appendix.pdf"
    write_pdf(load_plan(SAMPLES / "p2v-128-old-servers.hvplan.json"), with_appendix,
              appendix=True)  # fmt: skip
    assert "Xen: Dom0 owns the devices" in _text(with_appendix)


def test_readiness_and_failure_sections_when_given(qapp, tmp_path):
    from tests.conftest import SAMPLES

    out = tmp_path / "p2v.pdf"
    plan = load_plan(SAMPLES / "p2v-128-old-servers.hvplan.json")
    write_pdf(
        plan,
        out,
        readiness=[ReadinessRow(hypervisor="kvm", status="ready", reasons="VT-x on")],
        failure=(["h1"], 600),
    )
    text = _text(out)
    assert "This workstation" in text
    assert "VT-x on" in text
    assert "Host failure" in text
    assert "p2v-01 failed on day 1 at 10:00" in text


def test_large_plans_list_vm_sizes_not_every_entry(qapp, tmp_path):
    from bench.gui import generated_plan

    out = tmp_path / "big.pdf"
    pages = write_pdf(generated_plan(hosts=20, vms=400), out)
    text = _text(out)
    assert "400 VM entries, by size" in text
    assert "vm399" not in text.split("Virtual machines")[1].split("Placement")[0]
    assert pages < 30
