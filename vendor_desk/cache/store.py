"""Writing orders into the cache, and turning stored rows back into domain objects.

Used by :mod:`vendor_desk.sync`. The rules that keep the cache trustworthy live here:

* an order is merged with what the cache knows (:meth:`Order.fill_unknown_from`) before it is
  stored, so an empty status or a field the route did not carry never wipes a known value;
* app-owned state (``orders.local``) is never written;
* a change is detected by a fingerprint of everything stored from the server (not the raw JSON),
  so "unchanged" means unchanged for everything the app shows.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from sqlalchemy import bindparam, case, delete, func, insert, select, update
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import Compiled
from sqlalchemy.sql.dml import UpdateBase

from vendor_desk.cache.models import (
    LineItemRecord,
    NoteRecord,
    OrderRecord,
    SyncStateRow,
    UtcDateTime,
    json_default,
    money_units,
)
from vendor_desk.domain import (
    Address,
    LineItem,
    Money,
    Note,
    Order,
    OrderStatus,
    PayoutState,
    RefundState,
    ShippingStatus,
)

#: Vendor statuses that end the vendor's work on an order.
CLOSED_STATUSES = frozenset({"cancelled", "refunded", "failed"})
#: The group of orders the store admin took away (deleted, or in the trash): in no filter but
#: "all", never refreshed by a routine sync (see ``docs/sync.md``).
REMOVED_GROUP = "removed"
#: Status groups whose orders a routine sync refreshes ("open" orders).
OPEN_GROUPS = frozenset({"to_ship", "shipped", "awaiting_payment", "refund_requested", ""})
DISPLAY_STATUSES = frozenset(
    {"processing", "shipped", "completed", "on-hold", "pending", "cancelled", "refunded", "failed"}
)
#: What the status column shows for an order in the trash — and where the cache keeps that it
#: is (``Order.trashed`` is read back from it: no other column holds it).
TRASHED_DISPLAY = "trashed"
#: What the status column shows for an order the marketplace no longer has (``vanished_at``).
VANISHED_DISPLAY = "removed"


#: Core tables, for fast executemany inserts (no ORM bookkeeping).
ORDERS_TABLE: Any = OrderRecord.__table__
ITEMS_TABLE: Any = LineItemRecord.__table__


@dataclass(frozen=True)
class StoreResult:
    """What storing one batch of orders did (order ids)."""

    new: tuple[int, ...] = ()
    changed: tuple[int, ...] = ()
    unchanged: tuple[int, ...] = ()
    #: Orders that were marked vanished and came back.
    returned: tuple[int, ...] = ()


# ------------------------------------------------------------------------- derived values
# Each derived column has a core over plain values (``*_of``), shared by the domain path below
# and the sync's JSON fast path (``vendor_desk.sync.fastpath``), so both compute them one way.
def effective_status(order: Order) -> str:
    """The vendor's status, or the main status when the vendor status is not known."""
    return order.vendor_status.or_else(order.main_status).slug


def group_of(
    status: str,
    main_status: str,
    refund_pending: bool,
    shipped: bool,
    to_pack: bool = False,
    *,
    removed: bool = False,
) -> str:
    """:func:`status_group` from the effective and main status slugs, whether a refund is
    requested (order flag or any item), whether the vendor's part counts as shipped, whether
    it still has items to put in a parcel (:func:`to_pack_of`) and whether the store admin
    took the order away (in the trash, or vanished: never for an order the list returns)."""
    if removed:
        return REMOVED_GROUP
    if refund_pending:
        # A processing order with items still to ship stays in "To ship" (marked by its
        # display status) while the admin decides: it is still to be shipped unless the
        # refund closes it, and must not be forgotten.
        if (
            status == "processing"
            and main_status not in CLOSED_STATUSES
            and not shipped
            and to_pack
        ):
            return "to_ship"
        return "refund_requested"
    if status in CLOSED_STATUSES or main_status in CLOSED_STATUSES:
        return "closed"
    if status == "completed":
        return "completed"
    if status == "shipped" or (status == "processing" and shipped):
        return "shipped"
    if status == "processing":
        return "to_ship"
    if status in ("pending", "on-hold"):
        return "awaiting_payment"
    return ""


def _refund_pending(order: Order) -> bool:
    return order.refund_requested or any(
        i.refund_state == RefundState.REQUESTED for i in order.items
    )


def to_pack_of(shippable: bool | None, has_tracking: bool, refund_state: str) -> bool:
    """Whether one item still goes in a parcel: it needs shipping (or the marketplace did not
    say), has no tracking and was not refunded."""
    return shippable is not False and not has_tracking and refund_state != "refunded"


def status_group(order: Order) -> str:
    """The order list's filter group (exactly one per order; ``""`` and ``"removed"`` = none,
    "all" only).

    Precedence: taken away by the store admin (in the trash, or vanished: "removed"), refund
    requested (except a processing order with items still to ship, which stays in "To ship"),
    closed (cancelled/refunded/failed, vendor or main status), completed, shipped, to ship
    (processing, virtual items only included: it is still to complete), awaiting payment
    (pending/on-hold).
    """
    status = effective_status(order)
    shipped = status == "processing" and order.is_shipped
    to_pack = any(
        to_pack_of(item.shippable, item.has_tracking, item.refund_state.slug)
        for item in order.items
    )
    return group_of(
        status,
        order.main_status.slug,
        _refund_pending(order),
        shipped,
        to_pack,
        removed=bool(order.trashed or order.vanished),
    )


