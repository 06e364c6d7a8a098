"""The VMs of an import held as one plain tuple per row, not one pydantic `VM` each.

A million-row inventory as `VM` models is about 900 bytes and several microseconds of
validation per row; as tuples it is a third of that. The row pipeline (`inventory`) checks
every value against the model's own bounds before it makes a tuple, so a tuple is a valid
VM. A `VM` model is made only when one is asked for (the window adding the VMs to its plan,
`plan_from_import`); a plan file is written straight from the tuples, as the same text.

Plain tuples, not named ones: the garbage collector stops tracking a tuple of plain values
(only an exact `tuple`), where a million named tuples would be walked by every full
collection, seconds of a large import.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from itertools import chain
from typing import TYPE_CHECKING, Any, Final, NamedTuple, TypeVar, overload

from hvplanner.model.edits import checked_vm
from hvplanner.model.guest import GuestOs
from hvplanner.model.plan import VM

if TYPE_CHECKING:
    from hvplanner.engine.consolidation import SizeKey

VmTuple = tuple[
    str,
    str,
    int,
    int,
    float,
    float,
    float,
    float | None,
    str | None,
    bool,
    str | None,
    str,
    GuestOs,
]
"""A VM's fields in the model's order (`VM_FIELDS`); the indexes below name them."""
VM_FIELDS: Final = (
    *("id", "name", "count", "vcpu", "ram_gb", "disk_gb", "nic_mbps", "cpu_mhz", "host"),
    *("pinned", "anti_affinity", "profile", "os"),
)
ID: Final = 0
NAME: Final = 1
COUNT: Final = 2
VCPU: Final = 3
RAM_GB: Final = 4
DISK_GB: Final = 5
NIC_MBPS: Final = 6
CPU_MHZ: Final = 7
HOST: Final = 8
PINNED: Final = 9
ANTI_AFFINITY: Final = 10
PROFILE: Final = 11
OS: Final = 12


class SourceRow(NamedTuple):
    """Where an imported VM came from: what the plan model has no field for."""

    line: int
    vm: str
    name: str
    host: str | None = None
    cluster: str | None = None
    os: str | None = None
    powered_on: bool = True
    container: bool = False
    """An OS-level guest (a Proxmox LXC container), not a virtual machine."""


SourceTuple = tuple[int, str, str, str | None, str | None, str | None, bool, bool]
"""A `SourceRow` as a plain tuple."""
SOURCE_LINE: Final = 0
SOURCE_VM: Final = 1
SOURCE_NAME: Final = 2
SOURCE_HOST: Final = 3

_ALL_SET = set(VM_FIELDS)


def vm_of(fields: VmTuple) -> VM:
    """The `VM` model of checked fields, without validating them a second time: for a
    million rows that is seconds of the window's import."""
    # One set for all: a VM is frozen, nothing adds to its set of given fields.
    return checked_vm(dict(zip(VM_FIELDS, fields, strict=True)), _ALL_SET)


# A plan file's VM entry as `Plan.model_dump_json(indent=2)` writes it inside the "vms"
# list. The JSON C encoder writes the values of a whole batch in one call, one flat list
# with NUL between values (a JSON string never holds a raw control character); the field
# names and the indentation go between them. Its strings are pydantic's for every character
# but a lone surrogate, and its floats for every float but those written with an exponent;
# a batch holding either is written by pydantic, entry by entry.
_SEP = "\x00"
_ENCODER = json.JSONEncoder(
    ensure_ascii=False, check_circular=False, allow_nan=False, separators=(_SEP, ":")
)
_FIELD_LEAD = "\n    },\n    {\n      "
_PREFIXES = [
    (_FIELD_LEAD if i == 0 else ",\n      ") + json.dumps(name) + ": "
    for i, name in enumerate(VM_FIELDS)
]
_FLOAT_FIELDS = (RAM_GB, DISK_GB, NIC_MBPS, CPU_MHZ)
_SURROGATE = re.compile("[\ud800-\udfff]")
# Python writes a float with an exponent below 1e-4 and from 1e16; pydantic differently.
_PLAIN_FLOAT_MIN, _PLAIN_FLOAT_MAX = 1e-4, 1e16


