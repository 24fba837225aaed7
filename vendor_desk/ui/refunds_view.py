"""The Refunds view: the vendor's refund requests — waiting for the admin, approved, rejected —
with the order, amount, mode, reason and date, newest first, filtered by status.

It reads the cache through :func:`vendor_desk.cache.refunds.list_refund_requests` only (no SQL
here); the account worker keeps that list current (:func:`vendor_desk.sync.refunds.
sync_refund_requests`), and the window calls :meth:`RefundsView.refresh` after a sync.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QBrush, QColor, QIcon
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from vendor_desk.cache.refunds import list_refund_requests
from vendor_desk.domain import RefundRequest, RefundRequestStatus
from vendor_desk.ui import labels
from vendor_desk.ui.formatting import format_count, format_datetime, format_money
from vendor_desk.ui.icons import icon
from vendor_desk.ui.record_table import RecordTableModel, record_table_view

_Index = QModelIndex | QPersistentModelIndex

#: Roles of :class:`RefundsTableModel`.
REQUEST_ROLE = int(Qt.ItemDataRole.UserRole) + 1
ORDER_ID_ROLE = int(Qt.ItemDataRole.UserRole) + 2
STATUS_ROLE = int(Qt.ItemDataRole.UserRole) + 3

COL_STATUS, COL_ORDER, COL_AMOUNT, COL_MODE, COL_REASON, COL_DATE = range(6)

#: The filters of the view: key → status shown (None: every status).
FILTERS: dict[str, RefundRequestStatus | None] = {
    "all": None,
    "requested": RefundRequestStatus.REQUESTED,
    "approved": RefundRequestStatus.APPROVED,
    "rejected": RefundRequestStatus.REJECTED,
}

_STATUS_ICONS = {
    RefundRequestStatus.REQUESTED: "status-refund-requested",
    RefundRequestStatus.APPROVED: "status-refunded",
    RefundRequestStatus.REJECTED: "status-cancelled",
}
_STATUS_COLOURS = {
    RefundRequestStatus.REQUESTED: "#b35c00",
    RefundRequestStatus.APPROVED: "#2b8a3e",
    RefundRequestStatus.REJECTED: "#c92a2a",
}


def filter_label(key: str) -> str:
    if key == "all":
        return QCoreApplication.translate("Refunds", "All requests")
    status = FILTERS[key]
    assert status is not None
    return labels.refund_request_status_label(status.value)


def status_icon(status: RefundRequestStatus) -> QIcon:
    return icon(_STATUS_ICONS.get(status, "status-unknown"))


def _one_line(text: str) -> str:
    return " ".join(text.split())


# ------------------------------------------------------------------------------- model
class RefundsTableModel(RecordTableModel):
    """Refund requests (newest first, as the cache lists them) as a read-only table;
    :meth:`set_filter` picks the status shown. Plain data in, no SQL."""

    def __init__(self, parent: Any = None) -> None:
        translate = QCoreApplication.translate
        headers = [
            translate("Refunds", "Status"),
            translate("Refunds", "Order"),
            translate("Refunds", "Amount"),
            translate("Refunds", "Mode"),
            translate("Refunds", "Reason"),
            translate("Refunds", "Date"),
        ]
        super().__init__(headers, FILTERS, parent)

    def keeps(self, record: Any, wanted: Any) -> bool:
        return wanted is None or record.status is wanted

    def set_requests(self, requests: list[RefundRequest]) -> None:
        """Show ``requests`` (kept in the order given: the cache's newest first)."""
        self.set_records(requests)

    def count(self, status: RefundRequestStatus | None = None) -> int:
        """Requests (whatever the filter) with ``status`` (None: all)."""
        return sum(1 for r in self.records if status is None or r.status is status)

    def request(self, row: int) -> RefundRequest:
        return self.record(row)  # type: ignore[no-any-return]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        request = self.record_at(index)
        if request is None:
            return None
        column = index.column()
        if role == REQUEST_ROLE:
            return request
        if role == ORDER_ID_ROLE:
            return request.order_id
        if role == STATUS_ROLE:
            return request.status.value
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._text(request, column, tooltip=role == Qt.ItemDataRole.ToolTipRole)
        if role == Qt.ItemDataRole.DecorationRole and column == COL_STATUS:
            return status_icon(request.status)
        if role == Qt.ItemDataRole.ForegroundRole and column == COL_STATUS:
            return QBrush(QColor(_STATUS_COLOURS[request.status]))
        if role == Qt.ItemDataRole.TextAlignmentRole and column == COL_AMOUNT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _text(self, request: RefundRequest, column: int, *, tooltip: bool) -> str | None:
        if column == COL_STATUS:
            return labels.refund_request_status_label(request.status.value)
        if column == COL_ORDER:
            return f"#{request.order_id}"
        if column == COL_AMOUNT:
            return format_money(request.amount.amount, request.amount.currency)
        if column == COL_MODE:
            return labels.refund_mode_label(request.mode.value)
        if column == COL_REASON:
            # Plain text only (never rich text); the tooltip keeps the line breaks.
            return request.reason if tooltip else _one_line(request.reason)
        if column == COL_DATE:
            return format_datetime(request.date)
        return None  # pragma: no cover - columns are fixed


# ------------------------------------------------------------------------------- view
class RefundsView(QWidget):
    """The vendor's refund requests.

    Args:
        cache: the open cache.
        account_id: the account whose requests are listed (None: empty).

    Signals:
        order_requested(int): a request was double-clicked: show its order.
    """

    order_requested = Signal(int)

    def __init__(self, cache: Any, account_id: int | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("refundsView")
        self._cache = cache
        self._account_id = account_id
        self.model = RefundsTableModel(self)

        title = QLabel(self.tr("Refund requests"))
        title.setObjectName("detailTitle")
        self.summary = QLabel()
        self.summary.setObjectName("muted")
        self.filter_combo = QComboBox()
        self.filter_combo.setObjectName("refundFilter")
        for key in FILTERS:
            self.filter_combo.addItem(filter_label(key), key)
        self.filter_combo.currentIndexChanged.connect(self._filter_changed)

        self.table = record_table_view(self.model, "refundsTable")
        header = self.table.horizontalHeader()
        for column in (COL_STATUS, COL_ORDER, COL_AMOUNT, COL_MODE, COL_DATE):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_REASON, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(self._open_index)

        self.empty_label = QLabel(
            self.tr(
                "No refund requests. To ask for one, select an order and choose “Refund Request…”."
            )
        )
        self.empty_label.setObjectName("placeholder")
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)

        top = QHBoxLayout()
        top.addWidget(title)
        top.addWidget(self.summary)
        top.addStretch(1)
        top.addWidget(QLabel(self.tr("Show")))
        top.addWidget(self.filter_combo)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 10)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label, 1)
        self.refresh()

    # ------------------------------------------------------------------ public API
    def set_account(self, cache: Any, account_id: int | None) -> None:
        self._cache = cache
        self._account_id = account_id
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        """Re-read the requests from the cache (call after a sync), keeping the selection."""
        selected = self.selected_request()
        requests: list[RefundRequest] = []
        if self._cache is not None and self._account_id is not None:
            with self._cache.session() as session:
                requests = list_refund_requests(session, self._account_id)
        self.model.set_requests(requests)
        self._after_refresh(selected.id if selected else None)

    def set_filter(self, key: str) -> None:
        self.filter_combo.setCurrentIndex(list(FILTERS).index(key))

    def selected_request(self) -> RefundRequest | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.request(rows[0].row()) if rows else None

    # ------------------------------------------------------------------ internals
    def _open_index(self, index: QModelIndex) -> None:
        order_id = index.data(ORDER_ID_ROLE)
        if order_id is not None:
            self.order_requested.emit(int(order_id))

    def _filter_changed(self, _index: int) -> None:
        selected = self.selected_request()
        self.model.set_filter(str(self.filter_combo.currentData()))
        self._after_refresh(selected.id if selected else None)

    def _after_refresh(self, select: int | None) -> None:
        if select is not None and (row := self.model.row_of(select)) is not None:
            self.table.selectRow(row)
        waiting = self.model.count(RefundRequestStatus.REQUESTED)
        total = self.model.count()
        self.summary.setText(
            self.tr("{count} waiting for the admin").format(count=format_count(waiting))
            if waiting
            else self.tr("{count} in all").format(count=format_count(total))
        )
        empty = self.model.rowCount() == 0
        self.table.setVisible(not empty)
        self.empty_label.setVisible(empty)
        if empty and total:
            self.empty_label.setText(self.tr("No refund requests with this status."))
        elif empty:
            self.empty_label.setText(
                self.tr(
                    "No refund requests. To ask for one, select an order and choose "
                    "“Refund Request…”."
                )
            )


__all__ = ["FILTERS", "ORDER_ID_ROLE", "REQUEST_ROLE", "RefundsTableModel", "RefundsView"]
