"""A first sync into an empty cache fills it without the order list's indexes and builds
them at the end; a cache that already holds orders keeps them all along; a cache left without
them (a first sync killed midway) gets them back when it is next opened."""

from __future__ import annotations

import sqlite3
import threading

from vendor_desk.cache import add_account, open_cache
from vendor_desk.cache.db import DB_FILENAME, LIST_INDEXES
from vendor_desk.marketplace import WcfmMarketplace
from vendor_desk.sync import Syncer, SyncProgress

from .conftest import FAST, Env


def _list_indexes_present(env: Env) -> set[str]:
    """The sort indexes the database file holds, read on a connection of its own."""
    connection = sqlite3.connect(env.data_dir / DB_FILENAME)
    try:
        names = {
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
        }
    finally:
        connection.close()
    return names & set(LIST_INDEXES)


def _integrity(env: Env) -> str:
    connection = sqlite3.connect(env.data_dir / DB_FILENAME)
    try:
        return str(connection.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        connection.close()


def test_first_sync_into_an_empty_cache_builds_the_list_indexes_at_the_end(env: Env) -> None:
    assert _list_indexes_present(env) == set(LIST_INDEXES)
    during: list[set[str]] = []

    def progress(report: SyncProgress) -> None:
        if report.phase == "first":
            during.append(_list_indexes_present(env))

    result = env.syncer().sync(progress=progress)
    assert result.new_order_ids and during
    assert all(found == set() for found in during)  # filled without them …
    assert _list_indexes_present(env) == set(LIST_INDEXES)  # … built once at the end
    assert _integrity(env) == "ok"
    # The list sorts with them again: the customer sort reads the index, not the table.
    connection = sqlite3.connect(env.data_dir / DB_FILENAME)
    try:
        plan = " ".join(
            str(row[-1])
            for row in connection.execute(
                "EXPLAIN QUERY PLAN SELECT order_id FROM orders WHERE account_id = 1 "
                "ORDER BY customer_sort LIMIT 50"
            )
        )
    finally:
        connection.close()
    assert "ix_orders_account_customer" in plan


def test_a_cache_that_holds_orders_keeps_its_list_indexes(env: Env) -> None:
    """Another vendor account's first sync, once the cache holds the first one's orders: the
    indexes serve the other account's list meanwhile, so they stay."""
    env.syncer().sync()
    other = next(u for u in env.sim.users if u["role"] == "wcfm_vendor" and u["login"] != env.login)
    with env.cache.session() as session:
        second = add_account(session, env.sim.base_url, other["login"], "Second", 2, "jwt")
    during: list[set[str]] = []

    def progress(report: SyncProgress) -> None:
        if report.phase == "first":
            during.append(_list_indexes_present(env))

    market = WcfmMarketplace(env.sim.base_url, other["login"], other["password"], settings=FAST)
    with market:
        result = Syncer(env.cache, second, market).sync(progress=progress)
    assert result.kind == "first" and result.new_order_ids
    assert during and all(found == set(LIST_INDEXES) for found in during)


def test_a_first_sync_stopped_midway_leaves_them_to_the_next_open(env: Env) -> None:
    """Cancelled after its first page (as a killed process would leave it): the walk's own
    clean-up builds them; and a database left without them gets them back on open."""
    cancel = threading.Event()

    def progress(report: SyncProgress) -> None:
        if report.phase == "first":
            cancel.set()

    first = env.syncer().sync(progress=progress, cancel=cancel)
    assert first.cancelled
    assert _list_indexes_present(env) == set(LIST_INDEXES)

    # As a SIGKILL in the middle of the walk leaves it (tests/sync/test_crash.py kills for
    # real): the file without the sort indexes.
    env.cache.close()
    connection = sqlite3.connect(env.data_dir / DB_FILENAME)
    try:
        for name in LIST_INDEXES:
            connection.execute(f'DROP INDEX "{name}"')
        connection.commit()
    finally:
        connection.close()
    assert _list_indexes_present(env) == set()
    reopened = open_cache(env.data_dir)
    try:
        assert _list_indexes_present(env) == set(LIST_INDEXES)
        assert _integrity(env) == "ok"
    finally:
        reopened.close()
