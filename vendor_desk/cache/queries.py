"""Read side of the cache: what the UI and the CLI ask for. Plain frozen dataclasses out —
never ORM objects — so results can cross threads and outlive their session.

Status groups (each order is in exactly one, besides "all"; see ``store.status_group``):

=================  ==========================================================================
``to_ship``        vendor status processing and not shipped (virtual items only included:
                   still to complete), also while a refund request waits if items are left
                   to pack (``display_status`` then says "refund-requested")
``shipped``        vendor status shipped, or processing with every item shipped
``completed``      vendor status completed
``awaiting_payment`` pending payment or on hold
``refund_requested`` a refund request waits for the admin and nothing is left to pack (takes
                   precedence over the others)
``closed``         cancelled, refunded or failed (vendor or main status)
``all``            everything
=================  ==========================================================================
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, and_, bindparam, func, literal_column, select
from sqlalchemy.orm import Session

from vendor_desk.cache.models import (
    AccountRow,
    LineItemRecord,
    NoteRecord,
    OrderRecord,
    OrderSearchRecord,
    SyncStateRow,
)
from vendor_desk.cache.store import TRASHED_DISPLAY, record_to_note, record_to_order
from vendor_desk.domain import Note, Order

STATUS_GROUPS = (
    "to_ship",
    "shipped",
    "completed",
    "awaiting_payment",
    "refund_requested",
    "closed",
    "all",
)

SORT_KEYS = (
    "number",
    "date",
    "customer",
    "items",
    "total",
    "earning",
    "payment",
    "status",
    "shipping",
)

_SORT_COLUMNS: dict[str, Any] = {
    "number": OrderRecord.order_id,
    "date": OrderRecord.created,
    "customer": OrderRecord.customer_sort,
    "items": OrderRecord.items_summary,
    "total": OrderRecord.items_total_units,
    "earning": OrderRecord.earning_units,
    "payment": OrderRecord.payment_title,
    "status": OrderRecord.display_status,
    "shipping": OrderRecord.shipping_state,
}


@dataclass(frozen=True)
class OrderQuery:
    """What the list shows: one account's orders of a group, matching a search, sorted."""

    account_id: int
    group: str = "all"
    search: str = ""
    sort: str = "date"
    descending: bool = True


@dataclass(frozen=True)
class OrderRow:
    """One line of the order list. ``total`` is the vendor's items total (not the whole
    order's, which includes other vendors' items on split orders)."""

    order_id: int
    number: str
    created: datetime
    customer: str
    items_summary: str
    total: Decimal
    earning: Decimal
    currency: str
    payment: str
    paid: bool
    vendor_status: str
    main_status: str
    #: processing, shipped, completed, on-hold, pending, cancelled, refunded, failed,
    #: refund-requested or unknown
    display_status: str
    #: "not shipped", "shipped · 2 parcels", "partly shipped", "no shipping needed" …
    shipping_state: str
    has_tracking: bool
    split: bool
    vanished: bool
    #: Changes of the order waiting in the outbox (``orders.local["outbox"]``): "" (none),
    #: "pending" (waiting, being sent or being checked) or "failed" (refused; wins over pending).
    outbox: str = ""
    #: Why the order must not be shipped yet, if so (see :func:`ship_warning_of`): "" or
    #: "pending", "on-hold", "failed", "unpaid", "cod-unpaid".
    ship_warning: str = ""
    #: How the newest shipment recorded on this computer only (``orders.local["shipments"]``,
    #: see ``sync.shipping``) left: "" (none), "no_tracking", "pickup" or "tracked" (tracking
    #: kept locally because the marketplace does not store it).
    local_shipment: str = ""
    #: When the order's packing slip was last printed (ISO text; "" never).
    slip_printed: str = ""


@dataclass(frozen=True)
class OrderDetail:
    """One order in full: the order with the vendor's items, its notes (newest first), when the
    cache last saw it on the marketplace, whether it vanished, and app-owned local state."""

    order: Order
    notes: list[Note]
    as_of: datetime | None
    vanished: bool
    local: dict[str, Any] | None = None


@dataclass(frozen=True)
class AccountInfo:
    id: int
    base_url: str
    login: str
    store_name: str
    vendor_id: int
    auth_method: str


