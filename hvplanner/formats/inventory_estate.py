"""The estate an inventory describes beyond its VMs: guest OS families, the hosts that run
the VMs today (RVTools vHost, Proxmox nodes) and the hypervisor the plan should start on.

Hosts with the same hardware share one host model, so "128 old servers" become one model
with 128 hosts, and the plan shows the current estate beside what it needs.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from pydantic import ValidationError

from hvplanner.model.guest import GuestOs
from hvplanner.model.plan import Host, HostModel
from hvplanner.text import fmt

_LINUX = re.compile(
    r"linux|ubuntu|debian|centos|red ?hat|rhel|suse|sles|fedora|alma|rocky|oracle ?linux|"
    r"photon|coreos|amazon|\bl2[46]\b|rhel\d|ubuntu64|debian\d|centos\d|sles\d|other\d?xlinux",
    re.IGNORECASE,
)
_WINDOWS = re.compile(r"windows|\bwin|^w2k|microsoft", re.IGNORECASE)
# Server editions: "Windows Server 2019", GuestId "windows2019srv_64Guest", "win2000ServGuest",
# "windows9Server64Guest", libosinfo "win/2k19", Proxmox "w2k8".
_SERVER = re.compile(r"server|srv|serv|win/2k\d|\bw2k\d?\b|\bwin2k\d", re.IGNORECASE)


@functools.lru_cache(maxsize=1024)
def guest_os(text: str | None) -> GuestOs:
    """The guest family an OS column names: for licensing, so Windows editions matter."""
    if not text:
        return "other"
    if _WINDOWS.search(text):
        return "windows-server" if _SERVER.search(text) else "windows-client"
    if _LINUX.search(text):
        return "linux"
    return "other"


@dataclass(frozen=True)
class SourceHost:
    """A host of the current estate as the inventory describes it."""

    name: str
    sockets: int
    cores_per_socket: int
    threads_per_core: int
    ghz: float | None
    """None: the source does not give the clock."""
    ram_gb: float
    version: str = ""
    cluster: str = ""


# What a host model built from a source without a clock speed shows until the user sets it;
# it only matters for VMs sized by MHz, and the import summary says it was not in the file.
UNKNOWN_CLOCK_GHZ = 1.0


def _ident(text: str) -> str:
    ident = re.sub(r"\s+", " ", text.replace("#", "-")).strip()
    return ident[:128].rstrip() or "host"


def estate_hosts(sources: Iterable[SourceHost]) -> tuple[list[HostModel], list[Host], list[str]]:
    """One host model per distinct hardware, one host per source host; warnings."""
    models: dict[tuple[int, int, int, float | None, float], HostModel] = {}
    hosts: list[Host] = []
    warnings: list[str] = []
    seen: set[str] = set()
    no_clock = 0
    for s in sources:
        key = (s.sockets, s.cores_per_socket, s.threads_per_core, s.ghz, round(s.ram_gb, 3))
        model = models.get(key)
        if model is None:
            ghz = s.ghz if s.ghz else UNKNOWN_CLOCK_GHZ
            cores = s.sockets * s.cores_per_socket
            name = f"{s.sockets} × {s.cores_per_socket} cores"
            name += f", {fmt(ghz, 2)} GHz" if s.ghz else ", clock not in the source"
            name += f", {fmt(s.ram_gb, 1)} GB (current estate)"
            try:
                model = HostModel(
                    id=f"current-{len(models) + 1}-{cores}c-{round(s.ram_gb)}g",
                    name=name,
                    sockets=s.sockets,
                    cores_per_socket=s.cores_per_socket,
                    threads_per_core=s.threads_per_core,
                    ghz=ghz,
                    ram_gb=s.ram_gb,
                )
            except ValidationError as exc:
                err = exc.errors()[0]
                where = ".".join(str(x) for x in err["loc"])
                warnings.append(f"host {s.name!r} left out: {where}: {err['msg']}")
                continue
            models[key] = model
        if not s.ghz:
            no_clock += 1
        ident = _ident(s.name)
        if ident in seen:
            continue
        seen.add(ident)
        hosts.append(Host(id=ident, model=model.id, name=s.name[:200]))
    if no_clock:
        warnings.append(
            f"{no_clock} host(s): the source gives no clock speed; their host model says "
            f"{fmt(UNKNOWN_CLOCK_GHZ)} GHz until you set it (it only matters for VMs sized "
            "by MHz)"
        )
    return list(models.values()), hosts, warnings


# --- the hypervisor the plan starts on -------------------------------------------------------

_ESX = re.compile(r"ESXi?\s*(\d+)\.(\d+)", re.IGNORECASE)
# Hyper-V VM configuration version → the Windows Server release whose default it is
# (Microsoft Learn, "Supported virtual machine configuration versions").
_HYPERV_CONFIG = {"8.0": "2016", "9.0": "2019", "10.0": "2022", "12.0": "2025"}


def vmware_hypervisor(versions: Iterable[str], known: set[str]) -> tuple[str, str]:
    """The ESXi the hosts run most (vHost's ESX Version), else ESXi 8.0."""
    found = Counter(f"{m.group(1)}.{m.group(2)}" for v in versions if (m := _ESX.search(v)))
    if not found:
        return "esxi@8.0", "VMware source without an ESX version (no vHost tab): ESXi 8.0"
    ver, n = found.most_common(1)[0]
    key = f"esxi@{ver}"
    total = sum(found.values())
    if key in known:
        return key, f"ESX Version of {n} of {total} host(s) in vHost: ESXi {ver}"
    major = ver.split(".")[0]
    same = sorted(k for k in known if k.startswith(f"esxi@{major}."))
    if same:
        return same[-1], f"the hosts run ESXi {ver}; the catalog's ESXi {major} entry is {same[-1]}"
    newer = sorted(k for k in known if k.startswith("esxi@"))
    pick = newer[0] if newer else "esxi@8.0"
    return pick, f"the hosts run ESXi {ver}, older than the catalog: {pick}, its oldest ESXi"


def hyperv_hypervisor(config_versions: Iterable[str], known: set[str]) -> tuple[str, str]:
    """The Windows Server release the newest VM configuration version needs, else 2022."""
    releases = sorted(
        {_HYPERV_CONFIG[v.strip()] for v in config_versions if v.strip() in _HYPERV_CONFIG}
    )
    if releases and f"hyper-v@{releases[-1]}" in known:
        return (
            f"hyper-v@{releases[-1]}",
            f"VM configuration version of Windows Server {releases[-1]} (Get-VM Version)",
        )
    return "hyper-v@2022", "Hyper-V source without a Windows Server version: Windows Server 2022"


def kvm_hypervisor(what: str, known: set[str]) -> tuple[str, str]:
    kvm = sorted(k for k in known if k.startswith("kvm"))
    key = kvm[0] if kvm else "kvm@rhel9"
    return key, f"{what} runs KVM: {key}"
