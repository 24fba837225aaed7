"""Indexes for scans at the packing table (``vendor_desk.sync.scan``): an order by its number
and the orders carrying an item by its SKU, both case-insensitive (a scanner types what the
barcode holds; SKUs are kept as the shop spells them), so that a scan resolves with one index
lookup in a 100,000-order cache.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05
"""

from __future__ import annotations

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "CREATE INDEX ix_orders_account_number "
        "ON orders (account_id, number COLLATE NOCASE, order_id)"
    )
    op.execute(
        "CREATE INDEX ix_line_items_account_sku "
        "ON line_items (account_id, sku COLLATE NOCASE, order_id)"
    )


def downgrade() -> None:
    op.drop_index("ix_line_items_account_sku", "line_items")
    op.drop_index("ix_orders_account_number", "orders")
