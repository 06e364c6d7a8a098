"""Live utilization view figures, offscreen, on 2,000 VMs on 100 hosts (7 days, 5-minute steps).

- redraws per second while streaming (advance + setData + a synchronous repaint of the
  plots), cluster and 6 hosts shown, windows of 1 day and 7 days; target ≥ 30
- memory over 10 minutes of streaming at 30 frames a second (18,000 frames at ×1000:
  about 7 simulated days, so the stream loops; every frame sets the data, one in ten is
  painted): RSS after the first 1,000 frames against after all of them; target flat
- one VM moved between hosts, until the simulation, both views, the sparklines and the
  summary are updated (the debounce pause not counted); target ≤ 50 ms median

Run: python -m bench.live [--no-write] [--frames N]
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import statistics
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np

from bench.gui import rss_mb
from bench.simulation import HOSTS, RESULTS, VMS, make_plan

FPS_TARGET = 30.0
MOVE_BUDGET_S = 0.050
FRAME_S = 1 / 30
PAINT_EVERY = 10


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-write", action="store_true", help="do not append to RESULTS.md")
    parser.add_argument("--frames", type=int, default=18_000, help="frames of the memory run")
    args = parser.parse_args()

    import PySide6
    from PySide6.QtWidgets import QApplication

    from hvplanner.model import edits
    from hvplanner.ui.commands import MoveVMsCommand
    from hvplanner.ui.mainwindow import MainWindow

    app = QApplication.instance() or QApplication([])
    plan = make_plan(("constant", "diurnal", "nightly-batch", "bursty"))
    window = MainWindow(plan)
    window.resize(1600, 1000)
    window.show_view("utilization")
    window.show()
    app.processEvents()
    view = next(v for v in window.utilization_views() if v is not window.utilization)
    hosts = [h.id for h in plan.hosts[:6]]
    view.show_hosts(hosts)
    view.set_speed(1000)
    view.play()
    view.timer.stop()  # frames are driven by hand below, as fast as they go

    def frames(n: int, paint_every: int = 1) -> float:
        start = time.perf_counter()
        for i in range(n):
            view.advance(FRAME_S)
            if i % paint_every == 0:
                view.plots.viewport().repaint()
        return n / (time.perf_counter() - start)

    fps = {}
    for title, minutes in (("1 day", 1440.0), ("7 days", 10080.0)):
        view.set_window(minutes)
        frames(30)
        fps[title] = frames(300)

    view.set_window(1440.0)
    # Every frame sets the data; one in ten is painted too, which keeps the run short.
    frames(1000, PAINT_EVERY)
    rss_start = rss_mb()
    frames(args.frames - 1000, PAINT_EVERY)
    rss_end = rss_mb()

    doc, live = window.doc, window.live
    rng = np.random.default_rng(6)
    engine, full = [], []
    for _ in range(40):
        vm = f"vm{rng.integers(VMS):04d}"
        host = f"h{rng.integers(HOSTS):03d}"
        if next(v.host for v in doc.plan.vms if v.id == vm) == host:
            continue
        after = edits.move_vms(doc.plan, [vm], host)
        assert live.live is not None
        probe = live.live
        t = time.perf_counter()
        probe.update(after, doc.profile)
        engine.append(time.perf_counter() - t)
        probe.update(doc.plan, doc.profile)  # back, so the window's move is a real one
        doc.push(MoveVMsCommand(doc, [vm], host))
        t = time.perf_counter()
        live.refresh_now()  # the debounce pause skipped: the work after it is measured
        app.processEvents()
        full.append(time.perf_counter() - t)

    move_med = statistics.median(full)
    ok = min(fps.values()) >= FPS_TARGET and move_med <= MOVE_BUDGET_S
    lines = [
        "### Live view (`bench/live.py`)",
        "",
        f"{VMS:,} VMs on {HOSTS} hosts, 7 days at 5-minute steps, Utilization tab at "
        f"1600 × 1000 showing the cluster and 6 hosts; offscreen, {os.cpu_count()} CPUs, "
        f"PySide6 {PySide6.__version__}, Python {platform.python_version()}, "
        f"{datetime.date.today().isoformat()}",
        "",
        "| figure | result | target |",
        "|---|---|---|",
        f"| redraws per second, 1-day window (advance + setData + repaint) "
        f"| {fps['1 day']:.0f} | ≥ {FPS_TARGET:.0f} |",
        f"| redraws per second, 7-day window (2,016 points a curve) "
        f"| {fps['7 days']:.0f} | ≥ {FPS_TARGET:.0f} |",
        f"| RSS after 1,000 frames → after {args.frames:,} frames (1 in {PAINT_EVERY} painted) "
        f"| {rss_start:.1f} → {rss_end:.1f} MB ({rss_end - rss_start:+.1f} MB) | flat |",
        f"| one VM moved: LiveSimulation.update (median / max of {len(engine)}) "
        f"| {statistics.median(engine) * 1000:.1f} / {max(engine) * 1000:.1f} ms | — |",
        f"| one VM moved: simulation, both views, sparklines, summary (median / max) "
        f"| {move_med * 1000:.1f} / {max(full) * 1000:.1f} ms | ≤ {MOVE_BUDGET_S * 1000:.0f} ms |",
        "",
        f"{args.frames:,} frames at 30 a second are {args.frames / 30 / 60:.0f} minutes of "
        "streaming; at ×1000 the simulated week loops once. Targets: "
        f"{'met' if ok else 'NOT met'}.",
    ]
    text = "\n".join(lines)
    print(text)
    window.doc.undo_stack.setClean()
    window.close()
    if not args.no_write:
        with RESULTS.open("a", encoding="utf-8") as fh:
            fh.write(f"\n{text}\n")


if __name__ == "__main__":
    main()
