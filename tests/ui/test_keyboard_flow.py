"""The main window at the packing table, by keyboard alone (issue 15 §4): Enter in the search box
selects the order and the shortcuts act on it at once, the actions follow the selection at once,
the search covers every order whatever filter is shown, and after Mark Shipped the next order of
the list is selected."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt

from vendor_desk.cache.queries import OrderQuery, fetch_rows, order_detail
from vendor_desk.domain import rules
from vendor_desk.sandbox.server import Simulator
from vendor_desk.ui.main_window import MainWindow
from vendor_desk.ui.order_model import COL_DATE, COUNT_ROLE
from vendor_desk.ui.scanner import SCAN_GAP_MS
from vendor_desk.ui.tracking_dialog import TrackingDialog

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulator]:
    """A shop with several orders to ship (the UI tests' default one has one)."""
    simulator = Simulator(dataset="generated", orders=200, seed=11).start()
    simulator.add_orders(60)  # fresh checkouts: some are the demo vendor's, to ship
    yield simulator
    simulator.stop()


def _show(window: MainWindow, group: str) -> None:
    window.filter_view.setCurrentIndex(window.filter_model.index(window.filter_model.row_of(group)))


def _shown_group(window: MainWindow) -> str:
    return window.filter_model.group_at(window.filter_view.currentIndex().row())


def _numbers(window: MainWindow) -> list[str]:
    rows = (window.model.row_at(r) for r in range(window.model.rowCount()))
    return [row.number for row in rows if row is not None]


def _type(qtbot: Any, widget: Any, text: str) -> None:
    """Keys as a vendor types them (slower than a barcode scanner: a scan opens the Pack view,
    tests/ui/test_pack_view.py), without waiting for the debounce."""
    qtbot.keyClicks(widget, text, delay=SCAN_GAP_MS * 2)


class Dialogs:
    """Answers the window's dialogs instead of the vendor; remembers which order each was for."""

    def __init__(self, ship: bool = False) -> None:
        self.ship = ship
        self.seen: list[Any] = []

    def __call__(self, dialog: Any) -> bool:
        self.seen.append(dialog)
        if isinstance(dialog, TrackingDialog) and self.ship:
            dialog.parcel_editors[0].set_carrier("royal-mail")
            dialog.parcel_editors[0].code_edit.setText("AB123456789GB")
            assert dialog.validate()
            return True
        return False

    def titles(self) -> list[str]:
        return [dialog.windowTitle() for dialog in self.seen]


def test_enter_in_search_selects_the_order_and_the_shortcut_acts_on_it(
    window: MainWindow, qtbot: Any
) -> None:
    _show(window, "all")
    numbers = _numbers(window)
    # An order whose number is part of another one's listed before it (e.g. 13 and 113): Enter
    # takes the order with that very number, not the first match.
    number = next(
        n for i, n in enumerate(numbers) if any(n in other for other in numbers[:i] if other != n)
    )
    dialogs = Dialogs()
    window.order_actions.run_dialog = dialogs
    for typed in (number, f"#{number}"):
        window.table.setFocus()
        qtbot.keyClick(window.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
        assert window.focusWidget() is window.search_edit
        _type(qtbot, window.search_edit, typed)
        qtbot.keyClick(window.search_edit, Qt.Key.Key_Return)  # before the debounce ran out
        order_id = window.model.order_id_at(window.table.currentIndex().row())
        assert order_id is not None
        assert window.model.row_at(window.table.currentIndex().row()).number == number
        assert window.selected_order_ids() == [order_id]
        assert window.detail.order_id == order_id  # shown is selected
        assert window.focusWidget() is window.table  # the list: arrows move in it at once
        assert window.order_actions.note_action.isEnabled()
        qtbot.keyClick(window.focusWidget(), Qt.Key.Key_N, CTRL_SHIFT)  # Add Note…
        assert dialogs.titles()[-1] == f"Add a note to order #{number}"
        # Ctrl+arrow moves the list's cursor without selecting: the pane keeps showing the
        # order the shortcuts act on.
        qtbot.keyClick(window.table, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClick(window.table, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
        assert window.detail.order_id == order_id == window.selected_order_ids()[0]
        qtbot.keyClick(window.search_edit, Qt.Key.Key_Escape)

    # Not a number: the first match is selected.
    window.search_edit.setFocus()
    customer = window.model.row_at(3).customer
    window.search_edit.setText(customer)
    qtbot.keyClick(window.search_edit, Qt.Key.Key_Enter)
    assert window.table.currentIndex().row() == 0
    assert window.selected_order_ids() == [window.model.order_id_at(0)]
    assert window.detail.order_id == window.model.order_id_at(0)


def test_the_actions_follow_the_selection_at_once(window: MainWindow, qtbot: Any) -> None:
    actions = window.order_actions
    _show(window, "to_ship")
    window.select_row(0)
    assert actions.ship_action.isEnabled()
    # Another filter: the list is read again and nothing is selected — nothing to act on.
    _show(window, "completed")
    assert window.selected_order_ids() == []
    for action in (actions.ship_action, actions.complete_action, actions.note_action):
        assert not action.isEnabled(), action.text()
    assert not actions.refund_action.isEnabled()
    # A search that leaves nothing selected: the same.
    _show(window, "all")
    window.select_row(0)
    assert actions.note_action.isEnabled()
    window.search_edit.setText("zzz-no-such-order")
    qtbot.waitUntil(lambda: window.model.rowCount() == 0, timeout=2000)
    assert not actions.note_action.isEnabled()
    assert not actions.ship_action.isEnabled()


def _shippable(window: MainWindow) -> list[int]:
    assert window._connection is not None
    account_id = window._connection.account_id
    found = []
    with window._cache.session() as session:
        for row in fetch_rows(session, OrderQuery(account_id, group="to_ship"), 0, 500):
            detail = order_detail(session, account_id, row.order_id)
            assert detail is not None
            order = detail.order
            if rules.may_ship(order):
                found.append(order.id)
    return found


def test_mark_complete_is_enabled_as_soon_as_the_shipment_is_queued(
    window: MainWindow, qtbot: Any
) -> None:
    order_id = _shippable(window)[-1]  # the oldest (the newest are shipped below)
    _show(window, "all")  # the order stays in the list once shipped
    window.open_order(order_id)
    actions = window.order_actions
    assert actions.ship_action.isEnabled() and not actions.complete_action.isEnabled()
    actions.run_dialog = Dialogs(ship=True)
    actions.ship_action.trigger()
    # No event processed, no reply from the marketplace: the outbox's local state allows it.
    assert window.selected_order_ids() == [order_id]
    assert actions.complete_action.isEnabled()
    assert not actions.ship_action.isEnabled() or "Shipped" in window.detail.text_content()


def test_search_covers_every_order_whatever_the_filter(window: MainWindow, qtbot: Any) -> None:
    _show(window, "to_ship")
    to_ship = _numbers(window)
    assert to_ship
    _show(window, "completed")
    number = to_ship[-1]
    assert number not in _numbers(window)
    window.find_action.trigger()
    _type(qtbot, window.search_edit, f"#{number}")
    qtbot.keyClick(window.search_edit, Qt.Key.Key_Return)
    assert number in _numbers(window)  # not "No orders match"
    assert window.model.row_at(window.table.currentIndex().row()).number == number
    assert _shown_group(window) == "all"  # the side bar says where the list comes from
    to_ship_row = window.filter_model.index(window.filter_model.row_of("to_ship"))
    assert to_ship_row.data(COUNT_ROLE) >= 1  # and which filter holds the match
    # Clearing the search goes back to the filter the vendor was on.
    window.search_edit.setFocus()
    qtbot.keyClick(window.search_edit, Qt.Key.Key_Escape)
    assert _shown_group(window) == "completed"
    assert number not in _numbers(window)

    # A filter the vendor picks while searching narrows the matches, and stays picked.
    window.search_edit.setText(number)
    qtbot.waitUntil(lambda: _shown_group(window) == "all", timeout=2000)
    _show(window, "to_ship")
    assert number in _numbers(window)
    window.clear_search()
    assert _shown_group(window) == "to_ship"


def test_after_mark_shipped_the_next_order_is_selected(window: MainWindow, qtbot: Any) -> None:
    """Keyboard only: arrows in the list and Ctrl+Shift+S — the selection moves to the order
    that was below the shipped one; from the last one of the list, to the one above."""
    _show(window, "to_ship")
    window.table.sortByColumn(COL_DATE, Qt.SortOrder.AscendingOrder)  # the newest last
    shippable = set(_shippable(window))
    ids = [window.model.order_id_at(r) for r in range(window.model.rowCount())]
    assert len(ids) >= 4 and ids[-1] in shippable
    start = next(i for i in range(len(ids) - 3) if {ids[i], ids[i + 1]} <= shippable)
    dialogs = Dialogs(ship=True)
    window.order_actions.run_dialog = dialogs
    window.select_row(0)
    window.table.setFocus()
    for _ in range(start):
        qtbot.keyClick(window.table, Qt.Key.Key_Down)
    assert window.selected_order_ids() == [ids[start]]
    qtbot.keyClick(window.table, Qt.Key.Key_S, CTRL_SHIFT)
    assert len(dialogs.seen) == 1
    assert window.model.row_of_order(ids[start]) is None  # off "To ship"
    # The order below took its place, selected and shown, ready for the next shortcut.
    assert window.selected_order_ids() == [ids[start + 1]]
    assert window.detail.order_id == ids[start + 1]
    assert window.order_actions.ship_action.isEnabled()

    for _ in range(len(ids) - 2 - start):
        qtbot.keyClick(window.table, Qt.Key.Key_Down)
    assert window.selected_order_ids() == [ids[-1]]
    qtbot.keyClick(window.table, Qt.Key.Key_S, CTRL_SHIFT)
    assert len(dialogs.seen) == 2
    assert window.selected_order_ids() == [ids[-2]]  # the last one left: the one above
    assert window.detail.order_id == ids[-2]
