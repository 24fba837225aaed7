"""Every window, dialog and panel in French, offscreen, from demo data (issue 16 §5).

    QT_QPA_PLATFORM=offscreen python3 docs/screenshots/make_fr_screenshots.py

Runs the other screenshot scripts of this folder with the app speaking French (the catalogue,
Qt's own translations and French formats) and writes their PNGs, under the same names, into
``docs/screenshots/fr/``: the main window at 1024x700, 1280x720 and 1366x768, the Pack view,
the tracking (Mark Shipped) and note dialogs, the refund dialogs and the Refunds panel, the
Activity panel and the notification board, the account dialog, the offline banner, the print
dialogs — and the document settings dialog (document-settings-dialog.png), which only this
script shows.
"""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HERE = Path(__file__).resolve().parent
FR = HERE / "fr"
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent.parent))

import _shots  # noqa: E402

from vendor_desk import i18n  # noqa: E402
from vendor_desk.documents import DocumentSettings  # noqa: E402
from vendor_desk.ui import translator  # noqa: E402
from vendor_desk.ui.application import ensure_application  # noqa: E402
from vendor_desk.ui.document_settings_dialog import DocumentSettingsDialog  # noqa: E402

#: The scripts whose windows, dialogs and panels are the app's (the documents are rendered in
#: the language of Document Settings: make_document_screenshots.py).
SCRIPTS = (
    "make_window_size_screenshots",
    "make_screenshots",
    "make_pack_screenshots",
    "make_dialog_screenshots",
    "make_refund_screenshots",
    "make_panel_screenshots",
    "make_print_screenshots",
)


def document_settings(app: object) -> None:
    settings = DocumentSettings(
        store_name="L'Atelier Réemploi",
        address_lines=("12 rue des Tanneurs", "69001 Lyon", "France"),
        email="bonjour@atelier-reemploi.fr",
        phone="04 78 00 00 00",
        vat_id="FR12345678901",
        company_id="123 456 789 00012",
        invoice_prefix="F-",
        invoice_suffix="/26",
        slip_footer="Merci pour votre commande !",
    )
    dialog = DocumentSettingsDialog(settings)
    dialog.resize(640, dialog.sizeHint().height())
    _shots.grab(app, dialog, "document-settings-dialog.png")  # type: ignore[arg-type]


def main(names: list[str]) -> int:
    if not names:  # each script in a process of its own, as when run alone
        for name in (*SCRIPTS, "document_settings"):
            subprocess.run([sys.executable, __file__, name], check=True)
        return 0
    i18n.set_language("fr")
    app = ensure_application()
    translator.install(app, "fr")
    FR.mkdir(exist_ok=True)
    _shots.HERE = FR
    for name in names:
        if name == "document_settings":
            document_settings(app)
            continue
        module = importlib.import_module(name)
        module.HERE = FR  # type: ignore[attr-defined]
        print(f"— {name}")
        module.main()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
