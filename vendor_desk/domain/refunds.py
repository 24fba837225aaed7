"""Refund requests, the pure part: what may be refunded, how typed numbers are read, and every
rule WCFM enforces only in its web page (wcfm-api.md §4.3), as machine-readable problems.

The window puts each :class:`RefundProblem` next to its field (``problem.item_id`` and
``problem.field``); the command line prints ``problem.reason``::

    amount = parse_amount("12,50", "EUR", item_id=3)          # Decimal("12.50") or a problem
    problems = refund_problems(order, RefundMode.PARTIAL,
                               [RefundLine(3, 1, Money(amount, "EUR"))], "Arrived chipped")

Remaining amounts and quantities are what the marketplace still lets the vendor ask for: the
item's total (quantity) minus what was already refunded. The sync knows those from the list
route (``refunded_amount`` / ``refunded_quantity``); unknown counts as nothing refunded.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from vendor_desk.domain.money import Money
from vendor_desk.domain.orders import LineItem, Order, RefundLine
from vendor_desk.domain.rules import payout_word, removal_reason, status_word
from vendor_desk.domain.statuses import OrderStatus, PayoutState, RefundMode, RefundState
from vendor_desk.domain.text import N_, Sentence

#: Statuses (vendor's part, or the main order when the vendor's is unknown) without refunds.
NOT_REFUNDABLE_STATUSES = frozenset({"pending", "on-hold", "failed", "cancelled", "refunded"})


class RefundProblemCode(StrEnum):
    """Why a refund request is not queued. The window says these with tr(), the command line
    with :attr:`RefundProblem.reason`."""

    #: The order left the vendor's work: deleted, in the trash or cancelled by the store admin
    #: (:func:`vendor_desk.domain.rules.removal`); the reason says which.
    ORDER_REMOVED = "order_removed"
    #: The order's status allows no refund (pending, on hold, failed, cancelled, refunded).
    NOT_ELIGIBLE_STATUS = "not_eligible_status"
    #: The vendor's earnings were requested or paid out: refunds go through the store admin
    #: (offer "Message the store admin", pre-filled by :func:`admin_message_for`).
    PAYOUT_NOT_PENDING = "payout_not_pending"
    #: The payout state is not known yet (the order was only read through the single-order
    #: route); a sync tells.
    PAYOUT_UNKNOWN = "payout_unknown"
    #: Every item is refunded already or waits for a decision.
    NO_REFUNDABLE_ITEMS = "no_refundable_items"
    #: A refund request of this order is still in the outbox (not on the marketplace yet).
    ALREADY_QUEUED = "already_queued"
    #: The item has a pending request or is fully refunded (left out of the form).
    ITEM_NOT_REFUNDABLE = "item_not_refundable"
    #: Not one of the vendor's items of this order.
    NOT_OWN_ITEM = "not_own_item"
    #: The same item twice.
    DUPLICATE_ITEM = "duplicate_item"
    #: The amount is more than what remains refundable on the item.
    AMOUNT_TOO_HIGH = "amount_too_high"
    #: A negative amount or quantity.
    NEGATIVE = "negative"
    #: More decimals than the currency has (2 for most).
    TOO_MANY_DECIMALS = "too_many_decimals"
    #: Text that is not a number.
    NOT_A_NUMBER = "not_a_number"
    #: The amount is in another currency than the order's.
    WRONG_CURRENCY = "wrong_currency"
    #: The quantity is more than bought minus already refunded.
    QTY_TOO_HIGH = "qty_too_high"
    #: Partial mode without any item with an amount or a quantity.
    NOTHING_CHOSEN = "nothing_chosen"
    #: No reason given (the customer sees it once the admin approves).
    REASON_EMPTY = "reason_empty"
    #: Nothing was paid for the order yet (cash on delivery …) and the vendor did not confirm
    #: sending a refund request anyway (see :func:`unpaid_refund_warning`).
    UNPAID_NOT_CONFIRMED = "unpaid_not_confirmed"

    @property
    def is_input(self) -> bool:
        """A mistake in what was typed (command line: exit 2), not the order's state (exit 1)."""
        return self not in _STATE_PROBLEMS

    @property
    def needs_admin(self) -> bool:
        """Only the store admin can refund now: offer "Message the store admin"."""
        return self is RefundProblemCode.PAYOUT_NOT_PENDING


