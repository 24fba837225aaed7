"""The outbox against the simulator over real HTTP, with a real SQLite cache.

Each test gets its own simulator (generated shop, WCFM Ultimate unless switched to free) and a
cache filled by a first sync. Back-off is short and "now" is passed explicitly, so nothing sleeps.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from vendor_desk.cache import open_cache
from vendor_desk.cache.models import LineItemRecord, NoteRecord, OrderRecord, OutboxRecord
from vendor_desk.cache.store import get_local, load_orders
from vendor_desk.domain import Order, OrderStatus
from vendor_desk.marketplace import WcfmMarketplace
from vendor_desk.sync.outbox import (
    PENDING_NOTE_AUTHOR,
    Outbox,
    OutboxError,
    OutboxKind,
    OutboxState,
)

from .conftest import FAST, Env, make_env

T0 = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)
LATER = T0 + timedelta(hours=1)


@pytest.fixture
def env(tmp_path: Path) -> Iterator[Env]:
    for built in make_env(tmp_path, orders=150):
        built.syncer().first_sync()
        yield built


def make_outbox(env: Env) -> Outbox:
    return Outbox(
        env.cache,
        env.account_id,
        base_delay=timedelta(seconds=1),
        max_delay=timedelta(seconds=8),
        clock=lambda: T0,
    )


def cached(env: Env, order_id: int) -> Order:
    with env.cache.session() as session:
        return load_orders(session, env.account_id, [order_id])[order_id]


def to_ship(env: Env) -> list[Order]:
    """Cached orders in processing with shippable items and no tracking yet."""
    with env.cache.session() as session:
        ids = session.scalars(
            select(OrderRecord.order_id).where(OrderRecord.account_id == env.account_id)
        ).all()
        orders = load_orders(session, env.account_id, ids).values()
    found = [
        order
        for order in orders
        if order.vendor_status == OrderStatus.PROCESSING
        and any(item.shippable for item in order.items)
        and not any(item.has_tracking for item in order.items)
    ]
    assert len(found) >= 2, "the generated shop should have orders to ship"
    return sorted(found, key=lambda order: order.id)


def shippable_ids(order: Order) -> list[int]:
    return [item.item_id for item in order.items if item.shippable]


def server_notes(env: Env, order_id: int, text: str) -> int:
    with env.sim.state.lock:
        return sum(text in note.content for note in env.sim.state.notes.get(order_id, []))


def server_direct_messages(env: Env, text: str) -> int:
    with env.sim.state.lock:
        return sum(m.message_type == "direct" and text in m.message for m in env.sim.state.messages)


def shipment_mails(env: Env) -> int:
    return sum("Shipment Tracking Update" in mail["subject"] for mail in env.sim.mails())


def server_vendor_status(env: Env, order_id: int) -> set[str]:
    snapshot = env.sim.order_snapshot(order_id)
    vendor_id = next(u["id"] for u in env.sim.users if u["login"] == env.login)
    return {
        row["commission_status"] for row in snapshot["commissions"] if row["vendor_id"] == vendor_id
    }


def item_meta(env: Env, order_id: int, item_id: int) -> dict[str, str]:
    items = env.sim.order_snapshot(order_id)["items"]
    return dict(next(item["meta"] for item in items if item["id"] == item_id))


def offline_client(env: Env) -> WcfmMarketplace:
    """A client for a marketplace that does not answer (nothing listens on the port)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return WcfmMarketplace(f"http://127.0.0.1:{port}", env.login, env.password, settings=FAST)


def flags(env: Env, order_id: int) -> list[dict[str, object]]:
    with env.cache.session() as session:
        return list(get_local(session, env.account_id, order_id).get("outbox", []))


