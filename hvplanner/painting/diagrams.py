"""Architecture diagrams drawn with QPainter: vector, so they stay sharp on screen and in a PDF.

Each diagram is data (boxes and arrows on a 100 × 60 grid) and one painter draws them all,
so the comparison view and the report show the same pictures.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFont, QPainter, QPainterPath, QPen, QPolygonF

from hvplanner.painting.style import Colours
from hvplanner.painting.words import QT_TRANSLATE_NOOP, Words, english

GRID_W, GRID_H = 100.0, 60.0

# Box roles; the colour set gives each its fill and text colour.
HW = "hw"
HV = "hv"
PRIV = "priv"
GUEST = "guest"
PV = "pv"
HVM = "hvm"
NOTE = "note"


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float
    text: str
    fill: str = GUEST
    light_text: bool = False


@dataclass(frozen=True)
class Arrow:
    x1: float
    y1: float
    x2: float
    y2: float
    text: str = ""
    both: bool = False
    dashed: bool = False


@dataclass(frozen=True)
class Diagram:
    id: str
    title: str
    items: tuple[Box | Arrow, ...]


def _stack(x: float, w: float, layers: list[tuple[str, str, bool]], top: float = 4) -> list[Box]:
    h = (GRID_H - top - 4) / len(layers)
    return [
        Box(x, top + i * h, w, h - 1.5, text, fill, light)
        for i, (text, fill, light) in enumerate(layers)
    ]


TYPES = Diagram(
    "types",
    QT_TRANSLATE_NOOP("painting", "Type 1 (bare-metal) and type 2 (hosted) hypervisors"),
    (
        Box(2, 4, 14, 14, QT_TRANSLATE_NOOP("painting", "VM"), GUEST),
        Box(17, 4, 14, 14, QT_TRANSLATE_NOOP("painting", "VM"), GUEST),
        Box(32, 4, 14, 14, QT_TRANSLATE_NOOP("painting", "VM"), GUEST),
        Box(
            2,
            20,
            44,
            16,
            QT_TRANSLATE_NOOP("painting", "Hypervisor\n(ESXi, Hyper-V, Xen)"),
            HV,
            True,
        ),
        Box(2, 38, 44, 16, QT_TRANSLATE_NOOP("painting", "Hardware"), HW),
        Box(54, 4, 14, 12, QT_TRANSLATE_NOOP("painting", "VM"), GUEST),
        Box(69, 4, 14, 12, QT_TRANSLATE_NOOP("painting", "VM"), GUEST),
        Box(84, 4, 14, 12, QT_TRANSLATE_NOOP("painting", "App"), NOTE),
        Box(54, 18, 29, 12, QT_TRANSLATE_NOOP("painting", "Hypervisor\n(VirtualBox)"), HV, True),
        Box(54, 32, 44, 10, QT_TRANSLATE_NOOP("painting", "Host operating system"), PRIV),
        Box(54, 44, 44, 10, QT_TRANSLATE_NOOP("painting", "Hardware"), HW),
    ),
)

KVM = Diagram(
    "kvm",
    QT_TRANSLATE_NOOP(
        "painting",
        "KVM: the Linux kernel is the hypervisor; QEMU emulates devices, virtio speeds I/O",
    ),
    (
        Box(2, 4, 30, 20, QT_TRANSLATE_NOOP("painting", "Guest\n(virtio drivers)"), GUEST),
        Box(34, 4, 30, 20, QT_TRANSLATE_NOOP("painting", "Guest"), GUEST),
        Box(70, 4, 28, 20, QT_TRANSLATE_NOOP("painting", "Host processes\nlibvirt / virsh"), NOTE),
        Box(2, 26, 30, 8, QT_TRANSLATE_NOOP("painting", "QEMU process"), PRIV),
        Box(34, 26, 30, 8, QT_TRANSLATE_NOOP("painting", "QEMU process"), PRIV),
        Box(
            2,
            36,
            96,
            10,
            QT_TRANSLATE_NOOP("painting", "Linux kernel + kvm module (/dev/kvm)"),
            HV,
            True,
        ),
        Box(2, 48, 96, 8, QT_TRANSLATE_NOOP("painting", "Hardware with VT-x / AMD-V"), HW),
    ),
)

XEN = Diagram(
    "xen",
    QT_TRANSLATE_NOOP(
        "painting", "Xen: Dom0 owns the devices; DomU PV guests talk to it through split drivers"
    ),
    (
        Box(
            2,
            4,
            30,
            24,
            QT_TRANSLATE_NOOP(
                "painting",
                "Dom0 (privileged)\nreal device drivers\nback-end drivers\nxl / XAPI / libvirt",
            ),
            PRIV,
        ),
        Box(
            36,
            4,
            29,
            24,
            QT_TRANSLATE_NOOP("painting", "DomU PV\nmodified kernel\nfront-end drivers"),
            PV,
        ),
        Box(
            69,
            4,
            29,
            24,
            QT_TRANSLATE_NOOP(
                "painting", "DomU HVM\nunmodified OS\nQEMU device model\n(PVHVM drivers)"
            ),
            HVM,
        ),
        Arrow(32, 16, 36, 16, "", both=True),
        Box(
            2,
            29.5,
            63,
            6,
            QT_TRANSLATE_NOOP("painting", "split drivers: ring buffers + event channels"),
            NOTE,
        ),
        Box(
            2,
            37,
            96,
            9,
            QT_TRANSLATE_NOOP("painting", "Xen hypervisor: CPU scheduling and memory only"),
            HV,
            True,
        ),
        Box(
            2,
            48,
            96,
            8,
            QT_TRANSLATE_NOOP("painting", "Hardware (HVM needs VT-x / AMD-V; PV does not)"),
            HW,
        ),
    ),
)

HW_ASSIST = Diagram(
    "hardware",
    QT_TRANSLATE_NOOP(
        "painting", "Hardware-assisted virtualization: VT-x/AMD-V, SLAT and the IOMMU"
    ),
    (
        Box(
            2,
            4,
            46,
            14,
            QT_TRANSLATE_NOOP("painting", "Guest (VMX non-root mode)\nruns directly on the CPU"),
            GUEST,
        ),
        Arrow(25, 18, 25, 24, QT_TRANSLATE_NOOP("painting", "VM exit"), dashed=False),
        Box(2, 24, 46, 12, QT_TRANSLATE_NOOP("painting", "Hypervisor (VMX root mode)"), HV, True),
        Box(
            52,
            4,
            46,
            14,
            QT_TRANSLATE_NOOP(
                "painting", "SLAT (EPT / RVI): the CPU walks\nguest → host page tables itself"
            ),
            PV,
        ),
        Box(
            52,
            22,
            46,
            14,
            QT_TRANSLATE_NOOP(
                "painting", "IOMMU (VT-d / AMD-Vi): DMA remapping\nfor device passthrough"
            ),
            HVM,
        ),
        Box(
            2,
            42,
            96,
            12,
            QT_TRANSLATE_NOOP(
                "painting", "CPU and chipset: features must exist AND be enabled in firmware"
            ),
            HW,
        ),
    ),
)

MIGRATION = Diagram(
    "migration",
    QT_TRANSLATE_NOOP(
        "painting",
        "Live migration by pre-copy: shrinking copy rounds, then a short stop-and-copy pause",
    ),
    (
        Box(2, 6, 40, 8, QT_TRANSLATE_NOOP("painting", "Round 1: copy all memory"), PV),
        Box(44, 6, 22, 8, QT_TRANSLATE_NOOP("painting", "Round 2: dirtied pages"), PV),
        Box(68, 6, 12, 8, QT_TRANSLATE_NOOP("painting", "Round 3"), PV),
        Box(82, 6, 5, 8, "…", PV),
        Box(89, 6, 9, 8, QT_TRANSLATE_NOOP("painting", "pause"), HVM),
        Arrow(2, 20, 98, 20, QT_TRANSLATE_NOOP("painting", "time")),
        Box(
            2,
            26,
            96,
            12,
            QT_TRANSLATE_NOOP(
                "painting",
                "The VM keeps running while its memory is copied; each round sends the pages\n"
                "dirtied during the previous one. The last few are sent with the VM paused\n"
                "(tens to hundreds of ms), then it resumes on the target host.",
            ),
            NOTE,
        ),
        Box(2, 42, 46, 12, QT_TRANSLATE_NOOP("painting", "Source host"), PRIV),
        Box(52, 42, 46, 12, QT_TRANSLATE_NOOP("painting", "Target host"), PRIV),
        Arrow(48, 48, 52, 48, ""),
    ),
)

ALL: tuple[Diagram, ...] = (TYPES, KVM, XEN, HW_ASSIST, MIGRATION)


def paint(
    painter: QPainter,
    rect: QRectF,
    diagram: Diagram,
    *,
    colours: Colours,
    words: Words = english,
) -> None:
    """Draw into `rect`, keeping the grid's aspect ratio."""
    scale = min(rect.width() / GRID_W, rect.height() / GRID_H)
    ox = rect.x() + (rect.width() - GRID_W * scale) / 2
    oy = rect.y() + (rect.height() - GRID_H * scale) / 2
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    font = QFont(painter.font())
    # Pixel size follows the drawing's scale, so text fits its boxes on screen and at 300 dpi.
    font.setPixelSize(max(6, round(1.8 * scale)))
    painter.setFont(font)

    def pt(x: float, y: float) -> QPointF:
        return QPointF(ox + x * scale, oy + y * scale)

    for item in diagram.items:
        if isinstance(item, Box):
            r = QRectF(pt(item.x, item.y), pt(item.x + item.w, item.y + item.h))
            fill, ink = colours.diagram[item.fill]
            painter.setPen(QPen(colours.diagram_line, max(0.5, 0.15 * scale)))
            painter.setBrush(fill)
            painter.drawRoundedRect(r, 0.8 * scale, 0.8 * scale)
            painter.setPen(ink)
            painter.drawText(
                r.adjusted(scale, 0, -scale, 0), Qt.AlignmentFlag.AlignCenter, words(item.text)
            )
        else:
            _arrow(painter, pt(item.x1, item.y1), pt(item.x2, item.y2), item, scale, colours, words)
    painter.restore()


