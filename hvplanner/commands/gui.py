"""`hvplanner gui`: the arguments of the window (hvplanner.cli opens it, lazily)."""

from __future__ import annotations

import argparse
from typing import Any

from hvplanner.commands.args import examples
from hvplanner.commands.series import add_flag


def add_parser(sub: argparse._SubParsersAction[Any]) -> None:
    p = sub.add_parser(
        "gui",
        epilog=examples("hvplanner gui plan.hvplan.json --fail h2@d1-10:00"),
        help="open the window (the default without a subcommand)",
    )
    p.add_argument("plan", nargs="?", help="plan to open (default: the bundled sample)")
    p.add_argument("--screenshot", metavar="FILE.png", help="save a screenshot and exit")
    p.add_argument(
        "--size",
        help="window size WxH (default: as last closed, within the screen; 1600x1000 "
        "for --screenshot)",
    )
    p.add_argument("--view", default="canvas", help="view to show for the screenshot")
    p.add_argument(
        "--theme",
        choices=("light", "dark", "system"),
        help="colours of the window (default: as chosen in View ▸ Theme, else the system's)",
    )
    p.add_argument(
        "--fail",
        action="append",
        default=[],
        metavar="HOST@TIME",
        help="start with the host-failure what-if set (HH:MM on day 1, or dN-HH:MM)",
    )
    p.add_argument(
        "--select",
        action="append",
        default=[],
        metavar="HOST",
        help="start with this host card selected (its graphs shown); repeat for more",
    )
    add_flag(p)
    # The window is above this floor: hvplanner.cli opens it for this subcommand.
    p.set_defaults(handler=None)
