"""Linux checks: pure functions of LinuxInputs, each returning a Check with its evidence."""

from __future__ import annotations

import re
from dataclasses import dataclass

from hvplanner.readiness.facts import HYPERVISOR_NAMES, Analysis, HostFacts, XenRole
from hvplanner.readiness.inputs_linux import LinuxInputs
from hvplanner.readiness.linux_parse import (
    CpuInfo,
    group_members,
    kernel_at_least,
    kernel_release,
    meminfo_gib,
    parse_cpuinfo,
    pci_vendors,
)
from hvplanner.readiness.model import (
    Check,
    CheckSpec,
    CheckStatus,
    CpuSummary,
    Evidence,
    PlatformInfo,
)
from hvplanner.readiness.resources import resource_checks
from hvplanner.text import plural

CPUINFO = "/proc/cpuinfo"
KVM_API_VERSION = 12

# Substrings of DMI fields that only virtual machines report (systemd's detect_vm table).
DMI_VM_VENDORS: tuple[tuple[str, str], ...] = (
    ("kvm", "kvm"),
    ("qemu", "qemu"),
    ("vmware", "vmware"),
    ("virtualbox", "virtualbox"),
    ("innotek", "virtualbox"),
    ("xen", "xen"),
    ("bochs", "qemu"),
    ("parallels", "parallels"),
    ("bhyve", "bhyve"),
    ("openstack", "kvm"),
    ("kubevirt", "kvm"),
    ("google compute engine", "kvm"),
    ("apple virtualization", "apple"),
)
# PCI vendor ids of emulated devices; VirtualBox guests may show nothing else (no hypervisor flag).
PCI_VM_VENDORS = {
    "80ee": "virtualbox",
    "15ad": "vmware",
    "5853": "xen",
    "1ab8": "parallels",
    "1414": "hyper-v",
}
DMI_FIELDS = ("sys_vendor", "product_name", "board_vendor", "bios_vendor")
BIOS_LOG = re.compile(r"disabled by bios|svm disabled|vmx \(outside txt\) disabled", re.IGNORECASE)


def human(hv: str | None) -> str:
    return HYPERVISOR_NAMES.get(hv or "", hv or "not identified")


@dataclass(frozen=True)
class _Vm:
    is_vm: bool | None
    hypervisor: str | None
    xen_role: XenRole | None
    evidence: list[Evidence]
    summary: str


def _amd_predates_amdv(cpu: CpuInfo) -> bool:
    # AMD-V arrived with K8 revision F (family 15, model 0x40 and up); older parts lack it.
    if cpu.vendor != "AuthenticAMD" or cpu.family is None:
        return False
    return cpu.family < 15 or (cpu.family == 15 and (cpu.model_number or 0) < 0x40)


def _detect_vm(inp: LinuxInputs, cpu: CpuInfo | None) -> _Vm:
    ev: list[Evidence] = []
    flags = cpu.flags if cpu else frozenset()
    hv_type = (inp.text("/sys/hypervisor/type") or "").strip()
    if hv_type:
        ev.append(Evidence(source="/sys/hypervisor/type", value=hv_type))
    if hv_type == "xen":
        caps = inp.text("/proc/xen/capabilities")
        if caps is not None:
            ev.append(Evidence(source="/proc/xen/capabilities", value=caps.strip() or "(empty)"))
        if caps is not None and "control_d" in caps:
            return _Vm(False, "xen", "dom0", ev, "Xen dom0: Xen runs below this system")
        role: XenRole = "hvm-domu" if "hypervisor" in flags else "pv-domu"
        kind = "HVM" if role == "hvm-domu" else "paravirtualized (PV)"
        return _Vm(True, "xen", role, ev, f"a Xen {kind} guest (domU)")
    dmi_hv = None
    for name in DMI_FIELDS:
        value = inp.text(f"/sys/class/dmi/id/{name}")
        if value is None:
            continue
        ev.append(Evidence(source=f"/sys/class/dmi/id/{name}", value=value.strip()))
        low = value.lower()
        dmi_hv = dmi_hv or next((hv for key, hv in DMI_VM_VENDORS if key in low), None)
    pci = inp.text("/proc/bus/pci/devices")
    pci_hv = None
    if pci is not None:
        found = sorted(v for v in pci_vendors(pci) if v in PCI_VM_VENDORS)
        if found:
            pci_hv = PCI_VM_VENDORS[found[0]]
            ev.append(Evidence(source="/proc/bus/pci/devices", value="vendor " + ", ".join(found)))
    model = (cpu.model or "") if cpu else ""
    cpu_hv = "qemu" if "QEMU" in model else "kvm" if "KVM" in model else None
    if "hypervisor" in flags:
        ev.append(Evidence(source=CPUINFO, value="flag 'hypervisor'"))
    hv = dmi_hv or pci_hv or cpu_hv
    if "hypervisor" in flags or dmi_hv or pci_hv:
        return _Vm(True, hv, None, ev, f"a virtual machine (hypervisor: {human(hv)})")
    if cpu and cpu.arm:
        if any(e.source.startswith("/sys/class/dmi") for e in ev):
            return _Vm(False, None, None, ev, "bare metal (DMI names a physical machine)")
        return _Vm(None, None, None, ev, "cannot tell: Arm has no 'hypervisor' flag, DMI not read")
    if any(e.source.startswith("/sys/class/dmi") for e in ev):
        return _Vm(
            False, None, None, ev, "bare metal: no 'hypervisor' flag, DMI names real hardware"
        )
    if flags & {"vmx", "svm"}:
        return _Vm(False, None, None, ev, "bare metal: VT-x/AMD-V visible, no 'hypervisor' flag")
    if cpu and _amd_predates_amdv(cpu):
        return _Vm(False, None, None, ev, "bare metal: an AMD CPU older than AMD-V")
    return _Vm(
        None,
        None,
        None,
        ev,
        "cannot tell: no 'hypervisor' flag, but some hypervisors (VMware, VirtualBox) hide it"
        " and DMI was not read",
    )


