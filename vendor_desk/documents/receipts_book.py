"""The receipts book ("livre des recettes") as a PDF: the form French micro-entrepreneurs must
keep — each receipt in date order with its date, reference, customer, amount and means of
payment, and the period's total. The lines are :func:`vendor_desk.domain.earnings.receipts` of
an earnings summary (:func:`vendor_desk.sync.earnings.load_summary`); the CSV twin is
``vendor_desk.sync.earnings.receipts_book_csv``. docs/earnings.md.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime, tzinfo

from vendor_desk import i18n
from vendor_desk.documents import layout, text
from vendor_desk.documents.formatting import format_date, format_money
from vendor_desk.documents.layout import INK, MUTED, Cell, Column, Sheet
from vendor_desk.documents.model import DocumentSettings, Paper
from vendor_desk.documents.renderers import _canvas, _with_binary_streams
from vendor_desk.documents.text import BOLD
from vendor_desk.domain import Money
from vendor_desk.domain.earnings import EarningsSummary, receipts


@_with_binary_streams
def render_receipts_book(
    summary: EarningsSummary,
    settings: DocumentSettings,
    paper: Paper = Paper.A4,
    *,
    lang: str | None = None,
    tz: tzinfo | None = None,
    now: datetime | None = None,
) -> bytes:
    """The receipts book of ``summary``'s period as PDF bytes, in ``lang`` (the app's language
    by default); dates in ``tz`` (the computer's time zone by default)."""
    t = i18n.translator(lang or i18n.language())
    zone = tz or datetime.now().astimezone().tzinfo or UTC
    made = now or datetime.now(UTC)
    book = receipts(summary)
    total = Money.total((receipt.amount for receipt in book), summary.currency)
    title = t.gettext("Receipts book")
    buffer = io.BytesIO()
    canvas = _canvas(buffer, paper, title, settings)
    small = paper.is_label

    def day(moment: datetime) -> str:
        return format_date(moment.astimezone(zone), settings.locale)

    period = t.gettext("From {start} to {end}").format(
        start=format_date(
            datetime.combine(summary.period.start, datetime.min.time()), settings.locale
        ),
        end=format_date(datetime.combine(summary.period.end, datetime.min.time()), settings.locale),
    )
    count = t.ngettext("{count} receipt", "{count} receipts", len(book)).format(count=len(book))

    def header(sheet: Sheet) -> None:
        c = sheet.canvas
        top = sheet.y
        c.setFillColor(layout.ACCENT)
        text.draw(c, sheet.left, top - 18, title.upper(), 13 if small else 20, BOLD)
        c.setFillColor(INK)
        text.draw(
            c, sheet.right, top - 16, settings.store_name, 8 if small else 10, BOLD, align="right"
        )
        sheet.y = top - (26 if small else 32)
        for line in settings.address_lines:
            layout.draw_wrapped(sheet, sheet.left, line, sheet.content_width, 8.5, color=MUTED)
        summary_line = " · ".join(
            [
                period,
                count,
                t.gettext("Total {amount}").format(amount=format_money(total, settings.locale)),
                t.gettext("Made on {date}").format(date=format_date(made, settings.locale)),
            ]
        )
        layout.draw_wrapped(
            sheet, sheet.left, summary_line, sheet.content_width, 7.5 if small else 9.5, color=MUTED
        )
        sheet.y -= 4
        layout.rule(sheet, 10, INK, 1.0)

    sheet = Sheet(canvas, paper, header)
    sheet.footer_text = f"{title} · {settings.store_name}" if settings.store_name else title
    sheet.start_page()
    columns = [
        Column(t.gettext("Date"), 0.14),
        Column(t.gettext("Reference"), 0.14),
        Column(t.pgettext("earnings", "Customer"), 0.30),
        Column(t.gettext("Amount"), 0.16, "right"),
        Column(t.gettext("Means of payment"), 0.26),
    ]
    rows = [
        [
            Cell([day(receipt.date)], False, 9),
            Cell([f"#{receipt.reference}"], True, 9),
            Cell([receipt.customer or "—"], False, 9),
            Cell([format_money(receipt.amount, settings.locale)], True, 9),
            Cell([receipt.means or "—"], False, 9),
        ]
        for receipt in book
    ]
    rows.append(
        [
            Cell([t.pgettext("earnings", "Total")], True, 9.5),
            Cell([""], False, 9),
            Cell([""], False, 9),
            Cell([format_money(total, settings.locale)], True, 9.5),
            Cell([""], False, 9),
        ]
    )
    layout.table(sheet, columns, rows, zebra=True)
    if not book:
        layout.draw_wrapped(
            sheet,
            sheet.left,
            t.gettext("No payment was received in this period."),
            sheet.content_width,
            10,
            color=MUTED,
        )
    sheet.finish_page()
    canvas.save()
    return buffer.getvalue()
