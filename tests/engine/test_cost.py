"""The cost engine against the licence rules of the catalog and the issue's worked example."""

from __future__ import annotations

from typing import Any

import pytest

from hvplanner.catalog import load_catalog
from hvplanner.engine.cost import cost_plan
from hvplanner.errors import InputError
from hvplanner.model.cost import HypervisorCost
from hvplanner.model.plan import Plan


def _plan(hosts: list[tuple[int, int]], vms: list[dict[str, Any]], **extra: Any) -> Plan:
    models = [
        {"id": f"{s}x{c}", "sockets": s, "cores_per_socket": c, "ghz": 2.5, "ram_gb": 256}
        for s, c in sorted(set(hosts))
    ]
    return Plan.model_validate(
        {
            "hypervisor": "esxi@8.0",
            "host_models": models,
            "hosts": [{"id": f"h{i}", "model": f"{s}x{c}"} for i, (s, c) in enumerate(hosts)],
            "vms": vms,
            **extra,
        }
    )


def _cost(plan: Plan, key: str, years: int | None = None) -> HypervisorCost:
    catalog = load_catalog()
    return cost_plan(plan, [catalog.get(key)], catalog, years).get(key)


EXAMPLE = [(2, 12), (2, 12), (2, 12), (1, 6)]
WINDOWS = [{"id": "w", "vcpu": 2, "ram_gb": 4, "os": "windows-server", "host": f"h{i}"}
           for i in range(4)]  # fmt: skip


def test_vmware_counts_16_cores_per_cpu() -> None:
    c = _cost(_plan(EXAMPLE, []), "esxi@8.0")
    (vcf,) = c.licences
    assert vcf.units == 112  # 3 × 2 × max(12, 16) + 1 × max(6, 16)
    assert "max(cores, 16)" in vcf.formula
    assert vcf.status == "needs-price" and vcf.cost is None


def test_one_small_host_meets_the_72_core_order_minimum() -> None:
    (vcf,) = _cost(_plan([(1, 6)], []), "esxi@8.0").licences
    assert vcf.units == 72
    assert "max(16, 72) = 72" in vcf.values


def test_windows_server_guests_license_88_cores() -> None:
    vms = [{**v, "id": f"w{i}"} for i, v in enumerate(WINDOWS)]
    c = _cost(_plan(EXAMPLE, vms), "kvm@rhel9")
    assert [w.licensed_cores for w in c.windows] == [24, 24, 24, 16]
    assert sum(w.licensed_cores for w in c.windows) == 88
    assert all(w.choice == "standard" for w in c.windows)  # 1 VM each: one Standard licensing
    (std,) = [ln for ln in c.licences if ln.kind == "windows"]
    assert std.units == 88
    assert std.cost == pytest.approx(88 * 1176 / 16)  # the catalog's list price, one-off
    assert "list price as published on 2026" in std.price_source


def test_datacenter_chosen_where_stacks_cost_more() -> None:
    # 20 Windows Server VMs on one 2 × 12 host: 10 Standard licensings of 24 cores cost
    # 10 × 24 × 73.5 = 17,640 against Datacenter 24 × 423.19 = 10,156.5.
    vms = [{"id": "w", "count": 20, "vcpu": 1, "ram_gb": 2, "os": "windows-server", "host": "h0"}]
    c = _cost(_plan([(2, 12)], vms), "kvm@rhel9")
    (row,) = c.windows
    assert (row.standard_licensings, row.choice) == (10, "datacenter")
    assert row.datacenter_cost == pytest.approx(24 * 6771 / 16)
    assert "Datacenter" in row.reason


def test_hyper_v_licenses_its_host_even_without_windows_guests() -> None:
    c = _cost(_plan([(2, 12)], []), "hyper-v@2025")
    (row,) = c.windows
    assert (row.licensed_cores, row.standard_licensings, row.choice) == (24, 1, "standard")


