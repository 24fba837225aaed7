"""The marketplace's own copies of an order's documents, kept next to the app's own (no Qt).

So far: the store invoice WCFM Ultimate files per vendor (wcfm-api.md §4.7). The window offers
"Marketplace's store invoice…" when :func:`has_store_invoice` says the cached order names one,
downloads it with :meth:`WcfmMarketplace.download_store_invoice` on the account's worker, and
keeps the bytes with :func:`save_store_invoice` before opening the file.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from vendor_desk.domain import Order
from vendor_desk.marketplace.invoices import (
    looks_like_pdf,
    store_invoice_path,
    uploads_relative_path,
)

_UNSAFE_FILE_CHARS = re.compile(r"[^A-Za-z0-9._-]+")


def has_store_invoice(order: Order, vendor_id: int) -> bool:
    """Whether the order, as cached, names a downloadable store invoice of ``vendor_id``.

    Reads ``order.raw`` (the marketplace's order JSON with its ``meta_data``): an order loaded
    without its JSON says False.
    """
    path = store_invoice_path(order.raw, vendor_id)
    return path is not None and uploads_relative_path(path) is not None


def store_invoice_file_name(order_number: str) -> str:
    """``store-invoice-<number>.pdf``, the number reduced to characters safe in file names."""
    safe = _UNSAFE_FILE_CHARS.sub("-", order_number.strip()).strip(".-") or "order"
    return f"store-invoice-{safe}.pdf"


def save_store_invoice(pdf_bytes: bytes, folder: Path | str, order_number: str) -> Path:
    """Write the downloaded invoice as ``<folder>/store-invoice-<number>.pdf`` and return it.

    The file appears complete or not at all (written to a temporary file in the same folder,
    flushed, then renamed over any older copy). The folder is created if needed.

    Raises:
        ValueError: ``pdf_bytes`` is not a PDF.
        OSError: the folder cannot be written.
    """
    if not looks_like_pdf(pdf_bytes):
        raise ValueError("not a PDF document")
    directory = Path(folder)
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / store_invoice_file_name(order_number)
    handle, temp_name = tempfile.mkstemp(prefix=".store-invoice-", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(pdf_bytes)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp_name, target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return target


__all__ = ["has_store_invoice", "save_store_invoice", "store_invoice_file_name"]
