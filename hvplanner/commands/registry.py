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

# Name → the module's add_parser. Each module's runner imports its engine only when run,
# where it can; a command line that names its subcommand builds that one parser alone.
COMMANDS: dict[str, AddParser] = {
    "size": size.add_parser,
    "compare": compare.add_parser,
    "schema": schema.add_parser,
    "gui": gui.add_parser,
    "place": place.add_parser,
    "simulate": simulate.add_parser,
    "check": check.add_parser,
    "import": importing.add_parser,
    "export": export.add_parser,
    "cost": cost.add_parser,
}
