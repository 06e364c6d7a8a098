"""The canvas's own share of the window's work, on generated plans (20 VMs a host).

`bench/gui.py` times what a user waits for, every view included; this isolates the canvas:
CPU seconds of `PlanScene.sync` and of the canvas's paint at open and when Auto-place's
plan arrives (every VM placed anew), the VM chips that exist as items, and the placement
engine's own CPU time on the same plan beside them. Each size runs in a fresh process;
`--baseline TREE` runs a checkout of the previous release the same way, in the same run.

Target (issue 19): Auto-place's window work ≤ the engine's time; here, the canvas's part.

    python -m bench.canvas [--sizes 10000,30000] [--baseline /path/to/previous/tree]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def child(n_vms: int) -> dict[str, float | str]:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    import hvplanner
    from hvplanner.engine.placement import place
    from hvplanner.engine.placement.apply import apply_placement
    from hvplanner.ui.autosave import Autosave
    from hvplanner.ui.canvas.chips import VMChip
    from hvplanner.ui.canvas.scene import PlanScene
    from hvplanner.ui.commands import ReplacePlanCommand
    from hvplanner.ui.mainwindow import MainWindow

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from bench.gui import PER_HOST, generated_plan

    spent = [0.0]
    sync = PlanScene.sync

    def timed(self: PlanScene, touched: object) -> None:
        c = time.process_time()
        sync(self, touched)
        spent[0] += time.process_time() - c

    PlanScene.sync = timed
    app = QApplication.instance() or QApplication(sys.argv[:1])
    tmp = Path(tempfile.mkdtemp(prefix="hvplanner-bench-"))
    window = MainWindow(
        generated_plan(n_vms // PER_HOST, n_vms),
        autosave=Autosave(tmp / "autosave"),
        settings=QSettings(str(tmp / "s.ini"), QSettings.Format.IniFormat),
    )
    window.resize(1600, 1000)
    window.show()
    window.canvas.fit()
    app.processEvents()
    c = time.process_time()
    window.canvas.viewport().grab()
    out: dict[str, float | str] = {
        "tree": str(Path(hvplanner.__file__).parents[1]),
        "sync_open": spent[0],
        "paint_open": time.process_time() - c,
        "chips_open": sum(isinstance(i, VMChip) for i in window.scene.items()),
    }
    end = time.perf_counter() + 1.0  # the views that follow after a pause settle first
    while time.perf_counter() < end:
        app.processEvents()
        time.sleep(0.01)
    doc = window.doc
    c = time.process_time()
    result = place(doc.plan)
    out["engine"] = time.process_time() - c
    placed = apply_placement(doc.plan, result)
    spent[0] = 0.0
    doc.push(ReplacePlanCommand(doc, "Auto-place", placed))
    c = time.process_time()
    window.canvas.viewport().grab()
    out["paint_auto"] = time.process_time() - c
    out["sync_auto"] = spent[0]
    out["chips_auto"] = sum(isinstance(i, VMChip) for i in window.scene.items())
    doc.undo_stack.setClean()
    window.close()
    return out


def _run(n: int, tree: str | None) -> dict[str, float]:
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    if tree:
        env["PYTHONPATH"] = tree
    proc = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child", str(n)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=tempfile.gettempdir(),
    )
    if proc.returncode != 0:
        raise SystemExit(f"bench child {n} failed:\n{proc.stderr[-3000:]}")
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    used = out.pop("tree")
    if tree and Path(used).resolve() != Path(tree).resolve():
        raise SystemExit(f"the baseline ran {used}, not {tree}")
    return dict(out)


def _line(label: str, r: dict[str, float]) -> str:
    return (
        f"    {label:9} open: sync {r['sync_open']:.3f} s + paint {r['paint_open']:.3f} s CPU, "
        f"{r['chips_open']:,.0f} chips; Auto-place: sync {r['sync_auto']:.3f} s + paint "
        f"{r['paint_auto']:.3f} s = {r['sync_auto'] + r['paint_auto']:.3f} s CPU against the "
        f"engine's {r['engine']:.3f} s, {r['chips_auto']:,.0f} chips"
    )


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--sizes", default="10000,30000")
    p.add_argument("--baseline", help="a checkout of the previous release to measure beside")
    p.add_argument("--child", type=int)
    args = p.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child)))
        return 0
    print("bench/canvas.py — the canvas's CPU seconds, generated plans, 20 VMs a host")
    for size in [int(s) for s in args.sizes.split(",")]:
        print(f"\n  {size:,} VMs on {size // 20:,} hosts")
        print(_line("this tree", _run(size, None)))
        if args.baseline:
            print(_line("previous", _run(size, args.baseline)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
