"""The Help menu: the user manual (F1), the keyboard shortcuts and About.

The manual is HTML bundled with the package (`resources/manual/`), shown in a
QTextBrowser so that it works offline and its links between sections work; "Open in
Browser" hands the same file to the desktop's browser.
"""

from __future__ import annotations

import html
from importlib import metadata
from pathlib import Path

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QObject, Qt, QUrl, qVersion
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMenu,
    QMenuBar,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from hvplanner import __version__
from hvplanner.catalog import load_catalog
from hvplanner.paths import resources_dir
from hvplanner.ui.i18n import QT_TRANSLATE_NOOP, translate

# What the other packages the application runs on are, and under which licences; read from
# their installed metadata so that the figures are those of this installation.
THIRD_PARTY = ("PySide6_Essentials", "shiboken6", "pyqtgraph", "pydantic", "numpy")

# Gestures that are not menu actions, so the shortcut list cannot read them from a menu.
# (keys, what they do), translated in "ShortcutsDialog" when the list is shown.
GESTURES = (
    (
        QT_TRANSLATE_NOOP("ShortcutsDialog", "Ctrl+Wheel"),
        QT_TRANSLATE_NOOP("ShortcutsDialog", "Zoom the layout in or out"),
    ),
    (
        QT_TRANSLATE_NOOP("ShortcutsDialog", "Middle-button drag"),
        QT_TRANSLATE_NOOP("ShortcutsDialog", "Pan the layout"),
    ),
    (
        QT_TRANSLATE_NOOP("ShortcutsDialog", "Drag a chip"),
        QT_TRANSLATE_NOOP(
            "ShortcutsDialog", "Move the VM (or every selected VM) to another host or the tray"
        ),
    ),
    (
        QT_TRANSLATE_NOOP("ShortcutsDialog", "Shift while dropping a template"),
        QT_TRANSLATE_NOOP("ShortcutsDialog", "Ask how many VMs to add"),
    ),
    (
        QT_TRANSLATE_NOOP("ShortcutsDialog", "Drag on empty canvas"),
        QT_TRANSLATE_NOOP("ShortcutsDialog", "Select the chips and cards the rectangle touches"),
    ),
    (
        QT_TRANSLATE_NOOP("ShortcutsDialog", "Ctrl+Click"),
        QT_TRANSLATE_NOOP("ShortcutsDialog", "Add a chip or card to the selection"),
    ),
    (
        QT_TRANSLATE_NOOP("ShortcutsDialog", "Double-click a chip"),
        QT_TRANSLATE_NOOP("ShortcutsDialog", "Edit the VM in the Inspector"),
    ),
    (
        QT_TRANSLATE_NOOP("ShortcutsDialog", "Escape (in a question)"),
        QT_TRANSLATE_NOOP("ShortcutsDialog", "Cancel: nothing is lost"),
    ),
)


def manual_path() -> Path:
    return resources_dir() / "manual" / "index.html"


def licence_name(distribution: str) -> str:
    """The licence a distribution declares (SPDX expression, else its License field)."""
    try:
        meta = metadata.metadata(distribution)
    except metadata.PackageNotFoundError:
        return translate("HelpActions", "not installed")
    text = meta.get("License-Expression") or meta.get("License") or ""
    if not text or len(text) > 80:  # some packages put the whole licence text there
        classifiers = [c.rsplit("::", 1)[-1].strip() for c in meta.get_all("Classifier") or []]
        found = [c for c in classifiers if "License" in c]
        text = ", ".join(found) or translate("HelpActions", "see the package")
    return text


def _bundled(name: str) -> Path | None:
    """A file `hvplanner.paths` names (the notices, the licence text), if this installation
    has it. The functions come with the licence files; until then About reads licences
    from the installed packages' metadata alone."""
    from hvplanner import paths

    where = getattr(paths, name, None)
    path = where() if callable(where) else None
    return path if isinstance(path, Path) and path.is_file() else None


def notices_file() -> Path | None:
    return _bundled("third_party_notices")


def licence_file() -> Path | None:
    return _bundled("license_file")


