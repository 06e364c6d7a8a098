"""Reading the user's input files: one size guard and one set of messages for every format.

Every file read on behalf of a plan, an inventory or a snapshot goes through here:
regular files only (a FIFO or a device would block or never end), at most a bounded
number of bytes whatever `st_size` says (it is 0 for devices and /proc files), and
paths named inside a plan kept inside the plan's folder unless the user confirms.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
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


class ReadCancelledError(Exception):
    """The progress callback of a read asked it to stop."""


# A read that reports progress does it in parts this large: a slow disk or network share
# still answers Cancel within a part.
READ_PART = 4 * 1024 * 1024


def read_limited(
    path: str | os.PathLike[str],
    max_bytes: int,
    kind: str,
    error: type[InputError],
    progress: Callable[[int, int], bool] | None = None,
) -> bytes:
    """The file's bytes, or `error` naming the file and why ("a plan", "a CSV file", …).

    Reads at most max_bytes + 1 bytes: the size the file system reports is not trusted.
    `progress(bytes read, bytes expected)` is called after every part; when it returns
    False the read stops with ReadCancelledError.
    """
    p = Path(path)
    fd = open_regular(p, kind, error)
    try:
        with os.fdopen(fd, "rb") as fh:
            if progress is None:
                data = fh.read(max_bytes + 1)
            else:
                data = _read_in_parts(fh.fileno(), max_bytes + 1, progress)
    except OSError as exc:
        raise error(f"{p}: cannot read ({exc.strerror})") from exc
    if len(data) > max_bytes:
        raise error(f"{p}: larger than {kind} can be ({_mb(max_bytes)} at most)")
    return data


def _read_in_parts(fd: int, limit: int, progress: Callable[[int, int], bool]) -> bytes:
    expected = min(os.fstat(fd).st_size, limit)
    parts: list[bytes] = []
    got = 0
    while got < limit:
        part = os.read(fd, min(READ_PART, limit - got))
        if not part:
            break
        parts.append(part)
        got += len(part)
        if not progress(got, max(expected, got)):
            raise ReadCancelledError
    return b"".join(parts)


class OutsideFolderError(InputError):
    """A path written in a plan that leads out of the plan's folder."""

    def __init__(self, message: str, path: Path) -> None:
        super().__init__(message)
        self.path = path


def _relative_only(name: str) -> bool:
    return not (
        PurePosixPath(name).is_absolute()
        or PureWindowsPath(name).is_absolute()
        or PureWindowsPath(name).drive
    )


def resolve_in_folder(folder: Path, name: str) -> tuple[Path, bool]:
    """`name` (a path written in a plan) resolved relative to `folder`, and whether it stays
    inside the folder (an absolute path, `..` or a symbolic link can lead out)."""
    base = folder.resolve()
    target = (base / name).resolve()
    inside = _relative_only(name) and (target == base or base in target.parents)
    return target, inside


def inside_folder(folder: Path, name: str, field: str) -> Path:
    """`name` (a path written in a plan) resolved relative to `folder`; OutsideFolderError
    when it is absolute or leads out of the folder (through `..` or a symbolic link).

    The message names the field and the path, never the content of what it points at.
    """
    shown = echo(name)
    if not name:
        raise InputError(f"{field}: {shown!r} must be a path relative to the plan's folder")
    target, inside = resolve_in_folder(folder, name)
    if not inside:
        raise OutsideFolderError(
            f"{field}: {shown!r} leads out of the plan's folder ({echo(folder.resolve())})",
            target,
        )
    return target
