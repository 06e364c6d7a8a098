"""Every piece of text the window shows goes through translation, so `pyside6-lupdate` finds
it for the template: a literal (or an f-string) handed straight to a Qt text setter or to a
widget's constructor is English for ever. The scan reads the source, without a window."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

UI = Path(__file__).parents[2] / "hvplanner" / "ui"
# The pictures the window draws (and the PDF, in English): their words are marked too.
PAINTING = UI.parent / "painting"

# Calls `pyside6-lupdate` reads text from: what they hold is wrapped. Only these names: an
# alias (`tr = translate`, a `_tr` helper) translates at run time but hides the text from
# lupdate, so the template would lack it.
WRAPPERS = {"translate", "QT_TRANSLATE_NOOP"}

# Methods whose arguments a person reads: any literal among them is a finding.
TEXT_METHODS = {
    "setText",
    "setWindowTitle",
    "setToolTip",
    "setStatusTip",
    "setWhatsThis",
    "setPlaceholderText",
    "setAccessibleName",
    "setAccessibleDescription",
    "setTitle",
    "setLabelText",
    "setCancelButtonText",
    "setInformativeText",
    "setDetailedText",
    "setPrefix",
    "setSuffix",
    "setSpecialValueText",
    "showMessage",
    "addAction",
    "addMenu",
    "addSection",
    "addTab",
    "insertTab",
    "setTabText",
    "setTabToolTip",
    "setItemText",
    "setItemToolTip",
    "addItem",
    "addItems",
    "insertItem",
    "setHorizontalHeaderLabels",
    "setVerticalHeaderLabels",
    "setHeaderLabel",
    "setHeaderLabels",
    "addRow",
    "drawText",
    "setLabel",
    "setHtml",
    "setPlainText",
    "addButton",
    "setButtonText",
    "setFormat",
    "setCheckBoxText",
    "setWindowIconText",
    "beginMacro",  # the undo step's name in Edit ▸ Undo
    # The window's own channels to the user: the status bar, error boxes, form errors.
    "say",
    "error",
    "show_error",
}

# Widgets, items and dialogs whose constructor (or static function) takes the text shown.
TEXT_CONSTRUCTORS = {
    "QLabel",
    "QPushButton",
    "QToolButton",
    "QCheckBox",
    "QRadioButton",
    "QGroupBox",
    "QAction",
    "QMenu",
    "QDockWidget",
    "QListWidgetItem",
    "QTableWidgetItem",
    "QTreeWidgetItem",
    "QStandardItem",
    "QProgressDialog",
    "QMessageBox",
    "QCommandLinkButton",
    "QGraphicsSimpleTextItem",
    "QGraphicsTextItem",
    "QToolTip",
    "QInputDialog",
    "QFileDialog",
    "TextItem",
}

# hvplanner.ui.i18n.plural(n, one, many): the words are text.
TEXT_HELPERS = {"plural"}

# Where a sink's first arguments are not text: pyqtgraph's setLabel(axis, text).
FIRST_TEXT_ARG = {"setLabel": 1}

# Not text, and why (the only wordy literals a text sink may take unwrapped).
ALLOWED = {
    "hypervisor-comparison.csv": "a file name offered in the save dialog, not a sentence",
}

# Names that look like translation but that lupdate does not read.
LOOKALIKE = re.compile(r"^_*(tr|translate)\w*$")

# Pictures only the PDF report draws: it stays English (the window plots with pyqtgraph).
PDF_ONLY = {"hvplanner/painting/chart.py"}

# Markup, format fields and entities carry no words of their own: "<b>{}</b>" is not text.
MARKUP = re.compile(r"<[^>]*>|\{[^}]*\}|&[a-z]+;")


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    call: str
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.call}({self.text!r}) is not translated"


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _is_wrapper(node: ast.Call) -> bool:
    func = node.func
    # self.tr("…") is lupdate's too (the class is the context); a bare tr(…) is not.
    method_tr = isinstance(func, ast.Attribute) and func.attr == "tr"
    return method_tr or _name(func) in WRAPPERS


def _wordy(text: str) -> bool:
    """Text has a letter outside markup; digits, punctuation, symbols, blanks, HTML tags
    and format fields alone are not words."""
    return text not in ALLOWED and any(ch.isalpha() for ch in MARKUP.sub("", text))


def _literals(node: ast.AST) -> Iterator[tuple[ast.AST, str]]:
    """The unwrapped words inside an argument, following how strings are put together."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        if _wordy(node.value):
            yield node, node.value
    elif isinstance(node, ast.JoinedStr):
        fixed = "".join(
            v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)
        )
        if _wordy(fixed):
            yield node, ast.unparse(node)
        for v in node.values:
            if isinstance(v, ast.FormattedValue):
                yield from _literals(v.value)
    elif isinstance(node, ast.BinOp):
        yield from _literals(node.left)
        yield from _literals(node.right)
    elif isinstance(node, ast.IfExp):
        yield from _literals(node.body)
        yield from _literals(node.orelse)
    elif isinstance(node, ast.BoolOp):
        for v in node.values:
            yield from _literals(v)
    elif isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        for e in node.elts:
            yield from _literals(e)
    elif isinstance(node, ast.Starred):
        yield from _literals(node.value)
    elif (
        isinstance(node, ast.Call)
        and not _is_wrapper(node)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in {"format", "join"}
    ):
        # "…".format(…) and ", ".join(…) are still the literal's words.
        yield from _literals(node.func.value)
        for a in node.args:
            yield from _literals(a)
    elif (
        isinstance(node, ast.Call)
        and not _is_wrapper(node)
        and LOOKALIKE.match(_name(node.func) or "")
    ):
        # tr(…) or _tr(…): translated at run time, invisible to lupdate.
        for a in node.args:
            yield from _literals(a)


