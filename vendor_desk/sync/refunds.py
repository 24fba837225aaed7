"""Refund requests: the one place a vendor's refund request is checked and queued, and where
the marketplace's refund-request list is brought into the cache. No Qt.

WCFM checks almost nothing when a refund request is submitted (wcfm-api.md §4.3, §7.9): the
eligibility rules live in its web page only. So every rule is checked here *before* anything is
queued (:mod:`vendor_desk.domain.refunds`), and refusals come back as :class:`RefundProblem`
values (an enum code, the item, the field) the window puts next to the right field and the
command line prints::

    amount = parse_amount("12,50", order.currency, item_id=3)   # Decimal or RefundProblem
    try:
        entry_id = queue_refund(outbox, order, RefundMode.PARTIAL,
                                [RefundLine(3, 1, Money(amount, order.currency))],
                                "The mug arrived chipped")
    except RefundRefused as refused:
        for problem in refused.problems:
            show(problem.item_id, problem.field, problem.code, problem.reason)
        if refused.needs_admin:          # earnings requested / paid out
            offer(admin_message_for(order, mode, lines, reason))

The entry (kind ``REFUND``) is sent by the account's worker over the dashboard surface (cookie
session + nonce, re-login when they expired), exactly once: after an uncertain outcome the
marketplace's refund-request list is checked for a matching request newer than the one seen
before sending. Until the admin decides, the order shows "Refund requested".

:func:`sync_refund_requests` (called by the account worker after each sync) stores the list in
the cache, refreshes the orders whose request was approved or rejected, and reports those
decisions so the window can notify the vendor.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import or_, select

from vendor_desk.cache import refunds as cache_refunds
from vendor_desk.cache import store as cache_store
from vendor_desk.cache.db import Cache
from vendor_desk.cache.models import OrderRecord, RefundRequestRecord
from vendor_desk.domain import Money, Order, RefundLine, RefundMode, RefundRequestStatus
from vendor_desk.domain.refunds import (
    RefundProblem,
    RefundProblemCode,
    admin_message_for,
    full_refund_lines,
    parse_amount,
    parse_quantity,
    refund_problems,
    refund_total,
    unpaid_problem,
    unpaid_refund_warning,
)
from vendor_desk.domain.text import N_
from vendor_desk.marketplace import MarketplaceError
from vendor_desk.sync.outbox import (
    BLOCKING_STATES,
    Outbox,
    OutboxKind,
    OutboxState,
    refund_lines_of,
)

if TYPE_CHECKING:  # the HTTP client (and requests) load only when first used
    from vendor_desk.marketplace import Marketplace

log = logging.getLogger("vendor_desk.sync.refunds")

#: Said with every full refund (the dialog, the command line).
SHIPPING_NOTE = N_("With a full refund the original shipping is refunded too.")
#: Said when quantities are given in a partial refund.
RESTOCK_NOTE = N_("Refunded quantities are put back in stock once the store admin approves.")
#: Said always: where the reason goes.
REASON_NOTE = N_("The customer sees the reason once the store admin approves the refund.")


class RefundRefused(ValueError):
    """Nothing was queued; ``problems`` says why (at least one)."""

    def __init__(self, problems: Sequence[RefundProblem]) -> None:
        super().__init__("; ".join(problem.reason for problem in problems))
        self.problems: tuple[RefundProblem, ...] = tuple(problems)

    @property
    def is_input(self) -> bool:
        """Every problem is a typing mistake (command line: exit 2 rather than 1)."""
        return all(problem.code.is_input for problem in self.problems)

    @property
    def needs_admin(self) -> bool:
        """Only the store admin can refund this order now (offer "Message the store admin")."""
        return any(problem.code.needs_admin for problem in self.problems)

    @property
    def codes(self) -> frozenset[RefundProblemCode]:
        return frozenset(problem.code for problem in self.problems)


@dataclass(frozen=True)
class RefundPlan:
    """What :func:`queue_refund` would queue (a dry run; nothing written).

    ``lines`` are the lines as sent: in full mode every refundable item with its remaining
    quantity and amount; in partial mode the chosen lines (quantity 0 and amount 0 left out).
    ``total`` is the items' sum (without tax and shipping). ``shipping_refunded`` is True for a
    full refund (the marketplace adds the original shipping). ``notes`` are English sentences
    worth showing; ``payload`` is the outbox entry's payload. ``unpaid_warning`` is non-empty
    when nothing was paid for the order yet: the vendor must have confirmed it (said before
    sending, see :func:`vendor_desk.domain.refunds.unpaid_refund_warning`).
    """

    order_id: int
    order_number: str
    mode: RefundMode
    lines: tuple[RefundLine, ...]
    reason: str
    total: Money
    shipping_refunded: bool
    notes: tuple[str, ...]
    payload: Mapping[str, Any]
    unpaid_warning: str = ""


def plan_refund(
    order: Order,
    mode: RefundMode | str,
    lines: Sequence[RefundLine] = (),
    reason: str = "",
    *,
    local: Mapping[str, Any] | None = None,
    confirm_unpaid: bool = True,
) -> RefundPlan:
    """Check a refund request against every rule; the plan, or :class:`RefundRefused`.

    ``lines`` are ignored in full mode (every remaining item is refunded; lines given there are
    only checked to be refundable). ``local`` is the order's ``orders.local`` (its outbox
    flags): a refund request of the order refused earlier and still in the outbox blocks a new
    one until it is retried or discarded. With ``confirm_unpaid`` False, an order nobody paid
    yet is refused (``UNPAID_NOT_CONFIRMED``) — the plan's ``unpaid_warning`` says why; a dry
    run leaves it True to get the plan with its warning.
    """
    mode = RefundMode(mode)
    problems = refund_problems(order, mode, lines, reason)
    if not problems:
        problems = unpaid_problem(order, confirm_unpaid)
    flags = (local or {}).get("outbox") or []
    if any(
        flag.get("kind") == OutboxKind.REFUND.value and flag.get("state") == "failed"
        for flag in flags
    ):
        problems.append(
            RefundProblem(
                RefundProblemCode.ALREADY_QUEUED,
                "A refund request of this order was refused and waits in the outbox: retry or "
                "discard it first.",
            )
        )
    if problems:
        raise RefundRefused(problems)
    if mode is RefundMode.FULL:
        chosen = full_refund_lines(order)
    else:
        chosen = [line for line in lines if line.quantity or not line.amount.is_zero]
    currency = order.currency.upper()
    notes = [REASON_NOTE]
    if mode is RefundMode.FULL:
        notes.insert(0, SHIPPING_NOTE)
    elif any(line.quantity for line in chosen):
        notes.append(RESTOCK_NOTE)
    text = reason.strip()
    payload = {
        "mode": mode.value,
        "currency": currency,
        "reason": text,
        "lines": [
            {"item_id": line.item_id, "qty": line.quantity, "amount": f"{line.amount.amount:f}"}
            for line in chosen
        ],
    }
    return RefundPlan(
        order_id=order.id,
        order_number=order.number,
        mode=mode,
        lines=tuple(chosen),
        reason=text,
        total=refund_total(chosen, currency),
        shipping_refunded=mode is RefundMode.FULL,
        notes=tuple(notes),
        payload=payload,
        unpaid_warning=unpaid_refund_warning(order),
    )


def queue_refund(
    outbox: Outbox,
    order: Order,
    mode: RefundMode | str,
    lines: Sequence[RefundLine] = (),
    reason: str = "",
    *,
    confirm_unpaid: bool = False,
) -> int:
    """Check (:func:`plan_refund`) and queue a refund request; the outbox entry's id.

    An order nobody paid yet (unpaid cash on delivery) is queued only with ``confirm_unpaid``:
    the vendor was told that the refund gives no money back (:attr:`RefundPlan.unpaid_warning`).
    The order shows "Refund requested" at once; the account's worker sends it.
    Raises :class:`RefundRefused` (nothing queued).
    """
    with outbox.cache.session() as session:
        local = cache_store.get_local(session, outbox.account_id, order.id)
    plan = plan_refund(order, mode, lines, reason, local=local, confirm_unpaid=confirm_unpaid)
    return outbox.enqueue(OutboxKind.REFUND, order.id, plan.payload)


def lines_from_text(
    order: Order,
    fields: Sequence[tuple[int, str, str]],
    *,
    decimal_separator: str = ",",
) -> list[RefundLine]:
    """Refund lines from typed ``(item_id, qty_text, amount_text)`` (the dialog's fields, the
    command line's ``--item ID:QTY:AMOUNT``). Raises :class:`RefundRefused` with every
    ``NOT_A_NUMBER`` / ``NEGATIVE`` / ``TOO_MANY_DECIMALS`` problem found."""
    problems: list[RefundProblem] = []
    lines: list[RefundLine] = []
    currency = order.currency.upper()
    for item_id, qty_text, amount_text in fields:
        qty = parse_quantity(qty_text, item_id=item_id)
        amount = parse_amount(
            amount_text, currency, decimal_separator=decimal_separator, item_id=item_id
        )
        if isinstance(qty, RefundProblem):
            problems.append(qty)
        if isinstance(amount, RefundProblem):
            problems.append(amount)
        if not isinstance(qty, RefundProblem) and not isinstance(amount, RefundProblem):
            lines.append(RefundLine(item_id, qty, Money(amount, currency)))
    if problems:
        raise RefundRefused(problems)
    return lines


def payload_lines(payload: Mapping[str, Any]) -> list[RefundLine]:
    """The :class:`RefundLine` values of a ``REFUND`` entry's payload."""
    return refund_lines_of(payload)


# ================================================================= the request list
@dataclass(frozen=True)
class DecidedRefund:
    """A request the store admin approved or rejected since the last look."""

    request_id: int
    order_id: int
    status: RefundRequestStatus
    amount: Money

    @property
    def approved(self) -> bool:
        return self.status is RefundRequestStatus.APPROVED


@dataclass
class RefundSyncReport:
    """What :func:`sync_refund_requests` did. ``error`` is set (and nothing else) when the
    marketplace could not be read; the caller reports it, nothing is raised."""

    #: How many requests the marketplace lists.
    requests: int = 0
    #: Ids of requests seen for the first time.
    new: list[int] = field(default_factory=list)
    #: Requests approved or rejected since the last look (notify the vendor).
    decided: list[DecidedRefund] = field(default_factory=list)
    #: Orders re-read because a request of theirs was decided.
    refreshed: list[int] = field(default_factory=list)
    error: MarketplaceError | None = None


def refund_list_due(cache: Cache, account_id: int) -> bool:
    """Whether the refund-request list is worth reading now (three dashboard requests): a
    request waits for the store admin's decision — one the cache lists as requested, or an
    order the marketplace shows with a request pending (filed here or in the web dashboard)."""
    with cache.session() as session:
        waiting = session.scalar(
            select(RefundRequestRecord.request_id)
            .where(
                RefundRequestRecord.account_id == account_id,
                RefundRequestRecord.status == RefundRequestStatus.REQUESTED.value,
            )
            .limit(1)
        )
        pending = session.scalar(
            select(OrderRecord.order_id)
            .where(
                OrderRecord.account_id == account_id,
                or_(
                    OrderRecord.refund_requested.is_(True),
                    OrderRecord.display_status == "refund-requested",
                ),
            )
            .limit(1)
        )
    return waiting is not None or pending is not None


def sync_refund_requests(
    cache: Cache,
    account_id: int,
    marketplace: Marketplace,
    *,
    clock: Callable[[], datetime] | None = None,
    complete: bool = False,
) -> RefundSyncReport:
    """Bring the marketplace's refund-request list into the cache and re-read the orders
    whose request was decided (their items, refund states, earnings and notes). Never raises
    :class:`MarketplaceError`: it ends up in ``report.error``.

    The list is read by status, one dashboard request each: the waiting requests always; the
    approved and rejected ones when a request the cache knew as waiting left the waiting list
    (it was decided), when the cache knows no request yet, or with ``complete``."""
    now = clock or (lambda: datetime.now(UTC))
    report = RefundSyncReport()
    with cache.session() as session:
        waiting = set(
            session.scalars(
                select(RefundRequestRecord.request_id).where(
                    RefundRequestRecord.account_id == account_id,
                    RefundRequestRecord.status == RefundRequestStatus.REQUESTED.value,
                )
            )
        )
        known_any = (
            session.scalar(
                select(RefundRequestRecord.request_id)
                .where(RefundRequestRecord.account_id == account_id)
                .limit(1)
            )
            is not None
        )
    try:
        # The requests still waiting (one dashboard request); the decided ones (two more)
        # only when one of those the cache knew left the list — or the first time, or asked.
        requests = marketplace.list_refund_requests(RefundRequestStatus.REQUESTED)
        if complete or not known_any or waiting - {request.id for request in requests}:
            for status in (RefundRequestStatus.APPROVED, RefundRequestStatus.REJECTED):
                requests += marketplace.list_refund_requests(status)
    except MarketplaceError as error:
        log.info("reading the refund requests failed: %s", error)
        report.error = error
        return report
    report.requests = len(requests)
    with cache.session(write=True) as session:
        changes = cache_refunds.store_refund_requests(session, account_id, requests)
    for change in changes:
        if change.previous is None:
            report.new.append(change.request.id)
        if change.decided:
            report.decided.append(
                DecidedRefund(
                    change.request.id,
                    change.request.order_id,
                    change.request.status,
                    change.request.amount,
                )
            )
    for order_id in sorted({decided.order_id for decided in report.decided}):
        try:
            _refresh_order(cache, account_id, marketplace, order_id, now)
        except MarketplaceError as error:  # the decisions stand; the next sync catches up
            log.info("re-reading order %s after a refund decision failed: %s", order_id, error)
            report.error = report.error or error
            continue
        report.refreshed.append(order_id)
    return report


def _refresh_order(
    cache: Cache,
    account_id: int,
    market: Marketplace,
    order_id: int,
    clock: Callable[[], datetime],
) -> None:
    """Re-read one order fully: the single-order route (and its notes) through the syncer,
    then the list route around its creation day, which alone carries the per-item refund
    states, the earning and the payout state."""
    from vendor_desk.sync.syncer import Syncer

    stored = Syncer(cache, account_id, market, clock=clock).refresh_order(order_id)
    if stored is None:
        return
    day: date = stored.date_created.astimezone(UTC).date()
    after, before = day - timedelta(days=1), day + timedelta(days=1)
    page = 1
    while True:
        orders = market.list_orders(page, 100, after=after, before=before)
        wanted = [order for order in orders if order.id == order_id]
        if wanted:
            with cache.session(write=True) as session:
                cache_store.store_orders(session, account_id, wanted, seen_at=clock())
                Outbox(cache, account_id, recover_sending=False).reapply_in(session, [order_id])
            return
        if len(orders) < 100:
            return
        page += 1


def unsent_refunds(outbox: Outbox, order_id: int | None = None) -> list[int]:
    """Ids of refund requests still in the outbox (not on the marketplace yet, or refused)."""
    return [
        entry.id
        for entry in outbox.entries(BLOCKING_STATES, order_id=order_id)
        if entry.kind is OutboxKind.REFUND and entry.state is not OutboxState.SENT
    ]


__all__ = [
    "REASON_NOTE",
    "RESTOCK_NOTE",
    "SHIPPING_NOTE",
    "DecidedRefund",
    "RefundPlan",
    "RefundProblem",
    "RefundProblemCode",
    "RefundRefused",
    "RefundSyncReport",
    "admin_message_for",
    "lines_from_text",
    "parse_amount",
    "parse_quantity",
    "payload_lines",
    "plan_refund",
    "queue_refund",
    "sync_refund_requests",
    "unsent_refunds",
]