def display_of(status: str, refund_pending: bool, removed: str = "") -> str:
    """:func:`display_status` from the effective status slug, whether a refund request waits
    (such orders show "refund requested" in whichever group they are) and how the store admin
    took the order away (:data:`TRASHED_DISPLAY`, :data:`VANISHED_DISPLAY`; "" when not)."""
    if removed:
        return removed
    if refund_pending:
        return "refund-requested"
    return status if status in DISPLAY_STATUSES else "unknown"


def display_status(order: Order) -> str:
    removed = VANISHED_DISPLAY if order.vanished else TRASHED_DISPLAY if order.trashed else ""
    return display_of(effective_status(order), _refund_pending(order), removed)


#: The shipping state of an order still to do whose items are all virtual or downloadable.
NOTHING_TO_SHIP = "nothing to ship"


def shipping_state_of(
    shippable: Sequence[bool | None], parcels: set[str], shipped: bool, *, open_: bool = False
) -> str:
    """:func:`shipping_state` from the items' ``shippable`` flags, the distinct tracking codes
    (or URLs) of the items that have tracking, whether the vendor's part counts as shipped and
    whether it is still to do (in "To ship")."""
    if shippable and all(flag is False for flag in shippable):
        return NOTHING_TO_SHIP if open_ else "no shipping needed"
    if shipped:
        if not parcels:
            return "shipped"
        return f"shipped · {len(parcels)} parcel" + ("s" if len(parcels) > 1 else "")
    if parcels:
        return "partly shipped"
    return "not shipped"


def shipping_state(order: Order) -> str:
    """A short text for the shipping column: "not shipped", "shipped · 2 parcels",
    "nothing to ship" (virtual items only, still to complete) …"""
    parcels = {item.tracking_code or item.tracking_url for item in order.items if item.has_tracking}
    return shipping_state_of(
        [item.shippable for item in order.items],
        parcels,
        order.is_shipped,
        open_=status_group(order) == "to_ship",
    )


def summary_of(items: Iterable[tuple[int, str]]) -> str:
    """:func:`items_summary` from (quantity, name) pairs."""
    return ", ".join(f"{quantity} × {name}" if quantity != 1 else name for quantity, name in items)


def items_summary(order: Order) -> str:
    """ "2 × Mug, Poster" style summary of the vendor's items."""
    return summary_of((item.quantity, item.name) for item in order.items)


def search_text_of(parts: Iterable[str]) -> str:
    """:func:`search_text` from its parts in order (empty ones are skipped)."""
    return "\n".join(part for part in parts if part).lower()


def search_text(order: Order) -> str:
    parts = [
        order.number,
        str(order.id),
        order.customer_name,
        order.shipping.name,
        order.customer_email,
        order.customer_phone,
    ]
    for item in order.items:
        parts += [item.sku, item.name]
    return search_text_of(parts)


def _detail_units(details: Mapping[str, Any], key: str) -> int:
    """A commission-row amount of ``vendor_order_details`` as ``*_units`` (a missing or garbled
    value counts nothing)."""
    value = details.get(key)
    if value is None or value == "" or isinstance(value, bool):
        return 0
    try:
        amount = Decimal(str(value))
    except ArithmeticError:
        return 0
    if not amount.is_finite():
        return 0
    return money_units(amount) or 0


def _site_time(text: Any) -> datetime | None:
    """A WCFM table date (site-local ``YYYY-MM-DD HH:MM:SS``), naive; None for none or
    ``0000-00-00 00:00:00``."""
    if not text or not isinstance(text, str):
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return None if moment.year < 1971 else moment.replace(tzinfo=None)


def payout_date_of(details: Mapping[str, Any], created: datetime) -> datetime | None:
    """When the earning was paid out (``commission_paid_date``, site-local) in UTC, the site's
    offset from UTC being that between the commission rows' ``created`` (site-local) and the
    order's creation ``created`` (aware), to the minute."""
    paid = _site_time(details.get("commission_paid_date"))
    if paid is None:
        return None
    local_created = _site_time(details.get("created"))
    offset = timedelta(0)
    if local_created is not None:
        gap = local_created - created.astimezone(UTC).replace(tzinfo=None)
        offset = timedelta(minutes=round(gap.total_seconds() / 60))
    return (paid - offset).replace(tzinfo=UTC)


#: The columns :func:`commission_values_of` gives, in key order (after ``earning_units``).
COMMISSION_COLUMNS = ("shipping_units", "tax_units", "refunds_units", "payout_date")


def commission_values_of(details: Any, created: datetime) -> dict[str, Any]:
    """The columns of the vendor's commission rows (``vendor_order_details`` of the order
    list, ``details``) for the Earnings view: shipping, tax (on the items and on shipping) and
    refunds as ``*_units``, the payout date in UTC. All None when the answer has no commission
    rows (the single-order route): unknown, :func:`store_orders` keeps the stored ones."""
    if not isinstance(details, Mapping):
        return dict.fromkeys(COMMISSION_COLUMNS)
    return {
        "shipping_units": _detail_units(details, "shipping"),
        "tax_units": _detail_units(details, "tax") + _detail_units(details, "shipping_tax_amount"),
        "refunds_units": _detail_units(details, "refunded_amount"),
        "payout_date": payout_date_of(details, created),
    }


