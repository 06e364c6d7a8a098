"""What a plan costs on each hypervisor: licences, Windows Server guests, hardware, totals.

Per hypervisor: the plan's hosts (or, with none, the hosts sizing needs on it), the licensed
units per host by the catalog's rule (cores with per-CPU and per-server minimums, sockets,
socket pairs, hosts), the per-order minimum, then Windows Server guest licences per host
(the cheaper of Standard stacks and Datacenter), the hardware, and totals over the plan's
horizon and per VM. Prices come from the plan's price book, else from a list price the
catalog cites; a product with neither "needs a price" and is left out of the totals.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from hvplanner.catalog import Catalog
from hvplanner.engine.assumptions import policy_for
from hvplanner.engine.compare import PlanSizings
from hvplanner.engine.sizing import plan_host_model, size_plan
from hvplanner.errors import InputError
from hvplanner.model.cost import CostLine, CostResult, HypervisorCost, Total, WindowsHost
from hvplanner.model.guest import WINDOWS_CLIENTS
from hvplanner.model.hypervisor import HypervisorProfile
from hvplanner.model.licensing import METRIC_LABELS, LicenceRule
from hvplanner.model.licensing_file import Edition, WindowsServerRule
from hvplanner.model.plan import MAX_HORIZON_YEARS, HostModel, Plan
from hvplanner.text import fmt, plural

NEEDS_PRICE = "needs a price"
DEFAULT_CURRENCY = "USD"


def money(amount: float | None, currency: str, complete: bool = True) -> str:
    """'87,682 USD', 'needs a price', or '87,682 USD + needs a price' for a partial total."""
    if amount is None:
        return NEEDS_PRICE
    return f"{fmt(amount, 0)} {currency}" + ("" if complete else f" + {NEEDS_PRICE}")


@dataclass(frozen=True)
class BookPrice:
    """The unit price a product is counted at, and where it comes from."""

    product: str
    unit_price: float
    period: str
    currency: str
    label: str


@dataclass(frozen=True)
class CostHost:
    label: str
    model: HostModel | None
    windows_vms: int


def licence_products(catalog: Catalog) -> dict[str, str]:
    """Every product a price book may name, with its name."""
    out: dict[str, str] = {}
    for p in catalog.ordered():
        for rule in p.licensing:
            if rule.metric not in ("free", "windows-server"):
                out[rule.product] = rule.name
    if catalog.licensing is not None:
        for e in catalog.licensing.windows_server.editions:
            out[e.product] = e.name
    return out


def price_book(plan: Plan, catalog: Catalog) -> tuple[dict[str, BookPrice], str, list[str]]:
    """The prices in force, the currency and the warnings; a bad entry raises InputError."""
    known = licence_products(catalog)
    for i, price in enumerate(plan.prices):
        if price.product not in known:
            raise InputError(
                f"prices[{i}].product: unknown licence product {price.product!r}; "
                f"known: {', '.join(sorted(known))}"
            )
    currency = plan.prices[0].currency if plan.prices else DEFAULT_CURRENCY
    book: dict[str, BookPrice] = {}
    warnings: list[str] = []
    if catalog.licensing is not None:
        for lp in catalog.licensing.list_prices:
            src = catalog.sources[lp.source]
            label = f"list price as published on {lp.published} by {src.title.split(':')[0]}"
            if lp.currency != currency:
                warnings.append(
                    f"{lp.product}: the list price is in {lp.currency}, the price book in "
                    f"{currency}; it {NEEDS_PRICE} in {currency}"
                )
                continue
            book[lp.product] = BookPrice(
                lp.product, lp.price / lp.per_units, lp.period, lp.currency, label
            )
    for price in plan.prices:
        said = ", ".join(x for x in (price.source, price.date) if x) or "the plan's price book"
        book[price.product] = BookPrice(
            price.product, price.unit_price, price.period, price.currency, said
        )
    return book, currency, warnings


def hosts_for(
    plan: Plan, profile: HypervisorProfile, sizings: PlanSizings | None = None
) -> tuple[list[CostHost], bool]:
    """The hosts to license, and whether they are the plan's own (else sized)."""
    windows = [v for v in plan.vms if v.os == "windows-server"]
    if plan.hosts:
        on: dict[str, int] = {}
        for v in windows:
            if v.host is not None:
                on[v.host] = on.get(v.host, 0) + v.count
        unplaced = sum(v.count for v in windows if v.host is None)
        hosts = [
            CostHost(h.name or h.id, plan.host_model(h.model), on.get(h.id, 0)) for h in plan.hosts
        ]
        return _spread(hosts, unplaced), True
    if not plan.vms:
        n = 0
    elif sizings is not None and sizings.plan is plan:
        n = sizings.on(profile).hosts
    else:
        n = size_plan(policy_for(plan, profile), profile).hosts
    model = plan_host_model(plan) if plan.host_models else None
    hosts = [CostHost(f"host {i + 1}", model, 0) for i in range(n)]
    return _spread(hosts, sum(v.count for v in windows)), False


