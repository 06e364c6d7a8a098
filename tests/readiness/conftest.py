"""A small catalog for the verdict tests: one profile per family, built from the real types.

Needs follow the published requirements summarised in shared/reference/readiness.md §2,
so the tests do not depend on which catalog files have landed yet.
"""

from __future__ import annotations

from typing import Any

import pytest

from hvplanner.catalog.loader import load_catalog_from
from hvplanner.model.hypervisor import Figure, HypervisorProfile, Need, Needs
from hvplanner.paths import hypervisors_dir


def _need(level: str) -> Need:
    return Need.model_validate({"level": level, "source": "stub"})


def _fig(value: float | None) -> Figure:
    return Figure(value=value, source="stub" if value is not None else None)


SPECS: dict[str, dict[str, Any]] = {
    "kvm": {
        "id": "kvm",
        "version": "rhel9",
        "product": "KVM",
        "release": "RHEL 9",
        "needs": ("required", "recommended", "optional", "optional", None, None),
    },
    "xen-pv": {
        "id": "xen-pv",
        "version": "4",
        "product": "Xen PV",
        "release": "4",
        "needs": ("not-used", "not-used", "optional", "optional", None, None),
    },
    "xen-hvm": {
        "id": "xen-hvm",
        "version": "4",
        "product": "Xen HVM",
        "release": "4",
        "needs": ("required", "recommended", "optional", "optional", None, None),
    },
    "esxi": {
        "id": "esxi",
        "version": "8.0",
        "product": "VMware ESXi",
        "release": "8.0",
        "needs": ("required", "recommended", "required", "optional", 2, 8),
    },
    "hyper-v": {
        "id": "hyper-v",
        "version": "2025",
        "product": "Microsoft Hyper-V",
        "release": "Windows Server 2025",
        "needs": ("required", "required", "required", "optional", None, 4),
    },
    "virtualbox": {
        "id": "virtualbox",
        "version": "7",
        "product": "Oracle VirtualBox",
        "release": "7",
        "needs": ("required-64bit-guests", "recommended", "optional", "not-used", None, None),
    },
}


def stub_profiles() -> list[HypervisorProfile]:
    base = load_catalog_from(hypervisors_dir()).get("hyper-v@2008r2")
    out = []
    for family, spec in SPECS.items():
        hw, slat, nx, iommu, cores, ram = spec["needs"]
        needs = Needs(
            hw_virt=_need(hw),
            slat=_need(slat),
            nx=_need(nx),
            iommu=_need(iommu),
            min_cores=_fig(cores),
            min_host_ram_gb=_fig(ram),
        )
        out.append(
            base.model_copy(
                update={
                    "id": spec["id"],
                    "version": spec["version"],
                    "family": family,
                    "product": spec["product"],
                    "release": spec["release"],
                    "released": 2024,
                    "needs": needs,
                }
            )
        )
    return out


@pytest.fixture(scope="session")
def profiles() -> list[HypervisorProfile]:
    return stub_profiles()
