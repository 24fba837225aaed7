"""What the command line prints about orders: the ``orders`` table. No Qt.

Amounts and dates follow the user's locale with the documents' formatter
(:mod:`vendor_desk.documents.formatting`), so ``$1,234.50`` / ``1.234,50 €`` read as in the
window. Columns are measured in terminal cells with ``wcwidth`` (a CJK character takes two), long
texts are cut with "…" so the columns stay aligned, and a table drops its least useful column
rather than wrap in a narrow terminal. Text from the marketplace is printed without its control
characters: a customer's name cannot move the cursor or recolour the terminal.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import wcwidth

from vendor_desk.cache.queries import OrderRow
from vendor_desk.documents.formatting import format_date, format_money
from vendor_desk.domain import Money, OrderStatus

ELLIPSIS = "…"
GAP = "  "


# ================================================================================= text
def plain(text: str, *, one_line: bool = True) -> str:
    """``text`` safe for a terminal: control characters (escape sequences start with one) become
    spaces; ``one_line`` also folds line breaks and runs of spaces into one space."""
    keep = "" if one_line else "\n"
    cleaned = "".join(
        char if char in keep or unicodedata.category(char) != "Cc" else " " for char in text
    )
    if one_line:
        return " ".join(cleaned.split())
    return "\n".join(line.rstrip() for line in cleaned.split("\n"))


def cells(text: str) -> int:
    """How many terminal cells ``text`` (already :func:`plain`) takes."""
    return int(wcwidth.width(text))


def fit(text: str, width: int) -> str:
    """``text`` cut to ``width`` cells, ending with "…" when something was cut."""
    if cells(text) <= width:
        return text
    if width <= 0:
        return ""
    return str(wcwidth.clip(text, 0, width - 1)).rstrip() + ELLIPSIS


@dataclass(frozen=True)
class Column:
    """One column of a :func:`table`.

    ``right``: right-aligned (amounts, counts). ``cut_to``: may be cut down to this many cells
    when the table is too wide (None: never cut). ``widest``: when the table is too wide, cut to
    this many cells first (a very long name must not push the other columns away).
    ``optional``: left out when the table does not fit otherwise.
    """

    header: str
    right: bool = False
    cut_to: int | None = None
    widest: int | None = None
    optional: bool = False


def _cut(widths: list[int], columns: Sequence[Column], over: int, optional: bool) -> int:
    """Cut the (optional or other) columns that may be cut, the widest first and one cell at
    a time, so long texts share the cuts; the cells still missing."""
    while over > 0:
        candidates = [
            index
            for index, column in enumerate(columns)
            if column.optional is optional
            and column.cut_to is not None
            and widths[index] > column.cut_to
        ]
        if not candidates:
            break
        widest = max(candidates, key=lambda index: widths[index])
        widths[widest] -= 1
        over -= 1
    return over


def _total(widths: Sequence[int]) -> int:
    return sum(widths) + len(GAP) * (len(widths) - 1)


def table(columns: Sequence[Column], rows: Sequence[Sequence[str]], width: int) -> list[str]:
    """Lines of an aligned table with a header, at most ``width`` cells wide when the columns
    allow it. Optional columns give way first: cut down to their ``cut_to``, then left out (the
    last first) before any other column is cut. Cells must be :func:`plain` text."""
    shown = list(range(len(columns)))
    while True:
        picked = [columns[i] for i in shown]
        picked_rows = [[row[i] for i in shown] for row in rows]
        natural = [
            max([cells(column.header), *(cells(row[index]) for row in picked_rows)])
            for index, column in enumerate(picked)
        ]
        widths = natural
        if _total(natural) > width:
            widths = [
                min(size, column.widest or size)
                for size, column in zip(natural, picked, strict=True)
            ]
        over = _cut(widths, picked, _total(widths) - width, optional=True)
        optional = [i for i in shown if columns[i].optional]
        if over <= 0 or not optional:
            break
        shown.remove(optional[-1])
    _cut(widths, picked, over, optional=False)
    lines = []
    for row in [[column.header for column in picked], *picked_rows]:
        parts = []
        for column, text, size in zip(picked, row, widths, strict=True):
            text = fit(text, size)
            parts.append(wcwidth.rjust(text, size) if column.right else wcwidth.ljust(text, size))
        lines.append(GAP.join(parts).rstrip())
    return lines


# ============================================================================ formatting
def money_text(amount: Decimal | Money | None, currency: str, locale: str) -> str:
    """An amount as the window shows it in ``locale`` ("" when unknown)."""
    if amount is None:
        return ""
    money = amount if isinstance(amount, Money) else Money(amount, currency or "XXX")
    return format_money(money, locale)


def date_text(moment: datetime | None, locale: str, *, with_time: bool = False) -> str:
    """The calendar date of ``moment`` in this computer's time zone, the locale's way; with
    ``with_time`` also the 24-hour time ("" when unknown)."""
    if moment is None:
        return ""
    local = moment.astimezone()
    text = format_date(local, locale)
    return f"{text} {local:%H:%M}" if with_time else text


def status_text(slug: str) -> str:
    """The label of an order status slug, as the order list names it ("Refund requested")."""
    return OrderStatus(slug).label


# ============================================================================== the list
#: The ``orders`` table: what matters first (number, date, customer, status, amounts); the
#: items are shown when the terminal has room for them.
ORDER_COLUMNS = (
    Column("Order"),
    Column("Date"),
    Column("Customer", cut_to=12, widest=30),
    Column("Status", cut_to=10),
    Column("Your total", right=True),
    Column("Earning", right=True),
    Column("Items", cut_to=14, optional=True),
)


def order_table(rows: Iterable[OrderRow], locale: str, width: int) -> list[str]:
    """The lines of the ``orders`` table (a header, then one line per order)."""
    cells_of_rows = [
        [
            f"#{plain(row.number)}",
            date_text(row.created, locale),
            plain(row.customer),
            status_text(row.display_status),
            money_text(row.total, row.currency, locale),
            money_text(row.earning, row.currency, locale),
            plain(row.items_summary),
        ]
        for row in rows
    ]
    if not cells_of_rows:
        return []
    return table(ORDER_COLUMNS, cells_of_rows, width)
