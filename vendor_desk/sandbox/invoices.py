"""The marketplace's own PDFs (WCFM Ultimate + "PDF Invoices & Packing Slips"): the commission
invoice and the packing slip the dashboard downloads, and the store invoice WCFM files under
``wp-content/uploads`` when WooCommerce mails the customer.

The PDFs are small but valid documents built by hand (one or more A4 pages of Helvetica text);
they carry what the real ones carry: the order number and the vendor's items only.

Store invoices: :func:`issue_store_invoice` is the hook the order-status operations call when
WooCommerce would send a customer mail (the main status switching to ``completed``); it writes
the file into ``state.uploads`` and the order meta ``_wcfm_store_invoices`` /
``_wcfm_store_invoice_ids`` exactly like WCFM Ultimate. Callers hold ``state.lock``.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal

from vendor_desk.sandbox.model import (
    SEQ_POST_META,
    MarketplaceState,
    MetaEntry,
    Order,
    User,
    utcnow,
)

#: WordPress' ``ABSPATH`` on the recorded site; ``_wcfm_store_invoices`` holds server paths.
ABSPATH = "/var/www/html/"
UPLOADS_PREFIX = "wp-content/uploads/"


# ------------------------------------------------------------------------- PDF writer
def _pdf_text(text: str) -> str:
    """A PDF literal string in WinAnsi/Latin-1 (other characters become ``?``)."""
    encoded = text.encode("latin-1", "replace").decode("latin-1")
    return encoded.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def build_pdf(title: str, lines: list[str]) -> bytes:
    """A minimal valid PDF: A4 pages of Helvetica text lines (50 lines per page)."""
    per_page = 50
    chunks = [lines[i : i + per_page] for i in range(0, len(lines), per_page)] or [[]]
    objects: list[bytes] = []

    def add(obj: bytes) -> int:
        objects.append(obj)
        return len(objects)

    catalog = add(b"")  # filled below
    pages = add(b"")
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    bold = add(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>"
    )
    page_ids: list[int] = []
    for index, chunk in enumerate(chunks):
        ops = ["BT", "/F2 16 Tf", "50 792 Td", f"({_pdf_text(title)}) Tj", "/F1 10 Tf", "0 -24 Td"]
        if index:
            ops[3] = f"({_pdf_text(title)} (continued)) Tj"
        for line in chunk:
            ops.append(f"({_pdf_text(line)}) Tj")
            ops.append("0 -14 Td")
        ops.append("ET")
        stream = "\n".join(ops).encode("latin-1")
        content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        page_ids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] "
                b"/Resources << /Font << /F1 %d 0 R /F2 %d 0 R >> >> /Contents %d 0 R >>"
                % (pages, font, bold, content)
            )
        )
    kids = " ".join(f"{pid} 0 R" for pid in page_ids).encode()
    objects[pages - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(page_ids))
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets: list[int] = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        catalog,
        xref,
    )
    return bytes(out)


# ------------------------------------------------------------------------- documents
def _money(state: MarketplaceState, amount: Decimal) -> str:
    symbol = {"USD": "$", "EUR": "EUR ", "GBP": "GBP "}.get(state.settings.currency, "")
    return f"{symbol}{amount.quantize(Decimal('0.01'))}"


def _address_lines(order: Order, shipping: bool) -> list[str]:
    address = order.shipping if shipping and order.shipping.address_1 else order.billing
    lines = [f"{address.first_name} {address.last_name}".strip(), address.company]
    lines += [address.address_1, address.address_2]
    lines.append(" ".join(part for part in (address.city, address.state, address.postcode) if part))
    lines.append(address.country)
    return [line for line in lines if line]


def _store_name(vendor: User | None) -> str:
    if vendor is not None and vendor.store is not None:
        return vendor.store.store_name
    return vendor.display_name if vendor is not None else ""


def commission_invoice_pdf(state: MarketplaceState, order: Order, vendor_id: int) -> bytes:
    """The vendor's commission invoice ("invoice-N.pdf"): items, earnings, tracking, totals.

    Like the real one, an order without the vendor's items gives an empty item table.
    """
    vendor = state.users.get(vendor_id)
    rows = {row.item_id: row for row in state.commissions_of_order(order.id, vendor_id)}
    lines = [
        f"Store: {_store_name(vendor)}",
        f"Order Number: {order.id}",
        f"Order Date: {order.date_created:%B %d, %Y}",
        f"Payment Method: {order.payment_method_title}",
        "",
        "Product | Quantity | Price | Earning",
    ]
    total_earning = Decimal("0")
    gross = Decimal("0")
    for item in order.items_of(vendor_id):
        row = rows.get(item.id)
        earning = row.commission_amount if row else Decimal("0")
        total_earning += row.total_commission if row else Decimal("0")
        gross += item.total
        price = _money(state, item.total)
        lines.append(f"{item.name} | {item.quantity} | {price} | {_money(state, earning)}")
        code = item.meta_value("wcfm_tracking_code")
        url = item.meta_value("wcfm_tracking_url")
        if code:
            lines.append(f"    Tracking Code: {code}")
        if url:
            lines.append(f"    Tracking URL: {url}")
    lines += [
        "",
        f"Total Earning: {_money(state, total_earning)}",
        f"Admin Fee: {_money(state, gross - total_earning)}",
    ]
    return build_pdf("Commission Invoice", lines)


def packing_slip_pdf(state: MarketplaceState, order: Order, vendor_id: int | None) -> bytes:
    """The packing slip ("packing-slip-N.pdf"): ship-to address and the vendor's items only
    (``vendor_id`` None = every item, as for the admin)."""
    items = order.items if vendor_id is None else order.items_of(vendor_id)
    lines = ["Ship To:", *(f"    {line}" for line in _address_lines(order, True)), ""]
    lines += [f"Order Number: {order.id}", f"Order Date: {order.date_created:%B %d, %Y}"]
    if order.shipping_lines:
        lines.append(f"Shipping Method: {order.shipping_lines[0].method_title}")
    if order.customer_note:
        lines.append(f"Customer Note: {order.customer_note}")
    lines += ["", "Product | SKU | Quantity"]
    for item in items:
        lines.append(f"{item.name} | {item.sku} | {item.quantity}")
    return build_pdf("Packing Slip", lines)


def store_invoice_pdf(state: MarketplaceState, order: Order, vendor_id: int, number: str) -> bytes:
    """The customer-facing invoice in the vendor's name (Store Invoice)."""
    vendor = state.users.get(vendor_id)
    lines = [f"{_store_name(vendor)}"]
    if vendor is not None and vendor.store is not None:
        store = vendor.store
        lines += [part for part in (store.street_1, f"{store.city} {store.zip}".strip()) if part]
    lines += ["", "Bill To:", *(f"    {line}" for line in _address_lines(order, False)), ""]
    lines += [
        f"Invoice Number: {number}",
        f"Invoice Date: {utcnow():%B %d, %Y}",
        f"Order Number: {order.id}",
        f"Order Date: {order.date_created:%B %d, %Y}",
        f"Payment Method: {order.payment_method_title}",
        "",
        "Product | Quantity | Price",
    ]
    subtotal = Decimal("0")
    for item in order.items_of(vendor_id):
        subtotal += item.total
        lines.append(f"{item.name} | {item.quantity} | {_money(state, item.total)}")
    lines += ["", f"Subtotal: {_money(state, subtotal)}", f"Total: {_money(state, subtotal)}"]
    return build_pdf("Invoice", lines)