@dataclass(frozen=True)
class SyncStatus:
    last_sync: datetime | None
    first_sync_done: bool
    order_count: int
    last_reconcile: datetime | None = None
    first_sync_in_progress: bool = False
    #: Every order the marketplace lists was read at or after this (the oldest "last seen" of
    #: the orders expected on its list): "everything checked 12 minutes ago".
    checked_since: datetime | None = None
    #: When the sweep last read the whole list (or a check of everything ended).
    sweep_completed: datetime | None = None


# -------------------------------------------------------------------------------- filters
def search_words(search: str) -> list[str]:
    """The search's words, case-folded; a leading ``#`` is dropped so "#1234" finds order 1234."""
    return [word for word in (w.lstrip("#") for w in search.casefold().split()) if word]


def _search_conditions(search: str) -> list[ColumnElement[bool]]:
    """Every word must occur in the order's search text (number, customer, e-mail, SKUs,
    product names), which is stored case-folded like the words."""
    return [
        OrderSearchRecord.search_text.like(f"%{_escape_like(word)}%", escape="\\")
        for word in search_words(search)
    ]


def _escape_like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _search_where(query: OrderQuery, *, with_group: bool = True) -> list[ColumnElement[bool]]:
    """Conditions on the narrow ``order_search`` table (see migration 0003)."""
    if query.group not in STATUS_GROUPS:
        raise ValueError(f"unknown status group {query.group!r}")
    conditions: list[ColumnElement[bool]] = [OrderSearchRecord.account_id == query.account_id]
    if with_group and query.group != "all":
        conditions.append(OrderSearchRecord.status_group == query.group)
    return conditions + _search_conditions(query.search)


def _where(query: OrderQuery, *, with_group: bool = True) -> list[ColumnElement[bool]]:
    if query.group not in STATUS_GROUPS:
        raise ValueError(f"unknown status group {query.group!r}")
    conditions: list[ColumnElement[bool]] = [OrderRecord.account_id == query.account_id]
    if with_group and query.group != "all":
        conditions.append(OrderRecord.status_group == query.group)
    if search_words(query.search):
        matching = select(OrderSearchRecord.order_id).where(*_search_where(query))
        conditions.append(OrderRecord.order_id.in_(matching))
    return conditions


def _date_order(table: Any, descending: bool) -> tuple[Any, Any]:
    if descending:
        return table.created.desc(), table.order_id.desc()
    return table.created.asc(), table.order_id.asc()


def _ordered(statement: Any, query: OrderQuery) -> Any:
    try:
        column = _SORT_COLUMNS[query.sort]
    except KeyError:
        raise ValueError(f"unknown sort key {query.sort!r}") from None
    if query.descending:
        return statement.order_by(column.desc(), OrderRecord.order_id.desc())
    return statement.order_by(column.asc(), OrderRecord.order_id.asc())


# -------------------------------------------------------------------------------- queries
def count_orders(session: Session, query: OrderQuery) -> int:
    if search_words(query.search):
        table = OrderSearchRecord
        statement = select(func.count()).select_from(table).where(*_search_where(query))
        return int(session.scalar(statement) or 0)
    statement = select(func.count()).select_from(OrderRecord).where(*_where(query))
    return int(session.scalar(statement) or 0)


#: Outbox states that mean "still to be sent" in the list's badge (see ``sync.outbox``).
_WAITING_STATES = frozenset({"pending", "sending", "uncertain"})
#: Statuses of an order that must not be shipped (besides unpaid processing orders).
_DO_NOT_SHIP = frozenset({"pending", "on-hold", "failed"})


def outbox_state_of(flags_json: str | None) -> str:
    """The list badge from ``orders.local["outbox"]`` (as JSON text; None when absent)."""
    if not flags_json:
        return ""
    try:
        flags = json.loads(flags_json)
    except ValueError:
        return ""
    states = {str(flag.get("state", "")) for flag in flags if isinstance(flag, dict)}
    if "failed" in states:
        return "failed"
    return "pending" if states & _WAITING_STATES else ""


def local_shipment_of(shipments_json: str | None) -> str:
    """The newest local shipment's method from ``orders.local["shipments"]`` ("" when none)."""
    if not shipments_json:
        return ""
    try:
        shipments = json.loads(shipments_json)
    except ValueError:
        return ""
    if not isinstance(shipments, list) or not shipments or not isinstance(shipments[-1], dict):
        return ""
    return str(shipments[-1].get("method", ""))


