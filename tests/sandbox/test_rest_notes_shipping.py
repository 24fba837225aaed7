"""Order notes and shipment tracking: the free edition's failures, WCFM Ultimate's behaviour by
auth method, the side effects, and the URL-encoding flaw of the tracking route."""

from __future__ import annotations

from urllib.parse import quote

from tests.sandbox.conftest import Market

CRITICAL = "<p>There has been a critical error on this website.</p>"


def test_notes_get_has_no_ownership_check_and_a_php_date(free_market: Market) -> None:
    app = free_market.app()
    foreign = free_market.get(app, "/wcfmmp/v1/orders/note/23").json()
    assert [note["order_id"] for note in foreign] == [23, 23]
    note = foreign[0]
    assert list(note) == ["id", "date_created", "content", "customer_note", "added_by", "order_id"]
    assert set(note["date_created"]) == {"date", "timezone_type", "timezone"}
    assert note["date_created"]["date"].endswith(".000000")
    assert note["added_by"] == "system"
    assert free_market.get(app, "/wcfmmp/v1/orders/note/999999").json() == []


def test_free_edition_note_add_is_a_critical_error(free_market: Market) -> None:
    for session in (free_market.app(), free_market.jwt()):
        response = free_market.post(
            session, "/wcfmmp/v1/orders/note/19", json={"note": "hello", "note_type": "customer"}
        )
        assert response.status_code == 500
        body = response.json()
        assert body["code"] == "internal_server_error"
        assert body["message"].startswith(CRITICAL)
        assert body["additional_errors"] == []
        assert "Allow" not in response.headers
    assert len(free_market.get(free_market.app(), "/wcfmmp/v1/orders/note/19").json()) == 2


def test_free_edition_shipment_tracking_is_a_silent_no_op(free_market: Market) -> None:
    response = free_market.post(
        free_market.jwt(),
        "/wcfmmp/v1/orders/shipment_tracking",
        json={
            "order_id": 19,
            "product_id": 13,
            "item_id": 3,
            "tracking_code": "X",
            "tracking_url": "https://t/X",
        },
    )
    assert response.status_code == 200 and response.content == b""
    order = free_market.get(free_market.jwt(), "/wcfmmp/v1/orders/19").json()
    assert order["status"] == "processing"
    assert all(meta["key"] != "wcfm_tracking_code" for meta in order["line_items"][0]["meta_data"])


def test_ultimate_notes_by_auth_method(ultimate_market: Market) -> None:
    market = ultimate_market
    app, token = market.app(), market.jwt()
    crash = market.post(
        app, "/wcfmmp/v1/orders/note/19", json={"note": "x", "note_type": "customer"}
    )
    assert crash.status_code == 500
    market.sim.clear_mails()
    added = market.post(
        token,
        "/wcfmmp/v1/orders/note/19",
        json={"note": "Leaves tomorrow", "note_type": "customer"},
    )
    assert added.status_code == 200
    notes = added.json()
    assert len(notes) == 1  # with JWT + Ultimate: only notes the vendor's user wrote
    assert notes[0]["customer_note"] is True and notes[0]["added_by"] == "Alice Alpha"
    assert notes[0]["content"].endswith("has added the following note: <br />Leaves tomorrow")
    assert 'href="' + market.sim.base_url + '/store/alpha-goods"' in notes[0]["content"]
    assert [m["subject"] for m in market.sim.mails()] == [
        "A note has been added to your order from WCFM Peer Test Market"
    ]
    form = token.post(
        market.rest("/wcfmmp/v1/orders/note/19"),
        data={"note": "form note", "note_type": ""},
        timeout=10,
    )
    assert [n["customer_note"] for n in form.json()] == [False, True]
    assert len(market.get(app, "/wcfmmp/v1/orders/note/19").json()) == 4  # app password: all
    foreign = market.post(token, "/wcfmmp/v1/orders/note/23", json={"note": "not mine"})
    assert foreign.status_code == 200 and len(foreign.json()) == 1


def test_ultimate_shipping_with_jwt(ultimate_market: Market) -> None:
    market = ultimate_market
    token = market.jwt()
    market.sim.clear_mails()
    response = market.post(
        token,
        "/wcfmmp/v1/orders/shipment_tracking",
        json={
            "order_id": 19,
            "product_id": 13,
            "item_id": 3,
            "tracking_code": "ZX100019",
            "tracking_url": "https://carrier.example/track/ZX100019",
        },
    )
    assert response.status_code == 200
    assert response.json() == {
        "order_id": 19,
        "order_status": "shipped",
        "tracking_data": {
            "wcfm_tracking_order_id": "19",
            "wcfm_tracking_product_id": "13",
            "wcfm_tracking_order_item_id": "3",
            "wcfm_tracking_url": "https://carrier.example/track/ZX100019",
            "wcfm_tracking_code": "ZX100019",
            "wcfm_delivery_boy": "",
        },
    }
    order = market.get(token, "/wcfmmp/v1/orders/19").json()
    assert order["status"] == "shipped"
    first = order["shipment_tracking"]["each_data"][0]
    assert first["tracking_code"] == "ZX100019" and first["mark_shipped"] is True
    assert "tracking_code" not in order["shipment_tracking"]["each_data"][1]
    keys = [meta["key"] for meta in order["line_items"][0]["meta_data"]]
    assert keys[-2:] == ["wcfm_tracking_code", "wcfm_tracking_url"]
    assert market.admin_status(19) == "processing"
    subjects = [mail["subject"] for mail in market.sim.mails()]
    assert subjects == [
        "[WCFM Peer Test Market] Notification - Shipment Tracking",
        "[WCFM Peer Test Market] Shipment Tracking Update - Alpha Mug",
    ]
    notes = market.get(token, "/wcfmmp/v1/orders/note/19").json()
    assert notes[0]["added_by"] == "Alpha Goods" and notes[0]["customer_note"] is False
    read = market.get(token, "/wcfmmp/v1/notifications", params={"notification_status": "read"})
    assert read.json()[0]["message"] == (
        "Vendor Alpha Goods has shipped Alpha Mug to customer.Tracking Info : ZX100019"
    )


