"""One Report, several renderers: the JSON and the PDF of it show the same figures, and a
plan with a measured workload exports like any other."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from hvplanner.cli import main
from hvplanner.commands.export import report_for
from hvplanner.formats.exchange import export_json
from hvplanner.formats.planfile import load_plan

PLAN = {
    "schema_version": 1,
    "name": "two hosts",
    "hypervisor": "hyper-v@2008r2",
    "policy": {"vm_overhead_mb": 32, "host_reserve_mb": 1024, "headroom_pct": 20},
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
        {"id": "db", "count": 2, "vcpu": 2, "ram_gb": 16, "host": "h2", "profile": "db-trace"},
        {"id": "spare", "vcpu": 1, "ram_gb": 1},
    ],
    "workloads": [{"name": "db-trace", "kind": "measured", "series": "db.csv"}],
}


@pytest.fixture
def measured_plan(tmp_path: Path) -> Path:
    (tmp_path / "db.csv").write_text("minute,cpu,ram,nic\n0,0.25,0.5,0\n720,1,0.5,0\n")
    p = tmp_path / "m.hvplan.json"
    p.write_text(json.dumps(PLAN))
    return p


def test_measured_plan_exports_json_and_pdf_from_the_cli(qapp, measured_plan, capsys) -> None:
    out = measured_plan.parent
    code = main(
        ["export", str(measured_plan), "--json", str(out / "r.json"), "--pdf", str(out / "r.pdf")]
    )
    captured = capsys.readouterr()
    assert code == 0, captured.err
    sim = json.loads((out / "r.json").read_text())["results"]["simulation"]
    h2 = sim["hosts"][1]["cpu"]
    assert h2["peak"] == 4.0  # 2 × 2 vCPUs × 1 at the trace's peak: the series was read
    assert (out / "r.pdf").read_bytes().startswith(b"%PDF")


def _pdf_text(path: Path) -> str:
    if shutil.which("pdftotext"):
        return subprocess.run(
            ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def test_json_and_pdf_of_one_report_agree(qapp, seed_sample, tmp_path) -> None:
    from hvplanner.formats.pdf_report import render_pdf

    plan = load_plan("resources/samples/p2v-128-old-servers.hvplan.json")
    report = report_for(plan, time_limit=5)
    export_json(report, tmp_path / "r.json")
    render_pdf(report, tmp_path / "r.pdf")
    doc = json.loads((tmp_path / "r.json").read_text())["results"]
    # NFKC: the PDF's text has ligatures ("ﬁle-1").
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", _pdf_text(tmp_path / "r.pdf")))

    sizing = doc["sizing"]
    n = sizing["hosts"]
    assert f"The plan needs {n} host{'s' * (n != 1)}" in text
    placed = doc["placement"]
    k = placed["host_count"]
    assert f"packs the VMs onto {k} host{'s' * (k != 1)}" in text
    # The JSON names host models and VMs by id; the PDF shows their names.
    models = {m.id: m.label for m in plan.host_models}
    vms = {v.id: v.label for v in plan.vms}
    own = {h.id: h.name or h.id for h in plan.hosts}
    fresh = 0
    for host in placed["hosts"]:
        # Every placed host appears with its model and its VM entries, counted as in the JSON;
        # one not in the plan as "new N", never by its id (the plan's ids look alike).
        fresh += host["new"]
        label = f"new {fresh}" if host["new"] else own[host["id"]]
        counts: dict[str, int] = {}
        for i in host["instances"]:
            counts[i.rsplit("#", 1)[0]] = counts.get(i.rsplit("#", 1)[0], 0) + 1
        listed = "; ".join(f"{vms[v]} ×{c}" for v, c in counts.items())
        row = " ".join([label, models[host["model"]], listed])
        assert row in text
    bounds = doc["bounds"]
    assert f"no placement can use fewer than {bounds['best']}" in text
    for load in doc["loads"]:
        assert own[load["host"]] in text  # the plan's hosts by name
    sim = doc["simulation"]
    assert sim is not None and len(sim["hosts"]) == len(plan.hosts)
    for fit in doc["fits"]:
        assert fit["verdict"].split(";")[0] in text
    # Every hypervisor's total over the horizon, as the executive summary prints it.
    cost = doc["cost"]
    assert cost["hypervisors"]
    for h in cost["hypervisors"]:
        total = next(t for t in h["totals"] if t["id"] == "total")
        if total["amount"] is not None:
            assert f"{total['amount']:,.0f} {cost['currency']}" in text, h["key"]
