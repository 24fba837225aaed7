"""The window in French: every string of ui/ is in the catalogue with a French translation,
and what the window shows comes out French (issue 16 §2)."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, Qt

from tests.ui.french import translations
from vendor_desk.ui import labels, printing
from vendor_desk.ui.order_model import OrderTableModel


def test_every_string_of_the_window_has_a_french_translation() -> None:
    template = translations.extract()
    ui_problems = [line for line in translations.problems("fr", template) if "(ui/" in line]
    assert ui_problems == []
    # Strings under a context given as QCoreApplication.translate's first argument are found
    # (they were missed while the call went through a local alias named "tr").
    found = {(m.context, m.id) for m in template if m.id}
    assert ("OrderTable", "Your total") in found
    assert ("Activity", "Replace with mine") in found
    assert ("Refunds", "Parcel lost by the carrier") in found
    assert ("Notifications", "Message from the store admin") in found


def test_statuses_and_columns_read_as_the_marketplace_says_them(french: Any) -> None:
    assert labels.status_label("processing") == "En cours"
    assert labels.status_label("completed") == "Terminée"
    assert labels.shipping_label("shipped", False) == "Expédiée"
    assert labels.refund_mode_label("full") == "Remboursement complet"
    assert labels.decision_label("replace") == "Remplacer par la mienne"
    assert labels.payout_label("pending") == "Non versé"
    assert labels.item_refund_label("refunded") == "Remboursé"
    model = OrderTableModel(None, None)
    headers = [model.headerData(i, Qt.Orientation.Horizontal) for i in range(9)]
    assert headers[0] == "Commande" and "Client" in headers
    assert "Votre total" in headers and "Gain" in headers


def test_counts_are_real_plurals_in_french(window: Any, french: Any) -> None:
    window.unread = 1
    window._update_unread()
    assert window.unread_button.text() == "1 nouvelle"
    window.unread = 3
    window._update_unread()
    assert window.unread_button.text() == "3 nouvelles"


def test_counts_are_real_plurals_in_english(window: Any) -> None:
    window.unread = 1
    window._update_unread()
    assert window.unread_button.text() == "1 new"


def test_printing_errors_are_in_the_vendors_language(french: Any) -> None:
    with pytest.raises(ValueError, match="Le document n'a pas pu être lu"):
        printing.open_pdf(b"this is not a PDF")


def test_a_translation_that_reads_as_its_source_is_shown(french_window: Any) -> None:
    """ "Notifications", "Total", "A4" are French too: the window shows them (Qt took the
    catalogue's "no translation" for an empty translation: the Notifications button was blank)."""
    assert french_window.board_action.text() == "Notifications"
    assert french_window.order_actions.ship_action.text() == "Marquer expédiée…"


def test_a_text_the_catalogue_lacks_shows_in_english_rather_than_blank(french: Any) -> None:
    """A text with no French translation (a marketplace's own words, a sentence of a lower
    layer not translated yet) is shown as it is: Qt took the translator's empty answer for a
    translation, and the Pack view's payment warning came out blank."""
    assert QCoreApplication.translate("Nowhere", "Not in the catalogue") == "Not in the catalogue"
    assert QCoreApplication.translate("Status", "Processing") == "En cours"
