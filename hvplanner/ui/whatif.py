"""The failure what-if: fail hosts at a time of the simulated week and see who takes over.

It drives the session's live simulation; the window shows the hosts it names (the failed
ones and those their VMs restart on) in the utilization plots.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMenu

from hvplanner.text import clock
from hvplanner.ui.dialogs import Asker
from hvplanner.ui.i18n import translate
from hvplanner.ui.session import PlanSession


class WhatIf(QObject):
    """Signals:
    failed(list): after a what-if, the failed hosts then the hosts their VMs restart on.
    """

    failed = Signal(list)

    def __init__(
        self,
        session: PlanSession,
        asker: Asker,
        minute_now: Callable[[], float],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.asker = asker
        # The playback position: the default time a host fails at.
        self.minute_now = minute_now

    def fail_hosts(self, hosts: list[str], minute: float) -> bool:
        """Sets the what-if; False (and a status message) when it cannot be run."""
        live_source = self.session.live
        if live_source.pending:
            live_source.refresh_now()
        try:
            live_source.fail(hosts, minute)
        except ValueError as exc:
            self.session.say(
                translate("WhatIf", "Cannot fail {hosts}: {reason}").format(
                    hosts=", ".join(hosts), reason=exc
                ),
                8000,
            )
            return False
        live = live_source.live
        failover = live.failover if live is not None else None
        if failover is None:
            return False
        targets = [r.to_host for r in failover.restarted if r.to_host is not None]
        self.failed.emit([*failover.failed_hosts, *targets])
        verdict = translate("WhatIf", "held") if failover.held else translate("WhatIf", "NOT held")
        down = ", ".join(failover.failed_hosts)
        line = (
            translate("WhatIf", "What-if: {hosts} fails at {time}: N+{k} {verdict} (see Summary)")
            if len(failover.failed_hosts) == 1
            else translate(
                "WhatIf", "What-if: {hosts} fail at {time}: N+{k} {verdict} (see Summary)"
            )
        ).format(
            hosts=down,
            time=clock(failover.at_minute),
            k=failover.failover_hosts_planned,
            verdict=verdict,
        )
        self.session.say(line, 10000)
        return True

    def fail_host_dialog(self, host_id: str) -> None:
        live = self.session.live.live
        if live is None:
            self.session.say(self.session.live.error or translate("WhatIf", "No simulation"))
            return
        default = live.fail_minute if live.failed_hosts else self.minute_now()
        minute = self.asker.fail_time(host_id, live.days, default)
        if minute is not None:
            self.fail_hosts([*live.failed_hosts, host_id], minute)

    def clear_failure(self, host_id: str | None = None) -> None:
        self.session.live.clear_failure(None if host_id is None else [host_id])

    def add_host_entries(self, menu: QMenu, host_id: str) -> None:
        """A host card's context menu: fail this host, or bring it back."""
        live = self.session.live.live
        fail = menu.addAction(
            translate("WhatIf", "Fail This Host at…"), lambda: self.fail_host_dialog(host_id)
        )
        fail.setStatusTip(
            translate("WhatIf", "What-if: this host stops; its VMs restart on the others")
        )
        fail.setEnabled(live is not None)
        clear = menu.addAction(
            translate("WhatIf", "Clear Failure"), lambda: self.clear_failure(host_id)
        )
        clear.setEnabled(live is not None and host_id in live.failed_hosts)
