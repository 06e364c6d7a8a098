"""A report computes each part once: one sizing per hypervisor, shared by the summary, the
comparison and the cost; one simulation, whose result the charts reuse; one Report for
both the JSON and the PDF of an export."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from hvplanner.catalog import load_catalog
from hvplanner.cli import main
from hvplanner.engine import compare, cost, report, sizing
from hvplanner.engine.report import full_report
from hvplanner.engine.simulation.simulate import Simulator
from hvplanner.model.plan import Plan

CATALOG = load_catalog()
OWN = CATALOG.newest()[0].key  # a hypervisor the comparison shows as well


def make_plan(hypervisor: str, *, hosts: int) -> dict[str, object]:
    return {
        "schema_version": 1,
        "name": "shared",
        "hypervisor": hypervisor,
        "host_models": [
            {"id": "m", "sockets": 2, "cores_per_socket": 8, "ghz": 2.0, "ram_gb": 256}
        ],
        "hosts": [{"id": f"h{i}", "model": "m"} for i in range(hosts)],
        "vms": [
            {
                "id": f"vm{i}",
                "vcpu": 1 + i % 4,
                "ram_gb": 2 + i % 8,
                "os": "windows-server" if i % 3 == 0 else "linux",
                "host": f"h{i % hosts}" if hosts else None,
                "profile": "bursty" if i % 2 else "diurnal",
            }
            for i in range(40)
        ],
    }


@pytest.fixture
def sized(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    calls: Counter[str] = Counter()
    real = sizing.size_plan

    def counting(plan: Plan, profile, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls[profile.key] += 1
        return real(plan, profile, *args, **kwargs)

    for module in (compare, cost, report):
        monkeypatch.setattr(module, "size_plan", counting)
    return calls


@pytest.mark.parametrize("hosts", [3, 0])  # without hosts the cost sizes each hypervisor too
@pytest.mark.parametrize("hypervisor", [OWN, "hyper-v@2008r2"])
def test_each_hypervisor_is_sized_once(sized: Counter[str], hypervisor: str, hosts: int) -> None:
    plan = Plan.model_validate(make_plan(hypervisor, hosts=hosts))
    r = full_report(plan, catalog=CATALOG).results
    compared = {p.key for p in CATALOG.newest()} | {hypervisor}
    assert set(sized) == compared
    assert set(sized.values()) == {1}
    assert r.sizing is not None and r.cost is not None
    own_fit = [f for f in r.fits if f.key == hypervisor]
    assert all(f.hosts == r.sizing.hosts for f in own_fit)
    if not hosts:
        own_cost = next(c for c in r.cost.hypervisors if c.key == hypervisor)
        assert own_cost.hosts_origin == "sized" and own_cost.hosts == r.sizing.hosts


def test_the_plan_is_simulated_once(monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[int] = []
    results: list[int] = []
    init, result = Simulator.__init__, Simulator.result

    def counting_init(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        built.append(1)
        init(self, *args, **kwargs)

    def counting_result(self):  # type: ignore[no-untyped-def]
        results.append(1)
        return result(self)

    monkeypatch.setattr(Simulator, "__init__", counting_init)
    monkeypatch.setattr(Simulator, "result", counting_result)
    plan = Plan.model_validate(make_plan(OWN, hosts=3))
    r = full_report(plan, catalog=CATALOG).results
    assert r.simulation is not None and len(r.charts) == 4  # the cluster and 3 busiest hosts
    assert (len(built), len(results)) == (1, 1)


def test_an_export_builds_one_report_for_json_and_pdf(
    qapp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reports: list[int] = []

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        reports.append(1)
        return full_report(*args, **kwargs)

    monkeypatch.setattr(report, "full_report", counting)
    path = tmp_path / "p.hvplan.json"
    path.write_text(json.dumps(make_plan(OWN, hosts=3)), encoding="utf-8")
    out = ["--json", str(tmp_path / "r.json"), "--pdf", str(tmp_path / "r.pdf")]
    assert main(["export", str(path), *out, "--no-placement"]) == 0
    assert (tmp_path / "r.json").exists() and (tmp_path / "r.pdf").stat().st_size > 0
    assert len(reports) == 1
