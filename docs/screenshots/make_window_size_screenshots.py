"""Render the main window at the laptop sizes of a packing table, offscreen, from demo data.

    QT_QPA_PLATFORM=offscreen python3 docs/screenshots/make_window_size_screenshots.py

Writes main-window-1024x700.png, main-window-1280x720.png and main-window-1366x768.png next to
itself: "To ship" with its first order selected (issue 15: nothing cut off at these sizes).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from _shots import demo_shop, settle  # noqa: E402

from vendor_desk.ui.application import ensure_application  # noqa: E402

SIZES = [(1024, 700), (1280, 720), (1366, 768)]


def main() -> int:
    app = ensure_application()
    with demo_shop() as shop:
        shop.simulator.add_orders(40)  # fresh checkouts: a morning's orders to pack
        window = shop.open_window(app, *SIZES[0])
        to_ship = window.filter_model.index(window.filter_model.row_of("to_ship"))
        for width, height in SIZES:
            window.resize(width, height)
            window.filter_view.setCurrentIndex(to_ship)
            window.select_row(0)
            settle(app, 10)
            name = f"main-window-{width}x{height}.png"
            window.grab().save(str(HERE / name))
            print(f"wrote {HERE / name}")
        window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
