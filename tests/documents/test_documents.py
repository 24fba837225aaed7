"""Documents from real cached orders: text read back (pypdf), pages rendered (pypdfium2),
barcodes decoded (zxing-cpp), paper sizes, scripts, escaping, batch order, pick list."""

from __future__ import annotations

import dataclasses
import io
import re

import pypdf
import pytest
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import inch, mm

from tests.documents.conftest import barcodes, page_sizes, pdf_text, render_page
from tests.sync.conftest import Env
from vendor_desk import documents as docs
from vendor_desk.cache.queries import order_ids
from vendor_desk.documents import text
from vendor_desk.documents.model import Tracking
from vendor_desk.documents.renderers import CONFIRM_CAPTION, CONFIRM_LIST_TITLE
from vendor_desk.domain import Address
from vendor_desk.domain.confirm_codes import confirm_code

SETTINGS = docs.DocumentSettings(
    store_name="Harbor & Pine Goods", address_lines=("2 Quay Street", "Bristol BS1 4DJ")
)


def _all(env: Env) -> list[docs.DocumentOrder]:
    with env.cache.session() as session:
        ids = sorted(order_ids(session, env.account_id))
    return docs.load_document_orders(env.cache, env.account_id, ids)


def _with_tracking(env: Env) -> docs.DocumentOrder:
    tracked = [d for d in _all(env) if any(t.url for t in d.tracking)]
    assert tracked, "the demo data has shipped orders with tracking"
    return tracked[0]


@pytest.mark.parametrize(
    ("paper", "size"),
    [
        (docs.Paper.A4, (A4[0], A4[1])),
        (docs.Paper.LETTER, (LETTER[0], LETTER[1])),
        (docs.Paper.LABEL_4X6, (4 * inch, 6 * inch)),
        (docs.Paper.LABEL_100X150, (100 * mm, 150 * mm)),
    ],
)
def test_slip_page_size_barcode_and_qr(
    synced: Env, paper: docs.Paper, size: tuple[float, float]
) -> None:
    doc = _with_tracking(synced)
    pdf = docs.render_packing_slips([doc], SETTINGS, paper)
    assert {(round(w, 1), round(h, 1)) for w, h in page_sizes(pdf)} == {
        (round(size[0], 1), round(size[1], 1))
    }
    found = barcodes(render_page(pdf, 0, 4.0 if paper.is_label else 3.0))
    # the order number's barcode, and the confirm barcode that marks the order shipped
    assert found.get("Code128") == {doc.order.number, confirm_code(doc.order.number)}
    assert found.get("QRCode") == {t.url for t in doc.tracking if t.url}
    page = pdf_text(pdf)[0]
    assert f"#{doc.order.number}" in page
    assert CONFIRM_CAPTION.upper() in page
    assert f"{confirm_code(doc.order.number)} · order #{doc.order.number}" in page
    for item in doc.items:
        assert item.sku in page
    for parcel in doc.tracking:
        assert parcel.code in page


def test_slip_holds_ship_to_items_and_no_prices_by_default(synced: Env) -> None:
    doc = next(d for d in _all(synced) if d.order.shipping.phone or d.order.billing.phone)
    page = "\n".join(pdf_text(docs.render_packing_slips([doc], SETTINGS)))
    address = doc.order.shipping if not doc.order.shipping.is_empty else doc.order.billing
    for line in address.lines():
        assert line.split()[0] in page
    assert (address.phone or doc.order.customer_phone) in page
    assert "Harbor & Pine Goods" in page
    price = docs.format_money(doc.items[0].price)
    assert price not in page
    with_prices = "\n".join(pdf_text(docs.render_packing_slips([doc], SETTINGS, show_prices=True)))
    assert price in with_prices


