"""The Earnings view's bar chart: earnings per day, week or month, paid out and waiting stacked.

Qt Charts (``PySide6.QtCharts``, in PySide6's add-ons) draws it: it is Qt's own widget-based
chart module, so it paints with the window's fonts and palette, prints and scales like the rest
of the window and needs no other toolkit (docs/earnings.md, "Chart"). This module is imported
only when the Earnings view first opens (:mod:`vendor_desk.ui.earnings_view`), so the app's cold
start does not load Qt Charts.

The bar heights are the only place an amount becomes a float: Qt Charts plots ``float`` values.
The amounts the vendor reads (tooltips, figures) are formatted from the ``Decimal`` amounts.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QDate, QLocale, QMargins, QPointF, Qt, Signal, Slot
from PySide6.QtGui import QColor, QCursor, QPainter, QPalette
from PySide6.QtWidgets import QToolTip, QWidget

from vendor_desk.domain.earnings import Bucket, BucketTotal
from vendor_desk.i18n import ngettext
from vendor_desk.ui.formatting import format_money

PAID_COLOUR = "#2b8a3e"
WAITING_COLOUR = "#f59f00"


def bucket_label(
    start: date, bucket: Bucket, locale: QLocale | None = None, *, year: bool = False
) -> str:
    """A bar's label: the day of the month, a week's first day, or a month's short name (with
    the year's two digits when the chart spans more than one year)."""
    locale = locale or QLocale()
    day = QDate(start.year, start.month, start.day)
    if bucket is Bucket.DAY:
        return str(start.day)
    if bucket is Bucket.WEEK:
        return locale.toString(day, "d MMM")
    return locale.toString(day, "MMM yy" if year else "MMM")


class EarningsChart(QChartView):
    """Stacked bars of :class:`BucketTotal` (paid out below, waiting above).

    Signals:
        bar_clicked(int): the vendor clicked the bar of ``buckets[index]``.
    """

    bar_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        chart = QChart()
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        chart.setBackgroundVisible(False)
        chart.setMargins(QMargins(4, 4, 4, 4))
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        super().__init__(chart, parent)
        self.setObjectName("earningsChart")
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(200)
        self._buckets: tuple[BucketTotal, ...] = ()
        self._currency = ""
        self.paid_set = QBarSet(self.tr("Paid out"))
        self.waiting_set = QBarSet(self.tr("Not paid out yet"))
        self.paid_set.setColor(QColor(PAID_COLOUR))
        self.waiting_set.setColor(QColor(WAITING_COLOUR))
        for bar_set in (self.paid_set, self.waiting_set):
            bar_set.setBorderColor(QColor(Qt.GlobalColor.transparent))
        self.series = QStackedBarSeries()
        self.series.append(self.paid_set)
        self.series.append(self.waiting_set)
        self.series.setBarWidth(0.7)
        self.series.clicked.connect(self._clicked)
        self.series.hovered.connect(self._hovered)
        chart.addSeries(self.series)
        self.axis_x = QBarCategoryAxis()
        self.axis_y = QValueAxis()
        self.axis_y.setLabelFormat("%.0f")
        self.axis_y.setMin(0)
        chart.addAxis(self.axis_x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(self.axis_y, Qt.AlignmentFlag.AlignLeft)
        self.series.attachAxis(self.axis_x)
        self.series.attachAxis(self.axis_y)
        text = self.palette().color(QPalette.ColorRole.Text)
        for axis in (self.axis_x, self.axis_y):
            axis.setLabelsColor(text)
            axis.setTitleBrush(text)
        chart.legend().setLabelColor(text)

    @property
    def buckets(self) -> tuple[BucketTotal, ...]:
        return self._buckets

    def set_buckets(self, buckets: Sequence[BucketTotal], bucket: Bucket, currency: str) -> None:
        """Show one stacked bar per bucket (in the order given)."""
        self._buckets = tuple(buckets)
        self._currency = currency
        locale = QLocale()
        self.paid_set.remove(0, self.paid_set.count())
        self.waiting_set.remove(0, self.waiting_set.count())
        labels: list[str] = []
        years = len({total.start.year for total in self._buckets}) > 1
        for total in self._buckets:
            label = bucket_label(total.start, bucket, locale, year=years)
            while label in labels:  # categories must differ (two "Jan" a year apart)
                label += " "
            labels.append(label)
        self.paid_set.append([float(total.paid_out.amount) for total in self._buckets])
        self.waiting_set.append([float(total.waiting.amount) for total in self._buckets])
        self.axis_x.clear()
        self.axis_x.append(labels)
        highest = max((float((t.paid_out + t.waiting).amount) for t in self._buckets), default=0.0)
        self.axis_y.setRange(0, highest * 1.08 if highest > 0 else 1)
        self.axis_y.applyNiceNumbers()
        self.axis_y.setTitleText(currency)

    def bar_centre(self, index: int) -> tuple[int, int]:
        """Where the bar of ``buckets[index]`` is drawn, in the viewport (for tests)."""
        total = self._buckets[index]
        height = float((total.paid_out + total.waiting).amount) / 2
        point = self.chart().mapToPosition(QPointF(index, height), self.series)
        viewport = self.mapFromScene(point)
        return viewport.x(), viewport.y()

    @Slot(int, QBarSet)
    def _clicked(self, index: int, _bar_set: QBarSet) -> None:
        if 0 <= index < len(self._buckets):
            self.bar_clicked.emit(index)

    @Slot(bool, int, QBarSet)
    def _hovered(self, on: bool, index: int, _bar_set: QBarSet) -> None:
        if not on or not 0 <= index < len(self._buckets):
            QToolTip.hideText()
            return
        total = self._buckets[index]
        count = len(total.order_ids)
        text = "\n".join(
            (
                self.tr("Paid out: {amount}").format(
                    amount=format_money(total.paid_out.amount, self._currency)
                ),
                self.tr("Not paid out yet: {amount}").format(
                    amount=format_money(total.waiting.amount, self._currency)
                ),
                ngettext("{count} order", "{count} orders", count).format(count=count),
                self.tr("Click to list them"),
            )
        )
        QToolTip.showText(QCursor.pos(), text, self)


__all__ = ["EarningsChart", "bucket_label"]
