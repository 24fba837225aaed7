"""Periods and their chart buckets; summarise() on hand-made lines (issue 17)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from vendor_desk.domain import Money
from vendor_desk.domain.earnings import Bucket, EarningsLine, Period, SoldItem, summarise


def test_periods() -> None:
    day = date(2026, 11, 18)  # a Wednesday
    assert Period.this_week(day) == Period(date(2026, 11, 16), date(2026, 11, 22))
    assert Period.this_month(day) == Period(date(2026, 11, 1), date(2026, 11, 30))
    assert Period.last_month(date(2026, 1, 5)) == Period(date(2025, 12, 1), date(2025, 12, 31))
    assert Period.this_year(day) == Period(date(2026, 1, 1), date(2026, 12, 31))
    assert Period.month("2024-02") == Period(date(2024, 2, 1), date(2024, 2, 29))
    assert Period.last_7_days(day) == Period(date(2026, 11, 11), day)
    with pytest.raises(ValueError, match="YYYY-MM"):
        Period.month("novembre")
    with pytest.raises(ValueError, match="before it starts"):
        Period.between(day, day - timedelta(days=1))


def test_buckets() -> None:
    assert Period.this_month(date(2026, 11, 3)).bucket is Bucket.DAY
    quarter = Period.between(date(2026, 1, 1), date(2026, 3, 31))
    assert quarter.bucket is Bucket.WEEK
    starts = quarter.bucket_starts()
    assert starts[0] == date(2026, 1, 1) and starts[1] == date(2026, 1, 5)  # then Mondays
    assert all(s.weekday() == 0 for s in starts[1:]) and len(starts) == 14
    year = Period.this_year(date(2026, 5, 1))
    assert year.bucket is Bucket.MONTH
    assert year.bucket_starts() == [date(2026, m, 1) for m in range(1, 13)]


def line(order_id: int, when: datetime, status: str, payout: str, earning: str) -> EarningsLine:
    return EarningsLine.of(
        order_id=order_id,
        number=str(order_id),
        customer="Ann",
        currency="EUR",
        items_total=Decimal("20.00"),
        shipping=Decimal("5"),
        tax=Decimal("1.10"),
        earning=Decimal(earning),
        refunds=Decimal("0"),
        status=status,
        payout_state=payout,
        date_created=when,
        date_paid=when,
        items=(SoldItem("Mug", "MUG", 2, Money(Decimal(20), "EUR")),),
    )


def test_summarise_days_in_the_vendors_time_zone() -> None:
    paris = timezone(timedelta(hours=1))
    period = Period.month("2026-11")
    lines = [
        # 30 November 23:30 UTC is 1 December in Paris: not November there.
        line(1, datetime(2026, 11, 30, 23, 30, tzinfo=UTC), "completed", "completed", "18.00"),
        line(2, datetime(2026, 11, 2, 10, tzinfo=UTC), "processing", "requested", "18.10"),
        line(3, datetime(2026, 11, 2, 11, tzinfo=UTC), "cancelled", "", "18.00"),
        line(4, datetime(2026, 10, 31, 23, 30, tzinfo=UTC), "completed", "", "17.00"),
    ]
    in_paris = summarise(lines, period, tz=paris)
    assert [each.order_id for each in in_paris.lines] == [4, 2]
    assert in_paris.earnings.amount == Decimal("35.10")
    assert in_paris.requested.amount == Decimal("18.10")
    assert in_paris.waiting.amount == Decimal("17.00")
    assert in_paris.completed_earnings.amount == Decimal("17.00")
    assert in_paris.kept_by_marketplace.amount == Decimal("26.10") * 2 - Decimal("35.10")
    assert in_paris.buckets[0].start == date(2026, 11, 1) and in_paris.buckets[0].order_ids == (4,)
    assert in_paris.best_sellers[0].units == 4 and in_paris.best_sellers[0].order_ids == (4, 2)
    in_utc = summarise(lines, period, tz=UTC)
    assert [each.order_id for each in in_utc.lines] == [2, 1]
    assert in_utc.paid_out.amount == Decimal("18.00")
    assert in_utc.order_ids("paid_out") == (1,)
    empty = summarise([], period, tz=UTC, currency="EUR")
    assert empty.earnings.is_zero and len(empty.buckets) == 30


def test_the_receipts_book_follows_the_date_of_payment() -> None:
    """Placed on 31 October, paid on 2 November: a sale of October (its figures), a receipt of
    November's book — not October's."""
    import dataclasses

    from vendor_desk.domain.earnings import receipts

    placed = datetime(2026, 10, 31, 15, tzinfo=UTC)
    late = dataclasses.replace(
        line(1, placed, "completed", "", "18.00"), date_paid=datetime(2026, 11, 2, 9, tzinfo=UTC)
    )
    on_time = line(2, datetime(2026, 11, 5, 10, tzinfo=UTC), "processing", "", "18.00")
    unpaid = dataclasses.replace(
        line(3, datetime(2026, 11, 6, 10, tzinfo=UTC), "processing", "", "18.00"), date_paid=None
    )
    lines = [late, on_time, unpaid]
    october = summarise(lines, Period.month("2026-10"), tz=UTC)
    november = summarise(lines, Period.month("2026-11"), tz=UTC)
    assert [each.order_id for each in october.lines] == [1]
    assert receipts(october) == []
    assert [each.order_id for each in november.lines] == [2, 3]
    book = receipts(november)
    assert [(r.order_id, r.date.date()) for r in book] == [
        (1, date(2026, 11, 2)),
        (2, date(2026, 11, 5)),
    ]
    assert book[0].amount.amount == Decimal("26.10")
