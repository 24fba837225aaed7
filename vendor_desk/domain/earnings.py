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
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from itertools import combinations

from vendor_desk.domain.money import Money, to_decimal
from vendor_desk.domain.orders import Order


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


__all__ = ["EarningBreakdown", "EarningLine", "EarningPart", "earning_breakdown"]
