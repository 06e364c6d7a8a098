"""Verdicts users can trust: containers, bare-metal products and the IOMMU limitation.

The container snapshots are real probes of a Docker container running in a VM
(linux-docker-in-vm, written by `hvplanner check --save-snapshot`) and variants of it in
the same layout with the marker another runtime leaves (podman's /run/.containerenv, an
LXC guest's `container=` in PID 1's environment, a Kubernetes pod's cgroup path).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from hvplanner.catalog import load_catalog
from hvplanner.model.hypervisor import BARE_METAL_FAMILIES, FAMILIES
from hvplanner.readiness.facts import HostFacts
from hvplanner.readiness.run import run_check
from hvplanner.readiness.verdicts import verdict_for

DATA = Path(__file__).resolve().parent / "data"


@pytest.mark.parametrize(
    ("snapshot", "runtime"),
    [
        ("linux-docker-in-vm", "docker"),
        ("linux-podman-container", "podman"),
        ("linux-lxc-container", "lxc"),
        ("linux-kubernetes-pod", "kubernetes"),
    ],
)
def test_inside_a_container_no_hypervisor_can_be_installed(snapshot: str, runtime: str) -> None:
    report = run_check(root=DATA / snapshot, profiles=load_catalog().newest())
    env = report.check("platform.environment")
    assert env is not None and f"inside a container ({runtime})" in env.summary
    assert set(report.verdicts) == set(FAMILIES)
    for v in report.verdicts.values():
        # Xen PV needs no VT-x, and this VM has none: it used to be rated "ready" here.
        assert v.status == "blocked", v.headline
        assert v.reasons[0].startswith(f"inside a container ({runtime}): no hypervisor"), v
        assert "no device passthrough" not in " ".join(v.reasons)


def _bare_metal_host(**changes: object) -> HostFacts:
    facts = HostFacts(
        os="linux",
        x86=True,
        arch="x86_64",
        hw_virt=True,
        firmware_enabled=True,
        slat=True,
        nx=True,
        is_vm=False,
        iommu=False,
        kvm_usable=True,
        cores=16,
        ram_gb=64.0,
        disk_free_gb=500.0,
    )
    return facts.model_copy(update=changes)


@pytest.mark.parametrize("key", ["esxi@8.0", "proxmox-ve@9", "xcp-ng@8.3"])
def test_bare_metal_products_need_a_machine_of_their_own(key: str) -> None:
    p = load_catalog().get(key)
    assert p.family in BARE_METAL_FAMILIES
    v = verdict_for(p, _bare_metal_host(iommu=True))
    assert v.status == "own-machine"
    assert v.reasons[0].startswith("needs a machine of its own")
    assert "blocked" not in v.headline


def test_bare_metal_hardware_that_cannot_run_it_is_still_blocked() -> None:
    v = verdict_for(load_catalog().get("esxi@8.0"), _bare_metal_host(hw_virt=False))
    assert v.status == "blocked"
    assert "VT-x/AMD-V" in v.reasons[0]
    assert any(r.startswith("needs a machine of its own") for r in v.reasons[1:])


@pytest.mark.parametrize("key", ["kvm@rhel9", "xen-pv@4", "virtualbox@7", "hyper-v@2025"])
def test_missing_iommu_is_a_limitation_not_a_reason(key: str) -> None:
    p = load_catalog().get(key)
    v = verdict_for(p, _bare_metal_host(os="windows" if p.family == "hyper-v" else "linux"))
    assert "no device passthrough without an enabled IOMMU" in v.limitations
    assert not any("IOMMU" in r for r in v.reasons)
    assert v.status in ("ready", "degraded")


def test_first_line_is_the_deciding_reason() -> None:
    cat = load_catalog()
    v = verdict_for(cat.get("hyper-v@2025"), _bare_metal_host(os="windows", windows_home=True))
    assert v.status == "blocked" and v.reasons[0].startswith("Windows Home has no Hyper-V")
    v = verdict_for(cat.get("kvm@rhel9"), _bare_metal_host())
    assert v.status == "ready" and v.reasons[0].endswith("switched on")