def _arrow(
    painter: QPainter,
    a: QPointF,
    b: QPointF,
    item: Arrow,
    scale: float,
    colours: Colours,
    words: Words,
) -> None:
    pen = QPen(colours.diagram_line, max(0.8, 0.3 * scale))
    if item.dashed:
        pen.setStyle(Qt.PenStyle.DashLine)
    painter.setPen(pen)
    painter.drawLine(a, b)
    painter.setBrush(colours.diagram_line)
    for tip, tail in ((b, a), (a, b)) if item.both else ((b, a),):
        d = tip - tail
        length = max((d.x() ** 2 + d.y() ** 2) ** 0.5, 1e-6)
        ux, uy = d.x() / length, d.y() / length
        size = 1.2 * scale
        left = QPointF(tip.x() - ux * size - uy * size * 0.5, tip.y() - uy * size + ux * size * 0.5)
        right = QPointF(
            tip.x() - ux * size + uy * size * 0.5, tip.y() - uy * size - ux * size * 0.5
        )
        path = QPainterPath()
        path.addPolygon(QPolygonF([tip, left, right]))
        painter.fillPath(path, colours.diagram_line)
    if item.text:
        mid = QPointF((a.x() + b.x()) / 2 + scale, (a.y() + b.y()) / 2 - scale * 0.5)
        painter.drawText(mid, words(item.text))
