"""Readiness panel: runs the workstation check off the GUI thread and shows its report.

Checks are grouped by area with a status icon, the evidence seen and the fix; the
verdict table gives one row per hypervisor family. "Copy report" puts the same text
the CLI prints on the clipboard, so a user can paste it into a ticket.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QStyle,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hvplanner.readiness.model import AREA_TITLES, VERDICT_LABELS, Report
from hvplanner.readiness.report import render_text
from hvplanner.readiness.run import run_check
from hvplanner.ui.background import BackgroundTask
from hvplanner.ui.i18n import QT_TRANSLATE_NOOP, translate

_CHECK_ICONS = {
    "pass": QStyle.StandardPixmap.SP_DialogApplyButton,
    "warn": QStyle.StandardPixmap.SP_MessageBoxWarning,
    "fail": QStyle.StandardPixmap.SP_MessageBoxCritical,
    "unknown": QStyle.StandardPixmap.SP_MessageBoxQuestion,
    # Not a failure: a neutral mark, not the red one some styles draw for "cancel".
    "skip": QStyle.StandardPixmap.SP_MediaSkipForward,
}
# Worst first: a group shows the worst of its checks.
_SEVERITY = ("fail", "warn", "unknown", "pass", "skip")


def worst_status(statuses: list[str]) -> str:
    return min(statuses, key=_SEVERITY.index, default="skip")


_VERDICT_ICONS = {
    "ready": "pass",
    "degraded": "warn",
    "own-machine": "skip",
    "blocked": "fail",
    "unknown": "unknown",
}


# The readiness model's words (shared with the CLI's report, which stays English), marked
# here for the window's translation; tests/ui/test_translatable_text.py keeps them equal.
VERDICT_WORDS: dict[str, str] = {
    "ready": QT_TRANSLATE_NOOP("ReadinessPanel", "ready"),
    "degraded": QT_TRANSLATE_NOOP("ReadinessPanel", "degraded"),
    "own-machine": QT_TRANSLATE_NOOP("ReadinessPanel", "needs a machine of its own"),
    "blocked": QT_TRANSLATE_NOOP("ReadinessPanel", "blocked"),
    "unknown": QT_TRANSLATE_NOOP("ReadinessPanel", "unknown"),
}
AREA_WORDS: dict[str, str] = {
    "platform": QT_TRANSLATE_NOOP("ReadinessPanel", "Platform"),
    "cpu": QT_TRANSLATE_NOOP("ReadinessPanel", "Processor"),
    "firmware": QT_TRANSLATE_NOOP("ReadinessPanel", "Firmware"),
    "virtual-machine": QT_TRANSLATE_NOOP("ReadinessPanel", "Is this machine a VM?"),
    "kvm": QT_TRANSLATE_NOOP("ReadinessPanel", "KVM"),
    "iommu": QT_TRANSLATE_NOOP("ReadinessPanel", "IOMMU (device passthrough)"),
    "devices": QT_TRANSLATE_NOOP("ReadinessPanel", "Devices"),
    "resources": QT_TRANSLATE_NOOP("ReadinessPanel", "Cores, memory and disk"),
}


class ReadinessPanel(QWidget):
    """Self-contained; `root` reads a snapshot folder instead of this machine."""

    check_finished = Signal(object)
    check_failed = Signal(str)

    def __init__(self, root: Path | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._root = root
        self._report: Report | None = None
        self._task = BackgroundTask(self)
        self._task.finished.connect(self._on_done)
        self._task.failed.connect(
            lambda exc: self._on_failed(f"{type(exc).__name__}: {exc}")  # a defect must show
        )

        self.run_button = QPushButton(translate("ReadinessPanel", "Run check"))
        self.copy_button = QPushButton(translate("ReadinessPanel", "Copy report"))
        self.copy_button.setEnabled(False)
        self.status_label = QLabel(
            translate("ReadinessPanel", "Reads the snapshot {folder}").format(folder=root)
            if root
            else translate("ReadinessPanel", "Checks whether this machine can run each hypervisor.")
        )
        self.status_label.setWordWrap(True)
        self.run_button.clicked.connect(self.run_check)
        self.copy_button.clicked.connect(self.copy_report)

        self.checks_tree = QTreeWidget()
        self.checks_tree.setAccessibleName(translate("ReadinessPanel", "Checks of this machine"))
        self.checks_tree.setHeaderLabels(
            [translate("ReadinessPanel", "Check"), translate("ReadinessPanel", "Result")]
        )
        self.checks_tree.setWordWrap(True)
        self.checks_tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)

        self.verdict_table = QTableWidget(0, 3)
        self.verdict_table.setAccessibleName(translate("ReadinessPanel", "Verdict per hypervisor"))
        self.verdict_table.setHorizontalHeaderLabels(
            [
                translate("ReadinessPanel", "Hypervisor"),
                translate("ReadinessPanel", "Verdict"),
                translate("ReadinessPanel", "Why"),
            ]
        )
        self.verdict_table.horizontalHeader().setStretchLastSection(True)
        self.verdict_table.verticalHeader().setVisible(False)
        self.verdict_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.verdict_table.setWordWrap(True)

        buttons = QHBoxLayout()
        buttons.addWidget(self.run_button)
        buttons.addWidget(self.copy_button)
        buttons.addStretch(1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.checks_tree)
        split.addWidget(self.verdict_table)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.status_label)
        layout.addWidget(split, 1)

    @property
    def report(self) -> Report | None:
        return self._report

    @Slot()
    def run_check(self) -> None:
        self.run_button.setEnabled(False)
        self.status_label.setText(translate("ReadinessPanel", "Checking…"))
        root = self._root
        self._task.start(lambda _progress: run_check(root=root))

    @Slot()
    def copy_report(self) -> None:
        if self._report is not None:
            QGuiApplication.clipboard().setText(render_text(self._report))

    def _icon(self, status: str) -> QIcon:
        return self.style().standardIcon(_CHECK_ICONS[status])

    @Slot(object)
    def _on_done(self, report: Report) -> None:
        self._report = report
        self._fill_checks(report)
        self._fill_verdicts(report)
        self.run_button.setEnabled(True)
        self.copy_button.setEnabled(True)
        where = (
            translate("ReadinessPanel", "snapshot {folder}").format(folder=report.platform.root)
            if report.platform.root
            else translate("ReadinessPanel", "this machine")
        )
        vm = {
            True: translate("ReadinessPanel", "a virtual machine"),
            False: translate("ReadinessPanel", "bare metal"),
            None: translate("ReadinessPanel", "VM or not: unknown"),
        }
        self.status_label.setText(
            translate("ReadinessPanel", "{where}: {cpu} — {vm}").format(
                where=where,
                cpu=report.cpu.model or translate("ReadinessPanel", "unknown CPU"),
                vm=vm[report.is_vm],
            )
        )
        self.check_finished.emit(report)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self.run_button.setEnabled(True)
        self.status_label.setText(
            translate("ReadinessPanel", "The check failed: {error}").format(error=message)
        )
        self.check_failed.emit(message)

    def _fill_checks(self, report: Report) -> None:
        self.checks_tree.clear()
        for area, english in AREA_TITLES.items():
            title = translate("ReadinessPanel", AREA_WORDS.get(area, english))
            checks = [c for c in report.checks if c.area == area]
            if not checks:
                continue
            group = QTreeWidgetItem([title, ""])
            worst = worst_status([c.status for c in checks])
            group.setIcon(0, self._icon(worst))
            group.setData(0, Qt.ItemDataRole.UserRole, worst)
            self.checks_tree.addTopLevelItem(group)
            for c in checks:
                # The icon is the status; a glyph beside it would say it twice.
                item = QTreeWidgetItem([c.title, c.summary])
                item.setIcon(0, self._icon(c.status))
                item.setData(0, Qt.ItemDataRole.UserRole, c.status)
                item.setToolTip(1, c.summary)
                for e in c.evidence:
                    item.addChild(
                        QTreeWidgetItem(
                            [translate("ReadinessPanel", "seen"), f"{e.source}: {e.value}"]
                        )
                    )
                if c.fix:
                    tags = [
                        t
                        for t, on in (
                            (translate("ReadinessPanel", "needs admin rights"), c.fix_needs_admin),
                            (
                                translate("ReadinessPanel", "then power off fully"),
                                c.fix_needs_cold_boot,
                            ),
                        )
                        if on
                    ]
                    extra = f" ({'; '.join(tags)})" if tags else ""
                    item.addChild(
                        QTreeWidgetItem([translate("ReadinessPanel", "fix"), c.fix + extra])
                    )
                group.addChild(item)
            group.setExpanded(True)

    def _fill_verdicts(self, report: Report) -> None:
        self.verdict_table.setRowCount(len(report.verdicts))
        for row, v in enumerate(report.verdicts.values()):
            name = QTableWidgetItem(v.title)
            name.setToolTip(v.profile)
            status = QTableWidgetItem(
                translate("ReadinessPanel", VERDICT_WORDS.get(v.status, VERDICT_LABELS[v.status]))
            )
            status.setIcon(self._icon(_VERDICT_ICONS[v.status]))
            lines = [
                *v.reasons,
                *(
                    translate("ReadinessPanel", "limitation: {text}").format(text=x)
                    for x in v.limitations
                ),
            ]
            why = QTableWidgetItem("\n".join(lines))
            why.setToolTip("\n".join(lines))
            self.verdict_table.setItem(row, 0, name)
            self.verdict_table.setItem(row, 1, status)
            self.verdict_table.setItem(row, 2, why)
        self.verdict_table.resizeRowsToContents()

    def wait_idle(self) -> bool:
        """Block until the background check's worker is done (for closing and for tests)."""
        return self._task.wait()
