"""The orders routes of the simulated WCFM REST API, over real HTTP, against the recorded
seed (vendor_a's orders 18–22 and 24; 21 and 24 are split with vendor_b; 23 is vendor_b's)."""

from __future__ import annotations

import pytest

from tests.sandbox.conftest import TIMEOUT, Market

VENDOR_A_ORDERS = [24, 22, 21, 20, 19, 18]


def ids(response: object) -> list[int]:
    return [order["id"] for order in response.json()]  # type: ignore[attr-defined]


def test_list_is_newest_first_with_wcfm_headers_and_no_totals(free_market: Market) -> None:
    response = free_market.get(free_market.app(), "/wcfmmp/v1/orders")
    assert response.status_code == 200
    assert ids(response) == VENDOR_A_ORDERS
    headers = response.headers
    assert headers["Content-Type"] == "application/json; charset=UTF-8"
    assert "X-WP-Total" not in headers and "X-WP-TotalPages" not in headers
    assert headers["Access-Control-Expose-Headers"] == "X-WP-Total, X-WP-TotalPages, Link"
    assert headers["Link"] == f'<{free_market.sim.base_url}/wp-json/>; rel="https://api.w.org/"'
    assert headers["Allow"] == "GET"
    assert headers["Cache-Control"].startswith("no-cache")


def test_paging_and_past_the_end(free_market: Market) -> None:
    app = free_market.app()
    pages = [
        ids(free_market.get(app, "/wcfmmp/v1/orders", params={"per_page": 2, "page": page}))
        for page in (1, 2, 3, 4)
    ]
    assert pages == [[24, 22], [21, 20], [19, 18], []]


def test_pages_count_only_the_orders_the_list_shows(free_market: Market) -> None:
    """As SQL's OFFSET over the visible rows: an order the admin trashed or cancelled is not
    counted in the pages before it, so no order is listed twice and none is skipped."""
    app = free_market.app()
    free_market.sim.trash_order(22)
    free_market.sim.set_main_status(20, "cancelled")

    def pages() -> list[list[int]]:
        return [
            ids(free_market.get(app, "/wcfmmp/v1/orders", params={"per_page": 2, "page": page}))
            for page in (1, 2, 3)
        ]

    assert pages() == [[24, 21], [19, 18], []]
    free_market.sim.restore_order(22)
    assert pages() == [[24, 22], [21, 19], [18]]


@pytest.mark.parametrize(
    ("params", "bad"),
    [
        ({"per_page": 0}, "per_page"),
        ({"per_page": 101}, "per_page"),
        ({"per_page": "ten"}, "per_page"),
        ({"page": 0}, "page"),
    ],
)
def test_paging_arguments_are_validated(
    free_market: Market, params: dict[str, object], bad: str
) -> None:
    response = free_market.get(free_market.app(), "/wcfmmp/v1/orders", params=params)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "rest_invalid_param"
    assert body["message"] == f"Invalid parameter(s): {bad}"
    assert list(body["data"]["params"]) == [bad]
    assert body["data"]["details"][bad]["code"] in ("rest_out_of_bounds", "rest_invalid_type")


def test_status_and_lone_after_are_ignored_but_after_before_filter_by_day(
    free_market: Market,
) -> None:
    app = free_market.app()
    route = "/wcfmmp/v1/orders"
    assert ids(free_market.get(app, route, params={"status": "on-hold"})) == VENDOR_A_ORDERS
    assert ids(free_market.get(app, route, params={"after": "2026-11-22"})) == VENDOR_A_ORDERS
    # Inclusive, whole days of the commission rows' creation (orders 19, 20, 21).
    both = free_market.get(app, route, params={"after": "2026-11-21", "before": "2026-11-24"})
    assert ids(both) == [21, 20, 19]
    iso = free_market.get(
        app, route, params={"after": "2026-11-21T23:59:59", "before": "2026-11-24T00:00:00"}
    )
    assert ids(iso) == [21, 20, 19]


