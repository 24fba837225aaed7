"""Status values of an order as the marketplace reports them.

Every status is a small frozen value object around the marketplace's slug (``"processing"``,
``"shipped"``…). Known slugs have named constants and labels; a slug the app does not know yet (a
custom WooCommerce status, a newer WCFM) is kept as text rather than refused, so nothing is lost
and it can still be shown and stored. The empty slug means "not known" — e.g. the vendor status the
single-order route returns under application-password auth — and must never replace a known value
(see :meth:`Status.or_else`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar, Self

from vendor_desk.domain.text import N_


@dataclass(frozen=True, slots=True)
class Status:
    """Base of the status value objects: a slug plus a table of known slugs and labels."""

    slug: str

    _LABELS: ClassVar[dict[str, str]] = {}

    def __post_init__(self) -> None:
        slug = self.slug.strip().lower()
        if slug.startswith("wc-"):  # WooCommerce's internal post-status prefix
            slug = slug[3:]
        object.__setattr__(self, "slug", slug)

    @property
    def is_unknown(self) -> bool:
        """True when the marketplace gave no usable value (empty slug)."""
        return self.slug == ""

    @property
    def is_recognised(self) -> bool:
        """True when the slug is one this version of the app knows."""
        return self.slug in self._LABELS

    @property
    def label(self) -> str:
        """Human label ("On hold"); unknown slugs are shown prettified, empty as "Unknown"."""
        if self.slug in self._LABELS:
            return self._LABELS[self.slug]
        if not self.slug:
            return N_("Unknown")
        return self.slug.replace("-", " ").replace("_", " ").capitalize()

    def or_else(self, known: Self) -> Self:
        """This status, or ``known`` when this one is unknown (an empty value never wipes)."""
        return known if self.is_unknown else self

    def __str__(self) -> str:
        return self.slug


@dataclass(frozen=True, slots=True)
class OrderStatus(Status):
    """An order status: WooCommerce's statuses plus WCFM's vendor-level ``shipped``.

    Used for both the vendor's own status of its part (``Order.vendor_status``) and the main
    WooCommerce order status (``Order.main_status``).
    """

    _LABELS: ClassVar[dict[str, str]] = {
        "pending": N_("Pending payment"),
        "processing": N_("Processing"),
        "on-hold": N_("On hold"),
        "completed": N_("Completed"),
        "cancelled": N_("Cancelled"),
        "refunded": N_("Refunded"),
        "failed": N_("Failed"),
        "checkout-draft": N_("Draft"),
        "shipped": N_("Shipped"),
    }

    UNKNOWN: ClassVar[OrderStatus]
    PENDING: ClassVar[OrderStatus]
    PROCESSING: ClassVar[OrderStatus]
    ON_HOLD: ClassVar[OrderStatus]
    COMPLETED: ClassVar[OrderStatus]
    CANCELLED: ClassVar[OrderStatus]
    REFUNDED: ClassVar[OrderStatus]
    FAILED: ClassVar[OrderStatus]
    CHECKOUT_DRAFT: ClassVar[OrderStatus]
    SHIPPED: ClassVar[OrderStatus]

    @property
    def is_woocommerce_status(self) -> bool:
        """True for statuses WooCommerce itself knows (``shipped`` is WCFM's, not WC's)."""
        return self.is_recognised and self.slug != "shipped"

    @property
    def is_closed(self) -> bool:
        """Nothing more for the vendor to do: completed, cancelled, refunded or failed."""
        return self.slug in {"completed", "cancelled", "refunded", "failed"}


OrderStatus.UNKNOWN = OrderStatus("")
OrderStatus.PENDING = OrderStatus("pending")
OrderStatus.PROCESSING = OrderStatus("processing")
OrderStatus.ON_HOLD = OrderStatus("on-hold")
OrderStatus.COMPLETED = OrderStatus("completed")
OrderStatus.CANCELLED = OrderStatus("cancelled")
OrderStatus.REFUNDED = OrderStatus("refunded")
OrderStatus.FAILED = OrderStatus("failed")
OrderStatus.CHECKOUT_DRAFT = OrderStatus("checkout-draft")
OrderStatus.SHIPPED = OrderStatus("shipped")

#: Aliases that say which of the two an attribute holds.
VendorStatus = OrderStatus
MainStatus = OrderStatus


@dataclass(frozen=True, slots=True)
class ShippingStatus(Status):
    """WCFM's per-vendor shipment state (commission ``shipping_status``)."""

    _LABELS: ClassVar[dict[str, str]] = {
        "pending": N_("Not shipped"),
        "shipped": N_("Shipped"),
        "completed": N_("Received"),
    }

    UNKNOWN: ClassVar[ShippingStatus]
    PENDING: ClassVar[ShippingStatus]
    SHIPPED: ClassVar[ShippingStatus]
    COMPLETED: ClassVar[ShippingStatus]


