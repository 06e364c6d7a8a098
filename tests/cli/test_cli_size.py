from __future__ import annotations

import json
import subprocess
import sys

import pytest

from hvplanner.catalog import load_catalog
from hvplanner.cli import main

SEED_A = (
    "size --vms 200 --vcpu 1 --ram-gb 2 --disk-gb 100 --nic-mbps 100 --hypervisor hyper-v@2008r2 "
    "--ratio 8 --overhead-mb 32 --host-reserve-mb 512 --round pow2 --json"
).split()


def run(argv, capsys):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_seed_a_json(capsys):
    code, out, err = run(SEED_A, capsys)
    assert code == 0, err
    (r,) = json.loads(out)["results"]
    assert r["hypervisor"] == "hyper-v@2008r2"
    assert r["vms"] == 200
    assert r["vcpus"] == 200
    assert r["logical_processors"] == 25
    assert r["logical_processors_rounded"] == 32
    assert r["ram_gb"] == pytest.approx(406.75)
    assert r["ram_gb_rounded"] == 512
    assert r["vms_per_nic"] == 10
    assert r["nics"] == 20
    assert r["storage_gb"] == 20000
    assert r["hosts"] == 1
    assert r["binding"]
    assert r["steps"] and r["warnings"] == []
    for key in ("sockets", "steps", "warnings"):
        assert key in r


def test_all_gives_one_result_per_catalog_entry(capsys):
    argv = [a for a in SEED_A if a not in ("--hypervisor", "hyper-v@2008r2")] + ["--all"]
    argv = [
        a
        for a in argv
        if a not in ("--ratio", "8", "--overhead-mb", "32", "--host-reserve-mb", "512")
    ]
    code, out, _ = run(argv, capsys)
    assert code == 0
    results = json.loads(out)["results"]
    catalog = load_catalog()
    assert [r["hypervisor"] for r in results] == [p.key for p in catalog.ordered()]
    # No ratio given: the one stated default (1:1) applies to every hypervisor alike.
    for r in results:
        assert r["vcpu_per_lp"] == 1.0
        assert r["logical_processors"] == 200
        assert "stated default" in r["ratio_basis"]


def test_readable_output_has_table_and_steps(capsys):
    code, out, _ = run([a for a in SEED_A if a != "--json"], capsys)
    assert code == 0
    assert "25 → 32" in out
    assert "406.75 → 512" in out
    assert "⌈200 ÷ 8⌉" in out
    assert "[ms-hyperv-2008r2-limits]" in out


def test_plan_file_is_sized(capsys, seed_sample):
    code, out, _ = run(["size", str(seed_sample), "--json"], capsys)
    assert code == 0
    (r,) = json.loads(out)["results"]
    assert r["ram_gb"] == pytest.approx(406.75)
    assert r["sockets"] == 2  # 32 LPs (pow2) on 8-core, 2-thread sockets: ⌈32 ÷ 16⌉


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["size", "--vms", "-3", "--ram-gb", "2"], "--vms: -3 must be > 0"),
        (["size", "--vms", "3", "--ram-gb", "abc"], "--ram-gb: 'abc' is not a number"),
        (["size", "--vms", "3", "--ram-gb", "nan"], "--ram-gb: 'nan' is not a finite number"),
        (["size", "--vms", "3"], "--ram-gb: required with --vms"),
        (
            ["size", "--vms", "3", "--ram-gb", "2", "--hypervisor", "qemu@9"],
            "unknown hypervisor 'qemu@9'",
        ),
        (["size", "--vms", "3", "--ram-gb", "2", "--headroom-pct", "120"], "--headroom-pct"),
        (["size", "/no/such/plan.hvplan.json"], "no such file"),
        (["size"], "give a PLAN file"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_bad_input_exits_2_with_one_line(capsys, argv, needle):
    code, out, err = run(argv, capsys)
    assert code == 2
    assert needle in err
    assert err.count("\n") == 1
    assert "Traceback" not in err


def test_plan_with_string_ram_is_refused(capsys, tmp_path, seed_sample):
    bad = json.loads(seed_sample.read_text())
    bad["vms"][0]["ram_gb"] = "lots"
    f = tmp_path / "bad.hvplan.json"
    f.write_text(json.dumps(bad))
    code, _, err = run(["size", str(f)], capsys)
    assert code == 2
    assert "vms[0].ram_gb" in err
    assert err.count("\n") == 1


def test_schema_command(capsys):
    code, out, _ = run(["schema"], capsys)
    assert code == 0
    assert json.loads(out)["title"] == "hvplanner plan"


def test_version_imports_no_qt_and_no_engine():
    code = (
        "import sys; from hvplanner.cli import main; rc = main(['--version']);"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'pyqtgraph', 'pydantic')];"
        "assert not bad, bad; sys.exit(rc)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=30
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("hvplanner ")


