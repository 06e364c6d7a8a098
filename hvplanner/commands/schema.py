"""`hvplanner schema`: the JSON Schema of the plan file."""

from __future__ import annotations

import argparse
from typing import Any

from hvplanner.commands.args import examples


def add_parser(sub: argparse._SubParsersAction[Any]) -> None:
    p = sub.add_parser(
        "schema",
        epilog=examples("hvplanner schema > hvplan.schema.json"),
        help="print the JSON Schema of the plan file",
    )
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    import json

    from hvplanner.formats.planfile import plan_json_schema

    print(json.dumps(plan_json_schema(), indent=2, ensure_ascii=False))
    return 0
