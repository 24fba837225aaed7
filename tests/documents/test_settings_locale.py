"""Documents format amounts and dates for the app's locale unless the vendor chose another."""

from __future__ import annotations

from decimal import Decimal

from vendor_desk.documents import DocumentSettings, format_money
from vendor_desk.domain import Money


def test_documents_follow_the_app_locale_unless_the_vendor_chose_one() -> None:
    unset = DocumentSettings()
    assert unset.locale == ""
    german = unset.with_locale("de_DE")
    assert german.locale == "de_DE"
    assert "1.234,50" in format_money(Money(Decimal("1234.50"), "EUR"), german.locale)
    chosen = DocumentSettings(locale="en_US").with_locale("de_DE")
    assert chosen.locale == "en_US"
    assert "1,234.50" in format_money(Money(Decimal("1234.50"), "EUR"), chosen.locale)
    # no locale at all (a command line without LANG): the en_US rules
    assert "1,234.50" in format_money(Money(Decimal("1234.50"), "USD"), unset.locale)
