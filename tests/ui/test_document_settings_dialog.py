"""The Document Settings dialog's language and French legal fields: a mistyped SIREN/SIRET or
VAT number is refused with a message under the field (its tab brought forward), nothing typed
is lost, and the accepted settings carry every field."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from vendor_desk import i18n
from vendor_desk.documents import DocumentSettings
from vendor_desk.ui.document_settings_dialog import DocumentSettingsDialog


@pytest.fixture
def dialog(app: Any, qtbot: Any) -> Iterator[DocumentSettingsDialog]:
    widget = DocumentSettingsDialog(DocumentSettings(store_name="L'Atelier"))
    qtbot.addWidget(widget)
    widget.show()
    try:
        yield widget
    finally:
        i18n.set_language("en")


def test_a_mistyped_siret_is_refused_under_its_field(dialog: DocumentSettingsDialog) -> None:
    dialog.tabs.setCurrentIndex(0)
    dialog.siret.setText("732 829 321 00074")  # one digit wrong
    dialog.accept()
    assert not dialog.result() and dialog.isVisible()
    assert dialog.tabs.currentWidget() is dialog._legal_tab  # brought forward
    assert dialog.siret_error.isVisibleTo(dialog)
    assert "check digit" in dialog.siret_error.text()
    assert dialog.siret.text() == "732 829 321 00074"  # nothing lost
    # a VAT number of another SIREN
    dialog.siret.setText("732 829 320 00074")
    dialog.vat_id.setText("FR40303265045")
    dialog.accept()
    assert not dialog.result() and not dialog.siret_error.isVisibleTo(dialog)
    assert "not the one of your SIREN 732829320" in dialog.vat_error.text()
    dialog.vat_id.setText("FR44732829320")
    dialog.accept()
    assert dialog.result()


def test_the_dialog_returns_the_language_and_legal_fields(dialog: DocumentSettingsDialog) -> None:
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("fr"))
    assert dialog.language_combo.currentText() == "Français"
    dialog.siret.setText("732829320")
    dialog.vat_franchise.setChecked(True)
    dialog.late_payment.setPlainText("Pénalités de retard :\n trois fois le taux légal.")
    dialog.recovery_fee.setChecked(True)
    dialog.accept()
    assert dialog.result()
    settings = dialog.settings()
    assert settings.language == "fr" and settings.siret == "732829320"
    assert settings.vat_franchise and settings.recovery_fee
    assert settings.late_payment_text == "Pénalités de retard : trois fois le taux légal."
    # opened again, the fields show what was saved
    again = DocumentSettingsDialog(settings)
    assert again.language_combo.currentData() == "fr" and again.vat_franchise.isChecked()
    assert again.siret.text() == "732829320" and again.recovery_fee.isChecked()


def test_the_message_speaks_the_apps_language(dialog: DocumentSettingsDialog) -> None:
    i18n.set_language("fr")
    dialog.siret.setText("7328293")
    dialog.accept()
    assert "Un numéro SIREN compte 9 chiffres" in dialog.siret_error.text()


def test_french_window_shows_a_text_translated_the_same_or_not_yet(app: Any) -> None:
    """A string whose French is the English ("SIREN / SIRET") or that has no French yet shows
    its source text — not an empty label."""
    from PySide6.QtCore import QCoreApplication

    from vendor_desk.ui import translator

    i18n.set_language("fr")
    translator.install(app, "fr")
    try:
        same = QCoreApplication.translate("DocumentSettingsDialog", "SIREN / SIRET")
        assert same == "SIREN / SIRET"
        assert QCoreApplication.translate("X", "No French for this one yet") == (
            "No French for this one yet"
        )
        assert QCoreApplication.translate("DocumentSettingsDialog", "Legal mentions") == (
            "Mentions légales"
        )
    finally:
        i18n.set_language("en")
        translator.install(app, "en")