def _money_text(money: Money | None) -> str | None:
    return None if money is None else f"{money.amount:f}"


#: ``Address`` field names in declaration order (the keys of the stored address JSON).
ADDRESS_FIELDS = tuple(f.name for f in dataclasses.fields(Address))


#: ``json.dumps(…, ensure_ascii=False)`` without re-reading its keyword arguments on every call
#: (same output: the texts are part of the fingerprint).
encode_json = json.JSONEncoder(ensure_ascii=False).encode


def _address_json(address: Address) -> str:
    return encode_json({name: getattr(address, name) for name in ADDRESS_FIELDS})


def raw_json_text(raw: Mapping[str, Any]) -> str:
    """The text stored as an order's raw JSON: the marketplace's own text when the client kept
    it (:class:`~vendor_desk.marketplace.parsing.RawJsonObject` carries it as ``json_text``;
    read by name so the cache does not import the HTTP client), else ``raw`` encoded."""
    kept = getattr(raw, "json_text", None)
    if isinstance(kept, str):
        return kept
    return json.dumps(dict(raw), default=json_default, ensure_ascii=False)


def order_values(order: Order) -> dict[str, Any]:
    """The server-derived column values of ``orders`` for ``order`` (no bookkeeping columns)."""
    return {
        "number": order.number,
        "vendor_status": order.vendor_status.slug,
        "main_status": order.main_status.slug,
        "shipping_status": order.shipping_status.slug,
        "payout_state": order.payout_state.slug,
        "status_group": status_group(order),
        "display_status": display_status(order),
        "shipping_state": shipping_state(order),
        "created": order.date_created,
        "modified": order.date_modified,
        "paid": order.date_paid,
        "completed": order.date_completed,
        "payment_method": order.payment_method,
        "payment_title": order.payment_method_title,
        "customer_id": order.customer_id,
        "customer_name": order.customer_name,
        "customer_sort": order.customer_name.casefold(),
        "customer_email": order.customer_email,
        "customer_phone": order.customer_phone,
        "billing_json": _address_json(order.billing),
        "shipping_json": _address_json(order.shipping),
        "customer_note": order.customer_note,
        "currency": order.currency,
        "total": _money_text(order.total),
        "shipping_total": _money_text(order.shipping_total),
        "items_total": _money_text(order.items_total),
        "items_total_units": money_units(order.items_total.amount),
        "earning": _money_text(order.earning),
        "earning_units": money_units(order.earning.amount) if order.earning else None,
        **commission_values_of(
            order.raw.get("vendor_order_details") if order.raw else None, order.date_created
        ),
        "split": order.split,
        "refund_requested": order.refund_requested,
        "foreign_item_ids": json.dumps(list(order.foreign_item_ids)),
        "items_summary": items_summary(order),
        "item_count": sum(item.quantity for item in order.items),
        "has_tracking": any(item.has_tracking for item in order.items),
        "search_text": search_text(order),
    }


def item_values(item: LineItem, position: int) -> dict[str, Any]:
    return {
        "item_id": item.item_id,
        "position": position,
        "product_id": item.product_id,
        "variation_id": item.variation_id,
        "name": item.name,
        "sku": item.sku,
        "quantity": item.quantity,
        "subtotal": _money_text(item.subtotal),
        "total": _money_text(item.total),
        "total_units": money_units(item.total.amount),
        "tax": _money_text(item.tax),
        "price": _money_text(item.price),
        "commission": _money_text(item.commission),
        "refund_state": item.refund_state.slug,
        "refunded_quantity": item.refunded_quantity,
        "refunded_amount": _money_text(item.refunded_amount),
        "tracking_code": item.tracking_code,
        "tracking_url": item.tracking_url,
        "shippable": item.shippable,
    }


#: The server-derived columns of ``orders``, in the key order of :func:`order_values`.
ORDER_VALUE_COLUMNS = (
    "number",
    "vendor_status",
    "main_status",
    "shipping_status",
    "payout_state",
    "status_group",
    "display_status",
    "shipping_state",
    "created",
    "modified",
    "paid",
    "completed",
    "payment_method",
    "payment_title",
    "customer_id",
    "customer_name",
    "customer_sort",
    "customer_email",
    "customer_phone",
    "billing_json",
    "shipping_json",
    "customer_note",
    "currency",
    "total",
    "shipping_total",
    "items_total",
    "items_total_units",
    "earning",
    "earning_units",
    *COMMISSION_COLUMNS,
    "split",
    "refund_requested",
    "foreign_item_ids",
    "items_summary",
    "item_count",
    "has_tracking",
    "search_text",
)
#: The columns of ``line_items`` from the server, in the key order of :func:`item_values`.
ITEM_VALUE_COLUMNS = (
    "item_id",
    "position",
    "product_id",
    "variation_id",
    "name",
    "sku",
    "quantity",
    "subtotal",
    "total",
    "total_units",
    "tax",
    "price",
    "commission",
    "refund_state",
    "refunded_quantity",
    "refunded_amount",
    "tracking_code",
    "tracking_url",
    "shippable",
)
_ORDER_DATETIMES = tuple(
    ORDER_VALUE_COLUMNS.index(name)
    for name in ("created", "modified", "paid", "completed", "payout_date")
)
_ORDER_CREATED = ORDER_VALUE_COLUMNS.index("created")
_ORDER_FLAGS = tuple(
    ORDER_VALUE_COLUMNS.index(name) for name in ("split", "refund_requested", "has_tracking")
)
_ITEM_FLAG = ITEM_VALUE_COLUMNS.index("shippable")


