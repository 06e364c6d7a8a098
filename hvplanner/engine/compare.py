"""The comparison table's rows over the catalog: one cell per hypervisor, each with its source.

The CLI, the comparison view and the PDF all take their rows from here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from hvplanner.engine.assumptions import DEFAULT_VCPU_PER_LP, policy_for
from hvplanner.engine.sizing import size_plan
from hvplanner.model.hypervisor import (
    APPROACH_LABELS,
    KIND_LABELS,
    NEED_LABELS,
    RATIO_PER_LABELS,
    Fact,
    Figure,
    HypervisorProfile,
    Need,
    Ratio,
)
from hvplanner.model.plan import Plan
from hvplanner.model.report import PlanFit
from hvplanner.model.sizing import SizingResult
from hvplanner.text import fmt, plural

CellKind = Literal["value", "unknown", "no"]


@dataclass(frozen=True)
class Cell:
    text: str
    kind: CellKind
    source: str | None
    note: str = ""


@dataclass(frozen=True)
class Row:
    id: str
    group: str
    label: str
    cell: Callable[[HypervisorProfile], Cell]


def _figure(fig: Figure, unit: str = "") -> Cell:
    if fig.value is None:
        return Cell("unknown", "unknown", None, fig.note)
    return Cell(f"{fmt(fig.value)}{unit}", "value", fig.source, fig.note)


def _ratio(r: Ratio) -> Cell:
    """The published maximum in the source's own unit; the plan rows show it converted."""
    if r.none_imposed:
        return Cell("none imposed", "no", r.source, r.note)
    if r.value is None:
        return Cell("unknown", "unknown", None, r.note)
    text = f"at most {fmt(r.value)} {RATIO_PER_LABELS[r.per]}"
    if r.raised is not None:
        text += f"; {fmt(r.raised.value)} when every guest is {r.raised.all_guests_os}"
    return Cell(text, "value", r.source, r.note)


def _need(need: Need) -> Cell:
    if need.level == "unknown":
        return Cell("unknown", "unknown", None, need.note)
    kind: CellKind = "no" if need.level == "not-used" else "value"
    return Cell(NEED_LABELS[need.level], kind, need.source, need.note)


def _fact(fact: Fact) -> Cell:
    text = fact.text.strip()
    if fact.source is None:  # an uncited text is shown as unknown, the text kept as a note
        return Cell("unknown", "unknown", None, "; ".join(x for x in (text, fact.note) if x))
    kind: CellKind = (
        "no" if text.lower() in ("no", "none") or text.lower().startswith("no ") else ("value")
    )
    return Cell(text, kind, fact.source, fact.note)


def _overhead(p: HypervisorProfile) -> Cell:
    o = p.overhead
    if o.kind == "unknown":
        return Cell("unknown", "unknown", None, o.note)
    return Cell(o.formula(), "value", o.source, o.note)


def _stop_rule(p: HypervisorProfile) -> Cell:
    m = p.migration
    if not m.published:
        return Cell("unknown", "unknown", None, m.note)
    parts: list[str] = []
    if m.downtime_limit_ms.value is not None:
        parts.append(f"pause once the last round fits {fmt(m.downtime_limit_ms.value)} ms")
    if m.stop_pages.value is not None:
        parts.append(f"pause below {fmt(m.stop_pages.value)} dirty pages")
    if m.max_rounds.value is not None:
        parts.append(f"pause after {fmt(m.max_rounds.value)} rounds whatever is left")
    if m.max_rounds.none:
        parts.append("no round cap (does not converge: keeps copying)")
    if m.max_factor.value is not None:
        parts.append(f"at most {fmt(m.max_factor.value)}× memory sent")
    if m.max_factor.none and not m.max_rounds.none:
        parts.append("no volume cap")
    if m.max_bandwidth_mb_s.value is not None:
        parts.append(f"default bandwidth {fmt(m.max_bandwidth_mb_s.value)} MB/s")
    figures = (m.downtime_limit_ms, m.stop_pages, m.max_rounds, m.max_factor, m.max_bandwidth_mb_s)
    source = next(f.source for f in figures if f.known or f.none)
    # The notes say what the hypervisor does where it has no rule (QEMU: no caps).
    note = "; ".join(x for x in (m.note, *(f.note for f in figures if f.known or f.none)) if x)
    return Cell(", ".join(parts), "value", source, note)


@dataclass(frozen=True)
class KindOfVirtualization:
    """One of the seed's four kinds of virtualization, with where it lives today."""

    approach: str
    how: str
    examples: str
    source: str