def _spread(hosts: list[CostHost], vms: int) -> list[CostHost]:
    """VMs not laid out yet go evenly over the hosts (the first ones take the remainder)."""
    if not hosts or not vms:
        return hosts
    q, r = divmod(vms, len(hosts))
    return [
        CostHost(h.label, h.model, h.windows_vms + q + (1 if i < r else 0))
        for i, h in enumerate(hosts)
    ]


def licensed_cores(model: HostModel, min_per_cpu: int, min_per_server: int) -> int:
    """Σ over CPUs of max(cores, min_per_cpu), then at least min_per_server."""
    return max(min_per_server, model.sockets * max(model.cores_per_socket, min_per_cpu))


def _units(rule: LicenceRule, model: HostModel) -> int:
    if rule.metric == "physical-core":
        return licensed_cores(model, rule.min_per_cpu, rule.min_per_server)
    if rule.metric == "socket":
        return model.sockets
    if rule.metric == "socket-pair":
        return math.ceil(model.sockets / 2)
    return 1  # host, free


def _unit_formula(rule: LicenceRule) -> str:
    if rule.metric == "physical-core":
        per_cpu = f"max(cores, {rule.min_per_cpu})" if rule.min_per_cpu else "cores"
        body = f"Σ over CPUs of {per_cpu}"
        return f"max({rule.min_per_server}, {body})" if rule.min_per_server else body
    return {
        "socket": "sockets",
        "socket-pair": "⌈sockets / 2⌉",
        "host": "1 per host",
        "free": "1 per host (free)",
    }[rule.metric]


def _host_shape(h: CostHost) -> str:
    m = h.model
    return "unknown" if m is None else f"{m.sockets} × {m.cores_per_socket}"


# Beyond this many terms a sum of per-host figures ends with one term for the rest: a
# hundred hosts of a dozen shapes must not make a cell taller than a page.
SUM_TERMS_MAX = 6


def _per_host_sum(terms: Sequence[tuple[str, int, str, str]]) -> str:
    """A sum over hosts, hosts with the same figure as one term: '3 hosts × 32 (2 × 12) +
    16 (edge-01: 1 × 6)'. Each term: (expression, its value, host, what the value is of)."""
    groups: dict[tuple[str, str], tuple[int, list[str]]] = {}
    for expr, value, host, of in terms:
        groups.setdefault((expr, of), (value, []))[1].append(host)
    shown: list[str] = []
    items = list(groups.items())
    cut = len(items) > SUM_TERMS_MAX
    for (expr, of), (_value, hosts) in items[: SUM_TERMS_MAX - 1] if cut else items:
        if len(hosts) == 1:
            shown.append(f"{expr} ({hosts[0]}{': ' + of if of else ''})")
        else:
            shown.append(f"{len(hosts)} hosts × {expr}{f' ({of})' if of else ''}")
    if cut:
        rest = items[SUM_TERMS_MAX - 1 :]
        n = sum(len(hosts) for _, (_v, hosts) in rest)
        shown.append(f"{sum(v * len(hosts) for _, (v, hosts) in rest)} ({n} more hosts)")
    return " + ".join(shown) or "0"


def _priced(units: int, book: BookPrice, years: int, currency: str) -> tuple[float, str, str]:
    if book.period == "year":
        return (
            units * book.unit_price * years,
            "units × unit price × years",
            f"{fmt(units)} × {fmt(book.unit_price)} {currency} × {years}",
        )
    return (
        units * book.unit_price,
        "units × unit price (one-off)",
        (f"{fmt(units)} × {fmt(book.unit_price)} {currency}"),
    )