def stored_order_row(values: Mapping[str, Any]) -> tuple[Any, ...]:
    """``values`` (of :func:`order_values`) as SQLite stores them, in
    :data:`ORDER_VALUE_COLUMNS` order: datetimes as naive-UTC text, flags as 0/1."""
    row = [values[name] for name in ORDER_VALUE_COLUMNS]
    for index in _ORDER_DATETIMES:
        row[index] = _utc_text(row[index])
    for index in _ORDER_FLAGS:
        row[index] = int(row[index])
    return tuple(row)


def stored_item_row(values: Mapping[str, Any]) -> tuple[Any, ...]:
    """An item's ``values`` (of :func:`item_values`) as SQLite stores them, in
    :data:`ITEM_VALUE_COLUMNS` order (``shippable`` as 0/1/None)."""
    row = [values[name] for name in ITEM_VALUE_COLUMNS]
    flag = row[_ITEM_FLAG]
    if flag is not None:
        row[_ITEM_FLAG] = int(flag)
    return tuple(row)


def fingerprint_of_rows(row: tuple[Any, ...], item_rows: Sequence[tuple[Any, ...]]) -> str:
    """The fingerprint of an order's stored rows (see :func:`fingerprint`).

    The stored form holds only str, int and None, whose ``repr`` is stable and cheap, and it
    is exactly what SQLite gives back, so the fingerprint of a stored order can be computed
    from its columns (migration 0006 does so: a change to this formula, to the columns or to
    their order needs a migration recomputing the stored fingerprints, or every cached order
    would look changed once).
    """
    payload = repr((row, tuple(item_rows)))
    return hashlib.sha1(payload.encode("utf-8"), usedforsecurity=False).hexdigest()


def fingerprint(values: Mapping[str, Any], items: Sequence[Mapping[str, Any]]) -> str:
    """A hash of everything stored from the server for one order (equal = unchanged): of the
    stored form of its ``orders`` values and item rows (:func:`fingerprint_of_rows`)."""
    return fingerprint_of_rows(stored_order_row(values), [stored_item_row(item) for item in items])


# ------------------------------------------------------------------------- rows → domain
def _address(text: str) -> Address:
    data = json.loads(text or "{}")
    fields = {f.name for f in dataclasses.fields(Address)}
    return Address(**{key: str(value) for key, value in data.items() if key in fields})


def _money(text: str | None, currency: str) -> Money | None:
    return None if text is None else Money(Decimal(text), currency)


def record_to_item(record: LineItemRecord, currency: str) -> LineItem:
    def money(text: str) -> Money:
        return Money(Decimal(text), currency)

    return LineItem(
        item_id=record.item_id,
        product_id=record.product_id,
        variation_id=record.variation_id,
        name=record.name,
        sku=record.sku,
        quantity=record.quantity,
        subtotal=money(record.subtotal),
        total=money(record.total),
        tax=money(record.tax),
        price=money(record.price),
        commission=_money(record.commission, currency),
        refund_state=RefundState(record.refund_state),
        refunded_quantity=record.refunded_quantity,
        refunded_amount=_money(record.refunded_amount, currency),
        tracking_code=record.tracking_code,
        tracking_url=record.tracking_url,
        shippable=record.shippable,
    )


def record_to_order(
    record: OrderRecord, items: Iterable[LineItemRecord], *, with_raw: bool = True
) -> Order:
    """The domain order stored in ``record`` (items in their original order)."""
    currency = record.currency
    ordered = sorted(items, key=lambda item: item.position)
    return Order(
        id=record.order_id,
        number=record.number,
        vendor_status=OrderStatus(record.vendor_status),
        main_status=OrderStatus(record.main_status),
        currency=currency,
        date_created=record.created,
        date_modified=record.modified,
        date_paid=record.paid,
        date_completed=record.completed,
        payment_method=record.payment_method,
        payment_method_title=record.payment_title,
        customer_id=record.customer_id,
        billing=_address(record.billing_json),
        shipping=_address(record.shipping_json),
        customer_note=record.customer_note,
        total=Money(Decimal(record.total), currency),
        shipping_total=Money(Decimal(record.shipping_total), currency),
        items_total=Money(Decimal(record.items_total), currency),
        earning=_money(record.earning, currency),
        items=tuple(record_to_item(item, currency) for item in ordered),
        split=record.split,
        payout_state=PayoutState(record.payout_state),
        shipping_status=ShippingStatus(record.shipping_status),
        refund_requested=record.refund_requested,
        foreign_item_ids=tuple(json.loads(record.foreign_item_ids or "[]")),
        trashed=record.display_status == TRASHED_DISPLAY,
        vanished=record.vanished_at is not None,
        raw=json.loads(record.raw_json or "{}", parse_float=Decimal) if with_raw else {},
    )


