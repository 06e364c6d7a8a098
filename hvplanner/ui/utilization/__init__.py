"""Live utilization docks (pyqtgraph) over the simulation engine."""

from hvplanner.ui.utilization.dock import UtilizationDock

__all__ = ["UtilizationDock"]
