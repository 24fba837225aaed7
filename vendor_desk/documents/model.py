"""What the documents are made from: the local document settings, paper sizes, and one order
with everything printed about it (:class:`DocumentOrder`). Plain data, no I/O.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import inch, mm

from vendor_desk import i18n
from vendor_desk.documents.formatting import language_locale
from vendor_desk.domain import LineItem, Money, Order, RefundRequest, StoreSettings


class Paper(StrEnum):
    """Paper a document is laid out for (each has its own layout; nothing is scaled).

    Two label sizes: 4×6 in (101.6 × 152.4 mm, most thermal label printers) and 100 × 150 mm
    (European carriers' labels). Versions before these two had one label, stored as
    ``"label4x6"`` but laid out 100 × 150 mm: that stored value still reads as
    :attr:`LABEL_100X150`, what the vendor saw come out (:meth:`_missing_`). The command line's
    names (:attr:`cli_name`) say the size: ``label4x6`` is the 4×6 in label.
    """

    A4 = "a4"
    LETTER = "letter"
    LABEL_4X6 = "label4x6in"
    LABEL_100X150 = "label100x150"

    @classmethod
    def _missing_(cls, value: object) -> Paper | None:
        if value == LEGACY_LABEL:
            return cls.LABEL_100X150
        return None

    @property
    def size(self) -> tuple[float, float]:
        """(width, height) in points, portrait."""
        if self is Paper.A4:
            return (float(A4[0]), float(A4[1]))
        if self is Paper.LETTER:
            return (float(LETTER[0]), float(LETTER[1]))
        if self is Paper.LABEL_4X6:
            return (4 * inch, 6 * inch)
        return (100 * mm, 150 * mm)

    @property
    def is_label(self) -> bool:
        return self in (Paper.LABEL_4X6, Paper.LABEL_100X150)

    @property
    def cli_name(self) -> str:
        """The command line's ``--paper`` name: a4, letter, label4x6, label100x150."""
        return "label4x6" if self is Paper.LABEL_4X6 else self.value

    @classmethod
    def from_cli(cls, name: str) -> Paper:
        """The paper of a ``--paper`` name (:attr:`cli_name`); ValueError for others."""
        for paper in cls:
            if paper.cli_name == name:
                return paper
        raise ValueError(name)


#: The one label size of earlier versions, as their settings stored it: 100 × 150 mm.
LEGACY_LABEL = "label4x6"


class DocumentKind(StrEnum):
    SLIP = "slip"
    INVOICE = "invoice"
    COMMISSION = "commission"
    PICKLIST = "picklist"


@dataclass(frozen=True)
class DocumentSettings:
    """The vendor's local choices for documents; empty fields fall back to the marketplace's
    store settings (:meth:`with_store`).

    Kept per account in ``accounts.settings_json["documents"]`` (:mod:`.sources`).
    """

    store_name: str = ""
    #: Address lines of the seller, top to bottom (street, city line, country).
    address_lines: tuple[str, ...] = ()
    email: str = ""
    phone: str = ""
    website: str = ""
    #: VAT identification number printed on store invoices ("DE123456789").
    vat_id: str = ""
    #: Company / trade register id printed on store invoices.
    company_id: str = ""
    #: French company number: SIREN (9 digits) or SIRET (14), printed on invoices.
    siret: str = ""
    #: A seller under the French VAT franchise: invoices say "TVA non applicable, art. 293 B
    #: du CGI" (and charge no VAT).
    vat_franchise: bool = False
    #: Late-payment penalties, printed on invoices to business customers (the billing
    #: address names a company): "Pénalités de retard : trois fois le taux d'intérêt légal".
    late_payment_text: str = ""
    #: Print the fixed 40 € compensation for recovery costs (French commercial code, art.
    #: L441-10) on invoices to business customers.
    recovery_fee: bool = False
    #: A PNG or JPEG logo printed in the header (path on this computer).
    logo_path: str = ""
    #: The documents' language ("en", "fr"); empty: the app's (:func:`vendor_desk.i18n.language`).
    #: Independent of the window's: French documents from an English window and vice versa.
    language: str = ""
    #: Locale for amounts and dates ("en_US", "de_DE" …; see :mod:`.formatting`); empty: the
    #: app's locale when it suits the documents' language, else that language's
    #: (:meth:`with_locale`, :meth:`resolved`).
    locale: str = ""
    #: Packing slips show unit prices and line totals.
    slip_prices: bool = False
    #: Local store-invoice numbers: prefix + zero-padded counter + suffix ("INV-000042/26").
    invoice_prefix: str = ""
    invoice_suffix: str = ""
    invoice_padding: int = 6
    #: A line printed at the bottom of slips ("Thank you for shopping with us!").
    slip_footer: str = i18n.N_("Thank you for your order!")
    #: Lines at the bottom of store invoices (bank details, legal notes).
    invoice_footer: tuple[str, ...] = ()

    def document_language(self) -> str:
        """The language the documents print in: the chosen one, else the app's."""
        return self.language if self.language in i18n.LANGUAGES else i18n.language()

    def with_locale(self, app_locale: str) -> DocumentSettings:
        """These settings with the app's locale when the vendor chose none — unless the app's
        locale is of another language the documents print in (an English window on en_US
        printing French documents formats them the French way, :meth:`resolved`)."""
        if self.locale or not app_locale:
            return self
        language = i18n.normalise(app_locale)
        if language in i18n.LANGUAGES and language != self.document_language():
            return self
        return dataclasses.replace(self, locale=app_locale)

    def resolved(self) -> DocumentSettings:
        """These settings with the language and locale the documents print in filled in."""
        language = self.document_language()
        return dataclasses.replace(
            self, language=language, locale=self.locale or language_locale(language)
        )

    def with_store(self, store: StoreSettings | None) -> DocumentSettings:
        """These settings with every empty store field filled from the marketplace's."""
        if store is None:
            return self
        return dataclasses.replace(
            self,
            store_name=self.store_name or store.store_name,
            address_lines=self.address_lines or tuple(store.address.lines()),
            email=self.email or store.email,
            phone=self.phone or store.phone,
        )

    def to_json(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["address_lines"] = list(self.address_lines)
        data["invoice_footer"] = list(self.invoice_footer)
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> DocumentSettings:
        """Settings from stored JSON; unknown keys are ignored, bad values take the default."""
        known = {f.name: f for f in dataclasses.fields(cls)}
        values: dict[str, Any] = {}
        for key, value in data.items():
            if key not in known:
                continue
            default = getattr(cls(), key)
            if isinstance(default, tuple) and isinstance(value, list | tuple):
                values[key] = tuple(str(v) for v in value)
            elif isinstance(default, bool) and isinstance(value, bool):
                values[key] = value
            elif isinstance(default, int) and not isinstance(default, bool):
                if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 12:
                    values[key] = value
            elif isinstance(default, str) and isinstance(value, str):
                values[key] = value
        return cls(**values)


@dataclass(frozen=True)
class Tracking:
    """One parcel's tracking (or its absence) as printed on the slip."""

    code: str
    url: str
    item_ids: tuple[int, ...]
    #: "tracked", "no_tracking" or "pickup".
    method: str = "tracked"
    carrier: str = ""
    #: Known on this computer only (the marketplace did not store it).
    local_only: bool = False


@dataclass(frozen=True)
class DocumentOrder:
    """One order with everything its documents print."""

    order: Order
    #: Shipping method titles (the order's shipping lines), e.g. ("Flat rate",).
    shipping_methods: tuple[str, ...] = ()
    #: Variation details per item id, e.g. {7: (("Size", "M"), ("Colour", "Blue"))}.
    variations: Mapping[int, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    tracking: tuple[Tracking, ...] = ()
    #: The vendor's refund requests the store admin approved.
    approved_refunds: tuple[RefundRequest, ...] = ()
    #: The marketplace's own store-invoice number (WCFM Ultimate), if it issued one.
    marketplace_invoice_number: str = ""
    #: The store-invoice number to print (marketplace's, else the local one), once assigned.
    invoice_number: str = ""
    invoice_date: datetime | None = None
    #: The vendor's commission-row figures the marketplace reports (fees, shipping …).
    commission_details: Mapping[str, str] = field(default_factory=dict)
    #: The order's tax rates in percent (its ``tax_lines``), e.g. (Decimal("20"),).
    tax_rates: tuple[Decimal, ...] = ()

    def __post_init__(self) -> None:
        # Order.items holds the vendor's own items only; an item the marketplace let slip from
        # another vendor (shipment_tracking) must never reach a document.
        foreign = set(self.order.foreign_item_ids)
        assert not foreign & self.order.own_item_ids, "another vendor's item in Order.items"

    @property
    def items(self) -> tuple[LineItem, ...]:
        return self.order.items

    @property
    def parcel_items(self) -> tuple[LineItem, ...]:
        """The items that go in the parcel: all but those the marketplace says need no
        shipping (virtual or downloadable — an e-book, a gift card); unknown counts as parcel."""
        return tuple(item for item in self.order.items if item.shippable is not False)

    @property
    def digital_items(self) -> tuple[LineItem, ...]:
        """The items that need no parcel (``shippable`` False): nothing to pick or pack."""
        return tuple(item for item in self.order.items if item.shippable is False)

    @property
    def currency(self) -> str:
        return self.order.currency

    def variation_text(self, item: LineItem) -> str:
        return " · ".join(
            f"{name}: {value}" for name, value in self.variations.get(item.item_id, ())
        )

    @property
    def refund_total(self) -> Money:
        """What was refunded of the vendor's part: the marketplace's per-item refunded amounts
        when it reports them, else the approved refund requests."""
        per_item = [item.refunded_amount for item in self.items if item.refunded_amount]
        if per_item:
            return Money.total(per_item, self.currency)
        amounts = [r.amount for r in self.approved_refunds if r.amount.currency == self.currency]
        return Money.total(amounts, self.currency)


def sort_orders(orders: Sequence[DocumentOrder], key: str) -> list[DocumentOrder]:
    """Orders in a batch's print order: "given" (as passed), "number", "date", "shipping"
    (method, then number) or "sku" (first SKU, then number)."""

    def number(doc: DocumentOrder) -> tuple[int, str]:
        text = doc.order.number
        return (int(text), text) if text.isdigit() else (doc.order.id, text)

    if key == "given":
        return list(orders)
    if key == "number":
        return sorted(orders, key=number)
    if key == "date":
        return sorted(orders, key=lambda d: (d.order.date_created, number(d)))
    if key == "shipping":
        return sorted(orders, key=lambda d: (", ".join(d.shipping_methods).casefold(), number(d)))
    if key == "sku":
        return sorted(
            orders, key=lambda d: (min((i.sku or "~" for i in d.items), default="~"), number(d))
        )
    raise ValueError(f"unknown sort key {key!r}")