def _cpu_check(cpu: CpuInfo | None, inp: LinuxInputs) -> Check:
    f = inp.file(CPUINFO)
    if cpu is None:
        return Check(
            id="cpu.identity",
            area="cpu",
            title="CPU vendor and model",
            status="unknown",
            summary=f"{CPUINFO} could not be read ({f.state} {f.error})".strip(),
            evidence=[Evidence(source=CPUINFO, value=f.state)],
        )
    return Check(
        id="cpu.identity",
        area="cpu",
        title="CPU vendor and model",
        status="pass",
        summary=f"{cpu.vendor or 'unknown vendor'}: {cpu.model or 'unknown model'}",
        evidence=[
            Evidence(source=CPUINFO, value=f"vendor_id={cpu.vendor}; model name={cpu.model}"),
        ],
    )


def _hw_virt_check(cpu: CpuInfo | None, vm: _Vm) -> Check:
    base = CheckSpec(id="cpu.hw_virt", area="cpu", title="Hardware virtualization (VT-x/AMD-V)")
    if cpu is None:
        return base.make(status="unknown", summary="CPU flags not read")
    if cpu.arm:
        return base.make(
            status="unknown",
            summary="Arm CPUs list no virtualization flag; KVM depends on the kernel booting at"
            " EL2, which shows as a working /dev/kvm",
            evidence=[Evidence(source=CPUINFO, value="Features line, no vendor_id (aarch64)")],
        )
    found = sorted(cpu.flags & {"vmx", "svm"})
    if found and vm.xen_role == "pv-domu":
        return base.make(
            status="fail",
            summary=f"'{found[0]}' is listed, but a Xen PV guest cannot use it",
            evidence=[Evidence(source=CPUINFO, value=f"flag '{found[0]}'")],
        )
    if found:
        name = "VT-x" if found[0] == "vmx" else "AMD-V"
        return base.make(
            status="pass",
            summary=f"{name} is visible to this system",
            evidence=[Evidence(source=CPUINFO, value=f"flag '{found[0]}'")],
        )
    ev = [Evidence(source=CPUINFO, value="no 'vmx' or 'svm' flag")]
    if vm.is_vm:
        return base.make(
            status="fail",
            summary=f"not passed into this VM: the hypervisor below ({human(vm.hypervisor)}) does"
            " not expose nested virtualization",
            evidence=ev,
            fix="Enable nested virtualization for this VM on the host (a setting of the host,"
            " not of this system)",
        )
    if _amd_predates_amdv(cpu):
        return base.make(
            status="fail",
            summary="this CPU has no AMD-V (AMD K8 before revision F)",
            evidence=[
                *ev,
                Evidence(
                    source=CPUINFO, value=f"cpu family {cpu.family}, model {cpu.model_number}"
                ),
            ],
        )
    return base.make(
        status="fail",
        summary="not available to this system: the CPU lacks it, the firmware switched it off,"
        " or this is a VM that hides it",
        evidence=ev,
    )


