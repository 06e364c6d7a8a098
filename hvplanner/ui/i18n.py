"""Translation-ready text and locale-aware numbers for the window.

User-visible text in `ui/` goes through `translate(context, text)`: `make translations`
runs `pyside6-lupdate` over the package and writes the template
`resources/translations/hvplanner.ts`; a translator's `hvplanner_<lang>.qm` beside
it is loaded for that locale. English is the only language shipped. Qt's own strings (the
buttons of standard dialogs, the context menu of a text field) come translated from Qt's
translations for the system locale.

Numbers the window shows use the system locale's digits and separators (`fmt`, `plural`);
the command line, plan files, CSV and the PDF stay locale-independent (`hvplanner.text`).
"""

from __future__ import annotations

import math
import threading

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from hvplanner.painting.words import QT_TRANSLATE_NOOP
from hvplanner.paths import resources_dir

__all__ = [
    "QT_TRANSLATE_NOOP",
    "fixed",
    "fmt",
    "install_translators",
    "painted",
    "plural",
    "translate",
]

# Tables of labels built at import time mark their text with `QT_TRANSLATE_NOOP(context,
# text)` (which returns the text unchanged) so lupdate extracts it, and translate it with
# the same context where it is shown: at import no translator is installed yet.


def translations_dir() -> str:
    return str(resources_dir() / "translations")


def translate(context: str, text: str, disambiguation: str | None = None, n: int = -1) -> str:
    """`QCoreApplication.translate`, under a name `pyside6-lupdate` finds in Python files."""
    return QCoreApplication.translate(context, text, disambiguation, n)


def painted(text: str) -> str:
    """The words `hvplanner.painting` draws, in the window's language (the PDF passes
    nothing and keeps English)."""
    return QCoreApplication.translate("painting", text)


def install_translators(app: QCoreApplication, locale: QLocale | None = None) -> list[QTranslator]:
    """Loads Qt's own translations and hvplanner's for `locale` (the system's); returns the
    translators installed. A locale without a translation keeps English, silently."""
    locale = locale or QLocale()
    loaded: list[QTranslator] = []
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name, folder in (("qtbase", qt_dir), ("hvplanner", translations_dir())):
        translator = QTranslator(app)
        if translator.load(locale, name, "_", folder):
            app.installTranslator(translator)
            loaded.append(translator)
        else:
            translator.deleteLater()
    return loaded


# The grouping locale built for the current default, per thread (the placement worker
# formats its progress text too): setting the number options costs more than the
# formatting, and a table formats a number per cell.
_cached = threading.local()


def _locale() -> QLocale:
    base = QLocale()
    if getattr(_cached, "base", None) != base:
        fresh = QLocale(base)
        # The C locale omits group separators by default; the window always groups thousands.
        fresh.setNumberOptions(fresh.numberOptions() & ~QLocale.NumberOption.OmitGroupSeparator)
        _cached.base, _cached.locale = base, fresh
    locale: QLocale = _cached.locale
    return locale


def fmt(x: float, digits: int = 2) -> str:
    """`hvplanner.text.fmt` in the system locale: 406.75 → '406,75' in German."""
    if math.isnan(x):
        return translate("numbers", "unknown")
    if math.isinf(x):
        return "∞"
    locale = _locale()
    r = round(x, digits)
    if r == int(r):
        return locale.toString(int(r))
    text = locale.toString(float(r), "f", digits)
    point = locale.decimalPoint()
    return text.rstrip("0").rstrip(point) if point in text else text


def fixed(x: float, digits: int) -> str:
    """`x` with exactly `digits` decimals in the system locale: 1.0 → '1.00' ('1,00')."""
    return _locale().toString(float(x), "f", digits)


def plural(n: float, one: str, many: str) -> str:
    """'1 host', '2 hosts' with the count in the system locale; both words come translated
    (a language whose plural is not an English-like "s" gets its own `many`)."""
    return f"{fmt(n)} {one if n == 1 else many}"
