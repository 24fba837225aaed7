"""The main window on a laptop at the packing table (issue 15 §4): at 1024×700, 1280×720 and
1366×768 nothing is cut off — every toolbar action is on the toolbar (none in the "»" overflow),
with room for one more; the search box shows; the Status, Order and Customer columns show (the
others give way); the detail pane's buttons show whole, inside the window."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QPushButton, QToolButton, QWidget

from vendor_desk.domain.tracking_codes import s10_check
from vendor_desk.ui.main_window import MainWindow
from vendor_desk.ui.order_model import COL_CUSTOMER, COL_NUMBER, COL_STATUS

Flag = QItemSelectionModel.SelectionFlag
SIZES = [(1024, 700), (1280, 720), (1366, 768)]
FRENCH_SIZES = [(1024, 700), (1366, 768)]


def _settle() -> None:
    for _ in range(5):
        QApplication.processEvents()


def _in_window(window: MainWindow, widget: QWidget) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def _shown_whole(window: MainWindow, widget: QWidget) -> bool:
    """Visible, not clipped by what holds it, and inside the window."""
    return (
        widget.isVisible()
        and not widget.visibleRegion().isEmpty()
        and widget.visibleRegion().boundingRect().size() == widget.size()
        and window.rect().contains(_in_window(window, widget))
    )


def _overflow_button(window: MainWindow) -> QToolButton | None:
    return window.toolbar.findChild(QToolButton, "qt_toolbar_ext_button")


def _check(window: MainWindow, size: tuple[int, int]) -> None:
    _settle()
    assert (window.width(), window.height()) == size
    toolbar = window.toolbar
    extension = _overflow_button(window)
    assert extension is None or not extension.isVisible(), "actions in the » overflow"
    for action in toolbar.actions():
        if action.isSeparator() or not action.isVisible():
            continue
        widget = toolbar.widgetForAction(action)
        if not isinstance(widget, QToolButton):
            continue  # the spacer, the account's name (elided to the room left)
        assert _shown_whole(window, widget), (action.text(), _in_window(window, widget))
    assert _shown_whole(window, window.search_edit)

    header = window.table.horizontalHeader()
    room = window.table.viewport().width()
    for column in (COL_STATUS, COL_NUMBER, COL_CUSTOMER):
        assert not header.isSectionHidden(column), column
        left = header.sectionViewportPosition(column)
        assert left >= 0 and left + header.sectionSize(column) <= room, column
        assert header.sectionSize(column) >= 60, column
    assert header.length() <= room + 1  # no sideways scrolling: columns gave way instead

    detail = window.detail
    assert detail.order_id is not None
    buttons = [b for b in detail.findChildren(QPushButton) if b.isVisibleTo(detail)]
    assert detail.ship_button in buttons and detail.message_button in buttons
    viewport = detail._scroll.viewport()
    # The pane's content fits its width (no sideways scrolling) ...
    assert detail._content.minimumSizeHint().width() <= viewport.width()
    for button in buttons:
        # ... and its buttons show whole, once scrolled to (the pane scrolls down, not across).
        detail._scroll.ensureWidgetVisible(button)
        _settle()
        assert _shown_whole(window, button), (button.text(), _in_window(window, button))
        assert button.width() >= button.minimumSizeHint().width(), button.text()


@pytest.mark.parametrize("size", SIZES)
def test_nothing_is_cut_off(window: MainWindow, size: tuple[int, int]) -> None:
    _nothing_is_cut_off(window, size)


@pytest.mark.parametrize("size", FRENCH_SIZES)
def test_nothing_is_cut_off_in_french(french_window: MainWindow, size: tuple[int, int]) -> None:
    """French runs 20–30 % longer (issue 16 §5): still nothing cut off."""
    assert french_window.order_actions.ship_action.text() == "Marquer expédiée…"
    _nothing_is_cut_off(french_window, size)
    _sidebar_whole(french_window)


def _sidebar_whole(window: MainWindow) -> None:
    """Each status filter's name shows whole, clear of its count."""
    view = window.filter_view
    metrics = view.fontMetrics()
    for row in range(window.filter_model.rowCount()):
        index = window.filter_model.index(row)
        text = str(index.data())
        rect = view.visualRect(index)
        # icon + margins (≈ 40 px) + text + the count's pill (≈ 60 px) within the viewport
        assert 40 + metrics.horizontalAdvance(text) + 60 <= view.viewport().width(), text
        assert rect.height() > 0


