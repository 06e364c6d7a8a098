"""The 22 items of the December 2026 catalog audit, each pinned to the source it cites.

Every check reads the value (or text) from the shipped catalog and asserts the source key
the value is cited with and that the source records when it was read. The primary
sources are named in resources/hypervisors/sources.toml.
"""

from __future__ import annotations

import pytest

from hvplanner.catalog import load_catalog
from hvplanner.catalog.freshness import read_date
from hvplanner.engine.assumptions import resolve
from hvplanner.engine.compare import ROWS
from hvplanner.model.hypervisor import Cap, Fact, Figure, Need
from hvplanner.model.plan import VM, Policy

CATALOG = load_catalog()


def _get(key: str, dotted: str) -> object:
    obj: object = CATALOG.get(key)
    for part in dotted.split("."):
        obj = getattr(obj, part)
    return obj


def _cited(obj: object, source: str) -> None:
    assert isinstance(obj, Figure | Need | Fact)
    assert obj.source == source
    assert read_date(CATALOG.source(source).read)


FIGURES = [
    # item, entry, field, value, source
    (1, "esxi@7.0", "limits.ram_gb_per_vm", 6128, "vmware-vsphere70-vm-memory"),
    (3, "esxi@8.0", "limits.ram_gb_per_vm", 24560, "vmware-vm-compat"),
    (4, "hyper-v@2019", "limits.vcpus_per_vm", 250, "ms-hyperv-scalability"),
    (8, "kvm@rhel9", "limits.lps_per_host", 1792, "rhel-limits"),
    (10, "kvm@rhel9", "limits.vcpu_per_lp", 10, "rhel6-virt-restrictions"),
    (12, "xen-hvm@4", "limits.ram_gb_per_host", 12 * 1024, "xen-support-md"),
    (12, "xen-pv@4", "limits.ram_gb_per_host", 12 * 1024, "xen-support-md"),
    (13, "xen-hvm@4", "limits.ram_gb_per_vm", 8 * 1024, "xen-support-md"),
    (13, "xen-pv@4", "limits.ram_gb_per_vm", 8 * 1024, "xen-support-md"),
    (14, "xen-hvm@4", "limits.lps_per_host", 4096, "xen-support-md"),
    (15, "xen-pv@4", "migration.max_rounds", 5, "xen-sr-save"),
    (15, "xen-hvm@4", "migration.max_rounds", 5, "xen-sr-save"),
    (21, "virtualbox@7", "limits.vcpus_per_vm", 32, "vbox-user-guide-72"),
]


@pytest.mark.parametrize(("item", "key", "field", "value", "source"), FIGURES)
def test_audit_figures(item: int, key: str, field: str, value: float, source: str) -> None:
    fig = _get(key, field)
    assert isinstance(fig, Figure)
    assert fig.value == value, f"audit item {item}"
    _cited(fig, source)


TEXTS = [
    # item, entry, field, words the text must contain, source
    (2, "esxi@7.0", "notes", "hardware version 18 (ESXi 7.0 Update 1) raises them to 768 vCPUs "
     "and 24,560 GB", None),
    (6, "hyper-v@2016", "architecture.disk_formats", "VHDX (up to 64 TB) and VHD (up to 2,040 "
     "GB)", "ms-hyperv-scalability"),
    (6, "hyper-v@2025", "architecture.disk_formats", "VHDX", "ms-hyperv-scalability"),
    (11, "kvm@rhel9", "architecture.live_migration", "auto-converge and post-copy are off",
     "qemu-migration-defaults"),
    (17, "xen-pv@4", "architecture.management_tools", "deprecated in the 4.2 documentation, "
     "removed in 4.5", "xen-toolstack-history"),
    (18, "xen-hvm@4", "architecture.io_model", "Upstream QEMU (qemu-xen) as device model, in "
     "Dom0 or a stub domain", "xen-changelog"),
    (19, "xen-hvm@4", "architecture.network_modes", "vif-bridge", "xen-hotplug-linux"),
    (19, "xen-pv@4", "architecture.network_modes", "vif-openvswitch", "xen-hotplug-linux"),
    (22, "virtualbox@7", "architecture.live_migration", "teleporting",
     "vbox-createmedium-teleport"),
    (22, "virtualbox@7", "architecture.network_modes", "NAT Network, bridged, internal, "
     "host-only", "vbox-modifyvm"),
    (22, "virtualbox@7", "architecture.disk_formats", "VDI, VMDK, VHD",
     "vbox-createmedium-teleport"),
    (22, "virtualbox@7", "architecture.license", "GPL-3.0-only", "vbox-rawmode"),
    (22, "esxi@8.0", "architecture.disk_formats", "thin provision", "vmware-disk-provisioning"),
    (22, "kvm@rhel9", "architecture.io_model", "virtio", "libvirt-virt-host-validate"),
    (22, "esxi@8.0", "architecture.io_model", "VMXNET3", "seed"),
]  # fmt: skip


