"""Stored list columns after two rules of the order list changed.

* A processing order with a refund request waiting and items still to ship stays in "To ship"
  (marked "refund requested") instead of moving to "Refund requested", where it could be
  forgotten while the admin decides.
* A processing order of virtual or downloadable items only shows "nothing to ship" (complete
  it) in the shipping column instead of "no shipping needed".

``status_group`` and ``shipping_state`` are derived when an order is written
(``vendor_desk.cache.store``); this recomputes them for the orders the new rules move, with the
rules written out here as they are at this revision. Their fingerprint is emptied ("rewrite
with the marketplace's next copy"), since it hashed the old values.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_TO_PACK = (
    "EXISTS (SELECT 1 FROM line_items AS li WHERE li.account_id = orders.account_id "
    "AND li.order_id = orders.order_id AND (li.shippable IS NULL OR li.shippable = 1) "
    "AND li.tracking_code = '' AND li.tracking_url = '' AND li.refund_state != 'refunded')"
)


def upgrade() -> None:
    op.execute(
        "UPDATE orders SET status_group = 'to_ship', fingerprint = '' "
        "WHERE status_group = 'refund_requested' "
        "AND (CASE WHEN vendor_status = '' THEN main_status ELSE vendor_status END) = 'processing' "
        "AND main_status NOT IN ('cancelled', 'refunded', 'failed') "
        "AND shipping_status NOT IN ('shipped', 'completed') "
        "AND COALESCE(json_extract(local, '$.shipped_locally'), 0) != 1 "
        f"AND {_TO_PACK}"
    )
    op.execute(
        "UPDATE orders SET shipping_state = 'nothing to ship', fingerprint = '' "
        "WHERE status_group = 'to_ship' AND shipping_state = 'no shipping needed'"
    )


def downgrade() -> None:
    op.execute(
        "UPDATE orders SET shipping_state = 'no shipping needed', fingerprint = '' "
        "WHERE shipping_state = 'nothing to ship'"
    )
    op.execute(
        "UPDATE orders SET status_group = 'refund_requested', fingerprint = '' "
        "WHERE status_group = 'to_ship' AND display_status = 'refund-requested'"
    )
