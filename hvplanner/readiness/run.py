"""Runs the check: probe the platform (or read a snapshot), analyse, give verdicts."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

from hvplanner.catalog.loader import load_catalog
from hvplanner.model.hypervisor import HypervisorProfile
from hvplanner.readiness.checks_linux import analyse_linux
from hvplanner.readiness.checks_macos import analyse_macos
from hvplanner.readiness.checks_windows import analyse_windows
from hvplanner.readiness.facts import Analysis, HostFacts
from hvplanner.readiness.model import CpuSummary, PlatformInfo, Report
from hvplanner.readiness.probe_linux import probe_live, probe_root
from hvplanner.readiness.probe_macos import probe_macos
from hvplanner.readiness.probe_windows import probe_windows
from hvplanner.readiness.verdicts import verdicts


def _catalog_profiles() -> list[HypervisorProfile]:
    return load_catalog().newest()


def analyse_live() -> Analysis:
    if sys.platform.startswith("linux"):
        return analyse_linux(probe_live())
    if sys.platform == "win32":
        return analyse_windows(probe_windows())
    if sys.platform == "darwin":
        return analyse_macos(probe_macos())
    return _unsupported_platform()


def _unsupported_platform() -> Analysis:
    return Analysis(
        platform=PlatformInfo(os="other", arch=None, kernel=None, root=None),
        cpu=CpuSummary(vendor=None, model=None, flags=[]),
        facts=HostFacts(
            os="other",
            x86=None,
            arch=None,
            hw_virt=None,
            firmware_enabled=None,
            slat=None,
            nx=None,
            is_vm=None,
        ),
        checks=[],
    )


def analyse(root: Path | None = None) -> Analysis:
    """A root folder is read as a Linux snapshot, whatever platform this runs on."""
    if root is None:
        return analyse_live()
    return analyse_linux(probe_root(root))


def report_from(analysis: Analysis, profiles: Iterable[HypervisorProfile]) -> Report:
    return Report(
        platform=analysis.platform,
        cpu=analysis.cpu,
        is_vm=analysis.facts.is_vm,
        hypervisor_detected=analysis.facts.hypervisor,
        checks=analysis.checks,
        verdicts=verdicts(analysis.facts, profiles),
    )


def run_check(
    root: Path | None = None, profiles: Iterable[HypervisorProfile] | None = None
) -> Report:
    return report_from(analyse(root), _catalog_profiles() if profiles is None else profiles)
