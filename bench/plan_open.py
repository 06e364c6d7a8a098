"""File ▸ Open of a large plan: the window's thread keeps turning while it is read.

A plan of N VMs (default 100,000 and 300,000), opened offscreen in a window three ways in
the same run:
- "GUI thread": read and checked on the window's thread, as File ▸ Open did before
  (the baseline; the thread is blocked throughout),
- "worker, whole check": read in a worker, checked in one pydantic call,
- "worker, in parts": read in a worker, checked 1,000 VMs at a time (what File ▸ Open does).
Figures: the longest gap between 5 ms timer ticks while the file is read and checked
(wall; the window could not answer for that long), the time until the plan is read
(wall), and the CPU seconds (user + sys) of the process for the read. The window's own
rebuild for the new plan (`doc.reset`, on its thread either way) is not counted.

Run: python -m bench.plan_open [--vms 100000 300000]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def write_plan(path: Path, vms: int) -> None:
    data = {
        "schema_version": 1,
        "name": "open-bench",
        "host_models": [{"id": "m", "sockets": 1, "cores_per_socket": 8, "ghz": 2, "ram_gb": 64}],
        "hosts": [{"id": "h1", "model": "m"}],
        "vms": [
            {"id": f"vm-{i}", "vcpu": 1 + i % 4, "ram_gb": 2, "host": "h1" if i % 2 else None}
            for i in range(vms)
        ],
    }
    path.write_text(json.dumps(data))


def cpu_s() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--vms", type=int, nargs="+", default=[100_000, 300_000])
    args = parser.parse_args()

    from PySide6.QtCore import QEventLoop, QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from hvplanner.formats import planparts
    from hvplanner.formats.planfile import load_plan
    from hvplanner.model.plan import Plan
    from hvplanner.ui.autosave import Autosave
    from hvplanner.ui.background import BackgroundTask
    from hvplanner.ui.mainwindow import MainWindow

    tmp = Path(tempfile.mkdtemp(prefix="plan-open-"))
    settings = QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(Plan(name="start"), None, autosave=Autosave(tmp / "a"), settings=settings)
    window.show()
    app.processEvents()

    kept: list[object] = []

    def measure(read: str, path: Path) -> tuple[float, float, float]:
        ticks: list[float] = []
        timer = QTimer()
        timer.setInterval(5)
        timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
        timer.start()
        c0, t0 = cpu_s(), time.perf_counter()
        ticks.append(t0)
        if read == "GUI thread":
            kept.append(load_plan(path))
        else:
            in_parts = planparts.plan_in_parts
            if read == "worker, whole check":
                planparts.plan_in_parts = lambda raw, progress: None  # type: ignore[assignment]
            task = BackgroundTask()
            loop = QEventLoop()
            task.finished.connect(lambda r: (kept.append(r), loop.quit()))
            task.failed.connect(lambda _e: loop.quit())
            task.start(lambda progress: planparts.read_plan(path, progress=progress))
            loop.exec()
            planparts.plan_in_parts = in_parts  # type: ignore[assignment]
        t1, c1 = time.perf_counter(), cpu_s()
        app.processEvents()
        timer.stop()
        ticks.append(time.perf_counter())
        gap = max(b - a for a, b in itertools.pairwise(ticks))
        kept.clear()  # freeing 300,000 VMs takes the GUI thread a while: not a read's cost
        return gap, t1 - t0, c1 - c0

    print("| VMs | file | read | longest GUI gap | read until done | CPU |")
    print("|---|---|---|---|---|---|")
    for n in args.vms:
        path = tmp / f"p{n}.hvplan.json"
        write_plan(path, n)
        mb = path.stat().st_size / 1024 / 1024
        for read in ("GUI thread", "worker, whole check", "worker, in parts"):
            gap, wall, cpu = measure(read, path)
            print(f"| {n:,} | {mb:.0f} MB | {read} | {gap:.3f} s | {wall:.2f} s | {cpu:.2f} s |")
    window.doc.undo_stack.setClean()
    window.close()


if __name__ == "__main__":
    main()
