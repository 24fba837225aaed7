"""Order fingerprints over the stored form of the values; one unused index less on ``orders``.

A fingerprint (``orders.fingerprint``, "equal = nothing the app shows changed") was the SHA-1 of
the ``repr`` of the column values as Python objects: aware datetimes (whose ``repr`` spells out
the site's timezone) and bools among them. It is now the SHA-1 of the ``repr`` of the values as
SQLite stores them — datetimes as naive-UTC text, flags as 0/1, the rest as they are — which is
about three times cheaper to compute during a sync and can be computed back from the columns.
This migration does that for every stored order, so an upgraded cache sees the marketplace's
next answer as unchanged (it would otherwise report every order changed once). An empty
fingerprint (an order changed optimistically by the outbox) stays empty: it means "rewrite".

``ix_orders_account_vendor_status`` is dropped: no query filters or sorts on the vendor status
(the list filters on ``status_group`` and sorts on ``display_status``), and every index costs
each insert of a first sync.

The formula and the column lists are written out here as they are at this revision; they must
give what ``vendor_desk.cache.store.fingerprint_of_rows`` gives (tests/cache/test_migrations.py).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

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
_DROPPED_INDEX = ("ix_orders_account_vendor_status", ["account_id", "vendor_status"])


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


def upgrade() -> None:
    connection = op.get_bind()
    orders = connection.exec_driver_sql(
        f"SELECT account_id, order_id, {', '.join(_ORDER_COLUMNS)} FROM orders "
        "WHERE fingerprint != '' ORDER BY account_id, order_id"
    )
    items = _items_by_order(connection)
    pending = next(items, None)
    updates: list[tuple[str, int, int]] = []
    for record in orders:  # both walks in (account_id, order_id) order
        key = (record[0], record[1])
        while pending is not None and pending[0] < key:
            pending = next(items, None)
        item_rows = pending[1] if pending is not None and pending[0] == key else []
        updates.append((_fingerprint(tuple(record[2:]), item_rows), key[0], key[1]))
    for start in range(0, len(updates), 1000):
        connection.exec_driver_sql(
            "UPDATE orders SET fingerprint = ? WHERE account_id = ? AND order_id = ?",
            updates[start : start + 1000],
        )
    op.drop_index(_DROPPED_INDEX[0], "orders")


def downgrade() -> None:
    op.create_index(_DROPPED_INDEX[0], "orders", _DROPPED_INDEX[1])
    # The previous formula needs the site's timezone, which the cache does not keep: a
    # fingerprint no hash equals makes the next sync merge and rewrite each order from the
    # marketplace's answer (reporting it changed once). Not empty: the outbox reads an empty
    # fingerprint as "changed optimistically, not rewritten yet".
    op.execute("UPDATE orders SET fingerprint = '-' WHERE fingerprint != ''")
