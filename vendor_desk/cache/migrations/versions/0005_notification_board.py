"""The notification board: what the app derives from each notification, and pending mark-reads.

``order_id`` is the order a notification is about (parsed once from its text), ``kind`` its
category for the board's icon (new order, status update, refund, message, shipment …) and
``pending_read`` says the vendor marked it read in the app and the marketplace has not been told
yet (``vendor_desk.sync.notifications`` sends it and clears the flag).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("notifications") as batch:
        batch.add_column(sa.Column("order_id", sa.Integer, nullable=True))
        batch.add_column(sa.Column("kind", sa.String, nullable=False, server_default=""))
        batch.add_column(
            sa.Column("pending_read", sa.Boolean, nullable=False, server_default=sa.false())
        )
    op.create_index(
        "ix_notifications_account_board", "notifications", ["account_id", "read", "created"]
    )


def downgrade() -> None:
    op.drop_index("ix_notifications_account_board", "notifications")
    with op.batch_alter_table("notifications") as batch:
        batch.drop_column("pending_read")
        batch.drop_column("kind")
        batch.drop_column("order_id")
