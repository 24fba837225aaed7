"""Money arithmetic and the status value objects."""

from __future__ import annotations

from decimal import Decimal

import pytest

from vendor_desk.domain import (
    CurrencyMismatch,
    Money,
    OrderStatus,
    PayoutState,
    RefundRequestStatus,
    RefundState,
    ShippingStatus,
    to_decimal,
)


def usd(value: str) -> Money:
    return Money.of(value, "USD")


class TestMoney:
    def test_parses_marketplace_strings_exactly(self) -> None:
        assert usd("64.99").amount == Decimal("64.99")
        assert usd("").is_zero
        assert Money.of(5, "usd").currency == "USD"

    def test_refuses_floats_and_garbage(self) -> None:
        with pytest.raises(ValueError):
            to_decimal(0.1)
        with pytest.raises(ValueError):
            to_decimal(True)
        with pytest.raises(ValueError):
            to_decimal("12,50 EUR")
        with pytest.raises(ValueError):
            to_decimal("NaN")
        with pytest.raises(TypeError):
            Money(1.5, "USD")  # type: ignore[arg-type]

    def test_arithmetic_is_exact(self) -> None:
        total = Money.total([usd("0.10")] * 3, "USD")
        assert total == usd("0.3")
        assert usd("12.5") * 2 == usd("25")
        assert 3 * usd("9.99") == usd("29.97")
        assert usd("10") - usd("12.5") == usd("-2.5")
        assert -usd("1") == usd("-1")
        assert usd("2") > usd("1.99")

    def test_currencies_do_not_mix(self) -> None:
        with pytest.raises(CurrencyMismatch):
            usd("1") + Money.of("1", "EUR")
        with pytest.raises(CurrencyMismatch):
            _ = usd("1") < Money.of("1", "EUR")
        assert usd("1") != Money.of("1", "EUR")

    def test_equal_values_hash_alike(self) -> None:
        assert usd("1.50") == usd("1.5")
        assert len({usd("1.50"), usd("1.5")}) == 1

    def test_formatting_rounds_half_up(self) -> None:
        assert usd("12.5").format() == "$12.50"
        assert usd("0.125").plain() == "0.13"
        assert usd("-3").format() == "-$3.00"
        assert Money.of("1500", "JPY").format() == "¥1500"
        assert Money.of("7.2", "CHF").format() == "7.20 CHF"


class TestStatuses:
    def test_known_slugs_and_prefix_stripping(self) -> None:
        assert OrderStatus("wc-completed") == OrderStatus.COMPLETED
        assert OrderStatus(" On-Hold ") == OrderStatus.ON_HOLD
        assert OrderStatus.ON_HOLD.label == "On hold"
        assert OrderStatus.SHIPPED.is_recognised
        assert not OrderStatus.SHIPPED.is_woocommerce_status
        assert OrderStatus.COMPLETED.is_closed and not OrderStatus.PROCESSING.is_closed

    def test_unknown_slug_is_preserved_as_text(self) -> None:
        custom = OrderStatus("awaiting-pickup")
        assert custom.slug == "awaiting-pickup"
        assert not custom.is_recognised and not custom.is_unknown
        assert custom.label == "Awaiting pickup"

    def test_empty_status_never_wipes_a_known_one(self) -> None:
        assert OrderStatus("").is_unknown
        assert OrderStatus("").or_else(OrderStatus.PROCESSING) == OrderStatus.PROCESSING
        assert OrderStatus.SHIPPED.or_else(OrderStatus.PROCESSING) == OrderStatus.SHIPPED
        assert OrderStatus("").label == "Unknown"

    def test_statuses_of_different_kinds_differ(self) -> None:
        assert ShippingStatus("completed") != OrderStatus("completed")  # type: ignore[comparison-overlap]
        assert PayoutState.PENDING.label == "Not paid out"
        assert ShippingStatus.COMPLETED.label == "Received"

    @pytest.mark.parametrize(
        ("refund_status", "is_refunded", "expected"),
        [
            ("pending", False, RefundState.NONE),
            ("requested", False, RefundState.REQUESTED),
            ("completed", False, RefundState.PARTIALLY_REFUNDED),
            ("completed", True, RefundState.REFUNDED),
            ("cancelled", False, RefundState.REJECTED),
            ("", False, RefundState.NONE),
            ("escalated", False, RefundState("escalated")),
        ],
    )
    def test_refund_state_from_commission(
        self, refund_status: str, is_refunded: bool, expected: RefundState
    ) -> None:
        assert RefundState.from_commission(refund_status, is_refunded) == expected

    def test_refund_request_status_words(self) -> None:
        assert RefundRequestStatus.from_marketplace("completed") is RefundRequestStatus.APPROVED
        assert RefundRequestStatus.from_marketplace("cancelled") is RefundRequestStatus.REJECTED
        assert RefundRequestStatus.APPROVED.marketplace_value == "completed"
        with pytest.raises(ValueError):
            RefundRequestStatus.from_marketplace("maybe")
