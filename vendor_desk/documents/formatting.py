"""Amounts and dates as a document prints them, for the order's currency and a locale.

A small formatter with explicit rules (no Babel dependency): each supported locale says its
decimal and grouping separators, where the currency symbol goes and the date pattern. Unknown
locales fall back to ``en_US`` rules; unknown currencies print their ISO code. Amounts are
rounded half-up to the currency's minor unit (:meth:`Money.rounded`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from decimal import Decimal

from vendor_desk.domain import Money

#: Symbols of common currencies; others print as their ISO code.
SYMBOLS: dict[str, str] = {
    "USD": "$",
    "EUR": "€",
    "GBP": "£",
    "JPY": "¥",
    "CNY": "¥",
    "INR": "₹",
    "KRW": "₩",
    "RUB": "₽",
    "UAH": "₴",
    "PLN": "zł",
    "TRY": "₺",
    "BRL": "R$",
    "CHF": "CHF",
    "SEK": "kr",
    "NOK": "kr",
    "DKK": "kr",
    "CZK": "Kč",
}
#: Symbols that need the country in front outside their home locale ("$" → "US$").
_AMBIGUOUS = {"USD": "US$", "CAD": "CA$", "AUD": "A$"}
#: French writes the country after the symbol ("12,50 $US").
_AMBIGUOUS_FRENCH = {"USD": "$US", "CAD": "$CA", "AUD": "$AU"}

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_FRENCH_MONTHS = (
    "janv.",
    "févr.",
    "mars",
    "avr.",
    "mai",
    "juin",
    "juil.",
    "août",
    "sept.",
    "oct.",
    "nov.",
    "déc.",
)


@dataclass(frozen=True)
class LocaleRules:
    """How one locale writes numbers, money and dates."""

    decimal: str
    group: str
    #: True: "€ 12,50"/"$12.50" (symbol first); False: "12,50 €".
    symbol_first: bool
    #: A space between symbol and number.
    spaced: bool
    #: strftime-like pattern with {d}, {m}, {y}, {mon} (the month's abbreviation).
    date: str
    #: Currencies whose bare symbol is unambiguous in this locale.
    home: frozenset[str] = frozenset()
    #: The months' abbreviations ({mon}).
    months: tuple[str, ...] = _MONTHS
    #: A (no-break) space between a number and "%" ("20 %" in French).
    percent_spaced: bool = False


LOCALES: dict[str, LocaleRules] = {
    "en_US": LocaleRules(".", ",", True, False, "{mon} {d}, {y}", frozenset({"USD"})),
    "en_GB": LocaleRules(".", ",", True, False, "{d} {mon} {y}", frozenset({"GBP"})),
    "en_IE": LocaleRules(".", ",", True, False, "{d} {mon} {y}", frozenset({"EUR"})),
    "en_CA": LocaleRules(".", ",", True, False, "{y}-{m:02d}-{d:02d}", frozenset({"CAD"})),
    "en_AU": LocaleRules(".", ",", True, False, "{d} {mon} {y}", frozenset({"AUD"})),
    "de_DE": LocaleRules(",", ".", False, True, "{d:02d}.{m:02d}.{y}"),
    "de_AT": LocaleRules(",", "\u202f", True, True, "{d:02d}.{m:02d}.{y}"),
    "de_CH": LocaleRules(".", "’", True, True, "{d:02d}.{m:02d}.{y}"),
    "fr_FR": LocaleRules(
        ",", "\u202f", False, True, "{d:02d}/{m:02d}/{y}", frozenset({"EUR"}), _FRENCH_MONTHS, True
    ),
    "fr_BE": LocaleRules(
        ",", "\u202f", False, True, "{d:02d}/{m:02d}/{y}", frozenset({"EUR"}), _FRENCH_MONTHS, True
    ),
    "fr_CH": LocaleRules(
        ",", "\u202f", False, True, "{d:02d}.{m:02d}.{y}", frozenset({"CHF"}), _FRENCH_MONTHS, True
    ),
    "es_ES": LocaleRules(",", ".", False, True, "{d:02d}/{m:02d}/{y}"),
    "it_IT": LocaleRules(",", ".", False, True, "{d:02d}/{m:02d}/{y}"),
    "nl_NL": LocaleRules(",", ".", True, True, "{d:02d}-{m:02d}-{y}"),
    "pl_PL": LocaleRules(",", "\u00a0", False, True, "{d:02d}.{m:02d}.{y}"),
    "pt_BR": LocaleRules(",", ".", True, True, "{d:02d}/{m:02d}/{y}"),
    "tr_TR": LocaleRules(",", ".", True, False, "{d:02d}.{m:02d}.{y}"),
    "el_GR": LocaleRules(",", ".", False, True, "{d}/{m}/{y}"),
    "ru_RU": LocaleRules(",", "\u00a0", False, True, "{d:02d}.{m:02d}.{y}"),
    "uk_UA": LocaleRules(",", "\u00a0", False, True, "{d:02d}.{m:02d}.{y}"),
    "ja_JP": LocaleRules(".", ",", True, False, "{y}/{m:02d}/{d:02d}"),
    "zh_CN": LocaleRules(".", ",", True, False, "{y}-{m:02d}-{d:02d}"),
    "ko_KR": LocaleRules(".", ",", True, False, "{y}. {m}. {d}."),
}
DEFAULT_LOCALE = "en_US"
#: The locale documents in a language use when the app's locale is of another language.
LANGUAGE_LOCALES = {"en": "en_US", "fr": "fr_FR"}


def language_locale(language: str) -> str:
    """The usual locale of a language the documents print in ("fr" → "fr_FR")."""
    return LANGUAGE_LOCALES.get(language, DEFAULT_LOCALE)


def rules_for(locale: str) -> LocaleRules:
    """The rules of ``locale`` ("de_DE", "de-DE" or "de"); en_US rules when unknown."""
    key = locale.replace("-", "_")
    if key in LOCALES:
        return LOCALES[key]
    language = key.split("_")[0].lower()
    for name, rules in LOCALES.items():
        if name.split("_")[0] == language:
            return rules
    return LOCALES[DEFAULT_LOCALE]


def _group(digits: str, separator: str) -> str:
    parts: list[str] = []
    while len(digits) > 3:
        parts.insert(0, digits[-3:])
        digits = digits[:-3]
    parts.insert(0, digits)
    return separator.join(parts)


def format_number(money: Money, locale: str = DEFAULT_LOCALE) -> str:
    """The rounded amount without currency: ``1,234.50`` / ``1.234,50``."""
    rules = rules_for(locale)
    text = money.plain()
    negative = text.startswith("-")
    whole, _, fraction = text.lstrip("-").partition(".")
    number = _group(whole, rules.group) + (rules.decimal + fraction if fraction else "")
    return f"-{number}" if negative else number


def format_money(money: Money, locale: str = DEFAULT_LOCALE) -> str:
    """``money`` as the locale writes it: ``$1,234.50``, ``1.234,50 €``, ``CHF 12.50``…"""
    rules = rules_for(locale)
    number = format_number(money, locale)
    negative = number.startswith("-")
    number = number.lstrip("-")
    code = money.currency
    if code in _AMBIGUOUS and code not in rules.home:
        french = rules.months is _FRENCH_MONTHS
        symbol = (_AMBIGUOUS_FRENCH if french else _AMBIGUOUS)[code]
    else:
        symbol = SYMBOLS.get(code, code)
    spaced = rules.spaced or (len(symbol) > 1 and symbol.isalpha())
    gap = "\u00a0" if spaced else ""
    text = f"{symbol}{gap}{number}" if rules.symbol_first else f"{number}{gap}{symbol}"
    return f"-{text}" if negative else text


def format_date(moment: datetime, locale: str = DEFAULT_LOCALE, zone: tzinfo | None = None) -> str:
    """The calendar date of ``moment`` (in ``zone``, default: as stored) the locale's way."""
    local = moment.astimezone(zone) if zone is not None else moment
    rules = rules_for(locale)
    return rules.date.format(
        d=local.day, m=local.month, y=local.year, mon=rules.months[local.month - 1]
    )


def format_long_date(moment: datetime, locale: str = DEFAULT_LOCALE) -> str:
    """The date with the month's name ("5 déc. 2026", "Dec 5, 2026"): where a date stands
    alone in a sentence."""
    rules = rules_for(locale)
    month = rules.months[moment.month - 1]
    if rules.months is _MONTHS and rules.date.startswith("{mon}"):
        return f"{month} {moment.day}, {moment.year}"
    return f"{moment.day} {month} {moment.year}"


def format_percent(rate: Decimal, locale: str = DEFAULT_LOCALE) -> str:
    """A rate as the locale writes it: "20%", "5,5 %" (no trailing zeros)."""
    rules = rules_for(locale)
    text = format(rate.normalize(), "f") if rate == rate.to_integral() else format(rate, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    text = text.replace(".", rules.decimal)
    return f"{text}\u00a0%" if rules.percent_spaced else f"{text}%"
