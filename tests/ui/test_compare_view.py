from __future__ import annotations

import csv
import io

import pytest
from PySide6.QtCore import QModelIndex

from hvplanner.catalog import load_catalog
from hvplanner.engine.compare import plan_fit
from hvplanner.formats.planfile import load_plan
from hvplanner.ui.compare.model import CompareModel, DiffersRole
from hvplanner.ui.compare.view import CompareView


@pytest.fixture
def view(qtbot, seed_sample):
    v = CompareView()
    qtbot.addWidget(v)
    v.set_plan(load_plan(seed_sample))
    v.resize(1280, 800)
    return v


def _groups(model):
    return {model.data(model.index(g, 0)): g for g in range(model.rowCount())}


def _row(model, group_title, label):
    g = model.index(_groups(model)[group_title], 0)
    for r in range(model.rowCount(g)):
        if model.data(model.index(r, 0, g)) == label:
            return [model.data(model.index(r, c, g)) for c in range(1, model.columnCount())]
    raise KeyError(label)


def test_model_passes_qtmodeltester(qtmodeltester, seed_sample):
    model = CompareModel(load_catalog())
    qtmodeltester.check(model)
    model.set_plan(load_plan(seed_sample))
    qtmodeltester.check(model)


def _newest(view, family: str) -> None:
    # The seed plan is on Hyper-V 2008 R2, which the view picks; some tests want the newest.
    picker = view.pickers[family]
    picker.setCurrentIndex(picker.count() - 1)


def test_one_column_per_family_newest_version(qtbot):
    view = CompareView()
    qtbot.addWidget(view)
    keys = [p.key for p in view.model.profiles]
    assert [p.family for p in view.model.profiles] == [
        "kvm",
        "proxmox",
        "xen-pv",
        "xen-pvh",
        "xen-hvm",
        "xenserver",
        "esxi",
        "hyper-v",
        "virtualbox",
    ]
    assert "hyper-v@2025" in keys


def test_on_this_plan_equals_engine(view, seed_sample):
    fits = plan_fit(load_plan(seed_sample), view.model.profiles)
    assert _row(view.model, "On this plan", "Hosts needed") == [str(f.hosts) for f in fits]
    assert _row(view.model, "On this plan", "Verdict") == [f.verdict for f in fits]


def test_version_picker_switches_column(view, qtbot):
    combo = view.pickers["hyper-v"]
    combo.setCurrentIndex(combo.findData("hyper-v@2008r2"))
    keys = [p.key for p in view.model.profiles]
    assert "hyper-v@2008r2" in keys
    row = _row(view.model, "Limits", "Logical processors per host")
    assert row[keys.index("hyper-v@2008r2")] == "64"


def test_differences_highlighted_and_filtered(view):
    m = view.model
    g = m.index(_groups(m)["Hardware needs"], 0)
    labels = {m.data(m.index(r, 0, g)): m.index(r, 0, g) for r in range(m.rowCount(g))}
    assert m.data(labels["VT-x / AMD-V"], DiffersRole) is True  # Xen PV needs none
    view.only_diff.setChecked(True)
    shown = _visible_labels(view)
    assert "VT-x / AMD-V" in shown
    assert all(m.data(idx, DiffersRole) for lbl, idx in labels.items() if lbl in shown)
    view.only_diff.setChecked(False)
    everything = len(_visible_labels(view))
    view.search.setText("event channels")
    shown = _visible_labels(view)
    assert "I/O model" in shown
    assert len(shown) < everything
    view.search.setText("zzz-no-such-row")
    assert _visible_labels(view) == set()


def _visible_labels(view):
    p = view.proxy
    out = set()
    for g in range(p.rowCount()):
        gi = p.index(g, 0)
        for r in range(p.rowCount(gi)):
            out.add(p.data(p.index(r, 0, gi)))
    return out


def test_unknown_is_distinct_from_no(view):
    _newest(view, "hyper-v")
    m = view.model
    g = m.index(_groups(m)["Limits"], 0)
    for r in range(m.rowCount(g)):
        if m.data(m.index(r, 0, g)) == "Most vCPUs per LP or core":
            keys = [p.key for p in m.profiles]
            # The plan's own Hyper-V 2008 R2 stays a column beside the newest one picked.
            assert "hyper-v@2008r2" in keys
            # Hyper-V 2025 publishes "no ratio imposed": a known no, with its source.
            idx = m.index(r, keys.index("hyper-v@2025") + 1, g)
            assert m.data(idx) == "none imposed"
            assert "Source:" in m.data(idx, 3)  # ToolTipRole
            # VMware's maximum was not found: unknown, and said so.
            idx = m.index(r, keys.index("esxi@8.0") + 1, g)
            assert m.data(idx) == "unknown"
            assert "Not published" in m.data(idx, 3)
            break
    else:
        pytest.fail("no ratio row")


