"""Parsers for the Linux text files the checks read. Pure; tolerant of odd input."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class CpuInfo:
    vendor: str | None = None
    model: str | None = None
    family: int | None = None
    model_number: int | None = None
    flags: frozenset[str] = frozenset()
    vmx_flags: frozenset[str] = frozenset()
    has_vmx_flags_line: bool = False
    arm: bool = False
    logical: int = 0
    physical_cores: int | None = None


def _int(text: str | None) -> int | None:
    if text is None:
        return None
    try:
        return int(text.strip(), 0)
    except ValueError:
        return None


def parse_cpuinfo(text: str) -> CpuInfo:
    parsed: list[dict[str, str]] = []
    for block in re.split(r"\n\s*\n", text):
        fields: dict[str, str] = {}
        for line in block.splitlines():
            key, sep, value = line.partition(":")
            if sep:
                fields.setdefault(key.strip().lower(), value.strip())
        if fields:
            parsed.append(fields)
    logical = sum(1 for f in parsed if f.get("processor", "").isdigit())
    cores = {
        (f["physical id"], f["core id"]) for f in parsed if "physical id" in f and "core id" in f
    }
    first = next(
        (f for f in parsed if "flags" in f or "features" in f), parsed[0] if parsed else {}
    )
    arm = "cpu implementer" in first and "vendor_id" not in first
    flags_text = first.get("flags") or ("" if not arm else first.get("features", ""))
    model = first.get("model name")
    if arm and not model:
        model = f"implementer {first.get('cpu implementer')}, part {first.get('cpu part')}"
    return CpuInfo(
        vendor=first.get("vendor_id")
        or (f"arm implementer {first['cpu implementer']}" if arm else None),
        model=model,
        family=_int(first.get("cpu family")),
        model_number=None if arm else _int(first.get("model")),
        flags=frozenset(flags_text.split()),
        vmx_flags=frozenset(first.get("vmx flags", "").split()),
        has_vmx_flags_line="vmx flags" in first,
        arm=arm,
        logical=logical or len(parsed),
        physical_cores=len(cores) or None,
    )


def meminfo_gib(text: str) -> float | None:
    m = re.search(r"^MemTotal:\s+(\d+)\s*kB", text, re.MULTILINE)
    return int(m.group(1)) / (1024 * 1024) if m else None


def kernel_release(osrelease: str | None, version: str | None) -> str | None:
    if osrelease and osrelease.strip():
        return osrelease.strip()
    if version:
        m = re.match(r"Linux version (\S+)", version)
        if m:
            return m.group(1)
    return None


def kernel_at_least(release: str | None, major: int, minor: int) -> bool | None:
    if not release:
        return None
    m = re.match(r"(\d+)\.(\d+)", release)
    if not m:
        return None
    return (int(m.group(1)), int(m.group(2))) >= (major, minor)


def pci_vendors(text: str) -> set[str]:
    vendors: set[str] = set()
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 2 and len(parts[1]) == 8:
            vendors.add(parts[1][:4].lower())
    return vendors


def group_members(etc_group: str, gid: int) -> tuple[str | None, list[str]]:
    for line in etc_group.splitlines():
        parts = line.split(":")
        if len(parts) >= 4 and _int(parts[2]) == gid:
            return parts[0], [m for m in parts[3].split(",") if m]
    return None, []
