"""An index for the packing station's day counter (``queries.pack_times``): the orders shipped
from the Pack view, by when (``orders.local["pack"]["shipped"]``), so that the counter reads a
day's orders without reading every order's app-owned state.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05
"""

from __future__ import annotations

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "CREATE INDEX ix_orders_account_pack_shipped "
        "ON orders (account_id, json_extract(local, '$.pack.shipped'))"
    )


def downgrade() -> None:
    op.drop_index("ix_orders_account_pack_shipped", "orders")
