"""Why the vendor's earning for an order is what it is: the parts that add up to it.

The marketplace reports the earning of an order as one figure (``vendor_order_details.
total_commission``, summed over the vendor's commission rows). WCFM builds each row's figure as
the commission on the item (``commission_amount``: the item's total after refunds, minus the
admin's commission — the per-item ``commission_value`` of ``line_items``), **plus** the
shipping the vendor receives (``shipping``, when the vendor gets shipping), **plus** tax
(``tax`` on the items and ``shipping_tax_amount``, when the vendor gets tax), **minus**
transaction charges and tax on the commission, which the order's JSON does not carry. So an
order of $26.00 can earn $35.90: $23.40 commission + $10.00 shipping + $2.50 tax on shipping.

:func:`earning_breakdown` explains the figure from what the cache holds (the order's raw JSON and
its items): the commission on the items, then the shipping and tax parts that together match the
earning exactly. Whether the vendor receives shipping or tax is a marketplace setting the JSON
does not state, so the parts counted are the combination of the reported ones that adds up to
the earning; when none does (a transaction charge, a fee, a manual change …), the remainder is
an explicit "other adjustments" line — the lines always add up exactly to the earning
(``Decimal``), never by pretending.

Over a period (the Earnings view, the exports, ``vendor-desk earnings``): :class:`Period`
(whole days in the vendor's time zone), :class:`EarningsLine` (one order part with the amounts
of its commission rows) and :func:`summarise`, which adds them up into an
:class:`EarningsSummary` — gross sales, earnings, what the marketplace kept, shipping, tax,
refunds, paid out / requested / waiting, the completed-only figures the marketplace's
``sales-stats`` shows, the chart's bars and the best sellers. docs/earnings.md.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import Decimal
from enum import StrEnum
from itertools import combinations
from typing import Any, TypeVar, overload

from vendor_desk.domain.money import CurrencyMismatch, Money, to_decimal
from vendor_desk.domain.orders import Order

T = TypeVar("T")


class EarningPart(StrEnum):
    """One part of an order's earning."""

    #: The commission on the vendor's items (what remains after refunds, minus the admin's
    #: commission): the sum of the items' ``commission_value``.
    ITEMS = "items"
    #: The shipping the customer paid, which the vendor receives.
    SHIPPING = "shipping"
    #: The tax on that shipping, which the vendor receives.
    SHIPPING_TAX = "shipping_tax"
    #: The tax on the items, which the vendor receives.
    TAX = "tax"
    #: What the reported parts do not explain: charges, fees, manual changes (negative: taken
    #: off the earning).
    OTHER = "other"


#: The parts the marketplace reports besides the items' commission, in the order they are
#: shown, with their ``vendor_order_details`` keys.
_OPTIONAL_PARTS = (
    (EarningPart.SHIPPING, "shipping"),
    (EarningPart.SHIPPING_TAX, "shipping_tax_amount"),
    (EarningPart.TAX, "tax"),
)


@dataclass(frozen=True)
class EarningLine:
    part: EarningPart
    amount: Money


@dataclass(frozen=True)
class EarningBreakdown:
    """The lines that add up to an order's earning (``sum(lines) == earning``, exactly).

    ``refunded`` is what the marketplace gave back to the customer on the vendor's part (items,
    their tax and shipping); it is already taken off the items' commission (and the shipping
    part), so it is said, not subtracted again.
    """

    lines: tuple[EarningLine, ...]
    earning: Money
    refunded: Money

    @property
    def total(self) -> Money:
        return Money.total((line.amount for line in self.lines), self.earning.currency)

    @property
    def explains_something(self) -> bool:
        """More than "the earning is the commission on the items": shipping, tax, a
        deduction or a refund is part of the figure."""
        return (
            any(line.part is not EarningPart.ITEMS for line in self.lines)
            or not self.refunded.is_zero
        )

    def amount(self, part: EarningPart) -> Money | None:
        """The amount of ``part`` (None when it is not one of the lines)."""
        for line in self.lines:
            if line.part is part:
                return line.amount
        return None


