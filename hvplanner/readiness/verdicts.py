"""One verdict per hypervisor family, from the host facts and the catalog's stated needs.

The rules read each profile's `needs` (level of VT-x, SLAT, NX, IOMMU; minimum
cores and RAM); nothing here knows which product needs what.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from hvplanner.model.hypervisor import (
    BARE_METAL_FAMILIES,
    FAMILIES,
    FAMILY_LABELS,
    HOSTED_FAMILIES,
    HypervisorProfile,
    Need,
)
from hvplanner.readiness.facts import HYPERVISOR_NAMES, HostFacts
from hvplanner.readiness.model import Verdict, VerdictStatus
from hvplanner.readiness.resources import DESKTOP_VM_DISK_GB, DESKTOP_VM_RAM_GB, ram_short

FAMILY_TITLES = FAMILY_LABELS
# The catalog records needs, not host architectures: these are the families whose
# current releases also run on 64-bit Arm hosts.
ARM_HOSTS = frozenset({"kvm", "xen-hvm"})
HOSTED = HOSTED_FAMILIES
_REQUIRED = ("required", "required-64bit-guests")


@dataclass
class _Tally:
    blocked: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    degraded: list[str] = field(default_factory=list)
    good: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    own_machine: list[str] = field(default_factory=list)  # installs as the machine's OS
    limitations: list[str] = field(default_factory=list)  # never a reason for the status

    def result(self) -> tuple[VerdictStatus, list[str]]:
        """The status and its reasons, the deciding one first."""
        if self.blocked:
            rest = [*self.unknown, *self.degraded, *self.own_machine, *self.notes]
            return "blocked", [*self.blocked, *rest]
        if self.unknown:
            rest = [*self.degraded, *self.own_machine, *self.good, *self.notes]
            return "unknown", [*self.unknown, *rest]
        if self.own_machine:
            return "own-machine", [*self.own_machine, *self.degraded, *self.good, *self.notes]
        if self.degraded:
            return "degraded", [*self.degraded, *self.good, *self.notes]
        return "ready", [*self.good, *self.notes]


def _vm_name(f: HostFacts) -> str:
    if not f.hypervisor:
        return "VM (hypervisor not identified)"
    return HYPERVISOR_NAMES.get(f.hypervisor, f.hypervisor) + " VM"


def _hw_gate(p: HypervisorProfile, f: HostFacts, t: _Tally) -> None:
    need = p.needs.hw_virt
    hw = f.hw_virt_name
    if need.level in ("not-used", "optional", "unknown"):
        if need.level == "not-used":
            t.good.append(f"needs no {hw}")
        return
    what = "needed for 64-bit guests" if need.level == "required-64bit-guests" else "required"
    add = t.blocked if need.level in _REQUIRED else t.degraded
    if f.hw_virt is False:
        if f.firmware_enabled is False:
            add.append(
                f"{hw} is switched off in the firmware: enable '{f.firmware_setting}', then power"
                " off fully (not a reboot)"
            )
        elif f.xen_role == "pv-domu":
            add.append(f"this is a Xen PV guest: the {hw} flag it lists cannot be used")
        elif f.is_vm:
            add.append(
                f"this machine is a {_vm_name(f)} without nested virtualization ({hw} {what})"
            )
        else:
            note = f.hw_virt_note or "not available"
            add.append(f"{hw} {what}, but {note}")
        return
    if f.hw_virt is None:
        if need.level in _REQUIRED:
            t.unknown.append(f"whether {hw} is usable could not be read ({what})")
        return
    if f.firmware_enabled is False:
        add.append(
            f"{hw} is switched off in the firmware: enable '{f.firmware_setting}', then power off"
            " fully (not a reboot)"
        )
        return
    if f.firmware_enabled is None and need.level in _REQUIRED:
        t.unknown.append(
            f"the CPU has {hw}, but whether the firmware switched it on could not be read"
            " (run as administrator/root to read it)"
        )
    elif f.slat:
        t.good.append(f"{hw} with {f.slat_name}, switched on")
    else:
        t.good.append(f"{hw} switched on")
    if f.is_vm:
        t.degraded.append(f"runs nested inside this {_vm_name(f)}: slower than on bare metal")


def _level_gate(
    need: Need, have: bool | None, t: _Tally, *, missing: str, unknown: str, why: str
) -> None:
    if need.level in _REQUIRED:
        if have is False:
            t.blocked.append(f"{missing}, {why}")
        elif have is None:
            t.unknown.append(unknown)
    elif need.level == "recommended" and have is False:
        t.degraded.append(f"{missing} (recommended)")


def _resource_gates(p: HypervisorProfile, f: HostFacts, t: _Tally) -> None:
    short = FAMILY_TITLES[p.family]
    cores = p.needs.min_cores.value
    if cores is not None and f.cores is not None and f.cores < cores:
        plural = "" if f.cores == 1 else "s"
        t.blocked.append(f"{f.cores} CPU core{plural}; {short} needs at least {cores:g}")
    ram = p.needs.min_host_ram_gb.value
    if ram is not None and f.ram_gb is not None:
        gap = ram_short(f.ram_gb, ram)
        if gap == "below":
            t.blocked.append(f"{f.ram_gb:.2f} GB RAM; {short} needs at least {ram:g} GB")
        elif gap == "borderline":
            t.degraded.append(f"{f.ram_gb:.2f} GB RAM is borderline for the {ram:g} GB it needs")
    elif ram is not None and f.ram_gb is None:
        t.notes.append(f"RAM not read ({short} needs {ram:g} GB)")
    if f.ram_gb is not None and ram_short(f.ram_gb, DESKTOP_VM_RAM_GB):
        t.degraded.append(
            f"{f.ram_gb:.2f} GB RAM: a desktop VM alone needs {DESKTOP_VM_RAM_GB:g} GB"
        )
    if f.disk_free_gb is not None and f.disk_free_gb < DESKTOP_VM_DISK_GB and p.family in HOSTED:
        t.degraded.append(
            f"{f.disk_free_gb:.0f} GB free disk: a desktop VM needs {DESKTOP_VM_DISK_GB:g} GB"
        )


def _family_rules(p: HypervisorProfile, f: HostFacts, t: _Tally) -> bool:
    """Rules that settle a verdict outright; returns True when nothing else applies."""
    fam = p.family
    if f.x86 is False and fam not in ARM_HOSTS:
        t.blocked.append(f"not for this architecture ({f.arch or 'non-x86'}): needs an x86-64 CPU")
        return True
    if f.xen_role == "dom0":
        if fam == "xen-pv":
            t.good.append("Xen is running already: this system is its dom0")
            return True
        if fam == "xen-pvh":
            # PVH (v2) guests need Xen 4.10 or later with HVM support; the running Xen's
            # version is not among the facts, so this Xen's answer is not known.
            t.unknown.append(
                "Xen runs already, but whether this Xen offers PVH guests (4.10 or later, "
                "hvm in its capabilities) was not captured"
            )
            return True
        if fam == "xen-hvm":
            if f.xen_hvm_capable:
                t.good.append("this Xen offers HVM guests (hvm in its capabilities)")
            elif f.xen_hvm_capable is False:
                t.blocked.append("this Xen offers no HVM guests: no VT-x/AMD-V below it")
            else:
                t.unknown.append("this Xen's capabilities were not captured")
            return True
    if f.xen_role == "pv-domu" and fam == "xen-pv":
        t.blocked.append("this is a Xen PV guest: no Xen runs nested inside a PV domU")
        return True
    return False


def _holder_gate(p: HypervisorProfile, f: HostFacts, t: _Tally) -> None:
    if not f.vt_held_by or p.needs.hw_virt.level not in (*_REQUIRED, "recommended"):
        return
    if f.vt_holder and p.family.startswith(f.vt_holder):
        return
    if f.vt_held_exclusive:
        t.blocked.append(f"{f.vt_held_by} owns VT-x while it runs")
    elif p.family == "virtualbox" or (p.family == "kvm" and f.os == "linux"):
        t.degraded.append(f"{f.vt_held_by}: only one hypervisor can use VT-x at a time")


def _platform_rules(p: HypervisorProfile, f: HostFacts, t: _Tally) -> None:
    fam = p.family
    if fam == "kvm":
        if f.os != "linux":
            t.notes.append("KVM needs Linux installed on this machine")
        elif f.kvm_usable is False and f.kvm_problem:
            t.degraded.append(f.kvm_problem)
        elif f.kvm_usable is None and not t.blocked:
            t.unknown.append("/dev/kvm was not captured")
        elif f.kvm_usable:
            t.good.append("/dev/kvm works")
    elif fam == "hyper-v":
        if f.os == "windows" and f.windows_home:
            t.blocked.append("Windows Home has no Hyper-V: it needs Pro, Enterprise or Education")
        elif f.os != "windows":
            t.notes.append("needs Windows (Server, or Pro/Enterprise) on this machine")
    if fam in BARE_METAL_FAMILIES:
        t.own_machine.append(
            f"needs a machine of its own: {FAMILY_TITLES[fam]} installs on bare metal as the "
            "machine's operating system, replacing this one"
        )


def _iommu_gate(p: HypervisorProfile, f: HostFacts, t: _Tally) -> None:
    _level_gate(
        p.needs.iommu,
        f.iommu,
        t,
        missing="no IOMMU (VT-d/AMD-Vi) enabled",
        unknown="IOMMU state could not be read",
        why="required",
    )
    if p.needs.iommu.level == "optional" and f.iommu is False:
        t.limitations.append("no device passthrough without an enabled IOMMU")


def _container_gate(f: HostFacts, t: _Tally) -> None:
    """Inside a container nothing can be installed: the host's kernel and devices decide."""
    if f.container and not f.wsl:
        t.blocked.insert(
            0,
            f"inside a container ({f.container}): no hypervisor can be installed here; "
            "run the check on the host that runs the container",
        )


