"""Gathers the Windows inputs: processor features via ctypes, WMI values via PowerShell."""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

POWERSHELL_TIMEOUT_S = 20.0
PF_NX_ENABLED = 12
PF_SECOND_LEVEL_ADDRESS_TRANSLATION = 20
PF_VIRT_FIRMWARE_ENABLED = 21
FEATURES = (
    "Microsoft-Hyper-V-Hypervisor",
    "VirtualMachinePlatform",
    "HypervisorPlatform",
    "Microsoft-Windows-Subsystem-Linux",
    "Containers-DisposableClientVM",
)
_FILTER = " OR ".join(f"Name='{n}'" for n in FEATURES)
SCRIPT = f"""
$ErrorActionPreference = 'SilentlyContinue'
$p = @(Get-CimInstance Win32_Processor | Select-Object Name,Manufacturer,NumberOfCores,
  NumberOfLogicalProcessors,VMMonitorModeExtensions,SecondLevelAddressTranslationExtensions,
  VirtualizationFirmwareEnabled)
$c = Get-CimInstance Win32_ComputerSystem |
  Select-Object Manufacturer,Model,HypervisorPresent,TotalPhysicalMemory
$o = Get-CimInstance Win32_OperatingSystem |
  Select-Object Caption,OperatingSystemSKU,Version,OSArchitecture,DataExecutionPrevention_Available
$g = Get-CimInstance -Namespace root\\Microsoft\\Windows\\DeviceGuard -ClassName Win32_DeviceGuard |
  Select-Object VirtualizationBasedSecurityStatus,SecurityServicesRunning
$f = @(Get-CimInstance Win32_OptionalFeature -Filter "{_FILTER}" | Select-Object Name,InstallState)
[pscustomobject]@{{Processor=$p; ComputerSystem=$c; OperatingSystem=$o; DeviceGuard=$g;
  OptionalFeatures=$f}} | ConvertTo-Json -Depth 4 -Compress
"""


class _Wmi(BaseModel):
    # WMI objects carry more properties than the ones selected; those are not ours to refuse
    model_config = ConfigDict(extra="ignore", frozen=True)


class WinProcessor(_Wmi):
    Name: str | None = None
    Manufacturer: str | None = None
    NumberOfCores: int | None = None
    NumberOfLogicalProcessors: int | None = None
    VMMonitorModeExtensions: bool | None = None
    SecondLevelAddressTranslationExtensions: bool | None = None
    VirtualizationFirmwareEnabled: bool | None = None


class WinComputerSystem(_Wmi):
    Manufacturer: str | None = None
    Model: str | None = None
    HypervisorPresent: bool | None = None
    TotalPhysicalMemory: int | None = None


class WinOperatingSystem(_Wmi):
    Caption: str | None = None
    OperatingSystemSKU: int | None = None
    Version: str | None = None
    OSArchitecture: str | None = None
    DataExecutionPrevention_Available: bool | None = None


class WinDeviceGuard(_Wmi):
    VirtualizationBasedSecurityStatus: int | None = None
    SecurityServicesRunning: list[int] = Field(default_factory=list)

    @field_validator("SecurityServicesRunning", mode="before")
    @classmethod
    def _listify(cls, v: Any) -> Any:
        return [] if v is None else v if isinstance(v, list) else [v]


class WinFeature(_Wmi):
    Name: str
    InstallState: int | None = None


class WinCim(_Wmi):
    Processor: list[WinProcessor] = Field(default_factory=list)
    ComputerSystem: WinComputerSystem | None = None
    OperatingSystem: WinOperatingSystem | None = None
    DeviceGuard: WinDeviceGuard | None = None
    OptionalFeatures: list[WinFeature] = Field(default_factory=list)

    @field_validator("Processor", "OptionalFeatures", mode="before")
    @classmethod
    def _listify(cls, v: Any) -> Any:
        # ConvertTo-Json writes a one-element array as a bare object
        return [] if v is None else v if isinstance(v, list) else [v]


class WindowsInputs(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    machine: str | None = None
    pf_virt_firmware: bool | None = None
    pf_slat: bool | None = None
    pf_nx: bool | None = None
    cim: WinCim | None = None
    cim_error: str = ""
    disk_free_gb: float | None = None
    disk_path: str | None = None


def parse_cim(text: str) -> tuple[WinCim | None, str]:
    try:
        return WinCim.model_validate(json.loads(text)), ""
    except (ValueError, ValidationError) as exc:
        return None, f"unreadable PowerShell output: {str(exc).splitlines()[0]}"


def _powershell() -> tuple[WinCim | None, str]:
    exe = shutil.which("powershell.exe") or shutil.which("pwsh.exe")
    if exe is None:
        return None, "PowerShell not found"
    try:
        done = subprocess.run(
            [exe, "-NoProfile", "-NonInteractive", "-Command", SCRIPT],
            capture_output=True,
            timeout=POWERSHELL_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return None, str(exc)
    if done.returncode != 0 or not done.stdout.strip():
        err = done.stderr.decode("utf-8", errors="replace").strip()
        return None, err or f"exit status {done.returncode}"
    return parse_cim(done.stdout.decode("utf-8", errors="replace"))


def _features() -> tuple[bool | None, bool | None, bool | None]:
    if sys.platform != "win32":
        return None, None, None
    import ctypes  # windll exists only on Windows

    present = ctypes.windll.kernel32.IsProcessorFeaturePresent
    return (
        bool(present(PF_VIRT_FIRMWARE_ENABLED)),
        bool(present(PF_SECOND_LEVEL_ADDRESS_TRANSLATION)),
        bool(present(PF_NX_ENABLED)),
    )


def probe_windows() -> WindowsInputs:
    firmware, slat, nx = _features()
    cim, err = _powershell()
    where = os.environ.get("SYSTEMDRIVE", "C:") + "\\"
    try:
        free: float | None = shutil.disk_usage(where).free / 1e9
    except OSError:
        free = None
    return WindowsInputs(
        machine=platform.machine() or None,
        pf_virt_firmware=firmware,
        pf_slat=slat,
        pf_nx=nx,
        cim=cim,
        cim_error=err,
        disk_free_gb=free,
        disk_path=where,
    )
