"""Linux checks on hand-made inputs: the cases no public capture shows."""

from __future__ import annotations

from hvplanner.model.hypervisor import HypervisorProfile
from hvplanner.readiness.checks_linux import analyse_linux
from hvplanner.readiness.inputs_linux import (
    FileRead,
    KvmOpen,
    LinuxInputs,
    MsrRead,
    NodeInfo,
    UserInfo,
)
from hvplanner.readiness.report import render_text
from hvplanner.readiness.run import report_from

INTEL_NO_VMX = (
    "processor\t: 0\nvendor_id\t: GenuineIntel\ncpu family\t: 6\nmodel\t\t: 158\n"
    "model name\t: Intel(R) Core(TM) i7-8700 CPU @ 3.20GHz\nphysical id\t: 0\ncore id\t\t: 0\n"
    "flags\t\t: fpu vme de pse tsc msr pae nx lm est tm2 monitor ept_placeholder\n"
)
INTEL_VMX = INTEL_NO_VMX.replace("ept_placeholder", "vmx tpr_shadow vnmi flexpriority ept vpid")


def _inputs(cpuinfo: str, **kw: object) -> LinuxInputs:
    files = {
        "/proc/cpuinfo": FileRead(state="ok", text=cpuinfo),
        "/proc/meminfo": FileRead(state="ok", text="MemTotal:       16318464 kB\n"),
        "/proc/sys/kernel/osrelease": FileRead(state="ok", text="6.8.0-45-generic\n"),
        "/sys/class/dmi/id/sys_vendor": FileRead(state="ok", text="LENOVO\n"),
        "/etc/group": FileRead(state="ok", text="root:x:0:\nkvm:x:108:alice\n"),
    }
    base: dict[str, object] = {
        "machine": "x86_64",
        "files": files,
        "exists": {
            "/sys/module/kvm_intel": False,
            "/sys/module/kvm_amd": False,
            "/sys/module/kvm_pvm": False,
            "/sys/module/vboxdrv": False,
            "/sys/module/vmmon": False,
            "/dev/kvm": False,
        },
        "disk_free_gb": 100.0,
    }
    base.update(kw)
    return LinuxInputs.model_validate(base)


def test_firmware_off_proved_by_msr(profiles: list[HypervisorProfile]) -> None:
    inp = _inputs(INTEL_NO_VMX, msr=MsrRead(address=0x3A, value=0x1))
    r = report_from(analyse_linux(inp), profiles)
    fw = r.check("firmware.hw_virt")
    assert fw is not None and fw.status == "fail"
    assert fw.fix_needs_cold_boot and "power off fully" in (fw.fix or "")
    kvm = r.verdicts["kvm"]
    assert kvm.status == "blocked"
    assert kvm.reasons[0] == (
        "VT-x is switched off in the firmware: enable 'Intel Virtualization Technology',"
        " then power off fully (not a reboot)"
    )


def test_firmware_off_from_kernel_log(profiles: list[HypervisorProfile]) -> None:
    log = FileRead(state="ok", text="[    0.000] x86/cpu: VMX (outside TXT) disabled by BIOS\n")
    r = report_from(analyse_linux(_inputs(INTEL_NO_VMX, dmesg=log)), profiles)
    fw = r.check("firmware.hw_virt")
    assert fw is not None and fw.status == "fail"
    assert fw.evidence[0].source == "dmesg"


def test_unreadable_msr_and_logs_say_unknown_not_unsupported(
    profiles: list[HypervisorProfile],
) -> None:
    inp = _inputs(
        INTEL_NO_VMX,
        msr=MsrRead(address=0x3A, error="Permission denied"),
        dmesg=FileRead(state="unreadable", error="Operation not permitted"),
    )
    r = report_from(analyse_linux(inp), profiles)
    fw = r.check("firmware.hw_virt")
    assert fw is not None and fw.status == "unknown"
    reason = r.verdicts["kvm"].reasons[0]
    assert "firmware switched it off" in reason and "lacks it" in reason
    assert [(e.source, e.value) for e in fw.evidence] == [
        ("/dev/cpu/0/msr", "Permission denied"),
        ("dmesg", "unreadable Operation not permitted"),
    ]
    text = render_text(r)
    assert "seen: dmesg: unreadable Operation not permitted" in text
    assert "dmesg: dmesg:" not in text and "msr: /dev/cpu/0/msr" not in text


