"""Earnings over a period (issue 17): the figures from a real synced cache against sums computed
independently from the simulator's commission rows, the completed-only figures against the
simulator's own ``sales-stats``, and the exports read back (csv, openpyxl, pypdf)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pypdf
import pytest
from openpyxl import load_workbook

from tests.sync.conftest import Env, make_env
from vendor_desk.documents import DocumentSettings, format_money
from vendor_desk.documents.receipts_book import render_receipts_book
from vendor_desk.domain.earnings import FIGURES, EarningsSummary, Period, receipts
from vendor_desk.sync import earnings


@pytest.fixture(scope="module")
def synced(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Env]:
    """The generated demo shop (400 orders over two years), synced once for the module."""
    for env in make_env(tmp_path_factory.mktemp("earnings"), orders=400):
        env.syncer().sync()
        yield env


def today() -> date:
    return datetime.now(UTC).date()


@dataclass
class Expected:
    order_ids: list[int]
    figures: dict[str, Decimal]


def expected_from_commissions(env: Env, period: Period) -> Expected:
    """The figures summed straight from the simulator's commission rows (UTC days): each order
    of the vendor placed in the period, its status and payout those of its newest row (as the
    list route's ``vendor_order_details`` gives them), cancelled/failed/unpaid orders left out."""
    state = env.sim.state
    vendor = state.user_by_login(env.login)
    assert vendor is not None
    sums = dict.fromkeys(FIGURES, Decimal(0))
    ids = []
    with state.lock:
        for order_id in state.vendor_order_ids(vendor.id):
            rows = [r for r in state.commissions_of_order(order_id, vendor.id) if not r.is_trashed]
            if not rows:
                continue
            first = max(rows, key=lambda row: row.ID)
            day = first.created.date()
            if not period.start <= day <= period.end:
                continue
            if first.commission_status in ("cancelled", "failed", "pending"):
                continue
            ids.append(order_id)

            def total(attr: str, rows: list = rows) -> Decimal:  # type: ignore[type-arg]
                return sum((getattr(row, attr) for row in rows), Decimal(0))

            items, earning = total("item_total"), total("total_commission")
            shipping, refunds = total("shipping"), total("refunded_amount")
            tax = total("tax") + total("shipping_tax_amount")
            sums["gross_sales"] += items
            sums["earnings"] += earning
            sums["shipping"] += shipping
            sums["tax"] += tax
            sums["refunds"] += refunds
            sums["kept_by_marketplace"] += items + shipping + tax - refunds - earning
            payout = first.withdraw_status
            key = {"completed": "paid_out", "requested": "requested"}.get(payout, "waiting")
            sums[key] += earning
            if first.commission_status == "completed":
                sums["completed_gross"] += items - refunds
                sums["completed_earnings"] += earning
    return Expected(sorted(ids), sums)


PERIODS = {
    "this year": lambda d: Period.this_year(d),
    "last month": lambda d: Period.last_month(d),
    "last 7 days": lambda d: Period.last_7_days(d),
    "a quarter last year": lambda d: Period.between(
        date(d.year - 1, 4, 1), date(d.year - 1, 6, 30)
    ),
}


@pytest.mark.parametrize("name", list(PERIODS))
def test_figures_equal_the_commission_rows(synced: Env, name: str) -> None:
    period = PERIODS[name](today())
    summary = earnings.load_summary(synced.cache, synced.account_id, period, tz=UTC)
    expected = expected_from_commissions(synced, period)
    assert expected.order_ids, "the dataset has orders in the period"
    assert sorted(line.order_id for line in summary.lines) == expected.order_ids
    for figure in FIGURES:
        assert summary.figure(figure).amount == expected.figures[figure], figure
    assert summary.waiting + summary.paid_out + summary.requested == summary.earnings
    assert sum((b.total.amount for b in summary.buckets), Decimal(0)) == summary.earnings.amount
    assert sorted(i for b in summary.buckets for i in b.order_ids) == expected.order_ids


def test_orders_behind_each_figure(synced: Env) -> None:
    summary = earnings.load_summary(
        synced.cache, synced.account_id, Period.this_year(today()), tz=UTC
    )
    by_id = {line.order_id: line for line in summary.lines}
    refunded = summary.order_ids("refunds")
    assert refunded and all(not by_id[i].refunds.is_zero for i in refunded)
    assert sum((by_id[i].refunds.amount for i in refunded), Decimal(0)) == summary.refunds.amount
    paid = summary.order_ids("paid_out")
    assert paid and {by_id[i].payout_state for i in paid} == {"completed"}
    waiting = set(summary.order_ids("waiting"))
    assert waiting and not waiting & set(paid)
    assert sum((by_id[i].earning.amount for i in waiting), Decimal(0)) == summary.waiting.amount


@pytest.mark.parametrize("window", ["week", "month", "last_month"])
def test_completed_figures_equal_the_marketplaces_sales_stats(synced: Env, window: str) -> None:
    with synced.client() as market:
        stats = earnings.marketplace_figures(market)
    day = today()
    period = {
        "week": Period.last_7_days,
        "month": Period.this_month,
        "last_month": Period.last_month,
    }[window](day)
    assert earnings.stats_window(period, day) == window
    summary = earnings.load_summary(synced.cache, synced.account_id, period, tz=UTC)
    assert summary.completed_gross.rounded() == getattr(stats.gross_sales, window)
    assert summary.completed_earnings.rounded() == getattr(stats.earnings, window)
    sentences = earnings.compare(summary, stats, today=day)
    assert any("agree" in sentence for sentence in sentences)
    if any(not line.is_completed for line in summary.lines):
        assert any("completed orders only" in sentence for sentence in sentences)


def test_a_difference_is_explained(synced: Env) -> None:
    """Figures the cache does not have (the marketplace moved on since the sync) are said,
    with both amounts."""
    day = today()
    summary = earnings.load_summary(synced.cache, synced.account_id, Period.last_month(day), tz=UTC)
    with synced.client() as market:
        stats = earnings.marketplace_figures(market)
    from dataclasses import replace

    more = replace(
        stats,
        earnings=replace(
            stats.earnings, last_month=stats.earnings.last_month + stats.earnings.last_month
        ),
    )
    sentences = earnings.compare(summary, more, today=day)
    assert any(more.earnings.last_month.format() in s and "sync" in s for s in sentences)
    other = earnings.compare(summary, stats, today=date(day.year - 3, 1, 1))
    assert other and "no" in other[0].lower()


def _decimal(text: str) -> Decimal:
    return Decimal(text) if text else Decimal(0)


def year_summary(env: Env) -> EarningsSummary:
    return earnings.load_summary(env.cache, env.account_id, Period.this_year(today()), tz=UTC)


def test_csv_export_reads_back(synced: Env, tmp_path: Path) -> None:
    summary = year_summary(synced)
    path = earnings.export_csv(summary, tmp_path / "year.csv", tz=UTC)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["Order"] for row in rows] == [line.number for line in summary.lines]
    columns = {
        "Items total": summary.gross_sales,
        "Shipping": summary.shipping,
        "Tax": summary.tax,
        "Commission": summary.kept_by_marketplace,
        "Your earning": summary.earnings,
        "Refunds": summary.refunds,
    }
    for column, figure in columns.items():
        assert sum((_decimal(row[column]) for row in rows), Decimal(0)) == figure.amount, column
    assert all("." in row["Your earning"] for row in rows)  # exact decimals, never 1e+2
    paid = [row for row in rows if row["Payout"] == "completed"]
    assert (
        sum((Decimal(row["Your earning"]) for row in paid), Decimal(0)) == summary.paid_out.amount
    )
    assert all(row["Paid out on"] for row in paid)