def _sink(node: ast.Call) -> bool:
    func = node.func
    if isinstance(func, ast.Attribute):
        if func.attr in TEXT_METHODS:
            return True
        # QMessageBox.warning(…), QInputDialog.getText(…), QFileDialog.getSaveFileName(…)
        if isinstance(func.value, ast.Name) and func.value.id in TEXT_CONSTRUCTORS:
            return True
    return _name(func) in TEXT_CONSTRUCTORS


def findings(root: Path = UI) -> list[Finding]:
    out: list[Finding] = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        rel = str(path.relative_to(root.parent.parent))
        if rel in PDF_ONLY:
            continue
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            if _sink(node):
                first = FIRST_TEXT_ARG.get(_name(node.func) or "", 0)
                args = [*node.args[first:], *(k.value for k in node.keywords)]
            elif _name(node.func) in TEXT_HELPERS:
                args = node.args[1:]
            else:
                continue
            for arg in args:
                for lit, text in _literals(arg):
                    out.append(
                        Finding(
                            rel, getattr(lit, "lineno", node.lineno), _name(node.func) or "?", text
                        )
                    )
    return sorted(out, key=lambda f: (f.path, f.line))


def test_every_text_handed_to_qt_is_translated():
    found = findings() + findings(PAINTING)
    assert not found, f"{len(found)} untranslated:\n" + "\n".join(map(str, found))


def test_the_scan_sees_the_ways_text_is_written(tmp_path):
    """The scan finds a plain literal, an f-string, a concatenation, a list of headers and a
    message box, and lets through translated text and text without words."""
    pkg = tmp_path / "hvplanner" / "ui"
    pkg.mkdir(parents=True)
    (pkg / "sample.py").write_text(
        "label = QLabel('Hosts')\n"
        "button.setToolTip(f'Move {n} VMs')\n"
        "box.setTitle('Rejected: ' + str(n))\n"
        "table.setHorizontalHeaderLabels(['Host', name])\n"
        "QMessageBox.warning(self, 'Save failed', str(e))\n"
        "count.setText(plural(n, 'host'))\n"
        "ok.setText(translate('Ctx', 'Move {n} VMs').format(n=n))\n"
        "sep.setText(' – ')\n"
        "num.setText(fmt(x))\n"
        "head.setText(f'<b>{name}</b>')\n"
        "tip.setToolTip(_tr('Hidden from lupdate'))\n"
        "p.setLabel('left', 'CPU %')\n",
        encoding="utf-8",
    )
    texts = [(f.line, f.text) for f in findings(pkg)]
    assert texts == [
        (1, "Hosts"),
        (2, "f'Move {n} VMs'"),
        (3, "Rejected: "),
        (4, "Host"),
        (5, "Save failed"),
        (6, "host"),
        (11, "Hidden from lupdate"),
        (12, "CPU %"),
    ]