def ship_warning_of(
    vendor_status: str, main_status: str, display_status: str, paid: bool, payment_method: str
) -> str:
    """Why an order must not be shipped yet, as :func:`domain.rules.payment_warnings` and the
    detail pane see it: the whole order pending payment, on hold or failed, or the vendor's
    part still to ship (processing) without a recorded payment — ``"cod-unpaid"`` for cash on
    delivery, where the customer pays the carrier. "" when nothing stands in the way, and for
    orders past shipping (shipped, completed, cancelled, refunded, refund requested)."""
    if display_status not in ("processing", "pending", "on-hold", "failed"):
        return ""
    status = main_status or vendor_status
    if status in _DO_NOT_SHIP:
        return status
    if not paid and display_status == "processing":
        return "cod-unpaid" if payment_method == "cod" else "unpaid"
    return ""


def _row_statement() -> Any:
    o = OrderRecord
    return select(
        o.order_id,
        o.number,
        o.created,
        o.customer_name,
        o.items_summary,
        o.items_total,
        o.earning,
        o.currency,
        o.payment_title,
        o.paid,
        o.vendor_status,
        o.main_status,
        o.display_status,
        o.shipping_state,
        o.has_tracking,
        o.split,
        o.vanished_at,
        o.payment_method,
        # App-owned state: NULL for nearly every order, so reading it costs next to nothing.
        func.json_extract(o.local, "$.outbox").label("outbox_flags"),
        func.json_extract(o.local, "$.shipments").label("local_shipments"),
        func.json_extract(o.local, "$.printed.slip").label("slip_printed"),
    )


def _to_row(row: Any) -> OrderRow:
    return OrderRow(
        order_id=row.order_id,
        number=row.number,
        created=row.created,
        customer=row.customer_name,
        items_summary=row.items_summary,
        total=Decimal(row.items_total),
        earning=Decimal(row.earning) if row.earning is not None else Decimal(0),
        currency=row.currency,
        payment=row.payment_title,
        paid=row.paid is not None,
        vendor_status=row.vendor_status,
        main_status=row.main_status,
        display_status=row.display_status,
        shipping_state=row.shipping_state,
        has_tracking=bool(row.has_tracking),
        split=bool(row.split),
        vanished=row.vanished_at is not None,
        outbox=outbox_state_of(row.outbox_flags),
        ship_warning=ship_warning_of(
            row.vendor_status,
            row.main_status,
            row.display_status,
            row.paid is not None,
            row.payment_method,
        ),
        local_shipment=local_shipment_of(row.local_shipments),
        slip_printed=row.slip_printed if isinstance(row.slip_printed, str) else "",
    )


def fetch_rows(session: Session, query: OrderQuery, offset: int, limit: int) -> list[OrderRow]:
    """``limit`` rows of the list from ``offset`` on, in the query's order."""
    statement = _row_statement()
    if search_words(query.search) and query.sort == "date":
        # Page through the narrow table in date order, then read just that page's orders.
        page = (
            select(OrderSearchRecord.order_id)
            .where(*_search_where(query))
            .order_by(*_date_order(OrderSearchRecord, query.descending))
            .offset(max(0, offset))
            .limit(max(0, limit))
        )
        page_ids = page.subquery()
        # Drive from the page's (at most ``limit``) ids and look each order up by key.
        statement = statement.select_from(page_ids).join(
            OrderRecord,
            (OrderRecord.account_id == query.account_id)
            & (OrderRecord.order_id == page_ids.c.order_id),
        )
    else:
        statement = statement.where(*_where(query)).offset(max(0, offset)).limit(max(0, limit))
    statement = _ordered(statement, query)
    return [_to_row(row) for row in session.execute(statement)]


@functools.cache
def _rows_by_ids_statement() -> Any:
    """The list rows of some orders of an account (``account``, ``ids``): built once — a search
    keystroke reads a page of rows by key, and building the statement cost as much as running it."""
    return _row_statement().where(
        OrderRecord.account_id == bindparam("account"),
        OrderRecord.order_id.in_(bindparam("ids", expanding=True)),
    )


