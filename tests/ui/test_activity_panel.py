"""The Activity panel over a real outbox, synced from the simulator over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMessageBox

from vendor_desk.cache.models import OrderRecord
from vendor_desk.cache.store import load_orders
from vendor_desk.domain import Order, OrderStatus
from vendor_desk.sandbox import checkout
from vendor_desk.sandbox.server import Simulator
from vendor_desk.sync.outbox import Outbox, OutboxKind, OutboxState
from vendor_desk.ui import activity_panel as activity_module
from vendor_desk.ui.activity_panel import (
    COL_MESSAGE,
    COL_ORDER,
    COL_STATE,
    ActivityPanel,
    ActivityTableModel,
    RetryDialog,
)


@pytest.fixture(scope="module")
def shop(sim: Simulator) -> Simulator:
    """Eight more paid orders of physical goods for the demo vendor (placed once per module,
    before the cache is synced: module fixtures come first)."""
    state = sim.state
    with state.lock:
        vendor = state.user_by_login(sim.demo_vendor)
        assert vendor is not None
        products = [
            p
            for p in sorted(state.products.values(), key=lambda p: p.id)
            if p.vendor_id == vendor.id and p.type == "simple" and not p.virtual
        ]
        customer = next(u for u in state.users.values() if u.role == "customer")
        for n in range(8):
            checkout.place_order(state, customer, [(products[n % len(products)], 1, None)])
    return sim


@pytest.fixture
def outbox(shop: Simulator, synced: Any) -> Outbox:
    cache, connection = synced
    return Outbox(cache, connection.account_id)


@pytest.fixture
def ultimate_again(sim: Simulator) -> Iterator[Simulator]:
    """Tests that switch the shared simulator to the free edition get Ultimate back after."""
    yield sim
    sim.set_edition("ultimate")


def orders_to_ship(cache: Any, account_id: int) -> list[Order]:
    with cache.session() as session:
        ids = [
            row.order_id
            for row in session.query(OrderRecord).filter(OrderRecord.account_id == account_id)
        ]
        orders = load_orders(session, account_id, ids).values()
    found = [
        order
        for order in orders
        if order.vendor_status == OrderStatus.PROCESSING
        and any(item.shippable for item in order.items)
        and not any(item.has_tracking for item in order.items)
    ]
    assert len(found) >= 3, "the generated shop has orders to ship"
    return sorted(found, key=lambda order: order.id)


def cached_status(cache: Any, account_id: int, order_id: int) -> OrderStatus:
    with cache.session() as session:
        return load_orders(session, account_id, [order_id])[order_id].vendor_status


def shippable(order: Order) -> list[int]:
    return [item.item_id for item in order.items if item.shippable]


def row_texts(panel: ActivityPanel, column: int) -> list[str]:
    model = panel.model
    return [model.index(row, column).data() for row in range(model.rowCount())]


def test_model_passes_the_model_tester(synced: Any, outbox: Outbox, qtmodeltester: Any) -> None:
    cache, connection = synced
    order = orders_to_ship(cache, connection.account_id)[0]
    outbox.enqueue(OutboxKind.NOTE, order.id, {"text": "Packed <b>today</b>", "kind": "private"})
    outbox.enqueue(OutboxKind.MESSAGE_ADMIN, None, {"message": "Hello"})
    model = ActivityTableModel(outbox)
    assert model.rowCount() == 2
    qtmodeltester.check(model)
    model.set_filter("failed")
    assert model.rowCount() == 0
    qtmodeltester.check(model)


def test_pending_sent_and_refused_tracking_with_the_marketplaces_message(
    synced: Any, outbox: Outbox, qtbot: Any, ultimate_again: Simulator, monkeypatch: Any
) -> None:
    cache, connection = synced
    first, second, third = orders_to_ship(cache, connection.account_id)[:3]
    panel = ActivityPanel(Outbox(cache, connection.account_id, recover_sending=False))
    qtbot.addWidget(panel)
    assert panel.attention_count == 0 and panel.model.rowCount() == 0

    sent = outbox.enqueue(OutboxKind.COMPLETE, first.id, {})
    with connection.open_marketplace() as market:
        assert outbox.send_due(market).sent == [sent]
        ultimate_again.set_edition("free")  # tracking becomes a silent no-op: detected, refused
        refused = outbox.enqueue(
            OutboxKind.TRACKING,
            second.id,
            {"item_ids": shippable(second), "code": "FREE123", "url": "https://t.example/F"},
        )
        assert outbox.send_due(market).failed == [refused]
    waiting = outbox.enqueue(OutboxKind.NOTE, third.id, {"text": "Gift wrap", "kind": "private"})

    with qtbot.waitSignal(panel.attention_count_changed) as counted:
        panel.refresh()
    assert counted.args == [2]  # one waiting + one failed; the sent one needs nothing
    assert panel.attention_count == 2
    assert row_texts(panel, COL_ORDER) == [f"#{third.id}", f"#{second.id}", f"#{first.id}"]
    assert row_texts(panel, COL_STATE) == ["Waiting to send", "Failed", "Sent"]
    failed_entry = outbox.get(refused)
    assert "WCFM Ultimate" in failed_entry.last_error
    assert row_texts(panel, COL_MESSAGE)[1] == " ".join(failed_entry.last_error.split())
    colour = panel.model.index(1, COL_STATE).data(Qt.ItemDataRole.ForegroundRole).color()
    assert colour.name() == "#c92a2a"
    assert not panel.model.index(1, COL_STATE).data(Qt.ItemDataRole.DecorationRole).isNull()
    # The refusal rolled the change back: the order is still to ship.
    assert cached_status(cache, connection.account_id, second.id) == OrderStatus.PROCESSING

    panel.set_filter("failed")
    assert row_texts(panel, COL_ORDER) == [f"#{second.id}"]
    panel.set_filter("waiting")
    assert row_texts(panel, COL_ORDER) == [f"#{third.id}"]
    panel.set_filter("all")

    # Retry with an edited payload, once Ultimate is back.
    ultimate_again.set_edition("ultimate")
    assert panel.select_entry(refused)
    assert panel.details.text().count("WCFM Ultimate") == 1
    assert panel.retry_button.isEnabled()

    def edit_and_accept(dialog: RetryDialog) -> int:
        assert dialog.code_edit is not None and dialog.url_edit is not None
        dialog.code_edit.setText("bad code!")
        # "!" is refused next to the field, and the form cannot be sent.
        assert dialog.problems() == ["A tracking code has only letters, digits and dashes."]
        assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
        dialog.code_edit.setText(" ULT456 ")
        dialog.url_edit.setText("https://t.example/track?c=ULT456&x=1")
        assert dialog.problems() == []
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr(RetryDialog, "exec", edit_and_accept)
    with qtbot.waitSignal(panel.entries_changed):
        panel.retry_selected()
    retried = outbox.get(refused)
    assert retried.state is OutboxState.PENDING
    assert retried.payload["code"] == "ULT456"
    assert retried.payload["url"] == "https://t.example/track?c=ULT456&x=1"
    assert cached_status(cache, connection.account_id, second.id) == OrderStatus.SHIPPED
    assert panel.selected_entry() is not None and panel.selected_entry().id == refused  # type: ignore[union-attr]

    with connection.open_marketplace() as market:
        report = outbox.send_due(market)
    assert refused in report.sent and waiting in report.sent
    panel.refresh()
    assert row_texts(panel, COL_STATE) == ["Sent", "Sent", "Sent"]
    assert panel.attention_count == 0


def test_discard_asks_then_rolls_the_change_back(
    synced: Any, outbox: Outbox, qtbot: Any, monkeypatch: Any
) -> None:
    cache, connection = synced
    order = orders_to_ship(cache, connection.account_id)[0]
    entry_id = outbox.enqueue(OutboxKind.COMPLETE, order.id, {})
    assert cached_status(cache, connection.account_id, order.id) == OrderStatus.COMPLETED
    panel = ActivityPanel(Outbox(cache, connection.account_id, recover_sending=False))
    qtbot.addWidget(panel)
    assert panel.select_entry(entry_id)
    assert panel.discard_button.isEnabled()

    asked: list[str] = []

    def answer(choice: QMessageBox.StandardButton) -> Any:
        def question(parent: Any, title: str, text: str, *args: Any) -> Any:
            asked.append(text)
            return choice

        return question

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Cancel))
    panel.discard_selected()
    assert outbox.get(entry_id).state is OutboxState.PENDING  # cancelled: nothing happens

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Discard))
    with qtbot.waitSignal(panel.entries_changed):
        panel.discard_selected()
    assert f"#{order.id}" in asked[-1]
    assert outbox.get(entry_id).state is OutboxState.DISCARDED
    assert cached_status(cache, connection.account_id, order.id) == OrderStatus.PROCESSING
    assert row_texts(panel, COL_STATE) == ["Discarded"]
    assert not panel.discard_button.isEnabled() and not panel.retry_button.isEnabled()
    assert panel.attention_count == 0


def test_open_order_and_message_entries(synced: Any, outbox: Outbox, qtbot: Any) -> None:
    cache, connection = synced
    order = orders_to_ship(cache, connection.account_id)[0]
    note = outbox.enqueue(
        OutboxKind.NOTE, order.id, {"text": "<i>Hi</i> & bye", "kind": "customer"}
    )
    message = outbox.enqueue(OutboxKind.MESSAGE_ADMIN, None, {"message": "Need help"})
    panel = ActivityPanel(Outbox(cache, connection.account_id, recover_sending=False))
    qtbot.addWidget(panel)

    assert panel.select_entry(message)
    assert not panel.open_button.isEnabled()  # a message belongs to no order
    assert "Need help" in panel.details.text()
    assert panel.select_entry(note)
    assert panel.details.textFormat() == Qt.TextFormat.PlainText  # markup shown, never run
    assert "Note to the customer" in panel.details.text()
    with qtbot.waitSignal(panel.order_requested) as opened:
        panel.open_button.click()
    assert opened.args == [order.id]
    assert activity_module.entry_details(outbox.get(note)) == "<i>Hi</i> & bye"


def test_a_message_about_an_order_shows_that_order(
    window: Any, synced: Any, outbox: Outbox, qtbot: Any
) -> None:
    """Issue 12: a message written from an order showed "—" as its order."""
    from vendor_desk.ui.message_dialog import MessageDialog

    cache, connection = synced
    order = orders_to_ship(cache, connection.account_id)[0]
    texts: list[str] = []

    def answer(dialog: Any) -> bool:
        assert isinstance(dialog, MessageDialog)
        texts.append(dialog.message())
        dialog.text_edit.setPlainText(dialog.message() + "\nThe customer asks for a gift box.")
        return True

    window.order_actions.run_dialog = answer
    assert window.order_actions.message_admin(order.id)  # as from the detail pane's button
    assert texts == [f"About order #{order.number}:"]
    window.table.clearSelection()
    assert window.selected_order_ids() == []
    assert window.order_actions.message_admin()  # no order selected: a general message
    panel = window.activity
    panel.refresh()
    about, general = sorted(
        (e for e in outbox.entries() if e.kind is OutboxKind.MESSAGE_ADMIN), key=lambda e: e.id
    )
    assert about.order_id is None and about.about_order_id == order.id
    assert general.about_order_id is None
    rows = {
        panel.model.entry(row).id: panel.model.index(row, COL_ORDER).data()
        for row in range(panel.model.rowCount())
    }
    assert rows[about.id] == f"#{order.id}"
    assert rows[general.id] == "—"  # about no order
    assert panel.select_entry(about.id)
    assert f"Order #{order.id}" in panel.details.text()
    assert panel.open_button.isEnabled()
    with qtbot.waitSignal(panel.order_requested) as opened:
        panel.open_button.click()
    assert opened.args == [order.id]
    assert panel.select_entry(general.id)
    assert not panel.open_button.isEnabled()


def test_a_refused_entry_in_french(
    synced: Any, outbox: Outbox, qtbot: Any, qapp: Any, ultimate_again: Simulator
) -> None:
    """The marketplace's refusal is stored in English and shown in the window's language."""
    from tests.ui.french import speaking

    cache, connection = synced
    order = orders_to_ship(cache, connection.account_id)[0]
    with connection.open_marketplace() as market:
        ultimate_again.set_edition("free")  # tracking cannot be stored: refused
        refused = outbox.enqueue(
            OutboxKind.TRACKING,
            order.id,
            {"item_ids": shippable(order), "code": "FREE124", "url": "https://t.example/F"},
        )
        assert outbox.send_due(market).failed == [refused]
    english = outbox.get(refused).last_error
    assert english.startswith("This marketplace cannot store tracking numbers")
    with speaking(qapp, "fr"):
        panel = ActivityPanel(Outbox(cache, connection.account_id, recover_sending=False))
        qtbot.addWidget(panel)
        panel.refresh()
        row = row_texts(panel, COL_ORDER).index(f"#{order.id}")
        message = row_texts(panel, COL_MESSAGE)[row]
        assert message.startswith("Cette place de marché ne peut pas enregistrer")
        tooltip = panel.model.index(row, COL_MESSAGE).data(Qt.ItemDataRole.ToolTipRole)
        assert tooltip == message
        assert panel.select_entry(refused)
        details = panel.details.text().replace("\N{NO-BREAK SPACE}", " ")
        assert "Réponse de la place de marché : Cette place de marché" in details
    assert outbox.get(refused).last_error == english  # stored as it was