def _slat_check(cpu: CpuInfo | None) -> Check:
    base = CheckSpec(id="cpu.slat", area="cpu", title="Second-level address translation (EPT/NPT)")
    if cpu is None or cpu.arm:
        return base.make(status="unknown", summary="not determinable from these files")
    if "svm" in cpu.flags:
        if "npt" in cpu.flags:
            return base.make(
                status="pass",
                summary="AMD NPT (RVI) present",
                evidence=[Evidence(source=CPUINFO, value="flag 'npt'")],
            )
        return base.make(
            status="fail",
            summary="AMD-V without NPT: shadow paging only",
            evidence=[Evidence(source=CPUINFO, value="'svm' without 'npt'")],
        )
    if "vmx" in cpu.flags:
        if "ept" in cpu.flags or "ept" in cpu.vmx_flags:
            where = "vmx flags" if "ept" in cpu.vmx_flags else "flags"
            return base.make(
                status="pass",
                summary="Intel EPT present",
                evidence=[Evidence(source=CPUINFO, value=f"'ept' in {where}")],
            )
        # The kernel lists VMX features (tpr_shadow, vpid, ept...) only when it can read them;
        # without any of them the absence of 'ept' proves nothing.
        if cpu.flags & {"tpr_shadow", "vnmi", "flexpriority", "vpid"} or cpu.has_vmx_flags_line:
            return base.make(
                status="fail",
                summary="VT-x without EPT: shadow paging only",
                evidence=[
                    Evidence(source=CPUINFO, value="VMX features listed, 'ept' not among them")
                ],
            )
        return base.make(
            status="unknown",
            summary="this kernel lists no VMX features, so EPT cannot be read",
            evidence=[Evidence(source=CPUINFO, value="no tpr_shadow/ept/vpid flags")],
        )
    return base.make(status="skip", summary="no VT-x/AMD-V, so SLAT does not matter")


def _flag_check(cpu: CpuInfo | None, flag: str, check_id: str, title: str, fail: str) -> Check:
    if cpu is None or cpu.arm:
        return Check(
            id=check_id,
            area="cpu",
            title=title,
            status="skip",
            summary="x86 flag; does not apply" if cpu else "CPU flags not read",
        )
    if flag in cpu.flags:
        return Check(
            id=check_id,
            area="cpu",
            title=title,
            status="pass",
            summary="present",
            evidence=[Evidence(source=CPUINFO, value=f"flag '{flag}'")],
        )
    return Check(
        id=check_id,
        area="cpu",
        title=title,
        status="fail",
        summary=fail,
        evidence=[Evidence(source=CPUINFO, value=f"no '{flag}' flag")],
        fix="Enable 'No-Execute Memory Protection' / 'XD bit' in the firmware setup"
        if flag == "nx"
        else None,
        fix_needs_admin=flag == "nx",
        fix_needs_cold_boot=flag == "nx",
    )


FIRMWARE_FIX_INTEL = (
    "Enable 'Intel Virtualization Technology' (VT-x) in the firmware setup, then power off"
    " fully (not a reboot) and start again"
)
FIRMWARE_FIX_AMD = (
    "Enable 'SVM Mode' (AMD-V) in the firmware setup, then power off fully (not a reboot)"
    " and start again"
)


