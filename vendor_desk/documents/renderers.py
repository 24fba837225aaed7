"""The four documents, each rendered to one PDF (bytes): packing slips, store invoices,
commission invoices (one or more orders each, one document after the other) and pick lists.

Every function takes :class:`DocumentOrder` values (see :mod:`.sources` for loading them from
the cache) and :class:`DocumentSettings`; amounts are formatted for the order's currency and
``settings.locale``. Nothing here touches the cache or the network.
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
from vendor_desk.documents.formatting import format_date, format_money
from vendor_desk.documents.layout import INK, MUTED, Cell, Column, Sheet
from vendor_desk.documents.model import DocumentOrder, DocumentSettings, Paper, Tracking
from vendor_desk.documents.text import BOLD, REGULAR
from vendor_desk.domain import LineItem, Money
from vendor_desk.domain.confirm_codes import confirm_code

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


def _tracking_title(parcel: Tracking) -> str:
    if parcel.method == "pickup":
        return "Collected by the customer"
    if parcel.method == "no_tracking" and not parcel.code:
        return "Sent without tracking"
    carrier = f"{parcel.carrier} · " if parcel.carrier else ""
    return f"Tracking: {carrier}{parcel.code}" if parcel.code else "Tracking link"


#: The heading of a slip's digital items (virtual or downloadable: no tick box, not packed).
DIGITAL_TITLE = "Not in the parcel — digital items (download)"
NOTHING_TO_PACK = "Nothing to pack: every item of this order is digital."


def _item_count(doc: DocumentOrder) -> str:
    """Units to pack, and the digital ones apart: "3", "2 (+1 digital)"."""
    packed = sum(item.quantity for item in doc.parcel_items)
    digital = sum(item.quantity for item in doc.digital_items)
    return f"{packed} (+{digital} digital)" if digital else str(packed)


def _nothing_to_pack(sheet: Sheet, size: float) -> None:
    layout.draw_wrapped(sheet, sheet.left, NOTHING_TO_PACK, sheet.content_width, size, BOLD)
    sheet.y -= 6


#: The caption of an order's confirm barcode (``domain.confirm_codes``): scanned at the
#: packing table once the parcel is packed, it marks the order shipped.
CONFIRM_CAPTION = "Packed? Scan to mark shipped"


def _confirm_block(sheet: Sheet, number: str) -> None:
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
    text.draw(canvas, x + width / 2, top - 11, CONFIRM_CAPTION.upper(), 7.5, BOLD, align="center")
    draw_code128(canvas, x + 4, top - 14 - bars, code, width=width - 8, height=bars, center=True)
    canvas.setFillColor(MUTED)
    text.draw(
        canvas, x + width / 2, top - height + 6, f"{code} · order #{number}", 7, align="center"
    )
    canvas.setFillColor(INK)
    sheet.y = top - height


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
    prices = settings.slip_prices if show_prices is None else show_prices
    buffer = io.BytesIO()
    canvas = _canvas(buffer, paper, "Packing slips", settings)
    if pick_list:
        _pick_list(canvas, documents, settings, paper, datetime.now(UTC))
    for doc in documents:
        if paper.is_label:
            _label_slip(canvas, doc, settings, prices)
        else:
            _page_slip(canvas, doc, settings, paper, prices)
    canvas.save()
    return buffer.getvalue()


def _slip_header(doc: DocumentOrder, settings: DocumentSettings) -> Callable[[Sheet], None]:
    order = doc.order

    def header(sheet: Sheet) -> None:
        canvas = sheet.canvas
        top = sheet.y
        right_w = 200.0
        bottom = layout.store_block(
            canvas, settings, sheet.left, top, sheet.content_width - right_w - 20, small=False
        )
        x = sheet.right - right_w
        canvas.setFillColor(layout.ACCENT)
        text.draw(canvas, sheet.right, top - 18, "PACKING SLIP", 18, BOLD, align="right")
        canvas.setFillColor(INK)
        draw_code128(canvas, x, top - 70, order.number, width=right_w, height=40, center=True)
        text.draw(
            canvas, x + right_w / 2, top - 82, f"Order #{order.number}", 9, BOLD, align="center"
        )
        if sheet.page_in_document > 1:
            canvas.setFillColor(MUTED)
            text.draw(canvas, sheet.left, top - 95, f"continued · page {sheet.page_in_document}", 8)
        sheet.y = min(bottom, top - 90) - 10
        layout.rule(sheet, 12, INK, 1.2)

    return header


def _page_slip(
    canvas: Canvas, doc: DocumentOrder, settings: DocumentSettings, paper: Paper, prices: bool
) -> None:
    order = doc.order
    sheet = Sheet(canvas, paper, _slip_header(doc, settings))
    sheet.footer_text = f"{settings.store_name} · Order #{order.number}"
    sheet.start_page()
    # ship-to (left, large) and the order facts (right)
    top = sheet.y
    half = sheet.content_width * 0.55
    canvas.setFillColor(layout.ACCENT)
    text.draw(canvas, sheet.left, top - 8, "SHIP TO", 8, BOLD)
    address = order.shipping if not order.shipping.is_empty else order.billing
    lines = address.lines() or [order.customer_name]
    block = [(lines[0], 13.0, BOLD)] + [(line, 11.0, REGULAR) for line in lines[1:]]
    phone = address.phone or order.customer_phone
    if phone:
        block.append((f"Tel. {phone}", 10.0, REGULAR))
    left_bottom = layout.draw_block(canvas, sheet.left, top - 14, half - 10, block)
    facts = [
        ("Order number", f"#{order.number}"),
        ("Order date", format_date(order.date_created, settings.locale)),
        ("Shipping", ", ".join(doc.shipping_methods) or "—"),
        ("Items", _item_count(doc)),
    ]
    if order.payment_method == "cod" and not order.is_paid:
        facts.append(("Payment", "Cash on delivery — collect on delivery"))
    right_bottom = layout.label_value_rows(
        canvas, sheet.left + half + 10, top - 2, sheet.content_width - half - 10, facts, 9.5
    )
    sheet.y = min(left_bottom, right_bottom) - 14
    if order.customer_note.strip():
        layout.note_box(sheet, "Note from the customer", order.customer_note, 10.5)
    # items: those to pack with a tick box; digital ones apart, without one
    columns = [Column("Qty", 0.09, "center"), Column("Product", 0.55), Column("SKU", 0.22)]
    if prices:
        columns += [Column("Price", 0.16, "right"), Column("Total", 0.16, "right")]

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
        _nothing_to_pack(sheet, 10.5)
    if doc.digital_items:
        layout.section_title(sheet, DIGITAL_TITLE)
        layout.table(
            sheet,
            columns,
            rows_of(doc.digital_items),
            check_column=True,
            tick_boxes=False,
            zebra=False,
        )
    if prices:
        layout.totals(sheet, [("Items total", _money(order.items_total, settings), True)])
    _tracking_section(sheet, doc, qr_size=78)
    _confirm_block(sheet, order.number)
    if settings.slip_footer:
        sheet.ensure(30)
        sheet.y -= 8
        canvas.setFillColor(MUTED)
        text.draw(canvas, sheet.width / 2, sheet.y - 10, settings.slip_footer, 10, align="center")
        canvas.setFillColor(INK)
    sheet.finish_page()


def _tracking_section(sheet: Sheet, doc: DocumentOrder, *, qr_size: float) -> None:
    if not doc.tracking:
        return
    layout.section_title(sheet, "Shipment" if len(doc.tracking) == 1 else "Shipments")
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
        lines = [(_tracking_title(parcel), 8.5 if small else 10.5, BOLD)]
        if parcel.url:
            lines.append((parcel.url, 7 if small else 8.5, REGULAR))
        if parcel.local_only and parcel.code:
            lines.append(("(recorded by the store; not on the marketplace)", 7, REGULAR))
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
    canvas: Canvas, doc: DocumentOrder, settings: DocumentSettings, prices: bool
) -> None:
    """4×6 in label: ship-to first and large, the barcode full width, then a compact list."""
    order = doc.order
    paper = Paper.LABEL_4X6

    def header(sheet: Sheet) -> None:
        c = sheet.canvas
        top = sheet.y
        c.setFillColor(MUTED)
        text.draw(c, sheet.left, top - 8, settings.store_name, 8, BOLD)
        text.draw(c, sheet.right, top - 8, f"#{order.number}", 8, BOLD, align="right")
        c.setFillColor(INK)
        sheet.y = top - 12
        if sheet.page_in_document > 1:
            text.draw(c, sheet.left, sheet.y - 7, f"continued · label {sheet.page_in_document}", 7)
            sheet.y -= 12
        layout.rule(sheet, 6, INK, 0.8)

    sheet = Sheet(canvas, paper, header)
    sheet.footer_text = settings.slip_footer
    sheet.start_page()
    address = order.shipping if not order.shipping.is_empty else order.billing
    lines = address.lines() or [order.customer_name]
    canvas.setFillColor(layout.ACCENT)
    text.draw(canvas, sheet.left, sheet.y - 7, "SHIP TO", 7, BOLD)
    block = [(lines[0], 12.0, BOLD)] + [(line, 10.0, REGULAR) for line in lines[1:]]
    phone = address.phone or order.customer_phone
    if phone:
        block.append((f"Tel. {phone}", 9.0, REGULAR))
    sheet.y = layout.draw_block(canvas, sheet.left, sheet.y - 10, sheet.content_width, block) - 4
    layout.rule(sheet, 6)
    draw_code128(
        canvas, sheet.left, sheet.y - 38, order.number, width=sheet.content_width * 0.62, height=36
    )
    facts = [
        ("Order", f"#{order.number}"),
        ("Date", format_date(order.date_created, settings.locale)),
        ("Ship via", ", ".join(doc.shipping_methods) or "—"),
    ]
    x = sheet.left + sheet.content_width * 0.64
    layout.label_value_rows(canvas, x, sheet.y, sheet.right - x, facts, 7, label_share=0.0)
    sheet.y -= 46
    if order.customer_note.strip():
        layout.note_box(sheet, "Customer note", order.customer_note, 8)
    columns = [Column("Qty", 0.12, "center"), Column("Item", 0.88)]
    if prices:
        columns.append(Column("Total", 0.3, "right"))

    def rows_of(items: Sequence[LineItem]) -> list[list[Cell]]:
        rows = []
        for item in items:
            detail = _item_lines(doc, item)
            detail.append(f"SKU {item.sku}" if item.sku else "")
            row = [Cell([str(item.quantity)], True, 11), Cell([d for d in detail if d], True, 8.5)]
            if prices:
                row.append(Cell([_money(item.total, settings)], False, 8))
            rows.append(row)
        return rows

    if doc.parcel_items:
        layout.table(sheet, columns, rows_of(doc.parcel_items), header_size=6.5, check_column=True)
    else:
        _nothing_to_pack(sheet, 8.5)
    if doc.digital_items:
        layout.section_title(sheet, DIGITAL_TITLE, 6.5)
        layout.table(
            sheet,
            columns,
            rows_of(doc.digital_items),
            header_size=6.5,
            check_column=True,
            tick_boxes=False,
            zebra=False,
        )
    _tracking_section(sheet, doc, qr_size=64)
    _confirm_block(sheet, order.number)
    sheet.finish_page()


# ========================================================================== store invoice
#: What a preview prints instead of the number and date of an invoice not issued yet.
NOT_ISSUED_NUMBER = "Given when printed or saved"
NOT_ISSUED_DATE = "Day of issue"
#: The mark across every page of an invoice not issued yet.
PREVIEW_MARK = "PREVIEW"


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
    buffer = io.BytesIO()
    canvas = _canvas(buffer, paper, "Invoices", settings)
    for doc in documents:
        if not doc.invoice_number and not preview:
            raise ValueError(f"order #{doc.order.number} has no invoice number yet")
        _store_invoice(canvas, doc, settings, paper)
    canvas.save()
    return buffer.getvalue()


def _preview_mark(sheet: Sheet) -> None:
    """A large pale "PREVIEW" across the page (drawn first: the content prints over it)."""
    canvas = sheet.canvas
    canvas.saveState()
    canvas.translate(sheet.width / 2, sheet.height / 2)
    canvas.rotate(35)
    canvas.setFillColor(layout.WATERMARK)
    text.draw(canvas, 0, -40, PREVIEW_MARK, 110, BOLD, align="center")
    canvas.restoreState()


def _document_header(
    title: str,
    settings: DocumentSettings,
    facts: Callable[[], list[tuple[str, str]]],
    *,
    seller_ids: bool = False,
) -> Callable[[Sheet], None]:
    def header(sheet: Sheet) -> None:
        canvas = sheet.canvas
        top = sheet.y
        right_w = 210.0
        bottom = layout.store_block(
            canvas, settings, sheet.left, top, sheet.content_width - right_w - 20, small=False
        )
        if seller_ids:
            ids = [
                (f"VAT ID {settings.vat_id}" if settings.vat_id else "", 8.5, REGULAR),
                (f"Company no. {settings.company_id}" if settings.company_id else "", 8.5, REGULAR),
            ]
            bottom = layout.draw_block(
                canvas,
                sheet.left,
                bottom,
                sheet.content_width - right_w,
                [i for i in ids if i[0]],
                colors=[MUTED, MUTED],
            )
        canvas.setFillColor(layout.ACCENT)
        text.draw(canvas, sheet.right, top - 20, title, 20, BOLD, align="right")
        canvas.setFillColor(INK)
        rows = facts()
        if sheet.page_in_document > 1:
            rows = [*rows[:1], ("Page", str(sheet.page_in_document))]
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


def _store_invoice(
    canvas: Canvas, doc: DocumentOrder, settings: DocumentSettings, paper: Paper
) -> None:
    order = doc.order
    issued = bool(doc.invoice_number)
    date = doc.invoice_date or order.date_created

    def facts() -> list[tuple[str, str]]:
        return [
            ("Invoice number", doc.invoice_number if issued else NOT_ISSUED_NUMBER),
            ("Invoice date", format_date(date, settings.locale) if issued else NOT_ISSUED_DATE),
            ("Order number", f"#{order.number}"),
            ("Order date", format_date(order.date_created, settings.locale)),
            ("Payment method", order.payment_method_title or order.payment_method or "—"),
        ]

    header = _document_header("INVOICE", settings, facts, seller_ids=True)

    def preview_header(sheet: Sheet) -> None:
        _preview_mark(sheet)
        header(sheet)

    sheet = Sheet(canvas, paper, header if issued else preview_header)
    sheet.footer_text = (
        f"{settings.store_name} · Invoice {doc.invoice_number}"
        if issued
        else f"{settings.store_name} · Preview: the invoice number and date are given when "
        "it is printed or saved"
    )
    sheet.start_page()
    top = sheet.y
    half = sheet.content_width / 2
    billing = order.billing.lines()
    billing += [line for line in (order.billing.email, order.billing.phone) if line]
    left = _address_block(canvas, sheet.left, top, half - 12, "BILL TO", billing or ["—"])
    right = top
    if not order.shipping.is_empty and order.shipping.lines() != order.billing.lines():
        right = _address_block(
            canvas, sheet.left + half, top, half, "SHIP TO", order.shipping.lines()
        )
    sheet.y = min(left, right) - 16
    currency = order.currency
    columns = [
        Column("Product", 0.46),
        Column("Qty", 0.08, "center"),
        Column("Unit price", 0.16, "right"),
        Column("Tax", 0.13, "right"),
        Column("Amount", 0.17, "right"),
    ]
    rows = []
    for item in doc.items:
        unit = (item.subtotal * (Decimal(1) / item.quantity)) if item.quantity else item.price
        rows.append(
            [
                Cell([*_item_lines(doc, item), f"SKU {item.sku}" if item.sku else ""], True, 9.5),
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
    rows_t: list[tuple[str, str, bool]] = [("Subtotal", _money(net + discount, settings), False)]
    if not discount.is_zero:
        rows_t.append(("Discount", _money(-discount, settings), False))
    if not shipping.is_zero:
        rows_t.append(("Shipping", _money(shipping, settings), False))
    rows_t.append(("Tax", _money(tax + shipping_tax, settings), False))
    rows_t.append((f"Total ({currency})", _money(total, settings), True))
    refunded = doc.refund_total
    if not refunded.is_zero:
        rows_t.append(("Refunded", _money(-refunded, settings), False))
        rows_t.append(("Total after refunds", _money(total - refunded, settings), True))
    layout.totals(sheet, rows_t)
    sheet.y -= 6
    paid = "Paid" if order.is_paid else "Payment due"
    when = f" on {format_date(order.date_paid, settings.locale)}" if order.date_paid else ""
    method = order.payment_method_title or order.payment_method
    layout.draw_wrapped(
        sheet,
        sheet.left,
        f"{paid}{when} · {method}" if method else f"{paid}{when}",
        sheet.content_width,
        9.5,
        BOLD,
    )
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
@_with_binary_streams
def render_commission_invoices(
    documents: Sequence[DocumentOrder], settings: DocumentSettings, paper: Paper = Paper.A4
) -> bytes:
    """One commission statement per order: gross, commission and earning per item, fees,
    refunds, net earning and the payout state — for the vendor's own books."""
    if paper.is_label:
        raise ValueError("commission invoices are printed on A4 or Letter")
    buffer = io.BytesIO()
    canvas = _canvas(buffer, paper, "Commission invoices", settings)
    for doc in documents:
        _commission_invoice(canvas, doc, settings, paper)
    canvas.save()
    return buffer.getvalue()


