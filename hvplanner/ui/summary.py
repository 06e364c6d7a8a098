"""The summary dock: totals, the sizing result and its binding constraint, and warnings."""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QWidget

from hvplanner.engine.assumptions import Assumptions, resolve_plan
from hvplanner.engine.hostload import HostBars, vms_by_host
from hvplanner.engine.overload import HostOverload
from hvplanner.engine.placement.layout import bound_text, hosts_line
from hvplanner.model.placement import Bounds
from hvplanner.model.plan import Plan
from hvplanner.model.simulation import FailoverResult
from hvplanner.model.sizing import SizingResult
from hvplanner.ui.document import PlanDocument
from hvplanner.ui.i18n import fmt, plural, translate
from hvplanner.ui.planjobs import PlanJob, in_background
from hvplanner.ui.planwork import Sized, placement_bounds, same_sizing, sizing
from hvplanner.ui.theme import Role, hex_of, role_colour, theme

# Sizing the whole plan on every drag would cost more than the drag; a short pause batches.
REFRESH_DELAY_MS = 120
FACTS_MIN_W = 380
COMPUTING = "computing…"
MARKS = {"error": "✖", "warning": "⚠", "note": "ℹ"}
# Each severity in its theme colour, and always with its mark and words: never colour alone.
SEVERITY_ROLE: dict[str, Role] = {"error": "error", "warning": "warning", "note": "muted"}
GETTING_STARTED = (
    "The plan is empty. Drag a host from the Palette's <i>Server presets</i> onto the "
    "canvas, then VMs from <i>VM presets</i> onto it."
)


Facts = tuple[SizingResult, str, list[tuple[str, str]]]
"""The sizing, the placement row and the plan's warnings of one plan version."""

# Severities, worst first: the order the warnings list shows them in.
SEVERITIES = ("error", "warning", "note")
# How many hosts a collapsed warning names before "…".
NAMED_HOSTS = 3


def over_capacity(load: HostBars) -> bool:
    """A host past 100 % of a resource or over a hard limit (not just past its headroom)."""
    return any(
        d.breaks_hard_limit() or (d.capacity is not None and d.used > d.capacity * (1 + 1e-9))
        for d in load.dims
    )


def plan_warnings(doc: PlanDocument, result: SizingResult) -> list[tuple[str, str]]:
    """(severity, text) pairs, worst first: "error" for broken limits, "warning" for the
    rest, "note" for limits that could not be checked. A finding shared by many hosts is
    one line that names the first few."""
    plan = doc.plan
    if not plan.vms and not plan.hosts:
        return []  # nothing to check yet; the summary says how to start
    out: list[tuple[str, str]] = [("error", t) for t in result.limits_exceeded]
    by_host = vms_by_host(plan)
    per_host: dict[tuple[str, str], list[str]] = {}
    for h in plan.hosts:
        load = doc.load_of(h.id)
        name = h.name or h.id
        for v in load.violations():
            per_host.setdefault(("error", v), []).append(name)
        over = [d.label for d in load.dims if d.state == "over" and not d.breaks_hard_limit()]
        if over:
            per_host.setdefault(
                ("warning", f"over the headroom line in {', '.join(over)}"), []
            ).append(name)
    for (severity, text), names in per_host.items():
        out.append((severity, f"{_hosts_text(names)}: {text}"))
    k = plan.policy.failover_hosts
    if plan.vms and len(plan.hosts) < result.hosts:
        need = f"{result.hosts_before_failover} + {k} failover" if k else str(result.hosts)
        out.append(
            (
                "error" if k else "warning",
                f"{'failover does not hold: ' if k else ''}the plan has "
                f"{plural(len(plan.hosts), 'host')}; the sizing needs {need}",
            )
        )
    if by_host[None]:
        n = sum(v.count for v in by_host[None])
        out.append(("warning", f"{plural(n, 'VM is', 'VMs are')} not placed on any host"))
    if plan.vms:
        out += [("note" if t.endswith("not checked") else "warning", t) for t in result.warnings]
    return sorted(out, key=lambda w: SEVERITIES.index(w[0]))


