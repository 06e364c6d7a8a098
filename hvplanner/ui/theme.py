"""Light, dark or the system's theme, and the colour set that matches the window's palette.

Every colour the window draws comes from the palette or from `painting.style`'s light/dark
pair, chosen by the palette's lightness: so a desktop that switches to dark (Qt's
`colorSchemeChanged`, or any palette change) repaints the canvas, the charts, the diagrams
and the compare table in the dark set. `--theme light|dark` and View ▸ Theme force one.
"""

from __future__ import annotations

import weakref
from typing import Literal

from PySide6.QtCore import QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QMenu, QWidget
from shiboken6 import isValid

from hvplanner.painting.style import Colours, colours_for
from hvplanner.ui.i18n import QT_TRANSLATE_NOOP, translate

Mode = Literal["system", "light", "dark"]
MODES: tuple[Mode, ...] = ("system", "light", "dark")

Role = Literal["error", "warning", "good", "muted"]


def palette_is_dark(palette: QPalette) -> bool:
    """Dark when the window background is darker than its text (as Qt's own themes decide)."""
    window = palette.color(QPalette.ColorRole.Window)
    text = palette.color(QPalette.ColorRole.WindowText)
    return window.lightnessF() < text.lightnessF()


# The last palette read (its cache key, which any change to it changes) and whether it is
# dark: every canvas item asks at every paint, and reading two of its colours costs five
# times what the key does.
_last_palette: list[tuple[int, bool]] = [(-1, False)]


def colours() -> Colours:
    """The colour set for the application's palette now."""
    app = QGuiApplication.instance()
    if not isinstance(app, QGuiApplication):
        return colours_for(False)
    palette = QGuiApplication.palette()
    key = palette.cacheKey()
    seen, dark = _last_palette[0]
    if key != seen:
        dark = palette_is_dark(palette)
        _last_palette[0] = (key, dark)
    return colours_for(dark)


def role_colour(role: Role) -> QColor:
    c = colours()
    return {"error": c.error, "warning": c.warning, "good": c.good, "muted": c.muted}[role]


def hex_of(role: Role) -> str:
    """For rich text in labels: the role's colour as #rrggbb for the current theme."""
    return role_colour(role).name()


def _palette(dark: bool) -> QPalette:
    """A complete palette for a forced theme, so every style draws it the same."""
    R = QPalette.ColorRole  # noqa: N806  (an alias of an enum, named like one)
    if dark:
        window, text, base, alt, button = "#2b2e33", "#e6e8eb", "#1f2226", "#272a2f", "#33373d"
        highlight, htext, link, muted = "#3d6fb5", "#ffffff", "#8ab4ff", "#9aa1ab"
        tip_back, tip_text = "#3a3f46", "#e6e8eb"
    else:
        window, text, base, alt, button = "#efefef", "#1f2328", "#ffffff", "#f5f6f7", "#efefef"
        highlight, htext, link, muted = "#2f6fd0", "#ffffff", "#1d4ed8", "#6b7079"
        tip_back, tip_text = "#ffffdc", "#1f2328"
    p = QPalette(QColor(button), QColor(window))
    for role, value in (
        (R.Window, window),
        (R.WindowText, text),
        (R.Base, base),
        (R.AlternateBase, alt),
        (R.Text, text),
        (R.Button, button),
        (R.ButtonText, text),
        (R.BrightText, "#ffffff"),
        (R.Highlight, highlight),
        (R.HighlightedText, htext),
        (R.Link, link),
        (R.LinkVisited, link),
        (R.ToolTipBase, tip_back),
        (R.ToolTipText, tip_text),
        (R.PlaceholderText, muted),
    ):
        p.setColor(role, QColor(value))
    for role in (R.WindowText, R.Text, R.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor(muted))
    return p