def test_ultimate_shipping_code_only_and_app_password_crash(ultimate_market: Market) -> None:
    market = ultimate_market
    code_only = market.post(
        market.jwt(),
        "/wcfmmp/v1/orders/shipment_tracking",
        json={"order_id": 18, "product_id": 13, "item_id": 1, "tracking_code": "ONLYCODE"},
    )
    assert code_only.status_code == 200
    assert code_only.json()["order_status"] == "processing"
    assert code_only.json()["tracking_data"]["wcfm_tracking_url"] == ""
    market.sim.clear_mails()
    crash = market.post(
        market.app(),
        "/wcfmmp/v1/orders/shipment_tracking",
        json={
            "order_id": 18,
            "product_id": 13,
            "item_id": 1,
            "tracking_code": "C",
            "tracking_url": "https://t/C",
        },
    )
    assert crash.status_code == 500 and crash.json()["code"] == "internal_server_error"
    # Half done: the commission row is shipped and the admin was told, nothing else.
    snapshot = market.sim.order_snapshot(18)
    assert snapshot["commissions"][0]["commission_status"] == "shipped"
    assert "wcfm_tracking_code" not in snapshot["items"][0]["meta"]
    assert [m["subject"] for m in market.sim.mails()] == [
        "[WCFM Peer Test Market] Notification - Shipment Tracking"
    ]


def test_tracking_url_encoding_flaw(ultimate_market: Market) -> None:
    market = ultimate_market
    token = market.jwt()
    raw = "https://carrier.example/t?id=A1&lang=en+us"
    response = market.post(
        token,
        "/wcfmmp/v1/orders/shipment_tracking",
        json={
            "order_id": 19,
            "product_id": 14,
            "item_id": 4,
            "tracking_code": "A1",
            "tracking_url": raw,
        },
    )
    data = response.json()["tracking_data"]
    assert data["wcfm_tracking_url"] == "https://carrier.example/t?id=A1"  # cut at "&"
    assert data["lang"] == "en us"  # the rest became a parameter of its own
    encoded = market.post(
        token,
        "/wcfmmp/v1/orders/shipment_tracking",
        json={
            "order_id": 19,
            "product_id": 14,
            "item_id": 4,
            "tracking_code": "A1",
            "tracking_url": quote(raw, safe=""),
        },
    )
    assert encoded.json()["tracking_data"]["wcfm_tracking_url"] == raw
    order = market.get(token, "/wcfmmp/v1/orders/19").json()
    assert order["shipment_tracking"]["each_data"][1]["tracking_url"] == raw


def test_shipping_another_vendors_item_is_not_checked(ultimate_market: Market) -> None:
    market = ultimate_market
    response = market.post(
        market.jwt(),
        "/wcfmmp/v1/orders/shipment_tracking",
        json={
            "order_id": 23,
            "product_id": 17,
            "item_id": 14,
            "tracking_code": "N",
            "tracking_url": "https://t/N",
        },
    )
    assert response.status_code == 200 and response.json()["order_status"] == ""
    snapshot = market.sim.order_snapshot(23)
    assert snapshot["commissions"][0]["commission_status"] == "processing"  # vendor_b's row
    assert snapshot["items"][0]["meta"]["wcfm_tracking_code"] == "N"


def test_shipping_then_completing_a_split_order(ultimate_market: Market) -> None:
    market = ultimate_market
    token = market.jwt()
    market.post(
        token,
        "/wcfmmp/v1/orders/shipment_tracking",
        json={
            "order_id": 21,
            "product_id": 13,
            "item_id": 9,
            "tracking_code": "S",
            "tracking_url": "https://t/S",
        },
    )
    other_side = market.get(market.app("vendor_b"), "/wcfmmp/v1/orders/21").json()
    assert other_side["shipment_tracking"]["each_data"][0]["tracking_code"] == "S"
    done = market.put(token, "/wcfmmp/v1/orders/21", json={"status": "completed"}).json()
    assert done["status"] == "completed"
    listed = {o["id"]: o for o in market.get(token, "/wcfmmp/v1/orders").json()}
    assert listed[21]["vendor_order_details"]["shipping_status"] == "shipped"
    assert market.admin_status(21) == "processing"
