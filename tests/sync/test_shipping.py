"""Shipping through vendor_desk.sync.shipping against the simulator over real HTTP.

Each test places orders of the shape it needs through the simulator's checkout, queues a
shipment with the same functions the window and the command line use, sends the outbox and
looks at what the marketplace stored (item meta, notes, messages) and what the cache shows.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from vendor_desk.cache.store import load_orders
from vendor_desk.domain import Capabilities, Order, OrderStatus
from vendor_desk.domain.carriers import CodeProblem, Parcel, ShipMethod, UrlProblem
from vendor_desk.sync.outbox import Outbox, OutboxKind, OutboxState
from vendor_desk.sync.shipping import (
    ShipmentRefused,
    ShipProblemCode,
    ShipWarning,
    fallback_for,
    load_local,
    local_shipments,
    plan_shipment,
    queue_completion,
    queue_shipment,
    ready_to_complete,
    shipment_label,
    tracked_parcel,
    untracked_parcel,
    use_fallback,
)

from .conftest import Env, make_env
from .placed_orders import Placed, place_and_cache


@pytest.fixture
def env(tmp_path: Path) -> Iterator[Env]:
    for built in make_env(tmp_path, orders=30):
        built.syncer().first_sync()
        yield built


def cached(env: Env, order_id: int) -> Order:
    with env.cache.session() as session:
        return load_orders(session, env.account_id, [order_id])[order_id]


def item_meta(env: Env, order_id: int, item_id: int) -> dict[str, str]:
    items = env.sim.order_snapshot(order_id)["items"]
    return dict(next(item["meta"] for item in items if item["id"] == item_id))


def server_notes(env: Env, order_id: int) -> list[tuple[str, bool]]:
    with env.sim.state.lock:
        return [(n.content, n.customer_note) for n in env.sim.state.notes.get(order_id, [])]


def direct_messages(env: Env) -> list[str]:
    with env.sim.state.lock:
        return [m.message for m in env.sim.state.messages if m.message_type == "direct"]


def vendor_status(env: Env, order_id: int) -> set[str]:
    vendor_id = next(u["id"] for u in env.sim.users if u["login"] == env.login)
    rows = env.sim.order_snapshot(order_id)["commissions"]
    return {row["commission_status"] for row in rows if row["vendor_id"] == vendor_id}


def send(env: Env, outbox: Outbox) -> None:
    with env.client() as market:
        outbox.send_due(market)


def problem_codes(refused: pytest.ExceptionInfo[ShipmentRefused]) -> set[ShipProblemCode]:
    return {problem.code for problem in refused.value.problems}


# ======================================================================== tracked parcels
def test_per_item_parcels_with_presets_and_awkward_urls_arrive_intact(env: Env) -> None:
    placed = place_and_cache(env, shippable=3, country="GB", postcode="SW1A 1AA")
    first, second, third = placed.shippable
    order = placed.order
    awkward = "https://track.example/find?code=ZX-9&ref=a+b%20c&q=50%25#result"
    parcels = [
        tracked_parcel(order, "Royal Mail", "  ab 1234 5678 gb ", item_ids=[first]),
        tracked_parcel(order, "canada-post", "7023-2104", item_ids=[second]),
        tracked_parcel(order, "Other", "ZX-9", awkward, item_ids=[third]),
    ]
    assert (
        parcels[0].url == "https://www.royalmail.com/track-your-item#/tracking-results/AB12345678GB"
    )
    outbox = Outbox(env.cache, env.account_id)
    result = queue_shipment(outbox, order, parcels)
    assert len(result.entry_ids) == 3
    assert [p.kind for p in result.plan.parcels] == [OutboxKind.TRACKING] * 3
    assert outbox.get(result.entry_ids[0]).payload["carrier"] == "royal-mail"
    shown = cached(env, order.id)
    assert shown.vendor_status == OrderStatus.SHIPPED  # at once, before sending
    send(env, outbox)
    assert [outbox.get(i).state for i in result.entry_ids] == [OutboxState.SENT] * 3
    expected = {
        first: ("AB12345678GB", parcels[0].url),
        second: ("7023-2104", parcels[1].url),
        third: ("ZX-9", awkward),
    }
    for item_id, (code, url) in expected.items():
        meta = item_meta(env, order.id, item_id)
        assert meta["wcfm_tracking_code"] == code
        assert meta["wcfm_tracking_url"] == url  # `#`, `&`, `+`, `%` intact
    assert "#/search?searchFor=7023-2104" in expected[second][1]
    assert vendor_status(env, order.id) == {"shipped"}
    after = cached(env, order.id)
    assert {i.item_id: (i.tracking_code, i.tracking_url) for i in after.items} == expected

    # The same shipment again: everything already there, nothing queued.
    with pytest.raises(ShipmentRefused) as again:
        queue_shipment(outbox, after, parcels)
    assert problem_codes(again) == {ShipProblemCode.NOTHING_TO_DO}
    # Another code on a tracked item needs an explicit correction.
    other = [tracked_parcel(after, "dhl", "JD0001112223", item_ids=[first])]
    with pytest.raises(ShipmentRefused) as replaced:
        queue_shipment(outbox, after, other)
    assert problem_codes(replaced) == {ShipProblemCode.HAS_OTHER_TRACKING}
    assert replaced.value.problems[0].item_ids == (first,)
    fixed = queue_shipment(outbox, after, other, replace_tracking=True)
    send(env, outbox)
    assert outbox.get(fixed.entry_ids[0]).state is OutboxState.SENT
    assert item_meta(env, order.id, first)["wcfm_tracking_code"] == "JD0001112223"


def test_postcode_carriers_use_the_ship_to_address(env: Env) -> None:
    placed = place_and_cache(env, shippable=1, country="NL", postcode="1012 ab")
    parcel = tracked_parcel(placed.order, "PostNL", "3SABCD1234567")
    assert parcel.url == "https://jouw.postnl.nl/track-and-trace/3SABCD1234567-NL-1012AB"
    assert parcel.item_ids == placed.shippable


def test_bad_shipments_are_refused_with_every_problem_and_nothing_is_queued(env: Env) -> None:
    placed = place_and_cache(env, shippable=2, virtual=1, foreign=1)
    order = placed.order
    first = placed.shippable[0]
    outbox = Outbox(env.cache, env.account_id)
    parcels = [
        Parcel((first, *placed.virtual), ShipMethod.TRACKED, "other", "ok-1234", "ftp://x/1"),
        Parcel((first, *placed.foreign), ShipMethod.TRACKED, "other", "a b$c", "https://t.x/2"),
        Parcel((), ShipMethod.NO_TRACKING),
    ]
    with pytest.raises(ShipmentRefused) as refused:
        queue_shipment(outbox, order, parcels)
    found = {(p.code, p.parcel, p.field, p.item_ids, p.detail) for p in refused.value.problems}
    assert found == {
        (ShipProblemCode.VIRTUAL_ITEM, 0, "items", placed.virtual, None),
        (ShipProblemCode.BAD_URL, 0, "url", (), UrlProblem.NOT_HTTP),
        (ShipProblemCode.NOT_OWN_ITEM, 1, "items", placed.foreign, None),
        (ShipProblemCode.ITEM_IN_TWO_PARCELS, 1, "items", (first,), None),
        (ShipProblemCode.BAD_CODE, 1, "code", (), CodeProblem.BAD_CHARACTERS),
        (ShipProblemCode.NO_ITEMS, 2, "items", (), None),
    }
    assert refused.value.is_input
    assert "Parcel 2: order" in str(refused.value)
    assert outbox.entries() == []
    assert cached(env, order.id).vendor_status == OrderStatus.PROCESSING
    # Left alone, the foreign item stays untouched on the marketplace too.
    assert "wcfm_tracking_code" not in item_meta(env, order.id, placed.foreign[0])
    # A tracked parcel without a URL and a carrier that builds none.
    with pytest.raises(ShipmentRefused) as no_url:
        queue_shipment(outbox, order, [tracked_parcel(order, "Nobody Express", "XY123456")])
    assert [(p.code, p.detail) for p in no_url.value.problems] == [
        (ShipProblemCode.BAD_URL, UrlProblem.EMPTY)
    ]


def test_an_unpaid_order_cannot_be_shipped_and_completion_waits_for_shipping(env: Env) -> None:
    pending = place_and_cache(env, shippable=1, status="pending").order
    outbox = Outbox(env.cache, env.account_id)
    with pytest.raises(ShipmentRefused) as refused:
        queue_shipment(outbox, pending, [tracked_parcel(pending, "ups", "1Z999AA10123456784")])
    assert problem_codes(refused) == {ShipProblemCode.ORDER_NOT_SHIPPABLE}
    assert not refused.value.is_input

    order = place_and_cache(env, shippable=1).order
    with pytest.raises(ShipmentRefused) as early:
        queue_completion(outbox, order)
    assert problem_codes(early) == {ShipProblemCode.NOT_COMPLETABLE}
    assert "Ship your items first" in str(early.value)
    assert outbox.entries() == []
    virtual_only = place_and_cache(env, shippable=0, virtual=1).order
    assert ready_to_complete(virtual_only, {})


def test_warnings_before_queueing(env: Env) -> None:
    order = place_and_cache(env, shippable=2).order
    free = Capabilities(jwt_available=True, ultimate=False)
    first, second = (item.item_id for item in order.items)
    plan = plan_shipment(
        order,
        [
            tracked_parcel(order, "gls", "GLS12345678", item_ids=[first]),
            untracked_parcel(order, ShipMethod.NO_TRACKING, "La Poste", item_ids=[second]),
        ],
        capabilities=free,
    )
    assert set(plan.warnings) == {
        ShipWarning.NO_TRACKING_RISK,
        ShipWarning.TRACKING_NOT_ON_MARKETPLACE,
        ShipWarning.RECORDED_LOCALLY_ONLY,
        ShipWarning.PAYMENT_NOT_CONFIRMED,  # cash on delivery, not paid yet
    }
    assert plan.payment_warnings and "Cash on delivery" in plan.payment_warnings[-1]
    assert [p.kind for p in plan.parcels] == [OutboxKind.TRACKING, OutboxKind.LOCAL_SHIPMENT]
    assert plan.parcels[1].payload["carrier"] == "colissimo"


# ================================================================ without tracking, pickup
@pytest.mark.parametrize(
    ("method", "label", "words"),
    [
        (ShipMethod.NO_TRACKING, "shipped · no tracking", "Shipped without tracking (Chronopost)"),
        (ShipMethod.PICKUP, "collected", "Collected by the customer (local pickup)"),
    ],
)
def test_untracked_shipment_on_ultimate_is_a_private_note_then_complete(
    env: Env, method: ShipMethod, label: str, words: str
) -> None:
    placed = place_and_cache(env, shippable=2, virtual=1)
    order = placed.order
    outbox = Outbox(env.cache, env.account_id)
    carrier = "chronopost" if method is ShipMethod.NO_TRACKING else ""
    result = queue_shipment(outbox, order, [untracked_parcel(order, method, carrier)])
    [entry_id] = result.entry_ids
    assert outbox.get(entry_id).kind is OutboxKind.LOCAL_SHIPMENT
    # Shown at once: the list's label, and Mark Complete is available.
    local = load_local(outbox, order.id)
    assert shipment_label(order, local) == label
    assert [s.marketplace for s in local_shipments(local)] == ["pending"]
    assert ready_to_complete(order, local)

    send(env, outbox)
    assert outbox.get(entry_id).state is OutboxState.SENT
    notes = [(text, customer) for text, customer in server_notes(env, order.id) if words in text]
    assert len(notes) == 1 and notes[0][1] is False  # private: the customer is not mailed
    names = [item.name for item in order.items if item.item_id in placed.shippable]
    assert all(name in notes[0][0] for name in names)
    local = load_local(outbox, order.id)
    [shipment] = local_shipments(local)
    assert shipment.method is method and shipment.marketplace == "note"
    assert shipment.item_ids == placed.shippable  # not the virtual one
    assert vendor_status(env, order.id) == {"processing"}  # the marketplace has no such status

    refreshed = cached(env, order.id)
    assert shipment_label(refreshed, local) == label
    complete = queue_completion(outbox, refreshed)
    send(env, outbox)
    assert outbox.get(complete).state is OutboxState.SENT
    assert vendor_status(env, order.id) == {"completed"}
    # Already recorded: the same untracked shipment again has nothing to do.
    with pytest.raises(ShipmentRefused):
        plan_shipment(refreshed, [untracked_parcel(refreshed, method)], local=local)


def test_untracked_shipment_on_the_free_edition_is_recorded_locally_only(env: Env) -> None:
    env.sim.set_edition("free")
    order = place_and_cache(env, shippable=1).order
    outbox = Outbox(env.cache, env.account_id)
    [entry_id] = queue_shipment(outbox, order, [untracked_parcel(order)]).entry_ids
    before = len(server_notes(env, order.id))
    with env.client() as market:
        report = outbox.send_due(market)
    assert report.local == [entry_id] and not report.failed and not report.sent
    entry = outbox.get(entry_id)
    assert entry.state is OutboxState.LOCAL and entry.sent_at is None and not entry.last_error
    assert len(server_notes(env, order.id)) == before  # nothing pretends to be on the marketplace
    local = load_local(outbox, order.id)
    assert [s.marketplace for s in local_shipments(local)] == ["local"]
    assert shipment_label(cached(env, order.id), local) == "shipped · no tracking"
    assert ready_to_complete(cached(env, order.id), local)
    assert local.get("outbox") is None  # no pending badge left
    with env.client() as market:  # done: never sent again
        assert outbox.send_due(market).local == []


def test_untracked_shipment_discarded_is_rolled_back(env: Env) -> None:
    order = place_and_cache(env, shippable=1).order
    outbox = Outbox(env.cache, env.account_id)
    [entry_id] = queue_shipment(outbox, order, [untracked_parcel(order)]).entry_ids
    outbox.discard(entry_id)
    local = load_local(outbox, order.id)
    assert local_shipments(local) == [] and shipment_label(order, local) is None
    assert not ready_to_complete(order, local)


def _group(env: Env, order_id: int) -> str:
    from vendor_desk.cache.models import OrderRecord

    with env.cache.session() as session:
        row = session.get(OrderRecord, (env.account_id, order_id))
        assert row is not None
        return row.status_group


def test_untracked_shipment_moves_the_order_out_of_to_ship_for_good(env: Env) -> None:
    """The marketplace still says processing; the list must not keep asking to ship it — also
    after a sync rewrites the order — and a discarded shipment puts it back."""
    order = place_and_cache(env, shippable=2).order
    assert _group(env, order.id) == "to_ship"
    outbox = Outbox(env.cache, env.account_id)
    first, second = (item.item_id for item in order.items if item.shippable is not False)
    queue_shipment(outbox, order, [untracked_parcel(order, item_ids=[first])])
    assert _group(env, order.id) == "to_ship"  # one item is still to ship
    pickup = untracked_parcel(order, ShipMethod.PICKUP, item_ids=[second])
    [rest] = queue_shipment(outbox, cached(env, order.id), [pickup]).entry_ids
    assert _group(env, order.id) == "shipped"
    outbox.discard(rest)
    assert _group(env, order.id) == "to_ship"
    queue_shipment(outbox, cached(env, order.id), [pickup])
    send(env, outbox)
    assert {e.state for e in outbox.entries()} == {OutboxState.SENT, OutboxState.DISCARDED}
    env.sim.set_payout(order.id, "requested")  # the order changes on the marketplace
    result = env.syncer().reconcile()
    assert order.id in result.changed_order_ids
    assert _group(env, order.id) == "shipped"


# ============================================================= free edition: tracking fallback
def test_free_edition_tracking_fails_rolls_back_and_the_fallback_lands(env: Env) -> None:
    env.sim.set_edition("free")
    placed = place_and_cache(env, shippable=2)
    order = placed.order
    outbox = Outbox(env.cache, env.account_id)
    url = "https://track.example/?c=FR777&x=1#top"
    [entry_id] = queue_shipment(
        outbox, order, [tracked_parcel(order, "other", "FR777-1", url)]
    ).entry_ids
    send(env, outbox)
    failed = outbox.get(entry_id)
    assert failed.state is OutboxState.FAILED and failed.lacks_capability
    assert "WCFM Ultimate" in failed.last_error
    shown = cached(env, order.id)
    assert shown.vendor_status == OrderStatus.PROCESSING  # rolled back: nothing shown shipped
    assert not any(item.has_tracking for item in shown.items)
    assert not any(
        i.get("wcfm_tracking_code")
        for i in map(lambda item_id: item_meta(env, order.id, item_id), placed.shippable)
    )

    fallback = fallback_for(outbox, entry_id)
    assert fallback is not None and fallback.code == "FR777-1" and fallback.url == url
    assert f"#{order.number}" in fallback.admin_message and url in fallback.admin_message
    done = use_fallback(outbox, fallback)
    assert outbox.get(entry_id).state is OutboxState.DISCARDED
    send(env, outbox)
    assert done.message_entry_id is not None and done.local_entry_id is not None
    message_entry = outbox.get(done.message_entry_id)
    assert message_entry.state is OutboxState.SENT
    # The message says which order it is about; as an entry it belongs to no order.
    assert message_entry.order_id is None and message_entry.about_order_id == order.id
    assert message_entry.summary.endswith(f"about order #{order.id}")
    assert outbox.get(done.local_entry_id).state is OutboxState.LOCAL
    [message] = [m for m in direct_messages(env) if "FR777-1" in m]
    assert url in message and f"#{order.number}" in message
    local = load_local(outbox, order.id)
    [kept] = local_shipments(local)
    assert (kept.method, kept.code, kept.url) == (ShipMethod.TRACKED, "FR777-1", url)
    assert kept.label == "shipped · tracking not on the marketplace"
    assert ready_to_complete(cached(env, order.id), local)
    # Other entries have no fallback.
    assert fallback_for(outbox, done.message_entry_id) is None


def test_placed_helper_sees_the_other_vendors_item(env: Env) -> None:
    placed: Placed = place_and_cache(env, shippable=1, foreign=1)
    assert placed.foreign and not set(placed.foreign) & placed.order.own_item_ids
