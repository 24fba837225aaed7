"""The packing station (vendor_desk.sync.pack_station) against the simulator over real HTTP:
what was packed is shipped through the outbox, and the day's counter reads the times back."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import event

from vendor_desk.domain.carriers import ShipMethod
from vendor_desk.domain.packing import PackStep
from vendor_desk.sync.account_session import AccountSession
from vendor_desk.sync.outbox import Outbox, OutboxState
from vendor_desk.sync.pack_station import PackStation
from vendor_desk.sync.shipping import ShipmentRefused, ShipProblemCode

from .conftest import Env, make_env
from .placed_orders import place_and_cache


@pytest.fixture
def env(tmp_path: Path) -> Iterator[Env]:
    for built in make_env(tmp_path, orders=20):
        built.syncer().first_sync()
        yield built


class Clock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


def item_meta(env: Env, order_id: int) -> dict[int, dict[str, str]]:
    return {item["id"]: dict(item["meta"]) for item in env.sim.order_snapshot(order_id)["items"]}


def test_two_parcels_packed_and_shipped_arrive_on_the_marketplace_with_the_url(env: Env) -> None:
    placed = place_and_cache(env, shippable=3, virtual=1, country="FR", postcode="75011")
    first, second, third = placed.shippable
    clock = Clock(datetime.now(UTC))
    station = PackStation(env.cache, env.account_id, clock=clock)
    packing = station.open(placed.order.id)
    assert packing is not None and packing.may_ship.allowed
    assert set(packing.session.wanted) == {first, second, third}  # not the virtual item
    assert packing.session.scan_item(placed.virtual[0]) is PackStep.NOTHING_TO_PACK
    packing.session.scan_item(first)
    station.track(packing, "6A12345678901", "colissimo")
    packing.session.scan_item(second)
    assert station.track(packing, "8R00000000012", "colissimo") == 2
    assert packing.session.scan_item(third) is PackStep.ALL_PACKED
    clock.at += timedelta(minutes=3)
    result = station.ship(packing)
    assert len(result.entry_ids) == 2
    outbox = Outbox(env.cache, env.account_id)
    with env.client() as market:
        outbox.send_due(market)
    assert [outbox.get(i).state for i in result.entry_ids] == [OutboxState.SENT] * 2
    meta = item_meta(env, placed.order.id)
    assert meta[first]["wcfm_tracking_code"] == "6A12345678901"
    assert meta[second]["wcfm_tracking_code"] == "6A12345678901"
    assert meta[third]["wcfm_tracking_code"] == "8R00000000012"
    assert "8R00000000012" in meta[third]["wcfm_tracking_url"]
    assert meta[third]["wcfm_tracking_url"].startswith("https://")

    day = station.today()
    assert day.orders == 1 and day.median == timedelta(minutes=3)


def test_an_order_packed_without_a_label_is_refused_until_shipped_without_tracking(
    env: Env,
) -> None:
    placed = place_and_cache(env, shippable=1)
    station = PackStation(env.cache, env.account_id)
    packing = station.open(placed.order.id)
    assert packing is not None
    packing.session.scan_item(placed.shippable[0])
    with pytest.raises(ShipmentRefused) as refused:
        station.ship(packing)
    assert {p.code for p in refused.value.problems} == {ShipProblemCode.NO_ITEMS}
    assert station.today().orders == 0
    result = station.ship(packing, ShipMethod.NO_TRACKING)
    assert len(result.entry_ids) == 1
    assert station.today().orders == 1
    # Opened again, the order has nothing left to pack.
    again = station.open(placed.order.id)
    assert again is not None and again.session.nothing_to_pack


def test_the_day_counts_only_todays_orders(env: Env) -> None:
    placed = [place_and_cache(env, shippable=1) for _ in range(2)]
    yesterday = Clock(datetime.now(UTC) - timedelta(days=1, hours=1))
    old = PackStation(env.cache, env.account_id, clock=yesterday)
    packing = old.open(placed[0].order.id)
    assert packing is not None
    old.ship(packing, ShipMethod.PICKUP, unpacked_too=True)
    station = PackStation(env.cache, env.account_id)
    packing = station.open(placed[1].order.id)
    assert packing is not None
    station.ship(packing, ShipMethod.PICKUP, unpacked_too=True)
    assert station.today().orders == 1


def test_an_order_not_in_the_cache_is_none(env: Env) -> None:
    assert PackStation(env.cache, env.account_id).open(987654) is None


def test_a_shipment_packed_offline_goes_as_soon_as_the_marketplace_answers_again(
    env: Env,
) -> None:
    """Deferred while the marketplace could not be reached, the entry is not left waiting out
    its back-off (minutes) once it answers again: the next pass sends it."""
    placed = place_and_cache(env, shippable=1)
    station = PackStation(env.cache, env.account_id)
    packing = station.open(placed.order.id)
    assert packing is not None
    packing.session.scan_item(placed.shippable[0])
    station.track(packing, "6A12345678901", "colissimo")
    (entry_id,) = station.ship(packing).entry_ids
    session = AccountSession(env.cache, env.account_id, env.client)
    fault = env.sim.fault_injector.add("reset", times=None)
    try:
        offline = session.send(lambda _p: None, threading.Event())
        assert offline.offline and entry_id in offline.deferred
    finally:
        env.sim.fault_injector.remove(fault.id)
    outbox = Outbox(env.cache, env.account_id)
    assert outbox.get(entry_id).next_attempt_at is not None, "backed off while offline"
    report = session.send(lambda _p: None, threading.Event())
    assert entry_id in report.sent
    assert item_meta(env, placed.order.id)[placed.shippable[0]]["wcfm_tracking_code"] == (
        "6A12345678901"
    )


def test_the_days_count_reads_an_index(env: Env) -> None:
    """The counter is read at every order shipped: from the index on the time each order was
    shipped from the Pack view (migration 0012), not by reading every order."""
    statements: list[tuple[str, object]] = []

    def record(_conn, _cursor, statement, parameters, _context, _many) -> None:  # type: ignore[no-untyped-def]
        statements.append((statement, parameters))

    event.listen(env.cache.engine, "before_cursor_execute", record)
    try:
        PackStation(env.cache, env.account_id).today()
    finally:
        event.remove(env.cache.engine, "before_cursor_execute", record)
    (select,) = [(s, p) for s, p in statements if s.lstrip().upper().startswith("SELECT")]
    with env.cache.engine.connect() as connection:
        plan = " | ".join(
            str(row[-1])
            for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + select[0], select[1])
        )
    assert "ix_orders_account_pack_shipped" in plan, plan
