"""Qt models of the main window: the order table (a window over the SQLite cache) and the status
filter list with live counts.

The order table never loads every order. ``rowCount`` comes from one ``COUNT`` query; rows are
read from the cache a page at a time when the view asks for them (``data``), and only the last
few pages are kept. Sorting re-queries the cache with another ``ORDER BY`` (``OrderQuery.sort``)
instead of sorting in Python, so 100,000 orders scroll and sort as fast as 100. While the vendor
types, the in-memory search index (``cache/search.py``) gives the matching ids; a page of them
reads by key only the rows not read lately (rows are kept by order id until ``refresh()``).

A search keystroke repaints the whole list, so reading a cell does no work: when a row is first
read, every value the view asks for — texts, icon, colours, alignment, font — is computed once
into a small role → per-column tuple table (:class:`RowCells`, :meth:`OrderTableModel.cells_at`),
kept per order across searches; ``data()`` is two dictionary look-ups and a tuple index, and
the main window's painter (``order_delegate.OrderRowDelegate``) reads the same tables directly,
one Python call per cell instead of the stock delegate's seven ``data()`` calls. Tooltips are
built on demand. ``flags()`` is Qt's own (enabled, selectable, no children): one call from C++
into Python less per painted cell.

Badges: an order with changes waiting in the outbox shows a clock next to its status icon
(a red one when the marketplace refused a change), with a tooltip; an order that must not be
shipped yet (pending payment, on hold, failed, unpaid) has its status and payment in the
warning colour, with the reason as tooltip.
"""

from __future__ import annotations

import functools
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont, QGuiApplication, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QApplication

from vendor_desk.cache.queries import (
    SORT_KEYS,
    STATUS_GROUPS,
    OrderQuery,
    OrderRow,
    fetch_rows,
    fetch_rows_by_ids,
    group_counts,
    search_words,
)
from vendor_desk.cache.search import POSTINGS_MIN_ORDERS, SearchIndex
from vendor_desk.ui import labels
from vendor_desk.ui.formatting import format_count, format_datetime, format_money
from vendor_desk.ui.icons import icon, status_icon

_Index = QModelIndex | QPersistentModelIndex

#: Extra roles of the order model.
ORDER_ID_ROLE = int(Qt.ItemDataRole.UserRole) + 1
STATUS_SLUG_ROLE = int(Qt.ItemDataRole.UserRole) + 2
#: "" or "pending" / "failed": changes of the order waiting in (or refused by) the outbox.
OUTBOX_ROLE = int(Qt.ItemDataRole.UserRole) + 3
#: "" or why the order must not be shipped yet ("pending", "on-hold", "failed", "unpaid",
#: "cod-unpaid"; see ``queries.ship_warning_of``).
SHIP_WARNING_ROLE = int(Qt.ItemDataRole.UserRole) + 4

_DISPLAY_ROLE = int(Qt.ItemDataRole.DisplayRole)
_DECORATION_ROLE = int(Qt.ItemDataRole.DecorationRole)
_TOOLTIP_ROLE = int(Qt.ItemDataRole.ToolTipRole)
_FOREGROUND_ROLE = int(Qt.ItemDataRole.ForegroundRole)
_FONT_ROLE = int(Qt.ItemDataRole.FontRole)
_ALIGNMENT_ROLE = int(Qt.ItemDataRole.TextAlignmentRole)

#: Extra roles of the filter model.
GROUP_ROLE = int(Qt.ItemDataRole.UserRole) + 10
COUNT_ROLE = int(Qt.ItemDataRole.UserRole) + 11


@dataclass(frozen=True)
class Column:
    """One column of the order table: its cache sort key and header text."""

    key: str
    title: str
    numeric: bool = False


def _columns() -> tuple[Column, ...]:
    translate = QCoreApplication.translate
    return (
        Column("number", translate("OrderTable", "Order")),
        Column("date", translate("OrderTable", "Date")),
        Column("customer", translate("OrderTable", "Customer")),
        Column("items", translate("OrderTable", "Items")),
        Column("total", translate("OrderTable", "Your total"), numeric=True),
        Column("earning", translate("OrderTable", "Earning"), numeric=True),
        Column("payment", translate("OrderTable", "Payment")),
        Column("status", translate("OrderTable", "Status")),
        Column("shipping", translate("OrderTable", "Shipping")),
    )


