"""Opening the cache: fresh, migrating an older one (with a backup), refusing a newer one."""

from __future__ import annotations

import hashlib
import sqlite3
import stat
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import inspect
from sqlalchemy.orm import Session

from tests.conftest import cache_at_revision, store_in_old_cache
from vendor_desk.cache import DB_FILENAME, CacheTooNewError, add_account, head_revision, open_cache
from vendor_desk.cache import store as cache_store
from vendor_desk.cache.models import Base
from vendor_desk.marketplace import WcfmMarketplace
from vendor_desk.sandbox.server import Simulator


def test_fresh_cache_is_at_head_in_wal_with_foreign_keys(tmp_path: Path) -> None:
    cache = open_cache(tmp_path / "data")
    with cache.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        version = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    assert version == head_revision()
    cache.close()
    assert not list((tmp_path / "data").glob("*.bak-*"))  # nothing to back up


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")
def test_file_readable_by_the_user_only(tmp_path: Path) -> None:
    open_cache(tmp_path).close()
    assert stat.S_IMODE((tmp_path / DB_FILENAME).stat().st_mode) == 0o600


def test_models_match_migrations(tmp_path: Path) -> None:
    cache = open_cache(tmp_path)
    inspector = inspect(cache.engine)
    for table in Base.metadata.sorted_tables:
        migrated = {column["name"] for column in inspector.get_columns(table.name)}
        assert migrated == set(table.columns.keys()), table.name
        # From SQLite itself: SQLAlchemy does not reflect indexes on expressions.
        with cache.engine.connect() as connection:
            migrated_indexes = {
                name
                for (name,) in connection.exec_driver_sql(
                    "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?",
                    (table.name,),
                )
            }
        assert {index.name for index in table.indexes} <= migrated_indexes
    cache.close()


def test_older_cache_is_backed_up_then_migrated(tmp_path: Path) -> None:
    path = tmp_path / DB_FILENAME
    engine = cache_at_revision(tmp_path, "0001")
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO accounts (base_url, login, created_at) "
            "VALUES ('http://x', 'v', '2025-01-01')"
        )
    engine.dispose()
    cache = open_cache(tmp_path)
    cache.close()
    backups = list(tmp_path.glob(f"{DB_FILENAME}.bak-0001-*"))
    assert len(backups) == 1
    old = sqlite3.connect(backups[0])
    assert old.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    assert old.execute("SELECT login FROM accounts").fetchall() == [("v",)]
    old.close()
    new = sqlite3.connect(path)
    assert new.execute("SELECT version_num FROM alembic_version").fetchone() == (head_revision(),)
    assert new.execute("SELECT login FROM accounts").fetchall() == [("v",)]
    new.close()


def test_newer_cache_is_refused_and_left_untouched(tmp_path: Path) -> None:
    open_cache(tmp_path).close()
    path = tmp_path / DB_FILENAME
    connection = sqlite3.connect(path)
    connection.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    connection.commit()
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    before = path.read_bytes()
    with pytest.raises(CacheTooNewError, match="newer version of Vendor Desk"):
        open_cache(tmp_path)
    assert path.read_bytes() == before
    assert not list(tmp_path.glob("*.bak-*"))


def test_head_revision_constant_matches_the_migrations() -> None:
    from vendor_desk.cache.db import HEAD_REVISION, head_revision

    assert head_revision() == HEAD_REVISION


