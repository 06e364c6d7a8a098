"""The one assembler: a plan and everything the engines make of it, as one `Report`.

The JSON export, the PDF report and the CLI's summary are renderers of the Report this
builds, so they cannot disagree. Each part is computed only when asked for (placement and
simulation can take seconds); a part left out is null or empty, and `notes` say why.
Files are not read here: a measured workload's series come in as `measured`, loaded by
the caller (`formats.measured.load_plan_series`) the way `hvplanner simulate` loads them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime

import numpy as np

from hvplanner import __version__
from hvplanner.catalog import Catalog, load_catalog
from hvplanner.engine.assumptions import Assumptions, resolve_plan
from hvplanner.engine.compare import PlanSizings, plan_fit, with_plan_hypervisor
from hvplanner.engine.cost import cost_plan
from hvplanner.engine.placement import host_loads
from hvplanner.engine.placement.layout import lower_bounds
from hvplanner.engine.simulation.live import SPARK_POINTS, downsample_peak
from hvplanner.engine.simulation.profiles import FloatArray, MeasuredSeries
from hvplanner.engine.simulation.simulate import Simulator
from hvplanner.engine.sizing import size_plan
from hvplanner.errors import InputError, PlacementInputError
from hvplanner.model.hypervisor import HypervisorProfile
from hvplanner.model.placement import Bounds, PlacementResult
from hvplanner.model.plan import Plan
from hvplanner.model.report import Chart, ChartSeries, ReadinessRow, Report, Results
from hvplanner.model.simulation import SimulationResult

Progress = Callable[[int, int], bool]
"""progress(done, total) → False to stop; checked between the parts."""

CHART_POINTS = 400
BUSIEST_CHARTS = 3
METRICS = ("CPU", "RAM", "NIC")


class ReportCancelledError(Exception):
    """The progress callback asked to stop."""


def build_report(
    plan: Plan,
    profile: HypervisorProfile | None = None,
    *,
    catalog: Catalog | None = None,
    placement: PlacementResult | None = None,
    simulation: SimulationResult | None = None,
    place: bool = False,
    time_limit: float | None = None,
    simulate: bool = False,
    measured: Mapping[str, MeasuredSeries] | None = None,
    failure: tuple[Sequence[str], float] | None = None,
    layout: bool = False,
    fits: bool = False,
    cost: bool = False,
    charts: bool = False,
    readiness: Sequence[ReadinessRow] = (),
    notes: Sequence[str] = (),
    generated: datetime | None = None,
    progress: Progress | None = None,
) -> Report:
    """Size the plan and add the parts asked for.

    `placement` / `simulation`: results the caller already has. `place`: run a fresh
    placement (bounded by `time_limit`). `simulate`: simulate the plan as laid out (with
    the what-if `failure` = (hosts, minute) when given); `charts` adds the printable
    series. `layout`: each host's load and the lower bounds. `fits`: every hypervisor of
    the catalog sized on this plan. `cost`: the licences and hardware on the plan's
    hypervisor and the newest of every other (a bad price book is noted, not raised).
    """
    catalog = catalog or load_catalog()
    profile = profile or catalog.get(plan.hypervisor)
    steps = 1 + place + simulate + layout + fits
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        if progress is not None and not progress(done, steps):
            raise ReportCancelledError

    if progress is not None and not progress(0, steps):
        raise ReportCancelledError
    notes = list(notes)
    # One sizing per hypervisor for the summary, the comparison and the cost.
    sizings = PlanSizings(plan)
    sizing = sizings.on(profile) if profile.key == plan.hypervisor else size_plan(plan, profile)
    step()
    found_fits = plan_fit(plan, catalog.newest(), sizings) if fits else []
    if fits:
        step()
    found_cost = None
    if cost:
        try:
            compared = with_plan_hypervisor(plan, catalog.newest(), catalog.ordered())
            found_cost = cost_plan(plan, compared, catalog, sizings=sizings)
        except InputError as exc:
            notes.append(f"cost: {exc}")
    a = resolve_plan(plan, profile)
    loads, bounds = [], None
    if layout:
        loads = list(host_loads(plan, a).values()) if plan.hosts else []
        bounds = _bounds(plan, a)
        step()
    if place:
        placement = _place(plan, time_limit, notes)
        step()
    chart_data: list[Chart] = []
    sparks: dict[str, list[list[float]]] = {}
    if simulate:
        simulation, chart_data, sparks = _simulate(plan, profile, measured, failure, charts, notes)
        step()
    when = generated or datetime.now(UTC).replace(microsecond=0)
    results = Results(
        generated=when,
        hvplanner=__version__,
        hypervisor=profile.key,
        sizing=sizing,
        placement=placement,
        simulation=simulation,
        loads=loads,
        bounds=bounds,
        fits=found_fits,
        cost=found_cost,
        readiness=list(readiness),
        charts=chart_data,
        sparks=sparks,
        notes=notes,
    )
    return Report(plan=plan, results=results)


def full_report(
    plan: Plan,
    *,
    catalog: Catalog | None = None,
    place: bool = False,
    time_limit: float | None = None,
    measured: Mapping[str, MeasuredSeries] | None = None,
    failure: tuple[Sequence[str], float] | None = None,
    readiness: Sequence[ReadinessRow] = (),
    notes: Sequence[str] = (),
    progress: Progress | None = None,
) -> Report:
    """Every part the exports show: sizing, loads and bounds, the catalog's fits, the cost,
    the simulation with its charts, and a fresh placement when `place`."""
    return build_report(
        plan,
        catalog=catalog,
        place=place,
        time_limit=time_limit,
        simulate=True,
        measured=measured,
        failure=failure,
        layout=True,
        fits=True,
        cost=True,
        charts=True,
        readiness=readiness,
        notes=notes,
        progress=progress,
    )


def _bounds(plan: Plan, a: Assumptions) -> Bounds | None:
    try:
        return lower_bounds(plan, a)
    except InputError:  # a VM no host model can hold: the sizing's warnings say so
        return None


def _place(plan: Plan, time_limit: float | None, notes: list[str]) -> PlacementResult | None:
    if not plan.host_models:
        notes.append("placement: the plan has no host models")
        return None
    if not plan.vms:
        notes.append("placement: the plan has no VMs")
        return None
    from hvplanner.engine.placement import place
    from hvplanner.engine.placement.place import DEFAULT_TIME_LIMIT

    try:
        return place(plan, time_limit=time_limit or DEFAULT_TIME_LIMIT)
    except PlacementInputError as exc:
        notes.append(f"placement: {exc}")
        return None


def _simulate(
    plan: Plan,
    profile: HypervisorProfile,
    measured: Mapping[str, MeasuredSeries] | None,
    failure: tuple[Sequence[str], float] | None,
    charts: bool,
    notes: list[str],
) -> tuple[SimulationResult | None, list[Chart], dict[str, list[list[float]]]]:
    if not plan.hosts or not any(v.host is not None for v in plan.vms):
        notes.append("simulation: no VM is on a host yet (the plan as laid out is simulated)")
        return None, [], {}
    try:
        sim = Simulator(plan, profile, measured=measured)
        result = sim.fail(list(failure[0]), failure[1]) if failure else sim.result()
    except InputError as exc:  # e.g. a measured workload's CSV is missing
        notes.append(f"simulation: {exc}")
        return None, [], {}
    if not charts:
        return result, [], {}
    # The charts are of the plain run: a what-if's result is not theirs.
    plain = None if failure else result
    return result, chart_series(sim, result=plain), host_sparks(sim, result)


def _chart(title: str, series: FloatArray, caps: Sequence[float | None], sim: Simulator) -> Chart:
    lines = []
    for m, name in enumerate(METRICS):
        cap = caps[m]
        pct = series[m] / cap * 100 if cap else np.zeros(series.shape[1])
        small = downsample_peak(np.nan_to_num(np.asarray(pct, dtype=float)), CHART_POINTS)
        lines.append(ChartSeries(name=name, percent=[float(v) for v in small]))
    return Chart(
        title=title,
        days=sim.axis.days,
        headroom_pct=sim.assumptions.headroom * 100,
        series=lines,
    )


def host_sparks(sim: Simulator, result: SimulationResult) -> dict[str, list[list[float]]]:
    """Each host's CPU and RAM sparkline, as the canvas's cards draw them; none for a host
    with no VMs (nothing to draw) or an unknown capacity."""
    out: dict[str, list[list[float]]] = {}
    for row in result.hosts:
        caps = (row.cpu.capacity, row.ram.capacity)
        if not row.vms or not all(caps):
            continue
        series = sim.host_series(row.host)[:2]
        pct = np.stack([series[m] / float(caps[m] or 1) * 100 for m in range(2)])
        small = downsample_peak(np.nan_to_num(pct), SPARK_POINTS)
        out[row.host] = [[float(v) for v in line] for line in small]
    return out


def chart_series(
    sim: Simulator, busiest: int = BUSIEST_CHARTS, result: SimulationResult | None = None
) -> list[Chart]:
    """The cluster's chart and the busiest hosts' (by CPU peak). `result`: sim.result(),
    when the caller has it already."""
    result = sim.result() if result is None else result
    n = len(result.hosts)
    c = result.cluster
    out = [
        _chart(
            f"Cluster: {n} host{'s' if n != 1 else ''}, CPU, RAM and NIC in % of capacity",
            sim.series.sum(axis=1),
            [c.cpu.capacity, c.ram.capacity, c.nic.capacity],
            sim,
        )
    ]
    # With one host its chart is the cluster's: drawn once.
    ranked = sorted(result.hosts, key=lambda h: -(h.cpu.peak_pct or 0))[:busiest] if n > 1 else []
    for row in ranked:
        title = f"Host {row.label}: {row.vms} VM{'s' if row.vms != 1 else ''} (busiest by CPU peak)"
        caps = [row.cpu.capacity, row.ram.capacity, row.nic.capacity]
        out.append(_chart(title, sim.host_series(row.host), caps, sim))
    return out
