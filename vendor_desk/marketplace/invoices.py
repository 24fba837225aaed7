"""The marketplace's own copy of a store invoice (WCFM Ultimate, wcfm-api.md §4.7).

WCFM Ultimate files a customer-facing "store invoice" per vendor when WooCommerce mails the
customer (e.g. when the order completes). There is no API for it: the order meta
``_wcfm_store_invoices`` = ``{"<vendor_id>": "/abs/server/path/…/invoice-000001.pdf"}`` holds the
file's **server path**, and the dashboard links it by swapping the uploads base directory for the
uploads base URL. Since REST orders carry their ``meta_data``, the app does the same:
``…/wp-content/uploads/<rest>`` → ``<site>/wp-content/uploads/<rest>`` (a public static file).

Pure functions, stdlib only (the documents layer and the window use them on cached orders
without loading the HTTP client).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

#: Order meta key: vendor id (as a string) → server path of that vendor's store invoice.
STORE_INVOICES_META = "_wcfm_store_invoices"
#: WordPress' default uploads directory, relative to the site root (and to ABSPATH).
UPLOADS_DIR = "wp-content/uploads/"
#: The first bytes of every PDF file.
PDF_MAGIC = b"%PDF-"


def _meta_entries(source: Mapping[str, Any] | Sequence[Any]) -> Sequence[Any]:
    """The ``meta_data`` list of an order JSON object, or ``source`` itself when it is one."""
    if isinstance(source, Mapping):
        entries = source.get("meta_data")
        return entries if isinstance(entries, list) else []
    if isinstance(source, str | bytes):
        return []
    return source


def _as_mapping(value: Any) -> Mapping[Any, Any] | None:
    """The meta value as a mapping; tolerates a JSON-encoded string (some sites send those)."""
    if isinstance(value, str) and value.lstrip().startswith("{"):
        try:
            value = json.loads(value)
        except ValueError:
            return None
    return value if isinstance(value, Mapping) else None


def store_invoice_path(
    raw_order_or_meta: Mapping[str, Any] | Sequence[Any], vendor_id: int
) -> str | None:
    """The server path of ``vendor_id``'s store invoice recorded on an order, or None.

    Args:
        raw_order_or_meta: the order's JSON object as the marketplace sent it (``Order.raw``,
            with its ``meta_data``), or that ``meta_data`` list itself.
        vendor_id: whose invoice (an order split between vendors has one per vendor).
    """
    for entry in _meta_entries(raw_order_or_meta):
        if not isinstance(entry, Mapping) or entry.get("key") != STORE_INVOICES_META:
            continue
        paths = _as_mapping(entry.get("value"))
        if paths is None:
            continue
        path = paths.get(str(vendor_id), paths.get(vendor_id))
        if isinstance(path, str) and path.strip():
            return path.strip()
    return None


def uploads_relative_path(server_path: str) -> str | None:
    """The part of a server path after ``wp-content/uploads/`` (``wcfm/vendor_invoice/…pdf``),
    with ``/`` separators; None when the path is not inside an uploads directory, names no
    file, or climbs out of it (``..``)."""
    path = "/" + server_path.replace("\\", "/").lstrip("/")
    marker = "/" + UPLOADS_DIR
    index = path.find(marker)
    if index < 0:
        return None
    segments = [segment for segment in path[index + len(marker) :].split("/") if segment]
    if not segments or any(segment in {".", ".."} for segment in segments):
        return None
    if path.endswith("/"):
        return None  # a directory, not a file
    return "/".join(segments)


def store_invoice_url(base_url: str, server_path: str) -> str | None:
    """The public address of a file the marketplace keeps under its uploads directory.

    ``/var/www/html/wp-content/uploads/wcfm/a b.pdf`` with ``https://shop.example`` gives
    ``https://shop.example/wp-content/uploads/wcfm/a%20b.pdf`` (each path segment
    percent-encoded). None when the path is not under ``wp-content/uploads`` (see
    :func:`uploads_relative_path`).
    """
    relative = uploads_relative_path(server_path)
    if relative is None:
        return None
    encoded = "/".join(quote(segment, safe="") for segment in relative.split("/"))
    return f"{base_url.rstrip('/')}/{UPLOADS_DIR}{encoded}"


def looks_like_pdf(content: bytes) -> bool:
    """Whether ``content`` is a PDF file: the ``%PDF-`` header within the first 1024 bytes
    (where PDF readers look for it; a PHP notice printed before it is tolerated)."""
    return PDF_MAGIC in content[:1024]


def store_invoice_file_name(server_path: str) -> str:
    """The marketplace's own file name of the invoice (``invoice-000001.pdf``)."""
    return server_path.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]


__all__ = [
    "PDF_MAGIC",
    "STORE_INVOICES_META",
    "UPLOADS_DIR",
    "looks_like_pdf",
    "store_invoice_file_name",
    "store_invoice_path",
    "store_invoice_url",
    "uploads_relative_path",
]
