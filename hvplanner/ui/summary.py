"""The summary dock: totals, the sizing result and its binding constraint, and warnings."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QWidget

from hvplanner.engine.assumptions import Assumptions, resolve
from hvplanner.engine.hostload import vms_by_host
from hvplanner.engine.numbers import fmt
from hvplanner.engine.placement.layout import hosts_in_use, lower_bounds
from hvplanner.engine.sizing import size_plan
from hvplanner.errors import InputError
from hvplanner.model.plan import Plan
from hvplanner.model.simulation import FailoverResult
from hvplanner.model.sizing import SizingResult
from hvplanner.ui.document import PlanDocument

# Sizing the whole plan on every drag would cost more than the drag; a short pause batches.
REFRESH_DELAY_MS = 120


def plan_warnings(doc: PlanDocument, result: SizingResult) -> list[tuple[str, str]]:
    """(severity, text) pairs: "error" for broken limits, "warning" for the rest."""
    plan = doc.plan
    out: list[tuple[str, str]] = [("error", t) for t in result.limits_exceeded]
    by_host = vms_by_host(plan)
    for h in plan.hosts:
        load = doc.calculator.load(h.id, plan.host_model(h.model), by_host[h.id])
        out += [("error", f"{h.name or h.id}: {v}") for v in load.violations()]
        over = [d.label for d in load.dims if d.state == "over" and not d.breaks_hard_limit()]
        if over:
            out.append(
                ("warning", f"{h.name or h.id}: over the headroom line in {', '.join(over)}")
            )
    k = plan.policy.failover_hosts
    if plan.vms and len(plan.hosts) < result.hosts:
        need = f"{result.hosts_before_failover} + {k} failover" if k else str(result.hosts)
        out.append(
            (
                "error" if k else "warning",
                f"{'failover does not hold: ' if k else ''}the plan has {len(plan.hosts)} "
                f"host{'s' if len(plan.hosts) != 1 else ''}; the sizing needs {need}",
            )
        )
    if by_host[None]:
        n = sum(v.count for v in by_host[None])
        out.append(("warning", f"{n} VM{'s are' if n != 1 else ' is'} not placed on any host"))
    out += [("warning", t) for t in result.warnings]
    return out


def placement_line(plan: Plan, assumptions: Assumptions) -> str:
    """Hosts in use against the packing lower bound: how far this layout is from the best."""
    try:
        b = lower_bounds(plan, assumptions)
    except InputError as exc:
        return f"<span style='color:#b42318'>{html.escape(str(exc))}</span>"
    used = hosts_in_use(plan)
    if b.best == 0:
        return "no VMs to place"
    tight = ", ".join(b.tight) or "—"
    return (
        f"{used} hosts in use · lower bound <b>{b.best}</b> ({html.escape(tight)}) · "
        f"ratio {used / b.best:.2f}"
    )


def failover_lines(f: FailoverResult, when: str) -> tuple[str, list[tuple[str, str]]]:
    """The summary row of a host-failure what-if, and its warnings."""
    down = ", ".join(f.failed_hosts)
    restarted = sum(r.instances for r in f.restarted)
    lost = sum(u.instances for u in f.unplaced)
    k = f.failover_hosts_planned
    plural = "s" if len(f.failed_hosts) != 1 else ""
    head = f"{html.escape(down)} down at {when}: "
    if f.held:
        row = head + f"<b style='color:#3f9c5a'>held</b>, {restarted} VMs restarted"
    else:
        row = head + f"<b style='color:#b42318'>not held</b>, {lost} VMs left unplaced"
    row += f" · policy N+{k}"
    if f.overloaded_hosts:
        row += f" · over 100 %: {html.escape(', '.join(f.overloaded_hosts))}"
    warnings: list[tuple[str, str]] = []
    if not f.held:
        names = ", ".join(sorted({u.vm for u in f.unplaced}))
        warnings.append(
            (
                "error",
                f"What-if: with {down} down, {lost} VM{'s' if lost != 1 else ''} find no "
                f"host ({names}); the plan does not survive losing {len(f.failed_hosts)} "
                f"host{plural}",
            )
        )
    if f.overloaded_hosts:
        warnings.append(
            (
                "warning",
                f"What-if: with {down} down, {', '.join(f.overloaded_hosts)} go past 100 % "
                "of CPU or RAM",
            )
        )
    return row, warnings


class SummaryPanel(QWidget):
    def __init__(self, doc: PlanDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.facts = QLabel()
        self.facts.setTextFormat(Qt.TextFormat.RichText)
        self.facts.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.warnings = QListWidget()
        self.warnings.setWordWrap(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(self.facts, 3)
        layout.addWidget(self.warnings, 4)
        self.result: SizingResult | None = None
        self.failover: FailoverResult | None = None
        self.failover_when = ""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REFRESH_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        doc.plan_changed.connect(lambda _t: self._timer.start())
        self.refresh()

    def set_failover(self, failover: FailoverResult | None, when: str = "") -> None:
        """Shows (or, with None, removes) the host-failure what-if."""
        if failover == self.failover and when == self.failover_when:
            return
        self.failover, self.failover_when = failover, when
        self.refresh()

    def _placement_row(self, plan: Plan) -> str:
        return placement_line(plan, resolve(plan.policy, self.doc.profile))

    def refresh(self) -> None:
        plan = self.doc.plan
        result = size_plan(plan, self.doc.profile)
        self.result = result
        placed = sum(v.count for v in plan.vms if v.host is not None)
        total = plan.vm_count
        rows = [
            ("Plan", html.escape(plan.name)),
            ("Hypervisor", self.doc.profile.title),
            (
                "Hosts",
                f"{len(plan.hosts)} in the plan · the sizing needs <b>{result.hosts}</b>"
                + (
                    f" ({result.hosts_before_failover} + {plan.policy.failover_hosts} failover)"
                    if plan.policy.failover_hosts
                    else ""
                ),
            ),
            ("Binding", f"<b>{result.binding_label}</b>"),
            (
                "VMs",
                f"{total} ({placed} placed, {total - placed} unplaced) · {result.vcpus} vCPUs",
            ),
            (
                "Totals",
                f"{result.logical_processors} LPs at {fmt(result.vcpu_per_lp)}:1 · "
                f"{fmt(result.ram_gb)} GB RAM · {result.nics} NICs · "
                f"{fmt(result.storage_gb)} GB storage",
            ),
        ]
        rows.append(("Placement", self._placement_row(plan)))
        what_if: list[tuple[str, str]] = []
        if self.failover is not None:
            row, what_if = failover_lines(self.failover, self.failover_when)
            rows.append(("What-if", row))
        self.facts.setText(
            "<table cellspacing=2>"
            + "".join(
                f"<tr><td style='color:#5f6670;padding-right:8px'>{k}</td><td>{v}</td></tr>"
                for k, v in rows
            )
            + "</table>"
        )
        self.warnings.clear()
        items = what_if + plan_warnings(self.doc, result)
        if not items:
            ok = QListWidgetItem("No warnings: every host is within its limits.")
            ok.setForeground(QColor("#3f9c5a"))
            self.warnings.addItem(ok)
        for severity, text in items:
            item = QListWidgetItem(("⛔ " if severity == "error" else "⚠ ") + text)
            item.setForeground(QColor("#b3261e" if severity == "error" else "#7a5200"))
            self.warnings.addItem(item)