def _commission_invoice(
    canvas: Canvas, doc: DocumentOrder, settings: DocumentSettings, paper: Paper
) -> None:
    order = doc.order
    currency = order.currency

    def facts() -> list[tuple[str, str]]:
        return [
            ("Statement", f"commission-{order.number}"),
            ("Order number", f"#{order.number}"),
            ("Order date", format_date(order.date_created, settings.locale)),
            ("Payment method", order.payment_method_title or order.payment_method or "—"),
            ("Payout", order.payout_state.label if order.payout_state.slug else "Unknown"),
        ]

    sheet = Sheet(canvas, paper, _document_header("COMMISSION", settings, facts))
    sheet.footer_text = f"{settings.store_name} · commission statement · Order #{order.number}"
    sheet.start_page()
    columns = [
        Column("Product", 0.40),
        Column("Qty", 0.07, "center"),
        Column("Gross", 0.15, "right"),
        Column("Commission", 0.19, "right"),
        Column("Earning", 0.19, "right"),
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
        lines = [*_item_lines(doc, item)] + ([f"SKU {item.sku}"] if item.sku else [])
        if item.refunded_amount:
            lines.append(f"Refunded {_money(item.refunded_amount, settings)}")
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
        ("Gross sales (your items)", _money(gross_total, settings), False)
    ]
    if not shipping.is_zero:
        rows_t.append(("Shipping", _money(shipping, settings), False))
    if not tax.is_zero:
        rows_t.append(("Tax", _money(tax, settings), False))
    rows_t.append(("Admin commission", _money(-(gross_total - earning_items), settings), False))
    if not charges.is_zero:
        rows_t.append(("Payout charges", _money(-charges, settings), False))
    if not refunded.is_zero:
        rows_t.append(("Refunds", _money(-refunded, settings), False))
    rows_t.append((f"Net earning ({currency})", _money(earning_total - charges, settings), True))
    layout.totals(sheet, rows_t, width_share=0.5)
    sheet.y -= 6
    state = order.payout_state.label if order.payout_state.slug else "Unknown"
    layout.draw_wrapped(sheet, sheet.left, f"Payout state: {state}", sheet.content_width, 10, BOLD)
    layout.draw_wrapped(
        sheet,
        sheet.left,
        "Earning as reported by the marketplace (commission rows). The net earning counts "
        "refunds the marketplace already deducted from the commission.",
        sheet.content_width,
        8,
        color=MUTED,
    )
    sheet.finish_page()