# =============================================================================== each kind
def test_tracking_is_shown_at_once_then_sent_and_refreshed(env: Env) -> None:
    order = to_ship(env)[0]
    items = shippable_ids(order)
    outbox = make_outbox(env)
    url = "https://track.example/?id=X1&lang=en#top"
    entry_id = outbox.enqueue(
        OutboxKind.TRACKING, order.id, {"item_ids": items, "code": "X1", "url": url}
    )

    shown = cached(env, order.id)
    assert shown.vendor_status == OrderStatus.SHIPPED
    assert all(shown.item(i).tracking_code == "X1" for i in items)  # type: ignore[union-attr]
    assert flags(env, order.id) == [
        {
            "id": entry_id,
            "kind": "tracking",
            "state": "pending",
            "fields": ["vendor_status", "tracking"],
        }
    ]
    assert "wcfm_tracking_code" not in item_meta(env, order.id, items[0])  # nothing sent yet

    with env.client() as market:
        report = outbox.send_due(market)
    assert report.sent == [entry_id] and report.refreshed == [order.id]
    assert item_meta(env, order.id, items[0])["wcfm_tracking_url"] == url  # arrived intact
    assert server_vendor_status(env, order.id) == {"shipped"}
    assert outbox.get(entry_id).state is OutboxState.SENT
    assert outbox.get(entry_id).sent_at == T0
    assert flags(env, order.id) == []
    with env.cache.session() as session:
        row = session.get(OrderRecord, (env.account_id, order.id))
        assert row is not None and row.fingerprint != ""  # rewritten from the marketplace
    refreshed = cached(env, order.id)
    assert refreshed.vendor_status == OrderStatus.SHIPPED
    assert refreshed.item(items[0]).tracking_url == url  # type: ignore[union-attr]


def test_complete_and_status_change(env: Env) -> None:
    first, second = to_ship(env)[:2]
    outbox = make_outbox(env)
    complete = outbox.enqueue(OutboxKind.COMPLETE, first.id, {})
    on_hold = outbox.enqueue(OutboxKind.SET_STATUS, second.id, {"status": "on-hold"})
    with env.cache.session() as session:
        row = session.get(OrderRecord, (env.account_id, first.id))
        assert row is not None
        assert (row.vendor_status, row.status_group) == ("completed", "completed")
    assert cached(env, second.id).vendor_status == OrderStatus.ON_HOLD

    with env.client() as market:
        report = outbox.send_due(market)
    assert report.sent == [complete, on_hold]
    assert server_vendor_status(env, first.id) == {"completed"}
    assert server_vendor_status(env, second.id) == {"on-hold"}
    assert cached(env, first.id).vendor_status == OrderStatus.COMPLETED
    assert cached(env, second.id).vendor_status == OrderStatus.ON_HOLD


def test_note_shows_provisionally_then_the_marketplaces_note(env: Env) -> None:
    order = to_ship(env)[0]
    outbox = make_outbox(env)
    entry_id = outbox.enqueue(
        OutboxKind.NOTE, order.id, {"text": "Packed on shelf B2", "kind": "customer"}
    )
    with env.cache.session() as session:
        (note,) = session.scalars(
            select(NoteRecord).where(NoteRecord.order_id == order.id, NoteRecord.note_id < 0)
        ).all()
        assert (note.text, note.author, note.customer_visible) == (
            "Packed on shelf B2",
            PENDING_NOTE_AUTHOR,
            True,
        )
    with env.client() as market:
        assert outbox.send_due(market).sent == [entry_id]
    assert server_notes(env, order.id, "Packed on shelf B2") == 1
    with env.cache.session() as session:
        notes = session.scalars(select(NoteRecord).where(NoteRecord.order_id == order.id)).all()
    assert [n.customer_visible for n in notes if n.text.endswith("Packed on shelf B2")] == [True]
    assert all(n.note_id > 0 for n in notes)  # the provisional note gave way to the real one


def test_message_to_the_admin(env: Env) -> None:
    outbox = make_outbox(env)
    entry_id = outbox.enqueue(OutboxKind.MESSAGE_ADMIN, None, {"message": "Please call me"})
    with env.client() as market:
        report = outbox.send_due(market)
    assert report.sent == [entry_id] and report.refreshed == []
    assert server_direct_messages(env, "Please call me") == 1


