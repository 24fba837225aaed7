"""The simulated marketplace's database: dataclasses shaped like WordPress/WooCommerce/WCFM tables.

This module is the shared schema of the simulator. The REST routes, the dashboard (admin-ajax)
surface, the datasets and the control surface all read and write a :class:`MarketplaceState`.
Everything is held in memory; every access goes through ``state.lock``.

Shapes follow the real stack (see ``shared/marketplace/wcfm-api.md``):

* A WooCommerce order (:class:`Order`) holds **all** line items of all vendors; each item knows
  its vendor (item meta ``_vendor_id``).
* WCFM keeps one commission row (:class:`CommissionRow`) per (order, vendor line item). The
  vendor's own status of its part of the order is ``commission_status``; the main order status
  is mirrored in ``order_status``.
* Notes are WooCommerce order notes (comments); notifications are WCFM messages.

Money is ``Decimal``; datetimes are timezone-aware UTC (the recorded site runs on UTC).
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Literal

Edition = Literal["ultimate", "free"]
Role = Literal["administrator", "wcfm_vendor", "customer", "shop_staff"]

#: WooCommerce order statuses (without the ``wc-`` prefix), as ``wc_get_order_statuses()``.
WC_ORDER_STATUSES: dict[str, str] = {
    "pending": "Pending payment",
    "processing": "Processing",
    "on-hold": "On hold",
    "completed": "Completed",
    "cancelled": "Cancelled",
    "refunded": "Refunded",
    "failed": "Failed",
    "checkout-draft": "Draft",
}


#: Names of the id sequences of :meth:`MarketplaceState.next_id`. WordPress keeps one
#: auto-increment counter per table, and the recordings show each of them, so each has its own.
SEQ_POST = "post"  # wp_posts: products, variations, orders, refunds
SEQ_POST_META = "meta"  # wp_postmeta: order meta (``_wcfm_refund_request`` …), product meta
SEQ_ORDER_ITEM = "order_item"  # woocommerce_order_items: line, shipping, fee, coupon, tax items
SEQ_ITEM_META = "item_meta"  # woocommerce_order_itemmeta (``_vendor_id``, ``wcfm_tracking_code`` …)
SEQ_COMMENT = "comment"  # wp_comments: order notes
SEQ_COMMISSION = "commission"  # wcfm_marketplace_orders
SEQ_MESSAGE = "message"  # wcfm_messages
SEQ_REFUND_REQUEST = "refund"  # wcfm_marketplace_refund_request
SEQ_USER = "user"  # wp_users


def utcnow() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


@dataclass
class MetaEntry:
    """One WordPress meta row as WooCommerce exposes it: ``{"id", "key", "value"}``."""

    id: int
    key: str
    value: Any


@dataclass
class Address:
    first_name: str = ""
    last_name: str = ""
    company: str = ""
    address_1: str = ""
    address_2: str = ""
    city: str = ""
    state: str = ""  # the state *name* ("California"), as the REST add-on returns it
    postcode: str = ""
    country: str = ""
    email: str = ""  # billing only
    phone: str = ""


@dataclass
class StoreProfile:
    """A vendor's ``wcfmmp_profile_settings`` (GET /settings/id/{id})."""

    store_name: str
    store_slug: str
    store_email: str
    phone: str = ""
    street_1: str = ""
    city: str = ""
    zip: str = ""
    country: str = ""
    state: str = ""  # code, e.g. "CA"
    payment_method: str = "bank_transfer"
    shop_description: str = ""


