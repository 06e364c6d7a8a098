"""The pre-copy estimate on worked cases: Xen's current rule, QEMU's, the WWS floor."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from hvplanner.catalog import load_catalog
from hvplanner.engine.livemove import gbps_to_mb_s
from hvplanner.engine.migration import estimate_precopy, estimate_vm, rules_for
from hvplanner.model.plan import VM

GIB = 1024.0
CATALOG = load_catalog()
XEN = rules_for(CATALOG.get("xen-pv@4"))
QEMU = rules_for(CATALOG.get("kvm@rhel9"))  # under libvirt: line rate
BARE_QEMU = rules_for(CATALOG.get("kvm@rhel9"), via_libvirt=False)
# The pure recurrence, without the writable-working-set floor: the audit's worked cases.
XEN_PURE = replace(XEN, wws_window_s=0.0)
QEMU_PURE = replace(QEMU, wws_window_s=0.0)
GBE = gbps_to_mb_s(1)  # 119.2 MB/s of 1024 KiB
TEN_GBE = gbps_to_mb_s(10)


def test_xen_rules_are_the_current_saver() -> None:
    # xg_sr_save.c: SPP_MAX_ITERATIONS 5, SPP_TARGET_DIRTY_COUNT 50, no volume cap.
    assert (XEN.max_rounds, XEN.stop_pages, XEN.max_factor) == (5, 50, None)
    assert XEN.downtime_limit_s is None and XEN.assumptions == ()
    assert rules_for(CATALOG.get("xen-hvm@4")) == XEN


@pytest.mark.parametrize(
    ("ram", "link", "dirty", "rounds", "pause_s"),
    [
        # The audit's cases: 4 GiB on 1 GbE at 60 MB/s, 16 GiB on 10 GbE at 600 MB/s.
        # Both stop at the fifth round with what is left: 1.13 s and 0.46 s pauses, where
        # Xen ≤ 4.5's 30-round rule predicted ~20 ms.
        (4 * GIB, GBE, 60, 5, 1.13),
        (16 * GIB, TEN_GBE, 600, 5, 0.465),
    ],
)
def test_xen_pauses_after_five_rounds(ram, link, dirty, rounds, pause_s) -> None:
    e = estimate_precopy(ram, link, dirty, XEN_PURE)
    assert e.rounds == rounds
    assert e.stop_reason == "max-rounds" and not e.converged
    lam = dirty / link
    assert e.downtime_seconds == pytest.approx(ram * lam**5 / link + 0.02)
    assert e.downtime_seconds == pytest.approx(pause_s, abs=0.005)


def test_xen_converges_below_fifty_pages() -> None:
    # 4 GiB at λ = 0.01: 4096 → 41 → 0.41 → 0.0041 MB (< 50 pages = 0.195 MB) in 3 rounds.
    e = estimate_precopy(4 * GIB, 1000, 10, XEN_PURE)
    assert e.stop_reason == "threshold" and e.converged
    assert e.rounds == 3
    assert e.schedule[-1].mb == pytest.approx(4096 * 0.01**3)


def test_matches_closed_form_when_converging() -> None:
    ram, r, d = 4 * GIB, 1000.0, 10.0
    lam = d / r
    n = math.ceil(math.log((50 * 4 / 1024) / ram) / math.log(lam))
    e = estimate_precopy(ram, r, d, XEN_PURE)
    assert e.rounds == n
    assert e.total_mb == pytest.approx(ram * (1 - lam ** (n + 1)) / (1 - lam))
    assert e.total_seconds == pytest.approx(ram / r * (1 - lam ** (n + 1)) / (1 - lam) + 0.02)
    assert [x.index for x in e.schedule] == list(range(n + 1))
    assert sum(x.mb for x in e.schedule) == pytest.approx(e.total_mb)


def test_writable_working_set_floors_the_pause() -> None:
    # 4 GiB, 1 GbE, 20 MB/s: the recurrence alone leaves 0.5 MB after five rounds
    # (~25 ms pause). The 20 MB the VM rewrites every second never shrinks: Xen still
    # stops after five rounds, and the pause is at least WWS ÷ rate ≈ 168 ms, within the
    # 60-210 ms Clark et al. measured.
    pure = estimate_precopy(4 * GIB, GBE, 20, XEN_PURE)
    floored = estimate_precopy(4 * GIB, GBE, 20, XEN)
    assert pure.downtime_seconds is not None and pure.downtime_seconds < 0.03
    assert floored.wws_mb == 20
    assert floored.downtime_seconds == pytest.approx(20 / GBE + 0.02)
    assert 0.06 <= floored.downtime_seconds <= 0.21
    assert any("writable working set" in a for a in floored.assumptions)


def test_qemu_switches_over_at_its_downtime_limit() -> None:
    e = estimate_precopy(4 * GIB, GBE, 20, QEMU)
    assert e.stop_reason == "downtime-limit" and e.converged
    assert e.schedule[-1].seconds <= 0.3 < e.schedule[-2].seconds


def test_qemu_does_not_converge_instead_of_a_forced_pause() -> None:
    # 4 GiB on 1 GbE at 100 MB/s: Xen's old caps produced a 17 s "downtime"; QEMU has no
    # round or volume cap and keeps copying: the estimate says it does not converge.
    e = estimate_precopy(4 * GIB, GBE, 100, QEMU)
    assert e.stop_reason == "no-convergence" and not e.converged
    assert e.downtime_seconds is None and e.total_seconds is None
    assert "does not converge" in e.warnings[0]
    assert "auto-converge" in e.warnings[0]  # what QEMU offers instead, off by default


def test_qemu_wws_above_the_limit_does_not_converge_even_at_low_lambda() -> None:
    # λ = 0.34 shrinks the copy, but 40 MB rewritten every second needs 336 ms at 1 GbE,
    # above the 300 ms limit: QEMU never reaches its switch-over point.
    assert estimate_precopy(4 * GIB, GBE, 40, QEMU_PURE).converged
    e = estimate_precopy(4 * GIB, GBE, 40, QEMU)
    assert e.stop_reason == "no-convergence"


def test_bare_qemu_default_bandwidth_and_libvirt() -> None:
    # 16 GiB on 10 GbE at 200 MB/s: under libvirt (line rate, λ = 0.17) it converges; bare
    # QEMU copies at its default 128 MiB/s, slower than the guest dirties: no convergence.
    assert BARE_QEMU.bandwidth_cap_mb_s == 128
    assert QEMU.bandwidth_cap_mb_s is None
    lib = estimate_precopy(16 * GIB, TEN_GBE, 200, QEMU)
    bare = estimate_precopy(16 * GIB, TEN_GBE, 200, BARE_QEMU)
    assert lib.converged and lib.rate_mb_s == pytest.approx(TEN_GBE)
    assert bare.rate_mb_s == 128 and bare.stop_reason == "no-convergence"
    assert any("lifted by libvirt" in a for a in lib.assumptions)


def test_idle_vm_needs_one_round() -> None:
    e = estimate_precopy(2 * GIB, 110, 0)
    assert e.rounds == 1
    assert e.total_mb == 2 * GIB
    assert e.downtime_seconds == pytest.approx(0.02)


@pytest.mark.parametrize(("ram", "r", "d"), [(0, 1, 1), (1, 0, 1), (1, 1, -1)])
def test_bad_inputs(ram, r, d) -> None:
    with pytest.raises(ValueError):
        estimate_precopy(ram, r, d)


def test_estimate_for_a_plan_vm() -> None:
    e = estimate_vm(VM(id="db", count=3, vcpu=2, ram_gb=4), GBE, 60, XEN_PURE)
    assert e.ram_mb == 4096 and e.rounds == 5


def test_the_default_rules_are_xens() -> None:
    assert estimate_precopy(4 * GIB, 110, 20) == estimate_precopy(4 * GIB, 110, 20, XEN)


@pytest.mark.parametrize("key", ["esxi@8.0", "hyper-v@2016", "virtualbox@7"])
def test_a_hypervisor_without_rules_gets_xens_as_an_assumption(key) -> None:
    profile = CATALOG.get(key)
    assert not profile.migration.published
    rules = rules_for(profile)
    assert replace(rules, assumptions=()) == XEN
    e = estimate_vm(VM(id="db", count=1, vcpu=2, ram_gb=4), 110, 20, rules)
    assert e.assumptions[0] == (
        f"{profile.product} publishes no pre-copy model; Xen's stop rules assumed"
    )


def test_proxmox_and_xcp_ng_follow_their_hypervisors() -> None:
    assert rules_for(CATALOG.get("xcp-ng@8.3")).max_rounds == 5
    pve = rules_for(CATALOG.get("proxmox-ve@9"))
    assert (pve.max_rounds, pve.max_factor, pve.downtime_limit_s) == (None, None, 0.3)
