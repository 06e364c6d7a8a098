from __future__ import annotations

import pytest
from pydantic import ValidationError

from hvplanner.model import edits
from hvplanner.model.plan import VM, Host, HostModel, Plan


def plan() -> Plan:
    return Plan(
        host_models=[HostModel(id="m", sockets=1, cores_per_socket=4, ghz=2, ram_gb=32)],
        hosts=[Host(id="h1", model="m"), Host(id="h2", model="m")],
        vms=[
            VM(id="a", vcpu=1, ram_gb=1, host="h1", pinned=True),
            VM(id="g", count=3, vcpu=1, ram_gb=1),
        ],
    )


def test_unique_id() -> None:
    assert edits.unique_id("a", {"b"}) == "a"
    assert edits.unique_id("a", {"a", "a-2"}) == "a-3"
    assert edits.unique_id("web#1 x", set()) == "web-1-x"


def test_move_to_tray_unpins_and_validation_runs() -> None:
    p = edits.move_vms(plan(), ["a"], None)
    assert p.vms[0].host is None and not p.vms[0].pinned
    with pytest.raises(ValidationError):
        edits.move_vms(plan(), ["a"], "nowhere")


def test_rename_host_carries_its_vms() -> None:
    p = edits.replace_host(plan(), "h1", Host(id="hx", model="m"))
    assert p.vms[0].host == "hx"


def test_expand_and_duplicate() -> None:
    p = edits.expand_group(plan(), "g")
    assert [v.id for v in p.vms] == ["a", "g-1", "g-2", "g-3"]
    p = edits.duplicate(plan(), ["a"], ["h2"])
    assert [v.id for v in p.vms][-1] == "a-2" and not p.vms[-1].pinned
    assert [h.id for h in p.hosts] == ["h1", "h2", "h2-2"]


@pytest.mark.parametrize(
    "edit",
    [
        lambda p: edits.move_vms(p, ["g"], "h2"),
        lambda p: edits.move_vms(p, ["a", "g"], None),
        lambda p: edits.set_pinned(p, ["a", "g"], True),
        lambda p: edits.set_pinned(p, ["a"], False),
    ],
)
def test_moves_and_pins_built_without_the_whole_check_equal_a_checked_plan(edit) -> None:
    # Moving and pinning skip re-checking the whole plan: the result must be the plan a
    # full validation makes of the same data, and pass it.
    p = edit(plan())
    assert Plan.model_validate(p.model_dump()) == p
    assert p.model_dump() == Plan.model_validate(p.model_dump()).model_dump()
