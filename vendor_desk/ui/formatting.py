"""Locale-aware display of dates, numbers and money (Qt's ``QLocale``), exact for money.

Money is never turned into a float: the amount is rounded as a ``Decimal`` and its digits are
grouped with the locale's separators; only the *placement* of the currency symbol (before/after,
with or without a space) is borrowed from ``QLocale.toCurrencyString``.
"""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from PySide6.QtCore import QDateTime, QLocale

from vendor_desk.domain import Money

#: Currency symbols for the currencies vendors see most; others are shown by their ISO code.
CURRENCY_SYMBOLS: dict[str, str] = {
    "USD": "$",
    "EUR": "€",
    "GBP": "£",
    "JPY": "¥",
    "INR": "₹",
    "CHF": "CHF",
    "CAD": "CA$",
    "AUD": "A$",
    "PLN": "zł",
    "SEK": "kr",
}

_PLACEHOLDER = "\u00a4"  # the generic currency sign, replaced by the real symbol


def _minor_units(currency: str) -> int:
    return Money.zero(currency or "XXX").minor_units


def format_decimal(amount: Decimal, decimals: int, locale: QLocale | None = None) -> str:
    """``amount`` rounded to ``decimals`` places with the locale's separators (no float)."""
    locale = locale or QLocale()
    quantum = Decimal(1).scaleb(-decimals)
    rounded = amount.quantize(quantum, rounding=ROUND_HALF_UP)
    sign, digits, _exponent = rounded.as_tuple()
    text = "".join(str(d) for d in digits).rjust(decimals + 1, "0")
    whole, fraction = (text[:-decimals], text[-decimals:]) if decimals else (text, "")
    grouped = locale.toString(int(whole))  # ints are exact; gives the locale's grouping
    result = grouped + (locale.decimalPoint() + fraction if decimals else "")
    return (locale.negativeSign() + result) if sign and rounded != 0 else result


def format_money(amount: Decimal | None, currency: str, locale: QLocale | None = None) -> str:
    """``amount`` in ``currency`` for display, e.g. ``$1,234.50`` or ``1 234,50 €``."""
    if amount is None:
        return ""
    locale = locale or QLocale()
    code = (currency or "").upper()
    number = format_decimal(abs(amount), _minor_units(code), locale)
    template = locale.toCurrencyString(-1.0 if amount < 0 else 1.0, _PLACEHOLDER, 0)
    symbol = CURRENCY_SYMBOLS.get(code, code)
    if "1" not in template:  # pragma: no cover - defensive: an unexpected template
        return f"{symbol} {number}".strip()
    return template.replace("1", number, 1).replace(_PLACEHOLDER, symbol)


def format_datetime(value: datetime | None, locale: QLocale | None = None) -> str:
    """A date and time in the user's time zone, short locale format."""
    if value is None:
        return ""
    locale = locale or QLocale()
    qt_value = QDateTime.fromSecsSinceEpoch(int(value.timestamp())).toLocalTime()
    return locale.toString(qt_value, QLocale.FormatType.ShortFormat)


def format_time(value: datetime | None, locale: QLocale | None = None) -> str:
    """Just the local time (HH:MM in the locale's style), for "as of 10:42"."""
    if value is None:
        return ""
    locale = locale or QLocale()
    qt_value = QDateTime.fromSecsSinceEpoch(int(value.timestamp())).toLocalTime()
    return locale.toString(qt_value.time(), QLocale.FormatType.ShortFormat)


def format_count(value: int, locale: QLocale | None = None) -> str:
    """An integer with the locale's digit grouping."""
    return (locale or QLocale()).toString(int(value))
