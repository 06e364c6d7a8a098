"""`hvplanner size`: the seed's sizing method for one hypervisor or the whole catalog."""

from __future__ import annotations

import argparse
import json

from pydantic import ValidationError

from hvplanner.catalog import load_catalog
from hvplanner.commands.output import table
from hvplanner.engine.compare import own_values_note, policy_for
from hvplanner.engine.numbers import fmt
from hvplanner.engine.sizing import HostShape, plan_host_model, size
from hvplanner.errors import InputError
from hvplanner.formats.planfile import describe_validation_error, load_plan
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


def _flag(name: str) -> str:
    return "--" + name.replace("_", "-")


def _policy(base: Policy, args: argparse.Namespace) -> Policy:
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
    plan = load_plan(args.plan) if args.plan else None
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
    catalog = load_catalog()
    if args.all or (args.hypervisor is None and plan is None):
        return catalog.ordered()
    return [catalog.get(args.hypervisor or (plan.hypervisor if plan else ""))]


def _flag_model(args: argparse.Namespace) -> HostModel | None:
    """A host model from --sockets, --cores-per-socket, --ghz, --host-ram-gb [--nics]."""
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
        payload = {"results": [r.model_dump(mode="json") for r in results]}
        print(json.dumps(payload, indent=2, ensure_ascii=False))
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


__all__ = ["compute", "describe_validation_error", "run_size"]
