"""Local store-invoice numbers: one per order and account, assigned once, never reused.

When an order carries no store invoice number of the marketplace's own (WCFM Ultimate's
``_wcfm_store_invoice_ids``), Vendor Desk numbers the vendor's store invoice itself from a
per-account sequence (``vendor_desk.documents.numbering``). ``sequence`` is the plain counter
(1, 2, 3 …; unique per account, so no number is ever handed out twice), ``number`` the text
printed as it was formatted when assigned (prefix, zero padding, suffix) — changing the prefix
later does not renumber invoices already issued.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "invoice_numbers",
        sa.Column(
            "account_id",
            sa.Integer,
            sa.ForeignKey("accounts.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("order_id", sa.Integer, primary_key=True),
        sa.Column("sequence", sa.Integer, nullable=False),
        sa.Column("number", sa.String, nullable=False),
        sa.Column("assigned_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("account_id", "sequence", name="uq_invoice_numbers_account_sequence"),
    )


def downgrade() -> None:
    op.drop_table("invoice_numbers")
