"""Screenshots of the Preferences dialog (the language), in English and in French:

    QT_QPA_PLATFORM=offscreen python3 docs/screenshots/make_preferences_screenshots.py

Writes preferences-dialog.png and fr/preferences-dialog.png next to itself.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from _shots import HERE, grab
from PySide6.QtCore import QSettings

from vendor_desk import i18n
from vendor_desk.ui import translator
from vendor_desk.ui.application import ensure_application
from vendor_desk.ui.preferences_dialog import PreferencesDialog


def main() -> int:
    app = ensure_application()
    with tempfile.TemporaryDirectory() as folder:
        for language, name in (
            ("en", "preferences-dialog.png"),
            ("fr", "fr/preferences-dialog.png"),
        ):
            translator.install(app, i18n.set_language(language))
            settings = QSettings(str(Path(folder) / "s.ini"), QSettings.Format.IniFormat)
            dialog = PreferencesDialog(settings)
            dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("fr"))
            dialog.adjustSize()
            grab(app, dialog, name)
            dialog.close()
    translator.install(app, i18n.set_language("en"))
    print(f"in {HERE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
