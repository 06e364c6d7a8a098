"""Saving a file atomically: a temporary file beside the target, flushed, renamed over it.

The target is where a symbolic link points (the link stays a link, a synced folder keeps
getting the new content); a target that exists and is not a regular file (a device, a
pipe, a folder) is refused rather than replaced. A temporary file carries the saving
process's id, so one that a killed save left behind is removed by the next save of that
file. After the rename the folder is flushed too, so the new name survives a power cut.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from hvplanner.errors import InputError


class SaveTargetError(InputError):
    """The name given cannot be saved to (a device, a pipe, a folder, no name at all)."""


def save_target(path: str | os.PathLike[str]) -> Path:
    """The regular file a save to `path` writes: links followed, non-regular refused."""
    raw = os.fspath(path)
    if not raw:
        raise SaveTargetError("no file name given (an empty name cannot be written)")
    target = Path(os.path.realpath(raw))
    try:
        st = os.stat(target)
    except FileNotFoundError:
        return target
    except OSError as exc:
        raise SaveTargetError(f"{raw}: cannot write ({exc.strerror})") from exc
    if stat.S_ISDIR(st.st_mode):
        raise SaveTargetError(f"{raw}: is a folder, not a file")
    if not stat.S_ISREG(st.st_mode):
        raise SaveTargetError(f"{raw}: not a regular file (a device or a pipe is not replaced)")
    return target


def _prefix(target: Path) -> str:
    return f".{target.name}."


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


def clean_stale_temps(target: Path) -> None:
    """Remove temporary files of earlier saves of `target` whose process is gone."""
    prefix = _prefix(target)
    try:
        names = os.listdir(target.parent)
    except OSError:
        return
    for name in names:
        if not (name.startswith(prefix) and name.endswith(".tmp")):
            continue
        pid_text = name[len(prefix) :].partition("-")[0]
        if pid_text.isdigit() and (int(pid_text) == os.getpid() or _alive(int(pid_text))):
            continue
        with contextlib.suppress(OSError):
            (target.parent / name).unlink()


def temp_beside(target: Path) -> tuple[int, str]:
    """An open descriptor and the name of a new temporary file in `target`'s folder."""
    clean_stale_temps(target)
    return tempfile.mkstemp(
        prefix=f"{_prefix(target)}{os.getpid()}-", suffix=".tmp", dir=target.parent
    )


def fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return  # Windows cannot open a folder; its rename is durable enough there
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def _umask() -> int:
    # Reading the umask through os.umask() briefly changes it for every thread; Linux
    # reports it in /proc without side effects.
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    current = os.umask(0o022)
    os.umask(current)
    return current


def replace_into(tmp: str | os.PathLike[str], target: Path) -> None:
    """Rename a finished temporary file over `target`, with the mode a plain write gives.

    mkstemp makes owner-only files; the result keeps the target's mode, or the mode a new
    file would get under the current umask.
    """
    try:
        mode = target.stat().st_mode & 0o7777
    except OSError:
        mode = 0o666 & ~_umask()
    os.chmod(tmp, mode)
    os.replace(tmp, target)
    fsync_folder(target.parent)


def write_atomic(path: str | os.PathLike[str], data: str | bytes) -> None:
    """Write beside the target, flush to disk, then replace: never a half-written file."""
    target = save_target(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = temp_beside(target)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        replace_into(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
