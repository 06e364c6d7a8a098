"""Command-line front end. Imports nothing heavy at module level: `--version` stays instant.

Exit codes: 0 success; 2 bad input (one line on stderr naming the field); 1 internal error.
"""

from __future__ import annotations

import argparse
import errno
import math
import os
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

from hvplanner import __version__

Handler = Callable[[argparse.Namespace], int]


class UsageError(Exception):
    pass


class Parser(argparse.ArgumentParser):
    """argparse that reports a bad argument as one line and exit 2, never a usage dump."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message}")


def _number(kind: type[int] | type[float], low: float, strict: bool) -> Callable[[str], float]:
    what = "whole number" if kind is int else "number"
    bound = f"> {low:g}" if strict else f"≥ {low:g}"

    def parse(text: str) -> float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a {what}") from None
        if not math.isfinite(value):
            raise argparse.ArgumentTypeError(f"{text!r} is not a finite {what}")
        if value < low or (strict and value == low):
            raise argparse.ArgumentTypeError(f"{text} must be {bound}")
        return value

    parse.__name__ = what
    return parse


positive_int = _number(int, 0, strict=True)
nonneg_int = _number(int, 0, strict=False)
positive_float = _number(float, 0, strict=True)
nonneg_float = _number(float, 0, strict=False)


def _add_size(sub: argparse._SubParsersAction[Parser]) -> None:
    from typing import get_args

    from hvplanner.model.plan import GuestOs

    p = sub.add_parser("size", help="size host hardware for a set of VMs, step by step")
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
    p.set_defaults(handler=_run_size)


def _run_size(args: argparse.Namespace) -> int:
    from hvplanner.commands.size import run_size

    return run_size(args)


def _add_compare(sub: argparse._SubParsersAction[Parser]) -> None:
    p = sub.add_parser("compare", help="the hypervisor catalog side by side")
    p.add_argument("--plan", help="add the 'on this plan' rows for this plan")
    p.add_argument(
        "--older-than",
        type=int,
        metavar="MONTHS",
        help="list the figures whose source was read at least MONTHS months ago",
    )
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true")
    fmt.add_argument("--csv", action="store_true")
    p.set_defaults(handler=_run_compare)


def _run_compare(args: argparse.Namespace) -> int:
    from hvplanner.commands.compare import run_compare

    return run_compare(args)


def _add_schema(sub: argparse._SubParsersAction[Parser]) -> None:
    p = sub.add_parser("schema", help="print the JSON Schema of the plan file")
    p.set_defaults(handler=_run_schema)


def _run_schema(args: argparse.Namespace) -> int:
    import json

    from hvplanner.formats.planfile import plan_json_schema

    print(json.dumps(plan_json_schema(), indent=2, ensure_ascii=False))
    return 0


def _add_gui(sub: argparse._SubParsersAction[Parser]) -> None:
    p = sub.add_parser("gui", help="open the window (the default without a subcommand)")
    p.add_argument("plan", nargs="?", help="plan to open (default: the bundled sample)")
    p.add_argument("--screenshot", metavar="FILE.png", help="save a screenshot and exit")
    p.add_argument(
        "--size",
        help="window size WxH (default: as last closed, within the screen; 1600x1000 "
        "for --screenshot)",
    )
    p.add_argument("--view", default="canvas", help="view to show for the screenshot")
    p.add_argument(
        "--theme",
        choices=("light", "dark", "system"),
        help="colours of the window (default: as chosen in View ▸ Theme, else the system's)",
    )
    p.add_argument(
        "--fail",
        action="append",
        default=[],
        metavar="HOST@TIME",
        help="start with the host-failure what-if set (HH:MM on day 1, or dN-HH:MM)",
    )
    p.add_argument(
        "--select",
        action="append",
        default=[],
        metavar="HOST",
        help="start with this host card selected (its graphs shown); repeat for more",
    )
    p.set_defaults(handler=_run_gui)


def _run_gui(args: argparse.Namespace) -> int:
    try:
        from hvplanner.ui.app import run_gui
    except ImportError as exc:  # e.g. Qt's system libraries are missing
        raise UsageError(f"hvplanner gui: the window cannot start: {exc}") from exc
    status: int = run_gui(args)
    return status


def build_parser() -> Parser:
    parser = Parser(
        prog="hvplanner",
        description="Plan virtualization: size hosts with cited limits, pack VMs onto hosts, "
        "compare hypervisors, check this workstation.",
    )
    parser.add_argument("--version", action="version", version=f"hvplanner {__version__}")
    desktop = parser.add_mutually_exclusive_group()
    desktop.add_argument(
        "--install-desktop-entry",
        action="store_true",
        help="add hvplanner (menu entry, icon, plan file type) to this user's desktop; Linux",
    )
    desktop.add_argument(
        "--uninstall-desktop-entry",
        action="store_true",
        help="remove what --install-desktop-entry added",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    adders: list[Callable[[argparse._SubParsersAction[Parser]], object]] = [
        _add_size,
        _add_compare,
        _add_schema,
        _add_gui,
        *_extra_commands(),
    ]
    for add in adders:
        add(sub)
    return parser


def _extra_commands() -> list[Callable[[argparse._SubParsersAction[Parser]], object]]:
    """Subcommands that live beside the layer they drive."""
    from hvplanner.commands import registry

    return registry.EXTRA


def main(argv: Sequence[str] | None = None) -> int:
    from hvplanner.errors import InputError

    argv = list(sys.argv[1:] if argv is None else argv)
    if argv == ["--version"]:  # answered before any parser or subcommand module loads
        print(f"hvplanner {__version__}")
        return 0
    try:
        if argv and argv[0] in _DESKTOP_FLAGS:
            return _desktop_entry(argv)
        if not argv or (argv[0].startswith("-") and argv[0] not in ("-h", "--help", "--version")):
            argv = ["gui", *argv]
        args = build_parser().parse_args(argv)
        handler: Handler = args.handler
        status = handler(args)
        # Flushed here, not at exit: a full disk or a closed pipe must surface as an
        # exception this function handles, not as a message from the interpreter's shutdown.
        sys.stdout.flush()
        return status
    except (UsageError, InputError) as exc:
        print(f"hvplanner: {exc}" if isinstance(exc, InputError) else str(exc), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except OSError as exc:
        if exc.filename is not None or exc.errno not in _OUTPUT_ERRORS:
            return _internal_error(exc)
        _discard_stdout()
        if exc.errno == errno.EPIPE:  # the reader left (`| head`): nothing more to say
            return 0
        print(f"hvplanner: cannot write output: {exc.strerror or exc}", file=sys.stderr)
        return 1
    except Exception as exc:
        return _internal_error(exc)


# Errors of writing to stdout (pipe closed, disk or quota full, device error). Files the
# commands write themselves report their own errors, naming the file.
_OUTPUT_ERRORS = {errno.EPIPE, errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO}


def _discard_stdout() -> None:
    # What is still buffered would fail again at exit, with a second message.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # stdout without a descriptor (captured)
        pass


def _internal_error(exc: BaseException) -> int:
    if os.environ.get("HVPLANNER_DEBUG"):
        raise exc
    print(
        f"hvplanner: internal error: {type(exc).__name__}: {exc} "
        "(set HVPLANNER_DEBUG=1 for the traceback)",
        file=sys.stderr,
    )
    return 1


_DESKTOP_FLAGS = ("--install-desktop-entry", "--uninstall-desktop-entry")


def _desktop_entry(argv: list[str]) -> int:
    """--install-desktop-entry / --uninstall-desktop-entry: a step of their own, like --version."""
    from hvplanner import desktop_entry

    if len(argv) != 1:
        raise UsageError(f"hvplanner: {argv[0]} takes no other arguments")
    installing = argv[0] == "--install-desktop-entry"
    try:
        report = desktop_entry.install() if installing else desktop_entry.uninstall()
    except desktop_entry.DesktopEntryError as exc:
        raise UsageError(f"hvplanner: {argv[0]}: {exc}") from exc
    print(desktop_entry.describe(report, installed=installing))
    return 0


def gui_main() -> int:
    return main(["gui", *sys.argv[1:]])
