"""Utilization of every host and of the cluster, step by step, for a placed plan.

Demand per host and step, by metric:
- CPU: busy vCPUs (vCPUs × busy fraction), against the host's logical processors; when
  any VM gives `cpu_mhz`, MHz instead, against the host's MHz. `cpu_mhz` is the VM's
  measured peak, as in sizing: its demand is cpu_mhz × busy fraction(t) ÷ the profile's
  peak fraction (cpu_avg for constant, the series' maximum for measured, else cpu_peak),
  so it peaks at cpu_mhz. VMs without it count vCPUs × busy fraction × the host's core
  clock.
- RAM: active RAM (configured RAM × active fraction) + per-VM overhead, against the RAM
  left for VMs after the host reserve. RAM configured beyond that is overcommit: idle
  pages are ballooned first, active RAM that still does not fit is swapped.
- NIC: nic_mbps × busy fraction, against the host's NIC bandwidth.

Capacities come from HostCapacity: the 100 % line without headroom, the headroom line
with it. A VM entry with `count` n is one flavor: its series is computed once and
scaled by n, and the per-host sums are kept so that moving one VM recomputes two hosts.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from pydantic import TypeAdapter

from hvplanner.engine.assumptions import MB_PER_GB, HostCapacity, resolve
from hvplanner.engine.simulation import figures
from hvplanner.engine.simulation.failure import (
    FFD_RULE,
    Restart,
    RestartRule,
    restart_first_fit_decreasing,
)
from hvplanner.engine.simulation.profiles import (
    FloatArray,
    MeasuredSeries,
    ShapeBank,
    TimeAxis,
    cpu_peak_fraction,
    curves,
)
from hvplanner.model.hypervisor import HypervisorProfile
from hvplanner.model.plan import Plan
from hvplanner.model.simulation import (
    CpuSummary,
    CpuUnit,
    FailoverResult,
    HostSimulation,
    MetricSummary,
    PlacedInstances,
    RamSummary,
    SimulationResult,
    UnplacedVM,
)

IntArray = npt.NDArray[np.intp]
CPU, RAM, NIC = figures.CPU, figures.RAM, figures.NIC
_REL_EPS = figures.REL_EPS
_CPU_ROWS = TypeAdapter(list[CpuSummary])
_RAM_ROWS = TypeAdapter(list[RamSummary])
_NIC_ROWS = TypeAdapter(list[MetricSummary])
_HOST_ROWS = TypeAdapter(list[HostSimulation])
# Cells (hosts × steps) of one block of the aggregation: 512 KiB of float64, in cache.
_BLOCK_CELLS = 65536


@dataclasses.dataclass(frozen=True)
class Failure:
    """The what-if's series: demand (3, hosts, steps) after the restart, and capacities
    (3, hosts, steps) that drop to zero on the failed hosts from `step` on."""

    failed: frozenset[int]
    step: int
    restart: Restart
    series: FloatArray
    capacity: FloatArray
    headroom_line: FloatArray
    allocated: FloatArray


@dataclasses.dataclass(frozen=True)
class Pieces:
    """Instances of flavors on hosts: the unit the per-host sums are built from."""

    flavor: IntArray
    host: IntArray
    instances: FloatArray


def _opts(x: FloatArray) -> list[list[float | None]]:
    """Rows of `x` as lists, with None for what is not finite (an unknown capacity)."""
    return [[v if math.isfinite(v) else None for v in row] for row in x.tolist()]


class Simulator:
    """A plan's utilization series, kept current under VM moves."""

    def __init__(
        self,
        plan: Plan,
        hypervisor: HypervisorProfile,
        *,
        days: float = 7,
        step_minutes: float = 5,
        measured: Mapping[str, MeasuredSeries] | None = None,
        restart_rule: RestartRule = restart_first_fit_decreasing,
        restart_rule_text: str = FFD_RULE,
    ) -> None:
        if days <= 0 or step_minutes <= 0:
            raise ValueError("days and step_minutes must be > 0")
        self.plan = plan
        self.axis = TimeAxis(days, step_minutes)
        self.assumptions = a = resolve(plan.policy, hypervisor, plan.vms)
        full = dataclasses.replace(a, headroom=0.0)
        self.restart_rule = restart_rule
        self.restart_rule_text = restart_rule_text
        self.hosts = list(plan.hosts)
        self.host_index = {h.id: i for i, h in enumerate(self.hosts)}
        models = [plan.host_model(h.model) for h in self.hosts]
        # Hosts of one model have one capacity: computed once per model.
        distinct = {m.id: m for m in models}.values()
        of_model = {m.id: (HostCapacity.of(m, full), HostCapacity.of(m, a)) for m in distinct}
        self.cap_full = [of_model[m.id][0] for m in models]
        self.cap_head = [of_model[m.id][1] for m in models]
        vms = plan.vms
        # The VMs' fields as columns, in one pass: at 20,000 VMs each pass over the pydantic
        # objects costs milliseconds.
        columns = [(v.id, v.count, v.cpu_mhz, v.vcpu, v.ram_gb, v.nic_mbps, v.profile, v.host)
                   for v in vms]  # fmt: skip
        ids, counts, peaks, vcpus, rams, nics, kinds, placed = (
            (tuple(c) for c in zip(*columns, strict=True)) if columns else ((),) * 8
        )
        self.vm_index = {vm_id: i for i, vm_id in enumerate(ids)}
        at_peak = np.array([x is not None for x in peaks], dtype=bool)
        self.cpu_unit: CpuUnit = "MHz" if at_peak.any() else "LP"
        mhz = self.cpu_unit == "MHz"

        # RAM's 100 % is the RAM left for VMs (HostCapacity.ram_mb: less the host reserve),
        # not the physical RAM the canvas bar scales to: ballooning and swapping start when
        # the VMs' active RAM outgrows what they can have. The result says so
        # (host_reserve_mb), and so does the CLI.
        def caps(cs: Sequence[HostCapacity]) -> FloatArray:
            return np.array(
                [
                    [c.mhz if mhz else c.logical_processors for c in cs],
                    [c.ram_mb for c in cs],
                    [np.nan if c.nic_mbps is None else c.nic_mbps for c in cs],
                ]
            ).reshape(3, len(cs))

        self.capacity = caps(self.cap_full)
        self.headroom_line = caps(self.cap_head)
        self.core_mhz = np.array([m.ghz * 1000.0 for m in models])

        self.count = np.array(counts, dtype=np.float64)
        # Per instance at a busy fraction of 1: vCPUs (or peak MHz), configured RAM MB, Mbps.
        self.unit = np.zeros((len(vms), 3))
        self.unit[:, CPU] = np.array(vcpus, dtype=np.float64)
        if at_peak.any():
            self.unit[at_peak, CPU] = [x for x in peaks if x is not None]
        self.unit[:, RAM] = np.array(rams, dtype=np.float64) * MB_PER_GB
        self.unit[:, NIC] = np.array(nics, dtype=np.float64)
        self.per_core = ~at_peak if mhz else np.zeros(len(vms), dtype=bool)
        # The overhead depends on the size only: one call per distinct size.
        sizes = dict.fromkeys(zip(vcpus, rams, strict=True), 0.0)
        for vcpu, ram_gb in sizes:
            sizes[vcpu, ram_gb] = a.vm_overhead_mb(vcpu, ram_gb)
        self.overhead = np.array(
            [sizes[x] for x in zip(vcpus, rams, strict=True)], dtype=np.float64
        )

        bank = ShapeBank.new(self.axis)
        self.k = np.zeros((len(vms), 3), dtype=np.intp)
        self.a = np.zeros((len(vms), 3))
        self.b = np.zeros((len(vms), 3))
        # Bursty entries' spike intervals, all workloads end to end: entry i's are
        # spike_start/spike_end[spike_lo[i]:spike_hi[i]].
        self.spike_lo = np.zeros(len(vms), dtype=np.intp)
        self.spike_hi = np.zeros(len(vms), dtype=np.intp)
        starts: list[IntArray] = []
        ends: list[IntArray] = []
        spiked = 0
        by_workload: dict[str, list[int]] = {}
        for i, kind in enumerate(kinds):
            by_workload.setdefault(kind, []).append(i)
        for name, idx in by_workload.items():
            workload = plan.workload(name)
            c = curves(bank, workload, [ids[i] for i in idx], measured or {})
            self.k[idx], self.a[idx], self.b[idx] = c.k, c.a, c.b
            self.spike_lo[idx] = c.spikes.lo + spiked
            self.spike_hi[idx] = c.spikes.hi + spiked
            starts.append(c.spikes.start)
            ends.append(c.spikes.end)
            spiked += len(c.spikes.start)
            # cpu_mhz is the peak (sizing counts it whole), so the profile's own peak maps
            # to it; an idle profile (peak 0) keeps the VM at 0 MHz.
            top = cpu_peak_fraction(workload, measured or {})
            at_mhz = [i for i in idx if at_peak[i]]
            scale = 1.0 / top if top > 0 else 0.0
            self.a[at_mhz, CPU] *= scale
            self.b[at_mhz, CPU] *= scale
        self.shapes = bank.matrix()
        self.spike_start = np.concatenate([np.zeros(0, dtype=np.intp), *starts])
        self.spike_end = np.concatenate([np.zeros(0, dtype=np.intp), *ends])

        where = self.host_index
        self.host_of = np.array([-1 if h is None else where[h] for h in placed], dtype=np.intp)
        everything = np.arange(len(self.hosts), dtype=np.intp)
        self.series = self._aggregate(self._placed_pieces(), everything)
        # (3, steps) the cluster's demand, kept by moves: summing every host's series per
        # update would cost more than the move (at 1,500 hosts, 9 million additions).
        self.total: FloatArray = self.series.sum(axis=1)
        self.allocated = self._allocated(self._placed_pieces())
        self._rows: list[HostSimulation] = self._host_rows(everything)

    # -- building blocks ---------------------------------------------------------------

    def _placed_pieces(self, exclude_hosts: Sequence[int] = ()) -> Pieces:
        on = self.host_of >= 0
        if exclude_hosts:
            on &= ~np.isin(self.host_of, exclude_hosts)
        f = np.flatnonzero(on)
        return Pieces(f, self.host_of[f], self.count[f])

    def _coef(self, p: Pieces, metric: int) -> FloatArray:
        c: FloatArray = p.instances * self.unit[p.flavor, metric]
        if metric == CPU:
            c = c * np.where(self.per_core[p.flavor], self.core_mhz[p.host], 1.0)
        return c

    def _aggregate(self, p: Pieces, hosts: IntArray) -> FloatArray:
        """Demand series (3, len(hosts), steps) of the pieces that sit on `hosts`.

        Per host: a constant part, the shared shapes weighted by what their VMs add, and
        the bursty VMs' spikes as a difference array (+w where a spike starts, -w where
        it ends) summed along time. The cost follows the spikes and the hosts × steps,
        not the VMs × steps. Hosts go in blocks whose rows stay in the CPU cache."""
        steps = self.axis.steps
        n_hosts = len(hosts)
        out = np.zeros((3, n_hosts, steps))
        slot = np.full(len(self.hosts), -1, dtype=np.intp)
        slot[hosts] = np.arange(n_hosts)
        keep = np.flatnonzero(slot[p.host] >= 0)
        if len(keep) == 0:
            return out
        keep = keep[np.argsort(slot[p.host[keep]], kind="stable")]  # by host, then VM
        p = Pieces(p.flavor[keep], p.host[keep], p.instances[keep])
        pos = slot[p.host]
        coef = np.stack([self._coef(p, m) for m in range(3)], axis=1)
        level = coef * self.a[p.flavor]
        level[:, RAM] += p.instances * self.overhead[p.flavor]
        base = np.stack([np.bincount(pos, level[:, m], minlength=n_hosts) for m in range(3)])
        swing = coef * self.b[p.flavor]
        n_shapes = len(self.shapes)
        weight = np.stack(
            [
                np.bincount(
                    pos * n_shapes + self.k[p.flavor, m], swing[:, m], minlength=n_hosts * n_shapes
                ).reshape(n_hosts, n_shapes)
                for m in range(3)
            ]
        )
        # Only shapes that move and that some VM here follows: bursty and constant VMs
        # follow all-zero shapes.
        used = np.flatnonzero(weight.any(axis=(0, 1)) & self.shapes.any(axis=1))
        shapes = self.shapes[used]
        weight = weight[:, :, used]
        # The spikes of these pieces, in host order: (host, start) and (host, end) keys.
        lo = self.spike_lo[p.flavor]
        count = self.spike_hi[p.flavor] - lo
        piece = np.repeat(np.arange(len(count)), count)
        at = lo[piece] + np.arange(len(piece)) - (np.cumsum(count) - count)[piece]
        width = steps + 1
        row = pos[piece]
        begin = row * width + self.spike_start[at]
        end = row * width + self.spike_end[at]
        step_w = swing.T[:, piece]  # (3, spikes): each metric's weights contiguous
        block = max(_BLOCK_CELLS // width, 1)
        edges = np.searchsorted(row, np.arange(0, n_hosts + block, block))
        for j, h0 in enumerate(range(0, n_hosts, block)):
            h1 = min(h0 + block, n_hosts)
            e0, e1 = edges[j], edges[j + 1]
            keys = np.concatenate([begin[e0:e1], end[e0:e1]]) - h0 * width
            for m in range(3):
                w = step_w[m, e0:e1]
                counted = np.bincount(keys, np.concatenate([w, -w]), minlength=(h1 - h0) * width)
                # (without keys bincount answers integers)
                diff = counted.astype(np.float64, copy=False).reshape(h1 - h0, width)
                diff[:, 0] += base[m, h0:h1]  # the constant part rides along the sum
                into = out[m, h0:h1]
                np.cumsum(diff[:, :steps], axis=1, out=into)
                # The running sum leaves rounding residue where spikes ended; never < 0.
                np.maximum(into, 0.0, out=into)
                if len(used):
                    into += weight[m, h0:h1] @ shapes
        return out

    def _allocated(self, p: Pieces) -> FloatArray:
        """Configured RAM + overhead per host: what the guests were promised."""
        per = p.instances * (self.unit[p.flavor, RAM] + self.overhead[p.flavor])
        out: FloatArray = np.bincount(p.host, per, minlength=len(self.hosts)).astype(np.float64)
        return out

    def _instances(self, p: Pieces) -> FloatArray:
        out: FloatArray = np.bincount(p.host, p.instances, minlength=len(self.hosts)).astype(
            np.float64
        )
        return out

    # -- summaries -------------------------------------------------------------------

    def _summaries(
        self,
        demand: FloatArray,
        cap: FloatArray,
        head: FloatArray,
        allocated: FloatArray,
    ) -> tuple[list[CpuSummary], list[RamSummary], list[MetricSummary]]:
        """Per row: demand (3, n, T); cap and head (3, n, T or 1); allocated (n, T or 1)."""
        step = self.axis.step_minutes
        if cap.shape[2] == 1 and head.shape[2] == 1 and allocated.shape[1] == 1:
            f = figures.steady(demand, cap[:, :, 0], head[:, :, 0], allocated[:, 0], step)
        else:
            f = figures.varying(demand, cap, head, allocated, step)
        units = (self.cpu_unit, "MB", "Mbps")
        n = demand.shape[1]
        with np.errstate(invalid="ignore"):
            # Survivors' capacity after a failure, when it differs from the start: the
            # cluster's percentages use the capacity of each step.
            after = (f.end_cap > 0) & (f.end_cap != f.start_cap)
        # Arrays to Python lists once: one conversion per figure, not one per cell.
        columns = {
            "capacity": _opts(f.start_cap),
            "capacity_after": _opts(np.where(after, f.end_cap, np.nan)),
            "headroom_line": _opts(f.start_head),
            "peak": f.peak.tolist(),
            "p95": f.p95.tolist(),
            "mean": f.mean.tolist(),
            "peak_pct": _opts(f.peak_pct),
            "p95_pct": _opts(f.p95_pct),
            "minutes_over_headroom": _opts(f.over_head),
            "minutes_over_capacity": _opts(f.over_cap),
        }

        def rows(m: int, **more: list[float]) -> list[dict[str, Any]]:
            names = ["unit", *columns, *more]
            cells = zip(
                [units[m]] * n, *(v[m] for v in columns.values()), *more.values(), strict=True
            )
            return [dict(zip(names, r, strict=True)) for r in cells]

        # Validated as lists in one call each (pydantic-core): at 1,000 hosts, twice as
        # fast as building the 3,000 models one by one.
        cpu = _CPU_ROWS.validate_python(
            rows(
                CPU,
                contention_peak_pct=f.contention_peak.tolist(),
                contention_mean_pct=f.contention_mean.tolist(),
            )
        )
        ram = _RAM_ROWS.validate_python(
            rows(
                RAM,
                allocated_mb=f.allocated.tolist(),
                ballooned_peak_mb=f.ballooned_peak.tolist(),
                swapped_peak_mb=f.swapped_peak.tolist(),
            )
        )
        nic = _NIC_ROWS.validate_python(rows(NIC))
        return cpu, ram, nic

    def _host_rows(self, hosts: IntArray) -> list[HostSimulation]:
        cpu, ram, nic = self._summaries(
            self.series if len(hosts) == len(self.hosts) else self.series[:, hosts],
            self.capacity[:, hosts, None],
            self.headroom_line[:, hosts, None],
            self.allocated[hosts, None],
        )
        inst = self._instances(self._placed_pieces()).astype(np.int64).tolist()
        return _HOST_ROWS.validate_python(
            [
                {
                    "host": self.hosts[h].id,
                    "label": self.hosts[h].name or self.hosts[h].id,
                    "model": self.hosts[h].model,
                    "vms": inst[h],
                    "cpu": cpu[j],
                    "ram": ram[j],
                    "nic": nic[j],
                }
                for j, h in enumerate(hosts.tolist())
            ]
        )

    def _cluster_row(
        self, series: FloatArray, cap: FloatArray, head: FloatArray, allocated: FloatArray
    ) -> HostSimulation:
        # Unknown NIC capacity on some hosts leaves the cluster's NIC capacity unknown.
        total = self.total if series is self.series else series.sum(axis=1)
        cpu, ram, nic = self._summaries(
            total[:, None, :],
            cap.sum(axis=1, keepdims=True),
            head.sum(axis=1, keepdims=True),
            allocated.sum(axis=0, keepdims=True),
        )
        return HostSimulation(
            host="cluster",
            label="cluster",
            model="",
            vms=int(self.count[self.host_of >= 0].sum()),
            cpu=cpu[0],
            ram=ram[0],
            nic=nic[0],
        )

    def _unplaced(self) -> list[UnplacedVM]:
        return [
            UnplacedVM(vm=self.plan.vms[i].id, instances=int(self.count[i]))
            for i in np.flatnonzero(self.host_of < 0)
        ]

    def _warnings(self) -> list[str]:
        out: list[str] = []
        lost = int(self.count[self.host_of < 0].sum())
        if lost:
            out.append(f"{lost} VM instance(s) have no host and are not in the series")
        no_nic = [
            self.hosts[h].id for h in range(len(self.hosts)) if np.isnan(self.capacity[NIC, h])
        ]
        if no_nic:
            out.append(f"NIC capacity unknown (host model lists no NICs): {', '.join(no_nic)}")
        return out

    # -- public ----------------------------------------------------------------------

    def result(self) -> SimulationResult:
        return SimulationResult(
            plan=self.plan.name,
            hypervisor=self.assumptions.profile.key,
            days=self.axis.days,
            step_minutes=self.axis.step_minutes,
            steps=self.axis.steps,
            cpu_unit=self.cpu_unit,
            hosts=list(self._rows),
            cluster=self._cluster_row(
                self.series,
                self.capacity[:, :, None],
                self.headroom_line[:, :, None],
                self.allocated[:, None],
            ),
            unplaced=self._unplaced(),
            host_reserve_mb=self.assumptions.host_reserve.value,
            warnings=self._warnings(),
        )

    def host_rows(self) -> list[HostSimulation]:
        """The hosts' summaries of `result()`, without building the cluster's."""
        return list(self._rows)

    def host_series(self, host_id: str) -> FloatArray:
        """Demand (3, steps) of one host: CPU, RAM MB, NIC Mbps. A view: do not modify."""
        return self.series[:, self.host_index[host_id]]

    def move(self, vm_id: str, host_id: str | None) -> None:
        """Put a VM entry (all its instances) on another host; recomputes only the two hosts."""
        self.move_many({vm_id: host_id})

    def move_many(self, moves: Mapping[str, str | None]) -> None:
        """Several moves at once: each host they touch is recomputed once (every move alone
        would read every VM once; after a drag of many, that was most of the update)."""
        hosts: set[int] = set()
        for vm_id, host_id in moves.items():
            f = self.vm_index[vm_id]
            old = int(self.host_of[f])
            new = -1 if host_id is None else self.host_index[host_id]
            if old != new:
                self.host_of[f] = new
                hosts |= {old, new}
        touched = np.array(sorted(hosts - {-1}), dtype=np.intp)
        if len(touched) == 0:
            return
        pieces = self._placed_pieces()
        fresh = self._aggregate(pieces, touched)
        self.total += fresh.sum(axis=1) - self.series[:, touched].sum(axis=1)
        self.series[:, touched] = fresh
        self.allocated[touched] = self._allocated(pieces)[touched]
        for j, row in zip(touched, self._host_rows(touched), strict=True):
            self._rows[j] = row

    def failure(self, host_ids: Sequence[str], at_minute: float) -> Failure:
        """The series of the what-if: these hosts stop at `at_minute`, their VMs restart."""
        failed = {self.host_index[h] for h in host_ids}
        t0 = self.axis.step_at(at_minute)
        restart = self.restart_rule(
            self.plan, self.assumptions, self.cap_full, list(self.host_of), failed
        )
        survivors = self._placed_pieces(exclude_hosts=sorted(failed))
        moved = np.array(restart.placed, dtype=np.intp).reshape(-1, 4)
        after = Pieces(
            np.r_[survivors.flavor, moved[:, 0]].astype(np.intp),
            np.r_[survivors.host, moved[:, 2]].astype(np.intp),
            np.r_[survivors.instances, moved[:, 3]].astype(np.float64),
        )
        everything = np.arange(len(self.hosts), dtype=np.intp)
        post = self._aggregate(after, everything)
        series = self.series.copy()
        series[:, :, t0:] = post[:, :, t0:]
        alive = np.ones((len(self.hosts), self.axis.steps))
        alive[sorted(failed), t0:] = 0.0
        alloc = np.where(
            np.arange(self.axis.steps) < t0,
            self.allocated[:, None],
            self._allocated(after)[:, None],
        )
        return Failure(
            failed=frozenset(failed),
            step=t0,
            restart=restart,
            series=series,
            capacity=self.capacity[:, :, None] * alive,
            headroom_line=self.headroom_line[:, :, None] * alive,
            allocated=alloc,
        )

    def fail(self, host_ids: Sequence[str], at_minute: float) -> SimulationResult:
        """The what-if: these hosts stop at `at_minute`; their VMs restart by the rule."""
        return self.failure_result(self.failure(host_ids, at_minute))

    def failure_result(self, f: Failure) -> SimulationResult:
        """The summaries of a what-if computed by `failure` (on the current placement)."""
        failed, t0, restart = f.failed, f.step, f.restart
        series, cap, head, alloc = f.series, f.capacity, f.headroom_line, f.allocated
        cpu, ram, nic = self._summaries(series, cap, head, alloc)
        inst = self._instances(self._placed_pieces())
        rows = [
            HostSimulation(
                host=h.id,
                label=h.name or h.id,
                model=h.model,
                vms=int(inst[i]),
                failed_at_minute=t0 * self.axis.step_minutes if i in failed else None,
                cpu=cpu[i],
                ram=ram[i],
                nic=nic[i],
            )
            for i, h in enumerate(self.hosts)
        ]
        overloaded = [
            r.host
            for i, r in enumerate(rows)
            if i not in failed
            and t0 < self.axis.steps
            and (
                bool((series[CPU, i, t0:] > self.capacity[CPU, i] * (1 + _REL_EPS)).any())
                or bool((series[RAM, i, t0:] > self.capacity[RAM, i] * (1 + _REL_EPS)).any())
            )
        ]
        ids = [v.id for v in self.plan.vms]
        failover = FailoverResult(
            failed_hosts=[self.hosts[h].id for h in sorted(failed)],
            at_minute=t0 * self.axis.step_minutes,
            rule=self.restart_rule_text,
            restarted=[
                PlacedInstances(
                    vm=ids[i], from_host=self.hosts[s].id, to_host=self.hosts[d].id, instances=n
                )
                for i, s, d, n in restart.placed
            ],
            unplaced=[
                PlacedInstances(vm=ids[i], from_host=self.hosts[s].id, to_host=None, instances=n)
                for i, s, n in restart.unplaced
            ],
            held=not restart.unplaced,
            overloaded_hosts=overloaded,
            failover_hosts_planned=self.plan.policy.failover_hosts,
        )
        return SimulationResult(
            plan=self.plan.name,
            hypervisor=self.assumptions.profile.key,
            days=self.axis.days,
            step_minutes=self.axis.step_minutes,
            steps=self.axis.steps,
            cpu_unit=self.cpu_unit,
            hosts=rows,
            cluster=self._cluster_row(series, cap, head, alloc),
            unplaced=self._unplaced(),
            host_reserve_mb=self.assumptions.host_reserve.value,
            failover=failover,
            warnings=self._warnings(),
        )


def simulate(
    plan: Plan,
    hypervisor: HypervisorProfile,
    *,
    days: float = 7,
    step_minutes: float = 5,
    fail: Sequence[str] = (),
    at_minute: float = 0.0,
    measured: Mapping[str, MeasuredSeries] | None = None,
) -> SimulationResult:
    """The plan's hosts step by step (or the what-if of failing `fail` at `at_minute`).

    A VM's `cpu_mhz` is its peak demand, as in sizing: over time it asks
    cpu_mhz × (the profile's CPU fraction at t ÷ the profile's peak CPU fraction), so a
    plan sized to exactly fit by MHz peaks at 100 % of its hosts' MHz.
    """
    sim = Simulator(plan, hypervisor, days=days, step_minutes=step_minutes, measured=measured)
    if fail:
        return sim.fail(fail, at_minute)
    return sim.result()
