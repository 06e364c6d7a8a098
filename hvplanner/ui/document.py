"""PlanDocument: the open plan, its file, its undo stack and the signals views listen to."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pydantic import ValidationError
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from hvplanner.catalog import load_catalog
from hvplanner.engine import refusal
from hvplanner.engine.hostload import HostBars, LoadCalculator
from hvplanner.engine.planindex import vms_by_host
from hvplanner.engine.refusal import EditRefusedError
from hvplanner.formats.planfile import describe_validation_error
from hvplanner.model.hypervisor import HypervisorProfile
from hvplanner.model.plan import Host, Plan
from hvplanner.ui.i18n import translate

__all__ = ["TRAY", "EditRefusedError", "PlanDocument", "Touched"]

# The "touched" set names host ids; the unplaced tray is TRAY. None means everything.
TRAY = ""
Touched = frozenset[str] | None


class PlanDocument(QObject):
    """Holds the plan; only undo commands change it.

    Signals:
        plan_changed(object): after every change, with the touched host ids (TRAY for the
            unplaced tray), or None when everything may differ (new plan, hypervisor, policy).
        path_changed(str): the file the plan is saved in ("" when it has none).
        refused(str): an edit was refused; the text is the reason for the status bar.
    """

    plan_changed = Signal(object)
    path_changed = Signal(str)
    refused = Signal(str)

    def __init__(self, plan: Plan, path: Path | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self._plan = plan
        self._path = path
        self.undo_stack = QUndoStack(self)
        self._calc = self._calculator(plan)
        # Host id → its bars in the current plan; an edit drops only the hosts it touched.
        self._loads: dict[str, HostBars] = {}
        self._hosts: tuple[Plan, dict[str, Host]] | None = None
        # Counts every change: a result computed off the GUI thread for an older version
        # is dropped (ui.planjobs).
        self.version = 0

    @staticmethod
    def _calculator(plan: Plan) -> LoadCalculator:
        return LoadCalculator(plan, load_catalog().get(plan.hypervisor))

    @property
    def plan(self) -> Plan:
        return self._plan

    @property
    def path(self) -> Path | None:
        return self._path

    @property
    def profile(self) -> HypervisorProfile:
        return self._calc.profile

    @property
    def calculator(self) -> LoadCalculator:
        return self._calc

    def host_load(self, host_id: str, plan: Plan | None = None) -> HostBars:
        if plan is None or plan is self._plan:
            return self.load_of(host_id)
        host = next(h for h in plan.hosts if h.id == host_id)
        return self._calc.load(host_id, plan.host_model(host.model), vms_by_host(plan)[host_id])

    def load_of(self, host_id: str) -> HostBars:
        """The bars of a host of the current plan, computed once per host and plan version:
        the canvas, the summary and its warnings share them (KeyError for an unknown host)."""
        load = self._loads.get(host_id)
        if load is None:
            plan = self._plan
            host = self._host_index(plan)[host_id]
            vms = vms_by_host(plan)[host_id]
            load = self._calc.load(host_id, plan.host_model(host.model), vms)
            self._loads[host_id] = load
        return load

    def _host_index(self, plan: Plan) -> dict[str, Host]:
        if self._hosts is None or self._hosts[0] is not plan:
            self._hosts = (plan, {h.id: h for h in plan.hosts})
        return self._hosts[1]

    def apply(self, plan: Plan, touched: Touched) -> None:
        """Only undo commands call this."""
        old = self._plan
        self._plan = plan
        if (
            plan.hypervisor != old.hypervisor
            or plan.policy != old.policy
            or plan.host_models != old.host_models
        ):
            self._calc = self._calculator(plan)
            touched = None
        self._forget_loads(touched)
        self.version += 1
        self.plan_changed.emit(touched)

    def _forget_loads(self, touched: Touched) -> None:
        if touched is None:
            self._loads.clear()
        else:
            for host_id in touched:
                self._loads.pop(host_id, None)

    def push(self, command: QUndoCommand) -> None:
        self.undo_stack.push(command)

    def try_push(
        self,
        make: Callable[[], QUndoCommand],
        on_refused: Callable[[str], None] | None = None,
    ) -> bool:
        """The one way to push an edit that may be refused: builds it and pushes it, or says
        why not (to `on_refused`, e.g. a form, and on `refused`, the status bar) and pushes
        nothing. Commands raise EditRefusedError for a hard limit and ValueError (pydantic's
        ValidationError among them) for a value the plan cannot hold."""
        try:
            cmd = make()
        except EditRefusedError as exc:
            message = str(exc)
        except ValidationError as exc:
            message = describe_validation_error(exc)
        except ValueError as exc:
            message = translate("PlanDocument", "Refused: {reason}").format(reason=exc)
        else:
            self.push(cmd)
            return True
        if on_refused is not None:
            on_refused(message)
        self.refused.emit(message)
        return False

    def reset(self, plan: Plan, path: Path | None) -> None:
        """A different plan (new or opened file): history starts over."""
        self._calc = self._calculator(plan)  # raises on an unknown hypervisor: nothing changed
        self.undo_stack.clear()
        self._plan = plan
        self._forget_loads(None)
        self.version += 1
        self.set_path(path)
        self.undo_stack.setClean()
        self.plan_changed.emit(None)

    def set_path(self, path: Path | None) -> None:
        self._path = path
        self.path_changed.emit(str(path) if path else "")

    def check_hard_limits(self, after: Plan, hosts: set[str]) -> None:
        """Raises EditRefusedError when `after` puts a host past a hard limit it did not break
        (the rule is `engine.refusal`)."""
        refusal.check(self._calc, self._plan, after, hosts)
