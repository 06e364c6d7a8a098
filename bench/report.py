"""PDF report of a 2,000-VM, 100-host plan (target ≤ 5 s), beside same-run baselines.

Baselines: the sizing, simulation and layout inputs computed alone, so the report's own
layout and painting cost stands out. Run: python -m bench.report
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> int:
    from bench.gui import generated_plan
    from hvplanner.catalog import load_catalog
    from hvplanner.engine.assumptions import resolve
    from hvplanner.engine.placement import host_loads
    from hvplanner.engine.simulation.simulate import Simulator
    from hvplanner.engine.sizing import size_plan
    from hvplanner.formats.pdf_report import ensure_gui_app, write_pdf

    ensure_gui_app()
    plan = generated_plan()
    profile = load_catalog().get(plan.hypervisor)
    out = Path(tempfile.mkdtemp(prefix="hvplanner-bench-")) / "report.pdf"
    write_pdf(generated_plan(hosts=2, vms=10), out)  # fonts and Qt warmed up once

    t = time.perf_counter()
    size_plan(plan, profile)
    host_loads(plan, resolve(plan.policy, profile))
    Simulator(plan, profile).result()
    inputs_s = time.perf_counter() - t

    t = time.perf_counter()
    pages = write_pdf(plan, out)
    pdf_s = time.perf_counter() - t
    size_mb = out.stat().st_size / 1e6
    print("bench/report.py — PDF report of 2,000 VMs on 100 hosts (offscreen)")
    print(f"  sizing + loads + simulation alone (baseline) {inputs_s:7.3f} s")
    print(
        f"  whole PDF report                             {pdf_s:7.3f} s   ({pages} pages, "
        f"{size_mb:.1f} MB; target ≤ 5 s; {pdf_s / inputs_s:.1f}× the baseline)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
