"""The routine sync as a real site pays for it (issue 14), against the simulator over real HTTP
with a clock the test moves: the newest orders and the fresh open ones at every sync, older
open orders left to the sweep, and the sweep reading every order within its period — a few
pages per sync — so that any change the store admin makes is seen within that bound.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import StoreAdmin
from vendor_desk.cache.models import OrderRecord
from vendor_desk.cache.queries import checked_since, sync_status
from vendor_desk.sync.syncer import SERVER_COST, ServerCost, Syncer

from .conftest import Env, make_env
from .placed_orders import place_and_cache


class Clock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def env(tmp_path: Path) -> Iterator[Env]:
    yield from make_env(tmp_path, orders=600)


def syncer(env: Env, clock: Clock, **kwargs: object) -> Syncer:
    return env.syncer(clock=clock, **kwargs)


def row(env: Env, order_id: int) -> OrderRecord:
    with env.cache.session() as session:
        record = session.get(OrderRecord, (env.account_id, order_id))
        assert record is not None
        return record


def open_orders(env: Env) -> list[OrderRecord]:
    with env.cache.session() as session:
        return list(
            session.query(OrderRecord)
            .filter(
                OrderRecord.account_id == env.account_id,
                OrderRecord.status_group.in_(["to_ship", "awaiting_payment"]),
            )
            .order_by(OrderRecord.created)
        )


def test_the_sweep_reads_every_order_within_its_period(env: Env) -> None:
    """Routine syncs every 2 minutes for an hour: each reads a few pages of the whole list on
    top of its head check; after the hour every order was read again since the start (the
    bound the window shows), and no sync asked much of the site."""
    clock = Clock()
    sync = syncer(env, clock)
    assert sync.sync().kind == "first"
    with env.cache.session() as session:
        start = checked_since(session, env.account_id)
        count = session.query(OrderRecord).filter_by(account_id=env.account_id).count()
    assert start is not None and count > 300
    pages = count // 100 + 1
    requests = []
    for _ in range(31):  # one hour and two minutes of routine syncs
        clock.now += timedelta(minutes=2)
        result = sync.sync()
        assert result.kind == "routine"
        requests.append(result.requests_made)
    with env.cache.session() as session:
        since = checked_since(session, env.account_id)
        status = sync_status(session, env.account_id)
    assert since is not None and since > start  # every order read again since the start
    assert status.sweep_completed is not None and status.sweep_completed > start
    # never more than the head, the fresh open orders and a couple of sweep pages
    most = max(1, int(4.0 // SERVER_COST.page(100)))
    assert max(requests) <= 2 + most
    assert sum(requests) - 2 * len(requests) <= pages + 4  # about one pass of sweep pages


def test_old_open_orders_are_left_to_the_sweep(env: Env) -> None:
    """An old on-hold order the admin cancels: not read by the next routine sync (it is not
    fresh), but by the sweep within its period — and a fresh one at once."""
    clock = Clock()
    sync = syncer(env, clock, fresh_for=timedelta(days=7))
    sync.sync()
    old = next(o for o in open_orders(env) if o.created < clock.now - timedelta(days=30))
    fresh = row(env, place_and_cache(env, shippable=1).order.id)  # checked out just now
    assert fresh.status_group == "to_ship"
    admin = StoreAdmin(env.sim)
    admin.set_status(old.order_id, "cancelled")
    admin.set_status(fresh.order_id, "cancelled")
    clock.now += timedelta(minutes=2)
    result = sync.sync()
    assert fresh.order_id in result.changed_order_ids
    assert row(env, fresh.order_id).main_status == "cancelled"
    assert row(env, old.order_id).main_status != "cancelled"
    for _ in range(31):
        clock.now += timedelta(minutes=2)
        sync.sync()
    assert row(env, old.order_id).main_status == "cancelled"


def test_a_deleted_old_order_is_found_when_a_sweep_pass_ends(env: Env) -> None:
    clock = Clock()
    sync = syncer(env, clock)
    sync.sync()
    with env.cache.session() as session:
        oldest = (
            session.query(OrderRecord)
            .filter_by(account_id=env.account_id, status_group="completed")
            .order_by(OrderRecord.created)
            .first()
        )
    assert oldest is not None
    StoreAdmin(env.sim).delete(oldest.order_id)
    vanished: set[int] = set()
    for _ in range(31):
        clock.now += timedelta(minutes=2)
        vanished.update(sync.sync().vanished_order_ids)
    assert oldest.order_id in vanished and row(env, oldest.order_id).vanished_at is not None


def test_check_everything_now_reads_the_whole_list_and_restarts_the_pass(env: Env) -> None:
    clock = Clock()
    sync = syncer(env, clock)
    sync.sync()
    clock.now += timedelta(minutes=30)
    result = sync.reconcile()
    assert result.kind == "reconcile"
    with env.cache.session() as session:
        status = sync_status(session, env.account_id)
    assert status.checked_since is not None and status.checked_since >= clock.now
    assert status.sweep_completed == clock.now


def test_open_orders_are_planned_by_what_the_site_pays(env: Env) -> None:
    """Two open orders a year apart: one range read over the year would make the site render
    every order in between; two single reads cost it less. Three orders of one day: one range."""
    sync = syncer(env, Clock())
    sync.sync()
    day = date(2026, 3, 2)
    far = [(1, day), (2, day + timedelta(days=365))]
    assert sorted(sync.plan_open_refresh(far), key=str) == [1, 2]
    same_day = [(1, day), (2, day), (3, day)]
    expensive_singles = Syncer(
        env.cache, env.account_id, sync.market, cost=ServerCost(single_order=1.0)
    )
    assert expensive_singles.plan_open_refresh(same_day) == [
        (day - timedelta(days=1), day + timedelta(days=1))
    ]
