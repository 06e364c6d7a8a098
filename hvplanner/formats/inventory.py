"""VM inventories: the tables people export from the estate they run, read into VMs.

Sources, told apart by content (not by the file name): a plain CSV with a column per VM
field (matched loosely: "vCPUs", "CPUs", "cores"; "RAM (GB)", "Memory MB"…); RVTools'
vInfo tab saved as CSV and its command-line CSV export (`vInfoVMName`, `vInfoCPUs`…);
PowerShell `Export-Csv` of Hyper-V's and PowerCLI's `Get-VM` (with or without the `#TYPE`
line); Azure Migrate's import template; an RVTools workbook (`inventory_xlsx`); Proxmox's
cluster resources JSON (`inventory_proxmox`); libvirt domain XML and `virsh domstats --raw`
(`inventory_libvirt`). Each becomes a `Table` (headers, records, units) and goes through one
row pipeline here, so every source rejects, skips and counts the same way.

A row that cannot become a VM is rejected with its line (or row) number and the reason; the
rest are imported. Powered-off (and suspended) VMs are counted, and kept only when asked.
Templates are skipped. Where the source describes the hosts (RVTools vHost, Proxmox nodes)
they become host models and hosts, with each VM on its current host.
"""

from __future__ import annotations

import csv
import functools
import math
import os
import re
import statistics
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, ValidationError

from hvplanner.errors import InputError
from hvplanner.formats.inventory_estate import SourceHost, estate_hosts, guest_os
from hvplanner.formats.inventory_rows import (
    HOST,
    ID,
    PINNED,
    PROFILE,
    RAM_GB,
    SOURCE_VM,
    VM_FIELDS,
    SourceRow,
    SourceRows,
    SourceTuple,
    VmRows,
    VmTuple,
)
from hvplanner.model.plan import (
    BUILTIN_WORKLOADS,
    DEFAULT_RAM_AVG,
    MAX_DISK_GB,
    MAX_MHZ,
    MAX_NIC_MBPS,
    MAX_RAM_GB,
    MAX_VCPU,
    MAX_VM_COUNT,
    VM,
    Host,
    HostModel,
    Plan,
    WorkloadProfile,
)
from hvplanner.text import fmt

if TYPE_CHECKING:
    from hvplanner.engine.consolidation import Consolidation
    from hvplanner.model.hypervisor import HypervisorProfile

Format = str
"""A key of FORMAT_LABELS."""
DiskBasis = str
"""'provisioned' or 'in-use'."""

FORMAT_LABELS = {
    "inventory": "VM inventory CSV",
    "rvtools": "RVTools vInfo CSV",
    "rvtools-cli": "RVTools command-line CSV export (vInfo)",
    "rvtools-xlsx": "RVTools workbook",
    "xlsx": "Excel workbook",
    "hyperv": "Hyper-V Get-VM CSV (PowerShell Export-Csv)",
    "powercli": "PowerCLI Get-VM CSV (PowerShell Export-Csv)",
    "azure-migrate": "Azure Migrate import CSV",
    "proxmox": "Proxmox cluster resources JSON",
    "libvirt": "libvirt domain XML",
    "domstats": "virsh domstats --raw",
}

MAX_INVENTORY_BYTES = 256 * 1024 * 1024
_ID_ROOM = 120  # ids are at most 128 characters; leave room for a "-NNN" suffix
_MB_PER_GB = 1024.0


class InventoryError(InputError):
    """A file that cannot be imported at all: unreadable, wrong encoding, no usable columns."""