def record_to_note(record: NoteRecord) -> Note:
    return Note(
        id=record.note_id,
        order_id=record.order_id,
        date=record.date,
        text=record.text,
        customer_visible=record.customer_visible,
        author=record.author,
        html=record.html,
    )


# ------------------------------------------------------------------------------- writes
def load_orders(session: Session, account_id: int, order_ids: Iterable[int]) -> dict[int, Order]:
    """The stored orders among ``order_ids`` (as domain objects, without raw JSON)."""
    ids = list(order_ids)
    if not ids:
        return {}
    records = session.scalars(
        select(OrderRecord).where(
            OrderRecord.account_id == account_id, OrderRecord.order_id.in_(ids)
        )
    ).all()
    items: dict[int, list[LineItemRecord]] = {}
    for item in session.scalars(
        select(LineItemRecord).where(
            LineItemRecord.account_id == account_id, LineItemRecord.order_id.in_(ids)
        )
    ):
        items.setdefault(item.order_id, []).append(item)
    return {
        record.order_id: record_to_order(record, items.get(record.order_id, ()), with_raw=False)
        for record in records
    }


@dataclass
class PreparedOrder:
    """One incoming order as the rows to store: column values, item rows, their stored form,
    fingerprint and the raw JSON text. Build one with :meth:`of`.

    :func:`prepare` builds one from a domain order; the sync's JSON fast path builds them
    straight from the marketplace's JSON (``vendor_desk.sync.fastpath``), with ``to_order``
    producing the domain order only when a stored copy has to be merged into it.
    """

    order_id: int
    values: dict[str, Any]
    items: list[dict[str, Any]]
    fingerprint: str
    raw_json: str
    #: The domain order these rows describe (built on demand).
    to_order: Callable[[], Order]
    #: ``values`` and ``items`` as SQLite stores them (:func:`stored_order_row`,
    #: :func:`stored_item_row`): what a new order's INSERT writes.
    row: tuple[Any, ...] = ()
    item_rows: tuple[tuple[Any, ...], ...] = ()

    @classmethod
    def of(
        cls,
        order_id: int,
        values: dict[str, Any],
        items: list[dict[str, Any]],
        raw_json: str,
        to_order: Callable[[], Order],
    ) -> PreparedOrder:
        """The prepared rows of these values: stored form and fingerprint computed once."""
        row = stored_order_row(values)
        item_rows = tuple([stored_item_row(item) for item in items])
        return cls(
            order_id,
            values,
            items,
            fingerprint_of_rows(row, item_rows),
            raw_json,
            to_order,
            row,
            item_rows,
        )


def prepare(order: Order) -> PreparedOrder:
    """The rows of a domain order (see :class:`PreparedOrder`)."""
    values = order_values(order)
    items = [item_values(item, position) for position, item in enumerate(order.items)]
    return PreparedOrder.of(order.id, values, items, raw_json_text(order.raw), lambda: order)


