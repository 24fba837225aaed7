"""The Qt models over the real cache: qtmodeltester, paging, sorting, filters, search, icons."""

from __future__ import annotations

import time
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon, QPixmap
from sqlalchemy import update

from vendor_desk.cache.models import OrderRecord
from vendor_desk.cache.queries import (
    STATUS_GROUPS,
    OrderQuery,
    count_orders,
    fetch_rows,
    group_counts,
)
from vendor_desk.marketplace.probe import AccountInput, open_marketplace
from vendor_desk.paths import resource_path
from vendor_desk.sync.outbox import Outbox, OutboxKind
from vendor_desk.ui.icons import STATUS_ICON_NAMES, status_icon, status_icon_name
from vendor_desk.ui.order_model import (
    COL_CUSTOMER,
    COL_NUMBER,
    COL_PAYMENT,
    COL_STATUS,
    COL_TOTAL,
    COLUMN_KEYS,
    COUNT_ROLE,
    ORDER_ID_ROLE,
    OUTBOX_ROLE,
    SHIP_WARNING_ROLE,
    OrderTableModel,
    StatusFilterModel,
    ship_warning_text,
)

from .conftest import vendor


def test_every_status_has_its_own_svg_icon(app: Any) -> None:
    contents = set()
    for name in STATUS_ICON_NAMES:
        path = resource_path("icons", f"status-{name}.svg")
        contents.add(path.read_text())
        icon = status_icon(name)
        assert not icon.isNull()
        assert not icon.pixmap(16, 16).isNull()
    assert len(contents) == len(STATUS_ICON_NAMES)  # no two statuses share a drawing
    assert status_icon_name("wc-on-hold") == "on-hold"
    assert status_icon_name("something-custom") == "unknown"


def test_order_model_passes_qtmodeltester(synced: Any, qtmodeltester: Any) -> None:
    cache, connection = synced
    model = OrderTableModel(cache, connection.account_id, page_size=7, max_pages=2)
    assert model.rowCount() > 20
    qtmodeltester.check(model)
    model.set_group("to_ship")
    qtmodeltester.check(model)


def test_filter_model_passes_qtmodeltester(synced: Any, qtmodeltester: Any) -> None:
    cache, connection = synced
    model = StatusFilterModel()
    with cache.session() as session:
        model.set_counts(group_counts(session, connection.account_id))
    qtmodeltester.check(model)
    assert [model.index(r).data(COUNT_ROLE) for r in range(model.rowCount())][-1] > 0


def test_rows_are_paged_not_loaded_at_once(synced: Any) -> None:
    cache, connection = synced
    model = OrderTableModel(cache, connection.account_id, page_size=5, max_pages=2)
    total = model.rowCount()
    ids = [model.index(r, 0).data(ORDER_ID_ROLE) for r in range(total)]
    assert len(set(ids)) == total
    assert len(model._pages) <= 2


def test_list_shows_number_money_and_status_icon(synced: Any) -> None:
    cache, connection = synced
    model = OrderTableModel(cache, connection.account_id)
    row = model.row_at(0)
    assert row is not None
    assert model.index(0, COL_NUMBER).data() == f"#{row.number}"
    assert row.currency in ("USD",) and model.index(0, COL_TOTAL).data().startswith("$")
    assert not model.index(0, COL_STATUS).data(Qt.ItemDataRole.DecorationRole).isNull()
    assert model.index(0, COL_STATUS).data()  # a translated label


@pytest.mark.parametrize("column", range(len(COLUMN_KEYS)))
def test_sorting_every_column_requeries_the_cache(synced: Any, column: int) -> None:
    cache, connection = synced
    model = OrderTableModel(cache, connection.account_id, page_size=10)
    model.sort(column, Qt.SortOrder.AscendingOrder)
    assert model.query.sort == COLUMN_KEYS[column] and not model.query.descending
    ascending = [model.index(r, 0).data(ORDER_ID_ROLE) for r in range(model.rowCount())]
    model.sort(column, Qt.SortOrder.DescendingOrder)
    descending = [model.index(r, 0).data(ORDER_ID_ROLE) for r in range(model.rowCount())]
    assert sorted(ascending) == sorted(descending)
    if COLUMN_KEYS[column] in ("number", "date"):
        assert ascending == list(reversed(descending))


