"""Windows and macOS checks from recorded inputs (tests/readiness/data).

The files are written by hand in the shapes the probes record: WMI values as
ConvertTo-Json prints them, and `sysctl name…` output.
"""

from __future__ import annotations

from pathlib import Path

from hvplanner.model.hypervisor import HypervisorProfile
from hvplanner.readiness.checks_macos import analyse_macos
from hvplanner.readiness.checks_windows import analyse_windows
from hvplanner.readiness.probe_macos import MacInputs
from hvplanner.readiness.probe_windows import WindowsInputs, parse_cim
from hvplanner.readiness.run import report_from

DATA = Path(__file__).resolve().parent / "data"


def _windows(name: str, profiles: list[HypervisorProfile]):  # type: ignore[no-untyped-def]
    inputs = WindowsInputs.model_validate_json((DATA / name).read_text(encoding="utf-8"))
    return report_from(analyse_windows(inputs), profiles)


def _mac(name: str, machine: str, profiles: list[HypervisorProfile]):  # type: ignore[no-untyped-def]
    inputs = MacInputs(machine=machine, sysctl=(DATA / name).read_text(encoding="utf-8"))
    return report_from(analyse_macos(inputs), profiles)


def test_hyperv_on_names_the_features_and_slows_virtualbox(
    profiles: list[HypervisorProfile],
) -> None:
    r = _windows("windows-11-pro-hyperv-wsl2.json", profiles)
    holder = r.check("vm.holder")
    assert holder is not None and holder.status == "warn"
    assert "Hyper-V" in holder.summary and "Virtual Machine Platform" in holder.summary
    assert "memory integrity" in holder.summary
    assert "VMware Workstation" in holder.summary and holder.fix_needs_admin
    assert r.is_vm is False
    # firmware fields read False while a hypervisor runs: that is not evidence of "disabled"
    fw = r.check("firmware.hw_virt")
    assert fw is not None and fw.status == "pass"
    assert r.verdicts["hyper-v"].status == "ready"
    assert r.verdicts["virtualbox"].status == "degraded"
    assert "Windows hypervisor" in r.verdicts["virtualbox"].reasons[0]


def test_home_edition_with_vtx_off_in_firmware(profiles: list[HypervisorProfile]) -> None:
    r = _windows("windows-10-home-vtx-off.json", profiles)
    fw = r.check("firmware.hw_virt")
    assert fw is not None and fw.status == "fail" and fw.fix_needs_cold_boot
    hv = r.verdicts["hyper-v"]
    assert hv.status == "blocked"
    assert any("Windows Home" in x for x in hv.reasons)
    vb = r.verdicts["virtualbox"]
    assert vb.status == "blocked"
    assert "switched off in the firmware" in vb.reasons[0] and "SVM Mode" in vb.reasons[0]
    assert "power off fully" in vb.reasons[0]


def test_vmware_guest_without_nested(profiles: list[HypervisorProfile]) -> None:
    r = _windows("windows-server-vmware-guest.json", profiles)
    assert r.is_vm is True and r.hypervisor_detected == "vmware"
    esxi = r.verdicts["esxi"]
    assert esxi.status == "blocked"
    assert esxi.headline.startswith(
        "ESXi: blocked — this machine is a VMware VM without nested virtualization"
    )
    assert r.verdicts["xen-pv"].status != "blocked"


def test_unreadable_powershell_output_is_unknown_not_an_error() -> None:
    cim, err = parse_cim("not json")
    assert cim is None and err
    a = analyse_windows(WindowsInputs(machine="AMD64", cim_error=err))
    assert {c.status for c in a.checks} <= {"unknown", "skip"}


def test_intel_mac(profiles: list[HypervisorProfile]) -> None:
    r = _mac("macos-intel-macbookpro.txt", "x86_64", profiles)
    assert r.is_vm is False
    assert "vmx" in r.cpu.flags
    assert r.verdicts["virtualbox"].status == "ready"
    assert r.verdicts["kvm"].status == "ready"
    assert any("Linux" in x for x in r.verdicts["kvm"].reasons)


def test_apple_silicon_vm(profiles: list[HypervisorProfile]) -> None:
    r = _mac("macos-apple-silicon-vm.txt", "arm64", profiles)
    assert r.is_vm is True
    assert r.verdicts["esxi"].status == "blocked"
    assert r.verdicts["kvm"].status == "blocked"
    hw = r.check("cpu.hw_virt")
    assert hw is not None and hw.status == "fail"
