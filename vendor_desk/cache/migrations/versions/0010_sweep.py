"""The sweep: every order read again within a bound, a few pages per routine sync.

The daily all-or-nothing reconcile walk is replaced by a walk spread over the routine syncs
(``vendor_desk.sync.syncer``): ``sweep_next_page`` is the next page of the order list it reads,
``sweep_started_at`` when the current pass over the whole list began (an order still expected on
the list and not seen since then is read alone once the pass ends), ``sweep_completed_at`` when
the last pass ended.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sync_state") as table:
        table.add_column(sa.Column("sweep_next_page", sa.Integer, nullable=True))
        table.add_column(sa.Column("sweep_started_at", sa.DateTime, nullable=True))
        table.add_column(sa.Column("sweep_completed_at", sa.DateTime, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sync_state") as table:
        table.drop_column("sweep_completed_at")
        table.drop_column("sweep_started_at")
        table.drop_column("sweep_next_page")
