"""Reading the user's input files: one size guard and one set of messages for every format."""

from __future__ import annotations

import os
from pathlib import Path

from hvplanner.errors import InputError


def read_limited(
    path: str | os.PathLike[str], max_bytes: int, kind: str, error: type[InputError]
) -> bytes:
    """The file's bytes, or `error` naming the file and why ("a plan", "a CSV file", …)."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > max_bytes:
            raise error(f"{p}: {size} bytes is larger than {kind} can be")
        return p.read_bytes()
    except FileNotFoundError as exc:
        raise error(f"{p}: no such file") from exc
    except IsADirectoryError as exc:
        raise error(f"{p}: is a folder, not {kind}") from exc
    except OSError as exc:
        raise error(f"{p}: cannot read ({exc.strerror})") from exc
