"""Central views beside the canvas, by name, so `hvplanner gui --view NAME` can pick one.

A view module adds itself here: name → (tab title, factory taking the PlanDocument).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from hvplanner.ui.document import PlanDocument

ViewFactory = Callable[[PlanDocument], QWidget]

EXTRA_VIEWS: dict[str, tuple[str, ViewFactory]] = {}
