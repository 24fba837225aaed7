"""packaging/translations.py: a string left untranslated in a layer's part and translated in a
feature's part (read after it) is translated in the merged catalogue the .mo is compiled from."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import translations_tool

PO = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=utf-8\\n"

msgid "Orders"
msgstr "{orders}"

msgctxt "Earnings"
msgid "Shipping you receive"
msgstr "{shipping}"
"""


def test_a_translated_copy_in_a_later_part_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    translations = translations_tool()
    folder = tmp_path / "fr"
    folder.mkdir()
    (folder / "ui.po").write_text(PO.format(orders="", shipping=""), encoding="utf-8")
    (folder / "earnings-ui.po").write_text(
        PO.format(orders="Commandes", shipping="Livraison pour vous"), encoding="utf-8"
    )
    monkeypatch.setattr(translations, "TRANSLATIONS", tmp_path)
    catalog = translations.load("fr")
    assert catalog.get("Orders").string == "Commandes"
    assert catalog.get("Shipping you receive", "Earnings").string == "Livraison pour vous"