def test_a_message_about_an_order_keeps_the_order_but_waits_for_none(env: Env) -> None:
    order = to_ship(env)[0]
    outbox = make_outbox(env)
    # A change of the order the marketplace refuses (an unknown item) holds up the order...
    refused = outbox.enqueue(
        OutboxKind.TRACKING,
        order.id,
        {"item_ids": [999_999], "code": "BAD1", "url": "https://t.example/BAD1"},
    )
    with env.client() as market:
        outbox.send_due(market)
    assert outbox.get(refused).state is OutboxState.FAILED
    # ...but not a message to the admin about it, which still says which order it is about.
    message = outbox.enqueue(
        OutboxKind.MESSAGE_ADMIN,
        None,
        {"message": "About the refused one", "about_order_id": order.id},
    )
    with env.client() as market:
        report = outbox.send_due(market)
    assert report.sent == [message]
    entry = outbox.get(message)
    assert entry.order_id is None and entry.about_order_id == order.id
    assert entry.payload == {"message": "About the refused one", "about_order_id": order.id}
    assert server_direct_messages(env, "About the refused one") == 1
    for bad in ("19", 0, True):
        with pytest.raises(ValueError):
            outbox.enqueue(OutboxKind.MESSAGE_ADMIN, None, {"message": "x", "about_order_id": bad})


def test_malformed_payloads_are_refused_before_anything_is_written(env: Env) -> None:
    outbox = make_outbox(env)
    order = to_ship(env)[0]
    with pytest.raises(ValueError):
        outbox.enqueue(OutboxKind.TRACKING, order.id, {"item_ids": [], "code": "X", "url": "u"})
    with pytest.raises(ValueError):
        outbox.enqueue(OutboxKind.NOTE, None, {"text": "x"})
    with pytest.raises(ValueError):
        outbox.enqueue(OutboxKind.MESSAGE_ADMIN, order.id, {"message": "x"})
    assert outbox.entries() == []


# ================================================================ offline and uncertainty
def test_offline_actions_wait_then_go_out_once_each_in_order(env: Env) -> None:
    order = to_ship(env)[0]
    items = shippable_ids(order)
    outbox = make_outbox(env)
    note = outbox.enqueue(OutboxKind.NOTE, order.id, {"text": "Offline note", "kind": "private"})
    ship = outbox.enqueue(
        OutboxKind.TRACKING,
        order.id,
        {"item_ids": items, "code": "OFF1", "url": "https://t.example/OFF1"},
    )
    done = outbox.enqueue(OutboxKind.COMPLETE, order.id, {})
    message = outbox.enqueue(OutboxKind.MESSAGE_ADMIN, None, {"message": "Sent while offline"})

    with offline_client(env) as market:
        report = outbox.send_due(market, now=T0)
    assert report.offline and report.deferred == [note]
    assert report.waiting == [ship, done, message]
    assert [e.state for e in outbox.pending()] == [OutboxState.PENDING] * 4
    entry = outbox.get(note)
    assert entry.attempts == 1 and entry.next_attempt_at == T0 + timedelta(seconds=1)
    assert "could not be reached" in entry.last_error
    assert cached(env, order.id).vendor_status == OrderStatus.COMPLETED  # still shown

    with offline_client(env) as market:  # still offline: backed off further
        outbox.send_due(market, now=T0 + timedelta(seconds=2))
    assert outbox.get(note).attempts == 2
    assert outbox.get(note).next_attempt_at == T0 + timedelta(seconds=4)

    with env.client() as market:  # back online: the admin queue goes, the order's is not due
        report = outbox.send_due(market, now=T0 + timedelta(seconds=3))
    assert report.sent == [message] and report.waiting == [note, ship, done]
    with env.client() as market:
        report = outbox.send_due(market, now=LATER)
    assert report.sent == [note, ship, done]
    assert server_notes(env, order.id, "Offline note") == 1
    assert shipment_mails(env) == len(items)
    assert server_vendor_status(env, order.id) == {"completed"}  # complete went after tracking
    assert server_direct_messages(env, "Sent while offline") == 1
    assert outbox.pending() == []
    with env.client() as market:
        assert outbox.send_due(market, now=LATER) == type(report)()  # nothing left to do


