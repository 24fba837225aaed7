"""Documents in French (issue 16 §3), from real orders of a shop selling in euros, synced over
HTTP into a real cache, read back with pypdf: French headings and words, amounts and dates the
French way, whatever the app's own language (and English documents from a French app); a French
seller's legal mentions on the invoice, each printed only when filled in."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from tests.documents.conftest import pdf_text
from tests.sync.conftest import Env, make_env
from vendor_desk import documents as docs
from vendor_desk import i18n
from vendor_desk.cache.queries import order_ids
from vendor_desk.documents.formatting import (
    format_date,
    format_long_date,
    format_money,
    format_percent,
)
from vendor_desk.documents.legal import siret_problem, vat_problem
from vendor_desk.domain import Money

SELLER = docs.DocumentSettings(
    store_name="L'Atelier du Réemploi",
    address_lines=("12 rue des Tanneurs", "69001 Lyon", "France"),
)
LEGAL = dataclasses.replace(
    SELLER,
    siret="732 829 320 00074",
    vat_id="FR44732829320",
    late_payment_text="Pénalités de retard : trois fois le taux d'intérêt légal.",
    recovery_fee=True,
)
#: A French amount: "1 234,50 €" (the spaces read back as plain spaces).
FRENCH_AMOUNT = re.compile(r"-?\d{1,3}(?: \d{3})*,\d{2} €")
ENGLISH_AMOUNT = re.compile(r"-?€\d{1,3}(?:,\d{3})*\.\d{2}")


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Env]:
    """A generated shop selling in euros (tax lines, business customers), synced once."""
    gen = make_env(tmp_path_factory.mktemp("french"), orders=80, seed=11, currency="EUR")
    env = next(gen)
    env.syncer().sync()
    try:
        yield env
    finally:
        gen.close()


@pytest.fixture
def app_language() -> Iterator[object]:
    """Set the app's language for a test (English again afterwards)."""
    try:
        yield i18n.set_language
    finally:
        i18n.set_language("en")


def _orders(env: Env) -> list[docs.DocumentOrder]:
    with env.cache.session() as session:
        ids = sorted(order_ids(session, env.account_id))
    return docs.load_document_orders(env.cache, env.account_id, ids)


def _read(pdf: bytes) -> str:
    """The PDF's text on one line, no-break spaces as spaces."""
    raw = " ".join(pdf_text(pdf)).replace("\u00a0", " ").replace("\u202f", " ")
    return " ".join(raw.split())


def _issued(doc: docs.DocumentOrder) -> docs.DocumentOrder:
    return dataclasses.replace(
        doc, invoice_number="F-00042", invoice_date=datetime(2026, 12, 5, 9, tzinfo=UTC)
    )


def _business(env: Env) -> docs.DocumentOrder:
    """An order billed to a company, with VAT, paid."""
    return next(
        d
        for d in _orders(env)
        if d.order.billing.company.strip() and d.tax_rates and d.order.date_paid
    )


def _private(env: Env) -> docs.DocumentOrder:
    """An order billed to a person, with VAT."""
    return next(d for d in _orders(env) if not d.order.billing.company.strip() and d.tax_rates)


def _shipped_slip(env: Env) -> docs.DocumentOrder:
    return next(d for d in _orders(env) if d.parcel_items and d.tracking)


