"""Install hvplanner into this user's application menu on a freedesktop (XDG) desktop.

`hvplanner --install-desktop-entry` copies the desktop entry, the icons, the AppStream
metainfo and the MIME type of plan files under $XDG_DATA_HOME (default ~/.local/share),
then refreshes the desktop's caches with whichever of update-desktop-database,
update-mime-database and gtk-update-icon-cache are installed. The desktop entry runs the
launcher of the installation that was asked to install it, so a wheel in a virtual
environment, a pipx install and a PyInstaller bundle each get a working entry.
`--uninstall-desktop-entry` removes exactly those files again.

No Qt here: this runs from the command line, before (and without) any window.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from hvplanner.paths import APP_ID, desktop_dir, icons_dir

DESKTOP_FILE = f"{APP_ID}.desktop"
METAINFO_FILE = f"{APP_ID}.metainfo.xml"
MIME_SOURCE = f"{APP_ID}.mime.xml"
MIME_TYPE = "application/x-hvplanner-plan+json"
TOOL_TIMEOUT_S = 30.0

# Characters that force an Exec argument into double quotes (Desktop Entry spec, "The
# Exec key"); inside the quotes, these four take a backslash.
_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")
_ESCAPED_IN_QUOTES = set('"`$\\')


class DesktopEntryError(Exception):
    """Installing or removing the desktop entry is impossible here (one line for the user)."""


@dataclass
class Report:
    data_home: Path
    files: list[Path] = field(default_factory=list)
    exec_line: str = ""
    notes: list[str] = field(default_factory=list)


def data_home() -> Path:
    """$XDG_DATA_HOME if set to an absolute path (the spec ignores relative ones)."""
    value = os.environ.get("XDG_DATA_HOME", "")
    if value and Path(value).is_absolute():
        return Path(value)
    return Path.home() / ".local" / "share"


def launcher_command() -> list[str]:
    """The command the menu entry runs; the desktop appends the plan file to open."""
    if getattr(sys, "frozen", False):  # a PyInstaller bundle: its own executable
        return [sys.executable, "gui"]
    # The gui-script installed beside this interpreter (a venv's or pipx's bin/), so the
    # entry starts the installation that installed it; else the one on PATH.
    beside = Path(sys.executable).parent / "hvplanner-gui"
    if beside.is_file() and os.access(beside, os.X_OK):
        return [str(beside)]
    found = shutil.which("hvplanner-gui")
    if found:
        return [str(Path(found).absolute())]
    return [sys.executable, "-m", "hvplanner", "gui"]


def quote_exec_arg(arg: str) -> str:
    """One argument of an Exec value, quoted and escaped as the Desktop Entry spec asks."""
    if arg and not _RESERVED.intersection(arg):
        quoted = arg
    else:
        inner = "".join("\\" + c if c in _ESCAPED_IN_QUOTES else c for c in arg)
        quoted = f'"{inner}"'
    # Exec is a string value too: its backslashes are escaped once more; % is a field code.
    return quoted.replace("\\", "\\\\").replace("%", "%%")


def exec_value(command: list[str]) -> str:
    return " ".join(quote_exec_arg(arg) for arg in command) + " %f"


def render_desktop_file(template: str, command: list[str]) -> str:
    """The packaged desktop entry with Exec (and TryExec) pointing at `command`."""
    lines = []
    for line in template.splitlines():
        if line.startswith("Exec="):
            lines.append("Exec=" + exec_value(command))
        elif line.startswith("TryExec="):
            lines.append("TryExec=" + command[0].replace("\\", "\\\\"))
        else:
            lines.append(line)
    return "\n".join(lines) + "\n"


def _targets(home: Path) -> dict[Path, Path]:
    """Every installed file (destination) and the packaged file it is copied from."""
    source = desktop_dir()
    pairs = {
        home / "applications" / DESKTOP_FILE: source / DESKTOP_FILE,
        home / "metainfo" / METAINFO_FILE: source / METAINFO_FILE,
        home / "mime" / "packages" / f"{APP_ID}.xml": source / MIME_SOURCE,
    }
    hicolor = icons_dir() / "hicolor"
    for icon in sorted(hicolor.glob(f"*/apps/{APP_ID}.*")):
        pairs[home / "icons" / "hicolor" / icon.relative_to(hicolor)] = icon
    return pairs


def _check_platform() -> None:
    if sys.platform in ("win32", "cygwin", "darwin"):
        raise DesktopEntryError(
            "desktop entries are for Linux and BSD desktops; on Windows and macOS use the "
            "standalone bundle (see README, 'Install')"
        )


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def install(home: Path | None = None) -> Report:
    _check_platform()
    home = data_home() if home is None else home
    pairs = _targets(home)
    missing = [str(src) for src in pairs.values() if not src.is_file()]
    if not any(src.suffix == ".svg" for src in pairs.values()):
        missing.append(str(icons_dir() / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"))
    if missing:
        raise DesktopEntryError("this installation lacks its desktop files: " + ", ".join(missing))
    command = launcher_command()
    report = Report(data_home=home, exec_line="Exec=" + exec_value(command))
    for dst, src in pairs.items():
        if src.name == DESKTOP_FILE:
            data = render_desktop_file(src.read_text(encoding="utf-8"), command).encode()
        else:
            data = src.read_bytes()
        try:
            _write_atomically(dst, data)
        except OSError as exc:
            raise DesktopEntryError(f"cannot write {dst}: {exc.strerror or exc}") from exc
        report.files.append(dst)
    _refresh_caches(home, report)
    return report


def uninstall(home: Path | None = None) -> Report:
    _check_platform()
    home = data_home() if home is None else home
    report = Report(data_home=home)
    candidates = set(_targets(home))
    # Icon sizes an older version installed, too.
    candidates.update((home / "icons" / "hicolor").glob(f"*/apps/{APP_ID}.*"))
    for path in sorted(candidates):
        if path.is_file() or path.is_symlink():
            try:
                path.unlink()
            except OSError as exc:
                raise DesktopEntryError(f"cannot remove {path}: {exc.strerror or exc}") from exc
            report.files.append(path)
    _refresh_caches(home, report)
    return report


def _run_tool(argv: list[str], report: Report) -> None:
    tool = shutil.which(argv[0])
    if tool is None:
        report.notes.append(f"{argv[0]} not installed: skipped")
        return
    try:
        done = subprocess.run(
            [tool, *argv[1:]],
            capture_output=True,
            text=True,
            timeout=TOOL_TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired:
        report.notes.append(f"{argv[0]} took over {TOOL_TIMEOUT_S:g} s: stopped")
        return
    except OSError as exc:
        report.notes.append(f"{argv[0]} could not run: {exc.strerror or exc}")
        return
    if done.returncode == 0:
        report.notes.append(f"{argv[0]}: done")
    else:
        detail = (done.stderr.strip().splitlines() or [""])[-1]
        report.notes.append(f"{argv[0]} failed (exit {done.returncode}) {detail}".rstrip())


def _refresh_caches(home: Path, report: Report) -> None:
    applications = home / "applications"
    if applications.is_dir():
        _run_tool(["update-desktop-database", "-q", str(applications)], report)
    mime = home / "mime"
    if (mime / "packages").is_dir():
        _run_tool(["update-mime-database", str(mime)], report)
    hicolor = home / "icons" / "hicolor"
    if not hicolor.is_dir():
        return
    if (hicolor / "icon-theme.cache").exists():
        # A cache that exists must be rebuilt, or it would hide the change.
        _run_tool(["gtk-update-icon-cache", "-q", "-f", "-t", str(hicolor)], report)
    else:
        # Without a cache, desktops scan the folder; a new mtime tells them to rescan.
        os.utime(hicolor)
        report.notes.append("icon theme has no cache here: touched the folder instead")


def describe(report: Report, *, installed: bool) -> str:
    """The lines the command line prints."""
    verb = "installed" if installed else "removed"
    lines = [f"{verb} {len(report.files)} files under {report.data_home}:"]
    lines += [f"  {path.relative_to(report.data_home)}" for path in report.files]
    if report.exec_line:
        lines.append(f"menu entry runs: {report.exec_line}")
    lines += [f"  {note}" for note in report.notes]
    return "\n".join(lines)
