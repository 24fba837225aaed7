"""The four documents, each rendered to one PDF (bytes): packing slips, store invoices,
commission invoices (one or more orders each, one document after the other) and pick lists.

Every function takes :class:`DocumentOrder` values (see :mod:`.sources` for loading them from
the cache) and :class:`DocumentSettings`; amounts are formatted for the order's currency and
``settings.locale``. Every printed word is in the documents' language (``settings.language``,
else the app's), looked up in that language's catalogue (:func:`vendor_desk.i18n.translator`)
— not the process-wide one, so that French documents print from an English window and vice
versa. Short words (headings, labels) carry the context "document" (a literal: the extractor
reads only literals): their translation is the documents' own, apart from the window's.
Nothing here touches the cache or the network.
"""

from __future__ import annotations

import contextlib
import functools
import io
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, TypeVar, cast

from reportlab import rl_config
from reportlab.pdfgen.canvas import Canvas

from vendor_desk import __version__
from vendor_desk.documents import layout, text
from vendor_desk.documents.barcodes import draw_code128, draw_qr
from vendor_desk.documents.formatting import (
    format_date,
    format_long_date,
    format_money,
    format_percent,
)
from vendor_desk.documents.layout import INK, MUTED, Cell, Column, Sheet
from vendor_desk.documents.model import DocumentOrder, DocumentSettings, Paper, Tracking
from vendor_desk.documents.text import BOLD, REGULAR
from vendor_desk.domain import LineItem, Money
from vendor_desk.domain.confirm_codes import confirm_code
from vendor_desk.i18n import N_, Translator, translator

_F = TypeVar("_F", bound=Callable[..., bytes])
_BINARY_STREAMS = threading.RLock()


@contextlib.contextmanager
def _binary_streams() -> Iterator[None]:
    """Compressed page streams without reportlab's extra ASCII85 layer (``rl_config.useA85``
    is process-wide; its pure-Python encoder was a third of a big batch's time)."""
    with _BINARY_STREAMS:
        previous = rl_config.useA85
        rl_config.useA85 = 0
        try:
            yield
        finally:
            rl_config.useA85 = previous


def _with_binary_streams(function: _F) -> _F:
    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with _binary_streams():
            return function(*args, **kwargs)

    return cast(_F, wrapper)


def _prepared(settings: DocumentSettings) -> tuple[DocumentSettings, Translator]:
    """The settings with the documents' language and locale filled in, and its catalogue."""
    resolved = settings.resolved()
    return resolved, translator(resolved.language)


def order_ref(t: Translator, number: str) -> str:
    """ "Order #538" / "Commande n° 538"."""
    return t.pgettext("document", "Order #{number}").format(number=number)


def _canvas(buffer: io.BytesIO, paper: Paper, title: str, settings: DocumentSettings) -> Canvas:
    text.fonts()
    canvas = Canvas(buffer, pagesize=paper.size, pageCompression=1)
    canvas.setTitle(title)
    canvas.setAuthor(settings.store_name)
    canvas.setCreator(f"Vendor Desk {__version__}")
    return canvas


def _money(amount: Money, settings: DocumentSettings) -> str:
    return format_money(amount, settings.locale)


def _item_lines(doc: DocumentOrder, item: LineItem) -> list[str]:
    lines = [item.name]
    variation = doc.variation_text(item)
    if variation:
        lines.append(variation)
    return lines


def _tracking_title(parcel: Tracking, t: Translator) -> str:
    if parcel.method == "pickup":
        return t.gettext("Collected by the customer")
    if parcel.method == "no_tracking" and not parcel.code:
        return t.gettext("Sent without tracking")
    carrier = f"{parcel.carrier} · " if parcel.carrier else ""
    if parcel.code:
        return t.gettext("Tracking: {code}").format(code=f"{carrier}{parcel.code}")
    return t.gettext("Tracking link")


#: The heading of a slip's digital items (virtual or downloadable: no tick box, not packed).
DIGITAL_TITLE = N_("Not in the parcel — digital items (download)")
NOTHING_TO_PACK = N_("Nothing to pack: every item of this order is digital.")


def _item_count(doc: DocumentOrder, t: Translator) -> str:
    """Units to pack, and the digital ones apart: "3", "2 (+1 digital)"."""
    packed = sum(item.quantity for item in doc.parcel_items)
    digital = sum(item.quantity for item in doc.digital_items)
    if not digital:
        return str(packed)
    return t.ngettext(
        "{packed} (+{digital} digital)", "{packed} (+{digital} digital)", digital
    ).format(packed=packed, digital=digital)


def _nothing_to_pack(sheet: Sheet, size: float, t: Translator) -> None:
    message = t.gettext(NOTHING_TO_PACK)
    layout.draw_wrapped(sheet, sheet.left, message, sheet.content_width, size, BOLD)
    sheet.y -= 6


#: The caption of an order's confirm barcode (``domain.confirm_codes``): scanned at the
#: packing table once the parcel is packed, it marks the order shipped.
CONFIRM_CAPTION = N_("Packed? Scan to mark shipped")


