"""The notification board over a real cache, filled from the simulator over real HTTP."""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta
from typing import Any

from PySide6.QtCore import QModelIndex, Qt

from vendor_desk.cache import notifications as board_store
from vendor_desk.domain import Notification
from vendor_desk.sandbox import checkout
from vendor_desk.sandbox.server import Simulator
from vendor_desk.sync.notifications import sync_notifications
from vendor_desk.sync.outbox import Outbox, OutboxKind
from vendor_desk.ui.notification_board import (
    ENTRY_ROLE,
    UNREAD_ROLE,
    NotificationBoard,
    NotificationListModel,
    entry_title,
    plain_text,
    relative_date,
)


def place_orders(sim: Simulator, count: int) -> list[int]:
    """Customers check out the demo vendor's products (the marketplace notifies the vendor)."""
    state = sim.state
    with state.lock:
        vendor = state.user_by_login(sim.demo_vendor)
        assert vendor is not None
        products = [
            p
            for p in sorted(state.products.values(), key=lambda p: p.id)
            if p.vendor_id == vendor.id and p.type == "simple"
        ]
        customer = next(u for u in state.users.values() if u.role == "customer")
        return [
            checkout.place_order(state, customer, [(products[n % len(products)], 1, None)]).id
            for n in range(count)
        ]


def fill_board(sim: Simulator, synced: Any, orders: int = 2) -> list[int]:
    cache, connection = synced
    placed = place_orders(sim, orders)
    with connection.open_marketplace() as market:
        report = sync_notifications(cache, connection.account_id, market)
    assert not report.error
    return placed


def unread_rows(board: NotificationBoard) -> list[bool]:
    model = board.model
    return [model.index(row, 0).data(UNREAD_ROLE) for row in range(model.rowCount())]


def test_model_passes_the_model_tester(
    sim: Simulator, synced: Any, qtmodeltester: Any, app: Any
) -> None:
    fill_board(sim, synced)
    cache, connection = synced
    model = NotificationListModel(cache, connection.account_id)
    assert model.rowCount() >= 2
    qtmodeltester.check(model)
    model.set_unread_only(True)
    qtmodeltester.check(model)


def test_clicking_a_new_order_opens_it_and_marks_it_read(
    sim: Simulator, synced: Any, qtbot: Any
) -> None:
    placed = fill_board(sim, synced, orders=2)
    cache, connection = synced
    board = NotificationBoard(cache, connection.account_id)
    qtbot.addWidget(board)
    board.resize(520, 400)
    board.show()
    unread_before = board.unread_count
    assert unread_before >= 2
    top = board.model.index(0, 0)
    entry = top.data(ENTRY_ROLE)
    # Newest first among the unread: the last checkout.
    assert entry.order_id == placed[-1] and not entry.read
    assert entry_title(entry).startswith("New order · Order #")
    assert top.data(Qt.ItemDataRole.FontRole).bold()

    with (
        qtbot.waitSignal(board.order_requested) as opened,
        qtbot.waitSignal(board.unread_count_changed) as counted,
        qtbot.waitSignal(board.marked_read) as marked,
    ):
        board.view.clicked.emit(top)
    assert opened.args == [placed[-1]]
    assert counted.args == [unread_before - 1]
    assert marked.args == [[entry.notification_id]]
    with cache.session() as session:
        stored = board_store.get_notification(session, connection.account_id, entry.notification_id)
        assert stored is not None and stored.read and stored.pending_read
    # Read entries move below the unread ones.
    assert unread_rows(board) == sorted(unread_rows(board), reverse=True)

    # Told to the marketplace at the next pass.
    with connection.open_marketplace() as market:
        report = sync_notifications(cache, connection.account_id, market)
    assert entry.notification_id in report.marked_read


