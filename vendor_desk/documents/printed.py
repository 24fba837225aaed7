"""When an order's documents were printed — kept in the order's app-owned local state.

``orders.local["printed"]`` maps a document kind to the ISO time it was last printed::

    {"printed": {"slip": "2026-03-02T09:41:07+00:00", "invoice": "…"}}

The window shows a printed mark from it and asks before printing a slip again; a batch of
slips records all its orders in one write transaction. The "To ship" selection of a batch
("all To ship": the orders with something to pack) is read here too, so the UI needs no cache
queries of its own. No Qt.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from vendor_desk.cache import Cache
from vendor_desk.cache import store as cache_store
from vendor_desk.cache.queries import OrderQuery, count_orders, fetch_rows
from vendor_desk.documents.model import DocumentKind
from vendor_desk.domain import rules

#: Key of the printed marks in ``orders.local``.
PRINTED_KEY = "printed"


def printed_at(local: Mapping[str, Any], kind: DocumentKind) -> datetime | None:
    """When ``kind`` was last printed for the order whose local state is ``local`` (None:
    never, or the stored value is unreadable)."""
    marks = local.get(PRINTED_KEY)
    if not isinstance(marks, Mapping):
        return None
    text = marks.get(kind.value)
    if not isinstance(text, str):
        return None
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def record_printed(
    cache: Cache,
    account_id: int,
    order_ids: Iterable[int],
    kind: DocumentKind,
    when: datetime | None = None,
) -> datetime:
    """Mark ``kind`` as printed now (or at ``when``) for these orders, in one write
    transaction; other kinds' marks and other local state are kept. Returns the time stored.
    Orders not in the cache are skipped."""
    stamp = (when or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    with cache.session(write=True) as session:
        states = cache_store.get_locals(session, account_id, order_ids)
        for state in states.values():
            marks = state.get(PRINTED_KEY)
            updated = dict(marks) if isinstance(marks, Mapping) else {}
            updated[kind.value] = stamp.isoformat()
            state[PRINTED_KEY] = updated
        cache_store.set_locals(session, account_id, states)
    return stamp


def printed_orders(
    cache: Cache, account_id: int, order_ids: Iterable[int], kind: DocumentKind
) -> dict[int, datetime]:
    """Of these orders, those whose ``kind`` was printed before, with when (in the order
    given)."""
    ids = list(dict.fromkeys(order_ids))
    with cache.session() as session:
        states = cache_store.get_locals(session, account_id, ids)
    found: dict[int, datetime] = {}
    for order_id in ids:
        when = printed_at(states.get(order_id, {}), kind)
        if when is not None:
            found[order_id] = when
    return found


@dataclass(frozen=True)
class ToShip:
    """The "To ship" group as a batch of slips sees it."""

    #: The orders with something to pack (oldest first).
    order_ids: tuple[int, ...]
    #: The orders holding only digital items (virtual or downloadable): nothing to pack, so
    #: no slip and no pick-list line — they only need completing.
    nothing_to_pack: tuple[int, ...]


def to_ship_orders(cache: Cache, account_id: int) -> ToShip:
    """Every order of the "To ship" group (oldest first), for "all To ship" batches, split
    into those with something to pack and those with only digital items
    (:func:`vendor_desk.domain.rules.is_shippable`)."""
    query = OrderQuery(account_id=account_id, group="to_ship", sort="date", descending=False)
    with cache.session() as session:
        total = count_orders(session, query)
        ids = [row.order_id for row in fetch_rows(session, query, 0, total)]
        orders = cache_store.load_orders(session, account_id, ids)
    digital = {i for i in ids if i in orders and not rules.is_shippable(orders[i])}
    return ToShip(tuple(i for i in ids if i not in digital), tuple(i for i in ids if i in digital))


def to_ship_order_ids(cache: Cache, account_id: int) -> list[int]:
    """The orders of the "To ship" group with something to pack (oldest first)."""
    return list(to_ship_orders(cache, account_id).order_ids)


def order_numbers(cache: Cache, account_id: int, order_ids: Iterable[int]) -> dict[int, str]:
    """The displayed number of each cached order (for listing orders in questions)."""
    ids = list(dict.fromkeys(order_ids))
    with cache.session() as session:
        numbers = cache_store.order_numbers(session, account_id, ids)
    return {order_id: numbers[order_id] for order_id in ids if order_id in numbers}