def test_search_matches_order_number_customer_and_items(free_market: Market) -> None:
    app = free_market.app()
    route = "/wcfmmp/v1/orders"
    assert ids(free_market.get(app, route, params={"search": "24"})) == [24]
    assert ids(free_market.get(app, route, params={"search": "E-Book"})) == [22, 19]
    assert ids(free_market.get(app, route, params={"search": "carol"})) == VENDOR_A_ORDERS
    assert ids(free_market.get(app, route, params={"search": "nobody-like-this"})) == []


def test_list_item_shape_types_and_whole_order_totals(free_market: Market) -> None:
    orders = {o["id"]: o for o in free_market.get(free_market.app(), "/wcfmmp/v1/orders").json()}
    split = orders[24]
    assert split["total"] == "73.00" and split["shipping_total"] == "5"
    assert [item["id"] for item in split["line_items"]] == [16]  # vendor_a's item only
    assert (
        split["line_items"][0]["price"] == 25 and split["line_items"][0]["commission_value"] == 45
    )
    assert split["shipping_lines"] == []
    details = split["vendor_order_details"]
    assert all(isinstance(v, str) for k, v in details.items() if k != "commission_paid_date")
    assert details["order_status"] == "on-hold" and details["commission_status"] == "on-hold"
    multi = orders[19]["vendor_order_details"]
    assert multi["commission_ids"] == "32,31,30" and multi["order_item_ids"] == "5,4,3"
    assert multi["total_commission"] == "53.99" and multi["item_total"] == "59.99"
    assert orders[19]["line_items"][0]["subtotal"] == "25"
    assert orders[21]["line_items"][0]["subtotal"] == "12.5"
    # Virtual-only order 22: no shipment tracking at all; order 19: the e-book is skipped.
    assert orders[22]["shipment_tracking"] == []
    tracking = orders[19]["shipment_tracking"]
    assert [entry["item_id"] for entry in tracking["each_data"]] == [3, 4]
    assert tracking["mark_all"] == {"product_ids": [13, 14], "order_item_ids": [3, 4]}
    assert orders[21]["date_created"] == "2026-11-24T16:05:53"


def test_single_order_by_auth_method(free_market: Market) -> None:
    by_app = free_market.get(free_market.app(), "/wcfmmp/v1/orders/21").json()
    by_jwt = free_market.get(free_market.jwt(), "/wcfmmp/v1/orders/21").json()
    by_cookie = free_market.get(free_market.cookie(), "/wcfmmp/v1/orders/21").json()
    assert "vendor_order_details" not in by_app
    # Application passwords: WCFM's init ran as nobody.
    assert by_app["status"] == ""
    assert [e["item_id"] for e in by_app["shipment_tracking"]["each_data"]] == [9, 10]
    for view in (by_jwt, by_cookie):
        assert view["status"] == "processing"
        assert [e["item_id"] for e in view["shipment_tracking"]["each_data"]] == [9]
        assert "mark_all" not in view["shipment_tracking"]
    assert [item["id"] for item in by_app["line_items"]] == [9]


def test_foreign_and_unknown_orders_give_the_same_404(free_market: Market) -> None:
    app = free_market.app()
    for order_id in (23, 999999):
        response = free_market.get(app, f"/wcfmmp/v1/orders/{order_id}")
        assert response.status_code == 404
        assert response.json() == {
            "code": "wcfmapi_rest_invalid_vendor",
            "message": "Invalid Vendor - Order Id do not belong to the loggedin vendor",
            "data": {"status": 404},
        }


def test_completing_a_single_vendor_order_completes_the_main_order(free_market: Market) -> None:
    app = free_market.app()
    free_market.sim.clear_mails()
    response = free_market.put(app, "/wcfmmp/v1/orders/18", json={"status": "completed"})
    assert response.status_code == 200
    order = response.json()
    assert order["status"] == "completed" and order["date_completed"] is not None
    assert free_market.admin_status(18) == "completed"
    notes = free_market.get(app, "/wcfmmp/v1/orders/note/18").json()
    assert "status updated to <b>Completed</b> by" in notes[-3]["content"] or any(
        "status updated to <b>Completed</b> by" in n["content"] for n in notes
    )
    read = free_market.get(app, "/wcfmmp/v1/notifications", params={"notification_status": "read"})
    assert (
        read.json()[0]["message"]
        == "#18 order item Alpha Mug status updated to Completed by Alpha Goods"
    )
    subjects = [mail["subject"] for mail in free_market.sim.mails()]
    assert any("on its way" in subject for subject in subjects)


