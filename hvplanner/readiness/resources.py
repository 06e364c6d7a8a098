"""Cores, RAM and free disk: the figures every platform reports the same way.

The per-hypervisor minimums live in the catalog and are compared in verdicts.py;
here only the seed's rule for one desktop VM applies.
"""

from __future__ import annotations

from hvplanner.readiness.model import Check, Evidence
from hvplanner.text import plural

# The seed document's rule for a desktop VM: at least 2 GB RAM and 20 GB of disk.
DESKTOP_VM_RAM_GB = 2.0
DESKTOP_VM_DISK_GB = 20.0
# MemTotal excludes what firmware and kernel reserve, so a 2 GB machine shows a bit less.
RAM_REPORTING_SLACK = 0.9


def ram_short(ram_gb: float, need_gb: float) -> str | None:
    """'below' when clearly short, 'borderline' within the reporting slack, else None."""
    if ram_gb >= need_gb:
        return None
    return "borderline" if ram_gb >= need_gb * RAM_REPORTING_SLACK else "below"


def resource_checks(
    *,
    cores: int | None,
    cores_source: str,
    ram_gb: float | None,
    ram_source: str,
    disk_free_gb: float | None,
    disk_source: str,
) -> list[Check]:
    checks: list[Check] = []
    if cores is None:
        checks.append(
            Check(
                id="resources.cores",
                area="resources",
                title="CPU cores",
                status="unknown",
                summary="not read",
            )
        )
    else:
        checks.append(
            Check(
                id="resources.cores",
                area="resources",
                title="CPU cores",
                status="pass",
                summary=plural(cores, "core"),
                evidence=[Evidence(source=cores_source, value=str(cores))],
            )
        )
    title = f"RAM (a desktop VM needs ≥ {DESKTOP_VM_RAM_GB:g} GB)"
    if ram_gb is None:
        checks.append(
            Check(
                id="resources.ram",
                area="resources",
                title=title,
                status="unknown",
                summary="not captured",
            )
        )
    else:
        short = ram_short(ram_gb, DESKTOP_VM_RAM_GB)
        ev = [Evidence(source=ram_source, value=f"{ram_gb:.2f} GiB")]
        if short is None:
            checks.append(
                Check(
                    id="resources.ram",
                    area="resources",
                    title=title,
                    status="pass",
                    summary=f"{ram_gb:.1f} GiB",
                    evidence=ev,
                )
            )
        else:
            checks.append(
                Check(
                    id="resources.ram",
                    area="resources",
                    title=title,
                    status="warn",
                    summary=f"{ram_gb:.2f} GiB: {short} the {DESKTOP_VM_RAM_GB:g} GB"
                    " a desktop VM needs, with nothing left for the host",
                    evidence=ev,
                    fix="Add RAM",
                )
            )
    title = f"Free disk (a desktop VM needs ≥ {DESKTOP_VM_DISK_GB:g} GB)"
    if disk_free_gb is None:
        checks.append(
            Check(
                id="resources.disk",
                area="resources",
                title=title,
                status="unknown",
                summary="not captured",
            )
        )
    else:
        ev = [Evidence(source=disk_source, value=f"{disk_free_gb:.1f} GB")]
        ok = disk_free_gb >= DESKTOP_VM_DISK_GB
        checks.append(
            Check(
                id="resources.disk",
                area="resources",
                title=title,
                status="pass" if ok else "warn",
                summary=f"{disk_free_gb:.1f} GB free" + ("" if ok else ": too little"),
                evidence=ev,
                fix=None if ok else "Free disk space or add a disk",
            )
        )
    return checks
