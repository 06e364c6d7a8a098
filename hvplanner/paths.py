"""Where bundled data lives: inside the installed package, beside it in a source tree, or
inside a PyInstaller bundle."""

from __future__ import annotations

import os
import sys
from importlib import resources
from pathlib import Path

APP_ID = "io.github.hvplanner.HvPlanner"
"""Reverse-DNS id of the desktop entry, AppStream component, icon and Qt desktopFileName."""

_SOURCE_ROOT = Path(__file__).resolve().parent.parent


def resources_dir() -> Path:
    # A PyInstaller bundle unpacks its data under sys._MEIPASS (spec: hvplanner/resources).
    frozen = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and frozen:
        bundled = Path(frozen) / "hvplanner" / "resources"
        if bundled.is_dir():
            return bundled
    # A wheel carries the folder as hvplanner/resources; a source checkout (and an
    # editable install) keeps it at the top of the tree, as DESIGN.md lays it out.
    packaged = Path(str(resources.files("hvplanner"))) / "resources"
    if packaged.is_dir():
        return packaged
    return _SOURCE_ROOT / "resources"


def hypervisors_dir() -> Path:
    return resources_dir() / "hypervisors"


def samples_dir() -> Path:
    return resources_dir() / "samples"


def sample_plan() -> Path:
    return samples_dir() / "seed-200-win7-hyperv2008r2.hvplan.json"


def icons_dir() -> Path:
    return resources_dir() / "icons"


def app_icon() -> Path:
    """The scalable application icon (SVG); PNG sizes sit beside it under hicolor/."""
    return icons_dir() / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"


def desktop_dir() -> Path:
    """The desktop entry, AppStream metainfo and MIME type files.

    Installed (wheel or bundle) they are package data under resources/desktop; in a
    source checkout they live in packaging/linux, where distribution packagers look.
    """
    installed = resources_dir() / "desktop"
    if installed.is_dir():
        return installed
    return _SOURCE_ROOT / "packaging" / "linux"


def licenses_dir() -> Path:
    """The third-party notices (NOTICES.md) and the licence texts they name.

    Help ▸ About shows them; the wheel and the bundle carry them as package data.
    """
    return resources_dir() / "licenses"


def third_party_notices() -> Path:
    """NOTICES.md: hvplanner's licence and, per shipped component, its licence and files."""
    return licenses_dir() / "NOTICES.md"


def license_file() -> Path:
    """hvplanner's own licence (the GPL-3.0 text): package data when installed, the top of
    the tree in a source checkout."""
    installed = licenses_dir() / "LICENSE"
    if installed.is_file():
        return installed
    return _SOURCE_ROOT / "LICENSE"


def cache_dir() -> Path | None:
    """This user's cache folder for hvplanner: data it can rebuild, never the only copy.

    HVPLANNER_CACHE_DIR names another folder, or none when empty; otherwise the platform's
    place (XDG_CACHE_HOME or ~/.cache, ~/Library/Caches, %LOCALAPPDATA%). None: no home.
    """
    chosen = os.environ.get("HVPLANNER_CACHE_DIR")
    if chosen is not None:
        return Path(chosen) if chosen else None
    if sys.platform == "win32":
        local = os.environ.get("LOCALAPPDATA", "")
        return Path(local) / "hvplanner" / "cache" if local else None
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if sys.platform != "darwin" and os.path.isabs(xdg):  # the spec ignores a relative one
        return Path(xdg) / "hvplanner"
    try:
        home = Path.home()
    except RuntimeError:  # neither HOME nor an entry in the password database
        return None
    if sys.platform == "darwin":
        return home / "Library" / "Caches" / "hvplanner"
    return home / ".cache" / "hvplanner"
