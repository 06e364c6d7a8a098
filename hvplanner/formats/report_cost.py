"""The report's first pages: an executive summary and a bill of materials, then the cost
detail. Recommendation-neutral: hypervisors in the catalog's order, none marked best.

No Qt here: the PDF writer lays this HTML out; `report_html` joins it with the rest.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from hvplanner.catalog import Catalog
from hvplanner.engine.cost import NEEDS_PRICE, money
from hvplanner.engine.overload import overloaded_hosts
from hvplanner.model.cost import CostLine, CostResult, HypervisorCost, Total
from hvplanner.model.placement import PlacementResult
from hvplanner.model.plan import Plan
from hvplanner.model.report import PlanFit
from hvplanner.model.simulation import SimulationResult
from hvplanner.model.sizing import SizingResult
from hvplanner.text import fmt, plural


@dataclass(frozen=True)
class SummaryInputs:
    plan: Plan
    sizing: SizingResult
    catalog: Catalog
    fits: Sequence[PlanFit]
    cost: CostResult | None
    simulation: SimulationResult | None
    placement: PlacementResult | None


def _e(text: object) -> str:
    from html import escape

    return escape(str(text), quote=True)


def _t(h: HypervisorCost, tid: str, cur: str) -> str:
    t: Total = h.total(tid)
    return money(t.amount, cur, t.complete)


def _at_least(h: HypervisorCost, tid: str, cur: str) -> str:
    """A total for a narrow column: one that leaves out a product with no price is a floor."""
    t: Total = h.total(tid)
    if t.amount is None or t.complete:
        return money(t.amount, cur)
    return f"≥ {money(t.amount, cur)}"


def _title(catalog: Catalog, key: str) -> str:
    return catalog.profiles[key].title if key in catalog.profiles else key


def risks(inp: SummaryInputs) -> list[str]:
    """What may make the plan fail: overloads, failover not held, figures not known."""
    out: list[str] = []
    if inp.simulation is not None:
        over = overloaded_hosts(inp.simulation)
        if over:
            names = ", ".join(f"{o.label} ({o.badge()})" for o in over[:6])
            more = f" and {len(over) - 6} more" if len(over) > 6 else ""
            out.append(f"{plural(len(over), 'host')} overloaded in the simulation: {names}{more}")
    k = inp.plan.policy.failover_hosts
    if inp.placement is not None and not inp.placement.failover.holds:
        out.append(f"Failover N+{inp.placement.failover.k} is not held by the placement")
    elif k and inp.sizing.hosts_before_failover + k > len(inp.plan.hosts) and inp.plan.hosts:
        out.append(
            f"Failover N+{k} needs {inp.sizing.hosts_before_failover + k} hosts; "
            f"{len(inp.plan.hosts)} are laid out"
        )
    own = next((f for f in inp.fits if f.key == inp.plan.hypervisor), None)
    if own is not None and own.unknowns:
        out.append(
            f"{plural(own.unknowns, 'figure')} of {_title(inp.catalog, own.key)} unpublished: "
            "the sizing could not check those limits"
        )
    out += [f"Limit exceeded: {x}" for x in inp.sizing.limits_exceeded]
    if inp.cost is not None:
        mine = next((h for h in inp.cost.hypervisors if h.key == inp.plan.hypervisor), None)
        if mine is not None and mine.needs_price:
            out.append(f"Cost incomplete, {NEEDS_PRICE}: {', '.join(mine.needs_price)}")
    return out


def executive_summary(inp: SummaryInputs) -> str:
    r = inp.sizing
    cost = inp.cost
    by_key = {h.key: h for h in cost.hypervisors} if cost else {}
    cur = cost.currency if cost else ""
    years = cost.horizon_years if cost else 0
    rows = []
    for f in inp.fits:
        h = by_key.get(f.key)
        mark = " (this plan)" if f.key == inp.plan.hypervisor else ""
        cells = [f"{_e(_title(inp.catalog, f.key))}{mark}", str(f.hosts)]
        if h is not None:
            rules = inp.catalog.profiles[f.key].licensing if f.key in inp.catalog.profiles else []
            # Hyper-V's licence is the host's Windows Server, counted in the next column.
            own = "in Windows Server" if any(r.metric == "windows-server" for r in rules) else (
                _t(h, "licences", cur))  # fmt: skip
            cells[1] += f" / {h.hosts}"
            cells += [_e(own), _e(_at_least(h, "windows", cur)),
                      _e(_at_least(h, "hardware", cur)),
                      f"<b>{_e(_at_least(h, 'total', cur))}</b>",
                      _e(_at_least(h, "per_vm", cur))]  # fmt: skip
        else:
            cells += ["—"] * 5
        rows.append(cells)
    headers = ["Hypervisor", "Hosts sized / costed", "Licences", "Windows Server",
               "Hardware", f"Total, {years} years", "Per VM"]  # fmt: skip
    from hvplanner.formats.report_html import table

    parts = [
        "<h2>Executive summary</h2>",
        f"<p>{plural(r.vms, 'VM')} need <b>{plural(r.hosts, 'host')}</b> on "
        f"{_e(r.hypervisor_title)}; the binding constraint is <b>{_e(r.binding_label)}</b>.</p>",
        "<p>Every hypervisor below is sized and costed on this plan with its own catalog "
        "figures and the plan's price book, in the catalog's order; the report recommends "
        "none. Costs are "
        + (f"in {_e(cur)} over {plural(years, 'year')}; " if cost else "not computed; ")
        + f"'{NEEDS_PRICE}' marks a licence or host model without a price, left out of the "
        "total; '≥' a total that leaves one out.</p>",
        table(headers, rows, numeric={1, 2, 3, 4, 5, 6}, widths=(23, 10, 13, 12, 12, 16, 14)),
        "<p>Hosts sized: what the sizing needs on each hypervisor (binding constraint per "
        "hypervisor in the comparison section); hosts costed: the plan's hosts when it has "
        "some, else the hosts sized.</p>",
        "<h3>Risks</h3>",
    ]
    found = risks(inp)
    parts += [f'<p class="warn">⚠ {_e(x)}</p>' for x in found] or ["<p>None found.</p>"]
    return "".join(parts)


def bill_of_materials(inp: SummaryInputs) -> str:
    from hvplanner.formats.report_html import table

    plan = inp.plan
    cost = inp.cost
    mine = next((h for h in cost.hypervisors if h.key == plan.hypervisor), None) if cost else None
    parts = [f"<h2>Bill of materials: {_e(_title(inp.catalog, plan.hypervisor))}</h2>"]
    counts: dict[str, int] = {}
    for host in plan.hosts:
        counts[host.model] = counts.get(host.model, 0) + 1
    if counts:
        rows = [[_e(plan.host_model(m).label),
                 _e(f"{plan.host_model(m).sockets} × {plan.host_model(m).cores_per_socket} "
                    f"cores, {fmt(plan.host_model(m).ram_gb)} GB"), str(n)]
                for m, n in counts.items()]  # fmt: skip
        parts.append("<h3>Hosts</h3>")
        parts.append(table(["Host model", "Shape", "Count"], rows, numeric={2},
                           widths=(50, 35, 15)))  # fmt: skip
    elif mine is not None:
        parts.append(f"<p>No hosts laid out: {plural(mine.hosts, 'host')} as sized.</p>")
    if mine is not None and cost is not None:
        lines: list[CostLine] = [*mine.licences, *mine.hardware]
        rows = [_line_row(ln, cost.currency) for ln in lines]
        years = plural(cost.horizon_years, "year")
        t = mine.total("total")
        rows.append([f"<b>{_e(t.title)}</b>", "", "", "",
                     f"<b>{_e(money(t.amount, cost.currency, t.complete))}</b>"])  # fmt: skip
        parts.append(f"<h3>Licences and hardware over {years}</h3>")
        parts.append(table(["Item", "Metric", "Units", "Unit price", f"Cost, {years}"], rows,
                           numeric={2, 3, 4}, widths=(38, 18, 8, 18, 18)))  # fmt: skip
    return "".join(parts)


def _line_row(ln: CostLine, cur: str) -> list[str]:
    per = {"year": " / year", "one-off": " once", None: ""}[ln.period]
    price = NEEDS_PRICE if ln.unit_price is None else f"{fmt(ln.unit_price)} {cur}{per}"
    if ln.status == "free":
        price = "free"
    return [
        _e(ln.name),
        _e(ln.metric),
        "unknown" if ln.units is None else _e(fmt(ln.units)),
        _e(price),
        _e("unknown" if ln.status == "unknown" else money(ln.cost, cur)),
    ]


def cost_detail(inp: SummaryInputs, cited: set[str]) -> str:
    """Each hypervisor's own licences and totals; what several hypervisors have alike
    (Windows Server guests and hardware on the same hosts) once, referred to by its title.
    The JSON keeps every hypervisor's full lines."""
    cost = inp.cost
    if cost is None:
        return ""
    cur = cost.currency
    parts = [
        "<h2>Cost per hypervisor</h2>",
        f"<p>Over {plural(cost.horizon_years, 'year')}, in {_e(cur)}. Each line: the rule's "
        "formula and the values it took; the price and who gave it.</p>",
    ]
    parts += [f'<p class="warn">⚠ {_e(w)}</p>' for w in cost.warnings]
    groups = [g for g in _alike(cost.hypervisors) if len(g) > 1]
    names: dict[str, str] = {}
    for n, members in enumerate(groups, start=1):
        name = "Shared part" if len(groups) == 1 else f"Shared part {n}"
        names.update((m.key, name) for m in members)
        others = [h.title for h in cost.hypervisors if h not in members]
        under = (
            "every hypervisor" if not others
            else f"every hypervisor but {', '.join(others)}" if len(others) <= 2
            else ", ".join(m.title for m in members)
        )  # fmt: skip
        title = f"{name}: Windows Server guests and hardware on {_origin(members[0])}"
        parts.append(
            f"<p>Windows Server guest licences and hardware are the same under {_e(under)}: "
            f"they are given once, in '{_e(name)}' below, and each of those hypervisors' "
            "tables refers to it.</p>"
        )
        parts.append(_shared_table(title, members[0], cur, cited))
        parts.append(_picks(members[0]))
    for h in cost.hypervisors:
        parts.append(_own_table(inp.catalog, h, names.get(h.key), cur, cited))
        if h.key not in names:
            parts.append(_picks(h))
        parts += [f'<p class="warn">⚠ {_e(w)}</p>' for w in h.warnings]
    return "".join(parts)


