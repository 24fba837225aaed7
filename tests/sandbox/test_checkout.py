"""Checkout: what WooCommerce + WCFM write when a customer places an order."""

from __future__ import annotations

import random
import re
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from vendor_desk.sandbox.checkout import LOCAL_PICKUP, TaxRate, place_order, place_random_order
from vendor_desk.sandbox.datasets import load_generated, load_recorded
from vendor_desk.sandbox.model import MarketplaceState, SiteSettings


@pytest.fixture
def recorded() -> MarketplaceState:
    state = MarketplaceState(SiteSettings(site_url="http://127.0.0.1:8089"))
    load_recorded(state)
    return state


def test_checkout_on_the_recorded_site_writes_what_wcfm_writes(recorded: MarketplaceState) -> None:
    state = recorded
    carol, mug, lamp = state.users[4], state.products[13], state.products[16]
    when = datetime(2026, 11, 28, 9, 30, tzinfo=UTC)
    order = place_order(
        state, carol, [(mug, 2, None), (lamp, 1, None)], when=when, customer_note="Ring & wait"
    )

    # ids continue the real site's sequences
    assert order.id == 25
    assert [item.id for item in order.items] == [19, 20]
    assert [line.id for line in order.shipping_lines] == [21]
    assert order.shipping_lines[0].vendor_id is None
    assert [(m.key, m.value) for m in order.items[0].meta] == [
        ("_vendor_id", "2"),
        ("_reduced_stock", "2"),
        ("_wcfmmp_order_item_processed", "34"),
    ]
    assert [m.id for m in order.items[0].meta] == [190, 192, 194]
    assert [(m.id, m.key) for m in order.meta] == [
        (403, "_wcfm_new_order_notified"),
        (404, "_wcfmmp_order_email_triggered"),
        (405, "_wcfmmp_order_processed"),
    ]
    # money as the REST routes print it
    assert [str(item.subtotal) for item in order.items] == ["25", "40"]
    assert (str(order.shipping_total), str(order.total)) == ("5", "70.00")
    assert (order.status, order.payment_method, order.date_paid) == ("processing", "cod", None)
    assert re.fullmatch(r"wc_order_[A-Za-z0-9]{13}", order.order_key)
    # commission rows, indexed per vendor
    rows = state.commissions_of_order(order.id)
    assert [(r.ID, r.vendor_id, str(r.commission_amount), r.commission_status) for r in rows] == [
        (34, 2, "22.5", "processing"),
        (35, 3, "36", "processing"),
    ]
    assert state.vendor_order_ids(2)[-1] == 25 and state.vendor_order_ids(3)[-1] == 25
    # stock, notes, notifications, mails
    assert (mug.stock, lamp.stock) == (94, 98)
    assert [(n.id, n.content) for n in state.notes[25]] == [
        (
            16,
            "Stock levels reduced: Alpha Mug (ALPHA-MUG) 96&rarr;94, "
            "Beta Lamp (BETA-LAMP) 99&rarr;98",
        ),
        (
            17,
            "Payment to be made upon delivery. "
            "Order status changed from Pending payment to Processing.",
        ),
    ]
    new = [m for m in state.messages if m.ID > 18]
    assert [(m.ID, m.author_id, m.message_to) for m in new] == [
        (19, -2, 0),
        (20, -1, 2),
        (21, -1, 3),
    ]
    assert re.sub(r"<[^>]+>", "", new[1].message) == "You have received an Order #25 for Alpha Mug"
    assert 'href="http://127.0.0.1:8089/store-manager/orders-details/25"' in new[1].message
    recipients = [mail.to for mail in state.mails]
    assert recipients == [
        "storeadmin@example.test",
        "vendor_a@example.test",
        "vendor_b@example.test",
        "customer_c@example.test",
    ]
    assert "Beta Lamp" not in state.mails[1].body and "Alpha Mug" in state.mails[1].body


def test_checkout_gateways_set_status_and_payment(recorded: MarketplaceState) -> None:
    state = recorded
    carol, tee, ebook = state.users[4], state.products[14], state.products[15]
    bacs = place_order(state, carol, [(tee, 1, None)], payment_method="bacs")
    assert (bacs.status, bacs.date_paid, bacs.payment_method_title) == (
        "on-hold",
        None,
        "Direct bank transfer",
    )
    assert state.notes[bacs.id][-1].content == (
        "Awaiting BACS payment Order status changed from Pending payment to On hold."
    )
    card = place_order(
        state, carol, [(ebook, 1, None)], payment_method="stripe", rng=random.Random(3)
    )
    assert (
        card.status == "processing" and card.date_paid == card.date_created and card.transaction_id
    )
    assert not card.shipping_lines  # a virtual item needs no shipping
    failed = place_order(state, carol, [(tee, 1, None)], payment_method="stripe", status="failed")
    assert failed.date_paid is None and failed.items[0].meta_value("_reduced_stock") is None
    assert not [m for m in state.messages if f'/orders-details/{failed.id}"' in m.message]
    with pytest.raises(ValueError):
        place_order(state, carol, [(tee, 1, None)], status="refunded")