def _licence_line(
    rule: LicenceRule,
    hosts: list[CostHost],
    book: dict[str, BookPrice],
    years: int,
    currency: str,
) -> CostLine:
    metric = METRIC_LABELS[rule.metric]
    if rule.metric == "free":
        return CostLine(
            kind="licence", product=rule.product, name=rule.name, metric=metric,
            units=len(hosts), unit_price=0.0, period=None, cost=0.0,
            formula="free: nothing to buy", values=f"{plural(len(hosts), 'host')}",
            status="free", price_source=rule.covers, source=rule.source, note=rule.note,
        )  # fmt: skip
    unknown = [h.label for h in hosts if h.model is None]
    per_host = [(h, _units(rule, h.model)) for h in hosts if h.model is not None]
    summed = sum(u for _, u in per_host)
    formula = f"per host {_unit_formula(rule)}; Σ over hosts"
    values = _per_host_sum([(str(u), u, h.label, _host_shape(h)) for h, u in per_host])
    values = f"{values} = {summed}"
    units: int | None = summed
    if rule.order_min:
        formula += f"; at least {rule.order_min} per order: max(Σ, {rule.order_min})"
        values += f"; max({summed}, {rule.order_min}) = {max(summed, rule.order_min)}"
        units = max(summed, rule.order_min)
    if unknown:
        units = None
        values += f"; cores unknown for {', '.join(unknown)} (the plan has no host model)"
    price = book.get(rule.product)
    if units is None:
        return CostLine(
            kind="licence", product=rule.product, name=rule.name, metric=metric, units=None,
            unit_price=price.unit_price if price else None, period=None, cost=None,
            formula=formula, values=values, status="unknown", source=rule.source, note=rule.note,
        )  # fmt: skip
    if price is None:
        return CostLine(
            kind="licence", product=rule.product, name=rule.name, metric=metric, units=units,
            unit_price=None, period=None, cost=None, formula=formula, values=values,
            status="needs-price", price_source=NEEDS_PRICE, source=rule.source, note=rule.note,
        )  # fmt: skip
    cost, f2, v2 = _priced(units, price, years, currency)
    return CostLine(
        kind="licence", product=rule.product, name=rule.name, metric=metric, units=units,
        unit_price=price.unit_price, period=price.period,  # type: ignore[arg-type]
        cost=cost, formula=f"{formula}; cost = {f2}", values=f"{values}; {v2} = {fmt(cost)}",
        status="priced", price_source=price.label, source=rule.source, note=rule.note,
    )  # fmt: skip


def _windows(
    ws: WindowsServerRule,
    hosts: list[CostHost],
    host_licence: bool,
    book: dict[str, BookPrice],
    currency: str,
    years: int,
) -> tuple[list[WindowsHost], list[CostLine]]:
    """Per host the cheaper of Standard stacks and Datacenter; one line per edition."""
    std, dc = _edition(ws, True), _edition(ws, False)
    p_std, p_dc = book.get(std.product), book.get(dc.product)
    per_vms = std.vms_per_licensing or 1
    rows: list[WindowsHost] = []
    chosen: dict[str, list[tuple[CostHost, int, int]]] = {std.product: [], dc.product: []}
    for h in hosts:
        w = max(h.windows_vms, 1) if host_licence else h.windows_vms
        if w == 0 or h.model is None:
            continue
        cores = licensed_cores(h.model, ws.min_per_cpu, ws.min_per_server)
        stacks = math.ceil(w / per_vms)
        c_std = _once(stacks * cores, p_std, years)
        c_dc = _once(cores, p_dc, years)
        choice, reason = _choose(c_std, c_dc, stacks, cores, currency)
        rows.append(WindowsHost(
            host=h.label, licensed_cores=cores, windows_vms=h.windows_vms,
            standard_licensings=stacks, standard_cost=c_std, datacenter_cost=c_dc,
            choice=choice, reason=reason,
        ))  # fmt: skip
        pick = std.product if choice != "datacenter" else dc.product
        chosen[pick].append((h, cores, stacks if pick == std.product else 1))
    lines: list[CostLine] = []
    for edition, price in ((std, p_std), (dc, p_dc)):
        picked = chosen[edition.product]
        if not picked:
            continue
        units = sum(c * s for _, c, s in picked)
        formula = (
            f"per host max({ws.min_per_server}, Σ over CPUs of max(cores, {ws.min_per_cpu}))"
            + (f" × ⌈Windows Server VMs / {per_vms}⌉" if edition is std else "")
        )
        values = _per_host_sum(
            [(f"{c} × {s}" if edition is std else str(c), c * s, h.label, "") for h, c, s in picked]
        )
        values += f" = {units}"
        base = dict(
            kind="windows", product=edition.product, name=edition.name,
            metric="per physical core", units=units, source=ws.source, note=edition.note,
        )  # fmt: skip
        if price is None:
            lines.append(CostLine(
                **base, unit_price=None, period=None, cost=None, formula=formula,  # type: ignore[arg-type]
                values=values, status="needs-price", price_source=NEEDS_PRICE,
            ))  # fmt: skip
            continue
        cost, f2, v2 = _priced(units, price, years, currency)
        lines.append(CostLine(
            **base, unit_price=price.unit_price, period=price.period,  # type: ignore[arg-type]
            cost=cost, formula=f"{formula}; cost = {f2}", values=f"{values}; {v2} = {fmt(cost)}",
            status="priced", price_source=price.label,
        ))  # fmt: skip
    return rows, lines