def overload_warnings(overloads: list[HostOverload]) -> list[tuple[str, str]]:
    """The simulation's overloaded hosts, one line per metric and line passed, naming the
    first few hosts and the highest peak."""
    groups: dict[tuple[str, bool, str], list[tuple[str, float]]] = {}
    for o in overloads:
        for m in o.metrics:
            line = "" if m.over_capacity else f"{m.headroom_pct:.0f}"
            groups.setdefault((m.metric, m.over_capacity, line), []).append((o.label, m.peak_pct))
    out: list[tuple[str, str]] = []
    for (metric, over, line), hosts in groups.items():
        hosts.sort(key=lambda h: -h[1])
        top = max(p for _, p in hosts)
        where = "100 %" if over else f"the {line} % headroom line"
        why = {
            "CPU": "VMs would wait for CPU (ready time)",
            "RAM": "active memory would be ballooned or swapped",
            "NIC": "network traffic would queue",
        }[metric]
        text = (
            f"{_hosts_text([n for n, _ in hosts])}: simulated {metric} peak over {where} "
            f"(up to {top:.0f} %)"
        )
        out.append(("warning", text + (f"; {why}" if over else "")))
    return out


def _hosts_text(names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    shown = ", ".join(names[:NAMED_HOSTS])
    more = f" and {len(names) - NAMED_HOSTS} more" if len(names) > NAMED_HOSTS else ""
    return f"{len(names)} hosts ({shown}{more})"


def placement_line(
    plan: Plan,
    assumptions: Assumptions,
    over_hosts: int = 0,
    bounds: Bounds | str | None = None,
) -> str:
    """Hosts in use against the packing lower bound: how far this layout is from the best.

    The ratio means something only for a complete layout: with VMs unplaced or hosts over
    capacity the line says what is missing instead. `bounds`: `placement_bounds` of this
    plan when it was computed already.
    """
    if not plan.vms:
        return "no VMs to place yet"
    b = placement_bounds(plan, assumptions) if bounds is None else bounds
    if isinstance(b, str):
        return f"<span style='color:{hex_of('error')}'>{html.escape(b)}</span>"
    used_text, counted = hosts_line(plan)
    if b.best == 0:
        return "no VMs to place yet"
    tight = ", ".join(b.tight) or "—"
    bound = html.escape(bound_text(b))
    line = f"{used_text} · lower bound <b>{bound}</b> ({html.escape(tight)})"
    unplaced = sum(v.count for v in plan.vms if v.host is None)
    problems = []
    if unplaced:
        problems.append(f"{plural(unplaced, 'VM')} unplaced")
    if over_hosts:
        problems.append(f"{plural(over_hosts, 'host')} over capacity")
    if problems:
        return (
            f"<span style='color:{hex_of('error')}'>incomplete: {', '.join(problems)}</span>"
            f" · {line}"
        )
    return f"{line} · ratio {counted / b.best:.2f}"


def failover_lines(f: FailoverResult, when: str) -> tuple[str, list[tuple[str, str]]]:
    """The summary row of a host-failure what-if, and its warnings."""
    down = ", ".join(f.failed_hosts)
    restarted = sum(r.instances for r in f.restarted)
    lost = sum(u.instances for u in f.unplaced)
    k = f.failover_hosts_planned
    head = f"{html.escape(down)} down at {when}: "
    if f.held:
        held = f"<b style='color:{hex_of('good')}'>held</b>"
        row = head + f"{held}, {plural(restarted, 'VM')} restarted"
    else:
        not_held = f"<b style='color:{hex_of('error')}'>not held</b>"
        row = head + f"{not_held}, {plural(lost, 'VM')} left unplaced"
    row += f" · policy N+{k}"
    if f.overloaded_hosts:
        row += f" · over 100 %: {html.escape(', '.join(f.overloaded_hosts))}"
    warnings: list[tuple[str, str]] = []
    if not f.held:
        names = ", ".join(sorted({u.vm for u in f.unplaced}))
        warnings.append(
            (
                "error",
                f"What-if: with {down} down, {plural(lost, 'VM')} find no "
                f"host ({names}); the plan does not survive losing "
                f"{plural(len(f.failed_hosts), 'host')}",
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
    """The plan's facts and warnings. The sizing and the lower bound read every VM: for a
    large plan they are computed in a worker after the pause that follows edits, and the
    rows that need them say "computing…" until they arrive (`ui.planjobs`)."""

    def __init__(self, doc: PlanDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.facts = QLabel()
        self.facts.setTextFormat(Qt.TextFormat.RichText)
        self.facts.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # Long rows wrap rather than widen the dock (and with it the window).
        self.facts.setWordWrap(True)
        self.facts.setMinimumWidth(FACTS_MIN_W)
        self.warnings = QListWidget()
        self.warnings.setAccessibleName(translate("SummaryPanel", "Warnings"))
        self.warnings.setWordWrap(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(self.facts, 3)
        layout.addWidget(self.warnings, 4)
        self.result: SizingResult | None = None
        self.failover: FailoverResult | None = None
        self.failover_when = ""
        self.overloads: list[HostOverload] = []
        self._facts: tuple[tuple[Plan, object], Facts] | None = None
        self._last_sizing: tuple[tuple[Plan, object], Sized] | None = None
        self.sizer: PlanJob[Sized] = PlanJob(
            doc,
            self._prepare_sizing,
            self._sized,
            self._sizing_failed,
            self,
            lambda sized, plan: sized if same_sizing(plan, doc.plan) else None,
        )
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REFRESH_DELAY_MS)
        self._timer.timeout.connect(self.follow)
        doc.plan_changed.connect(lambda _t: self._timer.start())
        theme().changed.connect(self._timer.start)
        self.follow()

    @property
    def computing(self) -> bool:
        """The figures shown are not yet those of the current plan."""
        return self._known() is None

    def set_failover(self, failover: FailoverResult | None, when: str = "") -> None:
        """Shows (or, with None, removes) the host-failure what-if."""
        when = when if failover is not None else ""
        if failover == self.failover and when == self.failover_when:
            return
        self.failover, self.failover_when = failover, when
        self.follow()

    def set_overloads(self, overloads: list[HostOverload]) -> None:
        """Shows the hosts whose simulated peak passes 100 % or the headroom line."""
        if overloads == self.overloads:
            return
        self.overloads = overloads
        if self._current_facts() is not None:
            self.follow()  # a render of what is known
        else:
            # The plan changed since its figures: they come with the next pause, not in the
            # turn of the event loop that a new simulation already fills.
            self._timer.start()

    def _placement_row(self, plan: Plan, bounds: Bounds | str | None) -> str:
        over = sum(over_capacity(self.doc.load_of(h.id)) for h in plan.hosts)
        return placement_line(plan, resolve_plan(plan, self.doc.profile), over, bounds)

    def _hosts_row(self, plan: Plan, result: SizingResult) -> str:
        have = f"{plural(len(plan.hosts), 'host')} in the plan"
        if not plan.vms:
            return f"{have} · nothing to size yet (no VMs)"
        k = plan.policy.failover_hosts
        split = f" ({result.hosts_before_failover} + {k} failover)" if k else ""
        return f"{have} · the sizing needs <b>{result.hosts}</b>{split}"

    @staticmethod
    def _totals_row(result: SizingResult) -> str:
        # As the CLI prints them: the demand, then the power of two a host is bought at.
        lps = f"{result.logical_processors}"
        if result.logical_processors_rounded != result.logical_processors:
            lps += f" → {result.logical_processors_rounded}"
        ram = fmt(result.ram_gb)
        if result.ram_gb_rounded != result.ram_gb:
            ram += f" → {fmt(result.ram_gb_rounded)}"
        storage = f"{fmt(result.storage_gb)} GB storage" if result.storage_gb else "shared storage"
        return (
            f"{lps} LPs at {fmt(result.vcpu_per_lp)}:1 · {ram} GB RAM · "
            f"{plural(result.nics, 'NIC')} · {storage}"
        )

    def _key(self) -> tuple[Plan, object]:
        return (self.doc.plan, self.doc.profile)

    def _current_facts(self) -> Facts | None:
        # The sizing, the placement row and the plan's warnings depend on the plan and the
        # hypervisor only: a what-if or an overload shown re-renders without recomputing them
        # (at open the failover arrives right after the first refresh).
        key = self._key()
        if self._facts is None or any(a is not b for a, b in zip(self._facts[0], key, strict=True)):
            return None
        return self._facts[1]

    def _known(self) -> Facts | None:
        return self._current_facts() or self._after_moves()

    def _after_moves(self) -> Facts | None:
        """After moves only, the last sizing and bound still hold: the placement row and
        the warnings are made anew from them on this thread (they read each host's cached
        bars, not every VM). None when the sizing must be computed."""
        if self._last_sizing is None:
            return None
        (plan, profile), sized = self._last_sizing
        if profile is not self.doc.profile or not same_sizing(plan, self.doc.plan):
            return None
        return self._store(sized)

    def _store(self, sized: Sized) -> Facts:
        result, bounds = sized
        plan = self.doc.plan
        placement = self._placement_row(plan, bounds) if plan.vms or plan.hosts else ""
        facts = (result, placement, plan_warnings(self.doc, result))
        self._facts = (self._key(), facts)
        self._last_sizing = (self._key(), sized)
        return facts

    def _prepare_sizing(self) -> Callable[[], Sized]:
        return sizing(self.doc.plan, self.doc.profile)

    def _sized(self, sized: Sized) -> None:
        self._render(self._store(sized))

    def _sizing_failed(self, exc: BaseException) -> None:
        raise exc  # sizing a valid plan does not fail: a bug, reported on the GUI thread

    def follow(self) -> None:
        """Shows the current plan: at once when its figures are known or quick to get, else
        "computing…" until the worker brings them."""
        self._timer.stop()
        facts = self._known()
        if facts is None and in_background(self.doc.plan):
            self._render(None)
            self.sizer.request()
            return
        self._render(facts or self._store(sizing(self.doc.plan, self.doc.profile)()))

    def refresh(self) -> None:
        """Brings the figures up to date now, on this thread."""
        self._timer.stop()
        if self._known() is None:
            self.sizer.discard()
            self._store(sizing(self.doc.plan, self.doc.profile)())
        self.follow()

    def _render(self, facts: Facts | None) -> None:
        plan = self.doc.plan
        if facts is None:
            self._render_computing(plan)
            return
        result, placement, warnings = facts
        self.result = result
        placed = sum(v.count for v in plan.vms if v.host is not None)
        total = plan.vm_count
        rows = [
            ("Plan", html.escape(plan.name)),
            ("Hypervisor", self.doc.profile.title),
            ("Hosts", self._hosts_row(plan, result)),
        ]
        if not plan.vms and not plan.hosts:
            rows.append(("Start", GETTING_STARTED))
        else:
            rows += [
                ("Binding", f"<b>{result.binding_label}</b>" if plan.vms else "—"),
                (
                    "VMs",
                    f"{total:,} ({placed:,} placed, {total - placed:,} unplaced) · "
                    f"{plural(result.vcpus, 'vCPU')}",
                ),
                ("Totals", self._totals_row(result) if plan.vms else "—"),
                ("Placement", placement),
            ]
        what_if = self._what_if(rows)
        self._show_rows(rows)
        self.warnings.clear()
        known = {h.id for h in plan.hosts}
        overloads = [o for o in self.overloads if o.host in known]
        items = sorted(
            what_if + warnings + overload_warnings(overloads),
            key=lambda w: SEVERITIES.index(w[0]),
        )
        if not items:
            text = (
                "No warnings: every host is within its limits."
                if plan.vms or plan.hosts
                else "No warnings: the plan is empty."
            )
            ok = QListWidgetItem(text)
            ok.setForeground(role_colour("good"))
            self.warnings.addItem(ok)
        for severity, text in items:
            # Glyphs DejaVu Sans has (the usual fallback font on Linux).
            item = QListWidgetItem(f"{MARKS[severity]} {text}")
            item.setForeground(role_colour(SEVERITY_ROLE[severity]))
            self.warnings.addItem(item)

    def _what_if(self, rows: list[tuple[str, str]]) -> list[tuple[str, str]]:
        if self.failover is None:
            return []
        row, what_if = failover_lines(self.failover, self.failover_when)
        rows.append(("What-if", row))
        return what_if

    def _show_rows(self, rows: list[tuple[str, str]]) -> None:
        muted = hex_of("muted")
        self.facts.setText(
            "<table cellspacing=2>"
            + "".join(
                f"<tr><td style='color:{muted};padding-right:8px'>{k}</td><td>{v}</td></tr>"
                for k, v in rows
            )
            + "</table>"
        )

    def _render_computing(self, plan: Plan) -> None:
        """The rows that need no sizing, and "computing…" where the sizing goes."""
        waiting = f"<span style='color:{hex_of('muted')}'>{COMPUTING}</span>"
        rows = [
            ("Plan", html.escape(plan.name)),
            ("Hypervisor", self.doc.profile.title),
            ("Hosts", f"{plural(len(plan.hosts), 'host')} in the plan · {waiting}"),
            ("Binding", waiting),
            ("VMs", waiting),
            ("Totals", waiting),
            ("Placement", waiting),
        ]
        self._what_if(rows)
        self._show_rows(rows)
        self.warnings.clear()
        item = QListWidgetItem(translate("SummaryPanel", "Checking the plan: computing…"))
        item.setForeground(role_colour("muted"))
        self.warnings.addItem(item)
