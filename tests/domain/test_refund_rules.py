"""The pure refund rules: typed amounts in the vendor's locale, what remains refundable, WCFM's
eligibility conditions, the checks of each line, and the store admin's pre-filled message."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from vendor_desk.domain import Money, OrderStatus, PayoutState, RefundLine, RefundMode, RefundState
from vendor_desk.domain.refunds import (
    RefundProblem,
    RefundProblemCode,
    admin_message_for,
    eligibility_problems,
    full_refund_lines,
    parse_amount,
    parse_quantity,
    refund_problems,
    refundable_items,
    remaining_amount,
    remaining_quantity,
)

from .test_orders_and_rules import item, order, usd

C = RefundProblemCode


def codes(problems: list[RefundProblem]) -> set[RefundProblemCode]:
    return {p.code for p in problems}


@pytest.mark.parametrize(
    ("text", "separator", "expected"),
    [
        ("12,50", ",", "12.50"),
        ("12.50", ",", "12.50"),
        ("12,5", ".", "12.5"),
        ("1 234,50", ",", "1234.50"),
        ("1\u202f234,50", ",", "1234.50"),
        ("1.234,50", ",", "1234.50"),
        ("1,234.50", ".", "1234.50"),
        ("1'234.50", ".", "1234.50"),
        ("1.234", ",", "1234"),  # a thousands dot for a vendor who writes decimal commas
        ("1,234", ".", "1234"),
        ("€ 12,50", ",", "12.50"),
        ("12.50 EUR", ",", "12.50"),
        (",5", ",", "0.5"),
        ("", ",", "0"),
        ("12.500", ".", "12.500"),  # three decimals typed, but the value has two
    ],
)
def test_amounts_typed_in_the_vendors_locale(text: str, separator: str, expected: str) -> None:
    assert parse_amount(text, "EUR", decimal_separator=separator) == Decimal(expected)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("abc", C.NOT_A_NUMBER),
        ("12.5,0", C.NOT_A_NUMBER),
        ("1.23.4", C.NOT_A_NUMBER),
        ("12,345", C.TOO_MANY_DECIMALS),  # one comma in a comma locale: decimals
        ("0,999", C.TOO_MANY_DECIMALS),
        ("-3", C.NEGATIVE),
    ],
)
def test_amounts_that_are_refused(text: str, code: RefundProblemCode) -> None:
    problem = parse_amount(text, "EUR", item_id=3)
    assert isinstance(problem, RefundProblem)
    assert (problem.code, problem.item_id, problem.field) == (code, 3, "amount")
    assert problem.code.is_input


def test_decimals_follow_the_currency() -> None:
    assert isinstance(parse_amount("12,5", "JPY"), RefundProblem)
    assert parse_amount("1200", "JPY") == Decimal(1200)


def test_quantities() -> None:
    assert parse_quantity("") == 0 and parse_quantity(" 2 ") == 2
    assert isinstance(parse_quantity("-1"), RefundProblem)
    assert isinstance(parse_quantity("1.5", item_id=4), RefundProblem)


def test_what_remains_after_an_earlier_refund() -> None:
    mug = item(3, "25", qty=2, refunded_quantity=1, refunded_amount=usd("12.50"))
    assert remaining_quantity(mug) == 1
    assert remaining_amount(mug) == usd("12.50")
    fresh = item(4, "9.99")
    assert remaining_amount(fresh) == usd("9.99") and remaining_quantity(fresh) == 1
    o = order(mug, fresh)
    assert [(line.item_id, line.quantity, line.amount) for line in full_refund_lines(o)] == [
        (3, 1, usd("12.50")),
        (4, 1, usd("9.99")),
    ]


def test_items_waiting_or_refunded_are_left_out() -> None:
    o = order(
        item(3, "25", refund_state=RefundState.REQUESTED),
        item(4, "10", refund_state=RefundState.REFUNDED),
        item(5, "10", refund_state=RefundState.REJECTED),
        item(6, "10", refund_state=RefundState.PARTIALLY_REFUNDED),
    )
    assert [i.item_id for i in refundable_items(o)] == [5, 6]
    problems = refund_problems(o, RefundMode.PARTIAL, [RefundLine(3, 1, usd("1"))], "Sorry")
    assert codes(problems) == {C.ITEM_NOT_REFUNDABLE}
    assert problems[0].item_id == 3 and not problems[0].code.is_input


@pytest.mark.parametrize("status", ["pending", "on-hold", "failed", "cancelled", "refunded"])
def test_statuses_without_refunds(status: str) -> None:
    o = order(item(3, "25"), vendor_status=OrderStatus(status))
    assert codes(eligibility_problems(o)) == {C.NOT_ELIGIBLE_STATUS}
    o = order(item(3, "25"), main_status=OrderStatus(status))
    # a cancelled order is out of the vendor's hands: that is the one reason given
    expected = C.ORDER_REMOVED if status == "cancelled" else C.NOT_ELIGIBLE_STATUS
    assert codes(eligibility_problems(o)) == {expected}


def test_completed_with_payout_pending_stays_refundable() -> None:
    o = order(item(3, "25"), vendor_status=OrderStatus.COMPLETED, main_status=OrderStatus.COMPLETED)
    assert eligibility_problems(o) == []
    assert refund_problems(o, RefundMode.FULL, [], "Returned") == []


@pytest.mark.parametrize("payout", ["requested", "completed"])
def test_earnings_requested_or_paid_go_through_the_admin(payout: str) -> None:
    o = order(item(3, "25"), payout_state=PayoutState(payout))
    [problem] = eligibility_problems(o)
    assert problem.code is C.PAYOUT_NOT_PENDING and problem.code.needs_admin
    assert codes(eligibility_problems(order(item(3, "25"), payout_state=PayoutState.UNKNOWN))) == {
        C.PAYOUT_UNKNOWN
    }


def test_nothing_left_to_refund() -> None:
    o = order(item(3, "25", refund_state=RefundState.REFUNDED))
    assert C.NO_REFUNDABLE_ITEMS in codes(eligibility_problems(o))


def test_partial_lines() -> None:
    mug = item(3, "25", qty=2, refunded_quantity=1, refunded_amount=usd("10"))
    o = order(mug, item(4, "9.99"))

    def check(*lines: RefundLine) -> set[RefundProblemCode]:
        return codes(refund_problems(o, RefundMode.PARTIAL, list(lines), "Sorry"))

    assert check(RefundLine(3, 1, usd("15"))) == set()  # exactly what remains
    assert check(RefundLine(3, 0, usd("15.01"))) == {C.AMOUNT_TOO_HIGH}
    assert check(RefundLine(3, 2, usd("0"))) == {C.QTY_TOO_HIGH}
    assert check(RefundLine(3, -1, usd("1"))) == {C.NEGATIVE}
    assert check(RefundLine(3, 0, usd("-1"))) == {C.NEGATIVE}
    assert check(RefundLine(3, 0, usd("0.001"))) == {C.TOO_MANY_DECIMALS}
    assert check(RefundLine(3, 0, Money(Decimal(1), "EUR"))) == {C.WRONG_CURRENCY}
    assert check(RefundLine(3, 0, usd("0")), RefundLine(4, 0, usd("0"))) == {C.NOTHING_CHOSEN}
    assert check() == {C.NOTHING_CHOSEN}
    assert check(RefundLine(4, 1, usd("1")), RefundLine(4, 0, usd("1"))) == {C.DUPLICATE_ITEM}
    assert check(RefundLine(77, 1, usd("1"))) == {C.NOT_OWN_ITEM}
    # The field and item of each problem, for the dialog.
    [problem] = refund_problems(o, RefundMode.PARTIAL, [RefundLine(3, 2, usd("0"))], "x")
    assert (problem.item_id, problem.field) == (3, "qty")


def test_reason_is_required() -> None:
    o = order(item(3, "25"))
    [problem] = refund_problems(o, RefundMode.FULL, [], "   ")
    assert (problem.code, problem.field) == (C.REASON_EMPTY, "reason")


def test_admin_message_names_the_order_items_and_reason() -> None:
    o = order(item(3, "25", qty=2), item(4, "9.99"), payout_state=PayoutState.COMPLETED)
    text = admin_message_for(o, RefundMode.PARTIAL, [RefundLine(3, 1, usd("12.5"))], "Chipped")
    assert "order #19" in text and "partially" in text
    assert "1 × Item 3 (item 3): $12.50" in text and "Item 4" not in text
    assert "Reason (for the customer): Chipped" in text
    full = admin_message_for(o, RefundMode.FULL, [], "Lost")
    assert "in full" in full and "$34.99" in full and "shipping" in full


def test_full_mode_ignores_typed_amounts() -> None:
    o = order(item(3, "25"))
    lines = [RefundLine(3, 0, usd("0"))]
    assert refund_problems(o, RefundMode.FULL, lines, "Lost") == []
    assert dataclasses.replace(lines[0]).item_id == 3


def test_unpaid_warning_says_nothing_was_paid_and_what_is_left_to_do() -> None:
    from vendor_desk.domain.refunds import unpaid_problem, unpaid_refund_warning

    paid = order(item(3, "25"))
    assert unpaid_refund_warning(paid) == "" and unpaid_problem(paid, False) == []
    unpaid = dataclasses.replace(paid, date_paid=None)
    warning = unpaid_refund_warning(unpaid)
    assert "Nothing has been paid for order #19" in warning and "cash on delivery" in warning
    assert "still have to be shipped" in warning
    assert codes(unpaid_problem(unpaid, False)) == {C.UNPAID_NOT_CONFIRMED}
    assert unpaid_problem(unpaid, True) == []
    # Shipped already: nothing about shipping; another gateway is named by its title.
    shipped = dataclasses.replace(
        unpaid,
        vendor_status=OrderStatus.SHIPPED,
        payment_method="bacs",
        payment_method_title="Direct bank transfer",
    )
    warning = unpaid_refund_warning(shipped)
    assert "via Direct bank transfer" in warning and "shipped" not in warning
    # Virtual items only: nothing to ship either.
    ebook = dataclasses.replace(unpaid, items=(item(5, "9.99", shippable=False),))
    assert "shipped" not in unpaid_refund_warning(ebook)
    # The facts the window words its (translated) warning from.
    from vendor_desk.domain.refunds import UnpaidRefund, unpaid_refund

    assert unpaid_refund(paid) is None
    assert unpaid_refund(unpaid) == UnpaidRefund("19", True, "", True)
    assert unpaid_refund(shipped) == UnpaidRefund("19", False, "Direct bank transfer", False)


def test_the_orders_refund_state_in_one_word() -> None:
    from vendor_desk.domain.refunds import order_refund_state

    assert order_refund_state(order(item(3, "25"))) == RefundState.NONE
    rejected = order(item(3, "25", refund_state=RefundState.REJECTED))
    assert order_refund_state(rejected) == RefundState.REJECTED
    both = order(
        item(3, "25", refund_state=RefundState.PARTIALLY_REFUNDED),
        item(4, "5", refund_state=RefundState.REFUNDED),
    )
    assert order_refund_state(both) == RefundState.REFUNDED
    waiting = dataclasses.replace(both, refund_requested=True)
    assert order_refund_state(waiting) == RefundState.REQUESTED


def test_a_refund_by_the_store_admin_shows_only_as_the_orders_status() -> None:
    """The store admin's full refund in WooCommerce changes the statuses only (file 186): the
    items still say "not refunded". A partial one shows nothing at all, which the refund line
    says for every order not refunded as a whole."""
    from vendor_desk.domain.refunds import admin_refunds_may_be_unseen, order_refund_state

    whole = order(
        item(3, "25"), main_status=OrderStatus.REFUNDED, vendor_status=OrderStatus.REFUNDED
    )
    assert order_refund_state(whole) == RefundState.REFUNDED
    assert not admin_refunds_may_be_unseen(whole)
    assert admin_refunds_may_be_unseen(order(item(3, "25")))
    partly = order(item(3, "25", refund_state=RefundState.PARTIALLY_REFUNDED))
    assert admin_refunds_may_be_unseen(partly)
