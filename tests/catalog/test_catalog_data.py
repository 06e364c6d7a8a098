"""Checks on the shipped catalog data: keys, citations and spot figures from the sources."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from pydantic import BaseModel

from hvplanner.catalog import Catalog, load_catalog
from hvplanner.catalog.freshness import read_date
from hvplanner.model.hypervisor import (
    Figure,
    HypervisorProfile,
    LinearOverhead,
    Need,
    TableOverhead,
)

EXPECTED_KEYS = {
    "kvm@rhel9",
    "proxmox-ve@9",
    "xen-pv@4",
    "xen-pvh@4",
    "xcp-ng@8.3",
    "xen-hvm@4",
    "esxi@7.0",
    "esxi@8.0",
    "hyper-v@2008r2",
    "hyper-v@2016",
    "hyper-v@2019",
    "hyper-v@2022",
    "hyper-v@2025",
    "virtualbox@7",
}
FAMILIES = {
    "kvm",
    "proxmox",
    "xen-pv",
    "xen-pvh",
    "xen-hvm",
    "xenserver",
    "esxi",
    "hyper-v",
    "virtualbox",
}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def _walk(obj: object, path: str = "") -> Iterator[tuple[str, object]]:
    if isinstance(obj, BaseModel):
        yield path, obj
        for name in type(obj).model_fields:
            yield from _walk(getattr(obj, name), f"{path}.{name}" if path else name)
    elif isinstance(obj, list):
        for i, item in enumerate(obj):
            yield from _walk(item, f"{path}[{i}]")


def _figures(profile: HypervisorProfile) -> Iterator[tuple[str, Figure]]:
    for path, obj in _walk(profile):
        if isinstance(obj, Figure):
            yield path, obj


def _value(catalog: Catalog, key: str, dotted: str) -> float | None:
    obj: object = catalog.get(key)
    for part in dotted.split("."):
        obj = getattr(obj, part)
    assert isinstance(obj, Figure)
    return obj.value


def test_all_keys_present(catalog: Catalog) -> None:
    assert set(catalog.profiles) == EXPECTED_KEYS


def test_every_family_present(catalog: Catalog) -> None:
    assert {p.family for p in catalog.profiles.values()} == FAMILIES


def test_source_keys_resolve(catalog: Catalog) -> None:
    for profile in catalog.profiles.values():
        missing = profile.source_keys() - catalog.sources.keys()
        assert not missing, f"{profile.key}: {sorted(missing)}"


def test_sources_have_address_and_read_date(catalog: Catalog) -> None:
    for key, source in catalog.sources.items():
        assert source.title.strip(), key
        assert source.url.strip(), key
        # A date read (YYYY-MM or YYYY-MM-DD), never in the future.
        assert read_date(source.read) <= dt.date.today(), key


def test_no_figure_without_source_has_a_value(catalog: Catalog) -> None:
    for profile in catalog.profiles.values():
        for path, fig in _figures(profile):
            if fig.value is not None:
                assert fig.source in catalog.sources, f"{profile.key} {path}"
        for path, obj in _walk(profile):
            if isinstance(obj, Need) and obj.level != "unknown":
                assert obj.source in catalog.sources, f"{profile.key} {path}"


def test_unknown_figures_say_what_is_missing(catalog: Catalog) -> None:
    for profile in catalog.profiles.values():
        for path, fig in _figures(profile):
            if fig.value is None:
                assert fig.note.strip(), f"{profile.key} {path} is unknown without a note"
        for path, obj in _walk(profile):
            if isinstance(obj, Need) and obj.level == "unknown":
                assert obj.note.strip(), f"{profile.key} {path} is unknown without a note"
        if profile.overhead.kind == "unknown":
            assert profile.overhead.note.strip(), profile.key


def test_figures_are_positive(catalog: Catalog) -> None:
    for profile in catalog.profiles.values():
        for path, fig in _figures(profile):
            if fig.value is not None:
                assert fig.value > 0, f"{profile.key} {path}"


@pytest.mark.parametrize(
    ("key", "field", "expected"),
    [
        ("hyper-v@2008r2", "limits.lps_per_host", 64),
        ("hyper-v@2008r2", "limits.vcpus_per_host", 512),
        ("hyper-v@2008r2", "limits.running_vms_per_host", 384),
        ("hyper-v@2016", "limits.running_vms_per_host", 1024),
        ("hyper-v@2016", "limits.ram_gb_per_host", 24576),
        ("hyper-v@2016", "limits.ram_gb_per_vm", 12288),
        ("hyper-v@2019", "limits.vcpus_per_vm", 250),
        ("hyper-v@2022", "limits.lps_per_host", 1024),
        ("hyper-v@2025", "limits.vcpus_per_vm", 2048),
        ("hyper-v@2016", "needs.min_host_ram_gb", 4),
        ("esxi@8.0", "limits.lps_per_host", 896),
        ("esxi@8.0", "limits.vcpus_per_vm", 768),
        ("esxi@7.0", "needs.min_cores", 2),
        ("esxi@7.0", "needs.min_host_ram_gb", 8),
        ("kvm@rhel9", "limits.vcpu_per_lp", 10),
        ("kvm@rhel9", "host_reserve_mb", 2048),
        ("xen-pv@4", "limits.vcpus_per_vm", 512),
        ("xen-hvm@4", "limits.vcpus_per_vm", 128),
        ("virtualbox@7", "limits.ram_gb_per_vm", 2048),
        ("xen-pv@4", "migration.max_rounds", 5),
        ("xen-hvm@4", "migration.stop_pages", 50),
        ("kvm@rhel9", "migration.downtime_limit_ms", 300),
    ],
)
def test_spot_figures(catalog: Catalog, key: str, field: str, expected: float) -> None:
    assert _value(catalog, key, field) == expected


@pytest.mark.parametrize(
    ("key", "field"),
    [
        ("hyper-v@2016", "limits.vcpu_per_lp"),
        ("esxi@7.0", "limits.lps_per_host"),
        ("esxi@8.0", "limits.vcpus_per_host"),
        ("esxi@8.0", "limits.vcpu_per_lp"),
        ("virtualbox@7", "host_reserve_mb"),
        ("hyper-v@2025", "host_reserve_mb"),
        ("kvm@rhel9", "migration.max_rounds"),
        ("kvm@rhel9", "migration.max_factor"),
        ("xen-hvm@4", "migration.max_factor"),
        ("esxi@8.0", "migration.downtime_limit_ms"),
        ("hyper-v@2022", "migration.stop_pages"),
        ("virtualbox@7", "migration.max_rounds"),
    ],
)
def test_unpublished_figures_stay_unknown(catalog: Catalog, key: str, field: str) -> None:
    assert _value(catalog, key, field) is None


def test_hyper_v_2016_ratio_note(catalog: Catalog) -> None:
    assert "No ratio imposed by Hyper-V" in catalog.get("hyper-v@2016").limits.vcpu_per_lp.note


def test_esxi_overhead_table(catalog: Catalog) -> None:
    for key in ("esxi@7.0", "esxi@8.0"):
        overhead = catalog.get(key).overhead
        assert isinstance(overhead, TableOverhead)
        assert overhead.ram_mb == [256, 1024, 4096, 16384]
        assert overhead.vcpus == [1, 2, 4, 8]
        assert overhead.mb(1, 1.0) == pytest.approx(25.90)
        assert overhead.mb(8, 16.0) == pytest.approx(168.60)


def test_kvm_overhead(catalog: Catalog) -> None:
    overhead = catalog.get("kvm@rhel9").overhead
    assert isinstance(overhead, LinearOverhead)
    assert overhead.mb(2, 4.0) == pytest.approx(64 + 8 * 2 + 2 * 4)


def test_xen_overhead(catalog: Catalog) -> None:
    hvm = catalog.get("xen-hvm@4").overhead
    pv = catalog.get("xen-pv@4").overhead
    assert isinstance(hvm, LinearOverhead)
    assert isinstance(pv, LinearOverhead)
    assert hvm.mb(2, 4.0) == pytest.approx(2 + 2 + 32)
    # A PV guest has no internal MiB: one less than HVM for the same shape.
    assert hvm.mb(2, 4.0) - pv.mb(2, 4.0) == pytest.approx(1)


def test_unknown_overheads(catalog: Catalog) -> None:
    for key in ("hyper-v@2016", "hyper-v@2019", "hyper-v@2022", "hyper-v@2025", "virtualbox@7"):
        assert catalog.get(key).overhead.kind == "unknown", key


def test_hardware_needs(catalog: Catalog) -> None:
    assert catalog.get("xen-pv@4").needs.hw_virt.level == "not-used"
    assert catalog.get("xen-hvm@4").needs.hw_virt.level == "required"
    assert catalog.get("virtualbox@7").needs.hw_virt.level == "required"
    for version in ("2016", "2019", "2022", "2025"):
        assert catalog.get(f"hyper-v@{version}").needs.slat.level == "required"
    for version in ("7.0", "8.0"):
        assert catalog.get(f"esxi@{version}").needs.nx.level == "required"


def test_xen_pv_has_no_windows_guests(catalog: Catalog) -> None:
    assert catalog.get("xen-pv@4").architecture.windows_guests.text.startswith("No")
    tools = catalog.get("xen-pv@4").architecture.management_tools.text
    assert "xl" in tools
    assert "deprecated in the 4.2 documentation, removed in 4.5" in tools


def test_bare_id_gives_newest_version(catalog: Catalog) -> None:
    assert catalog.get("hyper-v").version == "2025"
    assert catalog.get("esxi").version == "8.0"


def test_versions_ordered_by_release(catalog: Catalog) -> None:
    hyperv = [p.version for p in catalog.ordered() if p.id == "hyper-v"]
    assert hyperv == ["2008r2", "2016", "2019", "2022", "2025"]


def test_only_xen_and_kvm_publish_pre_copy_rules(catalog: Catalog) -> None:
    published = {p.key for p in catalog.profiles.values() if p.migration.published}
    assert published == {
        "xen-pv@4",
        "xen-pvh@4",
        "xen-hvm@4",
        "xcp-ng@8.3",
        "kvm@rhel9",
        "proxmox-ve@9",
    }
    for profile in catalog.profiles.values():
        if not profile.migration.published:
            assert "publishes no pre-copy model" in profile.migration.note, profile.key


def test_figures_without_a_primary_source_say_so(catalog: Catalog) -> None:
    for profile in catalog.profiles.values():
        for path, fig in _figures(profile):
            if fig.value is None or fig.source is None:
                continue
            if catalog.source(fig.source).grade == "secondary":
                note = fig.note.lower()
                assert "secondary" in note or "no primary" in note, f"{profile.key} {path}"
