"""Subcommands defined beside the layer they drive, added to the parser by hvplanner.cli."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from hvplanner.commands import simulate
from hvplanner.readiness.cli import add_parser as add_check

AddParser = Callable[["argparse._SubParsersAction[Any]"], object]

EXTRA: list[AddParser] = [add_check]

# One line per subcommand module; each module imports its engine only when run.
EXTRA.append(simulate.add_parser)
