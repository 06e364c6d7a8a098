"""Live CPU, RAM and NIC plots of the cluster and the selected hosts over simulated time.

Every curve, line and band is created once; a tick only slices the precomputed percent
series and calls setData (pyqtgraph's scrollingPlots pattern), so streaming allocates
nothing that grows. A plan edit recomputes the percent series of the shown hosts and
redraws at the same time position, window and selection.
"""

from __future__ import annotations

import html
import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QElapsedTimer, Qt, QTimer
from PySide6.QtGui import QColor, QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSlider,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from hvplanner.engine.simulation.live import CLUSTER, SPEEDS, LiveSimulation, Playback
from hvplanner.engine.simulation.profiles import FloatArray
from hvplanner.text import clock
from hvplanner.ui.i18n import QT_TRANSLATE_NOOP, fmt, plural, translate
from hvplanner.ui.plaintext import rich
from hvplanner.ui.theme import colours, theme
from hvplanner.ui.utilization.source import LiveSource

METRICS = ("CPU", "RAM", "NIC")
# Hosts drawn at once besides the cluster; more lines than this are unreadable.
MAX_HOSTS = 6
# Colours come from the theme's set (`painting.style`): no red among the hosts' lines, red is
# the 100 % line and the failure.
BAND_ALPHA = 60
# Room after the time cursor, as a share of the window, so the cursor is not on the frame.
CURSOR_ROOM = 0.03
FRAME_MS = 33
WINDOWS = (
    (QT_TRANSLATE_NOOP("UtilizationView", "6 hours"), 360.0),
    (QT_TRANSLATE_NOOP("UtilizationView", "1 day"), 1440.0),
    (QT_TRANSLATE_NOOP("UtilizationView", "7 days"), 10080.0),
)
DEFAULT_WINDOW = 1
DEFAULT_SPEED = 1000
PLOTS_MIN_H = 220


def cluster_label(live: LiveSimulation) -> str:
    """The cluster line averages over the hosts in use; empty hosts would dilute it."""
    n = live.hosts_in_use()
    if not n:
        return translate("UtilizationView", "cluster")
    hosts = plural(n, translate("UtilizationView", "host"), translate("UtilizationView", "hosts"))
    return translate("UtilizationView", "cluster (average of {hosts} in use)").format(hosts=hosts)


class ClockAxis(pg.AxisItem):
    """Hours of simulated time, labelled as clock times with the day at midnight."""

    def tickSpacing(self, minVal: float, maxVal: float, size: float) -> list[tuple[float, float]]:
        span = max(maxVal - minVal, 1e-9)
        fits = max(size / 70.0, 1.0)
        major = next((h for h in (1, 2, 3, 6, 12, 24, 48) if span / h <= fits), 168)
        minor = {1: 0.25, 2: 1, 3: 1, 6: 3, 12: 6, 24: 6, 48: 24}.get(major, 24)
        return [(float(major), 0.0), (float(minor), 0.0)]

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        out = []
        named = spacing < 1.0  # minor ticks never carry the day
        edge = self.range[0] + 1e-6
        for v in values:
            minute = round(v * 60.0)
            day, rest = divmod(minute, 1440)
            hhmm = f"{rest // 60:02d}:{rest % 60:02d}"
            if rest == 0:
                out.append(translate("UtilizationView", "day {n}").format(n=day + 1))
                named = named or v > edge
            elif not named and v > edge:
                # The first label names the day, so a window without a midnight says which
                # (a label on the very edge is not drawn).
                out.append(
                    translate("UtilizationView", "day {n} {time}").format(n=day + 1, time=hhmm)
                )
                named = True
            else:
                out.append(hhmm)
        return out