@dataclass
class User:
    id: int
    login: str
    email: str
    display_name: str
    first_name: str
    last_name: str
    role: Role
    password: str  # login password (``<login>-pass-123`` on the recorded site)
    app_password: str  # WordPress application password (HTTP Basic only)
    nicename: str = ""
    store: StoreProfile | None = None  # vendors only
    billing: Address = field(default_factory=Address)
    shipping: Address = field(default_factory=Address)
    #: True until the vendor's first visit to /store-manager/ (the store-setup wizard redirect).
    store_setup_pending: bool = False
    #: User meta ``_wcfm_vendor_last_invoice_no`` (WCFM Ultimate store invoices), vendors only.
    last_store_invoice_no: int = 0
    #: ``user_registered`` (the user-profile route's ``date_created``).
    registered: datetime | None = None

    @property
    def is_vendor(self) -> bool:
        return self.role == "wcfm_vendor"


@dataclass
class Product:
    id: int
    name: str
    sku: str
    price: Decimal
    vendor_id: int
    virtual: bool = False
    downloadable: bool = False
    stock: int | None = 100
    slug: str = ""
    #: ``simple``, ``variable`` (a parent) or ``variation`` (a child of ``parent_id``).
    type: str = "simple"
    parent_id: int = 0
    #: A variation's attributes as shown on order items, e.g. ``{"Size": "L"}``.
    attributes: dict[str, str] = field(default_factory=dict)
    weight: str = ""
    total_sales: int = 0
    date_created: datetime | None = None
    date_modified: datetime | None = None
    meta: list[MetaEntry] = field(default_factory=list)


@dataclass
class OrderItem:
    """A WooCommerce ``line_item``; ``id`` is the order item id (the key for shipping, refunds)."""

    id: int
    order_id: int
    product_id: int
    name: str
    sku: str
    quantity: int
    subtotal: Decimal
    total: Decimal
    vendor_id: int
    variation_id: int = 0
    subtotal_tax: Decimal = Decimal("0")
    total_tax: Decimal = Decimal("0")
    tax_class: str = ""
    virtual: bool = False
    #: Item meta, in order (``_vendor_id``, ``_reduced_stock``, ``_wcfmmp_order_item_processed``,
    #: later ``wcfm_tracking_code`` / ``wcfm_tracking_url``, variation attributes …).
    meta: list[MetaEntry] = field(default_factory=list)

    def meta_value(self, key: str) -> Any:
        for entry in self.meta:
            if entry.key == key:
                return entry.value
        return None


@dataclass
class ShippingLine:
    id: int
    method_title: str
    method_id: str
    total: Decimal
    total_tax: Decimal = Decimal("0")
    instance_id: str = ""
    vendor_id: int | None = None  # None: not tagged with a vendor (hidden from vendors)
    meta: list[MetaEntry] = field(default_factory=list)


@dataclass
class FeeLine:
    id: int
    name: str
    total: Decimal
    total_tax: Decimal = Decimal("0")


@dataclass
class CouponLine:
    id: int
    code: str
    discount: Decimal
    discount_tax: Decimal = Decimal("0")


@dataclass
class TaxLine:
    id: int
    rate_code: str
    rate_id: int
    label: str
    compound: bool
    tax_total: Decimal
    shipping_tax_total: Decimal = Decimal("0")
    rate_percent: Decimal = Decimal("0")


@dataclass
class RefundLine:
    """One line of a WooCommerce refund: how much of which order item was refunded."""

    item_id: int
    quantity: int
    refund_total: Decimal
    refund_tax: Decimal = Decimal("0")


@dataclass
class Refund:
    """A WooCommerce refund (``shop_order_refund``, ``wc_create_refund``) of an order."""

    id: int
    order_id: int
    amount: Decimal
    reason: str
    date_created: datetime
    refunded_by: int = 0
    lines: list[RefundLine] = field(default_factory=list)
    restocked: bool = True


