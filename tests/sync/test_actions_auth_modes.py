"""Every vendor action, end to end, under each way of signing in: the login password through JWT
or through a cookie session (wp-login + nonces), and an application password — which WCFM only
suits for reading, so the app refuses its writes before sending and says why (wcfm-api.md §1.3)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from vendor_desk.domain import AuthMethod, NoteKind
from vendor_desk.domain.carriers import ShipMethod
from vendor_desk.sync.outbox import Outbox, OutboxKind, OutboxState
from vendor_desk.sync.shipping import (
    queue_completion,
    queue_note,
    queue_shipment,
    tracked_parcel,
    untracked_parcel,
)

from .conftest import Env, make_env
from .placed_orders import place_and_cache


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Env]:
    tmp: Path = tmp_path_factory.mktemp("auth-modes")
    for built in make_env(tmp, orders=30, seed=9):
        built.syncer().first_sync()
        yield built


def _notes(env: Env, order_id: int) -> list[tuple[str, bool]]:
    with env.sim.state.lock:
        return [(n.content, n.customer_note) for n in env.sim.state.notes.get(order_id, [])]


def _messages(env: Env) -> list[str]:
    with env.sim.state.lock:
        return [m.message for m in env.sim.state.messages if m.message_type == "direct"]


def _vendor_statuses(env: Env, order_id: int) -> set[str]:
    vendor_id = next(u["id"] for u in env.sim.users if u["login"] == env.login)
    rows = env.sim.order_snapshot(order_id)["commissions"]
    return {row["commission_status"] for row in rows if row["vendor_id"] == vendor_id}


@pytest.mark.parametrize("auth", [AuthMethod.JWT, AuthMethod.COOKIE])
def test_every_action_lands_once_with_the_login_password(env: Env, auth: AuthMethod) -> None:
    tracked = place_and_cache(env, shippable=2)
    collected = place_and_cache(env, shippable=1)
    outbox = Outbox(env.cache, env.account_id)
    code = f"{auth.value.upper()}12345"
    parcel = tracked_parcel(tracked.order, "other", code, f"https://t.example/{code}?a=1&b=2+3")
    queue_shipment(outbox, tracked.order, [parcel])
    queue_note(outbox, tracked.order, f"Ré-emballé avec soin ({auth.value})", NoteKind.CUSTOMER)
    queue_shipment(outbox, collected.order, [untracked_parcel(collected.order, ShipMethod.PICKUP)])
    message = f"Hello from {auth.value}: a question about order #{tracked.order.number}"
    outbox.enqueue(OutboxKind.MESSAGE_ADMIN, None, {"message": message})
    with env.client(auth) as market:
        report = outbox.send_due(market)
    assert not report.failed and not report.deferred, report
    # Mark Complete once the marketplace's shipped state is in the cache.
    with env.cache.session() as session:
        from vendor_desk.cache.store import load_orders

        fresh = load_orders(session, env.account_id, [tracked.order.id, collected.order.id])
    queue_completion(outbox, fresh[tracked.order.id])
    queue_completion(outbox, fresh[collected.order.id])
    with env.client(auth) as market:
        report = outbox.send_due(market)
    assert not report.failed, report
    assert {e.state for e in outbox.entries()} == {OutboxState.SENT}

    items = env.sim.order_snapshot(tracked.order.id)["items"]
    urls = {i["meta"].get("wcfm_tracking_url") for i in items if i["id"] in tracked.shippable}
    assert urls == {f"https://t.example/{code}?a=1&b=2+3"}
    wanted = f"Ré-emballé avec soin ({auth.value})"  # WCFM prefixes "STORE has added …: <br />"
    notes = _notes(env, tracked.order.id)
    assert [customer for text, customer in notes if text.endswith(wanted)] == [True]
    assert sum("local pickup" in text for text, _ in _notes(env, collected.order.id)) == 1
    assert _messages(env).count(message) == 1
    assert _vendor_statuses(env, tracked.order.id) == {"completed"}
    assert _vendor_statuses(env, collected.order.id) == {"completed"}


def test_an_application_password_cannot_write_and_nothing_is_lost(env: Env) -> None:
    placed = place_and_cache(env, shippable=1)
    outbox = Outbox(env.cache, env.account_id)
    note = queue_note(outbox, placed.order, "Sent with an application password")
    notes_before = list(_notes(env, placed.order.id))
    with env.client(AuthMethod.APP_PASSWORD) as market:
        report = outbox.send_due(market)
    assert report.failed == [note]
    entry = outbox.get(note)
    assert entry.state is OutboxState.FAILED
    assert "application password" in entry.last_error.lower()
    assert _notes(env, placed.order.id) == notes_before  # nothing reached the marketplace
    # Signed in properly, the vendor retries the same note: it lands once.
    outbox.retry(note)
    with env.client(AuthMethod.JWT) as market:
        report = outbox.send_due(market)
    assert report.sent == [note]
    texts = [text for text, _ in _notes(env, placed.order.id)]
    assert sum(text.endswith("Sent with an application password") for text in texts) == 1