def _plain_floats(batch: Sequence[VmTuple]) -> bool:
    columns = list(zip(*batch, strict=True))
    for i in _FLOAT_FIELDS:
        for x in set(columns[i]):
            if x and not _PLAIN_FLOAT_MIN <= abs(x) < _PLAIN_FLOAT_MAX:
                return False
    return True


def _entries_json(batch: Sequence[VmTuple]) -> str:
    """The entries, separated by ",\\n    ", each starting "{" and ending "    }"."""
    text = _ENCODER.encode(list(chain.from_iterable(batch)))
    if not _plain_floats(batch) or (not text.isascii() and _SURROGATE.search(text)):
        return ",\n    ".join(
            vm_of(e).model_dump_json(indent=2).replace("\n", "\n    ") for e in batch
        )
    values = text[1:-1].split(_SEP)
    pieces: list[str] = [""] * (2 * len(values))
    pieces[::2] = _PREFIXES * len(batch)
    pieces[1::2] = values
    pieces[0] = "{\n      " + _PREFIXES[0][len(_FIELD_LEAD) :]
    pieces.append("\n    }")
    return "".join(pieces)


T = TypeVar("T")


class _TupleRows(Sequence[T]):
    """A read-only list whose items are made from plain tuples when they are read."""

    __slots__ = ("entries",)
    entries: list[Any]

    def __init__(self, entries: list[Any]) -> None:
        self.entries = entries

    def _item(self, entry: Any) -> T:
        raise NotImplementedError

    def __len__(self) -> int:
        return len(self.entries)

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> list[T]: ...

    def __getitem__(self, index: int | slice) -> T | list[T]:
        if isinstance(index, slice):
            return [self._item(e) for e in self.entries[index]]
        return self._item(self.entries[index])

    def __iter__(self) -> Iterator[T]:
        return map(self._item, self.entries)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, type(self)):
            return bool(self.entries == other.entries)
        if isinstance(other, Sequence) and not isinstance(other, str):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # a list's equality, so no hash

    def __repr__(self) -> str:
        return f"{type(self).__name__}({len(self.entries)} rows)"


class VmRows(_TupleRows[VM]):
    """The imported VMs in row order: a `VM` is made each time one is read."""

    __slots__ = ()
    entries: list[VmTuple]

    def _item(self, entry: VmTuple) -> VM:
        return vm_of(entry)

    def __iter__(self) -> Iterator[VM]:
        return map(vm_of, self.entries)

    @property
    def instances(self) -> int:
        """VMs counted with each entry's count."""
        return sum(e[COUNT] for e in self.entries)

    def sizes(self) -> Iterator[tuple[SizeKey, int]]:
        for e in self.entries:
            yield (
                (e[VCPU], e[RAM_GB], e[DISK_GB], e[NIC_MBPS], e[CPU_MHZ], e[ANTI_AFFINITY]),
                e[COUNT],
            )

    def json_chunks(self, batch: int = 2000) -> Iterator[str]:
        """The VM entries of a plan file's "vms" list, a batch at a time, separated by
        ",\\n    " (the first and the last without)."""
        entries = self.entries
        for start in range(0, len(entries), batch):
            text = _entries_json(entries[start : start + batch])
            yield text if start == 0 else ",\n    " + text


class SourceRows(_TupleRows[SourceRow]):
    """Where each imported VM came from, in the same order as the VMs."""

    __slots__ = ()
    entries: list[SourceTuple]

    def _item(self, entry: SourceTuple) -> SourceRow:
        return SourceRow._make(entry)

    def renamed(self) -> list[SourceRow]:
        """Rows whose VM id differs from their name."""
        return [SourceRow._make(s) for s in self.entries if s[SOURCE_VM] != s[SOURCE_NAME]]

    def hosts(self) -> set[str]:
        return {h for s in self.entries if (h := s[SOURCE_HOST])}