def test_tooltip_names_source_and_date(view):
    m = view.model
    g = m.index(_groups(m)["Limits"], 0)
    idx = m.index(0, 1, g)
    tip = m.data(idx, 3)
    assert "Source:" in tip or "Not published" in tip


def test_csv_export_and_copy(view, tmp_path, qtbot):
    rows = list(csv.reader(io.StringIO(view.to_csv())))
    assert rows[0][0:2] == ["group", "row"]
    assert any(r[0] == "On this plan" and r[1] == "Hosts needed" for r in rows)
    view.tree.selectionModel().select(
        view.proxy.index(0, 0, view.proxy.index(0, 0)),
        view.tree.selectionModel().SelectionFlag.Select,
    )
    view.copy_selection()
    from PySide6.QtGui import QGuiApplication

    assert QGuiApplication.clipboard().text() == "Hosts needed"


def test_readiness_row(view):
    assert set(_row(view.model, "On this workstation", "Readiness")) == {"not checked"}
    view.set_readiness({"kvm": ("ready", ["VT-x on"]), "hyper-v": ("blocked", ["no SLAT"])})
    row = _row(view.model, "On this workstation", "Readiness")
    families = [p.family for p in view.model.profiles]
    assert row[families.index("kvm")] == "ready"
    assert row[families.index("hyper-v")] == "blocked"


def test_run_check_signal(view, qtbot):
    with qtbot.waitSignal(view.runCheckRequested):
        view.run_check.click()


def test_group_parent_round_trip(view):
    m = view.model
    g = m.index(1, 0)
    child = m.index(0, 2, g)
    assert m.parent(child) == g
    assert m.parent(g) == QModelIndex()


def test_window_run_check_fills_the_workstation_row(qtbot, window):
    from hvplanner.ui.compare.view import CompareView
    from hvplanner.ui.readiness_panel import ReadinessPanel

    compare = window.view("compare")
    panel = window.view("readiness")
    assert isinstance(compare, CompareView) and isinstance(panel, ReadinessPanel)
    from tests.conftest import HOST_FIXTURES

    panel._root = HOST_FIXTURES / "intel-xeon-gold-6230-dell-r740"
    with qtbot.waitSignal(panel.check_finished, timeout=10000):
        compare.run_check.click()
    row = _row(compare.model, "On this workstation", "Readiness")
    assert "not checked" not in row
    assert window.readiness_report is not None


def test_the_plans_own_version_is_shown_and_marked(qtbot, view):
    from PySide6.QtCore import Qt

    assert view.pickers["hyper-v"].currentData() == "hyper-v@2008r2"
    keys = [p.key for p in view.model.profiles]
    col = keys.index("hyper-v@2008r2") + 1
    header = view.model.headerData(col, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
    assert header.endswith("(this plan)")
    others = [
        view.model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
        for c in range(1, view.model.columnCount())
        if c != col
    ]
    assert not any("this plan" in h for h in others)
    # A later pick is the user's: an edit to the plan does not undo it.
    _newest(view, "hyper-v")
    view.set_plan(view.model._plan)
    assert view.pickers["hyper-v"].currentData() != "hyper-v@2008r2"
    assert "differs from most" in view.legend.text()


def test_every_column_fits_a_1280_window(qtbot, view):
    view.show()
    qtbot.waitExposed(view)
    view.resize(760, 600)  # what the tab gets between the docks at 1280 px
    qtbot.wait(10)
    header = view.tree.header()
    last = view.model.columnCount() - 1
    assert header.sectionViewportPosition(last) + header.sectionSize(last) <= (
        view.tree.viewport().width() + 2
    )
    assert view.search.width() >= 120
    assert view.minimumSizeHint().width() <= 760


def test_the_four_kinds_are_named_under_the_table(view):
    text = view.kinds.text()
    for words in (
        "binary translation",
        "Paravirtualization",
        "Hardware-assisted",
        "OS-level",
        "Solaris Zones",
        "LXC/LXD",
    ):
        assert words in text
