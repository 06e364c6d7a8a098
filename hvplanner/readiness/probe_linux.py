"""Gathers the Linux inputs, from the live system or from a snapshot folder.

With a root folder nothing live happens (no ioctl, no MSR, no subprocess): files
are read under the folder, and what a live probe recorded beside them
(hvplanner-snapshot.json) fills in device nodes and live answers.
"""

from __future__ import annotations

import os
import platform
import shutil
import stat
import struct
import subprocess
import sys
from pathlib import Path

from pydantic import ValidationError

from hvplanner.readiness.inputs_linux import (
    FileRead,
    KvmOpen,
    LinuxInputs,
    MsrRead,
    NodeInfo,
    UserInfo,
)

if sys.platform != "win32":
    # only the live probe needs these; a snapshot can be read on any platform
    import fcntl
    import grp
    import pwd

SNAPSHOT_META = "hvplanner-snapshot.json"

FILES = (
    "/proc/cpuinfo",
    "/proc/meminfo",
    "/proc/cmdline",
    "/proc/sys/kernel/osrelease",
    "/proc/version",
    "/proc/xen/capabilities",
    "/proc/bus/pci/devices",
    "/sys/hypervisor/type",
    "/sys/hypervisor/properties/capabilities",
    "/sys/class/dmi/id/sys_vendor",
    "/sys/class/dmi/id/product_name",
    "/sys/class/dmi/id/product_version",
    "/sys/class/dmi/id/bios_vendor",
    "/sys/class/dmi/id/board_vendor",
    "/sys/devices/system/cpu/online",
    "/sys/module/kvm_intel/parameters/nested",
    "/sys/module/kvm_amd/parameters/nested",
    "/run/systemd/container",
    "/proc/1/cgroup",
    "/proc/1/environ",
    "/etc/group",
    "/var/log/kern.log",
)
EXISTS = (
    "/sys/module/kvm",
    "/sys/module/kvm_intel",
    "/sys/module/kvm_amd",
    "/sys/module/kvm_pvm",
    "/sys/module/vboxdrv",
    "/sys/module/vmmon",
    "/sys/firmware/acpi/tables/DMAR",
    "/sys/firmware/acpi/tables/IVRS",
    "/sys/firmware/acpi/tables/IORT",
    "/proc/xen",
    "/proc/vz",
    "/.dockerenv",
    "/run/.containerenv",
)
LISTINGS = ("/sys/class/iommu", "/sys/kernel/iommu_groups")
NODES = ("/dev/kvm", "/dev/net/tun", "/dev/vhost-net")

# kern.log can be large; the firmware messages come at boot, but the tail is what
# the current boot wrote, and reading all of it would cost more than the whole check.
LOG_TAIL_BYTES = 2 * 1024 * 1024
MAX_FILE_BYTES = 1024 * 1024
KVM_GET_API_VERSION = 0xAE00
MSR_IA32_FEATURE_CONTROL = 0x3A
MSR_AMD_VM_CR = 0xC0010114
SUBPROCESS_TIMEOUT_S = 2.0


def _read(path: Path, tail: bool = False) -> FileRead:
    try:
        with path.open("rb") as fh:
            if tail:
                size = fh.seek(0, os.SEEK_END)
                fh.seek(max(0, size - LOG_TAIL_BYTES))
                data = fh.read(LOG_TAIL_BYTES)
            else:
                data = fh.read(MAX_FILE_BYTES)
    except FileNotFoundError:
        return FileRead(state="absent")
    except OSError as exc:
        return FileRead(state="unreadable", error=exc.strerror or str(exc))
    return FileRead(state="ok", text=data.decode("utf-8", errors="replace"))


def _listing(path: Path) -> list[str] | None:
    try:
        return sorted(os.listdir(path))
    except OSError:
        return None


def _group_name(gid: int) -> str | None:
    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return None


def _node(path: str) -> NodeInfo | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return NodeInfo(
        is_char=stat.S_ISCHR(st.st_mode),
        mode=stat.S_IMODE(st.st_mode),
        uid=st.st_uid,
        gid=st.st_gid,
        group=_group_name(st.st_gid),
        access_rw=os.access(path, os.R_OK | os.W_OK),
    )


def _kvm_open() -> KvmOpen:
    try:
        fd = os.open("/dev/kvm", os.O_RDWR | os.O_CLOEXEC)
    except OSError as exc:
        return KvmOpen(opened=False, error=exc.strerror or str(exc))
    try:
        version = fcntl.ioctl(fd, KVM_GET_API_VERSION)
    except OSError as exc:
        return KvmOpen(opened=True, error=f"KVM_GET_API_VERSION: {exc.strerror or exc}")
    finally:
        os.close(fd)
    return KvmOpen(opened=True, api_version=int(version))


def _msr(cpuinfo: str | None) -> MsrRead | None:
    text = cpuinfo or ""
    if "GenuineIntel" in text:
        register = MSR_IA32_FEATURE_CONTROL
    elif "AuthenticAMD" in text:
        register = MSR_AMD_VM_CR
    else:
        return None
    try:
        fd = os.open("/dev/cpu/0/msr", os.O_RDONLY | os.O_CLOEXEC)
    except OSError as exc:
        return MsrRead(address=register, error=exc.strerror or str(exc))
    try:
        raw = os.pread(fd, 8, register)
    except OSError as exc:
        return MsrRead(address=register, error=exc.strerror or str(exc))
    finally:
        os.close(fd)
    if len(raw) != 8:
        return MsrRead(address=register, error="short read")
    return MsrRead(address=register, value=struct.unpack("<Q", raw)[0])