def _confirm_block(sheet: Sheet, number: str, t: Translator) -> None:
    """The order's confirm barcode in a dashed box at the bottom right (full width on a label),
    with its caption — small and far from the order number's barcode at the top, so that a
    packer does not scan one for the other."""
    canvas = sheet.canvas
    small = sheet.paper.is_label
    code = confirm_code(number)
    bars = 20.0 if small else 26.0
    height = bars + 34
    width = sheet.content_width * 0.7 if small else min(220.0, sheet.content_width * 0.42)
    sheet.ensure(height + 10)
    sheet.y -= 10
    top = sheet.y
    x = sheet.right - width
    canvas.saveState()
    canvas.setStrokeColor(MUTED)
    canvas.setLineWidth(0.7)
    canvas.setDash(3, 2)
    canvas.rect(x, top - height, width, height, stroke=1, fill=0)
    canvas.restoreState()
    canvas.setFillColor(layout.ACCENT)
    caption = t.gettext(CONFIRM_CAPTION).upper()
    size = _fitting_size(caption, width - 8, 7.5, BOLD)
    text.draw(canvas, x + width / 2, top - 11, caption, size, BOLD, align="center")
    draw_code128(canvas, x + 4, top - 14 - bars, code, width=width - 8, height=bars, center=True)
    canvas.setFillColor(MUTED)
    under = t.gettext("{code} · order #{number}").format(code=code, number=number)
    size = _fitting_size(under, width - 8, 7, REGULAR)
    text.draw(canvas, x + width / 2, top - height + 6, under, size, align="center")
    canvas.setFillColor(INK)
    sheet.y = top - height


def _fitting_size(value: str, width: float, size: float, font: str) -> float:
    """``size``, or smaller (down to 70 %) when ``value`` would not fit in ``width`` on one
    line (a longer translation)."""
    needed = text.width(value, size, font)
    return size if needed <= width else max(size * 0.7, size * width / needed)


# ============================================================================ packing slip
@_with_binary_streams
def render_packing_slips(
    documents: Sequence[DocumentOrder],
    settings: DocumentSettings,
    paper: Paper = Paper.A4,
    *,
    show_prices: bool | None = None,
    pick_list: bool = False,
) -> bytes:
    """One packing slip per order (each starting on a new page), in the order given; with
    ``pick_list`` the batch's pick list comes first, in the same PDF."""
    settings, t = _prepared(settings)
    prices = settings.slip_prices if show_prices is None else show_prices
    buffer = io.BytesIO()
    canvas = _canvas(buffer, paper, t.gettext("Packing slips"), settings)
    if pick_list:
        _pick_list(canvas, documents, settings, paper, datetime.now(UTC), t)
    for doc in documents:
        if paper.is_label:
            _label_slip(canvas, doc, settings, paper, prices, t)
        else:
            _page_slip(canvas, doc, settings, paper, prices, t)
    canvas.save()
    return buffer.getvalue()


def _slip_header(
    doc: DocumentOrder, settings: DocumentSettings, t: Translator
) -> Callable[[Sheet], None]:
    order = doc.order

    def header(sheet: Sheet) -> None:
        canvas = sheet.canvas
        top = sheet.y
        right_w = 200.0
        bottom = layout.store_block(
            canvas, settings, sheet.left, top, sheet.content_width - right_w - 20, small=False, t=t
        )
        x = sheet.right - right_w
        canvas.setFillColor(layout.ACCENT)
        title = t.pgettext("document", "PACKING SLIP")
        size = _fitting_size(title, right_w + 10, 18, BOLD)
        text.draw(canvas, sheet.right, top - 18, title, size, BOLD, align="right")
        canvas.setFillColor(INK)
        draw_code128(canvas, x, top - 70, order.number, width=right_w, height=40, center=True)
        text.draw(
            canvas, x + right_w / 2, top - 82, order_ref(t, order.number), 9, BOLD, align="center"
        )
        if sheet.page_in_document > 1:
            canvas.setFillColor(MUTED)
            continued = t.gettext("continued · page {page}").format(page=sheet.page_in_document)
            text.draw(canvas, sheet.left, top - 95, continued, 8)
        sheet.y = min(bottom, top - 90) - 10
        layout.rule(sheet, 12, INK, 1.2)

    return header


def _phone_line(t: Translator, phone: str) -> str:
    return t.gettext("Tel. {phone}").format(phone=phone)


