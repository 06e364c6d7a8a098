"""The report as text (grouped by area, then the verdict table) and as JSON."""

from __future__ import annotations

from hvplanner.readiness.model import AREA_TITLES, VERDICT_LABELS, Check, Report

SYMBOLS = {"pass": "✔", "warn": "⚠", "fail": "✖", "unknown": "?", "skip": "–"}
VERDICT_SYMBOLS = {
    "ready": "✔",
    "degraded": "⚠",
    "own-machine": "⌂",
    "blocked": "✖",
    "unknown": "?",
}


def _tri(value: bool | None) -> str:
    return "unknown" if value is None else "yes" if value else "no"


def _check_lines(c: Check) -> list[str]:
    lines = [f"  {SYMBOLS[c.status]} {c.title}: {c.summary}"]
    for e in c.evidence:
        lines.append(f"      seen: {e.source}: {e.value}")
    if c.fix:
        tags = [
            t
            for t, on in (
                ("needs admin rights", c.fix_needs_admin),
                ("then power off fully, not a reboot", c.fix_needs_cold_boot),
            )
            if on
        ]
        lines.append(f"      fix: {c.fix}" + (f" ({'; '.join(tags)})" if tags else ""))
    return lines


def render_text(report: Report) -> str:
    p = report.platform
    where = f"snapshot {p.root}" if p.root else "this machine"
    out = [
        f"Readiness of {where}: {p.os}, {p.arch or 'unknown architecture'}"
        + (f", kernel {p.kernel}" if p.kernel else ""),
        f"CPU: {report.cpu.vendor or 'unknown vendor'} — {report.cpu.model or 'unknown model'}",
        f"Virtual machine: {_tri(report.is_vm)}"
        + (f" (hypervisor: {report.hypervisor_detected})" if report.hypervisor_detected else ""),
    ]
    for area, title in AREA_TITLES.items():
        checks = [c for c in report.checks if c.area == area]
        if not checks:
            continue
        out += ["", title]
        for c in checks:
            out += _check_lines(c)
    out += ["", "Verdicts"]
    width = max(len(v.title) for v in report.verdicts.values())
    status_width = max(len(VERDICT_LABELS[v.status]) for v in report.verdicts.values())
    for v in report.verdicts.values():
        label = VERDICT_LABELS[v.status]
        head = f"  {VERDICT_SYMBOLS[v.status]} {v.title:<{width}}  {label:<{status_width}}  "
        reasons = v.reasons or [""]
        out.append(head + reasons[0])
        out += [" " * len(head) + r for r in reasons[1:]]
        out += [" " * len(head) + f"limitation: {x}" for x in v.limitations]
    return "\n".join(out) + "\n"
