"""Windows checks: pure functions of WindowsInputs (recorded WMI values and CPU features)."""

from __future__ import annotations

from hvplanner.readiness.facts import Analysis, HostFacts
from hvplanner.readiness.model import (
    Check,
    CheckSpec,
    CpuSummary,
    Evidence,
    PlatformInfo,
    tri,
)
from hvplanner.readiness.probe_windows import WinCim, WindowsInputs
from hvplanner.readiness.resources import resource_checks

PF = "IsProcessorFeaturePresent"
FEATURE_NAMES = {
    "Microsoft-Hyper-V-Hypervisor": "Hyper-V",
    "VirtualMachinePlatform": "Virtual Machine Platform (WSL2)",
    "HypervisorPlatform": "Windows Hypervisor Platform",
    "Microsoft-Windows-Subsystem-Linux": "Windows Subsystem for Linux",
    "Containers-DisposableClientVM": "Windows Sandbox",
}
# features whose presence starts the Windows hypervisor at boot (plain WSL1 does not)
HYPERVISOR_FEATURES = frozenset(FEATURE_NAMES) - {"Microsoft-Windows-Subsystem-Linux"}
DEVICE_GUARD_SERVICES = {1: "Credential Guard", 2: "memory integrity (HVCI)"}
VBS_RUNNING = 2
FEATURE_ENABLED = 1
# OperatingSystemSKU values of the Home editions (Core, Core N, Core Country, Single Language)
HOME_SKUS = frozenset({98, 99, 100, 101})
WMI_VM_MODELS: tuple[tuple[str, str], ...] = (
    ("virtual machine", "hyper-v"),
    ("vmware", "vmware"),
    ("virtualbox", "virtualbox"),
    ("kvm", "kvm"),
    ("qemu", "qemu"),
    ("standard pc", "qemu"),
    ("hvm domu", "xen"),
    ("parallels", "parallels"),
)
HOLDER_CONSEQUENCE = (
    "VirtualBox then runs its VMs through the Windows Hypervisor Platform API (slower, no"
    " nested VT-x); VMware Workstation 15.5.5+ runs in host VBS mode (no nested VT-x in guests)"
)
HOLDER_FIX = (
    "To give VT-x back: turn the listed features off in 'Turn Windows features on or off',"
    " switch off Core isolation > Memory integrity, run 'bcdedit /set hypervisorlaunchtype"
    " off' as administrator, then restart"
)


def _holders(cim: WinCim | None) -> list[str]:
    if cim is None:
        return []
    held = [
        FEATURE_NAMES[f.Name]
        for f in cim.OptionalFeatures
        if f.Name in HYPERVISOR_FEATURES and f.InstallState == FEATURE_ENABLED
    ]
    dg = cim.DeviceGuard
    if dg is not None and dg.VirtualizationBasedSecurityStatus == VBS_RUNNING:
        running = [
            DEVICE_GUARD_SERVICES[s]
            for s in dg.SecurityServicesRunning
            if s in DEVICE_GUARD_SERVICES
        ]
        held.append(
            "virtualization-based security" + (f" ({', '.join(running)})" if running else "")
        )
    return held


def _guest(cim: WinCim | None) -> str | None:
    cs = cim.ComputerSystem if cim else None
    if cs is None:
        return None
    text = f"{cs.Manufacturer or ''} {cs.Model or ''}".lower()
    return next((hv for key, hv in WMI_VM_MODELS if key in text), None)


