"""Reading the user's input files: one size guard and one set of messages for every format.

Every file read on behalf of a plan, an inventory or a snapshot goes through here:
regular files only (a FIFO or a device would block or never end), at most a bounded
number of bytes whatever `st_size` says (it is 0 for devices and /proc files), and
paths named inside a plan kept inside the plan's folder.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path, PurePosixPath, PureWindowsPath

from hvplanner.errors import InputError, echo


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:g} MB"


def open_regular(path: str | os.PathLike[str], kind: str, error: type[InputError]) -> int:
    """An open read-only descriptor of a regular file, or `error` saying why not.

    Checked before opening (opening a FIFO for reading waits for a writer) and again on
    the descriptor, opened non-blocking, in case the name was swapped in between.
    """
    p = Path(path)
    try:
        st = os.stat(p)
        if stat.S_ISDIR(st.st_mode):
            raise error(f"{p}: is a folder, not {kind}")
        if not stat.S_ISREG(st.st_mode):
            raise error(f"{p}: not a regular file (a device or a pipe cannot be read)")
        fd = os.open(p, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError as exc:
        raise error(f"{p}: no such file") from exc
    except IsADirectoryError as exc:
        raise error(f"{p}: is a folder, not {kind}") from exc
    except OSError as exc:
        raise error(f"{p}: cannot read ({exc.strerror})") from exc
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise error(f"{p}: not a regular file (a device or a pipe cannot be read)")
    return fd


def read_limited(
    path: str | os.PathLike[str], max_bytes: int, kind: str, error: type[InputError]
) -> bytes:
    """The file's bytes, or `error` naming the file and why ("a plan", "a CSV file", …).

    Reads at most max_bytes + 1 bytes: the size the file system reports is not trusted.
    """
    p = Path(path)
    fd = open_regular(p, kind, error)
    try:
        with os.fdopen(fd, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise error(f"{p}: cannot read ({exc.strerror})") from exc
    if len(data) > max_bytes:
        raise error(f"{p}: larger than {kind} can be ({_mb(max_bytes)} at most)")
    return data


def inside_folder(
    folder: Path, name: str, field: str, error: type[InputError] = InputError
) -> Path:
    """`name` (a path written in a plan) resolved relative to `folder`, refused when it is
    absolute or leads out of the folder (through `..` or a symbolic link).

    The message names the field and the path, never the content of what it points at.
    """
    shown = echo(name)
    if (
        not name
        or PurePosixPath(name).is_absolute()
        or PureWindowsPath(name).is_absolute()
        or PureWindowsPath(name).drive
    ):
        raise error(f"{field}: {shown!r} must be a path relative to the plan's folder")
    base = folder.resolve()
    target = (base / name).resolve()
    if target != base and base not in target.parents:
        raise error(f"{field}: {shown!r} leads out of the plan's folder ({base})")
    return target