def test_french_slip_from_an_english_app(shop: Env, app_language: object) -> None:
    i18n.set_language("en")
    doc = _shipped_slip(shop)
    french = dataclasses.replace(SELLER, language="fr", slip_prices=True)
    page = _read(docs.render_packing_slips([doc], french))
    number = doc.order.number
    for words in (
        "BON DE LIVRAISON",
        "ADRESSE DE LIVRAISON",
        f"Commande n° {number}",
        "N° de commande",
        "Date de commande",
        "Livraison",
        "Articles",
        "QTÉ",
        "PRODUIT",
        "UGS",
        "COLIS PRÊT ? SCANNEZ POUR L'EXPÉDIER",
        f"SHIP{number} · commande n° {number}",
        "Merci pour votre commande !",
        "Suivi :",
    ):
        assert words in page, words
    assert f"{doc.order.date_created:%d/%m/%Y}" in page  # 05/12/2026
    assert FRENCH_AMOUNT.search(page)  # prices on the slip: "26,00 €"
    assert not ENGLISH_AMOUNT.search(page)
    for english in ("PACKING SLIP", "SHIP TO", "Order #", "Thank you", "Tracking:", "SKU"):
        assert english not in page, english
    # the label too
    label = _read(docs.render_packing_slips([doc], french, docs.Paper.LABEL_4X6))
    assert "ADRESSE DE LIVRAISON" in label and "Transport" in label and "SHIP TO" not in label


def test_english_documents_from_a_french_app_and_the_default_follows_the_app(
    shop: Env, app_language: object
) -> None:
    i18n.set_language("fr")
    doc = _shipped_slip(shop)
    english = _read(docs.render_packing_slips([doc], dataclasses.replace(SELLER, language="en")))
    assert "PACKING SLIP" in english and "SHIP TO" in english
    assert "Thank you for your order!" in english
    assert "BON DE LIVRAISON" not in english and "Merci" not in english
    assert f"{doc.order.date_created:%b} {doc.order.date_created.day}," in english  # "Dec 5,"
    # no language chosen: the app's (French here), the French way even on an en_US computer
    default = SELLER.with_locale("en_US")
    page = _read(docs.render_packing_slips([doc], default))
    assert "BON DE LIVRAISON" in page and f"{doc.order.date_created:%d/%m/%Y}" in page
    i18n.set_language("en")
    assert "PACKING SLIP" in _read(docs.render_packing_slips([doc], SELLER))


def test_french_invoice_to_a_business_carries_the_legal_mentions(
    shop: Env, app_language: object
) -> None:
    i18n.set_language("en")
    doc = _issued(_business(shop))
    order = doc.order
    page = _read(docs.render_store_invoices([doc], dataclasses.replace(LEGAL, language="fr")))
    for words in (
        "FACTURE",
        "N° de facture F-00042",
        "Date de facture 05/12/2026",
        f"Date de la vente {order.date_paid:%d/%m/%Y}",  # the sale: when it was paid
        "ADRESSE DE FACTURATION",
        "PRIX UNIT. HT",
        "MONTANT HT",
        "Sous-total HT",
        "Total TTC (EUR)",
        "SIRET : 732 829 320 00074",
        "N° TVA intracommunautaire : FR44732829320",
        "Pénalités de retard : trois fois le taux d'intérêt légal.",
        "Indemnité forfaitaire pour frais de recouvrement en cas de retard de paiement : 40,00 €",
    ):
        assert words in page, words
    rates = " / ".join(f"{rate.normalize():f}".replace(".", ",") + " %" for rate in doc.tax_rates)
    assert f"TVA ({rates})" in page  # "TVA (20 %)"
    assert "Payée le" in page
    amounts = FRENCH_AMOUNT.findall(page)
    assert len(amounts) >= 6 and not ENGLISH_AMOUNT.search(page)
    first = doc.items[0].total
    assert f"{first.plain().replace('.', ',')} €" in page  # the first item's net amount
    assert "TVA non applicable" not in page  # not under the franchise
    for english in ("INVOICE", "BILL TO", "Subtotal", "Total incl. tax", "VAT number", "Paid on"):
        assert english not in page, english


