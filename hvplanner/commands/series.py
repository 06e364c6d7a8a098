"""Measured series for the commands that simulate (`simulate`, `export`, `gui`): one flag
and one message for a series file outside the plan's folder."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from hvplanner.errors import InputError

if TYPE_CHECKING:
    from hvplanner.engine.simulation.profiles import MeasuredSeries
    from hvplanner.model.plan import Plan

FLAG = "--allow-outside-series"


def add_flag(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        FLAG,
        action="store_true",
        help="read measured series that the plan names outside its own folder "
        "(absolute paths, '..', links out); without it they are refused",
    )


def plan_series(plan: Plan, plan_path: str, args: argparse.Namespace) -> dict[str, MeasuredSeries]:
    """The plan's measured series; a path outside its folder only with the flag."""
    from hvplanner.formats.files import OutsideFolderError
    from hvplanner.formats.measured import load_plan_series

    allow = bool(getattr(args, "allow_outside_series", False))
    try:
        return load_plan_series(plan, plan_path, allow_outside=allow)
    except OutsideFolderError as exc:
        raise InputError(f"{exc}; give {FLAG} to read it") from None