def test_checkout_with_variations_vendor_shipping_tax_coupon_and_fee() -> None:
    state = MarketplaceState()
    load_generated(state, seed=2, orders=20, now=datetime(2026, 1, 1, tzinfo=UTC))
    customer = next(u for u in state.users.values() if u.role == "customer")
    tee = next(p for p in state.products.values() if p.sku == "HP-TEE")
    large = next(
        p
        for p in state.products.values()
        if p.parent_id == tee.id and p.attributes == {"Size": "L"}
    )
    socks = next(p for p in state.products.values() if p.sku == "OD-SOCK")
    red = next(p for p in state.products.values() if p.parent_id == socks.id)
    order = place_order(
        state,
        customer,
        [(tee, 2, large), (socks, 1, red)],
        payment_method="paypal",
        per_vendor_shipping=True,
        coupon=("SPRING10", Decimal("10")),
        fees=[("Gift wrapping", Decimal("3.50"))],
        tax=TaxRate(1, "DE-MWST-1", "MwSt.", Decimal("19")),
        rng=random.Random(1),
    )
    first = order.items[0]
    assert (first.product_id, first.variation_id, first.name) == (tee.id, large.id, "Pine Tee - L")
    assert first.meta_value("size") == "L"
    assert (first.subtotal, first.total) == (Decimal("52"), Decimal("46.8"))
    assert [line.vendor_id for line in order.shipping_lines] == [tee.vendor_id, socks.vendor_id]
    assert order.shipping_lines[0].meta[1].key == "vendor_id"
    assert order.coupon_lines[0].discount == order.discount_total == Decimal("7.19")
    assert order.tax_lines[0].tax_total == order.cart_tax
    items = sum((item.total for item in order.items), Decimal(0))
    assert (
        order.total
        == items + order.shipping_total + order.cart_tax + order.shipping_tax + Decimal("3.5")
    )
    rows = state.commissions_of_order(order.id)
    assert rows[0].variation_id == large.id and rows[0].shipping == Decimal("5")
    assert (
        rows[0].total_commission
        == rows[0].commission_amount + Decimal("5") + rows[0].shipping_tax_amount
    )


def test_vendor_shipping_books_each_vendors_package_at_its_rate() -> None:
    """A site with WCFM's shipping by vendor (the generated one): one line per vendor with
    something to ship, tagged with the vendor — flat rate, free from the site's threshold, or
    the rate the customer chose; virtual items need none."""
    state = MarketplaceState()
    load_generated(state, seed=2, orders=20, now=datetime(2026, 1, 1, tzinfo=UTC))
    assert state.settings.vendor_shipping and state.settings.free_shipping_over == Decimal("75")
    customer = next(u for u in state.users.values() if u.role == "customer")
    simple = sorted(
        (p for p in state.products.values() if p.type == "simple" and not p.virtual),
        key=lambda p: p.id,
    )
    cheap = next(p for p in simple if p.price < 20)
    other = next(p for p in simple if p.vendor_id != cheap.vendor_id)
    ebook = next(p for p in state.products.values() if p.virtual and p.vendor_id == cheap.vendor_id)
    tax = TaxRate(1, "DE-MWST-1", "MwSt.", Decimal("19"))

    order = place_order(
        state,
        customer,
        [(cheap, 1, None), (ebook, 1, None), (other, 10, None)],
        shipping_cost=Decimal("12.50"),
        tax=tax,
    )
    lines = {line.vendor_id: line for line in order.shipping_lines}
    assert set(lines) == {cheap.vendor_id, other.vendor_id}
    flat, free = lines[cheap.vendor_id], lines[other.vendor_id]
    assert (flat.method_id, flat.method_title, flat.instance_id, flat.total, flat.total_tax) == (
        "flat_rate",
        "Flat rate",
        "1",
        Decimal("12.5"),
        Decimal("2.38"),
    )
    assert (free.method_id, free.method_title, free.total, free.total_tax) == (
        "free_shipping",
        "Free shipping",
        Decimal("0"),
        Decimal("0"),
    )
    assert [(m.key, m.value) for m in flat.meta][1:] == [
        ("vendor_id", str(cheap.vendor_id)),
        ("package_qty", "1"),  # the e-book is not in the package
    ]
    assert order.shipping_total == Decimal("12.5") and order.shipping_tax == Decimal("2.38")
    items = sum((item.total for item in order.items), Decimal(0))
    assert order.total == items + order.shipping_total + order.cart_tax + order.shipping_tax

    pickup = place_order(
        state, customer, [(cheap, 1, None)], shipping_rates={cheap.vendor_id: LOCAL_PICKUP}
    )
    (line,) = pickup.shipping_lines
    assert (line.method_id, line.method_title, line.total) == ("local_pickup", "Local pickup", 0)
    assert pickup.shipping_total == 0 and pickup.total == pickup.items[0].total
    assert not place_order(state, customer, [(ebook, 1, None)]).shipping_lines
    # orders placed later on the site (the demo's new orders) ship the same way
    placed = place_random_order(state, random.Random(5))
    assert placed.shipping_lines and all(line.vendor_id for line in placed.shipping_lines)


def test_random_orders_are_plausible_and_deterministic(recorded: MarketplaceState) -> None:
    other = MarketplaceState(SiteSettings(site_url="http://127.0.0.1:8089"))
    load_recorded(other)
    first = place_random_order(recorded, random.Random(9))
    second = place_random_order(other, random.Random(9))
    assert [(i.product_id, i.quantity) for i in first.items] == [
        (i.product_id, i.quantity) for i in second.items
    ]
    assert first.id == 25 and first.customer_id == 4
    # the recorded site is dated in the future: a new order never goes back in time
    assert first.date_created > recorded.orders[24].date_created
    state = MarketplaceState()
    load_generated(state, seed=4, orders=50, now=datetime(2026, 1, 1, tzinfo=UTC))
    rng = random.Random(4)
    before = len(state.orders)
    for _ in range(30):
        order = place_random_order(state, rng)
        assert order.items and order.total > 0
        assert all(state.products[item.product_id].type != "variation" for item in order.items)
        assert all(
            state.products[item.variation_id].parent_id == item.product_id
            for item in order.items
            if item.variation_id
        )
    assert len(state.orders) == before + 30
