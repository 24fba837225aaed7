"""Sync against the simulator over HTTP into a real SQLite file."""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime, timedelta

import pytest

from tests.sync.conftest import Env
from vendor_desk.cache import OrderQuery, fetch_rows, order_detail, sync_status
from vendor_desk.cache.queries import order_ids
from vendor_desk.domain import AuthMethod, OrderStatus
from vendor_desk.marketplace import MarketplaceError, ServerError, Unreachable
from vendor_desk.sync import SyncProgress


def cached(env: Env) -> dict[int, tuple[str, str, str]]:
    with env.cache.session() as session:
        rows = fetch_rows(session, OrderQuery(env.account_id), 0, 100_000)
        result = {}
        for row in rows:
            detail = order_detail(session, env.account_id, row.order_id)
            assert detail is not None
            modified = detail.order.date_modified
            result[row.order_id] = (
                row.vendor_status,
                row.main_status,
                modified.isoformat() if modified else "",
            )
        return result


def table_dump(env: Env) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(env.cache.path)
    try:
        rows: list[tuple[object, ...]] = []
        for table in ("orders", "line_items", "notes", "sync_state"):
            rows += [(table, *row) for row in connection.execute(f"SELECT * FROM {table}")]
        return sorted(rows, key=repr)
    finally:
        connection.close()


def test_first_sync_reads_everything_and_reports_progress(env: Env) -> None:
    seen: list[SyncProgress] = []
    result = env.syncer().sync(progress=seen.append)
    server = env.server_orders()
    assert result.kind == "first"
    assert set(result.new_order_ids) == set(server)
    assert cached(env) == server
    assert seen and seen[-1].orders_so_far >= len(server)
    assert [p.pages_done for p in seen] == sorted(p.pages_done for p in seen)
    with env.cache.session() as session:
        status = sync_status(session, env.account_id)
    assert status.first_sync_done and status.order_count == len(server)


def test_routine_sync_with_nothing_changed_is_cheap(env: Env) -> None:
    syncer = env.syncer()
    syncer.sync()
    result = syncer.sync()
    assert result.kind == "routine"
    assert result.new_order_ids == () and result.changed_order_ids == ()
    # one head page + the open orders' ranges; far fewer than the 4+ pages of a full walk
    assert result.requests_made <= 4


def test_changes_on_the_marketplace_show_up(env: Env) -> None:
    # every open order counts as fresh
    syncer = env.syncer(fresh_for=timedelta(days=36500), fresh_max=None)
    syncer.sync()
    with env.cache.session() as session:
        to_ship = fetch_rows(session, OrderQuery(env.account_id, group="to_ship"), 0, 10)
        awaiting = fetch_rows(session, OrderQuery(env.account_id, group="awaiting_payment"), 0, 10)
    assert to_ship and awaiting
    target, other = to_ship[-1].order_id, awaiting[-1].order_id
    with env.client() as market:
        market.set_status(target, OrderStatus.COMPLETED)  # vendor status, via the client
    env.sim.set_main_status(other, "cancelled")  # the admin
    requests = [r for r in env.sim.refund_requests() if r["status"] == "requested"]
    mine = {row.order_id for row in fetch_rows_all(env)}
    requests = [r for r in requests if r["order_id"] in mine]
    if requests:
        env.sim.approve_refund_request(requests[0]["id"])
    before = len(mine)
    new_ids = [i for i in env.sim.add_orders(30)]
    result = syncer.routine_sync()
    server = env.server_orders()
    now = cached(env)
    # The admin's cancel takes the order off the vendor's list: read alone, stored cancelled
    # as a whole (its main status too, which the single-order route does not carry).
    assert other not in server and now.pop(other)[:2] == ("cancelled", "cancelled")
    assert now == server
    assert target in result.changed_order_ids and other in result.changed_order_ids
    assert set(result.new_order_ids) == set(server) - mine
    assert len(server) > before or not set(new_ids) & set(server)
    if requests:
        assert requests[0]["order_id"] in result.changed_order_ids
    with env.cache.session() as session:
        assert session is not None
        detail = order_detail(session, env.account_id, other)
    assert detail is not None and detail.order.main_status.slug == "cancelled"


def fetch_rows_all(env: Env):  # type: ignore[no-untyped-def]
    with env.cache.session() as session:
        return fetch_rows(session, OrderQuery(env.account_id), 0, 100_000)


def test_empty_status_from_single_get_never_wipes_a_known_one(env: Env) -> None:
    env.syncer().sync()
    row = fetch_rows_all(env)[0]
    assert row.vendor_status
    reader = env.syncer(AuthMethod.APP_PASSWORD)  # single GET answers status ""
    order = reader.refresh_order(row.order_id)
    assert order is not None
    assert order.vendor_status.slug == row.vendor_status
    assert order.main_status.slug == row.main_status


