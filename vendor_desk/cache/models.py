"""The cache's tables as SQLAlchemy 2 typed ORM classes.

Conventions:

* Money is stored exactly as TEXT decimal strings (``"12.50"``); every amount the list sorts by
  also has an integer ``*_units`` twin holding the amount in ten-thousandths (``12.50`` →
  ``125000``) so ``ORDER BY`` is numerically right and indexable.
* Datetimes are stored in UTC (naive in SQLite, made aware again by :class:`UtcDateTime`).
* Nothing secret is ever stored here: passwords live in the OS keyring (``vendor_desk.secrets``).
* ``orders.local`` is JSON owned by the app (slip printed at, pending flags …). Sync never
  writes it.

The schema itself is created by the Alembic migrations in ``vendor_desk/cache/migrations``; these
classes must match them (a test compares the two).
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

#: Scale of the integer ``*_units`` sort columns (ten-thousandths of the currency unit).
UNITS_PER_CURRENCY_UNIT = 10_000


def money_units(amount: Decimal | None) -> int | None:
    """``amount`` as integer ten-thousandths (for sorting); None stays None."""
    if amount is None:
        return None
    return int((amount * UNITS_PER_CURRENCY_UNIT).to_integral_value())


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware datetime stored as naive UTC (SQLite has no timezones)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; give a timezone")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    pass


class AccountRow(Base):
    """A marketplace account the app works with. No secrets here."""

    __tablename__ = "accounts"
    __table_args__ = (UniqueConstraint("base_url", "login", name="uq_accounts_site_login"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    base_url: Mapped[str] = mapped_column(String)
    login: Mapped[str] = mapped_column(String)
    store_name: Mapped[str] = mapped_column(String, default="")
    vendor_id: Mapped[int] = mapped_column(Integer, default=0)
    auth_method: Mapped[str] = mapped_column(String, default="")
    settings_json: Mapped[str] = mapped_column(Text, default="{}")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class OrderRecord(Base):
    """One order as the vendor sees it (the vendor's items only; totals are whole-order)."""

    __tablename__ = "orders"
    __table_args__ = (
        Index("ix_orders_account_created", "account_id", "created", "order_id"),
        Index("ix_orders_account_group_created", "account_id", "status_group", "created"),
        Index("ix_orders_account_shipping", "account_id", "shipping_state"),
        Index("ix_orders_account_total", "account_id", "items_total_units"),
        Index("ix_orders_account_earning", "account_id", "earning_units"),
        Index("ix_orders_account_customer", "account_id", "customer_sort"),
        Index("ix_orders_account_items", "account_id", "items_summary"),
        Index("ix_orders_account_payment", "account_id", "payment_title"),
        Index("ix_orders_account_display_status", "account_id", "display_status"),
        #: A scanned order number (migration 0011).
        Index("ix_orders_account_number", "account_id", text("number COLLATE NOCASE"), "order_id"),
        Index(
            "ix_orders_account_pack_shipped",
            "account_id",
            text("json_extract(local, '$.pack.shipped')"),
        ),
        #: The Earnings view's figures and bars (migration 0013): a period's orders with every
        #: column the sums and their filters read, so no order row is read.
        Index(
            "ix_orders_account_earnings",
            "account_id",
            "created",
            "order_id",
            "vendor_status",
            "main_status",
            "display_status",
            "vanished_at",
            "payout_state",
            "currency",
            "items_total_units",
            "earning_units",
            "shipping_units",
            "tax_units",
            "refunds_units",
        ),
        #: The receipts book: the orders paid in a period (migration 0013).
        Index("ix_orders_account_paid", "account_id", "paid"),
    )

    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    order_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String)
    vendor_status: Mapped[str] = mapped_column(String, default="")
    main_status: Mapped[str] = mapped_column(String, default="")
    shipping_status: Mapped[str] = mapped_column(String, default="")
    payout_state: Mapped[str] = mapped_column(String, default="")
    #: Derived at write time: the filter group (see ``queries.STATUS_GROUPS``).
    status_group: Mapped[str] = mapped_column(String, default="")
    #: Derived at write time: what the status column shows. "trashed" (``store.TRASHED_DISPLAY``)
    #: is also where the cache keeps that the store admin moved the order to the trash.
    display_status: Mapped[str] = mapped_column(String, default="unknown")
    #: Derived at write time: "not shipped", "shipped · 2 parcels" …
    shipping_state: Mapped[str] = mapped_column(String, default="")
    created: Mapped[datetime] = mapped_column(UtcDateTime)
    modified: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    paid: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    completed: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    payment_method: Mapped[str] = mapped_column(String, default="")
    payment_title: Mapped[str] = mapped_column(String, default="")
    customer_id: Mapped[int] = mapped_column(Integer, default=0)
    customer_name: Mapped[str] = mapped_column(String, default="")
    customer_sort: Mapped[str] = mapped_column(String, default="")
    customer_email: Mapped[str] = mapped_column(String, default="")
    customer_phone: Mapped[str] = mapped_column(String, default="")
    billing_json: Mapped[str] = mapped_column(Text, default="{}")
    shipping_json: Mapped[str] = mapped_column(Text, default="{}")
    customer_note: Mapped[str] = mapped_column(Text, default="")
    currency: Mapped[str] = mapped_column(String, default="")
    total: Mapped[str] = mapped_column(String, default="0")
    shipping_total: Mapped[str] = mapped_column(String, default="0")
    items_total: Mapped[str] = mapped_column(String, default="0")
    items_total_units: Mapped[int] = mapped_column(Integer, default=0)
    earning: Mapped[str | None] = mapped_column(String, nullable=True)
    earning_units: Mapped[int | None] = mapped_column(Integer, nullable=True)
    #: The vendor's commission rows (``vendor_order_details``) as ``*_units`` (migration 0013):
    #: shipping, tax (items' and shipping's), refunds; None when the marketplace's answer had
    #: no commission rows (the single-order route), kept from an earlier answer then.
    shipping_units: Mapped[int | None] = mapped_column(Integer, nullable=True)
    tax_units: Mapped[int | None] = mapped_column(Integer, nullable=True)
    refunds_units: Mapped[int | None] = mapped_column(Integer, nullable=True)
    #: When the marketplace paid the vendor's earning out (``commission_paid_date``).
    payout_date: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    split: Mapped[bool] = mapped_column(Boolean, default=False)
    refund_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    foreign_item_ids: Mapped[str] = mapped_column(String, default="[]")
    items_summary: Mapped[str] = mapped_column(String, default="")
    item_count: Mapped[int] = mapped_column(Integer, default=0)
    has_tracking: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Lower-cased number, customer, e-mail, SKUs and product names, for search.
    search_text: Mapped[str] = mapped_column(Text, default="")
    #: Hash of everything stored from the server except raw JSON: equal = nothing changed.
    fingerprint: Mapped[str] = mapped_column(String, default="")
    vanished_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    first_seen_at: Mapped[datetime] = mapped_column(UtcDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime)
    notes_synced_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    raw_json: Mapped[str] = mapped_column(Text, default="{}")
    #: App-owned state (slip printed, pending actions …); never written by sync.
    local: Mapped[str] = mapped_column(Text, default="{}")


