"""The vendor's view of the marketplace: orders, line items, notes, notifications, refunds …

All types are frozen dataclasses; money is :class:`Money`, datetimes are timezone-aware. They are
built by the marketplace client from the marketplace's JSON and by the cache from its rows.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from vendor_desk.domain.money import Money
from vendor_desk.domain.statuses import (
    AuthMethod,
    OrderStatus,
    PayoutState,
    RefundMode,
    RefundRequestStatus,
    RefundState,
    ShippingStatus,
)


@dataclass(frozen=True, slots=True)
class Address:
    """A postal address as WooCommerce stores it (``state`` is the state *name*)."""

    first_name: str = ""
    last_name: str = ""
    company: str = ""
    address_1: str = ""
    address_2: str = ""
    city: str = ""
    state: str = ""
    postcode: str = ""
    country: str = ""
    email: str = ""
    phone: str = ""

    @property
    def name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)

    @property
    def is_empty(self) -> bool:
        return not any((self.address_1, self.address_2, self.city, self.postcode, self.country))

    def lines(self) -> list[str]:
        """The address as printable lines (empty parts left out)."""
        city_line = " ".join(part for part in (self.postcode, self.city) if part)
        if self.state:
            city_line = f"{city_line}, {self.state}" if city_line else self.state
        candidates = [
            self.name,
            self.company,
            self.address_1,
            self.address_2,
            city_line,
            self.country,
        ]
        return [line for line in candidates if line]


@dataclass(frozen=True, slots=True)
class LineItem:
    """One of the vendor's own items in an order.

    ``item_id`` is WooCommerce's order item id — the key for shipping and refunds.
    ``commission`` is the vendor's earning for the item (None when the marketplace hides it).
    ``shippable`` is None when the marketplace did not say (it lists only shippable items in
    ``shipment_tracking``, and only while the order can be shipped).
    """

    item_id: int
    product_id: int
    variation_id: int
    name: str
    sku: str
    quantity: int
    subtotal: Money
    total: Money
    tax: Money
    price: Money
    commission: Money | None
    refund_state: RefundState = RefundState.UNKNOWN
    refunded_quantity: int | None = None
    refunded_amount: Money | None = None
    tracking_code: str = ""
    tracking_url: str = ""
    shippable: bool | None = None

    @property
    def has_tracking(self) -> bool:
        return bool(self.tracking_code or self.tracking_url)

    @property
    def is_virtual(self) -> bool | None:
        """True for items that need no shipping (e-books …); None when not known."""
        return None if self.shippable is None else not self.shippable


@dataclass(frozen=True, slots=True)
class Order:
    """An order as one vendor sees it.

    The whole-order figures (``total``, ``shipping_total``) cover every vendor's items; the
    vendor's share is ``items_total`` and ``earning``. ``vendor_status`` is the vendor's own status
    of its part; ``main_status`` is the WooCommerce order status. Fields the route that produced
    the object does not carry are "unknown" (empty status, ``None``) — merge them with a known
    copy via :meth:`fill_unknown_from` instead of overwriting.
    """

    id: int
    number: str
    vendor_status: OrderStatus
    main_status: OrderStatus
    currency: str
    date_created: datetime
    date_modified: datetime | None
    date_paid: datetime | None
    date_completed: datetime | None
    payment_method: str
    payment_method_title: str
    customer_id: int
    billing: Address
    shipping: Address
    customer_note: str
    total: Money
    shipping_total: Money
    items_total: Money
    earning: Money | None
    items: tuple[LineItem, ...]
    split: bool
    payout_state: PayoutState = PayoutState.UNKNOWN
    shipping_status: ShippingStatus = ShippingStatus.UNKNOWN
    refund_requested: bool = False
    #: Order item ids of other vendors' items the marketplace let slip (shipment_tracking).
    foreign_item_ids: tuple[int, ...] = ()
    #: The store admin moved the order to the trash: it left the vendor's order list while the
    #: single-order route still answers. The list says False (a trashed order is never listed);
    #: None when the route that produced this copy cannot tell (the single-order route: the
    #: ``_wp_trash_meta_*`` keys stay after a restore), see ``Syncer``.
    trashed: bool | None = None
    #: The marketplace no longer has the order for this vendor (deleted for good, or not the
    #: vendor's any more): what the app shows is its last copy. Known to the cache only
    #: (``orders.vanished_at``); never set from the marketplace's answers.
    vanished: bool = False
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    # ------------------------------------------------------------- customer
    @property
    def customer_name(self) -> str:
        return self.billing.name or self.shipping.name

    @property
    def customer_email(self) -> str:
        return self.billing.email

    @property
    def customer_phone(self) -> str:
        return self.billing.phone or self.shipping.phone

    # ---------------------------------------------------------------- state
    @property
    def is_paid(self) -> bool:
        """True once the marketplace recorded a payment date (COD orders stay unpaid)."""
        return self.date_paid is not None

    @property
    def own_item_ids(self) -> frozenset[int]:
        return frozenset(item.item_id for item in self.items)

    def item(self, item_id: int) -> LineItem | None:
        for item in self.items:
            if item.item_id == item_id:
                return item
        return None

    @property
    def is_shipped(self) -> bool:
        """The vendor's part counts as shipped (status, shipment state or all tracking set)."""
        if self.vendor_status == OrderStatus.SHIPPED:
            return True
        if self.shipping_status in (ShippingStatus.SHIPPED, ShippingStatus.COMPLETED):
            return True
        shippable = [item for item in self.items if item.shippable is not False]
        return bool(shippable) and all(item.has_tracking for item in shippable)

    # ---------------------------------------------------------------- merge
    def fill_unknown_from(self, known: Order) -> Order:
        """This order with every field it does not know taken from ``known`` (same order).

        The single-order route has no main status, payout or per-item refund data, nor whether
        the order is in the trash, and under application passwords not even the vendor status;
        a refresh through it must not wipe what the list route told us earlier. ``vanished``
        stays this copy's (an answer from the marketplace means the order is there).
        """
        if known.id != self.id:
            raise ValueError("fill_unknown_from() needs the same order")
        known_items = {item.item_id: item for item in known.items}
        items = []
        for item in self.items:
            previous = known_items.get(item.item_id)
            if previous is None:
                items.append(item)
                continue
            items.append(
                dataclasses.replace(
                    item,
                    refund_state=item.refund_state.or_else(previous.refund_state),
                    refunded_quantity=(
                        item.refunded_quantity
                        if item.refunded_quantity is not None
                        else previous.refunded_quantity
                    ),
                    refunded_amount=item.refunded_amount or previous.refunded_amount,
                    shippable=item.shippable if item.shippable is not None else previous.shippable,
                )
            )
        return dataclasses.replace(
            self,
            vendor_status=self.vendor_status.or_else(known.vendor_status),
            main_status=self.main_status.or_else(known.main_status),
            payout_state=self.payout_state.or_else(known.payout_state),
            shipping_status=self.shipping_status.or_else(known.shipping_status),
            earning=self.earning if self.earning is not None else known.earning,
            items=tuple(items),
            trashed=self.trashed if self.trashed is not None else known.trashed,
        )


