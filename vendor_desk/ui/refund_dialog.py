"""The Refund Request dialog: ask the store admin to refund a customer, fully or partially.

**Full refund** lists every item still refundable with what remains on it; the marketplace adds
the original shipping. **Partial refund** is a per-item form: "Total" (the amount to give back,
at most what remains on the item) and "Qty" (units put back in stock — only for items that came
back and can be sold again). The sum updates as the vendor types, in the order's currency and the
app's locale; amounts may be typed with decimal commas. The reason is required and shown to the
customer once the admin approves, so the dialog says so and offers polite presets (inserted after
what the vendor typed, never instead of it; Ctrl+Z takes one back). Every message line under a
field keeps its space while hidden: nothing moves when a mistake is shown or corrected.

Every check comes from :mod:`vendor_desk.domain.refunds` / :mod:`vendor_desk.sync.refunds`
(the same ones the outbox and the command line apply); this module only shows their problems
next to the right field, in words from :mod:`vendor_desk.ui.labels`. The dialog sends nothing:
:meth:`RefundDialog.request` gives ``(mode, lines, reason)`` for
:func:`vendor_desk.sync.refunds.queue_refund`.

When nothing was paid for the order yet (cash on delivery …), a refund request gives no money back:
the dialog says so at the top (:func:`vendor_desk.domain.refunds.unpaid_refund`, worded by
:func:`vendor_desk.ui.labels.unpaid_refund_text`) and the request goes only once the vendor ticked
"I understand that nothing was paid" (:meth:`RefundDialog.unpaid_confirmed`, the
``confirm_unpaid`` of ``queue_refund``). Paid orders have no such step.

When the order cannot have a refund request (its status, or every item already refunded or
waiting), the dialog explains why and offers no form. When only the payout stands in the way
(earnings requested or paid out), the form stays so the vendor can say what should be refunded,
and "Message the store admin…" emits :attr:`RefundDialog.message_admin_requested` with a message
pre-filled by :func:`vendor_desk.domain.refunds.admin_message_for`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QEvent, QLocale, QObject, Qt, Signal, Slot
from PySide6.QtGui import QShowEvent, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from vendor_desk.domain import LineItem, Money, Order, RefundLine, RefundMode, RefundState
from vendor_desk.domain.refunds import (
    RefundProblem,
    RefundProblemCode,
    admin_message_for,
    full_refund_lines,
    parse_amount,
    parse_quantity,
    refund_total,
    refundable_items,
    remaining_amount,
    remaining_quantity,
    unpaid_problem,
    unpaid_refund,
)
from vendor_desk.i18n import ngettext
from vendor_desk.sync.refunds import RefundRefused, plan_refund
from vendor_desk.ui import labels
from vendor_desk.ui.formatting import format_decimal, format_money
from vendor_desk.ui.icons import app_icon
from vendor_desk.ui.tracking_dialog import field_error_label, hint_label

#: Columns of the full-refund item list.
FULL_COL_NAME, FULL_COL_SKU, FULL_COL_QTY, FULL_COL_AMOUNT = range(4)
#: Columns of the partial-refund grid.
(
    COL_NAME,
    COL_SKU,
    COL_BOUGHT,
    COL_REFUNDED,
    COL_REMAINING,
    COL_QTY,
    COL_TOTAL,
) = range(7)

#: State problems that leave nothing to fill in (the dialog only explains).
_NO_FORM = frozenset(
    {
        RefundProblemCode.ORDER_REMOVED,
        RefundProblemCode.NOT_ELIGIBLE_STATUS,
        RefundProblemCode.PAYOUT_UNKNOWN,
        RefundProblemCode.NO_REFUNDABLE_ITEMS,
        RefundProblemCode.ALREADY_QUEUED,
    }
)


def _show(label: QLabel, text: str) -> None:
    label.setText(text)
    label.setVisible(bool(text))


def _reserved(label: QLabel) -> QLabel:
    """A message line whose space is kept while it is hidden: the fields around it never move
    when a mistake is shown or corrected (a click must land where the vendor aimed)."""
    policy = label.sizePolicy()
    policy.setRetainSizeWhenHidden(True)
    label.setSizePolicy(policy)
    label.ensurePolished()  # the style sheet's font size, for the line's height
    label.setMinimumHeight(label.fontMetrics().lineSpacing() + 2)
    return label


def _error_line() -> QLabel:
    """A red message line under a field, its space reserved (see :func:`_reserved`)."""
    return _reserved(field_error_label())


def _muted(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setObjectName("muted")
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


@dataclass
class ItemRow:
    """The widgets of one refundable item in the partial-refund grid."""

    item: LineItem
    qty_edit: QLineEdit
    total_edit: QLineEdit
    error: QLabel


class RefundDialog(QDialog):
    """Ask for a refund of ``order`` (the vendor's items of it).

    Args:
        order: the cached order.
        local: the order's app-owned state (``orders.local``): a refused refund request still
            in the outbox blocks a new one.
        english_hint: the account's marketplace asks for reasons in English: say so.

    Signals:
        message_admin_requested(int, str): "Message the store admin…" was clicked (the payout
            is no longer pending): the order id and a pre-filled message. The dialog closes
            (rejected) first; the window opens its message dialog with the text.

    After ``exec()`` returns ``Accepted``, :meth:`request` holds the vendor's request and
    :meth:`unpaid_confirmed` whether they confirmed a request on an unpaid order.
    """

    message_admin_requested = Signal(int, str)

    def __init__(
        self,
        order: Order,
        parent: QWidget | None = None,
        *,
        local: Mapping[str, Any] | None = None,
        english_hint: bool = False,
    ) -> None:
        super().__init__(parent)
        self.order = order
        self._local: Mapping[str, Any] = local or {}
        self._english_hint = english_hint
        self._currency = order.currency.upper()
        self._locale = QLocale()
        self._decimal_separator = self._locale.decimalPoint() or "."
        self._refundable = refundable_items(order)
        self._refundable_ids = {item.item_id for item in self._refundable}
        #: Fields whose mistakes are shown while typing (left once, or all after a submit).
        self._reason_touched = False
        self._show_all = False
        self.rows: dict[int, ItemRow] = {}

        self.setWindowTitle(
            self.tr("Refund request for order #{number}").format(number=order.number)
        )
        self.setWindowIcon(app_icon())
        self.setMinimumWidth(640)

        state = self._state_problems()
        codes = {problem.code for problem in state}
        #: The payout was requested or paid out: only the store admin can refund now.
        self.blocked_by_payout = RefundProblemCode.PAYOUT_NOT_PENDING in codes
        #: The form is shown (eligible, or blocked by the payout only: to tell the admin).
        self.has_form = not (codes & _NO_FORM)
        #: A request can be queued from this dialog.
        self.eligible = not state

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        title = QLabel(self.tr("Refund request for order #{number}").format(number=order.number))
        title.setObjectName("detailTitle")
        layout.addWidget(title)

        self.state_label = hint_label(
            "warning", "\n\n".join(labels.refund_problem_text(p, order) for p in state)
        )
        self.state_label.setProperty("role", "refundState")
        self.state_label.setVisible(bool(state))
        layout.addWidget(self.state_label)

        #: Nothing was paid for the order yet (cash on delivery …): a refund gives no money
        #: back, and the vendor must say they understand before the request is sent.
        self.unpaid = unpaid_refund(order) if self.eligible else None
        self.unpaid_warning: QLabel | None = None
        self.unpaid_confirm: QCheckBox | None = None
        self.unpaid_error: QLabel | None = None
        if self.unpaid is not None:
            self.unpaid_warning = hint_label("warning", labels.unpaid_refund_text(self.unpaid))
            self.unpaid_warning.setProperty("role", "unpaidWarning")
            self.unpaid_warning.setStyleSheet("font-weight: 600;")
            layout.addWidget(self.unpaid_warning)
            self.unpaid_confirm = QCheckBox(
                self.tr("I understand that nothing was paid — send the refund request anyway")
            )
            self.unpaid_confirm.setObjectName("unpaidConfirm")
            self.unpaid_confirm.toggled.connect(self._refresh)
            layout.addWidget(self.unpaid_confirm)
            self.unpaid_error = _error_line()
            self.unpaid_error.setProperty("role", "unpaidError")
            layout.addWidget(self.unpaid_error)

        if self.has_form:
            intro = _muted(
                self.tr(
                    "The store admin decides on refund requests; the customer is refunded once "
                    "the admin approves."
                )
                if not self.blocked_by_payout
                else self.tr(
                    "Fill in what should be refunded: it goes into your message to the store admin."
                )
            )
            layout.addWidget(intro)
            layout.addLayout(self._build_mode())
            layout.addWidget(self._build_pages(), 1)
            self.sum_label = QLabel()
            self.sum_label.setObjectName("refundSum")
            self.sum_label.setTextFormat(Qt.TextFormat.PlainText)
            self.sum_label.setWordWrap(True)
            self.sum_label.setStyleSheet("font-weight: 600;")
            layout.addWidget(self.sum_label)
            layout.addWidget(self._build_reason())
        else:
            self.sum_label = QLabel()
            layout.addStretch(1)

        self.general_error = _error_line()
        self.general_error.setProperty("role", "generalError")
        layout.addWidget(self.general_error)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Request refund"))
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.message_button = QPushButton(self.tr("Message the store admin…"))
        self.message_button.setObjectName("messageAdminButton")
        self.message_button.clicked.connect(self.message_admin)
        self.buttons.addButton(self.message_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.message_button.setVisible(self.blocked_by_payout)
        if not self.eligible:
            self.ok_button.setVisible(False)
            self.cancel_button.setText(self.tr("Close"))
            if self.blocked_by_payout:
                self.message_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        if self.has_form:
            self._refresh()
        self.resize(max(720, self.sizeHint().width()), self.sizeHint().height())

    # ============================================================== building
    def _build_mode(self) -> QHBoxLayout:
        self.full_button = QRadioButton(labels.refund_mode_label(RefundMode.FULL.value))
        self.full_button.setObjectName("modeFull")
        self.partial_button = QRadioButton(labels.refund_mode_label(RefundMode.PARTIAL.value))
        self.partial_button.setObjectName("modePartial")
        group = QButtonGroup(self)
        group.addButton(self.full_button)
        group.addButton(self.partial_button)
        # The marketplace's own form starts in partial mode: the smaller request.
        self.partial_button.setChecked(True)
        self.full_button.toggled.connect(self._mode_changed)
        row = QHBoxLayout()
        row.addWidget(self.full_button)
        row.addWidget(self.partial_button)
        row.addStretch(1)
        return row

    def _build_pages(self) -> QStackedWidget:
        self.pages = QStackedWidget()
        self.pages.addWidget(self._build_full_page())
        self.pages.addWidget(self._build_partial_page())
        self.pages.setCurrentIndex(1)
        return self.pages

    def _left_out_text(self, item: LineItem) -> str:
        if item.refund_state == RefundState.REQUESTED:
            return self.tr("Refund requested — waiting for the admin")
        return self.tr("Fully refunded")

    def _left_out_items(self) -> list[LineItem]:
        return [item for item in self.order.items if item.item_id not in self._refundable_ids]

    def _build_full_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        self.full_list = QTreeWidget()
        self.full_list.setObjectName("fullItems")
        self.full_list.setRootIsDecorated(False)
        self.full_list.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.full_list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.full_list.setHeaderLabels(
            [self.tr("Product"), self.tr("SKU"), self.tr("Qty"), self.tr("Amount to refund")]
        )
        for line in full_refund_lines(self.order):
            item = self.order.item(line.item_id)
            assert item is not None
            row = QTreeWidgetItem(
                [
                    item.name,
                    item.sku,
                    self._locale.toString(line.quantity),
                    format_money(line.amount.amount, self._currency, self._locale),
                ]
            )
            row.setData(FULL_COL_NAME, Qt.ItemDataRole.UserRole, item.item_id)
            for column in (FULL_COL_QTY, FULL_COL_AMOUNT):
                row.setTextAlignment(column, Qt.AlignmentFlag.AlignRight)
            self.full_list.addTopLevelItem(row)
        for item in self._left_out_items():
            row = QTreeWidgetItem([item.name, item.sku, "", self._left_out_text(item)])
            row.setData(FULL_COL_NAME, Qt.ItemDataRole.UserRole, item.item_id)
            row.setDisabled(True)
            row.setToolTip(FULL_COL_NAME, self._left_out_text(item))
            self.full_list.addTopLevelItem(row)
        header = self.full_list.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(FULL_COL_NAME, QHeaderView.ResizeMode.Stretch)
        for column in (FULL_COL_SKU, FULL_COL_QTY, FULL_COL_AMOUNT):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.full_list)

        self.shipping_hint = hint_label(
            "info",
            self.tr(
                "With a full refund the original shipping is refunded too, together with the "
                "tax on these items. The remaining quantities are put back in stock."
            ),
        )
        self.shipping_hint.setProperty("role", "shippingHint")
        layout.addWidget(self.shipping_hint)
        self.full_help = _muted(
            self.tr(
                "Typical cases: the order is cancelled before shipping; the whole parcel came "
                "back; the carrier lost the parcel."
            )
        )
        layout.addWidget(self.full_help)
        if self._left_out_items():
            layout.addWidget(_muted(self._left_out_note()))
        layout.addStretch(1)
        return page

    def _left_out_note(self) -> str:
        return self.tr(
            "Greyed items are left out: a refund request for them is waiting for the store "
            "admin's decision, or they are fully refunded."
        )

    def _build_partial_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)

        grid_host = QFrame()
        grid_host.setObjectName("detailSection")
        grid = QGridLayout(grid_host)
        self._items_grid = grid
        grid.setContentsMargins(10, 8, 10, 8)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(2)
        headers = {
            COL_NAME: self.tr("Product"),
            COL_SKU: self.tr("SKU"),
            COL_BOUGHT: self.tr("Bought"),
            COL_REFUNDED: self.tr("Refunded"),
            COL_REMAINING: self.tr("Refundable"),
            COL_QTY: self.tr("Qty"),
            COL_TOTAL: self.tr("Total"),
        }
        for column, text in headers.items():
            head = QLabel(text)
            head.setObjectName("fieldName")
            grid.addWidget(head, 0, column)
        grid.setColumnStretch(COL_NAME, 1)
        grid.setColumnMinimumWidth(COL_TOTAL, 110)
        row_index = 1
        numeric = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for item in self.order.items:
            refundable = item.item_id in self._refundable_ids
            cells = [
                (COL_NAME, item.name),
                (COL_SKU, item.sku),
                (COL_BOUGHT, self._locale.toString(item.quantity)),
                (COL_REFUNDED, self._refunded_text(item)),
            ]
            if refundable:
                left = remaining_amount(item)
                cells.append(
                    (
                        COL_REMAINING,
                        self.tr("{count} · {amount}").format(
                            count=self._locale.toString(remaining_quantity(item)),
                            amount=format_money(left.amount, left.currency, self._locale),
                        ),
                    )
                )
            for column, text in cells:
                label = QLabel(text)
                label.setTextFormat(Qt.TextFormat.PlainText)
                if column not in (COL_NAME, COL_SKU):
                    label.setAlignment(numeric)
                if not refundable:
                    label.setEnabled(False)
                grid.addWidget(label, row_index, column)
            if not refundable:
                why = QLabel(self._left_out_text(item))
                why.setObjectName("muted")
                why.setEnabled(False)
                grid.addWidget(why, row_index, COL_REMAINING, 1, 3)
                row_index += 1
                continue
            qty_edit = QLineEdit()
            qty_edit.setObjectName(f"qty_{item.item_id}")
            qty_edit.setPlaceholderText("0")
            qty_edit.setMaximumWidth(56)
            qty_edit.setAlignment(Qt.AlignmentFlag.AlignRight)
            qty_edit.setToolTip(
                self.tr(
                    "Units put back in stock. Set it only when the item came back and can be "
                    "sold again (at most {count})."
                ).format(count=remaining_quantity(item))
            )
            total_edit = QLineEdit()
            total_edit.setObjectName(f"total_{item.item_id}")
            total_edit.setPlaceholderText(
                format_decimal(Decimal(0), self._decimals(), self._locale)
            )
            total_edit.setAlignment(Qt.AlignmentFlag.AlignRight)
            total_edit.setToolTip(
                self.tr(
                    "The amount to give back for this item, without tax (at most {amount})."
                ).format(
                    amount=format_money(remaining_amount(item).amount, self._currency, self._locale)
                )
            )
            error = _error_line()
            error.setProperty("item_id", item.item_id)
            error.setAlignment(Qt.AlignmentFlag.AlignRight)
            grid.addWidget(qty_edit, row_index, COL_QTY)
            grid.addWidget(total_edit, row_index, COL_TOTAL)
            grid.addWidget(error, row_index + 1, COL_NAME, 1, len(headers))
            qty_edit.textChanged.connect(self._refresh)
            total_edit.textChanged.connect(self._refresh)
            self.rows[item.item_id] = ItemRow(item, qty_edit, total_edit, error)
            row_index += 2
        grid.setRowStretch(row_index, 1)

        self.items_scroll = QScrollArea()
        self.items_scroll.setWidgetResizable(True)
        self.items_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.items_scroll.setWidget(grid_host)
        layout.addWidget(self.items_scroll)

        self.items_error = _error_line()
        self.items_error.setProperty("role", "itemsError")
        layout.addWidget(self.items_error)
        self.partial_help = _muted(
            self.tr(
                "Total: the amount to give back for that item, at most what remains refundable. "
                "Qty puts units back in stock — set it only when the item came back and can be "
                "sold again.\n"
                "Typical cases: some items were returned (their Qty and Total); a price "
                "reduction agreed with the customer for a defect (a Total, no Qty)."
            )
        )
        layout.addWidget(self.partial_help)
        if self._left_out_items():
            layout.addWidget(_muted(self._left_out_note()))
        layout.addStretch(1)
        return page

    def _build_reason(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        head = QHBoxLayout()
        name = QLabel(
            self.tr("Reason (for the customer)")
            if self.blocked_by_payout
            else self.tr("Reason (required)")
        )
        name.setStyleSheet("font-weight: 600;")
        head.addWidget(name)
        head.addStretch(1)
        self.preset_combo = QComboBox()
        self.preset_combo.setObjectName("reasonPresets")
        self.preset_combo.addItem(self.tr("Insert a polite reason…"), "")
        self.preset_combo.setToolTip(
            self.tr(
                "Adds a ready-made sentence after what you typed (Ctrl+Z takes it back); an "
                "empty reason is filled with it."
            )
        )
        self._presets = labels.refund_reason_presets()
        for title, text in self._presets:
            self.preset_combo.addItem(title, text)
        self.preset_combo.activated.connect(self._preset_chosen)
        head.addWidget(self.preset_combo)
        layout.addLayout(head)

        self.reason_edit = QPlainTextEdit()
        self.reason_edit.setObjectName("reasonText")
        self.reason_edit.setTabChangesFocus(True)
        self.reason_edit.setPlaceholderText(
            self.tr("Why the customer is refunded, in a few polite words")
        )
        self.reason_edit.setFixedHeight(72)
        self.reason_edit.textChanged.connect(self._refresh)
        self.reason_edit.installEventFilter(self)
        layout.addWidget(self.reason_edit)
        self.reason_error = _error_line()
        self.reason_error.setProperty("role", "reasonError")
        layout.addWidget(self.reason_error)

        self.customer_hint = hint_label(
            "info",
            self.tr(
                "The customer sees this reason once the store admin approves the refund (under "
                "the refund in their order and e-mails). Be polite, and write nothing the "
                "customer shouldn't read."
            ),
        )
        self.customer_hint.setProperty("role", "customerHint")
        layout.addWidget(self.customer_hint)
        self.english_hint = hint_label(
            "warning",
            self.tr("This marketplace asks vendors to write refund reasons in English."),
        )
        self.english_hint.setProperty("role", "englishHint")
        self.english_hint.setVisible(self._english_hint)
        layout.addWidget(self.english_hint)
        return box

    # ================================================================ public
    def mode(self) -> RefundMode:
        if self.has_form and self.full_button.isChecked():
            return RefundMode.FULL
        return RefundMode.PARTIAL

    def set_mode(self, mode: RefundMode) -> None:
        (
            self.full_button if RefundMode(mode) is RefundMode.FULL else self.partial_button
        ).setChecked(True)

    def reason(self) -> str:
        """The reason as typed, without leading/trailing blank space."""
        return self.reason_edit.toPlainText().strip() if self.has_form else ""

    def lines(self) -> list[RefundLine]:
        """The request's lines: in full mode every remaining item; in partial mode the items
        with a valid amount or quantity (mistyped ones are left out — see :meth:`validate`)."""
        if not self.has_form:
            return []
        if self.mode() is RefundMode.FULL:
            return full_refund_lines(self.order)
        lines, _problems = self._typed_lines()
        return [line for line in lines if line.quantity or not line.amount.is_zero]

    def unpaid_confirmed(self) -> bool:
        """The vendor ticked "I understand that nothing was paid" (False when the order was
        paid: nothing to confirm). Pass it as ``confirm_unpaid`` to
        :func:`vendor_desk.sync.refunds.queue_refund`."""
        return self.unpaid_confirm is not None and self.unpaid_confirm.isChecked()

    def request(self) -> tuple[RefundMode, list[RefundLine], str]:
        """The result: ``(mode, lines, reason)`` for
        :func:`vendor_desk.sync.refunds.queue_refund`."""
        return self.mode(), self.lines(), self.reason()

    def total(self) -> Money:
        """The sum of the lines' amounts (the live sum; without tax and shipping)."""
        return refund_total(self.lines(), self._currency)

    def problems(self) -> list[RefundProblem]:
        """Everything that keeps the request from being queued (typing mistakes first)."""
        mode, reason = self.mode(), self.reason()
        if mode is RefundMode.FULL:
            lines: list[RefundLine] = full_refund_lines(self.order)
            typed: list[RefundProblem] = []
        else:
            lines, typed = self._typed_lines()
        try:
            plan_refund(
                self.order,
                mode,
                lines,
                reason,
                local=self._local,
                confirm_unpaid=self.unpaid_confirmed(),
            )
            planned: list[RefundProblem] = []
        except RefundRefused as refused:
            planned = list(refused.problems)
        if self.eligible and not any(
            p.code is RefundProblemCode.UNPAID_NOT_CONFIRMED for p in planned
        ):  # said at once, not only once everything else is right
            planned += unpaid_problem(self.order, self.unpaid_confirmed())
        if typed:  # "nothing chosen" would only repeat that a typed number is wrong
            planned = [p for p in planned if p.code is not RefundProblemCode.NOTHING_CHOSEN]
        return typed + planned

    def validate(self, *, show: bool = True) -> bool:
        """Whether the request can be queued; with ``show``, every mistake is shown next to
        its field (and the first invalid field gets the focus on submit)."""
        if show:
            self._show_all = True
        self._refresh()
        return self.eligible and not self.problems()

    def accept(self) -> None:
        """Refuse (and point at the mistakes) until the request is valid."""
        if not self.eligible:
            return
        if not self.validate(show=True):
            widget = self._first_invalid_widget()
            if widget is not None:
                if widget is not self.reason_edit:
                    self.items_scroll.ensureWidgetVisible(widget)
                widget.setFocus()
            return
        super().accept()

    @Slot()
    def message_admin(self) -> None:
        """Close, and ask the window to open a message to the store admin saying what to
        refund (the payout is no longer pending)."""
        if self.has_form:
            mode, lines, reason = self.request()
        else:
            mode, lines, reason = RefundMode.FULL, [], ""
        text = admin_message_for(self.order, mode, lines, reason)
        self.reject()
        self.message_admin_requested.emit(self.order.id, text)

    # =============================================================== private
    def _state_problems(self) -> list[RefundProblem]:
        """What the order's state forbids (the rules' checks, not the vendor's typing)."""
        try:
            plan_refund(self.order, RefundMode.FULL, (), "", local=self._local)
        except RefundRefused as refused:
            return [p for p in refused.problems if not p.code.is_input]
        return []

    def _fit_item_lists(self) -> None:
        """Item lists as tall as their rows (up to a limit, then they scroll), so a short
        order leaves no empty box."""
        limit = 300
        tree = self.full_list
        rows = tree.topLevelItemCount()
        row_height = tree.sizeHintForRow(0) if rows else 20
        tree.setMaximumHeight(
            min(
                limit,
                tree.header().sizeHint().height() + rows * row_height + 2 * tree.frameWidth() + 4,
            )
        )
        grid = self._items_grid
        grid.invalidate()  # error lines just shown or hidden count too
        self.items_scroll.setFixedHeight(min(limit, grid.sizeHint().height() + 2))

    def _decimals(self) -> int:
        return Money.zero(self._currency or "XXX").minor_units

    def _refunded_text(self, item: LineItem) -> str:
        parts: list[str] = []
        if item.refunded_quantity:
            parts.append(self._locale.toString(item.refunded_quantity))
        if item.refunded_amount is not None and not item.refunded_amount.is_zero:
            parts.append(
                format_money(
                    item.refunded_amount.amount, item.refunded_amount.currency, self._locale
                )
            )
        if parts:
            return " · ".join(parts)
        if item.refund_state == RefundState.REFUNDED:
            return self.tr("all")
        if item.refund_state == RefundState.PARTIALLY_REFUNDED:
            return self.tr("partly")
        return "—"

    def _typed_lines(self) -> tuple[list[RefundLine], list[RefundProblem]]:
        """The partial grid as lines (rows with a typing mistake left out) and the mistakes."""
        lines: list[RefundLine] = []
        problems: list[RefundProblem] = []
        for item_id, row in self.rows.items():
            qty = parse_quantity(row.qty_edit.text(), item_id=item_id)
            amount = parse_amount(
                row.total_edit.text(),
                self._currency,
                decimal_separator=self._decimal_separator,
                item_id=item_id,
            )
            bad = [value for value in (qty, amount) if isinstance(value, RefundProblem)]
            problems.extend(bad)
            if not isinstance(qty, RefundProblem) and not isinstance(amount, RefundProblem):
                lines.append(RefundLine(item_id, qty, Money(amount, self._currency)))
        return lines, problems

    def _first_invalid_widget(self) -> QWidget | None:
        if self.unpaid_error is not None and not self.unpaid_error.isHidden():
            return self.unpaid_confirm
        if self.mode() is RefundMode.PARTIAL:
            for row in self.rows.values():
                if not row.error.isHidden():
                    return row.total_edit if row.total_edit.text().strip() else row.qty_edit
            if not self.items_error.isHidden():
                first = next(iter(self.rows.values()), None)
                return first.total_edit if first is not None else None
        if not self.reason_error.isHidden():
            return self.reason_edit
        return None

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.has_form:
            self._fit_item_lists()  # the labels' real heights are known once shown

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Leaving the reason with text in it (or after it was filled once) shows its mistakes
        # from then on; an untouched empty reason is not red before the first submit.
        if (
            watched is getattr(self, "reason_edit", None)
            and event.type() == QEvent.Type.FocusOut
            and (self.reason_edit.toPlainText().strip() or self._reason_touched)
        ):
            self._reason_touched = True
            self._refresh()
        return super().eventFilter(watched, event)

    @Slot(bool)
    def _mode_changed(self, _full: bool) -> None:
        self.pages.setCurrentIndex(0 if self.mode() is RefundMode.FULL else 1)
        self._refresh()

    @Slot(int)
    def _preset_chosen(self, index: int) -> None:
        """Put a ready-made reason in without losing what the vendor typed: an empty reason (or
        one that is still an untouched preset) is replaced, anything else gets the sentence
        after it. One undo step (Ctrl+Z) takes it back."""
        text = str(self.preset_combo.itemData(index) or "")
        self.preset_combo.setCurrentIndex(0)  # a menu of sentences, not a chosen state
        if not text:
            return
        typed = self.reason_edit.toPlainText()
        cursor = QTextCursor(self.reason_edit.document())
        cursor.beginEditBlock()
        if not typed.strip() or typed.strip() in {preset for _title, preset in self._presets}:
            cursor.select(QTextCursor.SelectionType.Document)
            cursor.insertText(text)
        else:
            cursor.movePosition(QTextCursor.MoveOperation.End)
            cursor.insertText(text if typed[-1:].isspace() else " " + text)
        cursor.endEditBlock()
        self.reason_edit.setTextCursor(cursor)  # the caret after the inserted sentence
        self.reason_edit.setFocus()
        self._reason_touched = True

    @Slot()
    def _refresh(self, *_args: Any) -> None:
        """Recompute the sum and show each problem next to its field."""
        if not self.has_form:
            return
        problems = self.problems()
        by_item: dict[int, list[str]] = {}
        general: list[str] = []
        items_text = ""
        reason_text = ""
        unpaid_text = ""
        for problem in problems:
            if problem.code is RefundProblemCode.UNPAID_NOT_CONFIRMED:
                # The warning is shown in full above its box: here, what to do.
                unpaid_text = self.tr("Tick the box to confirm, or cancel.")
                continue
            text = labels.refund_problem_text(problem, self.order)
            if problem.item_id is not None and problem.item_id in self.rows:
                by_item.setdefault(problem.item_id, [])
                if text not in by_item[problem.item_id]:
                    by_item[problem.item_id].append(text)
            elif problem.field == "reason":
                reason_text = text
            elif problem.field == "items":
                items_text = text
            elif not problem.code.is_input or problem.code is RefundProblemCode.ALREADY_QUEUED:
                continue  # the order's state: said once at the top
            elif text not in general:
                general.append(text)
        partial = self.mode() is RefundMode.PARTIAL
        for item_id, row in self.rows.items():
            _show(row.error, " ".join(by_item.get(item_id, [])) if partial else "")
        _show(self.items_error, items_text if partial and self._show_all else "")
        _show(self.reason_error, reason_text if self._show_all or self._reason_touched else "")
        if self.unpaid_error is not None:
            _show(self.unpaid_error, unpaid_text if self._show_all else "")
        if self._show_all and not general and problems and self.eligible:
            general.append(self.tr("Some fields need your attention (marked in red)."))
        _show(self.general_error, "\n".join(general) if self._show_all else "")
        self._update_sum()
        self._fit_item_lists()

    def _update_sum(self) -> None:
        total = self.total()
        amount = format_money(total.amount, self._currency, self._locale)
        if self.mode() is RefundMode.FULL:
            text = self.tr(
                "Refund: {amount} for the items, plus their tax and the original shipping."
            )
        else:
            count = len(self.lines())
            text = (
                ngettext(
                    "Refund: {amount} for {count} item.",
                    "Refund: {amount} for {count} items.",
                    count,
                )
                if count
                else self.tr("Refund: {amount} — type a Total for the items to refund.")
            )
            text = text.replace("{count}", self._locale.toString(count))
            if any(not row.error.isHidden() for row in self.rows.values()):
                text += " " + self.tr("Correct the amounts marked in red first.")
        self.sum_label.setText(text.format(amount=amount))


__all__ = ["ItemRow", "RefundDialog"]
