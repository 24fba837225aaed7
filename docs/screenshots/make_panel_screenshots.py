"""Render the Activity panel and the notification board offscreen from the simulator.

    QT_QPA_PLATFORM=offscreen python3 docs/screenshots/make_panel_screenshots.py

Writes activity-panel.png (sent, waiting, failed and discarded changes), activity-decision.png
(a tracking another desk overtook, waiting for the vendor's decision) and
notification-board.png (new orders, a message from the admin, a refund decision, the vendor's
own message and updates) next to itself. Everything goes through the real client, outbox and
cache against a local simulator; only the admin's side (its message, its refund decision) is
played directly on the simulator.
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

from vendor_desk.cache import add_account, open_cache  # noqa: E402
from vendor_desk.cache.models import OrderRecord  # noqa: E402
from vendor_desk.cache.store import load_orders  # noqa: E402
from vendor_desk.domain import Order, OrderStatus  # noqa: E402
from vendor_desk.marketplace import WcfmMarketplace  # noqa: E402
from vendor_desk.sandbox import checkout, messaging, operations  # noqa: E402
from vendor_desk.sandbox.server import Simulator  # noqa: E402
from vendor_desk.sync import Syncer  # noqa: E402
from vendor_desk.sync.notifications import board_entries, mark_read, sync_notifications  # noqa: E402
from vendor_desk.sync.outbox import Outbox, OutboxKind, OutboxState  # noqa: E402
from vendor_desk.sync.shipping import queue_admin_message  # noqa: E402
from vendor_desk.ui.activity_panel import ActivityPanel  # noqa: E402
from vendor_desk.ui.application import ensure_application  # noqa: E402
from vendor_desk.ui.notification_board import NotificationBoard  # noqa: E402


def place_orders(sim: Simulator, count: int) -> list[int]:
    """Customers buy the demo vendor's goods (the marketplace notifies the vendor)."""
    state = sim.state
    with state.lock:
        vendor = state.user_by_login(sim.demo_vendor)
        assert vendor is not None
        products = [
            p
            for p in sorted(state.products.values(), key=lambda p: p.id)
            if p.vendor_id == vendor.id and p.type == "simple" and not p.virtual
        ]
        customers = sorted(
            (u for u in state.users.values() if u.role == "customer"), key=lambda u: u.id
        )
        return [
            checkout.place_order(
                state, customers[n % len(customers)], [(products[n % len(products)], 1, None)]
            ).id
            for n in range(count)
        ]


def admin_side(sim: Simulator, order_id: int) -> None:
    """What the store admin does meanwhile: a message to the vendor, a refund decision."""
    state = sim.state
    with state.lock:
        vendor = state.user_by_login(sim.demo_vendor)
        admin = next(u for u in state.users.values() if u.role == "administrator")
        assert vendor is not None
        operations.send_notification(
            state,
            text=(
                "Hi! The courier strike ends on Monday &mdash; please ship <b>express</b> "
                "until then."
            ),
            message_type="direct",
            author_id=admin.id,
            message_to=vendor.id,
            author_is_admin=True,
        )
        operations.send_notification(
            state,
            text=f"Your Refund Request approved for Order <b>#{order_id}</b>.",
            message_type="refund-request",
            author_id=messaging.SYSTEM_TO_VENDOR,
            message_to=vendor.id,
        )


def to_ship(cache: object, account_id: int) -> list[Order]:
    with cache.session() as session:  # type: ignore[attr-defined]
        ids = [
            row.order_id
            for row in session.query(OrderRecord).filter(OrderRecord.account_id == account_id)
        ]
        orders = load_orders(session, account_id, ids).values()
    return sorted(
        (
            order
            for order in orders
            if order.vendor_status == OrderStatus.PROCESSING
            and any(item.shippable for item in order.items)
            and not any(item.has_tracking for item in order.items)
        ),
        key=lambda order: order.id,
        reverse=True,
    )


def shippable(order: Order) -> list[int]:
    return [item.item_id for item in order.items if item.shippable]


