"""`hvplanner gui`: the window, or a screenshot of it for docs and checks."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from pathlib import Path

from hvplanner.errors import InputError

NO_DISPLAY = (
    "hvplanner gui: no display (DISPLAY and WAYLAND_DISPLAY are unset); "
    "run it in a desktop session, or use --screenshot FILE.png to render without one"
)


SHOT_SIZE = "1600x1000"


def _needs_display_check() -> bool:
    return (
        sys.platform.startswith("linux")
        and not os.environ.get("DISPLAY")
        and not os.environ.get("WAYLAND_DISPLAY")
        and not os.environ.get("QT_QPA_PLATFORM")
    )


def _size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(p) for p in text.lower().split("x"))
    except ValueError:
        raise InputError(f"--size: {text!r} is not WIDTHxHEIGHT, e.g. 1600x1000") from None
    if not (320 <= w <= 10_000 and 240 <= h <= 10_000):
        raise InputError(f"--size: {text} is outside 320x240 … 10000x10000")
    return w, h


def run_gui(args: argparse.Namespace) -> int:
    screenshot: str | None = getattr(args, "screenshot", None)
    if _needs_display_check():
        if not screenshot:
            print(NO_DISPLAY, file=sys.stderr)
            return 2
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    # A screenshot has a fixed size; a window opens where the user left it, within the screen.
    size_arg: str | None = getattr(args, "size", None)
    size = _size(size_arg or SHOT_SIZE) if (size_arg or screenshot) else None

    # Plan errors are reported before any window exists: a bad file never opens one.
    from hvplanner.formats.planfile import known_hypervisor, load_plan
    from hvplanner.paths import sample_plan

    path = Path(args.plan) if getattr(args, "plan", None) else sample_plan()
    plan = known_hypervisor(load_plan(path), path)

    from PySide6.QtWidgets import QApplication

    from hvplanner.ui.mainwindow import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("hvplanner")
    app.setOrganizationName("hvplanner")
    app.setApplicationDisplayName("hvplanner")
    from hvplanner.ui.mainwindow import default_settings
    from hvplanner.ui.theme import saved_mode, theme

    theme().set_mode(getattr(args, "theme", None) or saved_mode(default_settings()))
    from hvplanner.ui.i18n import install_translators

    install_translators(app)
    # Desktops match the window to its menu entry (and icon) by this id, on Wayland above all.
    from PySide6.QtGui import QIcon

    from hvplanner.paths import APP_ID, app_icon

    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(QIcon(str(app_icon())))
    from hvplanner.ui.files import is_sample

    # A bundled sample opens as a copy: the first Save asks where, so it is never overwritten.
    given = path if getattr(args, "plan", None) and not is_sample(path) else None
    _answer_outside_series(plan, path, args, bool(screenshot))
    window = MainWindow(plan, given, placer=_placer())
    if size is not None:
        window.resize(*size)
    view = getattr(args, "view", "canvas") or "canvas"
    if not window.show_view(view):
        known = ", ".join(window.view_names)
        raise InputError(f"--view: unknown view {view!r}; this window has: {known}")
    for host in getattr(args, "select", []) or []:
        card = window.scene.cards.get(host)
        if card is None:
            raise InputError(f"--select: no host {host!r} in the plan")
        card.setSelected(True)
    fails = list(getattr(args, "fail", []) or [])
    if fails or screenshot:
        window.live.series.wait()  # what they show depends on the measured series
        window.live.refresh_now()
    if fails:
        _apply_failures(window, fails)
    from hvplanner.ui import probe

    probe.install(window)  # only for the real-window tests, when HVPLANNER_PROBE is set
    window.show()
    if screenshot:
        return _screenshot(app, window, Path(screenshot))
    window.canvas.fit()
    window.files.offer_recovery()
    return _leave(app.exec())


def _leave(code: int) -> int:
    """Ends the process as soon as the window has closed.

    By now the plan was saved or discarded, the autosave removed, the lock released and the
    settings synced (closeEvent). Python's own teardown of PySide6, NumPy and pydantic
    objects would take another 0.5–1.2 s (measured on 2 cores, Xvfb): the window is gone but
    the process lingers, so the user sees a slow quit. Nothing is left to write.
    """
    import logging

    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _answer_outside_series(plan: object, path: Path, args: argparse.Namespace, shot: bool) -> None:
    """`--allow-outside-series` answers the window's question before it is asked; a
    screenshot, with nobody to answer, reads no file outside the plan's folder without it."""
    from hvplanner.model.plan import Plan
    from hvplanner.ui.utilization.series import outside, remember

    assert isinstance(plan, Plan)
    allow = bool(getattr(args, "allow_outside_series", False))
    if allow or shot:
        with contextlib.suppress(OSError, RuntimeError):  # the read reports what is wrong
            remember(path, outside(plan, path), allow)


def _apply_failures(window: object, texts: list[str]) -> None:
    from hvplanner.text import parse_fail
    from hvplanner.ui.mainwindow import MainWindow

    assert isinstance(window, MainWindow)
    if window.live.pending:
        window.live.refresh_now()  # a large plan's simulation may still be building
    live = window.live.live
    if live is None:
        raise InputError(f"--fail: {window.live.error}")
    parsed = [parse_fail(t, [h.id for h in live.plan.hosts], live.days) for t in texts]
    if len({m for _, m in parsed}) > 1:
        raise InputError("--fail: every failed host must fail at the same TIME")
    if not window.whatif.fail_hosts([h for h, _ in parsed], parsed[0][1]):
        raise InputError("--fail: no host would survive")


def _placer() -> object | None:
    from hvplanner.ui.placing import placer

    return placer()


def _screenshot(app: object, window: object, target: Path) -> int:
    from PySide6.QtCore import QEventLoop, QThread, QTimer
    from PySide6.QtWidgets import QApplication

    from hvplanner.ui.mainwindow import MainWindow

    assert isinstance(window, MainWindow)
    widget = window.views.currentWidget()
    run_check = getattr(widget, "run_check", None)
    if callable(run_check):
        # A panel that shows a background result is pictured with that result.
        run_check()
        for _ in range(100):
            if getattr(widget, "report", None) is not None:
                break
            QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
            QThread.msleep(50)
    # A picture of the plan as it is: what a large plan computes in workers, computed now.
    if window.live.pending:
        window.live.refresh_now()
    window.summary.refresh()
    loop = QEventLoop()
    # Two passes: the first lays the docks out, the fit needs their final size.
    QTimer.singleShot(150, window.canvas.fit)
    QTimer.singleShot(400, loop.quit)
    loop.exec()
    QApplication.processEvents()
    image = window.grab()
    target.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(target)):
        raise InputError(f"--screenshot: cannot write {target}")
    window.doc.undo_stack.setClean()
    window.close()
    return 0
