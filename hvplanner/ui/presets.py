"""Common server and VM sizes offered in the palette, as starting points to drag in.

These are typical configurations, not catalog facts: no limit or overhead lives here.
"""

from __future__ import annotations

from hvplanner.model.plan import VM, HostModel, NicGroup

SERVER_PRESETS: tuple[HostModel, ...] = (
    HostModel(
        id="1u-2s12c-256g",
        name="1U 2 × 12-core, 256 GB, 2 × 10 GbE",
        sockets=2,
        cores_per_socket=12,
        threads_per_core=2,
        ghz=2.6,
        ram_gb=256,
        nics=[NicGroup(count=2, gbps=10)],
    ),
    HostModel(
        id="2u-2s32c-1t",
        name="2U 2 × 32-core, 1 TB, 4 × 25 GbE",
        sockets=2,
        cores_per_socket=32,
        threads_per_core=2,
        ghz=2.8,
        ram_gb=1024,
        nics=[NicGroup(count=4, gbps=25)],
    ),
    HostModel(
        id="2s4c-32g-legacy",
        name="2 × 4-core 2.0 GHz, 32 GB, 2 × 1 GbE (2009-era)",
        sockets=2,
        cores_per_socket=4,
        ghz=2.0,
        ram_gb=32,
        nics=[NicGroup(count=2, gbps=1)],
    ),
    HostModel(
        id="homelab-1s8c-64g",
        name="Home lab: 1 × 8-core, 64 GB, 1 GbE, 2 TB SSD",
        sockets=1,
        cores_per_socket=8,
        threads_per_core=2,
        ghz=3.4,
        ram_gb=64,
        nics=[NicGroup(count=1, gbps=1)],
        disk_gb=2048,
    ),
)

VM_PRESETS: tuple[VM, ...] = (
    VM(id="small", name="Small (1 vCPU, 2 GB)", vcpu=1, ram_gb=2, disk_gb=40, nic_mbps=50),
    VM(id="medium", name="Medium (2 vCPU, 4 GB)", vcpu=2, ram_gb=4, disk_gb=80, nic_mbps=100),
    VM(id="large", name="Large (4 vCPU, 16 GB)", vcpu=4, ram_gb=16, disk_gb=200, nic_mbps=200),
    VM(id="desktop", name="Desktop (1 vCPU, 2 GB, 20 GB)", vcpu=1, ram_gb=2, disk_gb=20),
    VM(id="db", name="Database (8 vCPU, 64 GB)", vcpu=8, ram_gb=64, disk_gb=500, nic_mbps=500),
)
