"""Journey 6: File ▸ Export ▸ PDF five times in a row, switching tabs and undoing meanwhile.

Five valid PDFs must come out, and the window must keep painting: the application's
probe notes every time its GUI thread came back late (a blocked GUI thread paints
nothing), and no such gap may reach a second.
"""

from __future__ import annotations

import time

from pypdf import PdfReader

from tests.real.plans import journey_plan

MAX_STALL_S = 1.0


def test_five_pdf_exports_while_switching_tabs_and_undoing(launch, tmp_path) -> None:
    app = launch(journey_plan())
    state = app.state()
    # Five edits to undo while the exports run: duplicate a chip five times (Ctrl+D).
    app.click(*app.centre(state["chips"]["spare"]))
    app.wait(lambda s: s["selected"] == ["spare"], "the chip selected")
    for n in range(1, 6):
        app.key("ctrl+d")
        app.wait(lambda s, n=n: s["undo"][0] == n, f"duplicate {n}")
    edits = app.state()["undo"][0]

    tabs = list(app.state()["tabs"])
    assert len(tabs) >= 3, tabs
    started = time.time()
    pdfs = [tmp_path / f"report-{i}.pdf" for i in range(5)]
    for i, pdf in enumerate(pdfs):
        app.key("alt+f", "e", "p")  # File ▸ Export ▸ PDF Report…
        app.wait(lambda s: s["modal"] == "PDF report", "the PDF options")
        app.key("Return")
        app.wait(lambda s: s["modal"] == "Export PDF report", "the file dialog")
        app.key("ctrl+a")
        app.type(str(pdf))
        app.key("Return")
        app.wait(lambda s: s["modal"] is None, "the dialogs to close")
        app.focus()
        # While it is written: another tab, and an undo.
        tab = tabs[(i + 1) % len(tabs)]
        app.click(*app.middle(app.state()["tabs"][tab]))
        app.key("ctrl+z")
        app.wait(
            lambda s, pdf=pdf: pdf.exists() and f"written to {pdf}" in s["status"],
            f"PDF {i + 1}",
            timeout=30,
        )
    final = app.settle()

    for pdf in pdfs:
        reader = PdfReader(pdf)
        assert len(reader.pages) >= 1
        assert "Journey plan" in " ".join(reader.pages[0].extract_text().split())
    assert final["undo"][0] == edits - 5  # every undo was taken
    stalls = [gap for end, gap in final["stalls"] if end >= started]
    assert max(stalls, default=0.0) < MAX_STALL_S, f"the window froze: {stalls}"
