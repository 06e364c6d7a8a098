"""Journeys 1 and 3: a palette template dragged by hand over empty canvas onto a host."""

from __future__ import annotations

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


def test_refused_drop_keeps_its_reason_in_the_status_bar(launch) -> None:
    app = launch(journey_plan())
    state = app.state()
    start = app.palette_row(TEMPLATES, "4 vCPU · 16 GB")
    app.drag(start, app.centre(state["cards"]["h3"]), via=app.empty_canvas())
    after = app.settle()
    assert "Refused" in after["status"] and "RAM" in after["status"], after["status"]
    assert list(after["vms"].values()).count("h3") == 0
    # Still there a second after the release: long enough to read.
    import time

    time.sleep(1.0)
    assert "Refused" in app.state()["status"]
    # Nothing changed: the file on disk is as it was and the window is clean.
    assert not app.state()["modified"]
    assert on_host(load_plan(app.plan_path), "h3") == 0


def test_refused_chip_move_keeps_its_reason_after_release(launch) -> None:
    app = launch(journey_plan())
    state = app.state()
    app.drag(app.centre(state["chips"]["db1"]), app.centre(state["cards"]["h3"]))
    after = app.settle()
    assert "Refused" in after["status"] and "RAM" in after["status"], after["status"]
    assert after["vms"]["db1"] == "h2"
