"""`make screenshots`: the File ▸ Import preview on a CSV, rendered as users see it.

python docs/screenshot_import_preview.py INVENTORY.csv OUT.png
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from hvplanner.formats.inventory import ImportResult, parse_inventory
from hvplanner.ui.exchange_dialogs import ImportPreviewDialog


def main(source: Path, target: Path) -> int:
    app = QApplication(sys.argv[:1])
    raw = source.read_bytes()

    def parse(include_powered_off: bool) -> ImportResult:
        return parse_inventory(raw, source.name, include_powered_off=include_powered_off)

    dialog = ImportPreviewDialog(source.name, parse(False), parse)
    dialog.show()
    loop = QEventLoop()
    QTimer.singleShot(300, loop.quit)
    loop.exec()
    target.parent.mkdir(parents=True, exist_ok=True)
    ok = dialog.grab().save(str(target))
    dialog.close()
    app.processEvents()
    return 0 if ok else 1


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2])))
