"""The licence rules in the catalog: every entry has one, each with a known source."""

from __future__ import annotations

from pathlib import Path

import pytest

from hvplanner.catalog import load_catalog
from hvplanner.catalog.loader import load_catalog_from
from hvplanner.errors import CatalogError
from hvplanner.paths import hypervisors_dir


def test_every_entry_has_a_cited_rule() -> None:
    catalog = load_catalog()
    for p in catalog:
        assert p.licensing, p.key
        for rule in p.licensing:
            assert rule.source in catalog.sources, (p.key, rule.source)


def test_vmware_counts_16_cores_per_cpu_and_72_per_order() -> None:
    rule = load_catalog().get("esxi@8.0").licensing[0]
    assert (rule.metric, rule.min_per_cpu, rule.order_min, rule.term) == (
        "physical-core",
        16,
        72,
        "subscription",
    )


def test_windows_server_guest_rule_and_list_prices() -> None:
    lic = load_catalog().licensing
    assert lic is not None
    ws = lic.windows_server
    assert (ws.min_per_cpu, ws.min_per_server) == (8, 16)
    assert [(e.product, e.vms_per_licensing) for e in ws.editions] == [
        ("windows-server-standard", 2),
        ("windows-server-datacenter", None),
    ]
    prices = {p.product: (p.price, p.per_units, p.currency) for p in lic.list_prices}
    assert prices == {
        "windows-server-standard": (1176, 16, "USD"),
        "windows-server-datacenter": (6771, 16, "USD"),
    }


def test_free_metric_must_be_free_term(tmp_path: Path) -> None:
    for f in hypervisors_dir().glob("*.toml"):
        text = f.read_text(encoding="utf-8")
        if f.name == "virtualbox@7.toml":
            text = text.replace('term = "free"', 'term = "subscription"')
        (tmp_path / f.name).write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError, match=r"virtualbox@7\.toml: licensing\.0"):
        load_catalog_from(tmp_path)


def test_a_bad_licensing_file_is_named_when_its_figures_are_read(tmp_path: Path) -> None:
    for f in hypervisors_dir().glob("*.toml"):
        text = f.read_text(encoding="utf-8")
        if f.name == "licensing.toml":
            text = text.replace('currency = "USD"', 'currency = "usd"', 1)
        (tmp_path / f.name).write_text(text, encoding="utf-8")
    catalog = load_catalog_from(tmp_path)  # sizing and placing never read licensing.toml
    assert catalog.get("kvm").key == "kvm@rhel9"
    with pytest.raises(CatalogError, match=r"^licensing\.toml: list_prices\.0\.currency: "):
        _ = catalog.licensing
