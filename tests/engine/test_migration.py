from __future__ import annotations

import math
from dataclasses import replace

import pytest

from hvplanner.catalog import load_catalog
from hvplanner.engine.migration import estimate_precopy, estimate_vm, rules_for
from hvplanner.model.plan import VM

GIB = 1024.0
CATALOG = load_catalog()
XEN = rules_for(CATALOG.get("xen-pv@4"))
QEMU = rules_for(CATALOG.get("kvm@rhel9"))

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
    e = estimate_precopy(4 * GIB, 110, 105, replace(XEN, max_factor=None))
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
    e = estimate_precopy(4 * GIB, 110, 20, replace(XEN, resume_s=0.1, stop_pages=5000))
    assert e.downtime_seconds > 0.1
    assert e.rounds < 6


@pytest.mark.parametrize(("ram", "r", "d"), [(0, 1, 1), (1, 0, 1), (1, 1, -1)])
def test_bad_inputs(ram, r, d):
    with pytest.raises(ValueError):
        estimate_precopy(ram, r, d)


def test_estimate_for_a_plan_vm():
    e = estimate_vm(VM(id="db", count=3, vcpu=2, ram_gb=4), 110, 20)
    assert e.ram_mb == 4096 and e.rounds == 6


def test_rules_come_from_the_catalog():
    xen = CATALOG.get("xen-pv@4").migration
    assert (XEN.max_rounds, XEN.max_factor, XEN.stop_pages) == (
        xen.max_rounds.value,
        xen.max_factor.value,
        xen.stop_pages.value,
    )
    assert XEN.downtime_limit_s is None and XEN.assumptions == ()
    assert rules_for(CATALOG.get("xen-hvm@4")) == XEN
    kvm = CATALOG.get("kvm@rhel9").migration
    assert kvm.downtime_limit_ms.value == 300 and kvm.downtime_limit_ms.source
    assert QEMU.downtime_limit_s == pytest.approx(0.3)


def test_the_default_rules_are_xens():
    assert estimate_precopy(4 * GIB, 110, 20) == estimate_precopy(4 * GIB, 110, 20, XEN)


def test_missing_caps_are_borrowed_and_said():
    # QEMU publishes no round or volume cap: Xen's end a copy that does not converge.
    assert (QEMU.max_rounds, QEMU.max_factor) == (XEN.max_rounds, XEN.max_factor)
    e = estimate_precopy(4 * GIB, 110, 20, QEMU)
    assert e.assumptions == ["KVM publishes no round cap or volume cap; Xen's assumed"]


@pytest.mark.parametrize("key", ["esxi@8.0", "hyper-v@2016", "virtualbox@7"])
def test_a_hypervisor_without_rules_gets_xens_as_an_assumption(key):
    profile = CATALOG.get(key)
    assert not profile.migration.published
    rules = rules_for(profile)
    assert replace(rules, assumptions=()) == XEN
    e = estimate_vm(VM(id="db", count=1, vcpu=2, ram_gb=4), 110, 20, rules)
    assert e.assumptions == [
        f"{profile.product} publishes no pre-copy model; Xen's stop rules assumed"
    ]
    assert (e.rounds, e.total_seconds) == (6, estimate_precopy(4 * GIB, 110, 20).total_seconds)
