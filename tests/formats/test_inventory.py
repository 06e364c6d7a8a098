"""CSV and RVTools vInfo import: columns by alias, rows by line, nothing but typed errors."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hvplanner.formats.inventory import (
    ImportResult,
    InventoryError,
    parse_inventory,
    plan_from_import,
    read_inventory,
)
from hvplanner.formats.planfile import plan_from_json, plan_to_json

DATA = Path(__file__).parent / "data"
RVTOOLS = DATA / "rvtools_vinfo.csv"
RVTOOLS_SEMI = DATA / "rvtools_vinfo_semicolon.csv"


def _csv(text: str, **kw: object) -> ImportResult:
    return parse_inventory(text.encode("utf-8"), "inv.csv", **kw)


def _vm(result: ImportResult, ident: str):
    return next(v for v in result.vms if v.id == ident)


# --- RVTools ---------------------------------------------------------------------------------


def test_rvtools_export_is_detected_and_read():
    r = read_inventory(RVTOOLS)
    assert (r.format, r.delimiter) == ("rvtools", ",")
    assert r.rows == 30
    assert r.templates == 1
    assert r.powered_off == 5
    assert not r.powered_off_included
    assert r.imported == len(r.vms) == 19
    assert r.rows == r.imported + len(r.rejected) + r.powered_off + r.templates
    assert [(x.line, x.reason) for x in r.rejected] == [
        (17, "CPUs: empty"),
        (18, "Memory: 'abc' is not a number"),
        (28, "Memory: '0': Input should be greater than 0"),
        (29, "VM: empty"),
        (31, "CPUs: '2.5' is not a whole number"),
    ]
    assert r.columns["ram_gb"] == "Memory"
    assert r.columns["disk_gb"] == "Provisioned MB"


def test_rvtools_units_are_converted():
    r = read_inventory(RVTOOLS)
    sql = _vm(r, "sql01")
    assert (sql.vcpu, sql.ram_gb, sql.disk_gb) == (16, 64.0, 500.0)  # 65536 MB, 512000 MB
    assert _vm(r, "backup01").disk_gb == 4096.0


def test_rvtools_in_use_disk_on_request():
    r = read_inventory(RVTOOLS, disk="in-use")
    assert r.columns["disk_gb"] == "In Use MB"
    assert _vm(r, "dc01").disk_gb == pytest.approx(38211 / 1024)


def test_duplicates_are_suffixed_and_sources_kept():
    r = read_inventory(RVTOOLS)
    assert [(s.line, s.name, s.vm) for s in r.renamed] == [
        (6, "web01", "web01-2"),
        (19, "build#3", "build-3"),
    ]
    dr = next(s for s in r.sources if s.vm == "web01-2")
    assert (dr.host, dr.cluster, dr.os) == ("esx21.dr.example", "DR", "Ubuntu Linux (64-bit)")
    assert _vm(r, "web01-2").name == "web01"
    assert all(v.host is None for v in r.vms)
    assert "esx01.corp.example" in r.source_hosts


def test_powered_off_vms_included_on_request():
    r = read_inventory(RVTOOLS, include_powered_off=True)
    assert r.powered_off == 5
    assert r.imported == 24
    ids = [v.id for v in r.vms]
    assert {"print01", "old-crm", "vdi-pool-01", "sql-test-2", "web01-3"} <= set(ids)
    off = {s.vm for s in r.sources if not s.powered_on}
    assert off == {"sql-test", "print01", "old-crm", "vdi-pool-01", "web01-3"}
    assert "tpl-win2022" not in ids  # templates are never VMs to run


def test_hosts_of_the_plan_are_kept_and_ids_do_not_clash():
    r = read_inventory(RVTOOLS, host_ids={"esx01.corp.example"}, taken_ids={"dc01"})
    assert _vm(r, "dc01-2").host == "esx01.corp.example"
    assert _vm(r, "backup01").host == "esx01.corp.example"
    assert _vm(r, "dc02").host is None
    assert "dc01" not in [v.id for v in r.vms]


def test_rvtools_semicolon_variant_with_bom_and_decimal_commas():
    r = read_inventory(RVTOOLS_SEMI)
    assert (r.format, r.delimiter, r.rows) == ("rvtools", ";", 6)
    assert r.columns["disk_gb"] == "Provisioned MiB"
    cache = _vm(r, "cache; primary")
    assert cache.ram_gb == pytest.approx(1536.5 / 1024)
    assert [(x.line, x.reason) for x in r.rejected] == [(8, "Memory: 'viel' is not a number")]
    assert r.powered_off == 1
    inuse = read_inventory(RVTOOLS_SEMI, disk="in-use")
    assert _vm(inuse, "web01").disk_gb == pytest.approx(20480.5 / 1024)


# --- plain inventories -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "row", "vcpu", "ram_gb"),
    [
        ("name,vcpu,ram_gb", "a,2,4", 2, 4),
        ("Name,vCPUs,RAM (GB)", "a,2,4", 2, 4),
        ("NAME,CPUs,Memory MB", "a,2,4096", 2, 4),
        ("VM Name,cores,ram_mb", "a,2,2048", 2, 2),
        ("server,Processors,Memory (GiB)", "a,3,1.5", 3, 1.5),
        ("Name,NumCpu,MemoryGB", "a,4,16", 4, 16),
        ("vm;vcpus;ram", "a;2;0,5", 2, 0.5),
        ("name\tvcpu\tram_gb", "a\t2\t8", 2, 8),
    ],
)
def test_headers_are_matched_by_alias(header, row, vcpu, ram_gb):
    r = _csv(f"{header}\n{row}\n")
    assert r.format == "inventory"
    (vm,) = r.vms
    assert (vm.id, vm.vcpu, vm.ram_gb) == ("a", vcpu, ram_gb)


def test_optional_columns():
    r = _csv(
        "name,vcpu,ram_gb,disk_gb,NIC Gbps,cpu mhz,count,group,profile,host\n"
        "web,2,4,100,1,2400,10,front#1,diurnal,h1\n"
        "db,8,64,,,,,,,elsewhere\n",
        host_ids={"h1"},
    )
    web, db = r.vms
    assert (web.disk_gb, web.nic_mbps, web.cpu_mhz, web.count) == (100, 1000, 2400, 10)
    assert (web.anti_affinity, web.profile, web.host) == ("front-1", "diurnal", "h1")
    assert (db.disk_gb, db.nic_mbps, db.cpu_mhz, db.count, db.host) == (0, 0, None, 1, None)
    assert r.sources[1].host == "elsewhere"


def test_powercli_style_export():
    r = _csv(
        "Name,PowerState,NumCpu,MemoryGB,ProvisionedSpaceGB,VMHost\n"
        "a,PoweredOn,2,4,50.5,esx1\n"
        "b,PoweredOff,2,4,50,esx1\n"
    )
    assert [v.id for v in r.vms] == ["a"]
    assert r.vms[0].disk_gb == 50.5
    assert r.powered_off == 1


@pytest.mark.parametrize(
    ("cell", "outcome"),
    [
        ("4096", 4.0),
        ('"4,096"', 4.0),
        ("4 GB", 4.0),
        ("2048MiB", 2.0),
        ("1 TB", 1024.0),
        ("3 Mbps", "unit 'Mbps' does not fit this column"),
        ('"1,5"', "is not a number"),
        ("-1", "greater than 0"),
        ("nan", "is not a number"),
        ("1" * 400, "is too large"),
        ("1e308", "'1e308': too large (at most 4,194,304 GB)"),
        ("2.048e3", 2.0),
        ("1e999", "is too large"),
    ],
)
def test_number_cells(cell, outcome):
    r = _csv(f"name,vcpu,memory mb\na,1,{cell}\n")
    if isinstance(outcome, float):
        assert r.vms[0].ram_gb == outcome
    else:
        (rej,) = r.rejected
        assert rej.line == 2
        assert rej.reason.startswith("memory mb: ")
        assert outcome in rej.reason


def test_bad_profile_and_field_counts_are_rejected_by_line():
    r = _csv("name,vcpu,ram_gb,profile\na,1,2,weekly\n\nb,1,2,constant,extra\nc,1,2,,\nd,1\n")
    assert [(x.line, x.reason.split(":")[0]) for x in r.rejected] == [
        (2, "profile"),
        (4, "5 fields, the header has 4"),
        (6, "ram_gb"),
    ]
    assert r.rejected[0].reason == (
        "profile: 'weekly': not one of constant, diurnal, nightly-batch, bursty"
    )
    assert r.rejected[2].reason == "ram_gb: empty"
    assert [v.id for v in r.vms] == ["c"]  # empty trailing fields are not extra fields


def test_profiles_the_plan_defines_are_accepted():
    text = "name,vcpu,ram_gb,profile\na,1,2,Weekly\nb,1,2,measured\n"
    assert [x.line for x in _csv(text).rejected] == [2, 3]
    r = _csv(text, workloads={"weekly", "measured"})
    assert [v.profile for v in r.vms] == ["weekly", "measured"]


def test_line_numbers_count_quoted_newlines_and_blank_lines():
    r = _csv('\n\nname,vcpu,ram_gb,note\na,1,2,"two\nlines"\n\nb,x,2,\n')
    assert [(x.line, x.reason) for x in r.rejected] == [(7, "vcpu: 'x' is not a number")]


def test_mb_looking_values_in_a_unitless_ram_column_are_warned_about():
    (warning,) = _csv("name,vcpu,RAM\na,1,4096\nb,1,8192\n").warnings
    assert "RAM: read as GB" in warning
    assert "'RAM MB'" in warning
    assert _csv("name,vcpu,RAM\na,1,4\n").warnings == []


def test_long_and_odd_names_make_valid_ids():
    long = "x" * 300
    r = _csv(f"name,vcpu,ram_gb\n{long},1,2\n{long},1,2\n  spaced   name ,1,2\n")
    a, b, c = r.vms
    assert len(a.name) == 200
    assert len(a.id) <= 128 and len(b.id) <= 128
    assert b.id == a.id + "-2"
    assert c.id == "spaced name"
    plan_from_import(r)  # every id passes the plan's rules


# --- unusable files ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        (
            "name,ram_gb\na,2\n",
            "inv.csv: read as VM inventory CSV: missing column: vCPUs (a column",
        ),
        ("vm,cpus\na,2\n", "missing column: RAM (a column such as RAM GB, Memory MB)"),
        ("foo;bar\n1;2\n", "missing column: VM name (a column such as VM, Name); vCPUs"),
        ("", "inv.csv: the file is empty"),
        ("\n \n", "the file is empty"),
    ],
)
def test_unusable_files_are_refused_in_one_line(text, needle):
    with pytest.raises(InventoryError) as exc:
        _csv(text)
    assert needle in str(exc.value)
    assert "\n" not in str(exc.value)


def test_other_encodings_are_refused_naming_the_line():
    raw = "name,vcpu,ram_gb\na,1,2\nCaf\u00e9,1,2\n".encode("latin-1")
    with pytest.raises(InventoryError, match=r"inv.csv: line 3: not UTF-8 text \(byte 0xE9\)"):
        parse_inventory(raw, "inv.csv")
    with pytest.raises(InventoryError, match="UTF-16"):
        parse_inventory("name,vcpu,ram_gb\n".encode("utf-16"), "inv.csv")
    bom = parse_inventory(b"\xef\xbb\xbfname,vcpu,ram_gb\na,1,2\n", "inv.csv")
    assert bom.columns["name"] == "name"


def test_nul_byte_rejects_its_row_and_a_huge_field_the_file():
    r = parse_inventory(b"name,vcpu,ram_gb\na,1,\x002\nb,1,2\n", "inv.csv")
    assert [x.line for x in r.rejected] == [2]
    huge = b"name,vcpu,ram_gb\na,1,2\n" + b'"' + b"x" * 200_000 + b'",1,2\n'
    with pytest.raises(InventoryError, match=r"inv.csv: line 3: field larger than field limit"):
        parse_inventory(huge, "inv.csv")


def test_missing_file(tmp_path):
    with pytest.raises(InventoryError, match="no such file"):
        read_inventory(tmp_path / "nope.csv")
    with pytest.raises(InventoryError, match="is a folder"):
        read_inventory(tmp_path)


def test_imported_plan_round_trips(tmp_path):
    r = read_inventory(RVTOOLS)
    plan = plan_from_import(r, name="From RVTools", hypervisor="esxi@8.0")
    assert plan.hypervisor == "esxi@8.0"
    assert plan.vms == r.vms
    assert plan.hosts == []
    assert plan_from_json(plan_to_json(plan)) == plan


cells = st.text(st.sampled_from('ab1.,;"\t\n #é0-'), max_size=8)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    header=st.sampled_from(
        ["name,vcpu,ram_gb", "VM;CPUs;Memory;Powerstate", "name,cores,RAM,count,group", ""]
    ),
    rows=st.lists(st.lists(cells, max_size=6), max_size=5),
    sep=st.sampled_from([",", ";", "\t"]),
)
def test_any_table_gives_a_result_or_an_inventory_error(header, rows, sep):
    text = header + "\n" + "\n".join(sep.join(r) for r in rows)
    with contextlib.suppress(InventoryError):
        r = _csv(text, include_powered_off=True)
        plan_from_import(r)


@settings(max_examples=150, deadline=None)
@given(raw=st.binary(max_size=120))
def test_any_bytes_give_a_result_or_an_inventory_error(raw):
    with contextlib.suppress(InventoryError):
        plan_from_import(parse_inventory(b"name,vcpu,ram_gb\n" + raw, "x.csv"))