ShippingStatus.UNKNOWN = ShippingStatus("")
ShippingStatus.PENDING = ShippingStatus("pending")
ShippingStatus.SHIPPED = ShippingStatus("shipped")
ShippingStatus.COMPLETED = ShippingStatus("completed")


@dataclass(frozen=True, slots=True)
class PayoutState(Status):
    """The vendor's payout for the order (commission ``withdraw_status``)."""

    _LABELS: ClassVar[dict[str, str]] = {
        "pending": N_("Not paid out"),
        "requested": N_("Payout requested"),
        "completed": N_("Paid out"),
        "cancelled": N_("Payout cancelled"),
    }

    UNKNOWN: ClassVar[PayoutState]
    PENDING: ClassVar[PayoutState]
    REQUESTED: ClassVar[PayoutState]
    COMPLETED: ClassVar[PayoutState]
    CANCELLED: ClassVar[PayoutState]


PayoutState.UNKNOWN = PayoutState("")
PayoutState.PENDING = PayoutState("pending")
PayoutState.REQUESTED = PayoutState("requested")
PayoutState.COMPLETED = PayoutState("completed")
PayoutState.CANCELLED = PayoutState("cancelled")


#: WCFM's commission ``refund_status`` → the name of the :class:`RefundState` it means.
_COMMISSION_REFUND_STATES = {
    "": "NONE",
    "pending": "NONE",
    "requested": "REQUESTED",
    "completed": "PARTIALLY_REFUNDED",
    "cancelled": "REJECTED",
}


@dataclass(frozen=True, slots=True)
class RefundState(Status):
    """Refund state of one line item, from the commission row's ``refund_status`` and
    ``is_refunded`` flags. ``none`` = no refund asked (WCFM writes ``pending`` for that)."""

    _LABELS: ClassVar[dict[str, str]] = {
        "none": N_("Not refunded"),
        "requested": N_("Refund requested"),
        "partially-refunded": N_("Partially refunded"),
        "refunded": N_("Refunded"),
        "rejected": N_("Refund rejected"),
    }

    UNKNOWN: ClassVar[RefundState]
    NONE: ClassVar[RefundState]
    REQUESTED: ClassVar[RefundState]
    PARTIALLY_REFUNDED: ClassVar[RefundState]
    REFUNDED: ClassVar[RefundState]
    REJECTED: ClassVar[RefundState]

    @classmethod
    def from_commission(cls, refund_status: str, is_refunded: bool) -> RefundState:
        """Map WCFM's commission fields: ``pending`` → none, ``requested`` → requested,
        ``completed`` → refunded (partially unless ``is_refunded``), ``cancelled`` → rejected."""
        if is_refunded:
            return cls.REFUNDED
        status = refund_status.strip().lower()
        known = _COMMISSION_REFUND_STATES.get(status)
        return getattr(cls, known) if known is not None else cls(status)

    @property
    def blocks_new_request(self) -> bool:
        """An item with a pending request or a full refund cannot be asked for again."""
        return self.slug in {"requested", "refunded"}


RefundState.UNKNOWN = RefundState("")
RefundState.NONE = RefundState("none")
RefundState.REQUESTED = RefundState("requested")
RefundState.PARTIALLY_REFUNDED = RefundState("partially-refunded")
RefundState.REFUNDED = RefundState("refunded")
RefundState.REJECTED = RefundState("rejected")


class RefundMode(StrEnum):
    """Full or partial refund request (WCFM ``wcfm_refund_request``)."""

    FULL = "full"
    PARTIAL = "partial"


class RefundRequestStatus(StrEnum):
    """State of a refund request row: waiting for the admin, approved or rejected.

    The marketplace's own words are ``requested``/``completed``/``cancelled``; see
    :meth:`from_marketplace` and :attr:`marketplace_value`.
    """

    REQUESTED = "requested"
    APPROVED = "approved"
    REJECTED = "rejected"

    @classmethod
    def from_marketplace(cls, value: str) -> RefundRequestStatus:
        mapping = {
            "requested": cls.REQUESTED,
            "completed": cls.APPROVED,
            "approved": cls.APPROVED,
            "cancelled": cls.REJECTED,
            "rejected": cls.REJECTED,
        }
        try:
            return mapping[value.strip().lower()]
        except KeyError:
            raise ValueError(f"unknown refund request status {value!r}") from None

    @property
    def marketplace_value(self) -> str:
        words = {"requested": "requested", "approved": "completed", "rejected": "cancelled"}
        return words[self.value]


class AuthMethod(StrEnum):
    """How the app signs in to the marketplace."""

    JWT = "jwt"  # login password → JWT Bearer token (JWT plugin)
    COOKIE = "cookie"  # login password → wp-login.php cookie session + nonces
    APP_PASSWORD = "app-password"  # WordPress application password (read only)
