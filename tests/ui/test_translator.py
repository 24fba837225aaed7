"""The window's tr() calls are answered from the gettext catalogue (vendor_desk.ui.translator):
a translated text in French, the English source for a text the catalogue lacks (never an empty
text), nothing translated in English."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialogButtonBox

from vendor_desk import i18n
from vendor_desk.ui import translator


@pytest.fixture
def app(qapp: Any) -> Iterator[Any]:
    from vendor_desk.ui.application import ensure_application

    application = ensure_application()
    yield application
    i18n.set_language("en")
    translator.install(application, "en")


def test_the_window_reads_the_catalogue(app: Any) -> None:
    translator.install(app, i18n.set_language("fr"))
    # argparse's word, in cli.po: any context falls back to the text without context
    assert QCoreApplication.translate("AnyClass", "usage: ") == "utilisation : "
    assert QCoreApplication.translate("AnyClass", "zz not in the catalogue") == (
        "zz not in the catalogue"
    )
    # Qt's own words come from the qtbase translation PySide6 ships
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text().replace("&", "") == "Annuler"
    translator.install(app, i18n.set_language("en"))
    assert QCoreApplication.translate("AnyClass", "usage: ") == "usage: "


def test_the_language_comes_from_the_environment_as_text() -> None:
    assert i18n.environment_language({"LANG": "fr_FR.UTF-8"}) == "fr"
    assert i18n.environment_language({"LC_ALL": "C", "LANG": "fr_FR.UTF-8"}) == ""
    assert i18n.environment_language({"LANGUAGE": "de:fr", "LANG": "en_US.UTF-8"}) == "fr"
    assert i18n.environment_language({"LC_MESSAGES": "fr_BE", "LANG": "en_GB"}) == "fr"
    assert i18n.resolve("fr") == "fr" and i18n.resolve("de") == "en"
