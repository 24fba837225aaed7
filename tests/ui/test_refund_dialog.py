"""The Refund Request dialog over real orders cached from the simulator: both modes, the live
sum, decimal commas, mistakes shown next to their field, reason presets and hints, items left
out, and the blocked-after-payout path that offers a message to the store admin."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import QLocale, QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication, QWidget

from vendor_desk.cache.queries import order_detail, order_ids
from vendor_desk.domain import Money, Order, RefundLine, RefundMode, RefundState
from vendor_desk.domain.refunds import full_refund_lines, refundable_items, remaining_amount
from vendor_desk.marketplace.probe import AccountInput, open_marketplace
from vendor_desk.sandbox.server import Simulator
from vendor_desk.sync.outbox import Outbox, OutboxKind
from vendor_desk.sync.refunds import plan_refund, queue_refund
from vendor_desk.ui.formatting import format_money
from vendor_desk.ui.refund_dialog import RefundDialog

from .conftest import cached_vendor

ELIGIBLE = ("processing", "shipped", "completed")


@pytest.fixture(scope="module")
def sim(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Simulator]:
    """A shop prepared for refunds: ``sim.refund_ids`` names an order of three items with one
    waiting for a refund decision ("many"), one whose earnings were paid out ("paid"), one
    refunded ("closed")."""
    simulator = Simulator(dataset="generated", orders=60, seed=5).start()
    simulator.add_orders(60)
    cache, connection = cached_vendor(simulator, tmp_path_factory.mktemp("refund-prep") / "data")
    account_id = connection.account_id
    account = AccountInput(connection.base_url, connection.login, connection.password, False)
    with open_marketplace(account) as market:
        with cache.session() as session:
            orders = [
                detail.order
                for detail in (
                    order_detail(session, account_id, order_id)
                    for order_id in sorted(order_ids(session, account_id), reverse=True)
                )
                if detail is not None
            ]
        open_orders = [
            o
            for o in orders
            if o.vendor_status.slug in ELIGIBLE and len(refundable_items(o)) == len(o.items)
        ]
        open_orders.sort(key=lambda o: len(o.items), reverse=True)
        many, paid = open_orders[0], open_orders[-1]
        assert len(many.items) >= 3
        closed = next(o for o in orders if o.vendor_status.slug in ("refunded", "cancelled"))
        simulator.set_payout(many.id, "pending")
        first = many.items[0]
        market.request_refund(
            many.id,
            RefundMode.PARTIAL,
            [RefundLine(first.item_id, 0, Money(Decimal("1"), first.total.currency))],
            "Scratch on the lid, as agreed.",
        )
        simulator.set_payout(paid.id, "completed")
    cache.close()
    simulator.refund_ids = {"many": many.id, "paid": paid.id, "closed": closed.id}  # type: ignore[attr-defined]
    yield simulator
    simulator.stop()


@pytest.fixture
def orders(synced: Any, sim: Simulator) -> dict[str, Order]:
    cache, connection = synced
    with cache.session() as session:
        found = {
            name: order_detail(session, connection.account_id, order_id)
            for name, order_id in sim.refund_ids.items()  # type: ignore[attr-defined]
        }
    result = {name: detail.order for name, detail in found.items() if detail is not None}
    assert len(result) == 3
    return result


def _dialog(qtbot: Any, order: Order, **kwargs: Any) -> RefundDialog:
    dialog = RefundDialog(order, **kwargs)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _money(amount: Decimal | str, order: Order) -> str:
    return format_money(Decimal(amount), order.currency)


# ------------------------------------------------------------------------------ full mode
def test_full_refund_lists_remaining_items_and_leaves_out_the_pending_one(
    qtbot: Any, orders: dict[str, Order]
) -> None:
    order = orders["many"]
    pending = order.items[0]
    assert pending.refund_state == RefundState.REQUESTED
    dialog = _dialog(qtbot, order)
    assert dialog.eligible and dialog.has_form
    dialog.full_button.click()
    assert dialog.mode() is RefundMode.FULL
    listed = [dialog.full_list.topLevelItem(i) for i in range(dialog.full_list.topLevelItemCount())]
    active = [row for row in listed if not row.isDisabled()]
    greyed = [row for row in listed if row.isDisabled()]
    assert [row.text(0) for row in active] == [i.name for i in order.items[1:]]
    for row, item in zip(active, order.items[1:], strict=True):
        assert row.text(3) == _money(remaining_amount(item).amount, order)
    assert [row.text(0) for row in greyed] == [pending.name]
    assert "waiting" in greyed[0].text(3)
    assert dialog.shipping_hint.isVisible()
    assert "shipping is refunded" in dialog.shipping_hint.text()
    assert "lost the parcel" in dialog.full_help.text()
    total = sum((i.total.amount for i in order.items[1:]), Decimal(0))
    assert _money(total, order) in dialog.sum_label.text()
    assert "shipping" in dialog.sum_label.text()

    # No reason: refused, the mistake shown under the reason.
    dialog.accept()
    assert dialog.result() == 0 and dialog.isVisible()
    assert dialog.reason_error.isVisible()
    assert "customer" in dialog.reason_error.text()
    dialog.reason_edit.setPlainText("Your order was cancelled before shipping, as you asked.")
    assert dialog.reason_error.isHidden()
    dialog.accept()
    assert dialog.result() == 1
    mode, lines, reason = dialog.request()
    assert mode is RefundMode.FULL
    assert lines == full_refund_lines(order)
    assert pending.item_id not in {line.item_id for line in lines}
    assert reason == "Your order was cancelled before shipping, as you asked."
    plan_refund(order, mode, lines, reason)  # the outbox's own check agrees


# --------------------------------------------------------------------------- partial mode
def test_partial_refund_live_sum_and_mistakes_next_to_each_field(
    qtbot: Any, orders: dict[str, Order], synced: Any
) -> None:
    order = orders["many"]
    dialog = _dialog(qtbot, order)
    assert dialog.mode() is RefundMode.PARTIAL  # as the marketplace's own form
    assert set(dialog.rows) == {i.item_id for i in order.items[1:]}  # pending one left out
    first, second = (dialog.rows[i.item_id] for i in order.items[1:3])
    assert first.total_edit.text() == "" and first.qty_edit.text() == ""
    assert "back in stock" in first.qty_edit.toolTip()
    assert "sold again" in dialog.partial_help.text()
    assert "defect" in dialog.partial_help.text()

    # Nothing typed: refused, and the items' line says what is missing.
    dialog.reason_edit.setPlainText("Thank you for returning the items.")
    dialog.accept()
    assert dialog.result() == 0
    assert dialog.items_error.isVisible() and "at least one item" in dialog.items_error.text()

    # Typing updates the sum (decimal comma accepted whatever the locale).
    qtbot.keyClicks(first.total_edit, "1,5")
    assert dialog.items_error.isHidden()
    assert _money("1.50", order) in dialog.sum_label.text()
    qtbot.keyClicks(second.total_edit, "2.25")
    assert _money("3.75", order) in dialog.sum_label.text()

    # Too much on an item: said under that item only.
    limit = remaining_amount(second.item)
    second.total_edit.setText(str(limit.amount + 1))
    assert second.error.isVisible() and first.error.isHidden()
    assert _money(limit.amount, order) in second.error.text()
    assert not dialog.validate()
    # Too many decimals, not a number, a quantity above what was bought.
    second.total_edit.setText("1.234")
    assert second.error.isVisible()  # 1.234 with a "." is 1.234, not 1234 here: 3 decimals
    second.total_edit.setText("abc")
    assert "amount" in second.error.text().lower()
    second.total_edit.setText("")
    first.qty_edit.setText(str(first.item.quantity + 1))
    assert first.error.isVisible() and "At most" in first.error.text()
    dialog.accept()
    assert dialog.result() == 0
    assert dialog.focusWidget() is first.total_edit or dialog.focusWidget() is first.qty_edit

    first.qty_edit.setText("1")
    assert first.error.isHidden()
    dialog.accept()
    assert dialog.result() == 1
    mode, lines, reason = dialog.request()
    assert mode is RefundMode.PARTIAL
    currency = order.currency.upper()
    assert lines == [RefundLine(first.item.item_id, 1, Money(Decimal("1.5"), currency))]
    # What the dialog returns is what the outbox queues.
    cache, connection = synced
    entry_id = queue_refund(Outbox(cache, connection.account_id), order, mode, lines, reason)
    entry = Outbox(cache, connection.account_id).entries()[-1]
    assert entry.id == entry_id and entry.kind is OutboxKind.REFUND
    assert entry.payload["lines"] == [{"item_id": first.item.item_id, "qty": 1, "amount": "1.5"}]


def test_amounts_typed_in_the_vendors_locale(qtbot: Any, orders: dict[str, Order]) -> None:
    previous = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))
    try:
        order = orders["many"]
        dialog = _dialog(qtbot, order)
        row = dialog.rows[order.items[1].item_id]
        assert row.total_edit.placeholderText() == "0,00"
        qtbot.keyClicks(row.total_edit, "10,5")
        expected = format_money(Decimal("10.50"), order.currency)
        assert "10,50" in expected and expected in dialog.sum_label.text()
        assert dialog.lines()[0].amount == Money(Decimal("10.5"), order.currency)
    finally:
        QLocale.setDefault(previous)


# --------------------------------------------------------------------------------- reason
def test_reason_presets_and_hints(qtbot: Any, orders: dict[str, Order]) -> None:
    order = orders["many"]
    dialog = _dialog(qtbot, order)
    assert "customer sees this reason" in dialog.customer_hint.text()
    assert dialog.customer_hint.isVisible()
    assert dialog.english_hint.isHidden()
    assert dialog.preset_combo.count() >= 5
    dialog.preset_combo.setCurrentIndex(3)
    dialog.preset_combo.activated.emit(3)
    assert dialog.reason() == dialog.preset_combo.itemData(3)
    assert dialog.reason()  # a polite sentence, ready to edit

    hinted = _dialog(qtbot, order, english_hint=True)
    assert hinted.english_hint.isVisible()
    assert hinted.english_hint.text() == (
        "This marketplace asks vendors to write refund reasons in English."
    )
    # Non-ASCII text is set directly (keyClicks cannot type it).
    hinted.reason_edit.setPlainText("Désolé — remboursement accordé.")
    assert hinted.reason() == "Désolé — remboursement accordé."


def test_a_preset_never_loses_what_the_vendor_typed(qtbot: Any, orders: dict[str, Order]) -> None:
    """Issue 12: choosing a ready-made reason replaced the text already typed."""
    dialog = _dialog(qtbot, orders["many"])
    combo, edit = dialog.preset_combo, dialog.reason_edit
    presets = [combo.itemData(i) for i in range(1, combo.count())]
    edit.setFocus()
    qtbot.keyClicks(edit, "Sorry for the wait.")
    combo.activated.emit(2)
    assert dialog.reason() == "Sorry for the wait. " + presets[1]  # added after, not instead
    assert combo.currentIndex() == 0  # a menu of sentences: ready for the next one
    assert dialog.reason_edit.textCursor().atEnd()
    # One Ctrl+Z takes the sentence back; the typed text is still there.
    qtbot.keyClick(edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert dialog.reason() == "Sorry for the wait."

    # An empty reason is filled; an untouched preset is swapped for another (nothing typed).
    edit.setPlainText("")
    combo.activated.emit(1)
    assert dialog.reason() == presets[0]
    combo.activated.emit(3)
    assert dialog.reason() == presets[2]
    qtbot.keyClick(edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert dialog.reason() == presets[0]  # and undo brings the first one back


def _field_geometry(dialog: RefundDialog) -> dict[str, QRect]:
    """Where every field and button of the dialog is, in the dialog's coordinates."""
    for _ in range(3):  # layout requests posted while laying out need a second pass
        QApplication.processEvents()
    widgets: dict[str, QWidget] = {
        "reason": dialog.reason_edit,
        "presets": dialog.preset_combo,
        "full": dialog.full_button,
        "partial": dialog.partial_button,
        "ok": dialog.ok_button,
        "cancel": dialog.cancel_button,
    }
    for item_id, row in dialog.rows.items():
        widgets[f"qty {item_id}"] = row.qty_edit
        widgets[f"total {item_id}"] = row.total_edit
    found = {
        name: QRect(widget.mapTo(dialog, QPoint(0, 0)), widget.size())
        for name, widget in widgets.items()
    }
    found["dialog"] = QRect(QPoint(0, 0), dialog.size())
    return found


