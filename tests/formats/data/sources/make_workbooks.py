"""Writes rvtools.xlsx and plain.xlsx: run it after changing the rows below.

    python tests/formats/data/sources/make_workbooks.py

The workbook has RVTools' tab names and column headers as RVTools 4.x writes them (see
README.md); openpyxl writes it, python-calamine (what hvplanner ships) reads it back.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).parent

VINFO = [
    "VM",
    "Powerstate",
    "Template",
    "SRM Placeholder",
    "Config status",
    "DNS Name",
    "Connection state",
    "Guest state",
    "Heartbeat",
    "Consolidation Needed",
    "PowerOn",
    "Suspend time",
    "Creation date",
    "Change Version",
    "CPUs",
    "Memory",
    "NICs",
    "Disks",
    "Total disk capacity MiB",
    "min Required EVC Mode Key",
    "Latency Sensitivity",
    "EnableUUID",
    "CBT",
    "Primary IP Address",
    "Network #1",
    "Provisioned MiB",
    "In Use MiB",
    "Unshared MiB",
    "HA Restart Priority",
    "Annotation",
    "Datacenter",
    "Cluster",
    "Host",
    "OS according to the configuration file",
    "OS according to the VMware Tools",
    "VM ID",
    "VM UUID",
    "VI SDK Server type",
    "VI SDK API Version",
    "VI SDK Server",
]
# VM, power, template, CPUs, Memory (MiB), Provisioned MiB, In Use MiB, host, OS
VMS = [
    (
        "dc01",
        "poweredOn",
        False,
        2,
        4096,
        61440,
        38000,
        "esx01.corp.example",
        "Microsoft Windows Server 2019 (64-bit)",
    ),
    (
        "dc02",
        "poweredOn",
        False,
        2,
        4096,
        61440,
        37000,
        "esx02.corp.example",
        "Microsoft Windows Server 2019 (64-bit)",
    ),
    (
        "web01",
        "poweredOn",
        False,
        4,
        8192,
        81920,
        40960,
        "esx01.corp.example",
        "Ubuntu Linux (64-bit)",
    ),
    (
        "web02",
        "poweredOn",
        False,
        4,
        8192,
        81920,
        41000,
        "esx02.corp.example",
        "Ubuntu Linux (64-bit)",
    ),
    (
        "sql01",
        "poweredOn",
        False,
        16,
        65536,
        512000,
        300000,
        "esx03.corp.example",
        "Microsoft Windows Server 2022 (64-bit)",
    ),
    (
        "vdi-01",
        "poweredOn",
        False,
        2,
        4096,
        40960,
        20000,
        "esx03.corp.example",
        "Microsoft Windows 10 (64-bit)",
    ),
    (
        "old-app",
        "poweredOff",
        False,
        2,
        2048,
        20480,
        10000,
        "esx01.corp.example",
        "Red Hat Enterprise Linux 7 (64-bit)",
    ),
    (
        "tmpl-w2k22",
        "poweredOff",
        True,
        2,
        4096,
        40960,
        9000,
        "esx02.corp.example",
        "Microsoft Windows Server 2022 (64-bit)",
    ),
    (
        "broken",
        "poweredOn",
        False,
        "",
        4096,
        40960,
        9000,
        "esx02.corp.example",
        "Other Linux (64-bit)",
    ),
    (
        "web01",
        "poweredOn",
        False,
        2,
        2048,
        20480,
        9000,
        "esx03.corp.example",
        "Debian GNU/Linux 12 (64-bit)",
    ),
]
VHOST = [
    "Host",
    "Datacenter",
    "Cluster",
    "Config status",
    "in Maintenance Mode",
    "in Quarantine Mode",
    "vSAN Fault Domain Name",
    "CPU Model",
    "Speed",
    "HT Available",
    "HT Active",
    "# CPU",
    "Cores per CPU",
    "# Cores",
    "CPU usage %",
    "# Memory",
    "Memory usage %",
    "Console",
    "# NICs",
    "# HBAs",
    "# VMs total",
    "# VMs",
    "VMs per Core",
    "# vCPUs",
    "vCPUs per Core",
    "vRAM",
    "VM Used memory",
    "VM Memory Swapped",
    "VM Memory Ballooned",
    "VMotion support",
    "Storage VMotion support",
    "Current EVC",
    "Max EVC",
    "Assigned License(s)",
    "ATS Heartbeat",
    "ATS Locking",
    "Current CPU power man. policy",
    "Supported CPU power man.",
    "Host Power Policy",
    "ESX Version",
    "Boot time",
    "DNS Servers",
    "DHCP",
    "Domain",
    "Domain List",
    "DNS Search Order",
    "NTP Server(s)",
    "NTPD running",
    "Time Zone",
    "Time Zone Name",
    "GMT Offset",
    "Vendor",
    "Model",
    "Serial number",
    "Service tag",
    "OEM specific string",
    "BIOS Vendor",
    "BIOS Version",
    "BIOS Date",
    "Object ID",
    "UUID",
    "VI SDK Server",
    "VI SDK UUID",
]
# Host, Speed MHz, HT Active, # CPU, Cores per CPU, # Memory (MiB), ESX Version
HOSTS = [
    ("esx01.corp.example", 2600, True, 2, 8, 262144, "VMware ESXi 7.0.3 build-21930508"),
    ("esx02.corp.example", 2600, True, 2, 8, 262144, "VMware ESXi 7.0.3 build-21930508"),
    ("esx03.corp.example", 2100, False, 2, 16, 524288, "VMware ESXi 8.0.2 build-22380479"),
]
VDISK = [
    "VM",
    "Powerstate",
    "Template",
    "Disk",
    "Disk Key",
    "Disk UUID",
    "Disk Path",
    "Capacity MiB",
    "Raw",
    "Disk Mode",
    "Sharing mode",
    "Thin",
    "Eagerly Scrub",
    "Split",
    "Write Through",
    "Level",
    "Shares",
    "Reservation",
    "Limit",
    "Controller",
    "Label",
    "SCSI Unit #",
    "Unit #",
    "Shared Bus",
    "Path",
    "Raw LUN ID",
    "Raw Comp. Mode",
    "Internal Sort Column",
    "Annotation",
    "Datacenter",
    "Cluster",
    "Host",
    "Folder",
    "OS according to the configuration file",
    "VM ID",
    "VM UUID",
    "VI SDK Server",
]
VCPU = [
    "VM",
    "Powerstate",
    "Template",
    "CPUs",
    "Sockets",
    "Cores p/s",
    "Max",
    "Overall",
    "Level",
    "Shares",
    "Reservation",
    "Entitlement",
    "DRS Entitlement",
    "Limit",
    "Hot Add",
    "Hot Remove",
    "Numa Hotadd Exposed",
    "Annotation",
    "Datacenter",
    "Cluster",
    "Host",
    "Folder",
    "OS according to the configuration file",
    "VM ID",
    "VM UUID",
    "VI SDK Server",
]
VMEMORY = [
    "VM",
    "Powerstate",
    "Template",
    "Size MiB",
    "Memory Reservation Locked To Max",
    "Overhead",
    "Max",
    "Consumed",
    "Consumed Overhead",
    "Private",
    "Shared",
    "Swapped",
    "Ballooned",
    "Active",
    "Entitlement",
    "DRS Entitlement",
    "Level",
    "Shares",
    "Reservation",
    "Limit",
    "Hot Add",
    "Annotation",
    "Datacenter",
    "Cluster",
    "Host",
    "Folder",
    "OS according to the configuration file",
    "VM ID",
    "VM UUID",
    "VI SDK Server",
]


def _row(headers: list[str], values: dict[str, object]) -> list[object]:
    return [values.get(h, "") for h in headers]


def rvtools(path: Path) -> None:
    wb = Workbook()
    info = wb.active
    info.title = "vInfo"
    info.append(VINFO)
    disk = wb.create_sheet("vCPU")
    cpu = disk
    cpu.append(VCPU)
    mem = wb.create_sheet("vMemory")
    mem.append(VMEMORY)
    disk = wb.create_sheet("vDisk")
    disk.append(VDISK)
    for i, (vm, power, tmpl, cpus, memory, prov, used, host, os) in enumerate(VMS):
        info.append(
            _row(
                VINFO,
                {
                    "VM": vm,
                    "Powerstate": power,
                    "Template": tmpl,
                    "SRM Placeholder": False,
                    "Config status": "green",
                    "Connection state": "connected",
                    "CPUs": cpus,
                    "Memory": memory,
                    "NICs": 1,
                    "Disks": 1,
                    "Total disk capacity MiB": prov,
                    "Provisioned MiB": prov,
                    "In Use MiB": used,
                    "Datacenter": "HQ",
                    "Cluster": "Prod",
                    "Host": host,
                    "OS according to the configuration file": os,
                    "OS according to the VMware Tools": os,
                    "VM ID": f"vm-{1001 + i}",
                    "VI SDK Server type": "VMware vCenter Server",
                    "VI SDK Server": "vc01.corp.example",
                },
            )
        )
        if power == "poweredOn" and cpus:
            cpu.append(
                _row(
                    VCPU,
                    {
                        "VM": vm,
                        "Powerstate": power,
                        "Template": tmpl,
                        "CPUs": cpus,
                        "Max": cpus * 2600,
                        "Overall": cpus * 2600 // 4,
                        "Host": host,
                        "VM ID": f"vm-{1001 + i}",
                    },
                )
            )
            mem.append(
                _row(
                    VMEMORY,
                    {
                        "VM": vm,
                        "Powerstate": power,
                        "Template": tmpl,
                        "Size MiB": memory,
                        "Consumed": memory // 2,
                        "Active": memory // 8,
                        "Host": host,
                        "VM ID": f"vm-{1001 + i}",
                    },
                )
            )
        # Two disks per VM: vDisk's capacities sum to more than vInfo's Provisioned MiB.
        for n, cap in enumerate((prov // 2, prov // 2 + 10240)):
            disk.append(
                _row(
                    VDISK,
                    {
                        "VM": vm,
                        "Powerstate": power,
                        "Template": tmpl,
                        "Disk": f"Hard disk {n + 1}",
                        "Capacity MiB": cap,
                        "Host": host,
                        "VM ID": f"vm-{1001 + i}",
                    },
                )
            )
    host_tab = wb.create_sheet("vHost")
    host_tab.append(VHOST)
    for name, speed, ht, sockets, per, memory, version in HOSTS:
        host_tab.append(
            _row(
                VHOST,
                {
                    "Host": name,
                    "Datacenter": "HQ",
                    "Cluster": "Prod",
                    "Speed": speed,
                    "HT Available": True,
                    "HT Active": ht,
                    "# CPU": sockets,
                    "Cores per CPU": per,
                    "# Cores": sockets * per,
                    "# Memory": memory,
                    "# NICs": 4,
                    "ESX Version": version,
                    "Vendor": "Dell Inc.",
                    "Model": "PowerEdge R740",
                },
            )
        )
    wb.create_sheet("vNetwork").append(
        ["VM", "Powerstate", "Template", "NIC label", "Adapter", "Network", "Switch", "Connected"]
    )
    wb.create_sheet("vMetaData").append(
        ["RVTools major version", "RVTools version", "xlsx creation datetime", "Server"]
    )
    wb.save(path)


def plain(path: Path) -> None:
    """A hand-made workbook: no RVTools tabs, a sheet of VM columns after a notes sheet."""
    wb = Workbook()
    notes = wb.active
    notes.title = "Notes"
    notes.append(["Estate of the branch office, 2024"])
    vms = wb.create_sheet("Servers")
    vms.append(["Name", "vCPUs", "RAM GB", "Disk GB", "OS"])
    vms.append(["fs01", 2, 8, 500, "Windows Server 2016"])
    vms.append(["app01", 4, 16, 120, "Rocky Linux 9"])
    wb.save(path)


def no_vm_tab(path: Path) -> None:
    wb = Workbook()
    wb.active.title = "Budget"
    wb.active.append(["Item", "Cost"])
    wb.active.append(["Licences", 1200])
    wb.save(path)


if __name__ == "__main__":
    rvtools(HERE / "rvtools.xlsx")
    plain(HERE / "plain.xlsx")
    no_vm_tab(HERE / "no-vm-tab.xlsx")