def fetch_rows_by_ids(session: Session, account_id: int, order_ids: list[int]) -> list[OrderRow]:
    """The list rows of these orders, in the order given (unknown ids are left out)."""
    if not order_ids:
        return []
    # Through the session's connection: the statement selects columns, not ORM entities, and
    # the ORM layer of ``Session.execute`` only added time (≈ 0.3 ms of 1.8 per 50 rows).
    found = session.connection().execute(
        _rows_by_ids_statement(), {"account": account_id, "ids": order_ids}
    )
    by_id = {row.order_id: _to_row(row) for row in found}
    return [by_id[order_id] for order_id in order_ids if order_id in by_id]


def group_counts(session: Session, account_id: int, search: str = "") -> dict[str, int]:
    """How many orders each status group holds (with the search applied); "all" included."""
    query = OrderQuery(account_id=account_id, search=search)
    # One pass over the narrow search table when searching; the group index otherwise.
    table = OrderSearchRecord if search_words(search) else OrderRecord
    where = (
        _search_where(query, with_group=False)
        if search_words(search)
        else _where(query, with_group=False)
    )
    statement = select(table.status_group, func.count()).where(*where).group_by(table.status_group)
    counts = dict.fromkeys(STATUS_GROUPS, 0)
    total = 0
    for group, count in session.execute(statement):
        total += count
        if group in counts:
            counts[group] = count
    counts["all"] = total
    return counts


def order_detail(session: Session, account_id: int, order_id: int) -> OrderDetail | None:
    record = session.get(OrderRecord, (account_id, order_id))
    if record is None:
        return None
    items = session.scalars(
        select(LineItemRecord).where(
            LineItemRecord.account_id == account_id, LineItemRecord.order_id == order_id
        )
    ).all()
    notes = session.scalars(
        select(NoteRecord)
        .where(NoteRecord.account_id == account_id, NoteRecord.order_id == order_id)
        .order_by(NoteRecord.date.desc(), NoteRecord.note_id.desc())
    ).all()
    return OrderDetail(
        order=record_to_order(record, items),
        notes=[record_to_note(note) for note in notes],
        as_of=record.last_seen_at,
        vanished=record.vanished_at is not None,
        local=dict(json.loads(record.local or "{}")),
    )


def order_ids(session: Session, account_id: int, *, include_vanished: bool = True) -> set[int]:
    conditions = [OrderRecord.account_id == account_id]
    if not include_vanished:
        conditions.append(OrderRecord.vanished_at.is_(None))
    return set(session.scalars(select(OrderRecord.order_id).where(and_(*conditions))))


# ------------------------------------------------------------------------------- accounts
def _account_info(row: AccountRow) -> AccountInfo:
    return AccountInfo(
        id=row.id,
        base_url=row.base_url,
        login=row.login,
        store_name=row.store_name,
        vendor_id=row.vendor_id,
        auth_method=row.auth_method,
    )


def list_accounts(session: Session) -> list[AccountInfo]:
    return [
        _account_info(row) for row in session.scalars(select(AccountRow).order_by(AccountRow.id))
    ]


def get_account(session: Session, account_id: int) -> AccountInfo | None:
    row = session.get(AccountRow, account_id)
    return None if row is None else _account_info(row)


def add_account(
    session: Session,
    base_url: str,
    login: str,
    store_name: str,
    vendor_id: int,
    auth_method: str,
) -> int:
    """Add an account (or update the one with the same site and login); returns its id.
    Never pass a secret here: passwords go to :class:`vendor_desk.secrets.SecretStore`."""
    existing = session.scalar(
        select(AccountRow).where(AccountRow.base_url == base_url, AccountRow.login == login)
    )
    if existing is not None:
        existing.store_name = store_name
        existing.vendor_id = vendor_id
        existing.auth_method = str(auth_method)
        session.flush()
        return existing.id
    row = AccountRow(
        base_url=base_url,
        login=login,
        store_name=store_name,
        vendor_id=vendor_id,
        auth_method=str(auth_method),
        settings_json="{}",
        created_at=datetime.now(UTC),
    )
    session.add(row)
    session.flush()
    return row.id


def remove_account(session: Session, account_id: int) -> None:
    """Delete an account and everything cached for it."""
    row = session.get(AccountRow, account_id)
    if row is not None:
        session.delete(row)