def store_orders(
    session: Session,
    account_id: int,
    orders: Sequence[Order | PreparedOrder],
    *,
    seen_at: datetime,
) -> StoreResult:
    """Insert or update ``orders`` (one page; domain orders or their prepared rows) in the
    caller's transaction.

    Each incoming order is merged with the stored copy first (unknown fields keep their known
    value). App-owned ``local`` state is left alone. Orders previously marked vanished are
    un-marked (they came back).

    Cost: one SELECT of the page's stored fingerprints; the stored copies are loaded only for
    orders whose incoming fingerprint differs (an order whose own values hash equal to the
    stored ones is unchanged whatever the merge would fill in); new orders and items are
    written in their stored form (:attr:`PreparedOrder.row`) by multi-row INSERTs, updates with
    one ``executemany``.
    """
    prepared: dict[int, PreparedOrder] = {}
    for order in orders:
        order_id = order.order_id if isinstance(order, PreparedOrder) else order.id
        if order_id not in prepared:
            prepared[order_id] = order if isinstance(order, PreparedOrder) else prepare(order)
    if not prepared:
        return StoreResult()
    meta = {
        row.order_id: (row.fingerprint, row.vanished_at)
        for row in session.execute(
            select(OrderRecord.order_id, OrderRecord.fingerprint, OrderRecord.vanished_at).where(
                OrderRecord.account_id == account_id, OrderRecord.order_id.in_(list(prepared))
            )
        )
    }
    # Equal fingerprints mean equal stored values, so merging could fill in nothing: only the
    # others need their stored copy (to keep what this answer does not know).
    differing = [
        order_id
        for order_id, entry in prepared.items()
        if order_id in meta and meta[order_id][0] != entry.fingerprint
    ]
    unknown_commissions = [
        order_id
        for order_id in differing
        if all(prepared[order_id].values[name] is None for name in COMMISSION_COLUMNS)
    ]
    known_commissions = {
        row[0]: dict(zip(COMMISSION_COLUMNS, row[1:], strict=True))
        for row in session.execute(
            select(
                OrderRecord.order_id, *(ORDERS_TABLE.c[name] for name in COMMISSION_COLUMNS)
            ).where(
                OrderRecord.account_id == account_id,
                OrderRecord.order_id.in_(unknown_commissions),
            )
        )
    }
    for order_id, known in load_orders(session, account_id, differing).items():
        incoming = prepared[order_id]
        merged = prepare(incoming.to_order().fill_unknown_from(known))
        if order_id in known_commissions:
            # no commission rows in this answer (the single-order route): keep the known ones
            values = {**merged.values, **known_commissions[order_id]}
            merged = PreparedOrder.of(
                order_id, values, merged.items, merged.raw_json, merged.to_order
            )
        # the raw JSON stays the marketplace's text as received
        prepared[order_id] = dataclasses.replace(merged, raw_json=incoming.raw_json)

    new: list[int] = []
    changed: list[int] = []
    unchanged: list[int] = []
    returned: list[int] = []
    seen = _utc_text(seen_at)
    inserts: list[tuple[Any, ...]] = []  # new orders, in _NEW_ORDER_COLUMNS order
    new_items: list[tuple[Any, ...]] = []  # in _NEW_ITEM_COLUMNS order
    touches: list[dict[str, Any]] = []  # unchanged: bookkeeping only
    updates: list[dict[str, Any]] = []  # changed: every server column
    for order_id, entry in prepared.items():
        raw = entry.raw_json
        key = {"account_id": account_id, "order_id": order_id}
        if order_id not in meta:
            new.append(order_id)
            row = entry.row or stored_order_row(entry.values)
            inserts.append((account_id, order_id, *row, entry.fingerprint, seen, seen, raw))
            item_rows = entry.item_rows or [stored_item_row(item) for item in entry.items]
            created = row[_ORDER_CREATED]
            new_items += [(account_id, order_id, created, *item) for item in item_rows]
            continue
        old_print, vanished_at = meta[order_id]
        bookkeeping: dict[str, Any] = {"last_seen_at": seen_at, "vanished_at": None}
        if vanished_at is not None:
            returned.append(order_id)
        if old_print == entry.fingerprint and vanished_at is None:
            unchanged.append(order_id)
            touches.append({**key, **bookkeeping, "raw_json": raw})
            continue
        # (a returning order is rewritten whole: marking it vanished changed its group)
        changed.append(order_id)
        updates.append(
            {
                **key,
                **entry.values,
                **bookkeeping,
                "fingerprint": entry.fingerprint,
                "raw_json": raw,
            }
        )
        item_rows = entry.item_rows or [stored_item_row(item) for item in entry.items]
        created = _utc_text(entry.values["created"])
        new_items += [(account_id, order_id, created, *item) for item in item_rows]
    if touches:
        _execute_many(session, _UPDATE_ORDERS, touches)
    if updates:
        _execute_many(session, _UPDATE_ORDERS, updates)
        session.execute(
            delete(LineItemRecord).where(
                LineItemRecord.account_id == account_id,
                LineItemRecord.order_id.in_([row["order_id"] for row in updates]),
            )
        )
        apply_local_shipments(session, account_id, [row["order_id"] for row in updates])
    if inserts:
        _insert_rows(session, "orders", _NEW_ORDER_COLUMNS, inserts)
    if new_items:
        _insert_rows(session, "line_items", _NEW_ITEM_COLUMNS, new_items)
    return StoreResult(tuple(new), tuple(changed), tuple(unchanged), tuple(returned))


#: ``orders.local`` key set (by the outbox) when every item the vendor still had to ship was
#: shipped without tracking or collected — a shipment the marketplace cannot hold as such.
SHIPPED_LOCALLY = "shipped_locally"


def apply_local_shipments(session: Session, account_id: int, order_ids: Sequence[int]) -> None:
    """Orders shipped without tracking or collected leave "To ship" for "Shipped" in the list,
    although the marketplace still says processing (docs/fulfilment.md). Run after the
    marketplace's copy of the orders was written (it recomputes the group from its statuses)."""
    for start in range(0, len(order_ids), 500):
        session.execute(
            update(OrderRecord)
            .where(
                OrderRecord.account_id == account_id,
                OrderRecord.order_id.in_(order_ids[start : start + 500]),
                OrderRecord.status_group == "to_ship",
                func.json_extract(OrderRecord.local, f"$.{SHIPPED_LOCALLY}") == 1,
            )
            .values(
                # shipped, unless a refund request waits (it then kept the order in "To ship")
                status_group=case(
                    (OrderRecord.display_status == "refund-requested", "refund_requested"),
                    else_="shipped",
                )
            )
        )


def recompute_group(session: Session, account_id: int, order_id: int) -> None:
    """Recompute one order's list group from its stored copy and its local shipments (after a
    local shipment was recorded or rolled back)."""
    order = load_orders(session, account_id, [order_id]).get(order_id)
    if order is None:
        return
    session.execute(
        update(OrderRecord)
        .where(OrderRecord.account_id == account_id, OrderRecord.order_id == order_id)
        .values(status_group=status_group(order))
    )
    apply_local_shipments(session, account_id, [order_id])


# ------------------------------------------------------------------------ bulk statements
#: Prefix of the WHERE parameters of the bulk UPDATE (SQLAlchemy reserves the column names
#: for the SET clause); the value comes from the row's key without the prefix.
_WHERE_PREFIX = "where_"
_ORDER_KEY = ("account_id", "order_id")
_UPDATE_ORDERS: Any = update(ORDERS_TABLE).where(
    *(ORDERS_TABLE.c[name] == bindparam(_WHERE_PREFIX + name) for name in _ORDER_KEY)
)
#: The columns of a new order's row (its ``local`` state starts as the column default, {}).
_NEW_ORDER_COLUMNS = (
    *_ORDER_KEY,
    *ORDER_VALUE_COLUMNS,
    "fingerprint",
    "first_seen_at",
    "last_seen_at",
    "raw_json",
)
#: ``created`` is the order's (not part of the fingerprint: the order's row holds it), so that
#: the Earnings view's best sellers read a period's items by one index range.
_NEW_ITEM_COLUMNS = ("account_id", "order_id", "created", *ITEM_VALUE_COLUMNS)