def test_prices_over_the_horizon_and_per_vm() -> None:
    prices = [{"product": "vmware-vcf", "price": 350, "period": "year", "currency": "USD",
               "source": "quote", "date": "2026-03"}]  # fmt: skip
    vms = [{"id": "l", "count": 10, "vcpu": 1, "ram_gb": 2, "os": "linux", "host": "h0"}]
    plan = _plan([(1, 6)], vms, prices=prices, horizon_years=3)
    c = _cost(plan, "esxi@8.0")
    assert c.licences[0].cost == 72 * 350 * 3
    assert c.total("licences").amount == 75_600
    # the host model has no cost: hardware needs a price and is left out, said so
    assert not c.total("total").complete
    assert c.total("total").amount == 75_600
    assert c.total("per_vm").amount == 7_560
    assert any("needs a price" in w for w in c.warnings)
    assert _cost(plan, "esxi@8.0", years=1).licences[0].cost == 72 * 350


def test_free_hypervisors_cost_nothing_but_hardware() -> None:
    plan = _plan([(2, 12)], [])
    plan = plan.model_copy(
        update={"host_models": [plan.host_models[0].model_copy(update={"cost": 9000.0,
                                                                         "power_per_year": 500.0})]}
    )  # fmt: skip
    c = _cost(plan, "xen-hvm@4")
    assert c.licences[0].status == "free" and c.licences[0].cost == 0
    assert c.total("hardware").amount == 9000 + 500 * 5
    assert c.total("total").complete


def test_no_hosts_uses_the_hosts_sizing_needs() -> None:
    plan = _plan(EXAMPLE, [{"id": "v", "count": 40, "vcpu": 4, "ram_gb": 16}])
    plan = plan.model_copy(update={"hosts": [], "host_models": plan.host_models[1:]})
    c = _cost(plan, "esxi@8.0")
    assert c.hosts_origin == "sized" and c.hosts >= 1
    assert c.licences[0].units == max(72, c.hosts * 32)


def test_unknown_product_and_bad_years_are_refused() -> None:
    bad = [{"product": "nope", "price": 1, "period": "year", "currency": "USD"}]
    with pytest.raises(InputError, match=r"prices\[0\]\.product: unknown licence product"):
        _cost(_plan([(1, 6)], [], prices=bad), "esxi@8.0")
    with pytest.raises(InputError, match="horizon_years"):
        _cost(_plan([(1, 6)], []), "esxi@8.0", years=31)


def test_a_list_price_in_another_currency_needs_a_price() -> None:
    eur = [{"product": "vmware-vcf", "price": 300, "period": "year", "currency": "EUR"}]
    vms = [{"id": "w", "vcpu": 1, "ram_gb": 2, "os": "windows-server", "host": "h0"}]
    c = _cost(_plan([(2, 12)], vms, prices=eur), "esxi@8.0")
    (std,) = [ln for ln in c.licences if ln.kind == "windows"]
    assert std.status == "needs-price" and std.cost is None


def test_equal_hosts_are_one_term_of_the_values() -> None:
    # 100 hosts: the values name each shape once, not each host (a cell a page tall).
    hosts = [(2, 12)] * 97 + [(1, 6)] * 3
    vms = [{**v, "id": f"w{i}", "host": f"h{i}"} for i, v in enumerate(WINDOWS * 25)]
    c = _cost(_plan(hosts, vms), "esxi@8.0")
    (vcf, std) = c.licences
    assert vcf.values.startswith("97 hosts × 32 (2 × 12) + 3 hosts × 16 (1 × 6) = 3152")
    assert vcf.units == 97 * 32 + 3 * 16
    assert std.values.startswith("97 hosts × 24 × 1 + 3 hosts × 16 × 1 = 2376")
    assert "h5" not in vcf.values and "h5" not in std.values


def test_many_shapes_end_the_values_with_the_rest_counted() -> None:
    hosts = [(2, c) for c in range(10, 40)]  # 30 shapes, one host each
    vcf = _cost(_plan(hosts, []), "esxi@8.0").licences[0]
    assert vcf.units == sum(2 * max(c, 16) for c in range(10, 40))
    rest = sum(2 * max(c, 16) for c in range(15, 40))
    assert f"+ {rest} (25 more hosts) = {vcf.units}" in vcf.values
    assert vcf.values.count("+") == 5
