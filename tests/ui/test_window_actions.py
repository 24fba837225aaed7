"""The window's order actions end to end: a dialog answered as a vendor would, the change shown
at once (pending), sent by the account's worker to the simulator over real HTTP, and the
marketplace's state read back."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import QMessageBox

from vendor_desk.cache.queries import OrderQuery, fetch_rows, order_detail
from vendor_desk.domain import rules
from vendor_desk.sandbox.server import Simulator
from vendor_desk.sync.outbox import Outbox, OutboxState
from vendor_desk.ui.main_window import MainWindow
from vendor_desk.ui.tracking_dialog import TrackingDialog


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulator]:
    """A shop with enough orders to ship (the UI tests' default one is small)."""
    simulator = Simulator(dataset="generated", orders=200, seed=11).start()
    simulator.add_orders(60)  # fresh checkouts: some are the demo vendor's, to ship
    yield simulator
    simulator.stop()


def _to_ship(window: MainWindow, count: int, *, paid: bool = True) -> list[int]:
    """Orders the vendor may ship now (processing, paid, physical items)."""
    assert window._connection is not None
    account_id = window._connection.account_id
    found: list[int] = []
    with window._cache.session() as session:
        for row in fetch_rows(session, OrderQuery(account_id, group="to_ship"), 0, 500):
            detail = order_detail(session, account_id, row.order_id)
            assert detail is not None
            order = detail.order
            if (
                rules.may_ship(order)
                and not (paid and rules.payment_warnings(order))
                and all(i.shippable is not False for i in order.items)
                and not any(i.has_tracking for i in order.items)
            ):
                found.append(order.id)
            if len(found) == count:
                return found
    raise AssertionError("the simulator has too few orders to ship")


def _outbox(window: MainWindow) -> Outbox:
    assert window._connection is not None
    return Outbox(window._cache, window._connection.account_id, recover_sending=False)


def _all_sent(window: MainWindow) -> bool:
    entries = _outbox(window).entries()
    return bool(entries) and all(e.state is OutboxState.SENT for e in entries)


def test_mark_shipped_from_the_window_reaches_the_marketplace(
    window: MainWindow, sim: Any, qtbot: Any
) -> None:
    (order_id,) = _to_ship(window, 1)
    window.open_order(order_id)
    assert window.selected_order_ids() == [order_id]
    window.order_actions.update_enabled()
    assert window.order_actions.ship_action.isEnabled()

    def answer(dialog: Any) -> bool:
        assert isinstance(dialog, TrackingDialog)
        editor = dialog.parcel_editors[0]
        editor.set_carrier("royal-mail")  # its URL holds a "#": it must arrive intact
        editor.code_edit.setText("ab 1234 5678 9gb")
        assert dialog.validate()
        return True

    window.order_actions.run_dialog = answer
    assert window.order_actions.ship(order_id)
    # shown at once, before the marketplace answered
    entries = _outbox(window).entries()
    assert [e.kind.value for e in entries] == ["tracking"]
    assert entries[0].payload["code"] == "AB123456789GB"
    qtbot.waitUntil(lambda: _all_sent(window), timeout=20_000)
    snapshot = sim.order_snapshot(order_id)
    metas = [item["meta"] for item in snapshot["items"] if item["meta"].get("wcfm_tracking_code")]
    assert metas and {m["wcfm_tracking_code"] for m in metas} == {"AB123456789GB"}
    assert {m["wcfm_tracking_url"] for m in metas} == {
        "https://www.royalmail.com/track-your-item#/tracking-results/AB123456789GB"
    }
    # Off "To ship", the order below it is selected (test_keyboard_flow.py); open it again.
    assert window.detail.order_id != order_id
    window.open_order(order_id)
    qtbot.waitUntil(lambda: "Shipped" in window.detail.text_content(), timeout=10_000)
    window.activity.refresh()
    assert window.activity.model.rowCount() == 1


def _select(window: MainWindow, order_ids: list[int]) -> None:
    window.filter_view.setCurrentIndex(window.filter_model.index(window.filter_model.row_of("all")))
    selection = window.table.selectionModel()
    selection.clearSelection()
    for order_id in order_ids:
        row = window._find_row(order_id, limit=10_000)
        assert row is not None
        selection.select(
            window.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
        )
    assert sorted(window.selected_order_ids()) == sorted(order_ids)


def _accepting(answers: list[str]) -> Any:
    """Answers message boxes with their first accepting button (the action's own button)."""

    def answer(dialog: Any) -> bool:
        assert isinstance(dialog, QMessageBox), dialog
        answers.append(dialog.text() + "\n" + dialog.detailedText())
        for button in dialog.buttons():
            if dialog.buttonRole(button) == QMessageBox.ButtonRole.AcceptRole:
                button.click()
                return True
        return True

    return answer


def test_bulk_ship_without_tracking_then_complete(window: MainWindow, sim: Any, qtbot: Any) -> None:
    first, second = _to_ship(window, 2, paid=False)
    assert window._connection is not None
    with window._cache.session() as session:
        completed = fetch_rows(
            session, OrderQuery(window._connection.account_id, group="completed"), 0, 1
        )[0].order_id
    answers: list[str] = []
    window.order_actions.run_dialog = _accepting(answers)

    _select(window, [first, second])
    window.order_actions.update_enabled()
    assert window.order_actions.ship_action.text() == "Mark 2 Orders Shipped…"
    assert window.order_actions.ship()
    assert "without a tracking number" in answers[0]  # the risk is said before anything
    summary = window.order_actions.last_summary
    assert summary is not None and len(summary.queued) == 2 and not summary.refused
    qtbot.waitUntil(lambda: _all_sent(window), timeout=20_000)

    _select(window, [first, second, completed])
    assert window.order_actions.complete()
    summary = window.order_actions.last_summary
    assert summary is not None
    assert sorted(o.order_id for o in summary.queued) == sorted([first, second])
    assert [o.order_id for o in summary.refused] == [completed]
    assert "2 orders queued. 1 refused." in answers[-1]
    assert f"#{completed}:" in answers[-1]
    qtbot.waitUntil(lambda: _all_sent(window), timeout=20_000)
    vendor_id = int(next(u for u in sim.users if u["login"] == sim.demo_vendor)["id"])
    for order_id in (first, second):
        rows = sim.order_snapshot(order_id)["commissions"]
        assert {r["commission_status"] for r in rows if int(r["vendor_id"]) == vendor_id} == {
            "completed"
        }


def test_refund_request_from_the_window_reaches_the_marketplace(
    window: MainWindow, sim: Any, qtbot: Any
) -> None:
    from vendor_desk.domain import RefundMode
    from vendor_desk.domain.refunds import eligibility_problems
    from vendor_desk.ui.refund_dialog import RefundDialog

    assert window._connection is not None
    account_id = window._connection.account_id
    with window._cache.session() as session:
        rows = fetch_rows(session, OrderQuery(account_id, group="completed"), 0, 500)
        candidates = [order_detail(session, account_id, row.order_id) for row in rows]
    order = next(d.order for d in candidates if d is not None and not eligibility_problems(d.order))
    window.open_order(order.id)
    window.order_actions.update_enabled()
    assert window.order_actions.refund_action.isEnabled()
    before = len(sim.refund_forms())

    def answer(dialog: Any) -> bool:
        assert isinstance(dialog, RefundDialog)
        dialog.set_mode(RefundMode.FULL)
        dialog.reason_edit.setPlainText("Le colis a été perdu par le transporteur.")
        assert dialog.validate()
        return True

    window.order_actions.run_dialog = answer
    assert window.order_actions.refund(order.id)
    # shown at once: the order is in "Refund requested" before the marketplace answered
    with window._cache.session() as session:
        queued = order_detail(session, account_id, order.id)
    assert queued is not None and queued.order.refund_requested
    qtbot.waitUntil(lambda: _all_sent(window), timeout=20_000)
    forms = sim.refund_forms()[before:]
    assert len(forms) == 1 and f"wcfm_refund_order_id={order.id}" in forms[0]
    assert "refund_request=full" in forms[0]
    # The store admin approves (later: once the window's send job has finished): the next sync
    # tells the vendor and the Refunds view shows it.
    qtbot.waitUntil(lambda: not window._worker.is_busy(), timeout=20_000)
    requests = [r for r in sim.refund_requests() if r["order_id"] == order.id]
    assert requests
    for request in requests:
        sim.approve_refund_request(request["id"])
    with qtbot.waitSignal(window.sync_succeeded, timeout=30_000):
        window.start_sync()
    titles = [shown.title for shown in window.notifier.shown]
    assert f"Refund approved for order #{order.id}" in titles
    window.refunds.refresh()
    assert window.refunds.model.rowCount() >= 1


def test_print_actions_and_printed_marks_in_the_window(window: MainWindow) -> None:
    from vendor_desk.documents import DocumentKind
    from vendor_desk.documents.printed import record_printed

    assert window._connection is not None
    (order_id,) = _to_ship(window, 1, paid=False)
    window.open_order(order_id)
    window._selection_changed()
    assert window.print_jobs.slip_action.isEnabled()
    assert "Packing slip printed" not in window.detail.text_content()
    record_printed(window._cache, window._connection.account_id, [order_id], DocumentKind.SLIP)
    window.reload()
    assert "Packing slip printed" in window.detail.text_content()
    # … and the list marks the order (icon + tooltip on its number)
    from PySide6.QtCore import Qt

    from vendor_desk.ui.order_model import COL_NUMBER

    row = window._find_row(order_id, limit=10_000)
    assert row is not None
    number = window.model.index(row, COL_NUMBER)
    assert window.model.data(number, Qt.ItemDataRole.DecorationRole) is not None
    tooltip = window.model.data(number, Qt.ItemDataRole.ToolTipRole)
    assert tooltip.startswith("Packing slip printed")


def test_marketplace_store_invoice_is_downloaded_and_opened(
    window: MainWindow, sim: Any, qtbot: Any
) -> None:
    """Completing an order makes the (Ultimate) marketplace issue a store invoice: once synced,
    the Print menu's action downloads it into the data folder and opens it."""
    from vendor_desk.domain.carriers import ShipMethod

    (order_id,) = _to_ship(window, 1, paid=False)

    def answer(dialog: Any) -> bool:
        if isinstance(dialog, TrackingDialog):  # shipped without tracking…
            dialog.parcel_editors[0].set_method(ShipMethod.NO_TRACKING)
            assert dialog.validate()
        return True  # … and the Mark Complete dialog confirmed

    window.order_actions.run_dialog = answer
    assert window.order_actions.ship(order_id)
    qtbot.waitUntil(lambda: _all_sent(window), timeout=20_000)
    assert window.order_actions.complete(order_id)  # the marketplace mails a store invoice
    qtbot.waitUntil(lambda: _all_sent(window), timeout=20_000)
    with qtbot.waitSignal(window.sync_succeeded, timeout=30_000):
        window.start_sync()
    window.open_order(order_id)
    window._selection_changed()
    assert window.store_invoice_action.isEnabled()
    opened: list[Any] = []
    window.open_file = opened.append
    assert window.open_store_invoice()
    qtbot.waitUntil(lambda: bool(opened), timeout=20_000)
    assert opened[0] == window.last_store_invoice
    assert opened[0].read_bytes().startswith(b"%PDF-")
    assert opened[0].name.startswith("store-invoice-")


def test_document_settings_are_filled_from_the_store_and_editable(
    window: MainWindow, qtbot: Any, tmp_path: Any
) -> None:
    from vendor_desk.documents.sources import load_settings
    from vendor_desk.ui.document_settings_dialog import DocumentSettingsDialog

    assert window._connection is not None
    account_id = window._connection.account_id
    with qtbot.waitSignal(window.sync_succeeded, timeout=30_000):
        window.start_sync()  # the first sync of the session reads the store profile
    with window._cache.session() as session:
        filled = load_settings(session, account_id)
    assert filled.store_name and filled.address_lines  # from the marketplace's profile

    def answer(dialog: Any) -> bool:
        assert isinstance(dialog, DocumentSettingsDialog)
        assert dialog.store_name.text() == filled.store_name
        dialog.vat_id.setText("FR40303265045")
        dialog.prefix.setText("HP-")
        dialog.padding.setValue(5)
        assert dialog.numbering_example.text().endswith("HP-00042")
        dialog.logo.setText(str(tmp_path / "missing.png"))
        dialog.accept()  # refused: the logo file does not exist, said next to the field
        assert dialog.logo_error.isVisibleTo(dialog) and not dialog.result()
        dialog.logo.setText("")
        return True

    window.order_actions.run_dialog = answer
    assert window.edit_document_settings()
    with window._cache.session() as session:
        saved = load_settings(session, account_id)
    assert saved.vat_id == "FR40303265045" and saved.invoice_prefix == "HP-"
    assert saved.invoice_padding == 5 and saved.store_name == filled.store_name
