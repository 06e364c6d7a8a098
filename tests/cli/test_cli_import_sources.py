"""`hvplanner import` on each source, stdin/stdout, the JSON summary, and on to `place -o`
and `simulate` without hosts: from an estate's export to a simulation on the command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from hvplanner.cli import main
from hvplanner.formats.planfile import load_plan, plan_from_json

SOURCES = Path(__file__).parents[1] / "formats" / "data" / "sources"


def run(argv, capsys):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_rvtools_workbook_to_plan_with_current_hosts_and_consolidation(capsys, tmp_path):
    out_file = tmp_path / "estate.hvplan.json"
    code, out, err = run(["import", SOURCES / "rvtools.xlsx", "-o", out_file], capsys)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].endswith("rvtools.xlsx: RVTools workbook, tab vInfo, 10 rows")
    assert "  tabs       vInfo, vHost, vDisk, vCPU, vMemory" in lines
    assert "  hosts      3 current hosts (2 host models); VMs on their current host" in lines
    assert "    row 10: CPUs: empty" in lines
    head = next(i for i, x in enumerate(lines) if x.startswith("consolidation: today 3 hosts"))
    table = lines[head + 1 : head + 7]
    assert any(x.split()[0] == "kvm@rhel9" and "3 → " in x for x in table)
    assert lines[-1] == (
        f"wrote {out_file}: 7 VMs on 3 current hosts, hypervisor esxi@7.0 "
        "(ESX Version of 2 of 3 host(s) in vHost: ESXi 7.0)"
    )
    plan = load_plan(out_file)
    assert plan.hypervisor == "esxi@7.0"
    assert [h.id for h in plan.hosts] == [
        "esx01.corp.example",
        "esx02.corp.example",
        "esx03.corp.example",
    ]
    assert all(v.host for v in plan.vms)
    assert {v.os for v in plan.vms} == {"windows-server", "windows-client", "linux"}


def test_hypervisor_can_be_overridden(capsys, tmp_path):
    out_file = tmp_path / "p.hvplan.json"
    code, out, _ = run(
        ["import", SOURCES / "rvtools.xlsx", "-o", out_file, "--hypervisor", "kvm"], capsys
    )
    assert code == 0
    assert out.splitlines()[-1].endswith("hypervisor kvm@rhel9 (--hypervisor kvm)")
    assert load_plan(out_file).hypervisor == "kvm@rhel9"


def test_json_summary(capsys):
    code, out, err = run(["import", SOURCES / "hyperv_getvm_ps51.csv", "--json"], capsys)
    assert code == 0, err
    doc = json.loads(out)
    assert doc["format"] == "hyperv"
    assert (doc["rows"], doc["imported"], doc["skipped"]["powered_off"]) == (6, 3, 2)
    assert doc["rejected"] == [{"line": 8, "reason": "MemoryStartup: 'lots' is not a number"}]
    assert doc["hypervisor"] == "hyper-v@2019"
    assert "configuration version" in doc["hypervisor_reason"]
    assert doc["hosts_created"] == 0
    assert doc["columns"]["ram_gb"] == "MemoryStartup"
    assert doc["output"] is None


def test_proxmox_json_summary_counts_hosts_and_containers(capsys):
    code, out, _ = run(["import", SOURCES / "proxmox_cluster_resources.json", "--json"], capsys)
    assert code == 0
    doc = json.loads(out)
    assert (doc["hosts_created"], doc["containers"], doc["hypervisor"]) == (3, 2, "kvm@rhel9")
    assert doc["consolidation"]["current_hosts"] == 3
    assert doc["skipped"] == {"powered_off": 1, "templates": 1}


def _cli(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "hvplanner", *args],
        input=stdin,
        capture_output=True,
        timeout=120,
        check=False,
    )


def test_stdin_to_stdout():
    raw = (SOURCES / "virsh_domstats_raw.txt").read_bytes()
    done = _cli("import", "-", "-o", "-", stdin=raw)
    assert done.returncode == 0, done.stderr
    plan = plan_from_json(done.stdout.decode())
    assert sorted(v.id for v in plan.vms) == ["web-kvm01", "win-kvm02"]
    assert plan.hypervisor == "kvm@rhel9"
    err = done.stderr.decode()
    assert err.startswith("standard input: virsh domstats --raw")
    assert "plan on standard output" in err


def test_pipe_separator_hint(capsys, tmp_path):
    src = tmp_path / "pipe.csv"
    src.write_text("sep=|\nname|vcpu|ram_gb\na|1|2\n")
    code, out, err = run(["import", src], capsys)
    assert code == 0, err
    assert "pipe-separated, 1 row" in out.splitlines()[0]


@pytest.mark.parametrize(
    ("name", "needle"),
    [
        ("no-vm-tab.xlsx", "read as an Excel workbook: no VM tab (needed a vInfo tab"),
        ("not-a-domain.xml", "read as libvirt domain XML: found <network>"),
        ("not-resources.json", "read as Proxmox resources JSON: needed a JSON list"),
    ],
)
def test_unusable_sources_exit_2_with_one_line(capsys, tmp_path, name, needle):
    code, out, err = run(["import", SOURCES / name, "-o", tmp_path / "x.json"], capsys)
    assert code == 2
    assert err.count("\n") == 1 and str(SOURCES / name) in err and needle in err
    assert not (tmp_path / "x.json").exists()


def test_never_writes_over_the_input(capsys, tmp_path):
    src = tmp_path / "rv.xlsx"
    src.write_bytes((SOURCES / "rvtools.xlsx").read_bytes())
    code, _, err = run(["import", src, "-o", src], capsys)
    assert code == 2 and "is the inventory being imported" in err
    assert src.read_bytes() == (SOURCES / "rvtools.xlsx").read_bytes()


def _no_host_plan(tmp_path: Path) -> Path:
    """An imported plan without current hosts, given a host model to place on."""
    src = tmp_path / "in.hvplan.json"
    assert main(["import", str(SOURCES / "azure_migrate_import.csv"), "-o", str(src)]) == 0
    data = json.loads(src.read_text())
    data["host_models"] = [
        {"id": "r760", "sockets": 2, "cores_per_socket": 16, "ghz": 2.6, "ram_gb": 512}
    ]
    src.write_text(json.dumps(data))
    return src


def test_place_writes_the_plan_with_its_hosts(capsys, tmp_path):
    src = _no_host_plan(tmp_path)
    capsys.readouterr()
    out_file = tmp_path / "placed.hvplan.json"
    code, out, err = run(["place", src, "-o", out_file, "--time-limit", "2"], capsys)
    assert code == 0, err
    placed = load_plan(out_file)
    assert placed.hosts and all(v.host for v in placed.vms)
    assert out.splitlines()[-1].startswith(f"wrote {out_file}: 4 VMs on ")
    code, _, err = run(["place", src, "-o", src], capsys)
    assert code == 2 and "is the plan being placed" in err


def test_place_to_stdout():
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        src = _no_host_plan(Path(tmp))
        done = _cli("place", str(src), "-o", "-", "--time-limit", "2")
    assert done.returncode == 0, done.stderr
    plan = plan_from_json(done.stdout.decode())
    assert all(v.host for v in plan.vms)
    assert b"host" in done.stderr


def test_simulate_places_a_plan_without_hosts_first(capsys, tmp_path):
    src = _no_host_plan(tmp_path)
    capsys.readouterr()
    code, out, err = run(["simulate", src, "--days", "1", "--step", "1h", "--json"], capsys)
    assert code == 0, err
    assert "the plan has no hosts: placed first, as Auto-place does" in err
    result = json.loads(out)
    assert result["hosts"] and not result["unplaced"]


def test_performance_monitor_series_become_measured_workloads(capsys, tmp_path):
    out_file = tmp_path / "estate.hvplan.json"
    code, out, err = run(
        [
            "import",
            SOURCES / "rvtools.xlsx",
            "-o",
            out_file,
            "--series",
            SOURCES / "perfmon",
        ],
        capsys,
    )
    assert code == 0, err
    assert "  series     sql01.csv: sql01 measured, 96 samples over 23.8 h" in out
    assert "  series     web02-counters.csv: web02 measured, 95 samples" in out  # one gap
    assert "  series     fileserver.csv: no VM named 'FS99', left out" in out
    assert "  series     notes.csv: not a Performance Monitor CSV, left out" in out
    plan = load_plan(out_file)
    sql = next(v for v in plan.vms if v.id == "sql01")
    w = plan.workload(sql.profile)
    assert (w.kind, w.series) == ("measured", "estate.series/sql01.csv")
    lines = (tmp_path / "estate.series" / "sql01.csv").read_text().splitlines()
    assert lines[0] == "minute,cpu,ram,nic"
    assert lines[1] == "0,0.2000,0.7150,0.0000"  # 20 % CPU, 71.5 % committed at 00:00
    assert lines[57].startswith("840,0.7500,")  # 14:00: 20 + 55 %
    # the simulation reads the series
    code, out, err = run(["simulate", out_file, "--days", "1", "--step", "1h"], capsys)
    assert code == 0, err


def test_series_need_an_output_file(capsys):
    code, _, err = run(
        ["import", SOURCES / "rvtools.xlsx", "--series", SOURCES / "perfmon"], capsys
    )
    assert code == 2 and "--series: give -o PLAN.hvplan.json" in err