#: Most parameters one SQLite statement may take (SQLITE_MAX_VARIABLE_NUMBER's default).
_MAX_SQL_VARIABLES = 32766 if sqlite3.sqlite_version_info >= (3, 32, 0) else 999


@dataclass(frozen=True)
class _DriverStatement:
    """A statement compiled once for a dialect: its SQL, the row key feeding each positional
    parameter and the conversion SQLAlchemy applies to it (e.g. aware datetime → naive UTC →
    SQLite text)."""

    sql: str
    sources: tuple[str, ...]
    processors: tuple[Any, ...]


_driver_statements: dict[tuple[int, str, tuple[str, ...]], _DriverStatement | None] = {}


#: Datetimes whose text shows every field (year < 1000, microseconds, another zone), to check
#: a shortcut.
_PROBES = (
    datetime(987, 6, 5, 4, 3, 2, 1, tzinfo=UTC),
    datetime(2026, 11, 27, 23, 59, 59, tzinfo=timezone(timedelta(hours=-5, minutes=-30))),
)


def _utc_text(value: datetime | None) -> str | None:
    """What :class:`UtcDateTime` + SQLite's ``DATETIME`` make of ``value`` in one step (naive
    UTC text with microseconds: ``2026-11-27 16:05:53.000000``); about four times faster than
    the two processors chained."""
    if value is None:
        return None
    zone = value.tzinfo
    if zone is None:
        raise ValueError("naive datetimes are not stored; give a timezone")
    if zone is not UTC:
        value = value.astimezone(UTC)
    # ``YYYY-MM-DD HH:MM:SS.ffffff`` is the first 26 characters (the offset, +00:00, follows)
    return value.isoformat(" ", "microseconds")[:26]


def _bind_processor(type_: Any, dialect: Dialect) -> Any:
    """The parameter conversion SQLAlchemy applies to a value of ``type_`` (None: none), with
    :func:`_utc_text` instead of the chain for :class:`UtcDateTime` when both give the same
    text (checked on a probe value, so another storage format keeps SQLAlchemy's own)."""
    process = type_.dialect_impl(dialect).bind_processor(dialect)
    if (
        isinstance(type_, UtcDateTime)
        and process is not None
        and all(process(probe) == _utc_text(probe) for probe in _PROBES)
    ):
        return _utc_text
    return process


def _driver_statement(
    statement: UpdateBase, dialect: Dialect, columns: tuple[str, ...]
) -> _DriverStatement | None:
    """``statement`` (built once, at import: the memo is keyed by the object) compiled for
    ``dialect`` with ``columns`` (row keys) as its SET clause, or None when it needs more than
    plain positional parameters taken from the rows (SQLAlchemy then executes it)."""
    memo = (id(statement), dialect.name, columns)
    if memo in _driver_statements:
        return _driver_statements[memo]
    keys = [name for name in columns if not (statement is _UPDATE_ORDERS and name in _ORDER_KEY)]
    compiled: Compiled = statement.compile(dialect=dialect, column_keys=keys)
    names = tuple(getattr(compiled, "positiontup", None) or ())
    binds: dict[str, Any] = getattr(compiled, "binds", {})
    sources = tuple(name.removeprefix(_WHERE_PREFIX) for name in names)
    result: _DriverStatement | None = None
    if getattr(compiled, "positional", False) and names and set(sources) <= set(columns):
        result = _DriverStatement(
            sql=compiled.string,
            sources=sources,
            processors=tuple(_bind_processor(binds[name].type, dialect) for name in names),
        )
    _driver_statements[memo] = result
    return result


def _execute_many(session: Session, statement: UpdateBase, rows: list[dict[str, Any]]) -> None:
    """Run ``statement`` (the bulk UPDATE of ``orders``) for every row (all rows have the same
    keys), converting parameters exactly as SQLAlchemy would but without its per-row
    processing."""
    connection = session.connection()
    compiled = _driver_statement(statement, connection.dialect, tuple(rows[0]))
    if compiled is None:
        if statement is _UPDATE_ORDERS:
            rows = [
                {**row, **{_WHERE_PREFIX + name: row[name] for name in _ORDER_KEY}} for row in rows
            ]
        session.execute(statement, rows)
        return
    pairs = tuple(zip(compiled.sources, compiled.processors, strict=True))
    parameters = [
        tuple(row[name] if process is None else process(row[name]) for name, process in pairs)
        for row in rows
    ]
    connection.exec_driver_sql(compiled.sql, parameters)


