"""macOS checks: pure functions of MacInputs (recorded sysctl output)."""

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
from hvplanner.readiness.probe_macos import MacInputs, parse_sysctl
from hvplanner.readiness.resources import resource_checks


def _flag(values: dict[str, str], key: str) -> bool | None:
    raw = values.get(key)
    return None if raw is None else raw.strip() == "1"


def analyse_macos(inp: MacInputs) -> Analysis:
    v = parse_sysctl(inp.sysctl)
    arm = _flag(v, "hw.optional.arm64")
    if arm is None and inp.machine:
        arm = inp.machine == "arm64"
    features = set(v.get("machdep.cpu.features", "").split())
    hv_support = _flag(v, "kern.hv_support")
    in_vm = _flag(v, "kern.hv_vmm_present")
    model = v.get("machdep.cpu.brand_string")
    checks: list[Check] = []
    ident = CheckSpec(id="cpu.identity", area="cpu", title="CPU vendor and model")
    kind = "Apple silicon" if arm else "Intel" if arm is False else "unknown architecture"
    checks.append(
        ident.make(
            "pass" if model else "unknown",
            f"{kind}: {model or 'model not read'}",
            evidence=[Evidence(source="sysctl machdep.cpu.brand_string", value=str(model))],
        )
    )
    hw = CheckSpec(id="cpu.hw_virt", area="cpu", title="Hardware virtualization")
    hw_virt: bool | None
    if arm:
        hw_virt = hv_support
        checks.append(
            hw.make(
                tri(hv_support),
                {
                    True: "Hypervisor.framework is available",
                    False: "Hypervisor.framework is not available",
                    None: "kern.hv_support not reported",
                }[hv_support],
                evidence=[
                    Evidence(source="sysctl kern.hv_support", value=str(v.get("kern.hv_support")))
                ],
            )
        )
    else:
        hw_virt = ("VMX" in features) if features else None
        checks.append(
            hw.make(
                tri(hw_virt),
                {True: "VT-x present", False: "no VT-x (VMX)", None: "CPU features not read"}[
                    hw_virt
                ],
                evidence=[
                    Evidence(
                        source="sysctl machdep.cpu.features", value="VMX" if hw_virt else "no VMX"
                    )
                ],
            )
        )
    fw = CheckSpec(
        id="firmware.hw_virt",
        area="firmware",
        title="Hypervisor.framework usable (kern.hv_support)",
    )
    checks.append(
        fw.make(
            tri(hv_support),
            {True: "yes", False: "no", None: "not reported"}[hv_support],
            evidence=[
                Evidence(source="sysctl kern.hv_support", value=str(v.get("kern.hv_support")))
            ],
        )
    )
    vm = CheckSpec(id="vm.detect", area="virtual-machine", title="Bare metal or virtual machine")
    checks.append(
        vm.make(
            tri(in_vm, true="warn", false="pass"),
            {True: "a virtual machine", False: "bare metal", None: "not reported"}[in_vm],
            evidence=[
                Evidence(
                    source="sysctl kern.hv_vmm_present", value=str(v.get("kern.hv_vmm_present"))
                )
            ],
        )
    )
    mem = v.get("hw.memsize")
    ram = int(mem) / 2**30 if mem and mem.isdigit() else None
    cores_raw = v.get("hw.physicalcpu")
    cores = int(cores_raw) if cores_raw and cores_raw.isdigit() else None
    checks += resource_checks(
        cores=cores,
        cores_source="sysctl hw.physicalcpu",
        ram_gb=ram,
        ram_source="sysctl hw.memsize",
        disk_free_gb=inp.disk_free_gb,
        disk_source=f"free space in {inp.disk_path}",
    )
    # Hypervisor.framework on Intel requires EPT and unrestricted guest, so hv_support proves them
    slat = True if (hv_support and arm is False) else None
    facts = HostFacts(
        os="macos",
        x86=None if arm is None else not arm,
        arch=inp.machine,
        hw_virt_name="VT-x" if arm is False else "hardware virtualization",
        slat_name="EPT" if arm is False else "stage-2 translation",
        firmware_setting="(set by Apple)",
        hw_virt=hw_virt,
        firmware_enabled=True if hv_support else None,
        slat=slat,
        nx=True if arm is False and features else None,
        is_vm=in_vm,
        hypervisor="apple" if in_vm else None,
        cores=cores,
        ram_gb=ram,
        disk_free_gb=inp.disk_free_gb,
    )
    return Analysis(
        platform=PlatformInfo(
            os="macos", arch=inp.machine, kernel=v.get("kern.osproductversion"), root=None
        ),
        cpu=CpuSummary(
            vendor=v.get("machdep.cpu.vendor") or ("Apple" if arm else None),
            model=model,
            flags=sorted(f.lower() for f in features),
        ),
        facts=facts,
        checks=checks,
    )