def test_split_order_completes_only_when_every_vendor_did(free_market: Market) -> None:
    response = free_market.post(
        free_market.app(), "/wcfmmp/v1/orders/21", json={"status": "completed"}
    )
    assert response.json()["status"] == "completed"
    assert free_market.admin_status(21) == "processing"
    listed = {o["id"]: o for o in free_market.get(free_market.app(), "/wcfmmp/v1/orders").json()}
    assert listed[21]["vendor_order_details"]["order_status"] == "processing"
    free_market.put(
        free_market.app("vendor_b"), "/wcfmmp/v1/orders/21", json={"status": "completed"}
    )
    assert free_market.admin_status(21) == "completed"


@pytest.mark.parametrize("status", ["wc-completed", "shipped", "bogus", ""])
def test_invalid_statuses_are_404(free_market: Market, status: str) -> None:
    response = free_market.put(free_market.app(), "/wcfmmp/v1/orders/20", json={"status": status})
    assert response.status_code == 404
    assert response.json()["code"] == "wcfmapi_rest_invalid_shop_order_status"
    assert response.headers["Allow"] == "GET, POST, PUT, PATCH"


def test_missing_status_refunded_and_foreign_orders(free_market: Market) -> None:
    app = free_market.app()
    missing = free_market.put(app, "/wcfmmp/v1/orders/20", json={})
    assert missing.status_code == 400
    assert missing.json() == {
        "code": "rest_missing_callback_param",
        "message": "Missing parameter(s): status",
        "data": {"status": 400, "params": ["status"]},
    }
    refunded = free_market.put(app, "/wcfmmp/v1/orders/20", json={"status": "refunded"})
    assert refunded.status_code == 200 and refunded.json()["status"] == "on-hold"
    foreign = free_market.put(app, "/wcfmmp/v1/orders/23", json={"status": "completed"})
    assert foreign.status_code == 404
    assert free_market.admin_status(23) == "processing"


def test_form_bodies_patch_and_method_overrides(free_market: Market) -> None:
    app = free_market.app()
    form = app.post(
        free_market.rest("/wcfmmp/v1/orders/22"), data={"status": "processing"}, timeout=TIMEOUT
    )
    assert form.json()["status"] == "processing"
    patch = app.patch(
        free_market.rest("/wcfmmp/v1/orders/20"), json={"status": "processing"}, timeout=TIMEOUT
    )
    assert patch.json()["status"] == "processing"
    header = app.post(
        free_market.rest("/wcfmmp/v1/orders/20"),
        json={"status": "on-hold"},
        headers={"X-HTTP-Method-Override": "PUT"},
        timeout=TIMEOUT,
    )
    assert header.json()["status"] == "on-hold"
    query = app.post(
        free_market.rest("/wcfmmp/v1/orders/20"), params={"_method": "GET"}, timeout=TIMEOUT
    )
    assert query.status_code == 200 and query.json()["id"] == 20  # a read, no status needed


def test_wc_v3_is_admin_only(free_market: Market) -> None:
    vendor = free_market.get(free_market.app(), "/wc/v3/orders")
    assert vendor.status_code == 403
    assert vendor.json()["code"] == "woocommerce_rest_cannot_view"
    admin = free_market.get(free_market.app("storeadmin"), "/wc/v3/orders/21").json()
    assert admin["billing"]["state"] == "CA" and admin["total"] == "57.50"
    assert [item["id"] for item in admin["line_items"]] == [9, 10]
    listing = free_market.get(
        free_market.app("storeadmin"), "/wc/v3/orders", params={"per_page": 3}
    )
    assert listing.headers["X-WP-Total"] == "7" and len(listing.json()) == 3


def test_unknown_route_and_trailing_slash(free_market: Market) -> None:
    app = free_market.app()
    unknown = free_market.get(app, "/wcfmmp/v1/orders/19/notes")
    assert unknown.status_code == 404
    assert unknown.json()["code"] == "rest_no_route"
    assert "Allow" not in unknown.headers
    assert free_market.get(app, "/wcfmmp/v1/orders/").status_code == 200
