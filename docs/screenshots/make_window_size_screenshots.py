"""Render the main window at the laptop sizes of a packing table, offscreen, from demo data.

    QT_QPA_PLATFORM=offscreen python3 docs/screenshots/make_window_size_screenshots.py

Writes main-window-1024x700.png, main-window-1280x720.png and main-window-1366x768.png next to
itself: "To ship" with its first order selected (issue 15: nothing cut off at these sizes).
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

from vendor_desk.ui.application import ensure_application, start_demo  # noqa: E402
from vendor_desk.ui.main_window import MainWindow  # noqa: E402

SIZES = [(1024, 700), (1280, 720), (1366, 768)]


def main() -> int:
    app = ensure_application()
    cleanup: list = []
    with tempfile.TemporaryDirectory() as tmp:
        try:
            simulator, cache, connection = start_demo(Path(tmp), cleanup, new_order_every=None)
            simulator.add_orders(40)  # fresh checkouts: a morning's orders to pack
            settings = QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat)
            window = MainWindow(cache, connection, settings, sync_interval_ms=30 * 60 * 1000)
            window.show()
            wait_until(app, lambda: window.last_sync is not None)
            to_ship = window.filter_model.index(window.filter_model.row_of("to_ship"))
            for width, height in SIZES:
                window.resize(width, height)
                window.filter_view.setCurrentIndex(to_ship)
                window.select_row(0)
                for _ in range(10):
                    app.processEvents()
                name = f"main-window-{width}x{height}.png"
                window.grab().save(str(HERE / name))
                print(f"wrote {HERE / name}")
            window.close()
        finally:
            for step in reversed(cleanup):
                step()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
