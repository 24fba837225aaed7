"""Refund requests in the cache: merge of the marketplace's list, decisions detected once,
item ids kept, newest first, per order."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from vendor_desk.cache import Cache, add_account, open_cache
from vendor_desk.cache.refunds import list_refund_requests, store_refund_requests
from vendor_desk.domain import Money, RefundMode, RefundRequest, RefundRequestStatus

R = RefundRequestStatus


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[tuple[Cache, int]]:
    opened = open_cache(tmp_path / "data")
    with opened.session() as session:
        account_id = add_account(session, "http://shop.test", "vendor_a", "Alpha", 2, "jwt")
    yield opened, account_id
    opened.close()


def request(
    request_id: int, order_id: int, status: R, day: int, item_id: int | None = None
) -> RefundRequest:
    return RefundRequest(
        id=request_id,
        order_id=order_id,
        amount=Money(Decimal("12.50"), "EUR"),
        mode=RefundMode.PARTIAL,
        reason="Chipped",
        status=status,
        date=datetime(2026, 11, day, 16, 9, tzinfo=UTC),
        item_id=item_id,
    )


def test_store_list_and_decisions(cache: tuple[Cache, int]) -> None:
    db, account = cache
    with db.session(write=True) as session:
        changes = store_refund_requests(
            session,
            account,
            [request(1, 19, R.REQUESTED, 20, item_id=3), request(2, 22, R.REQUESTED, 27)],
        )
    assert [(c.request.id, c.previous, c.decided) for c in changes] == [
        (1, None, False),
        (2, None, False),
    ]
    with db.session(write=True) as session:  # the list again: nothing changed
        assert store_refund_requests(session, account, [request(2, 22, R.REQUESTED, 27)]) == []
    with db.session(write=True) as session:  # the vendor list has no item id
        changes = store_refund_requests(
            session, account, [request(1, 19, R.APPROVED, 20), request(2, 22, R.REJECTED, 27)]
        )
    assert [(c.request.id, c.previous, c.decided) for c in changes] == [
        (1, R.REQUESTED, True),
        (2, R.REQUESTED, True),
    ]
    with db.session() as session:
        listed = list_refund_requests(session, account)
        assert [(r.id, r.status) for r in listed] == [(2, R.REJECTED), (1, R.APPROVED)]
        [only] = list_refund_requests(session, account, order_id=19)
        assert only.item_id == 3 and only.amount == Money(Decimal("12.5"), "EUR")
        assert only.date == datetime(2026, 11, 20, 16, 9, tzinfo=UTC)
        assert [r.id for r in list_refund_requests(session, account, status=R.REJECTED)] == [2]


def test_first_seen_already_decided_is_not_a_decision(cache: tuple[Cache, int]) -> None:
    db, account = cache
    with db.session(write=True) as session:
        [change] = store_refund_requests(session, account, [request(5, 30, R.APPROVED, 1)])
    assert change.previous is None and not change.decided
