"""Preferences: the language — System, English or Français — kept in the settings, read at the
next start; the window's View menu opens it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSettings

from vendor_desk import i18n
from vendor_desk.ui.main_window import MainWindow
from vendor_desk.ui.preferences_dialog import LANGUAGE_KEY, PreferencesDialog, chosen_language


def test_the_language_chosen_is_kept_for_the_next_start(settings: QSettings, app: Any) -> None:
    assert chosen_language(settings) == i18n.SYSTEM
    dialog = PreferencesDialog(settings)
    labels = [dialog.language_combo.itemText(i) for i in range(dialog.language_combo.count())]
    assert labels[1:] == ["English", "Français"] and labels[0].startswith("System")
    assert dialog.note.text()
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("fr"))
    assert "next time" in dialog.note.text()
    dialog.accept()
    assert settings.value(LANGUAGE_KEY) == "fr" and chosen_language(settings) == "fr"
    assert i18n.resolve(chosen_language(settings)) == "fr"
    settings.setValue(LANGUAGE_KEY, "klingon")  # a damaged setting: the system's
    assert chosen_language(settings) == i18n.SYSTEM


def test_the_view_menu_opens_preferences(window: MainWindow) -> None:
    seen: list[Any] = []
    window.order_actions.run_dialog = lambda dialog: seen.append(dialog) or False
    window.preferences_action.trigger()
    assert len(seen) == 1 and isinstance(seen[0], PreferencesDialog)
