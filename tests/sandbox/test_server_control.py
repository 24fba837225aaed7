"""The simulator-only control surface, its Python mirror, live new orders, and the HTTP server
itself (keep-alive, loopback, the namespace index and the vendor data routes)."""

from __future__ import annotations

import socket
import statistics
import time

import requests

from tests.sandbox.conftest import TIMEOUT, Market
from vendor_desk.sandbox import Simulator, refunds


def control(market: Market, method: str, path: str, **kwargs: object) -> requests.Response:
    return requests.request(method, market.url(f"/_sandbox{path}"), timeout=TIMEOUT, **kwargs)  # type: ignore[arg-type]


def test_info_and_users(free_market: Market) -> None:
    info = control(free_market, "GET", "").json()
    assert info["base_url"] == free_market.sim.base_url
    assert info["demo_vendor"] == "vendor_a" and info["edition"] == "free"
    assert {user["login"] for user in info["users"]} == {
        "storeadmin",
        "vendor_a",
        "vendor_b",
        "customer_c",
    }
    assert all({"login", "id", "role", "password", "app_password"} <= set(u) for u in info["users"])
    assert any(route["path"] == "/_sandbox/faults" for route in info["control"])
    assert control(free_market, "GET", "/nothing").status_code == 404


def test_new_orders_arrive_for_vendors(free_market: Market) -> None:
    added = control(free_market, "POST", "/orders", json={"count": 3}).json()["order_ids"]
    assert len(added) == 3 and min(added) > 24
    vendor_orders: list[int] = []
    for login in ("vendor_a", "vendor_b"):
        vendor_orders += [
            o["id"] for o in free_market.get(free_market.app(login), "/wcfmmp/v1/orders").json()
        ]
    assert set(added) <= set(vendor_orders)


def test_main_status_payout_and_mails(free_market: Market) -> None:
    snapshot = control(
        free_market, "POST", "/orders/19/status", json={"status": "completed"}
    ).json()
    assert snapshot["status"] == "completed"
    assert {row["commission_status"] for row in snapshot["commissions"]} == {"completed"}
    assert (
        free_market.get(free_market.jwt(), "/wcfmmp/v1/orders/19").json()["status"] == "completed"
    )
    mails = control(free_market, "GET", "/mails").json()["mails"]
    assert any(mail["subject"].endswith("is on its way!") for mail in mails)
    assert control(free_market, "DELETE", "/mails").json() == {"mails": []}
    paid = control(
        free_market,
        "POST",
        "/orders/19/payout",
        json={"withdraw_status": "completed", "vendor_id": 2},
    )
    assert paid.json()["rows_changed"] == 3
    listed = {o["id"]: o for o in free_market.get(free_market.app(), "/wcfmmp/v1/orders").json()}
    assert listed[19]["vendor_order_details"]["withdraw_status"] == "completed"
    assert listed[19]["vendor_order_details"]["commission_paid_date"] is not None
    assert (
        control(free_market, "POST", "/orders/999/status", json={"status": "completed"}).status_code
        == 404
    )
    assert (
        control(free_market, "POST", "/orders/19/status", json={"status": "nope"}).status_code
        == 400
    )


