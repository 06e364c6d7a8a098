"""The painting floor draws with QPainter and QtGui alone: no widgets, so it is safe to use
wherever a QPainter is, and the canvas and the PDF share it."""

from __future__ import annotations

import subprocess
import sys


def test_importing_painting_loads_no_qtwidgets() -> None:
    code = (
        "import pkgutil, sys, importlib, hvplanner.painting as p\n"
        "for m in pkgutil.walk_packages(p.__path__, 'hvplanner.painting.'):\n"
        "    importlib.import_module(m.name)\n"
        "bad = sorted(n for n in sys.modules if n.startswith(('PySide6.QtWidgets', 'pyqtgraph',"
        " 'hvplanner.ui')))\n"
        "print(' '.join(bad))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == ""