# =============================================================================== pick list
def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


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
    buffer = io.BytesIO()
    canvas = _canvas(buffer, paper, "Pick list", settings)
    canvas_now = now or datetime.now(UTC)
    _pick_list(canvas, documents, settings, paper, canvas_now)
    canvas.save()
    return buffer.getvalue()


def _pick_list(
    canvas: Canvas,
    documents: Sequence[DocumentOrder],
    settings: DocumentSettings,
    paper: Paper,
    now: datetime,
) -> None:
    picks = pick_lines(documents)
    units = sum(p.quantity for p in picks)
    orders = sum(1 for doc in documents if doc.parcel_items)
    small = paper.is_label

    def header(sheet: Sheet) -> None:
        c = sheet.canvas
        top = sheet.y
        c.setFillColor(layout.ACCENT)
        text.draw(c, sheet.left, top - 18, "PICK LIST", 13 if small else 20, BOLD)
        c.setFillColor(MUTED)
        summary = (
            f"{_count(orders, 'order')} · {_count(len(picks), 'product')} · "
            f"{_count(units, 'unit')} · {format_date(now, settings.locale)}"
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
    sheet.footer_text = "Pick list"
    sheet.start_page()
    columns = [
        Column("Qty", 0.08, "center"),
        Column("SKU", 0.26),
        Column("Product", 0.38),
        Column("Orders", 0.28),
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
    _confirm_list(sheet, [doc for doc in documents if doc.parcel_items])
    sheet.finish_page()


#: The title of the pick list's last section: each order's confirm barcode.
CONFIRM_LIST_TITLE = "Confirm codes · packed? Scan the order's code to mark it shipped"


def _confirm_list(sheet: Sheet, documents: Sequence[DocumentOrder]) -> None:
    """Each order of the pick list with its confirm barcode, one order a row."""
    if not documents:
        return
    small = sheet.paper.is_label
    sheet.y -= 8
    layout.section_title(sheet, CONFIRM_LIST_TITLE, 6.5 if small else 8.0)
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
        text.draw(canvas, sheet.left, top - 14, f"Order #{order.number}", 9 if small else 11, BOLD)
        canvas.setFillColor(MUTED)
        text_width = sheet.content_width - bars_width - 8
        shown = text.wrap(name, text_width, 8) or [""]
        text.draw(canvas, sheet.left, top - 25, shown[0] + ("…" if len(shown) > 1 else ""), 8)
        text.draw(canvas, sheet.left, top - 34, code, 6.5)
        canvas.setFillColor(INK)
        draw_code128(
            canvas, sheet.right - bars_width, top - row + 6, code, width=bars_width, height=row - 12
        )
        sheet.y = top - row
        layout.rule(sheet, 0)
