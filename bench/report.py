"""PDF report of 2,000 VMs on 100 hosts (target ≤ 5 s) and 10,000 VMs on 500 hosts
(target ≤ 2.5 s), beside same-run baselines. CPU seconds of this process (user + sys).

Baselines: the sizing, loads and simulation computed alone (the report's inputs on its
own hypervisor), so the rest of the report stands out; the engine part of the report
alone (`full_report`: the plan sized on every compared hypervisor, its loads and lower
bounds, the cost, the simulation and its charts); and the whole PDF written by an earlier
commit (`--previous`, in a subprocess of the same run; '' for none).

Run: python -m bench.report [--previous REV]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SIZES = ((100, 2000, 5.0), (500, 10_000, 2.5))  # hosts, VMs, target seconds

_PREVIOUS_PDF = """
import time
from hvplanner.formats.pdf_report import ensure_gui_app, write_pdf
from hvplanner.model.plan import Plan
ensure_gui_app()
def load(path):
    return Plan.model_validate_json(open(path, encoding="utf-8").read())
write_pdf(load(sys.argv[3]), sys.argv[4])  # fonts and Qt warmed up once
plan = load(sys.argv[2])
t = time.process_time()
write_pdf(plan, sys.argv[4])
print(time.process_time() - t)
"""


def cpu() -> float:
    return time.process_time()


def main() -> int:
    from bench.gui import generated_plan
    from bench.previous import PREVIOUS, run_at
    from hvplanner.catalog import load_catalog
    from hvplanner.engine.assumptions import resolve
    from hvplanner.engine.placement import host_loads
    from hvplanner.engine.report import full_report
    from hvplanner.engine.simulation.simulate import Simulator
    from hvplanner.engine.sizing import size_plan
    from hvplanner.formats.pdf_report import ensure_gui_app, write_pdf

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--previous", default=PREVIOUS, help="git revision of the baseline PDF")
    args = parser.parse_args()
    ensure_gui_app()
    folder = Path(tempfile.mkdtemp(prefix="hvplanner-bench-"))
    out = folder / "report.pdf"
    small = generated_plan(hosts=2, vms=10)
    write_pdf(small, out)  # fonts and Qt warmed up once
    (folder / "small.json").write_text(small.model_dump_json(), encoding="utf-8")
    print("bench/report.py — PDF report (offscreen), CPU seconds (user + sys)")
    for hosts, vms, target in SIZES:
        plan = generated_plan(hosts=hosts, vms=vms)
        profile = load_catalog().get(plan.hypervisor)

        t = cpu()
        size_plan(plan, profile)
        host_loads(plan, resolve(plan.policy, profile))
        Simulator(plan, profile).result()
        inputs_s = cpu() - t

        t = cpu()
        full_report(plan)
        engine_s = cpu() - t

        t = cpu()
        pages = write_pdf(plan, out)
        pdf_s = cpu() - t
        size_mb = out.stat().st_size / 1e6

        before = None
        if args.previous:
            (folder / "plan.json").write_text(plan.model_dump_json(), encoding="utf-8")
            done = run_at(
                args.previous,
                _PREVIOUS_PDF,
                str(folder / "plan.json"),
                str(folder / "small.json"),
                str(folder / "previous.pdf"),
            )
            before = None if done is None else float(done)
        print(f"  {vms:,} VMs on {hosts} hosts")
        print(f"    sizing + loads + simulation alone (baseline) {inputs_s:7.3f} s")
        print(f"    the report's engine part (full_report)       {engine_s:7.3f} s")
        print(
            f"    whole PDF report                             {pdf_s:7.3f} s   ({pages} pages, "
            f"{size_mb:.1f} MB; target ≤ {target:g} s: {'met' if pdf_s <= target else 'NOT met'}; "
            f"{pdf_s / inputs_s:.1f}× the baseline)"
        )
        if before is not None:
            print(
                f"    whole PDF report at {args.previous} (same run)      {before:7.3f} s   "
                f"({before / pdf_s:.2f}× now)"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