_STATE_PROBLEMS = frozenset(
    {
        RefundProblemCode.ORDER_REMOVED,
        RefundProblemCode.NOT_ELIGIBLE_STATUS,
        RefundProblemCode.PAYOUT_NOT_PENDING,
        RefundProblemCode.PAYOUT_UNKNOWN,
        RefundProblemCode.NO_REFUNDABLE_ITEMS,
        RefundProblemCode.ALREADY_QUEUED,
        RefundProblemCode.ITEM_NOT_REFUNDABLE,
        RefundProblemCode.UNPAID_NOT_CONFIRMED,
    }
)


@dataclass(frozen=True)
class RefundProblem:
    """One thing wrong with a refund request, machine-readable.

    ``item_id`` is the item concerned (None: the whole request), ``field`` the form's field
    (``"amount"``, ``"qty"``, ``"reason"``, ``"items"`` or None for the order's state), ``reason``
    an English sentence for the command line and logs.
    """

    code: RefundProblemCode
    reason: str
    item_id: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        return self.reason


# ======================================================================= what remains
def remaining_quantity(item: LineItem) -> int:
    """Units of ``item`` not refunded yet (bought minus already refunded, at least 0)."""
    return max(0, item.quantity - (item.refunded_quantity or 0))


def remaining_amount(item: LineItem) -> Money:
    """What may still be refunded on ``item``: its total minus what was refunded (at least 0)."""
    refunded = item.refunded_amount
    if refunded is None or refunded.currency != item.total.currency:
        return item.total
    left = item.total - refunded
    return left if left.amount > 0 else Money.zero(item.total.currency)


def refundable_items(order: Order) -> list[LineItem]:
    """The items a request may include (the dashboard popup's list): no pending request, not
    fully refunded, and something left to refund."""
    return [
        item
        for item in order.items
        if not item.refund_state.blocks_new_request
        and (remaining_quantity(item) > 0 or remaining_amount(item).amount > 0)
    ]


def full_refund_lines(order: Order) -> list[RefundLine]:
    """A full refund: every refundable item, its remaining quantity and remaining amount."""
    return [
        RefundLine(item.item_id, remaining_quantity(item), remaining_amount(item))
        for item in refundable_items(order)
    ]


def refund_total(lines: Iterable[RefundLine], currency: str) -> Money:
    """The sum of the lines' amounts (the dialog's live sum), without tax and shipping."""
    return Money.total((line.amount for line in lines), currency)


# ========================================================================== typing
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")
_SYMBOLS = re.compile(r"[$€£¥₹]|\b[A-Z]{3}\b")


def parse_amount(
    text: str,
    currency: str = "",
    *,
    decimal_separator: str = ",",
    item_id: int | None = None,
) -> Decimal | RefundProblem:
    """An amount as the vendor typed it, or the problem with it (``field="amount"``).

    Accepts both decimal marks ("12,50", "12.50"), group separators ("1 234,50", "1.234,50",
    "1,234.50", "1'234.50", non-breaking spaces) and a currency symbol or code around it.
    When only one mark appears once, followed by exactly three digits, and it is not the
    vendor's ``decimal_separator``, it groups thousands ("1.234" is 1234 for a vendor writing
    decimal commas). Empty text is 0 (nothing to refund on that item). At most the currency's
    minor units of decimals (2 unless :class:`Money` knows otherwise); negatives are refused.
    """
    cleaned = _SPACES.sub("", _SYMBOLS.sub("", text.strip()))
    if cleaned in ("", "-", "+"):
        return Decimal(0)
    negative = cleaned.startswith("-")
    digits = cleaned.lstrip("+-")
    if not re.fullmatch(r"[0-9.,]+", digits) or not re.search(r"[0-9]", digits):
        return RefundProblem(
            RefundProblemCode.NOT_A_NUMBER,
            Sentence(N_("“{text}” is not an amount."), text=text.strip()),
            item_id,
            "amount",
        )
    number = _plain_number(digits, decimal_separator)
    try:
        value = Decimal(number) if number else None
    except InvalidOperation:
        value = None
    if value is None:
        return RefundProblem(
            RefundProblemCode.NOT_A_NUMBER,
            Sentence(N_("“{text}” is not an amount."), text=text.strip()),
            item_id,
            "amount",
        )
    if negative and value:
        return RefundProblem(
            RefundProblemCode.NEGATIVE, N_("The amount cannot be negative."), item_id, "amount"
        )
    problem = _decimals_problem(value, currency, item_id)
    return problem if problem is not None else value