def _detail(details: Mapping[str, object], key: str) -> Decimal:
    try:
        return to_decimal(details.get(key))
    except ValueError:  # a value the marketplace garbled: not a part we can count
        return Decimal(0)


def earning_breakdown(order: Order) -> EarningBreakdown | None:
    """The parts of ``order``'s earning (see the module docs); None when the earning or an
    item's commission is unknown (the marketplace hides commissions from this vendor).

    The shipping and tax parts counted are the reported ones (``vendor_order_details``) that,
    added to the items' commission, give the earning exactly — the most of them when several
    combinations do. When none does, the combination leaving the smallest deduction is shown
    and the rest is an :attr:`EarningPart.OTHER` line (WCFM only ever takes charges off).
    """
    earning = order.earning
    if earning is None or any(item.commission is None for item in order.items):
        return None
    currency = earning.currency
    items = Money.total((item.commission for item in order.items if item.commission), currency)
    raw_details = order.raw.get("vendor_order_details") if order.raw else None
    details: Mapping[str, object] = raw_details if isinstance(raw_details, Mapping) else {}
    reported = [
        (part, amount) for part, key in _OPTIONAL_PARTS if (amount := _detail(details, key)) != 0
    ]
    target = earning.amount - items.amount
    subsets = [
        chosen for size in range(len(reported), -1, -1) for chosen in combinations(reported, size)
    ]
    exact = [chosen for chosen in subsets if sum((a for _p, a in chosen), Decimal(0)) == target]
    if exact:
        chosen = exact[0]
    else:
        # Charges are taken off what the parts add up to: the closest sum above the earning.
        above = [c for c in subsets if sum((a for _p, a in c), Decimal(0)) > target]
        chosen = (
            min(above, key=lambda c: sum((a for _p, a in c), Decimal(0)))
            if above
            else tuple(reported)
        )
    lines = [EarningLine(EarningPart.ITEMS, items)]
    lines += [EarningLine(part, Money(amount, currency)) for part, amount in chosen]
    other = target - sum((amount for _part, amount in chosen), Decimal(0))
    if other != 0:
        lines.append(EarningLine(EarningPart.OTHER, Money(other, currency)))
    refunded = max(_detail(details, "refunded_amount"), Decimal(0))
    breakdown = EarningBreakdown(tuple(lines), earning, Money(refunded, currency))
    assert breakdown.total == earning
    return breakdown