@dataclass(frozen=True, slots=True)
class Note:
    """An order note. ``text`` is plain text derived from the marketplace's HTML ``html``."""

    id: int
    order_id: int
    date: datetime
    text: str
    customer_visible: bool
    author: str
    html: str = ""

    @property
    def is_system(self) -> bool:
        return self.author == "system"


class NoteKind(StrEnum):
    """The two kinds of note a vendor can add."""

    PRIVATE = "private"
    CUSTOMER = "customer"  # the customer receives it by e-mail


@dataclass(frozen=True, slots=True)
class Notification:
    """An entry of the WCFM notification board ("You have received an Order #24 …")."""

    id: int
    message: str
    type: str
    created: datetime
    read: bool

    @property
    def order_id(self) -> int | None:
        """The order number mentioned in the message ("Order #24", "#22 order item"), if any."""
        marker = self.message.find("#")
        if marker < 0:
            return None
        digits = ""
        for char in self.message[marker + 1 :]:
            if not char.isdigit():
                break
            digits += char
        return int(digits) if digits else None


@dataclass(frozen=True, slots=True)
class RefundRequest:
    """A refund request the vendor filed (waiting for the admin, approved or rejected).

    The marketplace's vendor list does not show the item; ``item_id`` is None then.
    """

    id: int
    order_id: int
    amount: Money
    mode: RefundMode
    reason: str
    status: RefundRequestStatus
    date: datetime | None
    item_id: int | None = None


@dataclass(frozen=True, slots=True)
class RefundLine:
    """One item of a refund request the vendor is about to file."""

    item_id: int
    quantity: int
    amount: Money


@dataclass(frozen=True, slots=True)
class SalesPeriods:
    week: Money
    month: Money
    last_month: Money


@dataclass(frozen=True, slots=True)
class SalesStats:
    """The marketplace's sales summary (only vendor-completed items count)."""

    gross_sales: SalesPeriods
    earnings: SalesPeriods
    currency: str


@dataclass(frozen=True, slots=True)
class StoreAddress:
    street_1: str = ""
    street_2: str = ""
    city: str = ""
    zip: str = ""
    state: str = ""
    country: str = ""

    def lines(self) -> list[str]:
        city_line = " ".join(part for part in (self.zip, self.city) if part)
        if self.state:
            city_line = f"{city_line}, {self.state}" if city_line else self.state
        return [line for line in (self.street_1, self.street_2, city_line, self.country) if line]


@dataclass(frozen=True, slots=True)
class StoreSettings:
    """The vendor's store profile: what goes on invoices and slips."""

    store_name: str
    store_slug: str
    email: str
    phone: str
    address: StoreAddress
    description: str = ""


@dataclass(frozen=True, slots=True)
class VendorIdentity:
    """Who is signed in: the vendor id is the WordPress user id."""

    vendor_id: int
    login: str
    store_name: str
    display_name: str
    auth_method: AuthMethod
    email: str = ""


@dataclass(frozen=True, slots=True)
class Capabilities:
    """What the marketplace offers this app.

    ``ultimate`` is None when it could not be told (e.g. a vendor without any order yet and no
    marker on the dashboard page); writes that need it then find out on first use.
    """

    jwt_available: bool
    ultimate: bool | None
    dashboard_available: bool = True

    @property
    def can_add_notes(self) -> bool:
        return self.ultimate is not False

    @property
    def can_add_tracking(self) -> bool:
        return self.ultimate is not False
