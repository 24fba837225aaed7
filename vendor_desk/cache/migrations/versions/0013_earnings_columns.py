"""The Earnings view's numbers as columns: the vendor's commission rows' shipping, tax, refunds
and payout date on ``orders``; each item's total as ``line_items.total_units``, and its order's
``created`` on the item; an index the period's sums read without touching an order row, one for
the orders paid in a period (the receipts book) and one giving a period's items with their
names, SKUs, quantities and totals (the best sellers).

Until now the figures read ``vendor_order_details`` out of each order's raw JSON
(``json_extract``) and added them up in Python: 3.6 s for a year of a 100,000-order cache. The
columns are filled by the cache's store on every write (``store.commission_values_of``); this
migration fills them once from the stored raw JSON and item totals, then recomputes every
fingerprint (the new columns are part of what is stored from the server: without this the next
sync would report every order changed once). An empty fingerprint (an order changed
optimistically by the outbox) stays empty.

The formulas and the column lists are written out here as they are at this revision; they must
give what ``vendor_desk.cache.store`` gives (tests/cache/test_migrations.py).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

_UNITS = 10_000
_EARNINGS_INDEX = (
    "ix_orders_account_earnings",
    [
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
    ],
)
_PAID_INDEX = ("ix_orders_account_paid", ["account_id", "paid"])
_ITEMS_INDEX = (
    "ix_line_items_earnings",
    ["account_id", "created", "order_id", "name", "sku", "quantity", "total_units"],
)

_ORDER_COLUMNS = (
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
    "shipping_units",
    "tax_units",
    "refunds_units",
    "payout_date",
    "split",
    "refund_requested",
    "foreign_item_ids",
    "items_summary",
    "item_count",
    "has_tracking",
    "search_text",
)
_ITEM_COLUMNS = (
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


def _units(value: Any) -> int:
    if value is None or value == "" or isinstance(value, bool):
        return 0
    try:
        amount = Decimal(str(value))
    except (ArithmeticError, InvalidOperation):
        return 0
    if not amount.is_finite():
        return 0
    return int((amount * _UNITS).to_integral_value())


def _site_time(text: Any) -> datetime | None:
    if not text or not isinstance(text, str):
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return None if moment.year < 1971 else moment.replace(tzinfo=None)


def _stored_time(moment: datetime | None) -> str | None:
    """As the store writes a datetime: naive UTC text with microseconds."""
    return None if moment is None else moment.isoformat(" ", "microseconds")[:26]


def _commission_values(details_text: str | None, created_text: str) -> tuple[Any, ...]:
    """(shipping_units, tax_units, refunds_units, payout_date) of ``vendor_order_details``."""
    try:
        details = json.loads(details_text) if details_text else None
    except ValueError:
        details = None
    if not isinstance(details, dict):
        return (None, None, None, None)
    payout: datetime | None = None
    paid = _site_time(details.get("commission_paid_date"))
    if paid is not None:
        local_created = _site_time(details.get("created"))
        offset = timedelta(0)
        if local_created is not None:
            created = datetime.fromisoformat(created_text).replace(tzinfo=None)
            offset = timedelta(minutes=round((local_created - created).total_seconds() / 60))
        payout = (paid - offset).replace(tzinfo=UTC)
    return (
        _units(details.get("shipping")),
        _units(details.get("tax")) + _units(details.get("shipping_tax_amount")),
        _units(details.get("refunded_amount")),
        _stored_time(payout),
    )


def _fingerprint(row: tuple[Any, ...], item_rows: list[tuple[Any, ...]]) -> str:
    payload = repr((row, tuple(item_rows)))
    return hashlib.sha1(payload.encode("utf-8"), usedforsecurity=False).hexdigest()


def _items_by_order(connection: Any) -> Iterator[tuple[tuple[int, int], list[tuple[Any, ...]]]]:
    """((account_id, order_id), item rows in position order), in key order."""
    result = connection.exec_driver_sql(
        f"SELECT account_id, order_id, {', '.join(_ITEM_COLUMNS)} FROM line_items "
        "ORDER BY account_id, order_id, position"
    )
    key: tuple[int, int] | None = None
    rows: list[tuple[Any, ...]] = []
    for record in result:
        here = (record[0], record[1])
        if here != key:
            if key is not None:
                yield key, rows
            key, rows = here, []
        rows.append(tuple(record[2:]))
    if key is not None:
        yield key, rows


def _chunks(rows: list[Any], size: int = 5000) -> Iterator[list[Any]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def upgrade() -> None:
    # ALTER TABLE … ADD COLUMN (not a batch copy: ``orders`` keeps its triggers)
    op.add_column("orders", sa.Column("shipping_units", sa.Integer, nullable=True))
    op.add_column("orders", sa.Column("tax_units", sa.Integer, nullable=True))
    op.add_column("orders", sa.Column("refunds_units", sa.Integer, nullable=True))
    op.add_column("orders", sa.Column("payout_date", sa.DateTime, nullable=True))
    op.add_column(
        "line_items", sa.Column("total_units", sa.Integer, nullable=False, server_default="0")
    )
    op.add_column("line_items", sa.Column("created", sa.DateTime, nullable=True))
    connection = op.get_bind()

    items = [
        (_units(total), account_id, item_id)
        for account_id, item_id, total in connection.exec_driver_sql(
            "SELECT account_id, item_id, total FROM line_items"
        )
    ]
    for chunk in _chunks(items):
        connection.exec_driver_sql(
            "UPDATE line_items SET total_units = ? WHERE account_id = ? AND item_id = ?", chunk
        )
    connection.exec_driver_sql(
        "UPDATE line_items SET created = (SELECT created FROM orders "
        "WHERE orders.account_id = line_items.account_id "
        "AND orders.order_id = line_items.order_id)"
    )
    orders = [
        (*_commission_values(details, created), account_id, order_id)
        for account_id, order_id, created, details in connection.exec_driver_sql(
            "SELECT account_id, order_id, created, raw_json -> '$.vendor_order_details' "
            "FROM orders WHERE json_valid(raw_json)"
        )
    ]
    for chunk in _chunks(orders):
        connection.exec_driver_sql(
            "UPDATE orders SET shipping_units = ?, tax_units = ?, refunds_units = ?, "
            "payout_date = ? WHERE account_id = ? AND order_id = ?",
            chunk,
        )

    records = connection.exec_driver_sql(
        f"SELECT account_id, order_id, {', '.join(_ORDER_COLUMNS)} FROM orders "
        "WHERE fingerprint != '' ORDER BY account_id, order_id"
    )
    item_walk = _items_by_order(connection)
    pending = next(item_walk, None)
    fingerprints: list[tuple[str, int, int]] = []
    for record in records:  # both walks in (account_id, order_id) order
        key = (record[0], record[1])
        while pending is not None and pending[0] < key:
            pending = next(item_walk, None)
        item_rows = pending[1] if pending is not None and pending[0] == key else []
        fingerprints.append((_fingerprint(tuple(record[2:]), item_rows), key[0], key[1]))
    for chunk in _chunks(fingerprints):
        connection.exec_driver_sql(
            "UPDATE orders SET fingerprint = ? WHERE account_id = ? AND order_id = ?", chunk
        )
    op.create_index(_EARNINGS_INDEX[0], "orders", _EARNINGS_INDEX[1])
    op.create_index(_PAID_INDEX[0], "orders", _PAID_INDEX[1])
    op.create_index(_ITEMS_INDEX[0], "line_items", _ITEMS_INDEX[1])


def downgrade() -> None:
    op.drop_index(_ITEMS_INDEX[0], "line_items")
    op.drop_index(_PAID_INDEX[0], "orders")
    op.drop_index(_EARNINGS_INDEX[0], "orders")
    # SQLite's own DROP COLUMN (3.35+; a batch copy would lose the triggers of ``orders``)
    op.execute("ALTER TABLE line_items DROP COLUMN created")
    op.execute("ALTER TABLE line_items DROP COLUMN total_units")
    for column in ("payout_date", "refunds_units", "tax_units", "shipping_units"):
        op.execute(f"ALTER TABLE orders DROP COLUMN {column}")
    # The fingerprints of 0012 had no such columns: a fingerprint no hash equals makes the next
    # sync rewrite each order from the marketplace's answer (not empty: see 0006).
    op.execute("UPDATE orders SET fingerprint = '-' WHERE fingerprint != ''")
