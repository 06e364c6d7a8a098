"""VM inventories from CSV: a plain inventory or an RVTools vInfo export, told apart by headers.

A plain inventory has a column per VM field, named loosely and matched case-insensitively
("vCPUs", "CPUs", "cores"; "RAM (GB)", "Memory MB"…). An RVTools vInfo tab saved as CSV
has `VM`, `Powerstate`, `CPUs`, `Memory` (MB), `Provisioned MB`/`In Use MB` (MiB in newer
releases), `Host`, `Cluster` and the guest OS. Either may be comma-, semicolon- or
tab-separated, UTF-8 with or without a byte order mark.

A row that cannot become a VM is rejected with its line number and the reason; the rest
are imported. Powered-off (and suspended) VMs are counted, and kept only when asked.
Templates are skipped. Rows land on no host unless the caller names that host as one of
its own; the source host, cluster and OS are kept with each row in `ImportResult.sources`.
"""

from __future__ import annotations

import csv
import functools
import io
import math
import os
import re
import statistics
from collections import Counter
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from hvplanner.errors import InputError
from hvplanner.formats.files import read_limited
from hvplanner.model.plan import BUILTIN_WORKLOADS, VM, Plan
from hvplanner.text import fmt

Format = Literal["inventory", "rvtools"]
DiskBasis = Literal["provisioned", "in-use"]

MAX_INVENTORY_BYTES = 256 * 1024 * 1024
_ID_ROOM = 120  # ids are at most 128 characters; leave room for a "-NNN" suffix
_MB_PER_GB = 1024.0


class InventoryError(InputError):
    """A file that cannot be imported at all: unreadable, wrong encoding, no usable columns."""