def test_filters_and_search_match_the_cache_counts(synced: Any) -> None:
    cache, connection = synced
    model = OrderTableModel(cache, connection.account_id)
    with cache.session() as session:
        counts = group_counts(session, connection.account_id)
    for group in STATUS_GROUPS:
        model.set_group(group)
        assert model.rowCount() == counts[group]
    model.set_group("all")
    first = model.row_at(0)
    assert first is not None
    model.set_search(first.customer.split()[0])
    assert 1 <= model.rowCount() < counts["all"] or counts["all"] == 1
    model.set_search("no-such-order-anywhere")
    assert model.rowCount() == 0
    with cache.session() as session:
        assert count_orders(session, OrderQuery(connection.account_id, search="zzzz-none")) == 0


def test_outbox_changes_show_a_clock_badge_then_a_failed_one(
    synced: Any, sim: Any, qtmodeltester: Any
) -> None:
    cache, connection = synced
    model = OrderTableModel(cache, connection.account_id)
    model.set_group("to_ship")
    order = model.row_at(0)
    assert order is not None
    model.set_group("all")
    model.set_search(f"#{order.number}")
    assert model.rowCount() == 1
    status = model.index(0, COL_STATUS)
    assert status.data(OUTBOX_ROLE) == ""
    assert isinstance(status.data(Qt.ItemDataRole.DecorationRole), QIcon)  # no badge

    outbox = Outbox(cache, connection.account_id)
    entry_id = outbox.enqueue(OutboxKind.SET_STATUS, order.order_id, {"status": "refunded"})
    model.refresh()
    status = model.index(0, COL_STATUS)
    assert status.data(OUTBOX_ROLE) == "pending"
    assert "Waiting to be sent to the marketplace" in status.data(Qt.ItemDataRole.ToolTipRole)
    badged = status.data(Qt.ItemDataRole.DecorationRole)
    assert isinstance(badged, QPixmap)  # status icon and clock side by side, not squeezed
    assert badged.width() / badged.devicePixelRatio() == 30
    qtmodeltester.check(model)

    user = vendor(sim)
    account = AccountInput(sim.base_url, user["login"], user["password"], False)
    with open_marketplace(account) as market:
        assert outbox.send_due(market).failed == [entry_id]  # refused by the marketplace
    model.refresh()
    status = model.index(0, COL_STATUS)
    assert status.data(OUTBOX_ROLE) == "failed"
    assert "refused a change" in status.data(Qt.ItemDataRole.ToolTipRole)
    failed = status.data(Qt.ItemDataRole.DecorationRole)
    assert isinstance(failed, QPixmap) and failed.toImage() != badged.toImage()

    outbox.discard(entry_id)
    model.refresh()
    assert model.index(0, COL_STATUS).data(OUTBOX_ROLE) == ""
    qtmodeltester.check(model)


def test_orders_that_must_not_ship_stand_out(synced: Any) -> None:
    cache, connection = synced
    model = OrderTableModel(cache, connection.account_id)
    reasons = set()
    for row in range(model.rowCount()):
        order = model.row_at(row)
        assert order is not None
        status, total = model.index(row, COL_STATUS), model.index(row, COL_TOTAL)
        colour = status.data(Qt.ItemDataRole.ForegroundRole)
        assert status.data(SHIP_WARNING_ROLE) == order.ship_warning
        if order.ship_warning and not order.vanished:
            reasons.add(order.ship_warning)
            assert colour is not None
            assert colour == model.index(row, COL_PAYMENT).data(Qt.ItemDataRole.ForegroundRole)
            assert total.data(Qt.ItemDataRole.ForegroundRole) is None  # only status + payment
            tooltip = status.data(Qt.ItemDataRole.ToolTipRole)
            assert ship_warning_text(order.ship_warning) in tooltip
        elif not order.vanished:
            assert colour is None
    assert reasons  # the generated shop has orders waiting for payment


