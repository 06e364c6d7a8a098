"""`hvplanner place`: the readable summary, the JSON shape, and clear errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from hvplanner.cli import main
from hvplanner.model.plan import VM, Host, Plan
from tests.engine.placement_helpers import plan_of


def _run(argv: list[str]) -> int:
    return main(argv)


def _write(tmp_path: Path, **policy: float) -> Path:
    plan = plan_of(
        [VM(id="web", count=5, vcpu=2, ram_gb=8), VM(id="db", vcpu=4, ram_gb=32, host="h1")],
        hosts=[Host(id="h1", model="m")],
        **policy,
    )
    path = tmp_path / "p.hvplan.json"
    path.write_text(plan.model_dump_json(), encoding="utf-8")
    return path


def test_json_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(["place", str(_write(tmp_path, failover_hosts=1)), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["hosts"] == len(out["hosts_detail"])
    assert out["lower_bound"] >= 1
    assert out["ratio"] >= 1
    assert out["per_model"] == {"m": out["hosts"]}
    assert set(out["assignment"]) == {"web#1", "web#2", "web#3", "web#4", "web#5", "db"}
    assert out["hosts_detail"][0]["id"] == "h1"  # listed hosts first
    detail = out["hosts_detail"][0]
    assert set(detail["utilization"]) >= {"cpu", "ram", "vms"}
    assert {"id", "model", "vms", "vcpus", "ram_gb", "disk_gb", "nic_mbps"} <= set(detail)
    assert out["failover"]["k"] == 1 and out["failover"]["holds"] is True
    assert "vcpus" in out["failover"]["reserve"]
    assert out["seconds"] >= 0


def test_summary_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(["place", str(_write(tmp_path))]) == 0
    text = capsys.readouterr().out
    assert "lower bound" in text and "h1" in text and "failover" in text


def test_bad_plan_names_the_field(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.hvplan.json"
    path.write_text(
        '{"schema_version": 1, "vms": [{"id": "x", "vcpu": 0, "ram_gb": 1}]}', encoding="utf-8"
    )
    assert _run(["place", str(path)]) == 2
    err = capsys.readouterr().err
    assert "vms" in err and "vcpu" in err, err


def test_impossible_plan_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = plan_of([VM(id="giant", vcpu=2, ram_gb=500)])
    path = tmp_path / "g.hvplan.json"
    path.write_text(plan.model_dump_json(), encoding="utf-8")
    assert _run(["place", str(path)]) == 2
    assert "'giant'" in capsys.readouterr().err


def test_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(["place", str(tmp_path / "nope.json")]) == 2
    assert "nope.json" in capsys.readouterr().err


def test_failover_not_holding_is_an_answer_not_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import hvplanner.engine.placement as engine

    real = engine.place

    def no_failover(plan: Plan, **kw: Any) -> Any:
        r = real(plan, **kw)
        return r.model_copy(update={"failover": r.failover.model_copy(update={"holds": False})})

    monkeypatch.setattr(engine, "place", no_failover)  # the command looks it up when run
    assert _run(["place", str(_write(tmp_path, failover_hosts=1))]) == 0
    assert "failover: NOT established" in capsys.readouterr().out


@pytest.mark.parametrize("value", ["nan", "-1", "0", "inf", "x"])
def test_time_limit_must_be_a_positive_finite_number(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    assert _run(["place", str(_write(tmp_path)), "--time-limit", value]) == 2
    err = capsys.readouterr().err
    assert err.startswith("hvplanner place: argument --time-limit: "), err
    assert err.count("\n") == 1, err


@pytest.mark.parametrize("value", ["-1", "0", "2.5"])
def test_max_hosts_must_be_a_positive_whole_number(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    assert _run(["place", str(_write(tmp_path)), "--max-hosts", value]) == 2
    err = capsys.readouterr().err
    assert err.startswith("hvplanner place: argument --max-hosts: "), err
    assert err.count("\n") == 1, err


def test_input_errors_use_the_common_prefix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(["place", str(tmp_path / "nope.json")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("hvplanner: ") and "error:" not in err, err
    assert err.count("\n") == 1, err


def test_a_plan_without_vms_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "empty.hvplan.json"
    path.write_text(plan_of([], hosts=[Host(id="h1", model="m")]).model_dump_json(), "utf-8")
    assert _run(["place", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == f"hvplanner: {path}: vms: the plan has no VMs to place\n"


def test_summary_counts_read_naturally(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = plan_of([VM(id="a", vcpu=1, ram_gb=1)])
    plan = plan.model_copy(
        update={"host_models": [plan.host_models[0].model_copy(update={"cost": 3_000_000})]}
    )
    path = tmp_path / "one.hvplan.json"
    path.write_text(plan.model_dump_json(), encoding="utf-8")
    assert _run(["place", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("1 host (1 × m), cost 3,000,000\n"), out
    assert all(line == line.rstrip() for line in out.splitlines())


def test_json_is_one_compact_write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The document goes out in one write and without indentation: only then does json use
    its C encoder (an indent selects the pure-Python one: twice the time on 100,000 VMs)."""
    writes: list[str] = []

    class Out:
        def write(self, text: str) -> int:
            writes.append(text)
            return len(text)

        def flush(self) -> None:
            pass

    monkeypatch.setattr("sys.stdout", Out())
    assert _run(["place", str(_write(tmp_path)), "--json"]) == 0
    assert len(writes) == 1
    assert writes[0].count("\n") == 1 and writes[0].endswith("}\n")
    assert json.loads(writes[0])["hosts"] >= 1


def test_vms_already_packed_do_not_move(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Two 4-vCPU VMs fill an 8-core host; the plan has them packed, in no particular order.
    on = ["h2", "h1", "h2", "h1"]
    plan = plan_of(
        [VM(id=f"vm{i}", vcpu=4, ram_gb=8, host=h) for i, h in enumerate(on)],
        hosts=[Host(id="h1", model="m"), Host(id="h2", model="m")],
    )
    path = tmp_path / "p.hvplan.json"
    path.write_text(plan.model_dump_json(), encoding="utf-8")
    assert _run(["place", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["moved"] == 0
    assert out["assignment"] == {f"vm{i}": h for i, h in enumerate(on)}
    assert _run(["place", str(path)]) == 0
    assert "2 hosts (2 × m), 0 VMs move" in capsys.readouterr().out
    moved = plan.model_copy(update={"vms": [v.model_copy(update={"host": "h1"}) for v in plan.vms]})
    path.write_text(moved.model_dump_json(), encoding="utf-8")
    assert _run(["place", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["moved"] == 2