#: One column per sort key of the cache, in the same order (sorting a column re-queries).
COLUMN_KEYS: tuple[str, ...] = SORT_KEYS
COL_NUMBER, COL_DATE, COL_CUSTOMER, COL_ITEMS, COL_TOTAL, COL_EARNING = range(6)
COL_PAYMENT, COL_STATUS, COL_SHIPPING = 6, 7, 8


class OrderTableModel(QAbstractTableModel):
    """The orders of one account as a lazily paged table over the cache.

    Args:
        cache: the open cache (``vendor_desk.cache.Cache``); read with short sessions.
        account_id: whose orders; None shows an empty table.
        page_size: rows read per query.
        max_pages: pages kept in memory (least recently used are dropped).
        ngram_min_orders: from this many orders on, the search index gets n-gram bitmaps built
            in a child process (``SearchIndex.start_postings``); smaller shops are scanned.
    """

    def __init__(
        self,
        cache: Any,
        account_id: int | None,
        parent: Any = None,
        *,
        page_size: int = 50,
        max_pages: int = 96,
        ngram_min_orders: int = POSTINGS_MIN_ORDERS,
    ) -> None:
        super().__init__(parent)
        self._cache = cache
        self._columns = _columns()
        self._query = OrderQuery(account_id or 0)
        self._has_account = account_id is not None
        self._page_size = page_size
        self._max_pages = max_pages
        self._pages: OrderedDict[int, list[OrderRow]] = OrderedDict()
        self._count = 0
        #: Orders per status group for the current account and search, read once per search
        #: (one pass over the cache serves both the filter counts and this model's row count).
        self._group_counts: dict[str, int] | None = None
        #: In-memory search over the account's orders (built on the first search, dropped when
        #: the cache changes) and, while it serves the current query, the matching ids in order.
        self._index_loader = ThreadPoolExecutor(1, thread_name_prefix="vendor-desk-search")
        self._search_index: Future[SearchIndex] | None = None
        self._ngram_min_orders = ngram_min_orders
        self._matched_ids: list[int] | None = None
        #: Every role's values of the orders read lately, by order id (kept across searches and
        #: sorting: typing mostly shows the same newest orders again) and by row of the current
        #: query (what data() looks up first). Both are dropped when the cache changed.
        self._cells: dict[int, RowCells] = {}
        self._row_cells: dict[int, RowCells] = {}
        #: Every row read lately, by order id (a search page's rows beyond the visible ones are
        #: read too; typing shows them again): a search page reads only the rows it lacks.
        self._rows: dict[int, OrderRow] = {}
        self._constant_roles = self._make_constant_roles()
        #: Cell texts by how they were made (see ``_texts``).
        self._made_texts: dict[tuple[Any, ...], str] = {}
        self._recount()

    # ----------------------------------------------------------------- the query
    @property
    def query(self) -> OrderQuery:
        return self._query

    def set_account(self, account_id: int | None) -> None:
        self._has_account = account_id is not None
        self._apply(replace(self._query, account_id=account_id or 0))

    def set_group(self, group: str) -> None:
        if group not in STATUS_GROUPS:
            raise ValueError(f"unknown status group {group!r}")
        if group != self._query.group:
            self._apply(replace(self._query, group=group))

    def set_search(self, text: str) -> None:
        text = text.strip()
        if text != self._query.search:
            self._apply(replace(self._query, search=text))

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by a column: the cache orders the rows (no sorting in Python)."""
        if not 0 <= column < len(COLUMN_KEYS):
            return
        descending = order == Qt.SortOrder.DescendingOrder
        key = COLUMN_KEYS[column]
        if key == self._query.sort and descending == self._query.descending:
            return
        self.layoutAboutToBeChanged.emit()
        self._query = replace(self._query, sort=key, descending=descending)
        self._pages.clear()
        self._row_cells.clear()
        self._recount()  # same rows, new order (the in-memory search serves only date order)
        self.layoutChanged.emit()

    def refresh(self) -> None:
        """Re-read the count and drop cached rows (after a sync wrote to the cache)."""
        self._apply(self._query, force=True)

    def prepare_search(self) -> None:
        """Start building the in-memory search index in the background, if not done yet (call
        it when the vendor starts typing: the search debounce gives it a head start)."""
        if self._search_index is not None or not self._has_account or self._cache is None:
            return
        cache, account_id = self._cache, self._query.account_id
        min_orders = self._ngram_min_orders

        def load() -> SearchIndex:
            with cache.session() as session:
                index = SearchIndex.load(session, account_id)
                # Read one row the way a search page reads them: the statement is compiled
                # here, off the window's thread, not on the vendor's first keystroke.
                fetch_rows_by_ids(session, account_id, index.match("").order_ids[:1])
            # Its n-gram bitmaps are built in a child process; it scans the texts until then.
            index.start_postings(min_orders)
            return index

        self._search_index = self._index_loader.submit(load)

    def _index_ready(self) -> bool:
        """Whether the in-memory search index is built (without waiting for it)."""
        index = self._search_index
        return index is not None and index.done() and index.exception() is None

    def group_counts(self) -> dict[str, int]:
        """How many orders each status group holds with the current search ("all" included)."""
        if self._group_counts is None:
            if not self._has_account or self._cache is None:
                return {}
            with self._cache.session() as session:
                self._group_counts = group_counts(
                    session, self._query.account_id, self._query.search
                )
        return dict(self._group_counts)

    def _apply(self, query: OrderQuery, *, force: bool = False) -> None:
        if query == self._query and not force:
            return
        self.beginResetModel()
        if force or query.account_id != self._query.account_id:
            if self._search_index is not None:  # stop its n-gram build, if still running
                self._search_index.add_done_callback(_close_index)
            self._search_index = None
            self._cells.clear()
            self._rows.clear()
            self._constant_roles = self._make_constant_roles()
            self._made_texts.clear()
        if force or (query.account_id, query.search) != (
            self._query.account_id,
            self._query.search,
        ):
            self._group_counts = None
        self._query = query
        self._pages.clear()
        self._row_cells.clear()
        self._recount()
        self.endResetModel()

    def _recount(self) -> None:
        self._matched_ids = None
        if not self._has_account or self._cache is None:
            self._count = 0
            return
        query = self._query
        if query.sort == "date" and (search_words(query.search) or self._index_ready()):
            # The in-memory index answers a search, and once built also a search without words
            # ("#", a cleared search field): a fraction of a millisecond where the SQL count of
            # the groups takes ≈ 18 ms over 100,000 orders.
            self.prepare_search()
            assert self._search_index is not None
            match = self._search_index.result().match(
                query.search, query.group, descending=query.descending
            )
            self._matched_ids = match.order_ids
            self._group_counts = match.group_counts
            self._count = len(match.order_ids)
            return
        self._count = self.group_counts().get(query.group, 0)

    # ----------------------------------------------------------------- row access
    def row_at(self, row: int) -> OrderRow | None:
        """The cached row at ``row`` (read from the cache's page if needed)."""
        if not 0 <= row < self._count:
            return None
        page_number, offset = divmod(row, self._page_size)
        page = self._pages.get(page_number)
        if page is None:
            start = page_number * self._page_size
            if self._matched_ids is not None:
                page = self._rows_by_ids(self._matched_ids[start : start + self._page_size])
            else:
                with self._cache.session() as session:
                    page = fetch_rows(session, self._query, start, self._page_size)
            self._pages[page_number] = page
            while len(self._pages) > self._max_pages:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page_number)
        return page[offset] if offset < len(page) else None

    def _rows_by_ids(self, order_ids: list[int]) -> list[OrderRow]:
        """The rows of these orders, in this order: those read lately from memory, the others
        from the cache by key."""
        known = self._rows
        missing = [order_id for order_id in order_ids if order_id not in known]
        if missing:
            with self._cache.session() as session:
                rows = fetch_rows_by_ids(session, self._query.account_id, missing)
            if len(known) + len(rows) > self._page_size * self._max_pages:
                kept = {order_id: known[order_id] for order_id in order_ids if order_id in known}
                known.clear()
                known.update(kept)
            for order_row in rows:
                known[order_row.order_id] = order_row
        return [known[order_id] for order_id in order_ids if order_id in known]

    @property
    def constant_roles(self) -> dict[int, tuple[Any, ...]]:
        """Role → one value per column, for the roles whose values are the same in every row."""
        return self._constant_roles

    def cells_at(self, row: int) -> RowCells | None:
        """Every role's values of a row (computed once per order, see the module docs); what
        ``data()`` answers from, and what the list's painter (``order_delegate``) reads."""
        cells = self._row_cells.get(row)
        if cells is not None:
            return cells
        order_row = self.row_at(row)
        if order_row is None:
            return None
        cells = self._cells.get(order_row.order_id)
        if cells is None or cells.row != order_row:
            cells = self._make_cells(order_row)
            if len(self._cells) >= self._page_size * self._max_pages:
                self._cells.clear()
            self._cells[order_row.order_id] = cells
        if len(self._row_cells) >= self._page_size * self._max_pages:
            self._row_cells.clear()
        self._row_cells[row] = cells
        return cells

    def row_of_order(self, order_id: int) -> int | None:
        """The row of an order among the rows already read (None when not loaded)."""
        for page_number, page in self._pages.items():
            for offset, order_row in enumerate(page):
                if order_row.order_id == order_id:
                    return page_number * self._page_size + offset
        return None

    def order_id_at(self, row: int) -> int | None:
        order_row = self.row_at(row)
        return order_row.order_id if order_row is not None else None

    # ----------------------------------------------------------------- Qt model API
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._columns):
            return None
        column = self._columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.title
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = (
                Qt.AlignmentFlag.AlignRight if column.numeric else Qt.AlignmentFlag.AlignLeft
            )
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Look-ups, no work (module docs): tooltips, accessibility and the stock delegate
        # (right-to-left layouts) read cells through it; tooltips are built on demand.
        cells = self.cells_at(index.row())
        if cells is None:
            return None
        if role == _TOOLTIP_ROLE:
            return self._tooltip(cells.row, index.column())
        return cells.value(self._constant_roles, role, index.column())

    # ----------------------------------------------------------------- cell values
    def _make_constant_roles(self) -> dict[int, tuple[Any, ...]]:
        """Values that are the same for every row (alignment, the bold order number)."""
        bold = QFont()
        bold.setBold(True)
        return {
            _ALIGNMENT_ROLE: tuple(
                int(
                    (Qt.AlignmentFlag.AlignRight if column.numeric else Qt.AlignmentFlag.AlignLeft)
                    | Qt.AlignmentFlag.AlignVCenter
                )
                for column in self._columns
            ),
            _FONT_ROLE: tuple(bold if c == COL_NUMBER else None for c in range(len(self._columns))),
        }

    def _make_cells(self, order_row: OrderRow) -> RowCells:
        width = len(self._columns)
        roles: dict[int, tuple[Any, ...]] = {
            _DISPLAY_ROLE: tuple(self._display(order_row, c) for c in range(width)),
            _DECORATION_ROLE: tuple(
                _status_decoration(order_row.display_status, order_row.outbox)
                if c == COL_STATUS
                else (_printed_icon() if c == COL_NUMBER and order_row.slip_printed else None)
                for c in range(width)
            ),
            ORDER_ID_ROLE: (order_row.order_id,) * width,
            STATUS_SLUG_ROLE: (order_row.display_status,) * width,
            OUTBOX_ROLE: (order_row.outbox,) * width,
            SHIP_WARNING_ROLE: (order_row.ship_warning,) * width,
        }
        if order_row.vanished or order_row.display_status == "trashed":
            roles[_FOREGROUND_ROLE] = (_muted_brush(),) * width
        elif order_row.ship_warning:
            warning = _warning_brush()
            roles[_FOREGROUND_ROLE] = tuple(
                warning if c in (COL_STATUS, COL_PAYMENT) else None for c in range(width)
            )
        return RowCells(order_row, roles)

    def _display(self, order_row: OrderRow, column: int) -> str:
        if column == COL_NUMBER:
            return f"#{order_row.number}"
        if column == COL_DATE:
            return format_datetime(order_row.created)
        if column == COL_CUSTOMER:
            return order_row.customer
        if column == COL_ITEMS:
            return order_row.items_summary
        if column == COL_TOTAL:
            return self._texts(format_money, order_row.total, order_row.currency)
        if column == COL_EARNING:
            return self._texts(format_money, order_row.earning, order_row.currency)
        if column == COL_PAYMENT:
            return order_row.payment
        if column == COL_STATUS:
            return self._texts(labels.status_label, order_row.display_status)
        if column == COL_SHIPPING:
            if order_row.local_shipment and not order_row.shipping_state.startswith("shipped"):
                return self._texts(_local_shipment_label, order_row.local_shipment)
            return self._texts(
                labels.shipping_label, order_row.shipping_state, order_row.has_tracking
            )
        return ""

    def _texts(self, make: Callable[..., str], *values: Any) -> str:
        """``make(*values)``, remembered: amounts and labels repeat from row to row, and new
        rows are made while the vendor types (dropped with the cells by ``refresh()``)."""
        key = (make, *values)
        text = self._made_texts.get(key)
        if text is None:
            if len(self._made_texts) >= 4096:
                self._made_texts.clear()
            text = self._made_texts[key] = make(*values)
        return text

    def _tooltip(self, order_row: OrderRow, column: int) -> str | None:
        translate = QCoreApplication.translate
        if column == COL_NUMBER and order_row.slip_printed:
            try:
                when = format_datetime(datetime.fromisoformat(order_row.slip_printed))
            except ValueError:
                when = order_row.slip_printed
            return translate("OrderTable", "Packing slip printed {date}").format(date=when)
        if column == COL_STATUS:
            lines = [
                translate("OrderTable", "Your part: {vendor} — whole order: {main}").format(
                    vendor=labels.status_label(order_row.vendor_status),
                    main=labels.status_label(order_row.main_status),
                )
            ]
            if order_row.outbox:
                lines.append(outbox_tooltip(order_row.outbox))
            if order_row.ship_warning:
                lines.append(ship_warning_text(order_row.ship_warning))
            return "\n".join(lines)
        if column == COL_ITEMS:
            return order_row.items_summary
        if column == COL_PAYMENT:
            paid = (
                translate("OrderTable", "paid")
                if order_row.paid
                else translate("OrderTable", "not paid")
            )
            text = f"{order_row.payment} — {paid}" if order_row.payment else paid
            if order_row.ship_warning:
                text = f"{text}\n{ship_warning_text(order_row.ship_warning)}"
            return text
        if column == COL_TOTAL and order_row.split:
            return translate(
                "OrderTable",
                "Split order: other vendors' items are not included in your total.",
            )
        if column == COL_SHIPPING and order_row.local_shipment:
            return translate(
                "OrderTable",
                "Recorded on this computer: the marketplace cannot mark it shipped this way "
                "(see the order's notes).",
            )
        if order_row.vanished:
            return translate("OrderTable", "This order is no longer on the marketplace.")
        if order_row.display_status == "trashed":
            return translate("OrderTable", "The store admin moved this order to the trash.")
        return None


