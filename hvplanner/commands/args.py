"""Argument types and the parser class every subcommand uses.

A bad argument is reported as one line and exit 2, never a usage dump (hvplanner.cli maps
UsageError); number types name what they wanted.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable
from typing import NoReturn


class UsageError(Exception):
    pass


class Parser(argparse.ArgumentParser):
    """argparse that reports a bad argument as one line and exit 2, never a usage dump."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message}")


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
