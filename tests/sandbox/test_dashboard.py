"""The simulator's WCFM dashboard surface over real HTTP: /store-manager/, admin-ajax actions of
both editions, nonces, PDFs and the store invoice (recordings 62–78, 126–152)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import requests

from tests.sandbox.dashboard_helpers import TIMEOUT, DashboardClient, order_ids
from vendor_desk.sandbox.server import Simulator

INVALID_NONCE = {"success": False, "data": "Invalid nonce! Refresh your page and try again."}
STATUS_UPDATED = {"status": True, "message": "Order status updated."}


@pytest.fixture
def free() -> Iterator[Simulator]:
    with Simulator(edition="free", dataset="recorded") as simulator:
        yield simulator


@pytest.fixture
def ultimate() -> Iterator[Simulator]:
    with Simulator(edition="ultimate", dataset="recorded") as simulator:
        yield simulator


def pdf_text_ok(content: bytes, *needles: str) -> None:
    """A structurally valid PDF (xref offsets point at their objects) containing the texts."""
    assert content.startswith(b"%PDF-1.") and content.rstrip().endswith(b"%%EOF")
    xref_at = int(content.rsplit(b"startxref", 1)[1].split()[0])
    assert content[xref_at:].startswith(b"xref")
    for number, offset in enumerate(re.findall(rb"(\d{10}) 00000 n ", content), start=1):
        assert content[int(offset) :].startswith(b"%d 0 obj" % number)
    for needle in needles:
        assert f"({needle}".encode() in content or needle.encode() in content, needle


# ----------------------------------------------------------------------------- pages
def test_store_manager_requires_login(free: Simulator) -> None:
    response = requests.get(f"{free.base_url}/store-manager/", allow_redirects=False, timeout=10)
    assert response.status_code == 302
    assert response.headers["Location"].startswith(f"{free.base_url}/wp-login.php?redirect_to=")


def test_dashboard_page_carries_wcfm_params_with_the_nonce_last(free: Simulator) -> None:
    client = DashboardClient(free.base_url)
    client.login("vendor_a")
    page = client.dashboard()
    assert page.status_code == 200  # free edition: no store-setup redirect (recording 62)
    assert page.headers["Content-Type"] == "text/html; charset=UTF-8"
    match = re.search(r"var wcfm_params = (\{.*?\});", page.text)
    assert match
    params = match.group(1)
    assert params.startswith('{"ajax_url":"\\/wp-admin\\/admin-ajax.php"')
    assert re.search(r',"wcfm_ajax_nonce":"[0-9a-f]{10}"\}$', params)
    assert '"wcfm_is_vendor":"1"' in params
    for sub in ("/store-manager/orderslist/", "/store-manager/orders-details/19/"):
        assert '"wcfm_ajax_nonce":"' in client.dashboard(sub).text


def test_store_setup_redirect_only_once_and_only_on_ultimate(ultimate: Simulator) -> None:
    client = DashboardClient(ultimate.base_url)
    client.login("vendor_a")
    first = client.dashboard()
    assert first.status_code == 302
    assert first.headers["Location"] == f"{ultimate.base_url.rstrip('/')}?store-setup=yes"
    assert client.dashboard("/store-manager/orderslist/").status_code == 200
    assert client.dashboard().status_code == 200


def test_customer_gets_no_dashboard_nonce(free: Simulator) -> None:
    client = DashboardClient(free.base_url)
    assert client.login("customer_c").status_code == 302
    page = client.dashboard()
    assert page.status_code == 200
    assert "wcfm_ajax_nonce" not in page.text
    assert "permission" in page.text


# ----------------------------------------------------------------------------- errors
def test_bad_nonce_missing_cookie_and_unknown_action(free: Simulator) -> None:
    client = DashboardClient(free.base_url).sign_in()
    bad = client.controller("wcfm-orders", draw=1, start=0, length=10, nonce="deadbeef00")
    assert bad.status_code == 200
    assert bad.headers["Content-Type"] == "application/json; charset=UTF-8"
    assert bad.json() == INVALID_NONCE
    missing = client.ajax("wcfm_ajax_controller", controller="wcfm-orders", nonce="")
    assert missing.json() == INVALID_NONCE

    anonymous = DashboardClient(free.base_url)
    no_cookie = anonymous.ajax("wcfm_ajax_controller", controller="wcfm-orders", nonce=client.nonce)
    assert (no_cookie.status_code, no_cookie.json()) == (200, INVALID_NONCE)
    assert anonymous.ajax("wcfm_message_count", nonce=client.nonce).text == "0"

    unknown = client.ajax("wcfm_no_such_action")
    assert (unknown.status_code, unknown.text) == (400, "0")
    empty = client.http.post(f"{free.base_url}/wp-admin/admin-ajax.php", timeout=TIMEOUT)
    assert (empty.status_code, empty.text) == (400, "0")


@pytest.mark.parametrize(
    ("action", "fields"),
    [
        ("wcfm_wcfmmarketplace_order_mark_shipped", {"orderid": 19}),
        ("wcfm_add_order_note", {"note": "hello", "note_data": "add_order_note_id=19"}),
        ("wcfmu_shipment_tracking_html", {"orderid": 19}),
        ("wcfm_order_pdf_invoice", {"order_id": 19}),
        ("wcfm_order_pdf_packing_slip", {"order_id": 19}),
    ],
)
def test_ultimate_actions_are_unregistered_on_the_free_edition(
    free: Simulator, action: str, fields: dict[str, object]
) -> None:
    client = DashboardClient(free.base_url).sign_in()
    response = client.ajax(action, **fields)
    assert (response.status_code, response.text) == (400, "0")
    assert response.headers["Content-Type"] == "text/html; charset=UTF-8"
    with free.state.lock:
        assert free.state.orders[19].items[0].meta_value("wcfm_tracking_code") is None


# ----------------------------------------------------------------------------- orders table
def test_orders_table_lists_the_vendors_orders_with_totals_and_filters(free: Simulator) -> None:
    client = DashboardClient(free.base_url).sign_in()
    table = client.orders_table()
    assert table["draw"] == 1
    assert table["recordsTotal"] == table["recordsFiltered"] == 6
    assert order_ids(table) == [24, 22, 21, 20, 19, 18]
    row_24 = table["data"][0]
    assert len(row_24) == 13
    assert row_24[0] == (
        '<span class="order-status tips wcicon-status-default wcicon-status-on-hold text_tip" '
        'data-tip="On hold"></span>'
    )
    assert row_24[2].startswith('<a href="#" class="show_order_items">2 items</a>')
    assert "Alpha T-Shirt (SKU: ALPHA-TEE)" in row_24[2]  # vendor_b's pillow is not listed
    assert (row_24[3], row_24[7], row_24[9]) == ("2", 50, 45)
    assert "Localhost, CA 94002" in row_24[4]
    assert 'data-orderid="24"' in row_24[12] and "wcfm_order_mark_complete" in row_24[12]
    assert "wcfmmp_order_refund_request" not in row_24[12]  # on-hold: no refund offer
    assert "wcfm_pdf_invoice" not in row_24[12]  # Ultimate only

    processing = client.orders_table(order_status="processing")
    assert order_ids(processing) == [21, 19, 18]
    assert processing["recordsTotal"] == 3
    dated = client.orders_table(filter_date_form="2026-11-20", filter_date_to="2026-11-24")
    assert dated["recordsTotal"] == 3
    searched = client.orders_table(**{"search[value]": "22"})
    assert order_ids(searched) == [22]
    page_two = client.controller("wcfm-orders", draw=2, start=4, length=4).json()
    assert page_two["draw"] == 2 and page_two["recordsTotal"] == 6
    assert order_ids(page_two) == [19, 18]


def test_ultimate_orders_table_has_truck_pdf_icons_and_store_invoice(ultimate: Simulator) -> None:
    client = DashboardClient(ultimate.base_url).sign_in()
    rows = {order_ids({"data": [row]})[0]: row for row in client.orders_table()["data"]}
    actions_19 = rows[19][12]
    assert (
        'class="wcfm_wcfmmarketplace_order_mark_shipped wcfm-action-icon" href="#" '
        'data-productid="15,14,13" data-orderitemid="5,4,3" data-orderid="19"' in actions_19
    )
    assert 'data-item="5,4,3" data-commission="32" data-order="19"' in actions_19
    assert 'class="wcfm_pdf_invoice wcfm-action-icon  " href="#" data-vendorid="2"' in actions_19
    assert "wcfm_pdf_packing_slip" in actions_19
    assert "mark_shipped" not in rows[22][12]  # e-book only: nothing to ship
    assert "wcfm_store_invoice" not in rows[18][12]

    # Completing single-vendor order 18 completes the main order: a store invoice is filed.
    assert client.ajax("wcfm_order_mark_complete", orderid=18).json() == STATUS_UPDATED
    rows = {order_ids({"data": [row]})[0]: row for row in client.orders_table()["data"]}
    match = re.search(
        r'class="wcfm_store_invoice wcfm-action-icon " target="_blank" href="([^"]+)"', rows[18][12]
    )
    assert match
    url = match.group(1)
    assert re.search(
        r"/wp-content/uploads/wcfm/vendor_invoice/c81e728d9d4c2f636f067f89cc14862c/\d{4}/\d{2}/"
        r"6f4922f45568161a8cdf4ad2299f6d23/invoice-000001\.pdf$",
        url,
    )
    with ultimate.state.lock:
        meta = ultimate.state.orders[18].meta_value("_wcfm_store_invoices")
    assert meta["2"].endswith(url.split("/wp-content/", 1)[1])
    download = requests.get(url, timeout=TIMEOUT)  # no cookie needed (recording 152)
    assert download.status_code == 200
    assert download.headers["Content-Type"] == "application/pdf"
    pdf_text_ok(download.content, "Invoice Number: 000001", "Order Number: 18", "Alpha Mug")
    missing = requests.get(url.replace("invoice-000001", "invoice-000099"), timeout=TIMEOUT)
    assert missing.status_code == 404


# ----------------------------------------------------------------------------- statuses
def test_modify_status_and_mark_complete(free: Simulator) -> None:
    client = DashboardClient(free.base_url).sign_in()
    split = client.ajax("wcfm_modify_order_status", order_id=24, order_status="wc-processing")
    assert split.status_code == 200
    assert split.headers["Content-Type"] == "text/html; charset=UTF-8"
    assert split.json() == STATUS_UPDATED
    foreign = client.ajax("wcfm_modify_order_status", order_id=23, order_status="wc-completed")
    assert foreign.json() == STATUS_UPDATED  # recording 70: success, nothing changes
    complete = client.ajax("wcfm_order_mark_complete", orderid=20)
    assert complete.json() == STATUS_UPDATED
    with free.state.lock:
        state = free.state
        assert [r.commission_status for r in state.commissions_of_order(24, 2)] == ["processing"]
        assert [r.commission_status for r in state.commissions_of_order(24, 3)] == ["on-hold"]
        assert state.orders[24].status == "on-hold"  # vendor_b's part still on hold
        assert state.orders[23].status == "processing"
        assert state.orders[20].status == "completed"  # single vendor: main order follows
    table = client.orders_table()
    row_20 = next(row for row in table["data"] if ">#20</a>" in row[1])
    assert "wcfm_order_mark_complete" not in row_20[12]


# ----------------------------------------------------------------------------- messages
def test_message_count_mark_read_direct_message_and_board(free: Simulator) -> None:
    client = DashboardClient(free.base_url).sign_in()
    count = client.ajax("wcfm_message_count")
    assert count.headers["Content-Type"] == "text/html; charset=UTF-8"
    assert count.json() == {"status": True, "notice": 0, "message": 8, "enquiry": 0}

    board = client.controller(
        "wcfm-messages", draw=1, start=0, length=20, message_status="unread", message_type="all"
    ).json()
    assert board["recordsTotal"] == 8
    newest = re.search(r'value="(\d+)"', board["data"][0][0])
    assert newest
    read = client.ajax("wcfm_messages_mark_read", messageid=newest.group(1))
    assert (read.status_code, read.text) == (200, "")
    assert client.ajax("wcfm_message_count").json()["message"] == 7
    bad = client.ajax("wcfm_messages_mark_read", messageid=newest.group(1), nonce="0000000000")
    assert bad.json() == {"status": False, "message": INVALID_NONCE["data"]}

    sent = client.controller(
        "wcfm-message-sent", wcfm_messages="Hello admin, please check order 21", direct_to="3"
    )
    assert sent.json() == {"status": True, "message": "Message sent successfully"}
    with free.state.lock:
        message = free.state.messages[-1]
        assert (message.message_type, message.author_id, message.message_to) == ("direct", 2, 0)
        assert message.author_is_vendor and 2 in message.read_by
        assert free.state.mails[-1].subject.endswith("Notification - Direct Message")
    assert client.ajax("wcfm_message_count").json()["message"] == 7  # own message is read
    everything = client.controller(
        "wcfm-messages", draw=1, start=0, length=50, message_status="all", message_type="all"
    )
    assert everything.headers["Content-Type"] == "text/html; charset=UTF-8"
    rows = everything.json()["data"]
    assert rows[0][2] == "Hello admin, please check order 21"
    assert 'data-tip="Direct Message"' in rows[0][1]
    assert (rows[0][4], rows[-1][3]) == ("Store", "System")
    only_direct = client.controller(
        "wcfm-messages", draw=1, start=0, length=50, message_status="all", message_type="direct"
    )
    assert only_direct.json()["recordsTotal"] == 1


# ----------------------------------------------------------------------------- ultimate
def test_ultimate_mark_shipped_popup_note_and_pdfs(ultimate: Simulator) -> None:
    client = DashboardClient(ultimate.base_url).sign_in()
    popup = client.ajax("wcfmu_shipment_tracking_html", orderid=18, productid=13, orderitemid=1)
    assert popup.status_code == 200
    assert 'name="wcfm_tracking_order_item_id" class="hidden" value="1"' in popup.text

    tracking = (
        "wcfm_tracking_code=AJ100018&wcfm_tracking_url=https%3A%2F%2Fcarrier.example%2Ftrack"
        "%2FAJ100018&wcfm_tracking_order_id=18&wcfm_tracking_product_id=13"
        "&wcfm_tracking_order_item_id=1"
    )
    shipped = client.ajax(
        "wcfm_wcfmmarketplace_order_mark_shipped", orderid=18, tracking_data=tracking
    )
    assert (shipped.status_code, shipped.text) == (200, "0")
    with ultimate.state.lock:
        item = ultimate.state.orders[18].item(1)
        assert item is not None
        assert item.meta_value("wcfm_tracking_code") == "AJ100018"
        assert item.meta_value("wcfm_tracking_url") == "https://carrier.example/track/AJ100018"
        assert ultimate.state.commissions_of_order(18)[0].shipping_status == "shipped"
    bad = client.ajax("wcfm_wcfmmarketplace_order_mark_shipped", orderid=20, nonce="deadbeef00")
    assert bad.json() == INVALID_NONCE

    note = client.ajax(
        "wcfm_add_order_note",
        note="Dashboard note to customer",
        note_data="add_order_note_id=19&order_note_type=customer",
    )
    assert note.text.startswith('<tr class="customer-note"><td><p><a class="wcfm_dashboard')
    assert note.text.endswith(
        "has added the following note: <br />Dashboard note to customer</p>\n"
        "</td><td>Just Now</td></tr>"
    )
    private = client.ajax(
        "wcfm_add_order_note", note="Shelf B2", note_data="add_order_note_id=19&order_note_type="
    )
    assert private.text.startswith('<tr class=""><td><p>')
    with ultimate.state.lock:
        notes = ultimate.state.notes[19][-2:]
        assert [n.customer_note for n in notes] == [True, False]

    invoice = client.ajax_get(
        "wcfm_order_pdf_invoice", template_type="invoice", order_id=19, vendor_id=2
    )
    assert invoice.status_code == 200
    assert invoice.headers["Content-Type"] == "application/octet-stream"
    assert invoice.headers["Content-Disposition"] == 'attachment; filename="invoice-19.pdf"'
    pdf_text_ok(invoice.content, "Commission Invoice", "Order Number: 19", "Alpha Mug")
    slip = client.ajax_get("wcfm_order_pdf_packing_slip", template_type="packing-slip", order_id=21)
    assert slip.headers["Content-Disposition"] == 'attachment; filename="packing-slip-21.pdf"'
    pdf_text_ok(slip.content, "Packing Slip", "Alpha Mug")
    assert b"Beta Lamp" not in slip.content  # vendor_b's item of the split order
    foreign = client.ajax_get(
        "wcfm_order_pdf_invoice", template_type="invoice", order_id=23, vendor_id=2
    )
    assert foreign.status_code == 200  # no ownership check (recording 147) …
    assert b"Beta Pillow" not in foreign.content  # … but an empty item table
    bad_pdf = client.ajax_get("wcfm_order_pdf_packing_slip", order_id=19, nonce="deadbeef00")
    assert bad_pdf.json() == INVALID_NONCE


def test_order_details_page_shows_tracking_and_ship_links(ultimate: Simulator) -> None:
    client = DashboardClient(ultimate.base_url).sign_in()
    page = client.dashboard("/store-manager/orders-details/19/")
    assert page.status_code == 200
    assert page.text.count('data-shipped_action="wcfm_wcfmmarketplace_order_mark_shipped"') == 2
    foreign = client.dashboard("/store-manager/orders-details/23/")
    assert "Beta Pillow" not in foreign.text
