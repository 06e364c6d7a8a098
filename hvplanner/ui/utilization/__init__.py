"""Live utilization plots (pyqtgraph) over the simulation engine."""

from hvplanner.ui.utilization.source import LiveSource
from hvplanner.ui.utilization.view import UtilizationView

__all__ = ["LiveSource", "UtilizationView"]
