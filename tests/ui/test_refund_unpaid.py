"""Refund requests of orders nobody paid yet (issue 12), from the window, on the recorded site:
order 19 is an unpaid cash-on-delivery order (processing), order 22 a paid one (completed).

The dialog shows the warning before anything is sent, and the request is queued only once the
vendor ticked "I understand that nothing was paid"; a paid order has no warning and no extra
step."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from vendor_desk.domain import RefundMode
from vendor_desk.domain.refunds import RefundProblem, RefundProblemCode
from vendor_desk.sandbox.server import Simulator
from vendor_desk.sync.outbox import Outbox, OutboxKind, OutboxState
from vendor_desk.ui import labels
from vendor_desk.ui.main_window import MainWindow
from vendor_desk.ui.refund_dialog import RefundDialog

UNPAID_COD, PAID = 19, 22
#: Another unpaid cash-on-delivery order (processing): 19's request is sent in a test.
OTHER_UNPAID_COD = 21


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulator]:
    simulator = Simulator(dataset="recorded").start()
    yield simulator
    simulator.stop()


def _refund_entries(window: MainWindow) -> list[Any]:
    assert window._connection is not None
    outbox = Outbox(window._cache, window._connection.account_id, recover_sending=False)
    return [entry for entry in outbox.entries() if entry.kind is OutboxKind.REFUND]


def test_unpaid_order_warns_and_needs_the_vendors_confirmation(
    window: MainWindow, sim: Simulator, qtbot: Any
) -> None:
    seen: dict[str, Any] = {}

    def answer(dialog: Any) -> bool:
        assert isinstance(dialog, RefundDialog) and dialog.eligible
        dialog.show()
        seen["dialog"] = dialog
        # The warning is there before anything is filled in or sent.
        assert dialog.unpaid_warning is not None and dialog.unpaid_warning.isVisible()
        warning = dialog.unpaid_warning.text()
        assert warning.startswith("Nothing has been paid for order #19 yet")
        assert "cash on delivery" in warning and "no money back" in warning
        assert dialog.unpaid_confirm is not None and dialog.unpaid_confirm.isVisible()
        assert not dialog.unpaid_confirm.isChecked()
        dialog.set_mode(RefundMode.FULL)
        dialog.reason_edit.setPlainText("Your order was cancelled before it was shipped.")
        # Everything else is right, the box is not ticked: not sent, and the box says so.
        dialog.accept()
        assert dialog.result() == 0 and dialog.isVisible()
        assert dialog.unpaid_error is not None and dialog.unpaid_error.isVisible()
        assert dialog.focusWidget() is dialog.unpaid_confirm
        assert not dialog.unpaid_confirmed()
        dialog.unpaid_confirm.click()
        assert dialog.unpaid_error.isHidden()
        dialog.accept()
        assert dialog.result() == 1
        return True

    window.order_actions.run_dialog = answer
    assert window.order_actions.refund(UNPAID_COD)
    assert seen["dialog"].unpaid_confirmed()
    [entry] = _refund_entries(window)
    assert entry.order_id == UNPAID_COD and entry.payload["mode"] == "full"
    qtbot.waitUntil(lambda: _refund_entries(window)[0].state is OutboxState.SENT, timeout=20_000)
    assert any(f"wcfm_refund_order_id={UNPAID_COD}" in form for form in sim.refund_forms())


def test_cancelling_the_unticked_dialog_queues_nothing(window: MainWindow) -> None:
    def answer(dialog: Any) -> bool:
        assert isinstance(dialog, RefundDialog)
        dialog.show()
        dialog.set_mode(RefundMode.FULL)
        dialog.reason_edit.setPlainText("Cancelled.")
        assert not dialog.validate()  # only the box is missing
        return False  # the vendor cancels

    window.order_actions.run_dialog = answer
    assert not window.order_actions.refund(OTHER_UNPAID_COD)
    assert _refund_entries(window) == []


def test_paid_order_has_no_warning_and_no_extra_step(window: MainWindow) -> None:
    def answer(dialog: Any) -> bool:
        assert isinstance(dialog, RefundDialog) and dialog.eligible
        dialog.show()
        assert dialog.unpaid_warning is None and dialog.unpaid_confirm is None
        assert "paid" not in dialog.state_label.text()
        dialog.set_mode(RefundMode.FULL)
        dialog.reason_edit.setPlainText("The carrier lost your parcel.")
        dialog.accept()
        assert dialog.result() == 1
        assert not dialog.unpaid_confirmed()  # nothing to confirm
        return True

    window.order_actions.run_dialog = answer
    assert window.order_actions.refund(PAID)
    [entry] = _refund_entries(window)
    assert entry.order_id == PAID


def test_every_refund_problem_has_its_own_words(window: MainWindow) -> None:
    """The new code too (it fell back to the English reason)."""
    from vendor_desk.cache.queries import order_detail

    assert window._connection is not None
    with window._cache.session() as session:
        detail = order_detail(session, window._connection.account_id, UNPAID_COD)
    assert detail is not None
    for code in RefundProblemCode:
        text = labels.refund_problem_text(RefundProblem(code, "ENGLISH REASON"), detail.order)
        assert text and text != "ENGLISH REASON", code
    # Without the order, still a sentence of its own.
    problem = RefundProblem(RefundProblemCode.UNPAID_NOT_CONFIRMED, "ENGLISH REASON")
    assert "Confirm" in labels.refund_problem_text(problem)
    problem = RefundProblem(RefundProblemCode.UNPAID_NOT_CONFIRMED, "ENGLISH REASON")
    text = labels.refund_problem_text(problem, detail.order)
    assert text.startswith("Nothing has been paid for order #19 yet") and "Confirm" in text
