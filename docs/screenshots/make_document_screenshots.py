"""Render the documents of the demo shop to PNGs for the docs (slip-a4.png, slip-label.png,
store-invoice.png, commission-invoice.png, pick-list.png).

The demo data is the generated simulator's, synced into a temporary cache over loopback, as
the app does; the first page of each PDF is rendered with pypdfium2.

    python3 docs/screenshots/make_document_screenshots.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

import pypdfium2 as pdfium  # noqa: E402
from _shots import demo_document_orders  # noqa: E402

from vendor_desk import documents as docs  # noqa: E402

SETTINGS = docs.DocumentSettings(
    store_name="Harbor & Pine Goods",
    address_lines=("2 Quay Street", "Bristol BS1 4DJ", "United Kingdom"),
    email="hello@harborpine.example",
    phone="+44 117 496 0123",
    website="harborpine.example",
    vat_id="GB123456789",
    company_id="09876543",
    invoice_prefix="HP-",
    invoice_padding=5,
    invoice_footer=("Bank: Harbor Bank · IBAN GB33 BUKB 2020 1555 5555 55",),
)


def save(pdf: bytes, name: str, scale: float) -> None:
    document = pdfium.PdfDocument(pdf)
    try:
        document[0].render(scale=scale).to_pil().save(HERE / name)
    finally:
        document.close()
    print(HERE / name)


def main() -> None:
    with (
        tempfile.TemporaryDirectory() as folder,
        demo_document_orders(Path(folder)) as (env, orders),
    ):
        shipped = next(d for d in orders if any(t.url for t in d.tracking) and len(d.items) > 1)
        noted = next((d for d in orders if d.order.customer_note and len(d.items) > 1), shipped)
        # the A4 slip: a parcel of several items and an e-book (listed apart, not packed)
        packed = next(
            (
                d
                for d in orders
                if any(t.url for t in d.tracking) and len(d.parcel_items) > 1 and d.digital_items
            ),
            shipped,
        )
        save(docs.render_packing_slips([packed], SETTINGS, docs.Paper.A4), "slip-a4.png", 1.4)
        save(
            docs.render_packing_slips([noted], SETTINGS, docs.Paper.LABEL_4X6),
            "slip-label.png",
            2.2,
        )
        invoiced = docs.load_document_orders(
            env.cache,
            env.account_id,
            [shipped.order.id],
            invoice_settings=SETTINGS,
            issue_invoices=True,
        )
        save(docs.render_store_invoices(invoiced, SETTINGS), "store-invoice.png", 1.4)
        save(docs.render_commission_invoices([shipped], SETTINGS), "commission-invoice.png", 1.4)
        to_pick = [d for d in orders if d.order.vendor_status.slug == "processing"][:15]
        save(docs.render_pick_list(to_pick or orders[:15], SETTINGS), "pick-list.png", 1.4)


if __name__ == "__main__":
    main()
