"""Imported VMs held as plain tuples: they read as the VM models they stand for, the plan
text written from them is pydantic's own, and the row checks that replace model validation
accept exactly what the model accepts, with its messages."""

from __future__ import annotations

import random

import pytest

from hvplanner.formats.inventory import (
    InventoryError,
    parse_inventory,
    plan_from_import,
    plan_head_from_import,
)
from hvplanner.formats.inventory_rows import (
    ANTI_AFFINITY,
    COUNT,
    CPU_MHZ,
    DISK_GB,
    HOST,
    ID,
    NAME,
    NIC_MBPS,
    OS,
    PINNED,
    PROFILE,
    RAM_GB,
    VCPU,
    VM_FIELDS,
    VmRows,
    VmTuple,
    vm_of,
)
from hvplanner.formats.planfile import plan_to_json
from hvplanner.formats.planstream import plan_chunks
from hvplanner.model.plan import VM, Plan, WorkloadProfile


def test_tuple_fields_are_the_models_fields_in_order():
    assert tuple(VM.model_fields) == VM_FIELDS
    named = {
        ID: "id",
        NAME: "name",
        COUNT: "count",
        VCPU: "vcpu",
        RAM_GB: "ram_gb",
        DISK_GB: "disk_gb",
        NIC_MBPS: "nic_mbps",
        CPU_MHZ: "cpu_mhz",
        HOST: "host",
        PINNED: "pinned",
        ANTI_AFFINITY: "anti_affinity",
        PROFILE: "profile",
        OS: "os",
    }
    assert all(VM_FIELDS[i] == name for i, name in named.items())


def _tuples(n: int, seed: int, awkward: bool) -> list[VmTuple]:
    """Valid VM fields; `awkward` adds floats pydantic writes with an exponent, non-ASCII
    and control characters, quotes, NUL and line separators in names."""
    rnd = random.Random(seed)
    floats = [0.0, 1.0, 2.5, 0.1, 1 / 3, 4096.0, 4194304.0, 999999.25, 0.0001]
    if awkward:
        floats += [1e-5, 9.5e-5, 1e-7, -0.0]
    names = ["", "web", "x" * 200]
    if awkward:
        names += ["é ü", 'a"b\\c', "tab\there", "nul\x00", "line\u2028sep", "\x01"]
    prefixes = ["vm", "é", 'q"']
    out: list[VmTuple] = []
    for i in range(n):
        ram = abs(rnd.choice(floats)) or 1.0
        out.append(
            (
                f"{rnd.choice(prefixes)}{i}",
                rnd.choice(names),
                rnd.randint(1, 5),
                rnd.randint(1, 64),
                ram,
                abs(rnd.choice(floats)),
                abs(rnd.choice(floats)),
                rnd.choice([None, 2600.0, 1e-5 if awkward else 1.5]),
                rnd.choice([None, "h1"]),
                False,
                rnd.choice([None, "g1"]),
                rnd.choice(["constant", "diurnal", "measured-cpu5"]),
                rnd.choice(["linux", "windows-server", "other"]),
            )
        )
    return out


def test_each_tuple_reads_as_the_validated_model():
    for fields in _tuples(300, 1, awkward=True):
        made = vm_of(fields)
        checked = VM.model_validate(dict(zip(VM_FIELDS, fields, strict=True)))
        assert made == checked
        assert made.model_dump_json(indent=2) == checked.model_dump_json(indent=2)


def test_rows_behave_as_a_list_of_vms():
    entries = _tuples(50, 2, awkward=False)
    rows = VmRows(entries)
    vms = [vm_of(e) for e in entries]
    assert len(rows) == 50 and rows == vms and vms == rows
    assert rows[3] == vms[3] and rows[-1] == vms[-1] and rows[10:13] == vms[10:13]
    assert rows != vms[:-1]
    assert rows.instances == sum(v.count for v in vms)