def _page_slip(
    canvas: Canvas,
    doc: DocumentOrder,
    settings: DocumentSettings,
    paper: Paper,
    prices: bool,
    t: Translator,
) -> None:
    order = doc.order
    sheet = Sheet(canvas, paper, _slip_header(doc, settings, t))
    sheet.footer_text = f"{settings.store_name} · {order_ref(t, order.number)}"
    sheet.start_page()
    # ship-to (left, large) and the order facts (right)
    top = sheet.y
    half = sheet.content_width * 0.55
    canvas.setFillColor(layout.ACCENT)
    text.draw(canvas, sheet.left, top - 8, t.pgettext("document", "SHIP TO"), 8, BOLD)
    address = order.shipping if not order.shipping.is_empty else order.billing
    lines = address.lines() or [order.customer_name]
    block = [(lines[0], 13.0, BOLD)] + [(line, 11.0, REGULAR) for line in lines[1:]]
    phone = address.phone or order.customer_phone
    if phone:
        block.append((_phone_line(t, phone), 10.0, REGULAR))
    left_bottom = layout.draw_block(canvas, sheet.left, top - 14, half - 10, block)
    facts = [
        (t.pgettext("document", "Order number"), f"#{order.number}"),
        (t.pgettext("document", "Order date"), format_date(order.date_created, settings.locale)),
        (
            t.pgettext("document: shipping method", "Shipping"),
            ", ".join(doc.shipping_methods) or "—",
        ),
        (t.pgettext("document", "Items"), _item_count(doc, t)),
    ]
    if order.payment_method == "cod" and not order.is_paid:
        facts.append(
            (t.pgettext("document", "Payment"), t.gettext("Cash on delivery — collect on delivery"))
        )
    right_bottom = layout.label_value_rows(
        canvas, sheet.left + half + 10, top - 2, sheet.content_width - half - 10, facts, 9.5
    )
    sheet.y = min(left_bottom, right_bottom) - 14
    if order.customer_note.strip():
        layout.note_box(sheet, t.gettext("Note from the customer"), order.customer_note, 10.5)
    # items: those to pack with a tick box; digital ones apart, without one
    columns = [
        Column(t.pgettext("document", "Qty"), 0.09, "center"),
        Column(t.pgettext("document", "Product"), 0.55),
        Column(t.pgettext("document", "SKU"), 0.22),
    ]
    if prices:
        columns += [
            Column(t.pgettext("document", "Price"), 0.16, "right"),
            Column(t.pgettext("document", "Total"), 0.16, "right"),
        ]

    def rows_of(items: Sequence[LineItem]) -> list[list[Cell]]:
        rows = []
        for item in items:
            row = [
                Cell([str(item.quantity)], True, 13),
                Cell(_item_lines(doc, item), True, 10),
                Cell([item.sku or "—"], False, 9.5),
            ]
            if prices:
                row += [
                    Cell([_money(item.price, settings)], False, 9.5),
                    Cell([_money(item.total, settings)], False, 9.5),
                ]
            rows.append(row)
        return rows

    if doc.parcel_items:
        layout.table(sheet, columns, rows_of(doc.parcel_items), check_column=True)
    else:
        _nothing_to_pack(sheet, 10.5, t)
    if doc.digital_items:
        layout.section_title(sheet, t.gettext(DIGITAL_TITLE))
        layout.table(
            sheet,
            columns,
            rows_of(doc.digital_items),
            check_column=True,
            tick_boxes=False,
            zebra=False,
        )
    if prices:
        layout.totals(
            sheet,
            [(t.pgettext("document", "Items total"), _money(order.items_total, settings), True)],
        )
    _tracking_section(sheet, doc, t, qr_size=78)
    _confirm_block(sheet, order.number, t)
    footer = _slip_footer(settings, t)
    if footer:
        sheet.ensure(30)
        sheet.y -= 8
        canvas.setFillColor(MUTED)
        text.draw(canvas, sheet.width / 2, sheet.y - 10, footer, 10, align="center")
        canvas.setFillColor(INK)
    sheet.finish_page()


def _slip_footer(settings: DocumentSettings, t: Translator) -> str:
    """The slip's footer line: the vendor's own words; the default one in the documents'
    language."""
    if settings.slip_footer == DocumentSettings.slip_footer:
        return t.gettext(DocumentSettings.slip_footer)
    return settings.slip_footer


def _tracking_section(sheet: Sheet, doc: DocumentOrder, t: Translator, *, qr_size: float) -> None:
    if not doc.tracking:
        return
    layout.section_title(sheet, t.npgettext("document", "Shipment", "Shipments", len(doc.tracking)))
    canvas = sheet.canvas
    small = sheet.paper.is_label
    for parcel in doc.tracking:
        has_qr = bool(parcel.url)
        height = qr_size if has_qr else 26.0
        sheet.ensure(height + 4)
        top = sheet.y
        x = sheet.left + (qr_size + 8 if has_qr else 0)
        if has_qr:
            draw_qr(canvas, sheet.left - qr_size * 0.1, top - qr_size, qr_size, parcel.url)
        width = sheet.right - x
        lines = [(_tracking_title(parcel, t), 8.5 if small else 10.5, BOLD)]
        if parcel.url:
            lines.append((parcel.url, 7 if small else 8.5, REGULAR))
        if parcel.local_only and parcel.code:
            local = t.gettext("(recorded by the store; not on the marketplace)")
            lines.append((local, 7, REGULAR))
        layout.draw_block(
            canvas,
            x,
            top - (qr_size * 0.12 if has_qr else 0),
            width,
            lines,
            colors=[INK, MUTED, MUTED],
        )
        sheet.y = top - height - 4


