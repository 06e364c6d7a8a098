"""Translation-ready: the template is generated from the code, a translation changes the
window's text, Qt's own strings follow the locale, and numbers use the locale's digits."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale

from hvplanner import text as numbers
from hvplanner.ui import i18n
from tests.ui.conftest import small_plan

ROOT = Path(__file__).parents[2]
BIN = Path(sys.executable).parent


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(BIN)) or shutil.which(name)
    assert found, f"{name} missing: it comes with the PySide6-Essentials wheel"
    return found


@pytest.fixture
def template(tmp_path) -> Path:
    """What `make translations` runs, into a scratch file."""
    out = tmp_path / "hvplanner.ts"
    sources = sorted(
        str(p) for part in ("ui", "painting") for p in (ROOT / "hvplanner" / part).rglob("*.py")
    )
    subprocess.run(
        [
            _tool("pyside6-lupdate"),
            "-no-obsolete",
            "-source-language",
            "en",
            *sources,
            "-ts",
            str(out),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return out


def test_template_holds_the_windows_text(template):
    text = template.read_text(encoding="utf-8")
    assert text.count("<message") >= 100
    for source in (
        "&amp;File",
        "Zoom &amp;In",
        "Filter VMs",
        "&amp;Theme",
        "Hypervisor comparison",
    ):
        assert f"<source>{source}</source>" in text, source
    shipped = (ROOT / "resources" / "translations" / "hvplanner.ts").read_text(encoding="utf-8")
    assert "<source>&amp;File</source>" in shipped


def test_a_translation_changes_the_menus(qtbot, template, tmp_path, monkeypatch, make_window):
    """A translator's file for German, made from the template: the File menu says Datei."""
    ts = tmp_path / "hvplanner_de.ts"
    text = template.read_text(encoding="utf-8").replace(
        '<source>&amp;File</source>\n        <translation type="unfinished"></translation>',
        "<source>&amp;File</source>\n        <translation>&amp;Datei</translation>",
    )
    assert "&amp;Datei" in text
    ts.write_text(text, encoding="utf-8")
    subprocess.run(
        [_tool("pyside6-lrelease"), str(ts)], check=True, capture_output=True, timeout=60
    )
    monkeypatch.setattr(i18n, "translations_dir", lambda: str(tmp_path))
    app = QCoreApplication.instance()
    translators = i18n.install_translators(app, QLocale("de_DE"))
    try:
        files = [t.filePath() for t in translators]
        assert any(f.endswith("hvplanner_de.qm") for f in files)
        assert any(Path(f).name == "qtbase_de.qm" for f in files), files
        window = make_window(small_plan())
        menus = [a.text() for a in window.menuBar().actions()]
        assert "&Datei" in menus
        assert "&Edit" in menus  # not translated in this file: English stays
    finally:
        for t in translators:
            app.removeTranslator(t)


def test_qt_own_strings_follow_the_locale():
    app = QCoreApplication.instance()
    translators = i18n.install_translators(app, QLocale("de_DE"))
    try:
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Abbrechen"
    finally:
        for t in translators:
            app.removeTranslator(t)
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"


def test_an_unknown_locale_keeps_english(tmp_path, monkeypatch):
    monkeypatch.setattr(i18n, "translations_dir", lambda: str(tmp_path))
    assert i18n.install_translators(QCoreApplication.instance(), QLocale("tlh")) == []


@pytest.fixture
def german():
    QLocale.setDefault(QLocale("de_DE"))
    yield
    QLocale.setDefault(QLocale.system())


def test_window_numbers_use_the_locale_and_files_do_not(german, qtbot):
    assert i18n.fmt(1234.5) == "1.234,5"
    assert i18n.fmt(20000) == "20.000"
    assert i18n.plural(2, "host", "hosts") == "2 hosts"
    # The CLI, plan files, CSV and PDF use hvplanner.text: the same in every locale.
    assert numbers.fmt(1234.5) == "1,234.5"


def test_window_numbers_match_the_files_in_english():
    QLocale.setDefault(QLocale("en_US"))
    try:
        for v in (0, 8.0, 406.75, 20000, 1234567.891, 0.5, -3.25):
            assert i18n.fmt(v) == numbers.fmt(v)
    finally:
        QLocale.setDefault(QLocale.system())


def _german(template: Path, tmp_path: Path, source: str, translation: str) -> None:
    ts = tmp_path / "hvplanner_de.ts"
    old = f'<source>{source}</source>\n        <translation type="unfinished"></translation>'
    text = template.read_text(encoding="utf-8")
    assert old in text, source
    ts.write_text(
        text.replace(
            old, f"<source>{source}</source>\n        <translation>{translation}</translation>"
        ),
        encoding="utf-8",
    )
    subprocess.run(
        [_tool("pyside6-lrelease"), str(ts)], check=True, capture_output=True, timeout=60
    )


def test_painted_words_follow_the_window_and_the_pdf_keeps_english(
    qtbot, template, tmp_path, monkeypatch, make_window
):
    """The canvas draws the tray's hint translated; the PDF draws the same picture through
    painting's default words, in English."""
    from hvplanner.painting.cards import tray_hint

    english = "Every VM is on a host. Drop VMs here to unplace them."
    _german(template, tmp_path, english, "Jede VM hat einen Host.")
    monkeypatch.setattr(i18n, "translations_dir", lambda: str(tmp_path))
    app = QCoreApplication.instance()
    translators = i18n.install_translators(app, QLocale("de_DE"))
    try:
        window = make_window(small_plan())
        tray = window.scene.tray
        assert tray.plan_vms and tray.hint() == "Jede VM hat einen Host."
        assert tray_hint(tray.plan_vms, tray.plan_hosts, False) == english  # the PDF's words
    finally:
        for t in translators:
            app.removeTranslator(t)
