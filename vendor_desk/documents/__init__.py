"""PDF documents (reportlab). No Qt.

Packing slips, store invoices, commission invoices and pick lists, rendered to PDF bytes from
cached orders, offline. The window previews and prints these same bytes; the command line
writes them to a file. Typical use::

    from vendor_desk import documents as docs

    with cache.session() as session:
        settings = docs.load_settings(session, account_id).with_store(store_settings_or_none)
    orders = docs.load_document_orders(cache, account_id, [1201, 1187])
    pdf = docs.render_packing_slips(orders, settings, docs.Paper.LABEL_4X6)

    # store invoices: the marketplace's number, or a local one issued when the invoice is
    # first printed or saved — a preview shows a placeholder and uses up no number
    orders = docs.load_document_orders(cache, account_id, ids, invoice_settings=settings)
    preview = docs.render_store_invoices(orders, settings, preview=True)
    orders = docs.issue_store_invoices(cache, account_id, orders, settings)  # printing now
    pdf = docs.render_store_invoices(orders, settings)

:func:`render` dispatches on a :class:`DocumentKind`. See docs/documents.md.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from vendor_desk.documents.formatting import format_date, format_money
from vendor_desk.documents.model import (
    DocumentKind,
    DocumentOrder,
    DocumentSettings,
    Paper,
    Tracking,
    sort_orders,
)
from vendor_desk.documents.numbering import format_invoice_number, issue_invoice_numbers
from vendor_desk.documents.sources import (
    UnknownOrders,
    document_order,
    issue_store_invoices,
    load_document_orders,
    load_settings,
    save_settings,
)

if TYPE_CHECKING:
    from vendor_desk.documents.renderers import (
        PickLine,
        pick_lines,
        render_commission_invoices,
        render_packing_slips,
        render_pick_list,
        render_store_invoices,
    )

#: The renderers (reportlab's canvas, barcodes) load on first use: the window starts without them.
_RENDERERS = frozenset(
    {
        "PickLine",
        "pick_lines",
        "render_commission_invoices",
        "render_packing_slips",
        "render_pick_list",
        "render_store_invoices",
    }
)


def __getattr__(name: str) -> Any:
    if name not in _RENDERERS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module("vendor_desk.documents.renderers"), name)
    globals()[name] = value
    return value


def render(
    kind: DocumentKind,
    documents: Sequence[DocumentOrder],
    settings: DocumentSettings,
    paper: Paper = Paper.A4,
    *,
    preview: bool = False,
) -> bytes:
    """The PDF of one kind of document for ``documents`` (in the order given). With
    ``preview``, store invoices not issued yet show a placeholder instead of their number."""
    from vendor_desk.documents import renderers

    if kind is DocumentKind.SLIP:
        return renderers.render_packing_slips(documents, settings, paper)
    if kind is DocumentKind.INVOICE:
        return renderers.render_store_invoices(documents, settings, paper, preview=preview)
    if kind is DocumentKind.COMMISSION:
        return renderers.render_commission_invoices(documents, settings, paper)
    return renderers.render_pick_list(documents, settings, paper)


__all__ = [
    "DocumentKind",
    "DocumentOrder",
    "DocumentSettings",
    "Paper",
    "PickLine",
    "Tracking",
    "UnknownOrders",
    "document_order",
    "format_date",
    "format_invoice_number",
    "format_money",
    "issue_invoice_numbers",
    "issue_store_invoices",
    "load_document_orders",
    "load_settings",
    "pick_lines",
    "render",
    "render_commission_invoices",
    "render_packing_slips",
    "render_pick_list",
    "render_store_invoices",
    "save_settings",
    "sort_orders",
]