def test_split_orders_show_only_the_vendors_items(synced: Env) -> None:
    split = [d for d in _all(synced) if d.order.split]
    assert split, "the demo data has split orders"
    for doc in split[:5]:
        foreign_names = {
            line["name"]
            for line in doc.order.raw.get("line_items", ())
            if line["id"] not in doc.order.own_item_ids
        }
        own = {item.name for item in doc.items}
        pdf = docs.render_packing_slips([doc], SETTINGS)
        page = "\n".join(pdf_text(pdf))
        for name in own:
            assert name.split(" - ")[0] in page
        for name in foreign_names - own:
            assert name not in page


def test_foreign_item_in_items_is_refused(synced: Env) -> None:
    doc = _all(synced)[0]
    foreign = dataclasses.replace(doc.order, foreign_item_ids=(doc.items[0].item_id,))
    with pytest.raises(AssertionError):
        docs.DocumentOrder(order=foreign)


SCRIPTS = {
    "latin": "Łukasz Żółć-Ğüneş",
    "greek": "Γιώργος Παπαδόπουλος",
    "cyrillic": "Жанна Ковальчук",
    "chinese": "王小明",
    "japanese": "さくら やまだ",
    "korean": "김민준",
}


def test_names_in_six_scripts_print_as_glyphs(synced: Env) -> None:
    doc = _all(synced)[0]
    for name in SCRIPTS.values():
        assert not text.missing_glyphs(name), name  # every character has a glyph
    names = list(SCRIPTS.values())
    shipping = Address(
        first_name=names[0],
        last_name=names[1],
        company=names[2],
        address_1=f"{names[3]} {names[4]}",
        city=names[5],
        country="JP",
    )
    order = dataclasses.replace(doc.order, shipping=shipping, customer_note=" ".join(names))
    pdf = docs.render_packing_slips([dataclasses.replace(doc, order=order)], SETTINGS)
    extracted = pdf_text(pdf)[0]
    for script, name in SCRIPTS.items():
        for word in name.split():
            assert word in extracted, script
    # rendered: the CJK run uses the CJK font (a .notdef box would mean the wrong font)
    assert [font for font, _ in text.runs("Zoë 王小明")] == [text.REGULAR, text.CJK]
    assert render_page(pdf).getextrema()[0] == 0  # something dark was drawn


def test_markup_in_the_note_prints_literally(synced: Env) -> None:
    doc = _all(synced)[0]
    note = "Leave at <b>door</b> & ring twice <font color=red>please</font> &amp;"
    order = dataclasses.replace(doc.order, customer_note=note)
    for paper in (docs.Paper.A4, docs.Paper.LABEL_4X6, docs.Paper.LABEL_100X150):
        page = " ".join(
            pdf_text(
                docs.render_packing_slips([dataclasses.replace(doc, order=order)], SETTINGS, paper)
            )
        )
        squashed = " ".join(page.split())
        for fragment in ("<b>door</b>", "& ring", "<font color=red>please</font>", "&amp;"):
            assert fragment in squashed, (paper, fragment)


def test_long_names_wrap_inside_the_page(synced: Env) -> None:
    doc = _all(synced)[0]
    long_name = "Maximilian-Alexander " * 8 + "Supercalifragilisticexpialidocious" * 3
    order = dataclasses.replace(
        doc.order,
        shipping=dataclasses.replace(doc.order.shipping, first_name=long_name),
        customer_note="x" * 600,
    )
    for paper in docs.Paper:
        pdf = docs.render_packing_slips([dataclasses.replace(doc, order=order)], SETTINGS, paper)
        for line in text.wrap(long_name, 200, 12, text.BOLD):
            assert text.width(line, 12, text.BOLD) <= 200
        assert "Supercalifragilistic" in " ".join(pdf_text(pdf))
    width = docs.Paper.LABEL_100X150.size[0] - 32
    assert all(text.width(line, 8) <= width for line in text.wrap("y" * 900, width, 8))


