"""Parsing real marketplace answers (recorded on the real WCFM stack, in tests/recorded/)."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs, urlencode

import pytest

from tests.conftest import RECORDED
from vendor_desk.domain import (
    Money,
    OrderStatus,
    PayoutState,
    RefundLine,
    RefundMode,
    RefundRequestStatus,
    RefundState,
    ShippingStatus,
)
from vendor_desk.marketplace import InvalidResponse, parsing
from vendor_desk.marketplace.client import refund_form


def recording(prefix: str) -> dict[str, Any]:
    (path,) = RECORDED.glob(f"{prefix}-*.json")
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    return data


def body(prefix: str) -> Any:
    return recording(prefix)["response"]["body"]


def usd(value: str) -> Money:
    return Money.of(value, "USD")


class TestOrderList:
    def test_list_with_vendor_details(self) -> None:
        orders = {o.id: o for o in parsing.parse_orders(body("88"))}
        assert sorted(orders) == [18, 19, 20, 21, 22, 24]
        o24 = orders[24]
        # status is the vendor's part; vendor_order_details.order_status is the main order
        assert o24.vendor_status == OrderStatus.PROCESSING
        assert o24.main_status == OrderStatus.ON_HOLD
        assert o24.total == usd("73.00")  # whole order
        assert o24.items_total == usd("50")  # vendor_a's tee x2
        assert o24.earning == usd("45")
        assert o24.split
        assert o24.payout_state == PayoutState.PENDING
        assert o24.shipping_status == ShippingStatus.PENDING
        assert o24.raw["vendor_order_details"]["ID"] == "23"

    def test_refund_state_per_item_from_comma_lists(self) -> None:
        orders = {o.id: o for o in parsing.parse_orders(body("88"))}
        o19 = orders[19]
        # order_item_ids "5,4,3" with refund_statuses "pending,pending,requested"
        states = {i.item_id: i.refund_state for i in o19.items}
        assert states == {3: RefundState.REQUESTED, 4: RefundState.NONE, 5: RefundState.NONE}
        assert o19.refund_requested
        assert not orders[18].refund_requested
        assert orders[22].items[0].refund_state == RefundState.REQUESTED

    def test_items_money_and_commission(self) -> None:
        o19 = {o.id: o for o in parsing.parse_orders(body("88"))}[19]
        mug = o19.item(3)
        assert mug is not None
        assert (mug.name, mug.sku, mug.quantity) == ("Alpha Mug", "ALPHA-MUG", 2)
        assert mug.total == usd("25") and mug.price == usd("12.5")
        assert mug.commission == usd("22.5")
        assert isinstance(mug.commission.amount, Decimal)
        assert o19.earning == usd("53.99")
        assert not o19.split  # 59.99 items + 5 shipping = 64.99

    def test_payment_dates_and_addresses(self) -> None:
        orders = {o.id: o for o in parsing.parse_orders(body("88"))}
        assert orders[18].date_paid == datetime(2026, 11, 27, 16, 7, 43, tzinfo=UTC)
        assert orders[18].is_paid and not orders[19].is_paid
        assert orders[19].payment_method == "cod"
        assert orders[19].payment_method_title == "Cash on delivery"
        assert orders[19].customer_note == "Please gift wrap"
        assert orders[19].shipping.state == "California"
        assert orders[19].customer_phone == "555-0199"
        assert orders[19].date_created.tzinfo is not None

    def test_virtual_item_is_not_shippable(self) -> None:
        o19 = {o.id: o for o in parsing.parse_orders(body("88"))}[19]
        shippable = {i.item_id: i.shippable for i in o19.items}
        assert shippable == {3: True, 4: True, 5: False}  # 5 is the e-book

    def test_shipped_state_from_ultimate_list(self) -> None:
        orders = {o.id: o for o in parsing.parse_orders(body("119"))}
        o19 = orders[19]
        assert o19.vendor_status == OrderStatus.SHIPPED
        # one row's shipping_status: only item 3 has tracking yet
        assert o19.shipping_status == ShippingStatus.PENDING
        mug = o19.item(3)
        assert mug is not None and mug.tracking_code == "ZX100019"
        assert mug.tracking_url == "https://carrier.example/track/ZX100019"
        assert not o19.item(4).has_tracking  # type: ignore[union-attr]
        assert orders[21].shipping_status == ShippingStatus.SHIPPED


class TestSingleOrder:
    def test_app_password_empty_status_is_unknown(self) -> None:
        o = parsing.parse_order(body("10"))
        assert o.vendor_status.is_unknown
        assert o.main_status.is_unknown  # single route has no vendor_order_details
        known = {x.id: x for x in parsing.parse_orders(body("88"))}[19]
        merged = o.fill_unknown_from(known)
        assert merged.vendor_status == OrderStatus.PROCESSING
        assert merged.item(3).refund_state == RefundState.REQUESTED  # type: ignore[union-attr]

    def test_split_seen_under_app_password_lists_foreign_items(self) -> None:
        o = parsing.parse_order(body("11"))
        assert o.split
        assert o.foreign_item_ids == (10,)  # the Beta Lamp of vendor_b
        assert [i.item_id for i in o.items] == [9]

    def test_split_under_jwt(self) -> None:
        o = parsing.parse_order(body("86"))
        assert o.vendor_status == OrderStatus.COMPLETED
        assert o.split and o.foreign_item_ids == ()
        assert o.earning == usd("11.25")  # from commission_value when no details

    def test_other_vendor_view_of_the_split_order(self) -> None:
        o = parsing.parse_order(body("94"))
        assert [i.name for i in o.items] == ["Beta Lamp"]
        assert o.split and o.foreign_item_ids == (9,)

    def test_tracking_from_item_meta(self) -> None:
        o = parsing.parse_order(body("114"))
        assert o.vendor_status == OrderStatus.SHIPPED
        mug = o.item(3)
        assert mug is not None and mug.has_tracking and mug.tracking_code == "ZX100019"

    def test_list_page_element(self) -> None:
        (o24, o22) = parsing.parse_orders(body("03"))
        assert (o24.id, o22.id) == (24, 22)
        # shipment_tracking is [] on a processing order: no item needs shipping (the e-book)
        assert o22.items[0].shippable is False

    def test_empty_shipment_tracking_says_nothing_when_the_status_rules_tracking_out(self) -> None:
        (_o24, o22) = body("03")
        for main_status in ("pending", "failed", "cancelled", "refunded"):
            data = copy.deepcopy(o22)
            data["vendor_order_details"]["order_status"] = main_status
            assert parsing.parse_order(data).items[0].shippable is None, main_status
        unknown = copy.deepcopy(o22)  # application passwords: no status at all
        unknown["status"] = ""
        del unknown["vendor_order_details"]
        assert parsing.parse_order(unknown).items[0].shippable is None


class TestInvalidOrders:
    def test_missing_required_field(self) -> None:
        data = dict(body("10"))
        del data["line_items"]
        with pytest.raises(InvalidResponse) as error:
            parsing.parse_order(data)
        assert "line_items" in error.value.detail

    def test_malformed_money(self) -> None:
        data = dict(body("10"))
        data["total"] = "sixty"
        with pytest.raises(InvalidResponse):
            parsing.parse_order(data)

    def test_not_a_list(self) -> None:
        with pytest.raises(InvalidResponse):
            parsing.parse_orders({"code": "x"})

    def test_unknown_extra_fields_are_tolerated(self) -> None:
        data = dict(body("10"))
        data["brand_new_field"] = {"anything": [1, 2]}
        data["status"] = "awaiting-pickup"
        o = parsing.parse_order(data)
        assert o.vendor_status.slug == "awaiting-pickup"


class TestNotes:
    def test_plain_notes(self) -> None:
        notes = parsing.parse_notes(body("14"))
        assert [n.id for n in notes] == [5, 4]
        assert notes[1].text.endswith("Alpha E-Book (ALPHA-EBOOK) 100→99")  # &rarr; decoded
        assert notes[0].author == "system" and notes[0].is_system
        assert notes[0].date == datetime(2026, 11, 27, 16, 5, 52, tzinfo=UTC)
        assert not notes[0].customer_visible

    def test_html_notes_become_text(self) -> None:
        notes = parsing.parse_notes(body("120"))
        assert notes[0].text == (
            "Vendor Alpha Goods has shipped Alpha Mug to customer.\nTracking Info : ZX100019"
        )
        vendor_note = next(n for n in notes if n.customer_visible)
        assert vendor_note.text == (
            "Alpha Goods has added the following note:\n"
            "Your parcel leaves tomorrow (customer note, JWT)"
        )
        assert vendor_note.author == "Alice Alpha"
        assert "<br />" in vendor_note.html

    @pytest.mark.parametrize(
        ("dump", "expected_offset"),
        [
            ({"date": "2026-11-27 16:09:13.000000", "timezone_type": 1, "timezone": "+02:00"}, 2),
            ({"date": "2026-11-27 16:09:13.000000", "timezone_type": 2, "timezone": "UTC"}, 0),
            (
                {
                    "date": "2026-11-27 16:09:13.000000",
                    "timezone_type": 3,
                    "timezone": "Europe/Paris",
                },
                1,
            ),
        ],
    )
    def test_php_datetime_dumps(self, dump: dict[str, Any], expected_offset: int) -> None:
        parsed = parsing.parse_php_datetime(dump)
        assert parsed.utcoffset() == timedelta(hours=expected_offset)
        assert (parsed.hour, parsed.minute, parsed.second) == (16, 9, 13)

    def test_html_to_text(self) -> None:
        assert parsing.html_to_text("a<br>b<br/>c") == "a\nb\nc"
        assert parsing.html_to_text("<p>One</p><p>Two &amp; three</p>") == "One\nTwo & three"
        assert parsing.html_to_text("<script>alert(1)</script>Hi&nbsp; there") == "Hi there"
        assert parsing.html_to_text("1 &lt; 2") == "1 < 2"


class TestBoardStatsSettings:
    def test_notifications(self) -> None:
        unread = parsing.parse_notifications(body("36"), read=False)
        assert unread[0].id == 17 and unread[0].type == "order"
        assert unread[0].message == "You have received an Order #24 for Alpha T-Shirt"
        assert unread[0].order_id == 24 and not unread[0].read
        assert unread[0].created == datetime(2026, 11, 27, 16, 5, 53, tzinfo=UTC)
        read = parsing.parse_notifications(body("37"), read=True)
        assert read[0].type == "status-update" and read[0].read

    def test_sales_stats(self) -> None:
        stats = parsing.parse_sales_stats(body("39"))
        assert stats.currency == "USD"
        assert stats.gross_sales.month == usd("25") and stats.earnings.week == usd("11.25")

    def test_store_settings(self) -> None:
        settings = parsing.parse_store_settings(body("41"))
        assert settings.store_name == "Alpha Goods"
        assert settings.email == "vendor_a@example.test"
        assert settings.address.lines() == ["2 Vendor St", "94001 Localhost, CA", "US"]

    def test_token_response(self) -> None:
        token, identity, roles = parsing.parse_token_response(body("55"), "vendor_a")
        assert identity.vendor_id == 2 and identity.store_name == "Alpha Goods"
        assert identity.display_name == "Alice Alpha" and roles == ["wcfm_vendor"]
        assert parsing.jwt_user_id(token) == 2
        expiry = parsing.jwt_expiry(token)
        assert expiry is not None and expiry.tzinfo is UTC

    def test_site_timezone(self) -> None:
        assert parsing.site_timezone("+05:30").utcoffset(None) == timedelta(hours=5, minutes=30)
        assert parsing.site_timezone("") is UTC
        assert parsing.site_timezone("Nowhere/Land") is UTC
        assert isinstance(parsing.site_timezone("-03:00"), timezone)


class TestDashboard:
    def test_refund_request_table(self) -> None:
        requests, total = parsing.parse_refund_requests_table(
            body("75"), status=RefundRequestStatus.REQUESTED, currency="USD"
        )
        assert total == 2
        full, partial = requests
        assert (full.id, full.order_id, full.amount, full.mode) == (
            2,
            22,
            usd("29.97"),
            RefundMode.FULL,
        )
        assert full.reason == "Customer changed mind"
        assert full.status is RefundRequestStatus.REQUESTED
        assert full.date == datetime(2026, 11, 27, 16, 9, tzinfo=UTC)
        assert (partial.id, partial.order_id, partial.mode) == (1, 19, RefundMode.PARTIAL)
        assert partial.amount == usd("12.50")

    def test_refund_table_garbage(self) -> None:
        with pytest.raises(InvalidResponse):
            parsing.parse_refund_requests_table(
                {"data": [["x"]]}, status=RefundRequestStatus.REQUESTED, currency="USD"
            )

    @pytest.mark.parametrize(
        ("text", "amount"),
        [("$1,234.50", "1234.50"), ("1.234,50 €", "1234.50"), ("12,50 €", "12.50"), ("€ 7", "7")],
    )
    def test_amount_text(self, text: str, amount: str) -> None:
        assert parsing.parse_amount_text(text) == Decimal(amount)

    def test_refund_form_encodes_exactly_like_the_dashboard(self) -> None:
        for prefix, order_id, mode, line, reason in [
            ("73", 19, RefundMode.PARTIAL, RefundLine(3, 1, usd("12.5")), "Mug arrived chipped"),
            ("74", 22, RefundMode.FULL, RefundLine(12, 3, usd("29.97")), "Customer changed mind"),
        ]:
            recorded = recording(prefix)["request"]["body"]
            inner = refund_form(order_id, mode, [line], reason)
            rebuilt = urlencode(
                [
                    ("action", "wcfm_ajax_controller"),
                    ("controller", "wcfm-refund-requests-form"),
                    ("wcfm_refund_requests_form", inner),
                    ("wcfm_ajax_nonce", "db4372aee7"),
                ]
            )
            assert rebuilt == recorded
            fields = parse_qs(parse_qs(recorded)["wcfm_refund_requests_form"][0])
            assert fields["wcfm_refund_reason"] == [reason]

    def test_ajax_answers(self) -> None:
        failure = parsing.ajax_failure_message(body("67"))
        assert failure is not None and parsing.is_bad_nonce(failure)
        assert parsing.ajax_failure_message(body("73")) is None
        refused = parsing.ajax_failure_message(
            {"status": False, "message": "Refund request amount more than item value."}
        )
        assert refused == "Refund request amount more than item value."
        assert not parsing.is_bad_nonce(refused)

    def test_nonce_extraction(self) -> None:
        page = (
            '<script id="wcfm_core_js-js-extra">\nvar wcfm_params = {"ajax_url":"\\/wp-admin\\/'
            'admin-ajax.php","wcfm_is_vendor":"1","wcfm_ajax_nonce":"5ba6a31e32"};\n</script>'
        )
        assert parsing.extract_ajax_nonce(page) == "5ba6a31e32"
        assert parsing.extract_ajax_nonce("<html>no params</html>") is None

    def test_ultimate_markers(self) -> None:
        assert parsing.page_shows_ultimate(
            '<a class="wcfm_wcfmmarketplace_order_mark_shipped wcfm-action-icon">'
        )
        assert not parsing.page_shows_ultimate(
            '<a class="wcfm_wcfmmarketplace_order_mark_shipped_dummy wcfm-action-icon">'
        )

    def test_tracking_answers(self) -> None:
        tracking = parsing.parse_tracking_answer(body("112"))
        assert tracking is not None and tracking["wcfm_tracking_code"] == "ZX100019"
        assert parsing.parse_tracking_answer(body("35")) is None  # free edition: empty body

    def test_wp_error(self) -> None:
        code, message = parsing.wp_error(body("15"))
        assert code == "internal_server_error"
        assert message.startswith("There has been a critical error on this website.")
