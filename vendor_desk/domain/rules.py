"""Workflow rules the app enforces itself, because the marketplace checks them only in its web
page (or not at all). Each rule is a small pure function over domain objects.

A check returns a :class:`Verdict`: ``allowed`` plus the plain-language reasons when it is not.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from vendor_desk.domain.money import Money
from vendor_desk.domain.orders import Order, RefundLine
from vendor_desk.domain.statuses import (
    OrderStatus,
    PayoutState,
    RefundMode,
    RefundState,
    ShippingStatus,
)
from vendor_desk.domain.text import N_, Sentence

#: Statuses a vendor may set on its part of an order through the marketplace. ``refunded`` goes
#: through a refund request; ``shipped`` through tracking; the ``wc-`` prefix is never sent.
SETTABLE_STATUSES: tuple[OrderStatus, ...] = (
    OrderStatus.PENDING,
    OrderStatus.PROCESSING,
    OrderStatus.ON_HOLD,
    OrderStatus.COMPLETED,
    OrderStatus.CANCELLED,
    OrderStatus.FAILED,
)

#: Not offered "Mark Shipped": the payment is not confirmed (pending, on hold) or the order is over.
_NOT_SHIPPABLE_STATUSES = frozenset({"failed", "cancelled", "refunded", "pending", "on-hold"})
_NOT_REFUNDABLE_STATUSES = frozenset({"failed", "cancelled", "refunded", "pending", "on-hold"})
_NOT_COMPLETABLE_STATUSES = frozenset({"completed", "failed", "cancelled", "refunded"})


@dataclass(frozen=True, slots=True)
class Verdict:
    """The answer of a rule: allowed, or refused with reasons a vendor understands."""

    allowed: bool
    reasons: tuple[str, ...] = ()

    @classmethod
    def check(cls, problems: Iterable[str]) -> Verdict:
        found = tuple(problems)
        return cls(not found, found)

    def __bool__(self) -> bool:
        return self.allowed


# --------------------------------------------------------------------------- split orders
def infer_split(
    total: Money,
    own_items_total: Money,
    shipping_total: Money,
    tax_total: Money,
    fees_total: Money,
    foreign_item_ids: Iterable[int] = (),
) -> bool:
    """Whether an order also holds other vendors' items.

    The marketplace has no flag: the whole-order total is compared with what the vendor's own
    items, the order's shipping, taxes and fees add up to; any foreign item id the marketplace let
    slip (``shipment_tracking``) settles it too.
    """
    if any(True for _ in foreign_item_ids):
        return True
    return total != own_items_total + shipping_total + tax_total + fees_total


def _refund_pending(order: Order) -> bool:
    return order.refund_requested or any(
        item.refund_state == RefundState.REQUESTED for item in order.items
    )


# ----------------------------------------------------------------- out of the vendor's hands
class Removal(StrEnum):
    """How an order left the vendor's work on the marketplace (see :func:`removal`)."""

    #: The marketplace no longer has it for the vendor: deleted for good by the store admin,
    #: or given to another vendor (its single GET is a 404).
    DELETED = "deleted"
    #: The store admin moved it to the trash (it left the vendor's order list).
    TRASHED = "trashed"
    #: The whole order was cancelled (by the store admin, or by WooCommerce for an unpaid one).
    CANCELLED = "cancelled"


#: Why nothing can be done with such an order, in the vendor's words.
REMOVAL_REASONS = {
    Removal.DELETED: N_(
        "The store admin deleted this order, or it is no longer yours: the marketplace no "
        "longer has it for you."
    ),
    Removal.TRASHED: N_(
        "The store admin moved this order to the trash: it is off your order list on the "
        "marketplace until they restore it."
    ),
    Removal.CANCELLED: N_(
        "This order was cancelled on the marketplace: there is nothing left to do."
    ),
}


#: An order status as a word inside a sentence ("The order is {status}"), lower case.
_STATUS_WORDS = {
    "pending": N_("pending payment"),
    "processing": N_("processing"),
    "on-hold": N_("on hold"),
    "completed": N_("completed"),
    "cancelled": N_("cancelled"),
    "refunded": N_("refunded"),
    "failed": N_("failed"),
    "checkout-draft": N_("draft"),
    "shipped": N_("shipped"),
}