class RejectedRow(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    line: int
    reason: str


class SourceRow(BaseModel):
    """Where an imported VM came from: what the plan model has no field for."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    line: int
    vm: str
    name: str
    host: str | None = None
    cluster: str | None = None
    os: str | None = None
    powered_on: bool = True


class ImportResult(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    format: Format
    delimiter: str
    columns: dict[str, str]
    """Field → the header it was read from, as the file spells it."""
    rows: int
    """Data rows in the file (blank lines not counted)."""
    imported: int
    vms: list[VM]
    sources: list[SourceRow]
    rejected: list[RejectedRow]
    powered_off: int
    """Rows whose power state is off or suspended, imported or not."""
    powered_off_included: bool
    templates: int
    warnings: list[str]

    @property
    def renamed(self) -> list[SourceRow]:
        """Rows whose VM id differs from their name: repeats suffixed, '#' replaced."""
        return [s for s in self.sources if s.vm != s.name]

    @property
    def source_hosts(self) -> list[str]:
        return sorted({s.host for s in self.sources if s.host})


# --- columns ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Field:
    key: str
    label: str
    aliases: tuple[tuple[str, float], ...]
    """(compact header, factor to the model's unit), most preferred first."""


def _f(key: str, label: str, *aliases: str | tuple[str, float]) -> _Field:
    return _Field(key, label, tuple(a if isinstance(a, tuple) else (a, 1.0) for a in aliases))


_GB = 1.0
_MB = 1.0 / _MB_PER_GB
_TB = _MB_PER_GB

_FIELDS = [
    _f("name", "VM name", "name", "vm", "vmname", "virtualmachine", "server", "servername"),
    # What hvplanner's own CSV export writes beside the id, so a VM keeps its label.
    _f("display", "display name", "displayname"),
    _f(
        "vcpu",
        "vCPUs",
        "vcpu",
        "vcpus",
        "cpus",
        "cpu",
        "numcpu",
        "numcpus",
        "cpucount",
        "cores",
        "vcores",
        "processors",
        "processorcount",
    ),
    _f(
        "ram_gb",
        "RAM",
        ("ramgb", _GB),
        ("memorygb", _GB),
        ("memgb", _GB),
        ("ramgib", _GB),
        ("memorygib", _GB),
        ("rammb", _MB),
        ("memorymb", _MB),
        ("memmb", _MB),
        ("rammib", _MB),
        ("memorymib", _MB),
        ("ram", _GB),
        ("memory", _GB),
        ("mem", _GB),
    ),
    _f(
        "disk_gb",
        "disk",
        ("diskgb", _GB),
        ("disksizegb", _GB),
        ("storagegb", _GB),
        ("provisionedgb", _GB),
        ("provisionedspacegb", _GB),
        ("capacitygb", _GB),
        ("diskgib", _GB),
        ("provisionedgib", _GB),
        ("diskmb", _MB),
        ("storagemb", _MB),
        ("provisionedmb", _MB),
        ("provisionedmib", _MB),
        ("totaldiskcapacitymb", _MB),
        ("totaldiskcapacitymib", _MB),
        ("disktb", _TB),
        ("storagetb", _TB),
        ("disk", _GB),
        ("storage", _GB),
    ),
    _f(
        "disk_in_use_gb",
        "disk in use",
        ("inusemb", _MB),
        ("inusemib", _MB),
        ("inusegb", _GB),
        ("usedspacegb", _GB),
    ),
    _f(
        "nic_mbps",
        "network",
        "nicmbps",
        "networkmbps",
        "bandwidthmbps",
        "mbps",
        ("nicgbps", 1000.0),
        ("networkgbps", 1000.0),
        ("bandwidthgbps", 1000.0),
        "nic",
        "network",
        "bandwidth",
    ),
    _f("cpu_mhz", "CPU MHz", "cpumhz", "peakcpumhz", "peakmhz", "mhz", ("cpughz", 1000.0)),
    _f("count", "count", "count", "qty", "quantity", "instances", "copies"),
    _f("host", "host", "host", "vmhost", "esxhost", "esxihost", "hypervisorhost"),
    _f("group", "group", "group", "antiaffinity", "antiaffinitygroup", "affinitygroup"),
    _f("profile", "profile", "profile", "workload", "workloadprofile"),
    _f("power", "power state", "powerstate", "power", "state"),
    _f("template", "template", "template"),
    _f("cluster", "cluster", "cluster"),
    _f(
        "os",
        "OS",
        "osaccordingtotheconfigurationfile",
        "osaccordingtothevmwaretools",
        "guestos",
        "operatingsystem",
        "os",
    ),
]
FIELD_LABELS = {f.key: f.label for f in _FIELDS}
"""Field key (as in `ImportResult.columns`) → the name to show users."""
_REQUIRED = ("name", "vcpu", "ram_gb")
_SERIES_FREE = tuple(w for w in BUILTIN_WORKLOADS if w != "measured")
_RVTOOLS_MARKS = {"vm", "powerstate", "cpus", "memory"}
_POWERED_OFF = {"poweredoff", "off", "stopped", "shutdown", "shutoff", "suspended", "saved"}
_TRUE = {"true", "yes", "y", "1", "x"}


@functools.lru_cache(maxsize=1024)
def _compact(header: str) -> str:
    return re.sub(r"[^0-9a-z]", "", header.casefold())


def _map_columns(headers: list[str], fmt: Format, disk: DiskBasis) -> dict[str, tuple[int, float]]:
    """Field → (column index, factor). The most preferred alias present wins."""
    index: dict[str, int] = {}
    for i, h in enumerate(headers):
        index.setdefault(_compact(h), i)
    found: dict[str, tuple[int, float]] = {}
    for field in _FIELDS:
        for alias, factor in field.aliases:
            if alias in index:
                rvtools_mb = fmt == "rvtools" and alias == "memory"  # RVTools' Memory is MB
                found[field.key] = (index[alias], _MB if rvtools_mb else factor)
                break
    in_use = found.pop("disk_in_use_gb", None)
    if in_use is not None and (disk == "in-use" or "disk_gb" not in found):
        found["disk_gb"] = in_use
    return found


_EXAMPLES = {"name": "VM, Name", "vcpu": "vCPUs, CPUs, cores", "ram_gb": "RAM GB, Memory MB"}


def _missing_columns(found: dict[str, Any]) -> str | None:
    missing = []
    for key in _REQUIRED:
        if key not in found:
            field = next(f for f in _FIELDS if f.key == key)
            missing.append(f"{field.label} (a column such as {_EXAMPLES[key]})")
    return "missing column: " + "; ".join(missing) if missing else None


# --- text and records ----------------------------------------------------------------------


def _decode(raw: bytes, where: str) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InventoryError(f"{where}: UTF-16 text; save the file as 'CSV UTF-8'")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InventoryError(
            f"{where}: line {line}: not UTF-8 text (byte 0x{raw[exc.start]:02X}); "
            "save the file as 'CSV UTF-8'"
        ) from exc


def _sniff(header_line: str) -> str:
    """The separator that splits the header most, outside quotes; comma when none does."""
    counts: Counter[str] = Counter()
    quoted = False
    for ch in header_line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in ",;\t":
            counts[ch] += 1
    if not counts:
        return ","
    return max(",;\t", key=lambda c: counts[c])


def _records(text: str, delimiter: str, first_line: int) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    last = first_line - 1
    try:
        for cells in reader:
            start, last = last + 1, first_line - 1 + reader.line_num
            yield start, cells
    except csv.Error as exc:
        raise InventoryError(f"line {last + 1}: {exc}") from exc


# --- values ---------------------------------------------------------------------------------

_UNITS = {
    "ram_gb": {"mb": _MB, "mib": _MB, "gb": _GB, "gib": _GB, "tb": _TB, "tib": _TB},
    "disk_gb": {"mb": _MB, "mib": _MB, "gb": _GB, "gib": _GB, "tb": _TB, "tib": _TB},
    "nic_mbps": {"mbps": 1.0, "mbit": 1.0, "gbps": 1000.0, "gbit": 1000.0},
    "cpu_mhz": {"mhz": 1.0, "ghz": 1000.0},
}
_NUMBER = re.compile(
    r"^([+-]?[0-9.,\s\u00a0\u202f']*[0-9](?:e[+-]?[0-9]+)?)\s*([a-z]*)$", re.IGNORECASE
)
_GROUPED = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")


# The model's limits are in these units, whatever unit the column was read in.
_LIMIT_UNIT = {"ram_gb": " GB", "disk_gb": " GB", "nic_mbps": " Mbps", "cpu_mhz": " MHz"}


class _BadValueError(ValueError):
    pass


def _number(text: str, field: str, factor: float, decimal_comma: bool) -> float:
    if text.isascii() and text.isdigit() and len(text) < 20:  # the common case, quickly
        return float(text) * factor
    m = _NUMBER.match(text)
    if not m:
        raise _BadValueError(f"{text!r} is not a number")
    digits, unit = m.group(1), m.group(2).casefold()
    if unit:
        units = _UNITS.get(field, {})
        if unit not in units:
            raise _BadValueError(f"{text!r}: unit {m.group(2)!r} does not fit this column")
        factor = units[unit]
    digits = re.sub(r"[\s\u00a0\u202f']", "", digits)
    if decimal_comma:
        if "," in digits:
            digits = digits.replace(".", "").replace(",", ".")
    elif "," in digits:
        if not _GROUPED.match(digits.lstrip("+-")):
            raise _BadValueError(f"{text!r} is not a number")
        digits = digits.replace(",", "")
    try:
        value = float(digits)
    except ValueError:
        raise _BadValueError(f"{text!r} is not a number") from None
    # The pattern admits no 'inf' or 'nan': a non-finite result is an overflow.
    if not math.isfinite(value * factor):
        raise _BadValueError(f"{text!r} is too large")
    return value * factor


def _whole(text: str, decimal_comma: bool) -> int:
    value = _number(text, "", 1.0, decimal_comma)
    if value != int(value):
        raise _BadValueError(f"{text!r} is not a whole number")
    return int(value)


def _base_id(name: str) -> str:
    ident = re.sub(r"\s+", " ", name.replace("#", "-")).strip()
    return ident[:_ID_ROOM].rstrip() or "vm"


def _group_id(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("#", "-")).strip()[:128].rstrip()


# --- the import -------------------------------------------------------------------------------


@dataclass
class _Row:
    line: int
    vm: VM
    name: str
    host: str | None
    cluster: str | None
    os: str | None
    on: bool


def read_inventory(
    path: str | os.PathLike[str],
    *,
    include_powered_off: bool = False,
    host_ids: Collection[str] = (),
    taken_ids: Collection[str] = (),
    workloads: Collection[str] = (),
    disk: DiskBasis = "provisioned",
) -> ImportResult:
    p = Path(path)
    raw = read_limited(p, MAX_INVENTORY_BYTES, "a CSV file", InventoryError)
    return parse_inventory(
        raw,
        str(p),
        include_powered_off=include_powered_off,
        host_ids=host_ids,
        taken_ids=taken_ids,
        workloads=workloads,
        disk=disk,
    )


def parse_inventory(
    raw: bytes,
    where: str = "inventory",
    *,
    include_powered_off: bool = False,
    host_ids: Collection[str] = (),
    taken_ids: Collection[str] = (),
    workloads: Collection[str] = (),
    disk: DiskBasis = "provisioned",
) -> ImportResult:
    """Read the VMs of an inventory CSV.

    `host_ids`: hosts of the plan the VMs go into; a row whose host is one of them is
    placed there, any other stays unplaced. `taken_ids`: VM ids already in that plan.
    `workloads`: workload profiles that plan defines, usable in a profile column beside
    the built-in ones that need no series ('measured' needs the plan's own definition).
    Raises InventoryError when the file cannot be used at all; bad rows are reported in
    the result instead.
    """
    text = _decode(raw, where)
    lines = re.split(r"\r\n|\r|\n", text)
    first = 0
    while first < len(lines) and not lines[first].strip():
        first += 1
    delimiter: str | None = None
    if first < len(lines) and re.fullmatch(r"(?i)sep=(.)", lines[first].strip()):
        delimiter = lines[first].strip()[4]  # Excel's separator hint line
        first += 1
        while first < len(lines) and not lines[first].strip():
            first += 1
    if first >= len(lines):
        raise InventoryError(f"{where}: the file is empty (no header row)")
    delimiter = delimiter or _sniff(lines[first])
    body = "\n".join(lines[first:])
    try:
        records = _records(body, delimiter, first + 1)
        _, headers = next(records)
        headers = [h.strip() for h in headers]
        keys = {_compact(h) for h in headers}
        fmt: Format = "rvtools" if keys >= _RVTOOLS_MARKS else "inventory"
        cols = _map_columns(headers, fmt, disk)
        problem = _missing_columns(cols)
        if problem:
            raise InventoryError(f"{where}: {problem}")
        usable = {*_SERIES_FREE, *workloads}
        return _import(
            records,
            headers,
            cols,
            fmt,
            delimiter,
            include_powered_off,
            set(host_ids),
            usable,
            taken_ids,
        )
    except InventoryError as exc:
        msg = str(exc)
        raise InventoryError(msg if msg.startswith(where) else f"{where}: {msg}") from exc


def _import(
    records: Iterator[tuple[int, list[str]]],
    headers: list[str],
    cols: dict[str, tuple[int, float]],
    fmt: Format,
    delimiter: str,
    include_powered_off: bool,
    host_ids: set[str],
    workloads: set[str],
    taken_ids: Collection[str],
) -> ImportResult:
    decimal_comma = delimiter == ";"
    rows: list[_Row] = []
    rejected: list[RejectedRow] = []
    n_rows = powered_off = templates = 0
    unitless_ram: list[float] = []
    ram_col = cols["ram_gb"]
    ram_unitless = _compact(headers[ram_col[0]]) in {"ram", "memory", "mem"} and fmt != "rvtools"

    for line, cells in records:
        if not any(c.strip() for c in cells):
            continue
        n_rows += 1
        if len(cells) > len(headers) and any(c.strip() for c in cells[len(headers) :]):
            rejected.append(
                RejectedRow(line=line, reason=f"{len(cells)} fields, the header has {len(headers)}")
            )
            continue

        vals = _values(cells, cols)
        if vals.get("template", "").casefold() in _TRUE:
            templates += 1
            continue
        on = _compact(vals.get("power", "")) not in _POWERED_OFF
        if not on:
            powered_off += 1
            if not include_powered_off:
                continue
        try:
            row = _row_vm(line, vals, cols, headers, decimal_comma, host_ids, workloads, on)
        except _BadValueError as exc:
            rejected.append(RejectedRow(line=line, reason=str(exc)))
            continue
        if ram_unitless:
            unitless_ram.append(row.vm.ram_gb)
        rows.append(row)

    vms, sources = _assign_ids(rows, taken_ids)
    warnings = []
    if unitless_ram and statistics.median(unitless_ram) >= 512:
        header = headers[ram_col[0]]
        warnings.append(
            f"{header}: read as GB, but the values look like MB (median "
            f"{statistics.median(unitless_ram):g}); name the column '{header} MB' if they are"
        )
    return ImportResult(
        format=fmt,
        delimiter=delimiter,
        columns={key: headers[i] for key, (i, _) in cols.items()},
        rows=n_rows,
        imported=len(vms),
        vms=vms,
        sources=sources,
        rejected=rejected,
        powered_off=powered_off,
        powered_off_included=include_powered_off,
        templates=templates,
        warnings=warnings,
    )


# A spreadsheet runs a cell starting with one of these as a formula; hvplanner's own CSV
# export quotes such text with a leading apostrophe, which reading drops again.
FORMULA_STARTS = ("=", "+", "-", "@")


def unquote_formula(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text


def _values(cells: list[str], cols: dict[str, tuple[int, float]]) -> dict[str, str]:
    n = len(cells)
    return {key: unquote_formula(cells[i].strip()) if i < n else "" for key, (i, _) in cols.items()}


# Plan model field → the inventory field whose column it was read from.
_FROM_COLUMN = {"anti_affinity": "group"}


def _row_vm(
    line: int,
    vals: dict[str, str],
    cols: dict[str, tuple[int, float]],
    headers: list[str],
    decimal_comma: bool,
    host_ids: set[str],
    workloads: set[str],
    on: bool,
) -> _Row:
    def header(key: str) -> str:
        return headers[cols[key][0]]

    name = vals["name"]
    if not name:
        raise _BadValueError(f"{header('name')}: empty")
    label = vals["display"] if "display" in cols else name
    data: dict[str, Any] = {"id": _base_id(name), "name": label[:200]}
    for key in ("vcpu", "ram_gb", "disk_gb", "nic_mbps", "cpu_mhz", "count"):
        text = vals.get(key)
        if not text:
            if key in _REQUIRED:
                raise _BadValueError(f"{header(key)}: empty")
            continue
        try:
            if key in ("vcpu", "count"):
                data[key] = _whole(text, decimal_comma)
            else:
                data[key] = _number(text, key, cols[key][1], decimal_comma)
        except _BadValueError as exc:
            raise _BadValueError(f"{header(key)}: {exc}") from None
    host = vals.get("host") or None
    if host in host_ids:
        data["host"] = host
    group = vals.get("group")
    if group:
        data["anti_affinity"] = _group_id(group)
    profile = vals.get("profile")
    if profile:
        data["profile"] = profile.casefold()
        if data["profile"] not in workloads:
            known = ", ".join(w for w in (*_SERIES_FREE, *sorted(workloads - set(_SERIES_FREE))))
            raise _BadValueError(f"{header('profile')}: {profile!r}: not one of {known}")
    try:
        vm = VM.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = str(err["loc"][0]) if err["loc"] else "name"
        key = _FROM_COLUMN.get(field, field)
        where = f"{header(key)}: {vals[key]!r}" if key in cols else field
        if err["type"] == "less_than_equal":
            limit = f"{fmt(err['ctx']['le'])}{_LIMIT_UNIT.get(field, '')}"
            raise _BadValueError(f"{where}: too large (at most {limit})") from None
        raise _BadValueError(f"{where}: {err['msg']}") from None
    return _Row(line, vm, name, host, vals.get("cluster") or None, vals.get("os") or None, on)


def _assign_ids(rows: list[_Row], taken_ids: Collection[str]) -> tuple[list[VM], list[SourceRow]]:
    """Each VM's id is its name ('#' replaced); repeated names get '-2', '-3'… suffixes."""
    taken = set(taken_ids)
    reserved = taken | {r.vm.id for r in rows}
    vms: list[VM] = []
    sources: list[SourceRow] = []
    used: set[str] = set()
    for row in rows:
        vm = row.vm
        if vm.id in used or vm.id in taken:
            base, n = vm.id, 2
            while f"{base}-{n}" in reserved or f"{base}-{n}" in used:
                n += 1
            vm = vm.model_copy(update={"id": f"{base}-{n}"})
        used.add(vm.id)
        vms.append(vm)
        sources.append(
            SourceRow.model_construct(  # every value is already checked
                line=row.line,
                vm=vm.id,
                name=row.name,
                host=row.host,
                cluster=row.cluster,
                os=row.os,
                powered_on=row.on,
            )
        )
    return vms, sources


def plan_from_import(
    result: ImportResult, *, name: str = "Imported plan", hypervisor: str | None = None
) -> Plan:
    """A new plan holding the imported VMs, on no host."""
    data: dict[str, Any] = {"name": name[:200], "vms": result.vms}
    if hypervisor is not None:
        data["hypervisor"] = hypervisor
    try:
        return Plan.model_validate(data)
    except ValidationError as exc:
        from hvplanner.formats.planfile import describe_validation_error

        raise InventoryError(f"the imported plan: {describe_validation_error(exc)}") from exc
