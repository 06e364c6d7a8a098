"""The cost view: a stacked bar per hypervisor (licences, Windows Server guests, hardware)
over the plan's horizon, and the price book editor (one undo step per edit).

Computed on the GUI thread: the cost adds counting to the sizing the comparison already
runs here, and a pause batches drags (views.FOLLOW_DELAY_MS).
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import ValidationError
from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hvplanner.catalog import Catalog, load_catalog
from hvplanner.engine.compare import Cell, CellKind, with_plan_hypervisor
from hvplanner.engine.cost import NEEDS_PRICE, cost_plan, licence_products, money, price_book
from hvplanner.errors import InputError
from hvplanner.model import edits
from hvplanner.model.cost import CostResult
from hvplanner.model.plan import MAX_HORIZON_YEARS, Plan, Price
from hvplanner.model.report import PlanFit
from hvplanner.ui.commands import PlanCommand
from hvplanner.ui.document import PlanDocument
from hvplanner.ui.i18n import QT_TRANSLATE_NOOP, fmt, plural, translate
from hvplanner.ui.theme import colours, theme

# Each part's colour comes from the theme's set (`painting.style`, `cost_parts`).
# Titles translated in "CostView" where they are drawn.
PARTS = (
    ("licences", QT_TRANSLATE_NOOP("CostView", "Hypervisor licences")),
    ("windows", QT_TRANSLATE_NOOP("CostView", "Windows Server guests")),
    ("hardware", QT_TRANSLATE_NOOP("CostView", "Hardware")),
)
# A price's period: the plan file's value and its label.
PERIODS = (
    ("year", QT_TRANSLATE_NOOP("CostView", "year")),
    ("one-off", QT_TRANSLATE_NOOP("CostView", "one-off")),
)


def plan_cost(plan: Plan, catalog: Catalog | None = None) -> CostResult:
    """The cost the window shows: the plan's hypervisor and the newest of every other, the
    same columns `hvplanner cost --all` prints."""
    catalog = catalog or load_catalog()
    profiles = with_plan_hypervisor(plan, catalog.newest(), catalog.ordered())
    return cost_plan(plan, profiles, catalog)


COST_ROWS = (
    ("licences", QT_TRANSLATE_NOOP("CostView", "Licences")),
    ("windows", QT_TRANSLATE_NOOP("CostView", "Windows Server guests")),
    ("hardware", QT_TRANSLATE_NOOP("CostView", "Hardware")),
    ("total", QT_TRANSLATE_NOOP("CostView", "Total over {years} years")),
    ("per_vm", QT_TRANSLATE_NOOP("CostView", "Cost per VM")),
)


def cost_cells(plan: Plan | None, fits: Sequence[PlanFit], catalog: Catalog) -> list[
    tuple[str, list[Cell]]
]:  # fmt: skip
    """The comparison's cost rows, one cell per column of `fits`."""
    if plan is None or not fits:
        return []
    try:
        profiles = [catalog.profiles[f.key] for f in fits]
        r = cost_plan(plan, profiles, catalog)
    except InputError as exc:
        bad = [
            Cell(translate("CostView", "bad price book"), "unknown", None, str(exc)) for _ in fits
        ]
        return [(translate("CostView", "Total cost"), bad)]
    rows: list[tuple[str, list[Cell]]] = []
    for tid, label in COST_ROWS:
        cells = []
        for h in r.hypervisors:
            t = h.total(tid)
            text = money(t.amount, r.currency, t.complete)
            note = f"{t.formula}: {t.values}"
            if h.needs_price and tid != "hardware":
                note += f"\n{NEEDS_PRICE}: {', '.join(h.needs_price)}"
            kind: CellKind = "unknown" if t.amount is None else "value"
            cells.append(Cell(text, kind, None, note))
        rows.append((translate("CostView", label).format(years=fmt(r.horizon_years)), cells))
    return rows


class SetPriceBookCommand(PlanCommand):
    """New prices and horizon; refused (ValueError) when the catalog knows no such product."""

    def __init__(self, doc: PlanDocument, prices: list[Price], years: int) -> None:
        after = edits.rebuild(doc.plan, prices=prices, horizon_years=years)
        try:
            price_book(after, load_catalog())
        except InputError as exc:
            raise ValueError(str(exc)) from None
        super().__init__(doc, translate("CostView", "Edit price book"), after, frozenset())


