"""`make screenshots`: the File ▸ Import preview of an inventory, rendered as users see it.

python docs/screenshot_import_preview.py INVENTORY OUT.png

The file is read as the window reads it (`ui.exchange.read_for_preview`: both ways, with
the consolidation beside today's hosts), then the real dialog is shown and grabbed.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from hvplanner.ui.exchange import read_for_preview
from hvplanner.ui.exchange_dialogs import ImportPreviewDialog


def main(source: Path, target: Path) -> int:
    app = QApplication(sys.argv[:1])
    preview = read_for_preview(source, set(), set(), lambda _done, _total: True)
    dialog = ImportPreviewDialog(
        source.name, preview.parse(False), preview.parse, consolidation=preview.consolidation
    )
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
