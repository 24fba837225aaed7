"""Initial schema: accounts, orders, line items, notes, notifications, refund requests, sync state.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("base_url", sa.String, nullable=False),
        sa.Column("login", sa.String, nullable=False),
        sa.Column("store_name", sa.String, nullable=False, server_default=""),
        sa.Column("vendor_id", sa.Integer, nullable=False, server_default="0"),
        sa.Column("auth_method", sa.String, nullable=False, server_default=""),
        sa.Column("settings_json", sa.Text, nullable=False, server_default="{}"),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("base_url", "login", name="uq_accounts_site_login"),
    )
    op.create_table(
        "orders",
        sa.Column(
            "account_id",
            sa.Integer,
            sa.ForeignKey("accounts.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("order_id", sa.Integer, primary_key=True),
        sa.Column("number", sa.String, nullable=False),
        sa.Column("vendor_status", sa.String, nullable=False, server_default=""),
        sa.Column("main_status", sa.String, nullable=False, server_default=""),
        sa.Column("shipping_status", sa.String, nullable=False, server_default=""),
        sa.Column("payout_state", sa.String, nullable=False, server_default=""),
        sa.Column("status_group", sa.String, nullable=False, server_default=""),
        sa.Column("display_status", sa.String, nullable=False, server_default="unknown"),
        sa.Column("shipping_state", sa.String, nullable=False, server_default=""),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("modified", sa.DateTime, nullable=True),
        sa.Column("paid", sa.DateTime, nullable=True),
        sa.Column("completed", sa.DateTime, nullable=True),
        sa.Column("payment_method", sa.String, nullable=False, server_default=""),
        sa.Column("payment_title", sa.String, nullable=False, server_default=""),
        sa.Column("customer_id", sa.Integer, nullable=False, server_default="0"),
        sa.Column("customer_name", sa.String, nullable=False, server_default=""),
        sa.Column("customer_sort", sa.String, nullable=False, server_default=""),
        sa.Column("customer_email", sa.String, nullable=False, server_default=""),
        sa.Column("customer_phone", sa.String, nullable=False, server_default=""),
        sa.Column("billing_json", sa.Text, nullable=False, server_default="{}"),
        sa.Column("shipping_json", sa.Text, nullable=False, server_default="{}"),
        sa.Column("customer_note", sa.Text, nullable=False, server_default=""),
        sa.Column("currency", sa.String, nullable=False, server_default=""),
        sa.Column("total", sa.String, nullable=False, server_default="0"),
        sa.Column("shipping_total", sa.String, nullable=False, server_default="0"),
        sa.Column("items_total", sa.String, nullable=False, server_default="0"),
        sa.Column("items_total_units", sa.Integer, nullable=False, server_default="0"),
        sa.Column("earning", sa.String, nullable=True),
        sa.Column("earning_units", sa.Integer, nullable=True),
        sa.Column("split", sa.Boolean, nullable=False, server_default="0"),
        sa.Column("refund_requested", sa.Boolean, nullable=False, server_default="0"),
        sa.Column("foreign_item_ids", sa.String, nullable=False, server_default="[]"),
        sa.Column("items_summary", sa.String, nullable=False, server_default=""),
        sa.Column("item_count", sa.Integer, nullable=False, server_default="0"),
        sa.Column("has_tracking", sa.Boolean, nullable=False, server_default="0"),
        sa.Column("search_text", sa.Text, nullable=False, server_default=""),
        sa.Column("fingerprint", sa.String, nullable=False, server_default=""),
        sa.Column("vanished_at", sa.DateTime, nullable=True),
        sa.Column("first_seen_at", sa.DateTime, nullable=False),
        sa.Column("last_seen_at", sa.DateTime, nullable=False),
        sa.Column("notes_synced_at", sa.DateTime, nullable=True),
        sa.Column("raw_json", sa.Text, nullable=False, server_default="{}"),
        sa.Column("local", sa.Text, nullable=False, server_default="{}"),
    )
    op.create_index("ix_orders_account_created", "orders", ["account_id", "created", "order_id"])
    op.create_index(
        "ix_orders_account_group_created", "orders", ["account_id", "status_group", "created"]
    )
    op.create_table(
        "line_items",
        sa.Column("account_id", sa.Integer, primary_key=True),
        sa.Column("item_id", sa.Integer, primary_key=True),
        sa.Column("order_id", sa.Integer, nullable=False),
        sa.Column("position", sa.Integer, nullable=False, server_default="0"),
        sa.Column("product_id", sa.Integer, nullable=False, server_default="0"),
        sa.Column("variation_id", sa.Integer, nullable=False, server_default="0"),
        sa.Column("name", sa.String, nullable=False, server_default=""),
        sa.Column("sku", sa.String, nullable=False, server_default=""),
        sa.Column("quantity", sa.Integer, nullable=False, server_default="0"),
        sa.Column("subtotal", sa.String, nullable=False, server_default="0"),
        sa.Column("total", sa.String, nullable=False, server_default="0"),
        sa.Column("tax", sa.String, nullable=False, server_default="0"),
        sa.Column("price", sa.String, nullable=False, server_default="0"),
        sa.Column("commission", sa.String, nullable=True),
        sa.Column("refund_state", sa.String, nullable=False, server_default=""),
        sa.Column("refunded_quantity", sa.Integer, nullable=True),
        sa.Column("refunded_amount", sa.String, nullable=True),
        sa.Column("tracking_code", sa.String, nullable=False, server_default=""),
        sa.Column("tracking_url", sa.String, nullable=False, server_default=""),
        sa.Column("shippable", sa.Boolean, nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id", "order_id"],
            ["orders.account_id", "orders.order_id"],
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_line_items_order", "line_items", ["account_id", "order_id"])
    op.create_table(
        "notes",
        sa.Column("account_id", sa.Integer, primary_key=True),
        sa.Column("note_id", sa.Integer, primary_key=True),
        sa.Column("order_id", sa.Integer, nullable=False),
        sa.Column("date", sa.DateTime, nullable=False),
        sa.Column("text", sa.Text, nullable=False, server_default=""),
        sa.Column("html", sa.Text, nullable=False, server_default=""),
        sa.Column("customer_visible", sa.Boolean, nullable=False, server_default="0"),
        sa.Column("author", sa.String, nullable=False, server_default=""),
        sa.ForeignKeyConstraint(
            ["account_id", "order_id"],
            ["orders.account_id", "orders.order_id"],
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_notes_order", "notes", ["account_id", "order_id", "date"])
    op.create_table(
        "notifications",
        sa.Column(
            "account_id",
            sa.Integer,
            sa.ForeignKey("accounts.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("notification_id", sa.Integer, primary_key=True),
        sa.Column("message", sa.Text, nullable=False, server_default=""),
        sa.Column("type", sa.String, nullable=False, server_default=""),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("read", sa.Boolean, nullable=False, server_default="0"),
    )
    op.create_table(
        "refund_requests",
        sa.Column(
            "account_id",
            sa.Integer,
            sa.ForeignKey("accounts.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("request_id", sa.Integer, primary_key=True),
        sa.Column("order_id", sa.Integer, nullable=False),
        sa.Column("item_id", sa.Integer, nullable=True),
        sa.Column("amount", sa.String, nullable=False, server_default="0"),
        sa.Column("currency", sa.String, nullable=False, server_default=""),
        sa.Column("mode", sa.String, nullable=False, server_default=""),
        sa.Column("reason", sa.Text, nullable=False, server_default=""),
        sa.Column("status", sa.String, nullable=False, server_default=""),
        sa.Column("date", sa.DateTime, nullable=True),
    )
    op.create_index("ix_refund_requests_order", "refund_requests", ["account_id", "order_id"])
    op.create_table(
        "sync_state",
        sa.Column(
            "account_id",
            sa.Integer,
            sa.ForeignKey("accounts.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("first_sync_started_at", sa.DateTime, nullable=True),
        sa.Column("first_sync_completed_at", sa.DateTime, nullable=True),
        sa.Column("first_sync_next_page", sa.Integer, nullable=True),
        sa.Column("last_sync_at", sa.DateTime, nullable=True),
        sa.Column("last_routine_at", sa.DateTime, nullable=True),
        sa.Column("last_reconcile_at", sa.DateTime, nullable=True),
        sa.Column("last_error", sa.Text, nullable=False, server_default=""),
    )


def downgrade() -> None:
    for table in ("sync_state", "refund_requests", "notifications", "notes", "line_items"):
        op.drop_table(table)
    op.drop_table("orders")
    op.drop_table("accounts")