def test_local_state_survives_sync(env: Env) -> None:
    from vendor_desk.cache import store

    syncer = env.syncer()
    syncer.sync()
    row = fetch_rows_all(env)[0]
    with env.cache.session(write=True) as session:
        store.set_local(session, env.account_id, row.order_id, slip_printed_at="2025-01-01")
    env.sim.set_main_status(row.order_id, "completed")
    syncer.reconcile()
    syncer.refresh_order(row.order_id)
    with env.cache.session() as session:
        detail = order_detail(session, env.account_id, row.order_id)
    assert detail is not None and detail.local == {"slip_printed_at": "2025-01-01"}
    assert detail.order.main_status.slug == "completed"


def test_refresh_order_reads_notes(env: Env) -> None:
    syncer = env.syncer()
    syncer.sync()
    row = fetch_rows_all(env)[0]
    syncer.refresh_order(row.order_id)
    with env.client() as market:
        expected = {note.id for note in market.list_notes(row.order_id)}
    with env.cache.session() as session:
        detail = order_detail(session, env.account_id, row.order_id)
    assert detail is not None and {note.id for note in detail.notes} == expected


def test_reconcile_marks_vanished_and_unmarks_returning(env: Env) -> None:
    syncer = env.syncer()
    syncer.sync()
    victim = fetch_rows_all(env)[5].order_id
    with env.sim.state.lock:  # the admin deletes the order for good
        removed = env.sim.state.orders.pop(victim)
    result = syncer.reconcile()
    assert result.vanished_order_ids == (victim,)
    with env.cache.session() as session:
        detail = order_detail(session, env.account_id, victim)
        assert detail is not None and detail.vanished  # marked, not deleted
        assert victim in order_ids(session, env.account_id)
    with env.sim.state.lock:
        env.sim.state.orders[victim] = removed
    result = syncer.reconcile()
    assert victim in result.returned_order_ids
    with env.cache.session() as session:
        detail = order_detail(session, env.account_id, victim)
    assert detail is not None and not detail.vanished


def test_sync_picks_reconcile_only_when_asked_to(env: Env) -> None:
    """The sweep replaced the daily walk: a day later a sync is still routine; a syncer given
    ``reconcile_every`` walks everything when it is due."""
    now = [datetime.now(UTC)]
    syncer = env.syncer(clock=lambda: now[0])
    assert syncer.sync().kind == "first"
    assert syncer.sync().kind == "routine"
    now[0] += timedelta(hours=25)
    assert syncer.sync().kind == "routine"
    daily = env.syncer(clock=lambda: now[0], reconcile_every=timedelta(hours=24))
    now[0] += timedelta(hours=25)
    assert daily.sync().kind == "reconcile"
    assert daily.sync().kind == "routine"


def test_cancel_between_pages_leaves_a_resumable_cache(env: Env) -> None:
    cancel = threading.Event()

    def progress(p: SyncProgress) -> None:
        if p.pages_done >= 2:
            cancel.set()

    syncer = env.syncer()
    first = syncer.sync(progress=progress, cancel=cancel)
    assert first.cancelled
    with env.cache.session() as session:
        status = sync_status(session, env.account_id)
    assert not status.first_sync_done and status.first_sync_in_progress
    assert status.order_count == 200
    resumed = syncer.sync()
    assert resumed.kind == "first" and not resumed.cancelled
    assert cached(env) == env.server_orders()


@pytest.mark.parametrize(("kind", "error"), [("reset", Unreachable), ("status", ServerError)])
def test_faults_leave_the_cache_unchanged(env: Env, kind: str, error: type) -> None:
    # every open order counts as fresh
    syncer = env.syncer(fresh_for=timedelta(days=36500), fresh_max=None)
    syncer.sync()
    newest = fetch_rows_all(env)[:3]
    for row in newest:
        env.sim.set_main_status(row.order_id, "cancelled")
    env.sim.add_orders(20)
    before = table_dump(env)
    env.sim.inject_fault(kind, r"/wcfmmp/v1/orders", times=None, status=500)
    with pytest.raises(MarketplaceError) as raised:
        syncer.routine_sync()
    assert isinstance(raised.value, error)
    assert table_dump(env) == before
    env.sim.clear_faults()
    syncer.routine_sync()
    now = cached(env)
    for row in newest:  # cancelled: off the list; an open one is read alone, a closed one
        # waits for the notification naming it or the next reconcile
        stored = now.pop(row.order_id)
        if row.display_status in ("processing", "shipped", "on-hold", "pending"):
            assert stored[:2] == ("cancelled", "cancelled")
    assert now == env.server_orders()