def test_connection_reset_on_the_write_is_checked_then_sent_once(env: Env) -> None:
    order = to_ship(env)[0]
    outbox = make_outbox(env)
    entry_id = outbox.enqueue(OutboxKind.NOTE, order.id, {"text": "Reset note", "kind": "private"})
    env.sim.inject_fault("reset", r"/orders/note/", method="POST", times=1)
    with env.client() as market:
        report = outbox.send_due(market, now=T0)
    assert report.uncertain == [entry_id]
    assert outbox.get(entry_id).state is OutboxState.UNCERTAIN
    assert server_notes(env, order.id, "Reset note") == 0
    with env.client() as market:
        report = outbox.send_due(market, now=LATER)
    assert report.sent == [entry_id] and report.confirmed == []
    assert server_notes(env, order.id, "Reset note") == 1


@pytest.mark.parametrize("kind", ["note", "tracking", "status", "message"])
def test_dropped_after_the_write_is_found_and_not_sent_again(env: Env, kind: str) -> None:
    order = to_ship(env)[0]
    items = shippable_ids(order)
    outbox = make_outbox(env)
    if kind == "note":
        entry_id = outbox.enqueue(
            OutboxKind.NOTE, order.id, {"text": "Dropped note", "kind": "private"}
        )
        route, method = r"/orders/note/", "POST"
    elif kind == "tracking":
        entry_id = outbox.enqueue(
            OutboxKind.TRACKING,
            order.id,
            {"item_ids": items, "code": "DR1", "url": "https://t.example/DR1"},
        )
        route, method = r"/shipment_tracking", "POST"
    elif kind == "status":
        entry_id = outbox.enqueue(OutboxKind.SET_STATUS, order.id, {"status": "on-hold"})
        route, method = rf"/orders/{order.id}", "PUT"
    else:
        entry_id = outbox.enqueue(OutboxKind.MESSAGE_ADMIN, None, {"message": "Dropped message"})
        route, method = r"admin-ajax", "POST"
    env.sim.inject_fault("apply_then_drop", route, method=method, times=1)
    with env.client() as market:
        assert outbox.send_due(market, now=T0).uncertain == [entry_id]
    env.sim.clear_mails()
    with env.client() as market:
        report = outbox.send_due(market, now=LATER)
    assert report.confirmed == [entry_id] and report.sent == []
    assert outbox.get(entry_id).state is OutboxState.SENT
    if kind == "note":
        assert server_notes(env, order.id, "Dropped note") == 1
    elif kind == "tracking":
        assert shipment_mails(env) == 0  # not marked shipped a second time
        assert item_meta(env, order.id, items[0])["wcfm_tracking_code"] == "DR1"
    elif kind == "status":
        assert server_vendor_status(env, order.id) == {"on-hold"}
        assert server_notes(env, order.id, "status updated to <b>On hold") <= len(order.items)
    else:
        assert server_direct_messages(env, "Dropped message") == 1


def test_same_note_text_again_is_not_mistaken_for_the_dropped_one(env: Env) -> None:
    order = to_ship(env)[0]
    outbox = make_outbox(env)
    first = outbox.enqueue(OutboxKind.NOTE, order.id, {"text": "Same words", "kind": "private"})
    with env.client() as market:
        assert outbox.send_due(market).sent == [first]
    second = outbox.enqueue(OutboxKind.NOTE, order.id, {"text": "Same words", "kind": "private"})
    env.sim.inject_fault("reset", r"/orders/note/", method="POST", times=1)
    with env.client() as market:
        assert outbox.send_due(market, now=T0).uncertain == [second]
        assert outbox.send_due(market, now=LATER).sent == [second]  # the old note doesn't count
    assert server_notes(env, order.id, "Same words") == 2


