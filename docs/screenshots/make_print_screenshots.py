"""Render the print preview of a packing slip to docs/screenshots/print-preview.png, and that of
a store invoice not issued yet (no number until it is printed or saved) to invoice-preview.png.

The demo data is the generated simulator's, synced into a temporary cache over loopback as the
app does; the previews are the real dialogs (the invoice's opened by the window's print jobs),
grabbed offscreen.

    python3 docs/screenshots/make_print_screenshots.py
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from _shots import demo_document_orders  # noqa: E402
from PySide6.QtCore import QCoreApplication, QSettings  # noqa: E402
from PySide6.QtWidgets import QWidget  # noqa: E402

from vendor_desk import documents as docs  # noqa: E402
from vendor_desk.ui.application import ensure_application  # noqa: E402
from vendor_desk.ui.print_jobs import PrintJobs  # noqa: E402
from vendor_desk.ui.print_preview import PrintPreviewDialog, kind_label  # noqa: E402
from vendor_desk.ui.printing import PrintSettings  # noqa: E402

SETTINGS = docs.DocumentSettings(
    store_name="Harbor & Pine Goods",
    address_lines=("2 Quay Street", "Bristol BS1 4DJ", "United Kingdom"),
    email="hello@harborpine.example",
    phone="+44 117 496 0123",
    website="harborpine.example",
)


def main() -> None:
    app = ensure_application()
    with (
        tempfile.TemporaryDirectory() as folder,
        demo_document_orders(Path(folder)) as (env, orders),
    ):
        slip = next(d for d in orders if any(t.url for t in d.tracking) and len(d.items) > 1)

        def rerender(paper: docs.Paper) -> bytes:
            return docs.render(docs.DocumentKind.SLIP, [slip], SETTINGS, paper)

        settings = QSettings(str(Path(folder) / "settings.ini"), QSettings.Format.IniFormat)
        PrintSettings(docs.DocumentKind.SLIP, "Zebra ZD421", docs.Paper.A4).save(settings)
        preview = PrintPreviewDialog(
            rerender(docs.Paper.A4),
            docs.DocumentKind.SLIP,
            QCoreApplication.translate("PrintJobs", "{what} #{number}").format(
                what=kind_label(docs.DocumentKind.SLIP), number=slip.order.number
            ),
            settings,
            rerender=rerender,
            paper=docs.Paper.A4,
        )
        preview.resize(820, 980)
        preview.show()
        for _ in range(5):
            app.processEvents()
        preview.grab().save(str(HERE / "print-preview.png"))
        print(HERE / "print-preview.png")
        preview.close()

        # a store invoice in the preview: a placeholder and a PREVIEW mark, no number used up
        with env.cache.session(write=True) as session:
            docs.save_settings(session, env.account_id, SETTINGS)
        window = QWidget()
        jobs = PrintJobs(window, env.cache, env.account_id, lambda: [slip.order.id], settings)

        def grab(dialog: Any) -> bool:
            dialog.resize(820, 980)
            dialog.show()
            for _ in range(5):
                app.processEvents()
            dialog.grab().save(str(HERE / "invoice-preview.png"))
            print(HERE / "invoice-preview.png")
            dialog.close()
            return False

        jobs.run_dialog = grab
        jobs.preview(docs.DocumentKind.INVOICE)


if __name__ == "__main__":
    main()
