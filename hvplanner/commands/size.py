"""`hvplanner size`: the seed's sizing method for one hypervisor or the whole catalog."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any, get_args

from hvplanner.commands.args import (
    about,
    examples,
    nonneg_float,
    nonneg_int,
    positive_float,
    positive_int,
)
from hvplanner.commands.output import print_json, table
from hvplanner.errors import InputError
from hvplanner.model.guest import GuestOs
from hvplanner.text import fmt

# The engine, the catalog and pydantic load when the command runs, not when the parser
# is built: every other subcommand (and --help) would pay for them.
if TYPE_CHECKING:
    from hvplanner.engine.sizing import HostShape
    from hvplanner.model.hypervisor import HypervisorProfile
    from hvplanner.model.plan import VM, HostModel, Plan, Policy
    from hvplanner.model.sizing import SizingResult

# CLI option → Policy field, so a rejected value is reported under the name the user typed.
POLICY_FLAGS = {
    "ratio": "vcpu_per_lp",
    "overhead_mb": "vm_overhead_mb",
    "host_reserve_mb": "host_reserve_mb",
    "overcommit": "ram_overcommit",
    "headroom_pct": "headroom_pct",
    "failover_hosts": "failover_hosts",
    "growth_pct": "growth_pct_per_year",
    "growth_years": "growth_years",
    "round": "rounding",
    "nic_gbps": "nic_gbps",
}
VM_FLAGS = {
    "vcpu": "vcpu",
    "ram_gb": "ram_gb",
    "disk_gb": "disk_gb",
    "nic_mbps": "nic_mbps",
    "cpu_mhz": "cpu_mhz",
    "os": "os",
}


def add_parser(sub: argparse._SubParsersAction[Any]) -> None:
    p = sub.add_parser(
        "size",
        epilog=examples(
            "hvplanner size --vms 200 --ram-gb 2 --nic-mbps 100 --hypervisor hyper-v@2008r2",
            "hvplanner size plan.hvplan.json --all",
        ),
        help="size host hardware for a set of VMs, step by step",
    )
    p.add_argument("plan", nargs="?", help="a *.hvplan.json plan (else describe VMs with --vms …)")
    vm = p.add_argument_group("VMs (instead of a plan)")
    vm.add_argument("--vms", type=positive_int, help="number of identical VMs")
    vm.add_argument("--vcpu", type=positive_int, help="vCPUs per VM (default 1)")
    vm.add_argument("--ram-gb", type=positive_float, help="RAM per VM in GB (1 GB = 1024 MB)")
    vm.add_argument("--disk-gb", type=nonneg_float, help="disk per VM in GB (default 0)")
    vm.add_argument("--nic-mbps", type=nonneg_float, help="network per VM in Mbps (default 0)")
    vm.add_argument("--cpu-mhz", type=positive_float, help="peak CPU per VM in MHz (P2V sizing)")
    vm.add_argument(
        "--os",
        choices=get_args(GuestOs),
        help="guest OS of the VMs (windows-7 lets Hyper-V 2008 R2 allow 12 VPs per LP)",
    )
    hv = p.add_mutually_exclusive_group()
    hv.add_argument("--hypervisor", metavar="ID@VER", help="e.g. hyper-v@2008r2, kvm, esxi@8.0")
    hv.add_argument("--all", action="store_true", help="one result per catalog entry")
    pol = p.add_argument_group("policy (overrides the plan's or the catalog's values)")
    pol.add_argument("--ratio", type=positive_float, help="vCPUs per logical processor")
    pol.add_argument("--overhead-mb", type=nonneg_float, help="flat per-VM memory overhead, MB")
    pol.add_argument("--host-reserve-mb", type=nonneg_float, help="RAM kept per host, MB")
    pol.add_argument("--overcommit", type=positive_float, help="RAM overcommit factor")
    pol.add_argument("--headroom-pct", type=nonneg_float, help="percent of capacity kept free")
    pol.add_argument("--failover-hosts", type=nonneg_int, help="k of N+k")
    pol.add_argument("--growth-pct", type=nonneg_float, help="compound growth per year, %%")
    pol.add_argument("--growth-years", type=nonneg_int, help="years of growth")
    pol.add_argument("--round", choices=["none", "pow2"], help="round LPs and RAM per host")
    hw = p.add_argument_group("host hardware")
    hw.add_argument("--nic-gbps", type=positive_float, help="NIC speed (default 1 Gbps)")
    hw.add_argument("--cores-per-socket", type=positive_int, help="gives sockets per host")
    hw.add_argument("--threads-per-core", type=positive_int, help="default 1")
    hw.add_argument("--sockets", type=positive_int, help="with --host-ram-gb: a host model")
    hw.add_argument("--ghz", type=positive_float, help="with --host-ram-gb: clock per core")
    hw.add_argument(
        "--host-ram-gb",
        type=positive_float,
        help="RAM of a host model given by --sockets, --cores-per-socket and --ghz",
    )
    hw.add_argument("--nics", type=positive_int, help="with --host-ram-gb: NICs of --nic-gbps")
    p.add_argument("--explain", action="store_true", help="with --all: every result's steps")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(handler=run_size)


def _flag(name: str) -> str:
    return "--" + name.replace("_", "-")


def _policy(base: Policy, args: argparse.Namespace) -> Policy:
    from pydantic import ValidationError

    from hvplanner.model.plan import Policy

    update = {
        field: getattr(args, flag)
        for flag, field in POLICY_FLAGS.items()
        if getattr(args, flag) is not None
    }
    try:
        return Policy.model_validate({**base.model_dump(), **update})
    except ValidationError as exc:
        field = str(exc.errors()[0]["loc"][0])
        flag = next((f for f, fld in POLICY_FLAGS.items() if fld == field), field)
        raise InputError(f"{_flag(flag)}: {exc.errors()[0]['msg']}") from exc


def _vms(args: argparse.Namespace) -> list[VM]:
    from pydantic import ValidationError

    from hvplanner.model.plan import VM

    if args.ram_gb is None:
        raise InputError("--ram-gb: required with --vms (RAM per VM in GB)")
    data = {"id": "vm", "count": args.vms, "vcpu": args.vcpu or 1}
    data.update(
        {
            field: getattr(args, flag)
            for flag, field in VM_FLAGS.items()
            if flag != "vcpu" and getattr(args, flag) is not None
        }
    )
    try:
        return [VM.model_validate(data)]
    except ValidationError as exc:
        field = str(exc.errors()[0]["loc"][0])
        flag = "vms" if field == "count" else field
        raise InputError(f"{_flag(flag)}: {exc.errors()[0]['msg']}") from exc


def _inputs(args: argparse.Namespace) -> tuple[Plan | None, list[VM]]:
    from hvplanner.formats.planfile import known_hypervisor, load_plan

    plan = load_plan(args.plan) if args.plan else None
    if plan is not None and args.hypervisor is None and not args.all:
        known_hypervisor(plan, args.plan)
    if args.vms is not None:
        return plan, _vms(args)
    if plan is None:
        vm_flags = [f for f in VM_FLAGS if getattr(args, f) is not None]
        if vm_flags:
            raise InputError(f"--vms: required with {_flag(vm_flags[0])} (how many VMs)")
        raise InputError("give a PLAN file or describe the VMs with --vms N --ram-gb X")
    if not plan.vms:
        raise InputError(f"{args.plan}: vms: the plan has no VMs to size")
    return plan, list(plan.vms)


def _profiles(args: argparse.Namespace, plan: Plan | None) -> list[HypervisorProfile]:
    from hvplanner.catalog import load_catalog

    catalog = load_catalog()
    if args.all or (args.hypervisor is None and plan is None):
        return catalog.ordered()
    if args.hypervisor:
        with about("--hypervisor"):
            return [catalog.get(args.hypervisor)]
    return [catalog.get(plan.hypervisor if plan else "")]


def _flag_model(args: argparse.Namespace) -> HostModel | None:
    """A host model from --sockets, --cores-per-socket, --ghz, --host-ram-gb [--nics]."""
    from pydantic import ValidationError

    from hvplanner.model.plan import HostModel

    if args.host_ram_gb is None:
        for flag in ("sockets", "ghz", "nics"):
            if getattr(args, flag) is not None:
                raise InputError(f"--host-ram-gb: required with --{flag} (a whole host model)")
        return None
    for flag in ("sockets", "cores_per_socket", "ghz"):
        if getattr(args, flag) is None:
            raise InputError(f"{_flag(flag)}: required with --host-ram-gb (a whole host model)")
    data = {
        "id": "cli",
        "name": "host model from the command line",
        "sockets": args.sockets,
        "cores_per_socket": args.cores_per_socket,
        "threads_per_core": args.threads_per_core or 1,
        "ghz": args.ghz,
        "ram_gb": args.host_ram_gb,
        "nics": [{"count": args.nics, "gbps": args.nic_gbps or 1.0}] if args.nics else [],
    }
    try:
        return HostModel.model_validate(data)
    except ValidationError as exc:
        field = str(exc.errors()[0]["loc"][0])
        flag = {"ram_gb": "host_ram_gb"}.get(field, field)
        raise InputError(f"{_flag(flag)}: {exc.errors()[0]['msg']}") from exc


def _shape(args: argparse.Namespace, plan: Plan | None) -> HostShape:
    from hvplanner.engine.sizing import HostShape, plan_host_model

    shape = HostShape()
    if plan is not None and plan.host_models:
        shape = HostShape.of_model(plan_host_model(plan))
    model = _flag_model(args)
    if model is not None:
        return HostShape.of_model(model)
    if args.cores_per_socket is not None:
        shape = HostShape(args.cores_per_socket, args.threads_per_core or 1, None)
    elif args.threads_per_core is not None:
        shape = HostShape(shape.cores_per_socket, args.threads_per_core, shape.model)
    return shape


def compute(args: argparse.Namespace) -> list[SizingResult]:
    """One result per hypervisor, by the comparison's rule: the plan's ratio, overhead and
    reserve apply to its own hypervisor, the others use their catalog values (flags given
    on the command line apply to all)."""
    from hvplanner.engine.assumptions import own_values_note, policy_for
    from hvplanner.engine.sizing import size
    from hvplanner.model.plan import Policy

    plan, vms = _inputs(args)
    shape = _shape(args, plan)
    results = []
    for p in _profiles(args, plan):
        base = policy_for(plan, p).policy if plan else Policy()
        r = size(vms, p, _policy(base, args), shape)
        note = own_values_note(plan, p) if plan else None
        if note:
            r = r.model_copy(update={"warnings": [*r.warnings, note]})
        results.append(r)
    return results


def _explain(r: SizingResult) -> str:
    lines = [f"{r.hypervisor_title} ({r.hypervisor})"]
    for s in r.steps:
        src = f"  [{s.source}]" if s.source else ""
        lines.append(f"  {s.title}: {s.formula}")
        lines.append(f"      = {s.values}  →  {s.result}{src}")
    lines += [f"  ! {w}" for w in r.warnings]
    lines += [f"  ✖ {x}" for x in r.limits_exceeded]
    return "\n".join(lines)


def _summary(results: list[SizingResult]) -> str:
    rows = []
    for r in results:
        lps = fmt(r.logical_processors)
        if r.logical_processors_rounded != r.logical_processors:
            lps += f" → {fmt(r.logical_processors_rounded)}"
        ram = fmt(r.ram_gb)
        if r.ram_gb_rounded != r.ram_gb:
            ram += f" → {fmt(r.ram_gb_rounded)}"
        flags = ("✖ " if r.limits_exceeded else "") + ("!" * bool(r.warnings))
        rows.append(
            [
                r.hypervisor,
                fmt(r.vcpus),
                fmt(r.vcpu_per_lp),
                lps,
                ram,
                str(r.nics),
                fmt(r.storage_gb),
                "" if r.sockets is None else str(r.sockets),
                str(r.hosts),
                r.binding_label,
                flags,
            ]
        )
    return table(
        [
            "hypervisor",
            "vCPUs",
            "ratio",
            "LPs",
            "RAM GB",
            "NICs",
            "storage GB",
            "sockets",
            "hosts",
            "binding",
            "",
        ],
        rows,
        right={1, 2, 3, 4, 5, 6, 7, 8},
    )


def run_size(args: argparse.Namespace) -> int:
    results = compute(args)
    if args.json:
        print_json({"results": [r.model_dump(mode="json") for r in results]})
        return 0
    print(_summary(results))
    if len(results) == 1 or args.explain:
        for r in results:
            print()
            print(_explain(r))
    else:
        for r in results:
            for w in r.limits_exceeded:
                print(f"✖ {r.hypervisor}: {w}")
        print("\n(! marks results with warnings: --explain or --hypervisor shows them)")
    return 0


__all__ = ["compute", "run_size"]
