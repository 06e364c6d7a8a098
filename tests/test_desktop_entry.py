"""The desktop integration files and `hvplanner --install-desktop-entry` / `--uninstall-…`."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from hvplanner import __version__, desktop_entry
from hvplanner.cli import main
from hvplanner.paths import APP_ID, app_icon, desktop_dir, icons_dir

REPO = Path(__file__).resolve().parents[1]
LINUX = REPO / "packaging" / "linux"
DESKTOP_SRC = LINUX / f"{APP_ID}.desktop"
METAINFO_SRC = LINUX / f"{APP_ID}.metainfo.xml"
MIME_SRC = LINUX / f"{APP_ID}.mime.xml"
PNG_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} missing (packaging/linux/ensure-desktop-tools.sh installs it)")
    return path


def _validate_desktop(path: Path) -> None:
    done = subprocess.run(
        [_tool("desktop-file-validate"), str(path)], capture_output=True, text=True, check=False
    )
    # Hints are advice; errors and warnings are not accepted.
    problems = [line for line in done.stdout.splitlines() if "error:" in line or "warning:" in line]
    assert done.returncode == 0 and not problems, done.stdout + done.stderr


def _validate_metainfo(path: Path) -> None:
    done = subprocess.run(
        [_tool("appstreamcli"), "validate", "--no-net", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture
def xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "share"
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    return home


def _expected(home: Path) -> list[Path]:
    icons = home / "icons" / "hicolor"
    return [
        home / "applications" / f"{APP_ID}.desktop",
        home / "metainfo" / f"{APP_ID}.metainfo.xml",
        home / "mime" / "packages" / f"{APP_ID}.xml",
        icons / "scalable" / "apps" / f"{APP_ID}.svg",
        *(icons / f"{n}x{n}" / "apps" / f"{APP_ID}.png" for n in PNG_SIZES),
    ]


# -- the source files -------------------------------------------------------------------


def test_source_checkout_finds_the_packaging_files() -> None:
    assert desktop_dir() == LINUX
    assert app_icon().is_file()
    assert icons_dir() == REPO / "resources" / "icons"


def test_desktop_file_validates() -> None:
    _validate_desktop(DESKTOP_SRC)


def test_metainfo_validates() -> None:
    _validate_metainfo(METAINFO_SRC)


def test_metainfo_agrees_with_the_package() -> None:
    root = ET.parse(METAINFO_SRC).getroot()
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable") == f"{APP_ID}.desktop"
    assert next(r.get("version") for r in root.iter("release")) == __version__
    shots = [(img.text or "").rsplit("/", 1)[-1] for img in root.iter("image")]
    assert shots, "no screenshots"
    for name in shots:  # every picture the store shows is one `make screenshots` renders
        assert (REPO / "docs" / "screenshots" / name).is_file(), name
    assert [c.get("type") for c in root.iter("content_rating")] == ["oars-1.1"]
    assert desktop_entry.MIME_TYPE in [m.text for m in root.iter("mediatype")]


def test_mime_type_matches_plan_files() -> None:
    ns = {"m": "http://www.freedesktop.org/standards/shared-mime-info"}
    kind = ET.parse(MIME_SRC).getroot().find("m:mime-type", ns)
    assert kind is not None and kind.get("type") == desktop_entry.MIME_TYPE
    assert [g.get("pattern") for g in kind.findall("m:glob", ns)] == ["*.hvplan.json"]
    assert f"MimeType={desktop_entry.MIME_TYPE};" in DESKTOP_SRC.read_text().splitlines()


def test_icon_sizes_are_committed() -> None:
    hicolor = icons_dir() / "hicolor"
    for n in PNG_SIZES:
        png = (hicolor / f"{n}x{n}" / "apps" / f"{APP_ID}.png").read_bytes()
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
        assert (width, height) == (n, n)
    assert ET.parse(app_icon()).getroot().get("viewBox") == "0 0 128 128"


# -- Exec quoting -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arg", "quoted"),
    [
        ("/usr/bin/hvplanner-gui", "/usr/bin/hvplanner-gui"),
        ("/home/a b/bin/hvplanner-gui", '"/home/a b/bin/hvplanner-gui"'),
        ("/opt/$x/100%", '"/opt/\\\\$x/100%%"'),
        ('/q"uote', '"/q\\\\"uote"'),
        ("C:\\bin", '"C:\\\\\\\\bin"'),
        ("", '""'),
    ],
)
def test_exec_arguments_are_quoted_as_the_spec_asks(arg: str, quoted: str) -> None:
    assert desktop_entry.quote_exec_arg(arg) == quoted


def test_exec_with_awkward_path_still_validates(tmp_path: Path) -> None:
    command = ["/opt/my apps/$HOME/hvplanner 100%/python", "-m", "hvplanner", "gui"]
    text = desktop_entry.render_desktop_file(DESKTOP_SRC.read_text(), command)
    out = tmp_path / f"{APP_ID}.desktop"
    out.write_text(text)
    assert 'Exec="/opt/my apps/\\\\$HOME/hvplanner 100%%/python" -m hvplanner gui %f' in text
    _validate_desktop(out)


# -- the launcher -----------------------------------------------------------------------


def test_launcher_is_the_gui_script_beside_the_interpreter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = tmp_path / "hvplanner-gui"
    script.write_text("#!/bin/sh\n")
    script.chmod(0o755)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))
    assert desktop_entry.launcher_command() == [str(script)]


def test_launcher_falls_back_to_python_m(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))
    monkeypatch.setenv("PATH", str(tmp_path))
    assert desktop_entry.launcher_command() == [str(tmp_path / "python"), "-m", "hvplanner", "gui"]


def test_launcher_of_a_bundle_is_the_bundle(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "hvplanner"))
    assert desktop_entry.launcher_command() == [str(tmp_path / "hvplanner"), "gui"]


# -- install and uninstall --------------------------------------------------------------


def test_install_then_uninstall(xdg: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--install-desktop-entry"]) == 0
    out = capsys.readouterr().out
    assert f"installed 13 files under {xdg}" in out
    for path in _expected(xdg):
        assert path.is_file(), path
    entry = xdg / "applications" / f"{APP_ID}.desktop"
    launcher = desktop_entry.launcher_command()
    assert f"Exec={desktop_entry.exec_value(launcher)}" in entry.read_text().splitlines()
    assert (xdg / "metainfo" / f"{APP_ID}.metainfo.xml").read_bytes() == METAINFO_SRC.read_bytes()
    _validate_desktop(entry)
    _validate_metainfo(xdg / "metainfo" / f"{APP_ID}.metainfo.xml")

    assert main(["--uninstall-desktop-entry"]) == 0
    assert f"removed 13 files under {xdg}" in capsys.readouterr().out
    for path in _expected(xdg):
        assert not path.exists(), path
    assert not list(xdg.rglob(f"{APP_ID}*"))


def test_install_registers_the_plan_type(xdg: Path) -> None:
    _tool("update-mime-database")
    report = desktop_entry.install()
    assert "update-mime-database: done" in report.notes
    globs = (xdg / "mime" / "globs2").read_text()
    assert f"{desktop_entry.MIME_TYPE}:*.hvplan.json" in globs
    desktop_entry.uninstall()
    assert "*.hvplan.json" not in (xdg / "mime" / "globs2").read_text()


def test_install_twice_replaces_and_refreshes_an_existing_icon_cache(xdg: Path) -> None:
    desktop_entry.install()
    cache = xdg / "icons" / "hicolor" / "icon-theme.cache"
    cache.write_bytes(b"stale")
    report = desktop_entry.install()
    assert len(report.files) == 13
    if shutil.which("gtk-update-icon-cache"):
        assert "gtk-update-icon-cache: done" in report.notes
        assert cache.read_bytes() != b"stale"


def test_missing_tools_are_skipped(xdg: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(desktop_entry.shutil, "which", lambda name: None)
    report = desktop_entry.install()
    assert "update-desktop-database not installed: skipped" in report.notes
    assert all(path.is_file() for path in _expected(xdg))


def test_relative_xdg_data_home_is_ignored(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", "relative/share")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert desktop_entry.data_home() == tmp_path / ".local" / "share"


def test_unwritable_target_is_one_line(xdg: Path, capsys: pytest.CaptureFixture[str]) -> None:
    xdg.mkdir()
    (xdg / "applications").write_text("a file where a folder should be")
    assert main(["--install-desktop-entry"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("hvplanner: --install-desktop-entry: cannot write ")
    assert "\n" not in err


def test_other_platforms_are_told_to_use_the_bundle(
    xdg: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "platform", "win32")
    assert main(["--install-desktop-entry"]) == 2
    assert "on Windows and macOS use the standalone bundle" in capsys.readouterr().err
    assert not xdg.exists()


def test_flags_take_no_other_arguments(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--install-desktop-entry", "--uninstall-desktop-entry"]) == 2
    assert "takes no other arguments" in capsys.readouterr().err


def test_help_lists_the_flags(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "--install-desktop-entry" in out and "--uninstall-desktop-entry" in out
