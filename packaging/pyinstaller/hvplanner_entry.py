"""Entry point of the PyInstaller bundle (packaging/pyinstaller/hvplanner.spec).

One program, two faces: `hvplanner` is the command line (no subcommand opens the window);
an executable named `hvplanner-gui` (the Windows windowed launcher) always opens the window.
"""

from __future__ import annotations

import multiprocessing
import sys
from pathlib import Path


def run() -> int:
    # A frozen app re-executes itself for multiprocessing workers; this must come first.
    multiprocessing.freeze_support()
    # Finder on older macOS passes a process serial number when it opens an app bundle.
    sys.argv[1:] = [arg for arg in sys.argv[1:] if not arg.startswith("-psn_")]

    from hvplanner.cli import gui_main, main

    if Path(sys.executable).stem.lower().endswith("-gui"):
        return gui_main()
    return main()


if __name__ == "__main__":
    raise SystemExit(run())