def _firmware_check(
    cpu: CpuInfo | None, inp: LinuxInputs, vm: _Vm, kernel: str | None
) -> tuple[Check, bool | None]:
    base = CheckSpec(
        id="firmware.hw_virt", area="firmware", title="VT-x/AMD-V switched on in the firmware"
    )
    if cpu is None or cpu.arm:
        return base.make(status="skip", summary="x86 firmware setting; does not apply"), None
    amd = cpu.vendor == "AuthenticAMD"
    fix = FIRMWARE_FIX_AMD if amd else FIRMWARE_FIX_INTEL
    visible = bool(cpu.flags & {"vmx", "svm"})
    if vm.is_vm and not visible:
        return base.make(
            status="skip", summary="a VM has no firmware of its own here: the host decides"
        ), None
    if vm.is_vm:
        # the hypervisor below chose to expose the extension; its MSRs in a guest are fiction
        return base.make(
            status="skip", summary="in a VM the host decides, and it exposes VT-x/AMD-V"
        ), True
    if _amd_predates_amdv(cpu):
        return base.make(status="skip", summary="the CPU has no AMD-V to switch on"), None

    def enabled(value: str, source: str) -> tuple[Check, bool | None]:
        return base.make(
            status="pass",
            summary=f"enabled ({value})",
            evidence=[Evidence(source=source, value=value)],
        ), True

    def disabled(value: str, source: str) -> tuple[Check, bool | None]:
        return base.make(
            status="fail",
            summary="switched off in the firmware",
            evidence=[Evidence(source=source, value=value)],
            fix=fix,
            fix_needs_admin=True,
            fix_needs_cold_boot=True,
        ), False

    msr = inp.msr
    if msr is not None and msr.value is not None and not vm.is_vm:
        src = f"/dev/cpu/0/msr {msr.address:#x}"
        if amd:
            if msr.value & 0x10:
                return disabled(f"VM_CR={msr.value:#x}: SVMDIS bit 4 set", src)
            return enabled(f"VM_CR={msr.value:#x}: SVMDIS clear", src)
        locked, outside_smx = msr.value & 0x1, msr.value & 0x4
        if locked and not outside_smx:
            return disabled(f"IA32_FEATURE_CONTROL={msr.value:#x}: locked, VMXON off", src)
        return enabled(f"IA32_FEATURE_CONTROL={msr.value:#x}", src)
    module = "/sys/module/kvm_amd" if amd else "/sys/module/kvm_intel"
    if inp.present(module):
        # kvm_intel/kvm_amd refuse to load when the firmware switched VT-x/AMD-V off
        return enabled(f"{module.rsplit('/', 1)[1]} is loaded", module)
    if cpu.has_vmx_flags_line:
        return enabled("the kernel lists 'vmx flags'", CPUINFO)
    if "vmx" in cpu.flags and kernel_at_least(kernel, 5, 6):
        # since 5.6 the kernel drops 'vmx' from the flags when the firmware locked VMX off
        return enabled(f"'vmx' kept by kernel {kernel}", CPUINFO)
    for source, log in (("dmesg", inp.dmesg), ("/var/log/kern.log", inp.file("/var/log/kern.log"))):
        if log.state == "ok":
            hits = [ln.strip() for ln in log.text.splitlines() if BIOS_LOG.search(ln)]
            if hits:
                return disabled(hits[-1][-160:], source)
    tried: list[Evidence] = []
    if msr is not None:
        tried.append(Evidence(source="/dev/cpu/0/msr", value=msr.error or "not read"))
    tried.append(Evidence(source="dmesg", value=f"{inp.dmesg.state} {inp.dmesg.error}".strip()))
    reason = (
        "could not tell whether the firmware switched it off or the CPU lacks it"
        if not visible
        else "the CPU reports it, but whether the firmware allows it could not be read"
    )
    return base.make(
        status="unknown",
        summary=reason,
        evidence=tried,
        fix="Run the check as root to read the CPU's MSR (or check the firmware setup)",
        fix_needs_admin=True,
    ), None


def _vm_check(vm: _Vm) -> Check:
    status: CheckStatus = "pass" if vm.is_vm is False else "warn" if vm.is_vm else "unknown"
    fix = None
    if vm.is_vm:
        fix = "Hypervisors inside this VM need nested virtualization, switched on at the host"
    return Check(
        id="vm.detect",
        area="virtual-machine",
        title="Bare metal or virtual machine",
        status=status,
        summary=vm.summary,
        evidence=vm.evidence,
        fix=fix,
    )


def _holders(inp: LinuxInputs, vm: _Vm) -> tuple[Check, str | None, bool]:
    base = CheckSpec(
        id="vm.holder", area="virtual-machine", title="Another hypervisor holding VT-x"
    )
    if vm.xen_role == "dom0":
        return (
            base.make(
                status="warn",
                summary="Xen runs below this system and owns VT-x",
                evidence=vm.evidence,
            ),
            "Xen (this system is its dom0)",
            True,
        )
    held = [
        name
        for mod, name in (("vboxdrv", "VirtualBox"), ("vmmon", "VMware"))
        if inp.present(f"/sys/module/{mod}")
    ]
    if held:
        ev = [
            Evidence(source=f"/sys/module/{m}", value="loaded")
            for m in ("vboxdrv", "vmmon")
            if inp.present(f"/sys/module/{m}")
        ]
        return (
            base.make(
                status="warn",
                summary=f"{' and '.join(held)} kernel module loaded: only one hypervisor"
                " can run VMs at a time",
                evidence=ev,
                fix="Stop the other hypervisor's VMs before starting KVM VMs",
            ),
            f"{' and '.join(held)} (kernel module loaded)",
            False,
        )
    looked = [inp.present(f"/sys/module/{m}") for m in ("vboxdrv", "vmmon")]
    if any(v is None for v in looked):
        return (
            base.make(status="unknown", summary="loaded modules were not captured"),
            None,
            False,
        )
    return base.make(status="pass", summary="no vboxdrv or vmmon module loaded"), None, False