def test_admin_changes_behind_the_vendors_back(ultimate_market: Market) -> None:
    """The control surface does what the admin's wc/v3 calls do (files 160–233), and the
    vendor reads the same effects."""
    market = ultimate_market
    vendor = market.jwt()

    def listed() -> set[int]:
        return {o["id"] for o in market.get(vendor, "/wcfmmp/v1/orders").json()}

    def board() -> list[str]:
        return [n["message"] for n in market.get(vendor, "/wcfmmp/v1/notifications").json()]

    assert control(market, "POST", "/orders/19/trash").json()["trashed"] is True
    assert 19 not in listed()
    single = market.get(vendor, "/wcfmmp/v1/orders/19").json()
    assert single["status"] == "processing"
    assert "_wp_trash_meta_status" in {meta["key"] for meta in single["meta_data"]}
    assert control(market, "POST", "/orders/19/trash").status_code == 400  # already trashed
    restored = control(market, "POST", "/orders/19/restore", json={}).json()
    assert restored["trashed"] is False and restored["status"] == "processing"
    assert 19 in listed() and "#19 order status updated to Processing" in board()

    assert control(market, "DELETE", "/orders/20").json() == {"deleted": 20}
    gone = market.get(vendor, "/wcfmmp/v1/orders/20")
    assert gone.status_code == 404 and gone.json()["code"] == "wcfmapi_rest_invalid_vendor"
    assert control(market, "GET", "/orders/20").status_code == 404

    partial = control(market, "POST", "/orders/19/refund", json={"amount": "5.00"}).json()
    assert partial["status"] == "processing" and partial["refund_id"] > 24
    assert control(market, "POST", "/orders/18/refund", json={"amount": "99"}).status_code == 400
    full = control(market, "POST", "/orders/18/refund", json={"amount": "17.50"}).json()
    assert full["status"] == "refunded"
    assert "#18 order status updated to Refunded" in board()

    control(market, "POST", "/orders/21/status", json={"status": "cancelled"})
    assert 21 not in listed()
    cancelled = market.get(vendor, "/wcfmmp/v1/orders/21").json()
    assert cancelled["status"] == "cancelled" and "shipment_tracking" not in cancelled

    moved = {"address_1": "99 New Street", "state": "NY", "country": "US"}
    control(market, "POST", "/orders/24/address", json={"shipping": moved})
    shipping = market.get(vendor, "/wcfmmp/v1/orders/24").json()["shipping"]
    assert (shipping["address_1"], shipping["state"]) == ("99 New Street", "New York")
    note = control(market, "POST", "/orders/24/notes", json={"note": "Hi", "customer_note": True})
    assert note.json()["note_id"] > 0
    assert market.get(vendor, "/wcfmmp/v1/orders/note/24").json() == []  # JWT: not the vendor's

    created = control(
        market,
        "POST",
        "/admin-orders",
        json={"customer_id": 4, "lines": [{"product_id": 13, "quantity": 1}]},
    ).json()
    assert created["status"] == "processing" and created["order_id"] in listed()
    assert f"You have received an Order #{created['order_id']} for Alpha Mug" in board()
    assert control(market, "POST", "/admin-orders", json={"lines": []}).status_code == 400


def test_refund_requests_can_be_decided(free_market: Market) -> None:
    sim = free_market.sim
    with sim.state.lock:
        vendor = sim.state.user_by_login("vendor_a")
        assert vendor is not None
        refunds.submit_refund_request(
            sim.state,
            vendor,
            "wcfm_refund_request=partial&wcfm_refund_input%5B3%5D%5Bqty%5D=1"
            "&wcfm_refund_input%5B3%5D%5Bitem%5D=3&wcfm_refund_input%5B3%5D%5Btotal%5D=12.5"
            "&wcfm_refund_reason=Chipped&wcfm_refund_order_id=19",
        )
    listed = control(free_market, "GET", "/refund-requests").json()["refund_requests"]
    assert [(r["order_id"], r["status"]) for r in listed] == [(19, "requested")]
    approved = control(free_market, "POST", f"/refund-requests/{listed[0]['id']}/approve").json()
    assert approved["refund_requests"][0]["status"] == "completed"
    order = {o["id"]: o for o in free_market.get(free_market.app(), "/wcfmmp/v1/orders").json()}[19]
    assert "completed" in order["vendor_order_details"]["refund_statuses"]
    assert control(free_market, "POST", "/refund-requests/999/reject").status_code == 404


def test_edition_switch(free_market: Market) -> None:
    assert (
        control(free_market, "POST", "/edition", json={"edition": "ultimate"}).json()["edition"]
        == "ultimate"
    )
    added = free_market.post(
        free_market.jwt(), "/wcfmmp/v1/orders/note/19", json={"note": "now works"}
    )
    assert added.status_code == 200
    assert control(free_market, "POST", "/edition", json={"edition": "paid"}).status_code == 400


def test_new_order_every_places_orders_while_running() -> None:
    with Simulator(edition="free", new_order_every=0.1) as sim:
        before = max(sim.state.orders)
        deadline = time.monotonic() + 5
        while max(sim.state.orders) == before and time.monotonic() < deadline:
            time.sleep(0.05)
        assert max(sim.state.orders) > before
        sim.set_new_order_every(None)


