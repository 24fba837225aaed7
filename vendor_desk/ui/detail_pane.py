"""The detail pane: one order in full, as the cache knows it.

Everything that comes from the marketplace or the customer (names, addresses, notes, product
names, payment titles) is put into widgets as PLAIN text (``Qt.TextFormat.PlainText``): a customer
note containing ``<b>`` shows the characters ``<b>``, never bold text or a link.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from vendor_desk.ui import labels
from vendor_desk.ui.formatting import format_datetime, format_money, format_time
from vendor_desk.ui.icons import status_icon


def plain_label(text: str = "", *, selectable: bool = True, wrap: bool = True) -> QLabel:
    """A QLabel that never interprets its text as HTML."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    label.setWordWrap(wrap)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _clear(layout: Any) -> None:
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget()
        if widget is not None:
            widget.deleteLater()
        elif item.layout() is not None:
            _clear(item.layout())


class _Section(QFrame):
    """A titled card of the detail pane."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detailSection")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 12)
        layout.setSpacing(6)
        heading = QLabel(title)
        heading.setTextFormat(Qt.TextFormat.PlainText)
        heading.setObjectName("sectionTitle")
        layout.addWidget(heading)
        self.body = QVBoxLayout()
        self.body.setSpacing(4)
        layout.addLayout(self.body)


class OrderDetailPane(QWidget):
    """Shows an ``OrderDetail`` (order, notes, as_of, vanished) from the cache."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detailPane")
        self.setMinimumWidth(340)
        self._stack = QStackedWidget(self)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self._stack)

        self._placeholder = QLabel(self.tr("Select an order to see it in full."))
        self._placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._placeholder.setObjectName("placeholder")
        self._placeholder.setWordWrap(True)
        self._stack.addWidget(self._placeholder)

        self._scroll = QScrollArea()
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._content = QWidget()
        self._content.setObjectName("detailContent")
        self._layout = QVBoxLayout(self._content)
        self._layout.setContentsMargins(14, 12, 14, 14)
        self._layout.setSpacing(10)
        self._scroll.setWidget(self._content)
        self._stack.addWidget(self._scroll)
        #: The order shown (None when nothing is selected); for tests and actions.
        self.order_id: int | None = None
        self.items_table: QTreeWidget | None = None

    # ----------------------------------------------------------------- public
    def clear(self) -> None:
        self.order_id = None
        self._stack.setCurrentWidget(self._placeholder)

    def show_detail(self, detail: Any) -> None:
        """Show an ``OrderDetail`` from the cache."""
        order = detail.order
        self.order_id = order.id
        _clear(self._layout)
        self._build_header(order, detail)
        self._build_hints(order, detail)
        self._build_summary(order)
        self._build_items(order)
        self._build_people(order)
        self._build_notes(order, detail.notes)
        self._layout.addStretch(1)
        self._stack.setCurrentWidget(self._scroll)
        self._scroll.verticalScrollBar().setValue(0)

    def text_content(self) -> str:
        """Every text shown (for tests and accessibility checks)."""
        parts = [label.text() for label in self._content.findChildren(QLabel)]
        if self.items_table is not None:
            for row in range(self.items_table.topLevelItemCount()):
                item = self.items_table.topLevelItem(row)
                if item is None:
                    continue
                parts.extend(item.text(c) for c in range(self.items_table.columnCount()))
        return "\n".join(parts)

    # ----------------------------------------------------------------- parts
    def _build_header(self, order: Any, detail: Any) -> None:
        row = QHBoxLayout()
        title = plain_label(self.tr("Order #{number}").format(number=order.number), wrap=False)
        title.setObjectName("detailTitle")
        row.addWidget(title)
        status = order.vendor_status.slug
        if getattr(order, "refund_requested", False) and status not in ("refunded", "cancelled"):
            status = "refund-requested"
        pill = QLabel()
        pill.setPixmap(status_icon(status).pixmap(16, 16))
        row.addWidget(pill)
        status_text = plain_label(labels.status_label(status), wrap=False)
        status_text.setObjectName("statusText")
        row.addWidget(status_text)
        row.addStretch(1)
        as_of = plain_label(
            self.tr("as of {time}").format(time=format_time(detail.as_of))
            if detail.as_of
            else self.tr("not synced yet"),
            wrap=False,
        )
        as_of.setObjectName("asOf")
        as_of.setToolTip(format_datetime(detail.as_of))
        row.addWidget(as_of)
        self._layout.addLayout(row)
        created = plain_label(
            self.tr("Placed {date}").format(date=format_datetime(order.date_created))
        )
        created.setObjectName("muted")
        self._layout.addWidget(created)

    def _hint(self, text: str, kind: str) -> None:
        hint = plain_label(text)
        hint.setObjectName(f"hint_{kind}")
        hint.setProperty("hintKind", kind)
        self._layout.addWidget(hint)

    def _build_hints(self, order: Any, detail: Any) -> None:
        if detail.vanished:
            self._hint(
                self.tr(
                    "This order is no longer on the marketplace (it was deleted or moved to "
                    "another vendor). What you see is the last copy the app kept."
                ),
                "warning",
            )
        if order.split:
            self._hint(
                self.tr(
                    "Split order: the customer also bought from other vendors. Their items are "
                    "not shown here, and the order total is the whole order's, not yours."
                ),
                "info",
            )
        status = order.vendor_status.slug
        if status in ("cancelled", "refunded", "completed"):
            return
        if status in ("pending", "on-hold", "failed"):
            self._hint(
                self.tr("This order is “{status}”: check it before you ship anything.").format(
                    status=labels.status_label(status)
                ),
                "warning",
            )
        elif not order.is_paid and order.payment_method == "cod":
            self._hint(
                self.tr("Cash on delivery: the customer pays when the parcel arrives."), "info"
            )
        elif not order.is_paid:
            self._hint(self.tr("Not paid yet — do not ship until the payment arrives."), "warning")

    def _build_summary(self, order: Any) -> None:
        section = _Section(self.tr("Order"))
        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(4)
        paid = (
            self.tr("paid {date}").format(date=format_datetime(order.date_paid))
            if order.is_paid
            else self.tr("not paid")
        )
        payment = order.payment_method_title or order.payment_method or self.tr("unknown")
        rows = [
            (self.tr("Payment"), f"{payment} — {paid}"),
            (self.tr("Your part"), labels.status_label(order.vendor_status.slug)),
            (self.tr("Whole order"), labels.status_label(order.main_status.slug)),
            (
                self.tr("Shipment"),
                labels.shipping_label(order.shipping_status.slug, False) or self.tr("unknown"),
            ),
            (
                self.tr("Payout"),
                order.payout_state.label
                if not order.payout_state.is_unknown
                else self.tr("unknown"),
            ),
            (self.tr("Refund"), self._refund_text(order)),
        ]
        for index, (name, value) in enumerate(rows):
            key = QLabel(name)
            key.setObjectName("fieldName")
            grid.addWidget(key, index, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(plain_label(value), index, 1)
        grid.setColumnStretch(1, 1)
        section.body.addLayout(grid)
        self._layout.addWidget(section)

    def _refund_text(self, order: Any) -> str:
        states = {item.refund_state.slug for item in order.items} - {"", "none"}
        if order.refund_requested or "requested" in states:
            return self.tr("refund requested — waiting for the marketplace")
        if "refunded" in states:
            return self.tr("refunded")
        if "partially-refunded" in states:
            return self.tr("partially refunded")
        if "rejected" in states:
            return self.tr("refund rejected")
        return self.tr("none")

    def _build_items(self, order: Any) -> None:
        section = _Section(self.tr("Your items"))
        table = QTreeWidget()
        table.setObjectName("itemsTable")
        table.setRootIsDecorated(False)
        table.setUniformRowHeights(True)
        table.setAlternatingRowColors(True)
        headers = [
            self.tr("Product"),
            self.tr("SKU"),
            self.tr("Qty"),
            self.tr("Price"),
            self.tr("Earning"),
            self.tr("Tracking"),
            self.tr("Refund"),
        ]
        table.setHeaderLabels(headers)
        tracked: list[tuple[str, str, str]] = []
        for item in order.items:
            commission = item.commission.amount if item.commission is not None else None
            tracking = item.tracking_code or ""
            if item.tracking_code or item.tracking_url:
                tracked.append((item.name, item.tracking_code or "", item.tracking_url or ""))
            refund = "" if item.refund_state.slug in ("", "none") else item.refund_state.label
            row = QTreeWidgetItem(
                [
                    item.name,
                    item.sku,
                    str(item.quantity),
                    format_money(item.price.amount, order.currency),
                    format_money(commission, order.currency),
                    tracking or self.tr("—"),
                    refund,
                ]
            )
            for column in (2, 3, 4):
                row.setTextAlignment(
                    column, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                )
            row.setToolTip(0, item.name)
            row.setToolTip(5, item.tracking_url or tracking)
            table.addTopLevelItem(row)
        if not any(item.refund_state.slug not in ("", "none") for item in order.items):
            table.setColumnHidden(6, True)
        header = table.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(headers)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        row_height = table.fontMetrics().height() + 10
        header_height = table.fontMetrics().height() + 12
        table.setFixedHeight(header_height + max(1, len(order.items)) * row_height + 4)
        table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.items_table = table
        section.body.addWidget(table)
        for name, code, url in tracked:
            # One line per parcel, wrapped: tracking URLs are long and must be readable whole.
            line = " · ".join(part for part in (code, url) if part)
            section.body.addWidget(plain_label(f"{name}: {line}"))

        totals = QGridLayout()
        totals.setHorizontalSpacing(14)
        earning = order.earning.amount if order.earning is not None else None
        lines = [
            (self.tr("Your items"), format_money(order.items_total.amount, order.currency)),
            (self.tr("Your earning"), format_money(earning, order.currency) or self.tr("unknown")),
            (
                self.tr("Whole order total") if order.split else self.tr("Order total"),
                format_money(order.total.amount, order.currency),
            ),
        ]
        for index, (name, value) in enumerate(lines):
            key = QLabel(name)
            key.setObjectName("fieldName")
            totals.addWidget(key, index, 0)
            amount = plain_label(value, wrap=False)
            amount.setAlignment(Qt.AlignmentFlag.AlignRight)
            totals.addWidget(amount, index, 1)
        totals.setColumnStretch(0, 1)
        section.body.addLayout(totals)
        self._layout.addWidget(section)

    def _build_people(self, order: Any) -> None:
        section = _Section(self.tr("Customer"))
        grid = QGridLayout()
        grid.setHorizontalSpacing(18)
        ship_title = QLabel(self.tr("Ship to"))
        ship_title.setObjectName("fieldName")
        bill_title = QLabel(self.tr("Billing"))
        bill_title.setObjectName("fieldName")
        grid.addWidget(ship_title, 0, 0)
        grid.addWidget(bill_title, 0, 1)
        shipping = "\n".join(order.shipping.lines()) if not order.shipping.is_empty else ""
        billing = "\n".join(order.billing.lines()) if not order.billing.is_empty else ""
        ship_label = plain_label(shipping or self.tr("no shipping address (pickup or virtual)"))
        ship_label.setObjectName("shipTo")
        grid.addWidget(ship_label, 1, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(
            plain_label(billing or self.tr("no billing address")), 1, 1, Qt.AlignmentFlag.AlignTop
        )
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        section.body.addLayout(grid)
        contact = [value for value in (order.customer_email, order.customer_phone) if value]
        if contact:
            contact_label = plain_label("  ·  ".join(contact))
            contact_label.setObjectName("contact")
            section.body.addWidget(contact_label)
        if order.customer_note:
            note_title = QLabel(self.tr("Customer's note"))
            note_title.setObjectName("fieldName")
            section.body.addWidget(note_title)
            note = plain_label(order.customer_note)
            note.setObjectName("customerNote")
            section.body.addWidget(note)
        self._layout.addWidget(section)

    def _build_notes(self, order: Any, notes: Any) -> None:
        section = _Section(self.tr("Order notes"))
        if not notes:
            empty = QLabel(self.tr("No notes."))
            empty.setObjectName("muted")
            section.body.addWidget(empty)
        for note in notes:
            kind = self.tr("To customer") if note.customer_visible else self.tr("Private")
            meta = " · ".join(
                part for part in (kind, format_datetime(note.date), note.author) if part
            )
            head = plain_label(meta, wrap=False)
            head.setObjectName("noteMetaCustomer" if note.customer_visible else "noteMetaPrivate")
            section.body.addWidget(head)
            body = plain_label(note.text)
            body.setObjectName("noteText")
            section.body.addWidget(body)
        self._layout.addWidget(section)