def test_an_up_to_date_cache_opens_without_alembic(tmp_path: Path) -> None:
    import subprocess
    import sys

    open_cache(tmp_path).close()
    probe = (
        "import sys; from pathlib import Path; from vendor_desk.cache import open_cache; "
        f"open_cache(Path({str(tmp_path)!r})).close(); print('alembic' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr


def test_0006_recomputes_fingerprints_from_the_stored_columns(tmp_path: Path) -> None:
    """A cache at 0005 holding orders with the old fingerprints (``repr`` of the Python values)
    is upgraded: each fingerprint becomes what the sync now computes, so the marketplace's next
    answer is seen as unchanged; an outbox-emptied fingerprint stays empty; the unused index
    goes."""

    with Simulator(dataset="generated", orders=150, seed=7) as sim:
        login = sim.demo_vendor
        password = next(u for u in sim.users if u["login"] == login)["password"]
        with WcfmMarketplace(sim.base_url, login, password) as market:
            orders = [order for page in market.iter_order_pages() for order in page]
    assert len(orders) > 20 and any(len(order.items) > 1 for order in orders)
    seen = datetime(2026, 11, 27, 12, tzinfo=UTC)

    path = tmp_path / DB_FILENAME
    engine = cache_at_revision(tmp_path, "0005")
    with Session(engine) as session, session.begin():
        account_id = add_account(session, "http://x", login, "", 0, "jwt")
    store_in_old_cache(engine, account_id, orders, seen_at=seen)
    engine.dispose()
    expected: dict[int, str] = {}
    old = sqlite3.connect(path)
    for order in orders:  # what 0005's code stored: sha1 of repr of the Python values
        prepared = cache_store.prepare(order)
        expected[order.id] = prepared.fingerprint
        payload = repr((prepared.values, list(prepared.items)))
        before = hashlib.sha1(payload.encode(), usedforsecurity=False).hexdigest()
        assert before != prepared.fingerprint
        old.execute("UPDATE orders SET fingerprint = ? WHERE order_id = ?", (before, order.id))
    optimistic = orders[3].id  # the outbox changed it: "rewrite whatever the marketplace says"
    old.execute("UPDATE orders SET fingerprint = '' WHERE order_id = ?", (optimistic,))
    expected[optimistic] = ""
    old.commit()
    old.close()

    cache = open_cache(tmp_path)
    migrated = dict(sqlite3.connect(path).execute("SELECT order_id, fingerprint FROM orders"))
    assert migrated == expected
    indexes = {index["name"] for index in inspect(cache.engine).get_indexes("orders")}
    assert "ix_orders_account_vendor_status" not in indexes
    with cache.session(write=True) as session:
        again = cache_store.store_orders(session, account_id, orders, seen_at=seen)
    assert set(again.unchanged) == {order.id for order in orders} - {optimistic}
    assert again.changed == (optimistic,) and not again.new
    cache.close()


def test_0008_moves_refund_requests_with_items_to_ship_back_to_to_ship(tmp_path: Path) -> None:
    """A cache at 0007 stored "refund requested" for every order with a refund waiting and "no
    shipping needed" for virtual items only; 0008 recomputes both for the orders the new rules
    move (and empties their fingerprint: rewrite with the marketplace's next copy)."""
    import dataclasses

    from tests.domain.test_orders_and_rules import item, order

    waiting = dataclasses.replace(order(item(1, "10")), id=101, number="101", refund_requested=True)
    ebook = dataclasses.replace(order(item(2, "9.99", shippable=False)), id=102, number="102")
    collected = dataclasses.replace(waiting, id=103, number="103", items=(item(3, "10"),))
    tracked = dataclasses.replace(
        waiting, id=104, number="104", items=(item(4, "5", tracking_code="X"),)
    )
    plain = dataclasses.replace(order(item(5, "10")), id=105, number="105")
    orders = [waiting, ebook, collected, tracked, plain]

    path = tmp_path / DB_FILENAME
    engine = cache_at_revision(tmp_path, "0007")
    with Session(engine) as session, session.begin():
        account_id = add_account(session, "http://x", "v", "", 0, "jwt")
    store_in_old_cache(engine, account_id, orders, seen_at=datetime.now(UTC))
    engine.dispose()
    old = sqlite3.connect(path)  # what 0007's code stored for them
    old.execute("UPDATE orders SET status_group = 'refund_requested' WHERE order_id IN (101, 103)")
    old.execute("UPDATE orders SET shipping_state = 'no shipping needed' WHERE order_id = 102")
    old.execute("UPDATE orders SET local = '{\"shipped_locally\": 1}' WHERE order_id = 103")
    old.commit()
    before = dict(old.execute("SELECT order_id, fingerprint FROM orders"))
    old.close()

    cache_at_revision(tmp_path, "0008").dispose()  # this migration (0013 recomputes fingerprints)
    new = sqlite3.connect(path)
    rows = {
        order_id: (group, shipping, fingerprint)
        for order_id, group, shipping, fingerprint in new.execute(
            "SELECT order_id, status_group, shipping_state, fingerprint FROM orders"
        )
    }
    searched = dict(new.execute("SELECT order_id, status_group FROM order_search"))
    new.close()
    assert rows[101] == ("to_ship", "not shipped", "")
    assert rows[102] == ("to_ship", "nothing to ship", "")
    # shipped on this computer only / tracked: nothing left to pack, still "refund requested"
    assert rows[103] == ("refund_requested", "not shipped", before[103])
    assert rows[104][0] == "refund_requested" and rows[104][2] == before[104]
    assert rows[105] == ("to_ship", "not shipped", before[105])
    assert searched[101] == "to_ship"  # the search table follows (its trigger)


def test_0009_takes_vanished_orders_out_of_the_action_lists(tmp_path: Path) -> None:
    """A cache at 0008 kept an order the marketplace no longer has in its old group ("To
    ship" …); 0009 puts it in "removed" (the "all" filter only) with "removed" in the status
    column, leaves the others alone, and adds the notifications' ``recheck`` flag (0)."""
    import dataclasses

    from tests.domain.test_orders_and_rules import item, order

    gone = dataclasses.replace(order(item(1, "10")), id=101, number="101")
    ebook = dataclasses.replace(order(item(2, "9.99", shippable=False)), id=102, number="102")
    kept = dataclasses.replace(order(item(3, "10")), id=103, number="103")
    path = tmp_path / DB_FILENAME
    engine = cache_at_revision(tmp_path, "0008")
    with Session(engine) as session, session.begin():
        account_id = add_account(session, "http://x", "v", "", 0, "jwt")
    store_in_old_cache(engine, account_id, [gone, ebook, kept], seen_at=datetime.now(UTC))
    with engine.begin() as connection:  # what 0008's mark_vanished wrote: the date only
        connection.exec_driver_sql(
            "UPDATE orders SET vanished_at = '2026-12-01 10:00:00.000000' "
            "WHERE order_id IN (101, 102)"
        )
        connection.exec_driver_sql(
            "INSERT INTO notifications (account_id, notification_id, message, type, created, "
            "read, kind, pending_read) VALUES (1, 19, '#18 order status updated to Refunded', "
            "'status-update', '2026-12-05 05:45:16', 0, 'status_update', 0)"
        )
    before = dict(sqlite3.connect(path).execute("SELECT order_id, fingerprint FROM orders"))
    engine.dispose()

    cache_at_revision(tmp_path, "0009").dispose()  # this migration (0013 recomputes fingerprints)
    new = sqlite3.connect(path)
    rows = {
        order_id: (group, shown, shipping, fingerprint)
        for order_id, group, shown, shipping, fingerprint in new.execute(
            "SELECT order_id, status_group, display_status, shipping_state, fingerprint FROM orders"
        )
    }
    searched = dict(new.execute("SELECT order_id, status_group FROM order_search"))
    flags = new.execute("SELECT notification_id, recheck FROM notifications").fetchall()
    new.close()
    assert rows[101] == ("removed", "removed", "not shipped", before[101])
    assert rows[102] == ("removed", "removed", "no shipping needed", before[102])
    assert rows[103] == ("to_ship", "processing", "not shipped", before[103])
    assert searched == {101: "removed", 102: "removed", 103: "to_ship"}
    assert flags == [(19, 0)]


def test_0013_fills_the_earnings_columns_from_the_stored_json(tmp_path: Path) -> None:
    """A cache at 0012 (its orders without the commission rows' columns) is upgraded: shipping,
    tax, refunds, payout date and each item's total in units are what the store now writes,
    from the stored raw JSON, and every fingerprint what the sync computes — the marketplace's
    next answer is unchanged; an outbox-emptied fingerprint stays empty."""
    with Simulator(dataset="generated", orders=300, seed=7) as sim:
        login = sim.demo_vendor
        password = next(u for u in sim.users if u["login"] == login)["password"]
        with WcfmMarketplace(sim.base_url, login, password) as market:
            orders = [order for page in market.iter_order_pages() for order in page]
    seen = datetime(2026, 12, 5, 12, tzinfo=UTC)
    path = tmp_path / DB_FILENAME
    engine = cache_at_revision(tmp_path, "0012")
    with Session(engine) as session, session.begin():
        account_id = add_account(session, "http://x", login, "", 0, "jwt")
    store_in_old_cache(engine, account_id, orders, seen_at=seen)
    engine.dispose()
    optimistic = orders[5].id
    old = sqlite3.connect(path)
    assert "refunds_units" not in {row[1] for row in old.execute("PRAGMA table_info(orders)")}
    old.execute("UPDATE orders SET fingerprint = '' WHERE order_id = ?", (optimistic,))
    old.commit()
    old.close()

    cache = open_cache(tmp_path)
    columns = cache_store.COMMISSION_COLUMNS
    new = sqlite3.connect(path)
    stored = {
        row[0]: row[1:]
        for row in new.execute(f"SELECT order_id, {', '.join(columns)}, fingerprint FROM orders")
    }
    totals = dict(new.execute("SELECT item_id, total_units FROM line_items"))
    new.close()
    for order in orders:
        prepared = cache_store.prepare(order)
        row = cache_store.stored_order_row(prepared.values)
        expected = tuple(row[cache_store.ORDER_VALUE_COLUMNS.index(name)] for name in columns)
        assert stored[order.id][:4] == expected, order.id
        fingerprint = "" if order.id == optimistic else prepared.fingerprint
        assert stored[order.id][4] == fingerprint
        for item in prepared.items:
            assert totals[item["item_id"]] == item["total_units"]
    assert any(values[2] for values in stored.values())  # refunds
    assert any(values[3] for values in stored.values())  # payout dates
    assert any(values[0] for values in stored.values())  # shipping
    with cache.session(write=True) as session:
        again = cache_store.store_orders(session, account_id, orders, seen_at=seen)
    assert set(again.unchanged) == {order.id for order in orders} - {optimistic}
    cache.close()