# ------------------------------------------------------------------------- store invoice
def store_invoice_relative_path(
    order: Order, vendor_id: int, number: str, when_year: int, when_month: int
) -> str:
    vendor_hash = hashlib.md5(str(vendor_id).encode()).hexdigest()
    order_hash = hashlib.md5(str(order.id).encode()).hexdigest()
    return (
        f"{UPLOADS_PREFIX}wcfm/vendor_invoice/{vendor_hash}/{when_year:04d}/{when_month:02d}/"
        f"{order_hash}/invoice-{number}.pdf"
    )


def _set_meta(state: MarketplaceState, order: Order, key: str, value: object) -> None:
    for entry in order.meta:
        if entry.key == key:
            entry.value = value
            return
    order.meta.append(MetaEntry(state.next_id(SEQ_POST_META), key, value))


def store_invoices_enabled(state: MarketplaceState) -> bool:
    return state.settings.edition == "ultimate" and state.settings.store_invoice


def issue_store_invoice(state: MarketplaceState, order_id: int, vendor_id: int) -> str | None:
    """Generate (or regenerate) the vendor's store invoice of an order, as WCFM Ultimate does
    when WooCommerce sends the customer an order mail. Returns the attachment's file name
    (``invoice-000001.pdf``), or None when store invoices are off (free edition, setting off)
    or the vendor has no item in the order.

    The number comes from ``_wcfm_store_invoice_ids`` (kept on regeneration) or the vendor's
    ``last_store_invoice_no`` + 1; the file lands in ``state.uploads`` under
    ``wp-content/uploads/wcfm/vendor_invoice/<md5(vendor)>/<YYYY>/<MM>/<md5(order)>/``; the
    order meta ``_wcfm_store_invoices`` maps the vendor id (string key) to the server path.
    """
    if not store_invoices_enabled(state):
        return None
    order = state.orders.get(order_id)
    vendor = state.users.get(vendor_id)
    if order is None or vendor is None or not order.items_of(vendor_id):
        return None
    ids = dict(order.meta_value("_wcfm_store_invoice_ids") or {})
    paths = dict(order.meta_value("_wcfm_store_invoices") or {})
    number = ids.get(str(vendor_id))
    if not number:
        vendor.last_store_invoice_no += 1
        number = f"{vendor.last_store_invoice_no:06d}"
    existing = paths.get(str(vendor_id))
    if existing and str(existing).startswith(ABSPATH):
        relative = str(existing)[len(ABSPATH) :]
    else:
        now = utcnow()
        relative = store_invoice_relative_path(order, vendor_id, number, now.year, now.month)
    state.uploads[relative] = store_invoice_pdf(state, order, vendor_id, number)
    ids[str(vendor_id)] = number
    paths[str(vendor_id)] = ABSPATH + relative
    _set_meta(state, order, "_wcfm_store_invoices", paths)
    _set_meta(state, order, "_wcfm_store_invoice_ids", ids)
    return f"invoice-{number}.pdf"