def test_batch_keeps_the_requested_order(synced: Env) -> None:
    all_docs = _all(synced)
    chosen = [all_docs[5], all_docs[1], all_docs[9], all_docs[3]]
    pdf = docs.render_packing_slips(chosen, SETTINGS, docs.Paper.LABEL_4X6)
    pages = pdf_text(pdf)
    firsts = []
    for page in pages:
        number = next(
            d.order.number
            for d in chosen
            if f"#{d.order.number}" in page.split("\n")[1]
            or page.split("\n")[0].endswith(f"#{d.order.number}")
        )
        if not firsts or firsts[-1] != number:
            firsts.append(number)
    assert firsts == [d.order.number for d in chosen]
    by_number = docs.sort_orders(chosen, "number")
    assert [int(d.order.number) for d in by_number] == sorted(int(d.order.number) for d in chosen)


def test_pick_list_totals_per_sku(synced: Env) -> None:
    chosen = _all(synced)[:12]
    lines = docs.pick_lines(chosen)
    expected: dict[str, int] = {}
    for doc in chosen:
        for item in doc.parcel_items:
            expected[item.sku] = expected.get(item.sku, 0) + item.quantity
    assert {line.sku: line.quantity for line in lines} == expected
    pdf = docs.render_pick_list(chosen, SETTINGS)
    page = "".join(pdf_text(pdf)).replace("\n", "")
    for line in lines:
        assert line.sku in page
        for number, _ in line.orders:
            assert f"#{number}" in page


def test_pick_list_ends_with_each_orders_confirm_barcode(synced: Env) -> None:
    chosen = [d for d in _all(synced) if d.parcel_items][:6]
    only_digital = next(d for d in _all(synced) if d.items and not d.parcel_items)
    pdf = docs.render_pick_list([*chosen, only_digital], SETTINGS)
    text_read = "".join(pdf_text(pdf))
    assert CONFIRM_LIST_TITLE.upper() in text_read.replace("\n", " ")
    decoded: set[str] = set()
    for index in range(len(page_sizes(pdf))):
        decoded |= barcodes(render_page(pdf, index)).get("Code128", set())
    assert decoded == {confirm_code(d.order.number) for d in chosen}  # nothing to pack: none
    for doc in chosen:
        assert f"Order #{doc.order.number}" in text_read


def test_slips_print_how_the_vendors_part_ships(synced: Env) -> None:
    """Every demo order with something to ship carries the vendor's shipping line; its method
    is printed on the slip (A4 and label) instead of "—"."""
    with synced.sim.state.lock:
        virtual = {
            item.id
            for order in synced.sim.state.orders.values()
            for item in order.items
            if item.virtual
        }
    shipped = [d for d in _all(synced) if any(i.item_id not in virtual for i in d.items)]
    assert shipped
    assert all(d.shipping_methods for d in shipped)
    assert {m for d in shipped for m in d.shipping_methods} >= {"Flat rate", "Free shipping"}
    for doc in shipped[:6]:
        method = ", ".join(doc.shipping_methods)
        a4 = " ".join(pdf_text(docs.render_packing_slips([doc], SETTINGS))[0].split())
        assert f"Shipping {method}" in a4
        label = pdf_text(docs.render_packing_slips([doc], SETTINGS, docs.Paper.LABEL_4X6))[0]
        assert f"Ship via {method}" in " ".join(label.split())


def _tick_boxes(pdf: bytes, page: int = 0) -> int:
    """The packing tick boxes (9 × 9 pt squares) drawn on a page."""
    content = pypdf.PdfReader(io.BytesIO(pdf)).pages[page].get_contents()
    assert content is not None
    return len(re.findall(rb"\b9 9 re S\b", content.get_data()))


