from __future__ import annotations

from hvplanner.engine.planindex import KEEP, vms_by_host, vms_by_id
from hvplanner.model import edits
from hvplanner.model.plan import VM, Host, HostModel, Plan


def _plan() -> Plan:
    return Plan(
        host_models=[HostModel(id="m", sockets=1, cores_per_socket=4, ghz=2, ram_gb=32)],
        hosts=[Host(id="h1", model="m"), Host(id="h2", model="m")],
        vms=[VM(id=f"v{i}", vcpu=1, ram_gb=1, host=("h1", "h2", None)[i % 3]) for i in range(9)],
    )


def test_index_follows_each_plan_version_and_is_built_once() -> None:
    p = _plan()
    by_host = vms_by_host(p)
    assert [v.id for v in by_host["h1"]] == ["v0", "v3", "v6"]
    assert [v.id for v in by_host[None]] == ["v2", "v5", "v8"]
    assert vms_by_host(p) is by_host  # asked again: the same index, not a new scan
    moved = edits.move_vms(p, ["v0"], "h2")
    assert [v.id for v in vms_by_host(moved)["h2"]] == ["v0", "v1", "v4", "v7"]
    assert [v.id for v in vms_by_host(moved)["h1"]] == ["v3", "v6"]
    assert vms_by_host(p) is by_host  # undo goes back to a plan still indexed
    assert vms_by_id(moved)["v0"].host == "h2" and vms_by_id(p)["v0"].host == "h1"


def test_hosts_without_vms_have_an_entry_and_old_versions_are_let_go() -> None:
    p = Plan(
        host_models=[HostModel(id="m", sockets=1, cores_per_socket=4, ghz=2, ram_gb=32)],
        hosts=[Host(id="h1", model="m")],
    )
    assert vms_by_host(p) == {"h1": [], None: []}
    plans = [edits.rebuild(p, name=f"n{i}") for i in range(KEEP + 2)]
    first = vms_by_host(plans[0])
    for q in plans[1:]:
        vms_by_host(q)
    assert vms_by_host(plans[0]) is not first  # fell out of the last KEEP: built again
    assert vms_by_host(plans[0]) == first


def test_prepared_in_another_thread_the_index_is_the_one_read_here() -> None:
    import threading

    from hvplanner.engine.planindex import prepare

    p = edits.move_vms(_plan(), ["v2"], "h1")
    worker = threading.Thread(target=prepare, args=(p,))
    worker.start()
    worker.join()
    by_host, by_id = vms_by_host(p), vms_by_id(p)
    assert by_host is vms_by_host(p) and by_id is vms_by_id(p)
    fresh = edits.rebuild(p)  # an equal plan of its own, indexed on this thread
    assert by_host == vms_by_host(fresh) and by_host is not vms_by_host(fresh)
    assert by_id == vms_by_id(fresh)
    assert [v.id for v in by_host["h1"]] == ["v0", "v2", "v3", "v6"]


def test_bar_count_from_the_index_is_the_count_of_each_hosts_vms() -> None:
    from hvplanner.engine.hostload import bar_count, host_bar_count

    p = _plan()
    stated = edits.rebuild(
        p, vms=[v.model_copy(update={"cpu_mhz": 900.0}) if v.id == "v3" else v for v in p.vms]
    )
    for plan in (p, stated):
        by_host = vms_by_host(plan)
        for host in plan.hosts:
            assert host_bar_count(plan, host.id) == bar_count(by_host[host.id])
    assert [host_bar_count(stated, h) for h in ("h1", "h2")] == [6, 5]
