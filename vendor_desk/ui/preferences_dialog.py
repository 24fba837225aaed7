"""Preferences: the app's language (System / English / Français).

The choice is kept in the window's settings (``app/language``, read at start by
:func:`vendor_desk.ui.application.run_gui`) and takes effect the next time Vendor Desk starts:
every window, message and the documents' default language then speak it. ``--lang`` on the
command line overrides it for one run.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from vendor_desk import i18n
from vendor_desk.ui.icons import app_icon

LANGUAGE_KEY = "app/language"

#: Each language's name in itself, as language menus show them.
_NATIVE_NAMES = {"en": "English", "fr": "Français"}


def chosen_language(settings: QSettings) -> str:
    """The language chosen in Preferences ("system" when none was made)."""
    value = str(settings.value(LANGUAGE_KEY, i18n.SYSTEM) or i18n.SYSTEM)
    return value if value in (i18n.SYSTEM, *i18n.LANGUAGES) else i18n.SYSTEM


class PreferencesDialog(QDialog):
    """The app's preferences; :meth:`accept` saves them in ``settings``."""

    def __init__(self, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        self.setWindowTitle(self.tr("Preferences"))
        self.setWindowIcon(app_icon())
        self.setMinimumWidth(420)

        self.language_combo = QComboBox()
        system = i18n.resolve(i18n.SYSTEM)
        self.language_combo.addItem(
            self.tr("System ({language})").format(language=_NATIVE_NAMES[system]), i18n.SYSTEM
        )
        for code in i18n.LANGUAGES:
            self.language_combo.addItem(_NATIVE_NAMES[code], code)
        index = self.language_combo.findData(chosen_language(settings))
        self.language_combo.setCurrentIndex(max(index, 0))
        self.language_combo.currentIndexChanged.connect(self._update_note)

        form = QFormLayout()
        form.addRow(self.tr("&Language:"), self.language_combo)
        self.note = QLabel()
        self.note.setObjectName("muted")
        self.note.setWordWrap(True)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self._update_note()

    def language(self) -> str:
        return str(self.language_combo.currentData())

    def _update_note(self) -> None:
        changes = i18n.resolve(self.language()) != i18n.language()
        self.note.setText(
            self.tr(
                "Vendor Desk speaks the new language the next time it starts: the windows, the "
                "messages and the documents (unless Document Settings chose their language)."
            )
            if changes
            else self.tr(
                "The windows, the messages and the documents (unless Document Settings chose "
                "their language) speak this language."
            )
        )

    def accept(self) -> None:
        self._settings.setValue(LANGUAGE_KEY, self.language())
        super().accept()


__all__ = ["LANGUAGE_KEY", "PreferencesDialog", "chosen_language"]