def _label_slip(
    canvas: Canvas,
    doc: DocumentOrder,
    settings: DocumentSettings,
    paper: Paper,
    prices: bool,
    t: Translator,
) -> None:
    """A label (4×6 in or 100 × 150 mm): ship-to first and large, the barcode full width, then
    a compact list; everything measured from the label's own width."""
    order = doc.order

    def header(sheet: Sheet) -> None:
        c = sheet.canvas
        top = sheet.y
        c.setFillColor(MUTED)
        text.draw(c, sheet.left, top - 8, settings.store_name, 8, BOLD)
        text.draw(c, sheet.right, top - 8, f"#{order.number}", 8, BOLD, align="right")
        c.setFillColor(INK)
        sheet.y = top - 12
        if sheet.page_in_document > 1:
            continued = t.gettext("continued · label {page}").format(page=sheet.page_in_document)
            text.draw(c, sheet.left, sheet.y - 7, continued, 7)
            sheet.y -= 12
        layout.rule(sheet, 6, INK, 0.8)

    sheet = Sheet(canvas, paper, header)
    sheet.footer_text = _slip_footer(settings, t)
    sheet.start_page()
    address = order.shipping if not order.shipping.is_empty else order.billing
    lines = address.lines() or [order.customer_name]
    canvas.setFillColor(layout.ACCENT)
    text.draw(canvas, sheet.left, sheet.y - 7, t.pgettext("document", "SHIP TO"), 7, BOLD)
    block = [(lines[0], 12.0, BOLD)] + [(line, 10.0, REGULAR) for line in lines[1:]]
    phone = address.phone or order.customer_phone
    if phone:
        block.append((_phone_line(t, phone), 9.0, REGULAR))
    sheet.y = layout.draw_block(canvas, sheet.left, sheet.y - 10, sheet.content_width, block) - 4
    layout.rule(sheet, 6)
    draw_code128(
        canvas, sheet.left, sheet.y - 38, order.number, width=sheet.content_width * 0.62, height=36
    )
    facts = [
        (t.pgettext("document", "Order"), f"#{order.number}"),
        (t.pgettext("document", "Date"), format_date(order.date_created, settings.locale)),
        (t.pgettext("document", "Ship via"), ", ".join(doc.shipping_methods) or "—"),
    ]
    x = sheet.left + sheet.content_width * 0.64
    layout.label_value_rows(canvas, x, sheet.y, sheet.right - x, facts, 7, label_share=0.0)
    sheet.y -= 46
    if order.customer_note.strip():
        layout.note_box(sheet, t.gettext("Customer note"), order.customer_note, 8)
    columns = [
        Column(t.pgettext("document", "Qty"), 0.12, "center"),
        Column(t.pgettext("document", "Item"), 0.88),
    ]
    if prices:
        columns.append(Column(t.pgettext("document", "Total"), 0.3, "right"))

    def rows_of(items: Sequence[LineItem]) -> list[list[Cell]]:
        rows = []
        for item in items:
            detail = _item_lines(doc, item)
            detail.append(_sku_line(t, item.sku) if item.sku else "")
            row = [Cell([str(item.quantity)], True, 11), Cell([d for d in detail if d], True, 8.5)]
            if prices:
                row.append(Cell([_money(item.total, settings)], False, 8))
            rows.append(row)
        return rows

    if doc.parcel_items:
        layout.table(sheet, columns, rows_of(doc.parcel_items), header_size=6.5, check_column=True)
    else:
        _nothing_to_pack(sheet, 8.5, t)
    if doc.digital_items:
        layout.section_title(sheet, t.gettext(DIGITAL_TITLE), 6.5)
        layout.table(
            sheet,
            columns,
            rows_of(doc.digital_items),
            header_size=6.5,
            check_column=True,
            tick_boxes=False,
            zebra=False,
        )
    _tracking_section(sheet, doc, t, qr_size=64)
    _confirm_block(sheet, order.number, t)
    sheet.finish_page()


def _sku_line(t: Translator, sku: str) -> str:
    return t.gettext("SKU {sku}").format(sku=sku)


# ========================================================================== store invoice
#: What a preview prints instead of the number and date of an invoice not issued yet.
NOT_ISSUED_NUMBER = N_("Given when printed or saved")
NOT_ISSUED_DATE = N_("Day of issue")
#: The mark across every page of an invoice not issued yet.
PREVIEW_MARK = N_("PREVIEW")
#: The mention of a seller under the French VAT franchise (Code général des impôts).
VAT_FRANCHISE_MENTION = N_("VAT not applicable, art. 293 B of the French tax code (CGI)")
#: The fixed compensation for recovery costs owed by a late-paying business customer
#: (French commercial code, art. L441-10 and D441-5).
RECOVERY_FEE = Money.of("40", "EUR")


@_with_binary_streams
def render_store_invoices(
    documents: Sequence[DocumentOrder],
    settings: DocumentSettings,
    paper: Paper = Paper.A4,
    *,
    preview: bool = False,
) -> bytes:
    """One store invoice per order: the vendor's part, invoiced to the customer in the
    vendor's name. Each document needs its ``invoice_number`` (the marketplace's or one issued
    locally, :func:`.sources.issue_store_invoices`) — except in a ``preview``, where an invoice
    not issued yet shows :data:`NOT_ISSUED_NUMBER` and a :data:`PREVIEW_MARK` on its pages."""
    if paper.is_label:
        raise ValueError("invoices are printed on A4 or Letter")
    settings, t = _prepared(settings)
    buffer = io.BytesIO()
    canvas = _canvas(buffer, paper, t.gettext("Invoices"), settings)
    for doc in documents:
        if not doc.invoice_number and not preview:
            raise ValueError(f"order #{doc.order.number} has no invoice number yet")
        _store_invoice(canvas, doc, settings, paper, t)
    canvas.save()
    return buffer.getvalue()


def _preview_mark(sheet: Sheet, t: Translator) -> None:
    """A large pale "PREVIEW" across the page (drawn first: the content prints over it)."""
    canvas = sheet.canvas
    canvas.saveState()
    canvas.translate(sheet.width / 2, sheet.height / 2)
    canvas.rotate(35)
    canvas.setFillColor(layout.WATERMARK)
    mark = t.gettext(PREVIEW_MARK)
    size = _fitting_size(mark, sheet.height * 0.8, 110, BOLD)
    text.draw(canvas, 0, -40, mark, size, BOLD, align="center")
    canvas.restoreState()


