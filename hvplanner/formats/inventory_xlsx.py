"""Excel workbooks: an RVTools export (its vInfo tab, with vHost, vDisk, vCPU and vMemory
when present) or any workbook with a tab of VM columns.

Read with python-calamine (a Rust reader: about a MB wheel, several times faster than
openpyxl on large tabs and lighter on memory); only the tabs named here are opened.

RVTools tabs (columns as RVTools writes them; sizes in MiB since RVTools 4.x):
- vInfo: `VM`, `Powerstate`, `Template`, `CPUs`, `Memory`, `Provisioned MiB`, `In Use MiB`,
  `Host`, `Cluster`, `OS according to the configuration file`.
- vHost: `Host`, `Cluster`, `Speed` (MHz), `HT Active`, `# CPU`, `Cores per CPU`, `# Cores`,
  `# Memory` (MiB), `ESX Version` → the current hosts and the ESXi release.
- vDisk: `VM`, `Capacity MiB` per virtual disk → each VM's disk (their sum).
- vCPU: `VM`, `Max` and `Overall` (MHz) → CPU utilisation; vMemory: `VM`, `Size MiB`,
  `Consumed` (MiB) → memory utilisation. Both are what vCenter reported when RVTools ran.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Iterator
from typing import Any

from hvplanner.formats import inventory_estate as estate
from hvplanner.formats.inventory import (
    _MB,
    InventoryError,
    Table,
    _compact,
    _map_columns,
    _missing_columns,
)

_NEEDED = "a vInfo tab (RVTools) or a tab with VM name, vCPUs and RAM columns"


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "True" if v else "False"
    if isinstance(v, float):
        if math.isfinite(v) and v == int(v) and abs(v) < 1e15:
            return str(int(v))
        return repr(v)
    if isinstance(v, dt.datetime | dt.date | dt.time | dt.timedelta):
        return str(v)
    return str(v)


def _rows(sheet: Any, where: str) -> Iterator[list[str]]:
    from python_calamine import CalamineError

    try:
        for row in sheet.iter_rows():
            yield [_cell(v) for v in row]
    except CalamineError as exc:  # rows are read lazily: damage may show up mid-tab
        raise _damaged(where, exc) from None


def _damaged(where: str, exc: Exception) -> InventoryError:
    return InventoryError(f"{where}: read as an Excel workbook: damaged ({exc})")


class _Book:
    """An open workbook, its tab names by case-folded name, and the file it came from."""

    def __init__(self, wb: Any, where: str) -> None:
        self.wb = wb
        self.where = where
        self.names = {n.casefold(): n for n in wb.sheet_names}


def _tab(book: _Book, tab: str) -> tuple[list[str], Iterator[list[str]]] | None:
    from python_calamine import CalamineError

    name = book.names.get(tab.casefold())
    if name is None:
        return None
    try:
        sheet = book.wb.get_sheet_by_name(name)
    except CalamineError as exc:
        raise _damaged(book.where, exc) from None
    rows = _rows(sheet, book.where)
    header = next(rows, None)
    if header is None:
        return None
    return [h.strip() for h in header], rows


def _index(headers: list[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for i, h in enumerate(headers):
        out.setdefault(_compact(h), i)
    return out


def _num(cells: list[str], i: int | None) -> float | None:
    if i is None or i >= len(cells):
        return None
    try:
        x = float(cells[i].replace(",", ""))
    except ValueError:
        return None
    return x if math.isfinite(x) else None


def _hosts(book: _Book) -> tuple[list[estate.SourceHost], list[str]]:
    tab = _tab(book, "vHost")
    if tab is None:
        return [], []
    headers, rows = tab
    ix = _index(headers)
    hosts: list[estate.SourceHost] = []
    versions: list[str] = []
    for cells in rows:
        name_i = ix.get("host")
        if name_i is None or name_i >= len(cells) or not cells[name_i].strip():
            continue
        sockets = _num(cells, ix.get("cpu"))
        per = _num(cells, ix.get("corespercpu"))
        total = _num(cells, ix.get("cores"))
        mem = _num(cells, ix.get("memory"))
        speed = _num(cells, ix.get("speed"))
        if not sockets or not mem or not (per or total):
            continue
        per = per or (total or 0) / sockets
        ht_i = ix.get("htactive")
        ht = ht_i is not None and ht_i < len(cells) and cells[ht_i].casefold() == "true"
        ver_i = ix.get("esxversion")
        version = cells[ver_i] if ver_i is not None and ver_i < len(cells) else ""
        versions.append(version)
        cl_i = ix.get("cluster")
        hosts.append(
            estate.SourceHost(
                name=cells[name_i].strip(),
                sockets=max(1, round(sockets)),
                cores_per_socket=max(1, round(per)),
                threads_per_core=2 if ht else 1,
                ghz=speed / 1000 if speed and 0 < speed <= 10_000 else None,
                ram_gb=mem * _MB,
                version=version,
                cluster=cells[cl_i] if cl_i is not None and cl_i < len(cells) else "",
            )
        )
    return hosts, versions


def _key_index(ix: dict[str, int], by_id: bool) -> int | None:
    return ix.get("vmid") if by_id else ix.get("vm")


def _per_vm(book: _Book, by_id: bool) -> tuple[dict[str, dict[str, float]], dict[str, str]]:
    """Values of other tabs by VM ID (names repeat across folders) or, without IDs, by name;
    and where each came from."""
    extra: dict[str, dict[str, float]] = {}
    where: dict[str, str] = {}
    disk = _tab(book, "vDisk")
    if disk is not None:
        headers, rows = disk
        ix = _index(headers)
        vm_i, cap_i = _key_index(ix, by_id), ix.get("capacitymib", ix.get("capacitymb"))
        if vm_i is not None and cap_i is not None:
            where["disk_gb"] = f"vDisk: sum of {headers[cap_i]}"
            for cells in rows:
                cap = _num(cells, cap_i)
                if vm_i < len(cells) and cap is not None:
                    d = extra.setdefault(cells[vm_i].strip(), {})
                    d["disk_gb"] = d.get("disk_gb", 0.0) + cap * _MB
    for tab, used, whole, key in (
        ("vCPU", "overall", "max", "cpu_util"),
        ("vMemory", "consumed", "sizemib", "ram_util"),
    ):
        found = _tab(book, tab)
        if found is None:
            continue
        headers, rows = found
        ix = _index(headers)
        vm_i = _key_index(ix, by_id)
        if vm_i is None or used not in ix or whole not in ix:
            continue
        where[key] = f"{tab}: {headers[ix[used]]} / {headers[ix[whole]]}"
        for cells in rows:
            u, w = _num(cells, ix[used]), _num(cells, ix[whole])
            if vm_i < len(cells) and u is not None and w:
                extra.setdefault(cells[vm_i].strip(), {})[key] = min(100.0, max(0.0, u / w * 100))
    return extra, where


def workbook_table(data: bytes, where: str) -> Table:
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except (CalamineError, ValueError, OSError) as exc:
        raise InventoryError(
            f"{where}: read as an Excel workbook: cannot open it ({exc})"
        ) from None
    book = _Book(wb, where)
    names = book.names
    if "vinfo" in names:
        headers, rows = _tab(book, "vInfo") or ([], iter(()))
        hosts, versions = _hosts(book)
        by_id = "vmid" in _index(headers)
        extra, origins = _per_vm(book, by_id)
        read = [names["vinfo"]] + [
            names[t] for t in ("vhost", "vdisk", "vcpu", "vmemory") if t in names
        ]
        return Table(
            "rvtools-xlsx",
            headers,
            ((n, cells) for n, cells in enumerate(rows, 2)),
            tab=names["vinfo"],
            tabs=read,
            row_word="row",
            dialect={"ram_gb": (("memory", _MB),)},
            hosts=hosts,
            hypervisor=lambda _v, known: estate.vmware_hypervisor(versions, known),
            extra=extra,
            extra_by_id=by_id,
            extra_columns=origins,
        )
    for name in wb.sheet_names:
        found = _tab(book, name)
        if found is None:
            continue
        headers, rows = found
        if _missing_columns(_map_columns(headers, "inventory", "provisioned", {})) is None:
            return Table(
                "xlsx",
                headers,
                ((n, cells) for n, cells in enumerate(rows, 2)),
                tab=name,
                tabs=[name],
                row_word="row",
            )
    tabs = ", ".join(wb.sheet_names) or "none"
    raise InventoryError(
        f"{where}: read as an Excel workbook: no VM tab (needed {_NEEDED}; tabs: {tabs})"
    )
