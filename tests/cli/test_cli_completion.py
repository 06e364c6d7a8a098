"""`hvplanner completion bash|zsh|fish`: scripts generated from the parser, run in real shells."""

from __future__ import annotations

import argparse
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from hvplanner.catalog import load_catalog
from hvplanner.cli import main
from hvplanner.commands.parser import build_parser, subcommands

COMMANDS = subcommands(build_parser())


def script(shell: str, capsys) -> str:
    assert main(["completion", shell]) == 0
    out, err = capsys.readouterr()
    assert not err
    return out


@pytest.fixture
def bash_script(tmp_path, capsys) -> Path:
    path = tmp_path / "hvplanner.bash"
    path.write_text(script("bash", capsys))
    return path


def bash_complete(path: Path, *words: str) -> set[str]:
    """What Tab offers after `words` (the last one is the word being completed)."""
    program = (
        f"source {shlex.quote(str(path))}\n"
        f"COMP_WORDS=({' '.join(shlex.quote(w) for w in words)})\n"
        f"COMP_CWORD={len(words) - 1}\n"
        "_hvplanner\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    done = subprocess.run(
        ["bash", "--norc", "--noprofile", "-c", program],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return {line for line in done.stdout.splitlines() if line}


def test_bash_completes_subcommands(bash_script):
    assert bash_complete(bash_script, "hvplanner", "") == set(COMMANDS)
    assert bash_complete(bash_script, "hvplanner", "si") == {"simulate", "size"}
    assert bash_complete(bash_script, "hvplanner", "s") == {"size", "schema", "simulate"}
    for name in COMMANDS:
        assert name in bash_complete(bash_script, "hvplanner", name[:2])


def test_bash_completes_options_and_their_values(bash_script):
    assert bash_complete(bash_script, "hvplanner", "size", "--ro") == {"--round"}
    assert bash_complete(bash_script, "hvplanner", "size", "--round", "") == {"none", "pow2"}
    assert bash_complete(bash_script, "hvplanner", "completion", "") == {"bash", "zsh", "fish"}
    assert bash_complete(bash_script, "hvplanner", "export", "p.json", "--no") == {"--no-placement"}
    assert "--install-desktop-entry" in bash_complete(bash_script, "hvplanner", "--in")
    # --hypervisor offers the catalog's entries.
    keys = {p.key for p in load_catalog().ordered()}
    offered = bash_complete(bash_script, "hvplanner", "size", "--hypervisor", "hyper-v@")
    assert offered == {k for k in keys if k.startswith("hyper-v@")} and len(offered) > 1
    # Past the subcommand, its options only.
    assert "--round" not in bash_complete(bash_script, "hvplanner", "place", "--")


def test_hvplanner_gui_completes_the_window_arguments(bash_script, tmp_path, capsys):
    assert bash_complete(bash_script, "hvplanner-gui", "--scr") == {"--screenshot"}
    assert "size" not in bash_complete(bash_script, "hvplanner-gui", "s")
    if shutil.which("fish"):
        fish_script = tmp_path / "hvplanner.fish"
        fish_script.write_text(script("fish", capsys))
        done = subprocess.run(
            ["fish", "--no-config", "-c", f"source {fish_script}; complete -C 'hvplanner-gui --s'"],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        )
        assert {row.split("\t")[0] for row in done.stdout.splitlines()} == {
            "--screenshot",
            "--select",
            "--size",
        }


def test_bash_registers_for_both_programs(bash_script):
    done = subprocess.run(
        ["bash", "--norc", "-c", f"source {bash_script}; complete -p hvplanner hvplanner-gui"],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    assert done.stdout.count("-F _hvplanner") == 2


@pytest.mark.skipif(shutil.which("fish") is None, reason="fish is not installed")
def test_fish_completes_subcommands_and_values(tmp_path, capsys):
    path = tmp_path / "hvplanner.fish"
    path.write_text(script("fish", capsys))

    def complete(line: str) -> set[str]:
        done = subprocess.run(
            ["fish", "--no-config", "-c", f"source {path}; complete -C {shlex.quote(line)}"],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        )
        return {row.split("\t")[0] for row in done.stdout.splitlines()}

    assert complete("hvplanner si") == {"simulate", "size"}
    assert complete("hvplanner size --round ") == {"none", "pow2"}
    assert complete("hvplanner completion ") == {"bash", "zsh", "fish"}
    assert complete("hvplanner place --ti") == {"--time-limit"}


ZPTY = """
zmodload zsh/zpty
zpty z zsh -f -i
zpty -w z "PROMPT=''; fpath=($1 \\$fpath); autoload -U compinit; compinit -u -D"
zpty -w z "compadd() { local -a r; builtin compadd -O r \\"\\$@\\"; print -rl -- \\$r >> $2; \\
builtin compadd \\"\\$@\\" }"
zpty -w z "$3"$'\\t'
for i in {1..50}; do [[ -s $2 ]] && break; sleep 0.1; done
sleep 0.3
zpty -d z
"""


@pytest.mark.skipif(shutil.which("zsh") is None, reason="zsh is not installed")
def test_zsh_completes_subcommands_and_values(tmp_path, capsys):
    fpath = tmp_path / "functions"
    fpath.mkdir()
    (fpath / "_hvplanner").write_text(script("zsh", capsys))
    driver = tmp_path / "drive.zsh"
    driver.write_text(ZPTY)

    def complete(line: str) -> set[str]:
        out = tmp_path / "offered"
        out.unlink(missing_ok=True)
        subprocess.run(
            ["zsh", "-f", str(driver), str(fpath), str(out), line], timeout=30, check=True
        )
        return set(out.read_text().split()) if out.exists() else set()

    assert complete("hvplanner si") == {"simulate", "size"}
    assert complete("hvplanner size --round ") == {"none", "pow2"}
    assert complete("hvplanner place --ti") == {"--time-limit"}
    assert complete("hvplanner-gui --scr") == {"--screenshot"}


def _parsers() -> list[tuple[str, argparse.ArgumentParser]]:
    root = build_parser()
    found = [("hvplanner", root)]
    for action in root._actions:
        if isinstance(action, argparse._SubParsersAction):
            found += [(f"hvplanner {n}", p) for n, p in action.choices.items()]
    return found


@pytest.mark.parametrize(("name", "parser"), _parsers(), ids=lambda x: str(x).split()[-1])
def test_every_help_ends_with_examples_that_parse(name, parser):
    text = parser.format_help().rstrip()
    head, _, block = text.rpartition("\n\nExample")
    assert head and block.startswith(("s:\n", ":\n")), f"{name} --help ends with: {text[-200:]}"
    lines = block.splitlines()[1:]
    assert lines and all(line.startswith("  hvplanner") for line in lines)
    root = build_parser()
    for line in lines:
        command = line.split(" > ")[0].split(" | ")[0]
        argv = shlex.split(command)[1:]
        if argv[0].endswith(".json"):  # a bare plan path opens the window
            argv = ["gui", *argv]
        root.parse_args(argv)  # raises on an example that no longer parses
        if name != "hvplanner":
            assert argv[0] == name.split()[1], f"{name}'s example runs {argv[0]}"
