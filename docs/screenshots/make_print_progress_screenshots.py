"""Screenshots of the main window while a batch of packing slips prints in the background: the
status bar's job, progress bar and Cancel, in English and in French, at 1366×768 and 1024×700.

    QT_QPA_PLATFORM=offscreen python3 docs/screenshots/make_print_progress_screenshots.py

The demo marketplace's orders (``start_demo``) print straight to the remembered slip printer;
a PDF-file printer at 203 dpi stands for a label printer's driver (the rasterising path, which
reports page by page). The worker is held after a few pages while the window is grabbed.
Writes print-progress-{1366x768,1024x700}.png and fr/print-progress-1366x768.png.
"""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from _shots import demo_shop, settle, wait_until  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from vendor_desk import i18n  # noqa: E402
from vendor_desk.documents import DocumentKind, Paper  # noqa: E402
from vendor_desk.documents.printed import to_ship_order_ids  # noqa: E402
from vendor_desk.ui import printing, translator  # noqa: E402
from vendor_desk.ui.application import ensure_application  # noqa: E402
from vendor_desk.ui.printing import PrintSettings  # noqa: E402

SHOTS = [("en", 1366, 768, ""), ("en", 1024, 700, ""), ("fr", 1366, 768, "fr/")]
#: The worker waits after this many pages while the window is grabbed.
HOLD_AT = 3


def main() -> int:
    app = ensure_application()
    for language, width, height, prefix in SHOTS:
        translator.install(app, i18n.set_language(language))
        _shot(app, f"{prefix}print-progress-{width}x{height}.png", width, height)
    translator.install(app, i18n.set_language("en"))
    return 0


def _shot(app: QApplication, name: str, width: int, height: int) -> None:
    with demo_shop() as shop:
        shop.simulator.add_orders(40)
        PrintSettings(DocumentKind.SLIP, "Zebra ZD421", Paper.LABEL_4X6, skip_dialog=True).save(
            shop.settings
        )
        window = shop.open_window(app, width, height)
        window.print_jobs.printer_available = lambda name: name == "Zebra ZD421"
        out = shop.folder / "labels.pdf"
        window.print_jobs.make_printer = lambda _r, paper: printing.pdf_file_printer(
            out, paper, 203
        )
        ids = to_ship_order_ids(shop.cache, shop.connection.account_id)
        release = threading.Event()

        def hold(_name: str, data: tuple[int, int]) -> None:
            if data[0] == HOLD_AT:
                release.wait(30)

        window.background_printer._worker.progress.connect(hold, Qt.ConnectionType.DirectConnection)
        window.select_row(0)
        window.print_jobs.print_slips(ids)
        wait_until(app, lambda: window.print_progress.bar.value() >= HOLD_AT)
        settle(app, 10)
        window.grab().save(str(HERE / name))
        print(f"wrote {HERE / name}")
        release.set()
        wait_until(app, lambda: not window.background_printer.is_busy())
        settle(app, 10)
        window.shutdown()
        window.close()


if __name__ == "__main__":
    raise SystemExit(main())
