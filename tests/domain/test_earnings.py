"""Why an order's earning is what it is (issue 12: "total $26.00, earning $35.90, no word why"):
the breakdown read from the order's JSON as the marketplace sends it — the recorded order 19 of
the real site, parsed by the client's own parser, with the commission rows' shipping, tax and
charges set as WCFM books them."""

from __future__ import annotations

import dataclasses
import json
from decimal import Decimal
from typing import Any

from tests.conftest import RECORDED
from vendor_desk.domain import Money, Order
from vendor_desk.domain.earnings import EarningPart, earning_breakdown
from vendor_desk.marketplace.parsing import parse_order

P = EarningPart


def recorded_19() -> dict[str, Any]:
    """Order 19 of the recorded list (three items, commission 22.50 + 22.50 + 8.99 = 53.99)."""
    path = RECORDED / "02-orders-list-default.json"
    body = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)["response"]["body"]
    found: dict[str, Any] = next(o for o in body if o["id"] == 19)
    return found


def order_with(**details: str) -> Order:
    """Order 19 with its commission rows' sums changed as given (strings, as WCFM sends)."""
    data = recorded_19()
    data["vendor_order_details"] = {**data["vendor_order_details"], **details}
    return parse_order(data)


def usd(amount: str) -> Money:
    return Money(Decimal(amount), "USD")


def parts(order: Order) -> list[tuple[EarningPart, Money]]:
    breakdown = earning_breakdown(order)
    assert breakdown is not None
    assert breakdown.total == breakdown.earning == order.earning  # always adds up, exactly
    return [(line.part, line.amount) for line in breakdown.lines]


def test_the_recorded_order_earns_its_items_commission() -> None:
    order = order_with()
    assert parts(order) == [(P.ITEMS, usd("53.99"))]
    breakdown = earning_breakdown(order)
    assert breakdown is not None and not breakdown.explains_something  # nothing to explain


def test_shipping_and_its_tax_the_vendor_receives() -> None:
    """The issue's case: the earning is above the items' total because of the shipping."""
    order = order_with(shipping="10", shipping_tax_amount="2.5", total_commission="66.49")
    assert order.items_total == usd("59.99") and order.earning == usd("66.49")
    assert parts(order) == [
        (P.ITEMS, usd("53.99")),
        (P.SHIPPING, usd("10")),
        (P.SHIPPING_TAX, usd("2.5")),
    ]
    breakdown = earning_breakdown(order)
    assert breakdown is not None and breakdown.explains_something


def test_tax_counts_only_when_the_vendor_receives_it() -> None:
    # The vendor gets tax: the items' tax and the shipping's are in the earning.
    gets_tax = order_with(
        shipping="5", tax="4.8", shipping_tax_amount="0.4", total_commission="64.19"
    )
    assert parts(gets_tax) == [
        (P.ITEMS, usd("53.99")),
        (P.SHIPPING, usd("5")),
        (P.SHIPPING_TAX, usd("0.4")),
        (P.TAX, usd("4.8")),
    ]
    # The admin keeps the tax (WCFM books it on the row all the same): not counted.
    admin_tax = order_with(shipping="5", tax="4.8", total_commission="58.99")
    assert parts(admin_tax) == [(P.ITEMS, usd("53.99")), (P.SHIPPING, usd("5"))]


def test_what_the_parts_cannot_explain_is_said_as_other_adjustments() -> None:
    # A transaction charge of 1.20 (kept in WCFM's commission meta, not in the JSON).
    charged = order_with(shipping="10", total_commission="62.79")
    assert parts(charged) == [
        (P.ITEMS, usd("53.99")),
        (P.SHIPPING, usd("10")),
        (P.OTHER, usd("-1.20")),
    ]
    # More than every part: said as it is, not hidden in a part.
    raised = order_with(shipping="10", total_commission="70")
    assert parts(raised) == [
        (P.ITEMS, usd("53.99")),
        (P.SHIPPING, usd("10")),
        (P.OTHER, usd("6.01")),
    ]
    # No commission rows in the JSON (refreshed through the single-order route) while the
    # cache knows a larger earning: the difference is not passed off as shipping.
    single = dataclasses.replace(order_with(), raw={}, earning=usd("66.49"))
    assert parts(single) == [(P.ITEMS, usd("53.99")), (P.OTHER, usd("12.50"))]


def test_refunds_are_said_not_subtracted_twice() -> None:
    data = recorded_19()
    data["line_items"][0]["commission_value"] = 0  # fully refunded item: WCFM sends 0
    data["vendor_order_details"].update(refunded_amount="25", total_commission="31.49")
    order = parse_order(data)
    breakdown = earning_breakdown(order)
    assert breakdown is not None
    assert parts(order) == [(P.ITEMS, usd("31.49"))]
    assert breakdown.refunded == usd("25") and breakdown.explains_something


def test_unknown_commissions_give_no_breakdown() -> None:
    data = recorded_19()
    for line in data["line_items"]:
        line["commission_value"] = None  # the vendor lacks the view_commission capability
    assert earning_breakdown(parse_order(data)) is None
    assert earning_breakdown(dataclasses.replace(order_with(), earning=None)) is None
