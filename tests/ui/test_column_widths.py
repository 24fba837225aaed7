"""Columns that showed their most useful words cut (issue 12): "Processin…" (Status), "Cash on
deliv…" (Payment) in the order list, "Pin…" in the detail pane's items. The widths come from
the font's metrics, and the window stays usable at 1366×768 and 1024×700."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QAbstractItemView, QApplication, QStyle

from vendor_desk.cache.queries import order_detail, order_ids
from vendor_desk.ui import labels
from vendor_desk.ui.main_window import MainWindow
from vendor_desk.ui.order_delegate import STATUS_DECORATION_WIDTH
from vendor_desk.ui.order_model import COL_PAYMENT, COL_STATUS

DEFAULT_SIZE = (1500, 860)  # what a window without saved geometry opens at, on a large screen


def _settle() -> None:
    for _ in range(3):
        QApplication.processEvents()


def _margin(view: QAbstractItemView) -> int:
    """The padding an item view's painter leaves on each side of a cell's icon and text."""
    return view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1


def _shown_whole(text: str, metrics: QFontMetrics, room: int) -> bool:
    return metrics.elidedText(text, Qt.TextElideMode.ElideRight, room) == text


def _status_and_payment_fit(window: MainWindow) -> None:
    table = window.table
    header = table.horizontalHeader()
    metrics = table.fontMetrics()
    margin = _margin(table)
    # Status: the icon (with the clock badge of a pending change: the widest picture) and the
    # label after it, each with its margins — as the list's painter lays the cell out.
    assert not header.isSectionHidden(COL_STATUS)  # the last to give way
    room = header.sectionSize(COL_STATUS) - (STATUS_DECORATION_WIDTH + 2 * margin) - 2 * margin
    for label in labels.status_labels():
        assert _shown_whole(label, metrics, room), label
    if header.isSectionHidden(COL_PAYMENT):
        return  # it gave way to more important columns (a narrow window): not cut
    room = header.sectionSize(COL_PAYMENT) - 2 * margin
    for title in ("Cash on delivery", "Direct bank transfer", "PayPal"):
        assert _shown_whole(title, metrics, room), title


def test_status_and_payment_are_not_cut_at_the_default_size(window: MainWindow) -> None:
    window.resize(*DEFAULT_SIZE)
    _settle()
    _status_and_payment_fit(window)
    assert "Processing" in labels.status_labels()


def test_the_list_paints_the_usual_values_whole(window: MainWindow) -> None:
    """What the painter drew: the Status and Payment texts it laid out are not elided."""
    window.resize(1920, 1000)  # room for the Payment column (narrower, it gives way)
    _settle()
    window.filter_view.setCurrentIndex(window.filter_model.index(window.filter_model.row_of("all")))
    window.table.viewport().repaint()
    delegate = window.table.itemDelegate()
    laid_out = {key[0] for key in delegate._texts}  # (text, width, font) of every painted cell
    shown = {
        window.model.index(row, column).data()
        for row in range(min(window.model.rowCount(), 20))
        for column in (COL_STATUS, COL_PAYMENT)
    }
    assert {"Processing", "Cash on delivery"} & shown
    for text in shown:
        assert text in laid_out
        static, _width = next(v for k, v in delegate._texts.items() if k[0] == text)
        assert static.text() == text, text  # not "Processin…"


def test_a_layout_saved_with_the_old_fixed_widths_gets_the_measured_ones(
    synced: Any, settings: QSettings, qtbot: Any
) -> None:
    cache, connection = synced
    first = MainWindow(cache, connection, settings, sync_interval_ms=0, auto_sync=False)
    qtbot.addWidget(first)
    header = first.table.horizontalHeader()
    header.resizeSection(COL_PAYMENT, 100)  # what earlier versions set and saved
    header.resizeSection(COL_STATUS, 118)
    header.resizeSection(1, 140)  # a column the vendor widened stays as they left it
    first.save_settings()
    first.shutdown()
    assert isinstance(settings.value("orders/header"), QByteArray)
    again = MainWindow(cache, connection, settings, sync_interval_ms=0, auto_sync=False)
    qtbot.addWidget(again)
    again.show()
    again.resize(*DEFAULT_SIZE)
    _settle()
    _status_and_payment_fit(again)
    assert again.table.horizontalHeader().sectionSize(1) == 140
    again.shutdown()


@pytest.mark.parametrize("size", [DEFAULT_SIZE, (1366, 768), (1024, 700)])
def test_the_window_stays_usable(window: MainWindow, size: tuple[int, int]) -> None:
    window.resize(*size)
    _settle()
    assert (window.width(), window.height()) == size  # it fits the screen
    _status_and_payment_fit(window)  # columns keep their width or give way whole
    window.filter_view.setCurrentIndex(window.filter_model.index(window.filter_model.row_of("all")))
    window.select_row(0)
    _settle()
    detail = window.detail
    # The detail pane's content fits its width: no sideways scrolling there.
    assert detail._content.minimumSizeHint().width() <= detail._scroll.viewport().width()


def _items_table_shows(window: MainWindow, name: str) -> tuple[bool, int]:
    table = window.detail.items_table
    assert table is not None
    rows = [table.topLevelItem(r) for r in range(table.topLevelItemCount())]
    assert name in [row.text(0) for row in rows if row is not None]
    room = table.header().sectionSize(0) - 2 * _margin(table)
    return _shown_whole(name, table.fontMetrics(), room), room


@pytest.mark.parametrize("size", [DEFAULT_SIZE, (1366, 768)])
def test_the_items_product_names_show_in_full(
    window: MainWindow, synced: Any, size: tuple[int, int]
) -> None:
    """The issue's "Pin…" (its order: one "Pine Tee - L", earning above the total): the name in
    full; the tracking and refund states the item table no longer has columns for are listed
    under it. (At 1024 px the pane is at its narrowest: long names are elided there, with the
    whole name as tooltip.)"""
    cache, connection = synced
    window.resize(*size)
    with cache.session() as session:
        details = [
            order_detail(session, connection.account_id, order_id)
            for order_id in sorted(order_ids(session, connection.account_id))
        ]
    orders = [d.order for d in details if d is not None]
    tees = [o for o in orders if [i.name[:8] for i in o.items] == ["Pine Tee"]]
    assert tees, "the generated shop sells Pine Tees"
    for order in tees[:3]:
        window.open_order(order.id)
        _settle()
        fits, room = _items_table_shows(window, order.items[0].name)
        assert fits, (order.items[0].name, room)

    # An item's refund state and tracking are listed under the table.
    refunded = next(
        o for o in orders if any(i.refund_state.slug not in ("", "none") for i in o.items)
    )
    window.open_order(refunded.id)
    _settle()
    item = next(i for i in refunded.items if i.refund_state.slug not in ("", "none"))
    assert f"{item.name}: {item.refund_state.label.lower()}" in window.detail.text_content()
    tracked = next(o for o in orders if any(i.tracking_code for i in o.items))
    window.open_order(tracked.id)
    _settle()
    code = next(i.tracking_code for i in tracked.items if i.tracking_code)
    assert code in window.detail.text_content()  # with its address, under the table