def _alike(hypervisors: Sequence[HypervisorCost]) -> list[list[HypervisorCost]]:
    """Hypervisors whose Windows Server lines, per-host choices and hardware are equal, in
    the order each set first appears."""
    groups: dict[str, list[HypervisorCost]] = {}
    for h in hypervisors:
        wins = [ln for ln in h.licences if ln.kind == "windows"]
        key = "|".join(x.model_dump_json() for x in (*wins, *h.windows, *h.hardware))
        key += f"|{h.total('windows').model_dump_json()}|{h.total('hardware').model_dump_json()}"
        groups.setdefault(key, []).append(h)
    return list(groups.values())


def _origin(h: HypervisorCost) -> str:
    return f"the plan's {plural(h.hosts, 'host')}" if h.hosts_origin == "plan" else (
        f"{plural(h.hosts, 'host')} as sized")  # fmt: skip


def _shared_table(title: str, h: HypervisorCost, cur: str, cited: set[str]) -> str:
    lines = [*(ln for ln in h.licences if ln.kind == "windows"), *h.hardware]
    t_win, t_hw = h.total("windows"), h.total("hardware")
    both = _sum_row("Shared part", "Windows Server guests + hardware", [t_win, t_hw], cur)
    return _detail_table(title, lines, [t_win, t_hw], cur, cited, extra=[both])