class OrderSearchRecord(Base):
    """What the list's search scans: a narrow copy of each order's key, status group, date and
    lower-cased search text. Kept in step with ``orders`` by triggers (migration 0003); never
    written by the application. Deleted with its order (foreign key, cascade)."""

    __tablename__ = "order_search"
    __table_args__ = (
        ForeignKeyConstraint(
            ["account_id", "order_id"],
            ["orders.account_id", "orders.order_id"],
            ondelete="CASCADE",
        ),
        Index("ix_order_search_created", "account_id", "created", "status_group", "search_text"),
        {"sqlite_with_rowid": False},
    )

    account_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    status_group: Mapped[str] = mapped_column(String, default="")
    created: Mapped[datetime] = mapped_column(UtcDateTime)
    search_text: Mapped[str] = mapped_column(Text, default="")


class LineItemRecord(Base):
    """One of the vendor's items in an order."""

    __tablename__ = "line_items"
    __table_args__ = (
        ForeignKeyConstraint(
            ["account_id", "order_id"],
            ["orders.account_id", "orders.order_id"],
            ondelete="CASCADE",
        ),
        Index("ix_line_items_order", "account_id", "order_id"),
        #: The orders carrying a scanned SKU, newest (highest id) first (migration 0011).
        Index("ix_line_items_account_sku", "account_id", text("sku COLLATE NOCASE"), "order_id"),
        #: The Earnings view's best sellers: a period's items by one range, without reading
        #: the item rows (migration 0013).
        Index(
            "ix_line_items_earnings",
            "account_id",
            "created",
            "order_id",
            "name",
            "sku",
            "quantity",
            "total_units",
        ),
    )

    account_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(Integer)
    #: The order's ``created`` (written with the item; migration 0013), for the best sellers.
    created: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    product_id: Mapped[int] = mapped_column(Integer, default=0)
    variation_id: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String, default="")
    sku: Mapped[str] = mapped_column(String, default="")
    quantity: Mapped[int] = mapped_column(Integer, default=0)
    subtotal: Mapped[str] = mapped_column(String, default="0")
    total: Mapped[str] = mapped_column(String, default="0")
    #: ``total`` in ten-thousandths, for the best sellers' sums (migration 0013).
    total_units: Mapped[int] = mapped_column(Integer, default=0)
    tax: Mapped[str] = mapped_column(String, default="0")
    price: Mapped[str] = mapped_column(String, default="0")
    commission: Mapped[str | None] = mapped_column(String, nullable=True)
    refund_state: Mapped[str] = mapped_column(String, default="")
    refunded_quantity: Mapped[int | None] = mapped_column(Integer, nullable=True)
    refunded_amount: Mapped[str | None] = mapped_column(String, nullable=True)
    tracking_code: Mapped[str] = mapped_column(String, default="")
    tracking_url: Mapped[str] = mapped_column(String, default="")
    shippable: Mapped[bool | None] = mapped_column(Boolean, nullable=True)


