"""A plan's VMs as an inventory CSV: one row per VM entry, read back by `inventory.read_inventory`.

The headers are ones the importer knows, so export → import gives the same VMs (placed on
their hosts when the importing plan has those hosts). Pinning is a placement decision, not
inventory, and is not written. Sizes are written in GB and Mbps with every digit Python
needs to give back the same float, never in exponent form (spreadsheets and the importer
would both misread it).
"""

from __future__ import annotations

import csv
import io
import os
from decimal import Decimal

from hvplanner.formats.atomic import write_atomic
from hvplanner.formats.inventory import FORMULA_STARTS
from hvplanner.model.plan import VM, Plan

HEADERS = (
    "VM",
    "Display name",
    "vCPUs",
    "RAM GB",
    "Disk GB",
    "NIC Mbps",
    "CPU MHz",
    "Count",
    "Host",
    "Group",
    "Profile",
)


def _number(value: float) -> str:
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    # repr is the shortest text that reads back as the same float; Decimal drops the exponent.
    return format(Decimal(repr(value)), "f")


def _text(value: str) -> str:
    """Text a spreadsheet would run as a formula (=HYPERLINK(…)) is quoted with an apostrophe."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _row(vm: VM) -> list[str]:
    return [
        _text(vm.id),
        _text(vm.name),
        str(vm.vcpu),
        _number(vm.ram_gb),
        _number(vm.disk_gb),
        _number(vm.nic_mbps),
        "" if vm.cpu_mhz is None else _number(vm.cpu_mhz),
        str(vm.count),
        _text(vm.host or ""),
        _text(vm.anti_affinity or ""),
        _text(vm.profile),
    ]


def inventory_csv(plan: Plan) -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADERS)
    writer.writerows(_row(vm) for vm in plan.vms)
    return out.getvalue()


def inventory_file_text(plan: Plan) -> str:
    # With a byte order mark: Excel reads a CSV as UTF-8 only with one; the importer skips it.
    return "\ufeff" + inventory_csv(plan)


def write_inventory_csv(plan: Plan, path: str | os.PathLike[str]) -> None:
    write_atomic(path, inventory_file_text(plan))
