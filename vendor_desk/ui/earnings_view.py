"""The Earnings view: what the vendor earned over a period, what is paid out and what waits.

A page of the main window (View ▸ Earnings, Ctrl+Shift+E, the toolbar), sharing the central
area with the order list and the Pack view. For the period picked (this week, this month, last
month, this year, or any range of days) it shows, from the cache and so offline too:

* the figures — gross sales, your earnings, kept by the marketplace, shipping and tax you
  receive, refunds, paid out / payout requested / waiting — each a button listing the orders
  behind it (:meth:`EarningsSummary.order_ids`);
* a bar chart of the earnings per day, week or month, paid out and waiting stacked (Qt Charts,
  :mod:`vendor_desk.ui.earnings_chart`, loaded when the view first opens); a bar lists its
  orders;
* the best-selling products (a product lists its orders);
* the marketplace's own ``sales-stats`` figures beside ours, with the sentences explaining the
  difference (:func:`vendor_desk.sync.earnings.compare`), read on the account's worker — offline,
  it says they are not available.

The orders listed open in the order list with a double-click or Enter
(:meth:`MainWindow.open_order`). The summary is read by :func:`vendor_desk.sync.earnings.
load_summary`; there is no SQL and no rule here.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QCoreApplication,
    QDate,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDateEdit,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from vendor_desk.domain import Money, SalesStats
from vendor_desk.domain.earnings import EarningsLine, EarningsSummary, Period, ProductSales
from vendor_desk.i18n import ngettext
from vendor_desk.ui import labels
from vendor_desk.ui.fitting import ColumnFitter
from vendor_desk.ui.formatting import format_count, format_datetime, format_money
from vendor_desk.ui.record_table import RecordTableModel, record_table_view
from vendor_desk.ui.workers import JobError

if TYPE_CHECKING:
    from vendor_desk.ui.earnings_chart import EarningsChart
    from vendor_desk.ui.main_window import MainWindow

_Index = QModelIndex | QPersistentModelIndex

STATS_JOB = "sales-stats"
#: The marketplace's figures are read again after this long (seconds) when the view reopens.
STATS_FRESH_FOR = 10 * 60.0

#: The period buttons, in the order shown.
PERIODS = ("this_week", "this_month", "last_month", "this_year", "range")

#: The figures, in the order shown (three columns): what was sold and how it splits, then
#: where the earnings are.
FIGURES = (
    "gross_sales",
    "kept_by_marketplace",
    "refunds",
    "shipping",
    "tax",
    "earnings",
    "paid_out",
    "requested",
    "waiting",
)


def period_label(key: str) -> str:
    return {
        "this_week": QCoreApplication.translate("Earnings", "This week"),
        "this_month": QCoreApplication.translate("Earnings", "This month"),
        "last_month": QCoreApplication.translate("Earnings", "Last month"),
        "this_year": QCoreApplication.translate("Earnings", "This year"),
        "range": QCoreApplication.translate("Earnings", "Dates:"),
    }[key]


def figure_label(key: str) -> str:
    return {
        "gross_sales": QCoreApplication.translate("Earnings", "Gross sales"),
        "earnings": QCoreApplication.translate("Earnings", "Your earnings"),
        "kept_by_marketplace": QCoreApplication.translate("Earnings", "Kept by the marketplace"),
        "shipping": QCoreApplication.translate("Earnings", "Shipping"),
        "tax": QCoreApplication.translate("Earnings", "Tax"),
        "refunds": QCoreApplication.translate("Earnings", "Refunds"),
        "paid_out": QCoreApplication.translate("Earnings", "Paid out"),
        "requested": QCoreApplication.translate("Earnings", "Payout requested"),
        "waiting": QCoreApplication.translate("Earnings", "Waiting for payout"),
    }[key]


def figure_help(key: str) -> str:
    return {
        "gross_sales": QCoreApplication.translate(
            "Earnings", "What customers paid for your items, before commission and refunds."
        ),
        "earnings": QCoreApplication.translate(
            "Earnings",
            "What you earn: your commission on the items, plus the shipping and tax you receive.",
        ),
        "kept_by_marketplace": QCoreApplication.translate(
            "Earnings",
            "What customers paid on your part that does not reach you: the marketplace's "
            "commission, and shipping or tax it does not pass on.",
        ),
        "shipping": QCoreApplication.translate(
            "Earnings", "The shipping customers paid on your part of the orders."
        ),
        "tax": QCoreApplication.translate(
            "Earnings", "The tax on your part of the orders (items and shipping)."
        ),
        "refunds": QCoreApplication.translate(
            "Earnings", "What was given back to customers on your items."
        ),
        "paid_out": QCoreApplication.translate(
            "Earnings", "Earnings the marketplace has paid you."
        ),
        "requested": QCoreApplication.translate(
            "Earnings", "Earnings you asked the marketplace to pay out."
        ),
        "waiting": QCoreApplication.translate(
            "Earnings", "Earnings not paid out or requested yet."
        ),
    }[key]


def make_period(key: str, today: date, start: date, end: date) -> Period:
    """The :class:`Period` of a period button (``range``: ``start`` to ``end``)."""
    if key == "this_week":
        return Period.this_week(today)
    if key == "this_month":
        return Period.this_month(today)
    if key == "last_month":
        return Period.last_month(today)
    if key == "this_year":
        return Period.this_year(today)
    return Period.between(min(start, end), max(start, end))


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


def _short_date(moment: datetime) -> str:
    local = moment.astimezone() if moment.tzinfo else moment
    return QLocale().toString(_qdate(local.date()), QLocale.FormatType.ShortFormat)


def _money(amount: Money) -> str:
    return format_money(amount.amount, amount.currency)


# ------------------------------------------------------------------------------- models
COL_ORDER, COL_DATE, COL_CUSTOMER, COL_EARNING, COL_PAYOUT, COL_STATUS, COL_ITEMS = range(7)
ORDER_ID_ROLE = int(Qt.ItemDataRole.UserRole) + 1
#: The orders list's columns, the most useful first: those that do not fit give way.
ORDER_COLUMN_PRIORITY = (
    COL_ORDER,
    COL_EARNING,
    COL_PAYOUT,
    COL_DATE,
    COL_CUSTOMER,
    COL_STATUS,
    COL_ITEMS,
)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


class EarningsOrdersModel(RecordTableModel):
    """The order parts behind a figure, a bar or a product (:class:`EarningsLine`)."""

    def __init__(self, parent: Any = None) -> None:
        headers = [
            QCoreApplication.translate("Earnings", "Order"),
            QCoreApplication.translate("Earnings", "Date"),
            QCoreApplication.translate("Earnings", "Customer"),
            QCoreApplication.translate("Earnings", "Earning"),
            QCoreApplication.translate("Earnings", "Payout"),
            QCoreApplication.translate("Earnings", "Status"),
            QCoreApplication.translate("Earnings", "Items"),
        ]
        super().__init__(headers, {"all": None}, parent)

    def line(self, row: int) -> EarningsLine:
        return self.record(row)  # type: ignore[no-any-return]

    def order_ids(self) -> list[int]:
        return [line.order_id for line in self.records]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        line: EarningsLine | None = self.record_at(index)
        if line is None:
            return None
        column = index.column()
        if role == ORDER_ID_ROLE:
            return line.order_id
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (COL_ITEMS, COL_EARNING):
            return _RIGHT
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if column == COL_ORDER:
            return f"#{line.number}"
        if column == COL_DATE:
            return format_datetime(line.date_created or line.date_paid)
        if column == COL_CUSTOMER:
            return line.customer
        if column == COL_STATUS:
            return labels.status_label(line.status)
        if column == COL_ITEMS:
            return _money(line.items_total)
        if column == COL_EARNING:
            return _money(line.earning)
        if column == COL_PAYOUT:
            state = payout_label(line.payout_state)
            if line.payout_date is not None:
                return f"{state} · {_short_date(line.payout_date)}"
            return state
        return None  # pragma: no cover - columns are fixed


def payout_label(state: str) -> str:
    return {
        "completed": QCoreApplication.translate("Earnings", "Paid out"),
        "requested": QCoreApplication.translate("Earnings", "Requested"),
        "pending": QCoreApplication.translate("Earnings", "Waiting"),
        "cancelled": QCoreApplication.translate("Earnings", "Payout cancelled"),
    }.get(state, state or QCoreApplication.translate("Earnings", "Unknown"))


class BestSellersModel(RecordTableModel):
    """The period's best-selling products (:class:`ProductSales`)."""

    def __init__(self, parent: Any = None) -> None:
        headers = [
            QCoreApplication.translate("Earnings", "Product"),
            QCoreApplication.translate("Earnings", "Sold"),
            QCoreApplication.translate("Earnings", "Sales"),
        ]
        super().__init__(headers, {"all": None}, parent)

    def product(self, row: int) -> ProductSales:
        return self.record(row)  # type: ignore[no-any-return]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        product: ProductSales | None = self.record_at(index)
        if product is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.TextAlignmentRole and column > 0:
            return _RIGHT
        if role == Qt.ItemDataRole.ToolTipRole and column == 0:
            return f"{product.name} ({product.sku})" if product.sku else product.name
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column == 0:
            return product.name
        if column == 1:
            return format_count(product.units)
        return _money(product.total)