def sync_status(session: Session, account_id: int) -> SyncStatus:
    state = session.get(SyncStateRow, account_id)
    count = int(
        session.scalar(
            select(func.count())
            .select_from(OrderRecord)
            .where(OrderRecord.account_id == account_id)
        )
        or 0
    )
    if state is None:
        return SyncStatus(last_sync=None, first_sync_done=False, order_count=count)
    return SyncStatus(
        last_sync=state.last_sync_at,
        first_sync_done=state.first_sync_completed_at is not None,
        order_count=count,
        last_reconcile=state.last_reconcile_at,
        first_sync_in_progress=state.first_sync_next_page is not None,
        checked_since=checked_since(session, account_id),
        sweep_completed=state.sweep_completed_at,
    )


def checked_since(session: Session, account_id: int) -> datetime | None:
    """When the least recently read order the marketplace is expected to list was last read
    (None: none cached). Orders off the vendor's list — vanished, in the trash, cancelled as a
    whole — are not read again and do not count."""
    value = session.scalar(
        select(func.min(OrderRecord.last_seen_at)).where(
            OrderRecord.account_id == account_id,
            OrderRecord.vanished_at.is_(None),
            OrderRecord.display_status != TRASHED_DISPLAY,
            OrderRecord.main_status != "cancelled",
        )
    )
    return value if isinstance(value, datetime) else None


def pack_times(
    session: Session, account_id: int, start: datetime, end: datetime
) -> list[tuple[datetime, datetime]]:
    """(opened, shipped) of the orders shipped from the Pack view in [start, end)
    (``orders.local["pack"]``, UTC ISO texts written by ``vendor_desk.sync.pack_station``)."""
    opened = func.json_extract(OrderRecord.local, "$.pack.opened")
    # The path as a literal, as in the index on it (migration 0012), so that SQLite uses it.
    shipped = func.json_extract(OrderRecord.local, literal_column("'$.pack.shipped'"))
    rows = session.execute(
        select(opened, shipped).where(
            OrderRecord.account_id == account_id,
            shipped >= start.astimezone(UTC).isoformat(),
            shipped < end.astimezone(UTC).isoformat(),
        )
    ).all()
    found = []
    for opened_text, shipped_text in rows:
        try:
            found.append(
                (datetime.fromisoformat(opened_text), datetime.fromisoformat(shipped_text))
            )
        except (TypeError, ValueError):  # a damaged record: count the rest
            continue
    return found


# ============================================================================ scans
#: At most this many orders are listed for a scanned item (newest first).
ITEM_ORDERS_LIMIT = 50


def order_id_by_number(session: Session, account_id: int, number: str) -> int | None:
    """The cached order whose number is ``number`` (case-insensitive; the newest if a plugin
    numbered two alike), else the cached order whose id it is (WooCommerce's number is the
    id unless a plugin renumbers); None when the cache holds neither. Index lookups only
    (``ix_orders_account_number``, the primary key)."""
    found = session.scalar(
        select(OrderRecord.order_id)
        .where(
            OrderRecord.account_id == account_id,
            OrderRecord.number.collate("NOCASE") == number,
        )
        .order_by(OrderRecord.order_id.desc())
        .limit(1)
    )
    if found is None and number.isdigit() and len(number) <= 18:
        found = session.scalar(
            select(OrderRecord.order_id).where(
                OrderRecord.account_id == account_id, OrderRecord.order_id == int(number)
            )
        )
    return found


def order_ids_with_sku(
    session: Session, account_id: int, sku: str, limit: int = ITEM_ORDERS_LIMIT
) -> list[int]:
    """The cached orders carrying one of the vendor's items with this SKU (case-insensitive),
    newest (highest id) first, at most ``limit`` — read from ``ix_line_items_account_sku``
    alone."""
    if not sku:
        return []
    return list(
        session.scalars(
            select(LineItemRecord.order_id)
            .where(
                LineItemRecord.account_id == account_id,
                LineItemRecord.sku.collate("NOCASE") == sku,
            )
            .distinct()
            .order_by(LineItemRecord.order_id.desc())
            .limit(limit)
        )
    )


@dataclass(frozen=True)
class ShippedOrder:
    """How one order was shipped, for "the carrier this vendor used last for a country": its
    ship-to country, the tracking URLs on its items (the marketplace's) and its app-owned state
    (local shipments carry the carrier key)."""

    order_id: int
    created: datetime
    country: str
    tracking_urls: tuple[str, ...]
    local: dict[str, Any]