# ===================================================================== over a period
class Bucket(StrEnum):
    """The width of one bar of the earnings chart."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"


#: Periods up to this many days are charted per day, up to :data:`_WEEK_BUCKETS_UP_TO` per
#: week, longer ones per month.
_DAY_BUCKETS_UP_TO = 31
_WEEK_BUCKETS_UP_TO = 186


@dataclass(frozen=True)
class Period:
    """Whole days from ``start`` to ``end`` (both included), in the vendor's time zone."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"the period ends ({self.end}) before it starts ({self.start})")

    @classmethod
    def between(cls, start: date, end: date) -> Period:
        return cls(start, end)

    @classmethod
    def this_week(cls, today: date) -> Period:
        """Monday to Sunday of ``today``'s week."""
        monday = today - timedelta(days=today.weekday())
        return cls(monday, monday + timedelta(days=6))

    @classmethod
    def last_7_days(cls, today: date) -> Period:
        """The marketplace's ``week`` (sales-stats): from the same weekday a week ago to today
        (``created >= today - 7 days``, so eight calendar days)."""
        return cls(today - timedelta(days=7), today)

    @classmethod
    def this_month(cls, today: date) -> Period:
        return cls.month(f"{today.year:04d}-{today.month:02d}")

    @classmethod
    def last_month(cls, today: date) -> Period:
        previous = today.replace(day=1) - timedelta(days=1)
        return cls.month(f"{previous.year:04d}-{previous.month:02d}")

    @classmethod
    def this_year(cls, today: date) -> Period:
        return cls(date(today.year, 1, 1), date(today.year, 12, 31))

    @classmethod
    def month(cls, text: str) -> Period:
        """The calendar month ``"2026-11"`` (ValueError when the text is not one)."""
        try:
            year_text, month_text = text.strip().split("-")
            year, month = int(year_text), int(month_text)
            first = date(year, month, 1)
        except ValueError as error:
            raise ValueError(f"not a month (YYYY-MM): {text!r}") from error
        return cls(first, date(year, month, calendar.monthrange(year, month)[1]))

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def bucket(self) -> Bucket:
        """Per day up to a month, per week up to six months, else per month."""
        if self.days <= _DAY_BUCKETS_UP_TO:
            return Bucket.DAY
        if self.days <= _WEEK_BUCKETS_UP_TO:
            return Bucket.WEEK
        return Bucket.MONTH

    def bounds(self, tz: tzinfo) -> tuple[datetime, datetime]:
        """The period as aware datetimes ``[start, end)``: midnight of its first day to
        midnight after its last, in ``tz``."""
        return (
            datetime.combine(self.start, time(), tz),
            datetime.combine(self.end + timedelta(days=1), time(), tz),
        )

    def bucket_start(self, day: date) -> date:
        """The first day of the chart's bar holding ``day`` (never before the period)."""
        bucket = self.bucket
        if bucket is Bucket.DAY:
            first = day
        elif bucket is Bucket.WEEK:
            first = day - timedelta(days=day.weekday())
        else:
            first = day.replace(day=1)
        return max(first, self.start)

    def bucket_starts(self) -> list[date]:
        """The first day of every bar of the chart, in order (empty ones included)."""
        starts: list[date] = []
        day = self.start
        while day <= self.end:
            first = self.bucket_start(day)
            if not starts or starts[-1] != first:
                starts.append(first)
            if self.bucket is Bucket.DAY:
                day += timedelta(days=1)
            elif self.bucket is Bucket.WEEK:
                day = first - timedelta(days=first.weekday()) + timedelta(days=7)
            else:
                day = (first.replace(day=1) + timedelta(days=32)).replace(day=1)
        return starts

    def __str__(self) -> str:
        return f"{self.start.isoformat()} – {self.end.isoformat()}"


#: The order statuses whose part is not a sale: nothing was paid, or the order is void.
NOT_SALES = frozenset({"cancelled", "failed", "pending", "checkout-draft"})
#: The status counted by the marketplace's ``sales-stats`` (wcfm-api.md §3.8).
COMPLETED = "completed"
#: Payout states (commission ``withdraw_status``).
PAID_OUT = "completed"
REQUESTED = "requested"


@dataclass(frozen=True)
class SoldItem:
    """One of the vendor's items in an order part (for the best sellers)."""

    name: str
    sku: str
    quantity: int
    total: Money