class CostChart(QWidget):
    """One stacked bar per hypervisor; a part that needs a price is drawn as an outline."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.result: CostResult | None = None
        self.setMinimumHeight(220)

    def set_result(self, result: CostResult | None) -> None:
        self.result = result
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        r = self.result
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        p.setPen(pal.windowText().color())
        if r is None or not r.hypervisors:
            p.drawText(
                self.rect(), Qt.AlignmentFlag.AlignCenter, translate("CostView", "No cost to show")
            )
            return
        fm = p.fontMetrics()
        label_w = min(
            max(fm.horizontalAdvance(h.title) for h in r.hypervisors) + 12, self.width() // 3
        )
        legend_h = fm.height() + 8
        top, bottom = 6.0, float(self.height() - legend_h)
        n = len(r.hypervisors)
        row_h = (bottom - top) / n
        widest = max((h.total("total").amount or 0.0) for h in r.hypervisors) or 1.0
        bar_w = self.width() - label_w - 150
        for i, h in enumerate(r.hypervisors):
            y = top + i * row_h
            bar_h = max(row_h * 0.6, 4.0)
            by = y + (row_h - bar_h) / 2
            p.setPen(pal.windowText().color())
            p.drawText(
                QRectF(0, y, label_w - 6, row_h),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                fm.elidedText(h.title, Qt.TextElideMode.ElideRight, label_w - 6),
            )
            x = float(label_w)
            for tid, _title in PARTS:
                colour = colours().cost_parts[tid]
                t = h.total(tid)
                w = (t.amount or 0.0) / widest * bar_w
                if w > 0:
                    p.fillRect(QRectF(x, by, w, bar_h), colour)
                    x += w
                if not t.complete:  # a part without a price: an outlined stub, not a 0
                    p.setPen(QPen(colour, 1.5, Qt.PenStyle.DashLine))
                    p.setBrush(QBrush(Qt.BrushStyle.NoBrush))
                    p.drawRect(QRectF(x, by, 18, bar_h))
                    x += 20
            total = h.total("total")
            p.setPen(pal.windowText().color())
            p.drawText(
                QRectF(x + 6, y, self.width() - x - 6, row_h),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                money(total.amount, r.currency, total.complete).replace(NEEDS_PRICE, "?"),
            )
        x = float(label_w)
        for tid, part in PARTS:
            title = translate("CostView", part)
            p.fillRect(QRectF(x, bottom + 6, 10, 10), colours().cost_parts[tid])
            p.setPen(pal.windowText().color())
            p.drawText(int(x + 14), int(bottom + 6 + fm.ascent()), title)
            x += fm.horizontalAdvance(title) + 32
        p.setPen(QPen(pal.windowText().color(), 1, Qt.PenStyle.DashLine))
        p.drawRect(QRectF(x, bottom + 6, 10, 10))
        p.drawText(
            int(x + 14),
            int(bottom + 6 + fm.ascent()),
            translate("CostView", "{needs_price} (left out)").format(needs_price=NEEDS_PRICE),
        )


class PriceBookDialog(QDialog):
    """The plan's price book and horizon. OK pushes one undoable edit, or shows why not."""

    COLUMNS = (
        QT_TRANSLATE_NOOP("CostView", "Product"),
        QT_TRANSLATE_NOOP("CostView", "Price"),
        QT_TRANSLATE_NOOP("CostView", "Per units"),
        QT_TRANSLATE_NOOP("CostView", "Period"),
        QT_TRANSLATE_NOOP("CostView", "Currency"),
        QT_TRANSLATE_NOOP("CostView", "Source"),
        QT_TRANSLATE_NOOP("CostView", "Date"),
    )

    def __init__(self, doc: PlanDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(translate("CostView", "Price book"))
        self.doc = doc
        self.products = licence_products(load_catalog())
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels([translate("CostView", c) for c in self.COLUMNS])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for price in doc.plan.prices:
            self.add_row(price)
        self.years = QSpinBox()
        self.years.setRange(1, MAX_HORIZON_YEARS)
        self.years.setValue(doc.plan.horizon_years)
        self.years.setSuffix(translate("CostView", " years"))
        add = QPushButton(translate("CostView", "Add price"))
        add.clicked.connect(lambda: self.add_row(None))
        remove = QPushButton(translate("CostView", "Remove"))
        remove.clicked.connect(self._remove)
        self.error = QLabel("")
        self.error.setWordWrap(True)
        theme().colour_label(self.error, "error")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.apply)
        buttons.rejected.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(QLabel(translate("CostView", "Horizon:")))
        top.addWidget(self.years)
        top.addStretch(1)
        top.addWidget(add)
        top.addWidget(remove)
        lay = QVBoxLayout(self)
        lay.addWidget(
            QLabel(
                translate(
                    "CostView",
                    "Prices per licence product. A product without a price here uses the list "
                    "price the catalog cites, if one was published; else it needs a price.",
                )
            )
        )
        lay.addLayout(top)
        lay.addWidget(self.table)
        lay.addWidget(self.error)
        lay.addWidget(buttons)
        self.resize(860, 360)

    def add_row(self, price: Price | None) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        combo = QComboBox()
        for key, name in sorted(self.products.items()):
            combo.addItem(translate("CostView", "{name} ({key})").format(name=name, key=key), key)
        if price is not None and price.product not in self.products:
            combo.addItem(price.product, price.product)
        if price is not None:
            combo.setCurrentIndex(max(combo.findData(price.product), 0))
        self.table.setCellWidget(row, 0, combo)
        period = QComboBox()
        for value, label in PERIODS:
            period.addItem(translate("CostView", label), value)
        if price is not None:
            period.setCurrentIndex(max(period.findData(price.period), 0))
        self.table.setCellWidget(row, 3, period)
        texts = {
            1: "" if price is None else f"{price.price:g}",
            2: "1" if price is None else str(price.per_units),
            4: self._currency() if price is None else price.currency,
            5: "" if price is None else price.source,
            6: "" if price is None else price.date,
        }
        for col, text in texts.items():
            self.table.setItem(row, col, QTableWidgetItem(text))

    def _currency(self) -> str:
        return self.doc.plan.prices[0].currency if self.doc.plan.prices else "USD"

    def _remove(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)

    def _text(self, row: int, col: int) -> str:
        item = self.table.item(row, col)
        return item.text().strip() if item is not None else ""

    def prices(self) -> list[Price]:
        """The rows as prices; a bad cell raises ValueError naming prices[i].field."""
        out: list[Price] = []
        for row in range(self.table.rowCount()):
            product = self.table.cellWidget(row, 0)
            period = self.table.cellWidget(row, 3)
            assert isinstance(product, QComboBox) and isinstance(period, QComboBox)
            data: dict[str, object] = {
                "product": product.currentData(),
                "price": self._text(row, 1),
                "per_units": self._number(row, 2, "per_units"),
                "period": period.currentData(),
                "currency": self._text(row, 4).upper(),
                "source": self._text(row, 5),
                "date": self._text(row, 6),
            }
            try:
                out.append(Price.model_validate(data))
            except ValidationError as exc:
                first = exc.errors()[0]
                where = ".".join(str(x) for x in first["loc"])
                raise ValueError(f"prices[{row}].{where}: {first['msg']}") from None
        return out

    def _number(self, row: int, col: int, field: str) -> int:
        text = self._text(row, col) or "1"
        try:
            return int(text)
        except ValueError:
            raise ValueError(f"prices[{row}].{field}: {text!r} is not a whole number") from None

    def apply(self) -> bool:
        try:
            prices = self.prices()
        except ValueError as exc:
            self.error.setText(str(exc))
            return False
        ok = self.doc.try_push(
            lambda: SetPriceBookCommand(self.doc, prices, self.years.value()),
            self.error.setText,
        )
        if ok:
            self.accept()
        return ok


