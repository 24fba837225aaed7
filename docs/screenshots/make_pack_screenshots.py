"""Screenshots of the Pack view (the packing station) from the demo shop, offscreen:

    QT_QPA_PLATFORM=offscreen python3 docs/screenshots/make_pack_screenshots.py

Writes next to itself: pack-view.png (an order half packed, its label scanned, 1366×768),
pack-view-1024x700.png (the same at the smallest window), pack-view-error.png (one unit too
many), pack-view-idle.png (just shipped, waiting for the next slip).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from _shots import demo_shop, settle, wait_until  # noqa: E402

from vendor_desk.cache.queries import order_detail  # noqa: E402
from vendor_desk.domain.packing import to_pack  # noqa: E402
from vendor_desk.domain.tracking_codes import s10_check  # noqa: E402
from vendor_desk.sandbox import checkout  # noqa: E402
from vendor_desk.sandbox.model import Address  # noqa: E402
from vendor_desk.sandbox.server import Simulator  # noqa: E402
from vendor_desk.ui.application import ensure_application  # noqa: E402


def _place_order(sim: Simulator) -> int:
    with sim.state.lock:
        state = sim.state
        owner = state.user_by_login(sim.demo_vendor)
        assert owner is not None
        products = [
            p
            for p in sorted(state.products.values(), key=lambda p: p.id)
            if p.vendor_id == owner.id and not p.virtual and p.type == "simple" and p.sku
        ]
        customer = next(u for u in state.users.values() if u.role == "customer")
        address = Address(
            first_name="Camille",
            last_name="Moreau",
            address_1="8 rue des Tanneurs",
            city="Lyon",
            postcode="69001",
            country="FR",
            email="camille@example.com",
        )
        order = checkout.place_order(
            state,
            customer,
            [(products[0], 2, None), (products[1], 1, None)],
            status="processing",
            payment_method="cod",
            customer_note="Please wrap it as a gift — it is for my mother's birthday.",
            billing=address,
            shipping=address,
        )
        return order.id


def main() -> int:
    app = ensure_application()
    with demo_shop() as shop:
        sim, cache, connection = shop.simulator, shop.cache, shop.connection
        shop.settings.setValue("pack/muteSounds", True)
        window = shop.open_window(app, 1366, 768)
        assert window.pack is not None
        view = window.pack.view
        # A customer orders two of one product and one of another, with a note.
        order_id = _place_order(sim)
        window.start_sync()
        wait_until(app, lambda: window.pack.view.station.open(order_id) is not None)
        with cache.session() as session:
            detail = order_detail(session, connection.account_id, order_id)
        chosen = detail.order if detail is not None else None
        assert chosen is not None, "the demo shop has an order with two items to pack"
        print(f"order #{chosen.number}")
        window.pack.handle_scan(chosen.number)
        first = next(item for item in chosen.items if to_pack(item))
        for _ in range(first.quantity):
            view.handle_scan(first.sku)
        serial = "47110815"
        view.handle_scan(f"LA{serial}{s10_check(serial)}FR")
        settle(app, 10)
        window.grab().save(str(HERE / "pack-view.png"))
        window.resize(1024, 700)
        settle(app, 10)
        window.grab().save(str(HERE / "pack-view-1024x700.png"))
        window.resize(1366, 768)
        view.handle_scan(first.sku)  # one unit too many
        settle(app, 10)
        window.grab().save(str(HERE / "pack-view-error.png"))
        for item in chosen.items:
            if to_pack(item) and item.item_id != first.item_id:
                for _ in range(item.quantity):
                    view.handle_scan(item.sku)
        view.ship()
        settle(app, 10)
        window.grab().save(str(HERE / "pack-view-idle.png"))
        print("wrote pack-view*.png")
        window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
