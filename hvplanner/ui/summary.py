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
from hvplanner.ui.i18n import QT_TRANSLATE_NOOP, fixed, fmt, plural, translate
from hvplanner.ui.planjobs import PlanJob, in_background
from hvplanner.ui.planwork import Sized, placement_bounds, same_sizing, sizing
from hvplanner.ui.theme import Role, hex_of, role_colour, theme

# Sizing the whole plan on every drag would cost more than the drag; a short pause batches.
REFRESH_DELAY_MS = 120
FACTS_MIN_W = 380
COMPUTING = QT_TRANSLATE_NOOP("SummaryPanel", "computing…")
MARKS = {"error": "✖", "warning": "⚠", "note": "ℹ"}
# Each severity in its theme colour, and always with its mark and words: never colour alone.
SEVERITY_ROLE: dict[str, Role] = {"error": "error", "warning": "warning", "note": "muted"}
GETTING_STARTED = QT_TRANSLATE_NOOP(
    "SummaryPanel",
    "The plan is empty. Drag a host from the Palette's <i>Server presets</i> onto the "
    "canvas, then VMs from <i>VM presets</i> onto it.",
)
# Why a simulated peak past 100 % hurts, per metric.
OVERLOAD_WHY = {
    "CPU": QT_TRANSLATE_NOOP("SummaryPanel", "VMs would wait for CPU (ready time)"),
    "RAM": QT_TRANSLATE_NOOP("SummaryPanel", "active memory would be ballooned or swapped"),
    "NIC": QT_TRANSLATE_NOOP("SummaryPanel", "network traffic would queue"),
}


def _vms(n: float) -> str:
    return plural(n, translate("SummaryPanel", "VM"), translate("SummaryPanel", "VMs"))


def _hosts(n: float) -> str:
    return plural(n, translate("SummaryPanel", "host"), translate("SummaryPanel", "hosts"))


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
            text = translate("SummaryPanel", "over the headroom line in {dimensions}").format(
                dimensions=", ".join(over)
            )
            per_host.setdefault(("warning", text), []).append(name)
    for (severity, text), names in per_host.items():
        out.append(
            (
                severity,
                translate("SummaryPanel", "{hosts}: {finding}").format(
                    hosts=_hosts_text(names), finding=text
                ),
            )
        )
    k = plan.policy.failover_hosts
    if plan.vms and len(plan.hosts) < result.hosts:
        have = _hosts(len(plan.hosts))
        if k:
            need = translate("SummaryPanel", "{hosts} + {k} failover").format(
                hosts=fmt(result.hosts_before_failover), k=fmt(k)
            )
            text = translate(
                "SummaryPanel",
                "failover does not hold: the plan has {have}; the sizing needs {need}",
            ).format(have=have, need=need)
        else:
            text = translate("SummaryPanel", "the plan has {have}; the sizing needs {need}").format(
                have=have, need=fmt(result.hosts)
            )
        out.append(("error" if k else "warning", text))
    if by_host[None]:
        n = sum(v.count for v in by_host[None])
        out.append(
            (
                "warning",
                plural(n, translate("SummaryPanel", "VM is"), translate("SummaryPanel", "VMs are"))
                + " "
                + translate("SummaryPanel", "not placed on any host"),
            )
        )
    if plan.vms:
        out += [("note" if t.endswith("not checked") else "warning", t) for t in result.warnings]
    return sorted(out, key=lambda w: SEVERITIES.index(w[0]))


def overload_warnings(overloads: list[HostOverload]) -> list[tuple[str, str]]:
    """The simulation's overloaded hosts, one line per metric and line passed, naming the
    first few hosts and the highest peak."""
    groups: dict[tuple[str, bool, str], list[tuple[str, float]]] = {}
    for o in overloads:
        for m in o.metrics:
            line = "" if m.over_capacity else fmt(m.headroom_pct, 0)
            groups.setdefault((m.metric, m.over_capacity, line), []).append((o.label, m.peak_pct))
    out: list[tuple[str, str]] = []
    for (metric, over, line), hosts in groups.items():
        hosts.sort(key=lambda h: -h[1])
        top = max(p for _, p in hosts)
        where = (
            "100 %"
            if over
            else translate("SummaryPanel", "the {line} % headroom line").format(line=line)
        )
        text = translate(
            "SummaryPanel", "{hosts}: simulated {metric} peak over {where} (up to {peak} %)"
        ).format(
            hosts=_hosts_text([n for n, _ in hosts]), metric=metric, where=where, peak=fmt(top, 0)
        )
        if over:
            text = translate("SummaryPanel", "{finding}; {why}").format(
                finding=text, why=translate("SummaryPanel", OVERLOAD_WHY[metric])
            )
        out.append(("warning", text))
    return out