def _kvm_checks(
    inp: LinuxInputs, cpu: CpuInfo | None, wsl: bool
) -> tuple[list[Check], bool | None, str | None, bool]:
    checks: list[Check] = []
    amd = bool(cpu and cpu.vendor == "AuthenticAMD")
    module = "kvm_amd" if amd else "kvm_intel"
    pvm = inp.present("/sys/module/kvm_pvm")
    loaded = inp.present(f"/sys/module/{module}")
    if pvm:
        checks.append(
            Check(
                id="kvm.module",
                area="kvm",
                title="KVM kernel module",
                status="pass",
                summary="kvm_pvm loaded (paravirtual KVM, works without VT-x)",
                evidence=[Evidence(source="/sys/module/kvm_pvm", value="present")],
            )
        )
    elif cpu and cpu.arm:
        kvm = inp.present("/sys/module/kvm")
        checks.append(
            Check(
                id="kvm.module",
                area="kvm",
                title="KVM kernel module",
                status="pass" if kvm else "unknown" if kvm is None else "warn",
                summary="present" if kvm else "not captured" if kvm is None else "not present",
                evidence=[Evidence(source="/sys/module/kvm", value=str(kvm))],
            )
        )
    elif loaded:
        nested = inp.text(f"/sys/module/{module}/parameters/nested")
        extra = f"; nested={nested.strip()}" if nested is not None else ""
        checks.append(
            Check(
                id="kvm.module",
                area="kvm",
                title="KVM kernel module",
                status="pass",
                summary=f"{module} loaded{extra}",
                evidence=[Evidence(source=f"/sys/module/{module}", value="present")],
            )
        )
    elif loaded is False:
        checks.append(
            Check(
                id="kvm.module",
                area="kvm",
                title="KVM kernel module",
                status="warn",
                summary=f"{module} is not loaded",
                evidence=[Evidence(source=f"/sys/module/{module}", value="absent")],
                fix="WSL2 decides this on the Windows side" if wsl else f"sudo modprobe {module}",
                fix_needs_admin=not wsl,
            )
        )
    else:
        checks.append(
            Check(
                id="kvm.module",
                area="kvm",
                title="KVM kernel module",
                status="unknown",
                summary="/sys/module was not captured",
            )
        )

    dev = inp.present("/dev/kvm")
    base = CheckSpec(id="kvm.dev", area="kvm", title="/dev/kvm usable by this user")
    if dev is None:
        checks.append(base.make(status="unknown", summary="/dev/kvm was not captured"))
        return checks, None, None, bool(pvm)
    if dev is False:
        hint = (
            "In WSL2: set nestedVirtualization=true under [wsl2] in %UserProfile%\\.wslconfig"
            " (Windows 11), then wsl --shutdown"
            if wsl
            else f"Load the module (sudo modprobe {module}); if it refuses, switch on"
            " VT-x/AMD-V in the firmware"
        )
        checks.append(
            base.make(
                status="fail",
                summary="/dev/kvm does not exist",
                evidence=[Evidence(source="/dev/kvm", value="absent")],
                fix=hint,
                fix_needs_admin=True,
            )
        )
        return checks, False, "/dev/kvm does not exist", bool(pvm)
    node = inp.nodes.get("/dev/kvm")
    ev = [
        Evidence(
            source="/dev/kvm",
            value=(
                f"mode {node.mode:o}, uid {node.uid}, group {node.group or node.gid}"
                if node
                else "present"
            ),
        )
    ]
    opened = inp.kvm_open
    if opened is not None and opened.opened:
        if opened.api_version == KVM_API_VERSION:
            checks.append(
                base.make(
                    status="pass",
                    summary=f"opens; KVM_GET_API_VERSION = {KVM_API_VERSION}",
                    evidence=[
                        *ev,
                        Evidence(source="ioctl KVM_GET_API_VERSION", value=str(opened.api_version)),
                    ],
                )
            )
            return checks, True, None, bool(pvm)
        why = opened.error or f"API version {opened.api_version}, expected {KVM_API_VERSION}"
        checks.append(
            base.make(status="fail", summary=f"opens but does not answer: {why}", evidence=ev)
        )
        return checks, False, f"/dev/kvm does not answer ({why})", bool(pvm)
    problem, fix, admin = _kvm_permission(inp)
    if problem is None:
        checks.append(
            base.make(
                status="pass" if opened is None else "warn",
                summary="present and accessible"
                if opened is None
                else f"could not open: {opened.error}",
                evidence=ev,
            )
        )
        return checks, opened is None, None, bool(pvm)
    checks.append(
        base.make(status="fail", summary=problem, evidence=ev, fix=fix, fix_needs_admin=admin)
    )
    return checks, False, problem, bool(pvm)


