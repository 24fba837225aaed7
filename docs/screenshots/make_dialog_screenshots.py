"""Screenshots of the action dialogs for the docs: the tracking dialog (several parcels, a carrier
preset filled in, one mistake shown) and the note dialog ("note to customer" chosen).

Runs the simulator, syncs the demo vendor's orders into a throw-away cache and grabs the real
dialogs offscreen::

    python3 docs/screenshots/make_dialog_screenshots.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from _shots import demo_vendor_cache, grab

from vendor_desk.cache.queries import order_detail, order_ids
from vendor_desk.marketplace.probe import open_marketplace
from vendor_desk.sandbox.server import Simulator
from vendor_desk.ui.application import ensure_application
from vendor_desk.ui.note_dialog import NoteDialog
from vendor_desk.ui.tracking_dialog import TrackingDialog


def main() -> int:
    app = ensure_application()
    sim = Simulator(dataset="generated", orders=60, seed=4).start()
    try:
        with tempfile.TemporaryDirectory() as folder:
            cache, account_id, account = demo_vendor_cache(sim, Path(folder) / "data")
            with open_marketplace(account) as market:
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
    grab(app, dialog, "tracking-dialog.png")

    note = NoteDialog(order.number, capabilities=capabilities)
    note.resize(520, 320)
    note.text_edit.setPlainText(
        "Bonjour ! Your parcel left today with La Poste — thank you for your order."
    )
    note.customer_button.setChecked(True)
    grab(app, note, "note-dialog.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