# ------------------------------------------------------------------------------- figures
class FigureButton(QPushButton):
    """One figure: its name above its amount; clicking it lists the orders behind it."""

    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.setObjectName(f"figure_{key}")
        self.setCheckable(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(figure_help(key) + "\n" + self.tr("Click to list the orders."))
        self.title = QLabel(figure_label(key))
        self.title.setObjectName("muted")
        self.amount = QLabel()
        self.amount.setObjectName("figureAmount")
        font = self.amount.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(key == "earnings")
        self.amount.setFont(font)
        for label in (self.title, self.amount):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(0)
        layout.addWidget(self.title)
        layout.addWidget(self.amount)
        self.setMinimumHeight(self.sizeHint().height())
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> Any:
        layout = self.layout()
        hint = super().sizeHint()
        return hint if layout is None else layout.sizeHint().expandedTo(hint)

    def set_amount(self, text: str) -> None:
        self.amount.setText(text)


# ------------------------------------------------------------------------------- the view
class EarningsView(QWidget):
    """The Earnings page (see the module docs).

    Args:
        cache: the open cache.
        account_id: the account shown.
        today: the vendor's "today" (tests fix it; default: the computer's date).
        tz: the vendor's time zone for the periods' days (None: the computer's).

    Signals:
        order_requested(int): open this order in the order list.
        back_requested(): back to the order list.
        period_changed(str): a period was picked (the page remembers it for next time).
    """

    order_requested = Signal(int)
    back_requested = Signal()
    #: The vendor picked a period (its key in PERIODS).
    period_changed = Signal(str)

    def __init__(
        self,
        cache: Any,
        account_id: int,
        *,
        today: Callable[[], date] | None = None,
        tz: Any = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("earningsView")
        self._cache = cache
        self._account_id = account_id
        self._today = today or (lambda: datetime.now().astimezone().date())
        self._tz = tz
        self.summary: EarningsSummary | None = None
        self.period_key = "this_month"
        #: What the orders list shows: ("figure", key), ("bar", index), ("product", row), or
        #: None (nothing yet: the lines are read only for what is clicked).
        self.listing: tuple[str, Any] | None = None
        self._stats: SalesStats | None = None
        self._stats_note = ""

        # ---- top: back, title, periods
        self.back_button = QPushButton(
            self.style().standardIcon(QStyle.StandardPixmap.SP_ArrowBack), self.tr("Orders")
        )
        self.back_button.setObjectName("earningsBack")
        self.back_button.setToolTip(self.tr("Back to the order list (Esc)"))
        self.back_button.clicked.connect(self.back_requested)
        title = QLabel(self.tr("Earnings"))
        title.setObjectName("detailTitle")
        self.period_group = QButtonGroup(self)
        self.period_group.setExclusive(True)
        self.period_buttons: dict[str, QPushButton] = {}
        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addSpacing(8)
        top.addWidget(title)
        top.addSpacing(12)
        for key in PERIODS:
            button = QPushButton(period_label(key))
            button.setObjectName(f"period_{key}")
            button.setCheckable(True)
            if key == "range":
                button.setFlat(True)
            self.period_group.addButton(button)
            self.period_buttons[key] = button
            button.clicked.connect(lambda _checked=False, k=key: self.set_period(k))
            top.addWidget(button)
        self.start_edit = QDateEdit()
        self.end_edit = QDateEdit()
        for edit, name in ((self.start_edit, "rangeStart"), (self.end_edit, "rangeEnd")):
            edit.setObjectName(name)
            edit.setCalendarPopup(True)
            edit.dateChanged.connect(self._range_edited)
        self.start_edit.setToolTip(self.tr("First day of the period"))
        self.end_edit.setToolTip(self.tr("Last day of the period"))
        top.addWidget(self.start_edit)
        top.addWidget(QLabel("–"))
        top.addWidget(self.end_edit)
        top.addStretch(1)

        # ---- left: the figures and the marketplace's figures
        self.figure_group = QButtonGroup(self)
        self.figure_group.setExclusive(True)
        self.figures: dict[str, FigureButton] = {}
        grid = QGridLayout()
        grid.setSpacing(6)
        for position, key in enumerate(FIGURES):
            button = FigureButton(key)
            self.figure_group.addButton(button)
            self.figures[key] = button
            button.clicked.connect(lambda _checked=False, k=key: self.list_figure(k))
            grid.addWidget(button, position // 3, position % 3)
        for column in range(3):  # three figures of a row share its width
            grid.setColumnStretch(column, 1)
        self.period_note = QLabel()
        self.period_note.setObjectName("muted")
        self.period_note.setWordWrap(True)

        self.market_box = QFrame()
        self.market_box.setObjectName("marketplaceFigures")
        self.market_box.setFrameShape(QFrame.Shape.StyledPanel)
        market_title = QLabel(self.tr("The marketplace's own figures"))
        market_title.setObjectName("sectionTitle")
        font = market_title.font()
        font.setBold(True)
        market_title.setFont(font)
        self.market_figures = QLabel()
        self.market_figures.setObjectName("marketplaceNumbers")
        self.market_figures.setTextFormat(Qt.TextFormat.PlainText)
        self.market_figures.setWordWrap(True)
        self.market_text = QLabel()
        self.market_text.setObjectName("marketplaceExplanation")
        self.market_text.setTextFormat(Qt.TextFormat.PlainText)
        self.market_text.setWordWrap(True)
        market_layout = QVBoxLayout(self.market_box)
        market_layout.setContentsMargins(10, 8, 10, 8)
        market_layout.addWidget(market_title)
        market_layout.addWidget(self.market_figures)
        market_layout.addWidget(self.market_text)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(grid)
        left_layout.addWidget(self.period_note)
        left_layout.addWidget(self.market_box)
        self._left_layout = left_layout

        # ---- right: the chart (built on first use: Qt Charts loads then), best sellers, orders
        self.chart_title = QLabel()
        self.chart_title.setObjectName("muted")
        self._chart_area = QVBoxLayout()
        self._chart_area.setContentsMargins(0, 0, 0, 0)
        self._chart: EarningsChart | None = None

        self.best_model = BestSellersModel(self)
        self.best_table = record_table_view(self.best_model, "bestSellers")
        header = self.best_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.best_table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.best_table.clicked.connect(lambda index: self.list_product(index.row()))
        best_title = QLabel(self.tr("Best sellers"))
        best_title.setFont(font)

        self.orders_model = EarningsOrdersModel(self)
        self.orders_table = record_table_view(self.orders_model, "earningsOrders")
        self.orders_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.orders_table.setWordWrap(False)
        self.orders_table.activated.connect(self._open_index)
        self._size_order_columns()
        self.orders_title = QLabel()
        self.orders_title.setObjectName("ordersTitle")
        self.orders_title.setFont(font)
        self.orders_title.setTextFormat(Qt.TextFormat.PlainText)
        self.orders_hint = QLabel(
            self.tr("Double-click an order (or press Enter) to open it in the order list.")
        )
        self.orders_hint.setObjectName("muted")

        left_layout.addSpacing(4)
        left_layout.addWidget(best_title)
        left_layout.addWidget(self.best_table, 1)
        orders = QWidget()
        orders_layout = QVBoxLayout(orders)
        orders_layout.setContentsMargins(0, 0, 0, 0)
        orders_head = QHBoxLayout()
        orders_head.addWidget(self.orders_title, 1)
        orders_head.addWidget(self.orders_hint)
        orders_layout.addLayout(orders_head)
        orders_layout.addWidget(self.orders_table)

        chart_box = QWidget()
        chart_layout = QVBoxLayout(chart_box)
        chart_layout.setContentsMargins(0, 0, 0, 0)
        chart_layout.addWidget(self.chart_title)
        chart_layout.addLayout(self._chart_area, 1)
        self.right_splitter = QSplitter(Qt.Orientation.Vertical)
        self.right_splitter.addWidget(chart_box)
        self.right_splitter.addWidget(orders)
        self.right_splitter.setStretchFactor(0, 1)
        self.right_splitter.setStretchFactor(1, 1)
        self.right_splitter.setChildrenCollapsible(False)

        self.body = QSplitter(Qt.Orientation.Horizontal)
        self.body.addWidget(left)
        self.body.addWidget(self.right_splitter)
        self.body.setStretchFactor(0, 0)
        self.body.setStretchFactor(1, 1)
        self.body.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addLayout(top)
        layout.addWidget(self.body, 1)
        self.period_buttons[self.period_key].setChecked(True)
        self.set_marketplace(None, "")

    # ------------------------------------------------------------------ public API
    @property
    def chart(self) -> EarningsChart:
        """The bar chart (Qt Charts is loaded the first time it is asked for)."""
        if self._chart is None:
            from vendor_desk.ui.earnings_chart import EarningsChart

            self._chart = EarningsChart()
            self._chart.bar_clicked.connect(self.list_bar)
            self._chart_area.addWidget(self._chart)
        return self._chart

    @property
    def period(self) -> Period:
        assert self.summary is not None
        return self.summary.period

    def set_period(self, key: str) -> None:
        """Show the period of button ``key`` (``range``: the dates in the two date edits)."""
        if key not in PERIODS:
            raise ValueError(f"unknown period {key!r}")
        self.period_key = key
        self.period_buttons[key].setChecked(True)
        self.refresh()
        self.period_changed.emit(key)

    def set_range(self, start: date, end: date) -> None:
        """Show the days from ``start`` to ``end`` (inclusive)."""
        for edit, day in ((self.start_edit, start), (self.end_edit, end)):
            edit.blockSignals(True)
            edit.setDate(_qdate(day))
            edit.blockSignals(False)
        self.set_period("range")

    @Slot()
    def refresh(self) -> None:
        """Read the period's summary from the cache and show it (after a sync, too)."""
        today = self._today()
        period = make_period(
            self.period_key, today, _pydate(self.start_edit.date()), _pydate(self.end_edit.date())
        )
        from vendor_desk.sync.earnings import load_summary  # with its exports: on first use

        self.summary = load_summary(self._cache, self._account_id, period, tz=self._tz)
        self._show_summary(self.summary)

    def set_marketplace(self, stats: SalesStats | None, note: str) -> None:
        """The marketplace's ``sales-stats`` answer (None: ``note`` says why there is none)."""
        self._stats = stats
        self._stats_note = note
        self._show_marketplace()

    def list_figure(self, key: str) -> None:
        """List the orders behind figure ``key``."""
        assert self.summary is not None
        self.listing = ("figure", key)
        self.figures[key].setChecked(True)
        ids = self.summary.order_ids(key)
        self._list(
            ids,
            self.tr("{figure}: {amount}").format(
                figure=figure_label(key), amount=self.figures[key].amount.text()
            ),
        )

    def list_bar(self, index: int) -> None:
        """List the orders of the chart's bar ``index``."""
        assert self.summary is not None
        bucket = self.summary.buckets[index]
        self.listing = ("bar", index)
        self._uncheck_figures()
        self._list(
            bucket.order_ids,
            self.tr("{when}: {amount}").format(
                when=self._bucket_words(bucket.start),
                amount=_money(bucket.paid_out + bucket.waiting),
            ),
        )

    def list_product(self, row: int) -> None:
        """List the orders of the best seller in ``row``."""
        if not 0 <= row < self.best_model.rowCount():
            return
        product = self.best_model.product(row)
        self.listing = ("product", row)
        self._uncheck_figures()
        self._list(
            product.order_ids,
            self.tr("{product}: {amount}").format(
                product=product.name, amount=_money(product.total)
            ),
        )

    def listed_order_ids(self) -> list[int]:
        """The orders the list shows, top to bottom."""
        return self.orders_model.order_ids()

    # ------------------------------------------------------------------ internals
    def _uncheck_figures(self) -> None:
        self.figure_group.setExclusive(False)
        for button in self.figures.values():
            button.setChecked(False)
        self.figure_group.setExclusive(True)

    def _bucket_words(self, start: date) -> str:
        from vendor_desk.domain.earnings import Bucket

        assert self.summary is not None
        bucket = self.summary.period.bucket
        day = _qdate(start)
        if bucket is Bucket.DAY:
            return self.locale().toString(day, "dddd d MMMM yyyy")
        if bucket is Bucket.WEEK:
            return self.tr("Week of {day}").format(day=self.locale().toString(day, "d MMMM yyyy"))
        return self.locale().toString(day, "MMMM yyyy")

    def _list(self, order_ids: Sequence[int], title: str) -> None:
        assert self.summary is not None
        lines = self.summary.lines_of(order_ids)
        self.orders_model.set_records(lines)
        count = len(lines)
        self.orders_title.setText(
            title
            + " — "
            + ngettext("{count} order", "{count} orders", count).format(count=format_count(count))
        )

    def _show_summary(self, summary: EarningsSummary) -> None:
        period = summary.period
        for edit, day in ((self.start_edit, period.start), (self.end_edit, period.end)):
            edit.blockSignals(True)
            edit.setDate(_qdate(day))
            edit.blockSignals(False)
        for key, button in self.figures.items():
            button.set_amount(_money(getattr(summary, key)))
        count = summary.order_count
        self.period_note.setText(
            self.tr("{start} – {end} · {orders} · from the copy on this computer").format(
                start=self.locale().toString(_qdate(period.start), "d MMM yyyy"),
                end=self.locale().toString(_qdate(period.end), "d MMM yyyy"),
                orders=ngettext("{count} order", "{count} orders", count).format(
                    count=format_count(count)
                ),
            )
        )
        self.chart.set_buckets(summary.buckets, period.bucket, summary.currency)
        from vendor_desk.domain.earnings import Bucket

        self.chart_title.setText(
            {
                Bucket.DAY: self.tr("Earnings per day — click a bar to list its orders"),
                Bucket.WEEK: self.tr("Earnings per week — click a bar to list its orders"),
                Bucket.MONTH: self.tr("Earnings per month — click a bar to list its orders"),
            }[period.bucket]
        )
        self.best_model.set_records(summary.best_sellers)
        if self.listing is not None and self.listing[0] == "figure":
            self.list_figure(self.listing[1])  # the same figure, of the new period
        else:  # a bar or a product of another period: nothing listed
            self._clear_list()
        self._show_marketplace()

    def _clear_list(self) -> None:
        self.listing = None
        self._uncheck_figures()
        self.orders_model.set_records([])
        self.orders_title.setText(self.tr("Click a figure, a bar or a product to list its orders."))

    def _show_marketplace(self) -> None:
        from vendor_desk.sync.earnings import compare, stats_window

        if self._stats is None or self.summary is None:
            self.market_figures.setText("")
            self.market_figures.setVisible(False)
            self.market_text.setText(
                self._stats_note or self.tr("Reading the marketplace's figures…")
            )
            return
        stats, summary, today = self._stats, self.summary, self._today()
        window = stats_window(summary.period, today)
        if window is None:
            self.market_figures.setText("")
        else:
            self.market_figures.setText(
                "\n".join(
                    (
                        self.tr("Sales: {theirs} (here, completed orders: {ours})").format(
                            theirs=_money(getattr(stats.gross_sales, window)),
                            ours=_money(summary.completed_gross),
                        ),
                        self.tr("Earnings: {theirs} (here, completed orders: {ours})").format(
                            theirs=_money(getattr(stats.earnings, window)),
                            ours=_money(summary.completed_earnings),
                        ),
                    )
                )
            )
        self.market_figures.setVisible(bool(self.market_figures.text()))
        self.market_text.setText("\n".join(compare(summary, stats, today=today)))

    def _size_order_columns(self) -> None:
        """Fixed widths measured in the font (no ResizeToContents: a year lists many rows)."""
        metrics = self.orders_table.fontMetrics()
        header = self.orders_table.horizontalHeader()
        date_sample = format_datetime(datetime(2026, 12, 31, 22, 59).astimezone())
        sample = {
            COL_ORDER: "#000000",
            COL_DATE: date_sample,
            COL_EARNING: "00,000.00 €",
            COL_PAYOUT: payout_label("requested") + " · " + _short_date(datetime(2026, 12, 31)),
            COL_STATUS: labels.status_label("refund-requested"),
            COL_ITEMS: "00,000.00 €",
        }
        widths = {c: metrics.horizontalAdvance(text) + 20 for c, text in sample.items()}
        widths[COL_CUSTOMER] = 160
        for column, width in widths.items():
            header.resizeSection(column, width)
        header.setStretchLastSection(True)
        self.orders_table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Columns that do not fit give way, the least useful first (no sideways scrolling).
        self.column_fitter = ColumnFitter(self.orders_table, ORDER_COLUMN_PRIORITY, widths)

    @Slot()
    def _range_edited(self) -> None:
        self.set_period("range")

    def _open_index(self, index: QModelIndex) -> None:
        order_id = index.data(ORDER_ID_ROLE)
        if order_id is not None:
            self.order_requested.emit(int(order_id))

    def keyPressEvent(self, event: Any) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.back_requested.emit()
            return
        super().keyPressEvent(event)


# ------------------------------------------------------------------------------- the page
class EarningsPage(QObject):
    """The Earnings view as a page of ``window``'s central area, the View menu's and the
    toolbar's "Earnings" action, and the marketplace's figures read on the account's worker.
    The view itself is built the first time it opens (Qt Charts loads then)."""

    def __init__(self, window: MainWindow, account_id: int) -> None:
        super().__init__(window)
        self._window = window
        self._account_id = account_id
        self.view: EarningsView | None = None
        self._stats_at: float | None = None
        self.action = QAction(self.tr("Earnings"), window)
        self.action.setObjectName("earningsAction")
        self.action.setShortcut(QKeySequence("Ctrl+Shift+E"))
        self.action.setToolTip(
            self.tr("What you earned, what is paid out and what waits, by period (Ctrl+Shift+E)")
        )
        self.action.triggered.connect(self.show)
        window.addAction(self.action)
        window.worker.finished.connect(self._job_finished)
        window.worker.failed.connect(self._job_failed)
        window.sync_succeeded.connect(self._synced)

    @property
    def active(self) -> bool:
        return self.view is not None and self._stack().currentWidget() is self.view

    def _stack(self) -> QStackedWidget:
        """The window's central area as a stack of pages (made one if it is not yet)."""
        central = self._window.centralWidget()
        if isinstance(central, QStackedWidget):
            return central
        stack = QStackedWidget()
        stack.setObjectName("centralStack")
        taken = self._window.takeCentralWidget()
        assert taken is not None
        stack.addWidget(taken)
        self._window.setCentralWidget(stack)
        return stack

    @Slot()
    def show(self) -> EarningsView:
        """Open the Earnings page (built and read from the cache the first time)."""
        stack = self._stack()
        if self.view is None:
            self.view = EarningsView(self._window.cache, self._account_id)
            self.view.order_requested.connect(self._open_order)
            self.view.back_requested.connect(self.leave)
            self.view.period_changed.connect(self._remember_period)
            stack.addWidget(self.view)
            # The period picked last time (the range's dates are not kept: "range" opens on
            # this month).
            key = str(self._window.settings.value(self._period_setting(), "this_month"))
            self.view.set_period(key if key in PERIODS and key != "range" else "this_month")
        stack.setCurrentWidget(self.view)
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)
        self.fetch_marketplace()
        return self.view

    def _period_setting(self) -> str:
        return f"accounts/{self._account_id}/earnings_period"

    @Slot(str)
    def _remember_period(self, key: str) -> None:
        self._window.settings.setValue(self._period_setting(), key)

    @Slot()
    def leave(self) -> None:
        """Back to the order list."""
        self._stack().setCurrentIndex(0)
        self._window.table.setFocus(Qt.FocusReason.OtherFocusReason)

    @Slot(int)
    def _open_order(self, order_id: int) -> None:
        self.leave()
        self._window.open_order(order_id)

    def fetch_marketplace(self) -> bool:
        """Read the marketplace's ``sales-stats`` on the account's worker (unless read in the
        last :data:`STATS_FRESH_FOR` seconds); False when not asked."""
        if self._stats_at is not None and time.monotonic() - self._stats_at < STATS_FRESH_FOR:
            return False
        session = self._window.account_session()
        if session is None:
            return False
        return self._window.worker.submit(
            STATS_JOB, lambda _progress, _cancel: session.sales_stats()
        )

    @Slot(str, object)
    def _job_finished(self, name: str, result: Any) -> None:
        if name != STATS_JOB:
            return
        self._stats_at = time.monotonic()
        if self.view is not None:
            self.view.set_marketplace(result, "")

    @Slot(str, object)
    def _job_failed(self, name: str, error: JobError) -> None:
        if name != STATS_JOB or self.view is None:
            return
        if error.kind == "unreachable":
            note = self.tr(
                "Not available offline: the marketplace cannot be reached. The figures on the "
                "left are from the copy on this computer."
            )
        else:
            note = self.tr("The marketplace's figures could not be read: {detail}").format(
                detail=error.message
            )
        self.view.set_marketplace(None, note)

    @Slot(object)
    def _synced(self, _result: Any) -> None:
        if self.view is not None:
            self.view.refresh()


__all__ = [
    "FIGURES",
    "PERIODS",
    "EarningsOrdersModel",
    "EarningsPage",
    "EarningsView",
    "make_period",
]
