"""What a test may not leave behind, and what a worker may not touch.

`leftovers()`: QThreads still running and QObjects living in a thread other than the GUI
thread (napari checks the same after each test). `QtUseRecorder`: records every call a
thread makes into code that uses Qt, so a test can prove a worker only computed.
"""

from __future__ import annotations

import sys
import threading
from types import FrameType, ModuleType
from typing import Any


def _qt_ready() -> bool:
    if "PySide6.QtCore" not in sys.modules:
        return False
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.instance() is not None


def leftovers() -> tuple[list[str], list[str]]:
    """(running QThreads, QObjects off the GUI thread), as descriptions."""
    if not _qt_ready():
        return [], []
    import shiboken6
    from PySide6.QtCore import QCoreApplication, QObject, QThread

    app = QCoreApplication.instance()
    assert app is not None
    gui = shiboken6.Shiboken.getCppPointer(app.thread())[0]
    running, stray = [], []
    for w in shiboken6.Shiboken.getAllValidWrappers():
        if not isinstance(w, QObject) or not shiboken6.isValid(w):
            continue
        if isinstance(w, QThread):
            if w.isRunning() and shiboken6.Shiboken.getCppPointer(w)[0] != gui:
                running.append(repr(w))
            continue
        owner = w.thread()
        if owner is not None and shiboken6.Shiboken.getCppPointer(owner)[0] != gui:
            stray.append(f"{type(w).__module__}.{type(w).__qualname__}")
    return running, stray


def _uses_qt(module: ModuleType | None, cache: dict[str, bool]) -> bool:
    if module is None:
        return False
    name = module.__name__
    if name not in cache:
        cache[name] = name.startswith(("PySide6", "shiboken6", "pyqtgraph")) or any(
            str(getattr(v, "__module__", None) or "").startswith("PySide6")
            or str(getattr(v, "__name__", None) or "").startswith("PySide6")
            for v in list(vars(module).values())
        )
    return cache[name]


class QtUseRecorder:
    """Wrap a function: while it runs, every call into a module that uses Qt, and every
    call of a Qt object's method, is recorded in `seen` (as "module.function")."""

    def __init__(self) -> None:
        self.seen: list[str] = []
        self.threads: set[str] = set()
        self._cache: dict[str, bool] = {}

    def _hook(self, frame: FrameType, event: str, arg: Any) -> None:
        if event == "call":
            if frame.f_globals.get("__name__", "").startswith("shibokensupport"):
                return  # PySide's import hook: it sees every import, makes no Qt object
            mod = sys.modules.get(frame.f_globals.get("__name__", ""))
            if _uses_qt(mod, self._cache):
                self.seen.append(f"{frame.f_globals['__name__']}.{frame.f_code.co_name}")
        elif event == "c_call":
            owner = getattr(arg, "__self__", None)
            if (type(owner).__module__ or "").startswith("PySide6") or (
                getattr(arg, "__module__", None) or ""
            ).startswith(("PySide6", "shiboken6")):
                self.seen.append(f"{type(owner).__qualname__}.{arg.__name__}")

    def wrap(self, fn: Any) -> Any:
        """`progress` (the job's only way to report, a queued signal) is left out."""

        def untraced(report: Any) -> Any:
            def call(*args: Any, **kwargs: Any) -> Any:
                sys.setprofile(None)
                try:
                    return report(*args, **kwargs)
                finally:
                    sys.setprofile(self._hook)

            return call

        def traced(*args: Any, **kwargs: Any) -> Any:
            self.threads.add(threading.current_thread().name)
            if "progress" in kwargs:
                kwargs["progress"] = untraced(kwargs["progress"])
            sys.setprofile(self._hook)
            try:
                return fn(*args, **kwargs)
            finally:
                sys.setprofile(None)

        return traced
