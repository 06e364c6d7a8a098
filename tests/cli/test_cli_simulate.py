from __future__ import annotations

import json
from pathlib import Path

import pytest

from hvplanner.cli import main
from hvplanner.commands.simulate import parse_step
from hvplanner.errors import InputError
from hvplanner.text import duration, parse_fail


@pytest.fixture
def plan_file(tmp_path):
    plan = {
        "schema_version": 1,
        "name": "two hosts",
        "hypervisor": "hyper-v@2008r2",
        "policy": {
            "vcpu_per_lp": 8,
            "vm_overhead_mb": 32,
            "host_reserve_mb": 1024,
            "headroom_pct": 20,
        },
        "host_models": [
            {
                "id": "m",
                "sockets": 1,
                "cores_per_socket": 8,
                "ghz": 2.0,
                "ram_gb": 64,
                "nics": [{"count": 1, "gbps": 1}],
            }
        ],
        "hosts": [{"id": "h1", "model": "m"}, {"id": "h2", "model": "m"}],
        "vms": [
            {"id": "web", "count": 6, "vcpu": 1, "ram_gb": 4, "nic_mbps": 100, "host": "h1"},
            {"id": "db", "count": 2, "vcpu": 2, "ram_gb": 16, "host": "h2", "profile": "batch"},
            {"id": "spare", "vcpu": 1, "ram_gb": 1},
        ],
        "workloads": [{"name": "batch", "kind": "nightly-batch", "cpu_avg": 0.2}],
    }
    p = tmp_path / "p.hvplan.json"
    p.write_text(json.dumps(plan))
    return str(p)


def run(argv, capsys):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_text_report(plan_file, capsys):
    code, out, err = run(["simulate", plan_file, "--days", "1", "--step", "15m"], capsys)
    assert code == 0, err
    assert "hyper-v@2008r2, 1 day at 15-minute steps (96 steps)" in out
    lines = out.splitlines()
    assert any(line.startswith("h1 ") and "CPU LP" in line for line in lines)
    assert any(line.startswith("cluster ") for line in lines)
    assert "Unplaced (no host, not simulated): spare ×1" in out
    assert "Failure" not in out


def test_json_report_with_failure(plan_file, capsys):
    argv = ["simulate", plan_file, "--days", "2", "--fail", "h1@d2-10:30", "--json"]
    code, out, err = run(argv, capsys)
    assert code == 0, err
    r = json.loads(out)
    assert r["steps"] == 2 * 288
    assert [h["host"] for h in r["hosts"]] == ["h1", "h2"]
    f = r["failover"]
    assert f["failed_hosts"] == ["h1"] and f["at_minute"] == 1440 + 630
    assert f["held"] is True
    assert sum(p["instances"] for p in f["restarted"]) == 6
    assert r["hosts"][0]["failed_at_minute"] == 2070
    for key in ("peak", "p95", "minutes_over_headroom", "minutes_over_capacity"):
        assert key in r["cluster"]["cpu"]