def test_legal_mentions_only_when_filled_in(shop: Env, app_language: object) -> None:
    business = _issued(_business(shop))
    private = _issued(_private(shop))
    french = dataclasses.replace(SELLER, language="fr")
    # nothing filled in: none of them
    bare = _read(docs.render_store_invoices([business], french))
    for mention in ("SIRET", "SIREN", "TVA intracommunautaire", "293 B", "Pénalités", "Indemnité"):
        assert mention not in bare, mention
    assert "Date de la vente" in bare  # the date of sale is the order's, always printed
    # filled in, to a private customer: the seller's numbers, no late-payment mentions
    legal = dataclasses.replace(LEGAL, language="fr")
    to_person = _read(docs.render_store_invoices([private], legal))
    assert "SIRET : 732 829 320 00074" in to_person
    assert "Pénalités" not in to_person and "Indemnité forfaitaire" not in to_person
    # a SIREN alone
    siren = dataclasses.replace(french, siret="732829320")
    assert "SIREN : 732 829 320" in _read(docs.render_store_invoices([private], siren))
    # the penalties without the fixed compensation, when only they are filled in
    penalties = dataclasses.replace(legal, recovery_fee=False)
    page = _read(docs.render_store_invoices([business], penalties))
    assert "Pénalités de retard" in page and "Indemnité" not in page
    # the VAT franchise: the mention, and no excl./incl. tax on an order without VAT
    untaxed = _issued(
        next(
            d
            for d in _orders(shop)
            if not d.tax_rates and all(i.tax.is_zero for i in d.items) and d.items
        )
    )
    franchise = dataclasses.replace(legal, vat_franchise=True)
    page = _read(docs.render_store_invoices([untaxed], franchise))
    assert "TVA non applicable, art. 293 B du CGI" in page
    assert "Total (EUR)" in page and "TTC" not in page and "Sous-total HT" not in page
    # in English, the same mention for an English-speaking reader
    english = _read(
        docs.render_store_invoices([untaxed], dataclasses.replace(franchise, language="en"))
    )
    assert "VAT not applicable, art. 293 B of the French tax code (CGI)" in english


def test_french_commission_statement_and_pick_list(shop: Env, app_language: object) -> None:
    i18n.set_language("en")
    french = dataclasses.replace(LEGAL, language="fr")
    doc = _business(shop)
    page = _read(docs.render_commission_invoices([doc], french))
    for words in (
        "COMMISSION",
        "Relevé",
        f"commission-{doc.order.number}",
        "BRUT",
        "GAIN",
        "Ventes brutes (vos articles)",
        "Commission de la place de marché",
        "Gain net (EUR)",
        "État du versement :",
        "SIRET : 732 829 320 00074",
        f"relevé de commission · Commande n° {doc.order.number}",
    ):
        assert words in page, words
    assert FRENCH_AMOUNT.search(page) and not ENGLISH_AMOUNT.search(page)
    assert "Net earning" not in page and "Payout state" not in page
    to_pick = [d for d in _orders(shop) if d.parcel_items][:6]
    now = datetime(2026, 12, 5, 10, tzinfo=UTC)
    picked = _read(docs.render_pick_list(to_pick, french, now=now))
    assert "LISTE DE PRÉPARATION" in picked and "05/12/2026" in picked
    assert f"{len(to_pick)} commandes" in picked
    assert re.search(r"\d+ produits? · \d+ unités?", picked)
    assert "CODES DE VALIDATION" in picked and "COMMANDES" in picked
    assert "PICK LIST" not in picked and " orders" not in picked
    one = _read(docs.render_pick_list(to_pick[:1], french, now=now))
    assert "1 commande ·" in one  # a real plural: "1 commande", "6 commandes"


def test_french_formats() -> None:
    euros = Money(Decimal("1234.5"), "EUR")
    assert format_money(Money(Decimal("26"), "EUR"), "fr_FR") == "26,00\u00a0€"
    assert format_money(euros, "fr_FR") == "1\u202f234,50\u00a0€"
    assert format_money(Money(Decimal("26"), "USD"), "fr_FR") == "26,00\u00a0$US"
    moment = datetime(2026, 12, 5, 12, tzinfo=UTC)
    assert format_date(moment, "fr_FR") == "05/12/2026"
    assert format_long_date(moment, "fr_FR") == "5 déc. 2026"
    assert format_long_date(datetime(2026, 2, 1, tzinfo=UTC), "fr_FR") == "1 févr. 2026"
    assert format_long_date(moment, "en_US") == "Dec 5, 2026"
    assert format_percent(Decimal("20.000"), "fr_FR") == "20\u00a0%"
    assert format_percent(Decimal("5.5"), "fr_FR") == "5,5\u00a0%"
    assert format_percent(Decimal("19"), "en_US") == "19%"


