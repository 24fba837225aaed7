"""The detail pane's actions and shipping checks over real orders cached from the simulator:
"Ready to ship", warnings with a disabled Mark Shipped, split-order progress, outbox badges,
shipments without tracking, and the signals the window connects."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from vendor_desk.cache.queries import OrderDetail, order_detail, order_ids
from vendor_desk.domain.carriers import Parcel, ShipMethod
from vendor_desk.sandbox.server import Simulator
from vendor_desk.sync.outbox import Outbox, OutboxKind
from vendor_desk.sync.shipping import queue_shipment
from vendor_desk.ui.detail_pane import OrderDetailPane


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulator]:
    """A generated shop (another seed than the other UI tests') holding every case below."""
    simulator = Simulator(dataset="generated", orders=60, seed=4).start()
    yield simulator
    simulator.stop()


@pytest.fixture
def pane(qtbot: Any) -> OrderDetailPane:
    widget = OrderDetailPane()
    qtbot.addWidget(widget)
    widget.resize(520, 900)
    widget.show()
    return widget


@pytest.fixture
def load(synced: Any) -> Callable[[int], OrderDetail]:
    cache, connection = synced

    def read(order_id: int) -> OrderDetail:
        with cache.session() as session:
            detail = order_detail(session, connection.account_id, order_id)
        assert detail is not None
        return detail

    return read


@pytest.fixture
def find(synced: Any, load: Any) -> Callable[[Callable[[Any], bool]], OrderDetail]:
    cache, connection = synced
    with cache.session() as session:
        ids = sorted(order_ids(session, connection.account_id))

    def first(predicate: Callable[[Any], bool]) -> OrderDetail:
        for order_id in ids:
            detail = load(order_id)
            if predicate(detail.order):
                return detail
        pytest.fail("the generated shop has no such order")

    return first


def _ready(order: Any) -> bool:
    return (
        order.vendor_status.slug == "processing"
        and order.main_status.slug == "processing"
        and order.is_paid
        and not order.is_shipped
        and any(i.shippable is True and not i.has_tracking for i in order.items)
    )


def test_paid_processing_order_is_ready_to_ship(pane: Any, find: Any, qtbot: Any) -> None:
    detail = find(_ready)
    pane.show_detail(detail)
    assert "Ready to ship" in pane.text_content()
    assert detail.order.payment_method_title in pane.text_content()
    assert pane.ship_button.isEnabled() and pane.warning_message_button is None
    with qtbot.waitSignal(pane.ship_requested, timeout=1000) as shipped:
        pane.ship_button.click()
    assert shipped.args == [detail.order.id]
    with qtbot.waitSignal(pane.note_requested, timeout=1000) as noted:
        pane.note_button.click()
    assert noted.args == [detail.order.id]
    with qtbot.waitSignal(pane.message_admin_requested, timeout=1000) as message:
        pane.message_button.click()
    assert message.args == [detail.order.id, ""]
    # Not shipped yet: Mark Complete is not offered, and says why.
    assert not pane.complete_button.isEnabled()
    assert "Ship your items first" in pane.complete_button.toolTip()


@pytest.mark.parametrize(
    ("predicate", "words"),
    [
        (lambda o: o.vendor_status.slug == "on-hold", "on hold"),
        (lambda o: o.vendor_status.slug == "pending", "pending"),
    ],
    ids=["on-hold", "pending-payment"],
)
def test_unshippable_orders_warn_and_disable_mark_shipped(
    pane: Any, find: Any, qtbot: Any, predicate: Any, words: str
) -> None:
    detail = find(predicate)
    pane.show_detail(detail)
    text = pane.text_content()
    assert "Ready to ship" not in text
    assert "Do not ship this order yet." in text and words in text
    assert not pane.ship_button.isEnabled()
    assert words in pane.ship_button.toolTip() and "Not offered" in pane.ship_button.toolTip()
    assert "Mark Shipped is not offered" in text
    button = pane.warning_message_button
    assert button is not None and button.isEnabled()
    with qtbot.waitSignal(pane.message_admin_requested, timeout=1000) as message:
        button.click()
    order_id, problem = message.args
    assert order_id == detail.order.id and words in problem


def test_unpaid_cash_on_delivery_warns_but_may_ship(pane: Any, find: Any, qtbot: Any) -> None:
    """Cash on delivery is paid to the carrier: the vendor is warned, and may still ship."""
    detail = find(
        lambda o: (
            o.vendor_status.slug == "processing"
            and o.payment_method == "cod"
            and not o.is_paid
            and not o.is_shipped
        )
    )
    pane.show_detail(detail)
    text = pane.text_content()
    assert "Check the payment before shipping." in text and "Cash on delivery" in text
    assert "Do not ship this order yet." not in text
    assert pane.ship_button.isEnabled()
    button = pane.warning_message_button
    assert button is not None
    with qtbot.waitSignal(pane.message_admin_requested, timeout=1000) as message:
        button.click()
    assert "Cash on delivery" in message.args[1]


def test_split_order_shows_your_part_completed(pane: Any, find: Any) -> None:
    detail = find(
        lambda o: (
            o.split and o.vendor_status.slug == "completed" and o.main_status.slug == "processing"
        )
    )
    pane.show_detail(detail)
    assert "Your part: completed · order: processing" in pane.text_content()
    assert not pane.complete_button.isEnabled()


def test_pending_changes_get_badges_and_untracked_shipments_show(
    pane: Any, find: Any, load: Any, synced: Any
) -> None:
    cache, connection = synced
    detail = find(_ready)
    order = detail.order
    outbox = Outbox(cache, connection.account_id)
    outbox.enqueue(OutboxKind.NOTE, order.id, {"text": "Emballé avec soin", "kind": "private"})
    item_ids = tuple(i.item_id for i in order.items if i.shippable is not False)
    queue_shipment(outbox, order, [Parcel(item_ids, ShipMethod.NO_TRACKING, "dpd")])
    detail = load(order.id)
    pane.show_detail(detail)
    text = pane.text_content()
    assert "Emballé avec soin" in text and "waiting to be sent" in text
    assert "waiting to be sent (marked with a clock)" in text
    badges = pane.findChildren(type(pane.ship_button.parent()), "pendingBadge")
    assert badges, "a clock badge next to the changed fields"
    assert "Shipped · no tracking" in text and "DPD" in text
    assert "Ready to ship" not in text


def test_failed_changes_are_marked(pane: Any, find: Any, synced: Any, load: Any) -> None:
    from vendor_desk.cache import store as cache_store

    cache, connection = synced
    detail = find(_ready)
    flags = [{"id": 1, "kind": "complete", "state": "failed", "fields": ["vendor_status"]}]
    with cache.session(write=True) as session:
        cache_store.set_local(session, connection.account_id, detail.order.id, outbox=flags)
    pane.show_detail(load(detail.order.id))
    assert "refused by the marketplace" in pane.text_content()
    assert pane.findChildren(type(pane.ship_button.parent()), "failedBadge")


def test_actions_can_be_turned_off(pane: Any, find: Any) -> None:
    pane.show_detail(find(_ready))
    pane.set_actions_available(False, "Read-only account (application password).")
    for button in (pane.ship_button, pane.complete_button, pane.note_button, pane.message_button):
        assert not button.isEnabled()
        assert button.toolTip() == "Read-only account (application password)."


def test_virtual_items_only_say_nothing_to_ship_and_offer_complete(
    pane: Any, sim: Simulator, synced: Any, load: Any
) -> None:
    """An e-book order (placed as a customer would, cash on delivery) has no parcel: no
    warning, no Mark Shipped, Mark Complete offered."""
    from tests.sync.placed_orders import place
    from vendor_desk.sync import Syncer

    cache, connection = synced
    order_id = place(sim, connection.login, shippable=0, virtual=1)
    with connection.open_marketplace() as market:
        Syncer(cache, connection.account_id, market).sync()
    detail = load(order_id)
    assert all(item.shippable is False for item in detail.order.items)
    pane.show_detail(detail)
    text = pane.text_content()
    assert "Nothing to ship" in text and "Do not ship" not in text
    assert pane.warning_message_button is None
    assert not pane.ship_button.isEnabled() and pane.complete_button.isEnabled()
    assert "nothing to ship" in pane.ship_button.toolTip()


def _earning_lines(pane: OrderDetailPane) -> list[tuple[str, str]]:
    """The breakdown lines the pane shows: (part, amount text)."""
    from PySide6.QtWidgets import QLabel

    return [
        (str(label.property("earningPart")), label.text())
        for label in pane.findChildren(QLabel)
        if label.property("earningPart")
    ]


def test_an_earning_above_the_items_is_explained(pane: Any, find: Any) -> None:
    """Issue 12: "total $26.00, earning $35.90" with no word why — the shipping the vendor
    receives (and its tax) is part of the earning."""
    from vendor_desk.domain.earnings import EarningPart, earning_breakdown
    from vendor_desk.ui.formatting import format_money

    def with_shipping(order: Any) -> bool:
        breakdown = earning_breakdown(order)
        return breakdown is not None and breakdown.amount(EarningPart.SHIPPING) is not None

    detail = find(with_shipping)
    order = detail.order
    breakdown = earning_breakdown(order)
    assert breakdown is not None and order.earning is not None
    assert order.earning.amount > order.items_total.amount  # what puzzled the vendor
    pane.show_detail(detail)
    shown = _earning_lines(pane)
    assert [part for part, _text in shown] == [line.part.value for line in breakdown.lines]
    items = breakdown.amount(EarningPart.ITEMS)
    shipping = breakdown.amount(EarningPart.SHIPPING)
    assert items is not None and shipping is not None
    assert shown[0][1] == format_money(items.amount, order.currency)
    assert shown[1][1] == "+" + format_money(shipping.amount, order.currency)
    text = pane.text_content()
    assert "Commission on your items" in text and "Shipping you receive" in text
    assert format_money(order.earning.amount, order.currency) in text
    # The lines add up to the earning, to the cent.
    assert sum((line.amount.amount for line in breakdown.lines), start=items.amount * 0) == (
        order.earning.amount
    )


def test_an_earning_of_the_items_alone_needs_no_explaining(pane: Any, find: Any) -> None:
    from vendor_desk.domain.earnings import earning_breakdown

    def plain(order: Any) -> bool:
        breakdown = earning_breakdown(order)
        return breakdown is not None and not breakdown.explains_something

    pane.show_detail(find(plain))
    assert _earning_lines(pane) == []
    assert "Your earning" in pane.text_content()