def test_failure_text(plan_file, capsys):
    code, out, _ = run(["simulate", plan_file, "--days", "1", "--fail", "h2@02:00"], capsys)
    assert code == 0
    assert "Failure of h2 at day 1 02:00: 2 VM instances restarted, 0 left unplaced" in out
    assert "N+1 held" in out
    assert "restarted: db ×2 h2 → h1" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--step", "0m"], "hvplanner: --step: 0m must be longer than 0"),
        (["--step", "fast"], "hvplanner: --step: 'fast' is not a duration like 30s, 5m or 1h"),
        (["--days", "0"], "hvplanner: --days: 0 must be > 0 and ≤ 366"),
        (
            ["--fail", "nohost@10:00"],
            "hvplanner: --fail: nohost@10:00: no host 'nohost' in the plan",
        ),
        (["--fail", "h1@25:00"], "hvplanner: --fail: h1@25:00: '25:00' is not HH:MM or dN-HH:MM"),
        (["--fail", "h1"], "hvplanner: --fail: 'h1' is not HOST@TIME (e.g. h1@10:00)"),
        (
            ["--fail", "h1@d9-10:00"],
            "hvplanner: --fail: h1@d9-10:00: after the end of the 7 simulated days",
        ),
        (["--fail", "h1@10:00", "--fail", "h2@10:00"], "hvplanner: --fail: no host would survive"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(plan_file, capsys, args, message):
    code, out, err = run(["simulate", plan_file, *args], capsys)
    assert code == 2
    assert out == ""
    assert err == message + "\n"


def test_missing_plan_exits_2(tmp_path, capsys):
    code, _, err = run(["simulate", str(tmp_path / "none.hvplan.json")], capsys)
    assert code == 2 and "no such file" in err and err.count("\n") == 1


def test_measured_workload_from_csv(plan_file, tmp_path, capsys):
    data = json.loads(Path(plan_file).read_text())
    data["workloads"].append({"name": "db-trace", "kind": "measured", "series": "db.csv"})
    data["vms"][1]["profile"] = "db-trace"
    (tmp_path / "db.csv").write_text("minute,cpu,ram,nic\n0,0.25,0.5,0\n720,1,0.5,0\n")
    p = tmp_path / "m.hvplan.json"
    p.write_text(json.dumps(data))
    code, out, err = run(["simulate", str(p), "--days", "1", "--step", "1h", "--json"], capsys)
    assert code == 0, err
    h2 = json.loads(out)["hosts"][1]["cpu"]
    assert h2["peak"] == 4.0 and h2["mean"] == pytest.approx(
        2.5
    )  # 2 × 2 vCPUs × 1 at the peak, × 0.625 on average


def test_helpers():
    assert parse_step("30s") == 0.5 and parse_step("1h") == 60 and parse_step("5") == 5
    assert parse_fail("a@b@d3-00:05", ["a@b"], 7) == ("a@b", 2 * 1440 + 5)
    assert duration(0) == "0" and duration(1445) == "1d 0h 5m" and duration(125) == "2h 5m"
    with pytest.raises(InputError):
        parse_step("2d")


def test_failure_at_the_start_is_labelled(plan_file, capsys):
    code, out, _ = run(["simulate", plan_file, "--days", "1", "--fail", "h1@00:00"], capsys)
    assert code == 0
    assert "h1 (failed day 1 00:00)" in out


def test_help_shows_a_plain_percent_sign(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["simulate", "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert "%%" not in out and "over 100 %" in " ".join(out.split())


@pytest.mark.parametrize(
    ("drop", "field"), [("vms", "vms: the plan has no VMs"), ("hosts", "hosts: the plan has no")]
)
def test_plan_without_vms_or_hosts_is_a_clear_error(plan_file, capsys, drop, field):
    data = json.loads(Path(plan_file).read_text())
    data[drop] = []
    if drop == "hosts":
        # With a host model the plan would be placed first (test_cli_import_sources).
        data["host_models"] = []
        data["vms"] = [{k: v for k, v in vm.items() if k != "host"} for vm in data["vms"]]
    Path(plan_file).write_text(json.dumps(data))
    code, out, err = run(["simulate", plan_file, "--days", "1"], capsys)
    assert code == 2 and out == ""
    assert err.startswith(f"hvplanner: {plan_file}: {field}"), err
    assert err.count("\n") == 1


def test_failure_text_states_the_cluster_capacity_before_and_after(plan_file, capsys):
    code, out, _ = run(["simulate", plan_file, "--days", "1", "--fail", "h2@02:00"], capsys)
    assert code == 0
    cluster = next(line for line in out.splitlines() if line.startswith("cluster "))
    assert "16 → 8" in cluster  # 2 hosts × 8 LPs, then 1
    assert "percentages are of the capacity at each step" in out


def test_big_counts_have_thousands_separators(plan_file, capsys):
    data = json.loads(Path(plan_file).read_text())
    data["vms"][0]["count"] = 1500
    Path(plan_file).write_text(json.dumps(data))
    code, out, err = run(["simulate", plan_file, "--days", "1", "--step", "1h"], capsys)
    assert code == 0, err
    cluster = next(line for line in out.splitlines() if line.startswith("cluster "))
    assert cluster.split()[1] == "1,502"


def test_ram_basis_is_stated(plan_file, capsys):
    # 64 GB hosts with a 1 GB reserve: the simulation's RAM 100 % is the 63 GB VMs can have.
    code, out, err = run(["simulate", plan_file, "--days", "1", "--step", "1h"], capsys)
    assert code == 0, err
    assert "the host's RAM less the 1 GB host reserve" in out
    code, out, err = run(["simulate", plan_file, "--days", "1", "--step", "1h", "--json"], capsys)
    assert code == 0, err
    data = json.loads(out)
    assert data["host_reserve_mb"] == 1024
    assert data["hosts"][0]["ram"]["capacity"] == 63 * 1024
