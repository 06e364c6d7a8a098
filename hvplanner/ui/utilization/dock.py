"""CPU, RAM and NIC load of one host (or the cluster) over the simulated days.

Curves and lines are created once and fed with setData, so that a plan edit only
moves data (pyqtgraph's scrollingPlots pattern). A VM moved between hosts costs two
host recomputes through Simulator.move; any other edit re-simulates the plan.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from hvplanner.catalog import load_catalog
from hvplanner.engine.simulation.simulate import Simulator
from hvplanner.model.plan import Plan

CLUSTER = "cluster"
METRICS = (("CPU", "#1f77b4"), ("RAM", "#2ca02c"), ("NIC", "#d62728"))


class UtilizationDock(QWidget):
    """Percent of capacity per step for the chosen host, with the headroom and 100 % lines."""

    def __init__(self, plan: Plan | None = None, *, days: float = 7, step_minutes: float = 5):
        super().__init__()
        self.days = days
        self.step_minutes = step_minutes
        self.plan: Plan | None = None
        self.simulator: Simulator | None = None
        self._filling = False

        self.host_box = QComboBox()
        self.host_box.currentIndexChanged.connect(self._host_chosen)
        self.summary = QLabel()
        top = QHBoxLayout()
        top.addWidget(QLabel("Host:"))
        top.addWidget(self.host_box, 1)
        top.addWidget(self.summary, 2)

        self.plots = pg.GraphicsLayoutWidget()
        self.curves: list[pg.PlotDataItem] = []
        self.headroom_lines: list[pg.InfiniteLine] = []
        for row, (name, colour) in enumerate(METRICS):
            p = self.plots.addPlot(row=row, col=0)
            p.setLabel("left", f"{name} %")
            p.showGrid(x=True, y=True, alpha=0.2)
            p.setClipToView(True)
            p.setDownsampling(auto=True, mode="peak")
            if row == len(METRICS) - 1:
                p.setLabel("bottom", "hours")
            self.curves.append(p.plot(pen=pg.mkPen(colour, width=1)))
            p.addItem(pg.InfiniteLine(100, angle=0, pen=pg.mkPen("k", style=Qt.PenStyle.DashLine)))
            line = pg.InfiniteLine(100, angle=0, pen=pg.mkPen("#ff7f0e", style=Qt.PenStyle.DotLine))
            p.addItem(line)
            self.headroom_lines.append(line)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.plots, 1)
        if plan is not None:
            self.set_plan(plan)

    def set_plan(self, plan: Plan) -> None:
        old, self.plan = self.plan, plan
        if self.simulator is not None and old is not None and _only_moves(old, plan):
            for before, after in zip(old.vms, plan.vms, strict=True):
                if before.host != after.host:
                    self.simulator.move(after.id, after.host)
            self.simulator.plan = plan
        else:
            hv = load_catalog().get(plan.hypervisor)
            self.simulator = Simulator(plan, hv, days=self.days, step_minutes=self.step_minutes)
        current = self.host_box.currentText()
        names = [CLUSTER, *(h.id for h in plan.hosts)]
        if [self.host_box.itemText(i) for i in range(self.host_box.count())] != names:
            self._filling = True
            self.host_box.clear()
            self.host_box.addItems(names)
            self.host_box.setCurrentIndex(names.index(current) if current in names else 0)
            self._filling = False
        self._redraw()

    def percent_series(self) -> np.ndarray:
        """(3, steps) percent of capacity of the chosen host; NaN where it is unknown."""
        sim = self.simulator
        assert sim is not None
        host = self.host_box.currentText()
        if host == CLUSTER or host not in sim.host_index:
            demand = sim.series.sum(axis=1)
            cap = sim.capacity.sum(axis=1)
            head = sim.headroom_line.sum(axis=1)
        else:
            i = sim.host_index[host]
            demand, cap, head = sim.series[:, i], sim.capacity[:, i], sim.headroom_line[:, i]
        self._head_pct = np.where(cap > 0, head / np.where(cap > 0, cap, 1) * 100, np.nan)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(cap[:, None] > 0, demand / cap[:, None] * 100.0, np.nan)

    def _host_chosen(self, index: int) -> None:
        self._redraw()

    def _redraw(self) -> None:
        if self.simulator is None or self._filling:
            return
        pct = self.percent_series()
        hours = self.simulator.axis.minutes() / 60.0
        for m, curve in enumerate(self.curves):
            y = pct[m]
            if np.isnan(y).all():
                curve.setData([], [])
            else:
                curve.setData(hours, y)
            self.headroom_lines[m].setVisible(bool(np.isfinite(self._head_pct[m])))
            if np.isfinite(self._head_pct[m]):
                self.headroom_lines[m].setValue(float(self._head_pct[m]))
        peaks = [
            f"{n} peak {np.nanmax(y):.0f} %"
            for (n, _), y in zip(METRICS, pct, strict=True)
            if not np.isnan(y).all()
        ]
        self.summary.setText(", ".join(peaks))


def _only_moves(old: Plan, new: Plan) -> bool:
    """True when the two plans differ at most in where VMs sit."""
    if len(old.vms) != len(new.vms):
        return False
    strip = {"vms": [], "name": ""}
    if old.model_copy(update=strip) != new.model_copy(update=strip):
        return False
    return all(
        a.model_copy(update={"host": None, "pinned": False})
        == b.model_copy(update={"host": None, "pinned": False})
        for a, b in zip(old.vms, new.vms, strict=True)
    )
