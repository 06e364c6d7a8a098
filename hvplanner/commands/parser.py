"""The whole command line: global options and one subparser per module of this package."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any

from hvplanner.commands.args import Parser, examples
from hvplanner.commands.registry import COMMANDS, add_parser


class _Version(argparse.Action):
    """--version: the text (which looks for the licence files) is made only when asked for."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        kwargs.setdefault("help", "show program's version number and exit")
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, *args: Any, **kwargs: Any) -> None:
        from hvplanner.about import version_text

        parser.exit(message=version_text() + "\n")


def build_parser(command: str | None = None) -> Parser:
    """The command line; with `command`, a subcommand of COMMANDS, only its subparser."""
    parser = Parser(
        prog="hvplanner",
        description="Plan virtualization: size hosts with cited limits, pack VMs onto hosts, "
        "compare hypervisors, check this workstation.",
        epilog=examples(
            "hvplanner plan.hvplan.json",
            "hvplanner size --vms 200 --vcpu 1 --ram-gb 2 --hypervisor hyper-v@2008r2",
            "hvplanner place plan.hvplan.json",
        ),
    )
    parser.add_argument("--version", action=_Version)
    desktop = parser.add_mutually_exclusive_group()
    desktop.add_argument(
        "--install-desktop-entry",
        action="store_true",
        help="add hvplanner (menu entry, icon, plan file type) to this user's desktop; Linux",
    )
    desktop.add_argument(
        "--uninstall-desktop-entry",
        action="store_true",
        help="remove what --install-desktop-entry added",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    if command in COMMANDS:
        add_parser(sub, command)
        return parser
    for name in COMMANDS:
        add_parser(sub, name)
    from hvplanner.commands import completion

    # Last, and given the whole parser: it completes every command above.
    completion.add_parser(sub, parser)
    return parser


def subcommands(parser: argparse.ArgumentParser) -> list[str]:
    """The subcommand names `parser` accepts."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return list(action.choices)
    return []
