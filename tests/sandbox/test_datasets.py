"""The simulator's seed data.

``recorded``: every value the real recordings show of the seeded site (ids, keys, totals as the
REST routes print them, dates, commission rows, notes, messages, next ids) is checked against the
recording files themselves. ``generated``: deterministic per seed, internally consistent, and
every feature the desktop app must cope with is present.
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.conftest import RECORDED
from vendor_desk.sandbox.checkout import php_amount
from vendor_desk.sandbox.datasets import load_generated, load_recorded
from vendor_desk.sandbox.model import (
    SEQ_COMMENT,
    SEQ_COMMISSION,
    SEQ_ITEM_META,
    SEQ_MESSAGE,
    SEQ_ORDER_ITEM,
    SEQ_POST,
    SEQ_POST_META,
    SEQ_REFUND_REQUEST,
    MarketplaceState,
    SiteSettings,
)
from vendor_desk.sandbox.server import Simulator

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def recording(number: int) -> Any:
    (path,) = RECORDED.glob(f"{number:02d}-*.json")
    return json.loads(Path(path).read_text(encoding="utf-8"))["response"]["body"]


def wc_time(moment: datetime | None) -> str | None:
    return None if moment is None else moment.strftime("%Y-%m-%dT%H:%M:%S")


@pytest.fixture(scope="module")
def recorded() -> MarketplaceState:
    state = MarketplaceState(SiteSettings(site_url="http://127.0.0.1:8089"))
    load_recorded(state)
    return state


# ------------------------------------------------------------------------------ recorded
@pytest.mark.parametrize(("number", "vendor_id"), [(2, 2), (95, 3)])
def test_recorded_orders_match_the_list_recordings(
    recorded: MarketplaceState, number: int, vendor_id: int
) -> None:
    listed = recording(number)
    assert [order["id"] for order in listed] == list(recorded.iter_vendor_order_ids_desc(vendor_id))
    for expected in listed:
        order = recorded.orders[expected["id"]]
        assert order.order_key == expected["order_key"]
        assert wc_time(order.date_created) == expected["date_created"]
        assert wc_time(order.date_paid) == expected["date_paid"]
        assert wc_time(order.date_completed) == expected["date_completed"]
        assert str(order.total) == expected["total"]
        assert str(order.shipping_total) == expected["shipping_total"]
        assert str(order.discount_total) == expected["discount_total"]
        assert order.customer_note == expected["customer_note"]
        assert order.payment_method == expected["payment_method"]
        assert order.download_permissions_granted == expected["download_permissions_granted"]
        assert [(m.id, m.key, m.value) for m in order.meta] == [
            (m["id"], m["key"], m["value"]) for m in expected["meta_data"]
        ]
        assert order.billing.state == expected["billing"]["state"]
        assert order.billing.phone == expected["billing"]["phone"]
        assert order.shipping.phone == expected["shipping"]["phone"]
        own = order.items_of(vendor_id)
        assert [item.id for item in own] == [item["id"] for item in expected["line_items"]]
        for item, line in zip(own, expected["line_items"], strict=True):
            assert (item.product_id, item.quantity, item.sku) == (
                line["product_id"],
                line["quantity"],
                line["sku"],
            )
            assert (str(item.subtotal), str(item.total)) == (line["subtotal"], line["total"])
            assert [(m.id, m.key, m.value) for m in item.meta] == [
                (m["id"], m["key"], m["value"]) for m in line["meta_data"]
            ]
        details = expected["vendor_order_details"]
        rows = recorded.commissions_of_order(order.id, vendor_id)
        ids = {int(value) for value in details["commission_ids"].split(",")}
        assert {row.ID for row in rows} == ids
        first = recorded.commissions[int(details["ID"])]
        assert str(first.product_price) == details["product_price"]
        assert str(first.commission_amount) == details["commission_amount"]
        assert first.created.strftime("%Y-%m-%d %H:%M:%S") == details["created"]
        assert (first.order_status, first.commission_status) == (
            details["order_status"],
            details["commission_status"],
        )
        total = sum((row.total_commission for row in rows), Decimal(0))
        assert total == Decimal(details["total_commission"])
        assert sum((row.item_sub_total for row in rows), Decimal(0)) == Decimal(
            details["item_sub_total"]
        )


def test_recorded_whole_orders_match_the_admin_views(recorded: MarketplaceState) -> None:
    for number in (22, 24, 26):
        expected = recording(number)
        order = recorded.orders[expected["id"]]
        assert [item.id for item in order.items] == [item["id"] for item in expected["line_items"]]
        assert [
            (line.id, line.method_title, line.method_id, line.total, line.vendor_id)
            for line in order.shipping_lines
        ] == [
            (line["id"], line["method_title"], line["method_id"], Decimal(line["total"]), None)
            for line in expected["shipping_lines"]
        ]
        assert order.total == Decimal(expected["total"])


def test_recorded_notes_are_the_seeded_ones(recorded: MarketplaceState) -> None:
    for number, order_id in ((14, 19), (18, 23)):
        expected = recording(number)
        notes = sorted(recorded.notes[order_id], key=lambda note: note.id, reverse=True)
        assert [
            (
                note.id,
                note.content,
                note.customer_note,
                note.added_by,
                note.date_created.strftime("%Y-%m-%d %H:%M:%S"),
            )
            for note in notes
        ] == [
            (
                n["id"],
                n["content"],
                n["customer_note"],
                n["added_by"],
                n["date_created"]["date"][:19],
            )
            for n in expected
        ]
    # REC 90 shows order 24's seeded notes under the later vendor note.
    seeded_24 = [n for n in recording(90) if n["added_by"] == "system"]
    assert [(n.id, n.content) for n in sorted(recorded.notes[24], key=lambda n: -n.id)] == [
        (n["id"], n["content"]) for n in seeded_24
    ]


def test_recorded_notifications_are_the_seeded_messages(recorded: MarketplaceState) -> None:
    expected = recording(36)
    mine = [m for m in recorded.messages if m.message_to == 2 and not m.read_by.get(2)]
    mine.sort(key=lambda m: m.ID, reverse=True)
    assert [
        (
            str(m.ID),
            re.sub(r"<[^>]+>", "", m.message),
            m.message_type,
            m.created.strftime("%Y-%m-%d %H:%M:%S"),
        )
        for m in mine
    ] == [(n["ID"], n["message"], n["message_type"], n["created"]) for n in expected]
    # The messages to the admin and to vendor_b fill the gaps, so the ids line up.
    assert [m.ID for m in recorded.messages] == list(range(1, 19))
    assert {m.ID for m in recorded.messages if m.message_to == 0} == {1, 3, 7, 9, 12, 14, 16}
    assert all(m.author_id == -2 for m in recorded.messages if m.message_to == 0)
    assert {m.ID for m in recorded.messages if m.message_to == 3} == {11, 15, 18}


def test_recorded_people_and_products(recorded: MarketplaceState) -> None:
    settings = recording(41)
    vendor_a = recorded.users[2]
    assert vendor_a.store is not None
    store = vendor_a.store
    assert (
        store.store_name,
        store.store_slug,
        store.store_email,
        store.phone,
        store.shop_description,
    ) == (
        settings["store_name"],
        settings["store_slug"],
        settings["store_email"],
        settings["phone"],
        settings["shop_description"],
    )
    assert (store.street_1, store.city, store.zip, store.country, store.state) == tuple(
        settings["address"].values()
    )
    assert store.payment_method == settings["payment"]["method"]
    profile = recording(43)
    assert (vendor_a.email, vendor_a.first_name, vendor_a.last_name, vendor_a.login) == (
        profile["email"],
        profile["first_name"],
        profile["last_name"],
        profile["username"],
    )
    assert wc_time(vendor_a.registered) == profile["date_created"]
    token = recording(55)
    assert (vendor_a.nicename, vendor_a.display_name) == (
        token["user_nicename"],
        token["user_display_name"],
    )
    public = {store["vendor_id"]: store for store in recording(45)}
    vendor_b = recorded.users[3]
    assert vendor_b.display_name == public[3]["vendor_display_name"]
    assert vendor_b.store is not None and vendor_b.store.store_name == public[3]["vendor_shop_name"]
    for user in recorded.users.values():
        expected_password = (
            "admin-pass-123" if user.login == "storeadmin" else f"{user.login}-pass-123"
        )
        assert user.password == expected_password
        assert re.fullmatch(r"([A-Za-z0-9]{4} ){5}[A-Za-z0-9]{4}", user.app_password)
    assert recorded.users[2].store_setup_pending and recorded.users[3].store_setup_pending
    for product in recording(44):
        ours = recorded.products[product["id"]]
        assert (ours.name, ours.slug, ours.sku, f"{ours.price:.2f}") == (
            product["name"],
            product["slug"],
            product["sku"],
            product["price"],
        )
        assert (ours.stock, ours.total_sales, ours.virtual) == (
            product["stock_quantity"],
            product["total_sales"],
            product["virtual"],
        )
        assert [(m.id, m.key, m.value) for m in ours.meta] == [
            (m["id"], m["key"], m["value"]) for m in product["meta_data"]
        ]


def test_recorded_sequences_continue_where_the_real_site_did(recorded: MarketplaceState) -> None:
    state = MarketplaceState()
    load_recorded(state)
    # REC 73: refund request #1; REC 105: note 16; REC 112: tracking item meta 190, message 19
    # (Ultimate run); REC 144: the first new order meta is 403.
    assert state.next_id(SEQ_REFUND_REQUEST) == 1
    assert state.next_id(SEQ_COMMENT) == 16
    assert state.next_id(SEQ_ITEM_META) == 190
    assert state.next_id(SEQ_MESSAGE) == 19
    assert state.next_id(SEQ_POST_META) == 403
    assert state.next_id(SEQ_POST) == 25
    assert state.next_id(SEQ_ORDER_ITEM) == 19
    assert state.next_id(SEQ_COMMISSION) == 34


def test_recorded_commission_is_ninety_percent(recorded: MarketplaceState) -> None:
    assert len(recorded.commissions) == 11
    for row in recorded.commissions.values():
        assert row.commission_amount == php_amount(row.item_total * Decimal("0.9"))
        assert row.total_commission == row.commission_amount
        order = recorded.orders[row.order_id]
        assert row.order_status == row.commission_status == order.status
    amounts = {row.ID: str(row.commission_amount) for row in recorded.commissions.values()}
    assert (
        amounts[23] == "45"
        and amounts[29] == "22.5"
        and amounts[32] == "8.99"
        and amounts[27] == "11.25"
    )


# ----------------------------------------------------------------------------- generated
@pytest.fixture(scope="module")
def generated() -> MarketplaceState:
    state = MarketplaceState()
    load_generated(state, seed=11, orders=1500, now=NOW)
    return state


def test_generated_is_deterministic_per_seed() -> None:
    first, second, other = MarketplaceState(), MarketplaceState(), MarketplaceState()
    load_generated(first, seed=5, orders=300, now=NOW)
    load_generated(second, seed=5, orders=300, now=NOW)
    load_generated(other, seed=6, orders=300, now=NOW)
    for name in (
        "users",
        "products",
        "orders",
        "notes",
        "commissions",
        "messages",
        "refund_requests",
    ):
        assert getattr(first, name) == getattr(second, name), name
    assert first.orders != other.orders


def test_generated_orders_are_dated_in_id_order_within_two_years(
    generated: MarketplaceState,
) -> None:
    ids = sorted(generated.orders)
    dates = [generated.orders[order_id].date_created for order_id in ids]
    assert dates == sorted(dates)
    assert all(moment.tzinfo is not None for moment in dates)
    assert NOW - timedelta(days=731) < dates[0] and dates[-1] < NOW
    assert NOW - dates[-1] < timedelta(days=2)
    for order in generated.orders.values():
        assert order.date_modified >= order.date_created
        if order.date_completed:
            assert order.date_created <= order.date_completed <= NOW


def test_generated_totals_are_consistent(generated: MarketplaceState) -> None:
    percent = generated.settings.commission_percent / 100
    for order in generated.orders.values():
        items = sum((item.subtotal for item in order.items), Decimal(0))
        fees = sum((fee.total for fee in order.fee_lines), Decimal(0))
        discount = sum((item.subtotal - item.total for item in order.items), Decimal(0))
        assert order.discount_total == discount
        assert order.shipping_total == sum(
            (line.total for line in order.shipping_lines), Decimal(0)
        )
        assert order.cart_tax == sum((item.total_tax for item in order.items), Decimal(0))
        assert (
            order.total
            == items + order.shipping_total + order.cart_tax + order.shipping_tax + fees - discount
        )
        assert order.total == order.total.quantize(Decimal("0.01"))
        assert sum((coupon.discount for coupon in order.coupon_lines), Decimal(0)) == discount
        if order.tax_lines:
            assert order.tax_lines[0].tax_total == order.cart_tax
        for row in generated.commissions_of_order(order.id):
            item = order.item(row.item_id)
            assert item is not None and item.vendor_id == row.vendor_id
            assert item.meta_value("_wcfmmp_order_item_processed") == str(row.ID)
            assert row.commission_amount == php_amount((item.total - row.refunded_amount) * percent)
            assert row.order_status == order.status


def test_generated_vendor_index_is_consistent(generated: MarketplaceState) -> None:
    expected: dict[int, set[int]] = {}
    for row in generated.commissions.values():
        expected.setdefault(row.vendor_id, set()).add(row.order_id)
    for vendor in generated.vendors():
        assert generated.vendor_order_ids(vendor.id) == sorted(expected.get(vendor.id, ()))
    assert generated.vendors()[0].login == "demo_vendor"
    demo = generated.vendors()[0]
    assert len(generated.vendor_order_ids(demo.id)) == max(
        len(generated.vendor_order_ids(vendor.id)) for vendor in generated.vendors()
    )
    item_ids = [item.id for order in generated.orders.values() for item in order.items]
    assert len(item_ids) == len(set(item_ids))


def test_generated_covers_every_feature(generated: MarketplaceState) -> None:
    state = generated
    demo = state.vendors()[0]
    orders = list(state.orders.values())
    assert {o.status for o in orders} >= {
        "pending",
        "processing",
        "on-hold",
        "completed",
        "cancelled",
        "refunded",
        "failed",
    }
    assert {row.commission_status for row in state.commissions.values()} >= {
        "shipped",
        "completed",
        "processing",
    }
    shipped = [row for row in state.commissions.values() if row.commission_status == "shipped"]
    for row in shipped:
        item = state.orders[row.order_id].item(row.item_id)
        assert item is not None
        assert item.virtual or item.meta_value(
            "wcfm_tracking_url",
        ).startswith("https://")
    # split orders where one vendor completed while the main order is still processing
    assert any(
        order.status == "processing"
        and {row.commission_status for row in state.commissions_of_order(order.id)}
        >= {"completed", "processing"}
        for order in orders
    )
    by_vendors = Counter(len(order.vendor_ids()) for order in orders)
    assert by_vendors[2] and by_vendors[3]
    assert any(len(order.items) >= 3 for order in orders)
    assert any(item.quantity >= 3 for order in orders for item in order.items)
    assert any(item.virtual for order in orders for item in order.items)
    assert any(
        all(item.virtual for item in order.items) and not order.shipping_lines for order in orders
    )
    variations = [item for order in orders for item in order.items if item.variation_id]
    assert variations and all(
        item.meta_value("size") or item.meta_value("color") or item.meta_value("pattern")
        for item in variations
    )
    unpaid_cod = [
        o
        for o in orders
        if o.payment_method == "cod" and o.status == "processing" and o.date_paid is None
    ]
    unpaid_bacs = [
        o
        for o in orders
        if o.payment_method == "bacs" and o.status == "on-hold" and o.date_paid is None
    ]
    assert unpaid_cod and unpaid_bacs
    paid_cards = [
        o for o in orders if o.payment_method in ("stripe", "paypal") and o.status == "processing"
    ]
    assert paid_cards and all(o.date_paid is not None and o.transaction_id for o in paid_cards)
    notes = [o.customer_note for o in orders if o.customer_note]
    assert any("<b>" in note and "&" in note for note in notes)
    vendor_notes = [
        n for ns in state.notes.values() for n in ns if "has added the following note" in n.content
    ]
    assert any(n.customer_note for n in vendor_notes) and any(
        not n.customer_note for n in vendor_notes
    )
    assert any(n.author_user_id == demo.id for n in vendor_notes)
    # refund requests in every state, reflected in the commission rows
    requests = list(state.refund_requests.values())
    assert {r.refund_status for r in requests} >= {"requested", "completed", "cancelled"}
    for request in requests:
        row = state.commissions[request.commission_id]
        assert row.refund_status == request.refund_status
        if request.refund_status == "completed":
            assert row.refunded_amount == request.refunded_amount > 0
            assert row.is_refunded != request.is_partially_refunded
        if request.refund_status == "requested":
            assert state.orders[request.order_id].meta_value("_wcfm_refund_request") == "yes"
    assert any(r.is_partially_refunded and r.refund_status == "completed" for r in requests)
    assert any(order.refunds for order in orders if order.status == "refunded")
    # payouts
    withdraw = Counter(row.withdraw_status for row in state.commissions.values())
    assert withdraw["requested"] and withdraw["completed"]
    assert all(
        row.commission_paid_date is not None and row.withdrawal_id
        for row in state.commissions.values()
        if row.withdraw_status == "completed"
    )
    # shipping, taxes, coupons, fees
    assert all(line.vendor_id for order in orders for line in order.shipping_lines)
    assert any(order.tax_lines for order in orders)
    assert any(order.coupon_lines for order in orders) and any(order.fee_lines for order in orders)
    # every order status reached the demo vendor, and its newest orders carry notifications
    demo_orders = [state.orders[i] for i in state.vendor_order_ids(demo.id)]
    assert {o.status for o in demo_orders} >= {
        "pending",
        "processing",
        "on-hold",
        "completed",
        "cancelled",
        "refunded",
        "failed",
    }
    assert any(
        m.message_to == demo.id and m.message_type == "order" and not m.read_by
        for m in state.messages
    )


RATES = {
    "flat_rate": ("Flat rate", "1", {Decimal("5"), Decimal("12.5")}),
    "free_shipping": ("Free shipping", "2", {Decimal("0")}),
    "local_pickup": ("Local pickup", "3", {Decimal("0")}),
}


def test_generated_orders_ship_each_vendors_package(generated: MarketplaceState) -> None:
    """Shipping as on a marketplace with WCFM's shipping by vendor: every vendor with something
    to ship in an order has its own tagged shipping line — flat rate, free shipping or local
    pickup — so vendors see how their part ships; orders of virtual items only have none."""
    methods: Counter[str] = Counter()
    for order in generated.orders.values():
        shipping_vendors = {item.vendor_id for item in order.items if not item.virtual}
        assert sorted(line.vendor_id or 0 for line in order.shipping_lines) == sorted(
            shipping_vendors
        )
        percent = order.tax_lines[0].rate_percent if order.tax_lines else Decimal(0)
        for line in order.shipping_lines:
            title, instance, costs = RATES[line.method_id]
            assert (line.method_title, line.instance_id) == (title, instance)
            assert line.total in costs
            assert line.total_tax == php_amount(line.total * percent / 100)
            package = [i for i in order.items if i.vendor_id == line.vendor_id and not i.virtual]
            meta = {entry.key: entry.value for entry in line.meta}
            assert meta["vendor_id"] == str(line.vendor_id)
            assert meta["package_qty"] == str(sum(item.quantity for item in package))
            methods[line.method_id] += 1
    assert set(methods) == set(RATES)
    assert methods["flat_rate"] > methods["free_shipping"] > methods["local_pickup"] > 0


def test_generated_shipping_lines_reach_the_vendor_shaped_like_the_real_ones() -> None:
    """The vendor's REST view of a generated order shows its shipping line with the keys of
    the real marketplace's (recording 124) plus the WCFM ``store_name``, taxes included."""
    real = recording(124)["shipping_lines"][0]
    with Simulator(dataset="generated", orders=120, seed=11) as sim:
        with sim.state.lock:
            demo = sim.state.vendors()[0]
            order_id = next(
                order.id
                for order in (sim.state.orders[i] for i in sim.state.vendor_order_ids(demo.id))
                if order.tax_lines
                and len(order.vendor_ids()) == 1
                and any(line.total_tax for line in order.shipping_lines)
            )
            stored = sim.state.orders[order_id].shipping_lines[0]
            rate_id = sim.state.orders[order_id].tax_lines[0].rate_id
        user = next(u for u in sim.users if u["login"] == sim.demo_vendor)
        response = requests.get(
            f"{sim.base_url}/wp-json/wcfmmp/v1/orders/{order_id}",
            auth=(user["login"], user["app_password"]),
            timeout=10,
        )
    assert response.status_code == 200
    (line,) = response.json()["shipping_lines"]
    assert set(line) == set(real) | {"store_name"}
    assert (line["method_title"], line["method_id"]) == (stored.method_title, stored.method_id)
    assert (Decimal(line["total"]), Decimal(line["total_tax"])) == (stored.total, stored.total_tax)
    assert line["taxes"] == [{"id": rate_id, "total": line["total_tax"], "subtotal": ""}]
    assert {entry["key"] for entry in line["meta_data"]} == {"Items", "vendor_id", "package_qty"}


