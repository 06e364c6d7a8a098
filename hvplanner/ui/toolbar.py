"""The main toolbar: the hypervisor choice, Auto-place, Undo / Redo, zoom."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, SignalInstance
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QComboBox, QLabel, QMainWindow, QToolBar, QToolButton

from hvplanner.catalog import load_catalog
from hvplanner.ui.commands import SetHypervisorCommand
from hvplanner.ui.i18n import translate
from hvplanner.ui.session import PlanSession


def history_button(
    text: str, idle_tip: str, slot: Callable[[], object], can_changed: SignalInstance
) -> QToolButton:
    # A plain button, not an action in the toolbar: Qt 6.11's toolbar button connects to
    # its action again on every change of the action, and these change with every edit
    # (about 1.2 KB a move+undo in bench/gui.py, never freed).
    button = QToolButton()
    button.setText(text)
    button.setAutoRaise(True)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    button.setEnabled(False)
    button.setToolTip(idle_tip)
    button.clicked.connect(lambda _checked=False: slot())
    can_changed.connect(button.setEnabled)
    return button


def history_tip(button: QToolButton, verb: str, idle_tip: str, command: str) -> None:
    tip = translate("MainToolBar", "{verb}: {command}").format(verb=verb, command=command)
    button.setToolTip(tip if command else idle_tip)


class HypervisorChoice(QComboBox):
    """The plan's hypervisor; choosing one is an undoable edit."""

    def __init__(self, session: PlanSession) -> None:
        super().__init__()
        self.session = session
        self.setToolTip(
            translate(
                "HypervisorChoice", "Hypervisor: its limits and overheads apply to every host"
            )
        )
        for profile in load_catalog().ordered():
            self.addItem(profile.title, profile.key)
        self.activated.connect(self._chosen)
        session.doc.plan_changed.connect(lambda _t: self.follow())
        self.follow()

    def follow(self) -> None:
        i = self.findData(self.session.plan.hypervisor)
        if i != self.currentIndex():
            self.setCurrentIndex(i)

    def _chosen(self, index: int) -> None:
        key = self.itemData(index)
        doc = self.session.doc
        if key and key != doc.plan.hypervisor:
            self.session.try_push(lambda: SetHypervisorCommand(doc, key))


class MainToolBar(QToolBar):
    def __init__(
        self,
        window: QMainWindow,
        session: PlanSession,
        plan_actions: list[QAction],
        zoom_actions: list[QAction],
    ) -> None:
        super().__init__(translate("MainToolBar", "Main"), window)
        self.setObjectName("main-toolbar")
        self.setMovable(False)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        stack = session.doc.undo_stack
        # The buttons keep a fixed label (the menu's name the command): a label that
        # changes with every edit makes the toolbar jump.
        undo, redo = translate("MainToolBar", "Undo"), translate("MainToolBar", "Redo")
        no_undo = translate("MainToolBar", "Nothing to undo")
        no_redo = translate("MainToolBar", "Nothing to redo")
        self.undo_button = history_button(undo, no_undo, stack.undo, stack.canUndoChanged)
        self.redo_button = history_button(redo, no_redo, stack.redo, stack.canRedoChanged)
        stack.undoTextChanged.connect(lambda t: history_tip(self.undo_button, undo, no_undo, t))
        stack.redoTextChanged.connect(lambda t: history_tip(self.redo_button, redo, no_redo, t))
        self.hv_combo = HypervisorChoice(session)
        self.addWidget(QLabel(translate("MainToolBar", " Hypervisor: ")))
        self.addWidget(self.hv_combo)
        self.addSeparator()
        self.addActions(plan_actions)
        self.addSeparator()
        self.addWidget(self.undo_button)
        self.addWidget(self.redo_button)
        self.addSeparator()
        self.addActions(zoom_actions)
