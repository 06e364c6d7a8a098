"""Subcommands defined beside the layer they drive, added to the parser by hvplanner.cli."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

AddParser = Callable[["argparse._SubParsersAction[Any]"], None]

EXTRA: list[AddParser] = []