# ============================================================================ refusals
def test_permanent_refusal_fails_rolls_back_and_holds_the_order(env: Env) -> None:
    env.sim.set_edition("free")
    order = to_ship(env)[0]
    items = shippable_ids(order)
    before = cached(env, order.id)
    outbox = make_outbox(env)
    note = outbox.enqueue(OutboxKind.NOTE, order.id, {"text": "Free note", "kind": "private"})
    ship = outbox.enqueue(
        OutboxKind.TRACKING,
        order.id,
        {"item_ids": items, "code": "FR1", "url": "https://t.example/FR1"},
    )
    with env.client() as market:
        report = outbox.send_due(market, now=T0)
    assert report.failed == [note] and report.waiting == [ship]
    failed = outbox.get(note)
    assert failed.state is OutboxState.FAILED
    assert "does not allow adding notes" in failed.last_error  # the client's plain words
    with env.cache.session() as session:
        assert not session.scalars(select(NoteRecord).where(NoteRecord.note_id < 0)).all()
    assert cached(env, order.id).vendor_status == OrderStatus.SHIPPED  # tracking still pending
    assert [f["state"] for f in flags(env, order.id)] == ["failed", "pending"]

    outbox.discard(note)
    with env.client() as market:
        report = outbox.send_due(market, now=T0)
    assert report.failed == [ship]  # free edition: tracking is a silent no-op, detected
    assert "WCFM Ultimate" in outbox.get(ship).last_error
    after = cached(env, order.id)
    assert after.vendor_status == before.vendor_status
    assert [i.tracking_code for i in after.items] == [i.tracking_code for i in before.items]
    with env.cache.session() as session:
        row = session.get(OrderRecord, (env.account_id, order.id))
        assert row is not None and row.status_group == "to_ship"
    assert server_vendor_status(env, order.id) == {"processing"}

    # the vendor fixes things (Ultimate installed) and retries: applied again, then sent
    env.sim.set_edition("ultimate")
    outbox.retry(ship)
    assert cached(env, order.id).vendor_status == OrderStatus.SHIPPED
    with env.client() as market:
        assert outbox.send_due(market, now=T0).sent == [ship]
    assert server_vendor_status(env, order.id) == {"shipped"}


def test_refused_status_fails_with_the_marketplaces_words(env: Env) -> None:
    order = to_ship(env)[0]
    outbox = make_outbox(env)
    entry_id = outbox.enqueue(OutboxKind.SET_STATUS, order.id, {"status": "refunded"})
    with env.client() as market:
        assert outbox.send_due(market).failed == [entry_id]
    assert "refund request" in outbox.get(entry_id).last_error
    assert cached(env, order.id).vendor_status == OrderStatus.PROCESSING
    with pytest.raises(OutboxError):
        outbox.discard(outbox.entries([OutboxState.FAILED])[0].id + 1000)


def test_transient_server_error_backs_off_and_the_order_waits(env: Env) -> None:
    first, second = to_ship(env)[:2]
    outbox = make_outbox(env)
    ship = outbox.enqueue(
        OutboxKind.TRACKING,
        first.id,
        {"item_ids": shippable_ids(first), "code": "TS1", "url": "https://t.example/TS1"},
    )
    done = outbox.enqueue(OutboxKind.COMPLETE, first.id, {})
    other = outbox.enqueue(OutboxKind.COMPLETE, second.id, {})
    env.sim.inject_fault(  # no Retry-After: the outbox's own back-off
        "unavailable", r"/shipment_tracking", method="POST", times=3, retry_after=""
    )
    with env.client() as market:
        report = outbox.send_due(market, now=T0)
    assert report.deferred == [ship] and report.waiting == [done] and report.sent == [other]
    assert not report.offline
    assert server_vendor_status(env, first.id) == {"processing"}  # complete held back
    delays = []
    for _ in range(2):
        now = outbox.get(ship).next_attempt_at
        assert now is not None
        delays.append(now)
        with env.client() as market:
            outbox.send_due(market, now=now)
    assert outbox.get(ship).attempts == 3
    assert outbox.get(ship).next_attempt_at == delays[-1] + timedelta(seconds=4)
    with env.client() as market:
        report = outbox.send_due(market, now=LATER)
    assert report.sent == [ship, done]
    assert server_vendor_status(env, first.id) == {"completed"}


# ================================================================= crash and roll-back
@pytest.mark.parametrize("landed", [True, False])
def test_crash_while_sending_is_checked_after_restart(env: Env, landed: bool) -> None:
    order = to_ship(env)[0]
    entry_id = make_outbox(env).enqueue(
        OutboxKind.NOTE, order.id, {"text": "Crash note", "kind": "private"}
    )
    # The app died after marking the entry "sending" (and remembering the note baseline),
    # with or without the request reaching the marketplace.
    with env.client() as market:
        baseline = max((note.id for note in market.list_notes(order.id)), default=0)
        if landed:
            market.add_note(order.id, "Crash note", "private")  # type: ignore[arg-type]
    with env.cache.session(write=True) as session:
        session.execute(
            update(OutboxRecord)
            .where(OutboxRecord.id == entry_id)
            .values(state="sending", attempts=1, check_json=json.dumps({"baseline": baseline}))
        )
    env.cache.close()
    env.cache = open_cache(env.data_dir)  # the app starts again

    outbox = make_outbox(env)
    assert outbox.get(entry_id).state is OutboxState.UNCERTAIN
    with env.client() as market:
        report = outbox.send_due(market)
    assert (report.confirmed if landed else report.sent) == [entry_id]
    assert server_notes(env, order.id, "Crash note") == 1


