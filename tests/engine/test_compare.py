from __future__ import annotations

import csv
import io
import json

from hvplanner.catalog import load_catalog
from hvplanner.cli import main
from hvplanner.engine.compare import ROWS, differs, matrix, plan_fit, policy_for
from hvplanner.engine.sizing import size_plan
from hvplanner.formats.planfile import load_plan


def test_every_row_has_a_cell_per_hypervisor_with_a_source_or_unknown():
    profiles = load_catalog().ordered()
    for row, cells in matrix(profiles):
        assert len(cells) == len(profiles)
        for cell in cells:
            if cell.kind == "unknown":
                assert cell.text == "unknown"
            elif row.id not in {
                "privileged_domain",
                "tools",
                "network",
                "disks",
                "license",
                "windows",
                "migration",
                "io_model",
            }:
                assert cell.source, (row.id, cell.text)


def test_xen_pv_needs_no_vt_and_differs_from_hvm():
    cat = load_catalog()
    pv, hvm = cat.get("xen-pv"), cat.get("xen-hvm")
    row = next(r for r in ROWS if r.id == "hw_virt")
    assert row.cell(pv).kind == "no"
    assert row.cell(hvm).text == "required"
    assert differs([row.cell(pv), row.cell(hvm)])


def test_plan_rows_equal_the_sizing_engine(seed_sample):
    plan = load_plan(seed_sample)
    profiles = load_catalog().ordered()
    for fit, p in zip(plan_fit(plan, profiles), profiles, strict=True):
        r = size_plan(policy_for(plan, p), p)
        assert (fit.hosts, fit.logical_processors) == (r.hosts, r.logical_processors)
        if fit.ram_overhead_gb is not None:
            assert fit.ram_overhead_gb == r.vm_overhead_gb
        else:
            assert p.overhead.kind == "unknown"


def test_plan_overrides_apply_to_its_own_hypervisor_only(seed_sample):
    plan = load_plan(seed_sample)
    cat = load_catalog()
    assert policy_for(plan, cat.get(plan.hypervisor)) is plan
    other = policy_for(plan, cat.get("kvm"))
    assert other.policy.vm_overhead_mb is None
    assert other.policy.host_reserve_mb is None
    # The ratio is the workload's: it stays for every hypervisor.
    assert other.policy.vcpu_per_lp == plan.policy.vcpu_per_lp
    assert other.policy.rounding == plan.policy.rounding


def test_cli_compare_with_plan_matches_engine(capsys, seed_sample):
    assert main(["compare", "--plan", str(seed_sample), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    plan = load_plan(seed_sample)
    fits = {f.key: f for f in plan_fit(plan, load_catalog().ordered())}
    for key, row in data["on_this_plan"].items():
        assert row["hosts"] == fits[key].hosts
        assert row["verdict"] == fits[key].verdict
    assert data["on_this_plan"]["hyper-v@2008r2"]["hosts"] == 1


def test_cli_compare_csv(capsys):
    assert main(["compare", "--csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0][:2] == ["group", "row"]
    assert len(rows) == len(ROWS) + 1


def test_size_all_and_compare_plan_agree(capsys, seed_sample):
    assert main(["size", str(seed_sample), "--all", "--json"]) == 0
    sized = {r["hypervisor"]: r for r in json.loads(capsys.readouterr().out)["results"]}
    assert main(["compare", "--plan", str(seed_sample), "--json"]) == 0
    compared = json.loads(capsys.readouterr().out)["on_this_plan"]
    assert set(sized) == set(compared)
    for key, row in compared.items():
        assert row["hosts"] == sized[key]["hosts"], key
        assert row["logical_processors"] == sized[key]["logical_processors"], key
    assert any("apply to its own hypervisor" in w for w in sized["kvm@rhel9"]["warnings"])
    assert not any("apply to its own" in w for w in sized["hyper-v@2008r2"]["warnings"])
    assert compared["hyper-v@2025"]["ram_overhead_gb"] is None


def test_stop_rule_row_comes_from_the_catalog():
    cat = load_catalog()
    row = next(r for r in ROWS if r.id == "stop_rule")
    xen = row.cell(cat.get("xen-pv"))
    assert xen.text == (
        "pause below 50 dirty pages, pause after 5 rounds whatever is left, no volume cap"
    )
    assert xen.source == "xen-sr-save"
    kvm = row.cell(cat.get("kvm"))
    assert kvm.text == (
        "pause once the last round fits 300 ms, no round cap (does not converge: keeps "
        "copying), default bandwidth 128 MB/s"
    )
    assert kvm.source == "qemu-migration-defaults" and "auto-converge" in kvm.note
    esxi = row.cell(cat.get("esxi"))
    assert esxi.kind == "unknown" and "publishes no pre-copy model" in esxi.note


def test_the_comparison_shows_the_four_kinds_pvh_nested_and_new_entries(capsys):
    cat = load_catalog()
    approaches = {a for p in cat.ordered() for a in p.architecture.approach.value}
    assert {"paravirtualization", "hardware-assisted", "os-level"} <= approaches
    assert main(["compare", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [k["approach"] for k in data["kinds"]] == [
        "full-binary-translation",
        "paravirtualization",
        "hardware-assisted",
        "os-level",
    ]
    assert "Solaris Zones" in data["kinds"][3]["examples"]
    assert "Virtuozzo/OpenVZ, chroot" in data["kinds"][3]["examples"]
    assert "LXC/LXD" in data["kinds"][3]["examples"]
    keys = {h["key"] for h in data["hypervisors"]}
    assert {"xen-pvh@4", "proxmox-ve@9", "xcp-ng@8.3"} <= keys
    rows = {r["id"]: r for r in data["rows"]}
    nested = rows["nested"]["cells"]
    assert "Experimental" in nested["xen-hvm@4"]["text"]
    assert "--nested-hw-virt" in nested["virtualbox@7"]["text"]
    assert "AMD" in nested["hyper-v@2022"]["text"]
    assert "nested" in nested["kvm@rhel9"]["text"]
    assert rows["containers"]["cells"]["proxmox-ve@9"]["text"].startswith("Yes: LXC")
    assert "OS-level" in rows["approach"]["cells"]["proxmox-ve@9"]["text"]


def test_older_than_lists_stale_figures(capsys):
    assert main(["compare", "--older-than", "0", "--json"]) == 0
    every = json.loads(capsys.readouterr().out)["figures"]
    assert every and all(f["age_months"] >= 0 for f in every)
    assert main(["compare", "--older-than", "1200", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["figures"] == []
    assert main(["compare", "--older-than", "-1"]) == 2
