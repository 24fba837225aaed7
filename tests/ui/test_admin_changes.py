"""The window after the store admin changed orders behind the vendor's back (recorded shop,
real HTTP, a real routine sync): the orders deleted, trashed or cancelled leave "To ship" and
the other action lists, the detail pane says why and offers no action, and the refund line
says what the marketplace does not show."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtWidgets import QLabel

from tests.conftest import StoreAdmin
from tests.ui.conftest import vendor
from vendor_desk.cache.queries import order_detail
from vendor_desk.domain import rules
from vendor_desk.marketplace.probe import AccountInput, open_marketplace
from vendor_desk.sandbox.server import Simulator
from vendor_desk.sync import Syncer
from vendor_desk.ui.detail_pane import OrderDetailPane
from vendor_desk.ui.main_window import MainWindow
from vendor_desk.ui.order_model import COL_STATUS

REFUND_CAVEAT = (
    "Refunds the store admin makes directly are not shown to vendors by the marketplace; a full "
    "refund shows as Refunded."
)


@pytest.fixture
def sim() -> Iterator[Simulator]:
    """The recorded shop, fresh for each test (the tests change it as its admin)."""
    with Simulator(edition="ultimate", dataset="recorded") as simulator:
        yield simulator


@pytest.fixture
def changed(sim: Simulator, synced: Any) -> Any:
    """The admin's changes, then a routine sync of the cached shop."""
    admin = StoreAdmin(sim)  # over /wp-json/wc/v3, as on the real site
    admin.trash(19)
    admin.delete(20)
    admin.set_status(21, "cancelled")
    admin.refund(18, "5.00", "Goodwill")
    cache, connection = synced
    user = vendor(sim)
    account = AccountInput(sim.base_url, user["login"], user["password"], False)
    with open_marketplace(account) as market:
        Syncer(cache, connection.account_id, market).sync(None, threading.Event())
    return synced


@pytest.fixture
def pane(qtbot: Any) -> OrderDetailPane:
    widget = OrderDetailPane()
    qtbot.addWidget(widget)
    widget.resize(520, 900)
    widget.show()
    return widget


def show(pane: OrderDetailPane, changed: Any, order_id: int) -> Any:
    cache, connection = changed
    with cache.session() as session:
        detail = order_detail(session, connection.account_id, order_id)
    assert detail is not None
    pane.show_detail(detail)
    return detail


@pytest.mark.parametrize(
    ("order_id", "removal", "says"),
    [
        (19, rules.Removal.TRASHED, "The store admin moved this order to the trash"),
        (20, rules.Removal.DELETED, "The store admin deleted this order"),
        (21, rules.Removal.CANCELLED, "This order was cancelled on the marketplace"),
    ],
)
def test_the_pane_says_why_and_offers_no_action(
    pane: OrderDetailPane, changed: Any, order_id: int, removal: rules.Removal, says: str
) -> None:
    detail = show(pane, changed, order_id)
    assert rules.removal(detail.order) is removal
    hints = [
        label.text() for label in pane.findChildren(QLabel) if label.property("role") == "removed"
    ]
    assert len(hints) == 1 and hints[0].startswith(says)
    if removal is not rules.Removal.CANCELLED:
        assert "you can still print it" in hints[0]
    reason = rules.REMOVAL_REASONS[removal]
    for button in (pane.ship_button, pane.complete_button, pane.refund_button):
        assert button is not None and not button.isEnabled()
        assert reason in button.toolTip()
    assert pane.note_button is not None
    assert pane.note_button.isEnabled() is (removal is rules.Removal.CANCELLED)
    assert pane.message_button is not None and pane.message_button.isEnabled()
    # No "Do not ship" box nor "Mark Shipped is not offered" line repeating the hint.
    assert pane.warning_message_button is None
    assert "Do not ship" not in pane.text_content()
    assert "Mark Shipped is not offered" not in pane.text_content()


def test_the_refund_line_says_what_the_marketplace_does_not_show(
    pane: OrderDetailPane, changed: Any
) -> None:
    detail = show(pane, changed, 18)  # the admin refunded 5.00 of it: nothing shows
    assert rules.removal(detail.order) is None
    assert f"none\n{REFUND_CAVEAT}" in pane.text_content()
    assert pane.ship_button is not None and pane.ship_button.isEnabled()


def test_the_list_leaves_them_out_of_to_ship_and_names_them(
    changed: Any, settings: Any, qtbot: Any
) -> None:
    cache, connection = changed
    window = MainWindow(cache, connection, settings, sync_interval_ms=0, auto_sync=False)
    qtbot.addWidget(window)
    window.show()
    try:
        group = window.filter_model.row_of("to_ship")
        window.filter_view.setCurrentIndex(window.filter_model.index(group))
        shown = [window.model.order_id_at(r) for r in range(window.model.rowCount())]
        assert shown == [18]
        window.filter_view.setCurrentIndex(
            window.filter_model.index(window.filter_model.row_of("all"))
        )
        statuses = {
            window.model.order_id_at(r): window.model.index(r, COL_STATUS).data()
            for r in range(window.model.rowCount())
        }
        assert (statuses[19], statuses[20], statuses[21]) == (
            "In the trash",
            "Removed",
            "Cancelled",
        )
        window.show_order(19)
        assert "moved this order to the trash" in window.detail.text_content()
    finally:
        window.shutdown()
