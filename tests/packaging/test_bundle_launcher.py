"""The Linux bundle's launcher: it names the glibc the bundle needs instead of a loader error."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "packaging" / "pyinstaller"))
import launcher

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux bundles")


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    """A bundle folder whose program reports how it was started."""
    folder = tmp_path / "hvplanner"
    folder.mkdir()
    program = folder / "hvplanner"
    program.write_text('#!/bin/sh\necho "ran $*"\n')
    program.chmod(0o755)
    shutil.copy(shutil.which("true") or "/bin/true", folder / "libfake.so")
    return folder


def run(program: Path, tmp_path: Path, glibc: str | None) -> subprocess.CompletedProcess[str]:
    """Run `program` with a getconf that reports `glibc` (None: not a GNU libc system)."""
    fake = tmp_path / "bin"
    fake.mkdir(exist_ok=True)
    getconf = fake / "getconf"
    body = f'echo "glibc {glibc}"' if glibc else "exit 1"
    getconf.write_text(f"#!/bin/sh\n{body}\n")
    getconf.chmod(0o755)
    env = dict(os.environ, PATH=f"{fake}:{os.environ['PATH']}")
    return subprocess.run(
        [str(program), "size", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


def test_install_measures_the_need_and_puts_the_launcher_in_front(bundle, tmp_path):
    need = launcher.install_launcher(bundle)
    assert need >= (2, 2)  # /bin/true asks for some GLIBC_2.x symbol version
    assert (bundle / launcher.BINARY).is_file()
    assert f"need_minor={need[1]}" in (bundle / "hvplanner").read_text()
    res = run(bundle / "hvplanner", tmp_path, f"{need[0]}.{need[1]}")
    assert (res.returncode, res.stdout) == (0, "ran size --json\n")


def test_an_older_glibc_gets_one_line_naming_both_versions(bundle, tmp_path):
    program = bundle / "hvplanner"
    program.replace(bundle / launcher.BINARY)
    program.write_text(launcher.script((2, 36)))
    program.chmod(0o755)
    res = run(program, tmp_path, "2.34")  # RHEL 9
    assert res.returncode == 1 and not res.stdout
    assert res.stderr.count("\n") == 1
    assert "needs GNU libc 2.36 or newer" in res.stderr and "this system has 2.34" in res.stderr
    assert "Debian 12, Ubuntu 24.04, Fedora 37, RHEL 10" in res.stderr
    assert run(program, tmp_path, "2.35").returncode == 1  # Ubuntu 22.04
    assert run(program, tmp_path, "2.36").stdout == "ran size --json\n"
    assert run(program, tmp_path, "2.41").stdout == "ran size --json\n"
    assert run(program, tmp_path, "3.0").stdout == "ran size --json\n"
    res = run(program, tmp_path, None)  # musl (Alpine)
    assert res.returncode == 1 and "no GNU libc" in res.stderr


def test_a_symlink_to_the_launcher_finds_the_program(bundle, tmp_path):
    launcher.install_launcher(bundle)
    link = tmp_path / "hvplanner-link"
    link.symlink_to(bundle / "hvplanner")
    assert run(link, tmp_path, "9.99").stdout == "ran size --json\n"


def test_systems_named_for_a_need():
    assert launcher.systems((2, 28)) == "Debian 11, Ubuntu 20.04, Fedora 36, RHEL 8"
    assert launcher.systems((2, 35)) == "Debian 12, Ubuntu 22.04, Fedora 36, RHEL 10"
    assert launcher.systems((2, 40)) == "Debian 13"
