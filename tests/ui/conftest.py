"""Fixtures for the window tests: a plan, a window with no real dialogs, drag helpers."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, QSettings, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QGraphicsItem

from hvplanner.formats.inventory import ImportResult
from hvplanner.model.plan import VM, Host, HostModel, NicGroup, Plan, Policy
from hvplanner.ui.autosave import Autosave
from hvplanner.ui.dialogs import Answer, ExportKind
from hvplanner.ui.editor import PlanEditor
from hvplanner.ui.mainwindow import MainWindow
from hvplanner.ui.session import PlanSession


class FakeAsker:
    """Answers the window's questions from attributes the test sets; records errors."""

    def __init__(self) -> None:
        self.answer: Answer = "discard"
        self.open: Path | None = None
        self.save_as: Path | None = None
        self.errors: list[tuple[str, str]] = []
        self.recover_answer = True
        self.count_answer: int | None = 3
        self.model: HostModel | None = None
        self.template: VM | None = None
        self.asked_save = 0
        self.fail_minute: float | None = 600.0
        self.asked_fail: list[tuple[str, float, float]] = []
        self.import_file: Path | None = None
        self.previewed: list[ImportResult] = []
        self.consolidations: list[list[str]] = []
        self.preview_answer: Callable[
            [ImportResult, Callable[[bool], ImportResult]], ImportResult | None
        ] = lambda first, parse: first
        self.export_to: dict[str, Path] = {}
        self.pdf_answer: tuple[str, str] | None = ("A4", "")
        self.pdf_asked: list[tuple[str, str]] = []
        self.import_offered: list[Path] = []
        self.import_answer = True
        self.host_answer: str | None = None
        self.asked_host: list[list[str]] = []
        self.outside_answer = False
        self.asked_outside: list[tuple[Path, list[Path]]] = []

    def save_changes(self, name: str) -> Answer:
        self.asked_save += 1
        return self.answer

    def open_path(self, folder: str) -> Path | None:
        return self.open

    def read_outside(self, plan: Path, paths: list[Path]) -> bool:
        self.asked_outside.append((plan, list(paths)))
        return self.outside_answer

    def offer_import(self, path: Path) -> bool:
        self.import_offered.append(path)
        return self.import_answer

    def save_path(self, suggestion: str) -> Path | None:
        return self.save_as

    def error(self, title: str, text: str) -> None:
        self.errors.append((title, text))

    def recover(self, source: Path | None) -> bool:
        return self.recover_answer

    def count(self, template: VM) -> int | None:
        return self.count_answer

    def host_count(self, default: int) -> int | None:
        return default

    def new_host_model(self, taken: set[str]) -> HostModel | None:
        return self.model

    def new_template(self) -> VM | None:
        return self.template

    def fail_time(self, host: str, days: float, minute: float) -> float | None:
        self.asked_fail.append((host, days, minute))
        return self.fail_minute

    def choose_host(self, doc: object, vm_ids: list[str]) -> str | None:
        self.asked_host.append(list(vm_ids))
        return self.host_answer

    def import_path(self, folder: str) -> Path | None:
        return self.import_file

    def preview_import(
        self,
        source: str,
        first: ImportResult,
        parse: Callable[[bool], ImportResult],
        extra: Sequence[str] = (),
    ) -> ImportResult | None:
        self.previewed.append(first)
        self.consolidations.append(list(extra))
        return self.preview_answer(first, parse)

    def export_path(self, kind: ExportKind, suggestion: str) -> Path | None:
        return self.export_to.get(kind)

    def pdf_options(self, page: str, author: str) -> tuple[str, str] | None:
        self.pdf_asked.append((page, author))
        return self.pdf_answer


def small_plan() -> Plan:
    model = HostModel(
        id="m",
        name="2 × 4-core, 64 GB",
        sockets=2,
        cores_per_socket=4,
        ghz=2.0,
        ram_gb=64,
        nics=[NicGroup(count=2, gbps=1)],
    )
    return Plan(
        name="Test plan",
        host_models=[model],
        hosts=[Host(id="h1", model="m"), Host(id="h2", model="m")],
        vms=[
            VM(id="a", vcpu=2, ram_gb=8, host="h1"),
            VM(id="b", vcpu=1, ram_gb=4, host="h1"),
            VM(id="c", vcpu=1, ram_gb=4, host="h2"),
            VM(id="big", vcpu=4, ram_gb=50, host=None),
            VM(id="grp", count=4, vcpu=1, ram_gb=1, host=None),
        ],
    )


@pytest.fixture
def asker() -> FakeAsker:
    return FakeAsker()


