"""libvirt guests: `virsh dumpxml` domain XML (one or more `<domain>` elements in a file, or
a folder of such files) and `virsh domstats --raw`.

Domain XML (libvirt.org/formatdomain.html): `<name>`, `<vcpu>` (the maximum vCPUs),
`<memory unit=…>` (the maximum memory; KiB unless `unit` says otherwise), libosinfo's OS id
in `<metadata>`. It carries no power state and no disk sizes (they live in the images).
domstats (libvirt.org/manpages/virsh.html#domstats): `state.state` (1 running, 3 paused,
5 shut off…), `vcpu.maximum`, `balloon.maximum` in KiB, `block.N.capacity` in bytes.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from hvplanner.formats import inventory_estate as estate
from hvplanner.formats.inventory import (
    BYTES,
    MAX_INVENTORY_BYTES,
    InventoryError,
    Table,
)

# <memory unit="…">: libvirt's scaled-integer units (formatdomain.html#memory-allocation).
_MEMORY_UNITS = {
    "b": 1,
    "bytes": 1,
    "kb": 1000,
    "k": 1024,
    "kib": 1024,
    "mb": 1000**2,
    "m": 1024**2,
    "mib": 1024**2,
    "gb": 1000**3,
    "g": 1024**3,
    "gib": 1024**3,
    "tb": 1000**4,
    "t": 1024**4,
    "tib": 1024**4,
}
_HEADERS = ["name", "vcpus", "memory bytes", "disk bytes", "state", "os"]
_DIALECT = {
    "vcpu": (("vcpus", 1.0),),
    "ram_gb": (("memorybytes", BYTES),),
    "disk_gb": (("diskbytes", BYTES),),
    "power": (("state", 1.0),),
    "os": (("os", 1.0),),
}
_NEEDED = "one or more <domain> elements with <name>, <vcpu> and <memory> (virsh dumpxml)"


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _domains(data: bytes, where: str) -> list[ET.Element]:
    text = data.decode("utf-8-sig", errors="replace")
    if "<!DOCTYPE" in text or "<!ENTITY" in text:
        raise InventoryError(f"{where}: read as libvirt domain XML: DTDs and entities are refused")
    # Several `virsh dumpxml` outputs concatenated are not one XML document: wrap them.
    body = re.sub(r"<\?xml[^>]*\?>", "", text)
    try:
        root = ET.fromstring(f"<domains>{body}</domains>")
    except ET.ParseError as exc:
        raise InventoryError(f"{where}: read as libvirt domain XML: not XML ({exc})") from None
    found = [e for e in root.iter() if _local(e.tag) == "domain"]
    if not found:
        first = next(iter(root), None)
        tag = f"<{_local(first.tag)}>" if first is not None else "nothing"
        raise InventoryError(f"{where}: read as libvirt domain XML: found {tag}, needed {_NEEDED}")
    return found


def _memory_bytes(el: ET.Element | None) -> str:
    if el is None or not (el.text or "").strip():
        return ""
    unit = (el.get("unit") or "KiB").casefold()
    factor = _MEMORY_UNITS.get(unit)
    if factor is None:
        return f"{el.text} {el.get('unit')}"  # rejected with the unit named
    text = (el.text or "").strip()
    try:
        return str(int(text) * factor)
    except ValueError:
        return text


def _os_id(dom: ET.Element) -> str:
    for e in dom.iter():
        if _local(e.tag) == "os" and e.get("id"):
            return e.get("id") or ""
    return ""


def domain_xml_table(files: list[tuple[str, bytes]], where: str) -> Table:
    records: list[tuple[int, list[str]]] = []
    n = 0
    for name, data in files:
        for dom in _domains(data, name):
            n += 1
            vcpu = dom.find("vcpu")
            records.append(
                (
                    n,
                    [
                        (dom.findtext("name") or "").strip(),
                        (vcpu.text or "").strip() if vcpu is not None else "",
                        _memory_bytes(dom.find("memory")),
                        "",
                        # A running domain's dump carries its id; an inactive one has none,
                        # but `dumpxml --inactive` drops it too: no power state is read.
                        "",
                        _os_id(dom),
                    ],
                )
            )
    return Table(
        "libvirt",
        list(_HEADERS),
        records,
        tab="domain",
        row_word="domain",
        dialect=_DIALECT,
        hypervisor=lambda _v, known: estate.kvm_hypervisor("libvirt", known),
        warnings=["domain XML holds no disk sizes (they live in the images): disks read as 0"],
    )


def folder_table(folder: Path, where: str) -> Table:
    files = sorted(p for p in folder.iterdir() if p.suffix.casefold() == ".xml" and p.is_file())
    if not files:
        raise InventoryError(f"{where}: is a folder with no libvirt domain XML files (*.xml)")
    read: list[tuple[str, bytes]] = []
    total = 0
    for p in files:
        size = p.stat().st_size
        total += size
        if total > MAX_INVENTORY_BYTES:
            raise InventoryError(f"{where}: the XML files are larger than an inventory can be")
        read.append((str(p), p.read_bytes()))
    return domain_xml_table(read, where)


# virDomainState: 1 running, 2 blocked, 3 paused, 4 shutting down, 5 shut off, 6 crashed,
# 7 pmsuspended.
_STATES = {
    "0": "",
    "1": "running",
    "2": "running",
    "3": "paused",
    "4": "shutdown",
    "5": "shutoff",
    "6": "shutoff",
    "7": "suspended",
}


def domstats_table(data: bytes, where: str) -> Table:
    text = data.decode("utf-8", errors="replace")
    records: list[tuple[int, list[str]]] = []
    current: dict[str, str] | None = None
    start = 0

    def flush() -> None:
        if current is None:
            return
        disk = sum(
            int(v)
            for k, v in current.items()
            if re.fullmatch(r"block\.\d+\.capacity", k) and v.isdigit()
        )
        memory = current.get("balloon.maximum", "")
        records.append(
            (
                start,
                [
                    current["__name"],
                    current.get("vcpu.maximum", current.get("vcpu.current", "")),
                    str(int(memory) * 1024) if memory.isdigit() else memory,
                    str(disk),
                    _STATES.get(current.get("state.state", "0"), ""),
                    "",
                ],
            )
        )

    for number, line in enumerate(text.splitlines(), 1):
        m = re.match(r"^Domain:\s*'(.*)'\s*$", line)
        if m:
            flush()
            current, start = {"__name": m.group(1)}, number
            continue
        key, sep, value = line.strip().partition("=")
        if sep and current is not None:
            current[key] = value.strip()
    flush()
    if not records:
        raise InventoryError(f"{where}: read as virsh domstats --raw: no \"Domain: 'name'\" blocks")
    dialect = dict(_DIALECT)
    return Table(
        "domstats",
        list(_HEADERS),
        records,
        tab="Domain",
        dialect=dialect,
        hypervisor=lambda _v, known: estate.kvm_hypervisor("libvirt", known),
        warnings=[]
        if any(r[1][3] != "0" for r in records)
        else ["no block.N.capacity lines (run domstats with --block): disks read as 0"],
    )
