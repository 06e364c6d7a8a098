"""Plain-text tables for the terminal."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO


def table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], right: set[int] | None = None
) -> str:
    right = right or set()
    widths = [len(h) for h in headers]
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))

    def line(cells: Sequence[str]) -> str:
        out = []
        for i, cell in enumerate(cells):
            out.append(cell.rjust(widths[i]) if i in right else cell.ljust(widths[i]))
        return "  ".join(out).rstrip()

    # A column without a header (notes, flags) gets no rule: a lone "-" reads as a value.
    rule = "  ".join(("-" if h else " ") * w for h, w in zip(headers, widths, strict=True))
    return "\n".join([line(headers), rule.rstrip(), *(line(r) for r in rows)])


def print_json(doc: object, say: TextIO | None = None) -> None:
    """`doc` as JSON on one line and a newline, in one write to `say` (default stdout).

    Every command's --json goes through here. No indent: json writes an indented document
    with its pure-Python encoder, about ten times slower than the C one (seconds for a
    1,000,000-entry placement); `jq .` indents it for a reader.
    """
    import json
    import sys

    (say or sys.stdout).write(json.dumps(doc, ensure_ascii=False) + "\n")


def write_output(path: str, text: str) -> None:
    from hvplanner.errors import InputError
    from hvplanner.formats.atomic import write_atomic

    try:
        write_atomic(path, text)
    except OSError as exc:
        raise InputError(f"{path}: cannot write ({exc.strerror or exc})") from exc


def same_file(a: str, b: str) -> bool:
    import os

    try:
        return os.path.samefile(a, b)
    except OSError:  # either one missing: not the same file; reading reports a missing input
        return False