def test_xlsx_export_reads_back(synced: Env, tmp_path: Path) -> None:
    summary = year_summary(synced)
    path = earnings.export_xlsx(summary, tmp_path / "year.xlsx", tz=UTC)
    book = load_workbook(path)
    sheet = book["Orders"]
    rows = list(sheet.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert [str(row[header.index("Order")]) for row in body] == [
        line.number for line in summary.lines
    ]

    def column_sum(title: str) -> Decimal:
        index = header.index(title)
        return sum((Decimal(str(row[index])) for row in body), Decimal(0))

    assert column_sum("Items total") == summary.gross_sales.amount
    assert column_sum("Your earning") == summary.earnings.amount
    assert column_sum("Refunds") == summary.refunds.amount
    assert column_sum("Commission") == summary.kept_by_marketplace.amount
    paid_index = header.index("Date paid")
    assert any(isinstance(row[paid_index], datetime) for row in body)
    figures = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True)}
    assert Decimal(str(figures["Your earnings"])) == summary.earnings.amount
    assert Decimal(str(figures["Waiting for payout"])) == summary.waiting.amount
    assert figures["Orders"] == len(summary.lines)


def test_receipts_book_csv_and_pdf(synced: Env, tmp_path: Path) -> None:
    summary = year_summary(synced)
    book = receipts(summary)
    assert book and [r.date for r in book] == sorted(r.date for r in book)
    path = earnings.receipts_book_csv(summary, tmp_path / "recettes.csv", tz=UTC)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["Reference"] for row in rows] == [r.reference for r in book]
    assert [row["Date"] for row in rows] == sorted(row["Date"] for row in rows)
    assert sum((Decimal(row["Amount"]) for row in rows), Decimal(0)) == sum(
        (r.amount.amount for r in book), Decimal(0)
    )
    assert all(row["Means of payment"] for row in rows)

    settings = DocumentSettings(store_name="Demo Store", locale="en_US")
    pdf = render_receipts_book(summary, settings, tz=UTC, lang="en")
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    content = "\n".join(page.extract_text() for page in reader.pages)
    assert "RECEIPTS BOOK" in content and "Demo Store" in content
    for receipt in (book[0], book[-1]):
        assert f"#{receipt.reference}" in content
    total = sum((r.amount for r in book[1:]), book[0].amount)
    assert f"Total {format_money(total, 'en_US')}" in content.replace("\n", " ")


