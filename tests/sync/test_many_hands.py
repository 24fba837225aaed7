"""Many hands on one marketplace, over real HTTP: two desks of one vendor (two data folders,
two caches), two senders on one data folder, and a slow marketplace still working on a request
the app gave up on. Nothing lands twice, nothing is overwritten without the vendor's say, and an
order never goes backwards as a side effect.

The recorded shop: vendor_a's order 19 (processing) holds items 3 (Alpha Mug) and 4 (Alpha
T-Shirt), which ship, and 5 (an e-book).
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from vendor_desk.cache import Cache, add_account, open_cache
from vendor_desk.cache.store import load_orders
from vendor_desk.domain import Order, OrderStatus
from vendor_desk.marketplace import WcfmMarketplace
from vendor_desk.sandbox.server import Simulator
from vendor_desk.sync import Syncer
from vendor_desk.sync.conflicts import ConflictReason, Decision
from vendor_desk.sync.outbox import UNCERTAIN_GRACE, Outbox, OutboxKind, OutboxState
from vendor_desk.sync.shipping import queue_completion, queue_note, queue_shipment, tracked_parcel

from .conftest import FAST

LOGIN, PASSWORD = "vendor_a", "vendor_a-pass-123"
T0 = datetime(2030, 1, 1, 12, tzinfo=UTC)
TRACKING_POST = r"/orders/shipment_tracking"


class Clock:
    """A clock the test moves (the outbox's "now")."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


@dataclass
class Desk:
    """One desk: its own data folder and cache, synced from the marketplace."""

    sim: Simulator
    cache: Cache
    account_id: int
    clock: Clock

    def client(self, **settings: float) -> WcfmMarketplace:
        http = dataclasses.replace(FAST, **settings)
        return WcfmMarketplace(self.sim.base_url, LOGIN, PASSWORD, settings=http)

    def outbox(self, **options: object) -> Outbox:
        return Outbox(self.cache, self.account_id, clock=self.clock, **options)  # type: ignore[arg-type]

    def order(self, order_id: int = 19) -> Order:
        with self.cache.session() as session:
            return load_orders(session, self.account_id, [order_id])[order_id]

    def send(self, outbox: Outbox | None = None) -> object:
        with self.client() as market:
            return (outbox or self.outbox()).send_due(market)

    def ship(self, code: str, item_ids: tuple[int, ...] = (3, 4)) -> int:
        order = self.order()
        parcel = tracked_parcel(order, "colissimo", code, item_ids=item_ids)
        [entry_id] = queue_shipment(self.outbox(), order, [parcel]).entry_ids
        return entry_id


@pytest.fixture
def sim() -> Iterator[Simulator]:
    with Simulator(dataset="recorded") as simulator:
        yield simulator


@pytest.fixture
def desk_factory(sim: Simulator, tmp_path: Path) -> Iterator[Callable[[str], Desk]]:
    caches: list[Cache] = []

    def make(name: str) -> Desk:
        cache = open_cache(tmp_path / name)
        caches.append(cache)
        with cache.session() as session:
            account_id = add_account(session, sim.base_url, LOGIN, "Alpha Goods", 2, "jwt")
        desk = Desk(sim, cache, account_id, Clock())
        with desk.client() as market:
            Syncer(cache, account_id, market).sync()
        return desk

    yield make
    for cache in caches:
        cache.close()


def item_tracking(sim: Simulator, order_id: int = 19) -> dict[int, str]:
    """The tracking code on each item of the order, as the marketplace stores it."""
    items = sim.order_snapshot(order_id)["items"]
    return {
        item["id"]: dict(item["meta"]).get("wcfm_tracking_code", "")
        for item in items
        if item["id"] in (3, 4)
    }


def server_notes(sim: Simulator, text: str, order_id: int = 19) -> list[str]:
    with sim.state.lock:
        return [n.content for n in sim.state.notes.get(order_id, []) if text in n.content]


def vendor_status(sim: Simulator, order_id: int = 19) -> set[str]:
    rows = sim.order_snapshot(order_id)["commissions"]
    return {row["commission_status"] for row in rows if row["vendor_id"] == 2}


def wait_until(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


# ======================================================== §1 the first attempt may still land
def test_a_retry_waits_while_the_first_attempt_may_still_land(
    sim: Simulator, desk_factory: Callable[[str], Desk]
) -> None:
    """The marketplace takes 3 s to store the tracking; the app gives up after 1 s. Retrying
    at once must not check (the check would find nothing yet) nor send again: once the grace is
    over, the check finds the tracking and nothing is sent twice."""
    desk = desk_factory("desk")
    box = desk.outbox()
    entry_id = desk.ship("6A11111111111")
    sim.inject_fault("delay", TRACKING_POST, method="POST", delay=3.0)
    with desk.client(read_timeout=1.0) as slow:
        report = box.send_due(slow)
    assert report.uncertain == [entry_id]
    entry = box.get(entry_id)
    assert entry.check_after == T0 + UNCERTAIN_GRACE and entry.attempt_at == T0
    assert "tracking e-mails" in entry.may_have_reached

    # The vendor insists at once (the window's "Send now", the command line's --retry).
    box.retry(entry_id)
    desk.clock.advance(timedelta(seconds=2))
    with desk.client() as market:
        report = box.send_due(market)
    assert entry_id in report.waiting and not report.sent and not report.confirmed
    assert box.get(entry_id).state is OutboxState.UNCERTAIN
    # Meanwhile the marketplace finishes the first request.
    wait_until(lambda: set(item_tracking(sim).values()) == {"6A11111111111"})

    desk.clock.advance(UNCERTAIN_GRACE)
    with desk.client() as market:
        report = box.send_due(market)
    assert report.confirmed == [entry_id] and not report.sent
    # One "shipped" note per item, as for a single send: nothing landed twice.
    assert len(server_notes(sim, "6A11111111111")) == 2


def test_a_lost_request_is_sent_again_once_its_grace_is_over(
    sim: Simulator, desk_factory: Callable[[str], Desk]
) -> None:
    desk = desk_factory("desk")
    box = desk.outbox()
    entry_id = desk.ship("6A22222222222")
    sim.inject_fault("reset", TRACKING_POST, method="POST")  # never reached the marketplace
    assert desk.send(box).uncertain == [entry_id]  # type: ignore[attr-defined]
    desk.clock.advance(UNCERTAIN_GRACE + timedelta(seconds=1))
    report = desk.send(box)
    assert report.sent == [entry_id]  # type: ignore[attr-defined]
    assert set(item_tracking(sim).values()) == {"6A22222222222"}
    assert len(server_notes(sim, "6A22222222222")) == 2


# ============================================================ §2 one sender per account
def test_one_sender_at_a_time_never_takes_over_a_live_entry(
    sim: Simulator, desk_factory: Callable[[str], Desk]
) -> None:
    """Two senders on one data folder (two Outbox objects: two locks, as two processes have):
    while the first is sending a slow note, the second starts, finds it busy, leaves its entry
    alone (it must not become "uncertain" and be checked too early), then takes its turn."""
    desk = desk_factory("desk")
    first = desk.outbox(sender="Vendor Desk's window")
    note_a = queue_note(first, desk.order(), "Packed by the first desk")
    sim.inject_fault("delay", r"/orders/note/19", method="POST", delay=2.0)
    done = threading.Event()

    def send_first() -> None:
        desk.send(first)
        done.set()

    worker = threading.Thread(target=send_first)
    worker.start()
    wait_until(lambda: first.get(note_a).state is OutboxState.SENDING)
    second = desk.outbox(sender="vendor-desk note")  # a second process starts: no take-over
    assert first.get(note_a).state is OutboxState.SENDING
    note_b = queue_note(second, desk.order(), "Checked by the second desk")
    report = desk.send(second)
    assert report.busy is not None and "window" in report.busy.describe()  # type: ignore[attr-defined]
    assert not report.sent and first.get(note_a).state is OutboxState.SENDING  # type: ignore[attr-defined]
    worker.join(10)
    assert done.is_set() and first.get(note_a).state is OutboxState.SENT
    with desk.client() as market:
        report = second.send_due(market, wait=5.0)  # its turn
    assert report.sent == [note_b]
    assert len(server_notes(sim, "Packed by the first desk")) == 1
    assert len(server_notes(sim, "Checked by the second desk")) == 1


# =================================================== §3 never overwrite what changed since
def test_tracking_over_another_desks_tracking_waits_for_the_vendor(
    sim: Simulator, desk_factory: Callable[[str], Desk]
) -> None:
    desk_a, desk_b = desk_factory("a"), desk_factory("b")  # both synced: no tracking yet
    sent_a = desk_a.ship("6AAAAAAAAAAAA")
    assert desk_a.send().sent == [sent_a]  # type: ignore[attr-defined]
    box_b = desk_b.outbox()
    entry_b = desk_b.ship("6ABBBBBBBBBBB")  # B's cache has not seen A's tracking
    report = desk_b.send(box_b)
    assert report.decide == [entry_b] and not report.sent  # type: ignore[attr-defined]
    entry = box_b.get(entry_b)
    assert entry.state is OutboxState.NEEDS_DECISION and entry.conflict is not None
    assert entry.conflict.reason is ConflictReason.TRACKING_ELSEWHERE
    assert {t["code"] for t in entry.conflict.theirs["tracking"].values()} == {"6AAAAAAAAAAAA"}
    assert entry.conflict.mine["code"] == "6ABBBBBBBBBBB"
    # Nothing sent: the marketplace and the customer have A only; desk B now shows A.
    assert set(item_tracking(sim).values()) == {"6AAAAAAAAAAAA"}
    assert server_notes(sim, "6ABBBBBBBBBBB") == []
    assert {i.tracking_code for i in desk_b.order().items if i.item_id in (3, 4)} == {
        "6AAAAAAAAAAAA"
    }
    # It holds up the order's later changes until decided.
    later = queue_note(box_b, desk_b.order(), "after the conflict")
    assert later in desk_b.send(box_b).waiting  # type: ignore[attr-defined]

    box_b.decide(entry_b, Decision.KEEP_THEIRS)
    assert box_b.get(entry_b).state is OutboxState.DISCARDED
    assert desk_b.send(box_b).sent == [later]  # type: ignore[attr-defined]
    assert set(item_tracking(sim).values()) == {"6AAAAAAAAAAAA"}


def test_replace_sends_mine_over_theirs_add_parcel_keeps_both(
    sim: Simulator, desk_factory: Callable[[str], Desk]
) -> None:
    desk_a, desk_b, desk_c = desk_factory("a"), desk_factory("b"), desk_factory("c")
    desk_a.ship("6AAAAAAAAAAAA")
    desk_a.send()
    box_b = desk_b.outbox()
    entry_b = desk_b.ship("6ABBBBBBBBBBB")
    desk_b.send(box_b)
    box_b.decide(entry_b, Decision.REPLACE)
    assert desk_b.send(box_b).sent == [entry_b]  # type: ignore[attr-defined]
    assert set(item_tracking(sim).values()) == {"6ABBBBBBBBBBB"}

    box_c = desk_c.outbox()  # C still saw no tracking at all
    entry_c = desk_c.ship("6ACCCCCCCCCCC")
    desk_c.send(box_c)
    assert box_c.get(entry_c).state is OutboxState.NEEDS_DECISION
    parcel = box_c.decide(entry_c, Decision.ADD_PARCEL)
    assert parcel is not None and box_c.get(parcel).kind is OutboxKind.LOCAL_SHIPMENT
    assert desk_c.send(box_c).sent == [parcel]  # type: ignore[attr-defined]
    # The marketplace keeps B on the items; C's parcel is told in a private note.
    assert set(item_tracking(sim).values()) == {"6ABBBBBBBBBBB"}
    assert server_notes(sim, "Also shipped in another parcel: tracking 6ACCCCCCCCCCC")


def test_tracking_never_takes_a_completed_order_back_to_shipped(
    sim: Simulator, desk_factory: Callable[[str], Desk]
) -> None:
    desk_a, desk_b = desk_factory("a"), desk_factory("b")
    box_a = desk_a.outbox()
    desk_a.ship("6AAAAAAAAAAAA")
    queue_completion(box_a, desk_a.order())
    desk_a.send(box_a)
    assert vendor_status(sim) == {"completed"}
    box_b = desk_b.outbox()
    entry_b = desk_b.ship("6ABBBBBBBBBBB")
    report = desk_b.send(box_b)
    assert report.decide == [entry_b]  # type: ignore[attr-defined]
    conflict = box_b.get(entry_b).conflict
    assert conflict is not None and conflict.reason is ConflictReason.COMPLETED_ELSEWHERE
    assert Decision.REPLACE not in conflict.choices
    assert vendor_status(sim) == {"completed"}  # not back to shipped
    assert desk_b.order().vendor_status == OrderStatus.COMPLETED
    assert server_notes(sim, "6ABBBBBBBBBBB") == []


def test_when_the_marketplace_cannot_tell_the_vendor_decides(
    sim: Simulator, desk_factory: Callable[[str], Desk]
) -> None:
    """B's tracking request is lost; before B's check, desk A puts other tracking on the items:
    B's may have landed and been overwritten, or never landed — the vendor decides."""
    desk_a, desk_b = desk_factory("a"), desk_factory("b")
    box_b = desk_b.outbox()
    entry_b = desk_b.ship("6ABBBBBBBBBBB")
    sim.inject_fault("reset", TRACKING_POST, method="POST")
    assert desk_b.send(box_b).uncertain == [entry_b]  # type: ignore[attr-defined]
    desk_a.ship("6AAAAAAAAAAAA")
    desk_a.send()
    desk_b.clock.advance(UNCERTAIN_GRACE + timedelta(seconds=1))
    assert desk_b.send(box_b).decide == [entry_b]  # type: ignore[attr-defined]
    entry = box_b.get(entry_b)
    assert entry.conflict is not None
    assert entry.conflict.reason is ConflictReason.OUTCOME_UNKNOWN
    assert set(entry.conflict.choices) == {Decision.SEND_AGAIN, Decision.ARRIVED, Decision.DROP}
    box_b.decide(entry_b, Decision.SEND_AGAIN)
    assert desk_b.send(box_b).sent == [entry_b]  # type: ignore[attr-defined]
    assert set(item_tracking(sim).values()) == {"6ABBBBBBBBBBB"}


def test_a_change_to_an_order_the_admin_trashed_meanwhile_waits(
    sim: Simulator, desk_factory: Callable[[str], Desk]
) -> None:
    desk = desk_factory("desk")
    box = desk.outbox()
    entry_id = desk.ship("6ATRASHED0001")
    sim.trash_order(19)
    assert desk.send(box).decide == [entry_id]  # type: ignore[attr-defined]
    conflict = box.get(entry_id).conflict
    assert conflict is not None and conflict.reason is ConflictReason.CLOSED_ELSEWHERE
    assert conflict.theirs.get("trashed") is True
    assert item_tracking(sim) == {3: "", 4: ""}
