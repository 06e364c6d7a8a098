"""A plan file written piece by piece: the same text as `planfile.plan_to_json`, without
ever holding all of it. A plan imported from a million-row inventory is a few hundred MB
of JSON; building that as one string (and its UTF-8 copy) would double the import's memory.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from hvplanner.formats.atomic import replace_into, save_target, temp_beside
from hvplanner.formats.inventory_rows import VmRows
from hvplanner.model.plan import Plan

_VMS = '"vms": []'
_BATCH = 2000


def plan_chunks(plan: Plan, rows: VmRows | None = None) -> Iterator[str]:
    """`plan_to_json(plan)`, in pieces of a few thousand VMs. With `rows` (an import's VMs,
    held as tuples), the text of the plan with those VMs in place of its own."""
    head = plan.model_copy(update={"vms": []}).model_dump_json(indent=2)
    cut = head.index(_VMS)
    if rows is not None:
        if not rows:
            yield head + "\n"
            return
        yield head[:cut] + '"vms": [\n    '
        yield from rows.json_chunks(_BATCH)
        yield "\n  ]" + head[cut + len(_VMS) :] + "\n"
        return
    if not plan.vms:
        yield head + "\n"
        return
    yield head[:cut] + '"vms": ['
    batch: list[str] = []
    for n, vm in enumerate(plan.vms):
        text = vm.model_dump_json(indent=2).replace("\n", "\n    ")
        batch.append(("\n    " if n == 0 else ",\n    ") + text)
        if len(batch) >= _BATCH:
            yield "".join(batch)
            batch.clear()
    yield "".join(batch) + "\n  ]" + head[cut + len(_VMS) :] + "\n"


def write_chunks(out: IO[str], chunks: Iterable[str]) -> None:
    for chunk in chunks:
        out.write(chunk)


def save_plan_streamed(
    plan: Plan, path: str | os.PathLike[str], rows: VmRows | None = None
) -> None:
    """Atomic like `planfile.write_atomic`: beside the target, flushed, then renamed."""
    target = save_target(path)
    fd, tmp = temp_beside(target)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            write_chunks(fh, plan_chunks(plan, rows))
            fh.flush()
            os.fsync(fh.fileno())
        replace_into(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