def test_mark_read_and_mark_all_read(sim: Simulator, synced: Any, qtbot: Any) -> None:
    fill_board(sim, synced, orders=3)
    cache, connection = synced
    board = NotificationBoard(cache, connection.account_id)
    qtbot.addWidget(board)
    assert not board.mark_read_button.isEnabled()  # nothing selected
    board.view.selectionModel().select(
        board.model.index(1, 0),
        board.view.selectionModel().SelectionFlag.ClearAndSelect,
    )
    assert board.mark_read_button.isEnabled()
    before = board.unread_count
    board.mark_read_button.click()
    assert board.unread_count == before - 1

    board.unread_only.setChecked(True)
    assert all(unread_rows(board)) and board.model.rowCount() == before - 1
    with qtbot.waitSignal(board.unread_count_changed) as counted:
        board.mark_all_button.click()
    assert counted.args == [0]
    assert board.model.rowCount() == 0 and board.empty_label.isVisibleTo(board)
    assert not board.mark_all_button.isEnabled()


def test_server_markup_is_shown_as_text(synced: Any, qtbot: Any) -> None:
    cache, connection = synced
    raw = "Order <b>#77</b> from <a href='http://evil.example'>Bob &amp; Co</a><script>x()</script>"
    with cache.session(write=True) as session:
        board_store.store_notifications(
            session,
            connection.account_id,
            [Notification(990001, raw, "order", datetime.now(UTC), False)],
        )
    board = NotificationBoard(cache, connection.account_id)
    qtbot.addWidget(board)
    row = next(
        row
        for row in range(board.model.rowCount())
        if board.model.index(row, 0).data(ENTRY_ROLE).notification_id == 990001
    )
    index = board.model.index(row, 0)
    shown = index.data(Qt.ItemDataRole.DisplayRole)
    assert shown == "Order #77 from Bob & Co"
    assert "<" not in shown and "evil" not in shown
    tooltip = index.data(Qt.ItemDataRole.ToolTipRole)
    assert "<a" not in tooltip and "<script" not in tooltip
    assert html.escape("Bob & Co") in tooltip
    assert index.data(ENTRY_ROLE).order_id == 77
    # Clicking an entry renders it through the delegate without trouble.
    board.show()
    board.view.scrollTo(index)
    qtbot.wait(10)


def test_messages_to_the_admin_show_with_their_delivery(synced: Any, qtbot: Any) -> None:
    cache, connection = synced
    outbox = Outbox(cache, connection.account_id)
    outbox.enqueue(OutboxKind.MESSAGE_ADMIN, None, {"message": "Please call me about <b>#5</b>"})
    board = NotificationBoard(cache, connection.account_id)
    qtbot.addWidget(board)
    mine = [
        board.model.index(row, 0)
        for row in range(board.model.rowCount())
        if board.model.index(row, 0).data(ENTRY_ROLE).from_you
    ]
    assert len(mine) == 1
    entry = mine[0].data(ENTRY_ROLE)
    assert entry_title(entry) == "You wrote to the store admin · waiting to be sent"
    assert mine[0].data(Qt.ItemDataRole.DisplayRole) == "Please call me about #5"
    with qtbot.waitSignal(board.message_admin_requested):
        board.message_button.click()
    # A message is not about an order: clicking it asks for nothing.
    with qtbot.assertNotEmitted(board.order_requested):
        board.open_entry(QModelIndex(mine[0]))


def test_relative_dates_and_plain_text(app: Any) -> None:
    now = datetime(2030, 5, 1, 12, 0, tzinfo=UTC)
    assert relative_date(now - timedelta(seconds=20), now) == "just now"
    assert relative_date(now - timedelta(minutes=5), now) == "5 min ago"
    assert relative_date(now - timedelta(hours=3), now) == "3 h ago"
    assert relative_date(now - timedelta(hours=30), now) == "yesterday"
    assert relative_date(now - timedelta(days=9), now) != ""
    assert plain_text("a &lt;b&gt; <i>c</i>\n d") == "a <b> c d"
