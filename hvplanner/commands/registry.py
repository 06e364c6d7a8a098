"""Every subcommand, in the order `hvplanner --help` lists them: one module each."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from hvplanner.commands import (
    check,
    compare,
    cost,
    export,
    gui,
    importing,
    place,
    schema,
    simulate,
    size,
)

AddParser = Callable[["argparse._SubParsersAction[Any]"], object]

# Each module's runner imports its engine only when run, where it can.
COMMANDS: list[AddParser] = [
    size.add_parser,
    compare.add_parser,
    schema.add_parser,
    gui.add_parser,
    place.add_parser,
    simulate.add_parser,
    check.add_parser,
    importing.add_parser,
    export.add_parser,
    cost.add_parser,
]