def test_receipts_book_pdf_in_french(synced: Env) -> None:
    summary = earnings.load_summary(
        synced.cache, synced.account_id, Period.last_month(today()), tz=UTC
    )
    settings = DocumentSettings(store_name="Demo Store", locale="fr_FR")
    pdf = render_receipts_book(summary, settings, tz=UTC, lang="fr")
    content = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "LIVRE DES RECETTES" in content
    assert "MODE DE RÈGLEMENT" in content.upper() and "CLIENT" in content.upper()


def test_the_receipts_book_lists_the_payments_of_the_period(env: Env) -> None:
    """From the cache: an order placed in one month and paid in the next is a sale of the
    first month and a receipt of the second's book (dated when it was paid), not the first's."""
    env.syncer().sync()
    with env.cache.session() as session:
        created, order_id, number = (
            session.connection()
            .exec_driver_sql(
                "SELECT created, order_id, number FROM orders WHERE paid IS NOT NULL "
                "AND vendor_status IN ('processing', 'completed') ORDER BY created DESC LIMIT 1 "
                "OFFSET 40"
            )
            .one()
        )
    placed = datetime.fromisoformat(created).replace(tzinfo=UTC)
    month = Period.month(f"{placed.year:04d}-{placed.month:02d}")
    paid_at = datetime.combine(month.end, datetime.min.time(), UTC) + timedelta(days=1, hours=9)
    with env.cache.session(write=True) as session:  # the customer paid in the next month
        session.connection().exec_driver_sql(
            "UPDATE orders SET paid = ? WHERE order_id = ?",
            (paid_at.replace(tzinfo=None).isoformat(" ", "microseconds"), order_id),
        )
    placed_in = earnings.load_summary(env.cache, env.account_id, month, tz=UTC)
    next_day = month.end + timedelta(days=1)
    paid_in = earnings.load_summary(
        env.cache, env.account_id, Period.month(f"{next_day.year:04d}-{next_day.month:02d}"), tz=UTC
    )
    assert order_id in [line.order_id for line in placed_in.lines]
    assert order_id not in [receipt.order_id for receipt in receipts(placed_in)]
    book = receipts(paid_in)
    assert [r.date for r in book] == sorted(r.date for r in book)
    (receipt,) = [r for r in book if r.order_id == order_id]
    assert receipt.date == paid_at and receipt.reference == number
    assert all(next_day <= r.date.date() <= paid_in.period.end for r in book), (
        "every receipt is paid in the period"
    )


def test_figures_survive_a_refresh_through_the_single_order_route(env: Env) -> None:
    """The single-order route carries no commission rows: refreshing an order through it
    keeps its shipping, tax, refunds and payout date."""
    env.syncer().sync()
    period = Period.this_year(today())
    before = earnings.load_summary(env.cache, env.account_id, period, tz=UTC)
    touched = [i for i in before.order_ids("shipping") if i in before.order_ids("refunds")][:2]
    touched += list(before.order_ids("paid_out")[:2])
    assert touched
    syncer = env.syncer()
    for order_id in touched:
        syncer.refresh_order(order_id)
    after = earnings.load_summary(env.cache, env.account_id, period, tz=UTC)
    for figure in ("shipping", "tax", "refunds"):
        assert after.figure(figure) == before.figure(figure), figure
    assert [line.payout_date for line in after.lines_of(touched)] == [
        line.payout_date for line in before.lines_of(touched)
    ]