KINDS: list[KindOfVirtualization] = [
    KindOfVirtualization(
        "full-binary-translation",
        "Unmodified guests; privileged instructions trap to the hypervisor or are rewritten "
        "by binary translation before they run",
        "VMware Workstation and early ESX; VirtualBox up to 6.0 (raw mode, removed in 6.1)",
        "vbox-rawmode",
    ),
    KindOfVirtualization(
        "paravirtualization",
        "The guest kernel is modified to call the hypervisor instead of touching hardware; "
        "today mostly paravirtual drivers (virtio, VMBus, Xen PV front-ends)",
        "Xen PV and PVH; virtio on KVM; VMXNET3/PVSCSI on ESXi; VMBus on Hyper-V",
        "xen-support-md",
    ),
    KindOfVirtualization(
        "hardware-assisted",
        "The CPU (Intel VT-x, AMD-V) runs unmodified guests and exits to the hypervisor on "
        "sensitive operations; SLAT (EPT/RVI) virtualizes the page tables",
        "KVM, Hyper-V, ESXi, Xen HVM and PVH, VirtualBox 6.1+",
        "seed",
    ),
    KindOfVirtualization(
        "os-level",
        "No hypervisor and no guest kernel: containers share the host's kernel, isolated by "
        "namespaces and resource controls; only guests of the host's OS",
        "Virtuozzo/OpenVZ, chroot, Solaris Zones (the seed's); LXC/LXD, Proxmox VE "
        "containers, Windows Server containers today",
        "seed",
    ),
]
OS_LEVEL_NOTE = (
    "OS-level virtualization (containers) is not a hypervisor: containers share the host "
    "kernel, so they run only guests of the host's OS and need no VT-x. The comparison sizes "
    "VMs; its 'OS-level containers' row says where each product places them (Proxmox VE: LXC "
    "beside KVM VMs)."
)


def _rows() -> list[Row]:
    a, n, lim, g = "Architecture", "Hardware needs", "Limits", "Guests and operations"
    return [
        Row(
            "kind",
            a,
            "Kind",
            lambda p: Cell(
                KIND_LABELS[p.architecture.kind.value], "value", p.architecture.kind.source
            ),
        ),
        Row(
            "approach",
            a,
            "Approach",
            lambda p: Cell(
                ", ".join(APPROACH_LABELS[x] for x in p.architecture.approach.value),
                "value",
                p.architecture.approach.source,
                p.architecture.approach.note,
            ),
        ),
        Row("containers", a, "OS-level containers", lambda p: _fact(p.architecture.containers)),
        Row(
            "privileged_domain",
            a,
            "Privileged domain",
            lambda p: _fact(p.architecture.privileged_domain),
        ),
        Row(
            "guest_kernel",
            a,
            "Guest kernel modified",
            lambda p: _fact(p.architecture.guest_kernel_modification),
        ),
        Row("io_model", a, "I/O model", lambda p: _fact(p.architecture.io_model)),
        Row("hw_virt", n, "VT-x / AMD-V", lambda p: _need(p.needs.hw_virt)),
        Row("slat", n, "SLAT (EPT / RVI)", lambda p: _need(p.needs.slat)),
        Row("nx", n, "NX / XD", lambda p: _need(p.needs.nx)),
        Row("iommu", n, "IOMMU (passthrough)", lambda p: _need(p.needs.iommu)),
        Row("min_cores", n, "Minimum cores", lambda p: _figure(p.needs.min_cores)),
        Row("min_ram", n, "Minimum host RAM", lambda p: _figure(p.needs.min_host_ram_gb, " GB")),
        Row("lps", lim, "Logical processors per host", lambda p: _figure(p.limits.lps_per_host)),
        Row("vcpus_host", lim, "vCPUs per host", lambda p: _figure(p.limits.vcpus_per_host)),
        Row(
            "vms_host",
            lim,
            "Running VMs per host",
            lambda p: _figure(p.limits.running_vms_per_host),
        ),
        Row("ram_host", lim, "RAM per host", lambda p: _figure(p.limits.ram_gb_per_host, " GB")),
        Row("vcpus_vm", lim, "vCPUs per VM", lambda p: _figure(p.limits.vcpus_per_vm)),
        Row("ram_vm", lim, "RAM per VM", lambda p: _figure(p.limits.ram_gb_per_vm, " GB")),
        Row("ratio", lim, "Most vCPUs per LP or core", lambda p: _ratio(p.limits.vcpu_per_lp)),
        Row("overhead", lim, "Per-VM memory overhead", _overhead),
        Row("reserve", lim, "Host reserve", lambda p: _figure(p.host_reserve_mb, " MB")),
        Row("windows", g, "Windows guests", lambda p: _fact(p.architecture.windows_guests)),
        Row("tools", g, "Management tools", lambda p: _fact(p.architecture.management_tools)),
        Row("migration", g, "Live migration", lambda p: _fact(p.architecture.live_migration)),
        Row("stop_rule", g, "Live-migration stop rule", _stop_rule),
        Row(
            "nested",
            g,
            "Nested virtualization",
            lambda p: _fact(p.architecture.nested_virtualization),
        ),
        Row("network", g, "Network modes", lambda p: _fact(p.architecture.network_modes)),
        Row("disks", g, "Disk formats", lambda p: _fact(p.architecture.disk_formats)),
        Row("license", g, "Licence", lambda p: _fact(p.architecture.license)),
    ]


