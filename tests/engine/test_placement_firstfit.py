"""The indexed per-VM first fit decreasing, and the engine never losing to a plain FFD."""

from __future__ import annotations

import numpy as np
import pytest

from bench.placement import cloud_plan, distinct_plan, uniform_plan
from hvplanner.engine.placement import assumptions_for
from hvplanner.engine.placement.firstfit import first_fit_index, one_copy_thresholds
from hvplanner.engine.placement.heuristics import ffd, first_fit, sort_keys
from hvplanner.engine.placement.packing import OpenBins
from hvplanner.engine.placement.problem import Problem, build
from hvplanner.model.plan import VM, Host, Plan
from tests.engine.placement_helpers import placed


def _order(problem: Problem, model: int) -> np.ndarray:
    keys = sort_keys(problem, problem.flavors.count, model)["sum"]
    return np.argsort(-keys, kind="stable")


def _with_pinned(plan: Plan) -> Plan:
    # Two listed hosts, one already carrying a pinned VM: the first fit starts on them.
    model = plan.host_models[0].id
    hosts = [Host(id="old-1", model=model), Host(id="old-2", model=model)]
    pinned = VM(id="pinned", vcpu=4, ram_gb=100.0, disk_gb=200.0, host="old-1", pinned=True)
    return plan.model_copy(update={"hosts": hosts, "vms": [pinned, *plan.vms]})


@pytest.mark.parametrize(
    "plan",
    [
        uniform_plan(1_000, 2, seed=1_002),
        uniform_plan(600, 4, seed=7),
        distinct_plan(2_000, seed=2_007),
        _with_pinned(distinct_plan(500, seed=5)),
        # Flavors of many copies, three models that not every flavor fits.
        cloud_plan(2_000, seed=3, models=3),
    ],
    ids=["uniform-d2", "uniform-d4", "distinct", "pinned", "three-models"],
)
def test_indexed_first_fit_packs_exactly_as_first_fit(plan: Plan) -> None:
    problem = build(plan, assumptions_for(plan), None)
    count = problem.flavors.count
    for model in range(problem.models.m):
        order = _order(problem, model)
        slow = OpenBins(problem)
        first_fit(slow, count.copy(), order, model)
        fast = OpenBins(problem)
        assert first_fit_index(fast, count.copy(), order, model)
        assert [(b.model, b.fixed, b.content) for b in fast.bins] == [
            (b.model, b.fixed, b.content) for b in slow.bins
        ]
        # The same arithmetic too: residuals equal to the last bit.
        assert np.array_equal(fast.residual(), slow.residual())


def test_indexed_first_fit_stops_once_it_cannot_beat_the_answer_to_beat() -> None:
    plan = uniform_plan(1_000, 2, seed=1_002)
    problem = build(plan, assumptions_for(plan), None)
    count, order = problem.flavors.count, _order(problem, 0)
    hosts = len(ffd(problem, count.copy(), "sum", 0))
    assert first_fit_index(OpenBins(problem), count, order, 0, above=hosts + 1)
    stopped = OpenBins(problem)
    assert not first_fit_index(stopped, count, order, 0, above=hosts)
    assert len(stopped) < hosts


def test_indexed_first_fit_stops_early_when_the_vms_left_need_too_many_new_hosts() -> None:
    # Distinct sizes: first fit needs 85 hosts here, the size classes 78. Given 78 to
    # beat, it stops once the VMs left cannot fit in the room of the hosts that may
    # still take one plus fewer than 78 − open new hosts: after a few hundred VMs, not
    # at its 78th host.
    plan = distinct_plan(3_000, seed=3_007)
    problem = build(plan, assumptions_for(plan), None)
    count, order = problem.flavors.count, _order(problem, 0)
    assert len(ffd(problem, count.copy(), "sum", 0)) == 85
    stopped = OpenBins(problem)
    assert not first_fit_index(stopped, count, order, 0, above=78)
    placed_vms = sum(sum(b.content.values()) for b in stopped.bins)
    assert len(stopped) < 60
    assert placed_vms < 1_000


def test_one_copy_thresholds_are_where_the_fit_test_turns_true() -> None:
    rng = np.random.default_rng(11)
    dem = np.concatenate([rng.uniform(1e-4, 1e6, 2_000), [1.0, 3.0, 0.1, 1e-300, 7.68e3, 0.0]])
    t = one_copy_thresholds(dem[:, None])[:, 0]
    need = dem > 0
    d, tn = dem[need], t[need]
    assert np.all(tn / d + 1e-9 >= 1.0)
    below = np.nextafter(tn, -np.inf)
    assert not np.any(below / d + 1e-9 >= 1.0)
    assert np.all(t[~need] == -np.inf)


@pytest.mark.parametrize(
    ("plan", "ffd_hosts"),
    [
        # Uniform random sizes in 2 dimensions: the size classes end at 260 hosts here,
        # within 3 % of the bound of 254, where the per-VM rules were skipped; a plain
        # first fit decreasing needs 257.
        (uniform_plan(1_000, 2, seed=1_002), 257),
        (uniform_plan(1_500, 2, seed=3), None),
        (distinct_plan(3_000, seed=3_007), None),
    ],
    ids=["uniform-d2-1k", "uniform-d2-1500", "distinct-3k"],
)
def test_placement_never_needs_more_hosts_than_first_fit_decreasing(
    plan: Plan, ffd_hosts: int | None
) -> None:
    r, a = placed(plan)
    problem = build(plan, a, None)
    reference = min(
        len(ffd(problem, problem.flavors.count.copy(), "sum", m)) for m in range(problem.models.m)
    )
    if ffd_hosts is not None:
        assert reference == ffd_hosts
    assert r.host_count <= reference