def recent_shipped_orders(
    session: Session, account_id: int, limit: int = 300
) -> list[ShippedOrder]:
    """The newest ``limit`` cached orders with tracking on the marketplace or a local shipment,
    newest first (read backwards along ``ix_orders_account_created``)."""
    country = func.coalesce(
        func.nullif(func.json_extract(OrderRecord.shipping_json, "$.country"), ""),
        func.json_extract(OrderRecord.billing_json, "$.country"),
        "",
    )
    rows = session.execute(
        select(OrderRecord.order_id, OrderRecord.created, country, OrderRecord.local)
        .where(
            OrderRecord.account_id == account_id,
            OrderRecord.has_tracking.is_(True) | OrderRecord.local.like('%"shipments"%'),
        )
        .order_by(OrderRecord.created.desc(), OrderRecord.order_id.desc())
        .limit(limit)
    ).all()
    urls: dict[int, list[str]] = {}
    if rows:
        for order_id, url in session.execute(
            select(LineItemRecord.order_id, LineItemRecord.tracking_url).where(
                LineItemRecord.account_id == account_id,
                LineItemRecord.order_id.in_([row[0] for row in rows]),
                LineItemRecord.tracking_url != "",
            )
        ):
            urls.setdefault(order_id, []).append(url)
    found = []
    for order_id, created, country_text, local_text in rows:
        try:
            local = dict(json.loads(local_text or "{}"))
        except (TypeError, ValueError):  # a damaged record: its tracking URLs still count
            local = {}
        found.append(
            ShippedOrder(
                order_id,
                created,
                str(country_text or "").upper(),
                tuple(urls.get(order_id, ())),
                local,
            )
        )
    return found


# ============================================================================ earnings
# The Earnings view (``vendor_desk.sync.earnings``): sums over a period's orders by SQL over the
# covering index ``ix_orders_account_earnings`` (migration 0013) — no order row, no raw JSON is
# read to open the view; the order parts themselves only when something needs them.

#: The order's status for the earnings: the vendor's, else the main status.
_EARNINGS_STATUS = "coalesce(nullif(o.vendor_status, ''), o.main_status)"
#: The earning of an order part (unknown: nothing).
_EARNING = "coalesce(o.earning_units, 0)"
_SHIPPING = "coalesce(o.shipping_units, 0)"
_TAX = "coalesce(o.tax_units, 0)"
_REFUNDS = "coalesce(o.refunds_units, 0)"
_COMPLETED = f"{_EARNINGS_STATUS} = 'completed'"
_PAID_OUT = "o.payout_state = 'completed'"
_REQUESTED = "o.payout_state = 'requested'"


def _sales_filter(not_sales: frozenset[str]) -> str:
    """The order parts that count: not vanished, not in the trash, and sales (not cancelled,
    failed or unpaid: ``not_sales``)."""
    statuses = ", ".join("'" + status.replace("'", "''") + "'" for status in sorted(not_sales))
    return (
        f"o.vanished_at IS NULL AND o.display_status != '{TRASHED_DISPLAY}' "
        f"AND {_EARNINGS_STATUS} NOT IN ({statuses})"
    )


#: The order parts behind each figure: those whose amount for it is not zero (SQL over ``o``).
EARNINGS_FIGURE_CONDITIONS = {
    "gross_sales": "o.items_total_units != 0",
    "earnings": f"{_EARNING} != 0",
    "kept_by_marketplace": (
        f"o.items_total_units + {_SHIPPING} + {_TAX} - {_REFUNDS} - {_EARNING} != 0"
    ),
    "shipping": f"{_SHIPPING} != 0",
    "tax": f"{_TAX} != 0",
    "refunds": f"{_REFUNDS} != 0",
    "paid_out": f"{_PAID_OUT} AND {_EARNING} != 0",
    "requested": f"{_REQUESTED} AND {_EARNING} != 0",
    "waiting": f"NOT ({_PAID_OUT} OR {_REQUESTED}) AND {_EARNING} != 0",
    "completed_gross": f"{_COMPLETED} AND o.items_total_units - {_REFUNDS} != 0",
    "completed_earnings": f"{_COMPLETED} AND {_EARNING} != 0",
}