def main() -> int:
    app = ensure_application()
    with tempfile.TemporaryDirectory() as tmp, Simulator(dataset="generated", seed=7) as sim:
        user = next(u for u in sim.users if u["login"] == sim.demo_vendor)
        cache = open_cache(Path(tmp))
        with cache.session(write=True) as session:
            account_id = add_account(session, sim.base_url, user["login"], "Demo", 2, "jwt")
        market = WcfmMarketplace(sim.base_url, user["login"], user["password"])
        Syncer(cache, account_id, market).sync(None, threading.Event())
        sync_notifications(cache, account_id, market)  # the board as it was before today
        placed = place_orders(sim, 3)
        Syncer(cache, account_id, market).sync(None, threading.Event())

        outbox = Outbox(cache, account_id)
        orders = to_ship(cache, account_id)
        # Sent: a shipment with tracking, a completion, a message to the admin.
        outbox.enqueue(
            OutboxKind.TRACKING,
            orders[0].id,
            {
                "item_ids": shippable(orders[0]),
                "code": "JJD0099812345",
                "url": "https://www.dhl.com/track?tracking-id=JJD0099812345",
                "carrier": "dhl",
            },
        )
        outbox.enqueue(OutboxKind.COMPLETE, orders[1].id, {})
        queue_admin_message(  # written from the order, as the window does
            outbox,
            f"Hello, the customer of order #{orders[1].id} asks for an invoice copy.",
            about_order_id=orders[1].id,
        )
        outbox.send_due(market)
        # Failed: tracking on a marketplace without WCFM Ultimate (a silent no-op, detected).
        sim.set_edition("free")
        outbox.enqueue(
            OutboxKind.TRACKING,
            orders[2].id,
            {
                "item_ids": shippable(orders[2]),
                "code": "6A12345678901",
                "url": "https://www.laposte.fr/outils/suivre-vos-envois?code=6A12345678901",
                "carrier": "colissimo",
            },
        )
        outbox.send_due(market)
        sim.set_edition("ultimate")
        # Discarded: a status change the vendor thought better of.
        discarded = outbox.enqueue(OutboxKind.SET_STATUS, orders[3].id, {"status": "on-hold"})
        outbox.discard(discarded)
        # Waiting: the marketplace was busy for the note (retried later), and a fresh one.
        fault = sim.inject_fault("unavailable", r"/orders/note/", method="POST", times=None)
        outbox.enqueue(
            OutboxKind.NOTE,
            orders[4].id,
            {"text": "Packed with extra bubble wrap (fragile).", "kind": "private"},
        )
        outbox.send_due(market)
        sim.remove_fault(fault)
        outbox.enqueue(
            OutboxKind.NOTE,
            orders[5].id,
            {"text": "Your parcel leaves our workshop tomorrow morning.", "kind": "customer"},
        )

        # Needs a decision: another desk of the vendor shipped order 7 first, with its own
        # tracking, while this desk's cache had not seen it yet.
        other = open_cache(Path(tmp) / "other-desk")
        with other.session(write=True) as session:
            other_id = add_account(session, sim.base_url, user["login"], "Demo", 2, "jwt")
        Syncer(other, other_id, market).sync(None, threading.Event())
        Outbox(other, other_id).enqueue(
            OutboxKind.TRACKING,
            orders[7].id,
            {
                "item_ids": shippable(orders[7]),
                "code": "6A98765432109",
                "url": "https://www.laposte.fr/outils/suivre-vos-envois?code=6A98765432109",
                "carrier": "colissimo",
            },
        )
        Outbox(other, other_id).send_due(market)
        other.close()
        decide = outbox.enqueue(
            OutboxKind.TRACKING,
            orders[7].id,
            {
                "item_ids": shippable(orders[7]),
                "code": "JJD0011223344",
                "url": "https://www.dhl.com/track?tracking-id=JJD0011223344",
                "carrier": "dhl",
            },
        )
        outbox.send_due(market)

        admin_side(sim, orders[6].id)
        sync_notifications(cache, account_id, market)
        # The vendor has already looked at one of this morning's new orders.
        seen = next(
            e for e in board_entries(cache, account_id) if e.order_id == placed[0] and not e.read
        )
        assert seen.notification_id is not None
        mark_read(cache, account_id, [seen.notification_id])
        market.close()

        panel = ActivityPanel(Outbox(cache, account_id, recover_sending=False))
        panel.resize(1180, 470)
        panel.show()
        failed = outbox.entries([OutboxState.FAILED])[0]
        panel.select_entry(failed.id)
        for _ in range(10):
            app.processEvents()
        panel.grab().save(str(HERE / "activity-panel.png"))
        panel.select_entry(decide)
        for _ in range(10):
            app.processEvents()
        panel.grab().save(str(HERE / "activity-decision.png"))

        board = NotificationBoard(cache, account_id)
        board.resize(620, 640)
        board.show()
        for _ in range(10):
            app.processEvents()
        board.grab().save(str(HERE / "notification-board.png"))
        panel.close()
        board.close()
        cache.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
