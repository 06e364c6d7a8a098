"""The Linux bundle's front door: a shell script that checks the C library first.

A PyInstaller bundle carries the build machine's libpython and system libraries, so it
needs a glibc at least as new as the newest symbol version any of its ELF files asks for.
On an older system the bootloader would die with a dlopen error about GLIBC_2.xx; the
launcher says instead what the bundle needs, what this system has, and what to do.

The spec measures the need (`glibc_needed`) after collecting the bundle, renames the
program to `hvplanner.bin` and writes this script as `hvplanner` (`install_launcher`).
Only the standard library and objdump (binutils, which PyInstaller itself needs).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

BINARY = "hvplanner.bin"

# glibc of each release (the distributions' own package versions), oldest first, to name
# the first release of each family that a bundle runs on.
RELEASES: dict[str, list[tuple[str, tuple[int, int]]]] = {
    "Debian": [("11", (2, 31)), ("12", (2, 36)), ("13", (2, 41))],
    "Ubuntu": [("20.04", (2, 31)), ("22.04", (2, 35)), ("24.04", (2, 39))],
    "Fedora": [("36", (2, 35)), ("37", (2, 36)), ("38", (2, 37)), ("40", (2, 39))],
    "RHEL": [("8", (2, 28)), ("9", (2, 34)), ("10", (2, 39))],
}
_VERSION = re.compile(rb"GLIBC_(\d+)\.(\d+)")


def _is_elf(path: Path) -> bool:
    with path.open("rb") as f:
        return f.read(4) == b"\x7fELF"


def glibc_needed(folder: Path) -> tuple[tuple[int, int], str]:
    """The newest GLIBC_x.y symbol version any ELF file under `folder` needs, and which file."""
    best: tuple[tuple[int, int], str] = ((2, 0), "")
    for path in sorted(folder.rglob("*")):
        if path.is_symlink() or not path.is_file() or not _is_elf(path):
            continue
        dynamic = subprocess.run(
            ["objdump", "-T", str(path)], capture_output=True, check=False
        ).stdout
        for major, minor in _VERSION.findall(dynamic):
            version = (int(major), int(minor))
            if version > best[0]:
                best = (version, str(path.relative_to(folder)))
    return best


def systems(need: tuple[int, int]) -> str:
    """'Debian 12, Ubuntu 24.04, Fedora 37, RHEL 10': the first release of each family whose
    glibc is new enough."""
    first = [
        f"{family} {next(name for name, glibc in releases if glibc >= need)}"
        for family, releases in RELEASES.items()
        if releases[-1][1] >= need
    ]
    return ", ".join(first)


def script(need: tuple[int, int]) -> str:
    major, minor = need
    return f"""#!/bin/sh
# hvplanner bundle launcher: the program in this folder needs GNU libc {major}.{minor} or newer
# (measured from its libraries when the bundle was built); say so instead of a loader error.
need_major={major}
need_minor={minor}
here=$(dirname "$(readlink -f "$0")")
have=$(getconf GNU_LIBC_VERSION 2>/dev/null | sed -n 's/^glibc \\([0-9]*\\.[0-9]*\\).*/\\1/p')
if [ -z "$have" ]; then
    echo "hvplanner: this bundle needs GNU libc $need_major.$need_minor or newer, and this" \\
        "system has no GNU libc; install hvplanner with pip instead (README, Install)" >&2
    exit 1
fi
have_major=${{have%%.*}}
have_minor=${{have#*.}}
if [ "$have_major" -lt "$need_major" ] || \\
    {{ [ "$have_major" -eq "$need_major" ] && [ "$have_minor" -lt "$need_minor" ]; }}; then
    echo "hvplanner: this bundle needs GNU libc $need_major.$need_minor or newer" \\
        "({systems(need)} or later); this system has $have." \\
        "Install hvplanner with pip instead (README, Install)" >&2
    exit 1
fi
exec "$here/{BINARY}" "$@"
"""


def install_launcher(folder: Path) -> tuple[int, int]:
    """Put the launcher in front of the bundle's program; returns the glibc it needs."""
    need, _file = glibc_needed(folder)
    program = folder / "hvplanner"
    program.replace(folder / BINARY)
    program.write_text(script(need), encoding="utf-8")
    program.chmod(0o755)
    return need
