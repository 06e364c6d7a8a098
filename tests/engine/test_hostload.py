from __future__ import annotations

from hvplanner.catalog import load_catalog
from hvplanner.engine.assumptions import HostCapacity, resolve
from hvplanner.engine.hostload import LoadCalculator, bar_count, plan_loads
from hvplanner.formats.planfile import load_plan
from hvplanner.model.plan import Policy
from hvplanner.paths import sample_plan


def test_seed_host_load_matches_the_sizing_figures() -> None:
    plan = load_plan(sample_plan())
    profile = load_catalog().get(plan.hypervisor)
    load = plan_loads(plan, profile)["h1"]
    ram = load.dim("ram")
    assert ram is not None
    # 200 × (2 GB + 32 MB) + 512 MB reserve, shown in GB: the seed's 406.75 GB + 0.5.
    assert ram.used / 1024 == 200 * (2 + 32 / 1024) + 0.5
    assert ram.capacity == 512 * 1024
    assert load.dim("vcpus").used == 200 and load.dim("vcpus").capacity == 256
    assert load.dim("vms").capacity == 384
    assert load.binding == "nic"
    assert load.violations() == []


def test_headroom_line_and_states_use_host_capacity() -> None:
    plan = load_plan(sample_plan())
    profile = load_catalog().get(plan.hypervisor)
    plan = plan.model_copy(update={"policy": plan.policy.model_copy(update={"headroom_pct": 30})})
    calc = LoadCalculator(plan, profile)
    model = plan.host_models[0]
    full, line = calc.capacities(model)
    assert line == HostCapacity.of(model, resolve(plan.policy, profile))
    no_headroom = Policy.model_validate({**plan.policy.model_dump(), "headroom_pct": 0})
    assert full == HostCapacity.of(model, resolve(no_headroom, profile))
    vm = plan.vms[0]
    # The vCPU line is 256 × 0.7 = 179.2: 200 is over it, 170 near it, 100 comfortable.
    for count, state in ((200, "over"), (170, "near"), (100, "comfortable")):
        load = calc.load("h1", model, [vm.model_copy(update={"count": count})])
        assert load.dim("vcpus").state == state
        assert load.violations() == []


def test_bar_count_is_the_number_of_bars_without_adding_up() -> None:
    plan = load_plan(sample_plan())
    calc = LoadCalculator(plan, load_catalog().get(plan.hypervisor))
    model = plan.host_models[0]
    vm = plan.vms[0]
    peaked = vm.model_copy(update={"cpu_mhz": 1800.0})
    for vms in ([], [vm], [vm, peaked], [peaked]):
        assert bar_count(vms) == len(calc.load("h1", model, vms).dims), vms
