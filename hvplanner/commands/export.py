"""`hvplanner export`: a plan → JSON with its results, a PDF report, or its VMs as an
inventory CSV. Heavy modules load only when the command runs; the window's File ▸ Export
renders the same Report."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from hvplanner.commands.args import about, examples
from hvplanner.commands.output import same_file, write_output
from hvplanner.commands.series import add_flag, plan_series

if TYPE_CHECKING:
    from collections.abc import Mapping

    from hvplanner.engine.simulation.profiles import MeasuredSeries
    from hvplanner.model.plan import Plan
    from hvplanner.model.report import Report

PDF_MODULE = "hvplanner.formats.pdf_report"
"""The PDF writer, when this build has one: `render_pdf(report, path) -> pages`. It imports Qt."""


def add_parser(sub: argparse._SubParsersAction[Any]) -> None:
    e = sub.add_parser(
        "export",
        epilog=examples("hvplanner export plan.hvplan.json --json results.json --pdf report.pdf"),
        help="write a plan with its results as JSON (or PDF, or its VMs as CSV)",
        description='The JSON holds {"plan": …, "results": {sizing, placement, …}}; '
        "importing it reads the plan back and recomputes the results.",
    )
    e.add_argument("plan", metavar="PLAN", help="a *.hvplan.json plan")
    e.add_argument("--json", metavar="OUT.json", help="plan + results as JSON ('-': stdout)")
    e.add_argument("--pdf", metavar="OUT.pdf", help="a printable report")
    e.add_argument(
        "--appendix",
        action="store_true",
        help="PDF: add the generic diagrams of virtualization concepts as an appendix",
    )
    e.add_argument(
        "--csv",
        metavar="OUT.csv",
        help="the plan's VMs, one row per VM entry with its host ('hvplanner import' reads it)",
    )
    e.add_argument(
        "--no-placement", action="store_true", help="leave the placement out of the results"
    )
    e.add_argument(
        "--time-limit",
        type=float,
        default=None,
        metavar="S",
        help="placement: upper limit on optimization time in seconds",
    )
    add_flag(e)
    e.set_defaults(handler=run_export)


def build_export(
    args: argparse.Namespace, *, placement: bool = True, time_limit: float | None = None
) -> Report:
    """The plan with its sizing and, when it has host models, its placement."""
    from hvplanner.formats.planfile import known_hypervisor, load_plan

    plan = known_hypervisor(load_plan(args.plan), args.plan)
    measured = plan_series(plan, args.plan, args)
    with about(args.plan):
        return report_for(plan, placement=placement, time_limit=time_limit, measured=measured)


def report_for(
    plan: Plan,
    *,
    placement: bool = True,
    time_limit: float | None = None,
    measured: Mapping[str, MeasuredSeries] | None = None,
) -> Report:
    """The one Report that the JSON, the PDF and the summary render (`engine.report`)."""
    from hvplanner.engine.report import full_report

    return full_report(
        plan,
        place=placement,
        time_limit=time_limit,
        measured=measured,
        notes=[] if placement else ["placement: left out on request"],
    )


def run_export(args: argparse.Namespace) -> int:
    import importlib
    import sys

    from hvplanner.errors import InputError
    from hvplanner.formats.exchange import report_to_json

    if args.json is None and args.pdf is None and args.csv is None:
        raise InputError("export: give --json OUT.json, --pdf OUT.pdf or --csv OUT.csv")
    _check_outputs(args.plan, {"--json": args.json, "--pdf": args.pdf, "--csv": args.csv})
    if args.time_limit is not None and not args.time_limit > 0:
        raise InputError(f"--time-limit: {args.time_limit:g} must be > 0")
    pdf: Any = None
    if args.pdf:
        try:
            pdf = importlib.import_module(PDF_MODULE)
        except ImportError as exc:
            raise InputError("PDF export is not available in this build") from exc
    if not args.json and not args.pdf:
        return _export_csv_only(args.plan, args.csv)
    # The PDF shows the plan as laid out; only the JSON carries a fresh placement.
    report = build_export(
        args, placement=bool(args.json) and not args.no_placement, time_limit=args.time_limit
    )
    if args.csv:
        _write_csv(report.plan, args.csv)
    if args.json == "-":
        print(report_to_json(report), end="")
    elif args.json:
        write_output(args.json, report_to_json(report))
    if pdf is not None:
        try:
            extra = {"appendix": True} if getattr(args, "appendix", False) else {}
            pdf.render_pdf(report, args.pdf, **extra)
        except OSError as exc:
            raise InputError(f"{args.pdf}: cannot write ({exc.strerror or exc})") from exc
    # With the JSON on stdout, the summary goes to stderr so the output stays parseable.
    say = sys.stderr if args.json == "-" else sys.stdout
    r = report.results
    what = f"sized on {r.hypervisor}"
    if r.sizing is not None:
        what += f" ({r.sizing.hosts} host{'s' * (r.sizing.hosts != 1)})"
    if r.placement is not None:
        n = r.placement.host_count
        what += f", placed on {n} host{'s' * (n != 1)}"
    if args.json and args.json != "-":
        print(f"wrote {args.json}: {report.plan.name!r} {what}", file=say)
    if args.pdf:
        used = len({v.host for v in report.plan.vms if v.host is not None})
        laid = f"laid out on {used} host{'s' * (used != 1)}"
        print(f"wrote {args.pdf}: {report.plan.name!r} sized on {r.hypervisor}, {laid}", file=say)
    if args.csv:
        print(_csv_summary(args.csv, report.plan), file=say)
    for note in r.notes:
        if args.json or not note.startswith("placement:"):
            print(f"  note: {note}", file=say)
    return 0


def _check_outputs(plan_path: str, outputs: dict[str, str | None]) -> None:
    """No output may be the plan itself, another output, or have no name."""
    from hvplanner.errors import InputError

    seen: dict[str, str] = {}
    for flag, out in outputs.items():
        if out is None or out == "-":
            continue
        if out == "":
            raise InputError(f"{flag}: an empty file name")
        if same_file(plan_path, out):
            raise InputError(f"{flag}: {out} is the plan being exported")
        for other, earlier in seen.items():
            if earlier == out or same_file(earlier, out):
                raise InputError(f"{flag}: {out} is also the {other} output")
        seen[flag] = out


def _write_csv(plan: Plan, path: str) -> None:
    from hvplanner.formats.inventory_export import inventory_file_text

    write_output(path, inventory_file_text(plan))


def _csv_summary(path: str, plan: Plan) -> str:
    n = len(plan.vms)
    return f"wrote {path}: {n} VM row{'s' * (n != 1)} of {plan.name!r}"


def _export_csv_only(plan_path: str, out: str) -> int:
    """Only the inventory is asked for: no sizing or placement to compute."""
    from hvplanner.formats.planfile import load_plan

    plan = load_plan(plan_path)
    _write_csv(plan, out)
    print(_csv_summary(out, plan))
    return 0
