"""`hvplanner compare`: the catalog side by side, as a table, JSON or CSV."""

from __future__ import annotations

import argparse
import csv
import io
import json

from hvplanner.catalog import load_catalog
from hvplanner.commands.output import table
from hvplanner.engine.compare import differs, matrix


def run_compare(args: argparse.Namespace) -> int:
    catalog = load_catalog()
    profiles = catalog.ordered()
    rows = matrix(profiles)
    if args.json:
        payload = {
            "hypervisors": [{"key": p.key, "title": p.title, "family": p.family} for p in profiles],
            "rows": [
                {
                    "id": row.id,
                    "group": row.group,
                    "label": row.label,
                    "differs": differs(cells),
                    "cells": {
                        p.key: {"text": c.text, "kind": c.kind, "source": c.source, "note": c.note}
                        for p, c in zip(profiles, cells, strict=True)
                    },
                }
                for row, cells in rows
            ],
            "sources": {k: s.model_dump() for k, s in catalog.sources.items()},
        }
        print(json.dumps(payload, indent=2, ensure_ascii=False))
        return 0
    if args.csv:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(["group", "row", *(p.key for p in profiles)])
        for row, cells in rows:
            w.writerow([row.group, row.label, *(c.text for c in cells)])
        print(buf.getvalue(), end="")
        return 0
    group = ""
    out_rows: list[list[str]] = []
    for row, cells in rows:
        if row.group != group:
            group = row.group
            out_rows.append([f"[{group}]", *([""] * len(profiles))])
        out_rows.append([row.label, *(_short(c.text) for c in cells)])
    print(table(["", *(p.key for p in profiles)], out_rows))
    return 0


def _short(text: str, width: int = 28) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