def _hosts_text(names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    shown = ", ".join(names[:NAMED_HOSTS])
    if len(names) > NAMED_HOSTS:
        shown = translate("SummaryPanel", "{names} and {n} more").format(
            names=shown, n=fmt(len(names) - NAMED_HOSTS)
        )
    return translate("SummaryPanel", "{hosts} ({names})").format(
        hosts=_hosts(len(names)), names=shown
    )


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
        return translate("SummaryPanel", "no VMs to place yet")
    b = placement_bounds(plan, assumptions) if bounds is None else bounds
    if isinstance(b, str):
        return f"<span style='color:{hex_of('error')}'>{html.escape(b)}</span>"
    if b.best == 0:
        return translate("SummaryPanel", "no VMs to place yet")
    used_text, counted = hosts_line(plan, b.best)
    tight = ", ".join(b.tight) or "—"
    bound = html.escape(bound_text(b))
    line = translate("SummaryPanel", "{used} · lower bound <b>{bound}</b> ({tight})").format(
        used=used_text, bound=bound, tight=html.escape(tight)
    )
    unplaced = sum(v.count for v in plan.vms if v.host is None)
    problems = []
    if unplaced:
        problems.append(translate("SummaryPanel", "{vms} unplaced").format(vms=_vms(unplaced)))
    if over_hosts:
        problems.append(
            translate("SummaryPanel", "{hosts} over capacity").format(hosts=_hosts(over_hosts))
        )
    if problems:
        incomplete = translate("SummaryPanel", "incomplete: {problems}").format(
            problems=", ".join(problems)
        )
        return f"<span style='color:{hex_of('error')}'>{incomplete}</span> · {line}"
    return translate("SummaryPanel", "{line} · ratio {ratio}").format(
        line=line, ratio=fixed(counted / b.best, 2)
    )


def failover_lines(f: FailoverResult, when: str) -> tuple[str, list[tuple[str, str]]]:
    """The summary row of a host-failure what-if, and its warnings."""
    down = ", ".join(f.failed_hosts)
    restarted = sum(r.instances for r in f.restarted)
    lost = sum(u.instances for u in f.unplaced)
    k = f.failover_hosts_planned
    head = translate("SummaryPanel", "{hosts} down at {time}: ").format(
        hosts=html.escape(down), time=when
    )
    if f.held:
        held = "<b style='color:{}'>{}</b>".format(
            hex_of("good"), translate("SummaryPanel", "held")
        )
        row = head + translate("SummaryPanel", "{held}, {vms} restarted").format(
            held=held, vms=_vms(restarted)
        )
    else:
        not_held = "<b style='color:{}'>{}</b>".format(
            hex_of("error"), translate("SummaryPanel", "not held")
        )
        row = head + translate("SummaryPanel", "{not_held}, {vms} left unplaced").format(
            not_held=not_held, vms=_vms(lost)
        )
    row += translate("SummaryPanel", " · policy N+{k}").format(k=k)
    if f.overloaded_hosts:
        row += translate("SummaryPanel", " · over 100 %: {hosts}").format(
            hosts=html.escape(", ".join(f.overloaded_hosts))
        )
    warnings: list[tuple[str, str]] = []
    if not f.held:
        names = ", ".join(sorted({u.vm for u in f.unplaced}))
        warnings.append(
            (
                "error",
                translate(
                    "SummaryPanel",
                    "What-if: with {down} down, {vms} find no host ({names}); the plan does "
                    "not survive losing {hosts}",
                ).format(down=down, vms=_vms(lost), names=names, hosts=_hosts(len(f.failed_hosts))),
            )
        )
    if f.overloaded_hosts:
        warnings.append(
            (
                "warning",
                translate(
                    "SummaryPanel", "What-if: with {down} down, {hosts} go past 100 % of CPU or RAM"
                ).format(down=down, hosts=", ".join(f.overloaded_hosts)),
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
        have = translate("SummaryPanel", "{hosts} in the plan").format(
            hosts=_hosts(len(plan.hosts))
        )
        if not plan.vms:
            return translate("SummaryPanel", "{have} · nothing to size yet (no VMs)").format(
                have=have
            )
        k = plan.policy.failover_hosts
        needs = translate("SummaryPanel", "{have} · the sizing needs <b>{n}</b>").format(
            have=have, n=fmt(result.hosts)
        )
        if k:
            needs += " " + translate("SummaryPanel", "({hosts} + {k} failover)").format(
                hosts=fmt(result.hosts_before_failover), k=fmt(k)
            )
        return needs

    @staticmethod
    def _totals_row(result: SizingResult) -> str:
        # As the CLI prints them: the demand, then the power of two a host is bought at.
        lps = fmt(result.logical_processors)
        if result.logical_processors_rounded != result.logical_processors:
            lps += f" → {fmt(result.logical_processors_rounded)}"
        ram = fmt(result.ram_gb)
        if result.ram_gb_rounded != result.ram_gb:
            ram += f" → {fmt(result.ram_gb_rounded)}"
        storage = (
            translate("SummaryPanel", "{n} GB storage").format(n=fmt(result.storage_gb))
            if result.storage_gb
            else translate("SummaryPanel", "shared storage")
        )
        return translate(
            "SummaryPanel", "{lps} LPs at {ratio}:1 · {ram} GB RAM · {nics} · {storage}"
        ).format(
            lps=lps,
            ratio=fmt(result.vcpu_per_lp),
            ram=ram,
            nics=plural(
                result.nics, translate("SummaryPanel", "NIC"), translate("SummaryPanel", "NICs")
            ),
            storage=storage,
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
            (translate("SummaryPanel", "Plan"), html.escape(plan.name)),
            (translate("SummaryPanel", "Hypervisor"), self.doc.profile.title),
            (translate("SummaryPanel", "Hosts"), self._hosts_row(plan, result)),
        ]
        if not plan.vms and not plan.hosts:
            rows.append(
                (translate("SummaryPanel", "Start"), translate("SummaryPanel", GETTING_STARTED))
            )
        else:
            vms_row = translate(
                "SummaryPanel", "{total} ({placed} placed, {unplaced} unplaced) · {vcpus}"
            ).format(
                total=fmt(total),
                placed=fmt(placed),
                unplaced=fmt(total - placed),
                vcpus=plural(
                    result.vcpus,
                    translate("SummaryPanel", "vCPU"),
                    translate("SummaryPanel", "vCPUs"),
                ),
            )
            rows += [
                (
                    translate("SummaryPanel", "Binding"),
                    f"<b>{result.binding_label}</b>" if plan.vms else "—",
                ),
                (translate("SummaryPanel", "VMs"), vms_row),
                (
                    translate("SummaryPanel", "Totals"),
                    self._totals_row(result) if plan.vms else "—",
                ),
                (translate("SummaryPanel", "Placement"), placement),
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
                translate("SummaryPanel", "No warnings: every host is within its limits.")
                if plan.vms or plan.hosts
                else translate("SummaryPanel", "No warnings: the plan is empty.")
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
        rows.append((translate("SummaryPanel", "What-if"), row))
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
        computing = translate("SummaryPanel", COMPUTING)
        waiting = f"<span style='color:{hex_of('muted')}'>{computing}</span>"
        have = translate("SummaryPanel", "{hosts} in the plan").format(
            hosts=_hosts(len(plan.hosts))
        )
        rows = [
            (translate("SummaryPanel", "Plan"), html.escape(plan.name)),
            (translate("SummaryPanel", "Hypervisor"), self.doc.profile.title),
            (translate("SummaryPanel", "Hosts"), f"{have} · {waiting}"),
            (translate("SummaryPanel", "Binding"), waiting),
            (translate("SummaryPanel", "VMs"), waiting),
            (translate("SummaryPanel", "Totals"), waiting),
            (translate("SummaryPanel", "Placement"), waiting),
        ]
        self._what_if(rows)
        self._show_rows(rows)
        self.warnings.clear()
        item = QListWidgetItem(
            translate("SummaryPanel", "Checking the plan: {computing}").format(computing=computing)
        )
        item.setForeground(role_colour("muted"))
        self.warnings.addItem(item)