def _dmesg() -> FileRead:
    exe = shutil.which("dmesg")
    if exe is None:
        return FileRead(state="absent", error="dmesg not installed")
    try:
        done = subprocess.run(
            [exe],
            capture_output=True,
            timeout=SUBPROCESS_TIMEOUT_S,
            check=False,
            env={**os.environ, "LC_ALL": "C"},
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return FileRead(state="unreadable", error=str(exc))
    if done.returncode != 0:
        err = done.stderr.decode("utf-8", errors="replace").strip()
        return FileRead(state="unreadable", error=err or f"exit status {done.returncode}")
    return FileRead(state="ok", text=done.stdout.decode("utf-8", errors="replace"))


def _user() -> UserInfo:
    uid = os.getuid()
    try:
        name: str | None = pwd.getpwuid(uid).pw_name
    except KeyError:
        name = None
    return UserInfo(uid=uid, name=name, gids=sorted({os.getgid(), *os.getgroups()}))


def _disk_free() -> tuple[float | None, str | None]:
    where = str(Path.home())
    try:
        return shutil.disk_usage(where).free / 1e9, where
    except OSError:
        return None, where


def probe_live() -> LinuxInputs:
    files = {p: _read(Path(p), tail=p.endswith(".log")) for p in FILES}
    exists: dict[str, bool | None] = {p: os.path.exists(p) for p in EXISTS}
    nodes: dict[str, NodeInfo | None] = {}
    for p in NODES:
        node = _node(p)
        exists[p] = node is not None or os.path.lexists(p)
        nodes[p] = node
    free, where = _disk_free()
    cpuinfo = files["/proc/cpuinfo"].text if files["/proc/cpuinfo"].state == "ok" else None
    return LinuxInputs(
        machine=platform.machine() or None,
        files=files,
        exists=exists,
        listings={p: _listing(Path(p)) for p in LISTINGS},
        nodes=nodes,
        user=_user(),
        kvm_open=_kvm_open() if nodes.get("/dev/kvm") else None,
        msr=_msr(cpuinfo),
        dmesg=_dmesg(),
        disk_free_gb=free,
        disk_path=where,
        # systemd and podman name this variable in lower case
        container_env=os.environ.get("container"),  # noqa: SIM112
    )


def _under(root: Path, path: str) -> Path:
    return root / path.lstrip("/")


def _recorded(root: Path) -> LinuxInputs | None:
    meta = root / SNAPSHOT_META
    try:
        return LinuxInputs.model_validate_json(meta.read_bytes())
    except (OSError, ValidationError):
        return None


def probe_root(root: Path) -> LinuxInputs:
    """Read a snapshot folder as if it were `/`. Paths it lacks are 'not captured'."""
    recorded = _recorded(root)
    files: dict[str, FileRead] = {}
    for p in FILES:
        got = _read(_under(root, p))
        if got.state == "absent":
            got = recorded.file(p) if recorded else FileRead(state="not-captured")
            if got.state == "ok":
                # the folder lost a file its own record says was read: do not invent it
                got = FileRead(state="not-captured")
        files[p] = got
    exists: dict[str, bool | None] = {}
    for p in (*EXISTS, *NODES):
        if os.path.lexists(_under(root, p)):
            exists[p] = True
        else:
            exists[p] = recorded.present(p) if recorded else None
    listings = {p: _listing(_under(root, p)) for p in LISTINGS}
    if recorded:
        listings = {
            p: v if v is not None else recorded.listings.get(p) for p, v in listings.items()
        }
    machine = recorded.machine if recorded else _machine_from_cpuinfo(files["/proc/cpuinfo"])
    return LinuxInputs(
        root=str(root),
        machine=machine,
        files=files,
        exists=exists,
        listings=listings,
        nodes=dict(recorded.nodes) if recorded else {},
        user=recorded.user if recorded else None,
        kvm_open=recorded.kvm_open if recorded else None,
        msr=recorded.msr if recorded else None,
        dmesg=recorded.dmesg if recorded else FileRead(state="not-captured"),
        disk_free_gb=recorded.disk_free_gb if recorded else None,
        disk_path=recorded.disk_path if recorded else None,
        container_env=recorded.container_env if recorded else None,
    )


def _machine_from_cpuinfo(cpuinfo: FileRead) -> str | None:
    if cpuinfo.state != "ok":
        return None
    text = cpuinfo.text
    if "vendor_id" in text and " lm " in f" {_first_flags(text)} ":
        return "x86_64"
    if "vendor_id" in text:
        return "i686"
    if "CPU implementer" in text:
        return "aarch64"
    return None


def _first_flags(text: str) -> str:
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "flags":
            return value.strip()
    return ""


def probe(root: Path | None = None) -> LinuxInputs:
    return probe_root(root) if root is not None else probe_live()