class RejectedRow(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    line: int
    reason: str


class ImportResult(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)

    format: Format
    delimiter: str
    """The CSV separator; empty for workbooks, JSON and XML."""
    columns: dict[str, str]
    """Field → the header it was read from, as the file spells it."""
    rows: int
    """Data rows in the file (blank lines not counted)."""
    imported: int
    vms: VmRows
    sources: SourceRows
    """One per VM, in the same order: `sources[i]` is where `vms[i]` came from."""
    rejected: list[RejectedRow]
    powered_off: int
    """Rows whose power state is off or suspended, imported or not."""
    powered_off_included: bool
    templates: int
    warnings: list[str]
    tab: str | None = None
    """The workbook tab (or JSON / XML element) the VMs were read from."""
    tabs: list[str] = []
    """Every tab read: vInfo, vHost, vDisk…"""
    row_word: str = "line"
    """How row numbers are meant: 'line' of a text file, 'row' of a workbook tab, 'entry'."""
    host_models: list[HostModel] = []
    hosts: list[Host] = []
    """The current estate's hosts (RVTools vHost, Proxmox nodes); VMs sit on them."""
    hypervisor: str = "hyper-v@2022"
    hypervisor_reason: str = ""
    hypervisor_known: bool = False
    """True when the source says what runs it (VMware, Hyper-V, Proxmox, libvirt)."""
    workloads: list[WorkloadProfile] = []
    """Measured utilisation as constant workloads the VMs refer to."""
    measured: int = 0
    """VMs whose load is the source's measured utilisation."""
    containers: int = 0

    @property
    def renamed(self) -> list[SourceRow]:
        """Rows whose VM id differs from their name: repeats suffixed, '#' replaced."""
        return self.sources.renamed()

    @property
    def source_hosts(self) -> list[str]:
        return sorted(self.sources.hosts())

    @property
    def label(self) -> str:
        kind = FORMAT_LABELS.get(self.format, self.format)
        return f"{kind}, tab {self.tab}" if self.tab and self.format.endswith("xlsx") else kind


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
BYTES = 1.0 / 1024**3
"""A byte count → GB (1 GB = 1024³ bytes)."""
KIB = 1.0 / 1024**2
"""A KiB count → GB."""

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
        ("memoryinmb", _MB),
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
        "osname",
        "os",
    ),
    # Measured utilisation, in percent of the VM's vCPUs and configured RAM.
    _f("cpu_util", "CPU utilisation %", "cpuutilizationpercentage", "cpuutilisationpercentage"),
    _f(
        "ram_util",
        "memory utilisation %",
        "memoryutilizationpercentage",
        "memoryutilisationpercentage",
    ),
    _f("kind", "guest kind", "guestkind"),
    _f("vmid", "VM ID", "vmid"),
    _f("version", "configuration version"),
]
FIELD_LABELS = {f.key: f.label for f in _FIELDS}
"""Field key (as in `ImportResult.columns`) → the name to show users."""
_REQUIRED = ("name", "vcpu", "ram_gb")
_SERIES_FREE = tuple(w for w in BUILTIN_WORKLOADS if w != "measured")
_RVTOOLS_MARKS = {"vm", "powerstate", "cpus", "memory"}
_POWERED_OFF = {"poweredoff", "off", "stopped", "shutdown", "shutoff", "suspended", "saved"}
_TRUE = {"true", "yes", "y", "1", "x"}

Aliases = Mapping[str, tuple[tuple[str, float], ...]]


_SEPARATORS = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}


def separator_name(sep: str) -> str:
    """A CSV separator as the import summary names it."""
    return _SEPARATORS.get(sep, repr(sep))


@functools.lru_cache(maxsize=4096)
def _compact(header: str) -> str:
    return re.sub(r"[^0-9a-z]", "", header.casefold())


def _map_columns(
    headers: list[str], fmt: Format, disk: DiskBasis, dialect: Aliases
) -> dict[str, tuple[int, float]]:
    """Field → (column index, factor). The dialect's aliases first, then the most preferred
    general alias present."""
    index: dict[str, int] = {}
    for i, h in enumerate(headers):
        index.setdefault(_compact(h), i)
    found: dict[str, tuple[int, float]] = {}
    for key, aliases in dialect.items():
        for alias, factor in aliases:
            if alias in index:
                found[key] = (index[alias], factor)
                break
    for fdef in _FIELDS:
        if fdef.key in found or fdef.key in dialect:
            continue
        for alias, factor in fdef.aliases:
            if alias in index:
                rvtools_mb = fmt == "rvtools" and alias == "memory"  # RVTools' Memory is MB
                found[fdef.key] = (index[alias], _MB if rvtools_mb else factor)
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
            fdef = next(f for f in _FIELDS if f.key == key)
            missing.append(f"{fdef.label} (a column such as {_EXAMPLES[key]})")
    return "missing column: " + "; ".join(missing) if missing else None


# --- the table every source becomes ------------------------------------------------------------


@dataclass
class Table:
    """What a reader hands the row pipeline: headers and records, plus what it knows."""

    format: Format
    headers: list[str]
    records: Iterable[tuple[int, list[str]]]
    """(line or row number, cells)."""
    delimiter: str = ""
    tab: str | None = None
    tabs: list[str] = field(default_factory=list)
    row_word: str = "line"
    dialect: Aliases = field(default_factory=dict)
    """Aliases (with the source's documented unit) tried before the general ones."""
    decimal_comma: bool = False
    hosts: list[SourceHost] = field(default_factory=list)
    hypervisor: Callable[[list[str], set[str]], tuple[str, str]] | None = None
    """(the rows' `version` values, catalog keys) → (hypervisor key, why)."""
    extra: dict[str, dict[str, float]] = field(default_factory=dict)
    """VM ID (or name) → values from other tabs (disk_gb from vDisk, cpu_util / ram_util)."""
    extra_by_id: bool = False
    """`extra` is keyed by the VM ID column (names may repeat), else by VM name."""
    extra_columns: dict[str, str] = field(default_factory=dict)
    """Field → where `extra` read it, for the column mapping shown to users."""
    warnings: list[str] = field(default_factory=list)
    disk_parts: list[tuple[int, float]] = field(default_factory=list)
    """Columns summed into the disk when no single disk column exists (Disk 1…8 size)."""


