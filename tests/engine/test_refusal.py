"""The hard-limit refusal rule, without Qt: a new broken limit refuses, an old one does not."""

from __future__ import annotations

import pytest

from hvplanner.catalog import load_catalog
from hvplanner.engine.hostload import LoadCalculator
from hvplanner.engine.refusal import EditRefusedError, check, refusal
from hvplanner.model import edits
from hvplanner.model.plan import VM, Host, HostModel, NicGroup, Plan


def _plan() -> Plan:
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
        name="p",
        host_models=[model],
        hosts=[Host(id="h1", model="m", name="rack-1"), Host(id="h2", model="m")],
        vms=[
            VM(id="a", vcpu=2, ram_gb=8, host="h1"),
            VM(id="big", vcpu=4, ram_gb=60, host=None),
            VM(id="small", vcpu=1, ram_gb=1, host=None),
        ],
    )


def _calc(plan: Plan) -> LoadCalculator:
    return LoadCalculator(plan, load_catalog().get(plan.hypervisor))


def test_a_move_past_the_ram_limit_is_refused_naming_host_and_limit() -> None:
    before = _plan()
    after = edits.move_vms(before, ["big"], "h1")
    found = refusal(_calc(before), before, after, {"h1"})
    assert found is not None and found.host_id == "h1" and found.host_label == "rack-1"
    assert found.reason.startswith("RAM") and "would exceed" in found.reason
    assert found.message == f"Refused: rack-1: {found.reason}"
    with pytest.raises(EditRefusedError, match="Refused: rack-1: RAM"):
        check(_calc(before), before, after, {"h1"})


def test_a_host_that_already_breaks_a_limit_may_still_be_edited() -> None:
    broken = edits.move_vms(_plan(), ["big"], "h1")  # as if opened from a file
    lighter = edits.move_vms(broken, ["small"], "h2")
    heavier = edits.move_vms(broken, ["small"], "h1")
    assert refusal(_calc(broken), broken, lighter, {"h2"}) is None
    # Still one broken limit (RAM) on h1: adding a small VM adds no new one.
    assert refusal(_calc(broken), broken, heavier, {"h1"}) is None


def test_hosts_not_in_the_plan_and_fitting_moves_pass() -> None:
    before = _plan()
    after = edits.move_vms(before, ["small"], "h2")
    assert refusal(_calc(before), before, after, {"h2", "", "gone"}) is None