def _sum_row(name: str, formula: str, parts: Sequence[Total], cur: str,
             result: Total | None = None) -> list[str]:  # fmt: skip
    """A row adding up subtotals; `result`: the engine's Σ over the same lines, shown as
    the amount (it says "needs a price" where no line has one)."""
    known = [t for t in parts if t.amount is not None]
    amount = sum(t.amount or 0.0 for t in known) if known else None
    complete = all(t.complete and t.amount is not None for t in parts)
    if result is not None:
        amount, complete = result.amount, result.complete
    terms = " + ".join(
        fmt(t.amount) + ("" if t.complete else f" (+ {NEEDS_PRICE})")
        if t.amount is not None else f"{NEEDS_PRICE} (left out)"
        for t in parts
    )  # fmt: skip
    return [
        f"<b>{_e(name)}</b>",
        _e(formula),
        _e(f"{terms} = {money(amount, cur)}"),
        "",
        f"<b>{_e(money(amount, cur, complete))}</b>",
    ]


def _own_table(catalog: Catalog, h: HypervisorCost, shared: str | None, cur: str,
               cited: set[str]) -> str:  # fmt: skip
    """A hypervisor's licence lines and totals; with `shared`, its Windows Server guests
    and hardware as one row that names the table holding them."""
    title = f"{h.title}: {_origin(h)}"
    own = [ln for ln in h.licences if ln.kind == "licence"]
    rules = catalog.profiles[h.key].licensing if h.key in catalog.profiles else []
    t_lic, t_win, t_hw = h.total("licences"), h.total("windows"), h.total("hardware")
    subtotals: list[Total] = []
    if not own and any(r.metric == "windows-server" for r in rules):
        # Hyper-V: the host's Windows Server is its licence, counted with the guests.
        where = f"'{shared}'" if shared else "Windows Server guests"
        subtotals.append(t_lic.model_copy(update={
            "formula": f"the host's Windows Server licence, in {where}"}))  # fmt: skip
    elif len(own) > 1:
        subtotals.append(t_lic)
    extra: list[list[str]] = []
    if shared is None:
        lines = [*own, *(ln for ln in h.licences if ln.kind == "windows"), *h.hardware]
        subtotals += [t_win, t_hw]
        parts = [t_lic, t_win, t_hw]
        formula = "licences + Windows Server guests + hardware"
    else:
        lines = own
        extra.append(_sum_row("Shared part", f"see '{shared}' above", [t_win, t_hw], cur))
        parts = [t_lic, _joined(t_win, t_hw)]
        formula = "licences + shared part"
    total = h.total("total")
    extra.append(_sum_row(total.title, formula, parts, cur, total))
    per_vm = h.total("per_vm")
    extra.append([f"<b>{_e(per_vm.title)}</b>", _e(per_vm.formula), _e(per_vm.values), "",
                  f"<b>{_e(money(per_vm.amount, cur, per_vm.complete))}</b>"])  # fmt: skip
    return _detail_table(title, lines, subtotals, cur, cited, extra=extra)