def test_keep_alive_and_loopback_binding(free_market: Market) -> None:
    host, port = free_market.sim.base_url.removeprefix("http://").split(":")
    assert host == "127.0.0.1"
    with socket.create_connection((host, int(port)), timeout=TIMEOUT) as sock:
        request = b"GET /wp-json/wcfmmp/v1 HTTP/1.1\r\nHost: x\r\n\r\n"
        for _ in range(2):  # two requests on one connection
            sock.sendall(request)
            data = b""
            while b"\r\n\r\n" not in data:
                data += sock.recv(65536)
            head, _, body = data.partition(b"\r\n\r\n")
            length = int(
                next(
                    line
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length")
                ).split(b":")[1]
            )
            while len(body) < length:
                body += sock.recv(65536)
            assert head.startswith(b"HTTP/1.1 200")
    # Nagle's algorithm on the server + the client's delayed ACK stall every keep-alive request
    # by ~40 ms; a request on loopback otherwise takes a few milliseconds.
    session = requests.Session()
    timings = []
    for _ in range(21):
        started = time.perf_counter()
        assert session.get(free_market.rest("/wcfmmp/v1"), timeout=TIMEOUT).status_code == 200
        timings.append(time.perf_counter() - started)
    assert statistics.median(timings[1:]) < 0.025, timings


def test_namespace_index_is_generated_from_the_served_routes(free_market: Market) -> None:
    response = requests.get(free_market.rest("/wcfmmp/v1"), timeout=TIMEOUT)
    assert response.status_code == 200 and response.headers["Allow"] == "GET"
    index = response.json()
    assert index["namespace"] == "wcfmmp/v1"
    routes = index["routes"]
    orders = routes["/wcfmmp/v1/orders"]
    assert orders["methods"] == ["GET"]
    assert orders["endpoints"][0]["args"]["per_page"] == {
        "description": "Maximum number of items to be returned in result set.",
        "type": "integer",
        "default": 10,
        "minimum": 1,
        "maximum": 100,
        "required": False,
    }
    assert orders["_links"]["self"][0]["href"] == free_market.rest("/wcfmmp/v1/orders")
    single = routes["/wcfmmp/v1/orders/(?P<id>[\\d]+)"]
    assert single["methods"] == ["GET", "POST", "PUT", "PATCH"] and "_links" not in single
    assert single["endpoints"][1]["args"]["status"]["required"] is True
    assert routes["/wcfmmp/v1/orders/shipment_tracking"]["endpoints"][0]["args"] == []
    app = free_market.app()
    for pattern, route in routes.items():  # every advertised route without parameters answers
        if "(?P<" not in pattern:
            method = route["methods"][0]
            response = app.request(method, free_market.rest(pattern), timeout=TIMEOUT)
            assert response.status_code != 404, pattern


def test_vendor_data_routes(free_market: Market) -> None:
    app = free_market.app()
    unread = free_market.get(app, "/wcfmmp/v1/notifications").json()
    assert unread[0] == {
        "ID": "17",
        "message": "You have received an Order #24 for Alpha T-Shirt",
        "message_type": "order",
        "created": "2026-11-27 16:05:53",
    }
    assert len(free_market.get(app, "/wcfmmp/v1/notifications", params={"per_page": 2}).json()) == 2
    assert (
        free_market.get(app, "/wcfmmp/v1/restricted-capabilities").json()["manage_vendors"] == "yes"
    )
    profile = free_market.get(app, "/wcfmmp/v1/user-profile").json()
    assert profile["username"] == "vendor_a" and profile["role"] == "wcfm_vendor"
    stats = free_market.get(app, "/wcfmmp/v1/sales-stats").json()
    assert stats["currency"] == "USD" and set(stats["gross_sales"]) == {
        "last_month",
        "month",
        "week",
    }
    free_market.put(app, "/wcfmmp/v1/orders/18", json={"status": "completed"})
    after = free_market.get(app, "/wcfmmp/v1/sales-stats").json()
    month = after["gross_sales"]["month"] + after["gross_sales"]["last_month"]
    assert month == stats["gross_sales"]["month"] + stats["gross_sales"]["last_month"] + 12.5
