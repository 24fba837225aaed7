"""The main window against a real cache synced from the simulator over HTTP."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect, QSettings, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QLabel

from tests.ui.conftest import HTML_NOTE
from vendor_desk.ui.main_window import MainWindow
from vendor_desk.ui.order_model import COL_CUSTOMER, COUNT_ROLE, ORDER_ID_ROLE


def _group_row(window: MainWindow, group: str) -> int:
    return window.filter_model.row_of(group)


def test_filters_show_live_counts_and_filter_the_list(window: MainWindow, qtbot: Any) -> None:
    counts = {
        window.filter_model.group_at(r): window.filter_model.index(r).data(COUNT_ROLE)
        for r in range(window.filter_model.rowCount())
    }
    assert counts["all"] > 0 and sum(v for k, v in counts.items() if k != "all") == counts["all"]
    for group, count in counts.items():
        window.filter_view.setCurrentIndex(window.filter_model.index(_group_row(window, group)))
        assert window.model.rowCount() == count
        assert window.model.query.group == group


def search_box_is_shown(window: MainWindow) -> bool:
    """What the vendor sees after Ctrl+F: the search box whole inside the window, ready for
    typing (the window's focus goes to it when the window is active — whether the platform
    makes it active is not ours to test)."""
    edit = window.search_edit
    box = QRect(edit.mapTo(window, QPoint(0, 0)), edit.size())
    return (
        edit.isVisible()
        and edit.visibleRegion().boundingRect().size() == edit.size()
        and window.rect().contains(box)
        and window.focusWidget() is edit
    )


@pytest.mark.parametrize("size", [(1500, 860), (1366, 768), (1024, 700)])
def test_ctrl_f_shows_the_search_box_at_every_window_size(
    window: MainWindow, qtbot: Any, size: tuple[int, int]
) -> None:
    assert window.find_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Find)
    window.resize(*size)
    qtbot.waitUntil(lambda: window.width() == size[0], timeout=2000)
    window.table.setFocus()
    window.find_action.trigger()
    assert search_box_is_shown(window)
    window.search_edit.setText("#12")  # what is typed lands in the search box
    qtbot.waitUntil(lambda: window.model.query.search == "#12", timeout=2000)


def test_search_is_debounced_and_esc_clears(window: MainWindow, qtbot: Any) -> None:
    window.filter_view.setCurrentIndex(window.filter_model.index(_group_row(window, "all")))
    everything = window.model.rowCount()
    number = window.model.row_at(3).number
    window.find_action.trigger()  # Ctrl+F
    assert search_box_is_shown(window)
    qtbot.keyClicks(window.search_edit, number)
    assert window.model.rowCount() == everything  # not yet: debounced
    qtbot.waitUntil(lambda: window.model.query.search == number, timeout=2000)
    assert 1 <= window.model.rowCount() < everything
    assert number in {window.model.row_at(r).number for r in range(window.model.rowCount())}
    all_row = window.filter_model.index(_group_row(window, "all"))
    assert all_row.data(COUNT_ROLE) == window.model.rowCount()  # counts follow the search
    qtbot.keyClick(window.search_edit, Qt.Key.Key_Escape)
    assert window.search_edit.text() == ""
    assert window.model.rowCount() == everything


def test_detail_pane_shows_order_in_plain_text(window: MainWindow, qtbot: Any) -> None:
    window.filter_view.setCurrentIndex(window.filter_model.index(_group_row(window, "all")))
    window.select_row(0)
    order_id = window.model.index(0, 0).data(ORDER_ID_ROLE)
    assert window.detail.order_id == order_id
    text = window.detail.text_content()
    assert HTML_NOTE in text  # the literal characters, markup and all
    note_label = window.detail.findChild(QLabel, "customerNote")
    assert note_label.textFormat() == Qt.TextFormat.PlainText
    assert "as of" in text
    customer = window.model.index(0, COL_CUSTOMER).data()
    assert customer and customer in text
    for label in window.detail.findChildren(QLabel):
        assert label.textFormat() != Qt.TextFormat.RichText
    assert window.detail.items_table.topLevelItemCount() >= 1


def test_split_order_hint(window: MainWindow) -> None:
    window.filter_view.setCurrentIndex(window.filter_model.index(_group_row(window, "all")))
    split_rows = [r for r in range(window.model.rowCount()) if window.model.row_at(r).split]
    assert split_rows, "the generated shop has split orders"
    window.select_row(split_rows[0])
    assert "other vendors" in window.detail.text_content()


def test_sync_and_offline_banner(window: MainWindow, sim: Any, qtbot: Any) -> None:
    window.filter_view.setCurrentIndex(window.filter_model.index(_group_row(window, "all")))
    with qtbot.waitSignal(window.sync_succeeded, timeout=20000):
        assert window.start_sync()
    assert not window.banner.isVisible()
    assert "Last sync" in window.last_sync_label.text()
    rows_before = window.model.rowCount()
    fault = sim.fault_injector.add("reset", times=None)
    try:
        with qtbot.waitSignal(window.sync_failed, timeout=20000) as blocker:
            window.start_sync()
        assert blocker.args[0].kind == "unreachable"
        assert window.offline and window.banner.isVisible()
        assert "offline" in window.banner_label.text().lower()
        # the cache stays usable
        assert window.model.rowCount() == rows_before
        window.select_row(1)
        assert window.detail.order_id is not None
    finally:
        sim.fault_injector.remove(fault.id)
    with qtbot.waitSignal(window.sync_succeeded, timeout=20000):
        window.start_sync()
    assert not window.offline and not window.banner.isVisible()


def test_new_orders_bump_unread_counter(window: MainWindow, sim: Any, qtbot: Any) -> None:
    with qtbot.waitSignal(window.sync_succeeded, timeout=20000):
        window.start_sync()
    sim.add_orders(12)  # random customers and vendors: some are the demo vendor's
    with qtbot.waitSignal(window.sync_succeeded, timeout=20000):
        window.start_sync()
    assert window.unread >= 1 and window.unread_button.isVisible()
    assert window.windowTitle().startswith(f"({window.unread})")
    shown = window.notifier.shown[-1]
    assert shown.title.startswith("New order") or shown.title.endswith("new orders")
    assert not shown.on_screen  # the offscreen platform has no system tray
    window.clear_unread()
    assert window.unread == 0


def test_notification_sound_and_click_open_the_order(window: MainWindow, qtbot: Any) -> None:
    with qtbot.waitSignal(window.sync_succeeded, timeout=20000):
        window.start_sync()
    all_row = window.filter_model.row_of("all")
    window.filter_view.setCurrentIndex(window.filter_model.index(all_row))
    order_id = window.model.order_id_at(3)
    assert order_id is not None
    # an order the current filter hides: opening it from the notification shows all orders
    window.filter_view.setCurrentIndex(
        window.filter_model.index(window.filter_model.row_of("completed"))
    )
    window.notifier.set_sound(True)
    window._notify_new_orders([order_id])
    shown = window.notifier.shown[-1]
    assert shown.sound and shown.order_id == order_id
    assert shown.title == f"New order #{order_id}"
    window.notifier.clicked.emit(order_id)
    assert window.model.order_id_at(window.table.currentIndex().row()) == order_id
    assert f"#{order_id}" in window.detail.text_content()


def test_sort_filter_and_geometry_persist(synced: Any, settings: QSettings, qtbot: Any) -> None:
    cache, connection = synced
    first = MainWindow(cache, connection, settings, sync_interval_ms=0, auto_sync=False)
    qtbot.addWidget(first)
    first.filter_view.setCurrentIndex(
        first.filter_model.index(first.filter_model.row_of("completed"))
    )
    first.table.sortByColumn(COL_CUSTOMER, Qt.SortOrder.AscendingOrder)
    first.table.horizontalHeader().resizeSection(COL_CUSTOMER, 233)
    first.resize(701, 513)
    first.close()

    second = MainWindow(cache, connection, settings, sync_interval_ms=0, auto_sync=False)
    qtbot.addWidget(second)
    assert second.model.query.group == "completed"
    assert second.model.query.sort == "customer" and not second.model.query.descending
    assert second.table.horizontalHeader().sectionSize(COL_CUSTOMER) == 233
    assert second.size().width() == 701
    second.shutdown()


def test_sync_sends_queued_changes_first(window: MainWindow, sim: Any, qtbot: Any) -> None:
    """A change queued in the outbox (e.g. by `vendor-desk complete` while offline) goes out
    with the window's next sync, and the list then shows the marketplace's state."""
    from vendor_desk.cache.queries import OrderQuery, fetch_rows
    from vendor_desk.sync.outbox import Outbox, OutboxState

    with window._cache.session() as session:
        query = OrderQuery(window._connection.account_id, group="to_ship")
        order_id = fetch_rows(session, query, 0, 1)[0].order_id
    outbox = Outbox(window._cache, window._connection.account_id)
    entry = outbox.enqueue("complete", order_id, {})
    with qtbot.waitSignal(window.sync_succeeded, timeout=30000):
        window.start_sync()
    assert outbox.get(entry).state is OutboxState.SENT
    rows = sim.order_snapshot(order_id)["commissions"]
    vendor_id = int(next(u for u in sim.users if u["login"] == sim.demo_vendor)["id"])
    assert {r["commission_status"] for r in rows if int(r["vendor_id"]) == vendor_id} == {
        "completed"
    }
    with window._cache.session() as session:
        done = OrderQuery(window._connection.account_id, group="completed")
        assert order_id in {r.order_id for r in fetch_rows(session, done, 0, 10_000)}


def test_to_ship_marks_refund_requests_and_says_nothing_to_ship(
    window: MainWindow, sim: Any, synced: Any, qtbot: Any
) -> None:
    """In "To ship": an e-book order says "Nothing to ship — complete it"; an unshipped order
    with a refund request waiting stays there, with the refund icon and words."""
    from decimal import Decimal

    from tests.sync.placed_orders import place
    from vendor_desk.cache.store import load_orders
    from vendor_desk.domain import Money, RefundLine
    from vendor_desk.sync import Syncer
    from vendor_desk.sync.outbox import Outbox
    from vendor_desk.sync.refunds import queue_refund
    from vendor_desk.ui.order_model import COL_SHIPPING, COL_STATUS

    cache, connection = synced
    ebook = place(sim, connection.login, shippable=0, virtual=1)
    parcel = place(sim, connection.login, shippable=1)
    with connection.open_marketplace() as market:
        Syncer(cache, connection.account_id, market).sync()
    with cache.session() as session:
        order = load_orders(session, connection.account_id, [parcel])[parcel]
    line = RefundLine(order.items[0].item_id, 0, Money(Decimal("1"), order.currency))
    queue_refund(
        Outbox(cache, connection.account_id),
        order,
        "partial",
        [line],
        "Scratch",
        confirm_unpaid=True,
    )
    window.reload()
    window.filter_view.setCurrentIndex(window.filter_model.index(_group_row(window, "to_ship")))
    rows = {window.model.row_at(r).order_id: r for r in range(window.model.rowCount())}
    assert ebook in rows and parcel in rows
    assert window.model.index(rows[ebook], COL_SHIPPING).data() == "Nothing to ship — complete it"
    assert window.model.index(rows[parcel], COL_STATUS).data() == "Refund requested"


def test_the_window_says_how_long_ago_everything_was_checked(
    window: MainWindow, qtbot: Any
) -> None:
    """After a sync the status bar says when the least recently read order was read (the
    sweep keeps it within the hour); View → Check Everything Now reads every order at once."""
    assert window.checked_label.text() == "Everything checked just now"  # the cache's own sync
    assert "within the hour" in window.checked_label.toolTip()
    with qtbot.waitSignal(window.sync_succeeded, timeout=20000) as signal:
        assert window.check_everything()
    assert signal.args[0].kind == "reconcile"
    assert window.checked_label.text() == "Everything checked just now"
    assert window.check_all_action.text() == "Check Everything Now"
