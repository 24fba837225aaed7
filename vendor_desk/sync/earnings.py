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
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta, tzinfo
from decimal import Decimal, InvalidOperation
from pathlib import Path

from vendor_desk.cache import queries
from vendor_desk.cache.db import Cache
from vendor_desk.domain import Money, SalesStats
from vendor_desk.domain.earnings import (
    EarningsLine,
    EarningsSummary,
    Period,
    SoldItem,
    receipts,
    summarise,
)
from vendor_desk.i18n import _, ngettext, pgettext
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


def _site_time(text: str | None, offset: timedelta) -> datetime | None:
    """A WCFM table date (site-local ``YYYY-MM-DD HH:MM:SS``) in UTC, the site's offset from UTC
    being ``offset``."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(str(text))
    except ValueError:
        return None
    if moment.year < 1971:  # "0000-00-00 00:00:00": never
        return None
    return (moment - offset).replace(tzinfo=UTC)


def _site_offset(created_utc: datetime, created_local: object) -> timedelta:
    """The site's offset from UTC, from an order's creation in UTC (the cache) and as WCFM's
    commission table wrote it (site-local), to the minute."""
    local = _site_time(str(created_local) if created_local else None, timedelta(0))
    if local is None:
        return timedelta(0)
    minutes = round((local - created_utc).total_seconds() / 60)
    return timedelta(minutes=minutes)


def lines_from_cache(
    cache: Cache, account_id: int, period: Period, *, tz: tzinfo
) -> list[EarningsLine]:
    """Every cached order part placed in ``period`` (sales or not), with its items."""
    start, end = period.bounds(tz)
    with cache.session() as session:
        rows = queries.earnings_rows(session, account_id, start, end)
        items = queries.earnings_items(session, account_id, start, end)
    sold: dict[int, list[SoldItem]] = defaultdict(list)
    currencies = {row.order_id: row.currency or "USD" for row in rows}
    for item in items:
        currency = currencies.get(item.order_id)
        if currency is not None:
            sold[item.order_id].append(
                SoldItem(item.name, item.sku, item.quantity, Money(_decimal(item.total), currency))
            )
    lines = []
    for row in rows:
        offset = _site_offset(row.created, row.site_created)
        lines.append(
            EarningsLine.of(
                order_id=row.order_id,
                number=row.number,
                customer=row.customer,
                currency=row.currency or "USD",
                items_total=_decimal(row.items_total),
                shipping=_decimal(row.shipping),
                tax=_decimal(row.tax) + _decimal(row.shipping_tax),
                earning=_decimal(row.earning),
                refunds=_decimal(row.refunds),
                status=row.status,
                payout_state=row.payout_state,
                date_created=row.created,
                date_paid=row.paid,
                date_completed=row.completed,
                payment_method=row.payment_title,
                payout_date=_site_time(row.payout_date, offset),
                items=tuple(sold.get(row.order_id, ())),
            )
        )
    return lines


def load_summary(
    cache: Cache, account_id: int, period: Period, *, tz: tzinfo | None = None
) -> EarningsSummary:
    """The figures of ``period`` for the account, from the cache (offline); the days in ``tz``
    (the computer's time zone by default)."""
    zone = tz or local_tz()
    lines = lines_from_cache(cache, account_id, period, tz=zone)
    return summarise(lines, period, tz=zone)


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
    others = [line for line in summary.lines if not line.is_completed]
    if others:
        gross = Money.total((line.items_total - line.refunds for line in others), summary.currency)
        earned = Money.total((line.earning for line in others), summary.currency)
        sentences.append(
            ngettext(
                "The marketplace counts completed orders only: {count} order of this period "
                "is not completed yet ({gross} of sales, {earnings} of earnings), so its "
                "figures are lower than the totals here.",
                "The marketplace counts completed orders only: {count} orders of this period "
                "are not completed yet ({gross} of sales, {earnings} of earnings), so its "
                "figures are lower than the totals here.",
                len(others),
            ).format(count=len(others), gross=gross.format(), earnings=earned.format())
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
    figures.append([pgettext("earnings", "Orders"), len(summary.lines)])
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
