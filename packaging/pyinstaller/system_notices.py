"""Notices for the system libraries a Linux bundle copies from the build machine.

PyInstaller puts the build machine's shared libraries that Python and Qt load (libstdc++,
libxcb-*, GLib, OpenSSL, readline, …) into the bundle. Their licences vary (MIT, LGPL,
GPL with exceptions, …) and so does the set, with the build machine: so the notices are
written when the bundle is built, from the distribution's own records. On Debian and
Ubuntu, `dpkg -S` names each library's package and /usr/share/doc/<package>/copyright
holds its licence; elsewhere the library is listed with its path and no licence text.

Only the standard library: the spec imports it.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path

README = "README.md"


def _package(path: Path) -> tuple[str, str] | None:
    """(package, version) that installed `path`, from dpkg; None when unknown."""
    if shutil.which("dpkg") is None:
        return None
    for candidate in dict.fromkeys((str(path), str(path.resolve()))):
        found = subprocess.run(
            ["dpkg", "-S", candidate], capture_output=True, text=True, check=False
        )
        if found.returncode == 0 and ":" in found.stdout:
            package = found.stdout.split(":", 1)[0].split(",")[0].strip()
            version = subprocess.run(
                ["dpkg-query", "-W", "-f=${Version}", package],
                capture_output=True,
                text=True,
                check=False,
            ).stdout.strip()
            return package, version
    return None


def system_libraries(binaries: Iterable[tuple[str, str, str]]) -> list[tuple[str, Path]]:
    """The bundle's top-level libraries that come from the system, not from a wheel or
    from the Python installation (those have their own notices)."""
    found = []
    for dest, src, _kind in binaries:
        source = Path(src)
        if "/" in dest.replace("\\", "/") or "site-packages" in source.parts:
            continue
        if dest.startswith("libpython"):
            continue
        found.append((dest, source))
    return sorted(found)


def write_system_notices(binaries: Iterable[tuple[str, str, str]], target: Path) -> int:
    """Write target/README.md (library → package → licence file) and each package's
    copyright file; returns how many libraries are listed."""
    target.mkdir(parents=True, exist_ok=True)
    rows = []
    for dest, source in system_libraries(binaries):
        owner = _package(source)
        if owner is None:
            rows.append(f"| `{dest}` | {source} (no package record) | - |")
            continue
        package, version = owner
        copyright_file = Path("/usr/share/doc") / package / "copyright"
        name = f"{package}.copyright"
        if copyright_file.is_file():
            shutil.copyfile(copyright_file, target / name)
            rows.append(f"| `{dest}` | {package} {version} | `{name}` |")
        else:
            rows.append(f"| `{dest}` | {package} {version} | (no copyright file) |")
    lines = [
        "# System libraries in this bundle",
        "",
        "Copied from the machine that built the bundle; each is an unmodified shared",
        "library that may be replaced by a compatible build. The licence of each is in the",
        "copyright file of the package that installed it (Debian's format), beside this file.",
        "",
        "| library | package | licence and copyright |",
        "|---|---|---|",
        *rows,
        "",
    ]
    (target / README).write_text("\n".join(lines), encoding="utf-8")
    return len(rows)
