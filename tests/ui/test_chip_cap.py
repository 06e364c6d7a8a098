"""A box draws at most MAX_CHIPS chips; past that its last slot says "+N more"."""

from __future__ import annotations

from hvplanner.model.plan import VM, Host, HostModel, Plan
from hvplanner.painting import layout
from hvplanner.ui.canvas.cards import MAX_CHIPS, MoreChip
from hvplanner.ui.commands import MoveVMsCommand


def _plan(on_full: int, on_small: int, unplaced: int) -> Plan:
    model = HostModel(id="m", sockets=2, cores_per_socket=64, ghz=2.6, ram_gb=4096)
    vms = [VM(id=f"f{i}", vcpu=1, ram_gb=1, host="full") for i in range(on_full)]
    vms += [VM(id=f"s{i}", vcpu=1, ram_gb=1, host="small") for i in range(on_small)]
    vms += [VM(id=f"u{i}", vcpu=1, ram_gb=1) for i in range(unplaced)]
    return Plan(
        hypervisor="kvm@rhel9",
        host_models=[model],
        hosts=[Host(id="full", model="m"), Host(id="small", model="m")],
        vms=vms,
    )


def _more(box) -> MoreChip | None:
    found = [c for c in box.childItems() if isinstance(c, MoreChip)]
    assert len(found) <= 1
    return found[0] if found else None


def test_full_boxes_draw_the_cap_and_count_the_rest(make_window) -> None:
    window = make_window(_plan(MAX_CHIPS + 50, MAX_CHIPS, MAX_CHIPS + 150))
    scene = window.scene
    full, small, tray = scene.cards["full"], scene.cards["small"], scene.tray

    # A box of exactly MAX_CHIPS draws them all and no "more" slot.
    assert len(small.chips) == MAX_CHIPS and small.more == 0 and _more(small) is None

    # Past it: the first MAX_CHIPS - 1 in plan order, then "+N more" in the last slot.
    assert [c.vm.id for c in full.chips] == [f"f{i}" for i in range(MAX_CHIPS - 1)]
    assert full.more == 51 and len(full.vms) == MAX_CHIPS + 50
    more = _more(full)
    assert more is not None and more.text() == "+51 more" and "VMs tab" in more.toolTip()
    last = layout.chip_positions(MAX_CHIPS, full.width, full.chip_top())[-1]
    assert (more.pos().x(), more.pos().y()) == last
    assert full.boundingRect().height() == layout.box_height(
        MAX_CHIPS, full.width, full.chip_top(), full.empty_h()
    )
    assert tray.more == 151 and tray.count == MAX_CHIPS + 150 and _more(tray).text() == "+151 more"
    assert scene.chip("f0") is not None and scene.chip(f"f{MAX_CHIPS + 10}") is None

    # Moving VMs away updates the count; at the cap the slot goes and every chip shows.
    doc = window.doc
    doc.push(MoveVMsCommand(doc, ["f0"], "small"))
    assert full.more == 50 and _more(full).text() == "+50 more"
    assert small.more == 2 and _more(small).text() == "+2 more"
    doc.push(MoveVMsCommand(doc, [f"f{i}" for i in range(1, 50)], None))
    assert full.more == 0 and _more(full) is None and len(full.chips) == MAX_CHIPS
    assert [c.vm.id for c in full.chips][-1] == f"f{MAX_CHIPS + 49}"
    doc.undo_stack.undo()
    assert full.more == 50 and len(full.chips) == MAX_CHIPS - 1 and _more(full).text() == "+50 more"


def test_the_more_slot_paints(make_window) -> None:
    """The scene renders with a "+N more" slot in it (its colour comes from the theme)."""
    from PySide6.QtGui import QImage, QPainter

    window = make_window(_plan(MAX_CHIPS + 5, 0, 0))
    more = _more(window.scene.cards["full"])
    assert more is not None
    image = QImage(200, 60, QImage.Format.Format_ARGB32)
    image.fill(0)
    painter = QPainter(image)
    try:
        window.scene.render(painter, source=more.sceneBoundingRect())
    finally:
        painter.end()
    assert any(image.pixel(x, y) != 0 for x in range(200) for y in range(60))