def _edition(ws: WindowsServerRule, stacked: bool) -> Edition:
    return next(e for e in ws.editions if (e.vms_per_licensing is not None) == stacked)


def _once(units: int, price: BookPrice | None, years: int) -> float | None:
    if price is None:
        return None
    return units * price.unit_price * (years if price.period == "year" else 1)


Choice = Literal["standard", "datacenter"]


def _choose(
    c_std: float | None, c_dc: float | None, stacks: int, cores: int, currency: str
) -> tuple[Choice | None, str]:
    std = f"Standard: {stacks} × {cores} cores"
    dc = f"Datacenter: {cores} cores"
    if c_std is None and c_dc is None:
        return None, f"{std} or {dc}: both {NEEDS_PRICE}"
    if c_dc is None or (c_std is not None and c_std <= c_dc):
        tail = f" ≤ Datacenter {fmt(c_dc)} {currency}" if c_dc is not None else ""
        return "standard", f"{std} = {fmt(c_std or 0)} {currency}{tail}"
    tail = f" < Standard {fmt(c_std)} {currency}" if c_std is not None else ""
    return "datacenter", f"{dc} = {fmt(c_dc)} {currency}{tail}"


def _hardware(hosts: list[CostHost], years: int, currency: str) -> list[CostLine]:
    """Per host model: the hosts' price, and their yearly support and power when given."""
    counts: dict[str, tuple[HostModel, int]] = {}
    for h in hosts:
        if h.model is not None:
            m, n = counts.get(h.model.id, (h.model, 0))
            counts[h.model.id] = (m, n + 1)
    lines: list[CostLine] = []
    for m, n in counts.values():
        if m.cost is None:
            lines.append(CostLine(
                kind="hardware", product=m.id, name=m.label, metric="per host", units=n,
                unit_price=None, period=None, cost=None, formula="hosts × price of one host",
                values=f"{n} × ?", status="needs-price", price_source=NEEDS_PRICE,
                note="the host model has no cost",
            ))  # fmt: skip
        else:
            lines.append(CostLine(
                kind="hardware", product=m.id, name=m.label, metric="per host", units=n,
                unit_price=m.cost, period="one-off", cost=n * m.cost,
                formula="hosts × price of one host",
                values=f"{n} × {fmt(m.cost)} {currency} = {fmt(n * m.cost)}", status="priced",
                price_source="the plan's host model",
            ))  # fmt: skip
        yearly = [(w, v) for w, v in (("support", m.support_per_year),
                                       ("power", m.power_per_year)) if v is not None]  # fmt: skip
        for what, per_year in yearly:
            cost = n * per_year * years
            lines.append(CostLine(
                kind="hardware", product=f"{m.id}:{what}", name=f"{m.label}: {what}",
                metric="per host per year", units=n, unit_price=per_year, period="year",
                cost=cost, formula=f"hosts × {what} per year × years",
                values=f"{n} × {fmt(per_year)} {currency} × {years} = {fmt(cost)}",
                status="priced", price_source="the plan's host model",
            ))  # fmt: skip
    return lines


def _total(tid: str, title: str, lines: Sequence[CostLine], currency: str) -> Total:
    known = [ln for ln in lines if ln.cost is not None]
    missing = [ln for ln in lines if ln.cost is None]
    amount = sum(ln.cost or 0.0 for ln in known)
    values = " + ".join(fmt(ln.cost or 0.0) for ln in known) or "0"
    if missing:
        values += f" (left out: {', '.join(ln.name for ln in missing)})"
    return Total(
        id=tid, title=title, formula="Σ of the priced lines",
        values=f"{values} = {fmt(amount)} {currency}", amount=amount if known or not lines
        else None, complete=not missing,
    )  # fmt: skip


