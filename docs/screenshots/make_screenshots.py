"""Render the README screenshots offscreen from demo data.

    QT_QPA_PLATFORM=offscreen python3 docs/screenshots/make_screenshots.py

Writes main-window.png (list + detail), main-window-trashed.png (an order the store admin
moved to the trash), account-dialog.png, offline-banner.png and rate-limited-banner.png (the
marketplace answering 429) next to itself. The window at laptop sizes (1024x700 …):
make_window_size_screenshots.py.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from types import SimpleNamespace

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from _shots import demo_shop, settle, wait_until  # noqa: E402

from vendor_desk.cache.queries import order_detail  # noqa: E402
from vendor_desk.domain import AuthMethod  # noqa: E402
from vendor_desk.domain.earnings import earning_breakdown  # noqa: E402
from vendor_desk.ui.account_dialog import AccountDialog  # noqa: E402
from vendor_desk.ui.application import ensure_application  # noqa: E402


def main() -> int:
    app = ensure_application()
    with demo_shop() as shop:
        simulator, cache, connection = shop.simulator, shop.cache, shop.connection
        # no automatic sync comes while the script runs: the rate-limit banner says when one is
        window = shop.open_window(app, 1720, 900)
        window.filter_view.setCurrentIndex(window.filter_model.index(6))  # all orders
        app.processEvents()
        # Prefer a split order whose earning needs explaining (shipping …) for the detail
        # pane, else any split order.
        chosen = explained = None
        with cache.session() as session:
            for row in range(min(window.model.rowCount(), 200)):
                order_row = window.model.row_at(row)
                if order_row is None or not order_row.split:
                    continue
                chosen = row if chosen is None else chosen
                detail = order_detail(session, connection.account_id, order_row.order_id)
                breakdown = earning_breakdown(detail.order) if detail is not None else None
                if breakdown is not None and breakdown.explains_something:
                    explained = row
                    break
        window.select_row(explained if explained is not None else chosen or 0)
        settle(app, 10)
        window.grab().save(str(HERE / "main-window.png"))
        # (The laptop sizes of a packing table: make_window_size_screenshots.py.)

        simulator.fault_injector.add("reset", times=None)  # the network goes away
        window.start_sync()
        wait_until(app, lambda: window.offline)
        settle(app, 10)
        window.grab().save(str(HERE / "offline-banner.png"))

        # The store admin moves an order to ship to the trash; a sync later it is off "To
        # ship", and the detail pane says why.
        window.filter_view.setCurrentIndex(window.filter_model.index(0))
        app.processEvents()
        trashed = next(
            row.order_id
            for row in (window.model.row_at(r) for r in range(window.model.rowCount()))
            if row is not None and row.display_status == "processing"
        )
        simulator.fault_injector.clear()  # back online
        simulator.trash_order(trashed)
        window.start_sync()
        wait_until(app, lambda: not window.offline and window.model.row_of_order(trashed) is None)
        window.filter_view.setCurrentIndex(window.filter_model.index(6))
        app.processEvents()
        row = window.model.row_of_order(trashed)
        window.select_row(row if row is not None else 0)
        settle(app, 10)
        window.grab().save(str(HERE / "main-window-trashed.png"))

        simulator.fault_injector.clear()  # back online, but the marketplace limits requests
        simulator.fault_injector.add("rate_limit", times=None, retry_after=300)
        window.start_sync()
        wait_until(app, lambda: window.sync_label.text() == window.tr("Marketplace busy"))
        settle(app, 10)
        window.grab().save(str(HERE / "rate-limited-banner.png"))
        window.close()

        dialog = AccountDialog(None)
        dialog.url_edit.setText("https://market.example.com")
        dialog.login_edit.setText("harbor_pine")
        dialog.password_edit.setText("secret")
        probe = SimpleNamespace(  # what a successful test finds
            login="harbor_pine",
            base_url="https://market.example.com",
            store_name="Harbor & Pine Goods",
            display_name="Dana Demo",
            auth_method=AuthMethod.JWT.value,
            jwt_available=True,
            ultimate=True,
        )
        dialog._test_finished("test", probe)  # type: ignore[arg-type]
        dialog.show()
        dialog.adjustSize()
        settle(app, 10)
        dialog.grab().save(str(HERE / "account-dialog.png"))
        dialog.close()
    print("screenshots written to", HERE)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
