"""Render the Earnings view in the main window, offscreen, from the demo shop.

    QT_QPA_PLATFORM=offscreen python3 docs/screenshots/make_earnings_screenshots.py

Writes earnings-view.png (1366x768: this month, the orders waiting for payout listed, the
marketplace's own figures read from the demo simulator) and earnings-view-1024x700.png (this
year, every order of it listed, at a small laptop's size) next to itself.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from _shots import wait_until  # noqa: E402
from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from vendor_desk.ui.application import ensure_application, start_demo  # noqa: E402
from vendor_desk.ui.main_window import MainWindow  # noqa: E402


def _settle(app: QApplication) -> None:
    for _ in range(10):
        app.processEvents()


def main() -> int:
    app = ensure_application()
    cleanup: list = []
    with tempfile.TemporaryDirectory() as tmp:
        try:
            simulator, cache, connection = start_demo(Path(tmp), cleanup, new_order_every=None)
            simulator.add_orders(40)
            settings = QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat)
            window = MainWindow(cache, connection, settings, sync_interval_ms=30 * 60 * 1000)
            window.resize(1366, 768)
            window.show()
            wait_until(app, lambda: window.last_sync is not None)
            assert window.earnings is not None
            view = window.earnings.show()
            wait_until(app, lambda: view._stats is not None or view._stats_note)
            view.set_period("this_month")
            view.list_figure("waiting")  # as if the vendor clicked "Waiting for payout"
            _settle(app)
            window.grab().save(str(HERE / "earnings-view.png"))
            print(f"wrote {HERE / 'earnings-view.png'}")
            window.resize(1024, 700)
            view.set_period("this_year")
            view.list_figure("earnings")
            _settle(app)
            window.grab().save(str(HERE / "earnings-view-1024x700.png"))
            print(f"wrote {HERE / 'earnings-view-1024x700.png'}")
            window.close()
        finally:
            for step in reversed(cleanup):
                step()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
