"""What the vendor saw against the marketplace's copy, right before a change is sent: the rules
of :func:`vendor_desk.sync.conflicts.compare` on hand-built orders (the sends themselves, with two
desks over real HTTP, are in test_many_hands.py)."""

from __future__ import annotations

import dataclasses

from tests.domain.test_orders_and_rules import item, order
from vendor_desk.domain import OrderStatus, PayoutState, RefundState
from vendor_desk.sync.conflicts import (
    ConflictReason,
    Decision,
    compare,
    describe,
    snapshot,
)

TRACK = {"item_ids": [1, 2], "code": "B222", "url": "https://t.example/B222"}


def test_tracking_over_another_desks_tracking_is_a_conflict_with_both_sides() -> None:
    seen = snapshot(order(item(1, "10"), item(2, "5")))
    now = order(
        item(1, "10", tracking_code="A111", tracking_url="https://t.example/A111"), item(2, "5")
    )
    verdict = compare("tracking", TRACK, seen, now)
    assert verdict.conflict is not None and not verdict.send
    conflict = verdict.conflict
    assert conflict.reason is ConflictReason.TRACKING_ELSEWHERE
    assert conflict.theirs["tracking"] == {
        "1": {"name": "Item 1", "code": "A111", "url": "https://t.example/A111"}
    }
    assert conflict.mine["code"] == "B222"
    assert conflict.choices == (Decision.KEEP_THEIRS, Decision.REPLACE, Decision.ADD_PARCEL)
    assert "A111" in describe(conflict) and "B222" in describe(conflict)


def test_tracking_the_vendor_saw_is_replaced_knowingly() -> None:
    """Correcting a tracking the vendor saw (theirs unchanged since) is not a conflict."""
    old = order(item(1, "10", tracking_code="A111", tracking_url="https://t.example/A111"))
    assert compare("tracking", {**TRACK, "item_ids": [1]}, snapshot(old), old).send


def test_the_same_tracking_is_already_there() -> None:
    seen = snapshot(order(item(1, "10"), item(2, "5")))
    done = order(
        item(1, "10", tracking_code="B222", tracking_url="https://t.example/B222"),
        item(2, "5", tracking_code="B222", tracking_url="https://t.example/B222"),
    )
    assert compare("tracking", TRACK, seen, done).done


def test_never_back_from_completed_to_shipped() -> None:
    seen = snapshot(order(item(1, "10"), item(2, "5")))
    completed = dataclasses.replace(
        order(item(1, "10", tracking_code="A1", tracking_url="https://t.example/A1"), item(2, "5")),
        vendor_status=OrderStatus.COMPLETED,
    )
    conflict = compare("tracking", TRACK, seen, completed).conflict
    assert conflict is not None and conflict.reason is ConflictReason.COMPLETED_ELSEWHERE
    assert Decision.REPLACE not in conflict.choices
    # even when this desk saw it completed: tracking would set it back to shipped
    assert compare("tracking", TRACK, snapshot(completed), completed).conflict is not None
    # completing it again is done already
    assert compare("complete", {}, seen, completed).done


def test_closed_orders_take_nothing() -> None:
    seen = snapshot(order(item(1, "10")))
    for status in ("cancelled", "refunded", "failed"):
        closed = dataclasses.replace(order(item(1, "10")), main_status=OrderStatus(status))
        for kind, payload in (
            ("tracking", {**TRACK, "item_ids": [1]}),
            ("complete", {}),
            ("refund", {"mode": "full", "lines": [{"item_id": 1, "qty": 1, "amount": "10"}]}),
        ):
            conflict = compare(kind, payload, seen, closed).conflict
            assert conflict is not None and conflict.reason is ConflictReason.CLOSED_ELSEWHERE
            assert conflict.choices == (Decision.KEEP_THEIRS,)


def test_a_status_changed_since_is_a_conflict_the_same_status_is_done() -> None:
    seen = snapshot(order(item(1, "10")))
    held = dataclasses.replace(order(item(1, "10")), vendor_status=OrderStatus.ON_HOLD)
    conflict = compare("set_status", {"status": "processing"}, seen, held).conflict
    assert conflict is not None and conflict.reason is ConflictReason.STATUS_ELSEWHERE
    assert compare("set_status", {"status": "on-hold"}, seen, held).done


def test_refund_requested_or_paid_out_elsewhere() -> None:
    lines = {"mode": "partial", "lines": [{"item_id": 1, "qty": 0, "amount": "2"}]}
    seen = snapshot(order(item(1, "10")))
    asked = order(item(1, "10", refund_state=RefundState.REQUESTED))
    conflict = compare("refund", lines, seen, asked).conflict
    assert conflict is not None and conflict.reason is ConflictReason.REFUND_ELSEWHERE
    assert conflict.choices == (Decision.KEEP_THEIRS, Decision.REPLACE)
    paid = dataclasses.replace(order(item(1, "10")), payout_state=PayoutState.REQUESTED)
    conflict = compare("refund", lines, seen, paid).conflict
    assert conflict is not None and conflict.choices == (Decision.KEEP_THEIRS,)
    assert "store admin" in describe(conflict)
    assert compare("refund", lines, seen, order(item(1, "10"))).send


def test_notes_and_entries_without_a_snapshot() -> None:
    now = order(item(1, "10", tracking_code="A1", tracking_url="https://t.example/A1"))
    assert compare("note", {"text": "hi", "kind": "private"}, None, now).send
    # an entry queued before snapshots existed: only the marketplace's own state is checked
    assert compare("tracking", {**TRACK, "item_ids": [1]}, None, now).conflict is not None
    assert compare("complete", {}, None, order(item(1, "10"))).send


def test_an_order_moved_to_the_trash_since_the_vendor_looked() -> None:
    trash = {"meta_data": [{"id": 1, "key": "_wp_trash_meta_status", "value": "wc-processing"}]}
    seen = snapshot(order(item(1, "10")), {"meta_data": []})
    now = dataclasses.replace(order(item(1, "10")), raw=trash)
    conflict = compare("tracking", {**TRACK, "item_ids": [1]}, seen, now).conflict
    assert conflict is not None and conflict.reason is ConflictReason.CLOSED_ELSEWHERE
    assert conflict.theirs["trashed"] and "trash" in describe(conflict)
    assert conflict.choices == (Decision.KEEP_THEIRS, Decision.REPLACE)
    # restored before the vendor looked: the meta stays, and it was already there
    assert compare("tracking", {**TRACK, "item_ids": [1]}, snapshot(now), now).send
    assert compare("note", {"text": "x", "kind": "private"}, seen, now).send