#: A payout state inside a sentence ("already {payout}"), lower case.
_PAYOUT_WORDS = {
    "pending": N_("not paid out"),
    "requested": N_("payout requested"),
    "completed": N_("paid out"),
    "cancelled": N_("payout cancelled"),
}


def status_word(status: OrderStatus) -> str:
    """``status`` as a lower-case word in a sentence: a marked word (translated with the
    sentence) for a known status, the marketplace's own slug prettified otherwise."""
    word = _STATUS_WORDS.get(status.slug)
    return Sentence(word) if word is not None else status.label.lower()


def payout_word(state: PayoutState) -> str:
    """A payout state as a lower-case word in a sentence (see :func:`status_word`)."""
    word = _PAYOUT_WORDS.get(state.slug)
    return Sentence(word) if word is not None else state.label.lower()


def removal(order: Order) -> Removal | None:
    """Whether the order left the vendor's work: deleted (or no longer the vendor's), in the
    trash, or cancelled as a whole; None for an order still to handle. Such orders stay in the
    cache (to look at and print) but leave every action list, and every action is refused."""
    if order.vanished:
        return Removal.DELETED
    if order.trashed:
        return Removal.TRASHED
    if order.main_status == OrderStatus.CANCELLED:
        return Removal.CANCELLED
    return None


def removal_reason(order: Order) -> str:
    """:data:`REMOVAL_REASONS` of :func:`removal` ("" for an order still to handle)."""
    gone = removal(order)
    return REMOVAL_REASONS[gone] if gone is not None else ""


def may_add_note(order: Order) -> Verdict:
    """A note can go on any order the marketplace still has outside the trash (cancelled ones
    included: the vendor may want to tell the customer why)."""
    gone = removal(order)
    if gone in (Removal.DELETED, Removal.TRASHED):
        return Verdict.check([REMOVAL_REASONS[gone]])
    return Verdict(True)


# ------------------------------------------------------------------------------ shipping
def is_shippable(order: Order) -> bool:
    """The order has something to ship (not only virtual items). Unknown counts as shippable."""
    return any(item.shippable is not False for item in order.items)


#: Why an order of virtual or downloadable items only is not offered "Mark Shipped".
NOTHING_TO_SHIP = N_("This order has nothing to ship: all its items are virtual.")


def nothing_to_ship(order: Order) -> bool:
    """The vendor's part is still to do (processing) but holds only virtual or downloadable
    items: no parcel to make — complete it instead of shipping it."""
    status = order.vendor_status.or_else(order.main_status)
    return (
        status == OrderStatus.PROCESSING
        and bool(order.items)
        and all(item.shippable is False for item in order.items)
    )


def may_ship(order: Order) -> Verdict:
    """Whether the vendor may mark items shipped / add tracking (the dashboard's conditions)."""
    if removal(order) is not None:
        return Verdict.check([removal_reason(order)])
    problems: list[str] = []
    if not is_shippable(order):
        problems.append(NOTHING_TO_SHIP)
    if order.vendor_status.slug in _NOT_SHIPPABLE_STATUSES:
        problems.append(
            Sentence(
                N_("Your part is {status}; it cannot be shipped."),
                status=status_word(order.vendor_status),
            )
        )
    if order.main_status.slug in _NOT_SHIPPABLE_STATUSES:
        problems.append(
            Sentence(
                N_("The order is {status}; it cannot be shipped."),
                status=status_word(order.main_status),
            )
        )
    if _refund_pending(order):
        problems.append(
            N_("A refund request is waiting for the marketplace; ship once it is settled.")
        )
    if order.items and all(item.refund_state == RefundState.REFUNDED for item in order.items):
        problems.append(N_("Every item of this order was refunded."))
    return Verdict.check(problems)


def foreign_item_ids(order: Order, item_ids: Iterable[int]) -> list[int]:
    """The ids among ``item_ids`` that are not the vendor's own items of ``order``."""
    own = order.own_item_ids
    return [item_id for item_id in item_ids if item_id not in own]