def _kvm_permission(inp: LinuxInputs) -> tuple[str | None, str | None, bool]:
    node, user = inp.nodes.get("/dev/kvm"), inp.user
    if node is None or user is None:
        return None, None, False
    if user.uid == 0 or node.access_rw or node.mode & 0o006 == 0o006:
        return None, None, False
    group = node.group or str(node.gid)
    if node.mode & 0o060 == 0o060:
        if node.gid in user.gids:
            return None, None, False
        etc = inp.text("/etc/group")
        members = group_members(etc, node.gid)[1] if etc else []
        if user.name and user.name in members:
            return (
                f"you were added to group '{group}', but this login session predates it",
                "Log out and log in again (or run: newgrp " + group + ")",
                False,
            )
        return (
            f"/dev/kvm belongs to group '{group}' and you are not in it",
            f"sudo usermod -aG {group} {user.name or '$USER'}, then log out and in again",
            True,
        )
    return (
        f"/dev/kvm has mode {node.mode:o}: only its owner may open it",
        "Install your distribution's udev rule for /dev/kvm (mode 0660, group kvm)",
        True,
    )


def _node_check(inp: LinuxInputs, path: str, title: str, missing: str, fix: str) -> Check:
    cid = "devices." + path.rsplit("/", 1)[1].replace("-", "_")
    seen = inp.present(path)
    if seen is None:
        return Check(
            id=cid,
            area="devices",
            title=title,
            status="unknown",
            summary=f"{path} was not captured",
        )
    if seen:
        return Check(
            id=cid,
            area="devices",
            title=title,
            status="pass",
            summary="present",
            evidence=[Evidence(source=path, value="present")],
        )
    return Check(
        id=cid,
        area="devices",
        title=title,
        status="warn",
        summary=missing,
        evidence=[Evidence(source=path, value="absent")],
        fix=fix,
        fix_needs_admin=True,
    )


def _iommu_check(inp: LinuxInputs) -> tuple[Check, bool | None]:
    base = CheckSpec(id="iommu", area="iommu", title="IOMMU (VT-d / AMD-Vi / SMMU)")
    ev: list[Evidence] = []
    tables = {t: inp.present(f"/sys/firmware/acpi/tables/{t}") for t in ("DMAR", "IVRS", "IORT")}
    for t, seen in tables.items():
        if seen is not None:
            ev.append(Evidence(source=f"/sys/firmware/acpi/tables/{t}", value=str(seen)))
    listings = {p: inp.listings.get(p) for p in ("/sys/class/iommu", "/sys/kernel/iommu_groups")}
    for p, entries in listings.items():
        if entries is not None:
            ev.append(Evidence(source=p, value=plural(len(entries), "entry", "entries")))
    cmdline = inp.text("/proc/cmdline")
    args = [a for a in (cmdline or "").split() if re.match(r"(intel_|amd_)?iommu(\.\w+)?=", a)]
    if cmdline is not None:
        ev.append(Evidence(source="/proc/cmdline", value=" ".join(args) or "no iommu option"))
    if any(listings.values()):
        return base.make(status="pass", summary="enabled by the kernel", evidence=ev), True
    has_table = any(tables.values())
    if has_table:
        return base.make(
            status="warn",
            summary="the firmware describes an IOMMU but the kernel did not enable it",
            evidence=ev,
            fix="Add intel_iommu=on (Intel) or amd_iommu=on (AMD) to the"
            " kernel command line, then reboot",
            fix_needs_admin=True,
        ), False
    if all(v is False for v in tables.values()) and all(v is not None for v in listings.values()):
        return base.make(
            status="warn",
            summary="no IOMMU: absent, or switched off in the firmware",
            evidence=ev,
            fix="Enable VT-d / AMD-Vi (IOMMU) in the firmware setup",
            fix_needs_admin=True,
            fix_needs_cold_boot=True,
        ), False
    return base.make(status="unknown", summary="IOMMU state was not captured", evidence=ev), None


