"""An inventory import in words: the separator's name and the consolidation estimate's
lines. The CLI's import summary and the window's import dialog both print them."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hvplanner.engine.consolidation import Consolidation

_SEPARATORS = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}


def separator_name(sep: str) -> str:
    return _SEPARATORS.get(sep, repr(sep))


def consolidation_lines(cons: Consolidation) -> list[str]:
    from hvplanner.text import plural

    out = [
        f"consolidation: today {plural(cons.current_hosts, 'host')}; on the same hardware "
        f"({cons.model.label}) the VMs need:"
    ]
    width = max(len(n.hypervisor) for n in cons.needed) if cons.needed else 0
    for n in cons.needed:
        if n.hosts is None:
            out.append(f"  {n.hypervisor:<{width}}  –  ({n.note})")
            continue
        ratio = cons.ratio(n.hosts)
        onto = f"  {cons.current_hosts} → {n.hosts}" + (f" ({ratio:.1f} : 1)" if ratio else "")
        note = f"  ! {n.note}" if n.note else ""
        out.append(f"  {n.hypervisor:<{width}}  {plural(n.hosts, 'host'):>10}{onto}{note}")
    return out
