"""Subcommands defined beside the layer they drive, added to the parser by hvplanner.cli."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from hvplanner.commands import simulate
from hvplanner.commands.cost import add_parser as add_cost
from hvplanner.commands.io import add_parser as add_io
from hvplanner.commands.place import add_parser as add_place
from hvplanner.readiness.cli import add_parser as add_check

AddParser = Callable[["argparse._SubParsersAction[Any]"], object]

# One entry per subcommand module; each module imports its engine only when run.
EXTRA: list[AddParser] = [add_place, simulate.add_parser, add_check, add_io, add_cost]