def cost_hypervisor(
    plan: Plan,
    profile: HypervisorProfile,
    catalog: Catalog,
    book: dict[str, BookPrice],
    currency: str,
    years: int,
    sizings: PlanSizings | None = None,
) -> HypervisorCost:
    hosts, own = hosts_for(plan, profile, sizings)
    warnings: list[str] = []
    licences = [
        _licence_line(r, hosts, book, years, currency)
        for r in profile.licensing
        if r.metric != "windows-server"
    ]
    host_licence = any(r.metric == "windows-server" for r in profile.licensing)
    covered = any(r.covers_windows_server_guests for r in profile.licensing)
    windows_vms = sum(v.count for v in plan.vms if v.os == "windows-server")
    rows: list[WindowsHost] = []
    win_lines: list[CostLine] = []
    if catalog.licensing is None:
        if windows_vms or host_licence:
            warnings.append("Windows Server licensing is not in the catalog: not counted")
    elif covered:
        if windows_vms:
            warnings.append(
                f"{plural(windows_vms, 'Windows Server VM')}: covered by the host licence"
            )
    elif windows_vms or host_licence:
        rows, win_lines = _windows(
            catalog.licensing.windows_server, hosts, host_licence, book, currency, years
        )
        if windows_vms and any(h.model is None for h in hosts):
            warnings.append("Windows Server cores unknown: the plan has no host model")
    clients = sum(v.count for v in plan.vms if v.os in WINDOWS_CLIENTS)
    if clients:
        warnings.append(
            f"{plural(clients, 'Windows client VM')}: Windows VDA or Microsoft 365 rights per "
            "user or device are not counted"
        )
    if windows_vms and plan.policy.failover_hosts:
        warnings.append(
            "Standard stacks count the Windows Server VMs laid out on each host; a host that "
            "takes VMs on failover needs licences for them too (Datacenter covers that)"
        )
    hardware = _hardware(hosts, years, currency)
    all_lines = [*licences, *win_lines]
    needs = [ln.name for ln in (*all_lines, *hardware) if ln.status == "needs-price"]
    for name in needs:
        warnings.append(f"{name}: {NEEDS_PRICE}; left out of the totals")
    t_lic = _total("licences", "Hypervisor licences", licences, currency)
    t_win = _total("windows", "Windows Server guests", win_lines, currency)
    t_hw = _total("hardware", "Hardware", hardware, currency)
    t_all = _total("total", f"Total over {plural(years, 'year')}", [*all_lines, *hardware],
                   currency)  # fmt: skip
    vms = plan.vm_count
    per_vm = Total(
        id="per_vm", title="Per VM", formula="total / VMs",
        values=f"{fmt(t_all.amount or 0)} / {vms}" if vms and t_all.amount is not None else
        "no VMs" if not vms else "no total",
        amount=(t_all.amount / vms) if vms and t_all.amount is not None else None,
        complete=t_all.complete,
    )  # fmt: skip
    return HypervisorCost(
        key=profile.key,
        title=profile.title,
        hosts=len(hosts),
        hosts_origin="plan" if own else "sized",
        licences=all_lines,
        windows=rows,
        hardware=hardware,
        totals=[t_lic, t_win, t_hw, t_all, per_vm],
        needs_price=needs,
        warnings=warnings,
    )


def check_years(years: int) -> int:
    if not 1 <= years <= MAX_HORIZON_YEARS:
        raise InputError(f"horizon_years: {years} is outside 1 to {MAX_HORIZON_YEARS}")
    return years


def cost_plan(
    plan: Plan,
    profiles: Sequence[HypervisorProfile],
    catalog: Catalog,
    years: int | None = None,
    sizings: PlanSizings | None = None,
) -> CostResult:
    """The cost of `plan` on each of `profiles`, over `years` (default: the plan's horizon).
    `sizings`: the plan's sizings, shared with whoever else needs them."""
    horizon = check_years(plan.horizon_years if years is None else years)
    book, currency, warnings = price_book(plan, catalog)
    return CostResult(
        horizon_years=horizon,
        currency=currency,
        vms=plan.vm_count,
        hypervisors=[
            cost_hypervisor(plan, p, catalog, book, currency, horizon, sizings) for p in profiles
        ],
        warnings=warnings,
    )