# What PID 1's control groups name when it runs in a container runtime (cgroup v1 paths;
# with cgroup v2 and a private namespace the path is "/" and the other markers decide).
_CGROUP_RUNTIMES = (
    ("/docker/", "docker"),
    ("/docker-", "docker"),
    ("kubepods", "kubernetes"),
    ("/lxc/", "lxc"),
    ("/lxc.payload", "lxc"),
    ("libpod-", "podman"),
    ("/machine.slice/systemd-nspawn", "systemd-nspawn"),
)


def _pid1_container(inp: LinuxInputs) -> tuple[str, str, str] | None:
    """(runtime, file, what it said) from PID 1's environment or control groups."""
    environ = inp.text("/proc/1/environ") or ""
    for entry in environ.split("\0"):
        if entry.startswith("container=") and entry[len("container=") :]:
            return entry[len("container=") :], "/proc/1/environ", entry
    for line in (inp.text("/proc/1/cgroup") or "").splitlines():
        path = line.split(":", 2)[-1]
        for marker, runtime in _CGROUP_RUNTIMES:
            if marker in path:
                return runtime, "/proc/1/cgroup", line.strip()
    return None


def _environment_check(inp: LinuxInputs, osrelease: str | None) -> tuple[Check, bool, str | None]:
    base = CheckSpec(id="platform.environment", area="platform", title="WSL or container")
    wsl = bool(osrelease and re.search(r"microsoft|wsl", osrelease, re.IGNORECASE))
    container = None
    ev: list[Evidence] = []
    marker = (inp.text("/run/systemd/container") or "").strip()
    for path, name in (("/.dockerenv", "docker"), ("/run/.containerenv", "podman")):
        if inp.present(path):
            container = container or name
            ev.append(Evidence(source=path, value="present"))
    if marker:
        container = container or marker
        ev.append(Evidence(source="/run/systemd/container", value=marker))
    if inp.container_env:
        container = container or inp.container_env
        ev.append(Evidence(source="$container", value=inp.container_env))
    pid1 = _pid1_container(inp)
    if pid1 is not None:
        container = container or pid1[0]
        ev.append(Evidence(source=pid1[1], value=pid1[2]))
    if wsl:
        ev.append(Evidence(source="/proc/sys/kernel/osrelease", value=osrelease or ""))
        return (
            base.make(
                status="warn",
                summary="WSL2: the Windows host decides what runs",
                evidence=ev,
                fix="KVM inside WSL2 needs nestedVirtualization=true in"
                " .wslconfig (Windows 11 only)",
            ),
            True,
            container,
        )
    if container:
        return (
            base.make(
                status="warn",
                summary=f"inside a container ({container}): no hypervisor can be installed "
                "here; the host decides what runs",
                evidence=ev,
                fix="Run the check on the host that runs the container (a container can use "
                "the host's KVM with --device /dev/kvm, but cannot install a hypervisor)",
            ),
            False,
            container,
        )
    if inp.root is not None and inp.present("/.dockerenv") is None:
        return base.make(status="unknown", summary="not captured"), False, None
    return (
        base.make(status="pass", summary="neither WSL nor a container", evidence=ev),
        False,
        None,
    )


