"""The notification board in the cache: migration 0005, merging without losing local reads,
board order, marking read with a pending flag."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.conftest import cache_at_revision
from vendor_desk.cache import DB_FILENAME, Cache, add_account, open_cache
from vendor_desk.cache import notifications as board
from vendor_desk.cache.notifications import NotificationKind
from vendor_desk.domain import Notification

T0 = datetime(2026, 11, 27, 16, 5, tzinfo=UTC)


def note(
    notification_id: int, text: str, kind: str = "order", *, minutes: int = 0, read: bool = False
) -> Notification:
    return Notification(notification_id, text, kind, T0 + timedelta(minutes=minutes), read)


def new_cache(tmp_path: Path) -> tuple[Cache, int]:
    cache = open_cache(tmp_path)
    with cache.session(write=True) as session:
        account_id = add_account(session, "http://127.0.0.1:1", "vendor_a", "Alpha", 2, "jwt")
    return cache, account_id


def test_upgrade_from_0004_keeps_notifications_and_adds_the_board_columns(tmp_path: Path) -> None:
    path = tmp_path / DB_FILENAME
    engine = cache_at_revision(tmp_path, "0004")
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO accounts (id, base_url, login, store_name, vendor_id, auth_method, "
            "settings_json, created_at) VALUES (1, 'http://x', 'v', '', 2, 'jwt', '{}', "
            "'2026-01-01')"
        )
        connection.exec_driver_sql(
            "INSERT INTO notifications (account_id, notification_id, message, type, created, "
            "read) VALUES (1, 17, 'You have received an Order #24', 'order', "
            "'2026-11-27 16:05:53', 1)"
        )
    engine.dispose()
    open_cache(tmp_path).close()
    connection = sqlite3.connect(path)
    row = connection.execute(
        "SELECT notification_id, read, order_id, kind, pending_read FROM notifications"
    ).fetchall()
    indexes = {r[1] for r in connection.execute("PRAGMA index_list('notifications')")}
    connection.close()
    # Existing rows keep their read state; the derived columns start empty / not pending.
    assert row == [(17, 1, None, "", 0)]
    assert "ix_notifications_account_board" in indexes


def test_kinds_and_order_numbers_are_derived_once(tmp_path: Path) -> None:
    cache, account = new_cache(tmp_path)
    with cache.session(write=True) as session:
        result = board.store_notifications(
            session,
            account,
            [
                note(17, "You have received an Order #24 for Alpha T-Shirt"),
                note(24, "#22 order item Alpha E-Book status updated", "status-update"),
                note(30, "Refund Request #5 received for Order #22 item Mug", "refund-request"),
                note(31, "Vendor Alpha Goods has shipped Alpha Mug", "shipment_tracking"),
                note(32, "Hello, please check order 21", "direct"),
                note(33, "A new product awaits review", "new_product"),
            ],
        )
    assert result.first
    by_id = {item.id: item for item in result.new}
    assert by_id[17].kind is NotificationKind.NEW_ORDER and by_id[17].order_id == 24
    assert by_id[24].kind is NotificationKind.STATUS_UPDATE and by_id[24].order_id == 22
    # The refund request's own number (#5) is not the order.
    assert by_id[30].kind is NotificationKind.REFUND and by_id[30].order_id == 22
    assert by_id[31].kind is NotificationKind.SHIPMENT and by_id[31].order_id is None
    assert by_id[32].kind is NotificationKind.MESSAGE and by_id[32].order_id is None
    assert by_id[33].kind is NotificationKind.OTHER
    cache.close()


def test_board_is_unread_first_then_newest(tmp_path: Path) -> None:
    cache, account = new_cache(tmp_path)
    with cache.session(write=True) as session:
        board.store_notifications(
            session,
            account,
            [
                note(1, "Order #1", minutes=1),
                note(2, "Order #2", minutes=2, read=True),
                note(3, "Order #3", minutes=3),
                note(4, "Order #4", minutes=4, read=True),
            ],
        )
    with cache.session() as session:
        assert [n.id for n in board.list_board(session, account)] == [3, 1, 4, 2]
        assert board.unread_count(session, account) == 2
        assert board.counts(session, account) == (4, 2)
    cache.close()


def test_local_read_survives_a_refetch_and_is_pending_until_cleared(tmp_path: Path) -> None:
    cache, account = new_cache(tmp_path)
    unread = [note(1, "Order #1", minutes=1), note(2, "Order #2", minutes=2)]
    with cache.session(write=True) as session:
        board.store_notifications(session, account, unread)
    with cache.session(write=True) as session:
        assert board.mark_read(session, account, [1, 99]) == [1]
        assert board.mark_read(session, account, [1]) == []  # already read: nothing to send
    with cache.session(write=True) as session:
        # The marketplace has not been told: it still lists 1 as unread.
        result = board.store_notifications(session, account, unread, complete_unread=True)
        assert result.new == [] and not result.first
    with cache.session() as session:
        one = board.get_notification(session, account, 1)
        assert one is not None and one.read and one.pending_read
        assert board.pending_reads(session, account) == [1]
        assert board.unread_count(session, account) == 1
    with cache.session(write=True) as session:
        board.clear_pending_read(session, account, [1])
    with cache.session() as session:
        assert board.pending_reads(session, account) == []
        one = board.get_notification(session, account, 1)
        assert one is not None and one.read
    cache.close()


def test_read_on_the_marketplace_becomes_read_here(tmp_path: Path) -> None:
    cache, account = new_cache(tmp_path)
    with cache.session(write=True) as session:
        board.store_notifications(
            session, account, [note(1, "Order #1"), note(2, "Order #2"), note(3, "Order #3")]
        )
        board.mark_read(session, account, [3])
    with cache.session(write=True) as session:
        # 1 now comes back in the read list; 2 vanished from a complete unread list; 3 was read
        # here and is now read there too (its pending flag is dropped: nothing left to send).
        result = board.store_notifications(
            session,
            account,
            [note(1, "Order #1", read=True), note(3, "Order #3", read=True)],
            complete_unread=True,
        )
    assert sorted(result.read_elsewhere) == [1, 2]
    with cache.session() as session:
        assert board.unread_count(session, account) == 0
        assert board.pending_reads(session, account) == []
    cache.close()


def test_an_incomplete_unread_list_does_not_mark_the_rest_read(tmp_path: Path) -> None:
    cache, account = new_cache(tmp_path)
    with cache.session(write=True) as session:
        board.store_notifications(session, account, [note(1, "Order #1"), note(2, "Order #2")])
    with cache.session(write=True) as session:
        board.store_notifications(session, account, [note(2, "Order #2")], complete_unread=False)
    with cache.session() as session:
        assert board.unread_count(session, account) == 2
    with cache.session(write=True) as session:
        assert board.mark_all_read(session, account) == [1, 2]
        assert board.pending_reads(session, account) == [1, 2]
    cache.close()


def test_new_status_updates_name_orders_to_read_again(tmp_path: Path) -> None:
    """An unread "#N order status updated to …" (the store admin changed order N) flags N for
    the sync; not on the first fetch (old news), not the vendor's own (read) updates, not other
    kinds; clearing a read order's flags leaves the others."""
    cache, account = new_cache(tmp_path)
    with cache.session(write=True) as session:
        board.store_notifications(
            session, account, [note(10, "#21 order status updated to Cancelled", "status-update")]
        )
        assert board.orders_to_recheck(session, account) == []  # first fetch
        board.store_notifications(
            session,
            account,
            [
                note(19, "#19 order status updated to Processing", "status-update", minutes=1),
                note(20, "#18 order status updated to Refunded", "status-update", minutes=2),
                note(21, "#22 order item Mug status updated by Alpha", "status-update", read=True),
                note(22, "You have received an Order #25 for Alpha Mug", minutes=3),
            ],
        )
        assert board.orders_to_recheck(session, account) == [19, 18]
        board.clear_rechecks(session, account, [18])
        assert board.orders_to_recheck(session, account) == [19]
    cache.close()
