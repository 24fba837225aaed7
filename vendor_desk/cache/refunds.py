"""The vendor's refund requests in the cache (table ``refund_requests``): stored from the
marketplace's list, read back for the Refunds view and the order detail. No Qt.

The marketplace's vendor list has no item id (its rows are per item, but the item is not
shown); a value the cache already holds is kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import Session

from vendor_desk.cache.models import RefundRequestRecord
from vendor_desk.domain import Money, RefundMode, RefundRequest, RefundRequestStatus


@dataclass(frozen=True)
class RequestChange:
    """A request as stored, with its status before (None: not known before)."""

    request: RefundRequest
    previous: RefundRequestStatus | None

    @property
    def decided(self) -> bool:
        """Approved or rejected since it was last seen waiting."""
        return (
            self.previous is RefundRequestStatus.REQUESTED
            and self.request.status is not RefundRequestStatus.REQUESTED
        )


def _status(text: str) -> RefundRequestStatus | None:
    try:
        return RefundRequestStatus(text)
    except ValueError:
        return None


def record_to_request(record: RefundRequestRecord) -> RefundRequest:
    try:
        amount = Decimal(record.amount or "0")
    except InvalidOperation:
        amount = Decimal(0)
    return RefundRequest(
        id=record.request_id,
        order_id=record.order_id,
        amount=Money(amount, record.currency or "USD"),
        mode=RefundMode(record.mode) if record.mode in ("full", "partial") else RefundMode.PARTIAL,
        reason=record.reason,
        status=_status(record.status) or RefundRequestStatus.REQUESTED,
        date=record.date,
        item_id=record.item_id,
    )


def store_refund_requests(
    session: Session, account_id: int, requests: Sequence[RefundRequest]
) -> list[RequestChange]:
    """Insert or update ``requests``; what changed (new ones and changed statuses), by id."""
    ids = [request.id for request in requests]
    known = {
        record.request_id: record
        for record in session.scalars(
            select(RefundRequestRecord).where(
                RefundRequestRecord.account_id == account_id,
                RefundRequestRecord.request_id.in_(ids),
            )
        )
    }
    changes: list[RequestChange] = []
    for request in sorted(requests, key=lambda r: r.id):
        record = known.get(request.id)
        previous = None if record is None else _status(record.status)
        if record is None:
            record = RefundRequestRecord(account_id=account_id, request_id=request.id)
            session.add(record)
        record.order_id = request.order_id
        record.item_id = request.item_id if request.item_id is not None else record.item_id
        record.amount = f"{request.amount.amount:f}"
        record.currency = request.amount.currency
        record.mode = request.mode.value
        record.reason = request.reason
        record.status = request.status.value
        record.date = request.date or record.date
        if previous is None or previous is not request.status:
            changes.append(RequestChange(request, previous))
    session.flush()
    return changes


def list_refund_requests(
    session: Session,
    account_id: int,
    *,
    order_id: int | None = None,
    status: RefundRequestStatus | None = None,
) -> list[RefundRequest]:
    """The cached requests, newest first (by date, then id); optionally of one order / status."""
    query = select(RefundRequestRecord).where(RefundRequestRecord.account_id == account_id)
    if order_id is not None:
        query = query.where(RefundRequestRecord.order_id == order_id)
    if status is not None:
        query = query.where(RefundRequestRecord.status == status.value)
    records = session.scalars(query).all()
    requests = [record_to_request(record) for record in records]
    requests.sort(key=lambda r: (r.date.timestamp() if r.date else 0.0, r.id), reverse=True)
    return requests


__all__ = ["RequestChange", "list_refund_requests", "record_to_request", "store_refund_requests"]
