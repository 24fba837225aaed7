"""The detail pane: one order in full, as the cache knows it, and what the vendor can do next.

Above the order, the pane says whether it may be shipped (green "Ready to ship" when processing
and paid; a warning with the reasons and a one-click "Message the store admin" otherwise) and
offers the actions — Mark Shipped…, Mark Complete…, Add note…, Message the store admin… — as
signals carrying the order id; the window opens the dialogs and queues the result in the outbox.
Whether an action applies comes from :mod:`vendor_desk.domain.rules` and
:mod:`vendor_desk.sync.shipping`, never from the widgets. Fields changed by a change still in the
outbox (``local["outbox"]``) carry a small clock badge; failed ones a red one.

Everything that comes from the marketplace or the customer (names, addresses, notes, product
names, payment titles) is put into widgets as PLAIN text (``Qt.TextFormat.PlainText``): a customer
note containing ``<b>`` shows the characters ``<b>``, never bold text or a link.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from vendor_desk.documents import DocumentKind
from vendor_desk.documents.printed import printed_at
from vendor_desk.domain import rules
from vendor_desk.domain.earnings import earning_breakdown
from vendor_desk.domain.refunds import (
    admin_refunds_may_be_unseen,
    eligibility_problems,
    order_refund_state,
)
from vendor_desk.i18n import ngettext
from vendor_desk.sync import shipping
from vendor_desk.sync.outbox import PENDING_NOTE_AUTHOR
from vendor_desk.ui import labels
from vendor_desk.ui.formatting import format_datetime, format_money, format_time
from vendor_desk.ui.icons import icon, status_icon

#: Outbox states from the least to the most worrying (a field shows its worst entry's state).
_STATE_RANK = {"pending": 0, "sending": 1, "uncertain": 2, "failed": 3}


#: How narrow an address may wrap in the detail pane (two side by side).
ADDRESS_MIN_WIDTH = 120


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
            widget.hide()  # at once: deleteLater() waits for the event loop
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


def pending_badge(state: str, parent: QWidget | None = None) -> QWidget:
    """A small tag for a field changed by an outbox entry: a clock and "pending", or a red
    "failed" (with a tooltip saying where to act)."""
    badge = QWidget(parent)
    failed = state == "failed"
    badge.setObjectName("failedBadge" if failed else "pendingBadge")
    badge.setProperty("outboxState", state)
    row = QHBoxLayout(badge)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(3)
    picture = QLabel()
    picture.setPixmap((status_icon("failed") if failed else icon("badge-clock")).pixmap(12, 12))
    text = QLabel(labels.outbox_state_label(state))
    text.setTextFormat(Qt.TextFormat.PlainText)
    text.setStyleSheet(
        f"color: {'#c92a2a' if failed else '#b07400'}; font-size: 11px; font-weight: 600;"
    )
    row.addWidget(picture)
    row.addWidget(text)
    badge.setToolTip(
        QCoreApplication.translate(
            "OrderDetailPane",
            "The marketplace refused this change: open Activity to retry or discard it.",
        )
        if failed
        else QCoreApplication.translate(
            "OrderDetailPane",
            "Saved here; it will be sent to the marketplace when it is reachable.",
        )
    )
    return badge


class OrderDetailPane(QWidget):
    """Shows an ``OrderDetail`` (order, notes, as_of, vanished, local) from the cache.

    Signals:
        ship_requested(int): Mark Shipped… clicked (order id).
        complete_requested(int): Mark Complete… clicked (order id).
        note_requested(int): Add note… clicked (order id).
        message_admin_requested(int, str): Message the store admin… clicked (order id, and the
            problem to mention — the shipping warning's text when clicked next to it, else "").
    """

    ship_requested = Signal(int)
    complete_requested = Signal(int)
    note_requested = Signal(int)
    refund_requested = Signal(int)
    message_admin_requested = Signal(int, str)

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
        # The action buttons of the order shown (rebuilt with it).
        self.ship_button: QPushButton | None = None
        self.complete_button: QPushButton | None = None
        self.note_button: QPushButton | None = None
        self.message_button: QPushButton | None = None
        #: The warning's "Message the store admin" button (None when the order may be shipped).
        self.warning_message_button: QPushButton | None = None
        #: Why Mark Shipped is not offered ("" when it is).
        self.ship_blocked_reason = ""
        self._actions_available = True
        self._actions_reason = ""
        self._detail: Any = None
        self._badges: dict[str, str] = {}
        #: The action buttons' grid, and how many columns it has now.
        self._buttons_grid: QGridLayout | None = None
        self._buttons: tuple[QPushButton, ...] = ()
        self._buttons_columns = 0

    # ----------------------------------------------------------------- public
    def clear(self) -> None:
        self.order_id = None
        self._stack.setCurrentWidget(self._placeholder)

    def set_actions_available(self, available: bool, reason: str = "") -> None:
        """Turn every action off (e.g. an application-password account that may only read),
        with the reason as their tooltip."""
        self._actions_available = available
        self._actions_reason = reason
        if self._detail is not None:
            self.show_detail(self._detail)

    def show_detail(self, detail: Any) -> None:
        """Show an ``OrderDetail`` from the cache."""
        order = detail.order
        self.order_id = order.id
        self._detail = detail
        local: Mapping[str, Any] = detail.local or {}
        self._badges = self._field_states(local)
        _clear(self._layout)
        self._build_header(order, detail)
        self._build_hints(order, detail)
        self._build_readiness(order, local)
        self._build_actions(order, local)
        self._build_summary(order, local)
        self._build_items(order, local)
        self._build_people(order)
        self._build_notes(order, detail.notes)
        self._layout.addStretch(1)
        self._stack.setCurrentWidget(self._scroll)
        self._scroll.verticalScrollBar().setValue(0)

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self._place_buttons()

    def _place_buttons(self) -> None:
        """The action buttons in as many columns as fit the pane's width (all of them in one
        row below a wide list; two or one beside it), the last one spanning the rest of its
        row."""
        grid, buttons = self._buttons_grid, self._buttons
        if grid is None or not buttons:
            return
        margins = self._layout.contentsMargins()
        scroll_bar = self._scroll.verticalScrollBar().sizeHint().width()
        room = self.width() - margins.left() - margins.right() - scroll_bar
        widest = max(button.sizeHint().width() for button in buttons)
        spacing = max(grid.horizontalSpacing(), 0)
        columns = max(1, min(len(buttons), (room + spacing) // (widest + spacing)))
        if columns == self._buttons_columns:
            return
        self._buttons_columns = columns
        for button in buttons:
            grid.removeWidget(button)
        for position, button in enumerate(buttons):
            last = position == len(buttons) - 1
            span = columns - position % columns if last else 1
            grid.addWidget(button, position // columns, position % columns, 1, span)
        for column in range(len(buttons)):
            grid.setColumnStretch(column, 1 if column < columns else 0)

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
        gone = rules.removal(order)
        if gone is rules.Removal.DELETED:
            status = "removed"
        elif gone is rules.Removal.TRASHED:
            status = "trashed"
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
        local = detail.local or {}
        marks = [
            text.format(date=format_datetime(when))
            for kind, text in (
                (DocumentKind.SLIP, self.tr("Packing slip printed {date}")),
                (DocumentKind.INVOICE, self.tr("Invoice printed {date}")),
            )
            if (when := printed_at(local, kind)) is not None
        ]
        if marks:
            printed = plain_label("  ·  ".join(marks))
            printed.setObjectName("muted")
            printed.setProperty("role", "printedMarks")
            self._layout.addWidget(printed)

    def _hint(self, text: str, kind: str, *, name: str = "") -> None:
        hint = plain_label(text)
        hint.setObjectName(f"hint_{kind}")
        hint.setProperty("hintKind", kind)
        hint.setProperty("role", name)
        self._layout.addWidget(hint)

    def _build_hints(self, order: Any, detail: Any) -> None:
        gone = rules.removal(order)
        if gone is not None:
            # Why nothing can be done with it (every action refuses with the same reason).
            texts = {
                rules.Removal.DELETED: self.tr(
                    "The store admin deleted this order, or it is no longer yours: the "
                    "marketplace no longer has it. What you see is the last copy the app "
                    "kept; you can still print it."
                ),
                rules.Removal.TRASHED: self.tr(
                    "The store admin moved this order to the trash: it is off your order list "
                    "on the marketplace, and nothing can be done with it unless they restore "
                    "it. What you see is the last copy the app kept; you can still print it."
                ),
                rules.Removal.CANCELLED: self.tr(
                    "This order was cancelled on the marketplace: there is nothing left to "
                    "ship or complete."
                ),
            }
            self._hint(texts[gone], "warning", name="removed")
        if order.split:
            self._hint(
                self.tr(
                    "Split order: the customer also bought from other vendors. Their items are "
                    "not shown here, and the order total is the whole order's, not yours."
                ),
                "info",
            )
        if rules.completion_waits_for_others(order) and order.vendor_status.slug == "completed":
            self._hint(
                self.tr("Your part: completed · order: {status}").format(
                    status=labels.status_label(order.main_status.slug).lower()
                )
                + "\n"
                + self.tr(
                    "The customer's completion e-mail and the store invoices go out when every "
                    "vendor has completed their part."
                ),
                "info",
                name="splitProgress",
            )
        flags = [
            flag for flag in (detail.local or {}).get("outbox") or () if isinstance(flag, dict)
        ]
        failed = [flag for flag in flags if flag.get("state") == "failed"]
        if failed:
            self._hint(
                ngettext(
                    "{count} change to this order was refused by the marketplace and rolled "
                    "back. Open Activity to edit and retry or discard it.",
                    "{count} changes to this order were refused by the marketplace and rolled "
                    "back. Open Activity to edit and retry or discard them.",
                    len(failed),
                ).format(count=len(failed)),
                "error",
                name="outboxFailed",
            )
        elif flags:
            self._hint(
                ngettext(
                    "{count} change to this order is saved here and waiting to be sent "
                    "(marked with a clock).",
                    "{count} changes to this order are saved here and waiting to be sent "
                    "(marked with a clock).",
                    len(flags),
                ).format(count=len(flags)),
                "info",
                name="outboxPending",
            )

    # ---------------------------------------------------------------- actions
    def _field_states(self, local: Mapping[str, Any]) -> dict[str, str]:
        """Field ("vendor_status", "tracking", "notes") → worst state of the outbox entries
        changing it, from ``local["outbox"]`` (written by the outbox)."""
        states: dict[str, str] = {}
        for flag in local.get("outbox") or ():
            if not isinstance(flag, dict):
                continue
            state = str(flag.get("state", "pending"))
            for field in flag.get("fields") or ():
                known = states.get(field)
                if known is None or _STATE_RANK.get(state, 0) > _STATE_RANK.get(known, 0):
                    states[field] = state
        return states

    def _with_badge(self, widget: QWidget, field: str) -> QWidget:
        """``widget`` followed by the field's outbox badge, when a change to it is pending."""
        state = self._badges.get(field)
        if state is None:
            return widget
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        row.addWidget(widget)
        row.addWidget(pending_badge(state), 0, Qt.AlignmentFlag.AlignTop)
        row.addStretch(1)
        return box

    def _build_readiness(self, order: Any, local: Mapping[str, Any]) -> None:
        """Whether the order may be shipped: green when it may, a warning with the reasons and
        a one-click message to the store admin when not."""
        verdict = rules.may_ship(order)
        payment = [labels.rule_reason(text) for text in rules.payment_warnings(order)]
        blockers = [labels.rule_reason(text) for text in verdict.reasons]
        # Nothing the marketplace lets the vendor ship (virtual or downloadable items only):
        # no parcel, which is no warning.
        virtual_only = rules.nothing_to_ship(order)
        if virtual_only:
            blockers = [
                labels.rule_reason(text)
                for text in verdict.reasons
                if text != rules.NOTHING_TO_SHIP
            ]
        # Not offered: the rules refuse (on hold, pending payment, failed …). Offered with a
        # warning: the payment is not recorded yet (cash on delivery is paid to the carrier).
        self.ship_blocked_reason = (
            "\n".join(dict.fromkeys([*blockers, *payment]))
            if blockers
            else labels.rule_reason(rules.NOTHING_TO_SHIP)
            if virtual_only
            else ""
        )
        self.warning_message_button = None
        status = order.vendor_status.slug
        if status in ("cancelled", "refunded", "completed") or rules.removal(order) is not None:
            return  # (the hints say why a removed order cannot be shipped)
        if virtual_only and not blockers:
            words = self.tr(
                "Nothing to ship: no item of this order needs a parcel (virtual or "
                "downloadable items). Mark it complete once the customer has what they bought."
            )
            if payment:
                # "before shipping" / "pays the carrier" advice does not fit: say it plainly
                words += "\n" + self.tr("No payment is recorded for this order yet.")
            self._hint(words, "warning" if payment else "ok", name="nothingToShip")
            return
        if blockers or (payment and not order.is_shipped):
            box = QFrame()
            box.setObjectName("hint_warning")
            row = QHBoxLayout(box)
            row.setContentsMargins(10, 8, 10, 8)
            if blockers:
                problem = self.ship_blocked_reason
                heading = self.tr("Do not ship this order yet.")
            else:
                problem = "\n".join(payment)
                heading = self.tr("Check the payment before shipping.")
            text = plain_label(heading + "\n" + problem)
            text.setObjectName("shipWarning")
            row.addWidget(text, 1)
            button = QPushButton(self.tr("Message the store admin"))
            button.setObjectName("warningMessageButton")
            button.setToolTip(
                self.tr("Ask the store admin about this order (pre-filled with the problem).")
            )
            button.clicked.connect(lambda: self.message_admin_requested.emit(order.id, problem))
            button.setEnabled(self._actions_available)
            row.addWidget(button, 0, Qt.AlignmentFlag.AlignVCenter)
            self.warning_message_button = button
            self._layout.addWidget(box)
            return
        if (
            status == "processing"
            and not order.is_shipped
            and not shipping.shipment_label(order, local)
        ):
            payment_title = order.payment_method_title or order.payment_method
            paid = format_datetime(order.date_paid)
            self._hint(
                self.tr("Ready to ship: processing, paid via {method} on {date}.").format(
                    method=payment_title, date=paid
                ),
                "ok",
                name="readyToShip",
            )

    def _build_actions(self, order: Any, local: Mapping[str, Any]) -> None:
        # As many a row as fit the pane's width (_place_buttons): they wrap, never cut.
        row = QGridLayout()
        row.setHorizontalSpacing(6)
        row.setVerticalSpacing(6)
        self.ship_button = QPushButton(self.tr("Mark Shipped…"))
        self.ship_button.setObjectName("shipButton")
        self.complete_button = QPushButton(self.tr("Mark Complete…"))
        self.complete_button.setObjectName("completeButton")
        self.note_button = QPushButton(self.tr("Add note…"))
        self.note_button.setObjectName("noteButton")
        self.message_button = QPushButton(self.tr("Message the store admin…"))
        self.message_button.setObjectName("messageButton")
        self.refund_button = QPushButton(self.tr("Refund request…"))
        self.refund_button.setObjectName("refundButton")
        self.refund_button.setIcon(status_icon("refund-requested"))
        order_id = order.id
        self.refund_button.clicked.connect(lambda: self.refund_requested.emit(order_id))
        self.ship_button.clicked.connect(lambda: self.ship_requested.emit(order_id))
        self.complete_button.clicked.connect(lambda: self.complete_requested.emit(order_id))
        self.note_button.clicked.connect(lambda: self.note_requested.emit(order_id))
        self.message_button.clicked.connect(lambda: self.message_admin_requested.emit(order_id, ""))

        ship_ok = not self.ship_blocked_reason
        self.ship_button.setEnabled(ship_ok and self._actions_available)
        self.ship_button.setToolTip(
            self.tr("Add tracking, or record a shipment without tracking or a pickup.")
            if ship_ok
            else self.tr("Not offered: {reason}").format(reason=self.ship_blocked_reason)
        )
        complete = shipping.ready_to_complete(order, local)
        complete_reason = "\n".join(labels.rule_reason(text) for text in complete.reasons)
        self.complete_button.setEnabled(complete.allowed and self._actions_available)
        self.complete_button.setToolTip(
            self.tr("Mark your part of the order completed.")
            if complete.allowed
            else self.tr("Not offered: {reason}").format(reason=complete_reason)
        )
        refund = [p for p in eligibility_problems(order) if not p.code.needs_admin]
        self.refund_button.setEnabled(not refund and self._actions_available)
        self.refund_button.setToolTip(
            self.tr("Not offered: {reason}").format(
                reason="\n".join(labels.refund_problem_text(p, order) for p in refund)
            )
            if refund
            else self.tr("Ask the store admin to refund the customer, fully or partly.")
        )
        note = rules.may_add_note(order)
        self.note_button.setEnabled(note.allowed and self._actions_available)
        if not note.allowed:
            self.note_button.setToolTip(
                self.tr("Not offered: {reason}").format(
                    reason="\n".join(labels.rule_reason(text) for text in note.reasons)
                )
            )
        self.message_button.setEnabled(self._actions_available)
        buttons = (
            self.ship_button,
            self.complete_button,
            self.note_button,
            self.refund_button,
            self.message_button,
        )
        if not self._actions_available and self._actions_reason:
            for button in buttons:
                button.setToolTip(self._actions_reason)
        self.ship_button.setIcon(status_icon("shipped"))
        self.complete_button.setIcon(status_icon("completed"))
        self._buttons_grid = row
        self._buttons = buttons
        self._buttons_columns = 0
        self._place_buttons()
        self._layout.addLayout(row)
        if (
            self.ship_blocked_reason
            and order.vendor_status.slug not in ("cancelled", "refunded", "completed")
            and rules.removal(order) is None
        ):
            why = plain_label(
                self.tr("Mark Shipped is not offered: {reason}").format(
                    reason=self.ship_blocked_reason.splitlines()[0]
                )
            )
            why.setObjectName("muted")
            why.setProperty("role", "shipBlockedReason")
            self._layout.addWidget(why)

    def _build_summary(self, order: Any, local: Mapping[str, Any]) -> None:
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
            (self.tr("Shipment"), self._shipment_text(order, local)),
            (
                self.tr("Payout"),
                labels.payout_label(order.payout_state.slug)
                if not order.payout_state.is_unknown
                else self.tr("unknown"),
            ),
            (self.tr("Refund"), self._refund_text(order)),
        ]
        badge_fields = {1: "vendor_status", 3: "tracking"}
        for index, (name, value) in enumerate(rows):
            key = QLabel(name)
            key.setObjectName("fieldName")
            grid.addWidget(key, index, 0, Qt.AlignmentFlag.AlignTop)
            field = badge_fields.get(index)
            value_label = plain_label(value)
            grid.addWidget(self._with_badge(value_label, field) if field else value_label, index, 1)
        if admin_refunds_may_be_unseen(order):
            # Under the refund line: the marketplace shows a vendor nothing of a refund the
            # admin makes in WooCommerce, unless it refunds the whole order (files 180–187).
            caveat = plain_label(
                self.tr(
                    "Refunds the store admin makes directly are not shown to vendors by the "
                    "marketplace; a full refund shows as Refunded."
                )
            )
            caveat.setObjectName("muted")
            caveat.setProperty("role", "refundCaveat")
            grid.addWidget(caveat, len(rows), 1)
        grid.setColumnStretch(1, 1)
        section.body.addLayout(grid)
        self._layout.addWidget(section)

    def _shipment_text(self, order: Any, local: Mapping[str, Any]) -> str:
        shipments = shipping.local_shipments(local)
        if shipments and not order.is_shipped:
            return labels.local_shipment_label(shipments[-1].method)
        return labels.shipping_label(order.shipping_status.slug, False) or self.tr("unknown")

    def _refund_text(self, order: Any) -> str:
        words = {
            "requested": self.tr("refund requested — waiting for the marketplace"),
            "refunded": self.tr("refunded"),
            "partially-refunded": self.tr("partially refunded"),
            "rejected": self.tr("refund rejected"),
        }
        return words.get(order_refund_state(order).slug, self.tr("none"))

    def _build_items(self, order: Any, local: Mapping[str, Any]) -> None:
        section = _Section(self.tr("Your items"))
        table = QTreeWidget()
        table.setObjectName("itemsTable")
        table.setRootIsDecorated(False)
        table.setUniformRowHeights(True)
        table.setAlternatingRowColors(True)
        # No tracking or refund column: each item's tracking (code and address) and refund
        # state are listed whole under the table, so the product names get the width of a
        # narrow pane (issue 12: "Pin…").
        headers = [
            self.tr("Product"),
            self.tr("SKU"),
            self.tr("Qty"),
            self.tr("Price"),
            self.tr("Earning"),
        ]
        table.setHeaderLabels(headers)
        tracked: list[tuple[str, str, str]] = []
        refunds: list[tuple[str, str]] = []
        for item in order.items:
            commission = item.commission.amount if item.commission is not None else None
            if item.tracking_code or item.tracking_url:
                tracked.append((item.name, item.tracking_code or "", item.tracking_url or ""))
            if item.refund_state.slug not in ("", "none"):
                refunds.append((item.name, labels.item_refund_label(item.refund_state.slug)))
            row = QTreeWidgetItem(
                [
                    item.name,
                    item.sku,
                    str(item.quantity),
                    format_money(item.price.amount, order.currency),
                    format_money(commission, order.currency),
                ]
            )
            for column in (2, 3, 4):
                row.setTextAlignment(
                    column, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                )
            tracking = " · ".join(p for p in (item.tracking_code, item.tracking_url) if p)
            row.setToolTip(
                0,
                self.tr("{name}\nTracking: {tracking}").format(name=item.name, tracking=tracking)
                if tracking
                else item.name,
            )
            table.addTopLevelItem(row)
        header = table.header()
        header.setStretchLastSection(False)
        # The product names take whatever the other columns (as wide as their contents) leave.
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
            tracking_line = plain_label(self.tr("{name}: {state}").format(name=name, state=line))
            section.body.addWidget(self._with_badge(tracking_line, "tracking"))
        for name, state in refunds:
            refund_line = plain_label(
                self.tr("{name}: {state}").format(name=name, state=state.lower())
            )
            refund_line.setProperty("role", "itemRefund")
            section.body.addWidget(refund_line)
        names = {item.item_id: item.name for item in order.items}
        for shipment in shipping.local_shipments(local):
            # Shipped without tracking, collected, or tracking the marketplace could not keep.
            items = ", ".join(names.get(i, str(i)) for i in shipment.item_ids)
            parts = [labels.local_shipment_label(shipment.method)]
            if shipment.carrier_name:
                parts.append(shipment.carrier_name)
            if shipment.code:
                parts.append(shipment.code)
            parts.append(labels.local_shipment_where(shipment.marketplace))
            shipment_line = plain_label(
                self.tr("{name}: {state}").format(name=items, state=" · ".join(parts))
            )
            shipment_line.setObjectName("localShipment")
            section.body.addWidget(shipment_line)
            if shipment.url:
                section.body.addWidget(plain_label(shipment.url))

        totals = QGridLayout()
        totals.setHorizontalSpacing(14)
        totals.setVerticalSpacing(2)
        earning = order.earning.amount if order.earning is not None else None
        breakdown = earning_breakdown(order)
        shown = breakdown if breakdown is not None and breakdown.explains_something else None
        totals_row = 0

        def add(name: str, value: str, *, part: str = "", strong: bool = False) -> None:
            nonlocal totals_row
            key = QLabel(name)
            key.setObjectName("fieldName")
            amount = plain_label(value, wrap=False)
            amount.setAlignment(Qt.AlignmentFlag.AlignRight)
            if part:  # a line of the earning's breakdown: indented under the items
                key.setIndent(12)
                amount.setObjectName("muted")
                amount.setProperty("earningPart", part)
            if strong:
                amount.setStyleSheet("font-weight: 600;")
            totals.addWidget(key, totals_row, 0)
            totals.addWidget(amount, totals_row, 1)
            totals_row += 1

        add(self.tr("Your items"), format_money(order.items_total.amount, order.currency))
        if shown is not None:
            # Why the earning differs from the items: commission, + shipping, + tax, − charges.
            for index, piece in enumerate(shown.lines):
                add(
                    labels.earning_part_label(piece.part),
                    self._signed(piece.amount.amount, order.currency, first=index == 0),
                    part=piece.part.value,
                )
        add(
            self.tr("Your earning"),
            format_money(earning, order.currency) or self.tr("unknown"),
            strong=shown is not None,
        )
        if shown is not None and not shown.refunded.is_zero:
            refunded = plain_label(
                self.tr(
                    "{amount} was refunded to the customer: it is already taken off the "
                    "commission above."
                ).format(amount=format_money(shown.refunded.amount, order.currency))
            )
            refunded.setObjectName("muted")
            refunded.setProperty("role", "earningRefunded")
            totals.addWidget(refunded, totals_row, 0, 1, 2)
            totals_row += 1
        add(
            self.tr("Whole order total") if order.split else self.tr("Order total"),
            format_money(order.total.amount, order.currency),
        )
        totals.setColumnStretch(0, 1)
        section.body.addLayout(totals)
        self._layout.addWidget(section)

    @staticmethod
    def _signed(amount: Any, currency: str, *, first: bool) -> str:
        """A breakdown amount: the first as it is, the others with their sign (+ / −)."""
        if first:
            return format_money(amount, currency)
        locale = QLocale()
        sign = locale.negativeSign() if amount < 0 else locale.positiveSign()
        return sign + format_money(abs(amount), currency)

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
        bill_label = plain_label(billing or self.tr("no billing address"))
        grid.addWidget(bill_label, 1, 1, Qt.AlignmentFlag.AlignTop)
        for label in (ship_label, bill_label):
            # A wrapped label asks for far more than its longest word: side by side, two long
            # addresses made the pane scroll sideways (they wrap at words instead).
            label.setMinimumWidth(min(label.minimumSizeHint().width(), ADDRESS_MIN_WIDTH))
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
            provisional = note.id < 0 or note.author == PENDING_NOTE_AUTHOR
            author = self.tr("waiting to be sent") if provisional else note.author
            meta = " · ".join(part for part in (kind, format_datetime(note.date), author) if part)
            head = plain_label(meta, wrap=False)
            head.setObjectName("noteMetaCustomer" if note.customer_visible else "noteMetaPrivate")
            if provisional:
                box = QWidget()
                row = QHBoxLayout(box)
                row.setContentsMargins(0, 0, 0, 0)
                row.addWidget(head)
                row.addWidget(pending_badge(self._badges.get("notes", "pending")))
                row.addStretch(1)
                section.body.addWidget(box)
            else:
                section.body.addWidget(head)
            body = plain_label(note.text)
            body.setObjectName("noteText")
            section.body.addWidget(body)
        self._layout.addWidget(section)
