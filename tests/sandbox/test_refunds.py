"""Refund requests over the dashboard surface (recordings 72–75, 87–89) and their approval or
rejection by the admin (WCFMmp's ``wcfmmp_refund_status_update_by_refund``)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest

from tests.sandbox.dashboard_helpers import (
    FULL_REFUND_22,
    PARTIAL_REFUND_19,
    DashboardClient,
    refund_form,
)
from vendor_desk.sandbox import refunds
from vendor_desk.sandbox.server import Simulator

SUCCESS = {"status": True, "message": "Refund requests successfully processed."}


@pytest.fixture
def sim() -> Iterator[Simulator]:
    with Simulator(edition="free", dataset="recorded") as simulator:
        yield simulator


@pytest.fixture
def client(sim: Simulator) -> DashboardClient:
    return DashboardClient(sim.base_url).sign_in("vendor_a")


def test_popup_lists_the_vendors_refundable_items(sim: Simulator, client: DashboardClient) -> None:
    popup = client.ajax(
        "wcfmmp_refund_requests_form_html", order_id=19, item_id="", commission_id="",
        customer_refund="no",
    )  # fmt: skip
    assert popup.status_code == 200
    assert popup.headers["Content-Type"] == "text/html; charset=UTF-8"
    for item_id in (3, 4, 5):
        assert f'name="wcfm_refund_input[{item_id}][qty]"' in popup.text
    assert 'max="25" data-max_total="25"' in popup.text
    assert '<input type="hidden" name="wcfm_refund_order_id" value="19"' in popup.text
    assert client.submit_refund(PARTIAL_REFUND_19).json() == SUCCESS
    again = client.ajax("wcfmmp_refund_requests_form_html", order_id=19)
    assert 'name="wcfm_refund_input[3][qty]"' not in again.text  # request pending
    assert 'name="wcfm_refund_input[4][qty]"' in again.text


def test_partial_and_full_requests_as_recorded(sim: Simulator, client: DashboardClient) -> None:
    partial = client.submit_refund(PARTIAL_REFUND_19)
    assert partial.status_code == 200
    assert partial.headers["Content-Type"] == "text/html; charset=UTF-8"
    assert partial.text == '{"status": true, "message": "Refund requests successfully processed."}'
    assert client.submit_refund(FULL_REFUND_22).json() == SUCCESS

    with sim.state.lock:
        state = sim.state
        first, second = sorted(state.refund_requests.values(), key=lambda r: r.ID)
        assert (first.order_id, first.item_id, first.refunded_amount) == (19, 3, Decimal("12.5"))
        assert first.is_partially_refunded and first.refunded_qty == 1
        assert first.refund_reason == "Mug arrived chipped" and first.refund_status == "requested"
        assert (second.order_id, second.item_id, second.refunded_amount) == (
            22, 12, Decimal("29.97"),
        )  # fmt: skip
        assert not second.is_partially_refunded and second.refunded_qty == 3
        rows_19 = sorted(state.commissions_of_order(19), key=lambda r: r.item_id)
        assert [r.refund_status for r in rows_19] == ["requested", "pending", "pending"]
        assert state.orders[19].meta_value("_wcfm_refund_request") == "yes"
        notes = [(n.content, n.customer_note) for n in state.notes[19]]
        assert (f"Refund Request #{first.ID} received for Order #19 item Alpha Mug", True) in notes
        assert (f"Refund Request #{second.ID} received for Order #22", True) in [
            (n.content, n.customer_note) for n in state.notes[22]
        ]
        admin_messages = [m for m in state.messages if m.message_type == "refund-request"]
        assert len(admin_messages) == 2 and {m.message_to for m in admin_messages} == {0}

    listing = client.controller(
        "wcfm-refund-requests", draw=1, start=0, length=10, status_type="requested"
    )
    assert listing.headers["Content-Type"] == "application/json; charset=UTF-8"
    body = listing.json()
    assert body["recordsTotal"] == body["recordsFiltered"] == 2
    newest = body["data"][0]
    assert len(newest) == 9
    assert newest[0] == "&ndash;"
    assert newest[1] == f'<span class="wcfm_dashboard_item_title"># {second.ID}</span>'
    assert ">#22</a>" in newest[2] and "Alpha Goods" in newest[3]
    assert "29.97" in newest[4]
    assert newest[5:7] == ["Full Refund", "Customer changed mind"]
    assert body["data"][1][5] == "Partial Refund"


def test_submit_rules(sim: Simulator, client: DashboardClient) -> None:
    no_reason = client.submit_refund(refund_form(19, "partial", "", {3: (1, "12.5")}))
    assert no_reason.text == (
        '{"status": false, "message": "Please insert your refund reason before submit."}'
        '{"status": false, "message": "No item selected for refund request."}'
    )
    too_much = client.submit_refund(refund_form(19, "partial", "Broken", {3: (1, "25.01")}))
    assert too_much.json() == {
        "status": False,
        "message": "Refund request amount more than item value.",
    }
    nothing = client.submit_refund(refund_form(19, "partial", "Broken", {3: (0, "0")}))
    assert nothing.json() == {"status": False, "message": "No item selected for refund request."}
    with sim.state.lock:
        assert not sim.state.refund_requests
    # Full mode ignores qty/total and takes what is left of each item; one row per item.
    full = client.submit_refund(refund_form(19, "full", "Lost parcel", {3: (0, "1"), 4: (0, "1")}))
    assert full.json() == SUCCESS
    with sim.state.lock:
        rows = sorted(sim.state.refund_requests.values(), key=lambda r: r.ID)
        assert [(r.item_id, r.refunded_qty, r.refunded_amount) for r in rows] == [
            (3, 2, Decimal("25.00")),
            (4, 1, Decimal("25.00")),
        ]
        # Only the first item of a full request notifies (WCFM's "processed" flag).
        assert sum(1 for m in sim.state.messages if m.message_type == "refund-request") == 1


def test_listing_filters_by_status(sim: Simulator, client: DashboardClient) -> None:
    assert client.submit_refund(PARTIAL_REFUND_19).json() == SUCCESS
    assert client.submit_refund(FULL_REFUND_22).json() == SUCCESS
    with sim.state.lock:
        first = min(sim.state.refund_requests)
        refunds.reject_refund_request(sim.state, first)

    def count(status: str) -> int:
        answer = client.controller(
            "wcfm-refund-requests", draw=1, start=0, length=10, status_type=status
        )
        return int(answer.json()["recordsTotal"])

    assert (count(""), count("requested"), count("cancelled"), count("completed")) == (2, 1, 1, 0)
    other_vendor = DashboardClient(sim.base_url).sign_in("vendor_b")
    assert (
        other_vendor.controller("wcfm-refund-requests", status_type="").json()["recordsTotal"] == 0
    )


def test_approve_partial_request_recalculates_the_commission(
    sim: Simulator, client: DashboardClient
) -> None:
    assert client.submit_refund(PARTIAL_REFUND_19).json() == SUCCESS
    with sim.state.lock:
        state = sim.state
        request_id = max(state.refund_requests)
        stock_before = state.products[13].stock
        refunds.approve_refund_request(state, request_id)
        request = state.refund_requests[request_id]
        assert request.refund_status == "completed" and request.refund_paid_date is not None
        order = state.orders[19]
        assert [(r.amount, r.reason) for r in order.refunds] == [
            (Decimal("12.50"), "Mug arrived chipped")
        ]
        assert order.refunds[0].lines[0].item_id == 3 and order.refunds[0].lines[0].quantity == 1
        assert state.products[13].stock == (stock_before or 0) + 1
        row = next(r for r in state.commissions_of_order(19) if r.item_id == 3)
        assert row.refund_status == "completed"
        assert row.refunded_amount == Decimal("12.5")
        assert row.commission_amount == Decimal("11.25")  # 90 % of the 12.50 left
        assert row.total_commission == Decimal("11.25")
        assert row.is_partially_refunded and not row.is_refunded
        assert row.commission_status == "processing"
        assert order.meta_value("_wcfm_refund_request") is None
        assert order.status == "processing"
        assert any(
            n.content == "Partial Refund Request approved for Order <b>#19</b>." and n.customer_note
            for n in state.notes[19]
        )
        vendor_note = state.messages[-1]
        assert (vendor_note.message_to, vendor_note.message_type) == (2, "refund-request")
        assert "Your Refund Request approved for Order" in vendor_note.message
    # The vendor sees it unread; the table's earning follows the new commission.
    assert client.ajax("wcfm_message_count").json()["message"] == 9
    row_19 = next(r for r in client.orders_table()["data"] if ">#19</a>" in r[1])
    assert row_19[9] == 42.74  # 11.25 + 22.50 + 8.99
    with pytest.raises(KeyError), sim.state.lock:
        refunds.approve_refund_request(sim.state, 999)


def test_full_refund_of_everything_makes_the_order_refunded(
    sim: Simulator, client: DashboardClient
) -> None:
    with sim.state.lock:  # order 18's shipping line belongs to vendor_a here
        sim.state.orders[18].shipping_lines[0].vendor_id = 2
    form = refund_form(18, "full", "Never arrived", {1: (1, "12.5")})
    assert client.submit_refund(form).json() == SUCCESS
    with sim.state.lock:
        state = sim.state
        refunds.approve_refund_request(state, max(state.refund_requests))
        order = state.orders[18]
        assert order.refunds[0].amount == order.total == Decimal("17.50")  # item + shipping
        row = state.commissions_of_order(18)[0]
        assert (row.commission_amount, row.total_commission) == (Decimal("0"), Decimal("0"))
        assert row.is_refunded and row.commission_status == "refunded"
        assert order.status == "refunded"
        assert any(
            n.content == "Refund Request approved for Order <b>#18</b>." for n in state.notes[18]
        )
    row_18 = next(r for r in client.orders_table()["data"] if ">#18</a>" in r[1])
    assert "wcfmmp_order_refund_request" not in row_18[12]


def test_reject_request(sim: Simulator, client: DashboardClient) -> None:
    assert client.submit_refund(FULL_REFUND_22).json() == SUCCESS
    with sim.state.lock:
        state = sim.state
        request_id = max(state.refund_requests)
        refunds.reject_refund_request(state, request_id)
        assert state.refund_requests[request_id].refund_status == "cancelled"
        row = state.commissions_of_order(22)[0]
        assert row.refund_status == "cancelled" and row.commission_amount == Decimal("26.97")
        assert not state.orders[22].refunds
        assert state.orders[22].meta_value("_wcfm_refund_request") is None
        assert state.notes[22][-1].content == "Refund Request cancelled for Order <b>#22</b>."
        assert "Your Refund Request cancelled" in state.messages[-1].message
        # Approving a cancelled request changes nothing.
        refunds.approve_refund_request(state, request_id)
        assert state.refund_requests[request_id].refund_status == "cancelled"
