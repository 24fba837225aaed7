"""``store_orders`` writes rows through multi-row INSERTs with SQLAlchemy's own parameter
conversions: the stored rows must be exactly what SQLAlchemy's ORM/Core would have written, and
the raw JSON must be the marketplace's own text."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import insert

from vendor_desk.cache import Cache, add_account, open_cache
from vendor_desk.cache import store as cache_store
from vendor_desk.domain import Order, OrderStatus
from vendor_desk.marketplace import WcfmMarketplace
from vendor_desk.marketplace.parsing import RawJsonObject
from vendor_desk.sandbox.server import Simulator

SEEN = datetime(2026, 11, 27, 12, 30, 15, 123456, tzinfo=UTC)


@pytest.fixture(scope="module")
def pages() -> Iterator[list[list[Order]]]:
    with Simulator(dataset="generated", orders=300, seed=5) as sim:
        login = sim.demo_vendor
        password = next(u for u in sim.users if u["login"] == login)["password"]
        with WcfmMarketplace(sim.base_url, login, password) as market:
            yield list(market.iter_order_pages())


def new_cache(folder: Path) -> tuple[Cache, int]:
    cache = open_cache(folder)
    with cache.session() as session:
        account_id = add_account(session, "http://127.0.0.1:1", "v", "", 0, "jwt")
    return cache, account_id


def dump(cache: Cache, sql: str) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(cache.path)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def test_list_pages_keep_each_orders_text(pages: list[list[Order]]) -> None:
    order = pages[0][0]
    assert isinstance(order.raw, RawJsonObject)
    assert json.loads(order.raw.json_text, parse_float=Decimal) == dict(order.raw)


def test_bulk_rows_equal_sqlalchemy_rows(tmp_path: Path, pages: list[list[Order]]) -> None:
    orders = [order for page in pages for order in page]
    bulk, bulk_account = new_cache(tmp_path / "bulk")
    with bulk.session(write=True) as session:
        result = cache_store.store_orders(session, bulk_account, orders, seen_at=SEEN)
    assert len(result.new) == len(orders)
    # The same rows through SQLAlchemy's Core executemany (the previous implementation).
    core, core_account = new_cache(tmp_path / "core")
    with core.session(write=True) as session:
        for order in orders:
            key = {"account_id": core_account, "order_id": order.id}
            values = cache_store.order_values(order)
            items = [cache_store.item_values(item, n) for n, item in enumerate(order.items)]
            session.execute(
                insert(cache_store.ORDERS_TABLE),
                [
                    {
                        **key,
                        **values,
                        "fingerprint": cache_store.fingerprint(values, items),
                        "first_seen_at": SEEN,
                        "last_seen_at": SEEN,
                        "raw_json": cache_store.raw_json_text(order.raw),
                        "local": "{}",
                    }
                ],
            )
            if items:
                session.execute(
                    insert(cache_store.ITEMS_TABLE),
                    [{**key, "created": order.date_created, **item} for item in items],
                )
    for sql in (
        "SELECT * FROM orders ORDER BY order_id",
        "SELECT * FROM line_items ORDER BY item_id",
        "SELECT typeof(created), typeof(first_seen_at), created FROM orders ORDER BY order_id",
    ):
        assert dump(bulk, sql) == dump(core, sql)
    raw = dump(bulk, f"SELECT raw_json FROM orders WHERE order_id = {orders[0].id}")[0][0]
    assert isinstance(orders[0].raw, RawJsonObject) and raw == orders[0].raw.json_text
    bulk.close()
    core.close()


def test_unchanged_changed_and_merged_orders(tmp_path: Path, pages: list[list[Order]]) -> None:
    cache, account_id = new_cache(tmp_path / "c")
    page = pages[0]
    with cache.session(write=True) as session:
        cache_store.store_orders(session, account_id, page, seen_at=SEEN)
    before = dump(cache, "SELECT order_id, fingerprint, last_seen_at FROM orders ORDER BY 1")
    # An answer without the vendor status (application passwords) keeps the known one.
    blind = dataclasses.replace(page[0], vendor_status=OrderStatus(""), raw={"id": page[0].id})
    moved = dataclasses.replace(page[1], main_status=OrderStatus("cancelled"))
    later = SEEN + timedelta(hours=1)
    with cache.session(write=True) as session:
        result = cache_store.store_orders(
            session, account_id, [blind, moved, *page[2:]], seen_at=later
        )
        stored = cache_store.load_orders(session, account_id, [page[0].id, page[1].id])
    assert result.changed == (page[1].id,)
    assert set(result.unchanged) == {order.id for order in page} - {page[1].id}
    assert stored[page[0].id].vendor_status == page[0].vendor_status
    assert stored[page[1].id].main_status.slug == "cancelled"
    after = dump(cache, "SELECT order_id, fingerprint, last_seen_at FROM orders ORDER BY 1")
    assert [row[1] for row in after] != [row[1] for row in before]
    assert {row[2] for row in after} == {"2026-11-27 13:30:15.123456"}
    raw = dump(cache, f"SELECT raw_json FROM orders WHERE order_id = {page[0].id}")[0][0]
    assert json.loads(raw) == {"id": page[0].id}
    cache.close()
