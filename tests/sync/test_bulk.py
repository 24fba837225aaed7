"""Bulk actions: each order checked and queued on its own, one summary, against the simulator."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from vendor_desk.sync.bulk import BulkAction, bulk_apply
from vendor_desk.sync.outbox import Outbox, OutboxState
from vendor_desk.sync.shipping import ShipProblemCode, load_local, shipment_label

from .conftest import Env, make_env
from .placed_orders import place_and_cache


@pytest.fixture
def env(tmp_path: Path) -> Iterator[Env]:
    for built in make_env(tmp_path, orders=20):
        built.syncer().first_sync()
        yield built


def vendor_status(env: Env, order_id: int) -> set[str]:
    vendor_id = next(u["id"] for u in env.sim.users if u["login"] == env.login)
    rows = env.sim.order_snapshot(order_id)["commissions"]
    return {row["commission_status"] for row in rows if row["vendor_id"] == vendor_id}


def test_ship_without_tracking_then_complete_many_orders(env: Env) -> None:
    first = place_and_cache(env, shippable=1).order
    second = place_and_cache(env, shippable=2).order
    unpaid = place_and_cache(env, shippable=1, status="pending").order
    outbox = Outbox(env.cache, env.account_id)

    # Completing before shipping: every order refused, with its reason.
    early = bulk_apply(outbox, [first.id, second.id], BulkAction.COMPLETE)
    assert early.queued == [] and len(early.refused) == 2
    assert all("Ship your items first" in o.reason for o in early.refused)

    ship = bulk_apply(
        outbox, [first.id, second.id, unpaid.id, 987654, first.id], BulkAction.SHIP_NO_TRACKING
    )
    assert [o.order_id for o in ship.queued] == [first.id, second.id]
    refused = {o.order_id: o.problems[0].code for o in ship.refused}
    assert refused == {
        unpaid.id: ShipProblemCode.ORDER_NOT_SHIPPABLE,
        987654: ShipProblemCode.UNKNOWN_ORDER,
    }
    assert "2 queued, 2 refused." in ship.text() and "#987654" in ship.text()
    for order in (first, second):
        assert shipment_label(order, load_local(outbox, order.id)) == "shipped · no tracking"

    done = bulk_apply(outbox, [first.id, second.id, unpaid.id], BulkAction.COMPLETE)
    assert [o.order_id for o in done.queued] == [first.id, second.id]
    with env.client() as market:
        report = outbox.send_due(market)
    assert sorted(report.sent) == sorted(ship.entry_ids + done.entry_ids)
    assert vendor_status(env, first.id) == vendor_status(env, second.id) == {"completed"}
    assert vendor_status(env, unpaid.id) == {"pending"}


def test_the_same_note_on_many_orders_and_an_empty_note(env: Env) -> None:
    orders = [place_and_cache(env, shippable=1).order for _ in range(3)]
    outbox = Outbox(env.cache, env.account_id)
    summary = bulk_apply(outbox, [o.id for o in orders], BulkAction.NOTE, note="Back on Monday")
    assert len(summary.entry_ids) == 3 and not summary.refused
    with env.client() as market:
        outbox.send_due(market)
    assert all(outbox.get(i).state is OutboxState.SENT for i in summary.entry_ids)
    with env.sim.state.lock:
        for order in orders:
            notes = env.sim.state.notes[order.id]
            assert sum("Back on Monday" in n.content and not n.customer_note for n in notes) == 1
    empty = bulk_apply(outbox, [orders[0].id], BulkAction.NOTE, note="  ")
    assert [o.problems[0].code for o in empty.refused] == [ShipProblemCode.EMPTY_NOTE]
