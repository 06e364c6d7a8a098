"""Plan text (names, ids, paths) shown in widgets that would read it as markup.

Qt renders a label or a tooltip as rich text when it merely looks like HTML (a name that
starts with a tag): plan text goes through `rich` inside rich text, and through `tip`
for a tooltip, so it always shows as typed.
"""

from __future__ import annotations

import html

from PySide6.QtGui import Qt


def rich(text: object) -> str:
    """Text to put inside rich text: every character shown as typed."""
    return html.escape(str(text), quote=False)


def tip(text: str) -> str:
    """A tooltip that shows `text` as typed, line breaks kept: plain text as it is, unless
    Qt would take it for markup, then escaped rich text."""
    if not Qt.mightBeRichText(text):
        return text
    return "<p style='white-space:pre'>" + rich(text).replace("\n", "<br>") + "</p>"