class CostView(QWidget):
    """The chart, the totals as text, and the price book button."""

    priceBookRequested = Signal()

    def __init__(self, doc: PlanDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.chart = CostChart()
        self.caption = QLabel("")
        self.caption.setWordWrap(True)
        self.caption.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.edit_prices = QPushButton(translate("CostView", "Price book…"))
        self.edit_prices.clicked.connect(self.open_price_book)
        head = QHBoxLayout()
        self.heading = QLabel("")
        self.heading.setWordWrap(True)  # a long total must not widen the window
        head.addWidget(self.heading, 1)
        head.addWidget(self.edit_prices)
        lay = QVBoxLayout(self)
        lay.addLayout(head)
        lay.addWidget(self.chart, 1)
        lay.addWidget(self.caption)
        # Computed when shown, not here: sizing every hypervisor for a tab nobody looks at
        # would cost the window's opening (`views.FollowWhenShown` calls refresh).
        self.result: CostResult | None = None

    def refresh(self) -> None:
        try:
            self.result = plan_cost(self.doc.plan)
        except InputError as exc:
            self.result = None
            self.heading.setText(
                translate("CostView", "The price book cannot be used: {error}").format(error=exc)
            )
            self.chart.set_result(None)
            return
        r = self.result
        self.heading.setText(
            translate(
                "CostView",
                "Cost over {years} years, {vms}, in {currency}: licences, "
                "Windows Server guests and hardware per hypervisor",
            ).format(
                years=fmt(r.horizon_years),
                vms=plural(r.vms, translate("CostView", "VM"), translate("CostView", "VMs")),
                currency=r.currency,
            )
        )
        self.chart.set_result(r)
        notes = list(r.warnings)
        mine = next((h for h in r.hypervisors if h.key == self.doc.plan.hypervisor), None)
        if mine is not None:
            notes += mine.warnings
        self.caption.setText("\n".join(f"⚠ {n}" for n in dict.fromkeys(notes)))

    def open_price_book(self) -> PriceBookDialog:
        dialog = PriceBookDialog(self.doc, self)
        dialog.setModal(True)
        dialog.show()
        return dialog
