"""The report's text as HTML for QTextDocument: every user string escaped, every figure from
the engines' results, so the PDF shows what the window and the CLI show.

No Qt here: the PDF writer lays this out and paints it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

from hvplanner import __version__
from hvplanner.catalog import Catalog
from hvplanner.formats.report_cost import (
    SummaryInputs,
    bill_of_materials,
    cost_detail,
    executive_summary,
)
from hvplanner.model.cost import CostResult
from hvplanner.model.placement import Bounds, HostLoad, PlacementResult
from hvplanner.model.plan import Plan
from hvplanner.model.report import PlanFit
from hvplanner.model.simulation import HostSimulation, SimulationResult
from hvplanner.model.sizing import SizingResult
from hvplanner.text import fmt, plural

STYLE = """
body { font-family: 'DejaVu Sans', 'Helvetica', sans-serif; font-size: 9pt; color: #111827; }
h1 { font-size: 20pt; color: #1f3a5f; margin-bottom: 4pt; }
h2 { font-size: 14pt; color: #1f3a5f; margin-top: 14pt; }
h3 { font-size: 11pt; color: #1f3a5f; margin-top: 10pt; }
p.meta { color: #4b5563; }
p.warn { color: #8a4b00; }
p.bad { color: #b42318; }
th { background: #e8edf3; text-align: left; font-weight: bold; }
td.num { text-align: right; }
"""


@dataclass(frozen=True)
class Section:
    """A part of the report; `html` is a fragment. Sections join in order."""

    id: str
    title: str
    html: str


@dataclass
class ReportInputs:
    plan: Plan
    sizing: SizingResult
    catalog: Catalog
    fits: Sequence[PlanFit] = ()
    author: str = ""
    generated: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    extra: list[Section] = field(default_factory=list)
    cited: set[str] = field(default_factory=set)
    loads: dict[str, HostLoad] = field(default_factory=dict)
    bounds: Bounds | None = None
    simulation: SimulationResult | None = None
    placement: PlacementResult | None = None
    """A fresh placement of the plan (the JSON export's), when one was run."""
    readiness: list[tuple[str, str, str]] = field(default_factory=list)
    """(hypervisor, status, reasons) rows of a workstation check, when one was run."""
    cost: CostResult | None = None


def e(text: object) -> str:
    return escape(str(text), quote=True)


def table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    numeric: set[int] | None = None,
    widths: Sequence[int] = (),
) -> str:
    """An HTML table whose cells are already escaped (callers pass through `e`); `widths`:
    each column's share of the page in %, where the text's own widths would squeeze one."""
    numeric = numeric or set()
    sizes = [f' width="{w}%"' for w in widths] or [""] * len(headers)
    head = "".join(f"<th{w}>{h}</th>" for h, w in zip(headers, sizes, strict=True))
    body = []
    for row in rows:
        cells = "".join(
            f'<td class="num">{c}</td>' if i in numeric else f"<td>{c}</td>"
            for i, c in enumerate(row)
        )
        body.append(f"<tr>{cells}</tr>")
    return (
        '<table width="100%" cellspacing="0" cellpadding="3" border="0.5" '
        f'style="border-collapse: collapse;"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def cover(inp: ReportInputs) -> Section:
    plan, r = inp.plan, inp.sizing
    by_model: dict[str, int] = {}
    for h in plan.hosts:
        label = plan.host_model(h.model).label
        by_model[label] = by_model.get(label, 0) + 1
    # "3 hosts of 2 × 12-core …", not "3 × 2 × 12-core …": labels often start with a count.
    hosts_txt = (
        "; ".join(f"{plural(n, 'host')} of {e(m)}" for m, n in by_model.items())
        or "none laid out yet"
    )
    profile = inp.catalog.get(plan.hypervisor)
    totals = (
        f"{r.vms:,} VMs with {r.vcpus:,} vCPUs, {fmt(r.ram_gb)} GB of host RAM "
        f"(of which {fmt(r.vm_overhead_gb)} GB per-VM overhead), {plural(r.nics, 'NIC')} of "
        f"{fmt(r.nic_gbps)} Gbps and {fmt(r.storage_gb)} GB of storage"
    )
    failover = (
        f"N+{plan.policy.failover_hosts}: {r.hosts_before_failover} hosts carry the load and "
        f"{plan.policy.failover_hosts} more are held for failover."
        if plan.policy.failover_hosts
        else "No failover hosts are planned (N+0)."
    )
    parts = [
        f'<h2 style="page-break-before: always">Plan summary: {e(profile.title)}</h2>',
        f"<p>The plan needs <b>{r.hosts} host{'s' if r.hosts != 1 else ''}</b>, bound by "
        f"<b>{e(r.binding_label)}</b>. Hosts laid out: {hosts_txt}. It holds {totals}. "
        f"{failover}</p>",
    ]
    if inp.bounds is not None and inp.bounds.best:
        parts.append(
            f"<p>Packing lower bound: <b>{inp.bounds.best}</b> hosts "
            f"(tight: {e(', '.join(inp.bounds.tight))}).</p>"
        )
    parts += [f'<p class="bad">✖ {e(x)}</p>' for x in r.limits_exceeded]
    parts += [f'<p class="warn">⚠ {e(w)}</p>' for w in r.warnings]
    return Section("cover", "Plan summary", "".join(parts))


def title_block(inp: ReportInputs) -> Section:
    profile = inp.catalog.get(inp.plan.hypervisor)
    html = (
        f"<h1>{e(inp.plan.name)}</h1>"
        f'<p class="meta">Hypervisor: {e(profile.title)}<br/>'
        f"Date: {inp.generated:%Y-%m-%d %H:%M} UTC<br/>"
        + (f"Author: {e(inp.author)}<br/>" if inp.author.strip() else "")
        + f"Made with hvplanner {e(__version__)}</p>"
    )
    return Section("title", inp.plan.name, html)


def _summary_inputs(inp: ReportInputs) -> SummaryInputs:
    return SummaryInputs(
        plan=inp.plan, sizing=inp.sizing, catalog=inp.catalog, fits=inp.fits, cost=inp.cost,
        simulation=inp.simulation, placement=inp.placement,
    )  # fmt: skip


def summary_pages(inp: ReportInputs) -> list[Section]:
    """Page 1, the executive summary; page 2, the bill of materials."""
    s = _summary_inputs(inp)
    bom = f'<div style="page-break-before: always">{bill_of_materials(s)}</div>'
    return [
        Section("summary", "Executive summary", executive_summary(s)),
        Section("bom", "Bill of materials", bom),
    ]


def cost(inp: ReportInputs) -> Section:
    return Section("cost", "Cost per hypervisor", cost_detail(_summary_inputs(inp), inp.cited))


def sizing(inp: ReportInputs) -> Section:
    r = inp.sizing
    rows = []
    for s in r.steps:
        src = ""
        if s.source:
            inp.cited.add(s.source)
            src = f"[{e(s.source)}]"
        rows.append([e(s.title), e(s.formula), e(s.values), f"<b>{e(s.result)}</b>", src])
    cons = []
    for c in r.constraints:
        if c.source:
            inp.cited.add(c.source)
        mark = " ◀ binding" if c.id == r.binding else ""
        cons.append(
            [
                e(c.label) + mark,
                e(fmt(c.demand)),
                e(fmt(c.per_host)),
                e(c.unit),
                str(c.hosts),
                e(f"{c.fill:.0%}"),
                f"[{e(c.source)}]" if c.source else "",
            ]
        )
    html = (
        "<h2>Sizing</h2><p>Each figure, with the formula and the values that gave it.</p>"
        + table(
            ["Step", "Formula", "Values", "Result", "Source"], rows, widths=(15, 21, 32, 18, 14)
        )
        + "<h3>Per-host limits</h3>"
        + table(
            ["Limit", "Demand", "Per host", "Unit", "Hosts", "Fill", "Source"],
            cons,
            numeric={1, 2, 4, 5},
        )
    )
    return Section("sizing", "Sizing", html)


# Up to this many hosts the PDF draws the plan as laid out, two host cards to a half page
# (about 9 pt text); past it that picture would run to pages, and the placement tables
# show every host instead.
LAYOUT_PICTURE_MAX_HOSTS = 24

# Past this many VM entries the report lists VM sizes, not every entry: the full list is
# what the JSON and CSV exports are for, and a reader wants the shape of the estate.
FULL_LIST_MAX = 60


def _vm_rows(plan: Plan) -> tuple[list[str], list[list[str]], set[int]]:
    hosts = {h.id: h for h in plan.hosts}
    if len(plan.vms) <= FULL_LIST_MAX:
        rows = []
        for v in plan.vms:
            host = hosts[v.host].name or v.host if v.host in hosts else "unplaced"
            rows.append(
                [
                    e(v.label),
                    str(v.count),
                    str(v.vcpu),
                    e(fmt(v.ram_gb)),
                    e(fmt(v.disk_gb)),
                    e(fmt(v.nic_mbps)),
                    e(host) + (" (pinned)" if v.pinned else ""),
                ]
            )
        return (
            ["VM", "Count", "vCPU", "RAM GB", "Disk GB", "NIC Mbps", "Host"],
            rows,
            {1, 2, 3, 4, 5},
        )
    sizes: dict[tuple[int, float, float, float], list[int]] = {}
    for v in plan.vms:
        key = (v.vcpu, v.ram_gb, v.disk_gb, v.nic_mbps)
        entry = sizes.setdefault(key, [0, 0, 0])
        entry[0] += 1
        entry[1] += v.count
        entry[2] += v.count if v.host is not None else 0
    rows = [
        [
            str(vcpu),
            e(fmt(ram)),
            e(fmt(disk)),
            e(fmt(nic)),
            f"{n_entries:,}",
            f"{n:,}",
            f"{placed:,}",
        ]
        for (vcpu, ram, disk, nic), (n_entries, n, placed) in sorted(sizes.items())
    ]
    headers = ["vCPU", "RAM GB", "Disk GB", "NIC Mbps", "VM entries", "VMs", "on hosts"]
    return headers, rows, set(range(7))


def inventory(inp: ReportInputs) -> Section:
    plan = inp.plan
    vm_headers, vm_rows, vm_numeric = _vm_rows(plan)
    models = [
        [
            e(m.label),
            e(f"{m.sockets} × {m.cores_per_socket} cores × {m.threads_per_core}"),
            e(fmt(m.ghz)),
            e(fmt(m.ram_gb)),
            e(", ".join(f"{g.count} × {fmt(g.gbps)} Gbps" for g in m.nics) or "—"),
            e(fmt(m.disk_gb) if m.disk_gb else "shared"),
            str(sum(1 for h in plan.hosts if h.model == m.id)),
        ]
        for m in plan.host_models
    ]
    html = (
        "<h2>Inventory</h2><h3>Host models</h3>"
        + table(
            ["Model", "Sockets × cores × threads", "GHz", "RAM GB", "NICs", "Disk GB", "Hosts"],
            models,
            numeric={2, 3, 6},
        )
        + "<h3>Virtual machines</h3>"
        + (
            f"<p>{len(plan.vms):,} VM entries, by size (the JSON and CSV exports list "
            "every one).</p>"
            if len(plan.vms) > FULL_LIST_MAX
            else ""
        )
        + table(
            vm_headers,
            vm_rows,
            numeric=vm_numeric,
        )
    )
    return Section("inventory", "Inventory", html)


DIMENSION_LABELS = {
    "cpu": "vCPU",
    "ram": "RAM",
    "nic": "NIC",
    "disk": "Disk",
    "mhz": "MHz",
    "vms": "VMs",
}


def _pct(load: HostLoad, key: str) -> str:
    u = load.utilization.get(key)
    return "—" if u is None else f"{u:.0%}"


def _model_label(plan: Plan, model: str) -> str:
    found = next((m for m in plan.host_models if m.id == model), None)
    return model if found is None else found.label


def suggested(r: PlacementResult, plan: Plan) -> str:
    """The fresh placement: the same host count and assignment as the JSON's results, its
    host models by name. New hosts are "new 1", "new 2", …: their ids ("h1", …) may be the
    very strings of the plan's own host ids, which a reader would take for those hosts."""
    models = ", ".join(f"{n} × {e(_model_label(plan, m))}" for m, n in r.per_model.items())
    proof = "proven optimal" if r.optimal else f"{r.ratio:.2f} × the lower bound of {r.lower_bound}"
    labels = suggested_labels(r, plan)
    new = [h.id for h in r.hosts if h.new]
    named = (
        f" Hosts not in the plan are numbered new 1 to new {len(new)} (ids {e(new[0])} to "
        f"{e(new[-1])} in the JSON)."
        if len(new) > 1
        else f" The host not in the plan is new 1 (id {e(new[0])} in the JSON)."
        if new
        else ""
    )
    parts = [
        "<h3>Suggested placement</h3>",
        f"<p>Auto-placement packs the VMs onto <b>{r.host_count} host"
        f"{'s' if r.host_count != 1 else ''}</b> ({models}; {e(proof)}; {e(r.algorithm)})."
        f"{named}</p>",
    ]
    rows = []
    names = {v.id: v.label for v in plan.vms}
    for h in r.hosts:
        vms = "; ".join(f"{e(names.get(vm, vm))} ×{n}" for vm, n in _instances(h.instances))
        rows.append([e(labels[h.id]), e(_model_label(plan, h.model)), vms])
    parts.append(table(["Host", "Model", "VMs"], rows))
    parts += [f'<p class="warn">{e(w)}</p>' for w in r.warnings]
    return "".join(parts)


def suggested_labels(r: PlacementResult, plan: Plan) -> dict[str, str]:
    """Host id → what the report calls it: a plan's host by its name, a new one "new N",
    a spare one with "(spare)" after it."""
    own = {h.id: h.name or h.id for h in plan.hosts}
    out: dict[str, str] = {}
    n = 0
    for h in r.hosts:
        if h.new:
            n += 1
            label = f"new {n}"
        else:
            label = own.get(h.id, h.id)
        out[h.id] = label + (" (spare)" if h.spare else "")
    return out


def _instances(instance_ids: Sequence[str]) -> list[tuple[str, int]]:
    """Instance ids ("web#3") counted by VM entry, in order of first appearance."""
    counts: dict[str, int] = {}
    for i in instance_ids:
        vm = i.rsplit("#", 1)[0]
        counts[vm] = counts.get(vm, 0) + 1
    return list(counts.items())


def placement(inp: ReportInputs) -> Section:
    plan, loads = inp.plan, inp.loads
    fresh = suggested(inp.placement, plan) if inp.placement is not None else ""
    if not plan.hosts:
        html = f"<h2>Placement</h2><p>No hosts laid out.</p>{fresh}"
        return Section("placement", "Placement", html)
    parts = ["<h2>Placement</h2>"]
    used = len({v.host for v in plan.vms if v.host is not None})
    n = len(plan.hosts)
    drawn = (
        "The plan as laid out is drawn after the text, two host cards to a row."
        if n <= LAYOUT_PICTURE_MAX_HOSTS
        else f"With {n:,} hosts (more than {LAYOUT_PICTURE_MAX_HOSTS} cannot be drawn one "
        "to a card at a readable size) the tables below show the plan as laid out."
    )
    if inp.bounds is not None and inp.bounds.best:
        b = inp.bounds
        parts.append(
            f"<p>{used} hosts hold VMs; no placement can use fewer than <b>{b.best}</b> "
            f"(lower bound, tight: {e(', '.join(b.tight))}), a ratio of "
            f"{used / b.best:.2f}. Loads below are the plan as laid out, in % of each host's "
            f"capacity after the headroom. {drawn}</p>"
        )
    else:
        parts.append(f"<p>{drawn}</p>")
    # Only the dimensions some host limits get a column (no MHz column without MHz demand).
    keys = [k for k in DIMENSION_LABELS if any(k in ld.utilization for ld in loads.values())]
    rows = []
    for h in plan.hosts:
        ld = loads.get(h.id)
        if ld is None:
            continue
        mark = " ✖" if not ld.ok else ""
        rows.append(
            [
                e(h.name or h.id) + mark,
                str(ld.vms),
                e(fmt(ld.vcpus)),
                e(fmt(ld.ram_gb)),
                *(_pct(ld, k) for k in keys),
                e(DIMENSION_LABELS.get(ld.binding or "", "—")),
            ]
        )
    parts.append(
        table(
            [
                "Host",
                "VMs",
                "vCPUs",
                "RAM GB",
                *(f"{DIMENSION_LABELS[k]} %" for k in keys),
                "Binding",
            ],
            rows,
            numeric=set(range(1, 4 + len(keys))),
        )
    )
    by_host: dict[str, list[str]] = {}
    for v in plan.vms:
        if v.host is not None:
            by_host.setdefault(v.host, []).append(
                f"{e(v.label)} ×{v.count} ({v.vcpu} vCPU, {e(fmt(v.ram_gb))} GB)"
            )
    # One paragraph a host, not a table: a long list of VMs may run on to the next page
    # as text does, where a table row would have to move whole.
    listed = [
        f"<p><b>{e(h.name or h.id)}</b> ({e(plan.host_model(h.model).label)}): "
        f"{'; '.join(by_host[h.id])}</p>"
        for h in plan.hosts
        if h.id in by_host
    ]
    if listed:
        parts.append("<h3>VMs on each host</h3>" + "".join(listed))
    unplaced = [v for v in plan.vms if v.host is None]
    if unplaced:
        parts.append(
            "<h3>Unplaced</h3><p>"
            + "; ".join(f"{e(v.label)} ×{v.count}" for v in unplaced)
            + "</p>"
        )
    parts.append(fresh)
    return Section("placement", "Placement", "".join(parts))


def _sim_row(h: HostSimulation) -> list[str]:
    def pct(x: float | None) -> str:
        return "—" if x is None else f"{x:.0f} %"

    return [
        e(h.label),
        str(h.vms),
        pct(h.cpu.peak_pct),
        pct(h.cpu.p95_pct),
        pct(h.ram.peak_pct),
        pct(h.nic.peak_pct),
        e(fmt(h.cpu.minutes_over_headroom or 0)),
        e(fmt(h.cpu.minutes_over_capacity or 0)),
    ]


def _when(minute: float) -> str:
    day, rest = divmod(int(minute), 1440)
    return f"day {day + 1} at {rest // 60:02d}:{rest % 60:02d}"


def utilization(inp: ReportInputs) -> Section:
    sim = inp.simulation
    if sim is None:
        return Section("utilization", "Utilization", "")
    busiest = sorted(sim.hosts, key=lambda h: -(h.cpu.peak_pct or 0))[:10]
    parts = [
        "<h2>Utilization</h2>",
        f"<p>Simulated over {fmt(sim.days)} days at {fmt(sim.step_minutes)}-minute steps from "
        "each VM's workload profile; CPU in "
        f"{'MHz' if sim.cpu_unit == 'MHz' else 'logical processors'}. The charts follow the "
        "text.</p>",
        table(
            [
                "Host",
                "VMs",
                "CPU peak",
                "CPU p95",
                "RAM peak",
                "NIC peak",
                "min over headroom",
                "min over 100 %",
            ],
            [_sim_row(sim.cluster), *(_sim_row(h) for h in busiest)],
            numeric=set(range(1, 8)),
        ),
    ]
    if sim.failover is not None:
        f = sim.failover
        names = {h.id: h.name or h.id for h in inp.plan.hosts}
        parts.append(
            f"<h3>Host failure</h3><p>{e(', '.join(names.get(h, h) for h in f.failed_hosts))} "
            f"failed on {_when(f.at_minute)}: {sum(r.instances for r in f.restarted)} VM instances "
            f"restarted, {sum(u.instances for u in f.unplaced)} left unplaced: "
            f"{'N+k held' if f.held else 'N+k did not hold'}. Rule: {e(f.rule)}</p>"
        )
    parts += [f'<p class="warn">⚠ {e(w)}</p>' for w in sim.warnings]
    return Section("utilization", "Utilization", "".join(parts))


def readiness(inp: ReportInputs) -> Section:
    if not inp.readiness:
        return Section("readiness", "This workstation", "")
    titles = {k: p.title for k, p in inp.catalog.profiles.items()}
    rows = [[e(titles.get(k, k)), e(st), e(reasons)] for k, st, reasons in inp.readiness]
    return Section(
        "readiness",
        "This workstation",
        "<h2>This workstation</h2>" + table(["Hypervisor", "Verdict", "Why"], rows),
    )


def comparison(inp: ReportInputs) -> Section:
    if not inp.fits:
        return Section("compare", "Hypervisor comparison", "")
    rows = [
        [
            e(inp.catalog.profiles[f.key].title if f.key in inp.catalog.profiles else f.key),
            str(f.hosts),
            e(f.binding),
            "unknown" if f.ram_overhead_gb is None else e(fmt(f.ram_overhead_gb)),
            str(f.logical_processors),
            e(f.verdict),
        ]
        for f in inp.fits
    ]
    html = (
        "<h2>Hypervisor comparison for this plan</h2>"
        "<p>Each hypervisor sized with its own catalog ratio, per-VM overhead and host reserve "
        "(the plan's own overrides apply to its own hypervisor).</p>"
        + table(
            ["Hypervisor", "Hosts", "Binding", "Overhead GB", "LPs", "Verdict"],
            rows,
            numeric={1, 3, 4},
            widths=(25, 7, 20, 12, 6, 30),
        )
    )
    return Section("compare", "Hypervisor comparison", html)


def assumptions(inp: ReportInputs) -> Section:
    p = inp.plan.policy
    rows = [
        [
            "vCPU:LP ratio",
            e(fmt(inp.sizing.vcpu_per_lp)) + ":1",
            e(inp.sizing.ratio_basis) or ("plan" if p.vcpu_per_lp is not None else "default"),
        ],
        ["RAM overcommit", e(fmt(p.ram_overcommit)), "plan"],
        [
            "Per-VM overhead",
            e(f"{fmt(p.vm_overhead_mb)} MB") if p.vm_overhead_mb is not None else "catalog model",
            "plan" if p.vm_overhead_mb is not None else "catalog",
        ],
        [
            "Host reserve",
            e(f"{fmt(p.host_reserve_mb)} MB") if p.host_reserve_mb is not None else "catalog value",
            "plan" if p.host_reserve_mb is not None else "catalog",
        ],
        ["Headroom", e(f"{fmt(p.headroom_pct)} %"), "plan"],
        ["Failover hosts", str(p.failover_hosts), "plan"],
        ["Growth", e(f"{fmt(p.growth_pct_per_year)} % a year for {p.growth_years} years"), "plan"],
        ["Rounding", e(p.rounding), "plan"],
        ["Units", "1 GB = 1024 MB; 1 Gbps = 1000 Mbps", "hvplanner"],
    ]
    return Section(
        "assumptions",
        "Assumptions",
        "<h2>Assumptions</h2>" + table(["Assumption", "Value", "From"], rows),
    )


def sources(inp: ReportInputs) -> Section:
    rows = []
    for key in sorted(inp.cited):
        if key not in inp.catalog.sources:
            continue
        s = inp.catalog.sources[key]
        rows.append([e(key), e(s.title), e(s.url), e(s.grade), e(s.read)])
    return Section(
        "sources",
        "Sources",
        "<h2>Sources</h2>"
        + table(["Key", "Title", "Address", "Grade", "Read"], rows, widths=(17, 31, 28, 11, 13)),
    )


def sections(inp: ReportInputs) -> list[Section]:
    """The report's parts in order; the empty ones (no simulation, no readiness) included."""
    parts = [title_block(inp), *summary_pages(inp), cover(inp), sizing(inp), cost(inp)]
    parts += [inventory(inp), placement(inp), utilization(inp)]
    parts += [*inp.extra, comparison(inp), readiness(inp), assumptions(inp)]
    parts.append(sources(inp))
    return parts


def page_html(parts: Sequence[Section]) -> str:
    body = "".join(s.html for s in parts)
    return f"<html><head><style>{STYLE}</style></head><body>{body}</body></html>"


def document(inp: ReportInputs) -> str:
    return page_html(sections(inp))