def test_the_readiness_words_marked_for_the_window_are_the_models():
    """The panel marks the readiness model's English for translation; a changed or added
    word there must be marked here too, or the window would show it untranslated."""
    from hvplanner.readiness.model import AREA_TITLES, VERDICT_LABELS
    from hvplanner.ui.readiness_panel import AREA_WORDS, VERDICT_WORDS

    assert VERDICT_WORDS == VERDICT_LABELS
    assert AREA_WORDS == AREA_TITLES


def _marked(root: Path = UI) -> set[tuple[str, str]]:
    """(context, source) of every translate/QT_TRANSLATE_NOOP call with literal arguments."""
    out: set[tuple[str, str]] = set()
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and _name(node.func) in WRAPPERS and len(node.args) >= 2:
                ctx, text = node.args[0], node.args[1]
                if isinstance(ctx, ast.Constant) and isinstance(text, ast.Constant):
                    out.add((str(ctx.value), str(text.value)))
    return out


def test_lupdate_extracts_every_marked_text(tmp_path):
    """What the code marks is what `make translations` puts in the template, context and
    all: a text lupdate cannot read (a call it does not know, a string it cannot parse)
    would stay English in every translation."""
    import shutil
    import subprocess
    import sys
    import xml.etree.ElementTree as ET

    tool = shutil.which("pyside6-lupdate", path=str(Path(sys.executable).parent))
    assert tool, "pyside6-lupdate comes with the PySide6-Essentials wheel"
    out = tmp_path / "hvplanner.ts"
    sources = sorted(str(p) for root in (UI, PAINTING) for p in root.rglob("*.py"))
    subprocess.run(
        [tool, "-no-obsolete", "-source-language", "en", *sources, "-ts", str(out)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    extracted = {
        (ctx.findtext("name"), msg.findtext("source"))
        for ctx in ET.parse(out).getroot().iter("context")
        for msg in ctx.iter("message")
    }
    marked = _marked() | _marked(PAINTING)
    assert len(marked) > 500
    missing = sorted(marked - extracted)
    assert not missing, f"{len(missing)} marked texts lupdate did not extract: {missing[:10]}"


def _unfilled(root: Path = UI) -> list[str]:
    """translate(…) texts with {fields} that no .format(…) right after it fills: the window
    would show "{name}" itself."""
    import string

    out = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        parents = {c: n for n in ast.walk(tree) for c in ast.iter_child_nodes(n)}
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and _name(node.func) == "translate"):
                continue
            text = node.args[1] if len(node.args) > 1 else None
            if not (isinstance(text, ast.Constant) and isinstance(text.value, str)):
                continue
            fields = {f for _, f, _, _ in string.Formatter().parse(text.value) if f is not None}
            if not fields:
                continue
            attr = parents.get(node)
            if isinstance(attr, ast.IfExp):  # (translate(a) if … else translate(b)).format(…)
                attr = parents.get(attr)
            call = parents.get(attr) if attr is not None else None
            given: set[str] = set()
            if (
                isinstance(attr, ast.Attribute)
                and attr.attr == "format"
                and isinstance(call, ast.Call)
            ):
                given = {k.arg for k in call.keywords if k.arg}
                given |= {str(i) for i in range(len(call.args))}
                if call.args:
                    given.add("")
            names = {f.split(".")[0].split("[")[0].split("!")[0] for f in fields}
            if not names <= given:
                out.append(
                    f"{path.name}:{node.lineno}: {text.value!r} needs {sorted(names - given)}"
                )
    return out


def test_every_field_of_a_translated_text_is_filled():
    assert not _unfilled(), "\n".join(_unfilled())
