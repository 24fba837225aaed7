"""Screenshots of the Refund Request dialog for the docs: full mode, partial mode (two amounts
typed, the live sum, one mistake shown next to its field) and the order whose earnings were
already paid out (refunds go through the store admin).

Runs the simulator, prepares the orders on it (one item with a pending request, one payout paid
out), syncs the demo vendor's orders into a throw-away cache and grabs the real dialog
offscreen::

    python3 docs/screenshots/make_refund_screenshots.py
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from vendor_desk.cache import open_cache  # noqa: E402
from vendor_desk.cache.queries import add_account, order_detail, order_ids  # noqa: E402
from vendor_desk.domain import Money, Order, RefundLine, RefundMode, rules  # noqa: E402
from vendor_desk.domain.refunds import refundable_items  # noqa: E402
from vendor_desk.marketplace.probe import (  # noqa: E402
    AccountInput,
    open_marketplace,
    probe_marketplace,
)
from vendor_desk.sandbox.server import Simulator  # noqa: E402
from vendor_desk.sync import Syncer  # noqa: E402
from vendor_desk.ui.application import ensure_application  # noqa: E402
from vendor_desk.ui.refund_dialog import RefundDialog  # noqa: E402


def _settle(app: QApplication) -> None:
    for _ in range(3):  # layout requests posted while laying out need a second pass
        app.processEvents()


def _grab(app: QApplication, widget: QWidget, name: str) -> None:
    widget.show()
    _settle(app)
    widget.grab().save(str(HERE / name))
    print(f"wrote {HERE / name}")


def _orders(sim: Simulator) -> tuple[Order, Order]:
    """(an order with three refundable items, one of them with a pending request;
    an order whose earnings were paid out)."""
    user = next(u for u in sim.users if u["login"] == sim.demo_vendor)
    account = AccountInput(sim.base_url, user["login"], user["password"], False)
    probe = probe_marketplace(account)
    with tempfile.TemporaryDirectory() as folder:
        cache = open_cache(Path(folder) / "data")
        with cache.session(write=True) as session:
            account_id = add_account(
                session,
                probe.base_url,
                user["login"],
                probe.store_name,
                probe.vendor_id,
                probe.auth_method,
            )
        with open_marketplace(account) as market:
            sim.add_orders(60)  # fresh checkouts: processing orders
            Syncer(cache, account_id, market).sync(None, threading.Event())
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
            candidates.sort(key=lambda order: len(order.items), reverse=True)
            many, paid = candidates[0], candidates[-1]
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
        with cache.session() as session:
            orders = [order_detail(session, account_id, o.id) for o in (many, paid)]
        cache.close()
    found = [detail.order for detail in orders if detail is not None]
    assert len(found) == 2 and rules.may_request_refund(found[0])
    return found[0], found[1]


def main() -> int:
    app = ensure_application()
    sim = Simulator(dataset="generated", orders=60, seed=5).start()
    try:
        order, paid = _orders(sim)
    finally:
        sim.stop()

    full = RefundDialog(order)
    full.set_mode(RefundMode.FULL)
    full.preset_combo.setCurrentIndex(1)
    full._preset_chosen(1)
    _grab(app, full, "refund-dialog-full.png")

    partial = RefundDialog(order, english_hint=True)
    rows = list(partial.rows.values())
    rows[0].qty_edit.setText("1")
    rows[0].total_edit.setText("12,50")
    rows[1].total_edit.setText("999")  # more than remains: the mistake shows under the row
    partial.reason_edit.setPlainText(
        "We received the items you returned. Thank you, and sorry they did not suit you."
    )
    _grab(app, partial, "refund-dialog-partial.png")

    blocked = RefundDialog(paid)
    _grab(app, blocked, "refund-blocked-payout.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
