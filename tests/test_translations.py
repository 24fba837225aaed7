"""The French catalogue is complete: every user-visible string of the code has a French
translation, none is fuzzy, placeholders match the source's, and the compiled .mo is the .po
files' (packaging/translations.py check, docs/translations.md)."""

from __future__ import annotations

from tests.conftest import translations_tool


def test_the_french_catalogue_is_complete_and_compiled() -> None:
    problems = translations_tool().problems("fr")
    assert problems == [], "\n".join(problems[:40])


def test_the_check_catches_a_missing_translation_and_a_changed_placeholder() -> None:
    translations = translations_tool()
    template = translations.extract()
    template.add("A sentence nobody translated {number}", locations=[("ui/x.py", 1)])
    found = translations.problems("fr", template)
    assert any("A sentence nobody translated" in line for line in found)
    assert translations.placeholders("Order #{number}") != translations.placeholders("Commande")