def _joined(a: Total, b: Total) -> Total:
    known = [t.amount for t in (a, b) if t.amount is not None]
    return Total(id="shared", title="", formula="", values="",
                 amount=sum(known) if known else None,
                 complete=all(t.complete and t.amount is not None for t in (a, b)))  # fmt: skip


def _picks(h: HypervisorCost) -> str:
    """Per host the Windows Server edition chosen and why; equal hosts as one row."""
    if not h.windows:
        return ""
    from hvplanner.formats.report_html import table

    rows: dict[tuple[int, int, str], list[str]] = {}
    for w in h.windows:
        # The reason starts with the edition chosen and its licensings, or says both need
        # a price.
        why = w.reason if w.choice else f"none: {w.reason}"
        rows.setdefault((w.windows_vms, w.licensed_cores, why), []).append(w.host)
    body = [[_e(_hosts(names)), str(v), str(c), _e(why)] for (v, c, why), names in rows.items()]
    # Counts left-aligned: a right-aligned one would run into the reason beside it.
    return "<p>Windows Server edition per host (the cheaper of Standard stacks and " \
        "Datacenter):</p>" + table(
            ["Hosts", "Windows Server VMs", "Cores licensed", "Edition chosen"],
            body, widths=(26, 17, 15, 42))  # fmt: skip


def _hosts(names: Sequence[str], shown: int = 4) -> str:
    if len(names) == 1:
        return names[0]
    head = ", ".join(names[:shown])
    more = f" and {len(names) - shown} more" if len(names) > shown else ""
    return f"{len(names)} hosts: {head}{more}"


def _detail_table(title: str, lines: Sequence[CostLine], totals: Sequence[Total], cur: str,
                  cited: set[str], extra: Sequence[list[str]] = ()) -> str:  # fmt: skip
    """The title is the table's first header row: repeated on every page the table spans,
    it can never be left alone at the foot of a page."""
    from hvplanner.formats.report_html import table

    rows = []
    for ln in lines:
        if ln.source:
            cited.add(ln.source)
        shown = "unknown" if ln.status == "unknown" else money(ln.cost, cur)
        rows.append([_e(ln.name), _e(ln.formula), _e(ln.values), _e(ln.price_source),
                     _e(shown)])  # fmt: skip
    rows += [[f"<b>{_e(t.title)}</b>", _e(t.formula), _e(t.values), "",
              f"<b>{_e(money(t.amount, cur, t.complete))}</b>"] for t in totals]  # fmt: skip
    rows += extra
    html = table(["Item", "Formula", "Values", "Price from", "Cost"], rows, numeric={4},
                 widths=(20, 18, 27, 18, 17))  # fmt: skip
    heading = (
        '<tr><th colspan="5" style="background: #ffffff; color: #1f3a5f; font-size: 11pt;">'
        f"{_e(title)}</th></tr>"
    )
    # Space above the title row: Qt draws a header cell's padding but not more.
    spaced = "border-collapse: collapse; margin-top: 10pt;"
    html = html.replace("border-collapse: collapse;", spaced, 1)
    return html.replace("<thead>", f"<thead>{heading}", 1)
