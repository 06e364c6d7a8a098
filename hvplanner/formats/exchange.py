"""JSON exchange: export a plan with its results in one document, import the plan back.

    {"plan": {"schema_version": 1, …}, "results": {"generated": …, "sizing": {…}, …}}

Importing reads the "plan" part only (`planfile.load_plan` unwraps it) and the results
are recomputed, so an edited or stale results section can never mislead.
"""

from __future__ import annotations

import os

from hvplanner.formats.atomic import write_atomic
from hvplanner.formats.planfile import load_plan
from hvplanner.model.plan import Plan
from hvplanner.model.report import Report


def report_to_json(report: Report) -> str:
    return report.model_dump_json(indent=2) + "\n"


def export_json(report: Report, path: str | os.PathLike[str]) -> None:
    write_atomic(path, report_to_json(report))


def import_json(path: str | os.PathLike[str]) -> Plan:
    """The plan of an export document (or of a plain plan file)."""
    return load_plan(path)