def _kvm_node(mode: int = 0o660) -> dict[str, NodeInfo | None]:
    return {
        "/dev/kvm": NodeInfo(is_char=True, mode=mode, uid=0, gid=108, group="kvm", access_rw=False)
    }


def test_added_to_kvm_group_but_not_logged_in_again(profiles: list[HypervisorProfile]) -> None:
    inp = _inputs(
        INTEL_VMX,
        exists={"/sys/module/kvm_intel": True, "/dev/kvm": True},
        nodes=_kvm_node(),
        user=UserInfo(uid=1000, name="alice", gids=[1000]),
        kvm_open=KvmOpen(opened=False, error="Permission denied"),
    )
    r = report_from(analyse_linux(inp), profiles)
    dev = r.check("kvm.dev")
    assert dev is not None and dev.status == "fail"
    assert "login session predates it" in dev.summary
    assert dev.fix is not None and "log in again" in dev.fix.lower()
    assert r.verdicts["kvm"].status == "degraded"


def test_not_in_kvm_group(profiles: list[HypervisorProfile]) -> None:
    inp = _inputs(
        INTEL_VMX,
        exists={"/sys/module/kvm_intel": True, "/dev/kvm": True},
        nodes=_kvm_node(),
        user=UserInfo(uid=1001, name="bob", gids=[1001]),
        kvm_open=KvmOpen(opened=False, error="Permission denied"),
    )
    dev = report_from(analyse_linux(inp), profiles).check("kvm.dev")
    assert dev is not None and dev.fix is not None
    assert "usermod -aG kvm bob" in dev.fix and dev.fix_needs_admin


def test_working_kvm_is_ready(profiles: list[HypervisorProfile]) -> None:
    inp = _inputs(
        INTEL_VMX,
        exists={
            "/sys/module/kvm_intel": True,
            "/dev/kvm": True,
            "/sys/module/vboxdrv": False,
            "/sys/module/vmmon": False,
        },
        nodes=_kvm_node(),
        user=UserInfo(uid=1000, name="alice", gids=[1000, 108]),
        kvm_open=KvmOpen(opened=True, api_version=12),
    )
    r = report_from(analyse_linux(inp), profiles)
    assert r.verdicts["kvm"].status == "ready", r.verdicts["kvm"].reasons
    assert r.is_vm is False


def test_virtualbox_module_holding_vtx_degrades_kvm(profiles: list[HypervisorProfile]) -> None:
    inp = _inputs(
        INTEL_VMX,
        exists={
            "/sys/module/kvm_intel": True,
            "/dev/kvm": True,
            "/sys/module/vboxdrv": True,
            "/sys/module/vmmon": False,
        },
        nodes=_kvm_node(),
        user=UserInfo(uid=0, name="root", gids=[0]),
        kvm_open=KvmOpen(opened=True, api_version=12),
    )
    r = report_from(analyse_linux(inp), profiles)
    assert r.verdicts["kvm"].status == "degraded"
    assert r.verdicts["virtualbox"].status == "ready"


def test_wsl_without_dev_kvm_points_at_wslconfig(profiles: list[HypervisorProfile]) -> None:
    inp = _inputs(INTEL_VMX)
    files = dict(inp.files)
    files["/proc/sys/kernel/osrelease"] = FileRead(
        state="ok", text="5.15.153.1-microsoft-standard-WSL2\n"
    )
    r = report_from(analyse_linux(inp.model_copy(update={"files": files})), profiles)
    dev = r.check("kvm.dev")
    assert dev is not None and dev.fix is not None and "nestedVirtualization" in dev.fix


def test_missing_everything_gives_unknowns_not_errors(profiles: list[HypervisorProfile]) -> None:
    r = report_from(analyse_linux(LinuxInputs(root="/nowhere")), profiles)
    assert r.is_vm is None
    assert {v.status for v in r.verdicts.values()} <= {"unknown", "ready"}
