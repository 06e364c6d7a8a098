from __future__ import annotations

import json
import subprocess
import sys
import types
from pathlib import Path

import pytest

from hvplanner.cli import main
from hvplanner.commands.export import PDF_MODULE
from hvplanner.formats.planfile import load_plan
from hvplanner.model.report import Report
from tests.conftest import SAMPLES

DATA = Path(__file__).parents[1] / "formats" / "data"
RVTOOLS = DATA / "rvtools_vinfo.csv"


def run(argv, capsys):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_import_rvtools_reports_rows_and_writes_the_plan(capsys, tmp_path):
    out_file = tmp_path / "dc.hvplan.json"
    code, out, err = run(["import", RVTOOLS, "-o", out_file], capsys)
    assert code == 0, err
    assert err == ""
    lines = out.splitlines()
    assert lines[0] == f"{RVTOOLS}: RVTools vInfo CSV, comma-separated, 30 rows"
    assert "  imported   19 rows" in lines
    assert "  skipped    5 powered off (--include-powered-off imports them)" in lines
    assert "  skipped    1 template" in lines
    assert "    line 6: 'web01' → 'web01-2'" in lines
    assert "  rejected   5:" in lines
    assert "    line 17: CPUs: empty" in lines
    assert "    line 18: Memory: 'abc' is not a number" in lines
    assert lines[-1] == (
        f"wrote {out_file}: 19 VMs on no host (the file names 12 hosts), hypervisor esxi@8.0 "
        "(VMware source without an ESX version (no vHost tab): ESXi 8.0)"
    )
    plan = load_plan(out_file)
    assert plan.name == "Imported from rvtools_vinfo.csv"
    assert len(plan.vms) == 19
    assert [p.name for p in tmp_path.iterdir()] == ["dc.hvplan.json"]


def test_import_options(capsys, tmp_path):
    out_file = tmp_path / "p.hvplan.json"
    argv = ["import", RVTOOLS, "-o", out_file, "--include-powered-off", "--hypervisor", "kvm"]
    code, out, _ = run([*argv, "--name", "DC", "--disk", "in-use"], capsys)
    assert code == 0
    assert "  included   5 powered off" in out.splitlines()
    plan = load_plan(out_file)
    assert (plan.name, plan.hypervisor, len(plan.vms)) == ("DC", "kvm@rhel9", 24)
    dc01 = next(v for v in plan.vms if v.id == "dc01")
    assert dc01.disk_gb == pytest.approx(38211 / 1024)


@pytest.mark.parametrize(
    ("content", "extra", "needle"),
    [
        (b"name,ram_gb\na,2\n", [], "missing column: vCPUs (a column such as vCPUs, CPUs, cores)"),
        (
            b"VM,Powerstate,CPUs,Memory\na,poweredOff,1,1024\nb,poweredOn,x,1024\n",
            [],
            "nothing to import: 1 of 2 rows rejected, 1 powered off (--include-powered-off",
        ),
        (b"name,vcpu,ram_gb\nb\xe9,1,2\n", [], "line 2: not UTF-8 text (byte 0xE9)"),
        (b"", [], "the file is empty"),
        (b"name,vcpu,ram_gb\na,1,2\n", ["--hypervisor", "qemu@9"], "unknown hypervisor 'qemu@9'"),
    ],
)
def test_unusable_import_exits_2_with_one_line(capsys, tmp_path, content, extra, needle):
    src = tmp_path / "in.csv"
    src.write_bytes(content)
    out_file = tmp_path / "out.hvplan.json"
    code, _, err = run(["import", src, "-o", out_file, *extra], capsys)
    assert code == 2
    assert needle in err
    assert err.count("\n") == 1
    assert not out_file.exists()


def test_import_to_a_missing_folder_exits_2(capsys, tmp_path):
    code, _, err = run(["import", RVTOOLS, "-o", tmp_path / "no" / "p.json"], capsys)
    assert code == 2
    assert "cannot write" in err


def test_import_refuses_to_overwrite_its_own_input(capsys, tmp_path, monkeypatch):
    src = tmp_path / "ok.csv"
    text = "name,vcpu,ram_gb\na,1,2\n"
    src.write_text(text)
    monkeypatch.chdir(tmp_path)
    for target in (src, "ok.csv", "./ok.csv"):
        code, out, err = run(["import", "ok.csv", "-o", target], capsys)
        assert code == 2 and out == ""
        assert err == f"hvplanner: --output: {target} is the inventory being imported\n"
        assert src.read_text() == text


def test_import_summary_counts_read_naturally(capsys, tmp_path):
    src = tmp_path / "one.csv"
    src.write_text("name,vcpu,ram_gb\na,1,2\n")
    out_file = tmp_path / "one.hvplan.json"
    code, out, _ = run(["import", src, "-o", out_file], capsys)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].endswith(", 1 row")
    assert "  imported   1 row" in lines
    assert lines[-1].startswith(f"wrote {out_file}: 1 VM on no host,")


def test_import_without_an_output_only_reports(capsys, tmp_path):
    code, out, err = run(["import", RVTOOLS], capsys)
    assert code == 0, err
    assert out.splitlines()[-1].startswith("not written (give -o PLAN.hvplan.json): 19 VMs")


def test_export_json_round_trips(capsys, tmp_path, seed_sample):
    out_file = tmp_path / "seed.json"
    code, out, err = run(["export", seed_sample, "--json", out_file], capsys)
    assert code == 0, err
    assert out == (
        f"wrote {out_file}: '200 Windows 7 desktops on Hyper-V 2008 R2' "
        "sized on hyper-v@2008r2 (1 host), placed on 1 host\n"
    )
    doc = json.loads(out_file.read_text())
    assert doc["results"]["sizing"]["ram_gb"] == 406.75
    assert doc["results"]["placement"]["host_count"] == 1
    assert doc["results"]["notes"] == []
    assert load_plan(out_file) == load_plan(seed_sample)
    # and an export is a plan the other commands accept
    code, out, _ = run(["size", out_file, "--json"], capsys)
    assert code == 0
    assert json.loads(out)["results"][0]["ram_gb"] == 406.75