def seller_ids(settings: DocumentSettings, t: Translator) -> list[str]:
    """The seller's identifiers an invoice prints under the store's address, each only when
    filled in: SIREN/SIRET, the (intra-EU) VAT number, the trade register number."""
    lines = []
    digits = "".join(ch for ch in settings.siret if ch.isdigit())
    if len(digits) == 14:
        number = f"{digits[:3]} {digits[3:6]} {digits[6:9]} {digits[9:]}"
        lines.append(t.gettext("SIRET: {number}").format(number=number))
    elif settings.siret.strip():
        number = f"{digits[:3]} {digits[3:6]} {digits[6:]}" if len(digits) == 9 else settings.siret
        lines.append(t.gettext("SIREN: {number}").format(number=number.strip()))
    if settings.vat_id:
        lines.append(t.gettext("VAT number: {number}").format(number=settings.vat_id))
    if settings.company_id:
        lines.append(t.gettext("Company no. {number}").format(number=settings.company_id))
    return lines


def _document_header(
    title: str,
    settings: DocumentSettings,
    facts: Callable[[], list[tuple[str, str]]],
    t: Translator,
    *,
    with_seller_ids: bool = False,
) -> Callable[[Sheet], None]:
    def header(sheet: Sheet) -> None:
        canvas = sheet.canvas
        top = sheet.y
        right_w = 210.0
        bottom = layout.store_block(
            canvas, settings, sheet.left, top, sheet.content_width - right_w - 20, small=False, t=t
        )
        if with_seller_ids:
            ids = [(line, 8.5, REGULAR) for line in seller_ids(settings, t)]
            bottom = layout.draw_block(
                canvas,
                sheet.left,
                bottom,
                sheet.content_width - right_w - 20,
                ids,
                colors=[MUTED] * len(ids),
            )
        canvas.setFillColor(layout.ACCENT)
        size = _fitting_size(title, right_w + 10, 20, BOLD)
        text.draw(canvas, sheet.right, top - 20, title, size, BOLD, align="right")
        canvas.setFillColor(INK)
        rows = facts()
        if sheet.page_in_document > 1:
            rows = [*rows[:1], (t.pgettext("document", "Page"), str(sheet.page_in_document))]
        right_bottom = layout.label_value_rows(
            canvas, sheet.right - right_w, top - 32, right_w, rows, 9
        )
        sheet.y = min(bottom, right_bottom) - 10
        layout.rule(sheet, 14, INK, 1.2)

    return header


def _address_block(
    canvas: Canvas, x: float, top: float, width: float, title: str, lines: list[str]
) -> float:
    canvas.setFillColor(layout.ACCENT)
    text.draw(canvas, x, top - 8, title, 8, BOLD)
    block = [(lines[0], 11.0, BOLD)] + [(line, 9.5, REGULAR) for line in lines[1:]] if lines else []
    return layout.draw_block(canvas, x, top - 13, width, block)


def _rates(doc: DocumentOrder, settings: DocumentSettings) -> str:
    """The order's tax rates as printed: "20 %", "5,5 % / 20 %" ("" when not known)."""
    return " / ".join(format_percent(rate, settings.locale) for rate in doc.tax_rates)


def legal_mentions(doc: DocumentOrder, settings: DocumentSettings, t: Translator) -> list[str]:
    """What the law asks a (French) seller's invoice to say at its foot, each only when the
    vendor filled it in: the VAT franchise mention; to a business customer (the billing address
    names a company) the late-payment penalties and the fixed recovery compensation."""
    lines = []
    if settings.vat_franchise:
        lines.append(t.gettext(VAT_FRANCHISE_MENTION))
    if doc.order.billing.company.strip():
        if settings.late_payment_text.strip():
            lines.append(settings.late_payment_text.strip())
        if settings.recovery_fee:
            lines.append(
                t.gettext(
                    "Fixed compensation for recovery costs in case of late payment: {amount} "
                    "(French commercial code, art. L441-10 and D441-5)."
                ).format(amount=_money(RECOVERY_FEE, settings))
            )
    return lines


