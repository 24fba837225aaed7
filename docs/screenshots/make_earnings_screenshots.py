"""Render the Earnings view in the main window, offscreen, from the demo shop.

    QT_QPA_PLATFORM=offscreen python3 docs/screenshots/make_earnings_screenshots.py

Writes earnings-view.png (1366x768: this month, the orders waiting for payout listed, the
marketplace's own figures read from the demo simulator) and earnings-view-1024x700.png (this
year, every order of it listed, at a small laptop's size) next to itself.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from _shots import demo_shop, settle, wait_until  # noqa: E402

from vendor_desk.ui.application import ensure_application  # noqa: E402


def main() -> int:
    app = ensure_application()
    with demo_shop() as shop:
        shop.simulator.add_orders(40)
        window = shop.open_window(app, 1366, 768)
        assert window.earnings is not None
        view = window.earnings.show()
        wait_until(app, lambda: view._stats is not None or view._stats_note)
        view.set_period("this_month")
        view.list_figure("waiting")  # as if the vendor clicked "Waiting for payout"
        settle(app, 10)
        window.grab().save(str(HERE / "earnings-view.png"))
        print(f"wrote {HERE / 'earnings-view.png'}")
        window.resize(1024, 700)
        view.set_period("this_year")
        view.list_figure("earnings")
        settle(app, 10)
        window.grab().save(str(HERE / "earnings-view-1024x700.png"))
        print(f"wrote {HERE / 'earnings-view-1024x700.png'}")
        window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
