"""The plan's VMs as an inventory CSV: what the importer reads back is what was written."""

from __future__ import annotations

import csv
import io

import pytest

from hvplanner.formats.inventory import parse_inventory, read_inventory
from hvplanner.formats.inventory_export import inventory_csv, write_inventory_csv
from hvplanner.formats.planfile import load_plan
from hvplanner.model.plan import VM, Host, HostModel, Plan
from tests.conftest import SAMPLES


def _odd_plan() -> Plan:
    model = HostModel(id="m", sockets=2, cores_per_socket=8, ghz=2.4, ram_gb=256)
    return Plan(
        name="Odd values",
        host_models=[model],
        hosts=[Host(id="esx 01", model="m"), Host(id="h2", model="m")],
        vms=[
            VM(id="web", name='Web "front", pool A', vcpu=2, ram_gb=0.1 + 0.2, host="esx 01"),
            VM(id="tiny", vcpu=1, ram_gb=1e-5, disk_gb=1234567.891, nic_mbps=0.5, host="h2"),
            VM(id="db", name="Datenbank é", vcpu=16, ram_gb=4 / 3, cpu_mhz=2400.5, count=3),
            VM(id="grp", vcpu=1, ram_gb=2, anti_affinity="ha pair", profile="diurnal"),
            VM(id="pinned", vcpu=1, ram_gb=2, host="h2", pinned=True),
        ],
    )


def _reimport(plan: Plan, text: str) -> list[VM]:
    result = parse_inventory(
        text.encode("utf-8"),
        "export.csv",
        include_powered_off=True,
        host_ids={h.id for h in plan.hosts},
        workloads={w.name for w in plan.workloads},
    )
    assert result.rejected == []
    assert result.warnings == []
    return result.vms


@pytest.mark.parametrize(
    "plan",
    [
        _odd_plan(),
        load_plan(SAMPLES / "seed-200-win7-hyperv2008r2.hvplan.json"),
        load_plan(SAMPLES / "p2v-128-old-servers.hvplan.json"),
    ],
    ids=["odd", "seed", "p2v"],
)
def test_export_then_import_gives_the_same_vms(plan: Plan) -> None:
    vms = _reimport(plan, inventory_csv(plan))
    # Pinning is a placement decision, not inventory.
    assert vms == [v.model_copy(update={"pinned": False}) for v in plan.vms]


def test_one_row_per_vm_entry_with_its_host() -> None:
    plan = _odd_plan()
    rows = list(csv.DictReader(io.StringIO(inventory_csv(plan))))
    assert [r["VM"] for r in rows] == [v.id for v in plan.vms]
    assert [r["Host"] for r in rows] == ["esx 01", "h2", "", "", "h2"]
    assert rows[2]["Count"] == "3"
    assert not any("e-" in v or "e+" in v for r in rows for v in r.values())


def test_file_is_utf8_with_bom_and_reads_back(tmp_path) -> None:
    plan = _odd_plan()
    out = tmp_path / "vms.csv"
    out.write_text("old")
    write_inventory_csv(plan, out)
    assert out.read_bytes().startswith(b"\xef\xbb\xbfVM,Display name,")
    result = read_inventory(out, host_ids={h.id for h in plan.hosts})
    assert [v.label for v in result.vms] == [v.label for v in plan.vms]
    assert [p.name for p in tmp_path.iterdir()] == ["vms.csv"]


def test_display_name_column_keeps_an_empty_name() -> None:
    result = parse_inventory(b"VM,Display name,vCPUs,RAM GB\nweb,,2,4\napp,Shop,1,2\n")
    assert [(v.id, v.name) for v in result.vms] == [("web", ""), ("app", "Shop")]


def test_formula_text_is_quoted_and_reads_back():
    from hvplanner.formats.inventory import parse_inventory
    from hvplanner.formats.inventory_export import inventory_csv
    from hvplanner.model.plan import VM, Plan

    plan = Plan(
        vms=[
            VM(id="=cmd", name="+SUM(A1)", vcpu=1, ram_gb=1),
            VM(id="@x", name="-1", vcpu=1, ram_gb=1),
        ]
    )
    text = inventory_csv(plan)
    assert "'=cmd" in text and "'+SUM(A1)" in text and "'@x" in text
    assert "\n=" not in text and ",=" not in text
    back = parse_inventory(text.encode("utf-8"), "x.csv")
    assert [(v.id, v.name) for v in back.vms] == [("=cmd", "+SUM(A1)"), ("@x", "-1")]
