"""Where the order list puts an order that is still to do: against the simulator over real HTTP
(orders placed through its checkout, the outbox's optimistic changes, the marketplace's copy
after a sync), and the rules on hand-built orders, on both the domain and the JSON fast path.

* A processing order with a refund request waiting and items still to ship stays in "To ship",
  marked "refund requested" — the admin may reject it, and a partial refund leaves items to
  ship; an order with nothing left to pack goes to "Refund requested".
* A processing order of virtual items only stays to do, shown "nothing to ship".
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from tests.domain.test_orders_and_rules import item, order
from vendor_desk.cache import store
from vendor_desk.cache.models import OrderRecord
from vendor_desk.cache.store import load_orders
from vendor_desk.domain import Money, Order, OrderStatus, RefundLine, RefundState
from vendor_desk.sync.outbox import Outbox
from vendor_desk.sync.refunds import queue_refund
from vendor_desk.sync.shipping import queue_shipment, tracked_parcel, untracked_parcel

from .conftest import Env, make_env
from .placed_orders import place_and_cache


@pytest.fixture
def env(tmp_path: Path) -> Iterator[Env]:
    for built in make_env(tmp_path, orders=30):
        built.syncer().first_sync()
        yield built


def row_of(env: Env, order_id: int) -> tuple[str, str, str]:
    with env.cache.session() as session:
        row = session.get(OrderRecord, (env.account_id, order_id))
        assert row is not None
        return row.status_group, row.display_status, row.shipping_state


def listed(env: Env, shape: dict[str, int]) -> Order:
    """An order placed with ``shape`` and cached as the order list gives it (with its payout
    state, which a refund request needs)."""
    order_id = place_and_cache(env, **shape).order.id  # type: ignore[arg-type]
    env.syncer().sync()
    return cached(env, order_id)


def cached(env: Env, order_id: int) -> Order:
    with env.cache.session() as session:
        return load_orders(session, env.account_id, [order_id])[order_id]


def eur(text: str, currency: str) -> Money:
    return Money(Decimal(text), currency)


def test_partial_refund_of_an_unpaid_unshipped_order_keeps_it_to_ship(env: Env) -> None:
    """The walk-through's case: cash on delivery, nothing paid, nothing shipped; a partial
    refund request must not take the order out of "To ship"."""
    order_ = listed(env, {"shippable": 2})
    assert not order_.is_paid and row_of(env, order_.id)[0] == "to_ship"
    first = order_.items[0].item_id
    box = Outbox(env.cache, env.account_id)
    line = RefundLine(first, 0, eur("1", order_.currency))
    queue_refund(box, order_, "partial", [line], "Scratched", confirm_unpaid=True)
    assert row_of(env, order_.id)[:2] == ("to_ship", "refund-requested")  # at once
    with env.client() as market:
        box.send_due(market)
    assert row_of(env, order_.id)[:2] == ("to_ship", "refund-requested")  # marketplace's copy
    # The admin approves: a normal order to ship again.
    [request] = [r for r in env.sim.refund_requests() if r["order_id"] == order_.id]
    env.sim.approve_refund_request(int(str(request["id"])))
    env.syncer().sync()
    assert row_of(env, order_.id)[:2] == ("to_ship", "processing")


def test_refund_on_a_shipped_order_or_one_shipped_without_tracking_is_refund_requested(
    env: Env,
) -> None:
    box = Outbox(env.cache, env.account_id)
    tracked = listed(env, {"shippable": 1})
    queue_shipment(box, tracked, [tracked_parcel(tracked, "colissimo", "6A12345678901")])
    local = listed(env, {"shippable": 1})
    queue_shipment(box, local, [untracked_parcel(local)])  # recorded on this computer only
    with env.client() as market:
        box.send_due(market)
    for placed in (tracked, local):
        env.syncer().refresh_order(placed.id)
        assert row_of(env, placed.id)[0] == "shipped"
        again = cached(env, placed.id)
        queue_refund(box, again, "full", reason="Lost", confirm_unpaid=True)
        assert row_of(env, placed.id)[:2] == ("refund_requested", "refund-requested")
    with env.client() as market:
        box.send_due(market)
    for placed in (tracked, local):
        env.syncer().refresh_order(placed.id)
        assert row_of(env, placed.id)[:2] == ("refund_requested", "refund-requested")


def test_virtual_items_only_are_nothing_to_ship(env: Env) -> None:
    ebook = place_and_cache(env, shippable=0, virtual=1).order
    assert row_of(env, ebook.id) == ("to_ship", "processing", store.NOTHING_TO_SHIP)
    mixed = place_and_cache(env, shippable=1, virtual=1).order
    assert row_of(env, mixed.id) == ("to_ship", "processing", "not shipped")
    env.sim.set_main_status(ebook.id, "completed")
    env.syncer().reconcile()
    group, _display, shipping = row_of(env, ebook.id)
    assert shipping == "no shipping needed" and group != "to_ship"


# ------------------------------------------------------------------------ the rules alone
@pytest.mark.parametrize(
    ("changes", "items", "expected"),
    [
        # processing, unshipped, refund waiting: stays to ship, marked
        ({"refund_requested": True}, [item(1, "10")], ("to_ship", "refund-requested")),
        # the requested item itself still to ship (partial amount)
        ({}, [item(1, "10", refund_state=RefundState.REQUESTED)], ("to_ship", "refund-requested")),
        # everything tracked: nothing left to pack
        (
            {"refund_requested": True},
            [item(1, "10", tracking_code="X1")],
            ("refund_requested", "refund-requested"),
        ),
        # shipped / completed parts with a refund waiting
        (
            {"refund_requested": True, "vendor_status": OrderStatus.SHIPPED},
            [item(1, "10")],
            ("refund_requested", "refund-requested"),
        ),
        (
            {"refund_requested": True, "vendor_status": OrderStatus.COMPLETED},
            [item(1, "10")],
            ("refund_requested", "refund-requested"),
        ),
        # virtual items only, a refund waiting: nothing to pack
        (
            {"refund_requested": True},
            [item(1, "10", shippable=False)],
            ("refund_requested", "refund-requested"),
        ),
        # the only item left to pack was refunded
        (
            {"refund_requested": True},
            [item(1, "10", refund_state=RefundState.REFUNDED), item(2, "5", tracking_code="Y")],
            ("refund_requested", "refund-requested"),
        ),
        # no refund: as before
        ({}, [item(1, "10")], ("to_ship", "processing")),
        ({}, [item(1, "10", shippable=False)], ("to_ship", "processing")),
        ({"main_status": OrderStatus.CANCELLED}, [item(1, "10")], ("closed", "processing")),
    ],
)
def test_group_rules(
    changes: dict[str, object], items: list[object], expected: tuple[str, str]
) -> None:
    built = dataclasses.replace(order(*items), **changes)  # type: ignore[arg-type]
    assert (store.status_group(built), store.display_status(built)) == expected


def test_shipping_state_of_virtual_items() -> None:
    ebook = order(item(1, "9.99", shippable=False))
    assert store.shipping_state(ebook) == store.NOTHING_TO_SHIP
    done = dataclasses.replace(ebook, vendor_status=OrderStatus.COMPLETED)
    assert store.shipping_state(done) == "no shipping needed"