def _plain_number(digits: str, decimal_separator: str) -> str | None:
    """``digits`` (digits, "." and ",") as a plain decimal ("1.234,50" → "1234.50"), or None
    when the marks make no sense."""
    marks = [char for char in digits if char in ".,"]
    group: str | None = None
    if not marks:
        whole, fraction = digits, ""
    elif len(set(marks)) == 2:  # "1.234,50" / "1,234.50": the last mark is the decimal one
        decimal_mark = marks[-1]
        group = "," if decimal_mark == "." else "."
        if digits.count(decimal_mark) != 1:
            return None
        whole, fraction = digits.split(decimal_mark)
    elif len(marks) > 1:  # "1.234.567": only groups
        group = marks[0]
        whole, fraction = digits, ""
    else:
        head, tail = digits.split(marks[0])
        if marks[0] != decimal_separator and len(tail) == 3 and head not in ("", "0"):
            group = marks[0]  # "1.234" typed by a vendor who writes decimal commas
            whole, fraction = digits, ""
        else:
            whole, fraction = head, tail
    if any(char in ".," for char in fraction):
        return None
    groups = whole.split(group) if group else [whole]
    if any(char in ".," for part in groups for char in part):
        return None
    if len(groups) > 1 and (
        not 1 <= len(groups[0]) <= 3 or any(len(part) != 3 for part in groups[1:])
    ):
        return None
    number = "".join(groups) or "0"
    return f"{number}.{fraction}" if fraction else number


def parse_quantity(text: str, *, item_id: int | None = None) -> int | RefundProblem:
    """A quantity as typed (empty = 0), or the problem with it (``field="qty"``)."""
    cleaned = text.strip()
    if not cleaned:
        return 0
    if re.fullmatch(r"-\s*\d+", cleaned):
        return RefundProblem(
            RefundProblemCode.NEGATIVE, N_("The quantity cannot be negative."), item_id, "qty"
        )
    if not re.fullmatch(r"\+?\d+", cleaned):
        return RefundProblem(
            RefundProblemCode.NOT_A_NUMBER,
            Sentence(N_("“{text}” is not a whole number of units."), text=cleaned),
            item_id,
            "qty",
        )
    return int(cleaned)


def minor_units(currency: str) -> int:
    """Decimals of ``currency`` (ISO 4217 minor units as :class:`Money` knows them; 2 else)."""
    return Money.zero(currency or "XXX").minor_units


def _decimals_problem(value: Decimal, currency: str, item_id: int | None) -> RefundProblem | None:
    places = minor_units(currency)
    exponent = value.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > places:
        if places == 0:
            reason = (
                Sentence(N_("Amounts have no decimals in {currency}."), currency=currency.upper())
                if currency
                else N_("Amounts have no decimals.")
            )
        elif currency:
            reason = Sentence(
                N_("Amounts have at most {places} decimals in {currency}."),
                places=places,
                currency=currency.upper(),
            )
        else:
            reason = Sentence(N_("Amounts have at most {places} decimals."), places=places)
        return RefundProblem(
            RefundProblemCode.TOO_MANY_DECIMALS,
            reason,
            item_id,
            "amount",
        )
    return None