def test_plan_text_from_rows_is_pydantics_plan_text():
    head = Plan(name="Rows", workloads=[WorkloadProfile(name="measured-cpu5", kind="constant")])
    for awkward in (False, True):
        entries = _tuples(4500, 3, awkward)
        for n in (0, 1, 2, 1999, 2000, 2001, 4500):  # batches of 2000
            rows = VmRows(entries[:n])
            whole = head.model_copy(update={"vms": list(rows)})
            assert "".join(plan_chunks(head, rows)) == plan_to_json(whole), (awkward, n)


# Each bound of the VM model, on its edge and just past it: the direct checks that replace
# validating every row must reject the same rows with the model's own words.
_BOUNDS = """VM,Display Name,vCPUs,RAM GB,Disk GB,NIC Mbps,CPU MHz,Count
ok,,65536,4194304,1073741824,10000000,10000000,1000000
cpu,,65537,1,0,0,,
ram,,1,4194305,0,0,,
ram0,,1,0,0,0,,
disk,,1,1,1073741825,0,,
diskneg,,1,1,-1,0,,
nic,,1,1,0,10000001,,
mhz0,,1,1,0,0,0,
mhz,,1,1,0,0,10000001,
count0,,1,1,0,0,,0
count,,1,1,0,0,,1000001
cpu0,,0,1,0,0,,
pad,{pad},1,1,0,0,,
tiny,,1,0.00001,0.00001,0.00001,0.00001,
"""


def test_bounds_reject_what_the_model_rejects_in_its_words():
    text = _BOUNDS.replace("{pad}", "d" * 199 + " x")
    r = parse_inventory(text.encode(), "b.csv")
    assert [(x.line, x.reason) for x in r.rejected] == [
        (3, "vCPUs: '65537': too large (at most 65,536)"),
        (4, "RAM GB: '4194305': too large (at most 4,194,304 GB)"),
        (5, "RAM GB: '0': Input should be greater than 0"),
        (6, "Disk GB: '1073741825': too large (at most 1,073,741,824 GB)"),
        (7, "Disk GB: '-1': Input should be greater than or equal to 0"),
        (8, "NIC Mbps: '10000001': too large (at most 10,000,000 Mbps)"),
        (9, "CPU MHz: '0': Input should be greater than 0"),
        (10, "CPU MHz: '10000001': too large (at most 10,000,000 MHz)"),
        (11, "Count: '0': Input should be greater than or equal to 1"),
        (12, "Count: '1000001': too large (at most 1,000,000)"),
        (13, "vCPUs: '0': Input should be greater than or equal to 1"),
    ]
    ok, pad, tiny = r.vms
    assert (ok.count, ok.vcpu, ok.ram_gb, ok.disk_gb) == (1_000_000, 65536, 4194304.0, 2.0**30)
    assert pad.name == "d" * 199  # cut at 200 characters, then stripped as the model does
    assert tiny.ram_gb == tiny.disk_gb == tiny.cpu_mhz == 0.00001
    for vm in r.vms:
        assert VM.model_validate(vm.model_dump()) == vm
    plan = plan_from_import(r)
    assert "".join(plan_chunks(plan_head_from_import(r), r.vms)) == plan_to_json(plan)
    assert '"ram_gb": 0.00001' in plan_to_json(plan)  # pydantic's float text, not 1e-05


def test_a_plan_the_vms_do_not_fit_is_refused_with_the_plans_message():
    text = "VM,vCPUs,RAM GB,Profile\na,1,1,\nb,1,1,diurnal\n"
    r = parse_inventory(text.encode(), "p.csv", workloads={"weekly"})
    head = plan_head_from_import(r)
    assert head.vms == [] and plan_to_json(plan_from_import(r)) == "".join(plan_chunks(head, r.vms))
    # A workload the plan the rows were read for defines, but the new plan does not.
    r = parse_inventory(text.replace("diurnal", "weekly").encode(), "p.csv", workloads={"weekly"})
    with pytest.raises(InventoryError) as whole:
        plan_from_import(r)
    with pytest.raises(InventoryError) as head_only:
        plan_head_from_import(r)
    assert str(head_only.value) == str(whole.value)
    assert "vms[1].profile: no workload named 'weekly'" in str(whole.value)