def test_digital_items_are_not_packed_or_picked(synced: Env) -> None:
    """An e-book (``shippable`` False) is shown apart on the slip without a tick box, and left
    off the pick list; an order of digital items only has nothing to pack."""
    mixed = next(d for d in _all(synced) if d.digital_items and d.parcel_items)
    digital, parcel = mixed.digital_items, mixed.parcel_items
    for paper in (docs.Paper.A4, docs.Paper.LABEL_4X6, docs.Paper.LABEL_100X150):
        pdf = docs.render_packing_slips([mixed], SETTINGS, paper)
        page = " ".join(pdf_text(pdf)[0].split())
        heading = page.index("NOT IN THE PARCEL — DIGITAL ITEMS")
        for item in parcel:
            assert 0 <= page.index(item.name) < heading, (paper, item.name)
        for item in digital:
            assert page.index(item.name) > heading, (paper, item.name)
        assert _tick_boxes(pdf) == len(parcel), paper
    a4 = " ".join(pdf_text(docs.render_packing_slips([mixed], SETTINGS))[0].split())
    packed = sum(i.quantity for i in parcel)
    assert f"Items {packed} (+{sum(i.quantity for i in digital)} digital)" in a4

    lines = docs.pick_lines([mixed])
    assert {line.sku for line in lines} == {item.sku for item in parcel}
    picked = "".join(pdf_text(docs.render_pick_list([mixed], SETTINGS)))
    for item in digital:
        assert item.sku not in picked and item.name not in picked

    only = dataclasses.replace(
        mixed,
        order=dataclasses.replace(
            mixed.order,
            items=tuple(dataclasses.replace(i, shippable=False) for i in mixed.items),
        ),
    )
    pdf = docs.render_packing_slips([only], SETTINGS)
    assert "Nothing to pack: every item of this order is digital." in pdf_text(pdf)[0]
    assert _tick_boxes(pdf) == 0
    assert docs.pick_lines([only]) == []
    summary = " ".join(pdf_text(docs.render_pick_list([mixed, only], SETTINGS))[0].split())
    assert "1 order · " in summary and f" · {packed} unit" in summary  # the e-book order: none


def test_commission_invoice_shows_earning_and_payout(synced: Env) -> None:
    doc = next(d for d in _all(synced) if d.order.earning is not None)
    page = "\n".join(pdf_text(docs.render_commission_invoices([doc], SETTINGS)))
    assert docs.format_money(doc.order.earning) in page  # type: ignore[arg-type]
    assert doc.order.payout_state.label in page
    for item in doc.items:
        if item.commission is not None:
            assert docs.format_money(item.commission) in page


def test_tracking_recorded_locally_is_printed(synced: Env) -> None:
    doc = _all(synced)[0]
    local = Tracking(
        "LOC123", "https://track.example/LOC123", (doc.items[0].item_id,), local_only=True
    )
    pdf = docs.render_packing_slips([dataclasses.replace(doc, tracking=(local,))], SETTINGS)
    assert "LOC123" in pdf_text(pdf)[0]
    assert barcodes(render_page(pdf)).get("QRCode") == {"https://track.example/LOC123"}


def test_every_currency_and_locale_prints_as_glyphs() -> None:
    from decimal import Decimal

    from vendor_desk.documents.formatting import LOCALES, SYMBOLS
    from vendor_desk.domain import Money

    for locale in LOCALES:
        for code in SYMBOLS:
            printed = docs.format_money(Money(Decimal("-1234.5"), code), locale)
            assert not text.missing_glyphs(printed), (locale, code, printed)


def test_money_formats_per_locale() -> None:
    from decimal import Decimal

    from vendor_desk.domain import Money

    amount = Money(Decimal("1234.5"), "EUR")
    assert docs.format_money(amount, "en_US") == "€1,234.50"
    assert docs.format_money(amount, "de_DE") == "1.234,50\u00a0€"
    assert docs.format_money(Money(Decimal("1234.5"), "JPY"), "ja_JP") == "¥1,235"
    assert docs.format_money(Money(Decimal("-3"), "USD"), "en_GB") == "-US$3.00"
    assert docs.format_money(Money(Decimal("7"), "XYZ"), "en_US") == "XYZ\u00a07.00"
