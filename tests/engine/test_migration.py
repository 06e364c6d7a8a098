from __future__ import annotations

import math

import pytest

from hvplanner.engine.migration import QEMU, XEN, PreCopyRules, estimate_precopy, estimate_vm
from hvplanner.model.plan import VM

GIB = 1024.0

# The worked-examples table of the research notes, §4 (Xen caps, T_resume 20 ms):
# RAM MB, R MB/s, D MB/s, rounds, T_mig s, T_down s, MB sent, converged
WORKED = [
    (4 * GIB, 110, 20, 6, 45.5, 0.021, 5006, True),
    (4 * GIB, 110, 60, 17, 81.9, 0.021, 9011, True),
    (16 * GIB, 1100, 200, 7, 18.2, 0.020, 20025, True),
    (4 * GIB, 110, 100, 4, 155, 25, 17080, False),
    (4 * GIB, 110, 120, 3, 170, 48, 18757, False),
]


@pytest.mark.parametrize(("ram", "r", "d", "rounds", "t_mig", "t_down", "mb", "conv"), WORKED)
def test_reference_worked_examples(ram, r, d, rounds, t_mig, t_down, mb, conv):
    e = estimate_precopy(ram, r, d)
    assert e.rounds == rounds
    assert e.total_seconds == pytest.approx(t_mig, rel=0.005)
    assert e.downtime_seconds == pytest.approx(t_down, rel=0.04)
    assert e.total_mb == pytest.approx(mb, abs=1)
    assert e.converged is conv
    assert e.stop_reason == ("threshold" if conv else "max-factor")
    assert (e.ratio >= 0.8) == bool(e.warnings)


def test_matches_closed_form_when_converging():
    ram, r, d = 4 * GIB, 110.0, 20.0
    lam = d / r
    thd = 50 * 4 / 1024
    n = math.ceil(math.log(thd / ram) / math.log(lam))
    e = estimate_precopy(ram, r, d)
    assert e.rounds == n
    assert e.total_mb == pytest.approx(ram * (1 - lam ** (n + 1)) / (1 - lam))
    assert e.total_seconds == pytest.approx(ram / r * (1 - lam ** (n + 1)) / (1 - lam) + 0.02)
    assert e.downtime_seconds == pytest.approx(ram * lam**n / r + 0.02)
    assert [x.index for x in e.schedule] == list(range(n + 1))
    assert sum(x.mb for x in e.schedule) == pytest.approx(e.total_mb)


def test_round_cap_ends_a_slowly_converging_copy():
    # λ just under 1 with the volume cap lifted: only the 30-round cap ends it.
    e = estimate_precopy(4 * GIB, 110, 105, PreCopyRules(max_factor=None))
    assert e.rounds == 30
    assert e.stop_reason == "max-rounds"
    assert not e.converged


def test_qemu_rule_stops_at_the_downtime_limit():
    e = estimate_precopy(4 * GIB, 110, 20, QEMU)
    assert e.stop_reason == "downtime-limit"
    last = e.schedule[-1]
    assert last.seconds <= 0.3 < e.schedule[-2].seconds
    assert e.rounds < estimate_precopy(4 * GIB, 110, 20, XEN).rounds


def test_idle_vm_needs_one_round():
    e = estimate_precopy(2 * GIB, 110, 0)
    assert e.rounds == 1
    assert e.total_mb == 2 * GIB
    assert e.downtime_seconds == pytest.approx(0.02)


def test_constants_are_editable():
    e = estimate_precopy(4 * GIB, 110, 20, PreCopyRules(resume_s=0.1, stop_pages=5000))
    assert e.downtime_seconds > 0.1
    assert e.rounds < 6


@pytest.mark.parametrize(("ram", "r", "d"), [(0, 1, 1), (1, 0, 1), (1, 1, -1)])
def test_bad_inputs(ram, r, d):
    with pytest.raises(ValueError):
        estimate_precopy(ram, r, d)


def test_estimate_for_a_plan_vm():
    e = estimate_vm(VM(id="db", count=3, vcpu=2, ram_gb=4), 110, 20)
    assert e.ram_mb == 4096 and e.rounds == 6
