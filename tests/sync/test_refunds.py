"""Refund requests against the simulator over real HTTP: the form as the dashboard encodes it
(recorded exchanges 73 and 74), the rules, the outbox's exactly-once sending, and the admin's
decision coming back through the sync."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import parse_qsl

import pytest

from tests.conftest import RECORDED
from vendor_desk.cache import add_account, open_cache
from vendor_desk.cache.refunds import list_refund_requests
from vendor_desk.cache.store import load_orders
from vendor_desk.domain import (
    Money,
    Order,
    RefundLine,
    RefundMode,
    RefundRequestStatus,
    RefundState,
)
from vendor_desk.domain.refunds import RefundProblemCode
from vendor_desk.marketplace import WcfmMarketplace
from vendor_desk.sandbox.server import Simulator
from vendor_desk.sync import Syncer
from vendor_desk.sync.outbox import Outbox, OutboxState
from vendor_desk.sync.refunds import (
    RefundRefused,
    lines_from_text,
    plan_refund,
    queue_refund,
    sync_refund_requests,
)

from .conftest import FAST, Env

T0 = datetime(2030, 1, 1, tzinfo=UTC)
LATER = T0 + timedelta(days=1)


def recorded_body(name: str) -> list[tuple[str, str]]:
    data = json.loads((RECORDED / name).read_text(encoding="utf-8"))
    return parse_qsl(data["request"]["body"], keep_blank_values=True)


@pytest.fixture
def env(tmp_path: Path) -> Iterator[Env]:
    """The recorded shop (orders 19 and 22 as in the recordings), synced into a cache."""
    with Simulator(dataset="recorded") as sim:
        login = "vendor_a"
        password = f"{login}-pass-123"
        cache = open_cache(tmp_path / "data")
        with cache.session() as session:
            account_id = add_account(session, sim.base_url, login, "Alpha", 2, "cookie")
        env = Env(sim, cache, account_id, login, password, tmp_path / "data")
        try:
            with env.client() as market:
                Syncer(cache, account_id, market).sync()
            yield env
        finally:
            cache.close()


def cached(env: Env, order_id: int) -> Order:
    with env.cache.session() as session:
        return load_orders(session, env.account_id, [order_id])[order_id]


def group(env: Env, order_id: int) -> tuple[str, str, bool]:
    from vendor_desk.cache.models import OrderRecord

    with env.cache.session() as session:
        row = session.get(OrderRecord, (env.account_id, order_id))
        assert row is not None
        return row.status_group, row.display_status, row.refund_requested


def server_requests(env: Env, order_id: int) -> list[dict[str, object]]:
    return [r for r in env.sim.refund_requests() if r["order_id"] == order_id]


def usd(text: str) -> Money:
    return Money(Decimal(text), "USD")


def outbox(env: Env) -> Outbox:
    return Outbox(env.cache, env.account_id, clock=lambda: T0)


# ============================================================== the form on the wire
def test_partial_request_is_sent_as_the_dashboard_form(env: Env) -> None:
    order = cached(env, 19)
    lines = lines_from_text(order, [(3, "1", "12,5")])  # typed with a decimal comma
    box = outbox(env)
    entry_id = queue_refund(
        box, order, RefundMode.PARTIAL, lines, "Mug arrived chipped", confirm_unpaid=True
    )
    # Shown at once on the order and the item. Order 19 is processing and its items are not
    # shipped: it stays in "To ship", marked, while the admin decides (not to be forgotten).
    assert group(env, 19) == ("to_ship", "refund-requested", True)
    assert cached(env, 19).item(3).refund_state == RefundState.REQUESTED  # type: ignore[union-attr]
    with env.client() as market:
        report = box.send_due(market, now=T0)
    assert report.sent == [entry_id] and report.refreshed == [19]

    outer = recorded_body("73-ajax-12-refund-request-submit-19-partial.json")
    expected_form = dict(outer)["wcfm_refund_requests_form"]
    assert env.sim.refund_forms() == [expected_form]  # byte for byte, field order included
    [request] = server_requests(env, 19)
    assert (request["item_id"], request["qty"], request["amount"]) == (3, 1, "12.50")
    assert request["status"] == "requested" and request["partial"] is True
    assert group(env, 19) == ("to_ship", "refund-requested", True)  # the marketplace's copy too


def test_full_request_is_sent_as_the_dashboard_form(env: Env) -> None:
    order = cached(env, 22)
    plan = plan_refund(order, RefundMode.FULL, reason="Customer changed mind")
    assert plan.shipping_refunded and plan.total == Money(Decimal("29.97"), "USD")
    assert [(line.item_id, line.quantity) for line in plan.lines] == [(12, 3)]
    box = outbox(env)
    entry_id = queue_refund(box, order, "full", reason="Customer changed mind")
    with env.client() as market:
        assert box.send_due(market, now=T0).sent == [entry_id]
    outer = dict(recorded_body("74-ajax-13-refund-request-submit-22-full.json"))
    assert env.sim.refund_forms() == [outer["wcfm_refund_requests_form"]]
    assert [r["partial"] for r in server_requests(env, 22)] == [False]


# ===================================================================== the rules
def test_rules_are_checked_before_anything_is_queued(env: Env) -> None:
    order = cached(env, 19)
    box = outbox(env)

    def refused(mode: str, lines: list[RefundLine], reason: str = "Sorry") -> set[str]:
        with pytest.raises(RefundRefused) as caught:
            queue_refund(box, order, mode, lines, reason)
        return {p.code.value for p in caught.value.problems}

    assert refused("partial", [RefundLine(3, 0, usd("25.01"))]) == {"amount_too_high"}
    assert refused("partial", [RefundLine(3, 3, usd("0"))]) == {"qty_too_high"}
    assert refused("partial", [RefundLine(3, 0, usd("-1"))]) == {"negative"}
    assert refused("partial", [RefundLine(3, 0, usd("1.005"))]) == {"too_many_decimals"}
    assert refused("partial", [RefundLine(3, 0, usd("0"))]) == {"nothing_chosen"}
    assert refused("partial", [RefundLine(99, 1, usd("1"))]) == {"not_own_item"}
    assert refused("partial", [RefundLine(3, 1, usd("1"))], " ") == {"reason_empty"}
    assert box.entries() == []  # nothing was queued
    assert env.sim.refund_forms() == []


def test_unpaid_order_is_said_so_and_needs_a_confirmation(env: Env) -> None:
    """Order 19 is cash on delivery, processing, unshipped, and nobody paid yet: a refund gives
    no money back, so the vendor is told and must confirm; nothing is queued before."""
    order = cached(env, 19)
    assert not order.is_paid and order.payment_method == "cod"
    lines = [RefundLine(3, 0, usd("5"))]
    plan = plan_refund(order, "partial", lines, "Scratched")
    assert "Nothing has been paid for order #19" in plan.unpaid_warning
    assert (
        "cash on delivery" in plan.unpaid_warning
        and "still have to be shipped" in plan.unpaid_warning
    )
    box = outbox(env)
    with pytest.raises(RefundRefused) as caught:
        queue_refund(box, order, "partial", lines, "Scratched")
    assert caught.value.codes == {RefundProblemCode.UNPAID_NOT_CONFIRMED}
    assert not caught.value.is_input  # the order's state, not a typing mistake (exit 1)
    assert box.entries() == []
    entry_id = queue_refund(box, order, "partial", lines, "Scratched", confirm_unpaid=True)
    assert [entry.id for entry in box.entries()] == [entry_id]
    # A paid order (22 has a payment date) needs no confirmation and gets no warning.
    paid = cached(env, 22)
    assert paid.is_paid and plan_refund(paid, "full", reason="Lost").unpaid_warning == ""


def test_eligibility_follows_the_marketplace(env: Env) -> None:
    box = outbox(env)
    env.sim.set_payout(19, "requested")
    env.sim.set_main_status(22, "on-hold")
    with env.client() as market:
        Syncer(env.cache, env.account_id, market).reconcile()
    with pytest.raises(RefundRefused) as caught:
        queue_refund(box, cached(env, 19), "full", reason="Broken")
    assert caught.value.needs_admin and not caught.value.is_input
    assert RefundProblemCode.PAYOUT_NOT_PENDING in caught.value.codes
    with pytest.raises(RefundRefused) as caught:
        queue_refund(box, cached(env, 22), "full", reason="Broken")
    assert caught.value.codes == {RefundProblemCode.NOT_ELIGIBLE_STATUS}


def test_completed_order_with_payout_pending_stays_refundable(env: Env) -> None:
    env.sim.set_main_status(19, "completed")
    with env.client() as market:
        Syncer(env.cache, env.account_id, market).refresh_order(19)
        Syncer(env.cache, env.account_id, market).reconcile()
    order = cached(env, 19)
    assert order.main_status.slug == "completed" and order.payout_state.slug == "pending"
    box = outbox(env)
    entry_id = queue_refund(box, order, "full", reason="Returned", confirm_unpaid=True)
    with env.client() as market:
        assert box.send_due(market, now=T0).sent == [entry_id]
    # Every item now waits for a decision: a second request is refused before sending.
    with pytest.raises(RefundRefused) as caught:
        queue_refund(box, cached(env, 19), "full", reason="Again")
    assert RefundProblemCode.NO_REFUNDABLE_ITEMS in caught.value.codes


# ========================================================== exactly once, offline
def test_expired_session_signs_in_again_and_sends_once(env: Env) -> None:
    box = outbox(env)
    entry_id = queue_refund(
        box,
        cached(env, 19),
        "partial",
        [RefundLine(4, 1, Money(Decimal("25"), "USD"))],
        "Torn",
        confirm_unpaid=True,
    )
    with env.client() as market:
        market.list_refund_requests()  # signed in, nonce scraped
        env.sim.expire_sessions()
        assert box.send_due(market, now=T0).sent == [entry_id]
    assert len(env.sim.refund_forms()) == 1
    assert len(server_requests(env, 19)) == 1


def test_offline_is_queued_then_sent_once(env: Env) -> None:
    box = outbox(env)
    entry_id = queue_refund(box, cached(env, 22), "full", reason="Lost by the carrier")
    dead = WcfmMarketplace("http://127.0.0.1:9", env.login, env.password, settings=FAST)
    with dead:
        report = box.send_due(dead, now=T0)
    assert report.offline and report.deferred == [entry_id]
    assert box.get(entry_id).state is OutboxState.PENDING
    assert group(env, 22)[0] == "refund_requested"  # still shown as requested
    with env.client() as market:
        assert box.send_due(market, now=LATER).sent == [entry_id]
        assert box.send_due(market, now=LATER + timedelta(days=1)).sent == []
    assert len(server_requests(env, 22)) == 1


def test_dropped_after_the_marketplace_applied_it_is_not_sent_again(env: Env) -> None:
    box = outbox(env)
    entry_id = queue_refund(box, cached(env, 22), "full", reason="Parcel lost")
    env.sim.inject_fault(
        "apply_then_drop", "admin-ajax", method="POST", body="wcfm-refund-requests-form"
    )
    with env.client() as market:
        assert box.send_due(market, now=T0).uncertain == [entry_id]
    assert len(server_requests(env, 22)) == 1
    with env.client() as market:
        report = box.send_due(market, now=LATER)
    assert report.confirmed == [entry_id] and report.sent == []
    assert len(env.sim.refund_forms()) == 1 and len(server_requests(env, 22)) == 1


def test_dropped_before_it_reached_the_marketplace_is_sent_again(env: Env) -> None:
    box = outbox(env)
    entry_id = queue_refund(box, cached(env, 22), "full", reason="Parcel lost")
    env.sim.inject_fault("reset", "admin-ajax", method="POST", body="wcfm-refund-requests-form")
    with env.client() as market:
        assert box.send_due(market, now=T0).uncertain == [entry_id]
    assert server_requests(env, 22) == []
    with env.client() as market:
        assert box.send_due(market, now=LATER).sent == [entry_id]
    assert len(server_requests(env, 22)) == 1


def test_refused_by_the_marketplace_is_rolled_back(env: Env) -> None:
    box = outbox(env)
    entry_id = queue_refund(
        box,
        cached(env, 19),
        "partial",
        [RefundLine(5, 1, Money(Decimal("9.99"), "USD"))],
        "Dup",
        confirm_unpaid=True,
    )
    # Meanwhile part of the item was refunded through the web dashboard (the cache does not
    # know yet): the marketplace refuses more than what is left.
    from vendor_desk.sandbox import refunds as sandbox_refunds

    with env.sim.state.lock:
        user = env.sim.state.user_by_login(env.login)
        assert user is not None
        sandbox_refunds.submit_refund_request(
            env.sim.state,
            user,
            "wcfm_refund_request=partial&wcfm_refund_input[5][qty]=0&wcfm_refund_input[5][item]=5"
            "&wcfm_refund_input[5][total]=5&wcfm_refund_reason=web&wcfm_refund_order_id=19",
        )
    [web] = server_requests(env, 19)
    env.sim.approve_refund_request(int(str(web["id"])))
    with env.client() as market:
        assert box.send_due(market, now=T0).failed == [entry_id]
    entry = box.get(entry_id)
    assert entry.state is OutboxState.FAILED and "more than item value" in entry.last_error
    assert len(server_requests(env, 19)) == 1  # only the web one
    # Rolled back: no longer shown as requested.
    assert group(env, 19)[0] != "refund_requested"
    assert cached(env, 19).item(5).refund_state != RefundState.REQUESTED  # type: ignore[union-attr]
    # A new request of the order waits until the refused one is retried or discarded.
    with pytest.raises(RefundRefused) as caught:
        queue_refund(box, cached(env, 19), "full", reason="Again")
    assert RefundProblemCode.ALREADY_QUEUED in caught.value.codes


# ============================================================ the admin decides
def test_approval_and_rejection_come_back_through_the_sync(env: Env) -> None:
    box = outbox(env)
    first = queue_refund(
        box,
        cached(env, 19),
        "partial",
        [RefundLine(3, 1, usd("12.5"))],
        "Chip",
        confirm_unpaid=True,
    )
    second = queue_refund(box, cached(env, 22), "full", reason="Changed mind")
    earning_before = cached(env, 19).earning
    with env.client() as market:
        assert box.send_due(market, now=T0).sent == [first, second]
        report = sync_refund_requests(env.cache, env.account_id, market)
    assert report.error is None and report.decided == [] and len(report.new) == 2
    with env.cache.session() as session:
        listed = list_refund_requests(session, env.account_id)
    assert {(r.order_id, r.status) for r in listed} == {
        (19, RefundRequestStatus.REQUESTED),
        (22, RefundRequestStatus.REQUESTED),
    }
    ids = {r["order_id"]: r["id"] for r in env.sim.refund_requests()}
    env.sim.approve_refund_request(int(str(ids[19])))
    env.sim.reject_refund_request(int(str(ids[22])))
    with env.client() as market:
        report = sync_refund_requests(env.cache, env.account_id, market)
    assert report.error is None
    assert {(d.order_id, d.status, d.approved) for d in report.decided} == {
        (19, RefundRequestStatus.APPROVED, True),
        (22, RefundRequestStatus.REJECTED, False),
    }
    assert sorted(report.refreshed) == [19, 22]
    approved = cached(env, 19)
    assert approved.item(3).refund_state == RefundState.PARTIALLY_REFUNDED  # type: ignore[union-attr]
    assert approved.earning is not None and earning_before is not None
    assert approved.earning < earning_before
    assert group(env, 19)[0] != "refund_requested"
    rejected = cached(env, 22)
    assert rejected.item(12).refund_state == RefundState.REJECTED  # type: ignore[union-attr]
    assert group(env, 22)[0] != "refund_requested"
    with env.cache.session() as session:
        statuses = {r.order_id: r.status for r in list_refund_requests(session, env.account_id)}
    assert statuses == {19: RefundRequestStatus.APPROVED, 22: RefundRequestStatus.REJECTED}
    # Seen once: the next look reports nothing new.
    with env.client() as market:
        again = sync_refund_requests(env.cache, env.account_id, market)
    assert again.decided == [] and again.new == []


def test_sync_of_requests_reports_an_unreachable_marketplace(env: Env) -> None:
    with WcfmMarketplace("http://127.0.0.1:9", env.login, env.password, settings=FAST) as dead:
        report = sync_refund_requests(env.cache, env.account_id, dead)
    assert report.error is not None and report.requests == 0
