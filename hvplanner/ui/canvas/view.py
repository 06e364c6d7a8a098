"""The canvas view: zoom with Ctrl+wheel, fit with Ctrl+0, pan with scroll bars or middle drag."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QContextMenuEvent,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QGraphicsItem, QGraphicsView, QWidget

from hvplanner.formats.planfile import PLAN_SUFFIX
from hvplanner.ui.canvas.cards import HostCard
from hvplanner.ui.canvas.keynav import KeyNavigator
from hvplanner.ui.canvas.scene import PlanScene
from hvplanner.ui.i18n import translate

MIN_ZOOM = 0.1
MAX_ZOOM = 4.0
MAX_FIT_ZOOM = 1.5
# Below this the cards' small print is unreadable: Fit scrolls down rather than shrink further.
MIN_FIT_ZOOM = 0.62


def plan_files(event: QDropEvent | QDragEnterEvent | QDragMoveEvent) -> list[str]:
    data = event.mimeData()
    if not data.hasUrls():
        return []
    return [
        u.toLocalFile()
        for u in data.urls()
        if u.isLocalFile() and u.toLocalFile().endswith(".json")
    ]


class PlanView(QGraphicsView):
    """Signals:
    files_dropped(list): local plan files dropped onto the canvas.
    context_menu(object, object): the item under the cursor (or None) and the global position.
    """

    files_dropped = Signal(list)
    context_menu = Signal(object, object)

    def __init__(self, scene: PlanScene, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
        self.setRubberBandSelectionMode(Qt.ItemSelectionMode.IntersectsItemShape)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setAcceptDrops(True)
        self._panning: tuple[int, int] | None = None
        self._fitted = False
        # What the view showed before a relayout: an item and its place in the viewport.
        self._anchor: tuple[QGraphicsItem, QPointF] | None = None
        self._reveal: list[QGraphicsItem] = []
        self._after_layout = QTimer(self)
        self._after_layout.setSingleShot(True)
        self._after_layout.setInterval(0)
        self._after_layout.timeout.connect(self._settle)
        # What the view shows goes to the scene at the next paint, or after this if none.
        self._region_later = QTimer(self)
        self._region_later.setSingleShot(True)
        self._region_later.setInterval(0)
        self._region_later.timeout.connect(self.report_region)
        self.keys = KeyNavigator(scene)
        scene.layout_about_to_change.connect(self._note_anchor)
        scene.layout_changed.connect(self._layout_changed)
        self.setToolTip("")
        self.setWhatsThis(
            translate(
                "PlanView", "The plan's hosts and VMs. Drop {suffix} files here to open them."
            ).format(suffix=PLAN_SUFFIX)
        )

    def zoom(self) -> float:
        return self.transform().m11()

    def zoom_by(self, factor: float) -> None:
        target = min(max(self.zoom() * factor, MIN_ZOOM), MAX_ZOOM)
        f = target / self.zoom()
        self.scale(f, f)
        self._fitted = False
        self._region_later.start()

    def fitted(self) -> bool:
        """True while the view shows the last Fit (no zoom since): it refits on resize."""
        return self._fitted

    def zoom_in(self) -> None:
        self.zoom_by(1.25)

    def zoom_out(self) -> None:
        self.zoom_by(0.8)

    def fit(self) -> None:
        scene = self.scene()
        if isinstance(scene, PlanScene):
            self._tell_scene(scene)
        rect = scene.sceneRect()
        if rect.isEmpty():
            return
        self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
        # Fitting a tiny plan would blow chips up to poster size.
        if self.zoom() > MAX_FIT_ZOOM:
            self.zoom_by(MAX_FIT_ZOOM / self.zoom())
        elif self.zoom() < MIN_FIT_ZOOM:
            self.zoom_by(MIN_FIT_ZOOM / self.zoom())
            # Too tall to fit readably: start at the top (the tray), the rest scrolls.
            half = self.viewport().height() / (2 * self.zoom())
            self.centerOn(QPointF(rect.center().x(), rect.top() + half))
        self._fitted = True
        self._anchor = None  # the fit decides what is shown, not the view before it
        self._region_later.start()

    def _tell_scene(self, scene: PlanScene) -> None:
        # The whole inside, less a vertical scroll bar: the size must not change as that
        # bar comes and goes, or the grid would flip between two column counts.
        inside = self.frameWidth() * 2
        bar = self.verticalScrollBar().sizeHint().width()
        scene.set_viewport(self.width() - inside - bar, self.height() - inside, MIN_FIT_ZOOM)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        scene = self.scene()
        if isinstance(scene, PlanScene):
            self._tell_scene(scene)
        if self._fitted:
            self.fit()
        self._region_later.start()

    def report_region(self) -> None:
        """Tells the scene what is on screen, so that the boxes there have their chips."""
        self._region_later.stop()
        scene = self.scene()
        if isinstance(scene, PlanScene):
            scene.show_region(self.mapToScene(self.viewport().rect()).boundingRect())

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        super().scrollContentsBy(dx, dy)
        # Not at once: a fit or a zoom scrolls through views that are never painted.
        self._region_later.start()

    def paintEvent(self, event: QPaintEvent) -> None:
        # Every scroll, zoom and resize ends in a paint: the chips about to be seen are
        # built here if nothing built them before (the items are found by this very paint).
        self.report_region()
        super().paintEvent(event)

    def reveal(self, items: list[QGraphicsItem]) -> None:
        """Scrolls (or refits) so that these items are on screen once the layout settles."""
        self._reveal = list(items)
        self._after_layout.start()

    def _note_anchor(self) -> None:
        if self._anchor is not None:
            return  # several relayouts in one turn: keep the first view
        scene = self.scene()
        assert isinstance(scene, PlanScene)
        centre = self.mapToScene(self.viewport().rect().center())
        # The card under the centre of the view (found through the scene's index: the plan
        # may have thousands), or else the one nearest to it.
        under = [i for i in scene.items(centre) if i is scene.tray or isinstance(i, HostCard)]
        boxes = under[:1] or [scene.tray, *scene.cards.values()]
        box = min(
            boxes,
            key=lambda b: (
                not b.sceneBoundingRect().contains(centre),
                (b.sceneBoundingRect().center() - centre).manhattanLength(),
            ),
        )
        self._anchor = (box, QPointF(self.mapFromScene(box.scenePos())))

    def _layout_changed(self) -> None:
        self._after_layout.start()

    def _shown(self, item: QGraphicsItem) -> bool:
        return shiboken6.isValid(item) and item.scene() is self.scene()

    def _settle(self) -> None:
        """After a relayout: refit a fitted view that no longer fits, else keep what was
        on screen where it was; then bring the items to reveal into view."""
        anchor, self._anchor = self._anchor, None
        # A later edit in the same turn may have deleted what was noted: skip those.
        reveal, self._reveal = [i for i in self._reveal if self._shown(i)], []
        shown = self.mapToScene(self.viewport().rect()).boundingRect()
        if self._fitted and not shown.contains(self.sceneRect()) and self.zoom() > MIN_FIT_ZOOM:
            self.fit()
        elif anchor is not None and self._shown(anchor[0]):
            item, was = anchor
            now = QPointF(self.mapFromScene(item.scenePos()))
            h, v = self.horizontalScrollBar(), self.verticalScrollBar()
            h.setValue(h.value() + round(now.x() - was.x()))
            v.setValue(v.value() + round(now.y() - was.y()))
        if reveal:
            rect = QRectF()
            for item in reveal:
                rect = rect.united(item.sceneBoundingRect())
            self.ensureVisible(rect, 24, 24)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Arrows move the selection between cards and chips (canvas.keynav), not the view.
        item = self.keys.handle(event)
        if item is not None:
            self.ensureVisible(item, 24, 24)
            event.accept()
            return
        super().keyPressEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.zoom_by(1.0015 ** event.angleDelta().y())
            event.accept()
            return
        super().wheelEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.MiddleButton:
            self._panning = (event.position().toPoint().x(), event.position().toPoint().y())
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._panning is not None:
            pos = event.position().toPoint()
            dx, dy = pos.x() - self._panning[0], pos.y() - self._panning[1]
            self._panning = (pos.x(), pos.y())
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() - dx)
            self.verticalScrollBar().setValue(self.verticalScrollBar().value() - dy)
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._panning is not None and event.button() == Qt.MouseButton.MiddleButton:
            self._panning = None
            self.viewport().unsetCursor()
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        scene = self.scene()
        assert isinstance(scene, PlanScene)
        item = self.itemAt(event.pos())
        target = scene.select_for_menu(item)
        self.context_menu.emit(target, event.globalPos())
        event.accept()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if plan_files(event):
            event.acceptProposedAction()
            return
        super().dragEnterEvent(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if plan_files(event):
            event.acceptProposedAction()
            return
        super().dragMoveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        files = plan_files(event)
        if files:
            event.acceptProposedAction()
            self.files_dropped.emit(files)
            return
        super().dropEvent(event)