ROWS: list[Row] = _rows()


def matrix(profiles: Sequence[HypervisorProfile]) -> list[tuple[Row, list[Cell]]]:
    return [(row, [row.cell(p) for p in profiles]) for row in ROWS]


def differs(cells: Sequence[Cell]) -> bool:
    return len({c.text for c in cells}) > 1


class PlanSizings:
    """One plan sized once per hypervisor, as `policy_for` compares it: what the report's
    summary, the comparison and the cost share (each a full sizing pass over the VMs)."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self._done: dict[str, tuple[HypervisorProfile, SizingResult]] = {}

    def on(self, profile: HypervisorProfile) -> SizingResult:
        done = self._done.get(profile.key)
        # The same profile object: a profile edited under the same key is sized anew.
        if done is not None and done[0] is profile:
            return done[1]
        result = size_plan(policy_for(self.plan, profile), profile)
        self._done[profile.key] = (profile, result)
        return result


def with_plan_hypervisor(
    plan: Plan, chosen: Sequence[HypervisorProfile], catalog: Sequence[HypervisorProfile]
) -> list[HypervisorProfile]:
    """The columns to compare a plan on: the chosen ones, and always the plan's own."""
    if any(p.key == plan.hypervisor for p in chosen):
        return list(chosen)
    own = [p for p in catalog if p.key == plan.hypervisor]
    return own + list(chosen)


def _ratio_origin(
    plan: Plan, p: HypervisorProfile, used: float
) -> Literal["plan", "default", "capped"]:
    wanted = plan.policy.vcpu_per_lp
    if used < (wanted if wanted is not None else DEFAULT_VCPU_PER_LP):
        return "capped"
    return "plan" if wanted is not None else "default"


def ratio_text(fit: PlanFit) -> str:
    """The ratio a column used, marked where it is not simply the plan's."""
    mark = {"plan": "", "default": " (default)", "capped": " (capped)"}[fit.ratio_origin]
    return f"{fmt(fit.vcpu_per_lp)}:1{mark}"


def plan_fit(
    plan: Plan, profiles: Sequence[HypervisorProfile], sizings: PlanSizings | None = None
) -> list[PlanFit]:
    sizings = sizings if sizings is not None and sizings.plan is plan else PlanSizings(plan)
    out: list[PlanFit] = []
    for p in profiles:
        sized = policy_for(plan, p)
        r = sizings.on(p)
        overhead_known = sized.policy.vm_overhead_mb is not None or p.overhead.kind != "unknown"
        unknowns = sum(1 for w in r.warnings if "unknown" in w or "publishes no" in w)
        cap = p.limits.vcpu_per_lp
        unknowns += cap.value is None and not cap.none_imposed  # a ratio cap nobody found
        if r.limits_exceeded:
            status: Literal["fits", "exceeds", "uncertain"] = "exceeds"
            verdict = f"exceeds a limit: {r.limits_exceeded[0]}"
        elif unknowns:
            status = "uncertain"
            verdict = (
                f"{plural(r.hosts, 'host')}, bound by {r.binding_label}; "
                f"{unknowns} figure{'s' if unknowns != 1 else ''} unpublished"
            )
        else:
            status = "fits"
            verdict = f"{plural(r.hosts, 'host')}, bound by {r.binding_label}"
        out.append(
            PlanFit(
                key=p.key,
                hosts=r.hosts,
                binding=r.binding_label,
                ram_overhead_gb=r.vm_overhead_gb if overhead_known else None,
                logical_processors=r.logical_processors,
                vcpu_per_lp=r.vcpu_per_lp,
                ratio_basis=r.ratio_basis,
                ratio_origin=_ratio_origin(sized, p, r.vcpu_per_lp),
                limits_exceeded=list(r.limits_exceeded),
                unknowns=unknowns,
                verdict=verdict,
                status=status,
            )
        )
    return out
