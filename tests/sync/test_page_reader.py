"""The first sync reads pages ahead on background threads, several at a time: a failure or a
cancellation must still leave exactly the pages before it committed, with the cursor pointing at
the next one."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest

from tests.sync.conftest import Env
from tests.sync.test_sync import cached
from vendor_desk.cache import sync_status
from vendor_desk.marketplace import ServerError
from vendor_desk.sync import SyncProgress
from vendor_desk.sync.syncer import WALK_MAX_PARALLEL


def cursor_and_count(env: Env) -> tuple[int | None, int]:
    connection = sqlite3.connect(env.cache.path)
    try:
        (cursor,) = connection.execute("SELECT first_sync_next_page FROM sync_state").fetchone()
        (count,) = connection.execute("SELECT count(*) FROM orders").fetchone()
        return cursor, count
    finally:
        connection.close()


def test_failed_page_commits_the_pages_before_it_then_raises(env: Env) -> None:
    # 400 orders, about half the demo vendor's: pages 1 and 2 are full, page 3 fails.
    env.sim.inject_fault("status", r"/wcfmmp/v1/orders\?page=3&", times=None, status=500)
    reports: list[SyncProgress] = []
    syncer = env.syncer()
    with pytest.raises(ServerError):
        syncer.first_sync(progress=reports.append)
    assert cursor_and_count(env) == (3, 200)
    assert [(p.pages_done, p.orders_so_far) for p in reports] == [(1, 100), (2, 200)]
    # The client is free again (the reader thread has ended): resume from the cursor.
    env.sim.clear_faults()
    resumed = syncer.first_sync()
    assert not resumed.cancelled
    assert cached(env) == env.server_orders()
    assert cursor_and_count(env)[0] is None


def test_cancel_stops_before_the_read_ahead_page_is_stored(env: Env) -> None:
    cancel = threading.Event()
    # Slow pages: the reader is blocked on the marketplace, not finished, when cancel is set.
    env.sim.inject_fault("delay", r"/wcfmmp/v1/orders", times=None, delay=0.05)

    def progress(p: SyncProgress) -> None:
        if p.pages_done == 1:
            cancel.set()

    result = env.syncer().first_sync(progress=progress, cancel=cancel)
    assert result.cancelled
    assert cursor_and_count(env) == (2, 100)
    # The pages read ahead (those in flight, and one more) were requested but never stored.
    assert 1 < result.requests_made <= 1 + WALK_MAX_PARALLEL + 1
    with env.cache.session() as session:
        assert sync_status(session, env.account_id).first_sync_in_progress


def test_first_sync_requests_each_page_once(env: Env) -> None:
    result = env.syncer().first_sync()
    pages = len(env.server_orders()) // 100 + 1
    # every page once, then page 1 again to catch up with orders placed meanwhile; pages after
    # the last one may have been asked for already (at most as many as may be in flight)
    assert pages + 1 <= result.requests_made <= pages + 1 + WALK_MAX_PARALLEL
    assert sorted(result.new_order_ids) == sorted(env.server_orders())


def test_a_full_walk_keeps_the_sites_workers_busy(tmp_path: Path) -> None:
    """A site that answers 4 requests at once (the cost model, scaled down): the first sync has
    up to 4 pages in flight — never more — and takes well under the sum of its answers' times;
    it stores exactly the marketplace's orders."""
    from vendor_desk.cache import add_account, open_cache
    from vendor_desk.marketplace import WcfmMarketplace
    from vendor_desk.sandbox.cost import CostModel
    from vendor_desk.sandbox.server import Simulator
    from vendor_desk.sync import Syncer

    cost = CostModel(per_request=0.03, per_order=0.001, single_order=0.02, workers=4)
    with Simulator(dataset="shop", orders=1500, cost=cost) as sim:
        user = next(u for u in sim.users if u["login"] == sim.demo_vendor)
        cache = open_cache(tmp_path / "data")
        try:
            with cache.session(write=True) as session:
                account_id = add_account(session, sim.base_url, user["login"], "", 2, "jwt")
            with WcfmMarketplace(sim.base_url, user["login"], user["password"]) as market:
                market.identify()
                sim.reset_server_stats()
                started = time.perf_counter()
                result = Syncer(cache, account_id, market).first_sync()
                wall = time.perf_counter() - started
                stats = sim.server_stats()
                listed = {o.id for page in market.iter_order_pages() for o in page}
        finally:
            cache.close()
    assert stats["max_in_flight"] == WALK_MAX_PARALLEL
    assert wall < 0.6 * stats["modelled_seconds"]
    assert set(result.new_order_ids) == listed


def test_a_busy_site_gets_one_request_at_a_time(env: Env) -> None:
    """429 on a page, twice, past the client's own retries (none here): the reader waits as
    asked and asks for that page again, alone; the walk stores every order. A third time it
    gives up (the first sync resumes later at its cursor)."""
    env.sim.inject_fault("rate_limit", r"/wcfmmp/v1/orders\?page=2&", times=2, retry_after=0)
    result = env.syncer().first_sync()
    assert sorted(result.new_order_ids) == sorted(env.server_orders())
    pages = len(env.server_orders()) // 100 + 1
    assert result.requests_made >= pages + 1 + 2  # the two pages asked for again