def verdict_for(p: HypervisorProfile, f: HostFacts) -> Verdict:
    t = _Tally()
    if not _family_rules(p, f, t):
        if p.family == "kvm" and f.kvm_paravirtual and f.kvm_usable:
            # kvm_pvm runs guests without VT-x, so the hardware gate does not apply
            t.degraded.append(
                f"no {f.hw_virt_name} here, but /dev/kvm works through kvm_pvm (paravirtual"
                " KVM): guests need a PVM-enabled kernel"
            )
        else:
            _hw_gate(p, f, t)
            if f.hw_virt is not False:
                _level_gate(
                    p.needs.slat,
                    f.slat,
                    t,
                    missing=f"the CPU has {f.hw_virt_name} but no SLAT ({f.slat_name})",
                    unknown=f"whether the CPU has SLAT ({f.slat_name}) could not be read",
                    why=f"required by {p.title}",
                )
        _level_gate(
            p.needs.nx,
            f.nx,
            t,
            missing="NX/XD is off or absent",
            unknown="NX/XD state could not be read",
            why=f"required by {p.title}",
        )
        _iommu_gate(p, f, t)
        _holder_gate(p, f, t)
        _resource_gates(p, f, t)
        _platform_rules(p, f, t)
    _container_gate(f, t)
    status, reasons = t.result()
    return Verdict(
        family=p.family,
        profile=p.key,
        title=FAMILY_TITLES[p.family],
        status=status,
        reasons=reasons or ["nothing stands in the way"],
        limitations=t.limitations,
    )


def newest_by_family(profiles: Iterable[HypervisorProfile]) -> dict[str, HypervisorProfile]:
    best: dict[str, HypervisorProfile] = {}
    for p in profiles:
        cur = best.get(p.family)
        if cur is None or (p.released, p.version) > (cur.released, cur.version):
            best[p.family] = p
    return best


def verdicts(facts: HostFacts, profiles: Iterable[HypervisorProfile]) -> dict[str, Verdict]:
    best = newest_by_family(profiles)
    out: dict[str, Verdict] = {}
    for fam in FAMILIES:
        p = best.get(fam)
        if p is None:
            out[fam] = Verdict(
                family=fam,
                profile="",
                title=FAMILY_TITLES[fam],
                status="unknown",
                reasons=[
                    "the catalog holds no entry for this hypervisor, so its needs are unknown"
                ],
            )
        else:
            out[fam] = verdict_for(p, facts)
    return out
