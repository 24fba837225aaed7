"""The Refunds view over the vendor's refund requests as the marketplace lists them: requests
filed on the simulator over real HTTP, one approved and one rejected by the admin, brought into
the cache by the refund sync, then shown (status, order, amount, mode, reason, date), filtered
and opened."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import Qt

from vendor_desk.cache.queries import order_detail, order_ids
from vendor_desk.domain import Money, Order, RefundLine, RefundMode
from vendor_desk.domain.refunds import refundable_items
from vendor_desk.marketplace.probe import AccountInput, open_marketplace
from vendor_desk.sandbox.server import Simulator
from vendor_desk.sync.refunds import sync_refund_requests
from vendor_desk.ui.formatting import format_money
from vendor_desk.ui.refunds_view import (
    COL_AMOUNT,
    COL_MODE,
    COL_ORDER,
    COL_REASON,
    COL_STATUS,
    ORDER_ID_ROLE,
    RefundsTableModel,
    RefundsView,
)

from .conftest import cached_vendor

REASONS = {
    "approved": "We received the items you sent back.\nThank you!",
    "rejected": "Parcel lost by the carrier.",
    "waiting": "<b>Scratch</b> on the lid, as agreed.",
}


def _vendor_orders(sim: Simulator, tmp: Any) -> list[Order]:
    cache, connection = cached_vendor(sim, tmp / "data")
    with cache.session() as session:
        account_id = connection.account_id
        details = [
            order_detail(session, account_id, i) for i in sorted(order_ids(session, account_id))
        ]
    cache.close()
    return [d.order for d in details if d is not None]


@pytest.fixture(scope="module")
def sim(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Simulator]:
    """Three refund requests of the demo vendor: one approved (full), one rejected (partial),
    one waiting (partial), filed in that order."""
    simulator = Simulator(dataset="generated", orders=60, seed=6).start()
    simulator.add_orders(40)
    asked = {request["order_id"] for request in simulator.refund_requests()}
    orders = [
        o
        for o in _vendor_orders(simulator, tmp_path_factory.mktemp("refunds-view"))
        if o.vendor_status.slug in ("processing", "shipped", "completed")
        and refundable_items(o)
        and len(o.items) == 1  # one request row per item: one row per order here
        and len(refundable_items(o)) == 1
        and o.id not in asked
    ]
    assert len(orders) >= 3
    user = next(u for u in simulator.users if u["login"] == simulator.demo_vendor)
    account = AccountInput(simulator.base_url, user["login"], user["password"], False)
    filed: dict[str, int] = {}
    with open_marketplace(account) as market:
        for name, order in zip(("approved", "rejected", "waiting"), orders, strict=False):
            simulator.set_payout(order.id, "pending")
            item = order.items[0]
            mode = RefundMode.FULL if name == "approved" else RefundMode.PARTIAL
            amount = (
                item.total if mode is RefundMode.FULL else Money(Decimal("1.50"), order.currency)
            )
            market.request_refund(
                order.id, mode, [RefundLine(item.item_id, 0, amount)], REASONS[name]
            )
            filed[name] = order.id
    requests = {r["order_id"]: r["id"] for r in simulator.refund_requests()}
    simulator.approve_refund_request(requests[filed["approved"]])
    simulator.reject_refund_request(requests[filed["rejected"]])
    simulator.filed = filed  # type: ignore[attr-defined]
    yield simulator
    simulator.stop()


@pytest.fixture
def view(synced: Any, sim: Simulator, qtbot: Any) -> RefundsView:
    cache, connection = synced
    user = next(u for u in sim.users if u["login"] == sim.demo_vendor)
    account = AccountInput(sim.base_url, user["login"], user["password"], False)
    with open_marketplace(account) as market:
        report = sync_refund_requests(cache, connection.account_id, market)
    assert report.error is None and report.requests >= 3
    panel = RefundsView(cache, connection.account_id)
    qtbot.addWidget(panel)
    panel.resize(900, 400)
    panel.show()
    return panel


def _row_of_order(model: RefundsTableModel, order_id: int) -> int:
    rows = [r for r in range(model.rowCount()) if model.index(r, 0).data(ORDER_ID_ROLE) == order_id]
    assert len(rows) == 1, f"order {order_id} is listed {len(rows)} times"
    return rows[0]


def _statuses(model: RefundsTableModel) -> list[str]:
    return [model.request(row).status.value for row in range(model.rowCount())]


def test_lists_requests_with_status_amount_mode_reason_newest_first(
    view: RefundsView, sim: Any
) -> None:
    model = view.model
    filed = sim.filed
    # The generated shop had requests before ours; ours are among them, once each.
    assert model.rowCount() >= 3
    texts = {
        name: [
            model.index(_row_of_order(model, order_id), column).data()
            for column in range(model.columnCount())
        ]
        for name, order_id in filed.items()
    }
    assert texts["approved"][COL_STATUS] == "Approved"
    assert texts["rejected"][COL_STATUS] == "Rejected"
    assert texts["waiting"][COL_STATUS] == "Waiting for the admin"
    assert texts["approved"][COL_MODE] == "Full refund"
    assert texts["waiting"][COL_MODE] == "Partial refund"
    assert texts["waiting"][COL_ORDER] == f"#{filed['waiting']}"
    request = model.request(_row_of_order(model, filed["waiting"]))
    assert texts["waiting"][COL_AMOUNT] == format_money(Decimal("1.50"), request.amount.currency)
    # Reasons are plain text on one line; the tooltip keeps the whole text.
    # (the marketplace's list gives them on one line already).
    assert texts["approved"][COL_REASON] == "We received the items you sent back. Thank you!"
    index = model.index(_row_of_order(model, filed["approved"]), COL_REASON)
    assert index.data(Qt.ItemDataRole.ToolTipRole) == model.request(index.row()).reason
    assert "Scratch on the lid, as agreed." in texts["waiting"][COL_REASON]
    # Colours and icons tell the statuses apart.
    colours = {
        name: model.index(_row_of_order(model, order_id), COL_STATUS)
        .data(Qt.ItemDataRole.ForegroundRole)
        .color()
        .name()
        for name, order_id in filed.items()
    }
    assert len(set(colours.values())) == 3
    assert not model.index(0, COL_STATUS).data(Qt.ItemDataRole.DecorationRole).isNull()
    # Newest first.
    dates = [model.request(row).date for row in range(model.rowCount())]
    assert all(d is not None for d in dates)
    assert dates == sorted(dates, reverse=True)  # type: ignore[type-var]
    waiting = _statuses(model).count("requested")
    assert f"{waiting} waiting" in view.summary.text()


def test_filter_by_status(view: RefundsView, sim: Any) -> None:
    everything = view.model.rowCount()
    seen = 0
    for key, name in (("approved", "approved"), ("requested", "waiting"), ("rejected", "rejected")):
        view.set_filter(key)
        assert set(_statuses(view.model)) == {key}
        orders = [view.model.request(r).order_id for r in range(view.model.rowCount())]
        assert sim.filed[name] in orders
        others = set(sim.filed.values()) - {sim.filed[name]}
        assert not others & set(orders)
        seen += view.model.rowCount()
    assert seen == everything
    view.set_filter("all")
    assert view.model.rowCount() == everything
    assert view.table.isVisible() and view.empty_label.isHidden()


def test_double_click_opens_the_order_and_refresh_keeps_selection(
    view: RefundsView, sim: Any, qtbot: Any
) -> None:
    row = _row_of_order(view.model, sim.filed["rejected"])
    view.table.selectRow(row)
    with qtbot.waitSignal(view.order_requested) as signal:
        view.table.doubleClicked.emit(view.model.index(row, COL_REASON))
    assert signal.args == [sim.filed["rejected"]]
    view.refresh()
    selected = view.selected_request()
    assert selected is not None and selected.order_id == sim.filed["rejected"]


def test_empty_account_says_how_to_ask(synced: Any, qtbot: Any) -> None:
    cache, connection = synced
    panel = RefundsView(cache, connection.account_id)
    qtbot.addWidget(panel)
    panel.show()
    assert panel.model.rowCount() == 0  # not synced from the request list yet
    assert panel.empty_label.isVisible() and "Refund Request" in panel.empty_label.text()
    assert not panel.table.isVisible()


def test_model_passes_qt_model_checks(view: RefundsView, qtmodeltester: Any) -> None:
    qtmodeltester.check(view.model)
    view.set_filter("rejected")
    qtmodeltester.check(view.model)
