"""Indexes for the order list's filters and sort keys on large caches (100,000 orders).

Revision ID: 0002
Revises: 0001
Create Date: 2025-01-02
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_INDEXES = {
    "ix_orders_account_vendor_status": ["account_id", "vendor_status"],
    "ix_orders_account_shipping": ["account_id", "shipping_state"],
    "ix_orders_account_total": ["account_id", "items_total_units"],
    "ix_orders_account_earning": ["account_id", "earning_units"],
    "ix_orders_account_customer": ["account_id", "customer_sort"],
}


def upgrade() -> None:
    for name, columns in _INDEXES.items():
        op.create_index(name, "orders", columns)


def downgrade() -> None:
    for name in _INDEXES:
        op.drop_index(name, "orders")
