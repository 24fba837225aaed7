"""Money: a ``Decimal`` amount in one currency. Never float.

The marketplace sends money as decimal strings (``"64.99"``) or JSON numbers (``22.5``). The client
parses JSON numbers straight into ``Decimal``; :meth:`Money.of` accepts either form and refuses
``float`` so a binary approximation can never sneak in.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

#: Number of decimals shown for a currency when formatting (ISO 4217 minor units; 2 otherwise).
_MINOR_UNITS: dict[str, int] = {"JPY": 0, "KRW": 0, "VND": 0, "CLP": 0, "ISK": 0, "HUF": 2}

#: Symbols for the currencies a vendor most often sees; others are shown by their code.
_SYMBOLS: dict[str, str] = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹"}


class CurrencyMismatch(ValueError):
    """Arithmetic between two different currencies was attempted."""


def to_decimal(value: object) -> Decimal:
    """``value`` (str, int or Decimal; ``None``/``""`` count as zero) as a Decimal.

    Raises:
        ValueError: for floats, booleans and text that is not a number.
    """
    if value is None or value == "":
        return Decimal(0)
    if isinstance(value, bool | float):
        raise ValueError(f"refusing to turn {value!r} into money: not exact")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip())
        except InvalidOperation as error:
            raise ValueError(f"not an amount: {value!r}") from error
    else:
        raise ValueError(f"not an amount: {value!r}")
    if not result.is_finite():
        raise ValueError(f"not an amount: {value!r}")
    return result


@dataclass(frozen=True, slots=True)
class Money:
    """An exact amount of one currency (ISO code, upper case)."""

    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Decimal):
            raise TypeError("Money.amount must be a Decimal")
        object.__setattr__(self, "currency", self.currency.upper())

    # ----------------------------------------------------------- construction
    @classmethod
    def of(cls, value: object, currency: str) -> Money:
        """Money from a marketplace value (decimal string, int or Decimal)."""
        return cls(to_decimal(value), currency)

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(Decimal(0), currency)

    @classmethod
    def total(cls, amounts: Iterable[Money], currency: str) -> Money:
        """The sum of ``amounts`` (zero in ``currency`` when there are none)."""
        result = cls.zero(currency)
        for amount in amounts:
            result = result + amount
        return result

    # ------------------------------------------------------------- arithmetic
    def _check(self, other: Money) -> None:
        if self.currency != other.currency:
            raise CurrencyMismatch(f"{self.currency} and {other.currency} do not mix")

    def __add__(self, other: Money) -> Money:
        self._check(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._check(other)
        return Money(self.amount - other.amount, self.currency)

    def __mul__(self, factor: int | Decimal) -> Money:
        if isinstance(factor, bool) or not isinstance(factor, int | Decimal):
            return NotImplemented
        return Money(self.amount * factor, self.currency)

    __rmul__ = __mul__

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __lt__(self, other: Money) -> bool:
        self._check(other)
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        self._check(other)
        return self.amount <= other.amount

    def __gt__(self, other: Money) -> bool:
        self._check(other)
        return self.amount > other.amount

    def __ge__(self, other: Money) -> bool:
        self._check(other)
        return self.amount >= other.amount

    def __eq__(self, other: object) -> bool:
        """Equal when same currency and same value (``Money("1.50")`` == ``Money("1.5")``)."""
        if not isinstance(other, Money):
            return NotImplemented
        return self.currency == other.currency and self.amount == other.amount

    def __hash__(self) -> int:
        return hash((self.currency, self.amount.normalize()))

    # ---------------------------------------------------------------- helpers
    @property
    def is_zero(self) -> bool:
        return self.amount == 0

    @property
    def minor_units(self) -> int:
        return _MINOR_UNITS.get(self.currency, 2)

    def rounded(self) -> Money:
        """Rounded half-up to the currency's minor unit (cents for most currencies)."""
        quantum = Decimal(1).scaleb(-self.minor_units)
        return Money(self.amount.quantize(quantum, rounding=ROUND_HALF_UP), self.currency)

    def plain(self) -> str:
        """The rounded amount without symbol, e.g. ``"12.50"``."""
        return f"{self.rounded().amount:f}"

    def format(self) -> str:
        """A display string such as ``"$12.50"`` or ``"12.50 CHF"``."""
        symbol = _SYMBOLS.get(self.currency)
        text = self.plain()
        if symbol is None:
            return f"{text} {self.currency}"
        if text.startswith("-"):
            return f"-{symbol}{text[1:]}"
        return f"{symbol}{text}"

    def __str__(self) -> str:
        return self.format()