@dataclass(frozen=True)
class EarningsLine:
    """One order part: the vendor's part of one order, with the amounts of its commission rows.

    ``items_total`` is the vendor's items as sold (before refunds), ``shipping`` and ``tax``
    what the commission rows book for the vendor's part, ``refunds`` what was given back on
    it, ``earning`` the vendor's earning (``total_commission``) and ``commission`` what the
    marketplace kept of the rest: ``items_total + shipping + tax - refunds - earning``.
    """

    order_id: int
    number: str
    customer: str
    date_paid: datetime | None
    date_completed: datetime | None
    currency: str
    items_total: Money
    shipping: Money
    tax: Money
    commission: Money
    earning: Money
    refunds: Money
    payment_method: str
    payout_state: str
    payout_date: datetime | None
    status: str
    #: When the order was placed: the day the period and the chart count it on.
    date_created: datetime | None = None
    items: tuple[SoldItem, ...] = ()

    @property
    def is_sale(self) -> bool:
        return self.status not in NOT_SALES

    @property
    def is_completed(self) -> bool:
        return self.status == COMPLETED

    @property
    def sale_amount(self) -> Money:
        """What the customer paid for the vendor's part, refunds taken off (the receipts
        book's amount)."""
        return self.items_total + self.shipping + self.tax - self.refunds

    @property
    def date(self) -> datetime | None:
        return self.date_created or self.date_paid

    @classmethod
    def of(
        cls,
        *,
        order_id: int,
        number: str,
        customer: str,
        currency: str,
        items_total: Decimal,
        shipping: Decimal,
        tax: Decimal,
        earning: Decimal,
        refunds: Decimal,
        status: str,
        payout_state: str,
        date_created: datetime | None,
        date_paid: datetime | None = None,
        date_completed: datetime | None = None,
        payment_method: str = "",
        payout_date: datetime | None = None,
        items: tuple[SoldItem, ...] = (),
    ) -> EarningsLine:
        """A line from plain amounts; ``commission`` is what the marketplace kept."""
        kept = items_total + shipping + tax - refunds - earning
        return cls(
            order_id=order_id,
            number=number,
            customer=customer,
            date_paid=date_paid,
            date_completed=date_completed,
            currency=currency,
            items_total=Money(items_total, currency),
            shipping=Money(shipping, currency),
            tax=Money(tax, currency),
            commission=Money(kept, currency),
            earning=Money(earning, currency),
            refunds=Money(refunds, currency),
            payment_method=payment_method,
            payout_state=payout_state,
            payout_date=payout_date,
            status=status,
            date_created=date_created,
            items=items,
        )


class Deferred(Sequence[T]):
    """A sequence read when first used (by ``load``): what the Earnings view does not need to
    open — the order parts of a period, the orders of a bar or a product. ``len()`` does not
    read it when the length is given."""

    def __init__(self, load: Callable[[], Sequence[T]], length: int | None = None) -> None:
        self._load: Callable[[], Sequence[T]] | None = load
        self._items: tuple[T, ...] = ()
        self._length = length

    def _loaded(self) -> tuple[T, ...]:
        if self._load is not None:
            self._items = tuple(self._load())
            self._load = None
        return self._items

    @property
    def is_loaded(self) -> bool:
        return self._load is None

    def __len__(self) -> int:
        if self._length is not None and self._load is not None:
            return self._length
        return len(self._loaded())

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[T]: ...
    def __getitem__(self, index: int | slice) -> T | Sequence[T]:
        return self._loaded()[index]

    def __iter__(self) -> Iterator[T]:
        return iter(self._loaded())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Deferred):
            return self._loaded() == other._loaded()
        if isinstance(other, tuple):
            return self._loaded() == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._loaded())

    def __repr__(self) -> str:
        return f"Deferred({self._loaded()!r})" if self.is_loaded else "Deferred(<not read>)"


@dataclass(frozen=True)
class BucketTotal:
    """One bar of the chart: the earnings of the orders placed in it, paid out or waiting
    (requested included)."""

    start: date
    paid_out: Money
    waiting: Money
    #: In date order (read when first used, from the cache).
    order_ids: Sequence[int]

    @property
    def total(self) -> Money:
        return self.paid_out + self.waiting


@dataclass(frozen=True)
class ProductSales:
    name: str
    sku: str
    units: int
    total: Money
    #: In date order (read when first used, from the cache).
    order_ids: Sequence[int]


#: How many products the best sellers list.
BEST_SELLERS = 10

#: Which lines each figure counts (the orders behind it); a line counts when its amount for
#: the figure is not zero.
_FIGURE_AMOUNTS: dict[str, Callable[[EarningsLine], Money | None]] = {
    "gross_sales": lambda line: line.items_total,
    "earnings": lambda line: line.earning,
    "kept_by_marketplace": lambda line: line.commission,
    "shipping": lambda line: line.shipping,
    "tax": lambda line: line.tax,
    "refunds": lambda line: line.refunds,
    "paid_out": lambda line: line.earning if line.payout_state == PAID_OUT else None,
    "requested": lambda line: line.earning if line.payout_state == REQUESTED else None,
    "waiting": lambda line: None if line.payout_state in (PAID_OUT, REQUESTED) else line.earning,
    "completed_gross": lambda line: line.items_total - line.refunds if line.is_completed else None,
    "completed_earnings": lambda line: line.earning if line.is_completed else None,
}
#: The figures of :class:`EarningsSummary`, in the order they are shown.
FIGURES: tuple[str, ...] = tuple(_FIGURE_AMOUNTS)