class NoteRecord(Base):
    """An order note (newest first when listed)."""

    __tablename__ = "notes"
    __table_args__ = (
        ForeignKeyConstraint(
            ["account_id", "order_id"],
            ["orders.account_id", "orders.order_id"],
            ondelete="CASCADE",
        ),
        Index("ix_notes_order", "account_id", "order_id", "date"),
    )

    account_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    note_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(Integer)
    date: Mapped[datetime] = mapped_column(UtcDateTime)
    text: Mapped[str] = mapped_column(Text, default="")
    html: Mapped[str] = mapped_column(Text, default="")
    customer_visible: Mapped[bool] = mapped_column(Boolean, default=False)
    author: Mapped[str] = mapped_column(String, default="")


class NotificationRecord(Base):
    """An entry of the marketplace's notification board (read and written by
    :mod:`vendor_desk.cache.notifications`)."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_account_board", "account_id", "read", "created"),)

    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    notification_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message: Mapped[str] = mapped_column(Text, default="")
    type: Mapped[str] = mapped_column(String, default="")
    created: Mapped[datetime] = mapped_column(UtcDateTime)
    read: Mapped[bool] = mapped_column(Boolean, default=False)
    #: The order the text mentions ("Order #24"), parsed once when stored.
    order_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    #: Category for the board (``cache.notifications.NotificationKind`` values).
    kind: Mapped[str] = mapped_column(String, default="")
    #: Read in the app, the marketplace not told yet (sync sends it, then clears this).
    pending_read: Mapped[bool] = mapped_column(Boolean, default=False)
    #: A new "#N order status updated to …" naming ``order_id``: the sync reads that order
    #: again (whatever its group), then clears this (migration 0009).
    recheck: Mapped[bool] = mapped_column(Boolean, default=False)


class RefundRequestRecord(Base):
    """A refund request the vendor filed."""

    __tablename__ = "refund_requests"
    __table_args__ = (Index("ix_refund_requests_order", "account_id", "order_id"),)

    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    request_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(Integer)
    item_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    amount: Mapped[str] = mapped_column(String, default="0")
    currency: Mapped[str] = mapped_column(String, default="")
    mode: Mapped[str] = mapped_column(String, default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String, default="")
    date: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class SyncStateRow(Base):
    """Per account: when each kind of sync last completed, and the first sync's cursor."""

    __tablename__ = "sync_state"

    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    first_sync_started_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    first_sync_completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    #: Next page the interrupted first sync reads (None when no first sync is under way).
    first_sync_next_page: Mapped[int | None] = mapped_column(Integer, nullable=True)
    last_sync_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    last_routine_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    last_reconcile_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    last_error: Mapped[str] = mapped_column(Text, default="")
    #: The sweep (migration 0010): the next page it reads, when its current pass over the
    #: whole order list began, and when the last pass ended.
    sweep_next_page: Mapped[int | None] = mapped_column(Integer, nullable=True)
    sweep_started_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    sweep_completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


def json_default(value: Any) -> Any:
    """``json.dumps`` fallback: Decimals (the client parses JSON numbers into them) as text."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


class OutboxRecord(Base):
    """One change the vendor made, waiting to be (or already) sent to the marketplace.

    Written and read by :mod:`vendor_desk.sync.outbox` only (see there for the states).
    ``payload_json`` is plain data (status, note text and kind, item ids + code + URL, message);
    ``rollback_json`` the cached values the optimistic change replaced; ``check_json`` what the
    exactly-once check after an uncertain send compares with (e.g. the newest note id before).
    """

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_account_state", "account_id", "state", "id"),
        Index("ix_outbox_account_order", "account_id", "order_id", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    #: None for messages to the store admin.
    order_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    kind: Mapped[str] = mapped_column(String)
    payload_json: Mapped[str] = mapped_column(Text, default="{}")
    state: Mapped[str] = mapped_column(String, default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    #: The marketplace's own message of the last failure (plain text).
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    rollback_json: Mapped[str] = mapped_column(Text, default="{}")
    check_json: Mapped[str] = mapped_column(Text, default="{}")


class InvoiceNumberRecord(Base):
    """The local store-invoice number of one order (migration 0007).

    Written by :mod:`vendor_desk.documents.numbering` only: ``sequence`` is the account's
    counter (unique, gap-free, never reused), ``number`` the printed text as formatted when the
    number was assigned.
    """

    __tablename__ = "invoice_numbers"
    __table_args__ = (
        UniqueConstraint("account_id", "sequence", name="uq_invoice_numbers_account_sequence"),
    )

    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    order_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sequence: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String)
    assigned_at: Mapped[datetime] = mapped_column(UtcDateTime)