@dataclass
class Order:
    """A WooCommerce order (``shop_order`` post). Totals are whole-order figures."""

    id: int
    status: str  # main WC status, without ``wc-``
    customer_id: int
    billing: Address
    shipping: Address
    date_created: datetime
    date_modified: datetime
    currency: str = "USD"
    order_key: str = ""
    payment_method: str = "cod"
    payment_method_title: str = "Cash on delivery"
    transaction_id: str = ""
    customer_note: str = ""
    created_via: str = "checkout"
    prices_include_tax: bool = False
    date_paid: datetime | None = None
    date_completed: datetime | None = None
    discount_total: Decimal = Decimal("0")
    discount_tax: Decimal = Decimal("0")
    shipping_total: Decimal = Decimal("0")
    shipping_tax: Decimal = Decimal("0")
    cart_tax: Decimal = Decimal("0")
    total: Decimal = Decimal("0")
    total_tax: Decimal = Decimal("0")
    items: list[OrderItem] = field(default_factory=list)
    shipping_lines: list[ShippingLine] = field(default_factory=list)
    fee_lines: list[FeeLine] = field(default_factory=list)
    coupon_lines: list[CouponLine] = field(default_factory=list)
    tax_lines: list[TaxLine] = field(default_factory=list)
    meta: list[MetaEntry] = field(default_factory=list)
    #: In the admin's trash (post status ``trash``); ``status`` keeps the status it had, which
    #: ``_wp_trash_meta_status`` holds too.
    is_trashed: bool = False
    #: WooCommerce refunds of this order, oldest first (not part of the REST order JSON).
    refunds: list[Refund] = field(default_factory=list)
    #: WooCommerce grants download permissions once an order reaches processing/completed.
    download_permissions_granted: bool = False
    # WooCommerce order data shown as-is in the REST order JSON (simulator core).
    customer_ip_address: str = ""
    customer_user_agent: str = ""
    cart_hash: str = ""
    order_stock_reduced: bool = True
    new_order_email_sent: bool = True
    recorded_sales: bool = True
    recorded_coupon_usage_counts: bool = True
    user_delivery_location: str = ""  # order meta ``_wcfmmp_user_location``

    def vendor_ids(self) -> list[int]:
        seen: list[int] = []
        for item in self.items:
            if item.vendor_id not in seen:
                seen.append(item.vendor_id)
        return seen

    def items_of(self, vendor_id: int) -> list[OrderItem]:
        return [item for item in self.items if item.vendor_id == vendor_id]

    def item(self, item_id: int) -> OrderItem | None:
        for item in self.items:
            if item.id == item_id:
                return item
        return None

    def meta_value(self, key: str) -> Any:
        for entry in self.meta:
            if entry.key == key:
                return entry.value
        return None


@dataclass
class Note:
    """A WooCommerce order note. ``content`` is HTML, as stored by WordPress."""

    id: int
    order_id: int
    content: str
    customer_note: bool
    added_by: str  # "system" or the author's display name / store name
    date_created: datetime
    author_user_id: int | None = None  # the WP user who wrote it (None = system)
    vendor_id: int | None = None  # ``_vendor_id`` comment meta, when a vendor action made it
    #: Trashed with its order (``post-trashed``): no route lists it any more, and restoring the
    #: order through the REST API (a status change) leaves it so.
    trashed: bool = False


@dataclass
class CommissionRow:
    """One row of ``wp_wcfm_marketplace_orders`` (one vendor line item). Money as Decimal."""

    ID: int
    vendor_id: int
    order_id: int
    customer_id: int
    payment_method: str
    product_id: int
    variation_id: int
    quantity: int
    product_price: Decimal
    purchase_price: Decimal
    item_id: int
    item_sub_total: Decimal
    item_total: Decimal
    commission_amount: Decimal
    total_commission: Decimal
    order_status: str  # mirror of the main WC status
    commission_status: str  # the vendor's own status of its part
    created: datetime
    item_type: str = "line_item"
    shipping: Decimal = Decimal("0")
    tax: Decimal = Decimal("0")
    shipping_tax_amount: Decimal = Decimal("0")
    discount_amount: Decimal = Decimal("0")
    discount_type: str = ""
    other_amount: Decimal = Decimal("0")
    other_amount_type: str = ""
    withdrawal_id: int = 0
    refunded_id: int = 0
    refunded_amount: Decimal = Decimal("0")
    withdraw_charges: Decimal = Decimal("0")
    shipping_status: str = "pending"  # pending / shipped / completed
    withdraw_status: str = "pending"  # pending / requested / completed / cancelled
    refund_status: str = "pending"  # pending / requested / completed / cancelled
    is_refunded: bool = False
    is_partially_refunded: bool = False
    is_withdrawable: bool = True
    is_auto_withdrawal: bool = False
    is_trashed: bool = False
    commission_paid_date: datetime | None = None