@dataclass(frozen=True)
class EarningsSummary:
    """The vendor's sales and earnings over a period (orders placed in it; cancelled,
    failed and unpaid orders are not sales and are left out).

    ``waiting`` is the earning neither paid out nor requested; ``completed_*`` count the
    orders completed for the vendor only, as the marketplace's ``sales-stats`` does (gross net
    of refunds). ``lines`` (the order parts, in date order) and ``paid_lines`` (those paid in
    the period, whenever placed: the receipts book) may be :class:`Deferred` — read from the
    cache when first used; the figures, bars, best sellers and counts never need them.
    """

    period: Period
    currency: str
    lines: Sequence[EarningsLine]
    gross_sales: Money
    earnings: Money
    kept_by_marketplace: Money
    shipping: Money
    tax: Money
    refunds: Money
    paid_out: Money
    requested: Money
    waiting: Money
    completed_gross: Money
    completed_earnings: Money
    buckets: tuple[BucketTotal, ...]
    best_sellers: tuple[ProductSales, ...]
    #: How many order parts the period has (``len(lines)``), and how many are completed.
    order_count: int = 0
    completed_count: int = 0
    #: The sales paid in the period, in the order of their payment (the receipts book).
    paid_lines: Sequence[EarningsLine] = ()
    #: The orders behind a figure without reading the lines (the cache's summary); None: from
    #: the lines.
    figure_orders: Callable[[str], tuple[int, ...]] | None = field(
        default=None, compare=False, repr=False
    )
    #: The lines of some orders without reading them all (the cache's summary); None: from
    #: the lines.
    lines_loader: Callable[[Sequence[int]], Sequence[EarningsLine]] | None = field(
        default=None, compare=False, repr=False
    )

    def figure(self, name: str) -> Money:
        """The figure called ``name`` (one of :data:`FIGURES`)."""
        if name not in _FIGURE_AMOUNTS:
            raise KeyError(f"no figure {name!r}")
        value = getattr(self, name)
        assert isinstance(value, Money)
        return value

    def order_ids(self, figure: str) -> tuple[int, ...]:
        """The orders behind ``figure`` (one of :data:`FIGURES`), in date order."""
        amount_of = _FIGURE_AMOUNTS.get(figure)
        if amount_of is None:
            raise KeyError(f"no figure {figure!r}")
        if self.figure_orders is not None:
            return self.figure_orders(figure)
        found = []
        for line in self.lines:
            amount = amount_of(line)
            if amount is not None and not amount.is_zero:
                found.append(line.order_id)
        return tuple(found)

    def lines_of(self, order_ids: Iterable[int]) -> list[EarningsLine]:
        """The lines of the period's orders among ``order_ids``, in date order (without
        reading the others: the orders of a figure, a bar or a product)."""
        wanted = set(order_ids)
        if self.lines_loader is not None and not (
            isinstance(self.lines, Deferred) and self.lines.is_loaded
        ):
            return [line for line in self.lines_loader(sorted(wanted)) if line.order_id in wanted]
        return [line for line in self.lines if line.order_id in wanted]


def _day(moment: datetime | None, tz: tzinfo) -> date | None:
    return None if moment is None else moment.astimezone(tz).date()


