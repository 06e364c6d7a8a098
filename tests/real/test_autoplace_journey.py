"""Journey 7: Plan ▸ Auto-place from the menu, by keys, on a plan spread over three hosts.

The VMs fit on one host: Auto-place packs them there in one undoable step and its status
line counts the VMs that change host. Run again on the packed plan, it finds nothing to
move and adds no step to undo. The saved file holds the packed layout.
"""

from __future__ import annotations

import re

from tests.real.plans import spread_plan


def _moves(status: str) -> int:
    found = re.search(r"(\d+) VMs? moves?", status)
    assert found, f"no count of moved VMs in {status!r}"
    return int(found.group(1))


def test_auto_place_from_the_menu_packs_undoes_and_leaves_a_packed_plan_alone(launch) -> None:
    app = launch(spread_plan())
    before = app.state()["vms"]

    app.key("alt+p", "a")  # Plan ▸ Auto-place
    placed = app.wait(lambda s: "Auto-place done" in s["status"], "Auto-place to finish")
    hosts = set(placed["vms"].values())
    assert len(hosts) == 1 and None not in hosts, placed["vms"]
    changed = sum(placed["vms"][v] != before[v] for v in before)
    assert _moves(placed["status"]) == changed
    assert placed["undo"][0] == 1

    app.key("ctrl+z")
    app.wait(lambda s: s["vms"] == before, "the placement undone in one step")
    app.key("ctrl+shift+z")
    app.wait(lambda s: s["vms"] == placed["vms"], "the placement redone")

    start = app.settle()
    app.key("ctrl+r")  # Auto-place again: the plan is packed already
    again = app.wait(
        lambda s: (
            s["time"] > start["time"]
            and "Auto-place" in s["status"]
            and s["status"] != placed["status"]
        ),
        "the second Auto-place",
    )
    assert again["vms"] == placed["vms"]
    assert _moves(again["status"]) == 0
    assert again["undo"][0] == 1, "a run that changes nothing adds no undo step"

    saved = app.save()
    assert {v.id: v.host for v in saved.vms} == placed["vms"]
