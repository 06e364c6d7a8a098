"""Gathers the macOS inputs: one sysctl call, plus free disk space."""

from __future__ import annotations

import platform
import shutil
import subprocess
from pathlib import Path

from pydantic import BaseModel, ConfigDict

SYSCTL_TIMEOUT_S = 3.0
SYSCTL_NAMES = (
    "kern.hv_support",
    "kern.hv_vmm_present",
    "machdep.cpu.brand_string",
    "machdep.cpu.vendor",
    "machdep.cpu.features",
    "machdep.cpu.leaf7_features",
    "machdep.cpu.core_count",
    "hw.physicalcpu",
    "hw.memsize",
    "hw.optional.arm64",
    "hw.model",
    "kern.osproductversion",
)


class MacInputs(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    machine: str | None = None
    sysctl: str = ""
    sysctl_error: str = ""
    disk_free_gb: float | None = None
    disk_path: str | None = None


def parse_sysctl(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in text.splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip() and " " not in key.strip():
            out[key.strip()] = value.strip()
    return out


def probe_macos() -> MacInputs:
    text, err = "", ""
    exe = shutil.which("sysctl") or "/usr/sbin/sysctl"
    try:
        # unknown names (kern.hv_support on some Apple silicon releases) go to stderr,
        # the known ones are still printed
        done = subprocess.run(
            [exe, *SYSCTL_NAMES],
            capture_output=True,
            timeout=SYSCTL_TIMEOUT_S,
            check=False,
        )
        text = done.stdout.decode("utf-8", errors="replace")
        err = done.stderr.decode("utf-8", errors="replace").strip()
    except (OSError, subprocess.TimeoutExpired) as exc:
        err = str(exc)
    where = str(Path.home())
    try:
        free: float | None = shutil.disk_usage(where).free / 1e9
    except OSError:
        free = None
    return MacInputs(
        machine=platform.machine() or None,
        sysctl=text,
        sysctl_error=err,
        disk_free_gb=free,
        disk_path=where,
    )