SCRIPTS = {
    "greek": r"[\u0370-\u03ff]",
    "cyrillic": r"[\u0400-\u04ff]",
    "cjk": r"[\u4e00-\u9fff]",
    "kana": r"[\u3040-\u30ff]",
    "hangul": r"[\uac00-\ud7af]",
    "arabic": r"[\u0600-\u06ff]",
    "latin-ext": r"[\u00c0-\u024f]",
}


def test_generated_customers_write_in_many_scripts(generated: MarketplaceState) -> None:
    demo = generated.vendors()[0]
    names = " ".join(
        f"{o.billing.first_name} {o.billing.last_name} {o.shipping.address_1} {o.shipping.city}"
        for o in (generated.orders[i] for i in generated.vendor_order_ids(demo.id))
    )
    for script, pattern in SCRIPTS.items():
        assert re.search(pattern, names), script
    customers = [u for u in generated.users.values() if u.role == "customer"]
    assert any(len(u.billing.company) > 60 for u in customers)
    assert any(len(u.billing.address_1) > 60 for u in customers)
    assert any(u.billing.phone for u in customers) and any(not u.billing.phone for u in customers)
    vendors = generated.vendors()
    assert 4 <= len(vendors) <= 6
    for vendor in vendors:
        assert vendor.store is not None and vendor.store.store_name and vendor.store.street_1
        assert vendor.password == f"{vendor.login}-pass-123" and vendor.app_password


def test_generated_site_currency_can_be_euro() -> None:
    state = MarketplaceState()
    load_generated(state, seed=1, orders=50, now=NOW, currency="EUR")
    assert state.settings.currency == "EUR"
    assert {order.currency for order in state.orders.values()} == {"EUR"}


@pytest.mark.slow
def test_generated_hundred_thousand_orders_load() -> None:
    state = MarketplaceState()
    started = time.perf_counter()
    load_generated(state, seed=3, orders=100_000, now=NOW)
    elapsed = time.perf_counter() - started
    print(f"100 000 orders loaded in {elapsed:.1f} s")
    assert len(state.orders) == 100_000
    demo = state.vendors()[0]
    newest = list(state.iter_vendor_order_ids_desc(demo.id))[:100]
    assert newest == sorted(newest, reverse=True) and newest[0] == max(
        state.vendor_order_ids(demo.id)
    )
    assert sum(len(state.vendor_order_ids(v.id)) for v in state.vendors()) >= 100_000