def _insert_rows(
    session: Session, table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]
) -> None:
    """Insert ``rows`` (values already in their stored form, in ``columns`` order) with
    multi-row ``INSERT … VALUES (…), (…)`` statements: each SQLite statement releases and
    re-takes the GIL, which ``executemany`` would do per row — slow while the sync's page
    reader thread is parsing."""
    connection = session.connection()
    head = f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
    group = "(" + ", ".join("?" * len(columns)) + ")"
    chunk = max(1, _MAX_SQL_VARIABLES // len(columns))
    for start in range(0, len(rows), chunk):
        part = rows[start : start + chunk]
        flat = [value for row in part for value in row]
        connection.exec_driver_sql(head + ", ".join([group] * len(part)), tuple(flat))


def store_notes(
    session: Session, account_id: int, order_id: int, notes: Sequence[Note], *, synced_at: datetime
) -> None:
    """Replace the stored notes of one order with ``notes`` (the marketplace's full list)."""
    session.execute(
        delete(NoteRecord).where(
            NoteRecord.account_id == account_id, NoteRecord.order_id == order_id
        )
    )
    unique = {note.id: note for note in notes}
    if unique:
        session.execute(
            insert(NoteRecord),
            [
                {
                    "account_id": account_id,
                    "note_id": note.id,
                    "order_id": order_id,
                    "date": note.date,
                    "text": note.text,
                    "html": note.html,
                    "customer_visible": note.customer_visible,
                    "author": note.author,
                }
                for note in unique.values()
            ],
        )
    session.execute(
        update(OrderRecord)
        .where(OrderRecord.account_id == account_id, OrderRecord.order_id == order_id)
        .values(notes_synced_at=synced_at)
    )


def mark_vanished(
    session: Session, account_id: int, order_ids: Iterable[int], *, at: datetime
) -> None:
    """Mark orders the marketplace no longer has (never deleted: the vendor may need them).
    They leave every filter but "all" (group and status column as :func:`status_group` and
    :func:`display_status` give them for a vanished order; the fingerprint stays, and the
    order is rewritten whole if it comes back)."""
    ids = list(order_ids)
    for start in range(0, len(ids), 500):
        session.execute(
            update(OrderRecord)
            .where(
                OrderRecord.account_id == account_id,
                OrderRecord.order_id.in_(ids[start : start + 500]),
                OrderRecord.vanished_at.is_(None),
            )
            .values(
                vanished_at=at,
                status_group=REMOVED_GROUP,
                display_status=VANISHED_DISPLAY,
                shipping_state=case(
                    (OrderRecord.shipping_state == NOTHING_TO_SHIP, "no shipping needed"),
                    else_=OrderRecord.shipping_state,
                ),
            )
        )


def sync_state(session: Session, account_id: int) -> SyncStateRow:
    """The account's sync-state row (created on first use)."""
    row = session.get(SyncStateRow, account_id)
    if row is None:
        row = SyncStateRow(account_id=account_id, last_error="")
        session.add(row)
        session.flush()
    return row


def get_local(session: Session, account_id: int, order_id: int) -> dict[str, Any]:
    """The app-owned local state of one order ({} when none or no such order)."""
    text = session.scalar(
        select(OrderRecord.local).where(
            OrderRecord.account_id == account_id, OrderRecord.order_id == order_id
        )
    )
    return dict(json.loads(text)) if text else {}


def _column_of(
    session: Session, account_id: int, order_ids: Iterable[int], column: Any
) -> dict[int, Any]:
    """One column of each of these cached orders, in one query, by order id (orders not in the
    cache are left out)."""
    ids = list(dict.fromkeys(order_ids))
    if not ids:
        return {}
    rows = session.execute(
        select(OrderRecord.order_id, column).where(
            OrderRecord.account_id == account_id, OrderRecord.order_id.in_(ids)
        )
    )
    return {order_id: value for order_id, value in rows}


def get_locals(
    session: Session, account_id: int, order_ids: Iterable[int]
) -> dict[int, dict[str, Any]]:
    """The app-owned local state of each of these orders, in one query (orders not in the
    cache are left out; an order without local state maps to {})."""
    texts = _column_of(session, account_id, order_ids, OrderRecord.local)
    return {order_id: dict(json.loads(text)) if text else {} for order_id, text in texts.items()}


def set_locals(session: Session, account_id: int, states: Mapping[int, Mapping[str, Any]]) -> None:
    """Store the whole local state of each of these orders (one statement for all); see
    :func:`set_local` to merge values into one order's."""
    if not states:
        return
    table = ORDERS_TABLE
    session.execute(
        update(table)
        .where(table.c.account_id == account_id, table.c.order_id == bindparam("target_id"))
        .values(local=bindparam("state")),
        [
            {"target_id": order_id, "state": json.dumps(dict(state), default=json_default)}
            for order_id, state in states.items()
        ],
    )


def order_numbers(session: Session, account_id: int, order_ids: Iterable[int]) -> dict[int, str]:
    """The displayed number of each of these cached orders (one query, no order parsed)."""
    return _column_of(session, account_id, order_ids, OrderRecord.number)


def set_local(session: Session, account_id: int, order_id: int, **values: Any) -> None:
    """Merge ``values`` into the app-owned local state of one order (None removes a key)."""
    state = get_local(session, account_id, order_id)
    for key, value in values.items():
        if value is None:
            state.pop(key, None)
        else:
            state[key] = value
    session.execute(
        update(OrderRecord)
        .where(OrderRecord.account_id == account_id, OrderRecord.order_id == order_id)
        .values(local=json.dumps(state, default=json_default))
    )