def analyse_linux(inp: LinuxInputs) -> Analysis:
    raw = inp.text(CPUINFO)
    cpu = parse_cpuinfo(raw) if raw else None
    osrelease = inp.text("/proc/sys/kernel/osrelease")
    kernel = kernel_release(osrelease, inp.text("/proc/version"))
    vm = _detect_vm(inp, cpu)
    checks: list[Check] = [_cpu_check(cpu, inp)]
    hw = _hw_virt_check(cpu, vm)
    slat = _slat_check(cpu)
    firmware, fw_enabled = _firmware_check(cpu, inp, vm, kernel)
    env, wsl, container = _environment_check(inp, osrelease)
    checks += [
        hw,
        slat,
        _flag_check(cpu, "nx", "cpu.nx", "NX/XD (no-execute)", "no NX/XD: switched off or absent"),
        _flag_check(cpu, "lm", "cpu.long_mode", "64-bit (long mode)", "a 32-bit-only CPU"),
        firmware,
        _vm_check(vm),
    ]
    holder, held_by, exclusive = _holders(inp, vm)
    kvm_checks, kvm_usable, kvm_problem, pvm = _kvm_checks(inp, cpu, wsl)
    iommu, iommu_on = _iommu_check(inp)
    checks += [holder, env, *kvm_checks, iommu]
    checks.append(
        _node_check(
            inp,
            "/dev/net/tun",
            "TUN/TAP networking",
            "no /dev/net/tun: bridged/tap networking will not work",
            "sudo modprobe tun",
        )
    )
    checks.append(
        _node_check(
            inp,
            "/dev/vhost-net",
            "vhost-net (fast virtio networking)",
            "no /dev/vhost-net: virtio networking runs slower",
            "sudo modprobe vhost_net",
        )
    )
    mem = inp.text("/proc/meminfo")
    ram = meminfo_gib(mem) if mem else None
    cores = (cpu.physical_cores or cpu.logical) if cpu else None
    checks += resource_checks(
        cores=cores,
        cores_source=CPUINFO,
        ram_gb=ram,
        ram_source="/proc/meminfo MemTotal",
        disk_free_gb=inp.disk_free_gb,
        disk_source=f"free space in {inp.disk_path}" if inp.disk_path else "free disk space",
    )
    x86 = None if cpu is None else not cpu.arm
    hw_visible = None if cpu is None or cpu.arm else bool(cpu.flags & {"vmx", "svm"})
    if kvm_usable and not pvm and hw_visible is None:
        hw_visible = True
    if hw_visible and vm.xen_role == "pv-domu":
        hw_visible = False
    if (
        kvm_usable
        and not pvm
        and (inp.present("/sys/module/kvm_intel") or inp.present("/sys/module/kvm_amd"))
    ):
        fw_enabled = True
    if vm.xen_role == "dom0" and _xen_hvm(inp):
        # Xen offers HVM guests only when it could switch VT-x/AMD-V on
        fw_enabled = True
    slat_ok = {"pass": True, "fail": False}.get(slat.status)
    nx = None if cpu is None or cpu.arm else "nx" in cpu.flags
    amd = bool(cpu and cpu.vendor == "AuthenticAMD")
    facts = HostFacts(
        os="linux",
        x86=x86,
        arch=inp.machine,
        hw_virt_name="AMD-V" if amd else "VT-x" if x86 else "hardware virtualization (EL2)",
        slat_name="NPT" if amd else "EPT",
        firmware_setting="SVM Mode" if amd else "Intel Virtualization Technology",
        hw_virt=hw_visible,
        firmware_enabled=fw_enabled,
        slat=slat_ok,
        nx=nx,
        is_vm=vm.is_vm,
        hypervisor=vm.hypervisor,
        xen_role=vm.xen_role,
        xen_hvm_capable=_xen_hvm(inp),
        vt_held_by=held_by,
        vt_holder=_holder_family(held_by),
        hw_virt_note=hw.summary if hw.status == "fail" else None,
        vt_held_exclusive=exclusive,
        iommu=iommu_on,
        wsl=wsl,
        container=container,
        kvm_usable=kvm_usable,
        kvm_problem=kvm_problem,
        kvm_paravirtual=pvm and bool(kvm_usable),
        cores=cores,
        ram_gb=ram,
        disk_free_gb=inp.disk_free_gb,
    )
    return Analysis(
        platform=PlatformInfo(os="linux", arch=inp.machine, kernel=kernel, root=inp.root),
        cpu=CpuSummary(
            vendor=cpu.vendor if cpu else None,
            model=cpu.model if cpu else None,
            flags=sorted(cpu.flags) if cpu else [],
        ),
        facts=facts,
        checks=checks,
    )


def _xen_hvm(inp: LinuxInputs) -> bool | None:
    caps = inp.text("/sys/hypervisor/properties/capabilities")
    return None if caps is None else "hvm" in caps


def _holder_family(held_by: str | None) -> str | None:
    if not held_by:
        return None
    for word, family in (("Xen", "xen"), ("VirtualBox", "virtualbox"), ("VMware", "vmware")):
        if held_by.startswith(word):
            return family
    return None
