"""How much work the optimizing stages may do, counted in iterations and nodes, not seconds.

A budget in work gives the same plan the same placement on every run and under any CPU
load. The caller's time limit scales it (the default limit gives the default budget; a
larger limit a larger one) and is also kept as a wall-clock safety net for the whole
call: a stage that reaches either limit stops, keeps the best answer it has, and says so
in `stops`, which the result reports together with the gap to the bound that it leaves.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

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


@dataclass
class Budget:
    scale: float
    deadline: float  # time.perf_counter() value past which every stage stops
    stops: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, time_limit: float, start: float | None = None) -> Budget:
        t0 = time.perf_counter() if start is None else start
        return cls(scale=max(time_limit, 0.0) / DEFAULT_TIME_LIMIT, deadline=t0 + time_limit)

    def units(self, base: int) -> int:
        return max(1, int(base * self.scale))

    def left(self) -> float:
        """Wall seconds left for the whole call (never below a token amount)."""
        return max(self.deadline - time.perf_counter(), 0.01)

    def expired(self) -> bool:
        return time.perf_counter() >= self.deadline

    def stop(self, stage: str, why: str) -> None:
        line = f"{stage} stopped at {why}"
        if line not in self.stops:
            self.stops.append(line)
