"""The notification board against the simulator over real HTTP, with a real SQLite cache."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from vendor_desk.cache import add_account, open_cache
from vendor_desk.cache import notifications as board_store
from vendor_desk.cache.notifications import NotificationKind
from vendor_desk.marketplace import WcfmMarketplace
from vendor_desk.sandbox import checkout
from vendor_desk.sandbox.server import Simulator
from vendor_desk.sync.notifications import (
    board_entries,
    mark_all_read,
    mark_read,
    sync_notifications,
)
from vendor_desk.sync.outbox import Outbox, OutboxKind, OutboxState

from .conftest import FAST, Env


@pytest.fixture
def env(tmp_path: Path) -> Iterator[Env]:
    """The recorded shop (its board holds vendor_a's eight unread new-order notifications)."""
    with Simulator(dataset="recorded") as sim:
        login = sim.demo_vendor
        password = next(u for u in sim.users if u["login"] == login)["password"]
        cache = open_cache(tmp_path / "data")
        with cache.session(write=True) as session:
            account_id = add_account(session, sim.base_url, login, "Alpha Goods", 2, "jwt")
        try:
            yield Env(sim, cache, account_id, login, password, tmp_path / "data")
        finally:
            cache.close()


def unread_on_server(env: Env) -> set[int]:
    with env.client() as market:
        return {n.id for n in market.iter_notifications(read=False)}


def place_order_for_the_vendor(env: Env) -> int:
    """A customer checks out one of the demo vendor's products (as the real checkout does)."""
    state = env.sim.state
    with state.lock:
        vendor = state.user_by_login(env.login)
        assert vendor is not None
        product = next(
            p
            for p in sorted(state.products.values(), key=lambda p: p.id)
            if p.vendor_id == vendor.id and p.type == "simple"
        )
        customer = next(u for u in state.users.values() if u.role == "customer")
        return checkout.place_order(state, customer, [(product, 1, None)]).id


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_first_pass_fills_the_board_then_a_checkout_is_news(env: Env) -> None:
    with env.client() as market:
        first = sync_notifications(env.cache, env.account_id, market)
        assert first.first and not first.error
        assert first.unread == len(unread_on_server(env)) > 0

        order_id = place_order_for_the_vendor(env)
        report = sync_notifications(env.cache, env.account_id, market)
    assert not report.first
    assert [n.kind for n in report.new] == [NotificationKind.NEW_ORDER]
    assert report.new_order_ids == [order_id]
    assert report.unread == first.unread + 1
    top = board_entries(env.cache, env.account_id)[0]
    assert (top.order_id, top.read, top.kind) == (order_id, False, NotificationKind.NEW_ORDER)
    assert f"#{order_id}" in top.text and "<" not in top.text


def test_mark_read_here_then_on_the_marketplace(env: Env) -> None:
    with env.client() as market:
        sync_notifications(env.cache, env.account_id, market)
        newest = board_entries(env.cache, env.account_id)[0]
        assert newest.notification_id is not None and not newest.read
        nid = newest.notification_id

        assert mark_read(env.cache, env.account_id, [nid]) == [nid]
        entry = next(e for e in board_entries(env.cache, env.account_id) if e.key == newest.key)
        assert entry.read and entry.pending_read
        assert nid in unread_on_server(env)  # not told yet

        report = sync_notifications(env.cache, env.account_id, market)
    assert report.marked_read == [nid] and report.still_pending == []
    assert nid not in unread_on_server(env)
    with env.cache.session() as session:
        assert board_store.pending_reads(session, env.account_id) == []
        stored = board_store.get_notification(session, env.account_id, nid)
        assert stored is not None and stored.read


def test_mark_read_offline_stays_pending_then_is_sent(env: Env) -> None:
    with env.client() as market:
        sync_notifications(env.cache, env.account_id, market)
    marked = mark_all_read(env.cache, env.account_id)
    assert len(marked) >= 2

    # No network at all: nothing is sent, nothing is lost.
    user = next(u for u in env.sim.users if u["login"] == env.login)
    dead = f"http://127.0.0.1:{closed_port()}"
    with WcfmMarketplace(dead, env.login, user["password"], settings=FAST) as offline:
        report = sync_notifications(env.cache, env.account_id, offline)
    assert report.offline and report.still_pending == marked and report.marked_read == []

    # The marketplace is busy for the dashboard calls: still pending, in order.
    fault = env.sim.inject_fault("unavailable", r"admin-ajax", times=None)
    with env.client() as market:
        report = sync_notifications(env.cache, env.account_id, market)
        assert report.still_pending == marked and report.error
        assert report.unread == 0  # still read here
        env.sim.remove_fault(fault)

        report = sync_notifications(env.cache, env.account_id, market)
    assert report.marked_read == marked and not report.error
    assert unread_on_server(env).isdisjoint(marked)
    with env.cache.session() as session:
        assert board_store.pending_reads(session, env.account_id) == []


def test_read_on_the_marketplace_dashboard_is_read_here(env: Env) -> None:
    with env.client() as market:
        sync_notifications(env.cache, env.account_id, market)
        nid = board_entries(env.cache, env.account_id)[0].notification_id
        assert nid is not None
        market.mark_notification_read(nid)
        report = sync_notifications(env.cache, env.account_id, market)
    entry = next(e for e in board_entries(env.cache, env.account_id) if e.notification_id == nid)
    assert entry.read and not entry.pending_read
    assert report.marked_read == []


def test_messages_to_the_admin_show_on_the_board_once(env: Env) -> None:
    text = "Hello admin, order 7 & <b>its</b> parcel"
    outbox = Outbox(env.cache, env.account_id)
    entry_id = outbox.enqueue(OutboxKind.MESSAGE_ADMIN, None, {"message": text})

    waiting = [e for e in board_entries(env.cache, env.account_id) if e.from_you]
    assert [(e.outbox_id, e.delivery) for e in waiting] == [(entry_id, OutboxState.PENDING)]

    with env.client() as market:
        assert outbox.send_due(market).sent == [entry_id]
        sent = [e for e in board_entries(env.cache, env.account_id) if e.from_you]
        assert [(e.outbox_id, e.delivery) for e in sent] == [(entry_id, OutboxState.SENT)]

        sync_notifications(env.cache, env.account_id, market)
    mine = [e for e in board_entries(env.cache, env.account_id) if e.from_you]
    # Now the marketplace's copy (a read "direct" notification) stands for it, once.
    assert len(mine) == 1
    assert mine[0].notification_id is not None and mine[0].outbox_id is None
    assert mine[0].kind is NotificationKind.MESSAGE and mine[0].read
    assert "its parcel" in mine[0].text and "<b>" not in mine[0].text


def test_discarded_message_is_not_on_the_board(env: Env) -> None:
    outbox = Outbox(env.cache, env.account_id)
    entry_id = outbox.enqueue(OutboxKind.MESSAGE_ADMIN, None, {"message": "never mind"})
    outbox.discard(entry_id)
    assert not [e for e in board_entries(env.cache, env.account_id) if e.from_you]