def test_the_documents_locale_follows_their_language(app_language: object) -> None:
    i18n.set_language("en")
    # French documents from an English app on en_US: French formats
    french = docs.DocumentSettings(language="fr").with_locale("en_US").resolved()
    assert (french.language, french.locale) == ("fr", "fr_FR")
    # … on fr_BE: the Belgian French ones
    assert docs.DocumentSettings(language="fr").with_locale("fr_BE").resolved().locale == "fr_BE"
    # English documents on a German computer keep the German formats (no German documents)
    assert docs.DocumentSettings().with_locale("de_DE").resolved().locale == "de_DE"
    # a locale chosen by the vendor is kept
    chosen = docs.DocumentSettings(language="fr", locale="de_CH").with_locale("fr_FR")
    assert chosen.resolved().locale == "de_CH"
    i18n.set_language("fr")
    assert docs.DocumentSettings().resolved().language == "fr"
    assert docs.DocumentSettings(language="en").with_locale("fr_FR").resolved().locale == "en_US"


def test_legal_settings_are_kept(shop: Env) -> None:
    wanted = dataclasses.replace(
        LEGAL, language="fr", vat_franchise=True, late_payment_text="Pénalités : 3 × taux légal"
    )
    with shop.cache.session() as session:
        docs.save_settings(session, shop.account_id, wanted)
        session.commit()
    with shop.cache.session() as session:
        loaded = docs.load_settings(session, shop.account_id)
    assert loaded == wanted
    assert docs.DocumentSettings.from_json({"vat_franchise": "yes", "siret": 5}) == (
        docs.DocumentSettings()
    )


def test_siren_siret_and_vat_checks(app_language: object) -> None:
    assert siret_problem("") == "" and siret_problem("732 829 320") == ""
    assert siret_problem("73282932000074") == ""
    assert "check digit" in siret_problem("732 829 321")
    assert "9 digits" in siret_problem("7328293")
    assert "digits only" in siret_problem("73282932O")
    assert vat_problem("FR44732829320", "732 829 320 00074") == ""
    assert vat_problem("DE123456789") == ""  # another country's: printed as typed
    assert "key" in vat_problem("FR45732829320")
    assert "11 characters" in vat_problem("FR4473282932")
    assert "not the one of your SIREN 303265045" in vat_problem("FR44732829320", "303265045")
    i18n.set_language("fr")
    assert "clé de contrôle" in siret_problem("732 829 321")


def test_the_command_line_prints_french_slips_in_a_french_environment(
    shop: Env, app_language: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from vendor_desk.app import main

    doc = _shipped_slip(shop)
    with shop.cache.session() as session:  # no language chosen: the app's
        docs.save_settings(session, shop.account_id, SELLER)
        session.commit()
    data = ["--data-dir", str(shop.data_dir)]
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    out = tmp_path / "bon.pdf"
    assert main(["print", "slip", doc.order.number, "--out", str(out), *data]) == 0
    page = _read(out.read_bytes())
    assert "BON DE LIVRAISON" in page and f"{doc.order.date_created:%d/%m/%Y}" in page
    # --lang en on that French computer: English, the English way
    assert main(["--lang", "en", "print", "slip", doc.order.number, "--out", str(out), *data]) == 0
    page = _read(out.read_bytes())
    assert "PACKING SLIP" in page and "BON DE LIVRAISON" not in page
    # French chosen in Document Settings: French whatever --lang says
    with shop.cache.session() as session:
        docs.save_settings(session, shop.account_id, dataclasses.replace(SELLER, language="fr"))
        session.commit()
    assert main(["--lang", "en", "print", "slip", doc.order.number, "--out", str(out), *data]) == 0
    assert "BON DE LIVRAISON" in _read(out.read_bytes())
