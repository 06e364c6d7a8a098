"""Argument types and the parser class every subcommand uses.

A bad argument is reported as one line and exit 2, never a usage dump (hvplanner.cli maps
UsageError); number types name what they wanted.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

from hvplanner.errors import InputError


class UsageError(Exception):
    pass


class HelpFormatter(argparse.HelpFormatter):
    """argparse's reflowing help, except that indented paragraphs (examples) stay as written."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        paragraphs = text.split("\n\n")
        return "\n\n".join(
            "\n".join(indent + line for line in p.splitlines())
            if p.startswith(" ") or "\n " in p
            else super(HelpFormatter, self)._fill_text(p, width, indent)
            for p in paragraphs
        )


class Parser(argparse.ArgumentParser):
    """argparse that reports a bad argument as one line and exit 2, never a usage dump."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message}")


@contextmanager
def about(where: object) -> Iterator[None]:
    """Bad input found inside (by the engines, which know the field but not the file, or
    the catalog, which knows the id but not the option) is reported as `where: message`:
    the plan file or the option it came from."""
    try:
        yield
    except InputError as exc:
        text, named = str(exc), str(where)
        if text.startswith(named):
            raise
        raise InputError(f"{named}: {text}") from None


def examples(*commands: str) -> str:
    """The epilog every --help ends with: commands to copy, one per line."""
    title = "Example:" if len(commands) == 1 else "Examples:"
    return title + "\n" + "\n".join(f"  {c}" for c in commands)


def _number(kind: type[int] | type[float], low: float, strict: bool) -> Callable[[str], float]:
    what = "whole number" if kind is int else "number"
    bound = f"> {low:g}" if strict else f"≥ {low:g}"

    def parse(text: str) -> float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a {what}") from None
        if not math.isfinite(value):
            raise argparse.ArgumentTypeError(f"{text!r} is not a finite {what}")
        if value < low or (strict and value == low):
            raise argparse.ArgumentTypeError(f"{text} must be {bound}")
        return value

    parse.__name__ = what
    return parse


positive_int = _number(int, 0, strict=True)
nonneg_int = _number(int, 0, strict=False)
positive_float = _number(float, 0, strict=True)
nonneg_float = _number(float, 0, strict=False)
