"""Journeys 1 and 3: palette templates and chips dragged by hand, over empty canvas first."""

from __future__ import annotations

import time

from hvplanner.formats.planfile import load_plan
from tests.real.plans import TEMPLATES, journey_plan, on_host


def test_template_over_empty_canvas_onto_an_empty_host_adds_one_vm(launch) -> None:
    app = launch(journey_plan())
    state = app.state()
    start = app.palette_row(TEMPLATES, "2 vCPU · 4 GB")
    # The hand passes over empty canvas before it reaches the card: Qt's first drag event
    # in the view is there.
    app.drag(start, app.centre(state["cards"]["h1"]), via=app.empty_canvas())
    app.wait(lambda s: list(s["vms"].values()).count("h1") == 1, "a VM on h1")
    saved = app.save()
    assert on_host(saved, "h1") == 1
    added = next(v for v in saved.vms if v.host == "h1")
    assert (added.vcpu, added.ram_gb) == (2, 4)
    assert len(saved.vms) == 5


def _refused(state: dict) -> bool:
    return "Refused" in state["status"] and "RAM" in state["status"]


def test_refused_drops_keep_their_reason_in_the_status_bar(launch) -> None:
    app = launch(journey_plan())
    state = app.state()
    # A 16 GB template onto the 8 GB host h3, from the palette over empty canvas.
    start = app.palette_row(TEMPLATES, "4 vCPU · 16 GB")
    app.drag(start, app.centre(state["cards"]["h3"]), via=app.empty_canvas())
    released = time.monotonic()
    after = app.settle()
    assert _refused(after), after["status"]
    assert list(after["vms"].values()).count("h3") == 0
    # Still there two seconds after the release: long enough to read.
    time.sleep(max(0.0, 2.0 - (time.monotonic() - released)))
    assert _refused(app.state())

    # The 16 GB VM db1 dragged from h2 onto h3: refused, and the reason stays too. (On
    # the way the status bar previews the move onto h2, so an old text cannot pass.)
    app.drag(app.centre(state["chips"]["db1"]), app.centre(state["cards"]["h3"]))
    after = app.settle()
    assert _refused(after), after["status"]
    assert after["vms"]["db1"] == "h2"
    time.sleep(2.0)
    assert _refused(app.state())

    # Nothing changed: the window is clean and the file on disk as it was.
    assert not app.state()["modified"] and app.state()["undo"] == [0, 0]
    assert on_host(load_plan(app.plan_path), "h3") == 0