class RowCells:
    """One order's values per role: role → one value per column (see the module docs)."""

    __slots__ = ("_columns", "roles", "row")

    def __init__(self, row: OrderRow, roles: dict[int, tuple[Any, ...]]) -> None:
        self.row = row
        self.roles = roles
        self._columns: list[tuple[Any, ...]] | None = None

    def value(self, constant: dict[int, tuple[Any, ...]], role: int, column: int) -> Any:
        """A cell's value for a role: from this row's table, else from ``constant`` (the
        model's table of the values every row shares)."""
        values = self.roles.get(role)
        if values is None:
            values = constant.get(role)
            if values is None:
                return None
        return values[column] if 0 <= column < len(values) else None

    def columns(self, constant: dict[int, tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        """Per column, what the list's painter draws (``order_delegate``): text, decoration,
        font (None: the view's), text colour (None: the palette's) and alignment flags —
        computed on the row's first paint and kept (the model replaces the row when the
        order changes)."""
        if self._columns is None:
            self._columns = []
            for column in range(len(self.roles[_DISPLAY_ROLE])):
                foreground = self.value(constant, _FOREGROUND_ROLE, column)
                self._columns.append(
                    (
                        self.value(constant, _DISPLAY_ROLE, column) or "",
                        self.value(constant, _DECORATION_ROLE, column),
                        self.value(constant, _FONT_ROLE, column),
                        foreground.color() if foreground is not None else None,
                        int(self.value(constant, _ALIGNMENT_ROLE, column) or 0),
                    )
                )
        return self._columns


def _close_index(loaded: Future[SearchIndex]) -> None:
    """Stop the n-gram build of a search index no longer used (see ``SearchIndex.close``)."""
    if not loaded.cancelled() and loaded.exception() is None:
        loaded.result().close()


def outbox_tooltip(state: str) -> str:
    """What the list's outbox badge means ("pending" or "failed")."""
    if state == "failed":
        return QCoreApplication.translate(
            "OrderTable", "The marketplace refused a change — see Activity"
        )
    return QCoreApplication.translate("OrderTable", "Waiting to be sent to the marketplace")


def ship_warning_text(reason: str) -> str:
    """Why an order must not be shipped yet (a ``SHIP_WARNING_ROLE`` value), for tooltips."""
    translate = QCoreApplication.translate
    texts = {
        "pending": translate("OrderTable", "Payment is still pending: do not ship yet."),
        "on-hold": translate("OrderTable", "On hold: wait until the payment is confirmed."),
        "failed": translate("OrderTable", "The payment failed: do not ship."),
        "unpaid": translate("OrderTable", "No payment recorded yet: do not ship until it arrives."),
        "cod-unpaid": translate(
            "OrderTable", "Cash on delivery, not paid yet: the customer pays on delivery."
        ),
    }
    return texts.get(reason, "")


def _local_shipment_label(method: str) -> str:
    translate = QCoreApplication.translate
    texts = {
        "pickup": translate("OrderTable", "Collected"),
        "no_tracking": translate("OrderTable", "Shipped · no tracking"),
        "tracked": translate("OrderTable", "Shipped · tracking not on the marketplace"),
    }
    return texts.get(method, translate("OrderTable", "Shipped"))


def _muted_brush() -> QBrush:
    return QBrush(QApplication.palette().color(QPalette.ColorRole.PlaceholderText))


def _warning_brush() -> QBrush:
    """The list's "do not ship yet" colour: the amber of the detail pane's warnings, darker on
    a light palette and lighter on a dark one so that it stays readable."""
    dark = QApplication.palette().color(QPalette.ColorRole.Base).lightness() < 128
    return QBrush(QColor("#f0a848" if dark else "#b35c00"))


_decorations: dict[tuple[str, str], QIcon | QPixmap] = {}


def _status_decoration(status: str, outbox: str) -> QIcon | QPixmap:
    """The status column's icon; with outbox changes, a picture of the status icon and the
    clock badge next to it (a pixmap: the view then draws it at its own size, 16 + 2 + 12
    pixels wide, where an icon would be squeezed into the 16 × 16 icon size)."""
    if not outbox:
        return status_icon(status)
    key = (status, outbox)
    picture = _decorations.get(key)
    if picture is None:
        app = QGuiApplication.instance()
        ratio = app.devicePixelRatio() if isinstance(app, QGuiApplication) else 1.0
        pixmap = QPixmap(round(30 * ratio), round(16 * ratio))
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        status_icon(status).paint(painter, 0, 0, 16, 16)
        icon("badge-failed" if outbox == "failed" else "badge-clock").paint(painter, 18, 2, 12, 12)
        painter.end()
        picture = _decorations[key] = pixmap
    return picture


class StatusFilterModel(QAbstractListModel):
    """The status filter groups of the order list, each with its live count."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._groups: tuple[str, ...] = tuple(STATUS_GROUPS)
        self._counts: dict[str, int] = {}

    def set_counts(self, counts: dict[str, int]) -> None:
        """Update the counts (one ``dataChanged`` for the rows whose count changed)."""
        changed = [i for i, g in enumerate(self._groups) if counts.get(g) != self._counts.get(g)]
        self._counts = dict(counts)
        if changed:
            self.dataChanged.emit(self.index(min(changed)), self.index(max(changed)), [COUNT_ROLE])

    def count(self, group: str) -> int | None:
        return self._counts.get(group)

    def group_at(self, row: int) -> str:
        return self._groups[row]

    def row_of(self, group: str) -> int:
        return self._groups.index(group)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._groups)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._groups):
            return None
        group = self._groups[index.row()]
        count = self._counts.get(group)
        if role == Qt.ItemDataRole.DisplayRole:
            return labels.group_label(group)
        if role == Qt.ItemDataRole.DecorationRole:
            name = labels.GROUP_ICONS.get(group, "")
            return icon(f"status-{name}") if name else icon("vendor-desk")
        if role == Qt.ItemDataRole.ToolTipRole:
            return labels.group_label(group)
        if role == GROUP_ROLE:
            return group
        if role == COUNT_ROLE:
            return count
        if role == Qt.ItemDataRole.AccessibleTextRole:
            label = labels.group_label(group)
            if count is None:
                return label
            return QCoreApplication.translate("OrderTable", "{group}: {count}").format(
                group=label, count=format_count(count)
            )
        return None


@functools.cache
def _printed_icon() -> QIcon:
    """The list's "packing slip printed" mark (one QIcon for every row)."""
    return icon("printed")


def attention_colour() -> QColor:
    """The accent used for the "to ship" count badge."""
    return QColor("#2f9e44")
