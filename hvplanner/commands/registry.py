"""Every subcommand, in the order `hvplanner --help` lists them: one module each."""

from __future__ import annotations

import argparse
import importlib
from typing import Any

# Subcommand → its module in this package. A command line that names its subcommand
# imports that one module; each module's runner imports its engine only when it runs.
COMMANDS: dict[str, str] = {
    "size": "size",
    "compare": "compare",
    "schema": "schema",
    "gui": "gui",
    "place": "place",
    "simulate": "simulate",
    "check": "check",
    "import": "importing",
    "export": "export",
    "cost": "cost",
}


def add_parser(sub: argparse._SubParsersAction[Any], command: str) -> None:
    """Add `command`'s subparser (its module's `add_parser`) to `sub`."""
    module = importlib.import_module(f"hvplanner.commands.{COMMANDS[command]}")
    module.add_parser(sub)
