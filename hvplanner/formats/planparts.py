"""Checking a large plan in parts, for a reader that must stay interruptible.

`plan_from_json` validates a whole document in one call into pydantic's compiled core,
which holds Python's global lock throughout: a window reading a plan in a worker thread
would still freeze for as long (0.4 s per 100,000 VMs). Here the `vms` list, the part
that grows, is validated some thousands of VMs at a time, each part as JSON exactly as
the whole document would be, and the rest of the plan on its own; between parts the lock
is free and the caller's `progress` can stop the work.

Only a plain current-version plan goes this way, and only when every part is valid: any
other shape or any problem returns None and the caller takes the whole-document path,
whose messages the user sees. So a bad file reads the same as before.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator

from pydantic import TypeAdapter, ValidationError

from hvplanner.errors import PlanLoadError
from hvplanner.formats.files import ReadCancelledError, read_limited
from hvplanner.formats.planfile import MAX_PLAN_BYTES, plan_from_json
from hvplanner.model.collection import collection_paused
from hvplanner.model.plan import SCHEMA_VERSION, VM, Plan

# VMs validated per call: about 3 ms of holding the lock each.
PART_VMS = 1000

Decode = Callable[[str, int], tuple[object, int]]
_WS = re.compile(r"[ \t\n\r]*")
_VM_LIST: TypeAdapter[list[VM]] = TypeAdapter(list[VM])


class _NotPlainError(Exception):
    """Not a shape this path reads: the whole-document path decides."""


def _skip(text: str, i: int) -> int:
    m = _WS.match(text, i)
    assert m is not None  # the pattern matches the empty string
    return m.end()


def _expect(text: str, i: int, char: str) -> int:
    if text[i : i + 1] != char:
        raise _NotPlainError
    return i + 1


def _members(text: str, decode: Decode, vms: Callable[[int], int]) -> list[tuple[str, int, int]]:
    """The top-level object's members as (key, start, end) of their text; the `vms`
    value is handed to `vms(where it starts) -> where it ends`."""
    members: list[tuple[str, int, int]] = []
    i = _skip(text, _expect(text, _skip(text, 0), "{"))
    if text[i : i + 1] == "}":
        return members
    while True:
        start = i
        key, i = decode(text, i)
        if not isinstance(key, str):
            raise _NotPlainError
        value = _skip(text, _expect(text, _skip(text, i), ":"))
        i = vms(value) if key == "vms" else decode(text, value)[1]
        members.append((key, start, i))
        i = _skip(text, i)
        if text[i : i + 1] == "}":
            break
        i = _skip(text, _expect(text, i, ","))
    if _skip(text, i + 1) != len(text):
        raise _NotPlainError
    return members


def _parts(text: str, start: int, decode: Decode) -> Iterator[tuple[int, int]]:
    """The array at `start` in parts of PART_VMS elements: where each part's text begins
    and ends (the text between, commas included, is itself a JSON array's inside)."""
    i = _skip(text, _expect(text, start, "["))
    if text[i : i + 1] == "]":
        return
    first, count = i, 0
    while True:
        _, end = decode(text, i)
        count += 1
        i = _skip(text, end)
        last = text[i : i + 1] == "]"
        if last or count == PART_VMS:
            yield first, end
            first, count = -1, 0
        if last:
            return
        i = _skip(text, _expect(text, i, ","))
        if first < 0:
            first = i


def plan_in_parts(raw: bytes, progress: Callable[[int, int], bool]) -> Plan | None:
    """The plan, or None when the whole-document path must decide (see the module).

    `progress(done, total)` is called after every part and stops the work with
    ReadCancelledError when it returns False."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    decode = json.JSONDecoder().raw_decode
    checked: list[VM] = []

    def vms(start: int) -> int:
        end = start + 1  # past the opening bracket, when the list is empty
        for begin, end in _parts(text, start, decode):
            checked.extend(_VM_LIST.validate_json("[" + text[begin:end] + "]"))
            if not progress(end, len(text)):
                raise ReadCancelledError
        return _expect(text, _skip(text, end), "]")

    try:
        members = _members(text, decode, vms)
        keys = [m[0] for m in members]
        if len(set(keys)) != len(keys) or "vms" not in keys:
            return None
        head = "{" + ",".join(text[m[1] : m[2]] for m in members if m[0] != "vms") + "}"
        version = json.loads(head).get("schema_version")
        if type(version) is not int or version != SCHEMA_VERSION:
            return None  # an older version migrates, an export wraps: the whole path reads them
        plan = Plan.model_validate_json(head)  # the rest, with no VMs to refer to anything
        # Each VM is valid already and passes as it is (pydantic checks only its type);
        # what remains is the check across the parts: the references.
        fields = {name: getattr(plan, name) for name in plan.model_fields_set}
        return Plan.model_validate({**fields, "vms": checked})
    except (ValidationError, _NotPlainError, ValueError, RecursionError):
        return None


def plan_from_bytes(raw: bytes, where: str, progress: Callable[[int, int], bool]) -> Plan:
    """`plan_from_json`, in parts when it can: the same plan, the same messages."""
    plan = plan_in_parts(raw, progress)
    return plan if plan is not None else plan_from_json(raw, where)


def read_plan(path: str | os.PathLike[str], progress: Callable[[int, int], bool]) -> Plan:
    """`load_plan` for a worker: the file read, then checked in parts, both answering
    Cancel (ReadCancelledError). Progress goes from 0 to 1000, reading the first half."""

    def part(first: int, done: int, total: int) -> bool:
        return progress(first + 500 * done // max(total, 1), 1000)

    raw = read_limited(
        path, MAX_PLAN_BYTES, "a plan file", PlanLoadError, lambda d, t: part(0, d, t)
    )
    # A collection of cycles would run several times as the plan's objects pile up; the
    # check makes no cycles.
    with collection_paused():
        return plan_from_bytes(raw, str(path), lambda d, t: part(500, d, t))