class UtilizationView(QWidget):
    """Three stacked plots with a shared time axis, the controls of the live mode above."""

    def __init__(self, source: LiveSource, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.source = source
        self.shown_hosts: list[str] = []
        self.asked_hosts = 0  # how many hosts the selection asked for (at most MAX_HOSTS show)
        self._pct: dict[str, FloatArray] = {}
        self._hours: FloatArray = np.zeros(0)
        self._last_step = -1
        self._legend_key: tuple[str, ...] = ()
        self._box_items: list[str] = []
        self._stale = False
        self.playback = Playback(period_minutes=source.days * 1440.0, speed=DEFAULT_SPEED)
        self.window_minutes = WINDOWS[DEFAULT_WINDOW][1]
        self.playback.minute = self.window_minutes

        self._make_controls()
        self._make_plots()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(2)
        layout.addLayout(self._controls)
        layout.addWidget(self.reading_row)
        layout.addWidget(self.readout)
        layout.addWidget(self.plots, 1)

        self.timer = QTimer(self)
        self.timer.setInterval(FRAME_MS)
        self.timer.timeout.connect(self._tick)
        self._clock = QElapsedTimer()
        source.updated.connect(self._source_updated)
        source.series.progressed.connect(self._read_progress)
        self._source_updated(None)

    # --- construction -----------------------------------------------------------------

    def _make_controls(self) -> None:
        self.host_box = QComboBox()
        self.host_box.setToolTip(
            translate(
                "UtilizationView", "What the plots show; click host cards on the canvas to choose"
            )
        )
        self.host_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.host_box.activated.connect(self._host_chosen)
        self.play_button = QToolButton()
        self.play_button.setCheckable(True)
        self.play_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.play_button.setToolTip(translate("UtilizationView", "Stream simulated time (Space)"))
        self.play_button.toggled.connect(self._play_toggled)
        self.speed_box = QComboBox()
        self.speed_box.setToolTip(translate("UtilizationView", "Simulated time per real second"))
        for s in SPEEDS:
            self.speed_box.addItem(f"×{s}", s)
        self.speed_box.setCurrentIndex(SPEEDS.index(DEFAULT_SPEED))
        self.speed_box.currentIndexChanged.connect(
            lambda i: self.set_speed(float(self.speed_box.itemData(i)))
        )
        self.window_box = QComboBox()
        self.window_box.setToolTip(
            translate("UtilizationView", "How much simulated time the plots show")
        )
        for title, minutes in WINDOWS:
            self.window_box.addItem(translate("UtilizationView", title), minutes)
        self.window_box.setCurrentIndex(DEFAULT_WINDOW)
        self.window_box.currentIndexChanged.connect(self._window_chosen)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setAccessibleName(translate("UtilizationView", "Simulated time"))
        self.slider.setAccessibleDescription(
            translate(
                "UtilizationView", "Scrub to a simulated time; the readout says the load then"
            )
        )
        self.slider.setToolTip(translate("UtilizationView", "Scrub to a simulated time"))
        self.slider.valueChanged.connect(self._scrubbed)
        self.time_label = QLabel()
        self.time_label.setMinimumWidth(92)
        row = QHBoxLayout()
        row.setSpacing(6)
        row.addWidget(QLabel(translate("UtilizationView", "Show:")))
        row.addWidget(self.host_box)
        row.addWidget(self.play_button)
        row.addWidget(self.speed_box)
        row.addWidget(QLabel(translate("UtilizationView", "Window:")))
        row.addWidget(self.window_box)
        row.addWidget(self.slider, 1)
        row.addWidget(self.time_label)
        self._controls = row
        self._make_reading_row()
        self.readout = QLabel()
        self.readout.setTextFormat(Qt.TextFormat.RichText)
        self.readout.setWordWrap(True)
        self._set_play_text(False)

    def _make_reading_row(self) -> None:
        """Shown while measured series files are read (off the GUI thread): how far, and
        Cancel; after a cancel or a failure, Read again."""
        self.reading_row = QWidget()
        row = QHBoxLayout(self.reading_row)
        row.setContentsMargins(0, 0, 0, 0)
        self.read_bar = QProgressBar()
        self.read_bar.setAccessibleName(translate("UtilizationView", "Reading the series"))
        self.read_bar.setRange(0, 0)
        self.read_button = QPushButton()
        self.read_button.clicked.connect(self._read_button_clicked)
        row.addWidget(self.read_bar, 1)
        row.addWidget(self.read_button)
        self.reading_row.setVisible(False)

    def _show_reading(self) -> None:
        series = self.source.series
        self.reading_row.setVisible(series.reading or (series.stopped and self.live is None))
        self.read_bar.setVisible(series.reading)
        if series.reading:
            self.read_button.setText(translate("UtilizationView", "Cancel"))
            self.read_button.setToolTip(
                translate("UtilizationView", "Stop reading the measured series")
            )
        else:
            self.read_bar.setRange(0, 0)
            self.read_button.setText(translate("UtilizationView", "Read again"))
            self.read_button.setToolTip(
                translate("UtilizationView", "Read the plan's measured series files again")
            )

    def _read_progress(self, done: int, total: int) -> None:
        if total > 0:
            self.read_bar.setRange(0, total)
            self.read_bar.setValue(done)

    def _read_button_clicked(self) -> None:
        if self.source.series.reading:
            self.source.series.cancel()
        else:
            self.source.series.read_again()

    def _make_plots(self) -> None:
        self.plots = pg.GraphicsLayoutWidget()
        self.plots.setAccessibleName(translate("UtilizationView", "Utilization plots"))
        self.plots.setAccessibleDescription(
            translate(
                "UtilizationView",
                "CPU, RAM and NIC in percent over simulated time; "
                "the readout above says the values",
            )
        )
        self.plots.ci.setSpacing(4)
        # Below this the three plots squash into each other's axis labels.
        self.plots.setMinimumHeight(PLOTS_MIN_H)
        # Six entries a row: one row of nine long host names would widen the window.
        self.legend = pg.LegendItem(colCount=6, labelTextSize="8pt")
        self.plots.addItem(self.legend, row=0, col=0)
        self.plot_items: list[pg.PlotItem] = []
        self.cluster_curves: list[pg.PlotDataItem] = []
        self.host_curves: list[list[pg.PlotDataItem]] = []
        self.bands: list[pg.LinearRegionItem] = []
        self.cursors: list[pg.InfiniteLine] = []
        self.caps: list[pg.InfiniteLine] = []
        self.fail_lines: list[pg.InfiniteLine] = []
        self.notes: list[pg.TextItem] = []
        for row, name in enumerate(METRICS):
            axis = ClockAxis(orientation="bottom")
            p = self.plots.addPlot(row=row + 1, col=0, axisItems={"bottom": axis})
            p.setMenuEnabled(False)
            p.setMouseEnabled(x=False, y=False)
            p.hideButtons()
            # No horizontal grid: with it pyqtgraph clips the axis labels to the plot, which
            # loses 0 and 100 in a short plot; the 100 % line and the band are the reference.
            p.showGrid(x=True, y=False, alpha=0.15)
            p.setClipToView(True)
            p.setDownsampling(auto=True, mode="peak")
            p.getAxis("left").setWidth(54)
            # Short plots in the dock: still label both 0 and 100 (by default pyqtgraph drops
            # labels once they fill more than 60 % of the axis).
            p.getAxis("left").setStyle(textFillLimits=[(0, 1.0), (2, 0.95), (4, 0.6)])
            if name == "RAM":
                p.getAxis("left").setToolTip(
                    translate(
                        "UtilizationView",
                        "Percent of the RAM left for VMs: the host's RAM less the host reserve",
                    )
                )
            if row < len(METRICS) - 1:
                axis.setStyle(showValues=False)
                axis.setHeight(6)
            # The clock labels say what the axis is; a title would take a plot's worth of room.
            axis.setToolTip(translate("UtilizationView", "Simulated time"))
            if self.plot_items:
                p.setXLink(self.plot_items[0])
            band = pg.LinearRegionItem(
                (80, 100),
                orientation="horizontal",
                movable=False,
                pen=pg.mkPen(None),
            )
            band.setZValue(-10)
            p.addItem(band)
            cap = pg.InfiniteLine(100, angle=0)
            p.addItem(cap)
            fail = pg.InfiniteLine(0, angle=90)
            fail.setVisible(False)
            p.addItem(fail)
            cursor = pg.InfiniteLine(0, angle=90)
            p.addItem(cursor)
            curves = [p.plot() for _ in range(MAX_HOSTS)]
            cluster = p.plot()
            note = pg.TextItem("", anchor=(0, 0))
            p.addItem(note, ignoreBounds=True)
            self.plot_items.append(p)
            self.cluster_curves.append(cluster)
            self.host_curves.append(curves)
            self.bands.append(band)
            self.cursors.append(cursor)
            self.caps.append(cap)
            self.fail_lines.append(fail)
            self.notes.append(note)
        # Legend samples only: lines and the band drawn in the plots cannot be legend items.
        self._legend_capacity = pg.PlotDataItem()
        self._legend_band = pg.PlotDataItem()
        self._apply_theme()
        theme().changed.connect(self._theme_changed)

    def _apply_theme(self) -> None:
        """Background, axes, lines and legend in the theme's colours (pyqtgraph has none)."""
        c = colours()
        self.plots.setBackground(c.plot_back)
        band = QColor(c.state["near"])
        band.setAlpha(BAND_ALPHA)
        legend_band = QColor(band)
        legend_band.setAlpha(110)
        self.legend.setLabelTextColor(c.text)
        for _, label in self.legend.items:
            label.setText(label.text)  # setLabelTextColor alone keeps the old rendering
        for p, name in zip(self.plot_items, METRICS, strict=True):
            for side in ("left", "bottom"):
                p.getAxis(side).setPen(c.muted)
                p.getAxis(side).setTextPen(c.text)
            p.setLabel("left", f"{name} %", color=c.text.name())
        dash, dot = Qt.PenStyle.DashLine, Qt.PenStyle.DotLine
        for m in range(len(self.plot_items)):
            self.bands[m].setBrush(pg.mkBrush(band))
            self.caps[m].setPen(pg.mkPen(c.full_line, width=1.2, style=dash))
            self.fail_lines[m].setPen(pg.mkPen(c.full_line, width=1.5, style=dot))
            self.cursors[m].setPen(pg.mkPen(c.cursor, width=1.5))
            for curve, colour in zip(self.host_curves[m], c.host_lines, strict=False):
                curve.setPen(pg.mkPen(colour, width=1.6))
            self.cluster_curves[m].setPen(pg.mkPen(c.cluster_line, width=2.2))
            self.notes[m].setColor(c.muted)
        self._legend_capacity.setPen(pg.mkPen(c.full_line, width=1.2))
        self._legend_band.setPen(pg.mkPen(legend_band, width=8))

    def _theme_changed(self) -> None:
        self._apply_theme()
        live = self.live
        if live is not None and self._last_step >= 0:
            self._update_readout(live, self._last_step)

    # --- public -------------------------------------------------------------------------

    @property
    def live(self) -> LiveSimulation | None:
        return self.source.live

    def show_hosts(self, hosts: list[str]) -> None:
        """Plots these hosts (at most MAX_HOSTS) beside the cluster; [] shows the cluster only."""
        live = self.live
        known = live.sim.host_index if live is not None else {}
        # Plan order, so the colours and the legend do not depend on the order of clicks.
        asked = sorted((h for h in set(hosts) if h in known), key=known.__getitem__)
        wanted = asked[:MAX_HOSTS]
        if wanted == self.shown_hosts and len(asked) == self.asked_hosts:
            return
        self.shown_hosts = wanted
        self.asked_hosts = len(asked)
        self._fill_host_box()
        self._recompute()
        self._render(force=True)

    def play(self) -> None:
        self.play_button.setChecked(True)

    def pause(self) -> None:
        self.play_button.setChecked(False)

    @property
    def playing(self) -> bool:
        return self.playback.playing

    def set_speed(self, speed: float) -> None:
        self.playback.speed = speed
        i = self.speed_box.findData(int(speed))
        if i >= 0 and i != self.speed_box.currentIndex():
            self.speed_box.setCurrentIndex(i)

    def seek(self, minute: float) -> None:
        self.playback.seek(minute)
        self._render(force=True)

    def set_window(self, minutes: float) -> None:
        i = self.window_box.findData(minutes)
        if i >= 0:
            self.window_box.setCurrentIndex(i)

    def advance(self, real_seconds: float) -> None:
        """One frame of the live mode: time moves on by `real_seconds` × speed."""
        self.playback.advance(real_seconds)
        self._render()

    def visible_data(self, metric: int, host: str = CLUSTER) -> tuple[FloatArray, FloatArray]:
        """(hours, percent) as drawn now for the cluster or a shown host."""
        if host == CLUSTER:
            curve = self.cluster_curves[metric]
        else:
            curve = self.host_curves[metric][self.shown_hosts.index(host)]
        x, y = curve.getData()
        if x is None:
            return np.zeros(0), np.zeros(0)
        return np.asarray(x), np.asarray(y)

    # --- reacting -----------------------------------------------------------------------

    def _source_updated(self, touched: object) -> None:
        self._show_reading()
        if not self.isVisible():
            # A hidden view (the dock behind the tab, or the other way round) catches up
            # when it is shown; until then an edit, or a new simulation, costs it nothing.
            self._stale = True
            return
        self._stale = False
        live = self.live
        if live is None:
            self.shown_hosts = []
            self._pct = {}
            self._fill_host_box()
            self._render(force=True)
            return
        self.shown_hosts = [h for h in self.shown_hosts if h in live.sim.host_index]
        self.playback.period_minutes = live.period_minutes
        self._hours = live.minutes() / 60.0
        self.slider.blockSignals(True)
        self.slider.setRange(0, int(live.period_minutes))
        self.slider.setSingleStep(int(live.step_minutes))
        self.slider.setPageStep(60)
        self.slider.blockSignals(False)
        self._fill_host_box()
        self._recompute()
        self._render(force=True)

    def host_name(self, host: str) -> str:
        """A host as the canvas titles it: its name (a DNS name without the domain that
        every host shares), else its id."""
        live = self.live
        if live is None or host not in live.sim.host_index:
            return host
        h = live.sim.hosts[live.sim.host_index[host]]
        name = h.name or h.id
        return name.split(".", 1)[0] if "." in name.strip(".") else name

    def _fill_host_box(self) -> None:
        live = self.live
        hosts = [(h.id, h.name or h.id) for h in live.sim.hosts] if live is not None else []
        cluster = translate("UtilizationView", "Cluster (hosts in use)")
        items = [cluster, *(name for _, name in hosts)]
        box = self.host_box
        box.blockSignals(True)
        # Compared with what was put in, not read back: 1,500 itemText calls per edit.
        if self._box_items != items or box.count() != len(items):
            self._box_items = items
            box.clear()
            box.addItem(cluster, CLUSTER)
            for hid, name in hosts:
                box.addItem(name, hid)
        box.setCurrentIndex(box.findData(self.shown_hosts[0]) if self.shown_hosts else 0)
        box.blockSignals(False)

    def _host_chosen(self, index: int) -> None:
        host = self.host_box.itemData(index)
        self.show_hosts([] if host == CLUSTER else [str(host)])

    def _recompute(self) -> None:
        live = self.live
        if live is None:
            self._pct = {}
            return
        self._pct = {h: live.percent(h) for h in [CLUSTER, *self.shown_hosts]}
        head = live.headroom_pct(self.shown_hosts[0] if len(self.shown_hosts) == 1 else CLUSTER)
        for m, p in enumerate(self.plot_items):
            top = max(
                (float(np.nanmax(v[m])) for v in self._pct.values() if not np.isnan(v[m]).all()),
                default=0.0,
            )
            # A fixed scale while streaming: the axis moves only when the data does.
            ymax = max(110.0, math.ceil(top * 1.08 / 10) * 10)
            p.setYRange(0, ymax, padding=0)
            # 0 and 100 always carry a label; 50s are grid lines only, so short plots stay legible.
            step = 100 * max(1, math.ceil(ymax / 400))
            marks = {0, 100, *range(0, int(ymax) + 1, step)}
            ticks = [(float(v), f"{v}") for v in sorted(marks)]
            halves = [(float(v), "") for v in range(50, int(ymax) + 1, 100)]
            p.getAxis("left").setTicks([ticks, halves])
            known = bool(np.isfinite(head[m]))
            self.bands[m].setVisible(bool(known and head[m] < 100))
            if known:
                self.bands[m].setRegion((float(head[m]), 100.0))
            self.notes[m].setText(self._empty_note(live, m))
        failed = live.failed_hosts
        for line in self.fail_lines:
            line.setVisible(bool(failed))
            if failed:
                line.setValue(live.fail_minute / 60.0)
        self._fill_legend(live, head)
        self._last_step = -1

    def _empty_note(self, live: LiveSimulation, m: int) -> str:
        """Why a plot has no line, or "" when it has one."""
        if not live.sim.hosts:
            return translate(
                "UtilizationView", "No hosts yet: add hosts and VMs to see their simulated load"
            )
        if not np.isnan(self._pct[CLUSTER][m]).all():
            return ""
        if METRICS[m] == "NIC":
            return translate(
                "UtilizationView", "NIC capacity unknown: the host models list no NICs"
            )
        return translate("UtilizationView", "{metric} capacity unknown").format(metric=METRICS[m])

    def _fill_legend(self, live: LiveSimulation, head: FloatArray) -> None:
        hosts = [
            translate("UtilizationView", "{host} (failed)").format(host=self.host_name(h))
            if h in live.failed_hosts
            else self.host_name(h)
            for h in self.shown_hosts
        ]
        finite = head[np.isfinite(head)]
        band = (
            translate("UtilizationView", "headroom ({percent} %)").format(
                percent=fmt(100 - finite.min(), 0)
            )
            if len(finite) and finite.min() < 100
            else ""
        )
        cluster = cluster_label(live)
        key = (cluster, *hosts, band)
        # Rebuilding the legend lays out a label per entry: only when an entry changes.
        if key == self._legend_key:
            return
        self._legend_key = key
        self.legend.clear()
        self.legend.addItem(self.cluster_curves[0], cluster)
        for j, label in enumerate(hosts):
            self.legend.addItem(self.host_curves[0][j], label)
        self.legend.addItem(self._legend_capacity, translate("UtilizationView", "100 % capacity"))
        if band:
            self.legend.addItem(self._legend_band, band)

    def _play_toggled(self, on: bool) -> None:
        self.playback.playing = on
        self._set_play_text(on)
        if on and self.isVisible():
            self._clock.start()
            self.timer.start()
        elif not on:
            self.timer.stop()

    def _set_play_text(self, playing: bool) -> None:
        # Standard icons: the pause glyph is missing from common fonts and shows as a box.
        icon = (
            QStyle.StandardPixmap.SP_MediaPause if playing else QStyle.StandardPixmap.SP_MediaPlay
        )
        self.play_button.setIcon(self.style().standardIcon(icon))
        self.play_button.setText(
            translate("UtilizationView", "Pause")
            if playing
            else translate("UtilizationView", "Play")
        )

    def _window_chosen(self, index: int) -> None:
        self.window_minutes = float(self.window_box.itemData(index))
        self._render(force=True)

    def _scrubbed(self, value: int) -> None:
        self.playback.seek(float(value))
        self._render(force=True)

    def _tick(self) -> None:
        elapsed = self._clock.restart() / 1000.0
        # A stalled event loop must not jump the stream by minutes of simulated time.
        self.advance(min(elapsed, 0.25))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self._source_updated(None)
        if self.playback.playing:
            self._clock.start()
            self.timer.start()

    def hideEvent(self, event: QHideEvent) -> None:
        # Nobody sees a hidden plot: stop drawing it, keep the position.
        self.timer.stop()
        super().hideEvent(event)

    # --- drawing ------------------------------------------------------------------------

    def _render(self, force: bool = False) -> None:
        live = self.live
        t = self.playback.minute
        if live is None or not self._pct:
            for curves in [self.cluster_curves, *[list(c) for c in self.host_curves]]:
                for c in curves:
                    c.setData([], [])
            self.readout.setText(rich(self.source.error))
            return
        step = live.sim.axis.step_minutes
        i1 = min(int(t // step) + 1, len(self._hours))
        window = min(self.window_minutes, live.period_minutes)
        # The window trails the time position; before one window has passed it starts at 0.
        lo = max(t - window, 0.0)
        hi = max(t, window)
        i0 = int(lo // step)
        x = self._hours[i0:i1]
        for m in range(len(METRICS)):
            self.cluster_curves[m].setData(x, self._pct[CLUSTER][m, i0:i1])
            for j, curve in enumerate(self.host_curves[m]):
                if j < len(self.shown_hosts):
                    curve.setData(x, self._pct[self.shown_hosts[j]][m, i0:i1])
                    curve.setVisible(True)
                else:
                    curve.setVisible(False)
            self.cursors[m].setValue(t / 60.0)
        room = window * CURSOR_ROOM
        self.plot_items[0].setXRange(lo / 60.0, (hi + room) / 60.0, padding=0)
        for note in self.notes:
            if note.toPlainText():
                # The first plot's range: the linked ones may not have followed it yet.
                note.setPos(lo / 60.0, 100.0)
        self.slider.blockSignals(True)
        self.slider.setValue(int(t))
        self.slider.blockSignals(False)
        current = i1 - 1
        if force or current != self._last_step:
            self._last_step = current
            self.time_label.setText(clock(t))
            self._update_readout(live, current)

    def _update_readout(self, live: LiveSimulation, i: int) -> None:
        parts = []
        names = [CLUSTER, *self.shown_hosts]
        c = colours()
        line_colours = [c.cluster_line.name(), *(h.name() for h in c.host_lines)]
        for name, colour in zip(names, line_colours, strict=False):
            pct = self._pct[name][:, i]
            values = " · ".join(
                f"{m} {fmt(v, 0)} %" for m, v in zip(METRICS, pct, strict=True) if np.isfinite(v)
            )
            failed = live.failed_at(name) if name != CLUSTER else None
            if failed is not None and live.sim.axis.minutes()[i] >= failed:
                values = translate("UtilizationView", "failed")
            label = html.escape(self.host_name(name) if name != CLUSTER else cluster_label(live))
            parts.append(f"<b style='color:{colour}'>{label}</b> {values}")
        text = translate("UtilizationView", "Simulated use: {parts}").format(
            parts="  |  ".join(parts)
        )
        if self.asked_hosts > len(self.shown_hosts):
            showing = translate(
                "UtilizationView",
                "showing {shown} of {asked} selected hosts (more lines would be unreadable)",
            ).format(shown=fmt(len(self.shown_hosts)), asked=fmt(self.asked_hosts))
            text += f"<br><span style='color:{c.muted.name()}'>{showing}</span>"
        if live.failed_hosts:
            what_if = (
                translate("UtilizationView", "What-if: {hosts} fails at {time}")
                if len(live.failed_hosts) == 1
                else translate("UtilizationView", "What-if: {hosts} fail at {time}")
            ).format(hosts=rich(", ".join(live.failed_hosts)), time=clock(live.fail_minute))
            text += f"<br><span style='color:{c.full_line.name()}'>{what_if}</span>"
        self.readout.setText(text)