def summarise(
    lines: Iterable[EarningsLine], period: Period, *, tz: tzinfo, currency: str = ""
) -> EarningsSummary:
    """The figures of ``period`` from order parts (those placed outside it, or that are not
    sales, are left out; those paid in it, wherever placed, make its receipts book); amounts in
    the lines' currency (``currency`` when there are none).

    Raises:
        CurrencyMismatch: the lines are in more than one currency.
    """
    all_lines = list(lines)
    kept = [
        line
        for line in all_lines
        if line.is_sale
        and (day := _day(line.date, tz)) is not None
        and period.start <= day <= period.end
    ]
    kept.sort(key=lambda line: (line.date or datetime.min.replace(tzinfo=tz), line.order_id))
    paid_in_period = [
        line
        for line in all_lines
        if line.is_sale
        and (day := _day(line.date_paid, tz)) is not None
        and period.start <= day <= period.end
    ]
    paid_in_period.sort(
        key=lambda line: (line.date_paid or datetime.min.replace(tzinfo=tz), line.order_id)
    )
    currency = kept[0].currency if kept else (currency or "USD")

    def total(figure: str) -> Money:
        amount_of = _FIGURE_AMOUNTS[figure]
        amounts = [amount for line in kept if (amount := amount_of(line)) is not None]
        if any(amount.currency != currency for amount in amounts):
            raise CurrencyMismatch(f"the orders of {period} are in more than one currency")
        # Decimals added directly: Money's checks on every addition were most of the time.
        return Money(sum((amount.amount for amount in amounts), Decimal(0)), currency)

    bars: dict[date, tuple[list[Money], list[Money], list[int]]] = {
        start: ([], [], []) for start in period.bucket_starts()
    }
    products: dict[tuple[str, str], tuple[list[int], list[Money], list[int]]] = {}
    for line in kept:
        day = _day(line.date, tz)
        assert day is not None
        paid, waiting, ids = bars[period.bucket_start(day)]
        (paid if line.payout_state == PAID_OUT else waiting).append(line.earning)
        ids.append(line.order_id)
        for item in line.items:
            units, totals, orders = products.setdefault((item.name, item.sku), ([], [], []))
            units.append(item.quantity)
            totals.append(item.total)
            if not orders or orders[-1] != line.order_id:
                orders.append(line.order_id)
    buckets = tuple(
        BucketTotal(
            start,
            Money.total(paid, currency),
            Money.total(waiting, currency),
            tuple(ids),
        )
        for start, (paid, waiting, ids) in bars.items()
    )
    sellers = sorted(
        (
            ProductSales(name, sku, sum(units), Money.total(totals, currency), tuple(orders))
            for (name, sku), (units, totals, orders) in products.items()
        ),
        key=lambda product: (-product.total.amount, -product.units, product.name),
    )
    figures: dict[str, Any] = {figure: total(figure) for figure in FIGURES}
    return EarningsSummary(
        period=period,
        currency=currency,
        lines=tuple(kept),
        buckets=buckets,
        best_sellers=tuple(sellers[:BEST_SELLERS]),
        order_count=len(kept),
        completed_count=sum(line.is_completed for line in kept),
        paid_lines=tuple(paid_in_period),
        **figures,
    )


@dataclass(frozen=True)
class Receipt:
    """One line of the receipts book ("livre des recettes"): a payment received."""

    date: datetime
    reference: str
    customer: str
    amount: Money
    means: str
    order_id: int


def receipts(summary: EarningsSummary) -> list[Receipt]:
    """The receipts book of the summary's period: each sale **paid in the period** (the date
    of payment decides, not when the order was placed: placed on 31 October and paid on
    2 November, it is in November's book), in the order of payment — what the customer paid
    for the vendor's part (items, shipping, tax), refunds taken off. Orders not paid yet (cash
    on delivery not delivered …) have none."""
    found = [
        Receipt(
            line.date_paid,
            line.number,
            line.customer,
            line.sale_amount,
            line.payment_method,
            line.order_id,
        )
        for line in summary.paid_lines
        if line.date_paid is not None
    ]
    found.sort(key=lambda receipt: (receipt.date, receipt.order_id))
    return found


__all__ = [
    "BEST_SELLERS",
    "FIGURES",
    "Bucket",
    "BucketTotal",
    "Deferred",
    "EarningBreakdown",
    "EarningLine",
    "EarningPart",
    "EarningsLine",
    "EarningsSummary",
    "Period",
    "ProductSales",
    "Receipt",
    "SoldItem",
    "earning_breakdown",
    "receipts",
    "summarise",
]