def test_export_json_to_stdout(capsys, seed_sample):
    code, out, err = run(["export", seed_sample, "--json", "-", "--no-placement"], capsys)
    assert code == 0
    doc = json.loads(out)
    assert list(doc) == ["plan", "results"]
    assert doc["results"]["placement"] is None
    assert doc["results"]["notes"] == ["placement: left out on request"]
    assert err == "  note: placement: left out on request\n"


def test_export_notes_why_placement_is_missing(capsys, tmp_path):
    plan_file, export_file = tmp_path / "p.hvplan.json", tmp_path / "p.json"
    assert run(["import", RVTOOLS, "-o", plan_file], capsys)[0] == 0
    code, out, _ = run(["export", plan_file, "--json", export_file], capsys)
    assert code == 0
    assert "  note: placement: the plan has no host models" in out.splitlines()
    assert "  note: simulation: no VM is on a host yet" in out
    results = json.loads(export_file.read_text())["results"]
    assert results["placement"] is None
    assert results["simulation"] is None


def test_import_then_export_then_import(capsys, tmp_path):
    plan_file, export_file = tmp_path / "p.hvplan.json", tmp_path / "p.json"
    assert run(["import", RVTOOLS, "-o", plan_file], capsys)[0] == 0
    assert run(["export", plan_file, "--json", export_file], capsys)[0] == 0
    assert load_plan(export_file) == load_plan(plan_file)


def test_pdf_without_the_pdf_module_exits_2(capsys, tmp_path, seed_sample, monkeypatch):
    monkeypatch.setitem(sys.modules, PDF_MODULE, None)  # makes the import fail
    json_file = tmp_path / "x.json"
    code, out, err = run(
        ["export", seed_sample, "--pdf", tmp_path / "x.pdf", "--json", json_file], capsys
    )
    assert code == 2
    assert err == "hvplanner: PDF export is not available in this build\n"
    assert not json_file.exists()  # refused before anything is written


def test_pdf_writer_gets_the_report(capsys, tmp_path, seed_sample, monkeypatch):
    seen: list[tuple[Report, str]] = []
    fake = types.ModuleType(PDF_MODULE)
    fake.render_pdf = lambda report, path: seen.append((report, path))  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, PDF_MODULE, fake)
    pdf = tmp_path / "x.pdf"
    code, out, _ = run(["export", seed_sample, "--pdf", pdf], capsys)
    assert code == 0
    ((report, path),) = seen
    assert path == str(pdf)
    assert report.plan == load_plan(seed_sample)
    assert report.results.sizing is not None
    assert out.startswith(f"wrote {pdf}: ")


def test_pdf_and_json_together(qapp, capsys, tmp_path, seed_sample):
    pdf, js = tmp_path / "seed.pdf", tmp_path / "seed.json"
    code, out, err = run(["export", seed_sample, "--pdf", pdf, "--json", js], capsys)
    assert code == 0, err
    assert pdf.read_bytes().startswith(b"%PDF")
    assert load_plan(js) == load_plan(seed_sample)
    assert len(out.splitlines()) == 2


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["export", "PLAN"], "give --json OUT.json, --pdf OUT.pdf or --csv OUT.csv"),
        (["export", "/no/such.hvplan.json", "--json", "-"], "no such file"),
        (["export", "PLAN", "--json", "-", "--time-limit", "0"], "--time-limit: 0 must be > 0"),
    ],
)
def test_bad_export_exits_2(capsys, argv, needle):
    code, _, err = run(argv, capsys)
    assert code == 2
    assert needle in err
    assert err.count("\n") == 1


def test_import_and_export_load_no_qt(tmp_path, seed_sample):
    code = (
        "import sys; from hvplanner.cli import main;"
        f"a = main(['import', {str(RVTOOLS)!r}, '-o', {str(tmp_path / 'p.json')!r}]);"
        f"b = main(['export', {str(seed_sample)!r}, '--json', {str(tmp_path / 'e.json')!r}]);"
        "qt = [m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph'))];"
        "assert not qt, qt; sys.exit(a or b)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60
    )
    assert done.returncode == 0, done.stderr


def test_export_csv_alone_and_import_it_back(capsys, tmp_path):
    sample = SAMPLES / "p2v-128-old-servers.hvplan.json"
    out_csv, plan_file = tmp_path / "vms.csv", tmp_path / "back.hvplan.json"
    code, out, err = run(["export", sample, "--csv", out_csv], capsys)
    assert code == 0, err
    plan = load_plan(sample)
    assert out == f"wrote {out_csv}: {len(plan.vms)} VM rows of {plan.name!r}\n"
    code, _, err = run(["import", out_csv, "-o", plan_file], capsys)
    assert code == 0, err
    # The import makes a plan without hosts, so the VMs come back unplaced.
    unplaced = [v.model_copy(update={"host": None, "pinned": False}) for v in plan.vms]
    assert load_plan(plan_file).vms == unplaced


def test_export_csv_beside_json(capsys, tmp_path, seed_sample):
    out_csv, js = tmp_path / "vms.csv", tmp_path / "seed.json"
    code, out, err = run(["export", seed_sample, "--json", js, "--csv", out_csv], capsys)
    assert code == 0, err
    assert out.splitlines()[1].startswith(f"wrote {out_csv}: ")
    assert out_csv.read_bytes().startswith(b"\xef\xbb\xbfVM,")
