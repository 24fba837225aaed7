"""A narrow search table for the order list, and indexes for the remaining sort keys.

The order list searches substrings of number, customer, e-mail, SKUs and product names. A
``LIKE '%…%'`` over ``orders`` reads every order row, raw JSON included (about 4 KB each):
300 ms per keystroke on 50,000 orders. ``order_search`` holds only what a search needs (key,
status group, date, the case-folded search text: about 150 bytes an order), clustered by
account, so the same scan reads a few megabytes. Triggers keep it in step with ``orders``;
nothing else writes it.

(An FTS5 trigram index was tried first: it is fast for rare words but slower than this scan for
common ones — "@example" matches every order — and it cannot serve one- or two-letter words.)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_SORT_INDEXES = {
    "ix_orders_account_items": ["account_id", "items_summary"],
    "ix_orders_account_payment": ["account_id", "payment_title"],
    "ix_orders_account_display_status": ["account_id", "display_status"],
}

_COLUMNS = "account_id, order_id, status_group, created, search_text"


def upgrade() -> None:
    op.create_table(
        "order_search",
        sa.Column("account_id", sa.Integer, primary_key=True),
        sa.Column("order_id", sa.Integer, primary_key=True),
        sa.Column("status_group", sa.String, nullable=False, server_default=""),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("search_text", sa.Text, nullable=False, server_default=""),
        sa.ForeignKeyConstraint(
            ["account_id", "order_id"],
            ["orders.account_id", "orders.order_id"],
            ondelete="CASCADE",
        ),
        # Clustered by (account, order): a search scans one contiguous range, no lookups.
        sqlite_with_rowid=False,
    )
    # Covering: the date-ordered page of a search is read from the index alone.
    op.create_index(
        "ix_order_search_created",
        "order_search",
        ["account_id", "created", "status_group", "search_text"],
    )
    op.execute(f"INSERT INTO order_search ({_COLUMNS}) SELECT {_COLUMNS} FROM orders")
    op.execute(
        "CREATE TRIGGER orders_search_insert AFTER INSERT ON orders BEGIN "
        f"INSERT INTO order_search ({_COLUMNS}) VALUES (new.account_id, new.order_id, "
        "new.status_group, new.created, new.search_text); END"
    )
    op.execute(
        "CREATE TRIGGER orders_search_update "
        "AFTER UPDATE OF status_group, created, search_text ON orders BEGIN "
        "UPDATE order_search SET status_group = new.status_group, created = new.created, "
        "search_text = new.search_text "
        "WHERE account_id = new.account_id AND order_id = new.order_id; END"
    )
    for name, columns in _SORT_INDEXES.items():
        op.create_index(name, "orders", columns)


def downgrade() -> None:
    for name in _SORT_INDEXES:
        op.drop_index(name, "orders")
    op.execute("DROP TRIGGER orders_search_update")
    op.execute("DROP TRIGGER orders_search_insert")
    op.drop_table("order_search")