def test_fields_stay_put_when_mistakes_appear_and_go(qtbot: Any, orders: dict[str, Order]) -> None:
    """Issue 12: the form jumped as error messages appeared, and a click landed in the wrong
    field. Every message has its line reserved: nothing moves."""
    order = orders["many"]
    dialog = _dialog(qtbot, order)
    first, second = (dialog.rows[i.item_id] for i in order.items[1:3])
    still = _field_geometry(dialog)

    dialog.accept()  # nothing filled in: the items, the reason and the summary line complain
    assert dialog.items_error.isVisible() and dialog.reason_error.isVisible()
    assert dialog.general_error.isVisible()
    assert _field_geometry(dialog) == still

    second.total_edit.setText(str(remaining_amount(second.item).amount + 1))  # too much
    first.qty_edit.setText("x")
    assert second.error.isVisible() and first.error.isVisible()
    assert _field_geometry(dialog) == still

    first.qty_edit.setText("")
    second.total_edit.setText("1")
    dialog.reason_edit.setPlainText("Thank you for returning the items.")
    assert first.error.isHidden() and second.error.isHidden()
    assert dialog.reason_error.isHidden() and dialog.items_error.isHidden()
    assert _field_geometry(dialog) == still
    dialog.full_button.click()
    dialog.reason_edit.setPlainText("")
    dialog.accept()
    assert dialog.reason_error.isVisible()
    assert {
        k: v for k, v in _field_geometry(dialog).items() if "qty" not in k and "total" not in k
    } == {k: v for k, v in still.items() if "qty" not in k and "total" not in k}


