"""A drag as a hand makes it: it enters the canvas over empty space, then reaches a card.

Qt sends a view no further drag events once it turned the first one (the enter) down, so
the enter must be accepted wherever it happens; where it may land is decided per move.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QCursor, QDragEnterEvent, QDragLeaveEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from hvplanner.model.plan import VM, HostModel, NicGroup
from hvplanner.ui.canvas import mime
from tests.ui.conftest import item_view_pos

ACTIONS = Qt.DropAction.MoveAction | Qt.DropAction.CopyAction
LEFT = Qt.MouseButton.LeftButton
NONE = Qt.KeyboardModifier.NoModifier


def _empty_point(window) -> QPoint:
    """A viewport point with no card, tray or chip under it (the margin left of the grid)."""
    scene = window.scene
    point = window.canvas.mapFromScene(QPointF(scene.sceneRect().left() + 5, 0))
    assert scene.box_at(window.canvas.mapToScene(point)) is None
    return point


def _send(window, event) -> bool:
    QApplication.sendEvent(window.canvas.viewport(), event)
    return event.isAccepted()


def _event(kind, data: QMimeData, pos: QPoint):
    # Qt 6.12 takes a QPointF (the QPoint form is deprecated); earlier versions a QPoint.
    try:
        return kind(QPointF(pos), ACTIONS, data, LEFT, NONE)
    except TypeError:
        return kind(pos, ACTIONS, data, LEFT, NONE)


def _enter(window, data: QMimeData, pos: QPoint) -> bool:
    return _send(window, _event(QDragEnterEvent, data, pos))


def _move(window, data: QMimeData, pos: QPoint) -> bool:
    return _send(window, _event(QDragMoveEvent, data, pos))


def _drop(window, data: QMimeData, pos: QPoint) -> bool:
    return _send(window, _event(QDropEvent, data, pos))


def test_template_entering_over_empty_canvas_is_accepted_and_lands_on_the_card(window) -> None:
    data = mime.template_mime(VM(id="web", name="Web", vcpu=1, ram_gb=2))
    empty = _empty_point(window)
    assert _enter(window, data, empty)  # the old canvas turned this down, and so the drag
    assert not _move(window, data, empty)  # no drop on empty canvas ...
    assert "onto a host" in window.statusBar().currentMessage()  # ... and it says where
    card = item_view_pos(window, window.scene.cards["h2"])
    assert _move(window, data, card)
    assert window.scene.cards["h2"].drop_state == "ok"
    assert _drop(window, data, card)
    assert [v.host for v in window.doc.plan.vms if v.name == "Web"] == ["h2"]


def test_chip_entering_over_empty_canvas_is_accepted(window) -> None:
    data = mime.vm_ids_mime(["a"])
    assert _enter(window, data, _empty_point(window))
    card = item_view_pos(window, window.scene.cards["h2"])
    assert _move(window, data, card)
    assert _drop(window, data, card)
    assert next(v.host for v in window.doc.plan.vms if v.id == "a") == "h2"


def test_foreign_drags_are_still_turned_down(window) -> None:
    data = QMimeData()
    data.setText("not ours")
    assert not _enter(window, data, _empty_point(window))


def test_host_model_drag_outlines_where_the_new_host_will_land(window) -> None:
    model = HostModel(
        id="m2",
        name="1 × 8-core, 128 GB",
        sockets=1,
        cores_per_socket=8,
        ghz=2.0,
        ram_gb=128,
        nics=[NicGroup(count=2, gbps=10)],
    )
    data = mime.host_model_mime(model)
    scene = window.scene
    empty = _empty_point(window)
    assert _enter(window, data, empty)
    assert _move(window, data, empty)
    assert scene.ghost.isVisible()
    outline = scene.ghost.rect
    assert "outline" in window.statusBar().currentMessage()
    # Over an existing card the new host still goes to the end, and that card is untouched.
    over = item_view_pos(window, scene.cards["h1"])
    assert _move(window, data, over)
    assert scene.ghost.isVisible() and scene.ghost.rect == outline
    assert scene.cards["h1"].drop_state is None and scene.cards["h1"].preview is None
    assert _drop(window, data, over)
    assert not scene.ghost.isVisible()
    new = [h for h in window.doc.plan.hosts if h.model == "m2"]
    assert len(new) == 1
    assert scene.cards[new[0].id].pos() == outline.topLeft()


# The pointer rests on the card for a second: its tooltip opens, which offscreen Qt notes.
@pytest.mark.qt_log_ignore("This plugin does not support raise")
def test_released_where_refused_keeps_the_reason_in_the_status_bar(window, qtbot) -> None:
    # A real drag released where the last move was refused gets a leave, not a drop.
    data = mime.vm_ids_mime(["big"])
    card = item_view_pos(window, window.scene.cards["h1"])
    assert _enter(window, data, card)
    assert not _move(window, data, card)
    QCursor.setPos(window.canvas.viewport().mapToGlobal(card))
    _send(window, QDragLeaveEvent())
    message = window.statusBar().currentMessage()
    assert "Refused" in message and "RAM" in message
    assert window.scene.cards["h1"].drop_state is None
    qtbot.wait(1000)
    assert "Refused" in window.statusBar().currentMessage()


def test_leaving_the_canvas_clears_the_preview_message(window) -> None:
    data = mime.vm_ids_mime(["big"])
    card = item_view_pos(window, window.scene.cards["h1"])
    assert _enter(window, data, card)
    _move(window, data, card)
    outside = window.canvas.viewport().mapToGlobal(QPoint(-50, -50))
    QCursor.setPos(outside)
    _send(window, QDragLeaveEvent())
    assert window.statusBar().currentMessage() == ""
