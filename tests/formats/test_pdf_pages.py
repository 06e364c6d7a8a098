"""The PDF report read back page by page: bookmarks, tables and headings across page breaks,
the plan's picture, sparklines and names.

Text is taken with its position (poppler's `pdftotext -bbox`) and only what lies between
the running header and the footer counts: Qt also writes, clipped away, the lines just
beyond a page's edge, which a reader never sees.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from html import unescape
from pathlib import Path

import pytest
from pypdf import PdfReader

from hvplanner.formats.pdf_outline import Bookmark, OutlineError, add_outline
from hvplanner.formats.pdf_report import BAND_MM, MARGIN_MM, write_pdf
from hvplanner.formats.planfile import load_plan
from hvplanner.formats.report_html import Section, table
from hvplanner.model.plan import Plan
from hvplanner.paths import samples_dir

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="needs poppler-utils (pdftotext)"
)

COST = samples_dir() / "windows-linux-licence-cost.hvplan.json"
SAMPLES = [
    samples_dir() / "seed-200-win7-hyperv2008r2.hvplan.json",
    samples_dir() / "p2v-128-old-servers.hvplan.json",
    COST,
]
BODY_MM = MARGIN_MM + BAND_MM
WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
)


def visible(pdf: Path) -> list[list[tuple[str, float]]]:
    """Per page, the lines between the header band and the footer band, top to bottom, each
    as (text, height of its tallest word in points)."""
    out = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages: list[list[tuple[str, float]]] = []
    for page in out.split("<page ")[1:]:
        height = float(re.search(r'height="([\d.]+)"', page).group(1))  # type: ignore[union-attr]
        top, bottom = BODY_MM / 25.4 * 72, height - BODY_MM / 25.4 * 72
        rows: dict[int, list[tuple[float, str, float]]] = {}
        for x0, y0, _x1, y1, word in WORD.findall(page):
            y0f, y1f = float(y0), float(y1)
            if y0f < top - 1 or y1f > bottom + 1:
                continue
            rows.setdefault(round(y1f), []).append((float(x0), unescape(word), y1f - y0f))
        lines = []
        for y in sorted(rows):
            words = sorted(rows[y])
            lines.append((" ".join(w for _, w, _ in words), max(h for _, _, h in words)))
        pages.append(lines)
    return pages


def lefts(pdf: Path, word: str) -> list[float]:
    """Where `word` starts, each time it is on a page."""
    out = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [float(x0) for x0, _y0, _x1, _y1, w in WORD.findall(out) if unescape(w) == word]


def texts(pdf: Path) -> list[list[str]]:
    return [[t for t, _ in page] for page in visible(pdf)]


def named_plan(hosts: int, vms_per_host: int = 2, empty_hosts: int = 0) -> Plan:
    """Hosts, models and VMs that all have names distinct from their ids."""
    return Plan.model_validate(
        {
            "name": f"{hosts} named hosts",
            "hypervisor": "esxi@8.0",
            "host_models": [
                {
                    "id": "m-2x16",
                    "name": "Dual 16-core 2.6 GHz, 512 GB",
                    "sockets": 2,
                    "cores_per_socket": 16,
                    "ghz": 2.6,
                    "ram_gb": 512,
                    "nics": [{"count": 2, "gbps": 10}],
                }
            ],
            "hosts": [
                {"id": f"h{i}", "model": "m-2x16", "name": f"node-{i:03d}"}
                for i in range(hosts + empty_hosts)
            ],
            "vms": [
                {
                    "id": f"v{i}-{j}",
                    "name": f"Service {i:03d}/{j}",
                    "vcpu": 2 + j,
                    "ram_gb": 8,
                    "host": f"h{i}",
                    "os": "windows-server" if j == 0 else "linux",
                }
                for i in range(hosts)
                for j in range(vms_per_host)
            ],
        }
    )


# --- bookmarks --------------------------------------------------------------------------

HEADINGS = {
    "Bill of materials": "Bill of materials:",
    "Plan summary": "Plan summary:",
    "Hypervisor comparison": "Hypervisor comparison for this plan",
    "The plan as laid out": "The plan as laid out:",
    "Utilization charts": "Cluster:",
    "Appendix: how virtualization works": "Type 1 (bare-metal)",
}


def test_outline_lists_every_section_on_the_page_it_starts(qapp: object, tmp_path: Path) -> None:
    out = tmp_path / "cost.pdf"
    write_pdf(load_plan(COST), out, appendix=True)
    reader = PdfReader(out)
    marks = [(o.title, reader.get_destination_page_number(o)) for o in reader.outline]
    assert [t for t, _ in marks] == [
        "Executive summary",
        "Bill of materials",
        "Plan summary",
        "Sizing",
        "Cost per hypervisor",
        "Inventory",
        "Placement",
        "Utilization",
        "Hypervisor comparison",
        "Assumptions",
        "Sources",
        "The plan as laid out",
        "Utilization charts",
        "Appendix: how virtualization works",
    ]
    assert reader.trailer["/Root"]["/PageMode"] == "/UseOutlines"
    pages = texts(out)
    assert [p for _, p in marks] == sorted(p for _, p in marks)
    for title, page in marks:
        heading = HEADINGS.get(title, title)
        assert any(line.startswith(heading) for line in pages[page]), (title, page)
        # The first page it is on: no earlier page has it.
        assert not any(line.startswith(heading) for p in pages[:page] for line in p), title


def test_outline_update_is_refused_on_a_file_it_cannot_read(tmp_path: Path) -> None:
    bad = tmp_path / "x.pdf"
    bad.write_bytes(b"%PDF-1.4\n%%EOF\n")
    with pytest.raises(OutlineError):
        add_outline(bad, [Bookmark("A", 0)])


# --- tables and headings across page breaks ---------------------------------------------


def _long_table_section(rows: int) -> Section:
    """A table whose rows each wrap over several lines, every word naming its row."""
    body = [
        [f"row{i}start", " ".join(f"row{i}w{k}" for k in range(12 + i % 30)) + f" row{i}end"]
        for i in range(rows)
    ]
    groups = "".join(
        f"<h3>Group {g} heading</h3>" + table(["GA", "GB"], [[f"g{g}-a", f"g{g}-b"]] * 3)
        for g in range(40)
    )
    html = "<h2>Long table</h2>" + table(["COLA", "COLB"], body) + groups
    return Section("long", "Long table", html)


def test_rows_stay_whole_headers_repeat_and_headings_keep_their_table(
    qapp: object, tmp_path: Path
) -> None:
    from hvplanner.engine.report import full_report
    from hvplanner.formats.pdf_report import render_pdf

    out = tmp_path / "long.pdf"
    report = full_report(load_plan(COST))
    render_pdf(report, out, extra_sections=[_long_table_section(160)], pictures=[])
    pages = texts(out)
    where: dict[str, int] = {}
    for n, lines in enumerate(pages):
        for line in lines:
            for token in re.findall(r"\brow\d+(?:start|end)\b", line):
                where[token] = n
    assert len(where) == 320
    spans = {where[f"row{i}start"] for i in range(160)}
    assert len(spans) >= 3, "the table must span pages for this test to mean anything"
    for i in range(160):
        assert where[f"row{i}start"] == where[f"row{i}end"], f"row {i} split across pages"
    for n, lines in enumerate(pages):
        rows = [k for k, line in enumerate(lines) if re.search(r"\brow\d+", line)]
        if rows:
            # The table's header row sits above its first row on every page it spans.
            assert any(line.startswith("COLA COLB") for line in lines[: rows[0]]), n
    # The columns stay where they were on the first page: each part of the cut table is
    # laid out with the whole table's widths.
    cols = lefts(out, "COLB")
    assert len(cols) >= 3 and max(cols) - min(cols) < 1.0, cols
    headings = {f"Group {g} heading" for g in range(40)}
    for n, lines in enumerate(pages):
        assert lines[-1] not in headings, n
        for k, line in enumerate(lines):
            if line in headings:
                g = line.split()[1]
                assert any(f"g{g}-a" in x for x in lines[k + 1 :]), f"{line} stranded, page {n}"


def test_big_plan_has_no_heading_at_the_foot_of_a_page(qapp: object, tmp_path: Path) -> None:
    from hvplanner.catalog import load_catalog
    from hvplanner.engine.report import full_report
    from hvplanner.formats.pdf_report import inputs_from
    from hvplanner.formats.report_html import document

    plan = named_plan(60, vms_per_host=6)
    out = tmp_path / "big.pdf"
    write_pdf(plan, out)
    html = document(inputs_from(full_report(plan), load_catalog()))
    headings = {unescape(h) for h in re.findall(r"<h[23][^>]*>(.*?)</h[23]>", html)}
    pages = texts(out)
    assert len(pages) > 8
    for n, lines in enumerate(pages[:-1]):
        assert lines and lines[-1] not in headings, (n, lines[-1])
    # The per-host load table runs over pages: each of them shows its header first.
    spanned = 0
    for n, lines in enumerate(pages):
        rows = [k for k, line in enumerate(lines) if re.match(r"node-\d{3}( ✖)? \d+ \d", line)]
        if rows:
            spanned += 1
            assert any(x.startswith("Host VMs") for x in lines[: rows[0]]), n
    assert spanned >= 2


# --- the plan's picture -----------------------------------------------------------------


@pytest.mark.parametrize("hosts", [6, 20])
def test_the_plan_is_drawn_one_host_a_card_at_a_readable_size(
    qapp: object, tmp_path: Path, hosts: int
) -> None:
    out = tmp_path / "p.pdf"
    write_pdf(named_plan(hosts), out)
    pictures = [p for p in visible(out) if any(t.startswith("The plan as laid out:") for t, _ in p)]
    assert pictures
    seen: dict[str, list[float]] = {}
    for page in pictures:
        for text, height in page:
            if text.startswith("The plan as laid out:"):
                continue  # the picture's title; the cards' own titles are below it
            for name in re.findall(r"\bnode-\d{3}\b", text):
                seen.setdefault(name, []).append(height)
    assert sorted(seen) == [f"node-{i:03d}" for i in range(hosts)]
    for name, heights in seen.items():
        assert len(heights) == 1, f"{name} drawn {len(heights)} times"
        # The card title is 10.5 pt on screen: on paper at least 8 pt (word box ≥ 8 pt).
        assert heights[0] >= 8, (name, heights[0])


def test_past_the_limit_the_plan_is_a_table(qapp: object, tmp_path: Path) -> None:
    out = tmp_path / "p.pdf"
    write_pdf(named_plan(200, vms_per_host=1), out)
    pages = texts(out)
    lines = [line for page in pages for line in page]
    assert not any(line.startswith("The plan as laid out:") for line in lines)
    text = " ".join(lines)
    assert "With 200 hosts" in text
    # Every host is a row of the placement table: its name, then its VM count.
    for i in range(200):
        assert re.search(rf"\bnode-{i:03d} 1 ", text), i


# --- sparklines -------------------------------------------------------------------------


def test_cards_show_their_simulated_load_or_say_why_not(qapp: object, tmp_path: Path) -> None:
    out = tmp_path / "p.pdf"
    write_pdf(named_plan(3, empty_hosts=1), out)
    cards = [
        t for p in texts(out) if any(x.startswith("The plan as laid out:") for x in p) for t in p
    ]
    text = " ".join(cards)
    # Three hosts with VMs: CPU and RAM peaks; the empty one says it has nothing to draw.
    assert len(re.findall(r"peak \d+ %", text)) == 6
    assert text.count("CPU and RAM: no VMs to simulate") == 1


# --- names, not ids ---------------------------------------------------------------------


def _named_ids(plan: dict) -> tuple[list[str], list[str]]:
    names, ids = [], []
    for key in ("host_models", "hosts", "vms"):
        for x in plan[key]:
            if x.get("name") and x["name"] != x["id"]:
                names.append(x["name"])
                ids.append(x["id"])
    return names, ids


@pytest.mark.parametrize("source", [*SAMPLES, "generated"], ids=lambda s: Path(str(s)).name)
def test_no_id_where_a_name_exists(qapp: object, tmp_path: Path, source: object) -> None:
    plan = named_plan(5) if source == "generated" else load_plan(Path(str(source)))
    out = tmp_path / "r.pdf"
    write_pdf(plan, out)
    text = " ".join(line for page in texts(out) for line in page)
    names, ids = _named_ids(json.loads(plan.model_dump_json()))
    ids.append(plan.hypervisor)  # the catalog names every hypervisor
    # Names may contain an id ("web" in "Linux web front-ends"): take them out first, whole
    # or cut short to fit a chip ("Linux web front-e…").
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, " ")
        for k in range(len(name) - 1, 2, -1):
            text = text.replace(name[:k] + "…", " ")
    for ident in ids:
        assert not re.search(rf"(?<![\w@.-]){re.escape(ident)}(?![\w@-])", text), ident
