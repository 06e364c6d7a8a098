"""hvplanner's licence and the notices of everything it ships, checked against what is installed."""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import distribution
from pathlib import Path

from packaging.requirements import Requirement

from hvplanner import paths

REPO = Path(__file__).resolve().parents[1]
GPL3_FIRST_LINES = "GNU GENERAL PUBLIC LICENSE\nVersion 3, 29 June 2007"


def _key(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _sections() -> dict[str, dict[str, str]]:
    """NOTICES.md as {heading: {field: value}} (values joined across wrapped lines)."""
    out: dict[str, dict[str, str]] = {}
    fields: dict[str, str] = {}
    last = ""
    for line in paths.third_party_notices().read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            fields = out.setdefault(line[3:].strip(), {})
        elif m := re.match(r"- ([A-Z][\w ]+): (.*)", line):
            last = m.group(1)
            fields[last] = m.group(2)
        elif line.startswith("  ") and fields and last:
            fields[last] += " " + line.strip()
    return out


def _runtime_closure() -> set[str]:
    """Every distribution an install of hvplanner pulls in on this platform."""
    seen: set[str] = set()
    todo = [
        Requirement(r)
        for r in tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["dependencies"]
    ]
    while todo:
        req = todo.pop()
        if req.marker is not None and not req.marker.evaluate({"extra": ""}):
            continue
        if _key(req.name) in seen:
            continue
        seen.add(_key(req.name))
        todo.extend(Requirement(r) for r in distribution(req.name).requires or [])
    return seen


def test_the_project_licence_is_the_gpl3_and_agrees_everywhere():
    text = paths.license_file().read_text(encoding="utf-8")
    assert GPL3_FIRST_LINES in "\n".join(line.strip() for line in text.splitlines()[:3])
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert project["license"] == "GPL-3.0-or-later"
    assert project["license-files"] == ["LICENSE"]
    metainfo = (paths.desktop_dir() / f"{paths.APP_ID}.metainfo.xml").read_text()
    assert "<project_license>GPL-3.0-or-later</project_license>" in metainfo
    assert "GPL-3.0-or-later" in paths.third_party_notices().read_text(encoding="utf-8")


def test_every_runtime_dependency_has_a_notice_with_its_licence_text():
    sections = _sections()
    named = {
        _key(d.strip(" `"))
        for s in sections.values()
        for d in s.get("Distributions", "").split(",")
    }
    closure = _runtime_closure()
    assert {"pyside6-essentials", "shiboken6", "pyqtgraph", "numpy", "highspy"} <= closure
    missing = closure - named
    assert not missing, f"NOTICES.md has no section for {sorted(missing)}"
    for heading, fields in sections.items():
        assert fields.get("Licence") and fields.get("Copyright"), heading
        for name in re.findall(r"`([^`]+)`", fields["Files"]):
            where = paths.license_file() if name == "LICENSE" else paths.licenses_dir() / name
            assert where.is_file(), f"{heading}: {name} is not in {paths.licenses_dir()}"


def test_every_licence_file_is_named_by_a_notice():
    named = {n for s in _sections().values() for n in re.findall(r"`([^`]+)`", s["Files"])}
    shipped = {p.name for p in paths.licenses_dir().iterdir()} - {"NOTICES.md", "LICENSE"}
    assert shipped <= named, f"not named in NOTICES.md: {sorted(shipped - named)}"


def test_qt_is_used_under_the_lgpl3_and_its_text_is_the_lgpl3():
    qt = _sections()["Qt for Python (PySide6) and the Qt 6 libraries"]
    assert qt["Licence"].startswith("LGPL-3.0-only")
    lgpl = (paths.licenses_dir() / "LGPL-3.0.txt").read_text(encoding="utf-8")
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in lgpl and "Version 3, 29 June 2007" in lgpl
    installed = distribution("PySide6-Essentials").metadata
    assert "LGPL-3.0" in (installed.get("License-Expression") or installed.get("License") or "")


def test_version_names_the_licence_and_where_the_notices_are(capsys):
    from hvplanner.cli import main

    assert main(["--version"]) == 0
    first, licence, notices = capsys.readouterr().out.splitlines()
    assert first.startswith("hvplanner ")
    assert licence.startswith("Licence: GPL-3.0-or-later (")
    assert str(paths.license_file()) in licence
    assert notices == f"Third-party notices: {paths.third_party_notices()}"