# --- CSV text ---------------------------------------------------------------------------------


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


def _text_lines(stream: IO[bytes], where: str) -> Iterator[str]:
    """Decoded lines, one at a time: a million-row file is never all in memory at once."""
    first = stream.readline()
    if first.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InventoryError(f"{where}: UTF-16 text; save the file as 'CSV UTF-8'")
    if first.startswith(b"\xef\xbb\xbf"):
        first = first[3:]

    def raw_lines() -> Iterator[bytes]:
        if b"\r" in first.rstrip(b"\r\n"):  # old Mac line ends (CR only): split them here
            for part in re.split(rb"\r\n|\r|\n", first + stream.read()):
                yield part + b"\n"
        else:
            yield first
            yield from stream

    for number, raw in enumerate(raw_lines(), 1):
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InventoryError(
                f"{where}: line {number}: not UTF-8 text (byte 0x{raw[exc.start]:02X}); "
                "save the file as 'CSV UTF-8'"
            ) from exc


_TYPE_LINE = re.compile(r"^#TYPE\s+(\S+)")
_HYPERV_TYPE = "Microsoft.HyperV.PowerShell.VirtualMachine"
_POWERCLI_TYPE = "VMware.VimAutomation"


def csv_table(stream: IO[bytes], where: str) -> Table:
    """Headers and lazily read records of a CSV, whichever tool wrote it."""
    lines = _text_lines(stream, where)
    number = 0
    header_line: str | None = None
    delimiter: str | None = None
    type_name = ""
    for text in lines:
        number += 1
        stripped = text.strip()
        if not stripped:
            continue
        m = _TYPE_LINE.match(stripped)
        if m and not type_name and header_line is None:
            type_name = m.group(1)  # PowerShell 5.1's Export-Csv names the object type
            continue
        if delimiter is None and re.fullmatch(r"(?i)sep=(.)", stripped):
            delimiter = stripped[4]  # Excel's separator hint line
            continue
        header_line = text
        break
    if header_line is None:
        raise InventoryError(f"{where}: the file is empty (no header row)")
    delimiter = delimiter or _sniff(header_line)
    first_line = number

    def all_lines() -> Iterator[str]:
        yield header_line
        yield from lines

    reader = csv.reader(all_lines(), delimiter=delimiter)

    def records() -> Iterator[tuple[int, list[str]]]:
        last = first_line - 1
        try:
            for cells in reader:
                start, last = last + 1, first_line - 1 + reader.line_num
                yield start, cells
        except csv.Error as exc:
            raise InventoryError(f"{where}: line {last + 1}: {exc}") from exc

    rec = records()
    _, headers = next(rec)
    headers = [h.strip() for h in headers]
    table = Table("inventory", headers, rec, delimiter=delimiter, decimal_comma=delimiter == ";")
    _csv_dialect(table, type_name)
    return table


def _csv_dialect(table: Table, type_name: str) -> None:
    """Which tool wrote the CSV, from its #TYPE line or its headers; its units and names."""
    from hvplanner.formats import inventory_estate as estate

    keys = {_compact(h) for h in table.headers}
    if type_name.startswith(_HYPERV_TYPE) or {"vmname", "processorcount", "memorystartup"} <= keys:
        # Get-VM: memory in bytes; ComputerName is the Hyper-V host; CpuUsage is percent.
        table.format = "hyperv"
        table.dialect = {
            "name": (("name", 1.0), ("vmname", 1.0)),
            "ram_gb": (("memorystartup", BYTES), ("memoryassigned", BYTES)),
            "host": (("computername", 1.0),),
            "power": (("state", 1.0),),
            "cpu_util": (("cpuusage", 1.0),),
            "version": (("version", 1.0),),
        }
        table.hypervisor = estate.hyperv_hypervisor
    elif type_name.startswith(_POWERCLI_TYPE) or {"numcpu", "memorygb", "powerstate"} <= keys:
        table.format = "powercli"
        table.dialect = {
            "ram_gb": (("memorygb", _GB), ("memorymb", _MB)),
            "disk_gb": (("provisionedspacegb", _GB),),
            "disk_in_use_gb": (("usedspacegb", _GB),),
            "host": (("vmhost", 1.0),),
            "os": (("guestid", 1.0), ("guest", 1.0)),
        }
        table.hypervisor = lambda _v, known: estate.vmware_hypervisor([], known)
    elif any(k.startswith("vinfo") for k in keys) and "vinfovmname" in keys:
        # RVTools -c ExportvInfo2csv: vInfo-prefixed names, Memory and disk sizes in MiB.
        table.format = "rvtools-cli"
        table.dialect = {
            "name": (("vinfovmname", 1.0),),
            "vcpu": (("vinfocpus", 1.0),),
            "ram_gb": (("vinfomemory", _MB),),
            "disk_gb": (("vinfoprovisioned", _MB),),
            "disk_in_use_gb": (("vinfoinuse", _MB),),
            "power": (("vinfopowerstate", 1.0),),
            "template": (("vinfotemplate", 1.0),),
            "host": (("vinfohost", 1.0),),
            "cluster": (("vinfocluster", 1.0),),
            "os": (("vinfoos", 1.0), ("vinfoostools", 1.0)),
        }
        table.hypervisor = lambda _v, known: estate.vmware_hypervisor([], known)
    elif {"servername", "cores", "memoryinmb"} <= keys:
        table.format = "azure-migrate"
        disks = [
            (i, _GB)
            for i, h in enumerate(table.headers)
            if re.fullmatch(r"disk\d+size(ingb)?", _compact(h))
        ]
        table.disk_parts = disks
    elif keys >= _RVTOOLS_MARKS:
        table.format = "rvtools"
        table.hypervisor = lambda _v, known: estate.vmware_hypervisor([], known)


