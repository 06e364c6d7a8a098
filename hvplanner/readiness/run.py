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
from hvplanner.readiness.inputs_linux import LinuxInputs
from hvplanner.readiness.model import CpuSummary, PlatformInfo, Report
from hvplanner.readiness.probe_linux import probe_live, probe_root
from hvplanner.readiness.probe_macos import MacInputs, probe_macos
from hvplanner.readiness.probe_windows import WindowsInputs, probe_windows
from hvplanner.readiness.verdicts import verdicts


def _catalog_profiles() -> list[HypervisorProfile]:
    return load_catalog().newest()


Inputs = LinuxInputs | WindowsInputs | MacInputs


def probe(root: Path | None = None) -> Inputs | None:
    """A root folder is read as a Linux snapshot, whatever platform this runs on."""
    if root is not None:
        return probe_root(root)
    if sys.platform.startswith("linux"):
        return probe_live()
    if sys.platform == "win32":
        return probe_windows()
    if sys.platform == "darwin":
        return probe_macos()
    return None


def analyse_inputs(inputs: Inputs | None) -> Analysis:
    if isinstance(inputs, LinuxInputs):
        return analyse_linux(inputs)
    if isinstance(inputs, WindowsInputs):
        return analyse_windows(inputs)
    if isinstance(inputs, MacInputs):
        return analyse_macos(inputs)
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
    return analyse_inputs(probe(root))


def report_from(analysis: Analysis, profiles: Iterable[HypervisorProfile] | None = None) -> Report:
    if profiles is None:
        profiles = _catalog_profiles()
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
    return report_from(analyse(root), profiles)