def third_party_licences() -> str:
    """One line per package hvplanner runs on: name, installed version, licence."""
    lines = []
    for dist in THIRD_PARTY:
        try:
            version = metadata.version(dist)
        except metadata.PackageNotFoundError:
            continue
        lines.append(f"{dist} {version}: {licence_name(dist)}")
    return "\n".join(lines)


def catalog_date() -> str:
    """The newest date a catalog source was read: how current the limits are."""
    dates = [s.read for s in load_catalog().sources.values()]
    return max(dates) if dates else translate("HelpActions", "unknown")


def about_text() -> str:
    rows = [
        (translate("HelpActions", "Version"), __version__),
        (translate("HelpActions", "Licence"), licence_name("hvplanner")),
        ("Qt", qVersion()),
        ("PySide6", pyside_version),
        (
            translate("HelpActions", "Hypervisor catalog"),
            translate("HelpActions", "sources read up to {date}").format(date=catalog_date()),
        ),
    ]
    table = "".join(
        f"<tr><td><b>{html.escape(k)}</b></td><td>{html.escape(v)}</td></tr>" for k, v in rows
    )
    notices = html.escape(third_party_licences()).replace("\n", "<br>")
    summary = translate(
        "HelpActions",
        "Plans virtualization: sizes hosts with the formula and cited limit behind every "
        "figure, packs VMs onto the fewest hosts, simulates their load and compares "
        "hypervisors. It works offline; nothing is sent anywhere.",
    )
    third = translate("HelpActions", "Third-party software")
    return (
        f"<h3>hvplanner</h3><p>{summary}</p>"
        f"<table cellspacing='4'>{table}</table>"
        f"<p><b>{third}</b><br>{notices}</p>"
    )


def shortcut_rows(menu_bar: QMenuBar) -> list[tuple[str, str, str]]:
    """(menu, command, keys) for every menu entry with a shortcut, in menu order."""
    rows: list[tuple[str, str, str]] = []

    def walk(menu: QMenu, where: str) -> None:
        for action in menu.actions():
            sub = action.menu()
            if isinstance(sub, QMenu):
                walk(sub, f"{where} ▸ {action.text().replace('&', '')}")
                continue
            keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts()]
            if keys and action.text():
                name = action.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
                rows.append((where, name, ", ".join(keys)))

    for top in menu_bar.actions():
        menu = top.menu()
        if isinstance(menu, QMenu):
            walk(menu, top.text().replace("&", ""))
    return rows