def _store_invoice(
    canvas: Canvas, doc: DocumentOrder, settings: DocumentSettings, paper: Paper, t: Translator
) -> None:
    order = doc.order
    issued = bool(doc.invoice_number)
    date = doc.invoice_date or order.date_created
    sold = order.date_paid or order.date_created

    def facts() -> list[tuple[str, str]]:
        return [
            (
                t.pgettext("document", "Invoice number"),
                doc.invoice_number if issued else t.gettext(NOT_ISSUED_NUMBER),
            ),
            (
                t.pgettext("document", "Invoice date"),
                format_date(date, settings.locale) if issued else t.gettext(NOT_ISSUED_DATE),
            ),
            (t.pgettext("document", "Date of sale"), format_date(sold, settings.locale)),
            (t.pgettext("document", "Order number"), f"#{order.number}"),
            (
                t.pgettext("document", "Order date"),
                format_date(order.date_created, settings.locale),
            ),
            (
                t.pgettext("document", "Payment method"),
                order.payment_method_title or order.payment_method or "—",
            ),
        ]

    header = _document_header(
        t.pgettext("document", "INVOICE"), settings, facts, t, with_seller_ids=True
    )

    def preview_header(sheet: Sheet) -> None:
        _preview_mark(sheet, t)
        header(sheet)

    sheet = Sheet(canvas, paper, header if issued else preview_header)
    sheet.footer_text = (
        t.gettext("{store} · Invoice {number}").format(
            store=settings.store_name, number=doc.invoice_number
        )
        if issued
        else t.gettext(
            "{store} · Preview: the invoice number and date are given when it is printed or saved"
        ).format(store=settings.store_name)
    )
    sheet.start_page()
    top = sheet.y
    half = sheet.content_width / 2
    billing = order.billing.lines()
    billing += [line for line in (order.billing.email, order.billing.phone) if line]
    bill_to = t.pgettext("document", "BILL TO")
    left = _address_block(canvas, sheet.left, top, half - 12, bill_to, billing or ["—"])
    right = top
    if not order.shipping.is_empty and order.shipping.lines() != order.billing.lines():
        right = _address_block(
            canvas,
            sheet.left + half,
            top,
            half,
            t.pgettext("document", "SHIP TO"),
            order.shipping.lines(),
        )
    sheet.y = min(left, right) - 16
    currency = order.currency
    columns = [
        Column(t.pgettext("document", "Product"), 0.44),
        Column(t.pgettext("document", "Qty"), 0.07, "center"),
        Column(t.pgettext("document", "Net unit price"), 0.18, "right"),
        Column(t.pgettext("document", "Tax"), 0.13, "right"),
        Column(t.pgettext("document", "Net amount"), 0.18, "right"),
    ]
    rows = []
    for item in doc.items:
        unit = (item.subtotal * (Decimal(1) / item.quantity)) if item.quantity else item.price
        rows.append(
            [
                Cell(
                    [*_item_lines(doc, item), _sku_line(t, item.sku) if item.sku else ""], True, 9.5
                ),
                Cell([str(item.quantity)]),
                Cell([_money(unit, settings)]),
                Cell([_money(item.tax, settings)]),
                Cell([_money(item.total, settings)]),
            ]
        )
    for row in rows:
        row[0].lines = [line for line in row[0].lines if line]
    layout.table(sheet, columns, rows)
    net = Money.total((i.total for i in doc.items), currency)
    tax = Money.total((i.tax for i in doc.items), currency)
    shipping = _detail(doc, "shipping")
    shipping_tax = _detail(doc, "shipping_tax_amount")
    discount = Money.total((i.subtotal - i.total for i in doc.items), currency)
    total = net + tax + shipping + shipping_tax
    taxed = not (settings.vat_franchise and (tax + shipping_tax).is_zero)
    rows_t: list[tuple[str, str, bool]] = [
        (
            t.pgettext("document", "Subtotal excl. tax")
            if taxed
            else t.pgettext("document", "Subtotal"),
            _money(net + discount, settings),
            False,
        )
    ]
    if not discount.is_zero:
        rows_t.append((t.pgettext("document", "Discount"), _money(-discount, settings), False))
    if not shipping.is_zero:
        rows_t.append(
            (
                t.pgettext("document", "Shipping excl. tax")
                if taxed
                else t.pgettext("document", "Shipping"),
                _money(shipping, settings),
                False,
            )
        )
    if taxed:
        if not (discount.is_zero and shipping.is_zero):  # else it is the subtotal's amount
            rows_t.append(
                (t.pgettext("document", "Total excl. tax"), _money(net + shipping, settings), False)
            )
        rates = _rates(doc, settings)
        rows_t.append(
            (
                t.gettext("Tax ({rates})").format(rates=rates)
                if rates
                else t.pgettext("document", "Tax"),
                _money(tax + shipping_tax, settings),
                False,
            )
        )
        rows_t.append(
            (
                t.gettext("Total incl. tax ({currency})").format(currency=currency),
                _money(total, settings),
                True,
            )
        )
    else:
        rows_t.append(
            (
                t.gettext("Total ({currency})").format(currency=currency),
                _money(total, settings),
                True,
            )
        )
    refunded = doc.refund_total
    if not refunded.is_zero:
        rows_t.append((t.pgettext("document", "Refunded"), _money(-refunded, settings), False))
        rows_t.append(
            (
                t.pgettext("document", "Total after refunds"),
                _money(total - refunded, settings),
                True,
            )
        )
    layout.totals(sheet, rows_t)
    sheet.y -= 6
    if order.is_paid and order.date_paid:
        paid = t.gettext("Paid on {date}").format(
            date=format_long_date(order.date_paid, settings.locale)
        )
    else:
        paid = t.gettext("Paid") if order.is_paid else t.gettext("Payment due")
    method = order.payment_method_title or order.payment_method
    layout.draw_wrapped(
        sheet,
        sheet.left,
        f"{paid} · {method}" if method else paid,
        sheet.content_width,
        9.5,
        BOLD,
    )
    mentions = legal_mentions(doc, settings, t)
    if mentions:
        sheet.y -= 4
    for line in mentions:
        layout.draw_wrapped(sheet, sheet.left, line, sheet.content_width, 8.5)
    for line in settings.invoice_footer:
        layout.draw_wrapped(sheet, sheet.left, line, sheet.content_width, 8.5, color=MUTED)
    sheet.finish_page()


def _detail(doc: DocumentOrder, key: str) -> Money:
    value = doc.commission_details.get(key, "0")
    try:
        return Money.of(value, doc.currency)
    except ValueError:
        return Money.zero(doc.currency)


# ===================================================================== commission invoice
#: The payout states a commission statement names (``PayoutState`` slugs).
_PAYOUT_STATES = {
    "pending": N_("Not paid out"),
    "requested": N_("Payout requested"),
    "completed": N_("Paid out"),
    "cancelled": N_("Payout cancelled"),
}


