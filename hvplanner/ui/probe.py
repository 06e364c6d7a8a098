"""A test hook, off unless HVPLANNER_PROBE names a file: what the window shows, where, as JSON.

The real-window tests (tests/real) drive the application with a real pointer and keyboard
on an X server. To aim the pointer they need the screen geometry of palette rows, host
cards and chips; to check what a person would read they need the status bar's text; to
check that the window never froze they need the longest stall of the GUI thread. This
module writes those, a few times a second, and nothing else: it changes no state.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from PySide6.QtCore import QObject, QRect, QRectF, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QMainWindow,
    QTreeWidgetItemIterator,
    QWidget,
)

ENV = "HVPLANNER_PROBE"
WRITE_MS = 100
# A heartbeat: when the GUI thread is blocked, the timer fires late, and nothing repaints.
BEAT_MS = 20
# Late beats worth recording (seconds); the tests decide what is too long.
STALL_S = 0.2


def _rect(r: QRect) -> list[int]:
    return [r.x(), r.y(), r.width(), r.height()]


def _global(widget: QWidget, r: QRect) -> list[int]:
    top_left = widget.mapToGlobal(r.topLeft())
    return [top_left.x(), top_left.y(), r.width(), r.height()]


class Probe(QObject):
    def __init__(self, window: QMainWindow, path: Path) -> None:
        super().__init__(window)
        self.window = window
        self.path = path
        self.stalls: list[tuple[float, float]] = []  # (wall-clock end, seconds late)
        self._last_beat = time.monotonic()
        self._beat = QTimer(self)
        self._beat.setInterval(BEAT_MS)
        self._beat.timeout.connect(self._on_beat)
        self._beat.start()
        self._writer = QTimer(self)
        self._writer.setInterval(WRITE_MS)
        self._writer.timeout.connect(self.write)
        self._writer.start()

    def _on_beat(self) -> None:
        now = time.monotonic()
        gap = now - self._last_beat
        self._last_beat = now
        if gap > STALL_S:
            self.stalls.append((time.time(), round(gap, 3)))

    def state(self) -> dict[str, object]:
        w = self.window
        canvas = getattr(w, "canvas", None)
        scene = getattr(w, "scene", None)
        palette = getattr(w, "palette", None)
        doc = getattr(w, "doc", None)
        out: dict[str, object] = {
            "time": time.time(),
            "title": w.windowTitle(),
            "active": w.isActiveWindow(),
            "modified": w.isWindowModified(),
            "window": _global(w, w.rect()),
            "status": w.statusBar().currentMessage(),
            "stalls": self.stalls[-50:],
            "focus": type(w.focusWidget()).__name__ if w.focusWidget() else None,
        }
        modal = QApplication.activeModalWidget()
        out["modal"] = modal.windowTitle() if modal is not None else None
        if modal is not None:
            out["modal_buttons"] = {
                b.text().replace("&", ""): _global(b, b.rect())
                for b in modal.findChildren(QAbstractButton)
                if b.isVisible() and b.text()
            }
        live = getattr(w, "live", None)
        if live is not None:
            out["simulation"] = "" if live.live is not None else live.error
        views = getattr(w, "views", None)
        if views is not None:
            out["tab"] = views.tabText(views.currentIndex())
            bar = views.tabBar()
            out["tabs"] = {
                views.tabText(i): _global(bar, bar.tabRect(i)) for i in range(views.count())
            }
        if doc is not None:
            out["path"] = str(doc.path) if doc.path else None
            out["undo"] = [doc.undo_stack.index(), doc.undo_stack.count()]
            out["vms"] = {v.id: v.host for v in doc.plan.vms}
            out["hosts"] = [h.id for h in doc.plan.hosts]
        if palette is not None:
            tree = palette.tree
            rows = []
            it = QTreeWidgetItemIterator(tree)
            while it.value() is not None:
                item = it.value()
                r = tree.visualItemRect(item)
                if r.isValid():
                    section = item.parent().text(0) if item.parent() else None
                    rows.append(
                        {
                            "text": item.text(0),
                            "section": section,
                            "rect": _global(tree.viewport(), r),
                        }
                    )
                it += 1
            out["palette"] = rows
            out["palette_rect"] = _global(tree.viewport(), tree.viewport().rect())
        if canvas is not None and scene is not None and canvas.isVisible():
            port = canvas.viewport()

            def on_screen(rect: QRectF) -> list[int]:
                return _global(port, canvas.mapFromScene(rect).boundingRect())

            out["canvas"] = _global(port, port.rect())
            out["tray"] = on_screen(scene.tray.sceneBoundingRect())
            out["cards"] = {
                hid: on_screen(card.sceneBoundingRect()) for hid, card in scene.cards.items()
            }
            chips = {}
            for box in [scene.tray, *scene.cards.values()]:
                for chip in box.chips:
                    chips[chip.vm.id] = on_screen(chip.sceneBoundingRect())
            out["chips"] = chips
        if scene is not None:
            out["selected"] = scene.selected_vm_ids() + scene.selected_host_ids()
        return out

    def write(self) -> None:
        text = json.dumps(self.state())
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, self.path)


def install(window: QMainWindow) -> Probe | None:
    target = os.environ.get(ENV)
    if not target:
        return None
    return Probe(window, Path(target))
