"""`make bench`: every benchmark module in this folder, one after another."""

from __future__ import annotations

import runpy

for name in (
    "bench.placement",
    "bench.simulation",
    "bench.io",
    "bench.inventory",
    "bench.report",
    "bench.gui",
    "bench.vmtable",
    "bench.cli",
    "bench.series_open",
    "bench.plan_open",
):
    runpy.run_module(name, run_name="__main__")