@_with_binary_streams
def render_commission_invoices(
    documents: Sequence[DocumentOrder], settings: DocumentSettings, paper: Paper = Paper.A4
) -> bytes:
    """One commission statement per order: gross, commission and earning per item, fees,
    refunds, net earning and the payout state — for the vendor's own books."""
    if paper.is_label:
        raise ValueError("commission invoices are printed on A4 or Letter")
    settings, t = _prepared(settings)
    buffer = io.BytesIO()
    canvas = _canvas(buffer, paper, t.gettext("Commission invoices"), settings)
    for doc in documents:
        _commission_invoice(canvas, doc, settings, paper, t)
    canvas.save()
    return buffer.getvalue()


def _payout_label(doc: DocumentOrder, t: Translator) -> str:
    state = doc.order.payout_state
    if state.slug in _PAYOUT_STATES:
        return t.gettext(_PAYOUT_STATES[state.slug])
    return state.label if state.slug else t.pgettext("document", "Unknown")


def _commission_invoice(
    canvas: Canvas, doc: DocumentOrder, settings: DocumentSettings, paper: Paper, t: Translator
) -> None:
    order = doc.order
    currency = order.currency

    def facts() -> list[tuple[str, str]]:
        return [
            (t.pgettext("document", "Statement"), f"commission-{order.number}"),
            (t.pgettext("document", "Order number"), f"#{order.number}"),
            (
                t.pgettext("document", "Order date"),
                format_date(order.date_created, settings.locale),
            ),
            (
                t.pgettext("document", "Payment method"),
                order.payment_method_title or order.payment_method or "—",
            ),
            (t.pgettext("document", "Payout"), _payout_label(doc, t)),
        ]

    title = t.pgettext("document", "COMMISSION")
    sheet = Sheet(canvas, paper, _document_header(title, settings, facts, t, with_seller_ids=True))
    sheet.footer_text = t.gettext("{store} · commission statement · {order}").format(
        store=settings.store_name, order=order_ref(t, order.number)
    )
    sheet.start_page()
    columns = [
        Column(t.pgettext("document", "Product"), 0.40),
        Column(t.pgettext("document", "Qty"), 0.07, "center"),
        Column(t.pgettext("document", "Gross"), 0.15, "right"),
        Column(t.pgettext("document", "Commission"), 0.19, "right"),
        Column(t.pgettext("document", "Earning"), 0.19, "right"),
    ]
    rows = []
    gross_total = Money.zero(currency)
    earning_items = Money.zero(currency)
    for item in doc.items:
        earning = item.commission
        commission = item.total - earning if earning is not None else None
        gross_total += item.total
        if earning is not None:
            earning_items += earning
        lines = [*_item_lines(doc, item)] + ([_sku_line(t, item.sku)] if item.sku else [])
        if item.refunded_amount:
            lines.append(
                t.gettext("Refunded {amount}").format(amount=_money(item.refunded_amount, settings))
            )
        rows.append(
            [
                Cell(lines, True, 9.5),
                Cell([str(item.quantity)]),
                Cell([_money(item.total, settings)]),
                Cell([_money(commission, settings) if commission is not None else "—"]),
                Cell([_money(earning, settings) if earning is not None else "—"], True),
            ]
        )
    layout.table(sheet, columns, rows)
    shipping = _detail(doc, "shipping")
    tax = _detail(doc, "tax") + _detail(doc, "shipping_tax_amount")
    charges = _detail(doc, "withdraw_charges")
    refunded = doc.refund_total
    earning_total = order.earning if order.earning is not None else earning_items
    rows_t: list[tuple[str, str, bool]] = [
        (t.pgettext("document", "Gross sales (your items)"), _money(gross_total, settings), False)
    ]
    if not shipping.is_zero:
        rows_t.append((t.pgettext("document", "Shipping"), _money(shipping, settings), False))
    if not tax.is_zero:
        rows_t.append((t.pgettext("document", "Tax"), _money(tax, settings), False))
    rows_t.append(
        (
            t.pgettext("document", "Admin commission"),
            _money(-(gross_total - earning_items), settings),
            False,
        )
    )
    if not charges.is_zero:
        rows_t.append((t.pgettext("document", "Payout charges"), _money(-charges, settings), False))
    if not refunded.is_zero:
        rows_t.append((t.pgettext("document", "Refunds"), _money(-refunded, settings), False))
    rows_t.append(
        (
            t.gettext("Net earning ({currency})").format(currency=currency),
            _money(earning_total - charges, settings),
            True,
        )
    )
    layout.totals(sheet, rows_t, width_share=0.5)
    sheet.y -= 6
    state = t.gettext("Payout state: {state}").format(state=_payout_label(doc, t))
    layout.draw_wrapped(sheet, sheet.left, state, sheet.content_width, 10, BOLD)
    layout.draw_wrapped(
        sheet,
        sheet.left,
        t.gettext(
            "Earning as reported by the marketplace (commission rows). The net earning counts "
            "refunds the marketplace already deducted from the commission."
        ),
        sheet.content_width,
        8,
        color=MUTED,
    )
    if settings.vat_franchise:
        layout.draw_wrapped(
            sheet, sheet.left, t.gettext(VAT_FRANCHISE_MENTION), sheet.content_width, 8.5
        )
    sheet.finish_page()


# =============================================================================== pick list
@dataclass
class PickLine:
    """One SKU (or product name, when it has no SKU) to pick, over all orders."""

    sku: str
    name: str
    variation: str
    quantity: int = 0
    #: (order number, quantity) in the orders' print order.
    orders: list[tuple[str, int]] = field(default_factory=list)


