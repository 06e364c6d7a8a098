"""Plan ▸ Auto-place: runs the placer in the background, shows progress, and pushes the
result as one undo step with a line that says what changed against the lower bound."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QProgressDialog, QWidget

from hvplanner.engine.assumptions import resolve_plan
from hvplanner.engine.placement.layout import (
    bound_text,
    hosts_in_use,
    hosts_line,
    known_bounds,
    known_moves,
    lower_bounds,
)
from hvplanner.engine.planindex import prepare
from hvplanner.errors import InputError
from hvplanner.model.collection import collection_paused
from hvplanner.model.hypervisor import HypervisorProfile
from hvplanner.model.plan import Plan
from hvplanner.ui.autoplace import AutoPlaceRunner, Placer, Progress
from hvplanner.ui.commands import ReplacePlanCommand
from hvplanner.ui.i18n import fmt, plural, translate
from hvplanner.ui.session import PlanSession

# A run that ends sooner shows no progress dialog: the wait the dialog's minimum duration
# gave it before.
SHOW_AFTER_MS = 300


def placement_change(before: Plan, after: Plan, profile: HypervisorProfile) -> str:
    """Hosts in use before → after against the lower bound, and what that means.

    With N+k the hosts kept empty as reserve count too, as they do in the bound. Plain data
    only: the run works it out in its thread, beside the placement.
    """
    try:
        # Auto-place's run remembered the engine's bounds for the plan it made.
        b = known_bounds(after) or lower_bounds(after, resolve_plan(after, profile))
    except InputError:
        b = None
    now_text, now = hosts_line(after, b.best if b is not None else None)

    def hosts(n: int) -> str:
        return plural(
            n, translate("AutoPlaceAction", "host"), translate("AutoPlaceAction", "hosts")
        )

    used_before = hosts_in_use(before)
    text = f"{fmt(used_before)} → {now_text}"
    if b is not None and b.best:
        text += " " + translate("AutoPlaceAction", "(lower bound {bound})").format(
            bound=bound_text(b)
        )
    notes = []
    moved = known_moves(after)
    # Only a plan with VMs on hosts already has any to move.
    if moved is not None and any(v.host is not None and not v.pinned for v in before.vms):
        notes.append(
            translate("AutoPlaceAction", "1 VM moves")
            if moved == 1
            else translate("AutoPlaceAction", "{n} VMs move").format(n=fmt(moved))
        )
    listed = {x.id for x in before.hosts}
    added = [h.id for h in after.hosts if h.id not in listed]
    if added:
        shown = ", ".join(added[:5])
        if len(added) > 5:
            shown = translate("AutoPlaceAction", "{names} and {n} more").format(
                names=shown, n=fmt(len(added) - 5)
            )
        notes.append(
            translate("AutoPlaceAction", "added {hosts} ({names})").format(
                hosts=hosts(len(added)), names=shown
            )
        )
    if hosts_in_use(after) > used_before:
        notes.append(translate("AutoPlaceAction", "uses more hosts than before"))
    if b is not None and b.best and now > b.best:
        notes.append(
            translate("AutoPlaceAction", "{hosts} above the bound").format(
                hosts=hosts(now - b.best)
            )
        )
    if notes:
        text += ": " + ", ".join(notes)
    return text + ". " + translate("AutoPlaceAction", "Undo reverts it in one step.")


class AutoPlaceAction(QAction):
    """The Auto-place action and the run it starts (progress dialog parented to `owner`)."""

    def __init__(self, session: PlanSession, placer: Placer | None, owner: QWidget) -> None:
        super().__init__(translate("AutoPlaceAction", "&Auto-place"), owner)
        self.session = session
        self.placer = placer
        self.owner = owner
        self.runner: AutoPlaceRunner | None = None
        self.progress: QProgressDialog | None = None
        self._placing_from: Plan | None = None
        self._told: list[tuple[Plan, str]] = []  # the run's plan and its status line
        self._show_timer = QTimer(self)
        self._show_timer.setSingleShot(True)
        self._show_timer.timeout.connect(self._show_progress)
        self._shown = (0, "")  # the run's last progress, for a dialog shown later
        self.setShortcut("Ctrl+R")
        tip = translate(
            "AutoPlaceAction", "Place every unpinned VM onto the hosts (runs in the background)"
        )
        self.setStatusTip(tip)
        self.setToolTip(tip)
        self.triggered.connect(lambda _checked=False: self.run())
        if placer is None:
            self.setEnabled(False)
            self.setToolTip(
                translate("AutoPlaceAction", "Auto-place: the placement engine is not installed")
            )

    @property
    def running(self) -> bool:
        return self.runner is not None and self.runner.running

    def run(self) -> None:
        if self.placer is None or self.running:
            return
        placer = self.placer
        before = self.session.doc.plan
        told: list[tuple[Plan, str]] = []
        self._told = told

        def place_and_tell(plan: Plan, profile: HypervisorProfile, progress: Progress) -> Plan:
            # The line the status bar shows afterwards needs the new plan's lower bound
            # (O(VMs)): worked out here, off the GUI thread, which then only applies.
            after = placer(plan, profile, progress)
            # The canvas, the inspector and the hard-limit check index the new plan's
            # VMs by host and by id (O(VMs)): built here, they are ready when it applies,
            # and the status line counts the hosts in use from them.
            with collection_paused():
                prepare(after)
            told.append((after, placement_change(before, after, profile)))
            return after

        self.runner = AutoPlaceRunner(place_and_tell, self)
        self._shown = (0, "")
        # The dialog is built only for a run still going after SHOW_AFTER_MS (as
        # QProgressDialog's own minimum duration would show it): building it cost a quick
        # run's first click 4 ms, more than the rest of the window's work at 10,000 VMs.
        self._show_timer.start(SHOW_AFTER_MS)
        self.runner.progressed.connect(self._progress)
        self.runner.finished.connect(self._done)
        self.runner.failed.connect(
            lambda text: self._over(
                translate("AutoPlaceAction", "Auto-place failed: {error}").format(error=text)
            )
        )
        self.runner.cancelled.connect(
            lambda: self._over(
                translate("AutoPlaceAction", "Auto-place cancelled; the plan is unchanged")
            )
        )
        # Greyed with the dialog, not at the click: a quick run would grey the toolbar
        # button and the menu entry for a flicker, relaying out and repainting the toolbar
        # at the click and again at the end. A click meanwhile is refused by `running`.
        self._placing_from = before
        self.runner.start(before, self.session.doc.profile)

    def shutdown(self) -> None:
        """The window is closing: stop a run and wait for its thread."""
        if self.runner is not None and self.runner.running:
            self.runner.cancel()
            self.runner.wait()

    def _show_progress(self) -> None:
        runner = self.runner
        if runner is None or not runner.running or self.progress is not None:
            return
        self.progress = QProgressDialog(
            translate("AutoPlaceAction", "Placing VMs…"),
            translate("AutoPlaceAction", "Cancel"),
            0,
            100,
            self.owner,
        )
        self.progress.setWindowTitle(translate("AutoPlaceAction", "Auto-place"))
        self.progress.setMinimumDuration(0)
        self.progress.canceled.connect(runner.cancel)
        self.setEnabled(False)
        self._progress(*self._shown)
        self.progress.show()

    def _progress(self, percent: int, text: str) -> None:
        self._shown = (percent, text or self._shown[1])
        if self.progress is not None:
            self.progress.setValue(percent)
            if text:
                self.progress.setLabelText(text)

    def _over(self, message: str) -> None:
        self._show_timer.stop()
        if self.progress is not None:
            self.progress.reset()
            self.progress.deleteLater()
            self.progress = None
        if not self.isEnabled():
            self.setEnabled(self.placer is not None)
        self.session.say(message, 8000)

    def _done(self, plan: object) -> None:
        before = self._placing_from
        if not isinstance(plan, Plan) or before is None:
            self._over(translate("AutoPlaceAction", "Auto-place returned no plan"))
            return
        doc = self.session.doc
        if doc.plan is not before:
            self._over(
                translate(
                    "AutoPlaceAction", "The plan changed while placing; Auto-place result discarded"
                )
            )
            return
        told = [text for after, text in self._told if after is plan]
        text = told[0] if told else placement_change(before, plan, doc.profile)
        if same_placement(before, plan):
            # An undo step that undoes nothing would only mark the plan modified.
            self._over(
                translate(
                    "AutoPlaceAction",
                    "Auto-place: every VM stays where it is, nothing to undo; {change}",
                ).format(change=text)
            )
            return
        doc.push(ReplacePlanCommand(doc, translate("AutoPlaceAction", "Auto-place"), plan))
        self._over(translate("AutoPlaceAction", "Auto-place done: {change}").format(change=text))


def same_placement(before: Plan, after: Plan) -> bool:
    """Whether a placement left the plan as it was: no host added, every VM where it was
    (a VM that stays is the same object in both plans, so this is cheap at any size)."""
    return (
        len(after.hosts) == len(before.hosts)
        and len(after.vms) == len(before.vms)
        and all(a is b or a == b for a, b in zip(after.vms, before.vms, strict=True))
        and all(a is b or a == b for a, b in zip(after.hosts, before.hosts, strict=True))
    )
