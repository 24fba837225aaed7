"""The Activity panel when a change waits for the vendor (issue 13): two desks over one
simulator — desk A ships an order, desk B (this window's cache, synced before) ships it too —
and an entry whose first attempt may still be under way."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from tests.sync.placed_orders import place
from vendor_desk.cache.store import load_orders
from vendor_desk.domain import Order
from vendor_desk.sandbox.server import Simulator
from vendor_desk.sync import Syncer
from vendor_desk.sync.outbox import Outbox, OutboxState
from vendor_desk.sync.shipping import queue_shipment, tracked_parcel
from vendor_desk.ui.activity_panel import COL_MESSAGE, ActivityPanel

from .conftest import cached_vendor


def to_ship(sim: Simulator, cache: Any, connection: Any) -> Order:
    """A new order to ship, checked out on the marketplace and synced into the cache."""
    order_id = place(sim, connection.login, shippable=2)
    with connection.open_marketplace() as market:
        Syncer(cache, connection.account_id, market).sync()
    with cache.session() as session:
        return load_orders(session, connection.account_id, [order_id])[order_id]


def ship(outbox: Outbox, order: Order, code: str) -> int:
    parcel = tracked_parcel(order, "colissimo", code)
    [entry_id] = queue_shipment(outbox, order, [parcel]).entry_ids
    return entry_id


def test_a_conflict_shows_both_sides_and_the_vendor_decides(
    sim: Simulator, synced: Any, tmp_path: Path, qtbot: Any
) -> None:
    cache_b, connection = synced
    order = to_ship(sim, cache_b, connection)
    other_cache, other = cached_vendor(sim, tmp_path / "desk-a")
    try:
        box_a = Outbox(other_cache, other.account_id)
        ship(box_a, order, "6AAAAAAAAAAAA")
        with other.open_marketplace() as market:
            assert box_a.send_due(market).sent
    finally:
        other_cache.close()

    box_b = Outbox(cache_b, connection.account_id)
    entry_id = ship(box_b, order, "6ABBBBBBBBBBB")
    with connection.open_marketplace() as market:
        assert box_b.send_due(market).decide == [entry_id]

    panel = ActivityPanel(Outbox(cache_b, connection.account_id, recover_sending=False))
    qtbot.addWidget(panel)
    panel.resize(900, 500)
    panel.show()
    assert panel.attention_count == 1 and "1 to decide" in panel.summary.text()
    assert panel.select_entry(entry_id)
    assert panel.decision_box.isVisible()
    text = panel.decision_text.text()
    assert "Not sent" in text and "6AAAAAAAAAAAA" in text and "6ABBBBBBBBBBB" in text
    assert set(panel.decision_buttons) == {"keep-theirs", "replace", "add-parcel"}
    row = panel.model.row_of(entry_id)
    assert row is not None
    assert "Not sent" in panel.model.index(row, COL_MESSAGE).data()
    panel.set_filter("decide")
    assert panel.model.rowCount() == 1

    with qtbot.waitSignal(panel.entries_changed):
        panel.decision_buttons["keep-theirs"].click()
    assert box_b.get(entry_id).state is OutboxState.DISCARDED
    assert panel.attention_count == 0 and not panel.decision_box.isVisible()


def test_an_uncertain_entry_says_what_may_have_reached_the_customer(
    sim: Simulator, synced: Any, qtbot: Any
) -> None:
    cache, connection = synced
    order = to_ship(sim, cache, connection)
    box = Outbox(cache, connection.account_id)
    entry_id = ship(box, order, "6AUNCERTAIN01")
    sim.inject_fault("reset", r"/orders/shipment_tracking", method="POST")
    with connection.open_marketplace() as market:
        assert box.send_due(market).uncertain == [entry_id]
    panel = ActivityPanel(Outbox(cache, connection.account_id, recover_sending=False))
    qtbot.addWidget(panel)
    panel.show()
    assert panel.select_entry(entry_id)
    text = panel.details.text()
    assert "may already have reached the customer" in text and "6AUNCERTAIN01" in text
    assert "checked at" in text  # not before its grace is over
    assert not panel.retry_button.isEnabled()
    entry = box.get(entry_id)
    assert entry.check_after is not None and entry.attempt_at is not None
    assert entry.check_after - entry.attempt_at == timedelta(minutes=5)


def test_the_window_takes_its_turn_when_a_command_is_sending(
    sim: Simulator, window: Any, qtbot: Any, monkeypatch: Any
) -> None:
    """A command in a terminal holds the account's sender lock: the window's send waits, says
    who is sending, and sends once the command is done — no later than shortly after."""
    from vendor_desk.sync.sender_lock import SenderLock
    from vendor_desk.sync.shipping import queue_note
    from vendor_desk.ui import main_window

    monkeypatch.setattr(main_window, "BUSY_RETRY_MS", 300)
    cache, connection = window._cache, window._connection
    order = to_ship(sim, cache, connection)
    box = Outbox(cache, connection.account_id, recover_sending=False)
    note = queue_note(box, order, "Queued while a command sends")
    command = SenderLock(cache.path.parent, connection.account_id, "vendor-desk ship")
    assert command.acquire()
    try:
        assert window.send_now()
        qtbot.waitUntil(
            lambda: "vendor-desk ship (process" in window.sync_label.text(), timeout=5000
        )
        assert box.get(note).state is OutboxState.PENDING
    finally:
        command.release()
    qtbot.waitUntil(lambda: box.get(note).state is OutboxState.SENT, timeout=10000)
