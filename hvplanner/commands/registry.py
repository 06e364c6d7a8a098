"""Subcommands defined beside the layer they drive, added to the parser by hvplanner.cli."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from hvplanner.commands import simulate

AddParser = Callable[["argparse._SubParsersAction[Any]"], None]

EXTRA: list[AddParser] = []

# One line per subcommand module; each module imports its engine only when run.
EXTRA.append(simulate.add_parser)
