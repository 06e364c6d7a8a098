"""Plain-text tables for the terminal."""

from __future__ import annotations

from collections.abc import Sequence


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