class ManualWindow(QDialog):
    """The manual in a browser pane, with a button to open it in the desktop's browser."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(translate("ManualWindow", "hvplanner manual"))
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint)
        self.browser = QTextBrowser()
        self.browser.setAccessibleName(translate("ManualWindow", "User manual"))
        self.browser.setOpenExternalLinks(True)
        if manual_path().is_file():
            self.browser.setSource(QUrl.fromLocalFile(str(manual_path())))
        else:  # an incomplete installation: say what is missing rather than show nothing
            self.browser.setPlainText(
                translate(
                    "ManualWindow",
                    "The manual is not installed: {path} is missing.\n"
                    "Reinstall hvplanner, or read README.md in its source.",
                ).format(path=manual_path())
            )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        external = buttons.addButton(
            translate("ManualWindow", "Open in &Browser"), QDialogButtonBox.ButtonRole.ActionRole
        )
        external.setToolTip(
            translate("ManualWindow", "Open the manual in the desktop's web browser")
        )
        external.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(manual_path())))
        )
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.resize(820, 640)


class ShortcutsDialog(QDialog):
    def __init__(self, menu_bar: QMenuBar, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(translate("ShortcutsDialog", "Keyboard shortcuts"))
        rows = shortcut_rows(menu_bar)
        canvas = translate("ShortcutsDialog", "Canvas")
        rows += [
            (canvas, translate("ShortcutsDialog", what), translate("ShortcutsDialog", keys))
            for keys, what in GESTURES
        ]
        self.table = QTableWidget(len(rows), 3)
        self.table.setAccessibleName(translate("ShortcutsDialog", "Keyboard shortcuts"))
        self.table.setHorizontalHeaderLabels(
            [
                translate("ShortcutsDialog", "Where"),
                translate("ShortcutsDialog", "Command"),
                translate("ShortcutsDialog", "Keys"),
            ]
        )
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                self.table.setItem(r, c, QTableWidgetItem(text))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(620, 520)


class HelpActions(QObject):
    """Help ▸ User Manual (F1), Keyboard Shortcuts, About hvplanner."""

    def __init__(self, owner: QWidget, menu_bar: QMenuBar) -> None:
        super().__init__(owner)
        self.owner = owner
        self.menu_bar = menu_bar
        self.manual: ManualWindow | None = None
        self.act_manual = QAction(translate("HelpActions", "User &Manual"), owner)
        self.act_manual.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))
        self.act_manual.setStatusTip(
            translate("HelpActions", "The canvas, the sizing rules, placement, simulation, …")
        )
        self.act_manual.triggered.connect(lambda _c=False: self.show_manual())
        self.act_shortcuts = QAction(translate("HelpActions", "&Keyboard Shortcuts"), owner)
        self.act_shortcuts.setStatusTip(
            translate("HelpActions", "Every shortcut and canvas gesture")
        )
        self.act_shortcuts.triggered.connect(lambda _c=False: self.show_shortcuts())
        self.act_about = QAction(translate("HelpActions", "&About hvplanner"), owner)
        self.act_about.setStatusTip(
            translate("HelpActions", "Version, licence, Qt and catalog versions")
        )
        self.act_about.triggered.connect(lambda _c=False: self.show_about())
        owner.addAction(self.act_manual)

    def add_to(self, menu: QMenu) -> None:
        menu.addActions([self.act_manual, self.act_shortcuts])
        menu.addSeparator()
        menu.addAction(self.act_about)

    def show_manual(self) -> ManualWindow:
        if self.manual is None:
            self.manual = ManualWindow(self.owner)
        if self.manual.isVisible():
            self.manual.raise_()  # already open, maybe behind the main window
        self.manual.show()
        self.manual.activateWindow()
        return self.manual

    def shortcuts_dialog(self) -> ShortcutsDialog:
        return ShortcutsDialog(self.menu_bar, self.owner)

    def show_shortcuts(self) -> None:
        dialog = self.shortcuts_dialog()
        dialog.exec()
        dialog.deleteLater()

    def about_dialog(self) -> QDialog:
        dialog = QDialog(self.owner)
        dialog.setWindowTitle(translate("HelpActions", "About hvplanner"))
        label = QLabel(about_text())
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(dialog.reject)
        for text, path in (
            (translate("HelpActions", "Third-party &Notices…"), notices_file()),
            (translate("HelpActions", "&Licence…"), licence_file()),
        ):
            button = buttons.addButton(text, QDialogButtonBox.ButtonRole.ActionRole)
            button.setEnabled(path is not None)
            if path is None:
                button.setToolTip(translate("HelpActions", "Not part of this installation"))
            else:
                button.setToolTip(str(path))
                button.clicked.connect(lambda _c=False, p=path: self.text_dialog(p).exec())
        layout = QVBoxLayout(dialog)
        layout.addWidget(label)
        layout.addWidget(buttons)
        return dialog

    def text_dialog(self, path: Path) -> QDialog:
        """A bundled text file (Markdown or plain) in a reader."""
        dialog = QDialog(self.owner)
        dialog.setWindowTitle(path.name)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        browser = QTextBrowser()
        browser.setAccessibleName(translate("HelpActions", "About hvplanner"))
        browser.setOpenExternalLinks(True)
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix == ".md":
            browser.setMarkdown(text)
        else:
            browser.setPlainText(text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(dialog.reject)
        layout = QVBoxLayout(dialog)
        layout.addWidget(browser)
        layout.addWidget(buttons)
        dialog.resize(720, 560)
        dialog.browser = browser  # type: ignore[attr-defined]
        return dialog

    def show_about(self) -> None:
        dialog = self.about_dialog()
        dialog.exec()
        dialog.deleteLater()
