"""Opening a plan whose measured series is large: the window stays responsive.

A plan with one measured workload whose series is a 60 MB CSV (about 1.7 million
samples), opened offscreen; beside it, in the same run, the same plan with that
workload's VMs on a built-in profile (nothing to read). Figures:
- how long building the window blocks the GUI thread (wall)
- the longest gap between 10 ms timer ticks from then until half a second after the
  simulation is ready (wall; the GUI thread was blocked for that long at most)
- until the simulation is ready (wall) and the process's CPU seconds (user + sys)

Run: python -m bench.series_open [--mb 60]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PLAN = {
    "schema_version": 1,
    "name": "series-open",
    "hypervisor": "hyper-v@2008r2",
    "host_models": [
        {
            "id": "m",
            "sockets": 1,
            "cores_per_socket": 8,
            "ghz": 2.0,
            "ram_gb": 64,
            "nics": [{"count": 1, "gbps": 1}],
        }
    ],
    "hosts": [{"id": "h1", "model": "m"}, {"id": "h2", "model": "m"}],
    "vms": [
        {"id": "web", "count": 6, "vcpu": 1, "ram_gb": 4, "nic_mbps": 100, "host": "h1"},
        {"id": "db", "count": 2, "vcpu": 2, "ram_gb": 16, "host": "h2", "profile": "trace"},
    ],
    "workloads": [{"name": "trace", "kind": "measured", "series": "db.csv"}],
}


def write_series(path: Path, mb: float) -> int:
    rows = 0
    with path.open("w") as f:
        f.write("minute,cpu,ram,nic\n")
        while f.tell() < mb * 1024 * 1024:
            f.write(f"{rows},0.{(rows * 7) % 97:02d}3456,0.5123456,0.0123456\n")
            rows += 1
    return rows


def cpu_s() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def open_once(path: Path) -> tuple[float, float, float, float]:
    """(window built, longest gap after, until ready, CPU seconds)."""
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from hvplanner.formats.planfile import load_plan
    from hvplanner.ui.autosave import Autosave
    from hvplanner.ui.mainwindow import MainWindow

    app = QApplication.instance() or QApplication([])
    gaps: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(tick)
    timer.start()
    folder = path.parent
    c0, w0 = cpu_s(), time.perf_counter()
    window = MainWindow(
        load_plan(path),
        path,
        autosave=Autosave(folder / "autosave"),
        settings=QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat),
    )
    window.show()
    built = time.perf_counter() - w0
    last[0] = time.perf_counter()
    gaps.clear()
    while window.live.live is None and window.live.series.reading:
        app.processEvents()
        time.sleep(0.002)
    ready = time.perf_counter() - w0
    assert window.live.live is not None, window.live.error
    # The simulation and the views are built on the GUI thread when the series arrive:
    # that turn counts too.
    settle = time.perf_counter() + 0.5
    while time.perf_counter() < settle:
        app.processEvents()
        time.sleep(0.002)
    timer.stop()
    window.live.series.shutdown()
    window.doc.undo_stack.setClean()
    window.close()
    return built, max(gaps, default=0.0), ready, cpu_s() - c0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=60.0, help="size of the series file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hvbench-") as tmp:
        folder = Path(tmp)
        rows = write_series(folder / "db.csv", args.mb)
        measured = folder / "measured.hvplan.json"
        measured.write_text(json.dumps(PLAN))
        plain = dict(PLAN, workloads=[])
        plain["vms"] = [{k: v for k, v in vm.items() if k != "profile"} for vm in PLAN["vms"]]
        (folder / "base").mkdir()
        baseline = folder / "base" / "plain.hvplan.json"
        baseline.write_text(json.dumps(plain))
        print(f"series: {(folder / 'db.csv').stat().st_size / 2**20:.0f} MB, {rows:,} samples")
        for title, path in (("no series (baseline)", baseline), ("60 MB series", measured)):
            built, gap, ready, cpu = open_once(path)
            print(
                f"  {title:22} window built {built:5.2f} s · longest GUI gap after "
                f"{gap:5.3f} s · ready {ready:5.2f} s · CPU {cpu:5.2f} s"
            )


if __name__ == "__main__":
    main()