@pytest.mark.parametrize(("item", "key", "field", "words", "source"), TEXTS)
def test_audit_texts(item: int, key: str, field: str, words: str, source: str | None) -> None:
    obj = _get(key, field)
    if isinstance(obj, list):  # entry notes
        assert any(words in note for note in obj), f"audit item {item}"
        return
    assert isinstance(obj, Fact)
    assert words in obj.text, f"audit item {item}: {obj.text}"
    assert source is not None
    _cited(obj, source)


def test_item_5_hyper_v_2016_and_later_impose_no_ratio() -> None:
    for v in ("2016", "2019", "2022", "2025"):
        r = CATALOG.get(f"hyper-v@{v}").limits.vcpu_per_lp
        assert r.none_imposed and r.value is None
        _cited(r, "ms-hyperv-scalability")
        cell = next(row for row in ROWS if row.id == "ratio").cell(CATALOG.get(f"hyper-v@{v}"))
        assert (cell.text, cell.kind) == ("none imposed", "no")


def test_item_7_hyper_v_2008_r2_supports_12_to_1_for_windows_7() -> None:
    r = CATALOG.get("hyper-v@2008r2").limits.vcpu_per_lp
    assert (r.value, r.raised and r.raised.value) == (8, 12)
    assert r.raised is not None and r.raised.source == "ms-hyperv-2008r2-limits"
    win7 = [VM(id="d", count=200, vcpu=1, ram_gb=2, os="windows-7")]
    a = resolve(Policy(vcpu_per_lp=12), CATALOG.get("hyper-v@2008r2"), win7)
    assert a.ratio.value == 12 and "capped" not in a.ratio.note


def test_item_9_kvm_host_memory_is_published_but_not_entered() -> None:
    fig = CATALOG.get("kvm@rhel9").limits.ram_gb_per_host
    assert fig.value is None
    assert "rhel-limits" in fig.note and "not captured" in fig.note


def test_item_10_kvm_ratio_is_per_physical_core() -> None:
    r = CATALOG.get("kvm@rhel9").limits.vcpu_per_lp
    assert r.per == "physical-core"
    assert r.cap_per_lp(2, set()) == 5


def test_item_16_xen_has_no_volume_cap() -> None:
    for key in ("xen-pv@4", "xen-hvm@4", "xen-pvh@4"):
        cap = _get(key, "migration.max_factor")
        assert isinstance(cap, Cap) and cap.none and cap.value is None
        _cited(cap, "xen-sr-save")


def test_item_20_virtualbox_needs_vt_x_for_every_guest() -> None:
    need = CATALOG.get("virtualbox@7").needs.hw_virt
    assert need.level == "required"
    assert "removed in 6.1" in need.note
    _cited(need, "vbox-rawmode")


def test_qemu_defaults_and_libvirt_lift() -> None:
    m = CATALOG.get("kvm@rhel9").migration
    assert m.max_bandwidth_mb_s.value == 128  # MAX_THROTTLE (128 << 20) bytes/s
    assert m.downtime_limit_ms.value == 300  # DEFAULT_MIGRATE_SET_DOWNTIME
    assert m.max_rounds.none and m.max_factor.none
    assert "libvirt-mig-bandwidth" in m.max_bandwidth_mb_s.note


def test_xen_limits_cite_support_md_not_the_4_2_wiki() -> None:
    for key in ("xen-pv@4", "xen-hvm@4", "xen-pvh@4"):
        p = CATALOG.get(key)
        assert "xen-4-2-limits" not in p.source_keys(), key
        assert "xen-libxc-domain-save" not in p.source_keys(), key
