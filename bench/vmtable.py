"""The VMs tab's table at 10,000 VM entries on 200 hosts, offscreen.

Each figure is the median of a few runs, beside a same-run baseline: the usual Qt way of
sorting and filtering, a QSortFilterProxyModel over the same model, which calls back into
Python's data() for every comparison and every row.

- build the model from the plan
- filter (one keystroke: a word that keeps a fifth of the rows)  vs the proxy's filter
- sort by vCPUs                                                 vs the proxy's sort
- follow an edit that moved one VM (values refresh in place)
- bulk edit: set the guest OS on all 10,000 entries (build the command)

Run: python -m bench.vmtable
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

RUNS = 5


def timed(fn: Callable[[], object], runs: int = RUNS) -> float:
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return statistics.median(out)


def main() -> None:
    from PySide6.QtCore import QSortFilterProxyModel, Qt
    from PySide6.QtWidgets import QApplication

    from hvplanner.model import edits
    from hvplanner.ui.bulkedit import BulkEditCommand
    from hvplanner.ui.document import PlanDocument
    from hvplanner.ui.vmtable import SORT_ROLE, VMTableModel
    from tests.ui.conftest import big_plan

    _app = QApplication.instance() or QApplication([])
    plan = big_plan(hosts=200, vms=10_000)
    build = timed(lambda: VMTableModel(plan))
    model = VMTableModel(plan)

    def ours_filter() -> None:
        model.set_filter("sql-cluster-node")
        model.set_filter("")

    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    proxy.setFilterKeyColumn(-1)
    proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    proxy.setSortRole(SORT_ROLE)

    def proxy_filter() -> None:
        proxy.setFilterFixedString("sql-cluster-node")
        proxy.setFilterFixedString("")

    def ours_sort() -> None:
        model.sort(2, Qt.SortOrder.DescendingOrder)
        model.sort(2, Qt.SortOrder.AscendingOrder)

    def proxy_sort() -> None:
        proxy.sort(2, Qt.SortOrder.DescendingOrder)
        proxy.sort(2, Qt.SortOrder.AscendingOrder)

    f_ours, f_proxy = timed(ours_filter) / 2, timed(proxy_filter, 2) / 2
    proxy.setSourceModel(None)
    s_ours = timed(ours_sort) / 2
    proxy.setSourceModel(model)
    s_proxy = timed(proxy_sort, 2) / 2
    proxy.setSourceModel(None)
    moved = edits.move_vms(plan, [plan.vms[5].id], plan.hosts[7].id)
    plans = [moved, plan]
    follow = timed(lambda: [model.set_plan(p) for p in plans]) / 2
    doc = PlanDocument(plan)
    ids = [v.id for v in plan.vms]
    bulk = timed(lambda: BulkEditCommand(doc, ids, "os", "linux"), 3)

    print("| figure (10,000 VM entries) | ours | QSortFilterProxyModel | proxy ÷ ours |")
    print("|---|---:|---:|---:|")
    print(f"| build the model | {build * 1000:.0f} ms | | |")
    print(f"| filter, one keystroke | {f_ours * 1000:.1f} ms | {f_proxy * 1000:.0f} ms | "
          f"{f_proxy / f_ours:.0f}× |")  # fmt: skip
    print(f"| sort by vCPUs | {s_ours * 1000:.1f} ms | {s_proxy * 1000:.0f} ms | "
          f"{s_proxy / s_ours:.0f}× |")  # fmt: skip
    print(f"| follow an edit (one VM moved) | {follow * 1000:.1f} ms | | |")
    print(f"| bulk edit: guest OS on every entry (command built) | {bulk * 1000:.0f} ms | | |")


if __name__ == "__main__":
    main()