# ----------------------------------------------------------------------------- statuses
def may_set_status(order: Order, status: OrderStatus) -> Verdict:
    """Whether the vendor may set its part of ``order`` to ``status`` through the marketplace."""
    if removal(order) is not None:
        return Verdict.check([removal_reason(order)])
    problems: list[str] = []
    if status == OrderStatus.REFUNDED:
        problems.append(N_("Refunds go through a refund request, not a status change."))
    elif status == OrderStatus.SHIPPED:
        problems.append(N_("An order becomes shipped by adding tracking to its items."))
    elif status not in SETTABLE_STATUSES:
        problems.append(
            Sentence(N_("“{status}” is not a status the marketplace accepts."), status=status.label)
        )
    return Verdict.check(problems)


def may_complete(order: Order) -> Verdict:
    """Whether "Mark as Complete" applies (the dashboard hides it otherwise)."""
    if removal(order) is not None:
        return Verdict.check([removal_reason(order)])
    problems: list[str] = []
    if order.vendor_status.slug in _NOT_COMPLETABLE_STATUSES:
        problems.append(
            Sentence(N_("Your part is already {status}."), status=status_word(order.vendor_status))
        )
    if _refund_pending(order):
        problems.append(N_("A refund request is waiting for the marketplace."))
    if order.items and all(item.refund_state == RefundState.REFUNDED for item in order.items):
        problems.append(N_("Every item of this order was refunded."))
    return Verdict.check(problems)


def unshipped_item_ids(order: Order, locally_shipped_item_ids: Iterable[int] = ()) -> list[int]:
    """The vendor's items that still need shipping: listed as shippable by the marketplace
    (it lists them while the order can be shipped, so an order of virtual items only has none),
    no tracking, and not among ``locally_shipped_item_ids`` (shipped without tracking or
    collected, which the marketplace cannot record — the app keeps those itself)."""
    done = set(locally_shipped_item_ids)
    return [
        item.item_id
        for item in order.items
        if item.shippable
        and not item.has_tracking
        and item.item_id not in done
        and item.refund_state != RefundState.REFUNDED
    ]


def ready_to_complete(order: Order, locally_shipped_item_ids: Iterable[int] = ()) -> Verdict:
    """Whether the vendor may mark its part complete *now*: :func:`may_complete`, and its part
    is shipped — tracking on every shippable item, the marketplace says shipped, or the rest was
    shipped without tracking / collected (``locally_shipped_item_ids``). Orders of virtual items
    only need no shipping."""
    problems = list(may_complete(order).reasons)
    if removal(order) is not None:
        return Verdict.check(problems)
    status = order.main_status.or_else(order.vendor_status)
    if status in (OrderStatus.PENDING, OrderStatus.ON_HOLD):
        problems.append(
            Sentence(
                N_("The order is {status}: complete it once the payment is confirmed."),
                status=status_word(status),
            )
        )
    shipped = order.vendor_status == OrderStatus.SHIPPED or order.shipping_status in (
        ShippingStatus.SHIPPED,
        ShippingStatus.COMPLETED,
    )
    if not shipped and order.vendor_status.slug not in _NOT_COMPLETABLE_STATUSES:
        waiting = unshipped_item_ids(order, locally_shipped_item_ids)
        if waiting:
            names = ", ".join(
                f"“{item.name}”" for item in order.items if item.item_id in set(waiting)
            )
            problems.append(
                Sentence(N_("Ship your items first (not shipped yet: {names})."), names=names)
            )
    return Verdict.check(problems)


def completion_waits_for_others(order: Order) -> bool:
    """For a split order, completing the vendor's part does not complete the main order: the
    customer's completion mail waits until every vendor completed theirs."""
    return order.split and order.main_status != OrderStatus.COMPLETED