def _stored(moment: datetime) -> str:
    """``moment`` as the cache stores datetimes (naive UTC text), for comparisons in SQL."""
    return moment.astimezone(UTC).isoformat(" ", "microseconds")[:26]


@dataclass(frozen=True)
class EarningsTotals:
    """The sums of the sales placed in one part of a period (a bar of the chart), in
    ``*_units`` (ten-thousandths)."""

    index: int
    orders: int
    items_total: int
    earning: int
    shipping: int
    tax: int
    refunds: int
    paid_out: int
    requested: int
    completed: int
    completed_items_total: int
    completed_refunds: int
    completed_earning: int
    #: The smallest and largest currency of its orders ("" is the default, USD).
    currencies: tuple[str, str]


#: Completed for the vendor (the vendor's status, else the main status), in comparisons only:
#: cheaper for SQLite than the function calls of :data:`_EARNINGS_STATUS` on every row.
_COMPLETED_PLAIN = (
    "(o.vendor_status = 'completed' OR (o.vendor_status = '' AND o.main_status = 'completed'))"
)


def earnings_totals(
    session: Session,
    account_id: int,
    spans: list[tuple[datetime, datetime]],
    not_sales: frozenset[str],
) -> list[EarningsTotals]:
    """The sums of the sales placed in each of ``spans`` (``[start, end)``; the bars of the
    chart): one query grouped by span only (no sorting), each span a range of the covering
    index ``ix_orders_account_earnings``. Spans without sales are not returned."""
    if not spans:
        return []
    values = ", ".join("(?, ?, ?)" for _ in spans)
    parameters: list[Any] = []
    for index, (start, end) in enumerate(spans):
        parameters += [index, _stored(start), _stored(end)]
    parameters.append(account_id)
    done = _COMPLETED_PLAIN
    sql = (
        f"WITH span(i, s, e) AS (VALUES {values}) "
        "SELECT span.i, count(*), sum(o.items_total_units), sum(o.earning_units), "
        "sum(o.shipping_units), sum(o.tax_units), sum(o.refunds_units), "
        "sum(CASE WHEN o.payout_state = 'completed' THEN o.earning_units END), "
        "sum(CASE WHEN o.payout_state = 'requested' THEN o.earning_units END), "
        f"sum({done}), sum(CASE WHEN {done} THEN o.items_total_units END), "
        f"sum(CASE WHEN {done} THEN o.refunds_units END), "
        f"sum(CASE WHEN {done} THEN o.earning_units END), "
        "min(o.currency), max(o.currency) "
        "FROM span JOIN orders AS o INDEXED BY ix_orders_account_earnings "
        "ON o.account_id = ? AND o.created >= span.s AND o.created < span.e "
        f"WHERE {_sales_filter(not_sales)} GROUP BY span.i"
    )
    rows = session.connection().exec_driver_sql(sql, tuple(parameters)).all()
    found = []
    for row in rows:  # sum() of integers is an integer (None when every value is None)
        index, *sums, lowest, highest = row
        fields: list[Any] = [index, *(x or 0 for x in sums), (lowest, highest)]
        found.append(EarningsTotals(*fields))
    return found


def earnings_best_sellers(
    session: Session,
    account_id: int,
    start: datetime,
    end: datetime,
    not_sales: frozenset[str],
    limit: int,
) -> list[tuple[str, str, int, int]]:
    """The ``limit`` products the sales placed in ``[start, end)`` sold most of: (name, sku,
    units, total in ``*_units``), the largest total first (then the most units, the name).

    The period's items are one range of ``ix_line_items_earnings`` (items carry their order's
    ``created``); the orders that do not count (not sales, vanished, in the trash: few) are
    left out by their ids."""
    sql = (
        "SELECT li.name, li.sku, sum(li.quantity) AS units, sum(li.total_units) AS total "
        "FROM line_items AS li INDEXED BY ix_line_items_earnings "
        "WHERE li.account_id = ? AND li.created >= ? AND li.created < ? "
        "AND li.order_id NOT IN (SELECT o.order_id FROM orders AS o "
        "INDEXED BY ix_orders_account_earnings "
        "WHERE o.account_id = ? AND o.created >= ? AND o.created < ? "
        f"AND NOT ({_sales_filter(not_sales)})) "
        "GROUP BY li.name, li.sku ORDER BY total DESC, units DESC, li.name LIMIT ?"
    )
    bounds = (_stored(start), _stored(end))
    parameters = (account_id, *bounds, account_id, *bounds, limit)
    return [
        (str(name), str(sku), int(units), int(total))
        for name, sku, units, total in session.connection().exec_driver_sql(sql, parameters)
    ]