def test_search_pages_and_counts_agree_with_the_cache_with_and_without_words(synced: Any) -> None:
    """What the in-memory index answers (searches, and once it is built also a search without
    words such as "#") is what the SQL queries answer: same orders, same order, same counts."""
    cache, connection = synced
    account_id = connection.account_id
    model = OrderTableModel(cache, account_id, page_size=4)
    first = model.row_at(0)
    assert first is not None
    searches = ["#", "", first.customer.split()[0], "a", "#" + first.number, "zzqx", "  "]
    for built in (False, True):
        if built:
            model.prepare_search()
            assert model._search_index is not None
            model._search_index.result()
        for search in searches:
            model.set_search(search)
            for group in STATUS_GROUPS:
                model.set_group(group)
                query = OrderQuery(account_id, group=group, search=search)
                with cache.session() as session:
                    expected = [row.order_id for row in fetch_rows(session, query, 0, 10_000)]
                    counts = group_counts(session, account_id, search)
                shown = [model.index(r, 0).data(ORDER_ID_ROLE) for r in range(model.rowCount())]
                assert shown == expected, (built, search, group)
                assert model.group_counts() == counts, (built, search, group)
            model.set_group("all")
    # A search without words really was answered by the index once it was built.
    model.set_search("#")
    assert model._matched_ids is not None


def test_rows_read_for_a_search_are_kept_until_the_cache_changes(synced: Any) -> None:
    """Typing shows the same newest orders again: their rows are kept (not read again), and
    dropped by refresh() after the cache changed (a sync), so the list never shows stale rows."""
    cache, connection = synced
    model = OrderTableModel(cache, connection.account_id, page_size=4)
    first = model.row_at(0)
    assert first is not None
    word = first.customer.split()[0]
    model.set_search(word[:1])
    assert model.index(0, 0).data(ORDER_ID_ROLE) == first.order_id
    assert first.order_id in model._rows
    key = (OrderRecord.account_id == connection.account_id, OrderRecord.order_id == first.order_id)
    with cache.session(write=True) as session:
        session.execute(update(OrderRecord).where(*key).values(customer_name="Renamed Customer"))
    model.set_search(word)  # a refinement: the newest order still matches, its row is reused
    assert model.index(0, 0).data(ORDER_ID_ROLE) == first.order_id
    assert model.index(0, COL_CUSTOMER).data() == first.customer
    model.refresh()  # what the window does after a sync wrote to the cache
    assert model.index(0, COL_CUSTOMER).data() == "Renamed Customer"


def test_search_with_ngram_bitmaps_follows_the_cache_after_refresh(synced: Any) -> None:
    """The search index's n-gram bitmaps (from a child process) answer what the cache answers;
    after a sync changed orders, refresh() drops them with the index: the new index scans until
    its own bitmaps arrive, and both show the changed order."""
    cache, connection = synced
    account_id = connection.account_id
    model = OrderTableModel(cache, account_id, page_size=4, ngram_min_orders=0)

    def ready_index() -> Any:
        model.prepare_search()
        assert model._search_index is not None
        index = model._search_index.result()
        for _ in range(600):
            if index.postings_ready:
                return index
            time.sleep(0.05)
        raise AssertionError("the n-gram bitmaps never arrived")

    def shown() -> list[int]:
        return [model.index(r, 0).data(ORDER_ID_ROLE) for r in range(model.rowCount())]

    def expected(search: str) -> list[int]:
        with cache.session() as session:
            query = OrderQuery(account_id, search=search)
            return [row.order_id for row in fetch_rows(session, query, 0, 10_000)]

    first = model.row_at(0)
    assert first is not None
    old_index = ready_index()
    for search in ("a", "e", first.customer[:2], "#" + first.number, "zqzq"):
        model.set_search(search)
        assert shown() == expected(search), search

    key = (OrderRecord.account_id == account_id, OrderRecord.order_id == first.order_id)
    with cache.session(write=True) as session:
        session.execute(update(OrderRecord).where(*key).values(search_text="zqzq\nΩmega"))
    model.refresh()  # what the window does after a sync
    assert model._search_index is None or model._search_index.result() is not old_index
    model.set_search("zq")  # the new index, before its bitmaps arrive: scanned
    assert shown() == [first.order_id]
    new_index = ready_index()
    assert new_index is not old_index
    for search in ("zqzq", "ωm", "Ω", first.customer[:2]):
        model.set_search(search)
        assert shown() == expected(search), search
