"""What the checks concluded about the host, in a form every platform shares.

Verdicts are computed from these facts alone, so Linux, Windows and macOS reach
their verdicts by the same rules. `None` always means "could not tell".
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from hvplanner.readiness.model import Check, CpuSummary, PlatformInfo

XenRole = Literal["dom0", "pv-domu", "hvm-domu"]

# The hypervisor a VM was found running on (`HostFacts.hypervisor`), as users name it.
HYPERVISOR_NAMES = {
    "kvm": "KVM",
    "qemu": "QEMU",
    "vmware": "VMware",
    "virtualbox": "VirtualBox",
    "xen": "Xen",
    "hyper-v": "Hyper-V",
    "parallels": "Parallels",
    "bhyve": "bhyve",
    "apple": "Apple Virtualization",
}


class HostFacts(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    os: Literal["linux", "windows", "macos", "other"]
    x86: bool | None
    arch: str | None
    hw_virt_name: str = "VT-x/AMD-V"
    slat_name: str = "SLAT (EPT/NPT)"
    firmware_setting: str = "Virtualization Technology (VT-x / SVM mode)"
    # the CPU extension is visible and usable by this OS
    hw_virt: bool | None
    # why it is not, in plain words, when the checks could tell
    hw_virt_note: str | None = None
    # firmware switched it on (False: proof it is off)
    firmware_enabled: bool | None
    slat: bool | None
    nx: bool | None
    is_vm: bool | None
    hypervisor: str | None = None
    xen_role: XenRole | None = None
    xen_hvm_capable: bool | None = None
    # another hypervisor that owns VT-x on this running system, in plain words
    vt_held_by: str | None = None
    # family key of that hypervisor (a product does not conflict with itself)
    vt_holder: str | None = None
    # a hosted hypervisor beside it would run on that hypervisor's API (slow, no nested VT-x)
    vt_held_exclusive: bool = False
    iommu: bool | None = None
    wsl: bool = False
    container: str | None = None
    # KVM on the running Linux: /dev/kvm usable by this user (None: not checked)
    kvm_usable: bool | None = None
    kvm_problem: str | None = None
    kvm_paravirtual: bool = False
    windows_home: bool | None = None
    cores: int | None = None
    ram_gb: float | None = None
    disk_free_gb: float | None = None


class Analysis(BaseModel):
    """Everything one platform's checks produced, before the verdicts."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    platform: PlatformInfo
    cpu: CpuSummary
    facts: HostFacts
    checks: list[Check]
