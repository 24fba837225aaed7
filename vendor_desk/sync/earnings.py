"""The vendor's earnings over a period, from the cache: the figures of the Earnings view and of
``vendor-desk earnings``, the comparison with the marketplace's own ``sales-stats``, and the
exports for the accounts (CSV, spreadsheet, receipts book). No Qt. docs/earnings.md.

    period = Period.this_month(date.today())
    summary = load_summary(cache, account_id, period)          # offline, from the cache
    summary.earnings, summary.paid_out, summary.order_ids("refunds") …
    for sentence in compare(summary, marketplace_figures(market), today=date.today()):
        print(sentence)
    export_csv(summary, Path("2026-11.csv")); export_xlsx(summary, Path("2026-11.xlsx"))
    receipts_book_csv(summary, Path("recettes-2026-11.csv"))

The figures count the orders *placed* in the period (the day in the vendor's time zone), as the
marketplace's figures count its commission rows by their date; their amounts are those of the
vendor's commission rows (``vendor_order_details``: items, shipping, tax, refunds, earning,
payout state and date).
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vendor_desk.cache import queries
from vendor_desk.cache.db import Cache
from vendor_desk.domain import Money, SalesStats
from vendor_desk.domain.earnings import (
    BEST_SELLERS,
    NOT_SALES,
    BucketTotal,
    Deferred,
    EarningsLine,
    EarningsSummary,
    Period,
    ProductSales,
    receipts,
)
from vendor_desk.domain.money import CurrencyMismatch
from vendor_desk.i18n import _, ngettext, pgettext

if TYPE_CHECKING:  # the HTTP client loads when a marketplace is first opened
    from vendor_desk.marketplace import Marketplace


def local_tz() -> tzinfo:
    """The computer's time zone (the vendor's days)."""
    zone = datetime.now().astimezone().tzinfo
    assert zone is not None
    return zone


def _decimal(text: object) -> Decimal:
    if text is None or text == "":
        return Decimal(0)
    try:
        value = Decimal(str(text))
    except InvalidOperation:  # a value the marketplace garbled: nothing to count
        return Decimal(0)
    return value if value.is_finite() else Decimal(0)


def _units(units: int | None) -> Decimal:
    """An amount kept as ``*_units`` (ten-thousandths), exactly, with at least two decimals."""
    amount = Decimal(units or 0).scaleb(-4)
    return amount.quantize(_CENTS) if amount == amount.quantize(_CENTS) else amount


_CENTS = Decimal("0.01")


def _line(row: queries.EarningsRow) -> EarningsLine:
    return EarningsLine.of(
        order_id=row.order_id,
        number=row.number,
        customer=row.customer,
        currency=row.currency or "USD",
        items_total=_decimal(row.items_total),
        shipping=_units(row.shipping_units),
        tax=_units(row.tax_units),
        earning=_decimal(row.earning),
        refunds=_units(row.refunds_units),
        status=row.status,
        payout_state=row.payout_state,
        date_created=row.created,
        date_paid=row.paid,
        date_completed=row.completed,
        payment_method=row.payment_title,
        payout_date=row.payout_date,
    )


def lines_from_cache(
    cache: Cache,
    account_id: int,
    period: Period,
    *,
    tz: tzinfo,
    by_paid: bool = False,
    order_ids: list[int] | None = None,
) -> list[EarningsLine]:
    """The cached sales placed in ``period`` (or paid in it: ``by_paid``), in date order;
    only ``order_ids`` when given."""
    start, end = period.bounds(tz)
    with cache.session() as session:
        rows = queries.earnings_rows(
            session, account_id, start, end, NOT_SALES, by_paid=by_paid, order_ids=order_ids
        )
    return [_line(row) for row in rows]


def load_summary(
    cache: Cache, account_id: int, period: Period, *, tz: tzinfo | None = None
) -> EarningsSummary:
    """The figures of ``period`` for the account, from the cache (offline); the days in ``tz``
    (the computer's time zone by default).

    The figures, bars and best sellers are grouped SQL sums over an index (no order is read);
    the order parts (``lines``, ``paid_lines``) and the orders behind a figure, a bar or a
    product are read when first used.

    Raises:
        CurrencyMismatch: the period's orders are in more than one currency.
    """
    zone = tz or local_tz()
    start, end = period.bounds(zone)
    starts = period.bucket_starts()
    days = [*starts, period.end + timedelta(days=1)]
    spans = [
        (datetime.combine(first, time(), zone), datetime.combine(after, time(), zone))
        for first, after in itertools.pairwise(days)
    ]
    with cache.session() as session:
        totals = queries.earnings_totals(session, account_id, spans, NOT_SALES)
        sellers = queries.earnings_best_sellers(
            session, account_id, start, end, NOT_SALES, BEST_SELLERS
        )
    currencies = {currency or "USD" for row in totals for currency in row.currencies}
    if len(currencies) > 1:
        raise CurrencyMismatch(f"the orders of {period} are in more than one currency")
    currency = currencies.pop() if currencies else "USD"

    def money(units: int) -> Money:
        return Money(_units(units), currency)

    def sum_of(name: str) -> int:
        return sum(getattr(row, name) for row in totals)

    def order_ids(first: datetime, after: datetime, **which: Any) -> Deferred[int]:
        def load() -> list[int]:
            with cache.session() as session:
                return queries.earnings_order_ids(
                    session, account_id, first, after, NOT_SALES, **which
                )

        return Deferred(load)

    by_span = {row.index: row for row in totals}
    buckets = []
    for index, (first, (span_start, span_end)) in enumerate(zip(starts, spans, strict=True)):
        row = by_span.get(index)
        bar_paid = row.paid_out if row else 0
        bar_waiting = row.earning - row.paid_out if row else 0
        ids: Sequence[int] = order_ids(span_start, span_end) if row else ()
        buckets.append(BucketTotal(first, money(bar_paid), money(bar_waiting), ids))
    best = tuple(
        ProductSales(name, sku, units, money(total), order_ids(start, end, product=(name, sku)))
        for name, sku, units, total in sellers
    )
    items, shipping, tax = sum_of("items_total"), sum_of("shipping"), sum_of("tax")
    refunds, earned = sum_of("refunds"), sum_of("earning")
    paid, requested = sum_of("paid_out"), sum_of("requested")
    count = sum_of("orders")

    def figure_orders(figure: str) -> tuple[int, ...]:
        with cache.session() as session:
            return tuple(
                queries.earnings_order_ids(
                    session, account_id, start, end, NOT_SALES, figure=figure
                )
            )

    def lines_of(ids: Sequence[int]) -> list[EarningsLine]:
        return lines_from_cache(cache, account_id, period, tz=zone, order_ids=list(ids))

    return EarningsSummary(
        period=period,
        currency=currency,
        lines=Deferred(lambda: lines_from_cache(cache, account_id, period, tz=zone), count),
        gross_sales=money(items),
        earnings=money(earned),
        kept_by_marketplace=money(items + shipping + tax - refunds - earned),
        shipping=money(shipping),
        tax=money(tax),
        refunds=money(refunds),
        paid_out=money(paid),
        requested=money(requested),
        waiting=money(earned - paid - requested),
        completed_gross=money(sum_of("completed_items_total") - sum_of("completed_refunds")),
        completed_earnings=money(sum_of("completed_earning")),
        buckets=tuple(buckets),
        best_sellers=best,
        order_count=count,
        completed_count=sum_of("completed"),
        paid_lines=Deferred(
            lambda: lines_from_cache(cache, account_id, period, tz=zone, by_paid=True)
        ),
        figure_orders=figure_orders,
        lines_loader=lines_of,
    )


# ================================================================= the marketplace's own
def marketplace_figures(marketplace: Marketplace) -> SalesStats:
    """The marketplace's ``sales-stats`` (completed items only; week = the last 7 days)."""
    return marketplace.sales_stats()


#: The windows of ``sales-stats`` and the period each one is, on ``today``.
_WINDOWS = (
    ("week", Period.last_7_days),
    ("month", Period.this_month),
    ("last_month", Period.last_month),
)


def stats_window(period: Period, today: date) -> str | None:
    """Which window of the marketplace's ``sales-stats`` ``period`` is ("week", "month",
    "last_month"), None when none."""
    for name, make in _WINDOWS:
        if make(today) == period:
            return name
    return None


def compare(summary: EarningsSummary, stats: SalesStats, *, today: date | None = None) -> list[str]:
    """Sentences putting the marketplace's figures beside ours for the same window and
    explaining any difference (the marketplace counts the items of completed orders only, net
    of refunds; its week is the last 7 days). ``today`` in the vendor's time zone (the
    computer's date by default)."""
    day = today or datetime.now().astimezone().date()
    window = stats_window(summary.period, day)
    if window is None:
        return [
            _(
                "The marketplace gives its figures for the last 7 days, this month and last "
                "month only: there are none to compare with this period."
            )
        ]
    if stats.currency.upper() != summary.currency.upper():
        return [
            _(
                "The marketplace counts in {theirs} and this shop's orders are in {ours}: "
                "the figures cannot be compared."
            ).format(theirs=stats.currency, ours=summary.currency)
        ]
    theirs_gross = getattr(stats.gross_sales, window)
    theirs_earnings = getattr(stats.earnings, window)
    ours_gross = summary.completed_gross.rounded()
    ours_earnings = summary.completed_earnings.rounded()
    sentences = []
    if window == "week":
        sentences.append(
            _(
                "The marketplace's week is the last 7 days and today ({start} to {end}), "
                "not the calendar week."
            ).format(start=summary.period.start.isoformat(), end=summary.period.end.isoformat())
        )
    others = summary.order_count - summary.completed_count
    if others:
        gross = summary.gross_sales - summary.refunds - summary.completed_gross
        earned = summary.earnings - summary.completed_earnings
        sentences.append(
            ngettext(
                "The marketplace counts completed orders only: {count} order of this period "
                "is not completed yet ({gross} of sales, {earnings} of earnings), so its "
                "figures are lower than the totals here.",
                "The marketplace counts completed orders only: {count} orders of this period "
                "are not completed yet ({gross} of sales, {earnings} of earnings), so its "
                "figures are lower than the totals here.",
                others,
            ).format(count=others, gross=gross.format(), earnings=earned.format())
        )
    if not summary.refunds.is_zero:
        sentences.append(
            _(
                "The marketplace's sales are net of refunds; the gross sales here are before "
                "the {refunds} refunded."
            ).format(refunds=summary.refunds.format())
        )
    if ours_gross == theirs_gross and ours_earnings == theirs_earnings:
        sentences.append(
            _(
                "For the completed orders the marketplace's figures and the cache's agree: "
                "{gross} of sales, {earnings} earned."
            ).format(gross=theirs_gross.format(), earnings=theirs_earnings.format())
        )
    else:
        sentences.append(
            _(
                "For the completed orders the marketplace says {their_gross} of sales and "
                "{their_earnings} earned, the cache {our_gross} and {our_earnings}: orders "
                "completed, refunded or changed since the last sync are not in the cache yet "
                "(a sync brings it up to date), and the marketplace counts days in the site's "
                "time zone."
            ).format(
                their_gross=theirs_gross.format(),
                their_earnings=theirs_earnings.format(),
                our_gross=ours_gross.format(),
                our_earnings=ours_earnings.format(),
            )
        )
    return sentences


# ======================================================================== exports
def _when(moment: datetime | None, tz: tzinfo) -> str:
    return "" if moment is None else moment.astimezone(tz).strftime("%Y-%m-%d %H:%M")


def _day(moment: datetime | None, tz: tzinfo) -> str:
    return "" if moment is None else moment.astimezone(tz).date().isoformat()


def export_columns() -> list[str]:
    """The titles of the export's columns (one line per order part), in the current language."""
    return [
        _("Date paid"),
        _("Date completed"),
        pgettext("earnings", "Order"),
        pgettext("earnings", "Customer"),
        _("Items total"),
        _("Shipping"),
        _("Tax"),
        _("Commission"),
        pgettext("earnings", "Your earning"),
        pgettext("earnings", "Refunds"),
        _("Payment method"),
        pgettext("earnings", "Payout"),
        _("Paid out on"),
        _("Currency"),
        _("Order placed"),
    ]


def _export_row(line: EarningsLine, tz: tzinfo) -> list[object]:
    return [
        _when(line.date_paid, tz),
        _when(line.date_completed, tz),
        line.number,
        line.customer,
        line.items_total.rounded().amount,
        line.shipping.rounded().amount,
        line.tax.rounded().amount,
        line.commission.rounded().amount,
        line.earning.rounded().amount,
        line.refunds.rounded().amount,
        line.payment_method,
        line.payout_state or "pending",
        _when(line.payout_date, tz),
        line.currency,
        _when(line.date, tz),
    ]


def export_csv(summary: EarningsSummary, path: Path, *, tz: tzinfo | None = None) -> Path:
    """The period's order parts as CSV (UTF-8 with a byte-order mark so that spreadsheet
    programs read the accents; amounts as plain decimals ``1234.50``)."""
    zone = tz or local_tz()
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(export_columns())
        for line in summary.lines:
            writer.writerow(
                [
                    f"{value:f}" if isinstance(value, Decimal) else value
                    for value in _export_row(line, zone)
                ]
            )
    return path


#: The figures on the spreadsheet's summary sheet, with their titles.
def _figure_titles() -> list[tuple[str, str]]:
    return [
        ("gross_sales", _("Gross sales")),
        ("earnings", _("Your earnings")),
        ("kept_by_marketplace", _("Kept by the marketplace")),
        ("shipping", _("Shipping")),
        ("tax", _("Tax")),
        ("refunds", pgettext("earnings", "Refunds")),
        ("paid_out", _("Paid out")),
        ("requested", _("Payout requested")),
        ("waiting", _("Waiting for payout")),
        ("completed_gross", _("Completed orders: sales")),
        ("completed_earnings", _("Completed orders: earnings")),
    ]


def export_xlsx(summary: EarningsSummary, path: Path, *, tz: tzinfo | None = None) -> Path:
    """The period's order parts as a spreadsheet (openpyxl): an "Orders" sheet (numbers as
    numbers, dates as dates) and a "Summary" sheet with the period's figures."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    zone = tz or local_tz()
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = pgettext("earnings", "Orders")
    sheet.append(export_columns())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    money_columns = range(5, 11)
    date_columns = (1, 2, 13, 15)
    for line in summary.lines:
        row = _export_row(line, zone)
        for index in date_columns:
            moment = (line.date_paid, line.date_completed, line.payout_date, line.date)[
                date_columns.index(index)
            ]
            row[index - 1] = (
                None if moment is None else moment.astimezone(zone).replace(tzinfo=None)
            )
        sheet.append(row)
    for column in money_columns:
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
            cell.number_format = "#,##0.00"
    for column in date_columns:
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
            cell.number_format = "yyyy-mm-dd hh:mm"
    sheet.freeze_panes = "A2"
    for letter, width in zip(
        "ABCDEFGHIJKLMNO", (17, 17, 10, 24, 12, 10, 10, 12, 12, 10, 20, 12, 17, 9, 17), strict=True
    ):
        sheet.column_dimensions[letter].width = width
    figures = book.create_sheet(_("Summary"))
    figures.append([_("Period"), summary.period.start, summary.period.end])
    figures.append([_("Currency"), summary.currency])
    figures.append([pgettext("earnings", "Orders"), summary.order_count])
    for name, title in _figure_titles():
        figures.append([title, summary.figure(name).rounded().amount])
        figures.cell(figures.max_row, 2).number_format = "#,##0.00"
    figures.column_dimensions["A"].width = 30
    figures.column_dimensions["B"].width = 14
    figures.column_dimensions["C"].width = 14
    book.save(path)
    return path


def receipts_columns() -> list[str]:
    """The receipts book's columns (the French micro-entrepreneur's "livre des recettes")."""
    return [
        _("Date"),
        _("Reference"),
        pgettext("earnings", "Customer"),
        _("Amount"),
        _("Means of payment"),
    ]


def receipts_book_csv(summary: EarningsSummary, path: Path, *, tz: tzinfo | None = None) -> Path:
    """The receipts book of the period as CSV: each payment received, in date order (date of
    payment, order number, customer, amount, means of payment), and the total."""
    zone = tz or local_tz()
    book = receipts(summary)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([*receipts_columns(), _("Currency")])
        for receipt in book:
            writer.writerow(
                [
                    _day(receipt.date, zone),
                    receipt.reference,
                    receipt.customer,
                    receipt.amount.plain(),
                    receipt.means,
                    receipt.amount.currency,
                ]
            )
    return path
