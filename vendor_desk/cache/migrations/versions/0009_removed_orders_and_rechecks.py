"""Orders the store admin took away leave every filter but "all"; notifications can ask for an
order to be read again.

* An order the marketplace no longer has (``vanished_at``: deleted, or not the vendor's any more)
  or that the store admin moved to the trash is in the list group ``removed`` (no filter of its
  own: "all" only) and shows "removed" / "trashed" in the status column. ``display_status``
  "trashed" is where the cache keeps that an order is in the trash (``vendor_desk.cache.store``
  derives both columns when an order is written, and ``mark_vanished`` sets them). The caches
  of earlier versions knew no trash, but kept vanished orders in their old group ("To ship" …):
  this moves them, with the rule written out here as it is at this revision. Their fingerprint
  stays: an order that comes back is rewritten whole anyway.
* ``notifications.recheck``: a new "#N order status updated to …" the vendor did not cause
  (``vendor_desk.cache.notifications``); the sync reads order N again and clears it. Existing
  notifications are old news (0).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("notifications") as batch:
        batch.add_column(
            sa.Column("recheck", sa.Boolean, nullable=False, server_default=sa.false())
        )
    op.execute(
        "UPDATE orders SET status_group = 'removed', display_status = 'removed', "
        "shipping_state = CASE WHEN shipping_state = 'nothing to ship' "
        "THEN 'no shipping needed' ELSE shipping_state END "
        "WHERE vanished_at IS NOT NULL"
    )


def downgrade() -> None:
    # The earlier rules cannot be recomputed here: an empty group is "unknown" to them (an
    # open order, refreshed by the next routine sync) and an empty fingerprint "rewrite with
    # the marketplace's next copy".
    op.execute(
        "UPDATE orders SET status_group = '', display_status = 'unknown', fingerprint = '' "
        "WHERE status_group = 'removed'"
    )
    with op.batch_alter_table("notifications") as batch:
        batch.drop_column("recheck")
