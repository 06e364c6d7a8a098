"""The words a picture draws, in the window's language or in English.

The canvas and the comparison's diagrams are drawn in the window, which passes its
translator; the PDF report draws the same pictures and keeps English. Each text is marked
with `QT_TRANSLATE_NOOP("painting", …)` where it is written, so `make translations` finds
it, and goes through `words` where it is drawn.
"""

from __future__ import annotations

from collections.abc import Callable

Words = Callable[[str], str]
"""English text → the text to draw."""


def english(text: str) -> str:
    return text


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Marks `text` for `pyside6-lupdate` (which reads this name in the source) and returns it
    unchanged; Qt's own binding of the name is typed as returning `object`."""
    return text