# --- values ---------------------------------------------------------------------------------

_SIZE_UNITS = {
    "b": BYTES,
    "kb": KIB,
    "kib": KIB,
    "mb": _MB,
    "mib": _MB,
    "gb": _GB,
    "gib": _GB,
    "tb": _TB,
    "tib": _TB,
}
_UNITS = {
    "ram_gb": _SIZE_UNITS,
    "disk_gb": _SIZE_UNITS,
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
    if text.isascii() and text.isdigit() and len(text) < 12:  # the common case, quickly
        return int(text)
    value = _number(text, "", 1.0, decimal_comma)
    if value != int(value):
        raise _BadValueError(f"{text!r} is not a whole number")
    return int(value)


# Words of neither whitespace nor '#', single spaces between them.
_PLAIN_ID = re.compile(r"[^\s#]+(?: [^\s#]+)*")


def _base_id(name: str) -> str:
    if len(name) <= _ID_ROOM and _PLAIN_ID.fullmatch(name):  # the common case, quickly
        return name
    ident = re.sub(r"\s+", " ", name.replace("#", "-")).strip()
    return ident[:_ID_ROOM].rstrip() or "vm"


def _group_id(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("#", "-")).strip()[:128].rstrip()


# --- the import -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Options:
    include_powered_off: bool = False
    host_ids: Collection[str] = ()
    taken_ids: Collection[str] = ()
    workloads: Collection[str] = ()
    disk: DiskBasis = "provisioned"
    known_hypervisors: Collection[str] = ()
    """Catalog keys the hypervisor choice may name; empty: the catalog's."""
    progress: Callable[[int], bool] | None = None
    """Called every PROGRESS_EVERY rows with the rows read; False stops the import."""


PROGRESS_EVERY = 5000


class ImportCancelled(Exception):  # noqa: N818 - the user's choice, not an error
    """The progress callback asked to stop."""


def read_inventory(
    path: str | os.PathLike[str],
    *,
    include_powered_off: bool = False,
    host_ids: Collection[str] = (),
    taken_ids: Collection[str] = (),
    workloads: Collection[str] = (),
    disk: DiskBasis = "provisioned",
    progress: Callable[[int], bool] | None = None,
) -> ImportResult:
    """Any supported inventory file (or a folder of libvirt domain XML files)."""
    from hvplanner.formats.inventory_sources import open_table

    opts = Options(include_powered_off, host_ids, taken_ids, workloads, disk, progress=progress)
    with open_table(Path(path), None, str(path)) as table:
        return import_table(table, str(path), opts)


def parse_inventory(
    raw: bytes,
    where: str = "inventory",
    *,
    include_powered_off: bool = False,
    host_ids: Collection[str] = (),
    taken_ids: Collection[str] = (),
    workloads: Collection[str] = (),
    disk: DiskBasis = "provisioned",
    progress: Callable[[int], bool] | None = None,
) -> ImportResult:
    """Read the VMs of an inventory already in memory (a dropped file, stdin).

    `host_ids`: hosts of the plan the VMs go into; a row whose host is one of them is
    placed there, any other stays unplaced. `taken_ids`: VM ids already in that plan.
    `workloads`: workload profiles that plan defines, usable in a profile column beside
    the built-in ones that need no series ('measured' needs the plan's own definition).
    Raises InventoryError when the file cannot be used at all; bad rows are reported in
    the result instead.
    """
    from hvplanner.formats.inventory_sources import open_table

    opts = Options(include_powered_off, host_ids, taken_ids, workloads, disk, progress=progress)
    with open_table(None, raw, where) as table:
        return import_table(table, where, opts)


def import_table(table: Table, where: str, opts: Options) -> ImportResult:
    try:
        cols = _map_columns(table.headers, table.format, opts.disk, table.dialect)
        problem = _missing_columns(cols)
        if problem:
            kind = FORMAT_LABELS.get(table.format, table.format)
            tab = f", tab {table.tab}" if table.tab else ""
            raise InventoryError(f"{where}: read as {kind}{tab}: {problem}")
        return _import(table, cols, opts)
    except InventoryError as exc:
        msg = str(exc)
        raise InventoryError(msg if msg.startswith(where) else f"{where}: {msg}") from exc


def _known_hypervisors(opts: Options) -> set[str]:
    if opts.known_hypervisors:
        return set(opts.known_hypervisors)
    from hvplanner.catalog import load_catalog

    return set(load_catalog().profiles)


def _import(table: Table, cols: dict[str, tuple[int, float]], opts: Options) -> ImportResult:
    headers = table.headers
    ctx = _RowContext(table, cols, opts)
    entries: list[VmTuple] = []
    sources: list[SourceTuple] = []
    utils: list[tuple[int, float, float | None]] = []
    rejected: list[RejectedRow] = []
    n_rows = powered_off = templates = containers = 0
    unitless_ram: list[float] = []
    versions: list[str] = []
    ram_col = cols["ram_gb"]
    ram_unitless = (
        _compact(headers[ram_col[0]]) in {"ram", "memory", "mem"} and table.format == "inventory"
    )
    width = len(headers)
    picks = [(key, i) for key, (i, _) in cols.items()]
    parts = [(f"#{i}", i) for i, _ in table.disk_parts]
    progress = opts.progress
    include_off = opts.include_powered_off
    has_template = "template" in cols
    has_version = "version" in cols
    row_vm = ctx.row_vm

    for line, cells in table.records:
        if not (cells and cells[0].strip()) and not any(c.strip() for c in cells):
            continue
        n_rows += 1
        if progress is not None and n_rows % PROGRESS_EVERY == 0 and not progress(n_rows):
            raise ImportCancelled
        n = len(cells)
        if n > width and any(c.strip() for c in cells[width:]):
            rejected.append(
                RejectedRow(line=line, reason=f"{len(cells)} fields, the header has {width}")
            )
            continue
        # Each field's cell, stripped; a leading apostrophe that guards a formula dropped.
        if n >= width:
            vals = {
                key: text if text[:1] != "'" else unquote_formula(text)
                for key, i in picks
                for text in (cells[i].strip(),)
            }
        else:
            vals = {
                key: text if text[:1] != "'" else unquote_formula(text)
                for key, i in picks
                for text in (cells[i].strip() if i < n else "",)
            }
        for key, i in parts:
            vals[key] = cells[i].strip() if i < n else ""
        if has_template and vals["template"].casefold() in _TRUE:
            templates += 1
            continue
        on = _compact(vals.get("power", "")) not in _POWERED_OFF
        if not on:
            powered_off += 1
            if not include_off:
                continue
        if has_version:
            versions.append(vals["version"])
        try:
            fields, source, util = row_vm(line, vals, on)
        except _BadValueError as exc:
            rejected.append(RejectedRow(line=line, reason=str(exc)))
            continue
        if ram_unitless:
            unitless_ram.append(fields[RAM_GB])
        if util is not None:
            utils.append((len(entries), *util))
        if source[-1]:  # an OS-level guest
            containers += 1
        entries.append(fields)
        sources.append(source)

    workloads = _utilisation(entries, utils)
    _assign_ids(entries, sources, opts.taken_ids)
    warnings = list(table.warnings)
    if unitless_ram and statistics.median(unitless_ram) >= 512:
        header = headers[ram_col[0]]
        warnings.append(
            f"{header}: read as GB, but the values look like MB (median "
            f"{statistics.median(unitless_ram):g}); name the column '{header} MB' if they are"
        )
    models, hosts, host_warnings = estate_hosts(table.hosts)
    warnings += host_warnings
    known = _known_hypervisors(opts)
    if table.hypervisor is not None:
        hypervisor, why = table.hypervisor(versions, known)
    else:
        hypervisor, why = (
            "hyper-v@2022",
            "the file names no hypervisor: Hyper-V on Windows Server 2022 (choose another "
            "with --hypervisor or in the plan)",
        )
    columns = {key: headers[i] for key, (i, _) in cols.items()}
    if table.disk_parts and "disk_gb" not in cols:
        columns["disk_gb"] = " + ".join(headers[i] for i, _ in table.disk_parts)
    columns.pop("vmid", None)
    columns.update(table.extra_columns)
    # Every VM and source row is checked already: constructing skips a second pass over them.
    return ImportResult.model_construct(
        format=table.format,
        delimiter=table.delimiter,
        columns=columns,
        rows=n_rows,
        imported=len(entries),
        vms=VmRows(entries),
        sources=SourceRows(sources),
        rejected=rejected,
        powered_off=powered_off,
        powered_off_included=opts.include_powered_off,
        templates=templates,
        warnings=warnings,
        tab=table.tab,
        tabs=table.tabs,
        row_word=table.row_word,
        host_models=models,
        hosts=hosts,
        hypervisor=hypervisor,
        hypervisor_reason=why,
        hypervisor_known=table.hypervisor is not None,
        workloads=workloads,
        measured=len(utils),
        containers=containers,
    )


def _host_ident(name: str) -> str:
    ident = re.sub(r"\s+", " ", name.replace("#", "-")).strip()
    return ident[:128].rstrip() or "host"


# A spreadsheet runs a cell starting with one of these as a formula; hvplanner's own CSV
# export quotes such text with a leading apostrophe, which reading drops again.
FORMULA_STARTS = ("=", "+", "-", "@")


def unquote_formula(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text


# Equal sizes and equal texts of a column (a million rows name a few hundred hosts) share
# one object; bounded, as a file of all-distinct values gains nothing from it.
_FLOATS: dict[float, float] = {}
_TEXTS: dict[str, str] = {}
_SHARED_MAX = 100_000


_NUMERIC = ("vcpu", "ram_gb", "disk_gb", "nic_mbps", "cpu_mhz", "count")
_NUMERIC_DEFAULTS: tuple[Any, ...] = (None, None, 0.0, 0.0, None, 1)
"""A numeric field's value when its column is absent or its cell empty."""
_SIZES = frozenset({"ram_gb", "disk_gb"})
_WHOLE = frozenset({"vcpu", "count"})

# Plan model field → the inventory field whose column it was read from.
_FROM_COLUMN = {"anti_affinity": "group"}


def _percent(text: str, header: str, decimal_comma: bool) -> float:
    value = _number(text.rstrip("% "), "", 1.0, decimal_comma)
    if not 0 <= value <= 100:
        raise _BadValueError(f"{header}: {text!r} is not a percentage from 0 to 100")
    return value


class _RowContext:
    """What turning one row into a VM needs of the whole import, looked up once."""

    def __init__(self, table: Table, cols: dict[str, tuple[int, float]], opts: Options) -> None:
        self.table = table
        self.headers = table.headers
        self.cols = cols
        self.decimal_comma = table.decimal_comma
        self.host_ids = set(opts.host_ids)
        self.source_hosts = {_host_ident(h.name): h.name for h in table.hosts}
        self.workloads = {*_SERIES_FREE, *opts.workloads}
        # Per numeric column, the values its texts were read as: sizes repeat across an
        # estate, so most cells are read once per distinct text.
        self.numeric: list[tuple[int, str, float, bool, bool, dict[str, float]]] = [
            (slot, key, cols[key][1], key in _WHOLE, key in _REQUIRED, {})
            for slot, key in enumerate(_NUMERIC)
            if key in cols
        ]
        self.disk_parts = table.disk_parts if "disk_gb" not in cols else []
        self.has_display = "display" in cols
        self.has_util = "cpu_util" in cols or "ram_util" in cols

    def header(self, key: str) -> str:
        return self.headers[self.cols[key][0]]

    def row_vm(
        self, line: int, vals: dict[str, str], on: bool
    ) -> tuple[VmTuple, SourceTuple, tuple[float, float | None] | None]:
        """The row's VM fields, where it came from and its measured utilisation (CPU %,
        RAM %) if any; _BadValueError names the column and the value that do not fit."""
        decimal_comma = self.decimal_comma
        name = vals["name"]
        if not name:
            raise _BadValueError(f"{self.header('name')}: empty")
        label = vals["display"] if self.has_display else name
        container = vals.get("kind") == "container"
        if container:
            label = f"{label} (container)"
        nums = list(_NUMERIC_DEFAULTS)
        for slot, key, factor, whole, required, known_values in self.numeric:
            text = vals[key]
            value = known_values.get(text)
            if value is None:
                if not text:
                    if required:
                        raise _BadValueError(f"{self.header(key)}: empty")
                    continue
                try:
                    value = (
                        _whole(text, decimal_comma)
                        if whole
                        else _number(text, key, factor, decimal_comma)
                    )
                except _BadValueError as exc:
                    raise _BadValueError(f"{self.header(key)}: {exc}") from None
                if key in _SIZES and len(_FLOATS) < _SHARED_MAX:
                    value = _FLOATS.setdefault(value, value)
                if len(known_values) < _SHARED_MAX:
                    known_values[text] = value
            nums[slot] = value
        vcpu, ram, disk, nic, mhz, count = nums
        if self.disk_parts:
            total = 0.0
            for i, factor in self.disk_parts:
                cell = vals.get(f"#{i}", "")
                if cell:
                    try:
                        total += _number(cell, "disk_gb", factor, decimal_comma)
                    except _BadValueError as exc:
                        raise _BadValueError(f"{self.headers[i]}: {exc}") from None
            disk = _FLOATS.setdefault(total, total) if len(_FLOATS) < _SHARED_MAX else total
        table = self.table
        extra = None
        if table.extra:
            extra = table.extra.get(vals.get("vmid", "") if table.extra_by_id else name)
        if extra and "disk_gb" in extra:
            disk = extra["disk_gb"]
        source_host = vals.get("host") or None
        host = None
        if source_host is not None:
            if source_host in self.host_ids:
                host = source_host
            elif self.source_hosts:
                ident = _host_ident(source_host)
                if ident in self.source_hosts:
                    host = ident
        group = vals.get("group")
        profile = vals.get("profile")
        if profile:
            profile = profile.casefold()
            if profile not in self.workloads:
                known = ", ".join(
                    w for w in (*_SERIES_FREE, *sorted(self.workloads - set(_SERIES_FREE)))
                )
                raise _BadValueError(
                    f"{self.header('profile')}: {vals['profile']!r}: not one of {known}"
                )
        os_text = vals.get("os") or None
        util: tuple[float, float | None] | None = None
        if extra or self.has_util:
            util = self._utilisation(vals, extra)
        ident = _base_id(name)
        label = label[:200]
        # The model's bounds, checked directly: validating every row with pydantic was most
        # of a large import's time. Anything else (a name that stripping would change, a
        # disk size from another tab that is not a float) goes through the model, which
        # says what is wrong in its own words. Ids, hosts, groups and profiles are valid as
        # made above (`_base_id`, `_host_ident`, `_group_id`, the known workloads).
        fields: VmTuple = (
            ident,
            ident if label == ident else label,
            count,
            vcpu,
            ram,
            disk,  # a float, or checked by the model below
            nic,
            mhz,
            host,
            False,
            _group_id(group) if group else None,
            profile or "constant",
            "linux" if container else guest_os(os_text),
        )
        if not (
            1 <= vcpu <= MAX_VCPU
            and 0 < ram <= MAX_RAM_GB
            and 1 <= count <= MAX_VM_COUNT
            and type(disk) is float
            and 0 <= disk <= MAX_DISK_GB
            and 0 <= nic <= MAX_NIC_MBPS
            and (mhz is None or 0 < mhz <= MAX_MHZ)
            and len(label.strip()) == len(label)
        ):
            fields = self._validated(fields, vals)
        texts = _TEXTS if len(_TEXTS) < _SHARED_MAX else {}
        source: SourceTuple = (
            line,
            ident,
            ident if name == ident else name,
            texts.setdefault(source_host, source_host) if source_host else None,
            texts.setdefault(cluster, cluster) if (cluster := vals.get("cluster")) else None,
            texts.setdefault(os_text, os_text) if os_text else None,
            on,
            container,
        )
        return fields, source, util

    def _utilisation(
        self, vals: dict[str, str], extra: dict[str, float] | None
    ) -> tuple[float, float | None] | None:
        """(CPU %, RAM %) of the row or of another tab; None without a CPU figure."""
        found: list[float | None] = [None, None]
        for i, key in enumerate(("cpu_util", "ram_util")):
            given = vals.get(key)
            if given:
                found[i] = _percent(given, self.header(key), self.decimal_comma)
            elif extra and key in extra:
                found[i] = extra[key]
        cpu, ram = found
        return None if cpu is None else (cpu, ram)

    def _validated(self, fields: VmTuple, vals: dict[str, str]) -> VmTuple:
        try:
            vm = VM.model_validate(dict(zip(VM_FIELDS, fields, strict=True)))
        except ValidationError as exc:
            err = exc.errors()[0]
            fld = str(err["loc"][0]) if err["loc"] else "name"
            key = _FROM_COLUMN.get(fld, fld)
            where = f"{self.header(key)}: {vals[key]!r}" if key in self.cols else fld
            if err["type"] == "less_than_equal":
                limit = f"{fmt(err['ctx']['le'])}{_LIMIT_UNIT.get(fld, '')}"
                raise _BadValueError(f"{where}: too large (at most {limit})") from None
            raise _BadValueError(f"{where}: {err['msg']}") from None
        return (
            vm.id,
            vm.name,
            vm.count,
            vm.vcpu,
            vm.ram_gb,
            vm.disk_gb,
            vm.nic_mbps,
            vm.cpu_mhz,
            vm.host,
            vm.pinned,
            vm.anti_affinity,
            vm.profile,
            vm.os,
        )


def _utilisation(
    entries: list[VmTuple], utils: list[tuple[int, float, float | None]]
) -> list[WorkloadProfile]:
    """Measured utilisation → one constant workload per distinct (CPU %, RAM %), rounded to
    whole percent, so a large estate shares a few dozen profiles instead of one per VM."""
    profiles: dict[tuple[int, int | None], WorkloadProfile] = {}
    for index, cpu, ram in utils:
        c, r = round(cpu), (round(ram) if ram is not None else None)
        key = (c, r)
        prof = profiles.get(key)
        if prof is None:
            name = f"measured-cpu{c}" + (f"-ram{r}" if r is not None else "")
            ram_frac = r / 100 if r is not None else DEFAULT_RAM_AVG
            prof = WorkloadProfile(
                name=name,
                kind="constant",
                cpu_avg=c / 100,
                cpu_peak=c / 100,
                ram_avg=ram_frac,
                ram_peak=ram_frac,
            )
            profiles[key] = prof
        e = entries[index]
        entries[index] = (*e[:PROFILE], prof.name, *e[PROFILE + 1 :])  # type: ignore[assignment]
    return list(profiles.values())


def _assign_ids(
    entries: list[VmTuple], sources: list[SourceTuple], taken_ids: Collection[str]
) -> None:
    """Each VM's id is its name ('#' replaced); repeated names get '-2', '-3'… suffixes.

    Linear: each base id remembers the next suffix to try, so 20,000 rows named 'web' do
    not each scan the suffixes before them."""
    taken = set(taken_ids)
    reserved = {e[ID] for e in entries}
    if len(reserved) == len(entries) and reserved.isdisjoint(taken):
        return  # no name repeats or clashes: every id is its name
    reserved |= taken
    used: set[str] = set()
    next_suffix: dict[str, int] = {}
    for i, fields in enumerate(entries):
        ident = fields[ID]
        if ident in used or ident in taken:
            base = ident
            n = next_suffix.get(base, 2)
            while f"{base}-{n}" in reserved or f"{base}-{n}" in used:
                n += 1
            next_suffix[base] = n + 1
            ident = f"{base}-{n}"
            entries[i] = (ident, *fields[ID + 1 :])  # type: ignore[assignment]
            s = sources[i]
            sources[i] = (s[0], ident, *s[SOURCE_VM + 1 :])  # type: ignore[assignment]
        used.add(ident)


def plan_from_import(
    result: ImportResult, *, name: str = "Imported plan", hypervisor: str | None = None
) -> Plan:
    """A new plan holding the imported VMs, on the source's current hosts when it has them."""
    data: dict[str, Any] = {
        "name": name[:200],
        "vms": list(result.vms),
        "host_models": result.host_models,
        "hosts": result.hosts,
        "workloads": result.workloads,
        "hypervisor": hypervisor or result.hypervisor,
    }
    try:
        return Plan.model_validate(data)
    except ValidationError as exc:
        from hvplanner.formats.planfile import describe_validation_error

        raise InventoryError(f"the imported plan: {describe_validation_error(exc)}") from exc


def plan_head_from_import(
    result: ImportResult, *, name: str = "Imported plan", hypervisor: str | None = None
) -> Plan:
    """`plan_from_import` without the VMs, which stay in `result.vms` as tuples; the plan file
    `planstream.plan_chunks(head, result.vms)` writes is the same text. What the plan checks
    of its VMs (the hosts and workloads they name) is checked on the tuples; when a check
    fails the whole plan is made, so the message is the plan's own."""
    data: dict[str, Any] = {
        "name": name[:200],
        "host_models": result.host_models,
        "hosts": result.hosts,
        "workloads": result.workloads,
        "hypervisor": hypervisor or result.hypervisor,
    }
    try:
        head = Plan.model_validate(data)
    except ValidationError:
        head = None
    if head is None or not _references_hold(head, result.vms):
        plan = plan_from_import(result, name=name, hypervisor=hypervisor)
        return plan.model_copy(update={"vms": []})
    return head


def _references_hold(head: Plan, vms: VmRows) -> bool:
    # Ids are unique by `_assign_ids`; hosts and workloads depend on what else the import
    # found (a host the source describes may have been left out).
    hosts: set[str | None] = {None, *(h.id for h in head.hosts)}
    profiles = {w.name for w in head.workloads} | {w for w in BUILTIN_WORKLOADS if w != "measured"}
    entries = vms.entries
    return (
        {e[HOST] for e in entries} <= hosts
        and {e[PROFILE] for e in entries} <= profiles
        and not any(e[PINNED] and e[HOST] is None for e in entries)
    )


def import_consolidation(
    head: Plan, vms: VmRows, profiles: Sequence[HypervisorProfile]
) -> Consolidation | None:
    """`engine.consolidation` of the head with these VMs, without a `VM` model per row: the
    sizing reads sizes and counts only, so identical VMs are merged first."""
    from hvplanner.engine.consolidation import consolidation, grouped_vms
    from hvplanner.model.edits import rebuild

    if not head.hosts or not head.host_models or not vms:
        return None
    return consolidation(rebuild(head, vms=grouped_vms(vms.sizes()), workloads=[]), profiles)
