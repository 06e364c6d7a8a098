"""Proxmox VE: `pvesh get /cluster/resources --output-format json`.

A list of resources (pve.proxmox.com/pve-docs/api-viewer, GET /cluster/resources): `type`
qemu (a VM), lxc (a container: imported as an OS-level guest, marked as such), node (a host)
or storage/sdn/pool (ignored); `name`, `node`, `status` (running/stopped), `template`,
`maxcpu` (vCPUs; a node's logical CPUs), `maxmem` and `maxdisk` in bytes, and the current
`cpu` (fraction of maxcpu) and `mem` (bytes) — a point-in-time utilisation.
"""

from __future__ import annotations

import json
import math
from typing import Any

from hvplanner.formats import inventory_estate as estate
from hvplanner.formats.inventory import BYTES, InventoryError, Table

_HEADERS = [
    "name",
    "maxcpu",
    "maxmem",
    "maxdisk",
    "node",
    "status",
    "template",
    "kind",
    "cpu %",
    "mem %",
]
_DIALECT = {
    "vcpu": (("maxcpu", 1.0),),
    "ram_gb": (("maxmem", BYTES),),
    "disk_gb": (("maxdisk", BYTES),),
    "host": (("node", 1.0),),
    "power": (("status", 1.0),),
    "cpu_util": (("cpu", 1.0),),
    "ram_util": (("mem", 1.0),),
    "kind": (("kind", 1.0),),
}
_NEEDED = "a JSON list of resources with type, name, maxcpu, maxmem (pvesh get /cluster/resources)"


def _text(v: Any) -> str:
    if v is None or isinstance(v, dict | list):
        return ""
    if isinstance(v, bool):
        return "1" if v else "0"
    return str(v)


def _pct(part: Any, whole: Any) -> str:
    if not isinstance(part, int | float) or isinstance(part, bool):
        return ""
    if whole is None:  # cpu is already a fraction
        value = float(part) * 100
    elif isinstance(whole, int | float) and whole > 0:
        value = float(part) / float(whole) * 100
    else:
        return ""
    return f"{min(max(value, 0.0), 100.0):.3f}" if math.isfinite(value) else ""


def proxmox_table(data: bytes, where: str) -> Table:
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise InventoryError(f"{where}: read as Proxmox resources JSON: not JSON ({exc})") from None
    if isinstance(doc, dict) and isinstance(doc.get("data"), list):
        doc = doc["data"]  # the API's own envelope
    if not isinstance(doc, list) or not any(
        isinstance(r, dict) and "type" in r and ("maxcpu" in r or "maxmem" in r) for r in doc
    ):
        raise InventoryError(f"{where}: read as Proxmox resources JSON: needed {_NEEDED}")
    records: list[tuple[int, list[str]]] = []
    hosts: list[estate.SourceHost] = []
    for n, r in enumerate(doc, 1):
        if not isinstance(r, dict):
            continue
        kind = r.get("type")
        if kind == "node":
            cpus, mem = r.get("maxcpu"), r.get("maxmem")
            named = bool(_text(r.get("node") or r.get("id")).strip())
            if (
                named
                and isinstance(cpus, int)
                and cpus > 0
                and isinstance(mem, int | float)
                and mem > 0
            ):
                hosts.append(
                    estate.SourceHost(
                        name=_text(r.get("node") or r.get("id")),
                        sockets=1,
                        cores_per_socket=cpus,
                        threads_per_core=1,
                        ghz=None,
                        ram_gb=float(mem) * BYTES,
                    )
                )
            continue
        if kind not in ("qemu", "lxc"):
            continue
        records.append(
            (
                n,
                [
                    _text(r.get("name") or r.get("id")),
                    _text(r.get("maxcpu")),
                    _text(r.get("maxmem")),
                    _text(r.get("maxdisk")),
                    _text(r.get("node")),
                    _text(r.get("status")),
                    _text(r.get("template")),
                    "container" if kind == "lxc" else "vm",
                    _pct(r.get("cpu"), None) if r.get("status") == "running" else "",
                    _pct(r.get("mem"), r.get("maxmem")) if r.get("status") == "running" else "",
                ],
            )
        )
    warnings = []
    if hosts:
        warnings.append(
            "Proxmox nodes report logical CPUs only (maxcpu): each host model counts them as "
            "cores on one socket; set sockets and threads in the host model if you know them"
        )
    return Table(
        "proxmox",
        list(_HEADERS),
        records,
        tab="resources",
        row_word="resource",
        dialect=_DIALECT,
        hosts=hosts,
        hypervisor=lambda _v, known: estate.kvm_hypervisor("Proxmox VE", known),
        warnings=warnings,
    )
