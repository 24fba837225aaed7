"""Render the documents in French, for a French seller, to PNGs for the docs
(docs/screenshots/fr/: slip-a4.png, invoice.png, commission-invoice.png, pick-list.png).

The demo data is the generated simulator's, in euros, synced into a temporary cache over
loopback as the app does; the documents' language is French (Document Settings → Language)
while the process speaks English — as a French seller's documents print from any window. The
store invoice is for a business customer (a company in the billing address), so that every
legal mention shows: SIRET, intra-EU VAT number, date of sale, amounts excl./incl. tax with
the rate, late-payment penalties and the 40 € recovery compensation.

    python3 docs/screenshots/make_french_document_screenshots.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "fr"
sys.path.insert(0, str(HERE.parent.parent))

import pypdfium2 as pdfium  # noqa: E402
from _shots import demo_document_orders  # noqa: E402

from vendor_desk import documents as docs  # noqa: E402

SETTINGS = docs.DocumentSettings(
    language="fr",
    store_name="L'Atelier du Réemploi",
    address_lines=("12 rue des Tanneurs", "69001 Lyon", "France"),
    email="bonjour@atelier-reemploi.example",
    phone="04 78 00 00 00",
    website="atelier-reemploi.example",
    siret="732 829 320 00074",
    vat_id="FR44732829320",
    company_id="RCS Lyon 732 829 320",
    late_payment_text=(
        "Pénalités de retard : trois fois le taux d'intérêt légal, exigibles le jour suivant "
        "la date de règlement. Pas d'escompte pour paiement anticipé."
    ),
    recovery_fee=True,
    invoice_prefix="F-",
    invoice_padding=5,
    invoice_footer=("Banque : Crédit Lyonnais · IBAN FR76 3000 2005 5000 0015 7845 Z02",),
)


def save(pdf: bytes, name: str, scale: float) -> None:
    OUT.mkdir(exist_ok=True)
    document = pdfium.PdfDocument(pdf)
    try:
        document[0].render(scale=scale).to_pil().save(OUT / name)
    finally:
        document.close()
    print(OUT / name)


def main() -> None:
    with (
        tempfile.TemporaryDirectory() as folder,
        demo_document_orders(Path(folder), currency="EUR") as (env, orders),
    ):
        packed = next(
            (
                d
                for d in orders
                if any(t.url for t in d.tracking) and len(d.parcel_items) > 1 and d.digital_items
            ),
            orders[0],
        )
        save(docs.render_packing_slips([packed], SETTINGS, docs.Paper.A4), "slip-a4.png", 1.4)
        business = next(
            d
            for d in orders
            if d.order.billing.company and d.tax_rates and len(d.items) > 1 and d.order.is_paid
        )
        invoiced = docs.load_document_orders(
            env.cache,
            env.account_id,
            [business.order.id],
            invoice_settings=SETTINGS,
            issue_invoices=True,
        )
        save(docs.render_store_invoices(invoiced, SETTINGS), "invoice.png", 1.4)
        save(docs.render_commission_invoices([business], SETTINGS), "commission-invoice.png", 1.4)
        to_pick = [d for d in orders if d.order.vendor_status.slug == "processing"][:15]
        save(docs.render_pick_list(to_pick or orders[:15], SETTINGS), "pick-list.png", 1.4)


if __name__ == "__main__":
    main()