@dataclass
class Message:
    """A WCFM message (``wp_wcfm_messages``): notifications and direct messages."""

    ID: int
    message: str  # HTML
    author_id: int  # -1 system->vendor, -2 system->admin, else a user id
    message_to: int  # 0 admin, -1 all vendors, else a user id
    message_type: str  # order, status-update, refund-request, direct, shipment_tracking, notice …
    created: datetime
    reply_to: int = 0
    author_is_admin: bool = False
    author_is_vendor: bool = False
    author_is_customer: bool = False
    is_notice: bool = False
    is_direct_message: bool = True
    is_pined: bool = False
    #: ``wp_wcfm_messages_modifier``: user id -> when that user marked it read.
    read_by: dict[int, datetime] = field(default_factory=dict)


@dataclass
class RefundRequest:
    """A row of ``wp_wcfm_marketplace_refund_request`` (one per item) plus its meta."""

    ID: int
    vendor_id: int
    requested_by: int
    order_id: int
    commission_id: int
    item_id: int
    refunded_amount: Decimal
    refund_reason: str
    is_partially_refunded: bool
    created: datetime
    refunded_qty: int = 0
    refunded_tax: Decimal = Decimal("0")
    refund_status: str = "requested"  # requested / completed (approved) / cancelled (rejected)
    approved_by: int = 0
    refund_paid_date: datetime | None = None


@dataclass
class Mail:
    """An e-mail the marketplace would have sent (recorded instead of sent)."""

    to: str
    subject: str
    body: str
    sent: datetime
    attachments: list[str] = field(default_factory=list)


@dataclass
class SiteSettings:
    site_url: str = "http://127.0.0.1"
    site_name: str = "WCFM Peer Test Market"
    #: WordPress' language: "fr" writes WooCommerce's notes and gateway titles in French.
    language: str = "en"
    edition: Edition = "ultimate"
    currency: str = "USD"
    order_sync: bool = False  # wcfm_marketplace_options[order_sync]
    commission_percent: Decimal = Decimal("90")
    jwt_secret: str = "sandbox-jwt-secret"
    jwt_lifetime_seconds: int = 7 * 24 * 3600
    store_invoice: bool = True  # admin setting "Store Invoice" (Ultimate + PDF plugin)
    #: WCFM's marketplace shipping by vendor: each vendor's package is its own shipping line,
    #: tagged with the vendor (vendors see theirs); off, an order has one untagged line that
    #: vendors do not see (the recorded site).
    vendor_shipping: bool = False
    #: With vendor shipping: a package ships free from this subtotal on (None: never).
    free_shipping_over: Decimal | None = None
    #: WordPress' ``COOKIEHASH`` (suffix of the auth cookie names); empty = md5 of ``site_url``,
    #: as WordPress computes it unless wp-config.php defines it.
    cookie_hash: str = ""


