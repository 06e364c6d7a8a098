"""`hvplanner cost`: JSON lines of the issue's example; one line and exit 2 on bad input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from hvplanner.cli import main


def _write(tmp_path: Path, **extra: Any) -> Path:
    plan = {
        "schema_version": 1,
        "hypervisor": "esxi@8.0",
        "host_models": [
            {"id": "big", "sockets": 2, "cores_per_socket": 12, "ghz": 2.5, "ram_gb": 256},
            {"id": "small", "sockets": 1, "cores_per_socket": 6, "ghz": 2.5, "ram_gb": 64},
        ],
        "hosts": [{"id": f"b{i}", "model": "big"} for i in range(3)]
        + [{"id": "s", "model": "small"}],
        "vms": [
            {"id": f"w{h}", "vcpu": 2, "ram_gb": 4, "os": "windows-server", "host": h}
            for h in ("b0", "b1", "b2", "s")
        ],
        **extra,
    }
    path = tmp_path / "p.hvplan.json"
    path.write_text(json.dumps(plan), encoding="utf-8")
    return path


def test_json_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cost", str(_write(tmp_path)), "--all", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    esxi = out["hypervisors"]["esxi@8.0"]
    vcf = esxi["licences"][0]
    assert {"product", "metric", "units", "unit_price", "cost", "formula"} <= vcf.keys()
    assert (vcf["product"], vcf["units"], vcf["cost"]) == ("vmware-vcf", 112, None)
    win = [ln for ln in esxi["licences"] if ln["kind"] == "windows"]
    assert sum(ln["units"] for ln in win) == 88
    assert "hyper-v@2025" in out["hypervisors"] and "kvm@rhel9" in out["hypervisors"]
    assert esxi["totals"]["total"]["complete"] is False


@pytest.mark.parametrize(
    ("extra", "args", "field"),
    [
        ({"horizon_years": 0}, [], "horizon_years"),
        ({}, ["--years", "31"], "--years"),
        ({"prices": [{"product": "x", "price": 1, "period": "year", "currency": "USD"}]}, [],
         "prices[0].product"),
        ({"prices": [{"product": "vmware-vcf", "price": -1, "period": "year", "currency": "USD"}]},
         [], "prices[0].price"),
        ({"prices": [{"product": "vmware-vcf", "price": "abc", "period": "year",
                      "currency": "USD"}]}, [], "prices[0].price"),
        ({"prices": [
            {"product": "vmware-vcf", "price": 1, "period": "year", "currency": "USD"},
            {"product": "windows-server-standard", "price": 1, "period": "one-off",
             "currency": "EUR"}]}, [], "prices[1].currency"),
    ],
)  # fmt: skip
def test_bad_input_is_one_line_and_exit_2(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    extra: dict[str, Any],
    args: list[str],
    field: str,
) -> None:
    assert main(["cost", str(_write(tmp_path, **extra)), *args]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and field in err, err
