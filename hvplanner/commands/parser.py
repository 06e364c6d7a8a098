"""The whole command line: global options and one subparser per module of this package."""

from __future__ import annotations

import argparse

from hvplanner.about import version_text
from hvplanner.commands import completion
from hvplanner.commands.args import Parser, examples
from hvplanner.commands.registry import COMMANDS


def build_parser() -> Parser:
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
    parser.add_argument("--version", action="version", version=version_text())
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
    for add in COMMANDS:
        add(sub)
    # Last, and given the whole parser: it completes every command above.
    completion.add_parser(sub, parser)
    return parser


def subcommands(parser: argparse.ArgumentParser) -> list[str]:
    """The subcommand names `parser` accepts."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return list(action.choices)
    return []