class MarketplaceState:
    """The whole simulated marketplace. Hold ``lock`` for every read and write."""

    def __init__(self, settings: SiteSettings | None = None) -> None:
        self.lock = threading.RLock()
        self.settings = settings or SiteSettings()
        self.users: dict[int, User] = {}
        self.products: dict[int, Product] = {}
        self.orders: dict[int, Order] = {}
        self.notes: dict[int, list[Note]] = {}  # order id -> notes, oldest first
        self.commissions: dict[int, CommissionRow] = {}  # commission ID -> row
        self.messages: list[Message] = []  # oldest first
        self.refund_requests: dict[int, RefundRequest] = {}
        #: Every ``wcfm_refund_requests_form`` string the refund controller received, oldest
        #: first (tests compare them with the real dashboard's form).
        self.refund_forms: list[str] = []
        self.mails: list[Mail] = []
        #: Files under ``wp-content/uploads`` (path relative to the site root, e.g.
        #: ``wp-content/uploads/wcfm/vendor_invoice/…/invoice-000001.pdf``) -> content.
        self.uploads: dict[str, bytes] = {}
        # Indexes kept up to date by add_order()/add_commission(): vendor id -> order ids,
        # ascending; order id -> commission IDs. Paging a vendor's orders costs O(page size).
        self._vendor_order_ids: dict[int, list[int]] = {}
        self._order_commissions: dict[int, list[int]] = {}
        # vendor id -> ids of the vendor's orders its list does not show (the order trashed, or
        # every row of the vendor trashed: a cancelled order), ascending; kept by
        # update_visibility(). Lets a list page skip to its offset among the visible orders.
        self._vendor_hidden_ids: dict[int, list[int]] = {}
        self._counters: dict[str, int] = {}

    # ----------------------------------------------------------------- ids
    def next_id(self, sequence: str, minimum: int = 1) -> int:
        """Next value of a named id sequence (``post``, ``order_item``, ``meta``, ``comment``,
        ``commission``, ``message``, ``refund``, ``user``, ``product``; see the ``SEQ_*``
        constants: order item meta has its own ``item_meta`` sequence). Never reuses a value."""
        with self.lock:
            value = max(self._counters.get(sequence, 0) + 1, minimum)
            self._counters[sequence] = value
            return value

    def reserve_ids(self, sequence: str, count: int) -> int:
        """Take ``count`` consecutive values of a sequence at once; returns the first one."""
        with self.lock:
            first = self._counters.get(sequence, 0) + 1
            self._counters[sequence] = first + count - 1
            return first

    def peek_id(self, sequence: str) -> int:
        """The last value taken from a sequence (0 if none)."""
        with self.lock:
            return self._counters.get(sequence, 0)

    def bump_id(self, sequence: str, used: int) -> None:
        """Record that ``used`` was taken by a seeded row, so ``next_id`` continues after it."""
        with self.lock:
            if used > self._counters.get(sequence, 0):
                self._counters[sequence] = used

    # -------------------------------------------------------------- lookups
    def user_by_login(self, login: str) -> User | None:
        for user in self.users.values():
            if user.login == login or user.email == login:
                return user
        return None

    def vendors(self) -> list[User]:
        return [user for user in self.users.values() if user.is_vendor]

    # --------------------------------------------------------------- orders
    def add_order(self, order: Order) -> None:
        """Insert an order (with its items); commission rows are added with add_commission()."""
        with self.lock:
            self.orders[order.id] = order
            self.notes.setdefault(order.id, [])
            self.bump_id("post", order.id)

    def remove_order(self, order_id: int) -> Order | None:
        """Delete an order for good with its commission rows and notes (WooCommerce's
        ``wp_delete_post`` + WCFM's commission clean-up); returns the removed order."""
        with self.lock:
            order = self.orders.pop(order_id, None)
            self.notes.pop(order_id, None)
            for row_id in self._order_commissions.pop(order_id, []):
                row = self.commissions.pop(row_id, None)
                if row is None:
                    continue
                vendor_orders = self._vendor_order_ids.get(row.vendor_id, [])
                pos = bisect.bisect_left(vendor_orders, order_id)
                if pos < len(vendor_orders) and vendor_orders[pos] == order_id:
                    vendor_orders.pop(pos)
                _discard_sorted(self._vendor_hidden_ids.get(row.vendor_id, []), order_id)
            return order

    def add_commission(self, row: CommissionRow) -> None:
        with self.lock:
            self.commissions[row.ID] = row
            self.bump_id("commission", row.ID)
            ids = self._order_commissions.setdefault(row.order_id, [])
            if row.ID not in ids:
                ids.append(row.ID)
            vendor_orders = self._vendor_order_ids.setdefault(row.vendor_id, [])
            pos = bisect.bisect_left(vendor_orders, row.order_id)
            if pos == len(vendor_orders) or vendor_orders[pos] != row.order_id:
                vendor_orders.insert(pos, row.order_id)
            if row.is_trashed or self._vendor_hidden_ids.get(row.vendor_id):
                self.update_visibility(row.order_id)

    def update_visibility(self, order_id: int) -> None:
        """Record whether each vendor's list shows the order, after its ``is_trashed`` flags
        (the order's or its commission rows') changed. Whoever sets those flags calls this."""
        with self.lock:
            order = self.orders.get(order_id)
            rows = self.commissions_of_order(order_id)
            for vendor_id in {row.vendor_id for row in rows}:
                hidden = (
                    order is None
                    or order.is_trashed
                    or all(row.is_trashed for row in rows if row.vendor_id == vendor_id)
                )
                ids = self._vendor_hidden_ids.setdefault(vendor_id, [])
                if hidden:
                    pos = bisect.bisect_left(ids, order_id)
                    if pos == len(ids) or ids[pos] != order_id:
                        ids.insert(pos, order_id)
                else:
                    _discard_sorted(ids, order_id)

    def commissions_of_order(
        self, order_id: int, vendor_id: int | None = None
    ) -> list[CommissionRow]:
        rows = [self.commissions[i] for i in self._order_commissions.get(order_id, [])]
        if vendor_id is not None:
            rows = [row for row in rows if row.vendor_id == vendor_id]
        return rows

    def vendor_order_ids(self, vendor_id: int) -> list[int]:
        """The vendor's order ids (orders with a commission row of theirs), ascending.

        The returned list is the live index: do not modify it.
        """
        return self._vendor_order_ids.get(vendor_id, [])

    def iter_vendor_order_ids_desc(self, vendor_id: int, offset: int = 0) -> Iterator[int]:
        """The vendor's order ids, newest first, after the newest ``offset`` orders its list
        shows (as SQL's ``OFFSET`` over the visible rows: hidden orders do not count). Hidden
        orders after that point are yielded too: the caller skips them."""
        ids = self.vendor_order_ids(vendor_id)
        hidden = self._vendor_hidden_ids.get(vendor_id, [])
        skip = offset
        while 0 < skip < len(ids):  # the newest `skip` ids must hold `offset` visible ones
            wanted = offset + len(hidden) - bisect.bisect_left(hidden, ids[len(ids) - skip])
            if wanted == skip:
                break
            skip = wanted
        for index in range(len(ids) - 1 - skip, -1, -1):
            yield ids[index]

    def is_order_for_vendor(self, order_id: int, vendor_id: int) -> bool:
        return any(not row.is_trashed for row in self.commissions_of_order(order_id, vendor_id))

    # ---------------------------------------------------------------- notes
    def add_note(self, note: Note) -> None:
        with self.lock:
            self.notes.setdefault(note.order_id, []).append(note)
            self.bump_id("comment", note.id)

    # ------------------------------------------------------------- messages
    def add_message(self, message: Message) -> None:
        with self.lock:
            self.messages.append(message)
            self.bump_id("message", message.ID)

    def record_mail(
        self, to: str, subject: str, body: str, attachments: list[str] | None = None
    ) -> None:
        with self.lock:
            self.mails.append(Mail(to, subject, body, utcnow(), list(attachments or [])))


def _discard_sorted(values: list[int], value: int) -> None:
    pos = bisect.bisect_left(values, value)
    if pos < len(values) and values[pos] == value:
        values.pop(pos)
