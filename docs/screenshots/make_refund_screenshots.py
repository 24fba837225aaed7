"""Screenshots of the Refund Request dialog for the docs: full mode, partial mode (two amounts
typed, the live sum, one mistake shown next to its field), the order whose earnings were
already paid out (refunds go through the store admin) and an unpaid cash-on-delivery order
(the warning, and the box the vendor must tick before the request is sent).

Runs the simulator, prepares the orders on it (one item with a pending request, one payout paid
out), syncs the demo vendor's orders into a throw-away cache and grabs the real dialog
offscreen::

    python3 docs/screenshots/make_refund_screenshots.py
"""

from __future__ import annotations

import sys
import tempfile
import threading
from pathlib import Path

from _shots import demo_vendor_cache, grab

from vendor_desk.cache.queries import order_detail, order_ids
from vendor_desk.domain import Money, Order, RefundLine, RefundMode, rules
from vendor_desk.domain.refunds import refundable_items, unpaid_refund
from vendor_desk.marketplace.probe import open_marketplace
from vendor_desk.sandbox.server import Simulator
from vendor_desk.sync import Syncer
from vendor_desk.sync.refunds import sync_refund_requests
from vendor_desk.ui.application import ensure_application
from vendor_desk.ui.refund_dialog import RefundDialog
from vendor_desk.ui.refunds_view import RefundsView


def _orders(sim: Simulator) -> tuple[Order, Order, Order]:
    """(an order with three refundable items, one of them with a pending request;
    an order whose earnings were paid out; an unpaid cash-on-delivery order)."""
    sim.add_orders(60)  # fresh checkouts: processing orders
    with tempfile.TemporaryDirectory() as folder:
        cache, account_id, account = demo_vendor_cache(sim, Path(folder) / "data")
        with open_marketplace(account) as market:
            with cache.session() as session:
                candidates = [
                    detail.order
                    for detail in (
                        order_detail(session, account_id, order_id)
                        for order_id in sorted(order_ids(session, account_id), reverse=True)
                    )
                    if detail is not None
                    and detail.order.vendor_status.slug in ("processing", "shipped", "completed")
                    and len(refundable_items(detail.order)) == len(detail.order.items)
                ]
            unpaid = next(
                order
                for order in candidates
                if order.payment_method == "cod" and unpaid_refund(order) is not None
            )
            candidates = [order for order in candidates if order.id != unpaid.id]
            # A routine sync does not read an order again for a payout change alone: take
            # orders whose payout already is what the screenshots need.
            candidates.sort(
                key=lambda order: (
                    order.payout_state.slug == "pending",
                    len(order.items) >= 3,
                    unpaid_refund(order) is None,
                    len(order.items),
                ),
                reverse=True,
            )
            many = candidates[0]
            paid = next(
                (o for o in reversed(candidates) if o.payout_state.slug == "completed"),
                candidates[-1],
            )
            print(f"orders #{many.number} ({len(many.items)} items) and #{paid.number}")
            sim.set_payout(many.id, "pending")  # still refundable by the vendor
            first = many.items[0]
            market.request_refund(
                many.id,
                RefundMode.PARTIAL,
                [RefundLine(first.item_id, 0, Money(first.total.amount / 2, first.total.currency))],
                "Scratch on the lid, as agreed.",
            )
            sim.set_payout(paid.id, "completed")
            Syncer(cache, account_id, market).sync(None, threading.Event())
            sync_refund_requests(cache, account_id, market)  # what the Refunds view lists
        with cache.session() as session:
            orders = [order_detail(session, account_id, o.id) for o in (many, paid, unpaid)]
        view = RefundsView(cache, account_id)
        view.resize(900, 360)
        grab(ensure_application(), view, "refunds-view.png")
        view.close()
        cache.close()
    found = [detail.order for detail in orders if detail is not None]
    assert len(found) == 3 and rules.may_request_refund(found[0])
    return found[0], found[1], found[2]


def main() -> int:
    app = ensure_application()
    sim = Simulator(dataset="generated", orders=60, seed=5).start()
    try:
        order, paid, unpaid = _orders(sim)
    finally:
        sim.stop()

    full = RefundDialog(order)
    full.set_mode(RefundMode.FULL)
    full.preset_combo.setCurrentIndex(1)
    full._preset_chosen(1)
    grab(app, full, "refund-dialog-full.png")

    partial = RefundDialog(order, english_hint=True)
    rows = list(partial.rows.values())
    rows[0].qty_edit.setText("1")
    rows[0].total_edit.setText("12,50")
    rows[1].total_edit.setText("999")  # more than remains: the mistake shows under the row
    partial.reason_edit.setPlainText(
        "We received the items you returned. Thank you, and sorry they did not suit you."
    )
    grab(app, partial, "refund-dialog-partial.png")

    blocked = RefundDialog(paid)
    grab(app, blocked, "refund-blocked-payout.png")

    cod = RefundDialog(unpaid)
    cod.set_mode(RefundMode.FULL)
    cod.reason_edit.setPlainText("Your order was cancelled before it was shipped, as you asked.")
    cod.accept()  # not ticked yet: the box says so
    grab(app, cod, "refund-dialog-unpaid.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