def issue_store_invoices(state: MarketplaceState, order_id: int) -> list[str]:
    """:func:`issue_store_invoice` for every vendor of the order; the attachment names."""
    order = state.orders.get(order_id)
    if order is None:
        return []
    names: list[str] = []
    for vendor_id in order.vendor_ids():
        name = issue_store_invoice(state, order_id, vendor_id)
        if name:
            names.append(name)
    return names


def uploaded_file(state: MarketplaceState, relative_path: str) -> bytes | None:
    """The content of ``wp-content/uploads/…`` (no leading slash), or None.

    A store invoice referenced by an order's ``_wcfm_store_invoices`` meta but not written yet
    (the meta was set by code that did not call :func:`issue_store_invoice`) is generated on
    first access, so the file exists exactly when the meta points to it.
    """
    content = state.uploads.get(relative_path)
    if content is not None or not relative_path.startswith(UPLOADS_PREFIX):
        return content
    server_path = ABSPATH + relative_path
    for order in state.orders.values():
        paths = order.meta_value("_wcfm_store_invoices")
        if not isinstance(paths, dict):
            continue
        for vendor_key, path in paths.items():
            if path != server_path:
                continue
            ids = order.meta_value("_wcfm_store_invoice_ids") or {}
            number = ids.get(vendor_key) if isinstance(ids, dict) else None
            if not number:
                number = relative_path.rsplit("invoice-", 1)[-1].removesuffix(".pdf")
            content = store_invoice_pdf(state, order, int(vendor_key), str(number))
            state.uploads[relative_path] = content
            return content
    return None


def store_invoice_url(state: MarketplaceState, order: Order, vendor_id: int) -> str | None:
    """The public URL of the vendor's store invoice (what the dashboard links), if any."""
    paths = order.meta_value("_wcfm_store_invoices") or {}
    path = paths.get(str(vendor_id)) if isinstance(paths, dict) else None
    if not path or not str(path).startswith(ABSPATH):
        return None
    return f"{state.settings.site_url}/{str(path)[len(ABSPATH) :]}"