def test_size_imports_no_qt():
    code = (
        "import sys; from hvplanner.cli import main;"
        "rc = main(['size', '--vms', '4', '--ram-gb', '2', '--json']);"
        "qt = [m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph'))];"
        "assert not qt, qt; sys.exit(rc)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60
    )
    assert done.returncode == 0, done.stderr


def test_module_entry_point():
    done = subprocess.run(
        [sys.executable, "-m", "hvplanner", "--version"],
        capture_output=True,
        text=True,
        check=False,
        timeout=30,
    )
    assert done.returncode == 0
    assert "hvplanner" in done.stdout


def test_host_model_from_flags(capsys):
    argv = [
        "size",
        "--vms",
        "1000",
        "--vcpu",
        "4",
        "--ram-gb",
        "8",
        "--hypervisor",
        "kvm",
        "--ratio",
        "10",
        "--sockets",
        "2",
        "--cores-per-socket",
        "16",
        "--threads-per-core",
        "2",
        "--ghz",
        "2.4",
        "--host-ram-gb",
        "512",
        "--nics",
        "4",
        "--nic-gbps",
        "10",
        "--json",
    ]
    code, out, err = run(argv, capsys)
    assert code == 0, err
    (r,) = json.loads(out)["results"]
    assert r["binding"] == "model_ram"
    assert r["hosts"] == 16  # ⌈1000 × (8 GB + overhead) ÷ (512 GB − 2 GB reserve)⌉
    assert not any("is a floor" in w for w in r["warnings"])


def test_no_limits_and_no_host_model_say_the_count_is_a_floor(capsys):
    code, out, _ = run(
        ["size", "--vms", "10", "--ram-gb", "2", "--hypervisor", "virtualbox", "--json"], capsys
    )
    assert code == 0
    (r,) = json.loads(out)["results"]
    assert any("is a floor, not a result" in w for w in r["warnings"])


def test_partial_host_model_flags_are_refused(capsys):
    code, _, err = run(["size", "--vms", "10", "--ram-gb", "2", "--host-ram-gb", "64"], capsys)
    assert code == 2
    assert "--sockets: required with --host-ram-gb" in err


def test_seed_workload_at_12_to_1_on_windows_7_is_supported(capsys):
    # Hyper-V 2008 R2 SP1 supports 12 VPs per LP when every guest runs Windows 7: 200 ÷ 12
    # → 17 LPs (32 after rounding), with no warning; any other guest keeps the 8:1 cap.
    argv = list(SEED_A)
    argv[argv.index("--ratio") + 1] = "12"
    code, out, err = run([*argv, "--os", "windows-7"], capsys)
    assert code == 0, err
    (r,) = json.loads(out)["results"]
    assert (r["vcpu_per_lp"], r["logical_processors"], r["logical_processors_rounded"]) == (
        12,
        17,
        32,
    )
    assert not [w for w in r["warnings"] if "ratio" in w]
    code, out, err = run([*argv, "--os", "windows-client"], capsys)
    (r,) = json.loads(out)["results"]
    assert r["vcpu_per_lp"] == 8 and any("capped" in w for w in r["warnings"])