def payment_warnings(order: Order) -> list[str]:
    """What a vendor should know before packing: unpaid, on hold, pending payment …"""
    warnings: list[str] = []
    status = order.main_status.or_else(order.vendor_status)
    if status == OrderStatus.PENDING:
        warnings.append(N_("Payment is still pending: do not ship yet."))
    elif status == OrderStatus.ON_HOLD:
        warnings.append(N_("The order is on hold: wait until the payment is confirmed."))
    elif status in (OrderStatus.FAILED, OrderStatus.CANCELLED):
        warnings.append(
            Sentence(N_("The order is {status}: do not ship."), status=status_word(status))
        )
    if not order.is_paid and status not in (OrderStatus.FAILED, OrderStatus.CANCELLED):
        if order.payment_method == "cod":
            warnings.append(
                N_("Cash on delivery: no payment yet — the customer pays the carrier on delivery.")
            )
        elif order.payment_method_title or order.payment_method:
            method = order.payment_method_title or order.payment_method
            warnings.append(Sentence(N_("No payment recorded yet (via {method})."), method=method))
        else:
            warnings.append(N_("No payment recorded yet (via the payment method)."))
    return warnings


# ------------------------------------------------------------------------------ refunds
def refundable_item_ids(order: Order) -> list[int]:
    """Items that may still be asked a refund for (no pending request, not fully refunded)."""
    return [item.item_id for item in order.items if not item.refund_state.blocks_new_request]


def may_request_refund(order: Order) -> Verdict:
    """WCFM's conditions for offering a refund request (checked only in its web page)."""
    if removal(order) is not None:
        return Verdict.check([removal_reason(order)])
    problems: list[str] = []
    status = order.main_status.or_else(order.vendor_status)
    if status.slug in _NOT_REFUNDABLE_STATUSES:
        problems.append(
            Sentence(
                N_("Refunds are not possible while the order is {status}."),
                status=status_word(status),
            )
        )
    if order.payout_state.is_unknown:
        problems.append(
            N_("The payout state of this order is not known yet; refresh the order list.")
        )
    elif order.payout_state != PayoutState.PENDING:
        problems.append(
            Sentence(
                N_(
                    "Your earnings for this order are already {payout}; "
                    "ask the marketplace to refund it."
                ),
                payout=payout_word(order.payout_state),
            )
        )
    if not refundable_item_ids(order):
        problems.append(N_("Every item is already refunded or waiting for a refund decision."))
    return Verdict.check(problems)


def check_refund_lines(order: Order, mode: RefundMode, lines: Iterable[RefundLine]) -> Verdict:
    """Validate the items of a refund request: own, still refundable, within the item's value."""
    chosen = list(lines)
    problems: list[str] = []
    if not chosen:
        problems.append(N_("Choose at least one item to refund."))
    refundable = set(refundable_item_ids(order))
    seen: set[int] = set()
    for line in chosen:
        item = order.item(line.item_id)
        if item is None:
            problems.append(
                Sentence(
                    N_("Item {item} is not one of your items in this order."), item=line.item_id
                )
            )
            continue
        if line.item_id in seen:
            problems.append(Sentence(N_("“{name}” is listed twice."), name=item.name))
        seen.add(line.item_id)
        if line.item_id not in refundable:
            problems.append(
                Sentence(N_("“{name}” already has a refund requested or done."), name=item.name)
            )
        if mode is RefundMode.PARTIAL:
            if line.quantity < 0 or line.quantity > item.quantity:
                problems.append(
                    Sentence(
                        N_("“{name}”: quantity must be between 0 and {quantity}."),
                        name=item.name,
                        quantity=item.quantity,
                    )
                )
            if line.amount.currency != item.total.currency:
                problems.append(
                    Sentence(N_("“{name}”: the amount is in the wrong currency."), name=item.name)
                )
            elif line.amount.amount < 0 or line.amount > item.total:
                problems.append(
                    Sentence(
                        N_("“{name}”: the amount cannot exceed {amount}."),
                        name=item.name,
                        amount=item.total.format(),
                    )
                )
            elif line.quantity == 0 and line.amount.is_zero:
                problems.append(
                    Sentence(
                        N_("“{name}”: nothing to refund (quantity and amount are 0)."),
                        name=item.name,
                    )
                )
    return Verdict.check(problems)


def full_refund_lines(order: Order) -> list[RefundLine]:
    """The lines of a full refund: every refundable item, whole quantity and amount."""
    refundable = set(refundable_item_ids(order))
    return [
        RefundLine(item.item_id, item.quantity, item.total)
        for item in order.items
        if item.item_id in refundable
    ]
