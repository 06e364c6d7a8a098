"""hvplanner(1): written from the parser, current in docs/, and valid roff."""

from __future__ import annotations

import argparse
import shutil
import subprocess
from pathlib import Path

import pytest

from hvplanner.commands.manpage import render
from hvplanner.commands.parser import build_parser

MAN = Path(__file__).resolve().parents[2] / "docs" / "hvplanner.1"


def test_docs_man_page_is_current():
    assert MAN.read_text(encoding="utf-8") == render(build_parser()), (
        "docs/hvplanner.1 is out of date: run `make man` and commit it"
    )


def test_every_command_and_option_is_in_the_man_page():
    root = build_parser()
    text = render(root).replace("\\-", "-")
    for action in root._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                assert f".SS hvplanner {name}" in text
                for option in (o for a in sub._actions for o in a.option_strings):
                    assert option in text, f"{name} {option}"
    assert "~/.config/hvplanner/hvplanner.conf" in text


@pytest.mark.skipif(shutil.which("groff") is None, reason="groff is not installed")
def test_man_page_formats_without_warnings():
    done = subprocess.run(
        ["groff", "-man", "-Tutf8", "-k", "-ww", "-z", str(MAN)],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert done.returncode == 0 and not done.stderr, done.stderr
    shown = subprocess.run(
        ["groff", "-man", "-Tutf8", "-k", "-P-cbou", str(MAN)],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    ).stdout
    assert "hvplanner completion {bash,zsh,fish}" in shown
