"""Local store-invoice numbers (table ``invoice_numbers``, migration 0007).

An order gets its number when its store invoice is first *issued* — printed, saved as a PDF
or written by ``vendor-desk print invoice`` — never by a preview (:func:`issue_in_session`);
the moment of issue is kept with the number as the invoice date (``assigned_at``), so printing
it again gives the same number and the same date. Numbers come from one counter per account:
the next is one more than the highest ever handed out, taken inside a write transaction
(``BEGIN IMMEDIATE``), and the pair (account, counter) is unique — so numbers are unique and
gap-free, also across restarts and with two windows printing at once. Numbers are never
deleted (an order vanishing from the marketplace keeps its row), so none is ever reused.

When the order carries the marketplace's own store-invoice number, that one is printed instead
and no local number is used up.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from vendor_desk.cache import Cache
from vendor_desk.cache.models import InvoiceNumberRecord
from vendor_desk.documents.model import DocumentSettings


def format_invoice_number(sequence: int, settings: DocumentSettings) -> str:
    """``prefix`` + counter zero-padded to ``invoice_padding`` digits + ``suffix``."""
    return (
        f"{settings.invoice_prefix}{sequence:0{settings.invoice_padding}d}{settings.invoice_suffix}"
    )


def issued_number(session: Session, account_id: int, order_id: int) -> tuple[str, datetime] | None:
    """The order's local number and its issue date, if its invoice was issued (reads only)."""
    record = session.get(InvoiceNumberRecord, (account_id, order_id))
    return None if record is None else (record.number, record.assigned_at)


def issue_in_session(
    session: Session,
    account_id: int,
    order_id: int,
    settings: DocumentSettings,
    *,
    now: datetime | None = None,
) -> tuple[str, datetime]:
    """The order's local number and issue date, issuing the next number (dated ``now``) if
    the order has none yet. Call inside a write session (``cache.session(write=True)``) and
    only when the invoice is really issued (printed, saved, written to a file)."""
    issued = issued_number(session, account_id, order_id)
    if issued is not None:
        return issued
    highest = session.scalar(
        select(func.max(InvoiceNumberRecord.sequence)).where(
            InvoiceNumberRecord.account_id == account_id
        )
    )
    sequence = int(highest or 0) + 1
    moment = now or datetime.now(UTC)
    record = InvoiceNumberRecord(
        account_id=account_id,
        order_id=order_id,
        sequence=sequence,
        number=format_invoice_number(sequence, settings),
        assigned_at=moment,
    )
    session.add(record)
    session.flush()
    return record.number, moment


def issue_invoice_numbers(
    cache: Cache,
    account_id: int,
    order_ids: Sequence[int],
    settings: DocumentSettings,
    *,
    now: datetime | None = None,
) -> dict[int, tuple[str, datetime]]:
    """Local numbers (and issue dates) for ``order_ids``, issued in the order given where
    missing, in one transaction."""
    with cache.session(write=True) as session:
        return {
            order_id: issue_in_session(session, account_id, order_id, settings, now=now)
            for order_id in order_ids
        }
