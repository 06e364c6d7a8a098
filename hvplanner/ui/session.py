"""PlanSession: what the window's parts share about the open plan.

The document (plan, file, undo history), the live simulation that follows it, and the
last workstation readiness report. The editor, the file actions, Auto-place, the what-if
and the exports each take the session, not the window, so each can be built and tested
on its own.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand

from hvplanner.model.plan import Plan
from hvplanner.ui.document import PlanDocument
from hvplanner.ui.utilization.source import LiveSource

STATUS_MS = 6000


class PlanSession(QObject):
    """Signals:
    status(str, int): a message for the status bar and how long it stays (ms; 0 = until
        the next one).
    readiness_changed(object): a new workstation report (a `readiness.Report`).
    """

    status = Signal(str, int)
    readiness_changed = Signal(object)

    def __init__(self, plan: Plan, path: Path | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.doc = PlanDocument(plan, path, self)
        # One simulation for the Utilization tab, the dock and the cards.
        self.live = LiveSource.for_document(self.doc)
        self.readiness_report: object | None = None
        self.doc.refused.connect(lambda text: self.say(text, 8000))

    @property
    def plan(self) -> Plan:
        return self.doc.plan

    def say(self, text: str, ms: int = STATUS_MS) -> None:
        self.status.emit(text, ms)

    def set_readiness(self, report: object) -> None:
        self.readiness_report = report
        self.readiness_changed.emit(report)

    def try_push(self, make: Callable[[], QUndoCommand]) -> bool:
        """Builds an edit and pushes it; a refused or invalid one pushes nothing and the
        status bar says why (`PlanDocument.try_push`)."""
        return self.doc.try_push(make)
