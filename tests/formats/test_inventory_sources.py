"""One file per source, in the layout each tool writes (tests/formats/data/sources/README.md):
counts, units, hosts, guest OS, measured load and the hypervisor the plan starts on."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from hvplanner.formats.inventory import (
    ImportResult,
    InventoryError,
    parse_inventory,
    plan_from_import,
    read_inventory,
)
from hvplanner.formats.inventory_estate import guest_os
from hvplanner.formats.inventory_sources import sniff

SOURCES = Path(__file__).parent / "data" / "sources"


def _vm(r: ImportResult, ident: str):
    return next(v for v in r.vms if v.id == ident)


def _balanced(r: ImportResult) -> None:
    skipped = 0 if r.powered_off_included else r.powered_off
    assert r.rows == r.imported + len(r.rejected) + skipped + r.templates


def test_rvtools_workbook_reads_vinfo_with_hosts_disks_and_usage():
    r = read_inventory(SOURCES / "rvtools.xlsx")
    assert (r.format, r.tab, r.row_word, r.delimiter) == ("rvtools-xlsx", "vInfo", "row", "")
    assert r.tabs == ["vInfo", "vHost", "vDisk", "vCPU", "vMemory"]  # never vNetwork, vMetaData
    assert (r.rows, r.imported, r.powered_off, r.templates) == (10, 7, 1, 1)
    _balanced(r)
    assert [(x.line, x.reason) for x in r.rejected] == [(10, "CPUs: empty")]
    assert r.renamed[0].line == 11 and r.renamed[0].vm == "web01-2"
    # vDisk is matched by VM ID: the two VMs named web01 keep their own disks
    assert (_vm(r, "web01").disk_gb, _vm(r, "web01-2").disk_gb) == (90.0, 30.0)
    assert r.columns["disk_gb"] == "vDisk: sum of Capacity MiB"
    assert r.columns["cpu_util"] == "vCPU: Overall / Max"
    sql = _vm(r, "sql01")
    # Memory 65536 MiB; vDisk's two disks 256000 + 266240 MiB (not vInfo's 512000)
    assert (sql.vcpu, sql.ram_gb, sql.disk_gb) == (16, 64.0, 510.0)
    assert sql.os == "windows-server"
    assert _vm(r, "vdi-01").os == "windows-client"
    assert _vm(r, "web01").os == "linux"
    # vHost → current hosts, one model per hardware; every VM on its current host
    assert [h.id for h in r.hosts] == [
        "esx01.corp.example",
        "esx02.corp.example",
        "esx03.corp.example",
    ]
    models = {m.id: m for m in r.host_models}
    assert len(models) == 2
    esx1 = models[r.hosts[0].model]
    assert (esx1.sockets, esx1.cores_per_socket, esx1.threads_per_core) == (2, 8, 2)
    assert (esx1.ghz, esx1.ram_gb) == (2.6, 256.0)
    esx3 = models[r.hosts[2].model]
    assert (esx3.cores_per_socket, esx3.threads_per_core, esx3.ram_gb) == (16, 1, 512.0)
    assert sql.host == "esx03.corp.example"
    assert all(v.host for v in r.vms)
    # two of three hosts run 7.0.3
    assert r.hypervisor == "esxi@7.0"
    assert "ESX Version" in r.hypervisor_reason
    # vCPU Overall / Max = 25 %, vMemory Consumed / Size MiB = 50 %
    plan = plan_from_import(r)
    assert r.measured == 7
    w = plan.workload(sql.profile)
    assert (w.kind, w.cpu_avg, w.ram_avg) == ("constant", 0.25, 0.5)
    assert plan.hypervisor == "esxi@7.0" and len(plan.hosts) == 3


def test_rvtools_workbook_keeps_powered_off_when_asked():
    r = read_inventory(SOURCES / "rvtools.xlsx", include_powered_off=True)
    assert r.imported == 8
    assert not next(s for s in r.sources if s.name == "old-app").powered_on


def test_a_workbook_without_rvtools_tabs_is_read_from_its_vm_tab():
    r = read_inventory(SOURCES / "plain.xlsx")
    assert (r.format, r.tab, r.imported) == ("xlsx", "Servers", 2)
    assert _vm(r, "fs01").os == "windows-server" and _vm(r, "app01").os == "linux"


def test_rvtools_command_line_csv_export():
    r = read_inventory(SOURCES / "RVTools_tabvInfo.csv")
    assert r.format == "rvtools-cli"
    assert (r.rows, r.imported, r.powered_off, r.templates) == (6, 3, 1, 1)
    _balanced(r)
    assert [(x.line, x.reason) for x in r.rejected] == [(7, "vInfoMemory: 'n/a' is not a number")]
    ora = _vm(r, "ora01")
    assert (ora.vcpu, ora.ram_gb, ora.disk_gb, ora.os) == (8, 32.0, 200.0, "linux")
    assert _vm(r, "exch01").os == "windows-server"
    assert r.columns["ram_gb"] == "vInfoMemory" and r.columns["disk_gb"] == "vInfoProvisioned"
    assert r.hypervisor == "esxi@8.0"


@pytest.mark.parametrize(
    ("name", "first_line", "hypervisor"),
    [
        ("hyperv_getvm_ps51.csv", 3, "hyper-v@2019"),  # '#TYPE' line, configuration 9.0
        ("hyperv_getvm_ps7.csv", 2, "hyper-v@2022"),  # no '#TYPE' line, configuration 10.0
    ],
)
def test_hyperv_get_vm_export(name, first_line, hypervisor):
    r = read_inventory(SOURCES / name)
    assert r.format == "hyperv"
    assert (r.rows, r.imported, r.powered_off) == (6, 3, 2)  # Off and Saved
    _balanced(r)
    assert [x.line for x in r.rejected] == [first_line + 5]
    assert "MemoryStartup: 'lots' is not a number" in r.rejected[0].reason
    sql = _vm(r, "HV-SQL01")
    assert (sql.vcpu, sql.ram_gb) == (8, 32.0)  # MemoryStartup in bytes
    assert r.columns["ram_gb"] == "MemoryStartup" and r.columns["host"] == "ComputerName"
    assert r.hypervisor == hypervisor
    assert r.measured == 3  # CpuUsage
    plan = plan_from_import(r)
    assert plan.workload(_vm(plan, "HV-SQL01").profile).cpu_avg == 0.41


def test_powercli_get_vm_export():
    r = read_inventory(SOURCES / "powercli_getvm_ps51.csv")
    assert r.format == "powercli"
    assert (r.rows, r.imported, r.powered_off) == (5, 3, 2)  # PoweredOff and Suspended
    db = _vm(r, "db01")
    assert (db.vcpu, db.ram_gb, db.disk_gb, db.os) == (8, 64.0, 600.0, "linux")
    assert _vm(r, "app01").os == "windows-server"  # GuestId windows2019srv_64Guest
    assert r.columns["host"] == "VMHost"
    assert r.hypervisor == "esxi@8.0"
    r2 = read_inventory(SOURCES / "powercli_getvm_ps51.csv", include_powered_off=True)
    assert _vm(r2, "win10-jump").os == "windows-client"


def test_azure_migrate_template_with_utilisation():
    r = read_inventory(SOURCES / "azure_migrate_import.csv")
    assert r.format == "azure-migrate"
    assert (r.rows, r.imported) == (5, 4)
    assert [(x.line, x.reason) for x in r.rejected] == [
        (6, "CPU utilization percentage: '150' is not a percentage from 0 to 100")
    ]
    erp = _vm(r, "erp01.corp.example")
    assert (erp.vcpu, erp.ram_gb, erp.disk_gb, erp.os) == (8, 32.0, 640.0, "windows-server")
    assert _vm(r, "kiosk.corp.example").os == "windows-client"
    assert r.measured == 3
    plan = plan_from_import(r)
    w = plan.workload(_vm(plan, "erp01.corp.example").profile)
    assert (w.cpu_avg, w.cpu_peak, w.ram_avg) == (0.35, 0.35, 0.72)
    kiosk = _vm(plan, "kiosk.corp.example")
    assert kiosk.profile == "constant"  # no utilisation in the file: the default stays


def test_proxmox_cluster_resources():
    r = read_inventory(SOURCES / "proxmox_cluster_resources.json")
    assert (r.format, r.row_word) == ("proxmox", "resource")
    # qemu 100-103 and 9000 (template), lxc 200-201; nodes, storage and sdn are not rows
    assert (r.rows, r.imported, r.powered_off, r.templates, r.containers) == (7, 5, 1, 1, 2)
    db = _vm(r, "db01")
    assert (db.vcpu, db.ram_gb, db.disk_gb, db.host) == (8, 32.0, 500.0, "pve1")
    dns = _vm(r, "dns01")
    assert (dns.ram_gb, dns.os, dns.name) == (0.5, "linux", "dns01 (container)")
    assert next(s for s in r.sources if s.name == "dns01").container
    assert [h.id for h in r.hosts] == ["pve1", "pve2", "pve3"]
    assert sorted(m.cores for m in r.host_models) == [16, 32]
    assert r.hypervisor == "kvm@rhel9"
    assert any("no clock speed" in w for w in r.warnings)
    plan = plan_from_import(r)
    assert plan.workload(db.profile).cpu_avg == pytest.approx(0.38)  # cpu 0.375 → 38 %


def test_libvirt_domain_xml_file_and_folder():
    r = read_inventory(SOURCES / "libvirt_dumpxml.xml")
    assert (r.format, r.imported) == ("libvirt", 2)
    web = _vm(r, "web-kvm01")
    assert (web.vcpu, web.ram_gb, web.os) == (2, 4.0, "linux")  # 4194304 KiB
    win = _vm(r, "win-kvm02")
    assert (win.vcpu, win.ram_gb, win.os) == (4, 8.0, "windows-server")  # unit='GiB'
    assert r.hypervisor == "kvm@rhel9"
    folder = read_inventory(SOURCES / "libvirt-folder")
    assert sorted((v.id, v.vcpu, v.ram_gb) for v in folder.vms) == [
        ("app-kvm04", 2, 2.0),
        ("db-kvm03", 8, 16.0),
    ]


def test_virsh_domstats_raw():
    r = read_inventory(SOURCES / "virsh_domstats_raw.txt")
    assert (r.format, r.rows, r.imported, r.powered_off) == ("domstats", 3, 2, 1)
    web = _vm(r, "web-kvm01")
    assert (web.vcpu, web.ram_gb, web.disk_gb) == (2, 4.0, 40.0)
    assert _vm(r, "win-kvm02").disk_gb == 300.0


def test_the_content_decides_not_the_name(tmp_path):
    for src, name in [
        ("rvtools.xlsx", "export.csv"),
        ("proxmox_cluster_resources.json", "resources.txt"),
        ("libvirt_dumpxml.xml", "domains.csv"),
    ]:
        shutil.copy(SOURCES / src, tmp_path / name)
        assert read_inventory(tmp_path / name).format == read_inventory(SOURCES / src).format
    raw = (SOURCES / "rvtools.xlsx").read_bytes()
    assert parse_inventory(raw, "dropped").format == "rvtools-xlsx"
    assert sniff(b"\xef\xbb\xbf  [{") == "json"


@pytest.mark.parametrize(
    ("name", "needles"),
    [
        ("no-vm-tab.xlsx", ["read as an Excel workbook", "vInfo", "tabs: Budget"]),
        ("not-a-domain.xml", ["read as libvirt domain XML", "found <network>", "<domain>"]),
        ("not-resources.json", ["read as Proxmox resources JSON", "maxcpu, maxmem"]),
    ],
)
def test_unusable_sources_name_the_file_format_and_what_was_needed(name, needles):
    with pytest.raises(InventoryError) as exc:
        read_inventory(SOURCES / name)
    msg = str(exc.value)
    assert msg.startswith(str(SOURCES / name))
    assert "\n" not in msg
    for needle in needles:
        assert needle in msg


def test_a_csv_whose_columns_cannot_be_mapped_names_its_format():
    with pytest.raises(InventoryError, match=r"x.csv: read as VM inventory CSV: missing column"):
        parse_inventory(b"a,b\n1,2\n", "x.csv")


def test_a_pipe_separator_hint_is_honoured():
    r = parse_inventory(b"sep=|\nname|vcpu|ram_gb\na|2|4\n", "p.csv")
    assert (r.delimiter, r.imported, _vm(r, "a").ram_gb) == ("|", 1, 4.0)


def test_repeated_names_are_numbered_in_one_pass():
    rows = "".join("web,1,2\n" for _ in range(3000))
    r = parse_inventory(("name,vcpu,ram_gb\n" + rows).encode(), "x.csv", taken_ids={"web-2"})
    ids = [v.id for v in r.vms]
    assert len(set(ids)) == 3000
    assert ids[:3] == ["web", "web-3", "web-4"] and ids[-1] == "web-3001"


def test_devices_are_refused(tmp_path):
    with pytest.raises(InventoryError, match="not a regular file"):
        read_inventory("/dev/null")


@pytest.mark.parametrize(
    ("text", "family"),
    [
        ("Microsoft Windows Server 2019 (64-bit)", "windows-server"),
        ("windows2019srv_64Guest", "windows-server"),
        ("http://microsoft.com/win/2k22", "windows-server"),
        ("Microsoft Windows 11 (64-bit)", "windows-client"),
        ("windows9_64Guest", "windows-client"),
        ("Red Hat Enterprise Linux 9 (64-bit)", "linux"),
        ("ubuntu64Guest", "linux"),
        ("http://ubuntu.com/ubuntu/22.04", "linux"),
        ("FreeBSD 13 (64-bit)", "other"),
        ("", "other"),
    ],
)
def test_guest_os_family(text, family):
    assert guest_os(text) == family


# --- anything else is an InventoryError, never a crash ---------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=12,
)
_resource = st.fixed_dictionaries(
    {"type": st.sampled_from(["qemu", "lxc", "node", "storage", 7])},
    optional={
        "name": st.text(max_size=6) | st.integers(),
        "maxcpu": st.integers(-2, 300) | st.floats() | st.text(max_size=3),
        "maxmem": st.integers(-2, 2**50) | st.floats() | st.none(),
        "maxdisk": st.integers(-2, 2**50),
        "node": st.text(max_size=5),
        "status": st.sampled_from(["running", "stopped", ""]),
        "template": st.integers(0, 1),
        "cpu": st.floats() | st.integers(),
        "mem": st.integers(-1, 2**40),
    },
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=st.lists(_resource, max_size=6) | _json_values)
def test_any_json_is_a_result_or_an_inventory_error(doc):
    import json

    raw = json.dumps(doc).encode()
    try:
        parse_inventory(raw, "r.json")
    except InventoryError as exc:
        assert "\n" not in str(exc)


_xml_bits = st.sampled_from(
    [
        "<domain>",
        "</domain>",
        "<name>a</name>",
        "<vcpu>2</vcpu>",
        "<vcpu>x</vcpu>",
        "<memory unit='GiB'>4</memory>",
        "<memory unit='parsec'>4</memory>",
        "<memory>-1</memory>",
        "<!DOCTYPE x>",
        "<",
        "&amp;",
        "text",
    ]
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(parts=st.lists(_xml_bits, max_size=10), stats=st.text(max_size=60))
def test_any_xml_or_domstats_is_a_result_or_an_inventory_error(parts, stats):
    for raw in ("<" + "".join(parts)).encode(), ("Domain: 'x'\n" + stats).encode():
        try:
            parse_inventory(raw, "d.xml")
        except InventoryError as exc:
            assert "\n" not in str(exc)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cut=st.integers(0, 15000), flip=st.integers(0, 255))
def test_damaged_workbooks_are_an_inventory_error(cut, flip):
    raw = bytearray((SOURCES / "rvtools.xlsx").read_bytes())
    if cut < len(raw):
        raw[cut] = flip
    try:
        parse_inventory(bytes(raw[: max(cut, 4)] if flip % 2 else raw), "w.xlsx")
    except InventoryError as exc:
        assert "\n" not in str(exc)


def test_a_fifo_is_refused_without_blocking(tmp_path):
    import os

    fifo = tmp_path / "inv.csv"
    os.mkfifo(fifo)
    with pytest.raises(InventoryError, match="not a regular file"):
        read_inventory(fifo)