def test_discarding_rolls_back_under_later_changes(env: Env) -> None:
    order = to_ship(env)[0]
    items = shippable_ids(order)
    outbox = make_outbox(env)
    ship = outbox.enqueue(
        OutboxKind.TRACKING,
        order.id,
        {"item_ids": items, "code": "RB1", "url": "https://t.example/RB1"},
    )
    done = outbox.enqueue(OutboxKind.COMPLETE, order.id, {})
    assert cached(env, order.id).vendor_status == OrderStatus.COMPLETED

    outbox.discard(ship)  # the completion stays, the tracking goes
    shown = cached(env, order.id)
    assert shown.vendor_status == OrderStatus.COMPLETED
    assert all(not item.has_tracking for item in shown.items)
    assert [f["id"] for f in flags(env, order.id)] == [done]

    outbox.discard(done)
    shown = cached(env, order.id)
    assert shown.vendor_status == OrderStatus.PROCESSING
    with env.cache.session() as session:
        row = session.get(OrderRecord, (env.account_id, order.id))
        assert row is not None and row.fingerprint != "" and row.status_group == "to_ship"
        codes = session.scalars(
            select(LineItemRecord.tracking_code).where(LineItemRecord.order_id == order.id)
        ).all()
    assert set(codes) == {""}
    assert flags(env, order.id) == []
    assert [e.state for e in outbox.entries()] == [OutboxState.DISCARDED] * 2
    with pytest.raises(OutboxError):
        outbox.discard(done)


def test_sync_rewrite_then_reapply_keeps_pending_changes_visible(env: Env) -> None:
    order = to_ship(env)[0]
    outbox = make_outbox(env)
    outbox.enqueue(OutboxKind.COMPLETE, order.id, {})
    outbox.enqueue(OutboxKind.NOTE, order.id, {"text": "Still pending", "kind": "private"})
    # The marketplace's copy replaces the optimistic one; the sync puts the pending change back
    # on top in the same transaction.
    env.syncer().refresh_order(order.id)
    assert cached(env, order.id).vendor_status == OrderStatus.COMPLETED
    env.syncer().reconcile()
    assert cached(env, order.id).vendor_status == OrderStatus.COMPLETED
    outbox.reapply([order.id])
    assert cached(env, order.id).vendor_status == OrderStatus.COMPLETED
    outbox.reapply()  # idempotent
    with env.cache.session() as session:
        provisional = session.scalars(select(NoteRecord).where(NoteRecord.note_id < 0)).all()
    assert [note.text for note in provisional] == ["Still pending"]
    # and the roll-back still restores the marketplace's values
    outbox.discard(outbox.entries()[0].id)
    assert cached(env, order.id).vendor_status == OrderStatus.PROCESSING


def test_a_refused_password_keeps_the_change_waiting(env: Env) -> None:
    order = to_ship(env)[0]
    outbox = make_outbox(env)
    entry = outbox.enqueue(OutboxKind.COMPLETE, order.id, {})
    signed_out = WcfmMarketplace(env.sim.base_url, env.login, "not-the-password", settings=FAST)
    report = outbox.send_due(signed_out)
    assert report.signed_out and entry in report.deferred and not report.failed
    assert outbox.get(entry).state is OutboxState.PENDING
    assert cached(env, order.id).vendor_status == OrderStatus.COMPLETED  # still shown
    assert env.sim.order_snapshot(order.id)["commissions"][0]["commission_status"] != "completed"
    with env.client() as market:  # the vendor signs in again
        report = outbox.send_due(market, now=T0 + timedelta(hours=1))
    assert report.sent == [entry]