@pytest.fixture
def window(qtbot, tmp_path: Path, asker: FakeAsker) -> Iterator[MainWindow]:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    win = MainWindow(
        small_plan(),
        None,
        asker=asker,  # type: ignore[arg-type]
        autosave=Autosave(tmp_path / "autosave"),
        settings=settings,
    )
    qtbot.addWidget(win)
    win.resize(1200, 800)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.doc.undo_stack.setClean()


@pytest.fixture
def session(qtbot) -> Iterator[PlanSession]:
    """The small plan's session, with no window."""
    made = PlanSession(small_plan())
    yield made
    made.doc.undo_stack.setClean()


@pytest.fixture
def editor(qtbot, session: PlanSession, asker: FakeAsker) -> PlanEditor:
    """The plan editor on its own, as the window embeds it."""
    made = PlanEditor(session, asker)  # type: ignore[arg-type]
    qtbot.addWidget(made)
    made.resize(1000, 700)
    made.show()
    qtbot.waitExposed(made)
    return made


def item_view_pos(
    window: MainWindow | PlanEditor, item: QGraphicsItem, local: QPointF | None = None
) -> QPoint:
    """Viewport position of a point of an item (its centre by default)."""
    rect = item.boundingRect()
    point = item.mapToScene(local if local is not None else rect.center())
    return window.canvas.mapFromScene(point)


def drag_drop(
    window: MainWindow | PlanEditor,
    mime: QMimeData,
    pos: QPoint,
    modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
    drop: bool = True,
) -> bool:
    """Sends the drag enter, move and drop that a real drag sends, to the canvas viewport."""
    viewport = window.canvas.viewport()
    actions = Qt.DropAction.MoveAction | Qt.DropAction.CopyAction
    buttons = Qt.MouseButton.LeftButton
    # Qt 6.12 takes a QPointF (the QPoint form is deprecated); earlier versions a QPoint.
    try:
        enter = QDragEnterEvent(QPointF(pos), actions, mime, buttons, modifiers)
        move = QDragMoveEvent(QPointF(pos), actions, mime, buttons, modifiers)
    except TypeError:
        enter = QDragEnterEvent(pos, actions, mime, buttons, modifiers)
        move = QDragMoveEvent(pos, actions, mime, buttons, modifiers)
    QApplication.sendEvent(viewport, enter)
    QApplication.sendEvent(viewport, move)
    if not drop:
        return move.isAccepted()
    ev = QDropEvent(QPointF(pos), actions, mime, buttons, modifiers)
    QApplication.sendEvent(viewport, ev)
    return ev.isAccepted()


def big_plan(hosts: int = 40, vms: int = 800) -> Plan:
    """A generated plan the size a reviewer drove: long names, most VMs placed."""
    model = HostModel(
        id="1s16c",
        name="1 × 16-core, 128 GB",
        sockets=1,
        cores_per_socket=16,
        ghz=2.4,
        ram_gb=128,
        nics=[NicGroup(count=2, gbps=10)],
    )
    kinds = ("web", "app", "db", "sql-cluster-node", "exchange-mailbox")
    return Plan(
        name="Big plan",
        policy=Policy(vcpu_per_lp=10),  # KVM's per-core guidance, on one thread per core
        host_models=[model],
        hosts=[
            Host(
                id=f"h{i + 1}",
                model="1s16c",
                name=f"esx-rack{i // 10 + 1:02d}-node{i % 10 + 1:02d}",
            )
            for i in range(hosts)
        ],
        vms=[
            VM(
                id=f"vm{i}",
                name=f"srv-{kinds[i % len(kinds)]}-{i:04d}",
                vcpu=(1, 2, 4)[i % 3],
                ram_gb=(2, 4, 8)[i % 3],
                host=f"h{i % hosts + 1}" if i < vms * 7 // 8 else None,
            )
            for i in range(vms)
        ],
    )


@pytest.fixture
def make_window(qtbot, tmp_path: Path, asker: FakeAsker) -> Iterator[Callable[..., MainWindow]]:
    """A window on any plan (the `window` fixture is the small plan)."""
    made: list[MainWindow] = []

    def make(plan: Plan, size: tuple[int, int] = (1200, 800)) -> MainWindow:
        settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
        win = MainWindow(
            plan,
            None,
            asker=asker,  # type: ignore[arg-type]
            autosave=Autosave(tmp_path / "autosave"),
            settings=settings,
        )
        qtbot.addWidget(win)
        win.resize(*size)
        win.show()
        qtbot.waitExposed(win)
        made.append(win)
        return win

    yield make
    for win in made:
        win.doc.undo_stack.setClean()