# ---------------------------------------------------------------------------- eligibility
def test_blocked_after_payout_offers_a_message_to_the_store_admin(
    qtbot: Any, orders: dict[str, Order]
) -> None:
    order = orders["paid"]
    assert order.payout_state.slug == "completed"
    dialog = _dialog(qtbot, order)
    assert dialog.blocked_by_payout and not dialog.eligible and dialog.has_form
    assert dialog.state_label.isVisible()
    assert "store admin" in dialog.state_label.text() and "paid out" in dialog.state_label.text()
    assert not dialog.ok_button.isVisible()
    assert dialog.message_button.isVisible()
    dialog.reason_edit.setPlainText("The customer returned the parcel.")
    dialog.accept()  # nothing to accept: only the admin can refund
    assert dialog.isVisible()

    item = order.items[0]
    dialog.rows[item.item_id].total_edit.setText("1,25")
    with qtbot.waitSignal(dialog.message_admin_requested) as signal:
        dialog.message_button.click()
    order_id, text = signal.args
    assert order_id == order.id
    assert f"#{order.number}" in text
    assert item.name in text and "1.25" in text
    assert "The customer returned the parcel." in text
    assert not dialog.isVisible()  # closed: the window opens the message


def test_closed_order_only_explains(qtbot: Any, orders: dict[str, Order]) -> None:
    order = orders["closed"]
    dialog = _dialog(qtbot, order)
    assert not dialog.eligible and not dialog.has_form
    assert dialog.state_label.isVisible()
    assert "No refund can be requested" in dialog.state_label.text()
    assert not dialog.ok_button.isVisible() and not dialog.message_button.isVisible()
    assert dialog.request() == (RefundMode.PARTIAL, [], "")


def test_refused_request_waiting_in_the_outbox_blocks_a_new_one(
    qtbot: Any, orders: dict[str, Order]
) -> None:
    order = orders["many"]
    local = {"outbox": [{"kind": OutboxKind.REFUND.value, "state": "failed"}]}
    dialog = _dialog(qtbot, order, local=local)
    assert not dialog.has_form
    assert "Activity" in dialog.state_label.text()
