"""GUI figures on a generated plan of 2,000 VMs on 100 hosts.

- open to first paint (window built, shown, one frame rendered), target ≤ 2 s
- moving one VM between hosts until both cards show the new bars, target ≤ 16 ms median
- memory after 1,000 move+undo pairs against after the first 10, target: no growth
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from hvplanner.model.plan import VM, Host, HostModel, NicGroup, Plan


def generated_plan(hosts: int = 100, vms: int = 2000) -> Plan:
    model = HostModel(
        id="2s16c-512g",
        sockets=2,
        cores_per_socket=16,
        threads_per_core=2,
        ghz=2.6,
        ram_gb=512,
        nics=[NicGroup(count=4, gbps=10)],
    )
    return Plan(
        name="bench",
        host_models=[model],
        hosts=[Host(id=f"h{i}", model=model.id) for i in range(hosts)],
        vms=[
            VM(id=f"vm{i}", vcpu=1 + i % 4, ram_gb=2 + i % 8, nic_mbps=50, host=f"h{i % hosts}")
            for i in range(vms)
        ],
    )


def _trim_heap() -> None:
    # glibc keeps freed blocks mapped; trimming first makes RSS count live memory only, so a
    # step of allocator warm-up is not mistaken for a leak (nor hides one).
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def rss_mb() -> float:
    # ru_maxrss is a peak; the current size from /proc is what shows a leak.
    _trim_heap()
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from hvplanner.ui.autosave import Autosave
    from hvplanner.ui.commands import MoveVMsCommand
    from hvplanner.ui.mainwindow import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    plan = generated_plan()
    tmp = Path(tempfile.mkdtemp(prefix="hvplanner-bench-"))

    t0 = time.perf_counter()
    window = MainWindow(
        plan,
        autosave=Autosave(tmp / "autosave"),
        settings=QSettings(str(tmp / "s.ini"), QSettings.Format.IniFormat),
    )
    window.resize(1600, 1000)
    window.show()
    window.canvas.fit()
    app.processEvents()
    window.canvas.viewport().grab()  # forces one full paint of the canvas
    open_s = time.perf_counter() - t0

    doc, scene = window.doc, window.scene
    times: list[float] = []
    for i in range(200):
        vm = f"vm{i}"
        src = f"h{i % 100}"
        dst = f"h{(i + 1) % 100}"
        t = time.perf_counter()
        doc.push(MoveVMsCommand(doc, [vm], dst))
        # Both cards repaint from the bars they now hold.
        scene.cards[src].update()
        scene.cards[dst].update()
        app.processEvents()
        times.append((time.perf_counter() - t) * 1000)
        assert any(c.vm.id == vm for c in scene.cards[dst].chips)
    median_ms = statistics.median(times)

    def cycle(n: int) -> None:
        for i in range(n):
            doc.push(MoveVMsCommand(doc, [f"vm{i % 2000}"], f"h{(i + 7) % 100}"))
            doc.undo_stack.undo()
            if i % 50 == 0:
                app.processEvents()

    def settle() -> None:
        # The views that follow edits after a pause (summary, comparison, live simulation)
        # run here, so both measurements see them done, not one of them half-way.
        end = time.perf_counter() + 0.5
        while time.perf_counter() < end:
            app.processEvents()
            time.sleep(0.01)
        gc.collect()

    cycle(10)
    settle()
    after_10 = rss_mb()
    items_10 = len(scene.items())
    cycle(1000)
    settle()
    after_1000 = rss_mb()
    items_1000 = len(scene.items())
    # Two more thousands tell a leak (steady growth) from allocator warm-up (a step).
    cycle(2000)
    app.processEvents()
    gc.collect()
    after_3000 = rss_mb()

    # Auto-place of all 2,000 VMs through the window: worker thread, engine, apply, redraw.
    from hvplanner.engine.placement import place
    from hvplanner.ui.placing import engine_placer

    window.autoplace.placer = engine_placer
    window.autoplace.setEnabled(True)
    t = time.perf_counter()
    engine_only = place(doc.plan)
    engine_s = time.perf_counter() - t
    before = doc.plan
    t = time.perf_counter()
    window.autoplace.run()
    while doc.plan is before and time.perf_counter() - t < 60:
        app.processEvents()
        time.sleep(0.001)
    app.processEvents()
    autoplace_s = time.perf_counter() - t

    doc.undo_stack.setClean()
    window.close()
    print("bench/gui.py — 2,000 VMs on 100 hosts (offscreen)")
    print(f"  open to first paint       {open_s:8.3f} s   (target ≤ 2 s)")
    print(
        f"  move one VM, median       {median_ms:8.2f} ms  (target ≤ 16 ms; p90 "
        f"{statistics.quantiles(times, n=10)[-1]:.2f} ms)"
    )
    print(f"  RSS after 10 move+undo    {after_10:8.1f} MB")
    print(
        f"  RSS after 1,000 move+undo {after_1000:8.1f} MB"
        f"  (growth {after_1000 - after_10:+.1f} MB)"
    )
    print(
        f"  RSS after 3,000 move+undo {after_3000:8.1f} MB"
        f"  (growth from 1,000: {after_3000 - after_1000:+.1f} MB)"
    )
    print(f"  scene items after 10 / 1,000 move+undo: {items_10} / {items_1000}")
    print(
        f"  Auto-place 2,000 VMs      {autoplace_s:8.3f} s   (target ≤ 1 s; the engine alone "
        f"{engine_s:.3f} s, {engine_only.host_count} hosts, lower bound "
        f"{engine_only.lower_bound})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
