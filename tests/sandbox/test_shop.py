"""The ``shop`` dataset: one vendor's real-sized shop shaped like the real one of issue 14
(status mix, old open orders, cancelled orders off the vendor's list, split orders),
deterministic per seed."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import requests

from tests.sandbox.conftest import TIMEOUT
from vendor_desk.sandbox import Simulator
from vendor_desk.sandbox.datasets import load_shop
from vendor_desk.sandbox.model import MarketplaceState, SiteSettings

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
ORDERS = 2000


def shop(seed: int = 1, orders: int = ORDERS) -> MarketplaceState:
    state = MarketplaceState(SiteSettings(site_url="http://127.0.0.1:8089"))
    load_shop(state, seed=seed, orders=orders, now=NOW)
    return state


def digest(state: MarketplaceState) -> str:
    text = repr(
        (
            sorted(state.orders.items()),
            sorted(state.commissions.items()),
            sorted(state.notes.items()),
            state.messages,
            sorted(state.users.items()),
        )
    )
    return hashlib.sha256(text.encode()).hexdigest()


@pytest.fixture(scope="module")
def state() -> MarketplaceState:
    return shop()


@pytest.fixture(scope="module")
def served(state: MarketplaceState) -> Iterator[Simulator]:
    with Simulator(state=state) as sim:
        yield sim


def vendor_id(state: MarketplaceState) -> int:
    user = state.user_by_login("demo_vendor")
    assert user is not None and user.role == "wcfm_vendor"
    return user.id


def test_every_order_is_the_vendors_with_the_real_shops_status_mix(
    state: MarketplaceState,
) -> None:
    demo = vendor_id(state)
    assert len(state.orders) == ORDERS
    assert len(state.vendor_order_ids(demo)) == ORDERS
    statuses = Counter(order.status for order in state.orders.values())
    # The real shop: 4,651 completed, 156 processing, 63 on-hold, 71 cancelled, 66 refunded
    # of 5,000.
    expected = {"processing": 62, "on-hold": 25, "cancelled": 28, "refunded": 26}
    for status, count in expected.items():
        assert abs(statuses[status] - count) <= 1, (status, statuses)
    assert statuses["completed"] == ORDERS - sum(statuses[s] for s in expected)
    assert statuses["completed"] / ORDERS == pytest.approx(0.93, abs=0.005)


def test_open_orders_are_old_as_well_as_new(state: MarketplaceState) -> None:
    def ages(status: str) -> list[float]:
        return sorted(
            (NOW - order.date_created) / timedelta(days=1)
            for order in state.orders.values()
            if order.status == status
        )

    on_hold, processing = ages("on-hold"), ages("processing")
    # spread over the two years, not only recent
    assert sum(age > 365 for age in on_hold) >= len(on_hold) // 4
    assert on_hold[-1] <= 731 and sum(age < 180 for age in on_hold) >= 1
    assert sum(age > 180 for age in processing) >= 5
    # half the processing orders are the newest ones
    newest = sorted(state.orders.values(), key=lambda order: order.date_created)[-31:]
    assert {order.status for order in newest} == {"processing"}
    # an on-hold order is an unpaid bank transfer
    assert {
        order.payment_method for order in state.orders.values() if order.status == "on-hold"
    } == {"bacs"}


def test_about_fifteen_percent_are_split_with_another_vendor(state: MarketplaceState) -> None:
    demo = vendor_id(state)
    splits = [order for order in state.orders.values() if len(order.vendor_ids()) > 1]
    assert 0.12 <= len(splits) / ORDERS <= 0.18
    assert all(demo in order.vendor_ids() and len(order.vendor_ids()) == 2 for order in splits)
    # refunded orders are wholly refunded (the main status says so): the vendor's alone
    assert all(
        order.vendor_ids() == [demo]
        for order in state.orders.values()
        if order.status == "refunded"
    )


def test_orders_have_items_and_shipping_as_the_generated_ones(state: MarketplaceState) -> None:
    orders = list(state.orders.values())
    assert all(order.items for order in orders)
    assert sum(len(order.items) > 1 for order in orders) > ORDERS // 10
    assert sum(bool(order.shipping_lines) for order in orders) > ORDERS * 0.8
    methods = Counter(line.method_id for order in orders for line in order.shipping_lines)
    assert {"flat_rate", "free_shipping", "local_pickup"} <= set(methods)


def test_cancelled_orders_leave_the_vendors_list_but_read_singly(
    state: MarketplaceState, served: Simulator
) -> None:
    demo = next(u for u in served.users if u["login"] == "demo_vendor")
    session = requests.Session()
    session.auth = ("demo_vendor", demo["app_password"])
    listed: list[int] = []
    page = 1
    while True:
        answer = session.get(
            f"{served.base_url}/wp-json/wcfmmp/v1/orders",
            params={"per_page": 100, "page": page},
            timeout=TIMEOUT,
        )
        assert answer.status_code == 200
        listed += [order["id"] for order in answer.json()]
        if len(answer.json()) < 100:
            break
        page += 1
    cancelled = {order.id for order in state.orders.values() if order.status == "cancelled"}
    assert cancelled
    assert len(listed) == len(set(listed)) == ORDERS - len(cancelled)
    assert set(listed) == set(state.orders) - cancelled
    assert listed == sorted(listed, reverse=True)
    some = min(cancelled)
    single = requests.get(
        f"{served.base_url}/wp-json/wcfmmp/v1/orders/{some}",
        headers={"Authorization": f"Bearer {served.token_for('demo_vendor')}"},
        timeout=TIMEOUT,
    )
    assert single.status_code == 200 and single.json()["status"] == "cancelled"
    rows = state.commissions_of_order(some)
    assert rows and all(row.is_trashed and row.commission_status == "cancelled" for row in rows)


def test_deterministic_per_seed() -> None:
    assert digest(shop(seed=3, orders=300)) == digest(shop(seed=3, orders=300))
    assert digest(shop(seed=3, orders=300)) != digest(shop(seed=4, orders=300))


def test_the_simulator_loads_it_by_name_with_5000_orders_by_default() -> None:
    assert Simulator(dataset="shop").order_count == 5000
    assert Simulator(dataset="generated").order_count == 300
    with pytest.raises(ValueError):
        Simulator(dataset="bazaar")