# =========================================================================== rules
def eligibility_problems(order: Order) -> list[RefundProblem]:
    """Whether the order may have a refund request at all (the dashboard's conditions):
    status, payout state, something left to refund. Empty when it may. An order deleted,
    trashed or cancelled by the store admin gets that one reason."""
    gone = removal_reason(order)
    if gone:
        return [RefundProblem(RefundProblemCode.ORDER_REMOVED, gone)]
    problems: list[RefundProblem] = []
    status = order.vendor_status.or_else(order.main_status)
    whose = (
        (N_("Your part is {status}: no refund can be requested."), status),
        (N_("The order is {status}: no refund can be requested."), order.main_status),
    )
    for template, value in whose:
        if value.slug in NOT_REFUNDABLE_STATUSES:
            problems.append(
                RefundProblem(
                    RefundProblemCode.NOT_ELIGIBLE_STATUS,
                    Sentence(template, status=status_word(value)),
                )
            )
            break
    if order.payout_state.is_unknown:
        problems.append(
            RefundProblem(
                RefundProblemCode.PAYOUT_UNKNOWN,
                N_("The payout state of this order is not known yet; sync the orders first."),
            )
        )
    elif order.payout_state != PayoutState.PENDING:
        problems.append(
            RefundProblem(
                RefundProblemCode.PAYOUT_NOT_PENDING,
                Sentence(
                    N_(
                        "Your earnings for this order are already {payout}: refunds must go "
                        "through the store admin."
                    ),
                    payout=payout_word(order.payout_state),
                ),
            )
        )
    if not refundable_items(order):
        problems.append(
            RefundProblem(
                RefundProblemCode.NO_REFUNDABLE_ITEMS,
                N_("Every item is already refunded or waiting for a refund decision."),
            )
        )
    return problems


def reason_problems(reason: str) -> list[RefundProblem]:
    if reason.strip():
        return []
    return [
        RefundProblem(
            RefundProblemCode.REASON_EMPTY,
            N_("Give a reason; the customer sees it once the store admin approves."),
            field="reason",
        )
    ]


def line_problems(
    order: Order, mode: RefundMode, lines: Sequence[RefundLine]
) -> list[RefundProblem]:
    """The items of a request: own, refundable, amount and quantity within what remains.

    In full mode the lines only name the items (their amounts are the remaining ones); in
    partial mode lines with quantity 0 and amount 0 are ignored and at least one must remain.
    """
    problems: list[RefundProblem] = []
    refundable = {item.item_id for item in refundable_items(order)}
    seen: set[int] = set()
    chosen = 0
    for line in lines:
        item = order.item(line.item_id)
        if item is None:
            problems.append(
                RefundProblem(
                    RefundProblemCode.NOT_OWN_ITEM,
                    Sentence(
                        N_("Item {item} is not one of your items in order #{number}."),
                        item=line.item_id,
                        number=order.number,
                    ),
                    line.item_id,
                    "items",
                )
            )
            continue
        if line.item_id in seen:
            problems.append(
                RefundProblem(
                    RefundProblemCode.DUPLICATE_ITEM,
                    Sentence(N_("“{name}” is listed twice."), name=item.name),
                    line.item_id,
                    "items",
                )
            )
            continue
        seen.add(line.item_id)
        if mode is RefundMode.PARTIAL and line.quantity == 0 and line.amount.is_zero:
            continue
        chosen += 1
        if line.item_id not in refundable:
            problems.append(
                RefundProblem(
                    RefundProblemCode.ITEM_NOT_REFUNDABLE,
                    Sentence(
                        N_("“{name}” already has a refund requested or is fully refunded."),
                        name=item.name,
                    ),
                    line.item_id,
                    "items",
                )
            )
            continue
        if mode is RefundMode.PARTIAL:
            problems.extend(_partial_line_problems(order, item, line))
    if mode is RefundMode.PARTIAL and chosen == 0 and not problems:
        problems.append(
            RefundProblem(
                RefundProblemCode.NOTHING_CHOSEN,
                N_("Give an amount or a quantity for at least one item."),
                field="items",
            )
        )
    return problems


