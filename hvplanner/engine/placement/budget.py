"""How much work the optimizing stages may do, counted in iterations and nodes, not seconds.

A budget in work gives the same plan the same placement on every run and under any CPU
load. The caller's time limit scales it (the default limit gives the default budget; a
larger limit a larger one) and is also kept as a wall-clock safety net for the whole
call: a stage that reaches either limit stops, keeps the best answer it has, and says so
in `stops`, which the result reports together with the gap to the bound that it leaves.

A caller may also pass a `cancel` function (the window's Cancel button): every stage that
polls the budget stops as soon as it returns True, HiGHS included, and `place` then raises
`PlacementCancelled` instead of returning a half-optimized answer.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from hvplanner.engine.timelimit import DEFAULT_TIME_LIMIT

# Work per stage at the default limit. Chosen so every benchmark plan finishes its
# stages well within the default limit on one core of the 2-core CI machine (see
# bench/RESULTS.md): a budget that stops a stage early is then the exception.
CG_ITERATIONS = 300  # column-generation rounds (one master LP and one pricing pass each)
PRICING_ROUNDS_CLASSES = 8  # exact pricing rounds over size classes (no bound needed there)
PRICING_NODES = 500  # branch-and-bound nodes per pricing knapsack
MASTER_NODES = 400  # nodes of the integer master over the generated patterns
EXACT_NODES = 2_000  # nodes of the exact model of tiny plans
REPAIR_MOVES = 60_000  # VM instances the per-VM repair may try to move


class PlacementCancelled(Exception):  # noqa: N818 - a request, not a failure
    """The caller's cancel function asked the placement to stop."""


@dataclass
class Budget:
    scale: float
    deadline: float  # time.perf_counter() value past which every stage stops
    stops: list[str] = field(default_factory=list)
    cancel: Callable[[], bool] | None = None

    @classmethod
    def of(
        cls,
        time_limit: float,
        start: float | None = None,
        cancel: Callable[[], bool] | None = None,
    ) -> Budget:
        t0 = time.perf_counter() if start is None else start
        return cls(
            scale=max(time_limit, 0.0) / DEFAULT_TIME_LIMIT,
            deadline=t0 + time_limit,
            cancel=cancel,
        )

    @property
    def cancelled(self) -> bool:
        return self.cancel is not None and self.cancel()

    def check(self) -> None:
        """Raise `PlacementCancelled` if the caller asked to stop."""
        if self.cancelled:
            raise PlacementCancelled

    def watch(self, h: Any) -> None:
        """Let a cancel interrupt a HiGHS solve (simplex, interior point and MIP)."""
        if self.cancel is None:
            return
        cancel = self.cancel

        def interrupt(event: Any) -> None:
            if cancel():
                event.interrupt()

        h.cbSimplexInterrupt += interrupt
        h.cbIpmInterrupt += interrupt
        h.cbMipInterrupt += interrupt

    def units(self, base: int) -> int:
        return max(1, int(base * self.scale))

    def left(self) -> float:
        """Wall seconds left for the whole call (never below a token amount)."""
        if self.cancelled:
            return 0.01
        return max(self.deadline - time.perf_counter(), 0.01)

    def expired(self) -> bool:
        return time.perf_counter() >= self.deadline or self.cancelled

    def stop(self, stage: str, why: str) -> None:
        line = f"{stage} stopped at {why}"
        if line not in self.stops:
            self.stops.append(line)
