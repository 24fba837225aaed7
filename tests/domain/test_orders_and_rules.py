"""Order behaviour and the workflow rules, on orders built by hand."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest

from vendor_desk.domain import (
    Address,
    LineItem,
    Money,
    Notification,
    Order,
    OrderStatus,
    PayoutState,
    RefundLine,
    RefundMode,
    RefundState,
    ShippingStatus,
    rules,
)


def usd(value: str) -> Money:
    return Money.of(value, "USD")


def item(item_id: int, total: str, *, qty: int = 1, **changes: object) -> LineItem:
    base = LineItem(
        item_id=item_id,
        product_id=100 + item_id,
        variation_id=0,
        name=f"Item {item_id}",
        sku=f"SKU-{item_id}",
        quantity=qty,
        subtotal=usd(total),
        total=usd(total),
        tax=usd("0"),
        price=usd(total),
        commission=usd(total) * 0,
        refund_state=RefundState.NONE,
        shippable=True,
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def order(*items: LineItem, **changes: object) -> Order:
    base = Order(
        id=19,
        number="19",
        vendor_status=OrderStatus.PROCESSING,
        main_status=OrderStatus.PROCESSING,
        currency="USD",
        date_created=datetime(2026, 11, 21, 16, 5, tzinfo=UTC),
        date_modified=None,
        date_paid=datetime(2026, 11, 21, 16, 6, tzinfo=UTC),
        date_completed=None,
        payment_method="cod",
        payment_method_title="Cash on delivery",
        customer_id=4,
        billing=Address(first_name="Carol", last_name="Customer", email="c@example.test"),
        shipping=Address(first_name="Carol", last_name="Customer", city="Localhost"),
        customer_note="",
        total=usd("64.99"),
        shipping_total=usd("5"),
        items_total=Money.total((i.total for i in items), "USD"),
        earning=None,
        items=items,
        split=False,
        payout_state=PayoutState.PENDING,
        shipping_status=ShippingStatus.PENDING,
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


class TestOrder:
    def test_customer_and_payment(self) -> None:
        o = order(item(3, "25"))
        assert o.customer_name == "Carol Customer"
        assert o.customer_email == "c@example.test"
        assert o.is_paid
        assert not dataclasses.replace(o, date_paid=None).is_paid

    def test_fill_unknown_from_keeps_known_values(self) -> None:
        known = order(
            item(3, "25", refund_state=RefundState.REQUESTED),
            vendor_status=OrderStatus.SHIPPED,
            earning=usd("22.5"),
        )
        fresh = order(
            item(3, "25", refund_state=RefundState.UNKNOWN, shippable=None),
            vendor_status=OrderStatus(""),
            main_status=OrderStatus(""),
            payout_state=PayoutState.UNKNOWN,
            shipping_status=ShippingStatus.UNKNOWN,
        )
        merged = fresh.fill_unknown_from(known)
        assert merged.vendor_status == OrderStatus.SHIPPED
        assert merged.main_status == OrderStatus.PROCESSING
        assert merged.payout_state == PayoutState.PENDING
        assert merged.earning == usd("22.5")
        assert merged.items[0].refund_state == RefundState.REQUESTED
        assert merged.items[0].shippable is True

    def test_fill_unknown_from_lets_new_values_win(self) -> None:
        known = order(item(3, "25"), vendor_status=OrderStatus.PROCESSING)
        fresh = order(item(3, "25"), vendor_status=OrderStatus.COMPLETED)
        assert fresh.fill_unknown_from(known).vendor_status == OrderStatus.COMPLETED
        with pytest.raises(ValueError):
            fresh.fill_unknown_from(dataclasses.replace(known, id=20))

    def test_is_shipped_signals(self) -> None:
        assert not order(item(3, "25")).is_shipped
        assert order(item(3, "25"), vendor_status=OrderStatus.SHIPPED).is_shipped
        tracked = item(3, "25", tracking_code="Z1", tracking_url="https://t.example/Z1")
        assert order(tracked, item(5, "9.99", shippable=False)).is_shipped

    def test_notification_order_number(self) -> None:
        when = datetime(2026, 11, 27, tzinfo=UTC)
        assert (
            Notification(1, "You have received an Order #24 for Mug", "order", when, False).order_id
            == 24
        )
        assert Notification(2, "Hello", "direct", when, True).order_id is None


class TestSplit:
    def test_totals_that_add_up_are_not_split(self) -> None:
        # order 18: 12.50 mug + 5.00 untagged shipping = 17.50
        assert not rules.infer_split(usd("17.50"), usd("12.5"), usd("5"), usd("0"), usd("0"))

    def test_foreign_value_makes_it_split(self) -> None:
        # order 21: vendor_a's mug 12.50 of 57.50
        assert rules.infer_split(usd("57.50"), usd("12.5"), usd("5"), usd("0"), usd("0"))

    def test_foreign_items_seen_make_it_split(self) -> None:
        assert rules.infer_split(usd("17.5"), usd("12.5"), usd("5"), usd("0"), usd("0"), [10])


class TestShipping:
    def test_processing_order_may_ship(self) -> None:
        assert rules.may_ship(order(item(3, "25"))).allowed

    @pytest.mark.parametrize("status", ["pending", "cancelled", "failed", "refunded"])
    def test_closed_or_unpaid_orders_may_not_ship(self, status: str) -> None:
        verdict = rules.may_ship(order(item(3, "25"), vendor_status=OrderStatus(status)))
        assert not verdict
        assert verdict.reasons

    def test_virtual_only_order_has_nothing_to_ship(self) -> None:
        o = order(item(5, "9.99", shippable=False))
        assert not rules.is_shippable(o)
        assert "virtual" in " ".join(rules.may_ship(o).reasons)

    def test_pending_refund_blocks_shipping_and_completion(self) -> None:
        o = order(item(3, "25", refund_state=RefundState.REQUESTED))
        assert not rules.may_ship(o)
        assert not rules.may_complete(o)

    def test_foreign_item_ids(self) -> None:
        assert rules.foreign_item_ids(order(item(3, "25"), item(4, "25")), [3, 10, 4, 11]) == [
            10,
            11,
        ]


class TestStatusRules:
    def test_settable_statuses(self) -> None:
        o = order(item(3, "25"))
        assert rules.may_set_status(o, OrderStatus.COMPLETED)
        assert not rules.may_set_status(o, OrderStatus.REFUNDED)
        assert not rules.may_set_status(o, OrderStatus.SHIPPED)
        assert not rules.may_set_status(o, OrderStatus("awaiting-pickup"))

    def test_completed_part_cannot_complete_again(self) -> None:
        assert not rules.may_complete(order(item(3, "25"), vendor_status=OrderStatus.COMPLETED))
        assert rules.may_complete(order(item(3, "25"), vendor_status=OrderStatus.SHIPPED))

    def test_split_completion_waits_for_other_vendors(self) -> None:
        assert rules.completion_waits_for_others(order(item(3, "25"), split=True))
        assert not rules.completion_waits_for_others(order(item(3, "25")))

    def test_payment_warnings(self) -> None:
        assert rules.payment_warnings(order(item(3, "25"))) == []
        unpaid = order(item(3, "25"), date_paid=None, main_status=OrderStatus.ON_HOLD)
        warnings = rules.payment_warnings(unpaid)
        assert any("on hold" in w for w in warnings)
        assert any("Cash on delivery" in w for w in warnings)


class TestRefundRules:
    def test_refund_offered_while_payout_pending(self) -> None:
        assert rules.may_request_refund(order(item(3, "25"))).allowed
        completed = order(item(3, "25"), main_status=OrderStatus.COMPLETED)
        assert rules.may_request_refund(completed).allowed

    def test_no_refund_once_paid_out_or_on_hold(self) -> None:
        paid = order(item(3, "25"), payout_state=PayoutState.COMPLETED)
        assert "paid out" in " ".join(rules.may_request_refund(paid).reasons)
        assert not rules.may_request_refund(order(item(3, "25"), main_status=OrderStatus.ON_HOLD))
        assert not rules.may_request_refund(order(item(3, "25"), payout_state=PayoutState.UNKNOWN))

    def test_items_already_requested_are_not_refundable(self) -> None:
        o = order(item(3, "25", refund_state=RefundState.REQUESTED), item(4, "25"))
        assert rules.refundable_item_ids(o) == [4]
        assert [line.item_id for line in rules.full_refund_lines(o)] == [4]
        everything = order(item(3, "25", refund_state=RefundState.REFUNDED))
        assert not rules.may_request_refund(everything)

    def test_refund_lines_are_checked(self) -> None:
        o = order(item(3, "25", qty=2), item(4, "25", refund_state=RefundState.REQUESTED))
        ok = [RefundLine(3, 1, usd("12.5"))]
        assert rules.check_refund_lines(o, RefundMode.PARTIAL, ok)
        too_much = [RefundLine(3, 3, usd("30"))]
        assert len(rules.check_refund_lines(o, RefundMode.PARTIAL, too_much).reasons) == 2
        foreign = rules.check_refund_lines(o, RefundMode.FULL, [RefundLine(99, 1, usd("1"))])
        assert "not one of your items" in foreign.reasons[0]
        assert not rules.check_refund_lines(o, RefundMode.FULL, [RefundLine(4, 1, usd("25"))])
        assert not rules.check_refund_lines(o, RefundMode.PARTIAL, [])
        nothing = [RefundLine(3, 0, usd("0"))]
        assert not rules.check_refund_lines(o, RefundMode.PARTIAL, nothing)


# ------------------------------------------------------- taken away by the store admin
@pytest.mark.parametrize(
    ("changes", "removal"),
    [
        ({"vanished": True}, rules.Removal.DELETED),
        ({"trashed": True}, rules.Removal.TRASHED),
        ({"main_status": OrderStatus.CANCELLED}, rules.Removal.CANCELLED),
        (
            {"main_status": OrderStatus.CANCELLED, "vendor_status": OrderStatus.CANCELLED},
            rules.Removal.CANCELLED,
        ),
    ],
)
def test_orders_the_store_admin_took_away_refuse_every_action_with_the_reason(
    changes: dict[str, object], removal: rules.Removal
) -> None:
    gone = order(item(3, "25"), **changes)
    reason = rules.REMOVAL_REASONS[removal]
    assert rules.removal(gone) is removal and rules.removal_reason(gone) == reason
    for verdict in (
        rules.may_ship(gone),
        rules.may_complete(gone),
        rules.ready_to_complete(gone),
        rules.may_request_refund(gone),
        rules.may_set_status(gone, OrderStatus.COMPLETED),
    ):
        assert verdict.reasons == (reason,)
    # A note still reaches the customer of a cancelled order, not of a trashed or deleted one.
    assert bool(rules.may_add_note(gone)) is (removal is rules.Removal.CANCELLED)


def test_an_order_still_to_handle_is_not_removed() -> None:
    mine = order(item(3, "25"), vendor_status=OrderStatus.CANCELLED)  # the vendor's own part
    assert rules.removal(mine) is None and rules.removal_reason(mine) == ""
    assert rules.may_add_note(order(item(3, "25")))
    assert rules.may_ship(order(item(3, "25")))


def test_a_single_get_never_wipes_that_the_order_is_in_the_trash() -> None:
    trashed = order(item(3, "25"), trashed=True)
    unknown = order(item(3, "25"))  # the single-order route: trashed None
    assert unknown.trashed is None
    assert unknown.fill_unknown_from(trashed).trashed is True
    listed = order(item(3, "25"), trashed=False)  # the list: not in the trash
    assert listed.fill_unknown_from(trashed).trashed is False
    # vanished belongs to the cache's copy, never to an answer of the marketplace
    assert not unknown.fill_unknown_from(dataclasses.replace(trashed, vanished=True)).vanished
