"""hvplanner(1): the manual page, written from the same parser that reads the command line.

`make man` writes it to docs/hvplanner.1 (a test keeps that file equal to what this module
renders); the sdist carries it from there, the bundle in its top folder.

    python -m hvplanner.commands.manpage docs/hvplanner.1
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from hvplanner import __version__

EXIT_STATUS = [
    ("0", "success (a plan that does not fit, or a blocked readiness verdict, is an answer)"),
    ("1", "an internal error, or output that could not be written"),
    ("2", "bad input: one line on standard error names the argument, field or line"),
    ("130", "interrupted (Ctrl+C)"),
]


def _roff(text: str) -> str:
    """Plain text as roff: backslashes escaped, hyphens of options kept as hyphens, and no
    line starting with a control character."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    return "\n".join("\\&" + line if line[:1] in (".", "'") else line for line in text.split("\n"))


def _help(action: argparse.Action) -> str:
    text = action.help or ""
    if "%(" in text:
        text = text % {"default": action.default, "prog": "hvplanner"}
    return " ".join(text.replace("%%", "%").split())


def _option_head(action: argparse.Action) -> str:
    names = ", ".join(f"\\fB{_roff(o)}\\fR" for o in action.option_strings)
    if action.nargs == 0:
        return names
    if action.choices is not None:
        value = "{" + ",".join(str(c) for c in action.choices) + "}"
    else:
        value = action.metavar if isinstance(action.metavar, str) else action.dest.upper()
    return f"{names} \\fI{_roff(value)}\\fR"


def _positional_head(action: argparse.Action) -> str:
    if action.choices is not None:
        name = "{" + ",".join(str(c) for c in action.choices) + "}"
    else:
        name = action.metavar if isinstance(action.metavar, str) else action.dest
    return f"\\fI{_roff(name)}\\fR"


def _arguments(parser: argparse.ArgumentParser) -> list[str]:
    out: list[str] = []
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction | argparse._SubParsersAction):
            continue
        head = _option_head(action) if action.option_strings else _positional_head(action)
        out += [".TP", head, _roff(_help(action)) or "\\&"]
    return out


def _synopsis(name: str, parser: argparse.ArgumentParser) -> str:
    words = [f"\\fB{name}\\fR"]
    if any(a.option_strings for a in parser._actions if not isinstance(a, argparse._HelpAction)):
        words.append("[\\fIoptions\\fR]")
    for action in parser._actions:
        if action.option_strings or isinstance(action, argparse._SubParsersAction):
            continue
        head = _positional_head(action)
        words.append(f"[{head}]" if action.nargs in ("?", "*") else head)
    return " ".join(words)


def _examples(parser: argparse.ArgumentParser) -> list[str]:
    epilog = parser.epilog or ""
    lines = [line.strip() for line in epilog.splitlines() if line.startswith("  ")]
    if not lines:
        return []
    return (
        [".PP", "Example" + ("s:" if len(lines) > 1 else ":"), ".PP", ".RS 4", ".nf"]
        + [_roff(line) for line in lines]
        + [".fi", ".RE"]
    )


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text[:1].upper() + text[1:] + ("" if text.endswith((".", "?", ")")) else ".")


def render(root: argparse.ArgumentParser) -> str:
    subs: dict[str, argparse.ArgumentParser] = {}
    helps: dict[str, str] = {}
    for action in root._actions:
        if isinstance(action, argparse._SubParsersAction):
            subs = dict(action.choices)
            helps = {a.dest: a.help or "" for a in action._choices_actions}
    summary = re.sub(r"\.$", "", " ".join((root.description or "").split()))
    out = [
        f'.TH HVPLANNER 1 "" "hvplanner {__version__}" "User Commands"',
        ".SH NAME",
        f"hvplanner \\- {_roff(summary[:1].lower() + summary[1:])}",
        ".SH SYNOPSIS",
        "\\fBhvplanner\\fR [\\fIPLAN\\fR.hvplan.json] [\\fIwindow options\\fR]",
        ".br",
        "\\fBhvplanner\\fR \\fICOMMAND\\fR [\\fIoptions\\fR]",
        ".br",
        "\\fBhvplanner\\-gui\\fR [\\fIPLAN\\fR.hvplan.json] [\\fIwindow options\\fR]",
        ".SH DESCRIPTION",
        _roff(_sentence(root.description or "")),
        ".PP",
        _roff(
            "Without a command, or with a plan file as its first argument (as file managers "
            "call it), hvplanner opens the window; hvplanner-gui always does. The window "
            "options are those of the gui command."
        ),
        ".SH OPTIONS",
        *_arguments(root),
        ".TP",
        "\\fB\\-h\\fR, \\fB\\-\\-help\\fR",
        _roff("show the help (of hvplanner, or of the COMMAND before it) and exit"),
        ".SH COMMANDS",
    ]
    for name, sub in subs.items():
        out += [
            ".SS " + _synopsis(f"hvplanner {name}", sub).replace("\\fB", "").replace("\\fR", "")
        ]
        out += [_roff(_sentence(sub.description or helps.get(name, "")))]
        out += _arguments(sub)
        out += _examples(sub)
    out += [".SH EXIT STATUS"]
    for code, meaning in EXIT_STATUS:
        out += [".TP", f"\\fB{code}\\fR", _roff(meaning)]
    out += [
        ".SH ENVIRONMENT",
        ".TP",
        "\\fBHVPLANNER_DEBUG\\fR",
        _roff("set to 1 to see the Python traceback of an internal error"),
        ".TP",
        "\\fBHVPLANNER_CACHE_DIR\\fR",
        _roff("the folder of the catalog cache instead of ~/.cache/hvplanner; empty: no cache"),
        ".SH FILES",
        ".TP",
        "\\fI*.hvplan.json\\fR",
        _roff('plans: JSON, described by the JSON Schema "hvplanner schema" prints'),
        ".TP",
        "\\fI~/.config/hvplanner/hvplanner.conf\\fR",
        _roff("the window's settings (QSettings: size, layout); delete it to start afresh"),
        ".TP",
        "\\fI~/.cache/hvplanner/catalog-*.json\\fR",
        _roff(
            "the hypervisor catalog as parsed, read instead of its TOML files while those "
            "are unchanged (XDG_CACHE_HOME moves it); safe to delete"
        ),
        ".SH EXAMPLES",
        *_examples(root)[3:],
        ".SH SEE ALSO",
        _roff("hvplanner COMMAND --help; hvplanner completion bash|zsh|fish for shell completion."),
    ]
    return "\n".join(out) + "\n"


def main(argv: list[str]) -> int:
    from hvplanner.commands.parser import build_parser

    text = render(build_parser())
    if argv:
        Path(argv[0]).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
