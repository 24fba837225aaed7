"""The outbox: the vendor's changes waiting to be sent to the marketplace.

Every action (status change, mark complete, note, tracking, message to the admin) is written here
first, in the same transaction as its optimistic change to the cached order, and sent later by
``vendor_desk.sync.outbox``. ``rollback_json`` keeps the values the optimistic change replaced;
``check_json`` what the exactly-once check compares against after an uncertain send.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "account_id",
            sa.Integer,
            sa.ForeignKey("accounts.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("order_id", sa.Integer, nullable=True),
        sa.Column("kind", sa.String, nullable=False),
        sa.Column("payload_json", sa.Text, nullable=False, server_default="{}"),
        sa.Column("state", sa.String, nullable=False, server_default="pending"),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("next_attempt_at", sa.DateTime, nullable=True),
        sa.Column("last_error", sa.Text, nullable=False, server_default=""),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("sent_at", sa.DateTime, nullable=True),
        sa.Column("rollback_json", sa.Text, nullable=False, server_default="{}"),
        sa.Column("check_json", sa.Text, nullable=False, server_default="{}"),
    )
    op.create_index("ix_outbox_account_state", "outbox", ["account_id", "state", "id"])
    op.create_index("ix_outbox_account_order", "outbox", ["account_id", "order_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_outbox_account_order", "outbox")
    op.drop_index("ix_outbox_account_state", "outbox")
    op.drop_table("outbox")