def _partial_line_problems(order: Order, item: LineItem, line: RefundLine) -> list[RefundProblem]:
    problems: list[RefundProblem] = []
    left_qty = remaining_quantity(item)
    if line.quantity < 0:
        problems.append(
            RefundProblem(
                RefundProblemCode.NEGATIVE,
                Sentence(N_("“{name}”: the quantity cannot be negative."), name=item.name),
                item.item_id,
                "qty",
            )
        )
    elif line.quantity > left_qty:
        problems.append(
            RefundProblem(
                RefundProblemCode.QTY_TOO_HIGH,
                Sentence(
                    N_(
                        "“{name}”: at most {left} can be refunded "
                        "(bought {bought}, already refunded {refunded})."
                    ),
                    name=item.name,
                    left=left_qty,
                    bought=item.quantity,
                    refunded=item.quantity - left_qty,
                ),
                item.item_id,
                "qty",
            )
        )
    if line.amount.currency != order.currency.upper():
        problems.append(
            RefundProblem(
                RefundProblemCode.WRONG_CURRENCY,
                Sentence(
                    N_("“{name}”: the amount must be in {currency}."),
                    name=item.name,
                    currency=order.currency.upper(),
                ),
                item.item_id,
                "amount",
            )
        )
        return problems
    left = remaining_amount(item)
    if line.amount.amount < 0:
        problems.append(
            RefundProblem(
                RefundProblemCode.NEGATIVE,
                Sentence(N_("“{name}”: the amount cannot be negative."), name=item.name),
                item.item_id,
                "amount",
            )
        )
    elif decimals := _decimals_problem(line.amount.amount, order.currency, item.item_id):
        problems.append(
            RefundProblem(
                decimals.code,
                Sentence(N_("“{name}”: {problem}"), name=item.name, problem=decimals.reason),
                item.item_id,
                "amount",
            )
        )
    elif line.amount.currency == left.currency and line.amount > left:
        problems.append(
            RefundProblem(
                RefundProblemCode.AMOUNT_TOO_HIGH,
                Sentence(
                    N_("“{name}”: at most {amount} can be refunded."),
                    name=item.name,
                    amount=left.format(),
                ),
                item.item_id,
                "amount",
            )
        )
    return problems


def refund_problems(
    order: Order, mode: RefundMode, lines: Sequence[RefundLine], reason: str
) -> list[RefundProblem]:
    """Everything wrong with a request (eligibility first, then items, then the reason)."""
    mode = RefundMode(mode)
    return [
        *eligibility_problems(order),
        *line_problems(order, mode, lines),
        *reason_problems(reason),
    ]


@dataclass(frozen=True)
class UnpaidRefund:
    """Why a refund request of an order nobody paid yet gives no money back (see
    :func:`unpaid_refund`): the facts a warning is worded from, in any language."""

    order_number: str
    #: The customer pays the carrier on delivery (cash on delivery).
    cash_on_delivery: bool
    #: The payment method's title (or id) when it is not cash on delivery ("" when unknown).
    method: str
    #: Items still have to be shipped (or the order cancelled by the store admin).
    still_to_ship: bool


def unpaid_refund(order: Order) -> UnpaidRefund | None:
    """The facts to tell the vendor before asking a refund of an order nobody paid yet (None
    when the order was paid).

    WCFM offers refunds on every processing order, paid or not; on an unpaid cash-on-delivery
    order an approved refund gives no money back to anyone — it only lowers the order's total
    and the vendor's earning — while the parcel still has to go out (or the order be cancelled).
    """
    if order.is_paid:
        return None
    cod = order.payment_method == "cod"
    return UnpaidRefund(
        order_number=order.number,
        cash_on_delivery=cod,
        method="" if cod else (order.payment_method_title or order.payment_method),
        still_to_ship=(
            not order.is_shipped and any(item.shippable is not False for item in order.items)
        ),
    )


def unpaid_refund_warning(order: Order) -> str:
    """What the vendor must know before asking a refund of an order nobody paid yet ("" when
    the order was paid), in English (see :func:`unpaid_refund`)."""
    facts = unpaid_refund(order)
    if facts is None:
        return ""
    how: str
    if facts.cash_on_delivery:
        how = Sentence(N_("the customer pays the carrier on delivery (cash on delivery)"))
    elif facts.method:
        how = Sentence(N_("no payment is recorded yet (via {method})"), method=facts.method)
    else:
        how = Sentence(N_("no payment is recorded yet (via its payment method)"))
    if facts.still_to_ship:
        template = N_(
            "Nothing has been paid for order #{number} yet: {how}. A refund request gives no "
            "money back; once approved it only lowers the order's total and your earning. The "
            "items still have to be shipped, or the order cancelled by the store admin."
        )
    else:
        template = N_(
            "Nothing has been paid for order #{number} yet: {how}. A refund request gives no "
            "money back; once approved it only lowers the order's total and your earning."
        )
    return Sentence(template, number=facts.order_number, how=how)


