"""What the plan's current layout offers against the engine's own packing: an administrator
pays for every migration, so an answer that needs no more hosts (or costs no more) and
moves fewer VMs is the better one.

- The current layout itself, when it keeps every rule: no VM moves. Ties go to it.
- Else the current layout with its least-loaded hosts emptied onto the others
  (`evacuate`), after taking off the VMs that break a rule (`broken_layout`): kept when it
  reaches the engine's hosts (or cost) moving fewer VMs.

The rules are the engine's: capacity per dimension and processor width, anti-affinity,
N+k by `failover.ensure`. Each answer is weighed by its hosts, cost and moves alone; only
the one chosen is turned into a `PlacementResult`, which at 10,000 VMs costs more than
the weighing.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from hvplanner.engine.placement import failover
from hvplanner.engine.placement.broken import broken_layout
from hvplanner.engine.placement.budget import Budget
from hvplanner.engine.placement.evacuate import evacuate
from hvplanner.engine.placement.packing import OpenBins
from hvplanner.engine.placement.problem import Problem
from hvplanner.engine.placement.stay import Stays, stays


@dataclass(frozen=True)
class Answer:
    """A layout weighed: its hosts in use (spares included), cost when costed, and which
    instances stay where they are."""

    bins: OpenBins
    outcome: failover.Outcome
    algorithm: str
    hosts: int
    cost: float | None
    stays: Stays

    @property
    def moved(self) -> int:
        return self.stays.moved


def weigh(problem: Problem, bins: OpenBins, outcome: failover.Outcome, algorithm: str) -> Answer:
    spares = set(outcome.spares)
    fixed = problem.fixed
    counted = [
        i
        for i, b in enumerate(bins.bins)
        if b.content or (b.fixed >= 0 and fixed[b.fixed].items) or i in spares
    ]
    models = problem.models
    cost = float(models.cost[bins.models()[counted]].sum()) if models.costed else None
    return Answer(bins, outcome, algorithm, len(counted), cost, stays(problem, bins, spares))


def keep_current(problem: Problem, k: int, answer: Answer, budget: Budget) -> Answer:
    """The answer to give: the engine's, or one of the current layout's (module text)."""
    found = broken_layout(problem)
    if found is None:
        return answer
    bins, off = found
    if not off:
        kept = weigh(problem, bins, failover.ensure(bins, k), "")
        why = _no_worse(problem, kept, answer)
        if why is not None:
            return dataclasses.replace(kept, algorithm=f"the current layout ({why})")
        if answer.moved == 0:
            return answer
        again = broken_layout(problem)  # afresh: `ensure` added spares to the first one
        assert again is not None
        bins, off = again
    elif answer.moved == 0:
        return answer
    return _evacuated(problem, k, answer, bins, off, budget)


def _evacuated(
    problem: Problem,
    k: int,
    answer: Answer,
    current: OpenBins,
    off: dict[int, int],
    budget: Budget,
) -> Answer:
    """`evacuate`'s layout when it reaches the answer's hosts (or cost) moving fewer VMs."""
    objective = answer.cost if problem.models.costed else answer.hosts
    if objective is None:
        return answer
    ev = evacuate(problem, current, k, objective, budget, off or None)
    if ev is None:
        return answer
    # A VM on no host that gets one is placed, not moved: it does not count against.
    unplaced = problem.flavors.total - sum(map(len, problem.flavors.home.values()))
    if ev.moved - unplaced >= answer.moved:
        return answer
    found = weigh(problem, ev.bins, ev.outcome, "")
    why = _no_worse(problem, found, answer)
    if why is None or found.moved >= answer.moved:
        return answer
    steps = []
    if off:
        taken = sum(off.values())
        steps.append(f"{'1 VM' if taken == 1 else f'{taken} VMs'} that broke a rule re-placed")
    if ev.emptied:
        emptied = "1 host" if ev.emptied == 1 else f"{ev.emptied} hosts"
        steps.append(f"{emptied} emptied onto the others")
    name = f"the current layout, {', '.join(steps)} ({why})"
    return dataclasses.replace(found, algorithm=name)


def _no_worse(problem: Problem, found: Answer, answer: Answer) -> str | None:
    """Why these hosts are no worse than the engine's answer on its objective (hosts, or
    cost when costed), for the result's algorithm; None when they are worse."""
    hosts = found.hosts
    plural = "host" if hosts == 1 else "hosts"
    if problem.models.costed:
        cost, best = found.cost, answer.cost
        if cost is None or best is None or cost > best * (1 + 1e-9):
            return None
        than = "as cheap as" if cost >= best * (1 - 1e-9) else "cheaper than"
        return f"{hosts} {plural} at cost {cost:,.0f}, {than} {answer.algorithm}"
    if hosts > answer.hosts:
        return None
    than = "as few as" if hosts == answer.hosts else "fewer than"
    return f"{hosts} {plural}, {than} {answer.algorithm}"
