"""Small plans for the real-window journeys: every card fits on a 1280×800 screen."""

from __future__ import annotations

from hvplanner.model.plan import VM, Host, HostModel, NicGroup, Plan

TEMPLATES = "VM templates in this plan"
MODELS = "Host models in this plan"


def r640() -> HostModel:
    return HostModel(
        id="r640",
        name="2 × 8-core, 256 GB",
        sockets=2,
        cores_per_socket=8,
        ghz=2.4,
        ram_gb=256,
        nics=[NicGroup(count=2, gbps=10)],
    )


def journey_plan() -> Plan:
    """h1 empty, h2 with three VMs, h3 too small for a 16 GB VM; one VM unplaced."""
    big = r640()
    tiny = HostModel(
        id="nuc",
        name="1 × 2-core, 8 GB",
        sockets=1,
        cores_per_socket=2,
        ghz=2.0,
        ram_gb=8,
        nics=[NicGroup(count=1, gbps=1)],
    )
    return Plan(
        name="Journey plan",
        host_models=[big, tiny],
        hosts=[
            Host(id="h1", model="r640"),
            Host(id="h2", model="r640"),
            Host(id="h3", model="nuc"),
        ],
        vms=[
            VM(id="web1", name="web1", vcpu=2, ram_gb=4, host="h2"),
            VM(id="web2", name="web2", vcpu=2, ram_gb=4, host="h2"),
            VM(id="db1", name="db1", vcpu=4, ram_gb=16, host="h2"),
            VM(id="spare", name="spare", vcpu=2, ram_gb=4, host=None),
        ],
    )


def spread_plan() -> Plan:
    """Four small VMs over three r640 hosts: one host is enough for them all."""
    return Plan(
        name="Spread plan",
        host_models=[r640()],
        hosts=[Host(id=h, model="r640") for h in ("h1", "h2", "h3")],
        vms=[
            VM(id="web1", name="web1", vcpu=2, ram_gb=4, host="h1"),
            VM(id="web2", name="web2", vcpu=2, ram_gb=4, host="h1"),
            VM(id="db1", name="db1", vcpu=4, ram_gb=16, host="h2"),
            VM(id="app1", name="app1", vcpu=2, ram_gb=8, host="h3"),
        ],
    )


def on_host(plan: Plan, host: str) -> int:
    """VMs (counting groups) on a host."""
    return sum(v.count for v in plan.vms if v.host == host)
