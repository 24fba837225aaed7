"""A rate limit (429) or maintenance (503) while sending: the change stays queued, unchanged, and
is not tried again before the marketplace's ``Retry-After`` (seconds or an HTTP date)."""

from __future__ import annotations

import email.utils
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from vendor_desk.domain import OrderStatus
from vendor_desk.sync.outbox import Outbox, OutboxKind, OutboxState

from .conftest import Env, make_env


@pytest.fixture
def env(tmp_path: Path) -> Iterator[Env]:
    for built in make_env(tmp_path, orders=60):
        built.syncer().first_sync()
        yield built


def processing_order(env: Env) -> int:
    with env.client() as market:
        for page in market.iter_order_pages():
            for order in page:
                if order.vendor_status == OrderStatus.PROCESSING:
                    return order.id
    raise AssertionError("the generated shop has orders in processing")


@pytest.mark.parametrize("kind", ["rate_limit", "maintenance"])
def test_the_change_waits_for_retry_after(env: Env, kind: str) -> None:
    order_id = processing_order(env)
    now = datetime.now(UTC).replace(microsecond=0)
    outbox = Outbox(env.cache, env.account_id, base_delay=timedelta(seconds=1), clock=lambda: now)
    entry_id = outbox.enqueue(OutboxKind.COMPLETE, order_id, {})
    env.sim.inject_fault(kind, r"/wcfmmp/v1/orders/\d+$", method="PUT", times=None, retry_after=600)
    with env.client() as market:
        report = outbox.send_due(market, now=now)
    assert report.deferred == [entry_id] and not report.failed and not report.offline
    entry = outbox.get(entry_id)
    assert entry.state is OutboxState.PENDING  # not refused: nothing rolled back
    assert entry.next_attempt_at == now + timedelta(seconds=600)  # not the 1 s back-off
    assert "has to wait. Try again in 10 minutes." in entry.last_error
    env.sim.clear_faults()
    with env.client() as market:
        early = outbox.send_due(market, now=now + timedelta(seconds=599))
        assert early.waiting == [entry_id]
        done = outbox.send_due(market, now=now + timedelta(seconds=600))
    assert done.sent == [entry_id]


def test_retry_after_as_an_http_date(env: Env) -> None:
    order_id = processing_order(env)
    now = datetime.now(UTC).replace(microsecond=0)
    outbox = Outbox(env.cache, env.account_id, base_delay=timedelta(seconds=1), clock=lambda: now)
    entry_id = outbox.enqueue(OutboxKind.COMPLETE, order_id, {})
    until = now + timedelta(minutes=30)
    env.sim.inject_fault(
        "rate_limit",
        r"/wcfmmp/v1/orders/\d+$",
        method="PUT",
        times=None,
        retry_after=email.utils.format_datetime(until, usegmt=True),
    )
    with env.client() as market:
        outbox.send_due(market, now=now)
    waits_until = outbox.get(entry_id).next_attempt_at
    assert waits_until is not None and abs(waits_until - until) <= timedelta(seconds=2)