def unpaid_problem(order: Order, confirmed: bool) -> list[RefundProblem]:
    """The refusal when ``order`` is unpaid and the vendor did not confirm (see
    :func:`unpaid_refund_warning`)."""
    warning = unpaid_refund_warning(order)
    if not warning or confirmed:
        return []
    return [
        RefundProblem(
            RefundProblemCode.UNPAID_NOT_CONFIRMED,
            Sentence(N_("{warning} Confirm to send the request anyway."), warning=warning),
        )
    ]


def order_refund_state(order: Order) -> RefundState:
    """The refund state of the vendor's part as one value (the detail pane's and the command
    line's "Refund" line): a request waiting wins, then refunded, partially refunded, rejected;
    refunded also when the order's status says so although no item does (the store admin
    refunded the whole order directly: the marketplace then changes only the statuses, file
    186); :attr:`RefundState.NONE` when nothing was asked."""
    states = {item.refund_state for item in order.items}
    if order.refund_requested or RefundState.REQUESTED in states:
        return RefundState.REQUESTED
    for state in (
        RefundState.REFUNDED,
        RefundState.PARTIALLY_REFUNDED,
        RefundState.REJECTED,
    ):
        if state in states:
            return state
    if OrderStatus.REFUNDED in (order.main_status, order.vendor_status):
        return RefundState.REFUNDED
    return RefundState.NONE


#: What the marketplace does not show (files 180–184): a refund the store admin makes in
#: WooCommerce changes nothing a vendor can read — no amount, no item state, no note, no
#: notification — unless it refunds the whole order, which then shows as Refunded.
ADMIN_REFUNDS_UNSEEN = N_(
    "Refunds the store admin makes directly are not shown to vendors by the marketplace; a "
    "full refund shows as Refunded."
)


def admin_refunds_may_be_unseen(order: Order) -> bool:
    """Whether the "Refund" line should add :data:`ADMIN_REFUNDS_UNSEEN`: for every order not
    refunded as a whole (a partial refund by the store admin would not show)."""
    return order_refund_state(order) != RefundState.REFUNDED


# ===================================================================== the store admin
def admin_message_for(
    order: Order, mode: RefundMode, lines: Sequence[RefundLine], reason: str
) -> str:
    """The message asking the store admin to refund (when the vendor may not request it any
    more: earnings requested or paid out). Plain text, English, ready to edit."""
    mode = RefundMode(mode)
    chosen = [line for line in lines if line.quantity or not line.amount.is_zero]
    if mode is RefundMode.FULL or not chosen:
        chosen = full_refund_lines(order) if mode is RefundMode.FULL else chosen
    parts = [
        f"Hello, please refund order #{order.number}"
        + (f" ({order.customer_name})" if order.customer_name else "")
        + (" in full." if mode is RefundMode.FULL else " partially."),
        "My earnings for this order were already requested or paid out, so I cannot request "
        "the refund myself.",
    ]
    if chosen:
        parts.append("Items:")
        for line in chosen:
            item = order.item(line.item_id)
            name = item.name if item is not None else f"item {line.item_id}"
            qty = f"{line.quantity} × " if line.quantity else ""
            parts.append(f"- {qty}{name} (item {line.item_id}): {line.amount.format()}")
        parts.append(f"Total: {refund_total(chosen, order.currency).format()}")
    if mode is RefundMode.FULL:
        parts.append("With a full refund the original shipping is refunded too.")
    if reason.strip():
        parts.append(f"Reason (for the customer): {reason.strip()}")
    parts.append("Thank you!")
    return "\n".join(parts)


__all__ = [
    "ADMIN_REFUNDS_UNSEEN",
    "NOT_REFUNDABLE_STATUSES",
    "RefundProblem",
    "RefundProblemCode",
    "UnpaidRefund",
    "admin_message_for",
    "admin_refunds_may_be_unseen",
    "eligibility_problems",
    "full_refund_lines",
    "line_problems",
    "minor_units",
    "order_refund_state",
    "parse_amount",
    "parse_quantity",
    "reason_problems",
    "refund_problems",
    "refund_total",
    "refundable_items",
    "remaining_amount",
    "remaining_quantity",
    "unpaid_problem",
    "unpaid_refund",
    "unpaid_refund_warning",
]