def _nothing_is_cut_off(window: MainWindow, size: tuple[int, int]) -> None:
    # The lead's Pack view adds a "Pack" (F2) action: there is room for one more.
    pack = QAction("Pack", window)
    window.toolbar.insertAction(window.order_actions.ship_action, pack)
    window.resize(*size)
    window.filter_view.setCurrentIndex(window.filter_model.index(window.filter_model.row_of("all")))
    window.select_row(0)
    _check(window, size)
    # Several orders selected: the actions' longer texts ("Mark 2 Orders Shipped…") still fit.
    selection = window.table.selectionModel()
    window.select_row(0)
    selection.select(window.model.index(1, 0), Flag.Select | Flag.Rows)
    assert len(window.selected_order_ids()) == 2
    _check(window, size)
    # An order with a warning and its own button (a refund request waiting, cash on delivery).
    _, row = max(
        (len(window.model.row_at(r).customer or ""), r) for r in range(window.model.rowCount())
    )
    window.select_row(row)
    _check(window, size)


@pytest.mark.parametrize("size", SIZES)
def test_the_to_ship_list_and_an_order_with_a_warning(window: MainWindow, size: Any) -> None:
    _the_to_ship_list(window, size)


@pytest.mark.parametrize("size", FRENCH_SIZES)
def test_the_to_ship_list_in_french(french_window: MainWindow, size: Any) -> None:
    _the_to_ship_list(french_window, size)


def _the_to_ship_list(window: MainWindow, size: Any) -> None:
    window.resize(*size)
    for group in ("to_ship", "all"):
        window.filter_view.setCurrentIndex(
            window.filter_model.index(window.filter_model.row_of(group))
        )
        for row in range(min(window.model.rowCount(), 8)):
            window.select_row(row)
            _check(window, size)
            assert window.detail.order_id == window.model.order_id_at(row)


def test_the_window_opens_within_the_screen(synced: Any, settings: Any, qtbot: Any) -> None:
    """No saved geometry: the window opens at most as large as the screen's free area (it used
    to open 1500 px wide whatever the screen)."""
    cache, connection = synced
    main = MainWindow(cache, connection, settings, sync_interval_ms=0, auto_sync=False)
    qtbot.addWidget(main)
    main.show()
    available = main.screen().availableGeometry()
    assert available.size() != QSize(0, 0)
    assert main.width() <= available.width() and main.height() <= available.height()
    assert main.frameGeometry().width() <= available.width()
    main.shutdown()


def test_a_toolbar_too_narrow_for_its_texts_shows_icons_alone(window: MainWindow) -> None:
    """A longer text (a translation, "Mark 12 Orders Shipped…") that does not fit: the buttons
    with an icon show it alone, with their name as tooltip — none goes into the overflow."""
    window.resize(1024, 700)
    _settle()
    ship = window.toolbar.widgetForAction(window.order_actions.ship_action)
    assert isinstance(ship, QToolButton)
    assert ship.toolButtonStyle() != Qt.ToolButtonStyle.ToolButtonIconOnly  # room for texts
    window.order_actions.ship_action.setText("Als versendet markieren und Sendungsnummer…")
    window.order_actions.complete_action.setText("Als abgeschlossen markieren…")
    _settle()
    assert ship.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonIconOnly
    assert ship.toolTip() or window.order_actions.ship_action.toolTip()
    extension = _overflow_button(window)
    assert extension is None or not extension.isVisible()
    for action in window.toolbar.actions():
        widget = window.toolbar.widgetForAction(action)
        if isinstance(widget, QToolButton) and not action.isSeparator():
            assert _shown_whole(window, widget), action.text()
    window.resize(1920, 1000)  # room again: the texts come back
    _settle()
    assert ship.toolButtonStyle() != Qt.ToolButtonStyle.ToolButtonIconOnly


@pytest.mark.parametrize("size", FRENCH_SIZES)
def test_the_pack_view_fits_in_french(french_window: MainWindow, size: tuple[int, int]) -> None:
    """The Pack view's header (order, the day's count, the way back) and footer (keys, sounds,
    printing on open) keep a French window at its size."""
    window = french_window
    window.resize(1366, 768)
    window.filter_view.setCurrentIndex(
        window.filter_model.index(window.filter_model.row_of("to_ship"))
    )
    row = window.model.row_at(0)
    assert window.pack is not None and row is not None
    window.pack.handle_scan(row.number)  # a packing slip's barcode
    _settle()
    view = window.pack.view
    assert view.isVisible() and view.title.text().startswith(f"Commande n° {row.number}")
    serial = "47110815"
    view.handle_scan(f"LA{serial}{s10_check(serial)}FR")  # a Colissimo label
    _settle()
    window.resize(*size)
    _settle()
    assert (window.width(), window.height()) == size
    assert view.minimumSizeHint().width() <= view.width()
    # The day's count gives way (elided) rather than widen the window: it held a French
    # window at 1041 px ("Aujourd'hui : aucune commande emballée" beside the order's title).
    assert view.counter.minimumSizeHint().width() < 40
    assert view.counter.text() == "Rien d'emballé aujourd'hui"
    for widget in (view.leave_button, view.sound_box, view.print_box):
        assert _shown_whole(window, widget), widget.text()
        assert widget.width() >= widget.minimumSizeHint().width(), widget.text()
    assert view.leave_button.text() == "Retour aux commandes (Échap)"