def analyse_windows(inp: WindowsInputs) -> Analysis:
    cim = inp.cim
    procs = cim.Processor if cim else []
    proc = procs[0] if procs else None
    cs = cim.ComputerSystem if cim else None
    os_ = cim.OperatingSystem if cim else None
    hv_present = cs.HypervisorPresent if cs else None
    holders = _holders(cim)
    guest = _guest(cim)
    is_vm: bool | None = True if guest else False if cs is not None else None
    if is_vm is False and hv_present and not holders:
        # a hypervisor runs but no Windows feature explains it: a guest of an unnamed one
        is_vm = None
    x86 = None if inp.machine is None else inp.machine.upper() in ("AMD64", "X86_64", "X86")
    checks: list[Check] = []
    wmi_src = "Win32_Processor"
    ident = CheckSpec(id="cpu.identity", area="cpu", title="CPU vendor and model")
    if proc:
        checks.append(
            ident.make(
                "pass",
                f"{proc.Manufacturer}: {proc.Name}",
                evidence=[Evidence(source=wmi_src, value=str(proc.Name))],
            )
        )
    else:
        checks.append(ident.make("unknown", f"WMI not read: {inp.cim_error or 'no data'}"))

    root_partition = bool(hv_present and holders and not guest)
    vmx = proc.VMMonitorModeExtensions if proc else None
    hw = CheckSpec(id="cpu.hw_virt", area="cpu", title="Hardware virtualization (VT-x/AMD-V)")
    hw_virt: bool | None
    if root_partition:
        hw_virt = True
        checks.append(
            hw.make(
                "pass",
                "in use by the Windows hypervisor",
                evidence=[Evidence(source="Win32_ComputerSystem.HypervisorPresent", value="True")],
            )
        )
    elif vmx is None:
        hw_virt = None
        checks.append(hw.make("unknown", "Win32_Processor.VMMonitorModeExtensions not read"))
    else:
        hw_virt = vmx
        ev = [Evidence(source=f"{wmi_src}.VMMonitorModeExtensions", value=str(vmx))]
        if vmx:
            checks.append(hw.make("pass", "the processor has VT-x/AMD-V", evidence=ev))
        elif guest:
            checks.append(
                hw.make(
                    "fail",
                    "not passed into this VM (no nested virtualization)",
                    evidence=ev,
                    fix="Enable nested virtualization on the host",
                )
            )
        else:
            checks.append(hw.make("fail", "the processor reports no VT-x/AMD-V", evidence=ev))

    fw = CheckSpec(
        id="firmware.hw_virt", area="firmware", title="VT-x/AMD-V switched on in the firmware"
    )
    fw_value = proc.VirtualizationFirmwareEnabled if proc else None
    fw_ev = [
        Evidence(source=f"{PF}(21)", value=str(inp.pf_virt_firmware)),
        Evidence(source=f"{wmi_src}.VirtualizationFirmwareEnabled", value=str(fw_value)),
    ]
    firmware: bool | None
    if root_partition or inp.pf_virt_firmware or fw_value:
        firmware = True
        checks.append(
            fw.make(
                "pass",
                "enabled" + (" (the Windows hypervisor runs on it)" if root_partition else ""),
                evidence=fw_ev,
            )
        )
    elif hv_present:
        # with a hypervisor loaded these fields read False or empty whatever the firmware says
        firmware = None
        checks.append(
            fw.make(
                "unknown",
                "a hypervisor is running, so Windows does not report the firmware setting",
                evidence=fw_ev,
            )
        )
    elif vmx and fw_value is False:
        firmware = False
        checks.append(
            fw.make(
                "fail",
                "switched off in the firmware",
                evidence=fw_ev,
                fix="Enable 'Intel Virtualization Technology' (or 'SVM Mode') in"
                " the firmware setup, then shut down fully and start again",
                fix_needs_admin=True,
                fix_needs_cold_boot=True,
            )
        )
    else:
        firmware = None
        checks.append(
            fw.make("skip" if vmx is False else "unknown", "not determinable", evidence=fw_ev)
        )

    slat_wmi = proc.SecondLevelAddressTranslationExtensions if proc else None
    slat: bool | None = True if (inp.pf_slat or slat_wmi) else None
    if slat is None and slat_wmi is False and not hv_present:
        slat = False
    sl = CheckSpec(id="cpu.slat", area="cpu", title="Second-level address translation (SLAT)")
    sl_ev = [
        Evidence(source=f"{PF}(20)", value=str(inp.pf_slat)),
        Evidence(source=f"{wmi_src}.SecondLevelAddressTranslationExtensions", value=str(slat_wmi)),
    ]
    checks.append(
        sl.make(
            tri(slat),
            {True: "present", False: "absent", None: "not reported"}[slat],
            evidence=sl_ev,
        )
    )
    nx_os = os_.DataExecutionPrevention_Available if os_ else None
    nx: bool | None = True if (inp.pf_nx or nx_os) else (False if nx_os is False else None)
    checks.append(
        CheckSpec(id="cpu.nx", area="cpu", title="NX/XD (DEP)").make(
            tri(nx),
            {True: "available", False: "not available", None: "not reported"}[nx],
            evidence=[
                Evidence(source=f"{PF}(12)", value=str(inp.pf_nx)),
                Evidence(
                    source="Win32_OperatingSystem.DataExecutionPrevention_Available",
                    value=str(nx_os),
                ),
            ],
        )
    )

    vm_spec = CheckSpec(
        id="vm.detect", area="virtual-machine", title="Bare metal or virtual machine"
    )
    vm_ev = [
        Evidence(
            source="Win32_ComputerSystem",
            value=f"{cs.Manufacturer} / {cs.Model}; HypervisorPresent={hv_present}"
            if cs
            else "not read",
        )
    ]
    if is_vm:
        checks.append(vm_spec.make("warn", f"a virtual machine ({guest})", evidence=vm_ev))
    elif is_vm is False:
        checks.append(
            vm_spec.make(
                "pass",
                "bare metal" + (" (Windows' own hypervisor is the host)" if root_partition else ""),
                evidence=vm_ev,
            )
        )
    else:
        checks.append(vm_spec.make("unknown", "cannot tell", evidence=vm_ev))

    holder = CheckSpec(
        id="vm.holder", area="virtual-machine", title="Windows features holding VT-x"
    )
    if holders and hv_present is not False:
        checks.append(
            holder.make(
                "warn",
                "the Windows hypervisor runs for: "
                + ", ".join(holders)
                + ". "
                + HOLDER_CONSEQUENCE,
                evidence=[
                    Evidence(
                        source="Win32_OptionalFeature, Win32_DeviceGuard", value=", ".join(holders)
                    )
                ],
                fix=HOLDER_FIX,
                fix_needs_admin=True,
            )
        )
    elif cim is None:
        checks.append(holder.make("unknown", "WMI not read"))
    else:
        checks.append(holder.make("pass", "no Windows feature holds VT-x"))

    caption = os_.Caption if os_ else None
    sku = os_.OperatingSystemSKU if os_ else None
    home: bool | None = None
    if caption is not None or sku is not None:
        home = (sku in HOME_SKUS) or ("home" in (caption or "").lower())
    ed = CheckSpec(id="platform.edition", area="platform", title="Windows edition")
    ed_ev = [Evidence(source="Win32_OperatingSystem", value=f"{caption}; SKU {sku}")]
    if home:
        checks.append(
            ed.make(
                "warn",
                f"{caption}: Home has no Hyper-V",
                evidence=ed_ev,
                fix="Upgrade to Windows Pro, Enterprise or Education for Hyper-V",
                fix_needs_admin=True,
            )
        )
    else:
        checks.append(
            ed.make("pass" if home is False else "unknown", caption or "not read", evidence=ed_ev)
        )

    cores = sum(p.NumberOfCores or 0 for p in procs) or None
    ram = cs.TotalPhysicalMemory / 2**30 if cs and cs.TotalPhysicalMemory else None
    checks += resource_checks(
        cores=cores,
        cores_source="Win32_Processor.NumberOfCores",
        ram_gb=ram,
        ram_source="Win32_ComputerSystem.TotalPhysicalMemory",
        disk_free_gb=inp.disk_free_gb,
        disk_source=f"free space on {inp.disk_path}",
    )
    vendor = proc.Manufacturer if proc else None
    amd = vendor == "AuthenticAMD"
    facts = HostFacts(
        os="windows",
        x86=x86,
        arch=inp.machine,
        hw_virt_name="AMD-V" if amd else "VT-x",
        slat_name="NPT" if amd else "EPT",
        firmware_setting="SVM Mode" if amd else "Intel Virtualization Technology",
        hw_virt=hw_virt,
        hw_virt_note=None if hw_virt is not False else "the processor does not report it",
        firmware_enabled=firmware,
        slat=slat,
        nx=nx,
        is_vm=is_vm,
        hypervisor=guest or ("hyper-v" if root_partition else None),
        vt_held_by=("Windows hypervisor (" + ", ".join(holders) + ")") if root_partition else None,
        vt_holder="hyper-v" if root_partition else None,
        windows_home=home,
        cores=cores,
        ram_gb=ram,
        disk_free_gb=inp.disk_free_gb,
    )
    return Analysis(
        platform=PlatformInfo(
            os="windows", arch=inp.machine, kernel=os_.Version if os_ else None, root=None
        ),
        cpu=CpuSummary(vendor=vendor, model=proc.Name if proc else None, flags=[]),
        facts=facts,
        checks=checks,
    )
