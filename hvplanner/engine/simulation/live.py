"""What the live utilization views draw, kept current under plan edits, without Qt.

LiveSimulation wraps a Simulator: a plan that differs from the last one only in where
VMs sit is applied with Simulator.move (two hosts per VM); anything else rebuilds. A
host-failure what-if stays set across edits and is recomputed after each one.

Percentages are of each host's capacity at the start, so a failed host's line drops to
zero; the cluster's percentage is of the capacity of the hosts in use (those with VMs)
still alive, so it jumps when a host fails. Empty hosts are left out: twenty-eight empty
spares would otherwise dilute twelve hosts at 120 % to a harmless-looking 35 %.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import cast

import numpy as np
import numpy.typing as npt

from hvplanner.engine.simulation.profiles import FloatArray, MeasuredSeries
from hvplanner.engine.simulation.simulate import Failure, Simulator
from hvplanner.model.edits import same_but
from hvplanner.model.hypervisor import HypervisorProfile
from hvplanner.model.plan import Plan
from hvplanner.model.simulation import FailoverResult, SimulationResult

CLUSTER = "cluster"
SPARK_POINTS = 60
# Real time → simulated time multipliers offered by the live views.
SPEEDS = (1, 10, 100, 1000)


def rebuild_after(vms: int) -> int:
    """Moves beyond which building anew is faster than moving one VM at a time.

    A move recomputes two hosts' summaries (about 0.8 ms at 2,000 VMs on 100 hosts); a
    build grows with the VMs (about 60 ms there). Auto-place moves nearly every VM: one by
    one that took 2.3 s.
    """
    return max(8, vms // 32)


def moved_vms(old: Plan, new: Plan, limit: int | None = None) -> dict[str, str | None] | None:
    """VM id → new host for VMs that moved, when moves are all that differ; else None.

    Plans share unchanged objects (edits copy only what they touch), so the identity
    test skips almost every VM of a large plan. With `limit`, more moves than that give
    None too, found as soon as they are: after Auto-place nearly every VM differs, and
    comparing them all only to build anew took longer than the window's other work.
    """
    if (
        old.hypervisor != new.hypervisor
        or old.policy != new.policy
        or old.host_models != new.host_models
        or old.hosts != new.hosts
        or old.workloads != new.workloads
        or len(old.vms) != len(new.vms)
    ):
        return None
    moves: dict[str, str | None] = {}
    for a, b in zip(old.vms, new.vms, strict=True):
        if a is b:
            continue
        # Pinning does not change the load, so a pin is neither a move nor a rebuild.
        if not same_but(a, b, ("host", "pinned")):
            return None
        if a.host != b.host:
            moves[b.id] = b.host
            if limit is not None and len(moves) > limit:
                return None
    return moves


def downsample_peak(values: FloatArray, points: int) -> FloatArray:
    """The last axis cut into `points` buckets, each kept at its peak (NaN ignored).

    Peaks, not means: a sparkline that averaged a 20-minute spike away would hide the
    very thing it is there to show.
    """
    n = values.shape[-1]
    if n <= points:
        return values.copy()
    edges = np.linspace(0, n, points + 1).astype(np.intp)[:-1]
    with np.errstate(invalid="ignore"):
        out: FloatArray = np.fmax.reduceat(values, edges, axis=-1)
    return out


def _percent(demand: FloatArray, capacity: FloatArray) -> FloatArray:
    with np.errstate(divide="ignore", invalid="ignore"):
        valid = np.isfinite(capacity) & (capacity > 0)
        out: FloatArray = np.where(valid, demand / np.where(valid, capacity, 1.0), np.nan) * 100.0
    return out


class LiveSimulation:
    """A plan's utilization in percent per host and for the cluster, with an optional failure."""

    def __init__(
        self,
        plan: Plan,
        hypervisor: HypervisorProfile,
        *,
        days: float = 7,
        step_minutes: float = 5,
        measured: Mapping[str, MeasuredSeries] | None = None,
    ) -> None:
        self.days = days
        self.step_minutes = step_minutes
        self.sim = self._build(plan, hypervisor, measured)
        self.retired = False
        self.failed_hosts: tuple[str, ...] = ()
        self.fail_minute = 0.0
        self._failure: Failure | None = None
        self._result: SimulationResult | None = None

    @property
    def plan(self) -> Plan:
        return self.sim.plan

    @property
    def period_minutes(self) -> float:
        return self.sim.axis.steps * self.sim.axis.step_minutes

    def minutes(self) -> FloatArray:
        return self.sim.axis.minutes()

    def _build(
        self,
        plan: Plan,
        hypervisor: HypervisorProfile,
        measured: Mapping[str, MeasuredSeries] | None,
    ) -> Simulator:
        return Simulator(
            plan, hypervisor, days=self.days, step_minutes=self.step_minutes, measured=measured
        )

    def update(
        self,
        plan: Plan,
        hypervisor: HypervisorProfile,
        measured: Mapping[str, MeasuredSeries] | None = None,
    ) -> frozenset[str] | None:
        """Follows an edit; returns the hosts whose series changed (None: maybe all)."""
        moves = self.moves_to(plan)
        if moves is not None:
            return self.apply_moves(plan, moves)
        self.sim = self._build(plan, hypervisor, measured)
        self.retired = False
        self._keep_failure()
        return None

    def retire(self) -> None:
        """This simulation is only shown until a rebuild replaces it: it follows no more
        moves (`moves_to` answers None, so an edit rebuilds it). Call `shrink` next."""
        self.retired = True

    def shrink(self) -> None:
        """Halves the series of a retired simulation (float32): while the rebuild runs, the
        old and the new series are both in memory, at 30,000 VMs on 1,500 hosts 73 MB each.
        The views draw percentages of it, where float32's 7 digits are below a pixel and
        below the figures' last digit; no move is added to it any more, so no rounding
        accumulates. The series is swapped by one assignment, so a reader on another thread
        sees the old array or the new one, both whole."""
        if not self.retired:
            raise ValueError("only a retired simulation is shrunk")
        # The annotation says float64: every reader takes either, and the arithmetic it
        # does with the float64 capacities answers float64.
        self.sim.series = cast(FloatArray, self.sim.series.astype(np.float32, copy=False))

    def moves_to(self, plan: Plan) -> dict[str, str | None] | None:
        """The VM moves that bring the simulation to `plan`, or None when it must be built
        anew (something besides placement differs, or so much moved that a build is faster,
        or it is retired).
        """
        if self.retired:
            return None
        return moved_vms(self.sim.plan, plan, rebuild_after(len(plan.vms)))

    def apply_moves(self, plan: Plan, moves: Mapping[str, str | None]) -> frozenset[str] | None:
        """Follows `plan` by the moves `moves_to` found; the hosts whose series changed."""
        before = {v.id: v.host for v in self.sim.plan.vms if v.id in moves}
        self.sim.move_many(moves)
        self.sim.plan = plan
        hosts = {h for h in [*before.values(), *moves.values()] if h is not None}
        self._keep_failure()
        # A failure's restarts depend on every host's VMs, so any edit may change them all.
        return None if self.failed_hosts else frozenset(hosts)

    def take_failure(self, other: LiveSimulation) -> None:
        """The what-if `other` has, on this simulation (a rebuild of the same plan)."""
        self.failed_hosts = other.failed_hosts
        self.fail_minute = other.fail_minute
        self._keep_failure()

    def _keep_failure(self) -> None:
        self.failed_hosts = tuple(h for h in self.failed_hosts if h in self.sim.host_index)
        self._refail()

    def set_failure(self, hosts: Iterable[str], at_minute: float) -> None:
        """Fails `hosts` at `at_minute` (every failed host stops at the same time)."""
        known = self.sim.host_index
        self.failed_hosts = tuple(dict.fromkeys(h for h in hosts if h in known))
        if len(self.failed_hosts) >= len(self.sim.hosts):
            raise ValueError("at least one host must survive")
        self.fail_minute = min(max(at_minute, 0.0), self.period_minutes)
        self._refail()

    def clear_failure(self, hosts: Iterable[str] | None = None) -> None:
        gone = set(self.failed_hosts if hosts is None else hosts)
        self.failed_hosts = tuple(h for h in self.failed_hosts if h not in gone)
        self._refail()

    def _refail(self) -> None:
        self._result = None
        self._failure = (
            self.sim.failure(self.failed_hosts, self.fail_minute) if self.failed_hosts else None
        )

    @property
    def failover(self) -> FailoverResult | None:
        return self.result().failover if self._failure is not None else None

    def result(self) -> SimulationResult:
        if self._result is None:
            f = self._failure
            self._result = self.sim.result() if f is None else self.sim.failure_result(f)
        return self._result

    def failed_at(self, host: str) -> float | None:
        """The minute the host stops in the what-if (on the step grid), or None."""
        if host not in self.failed_hosts or self._failure is None:
            return None
        return self._failure.step * self.sim.axis.step_minutes

    def _demand(self) -> FloatArray:
        return self.sim.series if self._failure is None else self._failure.series

    def in_use(self) -> npt.NDArray[np.bool_]:
        """(hosts,) the hosts with VMs at the start; every host when none has any (the
        cluster line then reads 0 % rather than nothing)."""
        used: npt.NDArray[np.bool_] = self.sim.allocated > 0
        return used if used.any() else np.ones_like(used)

    def hosts_in_use(self) -> int:
        """How many hosts the cluster figures average over."""
        return int((self.sim.allocated > 0).sum())

    def percent(self, host: str) -> FloatArray:
        """(3, steps) CPU, RAM, NIC percent of a host's capacity or, for CLUSTER, of the
        capacity of the hosts in use alive at each step. NaN where the capacity is unknown."""
        demand = self._demand()
        if host == CLUSTER:
            if self._failure is None:
                cap = self.sim.capacity[:, self.in_use()].sum(axis=1)
                return _percent(self.sim.total, cap[:, None])
            # After the failure, the survivors that took VMs are in use too.
            used = self._failure.allocated > 0
            used = used if used.any() else np.ones_like(used)
            return _percent(demand.sum(axis=1), (self._failure.capacity * used).sum(axis=1))
        i = self.sim.host_index[host]
        return _percent(demand[:, i], self.sim.capacity[:, i, None])

    def headroom_pct(self, host: str) -> FloatArray:
        """(3,) the headroom line as a percent of capacity (NaN: capacity unknown)."""
        sim = self.sim
        if host == CLUSTER:
            used = self.in_use()
            return _percent(
                sim.headroom_line[:, used].sum(axis=1), sim.capacity[:, used].sum(axis=1)
            )
        i = sim.host_index[host]
        return _percent(sim.headroom_line[:, i], sim.capacity[:, i])

    def capacity(self, host: str) -> FloatArray:
        """(3,) the 100 % line in the simulation's units (CPU unit, MB, Mbps)."""
        if host == CLUSTER:
            out: FloatArray = self.sim.capacity.sum(axis=1)
            return out
        c: FloatArray = self.sim.capacity[:, self.sim.host_index[host]]
        return c

    def sparks(
        self, hosts: Sequence[str] | None = None, points: int = SPARK_POINTS
    ) -> dict[str, FloatArray]:
        """Host id → (2, ≤ points) CPU and RAM percent, each point the peak of its bucket."""
        sim = self.sim
        ids = [h.id for h in sim.hosts] if hosts is None else [h for h in hosts]
        idx = np.array([sim.host_index[h] for h in ids], dtype=np.intp)
        pct = _percent(self._demand()[:2, idx], sim.capacity[:2, idx, None])
        small = downsample_peak(pct, points)
        return {h: small[:, j] for j, h in enumerate(ids)}


@dataclass
class Playback:
    """Simulated time for the live views: a position that advances at a speed and loops."""

    period_minutes: float
    minute: float = 0.0
    speed: float = 1.0
    playing: bool = False

    def advance(self, real_seconds: float) -> float:
        """Moves on by `real_seconds` × speed when playing; wraps at the end of the period."""
        if self.playing and self.period_minutes > 0:
            self.minute = math.fmod(
                self.minute + real_seconds * self.speed / 60.0, self.period_minutes
            )
        return self.minute

    def seek(self, minute: float) -> float:
        self.minute = min(max(minute, 0.0), self.period_minutes)
        return self.minute