def pick_lines(documents: Sequence[DocumentOrder]) -> list[PickLine]:
    """Total quantity per SKU with the orders each belongs to, sorted by SKU then name.
    Digital items (``shippable`` False: e-books, gift cards) are left out: nothing to pick."""
    lines: dict[str, PickLine] = {}
    for doc in documents:
        for item in doc.parcel_items:  # digital items are not picked
            key = item.sku or f"{item.product_id}:{item.variation_id}:{item.name}"
            line = lines.get(key)
            if line is None:
                line = lines[key] = PickLine(item.sku, item.name, doc.variation_text(item))
            line.quantity += item.quantity
            line.orders.append((doc.order.number, item.quantity))
    return sorted(lines.values(), key=lambda p: (p.sku == "", p.sku.casefold(), p.name.casefold()))


@_with_binary_streams
def render_pick_list(
    documents: Sequence[DocumentOrder],
    settings: DocumentSettings,
    paper: Paper = Paper.A4,
    *,
    now: datetime | None = None,
) -> bytes:
    """The pick list for the orders: one line per SKU, total quantity, the orders."""
    settings, t = _prepared(settings)
    buffer = io.BytesIO()
    canvas = _canvas(buffer, paper, t.pgettext("document", "Pick list"), settings)
    canvas_now = now or datetime.now(UTC)
    _pick_list(canvas, documents, settings, paper, canvas_now, t)
    canvas.save()
    return buffer.getvalue()


def _pick_list(
    canvas: Canvas,
    documents: Sequence[DocumentOrder],
    settings: DocumentSettings,
    paper: Paper,
    now: datetime,
    t: Translator,
) -> None:
    picks = pick_lines(documents)
    units = sum(p.quantity for p in picks)
    orders = sum(1 for doc in documents if doc.parcel_items)
    small = paper.is_label

    def header(sheet: Sheet) -> None:
        c = sheet.canvas
        top = sheet.y
        c.setFillColor(layout.ACCENT)
        text.draw(
            c, sheet.left, top - 18, t.pgettext("document", "PICK LIST"), 13 if small else 20, BOLD
        )
        c.setFillColor(MUTED)
        summary = " · ".join(
            (
                t.ngettext("{count} order", "{count} orders", orders).format(count=orders),
                t.ngettext("{count} product", "{count} products", len(picks)).format(
                    count=len(picks)
                ),
                t.ngettext("{count} unit", "{count} units", units).format(count=units),
                format_date(now, settings.locale),
            )
        )
        text.draw(
            c, sheet.right, top - 16, settings.store_name, 8 if small else 10, BOLD, align="right"
        )
        c.setFillColor(INK)
        sheet.y = top - (26 if small else 32)
        layout.draw_wrapped(
            sheet, sheet.left, summary, sheet.content_width, 7.5 if small else 9.5, color=MUTED
        )
        sheet.y -= 4
        layout.rule(sheet, 10, INK, 1.0)

    sheet = Sheet(canvas, paper, header)
    sheet.footer_text = t.pgettext("document", "Pick list")
    sheet.start_page()
    columns = [
        Column(t.pgettext("document", "Qty"), 0.08, "center"),
        Column(t.pgettext("document", "SKU"), 0.26),
        Column(t.pgettext("document", "Product"), 0.38),
        Column(t.pgettext("document", "Orders"), 0.28),
    ]
    rows = [
        [
            Cell([str(p.quantity)], True, 13 if not small else 10),
            Cell([p.sku or "—"], True, 9),
            Cell([p.name, p.variation] if p.variation else [p.name], False, 9.5),
            Cell(
                [", ".join(f"#{n}" + (f" ×{q}" if q > 1 else "") for n, q in p.orders)],
                False,
                9,
            ),
        ]
        for p in picks
    ]
    layout.table(sheet, columns, rows, check_column=True)
    _confirm_list(sheet, [doc for doc in documents if doc.parcel_items], t)
    sheet.finish_page()


#: The title of the pick list's last section: each order's confirm barcode.
CONFIRM_LIST_TITLE = N_("Confirm codes · packed? Scan the order's code to mark it shipped")


def _confirm_list(sheet: Sheet, documents: Sequence[DocumentOrder], t: Translator) -> None:
    """Each order of the pick list with its confirm barcode, one order a row."""
    if not documents:
        return
    small = sheet.paper.is_label
    sheet.y -= 8
    layout.section_title(sheet, t.gettext(CONFIRM_LIST_TITLE), 6.5 if small else 8.0)
    canvas = sheet.canvas
    row = 36.0 if small else 40.0
    bars_width = sheet.content_width * (0.56 if small else 0.5)
    for doc in documents:
        order = doc.order
        address = order.shipping if not order.shipping.is_empty else order.billing
        name = (address.lines() or [order.customer_name])[0]
        sheet.ensure(row)
        top = sheet.y
        code = confirm_code(order.number)
        text_width = sheet.content_width - bars_width - 8
        title = order_ref(t, order.number)
        size = _fitting_size(title, text_width, 9 if small else 11, BOLD)
        text.draw(canvas, sheet.left, top - 14, title, size, BOLD)
        canvas.setFillColor(MUTED)
        shown = text.wrap(name, text_width, 8) or [""]
        text.draw(canvas, sheet.left, top - 25, shown[0] + ("…" if len(shown) > 1 else ""), 8)
        text.draw(canvas, sheet.left, top - 34, code, 6.5)
        canvas.setFillColor(INK)
        draw_code128(
            canvas, sheet.right - bars_width, top - row + 6, code, width=bars_width, height=row - 12
        )
        sheet.y = top - row
        layout.rule(sheet, 0)