def earnings_order_ids(
    session: Session,
    account_id: int,
    start: datetime,
    end: datetime,
    not_sales: frozenset[str],
    *,
    figure: str | None = None,
    product: tuple[str, str] | None = None,
) -> list[int]:
    """The sales placed in ``[start, end)``, in date order: all of them, those behind
    ``figure`` (:data:`EARNINGS_FIGURE_CONDITIONS`) or those that sold ``product`` (name,
    sku)."""
    where = [
        "o.account_id = ?",
        "o.created >= ?",
        "o.created < ?",
        _sales_filter(not_sales),
    ]
    parameters: list[Any] = [account_id, _stored(start), _stored(end)]
    if figure is not None:
        where.append(EARNINGS_FIGURE_CONDITIONS[figure])
    if product is not None:
        where.append(
            "EXISTS (SELECT 1 FROM line_items AS li WHERE li.account_id = o.account_id "
            "AND li.order_id = o.order_id AND li.name = ? AND li.sku = ?)"
        )
        parameters += list(product)
    sql = (
        "SELECT o.order_id FROM orders AS o INDEXED BY ix_orders_account_earnings "
        f"WHERE {' AND '.join(where)} ORDER BY o.created, o.order_id"
    )
    return [row[0] for row in session.connection().exec_driver_sql(sql, tuple(parameters))]


@dataclass(frozen=True)
class EarningsRow:
    """One cached order part for the earnings (``vendor_desk.sync.earnings``): the amounts as
    the cache holds them (decimal texts, the commission rows' ``*_units``)."""

    order_id: int
    number: str
    customer: str
    created: datetime
    paid: datetime | None
    completed: datetime | None
    currency: str
    items_total: str
    earning: str | None
    status: str
    payout_state: str
    payment_title: str
    shipping_units: int | None
    tax_units: int | None
    refunds_units: int | None
    payout_date: datetime | None


def earnings_rows(
    session: Session,
    account_id: int,
    start: datetime,
    end: datetime,
    not_sales: frozenset[str],
    *,
    by_paid: bool = False,
    order_ids: list[int] | None = None,
) -> list[EarningsRow]:
    """The sales placed in ``[start, end)`` — or paid in it (``by_paid``, the receipts book) —
    oldest first (placed, or paid), only ``order_ids`` when given."""
    when = OrderRecord.paid if by_paid else OrderRecord.created
    statement = (
        select(
            OrderRecord.order_id,
            OrderRecord.number,
            OrderRecord.customer_name,
            OrderRecord.created,
            OrderRecord.paid,
            OrderRecord.completed,
            OrderRecord.currency,
            OrderRecord.items_total,
            OrderRecord.earning,
            func.coalesce(func.nullif(OrderRecord.vendor_status, ""), OrderRecord.main_status),
            OrderRecord.payout_state,
            OrderRecord.payment_title,
            OrderRecord.shipping_units,
            OrderRecord.tax_units,
            OrderRecord.refunds_units,
            OrderRecord.payout_date,
        )
        .where(
            OrderRecord.account_id == account_id,
            when >= start,
            when < end,
            OrderRecord.vanished_at.is_(None),
            OrderRecord.display_status != TRASHED_DISPLAY,
            func.coalesce(
                func.nullif(OrderRecord.vendor_status, ""), OrderRecord.main_status
            ).not_in(sorted(not_sales)),
        )
        .order_by(when, OrderRecord.order_id)
    )
    rows: list[Any] = []
    if order_ids is None:
        rows = list(session.execute(statement).all())
    else:
        for chunk_start in range(0, len(order_ids), 500):
            chunk = order_ids[chunk_start : chunk_start + 500]
            rows += session.execute(statement.where(OrderRecord.order_id.in_(chunk))).all()
        rows.sort(key=lambda row: (row[4] if by_paid else row[3], row[0]))
    return [EarningsRow(*row) for row in rows]
