"""Screenshots of the action dialogs for the docs: the tracking dialog (several parcels, a carrier
preset filled in, one mistake shown) and the note dialog ("note to customer" chosen).

Runs the simulator, syncs the demo vendor's orders into a throw-away cache and grabs the real
dialogs offscreen::

    python3 docs/screenshots/make_dialog_screenshots.py
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
from vendor_desk.marketplace.probe import (  # noqa: E402
    AccountInput,
    open_marketplace,
    probe_marketplace,
)
from vendor_desk.sandbox.server import Simulator  # noqa: E402
from vendor_desk.sync import Syncer  # noqa: E402
from vendor_desk.ui.application import ensure_application  # noqa: E402
from vendor_desk.ui.note_dialog import NoteDialog  # noqa: E402
from vendor_desk.ui.tracking_dialog import TrackingDialog  # noqa: E402


def _settle(app: QApplication) -> None:
    for _ in range(3):  # layout requests posted while laying out need a second pass
        app.processEvents()


def _grab(app: QApplication, widget: QWidget, name: str) -> None:
    widget.show()
    _settle(app)
    widget.grab().save(str(HERE / name))
    print(f"wrote {HERE / name}")


def main() -> int:
    app = ensure_application()
    sim = Simulator(dataset="generated", orders=60, seed=4).start()
    try:
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
                Syncer(cache, account_id, market).sync(None, threading.Event())
                capabilities = market.capabilities()
            with cache.session() as session:
                details = [
                    order_detail(session, account_id, order_id)
                    for order_id in sorted(order_ids(session, account_id))
                ]
            cache.close()
    finally:
        sim.stop()

    def untracked(order: object) -> list[object]:
        return [i for i in order.items if i.shippable is True and not i.has_tracking]  # type: ignore[attr-defined]

    order = next(
        d.order
        for d in details
        if d is not None
        and d.order.vendor_status.slug == "processing"
        and len(untracked(d.order)) >= 2
    )
    dialog = TrackingDialog(
        order, order.shipping.country, order.shipping.postcode, capabilities=capabilities
    )
    dialog.resize(760, 820)
    dialog.mode_several.setChecked(True)
    first, second = dialog.parcel_editors[:2]
    first.set_carrier("colissimo")
    first.code_edit.setText("6a 1234 5678 901")
    first.code_edit.editingFinished.emit()
    second.set_carrier("other")
    second.code_edit.setText("JD01463963#")
    second.url_edit.setText("https://carrier.example/track?c=JD01463963")
    dialog.show()
    dialog.accept()  # refused: shows the mistake next to the field
    _grab(app, dialog, "tracking-dialog.png")

    note = NoteDialog(order.number, capabilities=capabilities)
    note.resize(520, 320)
    note.text_edit.setPlainText(
        "Bonjour ! Your parcel left today with La Poste — thank you for your order."
    )
    note.customer_button.setChecked(True)
    _grab(app, note, "note-dialog.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