class Theme(QObject):
    """The application's one theme. `changed` fires after the palette (and so the colour set)
    changed, for whatever reason: a forced mode, or the desktop switching light/dark."""

    changed = Signal()

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.app = app
        self.mode: Mode = "system"
        self._dark = palette_is_dark(app.palette())
        self._roles: weakref.WeakKeyDictionary[QWidget, Role] = weakref.WeakKeyDictionary()
        app.styleHints().colorSchemeChanged.connect(self._scheme_changed)
        # A signal, not an event filter on the application: that filter would run Python
        # for every event of every object, each call waiting for the interpreter lock
        # while a worker computes, and the window would stall during every background job.
        app.paletteChanged.connect(self._palette_changed)

    @property
    def dark(self) -> bool:
        return palette_is_dark(self.app.palette())

    def set_mode(self, mode: Mode) -> None:
        if mode not in MODES:
            raise ValueError(f"theme {mode!r}: choose one of {', '.join(MODES)}")
        self.mode = mode
        hints = self.app.styleHints()
        if mode == "system":
            hints.unsetColorScheme()
            # An empty palette resolves to the platform's own, light or dark as the desktop is.
            self.app.setPalette(QPalette())
        else:
            hints.setColorScheme(Qt.ColorScheme.Dark if mode == "dark" else Qt.ColorScheme.Light)
            self.app.setPalette(_palette(mode == "dark"))
        self._check()

    def colour_label(self, widget: QWidget, role: Role) -> None:
        """Text of `widget` in a verdict colour (error, warning …) that follows the theme."""
        self._roles[widget] = role
        self._apply_role(widget, role)

    def _apply_role(self, widget: QWidget, role: Role) -> None:
        pal = widget.palette()
        pal.setColor(QPalette.ColorRole.WindowText, role_colour(role))
        pal.setColor(QPalette.ColorRole.Text, role_colour(role))
        widget.setPalette(pal)

    def _scheme_changed(self, scheme: Qt.ColorScheme) -> None:
        # The platform updates the palette itself; a forced mode keeps its own.
        if self.mode != "system":
            self.app.setPalette(_palette(self.mode == "dark"))
        self._check()

    def _palette_changed(self, _palette: QPalette) -> None:
        # Later: the receivers repaint outside Qt's palette propagation, where an error in
        # one of them could not be reported.
        QTimer.singleShot(0, self, self._check)

    def _check(self) -> None:
        dark = self.dark
        if dark == self._dark:
            return
        self._dark = dark
        for widget, role in list(self._roles.items()):
            if isValid(widget):  # a closed dialog's label may outlive its C++ object
                self._apply_role(widget, role)
            else:
                del self._roles[widget]
        self.changed.emit()


def theme() -> Theme:
    """The application's theme, made on first use and kept as a child of the application."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    found = app.findChild(Theme)
    return found if isinstance(found, Theme) else Theme(app)


SETTING = "view/theme"
MODE_LABELS: dict[Mode, str] = {
    "system": QT_TRANSLATE_NOOP("theme", "&System"),
    "light": QT_TRANSLATE_NOOP("theme", "&Light"),
    "dark": QT_TRANSLATE_NOOP("theme", "&Dark"),
}
MODE_TIPS: dict[Mode, str] = {
    "system": QT_TRANSLATE_NOOP("theme", "Follow the desktop's light or dark setting"),
    "light": QT_TRANSLATE_NOOP("theme", "Always use light colours"),
    "dark": QT_TRANSLATE_NOOP("theme", "Always use dark colours"),
}


def saved_mode(settings: QSettings) -> Mode:
    value = settings.value(SETTING, "system")
    return value if value in MODES else "system"  # type: ignore[return-value]


def add_theme_menu(parent: QMenu, settings: QSettings) -> QMenu:
    """View ▸ Theme: System, Light, Dark; the choice applies at once and is kept."""
    menu = parent.addMenu(translate("theme", "&Theme"))
    menu.setObjectName("theme_menu")
    group = QActionGroup(menu)
    group.setExclusive(True)
    current = theme().mode
    for mode in MODES:
        action = QAction(translate("theme", MODE_LABELS[mode]), menu)
        action.setObjectName(f"theme_{mode}")
        action.setCheckable(True)
        action.setChecked(mode == current)
        action.setStatusTip(translate("theme", MODE_TIPS[mode]))
        group.addAction(action)
        menu.addAction(action)

        def choose(checked: bool, m: Mode = mode) -> None:
            if checked:
                theme().set_mode(m)
                settings.setValue(SETTING, m)

        action.toggled.connect(choose)
    return menu
