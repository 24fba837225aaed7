"""The printed marks of a batch: written and read for many orders at once, on a real cache."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.sync.conftest import Env
from vendor_desk.cache import store
from vendor_desk.cache.queries import order_ids
from vendor_desk.documents import DocumentKind
from vendor_desk.documents.printed import order_numbers, printed_orders, record_printed


def test_a_batch_is_marked_printed_keeping_each_orders_other_local_state(synced: Env) -> None:
    cache, account = synced.cache, synced.account_id
    with cache.session() as session:
        ids = sorted(order_ids(session, account))[:6]
    first, second, *rest = ids
    earlier = datetime(2026, 11, 2, 8, 30, tzinfo=UTC)
    with cache.session(write=True) as session:
        store.set_local(session, account, first, pack={"shipped": "2026-11-01"})
        store.set_local(session, account, second, printed={"invoice": earlier.isoformat()})
    when = datetime(2026, 12, 5, 9, 41, 7, 123456, tzinfo=UTC)
    missing = 999_999_999

    stamp = record_printed(cache, account, [*ids, missing, first], DocumentKind.SLIP, when)

    assert stamp == when.replace(microsecond=0)
    found = printed_orders(cache, account, [missing, *reversed(ids)], DocumentKind.SLIP)
    assert list(found) == list(reversed(ids))  # in the order asked, the unknown one left out
    assert set(found.values()) == {stamp}
    with cache.session() as session:
        states = store.get_locals(session, account, [first, second, missing])
    assert set(states) == {first, second}
    assert states[first] == {
        "pack": {"shipped": "2026-11-01"},
        "printed": {"slip": stamp.isoformat()},
    }
    assert states[second]["printed"] == {
        "invoice": earlier.isoformat(),
        "slip": stamp.isoformat(),
    }
    assert printed_orders(cache, account, rest, DocumentKind.INVOICE) == {}
    assert printed_orders(cache, account, [second], DocumentKind.INVOICE) == {second: earlier}


def test_order_numbers_name_the_cached_orders_only(synced: Env) -> None:
    cache, account = synced.cache, synced.account_id
    with cache.session() as session:
        ids = sorted(order_ids(session, account))[:3]
        loaded = store.load_orders(session, account, ids)
    numbers = order_numbers(cache, account, [ids[2], 123_456_789, ids[0], ids[2]])
    assert numbers == {ids[2]: loaded[ids[2]].number, ids[0]: loaded[ids[0]].number}
    assert list(numbers) == [ids[2], ids[0]]
