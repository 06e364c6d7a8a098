"""The cost in the one Report: the JSON export, the PDF's text and `hvplanner cost` agree."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from hvplanner.catalog import load_catalog
from hvplanner.cli import main
from hvplanner.engine.cost import money
from hvplanner.engine.report import full_report
from hvplanner.formats.pdf_report import inputs_from, report_pictures
from hvplanner.formats.planfile import load_plan
from hvplanner.formats.report_html import document
from hvplanner.paths import samples_dir

SAMPLE = samples_dir() / "windows-linux-licence-cost.hvplan.json"


def test_sample_report_json_pdf_and_cli_agree(
    qapp: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", str(SAMPLE), "--json", str(tmp_path / "r.json"),
                 "--no-placement"]) == 0  # fmt: skip
    exported = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["results"]["cost"]
    capsys.readouterr()
    assert main(["cost", str(SAMPLE), "--all", "--json"]) == 0
    cli = json.loads(capsys.readouterr().out)["hypervisors"]
    assert [h["key"] for h in exported["hypervisors"]] == list(cli)
    for h in exported["hypervisors"]:
        totals = {t["id"]: t["amount"] for t in h["totals"]}
        assert totals == {k: t["amount"] for k, t in cli[h["key"]]["totals"].items()}
        assert [ln["units"] for ln in h["licences"]] == [
            ln["units"] for ln in cli[h["key"]]["licences"]
        ]
    esxi = next(h for h in exported["hypervisors"] if h["key"] == "esxi@8.0")
    assert esxi["licences"][0]["units"] == 112  # 3 × 2 × 16 + 16 (the example)
    assert esxi["licences"][0]["cost"] == 112 * 350 * 5

    report = full_report(load_plan(SAMPLE))
    assert report.results.cost is not None
    html = document(inputs_from(report, load_catalog()))
    cur = report.results.cost.currency
    for h in report.results.cost.hypervisors:
        t = h.total("total")
        assert (
            money(t.amount, cur, t.complete).replace("+", "&#x2B;") in html
            or money(t.amount, cur, t.complete) in html
        )
    # page 1 is the executive summary, then the bill of materials; ids give way to names
    assert (
        html.index("Executive summary")
        < html.index("Bill of materials")
        < html.index("Plan summary")
    )
    assert "VMware Cloud Foundation" in html and "needs a price" in html


def test_concept_diagrams_only_in_the_appendix(qapp: object) -> None:
    report = full_report(load_plan(SAMPLE))
    catalog = load_catalog()
    plain = [p.title for p in report_pictures(report, catalog)]
    with_appendix = [p.title for p in report_pictures(report, catalog, appendix=True)]
    assert len(with_appendix) > len(plain)
    assert set(plain) < set(with_appendix)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_pdf_first_page_is_the_executive_summary(qapp: object, tmp_path: Path) -> None:
    out = tmp_path / "r.pdf"
    assert main(["export", str(SAMPLE), "--pdf", str(out), "--no-placement"]) == 0
    first = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", str(out), "-"], capture_output=True, text=True,
        check=True,
    ).stdout  # fmt: skip
    assert "Executive summary" in first and "283,682" in first
    second = subprocess.run(
        ["pdftotext", "-f", "2", "-l", "2", str(out), "-"], capture_output=True, text=True,
        check=True,
    ).stdout  # fmt: skip
    assert "Bill of materials" in second


def test_summary_names_overloads_failover_and_missing_prices() -> None:
    from hvplanner.formats.report_cost import SummaryInputs, risks
    from hvplanner.model.plan import Plan

    plan = Plan.model_validate(
        {
            "hypervisor": "esxi@8.0",
            "policy": {"failover_hosts": 1, "vcpu_per_lp": 8},
            "host_models": [
                {
                    "id": "m",
                    "name": "small box",
                    "sockets": 1,
                    "cores_per_socket": 2,
                    "ghz": 2.0,
                    "ram_gb": 64,
                }
            ],
            "hosts": [{"id": "h1", "model": "m", "name": "box-1"}],
            "vms": [{"id": "v", "count": 4, "vcpu": 2, "ram_gb": 1, "host": "h1"}],
        }
    )
    report = full_report(plan)
    r = report.results
    assert r.sizing is not None
    found = risks(SummaryInputs(plan, r.sizing, load_catalog(), r.fits, r.cost,
                                r.simulation, r.placement))  # fmt: skip
    text = "\n".join(found)
    assert "overloaded in the simulation: box-1 (CPU" in text
    assert "Failover N+1 needs" in text
    assert "needs a price: VMware Cloud Foundation" in text


def _detail(plan: object) -> str:
    from html import unescape

    from hvplanner.formats.report_cost import SummaryInputs, cost_detail

    report = full_report(plan)  # type: ignore[arg-type]
    r = report.results
    assert r.sizing is not None and r.cost is not None
    inputs = SummaryInputs(report.plan, r.sizing, load_catalog(), r.fits, r.cost, r.simulation,
                           r.placement)  # fmt: skip
    return unescape(cost_detail(inputs, set()))


def test_cost_detail_gives_what_every_hypervisor_shares_once() -> None:
    plan = load_plan(SAMPLE)
    html = _detail(plan)
    report = full_report(plan)
    assert report.results.cost is not None
    hvs = report.results.cost.hypervisors
    assert len(hvs) == 9
    # Windows Server Standard's rule and the hardware lines once, not once per hypervisor
    assert html.count("⌈Windows Server VMs / 2⌉") == 1
    assert html.count("hosts × price of one host") == 2  # two host models
    assert html.count("Standard: 2 × 24 cores = 3,528 USD") == 1
    assert html.count("see 'Shared part' above") == 9
    # each hypervisor keeps its own licence lines, its total and how it is made up
    for h in hvs:
        t = h.total("total")
        assert f"{h.title}: the plan's 4 hosts" in html
        assert f"= {money(t.amount, 'USD')}" in html
        for ln in h.licences:
            if ln.kind == "licence":
                assert ln.values in html
    assert "196,000 + 87,682 = 283,682 USD" in html  # VMware: licences + shared part
    shared = next(h for h in hvs if h.key == "esxi@8.0")
    for ln in (*shared.licences, *shared.hardware):
        assert ln.values in html  # every figure's values still shown somewhere


def test_cost_detail_shows_in_full_a_hypervisor_that_differs() -> None:
    from hvplanner.model.plan import Plan

    # No Windows Server VM on h2: Hyper-V still licenses it, the others do not.
    plan = Plan.model_validate({
        "hypervisor": "esxi@8.0",
        "host_models": [{"id": "m", "sockets": 2, "cores_per_socket": 12, "ghz": 2.5,
                         "ram_gb": 256, "cost": 10000}],
        "hosts": [{"id": "h1", "model": "m"}, {"id": "h2", "model": "m"}],
        "vms": [{"id": "w", "vcpu": 2, "ram_gb": 4, "os": "windows-server", "host": "h1"},
                {"id": "l", "vcpu": 2, "ram_gb": 4, "os": "linux", "host": "h2"}],
    })  # fmt: skip
    html = _detail(plan)
    assert "the same under every hypervisor but Microsoft Hyper-V" in html
    hyperv = html[html.index("Microsoft Hyper-V Windows Server 2025: the plan's 2 hosts") :]
    assert "see 'Shared part' above" not in hyperv.split("Oracle VirtualBox")[0]
    assert "2 hosts × 24 × 1 = 48" in hyperv  # its own Windows Server line, both hosts
    assert html.count("hosts × price of one host") == 2  # shared once, Hyper-V's own once


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_suggested_hosts_not_in_the_plan_are_labelled_new(qapp: object, tmp_path: Path) -> None:
    out = tmp_path / "r.pdf"
    assert main(["export", str(SAMPLE), "--json", str(tmp_path / "r.json"), "--pdf", str(out),
                 "--time-limit", "5"]) == 0  # fmt: skip
    placed = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["results"]
    new = [h["id"] for h in placed["placement"]["hosts"] if h["new"]]
    assert new  # the sample's VMs fit on fewer 2 × 12 hosts, some of them new ones
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    table = text[text.index("Host      Model", text.index("Suggested placement")) :]
    rows = [ln.split()[:2] for ln in table.split("\n\n")[0].splitlines()[1:]]
    hosts = [" ".join(r) if r[0] == "new" else r[0] for r in rows if r and r[0][0].isalpha()]
    assert [h for h in hosts if h.startswith("new ")] == [f"new {i + 1}" for i in range(len(new))]
    assert not set(new) & set(hosts)  # a new host never shows an id like the plan's own


def test_cost_detail_of_100_hosts_names_shapes_not_hosts() -> None:
    from html import unescape

    from hvplanner.engine.assumptions import policy_for
    from hvplanner.engine.cost import cost_plan
    from hvplanner.engine.sizing import size_plan
    from hvplanner.formats.report_cost import SummaryInputs, cost_detail
    from hvplanner.model.plan import Plan

    catalog = load_catalog()
    plan = Plan.model_validate({
        "hypervisor": "esxi@8.0",
        "host_models": [{"id": "m", "sockets": 2, "cores_per_socket": 12, "ghz": 2.5,
                         "ram_gb": 256, "cost": 10000}],
        "hosts": [{"id": f"h{i}", "model": "m"} for i in range(100)],
        "vms": [{"id": f"w{i}", "vcpu": 2, "ram_gb": 4, "os": "windows-server",
                 "host": f"h{i}"} for i in range(100)],
    })  # fmt: skip
    profile = catalog.get("esxi@8.0")
    cost = cost_plan(plan, [profile], catalog)
    inputs = SummaryInputs(plan, size_plan(policy_for(plan, profile), profile), catalog, [],
                           cost, None, None)  # fmt: skip
    html = unescape(cost_detail(inputs, set()))
    assert "100 hosts × 32 (2 × 12) = 3200" in html
    assert "100 hosts × 24 × 1 = 2400" in html
    assert "100 hosts: h0, h1, h2, h3 and 96 more" in html  # one row of the edition table
    assert "h57" not in html
