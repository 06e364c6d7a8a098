"""Command-line front end. Imports nothing heavy at module level: `--version` stays instant.

Exit codes: 0 success; 2 bad input (one line on stderr naming the field); 1 internal error.
"""

from __future__ import annotations

import argparse
import errno
import gc
import os
import sys
from collections.abc import Callable, Sequence

from hvplanner.commands.args import UsageError
from hvplanner.errors import echo

Handler = Callable[[argparse.Namespace], int]

# A command builds its objects in one pass and exits. CPython looks for reference cycles
# every 700 net allocations by default, which is a tenth of `hvplanner size` (pydantic's
# schemas are many small objects); every 200,000 it still collects the few cycles a command
# makes. mypy runs with the same thresholds. The window keeps the defaults.
COMMAND_GC_THRESHOLDS = (200_000, 30, 30)

# A word of a message longer than this is echoed input (an argument, an id), not prose.
LONG_WORD = 200
MAX_MESSAGE = 4000


def one_line(text: str) -> str:
    """A message as the terminal gets it: one line of printable text, long words cut."""
    words = [echo(w, LONG_WORD) for w in text.replace("\n", " ").split(" ")]
    out = " ".join(words)
    return out if len(out) <= MAX_MESSAGE else f"{out[:MAX_MESSAGE]}… (message cut)"


def _run_gui(args: argparse.Namespace) -> int:
    try:
        from hvplanner.ui.app import run_gui
    except ImportError as exc:  # e.g. Qt's system libraries are missing
        raise UsageError(f"hvplanner gui: the window cannot start: {exc}") from exc
    status: int = run_gui(args)
    return status


def _opens_window(argv: list[str], commands: Sequence[str]) -> bool:
    """No subcommand, only window options, or a bare plan path (`hvplanner FILE.hvplan.json`,
    as file managers and people call it): the window. A misspelt subcommand stays an error."""
    if not argv:
        return True
    first = argv[0]
    if first.startswith("-"):
        return first not in ("-h", "--help", "--version")
    if first in commands:
        return False
    return first.endswith(".json") or os.sep in first or os.path.exists(first)


def main(argv: Sequence[str] | None = None) -> int:
    from hvplanner.errors import InputError

    program = argv is None  # the process's own command line: it exits when this returns
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv == ["--version"]:  # answered before any parser or subcommand module loads
            from hvplanner.about import version_text

            print(version_text())
            sys.stdout.flush()
            return 0
        if argv and argv[0] in _DESKTOP_FLAGS:
            return _desktop_entry(argv)
        from hvplanner.commands.parser import build_parser, subcommands

        parser = build_parser(argv[0] if argv else None)
        if _opens_window(argv, subcommands(parser)):
            argv = ["gui", *argv]
        args = parser.parse_args(argv)
        handler: Handler = _run_gui if args.command == "gui" else args.handler
        if program and args.command != "gui":
            gc.set_threshold(*COMMAND_GC_THRESHOLDS)
        status = handler(args)
        # Flushed here, not at exit: a full disk or a closed pipe must surface as an
        # exception this function handles, not as a message from the interpreter's shutdown.
        sys.stdout.flush()
        if program:
            _skip_exit_collection()
        return status
    except (UsageError, InputError) as exc:
        text = f"hvplanner: {exc}" if isinstance(exc, InputError) else str(exc)
        print(one_line(text), file=sys.stderr)
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


def _skip_exit_collection() -> None:
    """Spare the exit the garbage collection of everything the imports built.

    Shutting the interpreter down collects every object still alive, pydantic's schemas and
    validators among them: a sixth of `hvplanner size`. Objects frozen here are left to
    the operating system. Qt's objects keep their ordered teardown (settings are written,
    painters end), so a process that loaded Qt exits the long way.
    """
    if "PySide6.QtCore" not in sys.modules:
        gc.freeze()


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
