"""What the store admin does to orders behind the vendors' backs, through WooCommerce's own API
(``/wp-json/wc/v3/orders…``, the admin's application password) or wp-admin: move an order to the
trash and back, delete it for good, refund it, change its addresses, add a note, create one.

The effects are those a real site showed (recordings 160–233, described in
``shared/marketplace/real-server.md``, "Changes made behind the vendor's back"), in particular
what the vendor can then read:

* **trash** (DELETE without ``force``): the order's commission rows get ``is_trashed``, so the
  vendor's list drops it, while the single GET still answers 200 with the vendor status it had
  and the ``_wp_trash_meta_*`` keys in ``meta_data``; its notes are trashed too. No note, no
  notification. **Restore** = a status PUT on the trashed order (wc/v3 has no untrash route):
  the rows lose ``is_trashed``, the leftover ``_wp_trash_meta_*`` keys stay, and the vendors get
  "#N order status updated to …";
* **delete for good** (``force=true``): order, rows and notes gone: the vendor's GET is the 404
  ``wcfmapi_rest_invalid_vendor`` of a foreign order;
* **refund**: a WooCommerce refund record. A partial one changes nothing a vendor can read but
  ``date_modified``; the one that leaves nothing to refund turns the order ``refunded`` (rows
  follow the main status; ``is_refunded``, ``refund_status`` and the commission stay);
* **cancel** is a main status change (:func:`operations.set_main_status`): rows ``cancelled``
  and ``is_trashed``, stock given back, no ``shipment_tracking`` any more;
* **addresses**: new values (a US state given as its code is stored as its name), and
  ``date_modified`` does not move;
* **notes** written by the admin are WooCommerce's ("system") and invisible to a JWT vendor;
* **a new order** is processed by WCFM like a checkout (commission rows, notifications, mails,
  store invoice).

Callers hold ``state.lock``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from decimal import Decimal, InvalidOperation
from typing import Any

from vendor_desk.sandbox import invoices, operations
from vendor_desk.sandbox.model import (
    SEQ_POST,
    Address,
    MarketplaceState,
    Note,
    Order,
    Refund,
    utcnow,
)
from vendor_desk.sandbox.render import US_STATES

#: Order meta WordPress writes when a post goes to the trash (file 163).
TRASH_META_KEYS = (
    "_wp_trash_meta_status",
    "_wp_trash_meta_time",
    "_wp_desired_post_slug",
    "_wp_trash_meta_comments_status",
)
_STATE_NAMES = {code: name for name, code in US_STATES.items()}
_ADDRESS_FIELDS = tuple(f.name for f in fields(Address))
#: Meta written when WCFM processes a new order, in the order a REST-created one shows them
#: (file 230): processed and notified first, the order mail's documents, then "email triggered".
_NEW_ORDER_META_RANK = {
    "_wcfmmp_order_processed": 0,
    "_wcfm_new_order_notified": 1,
    "_wcfmmp_order_email_triggered": 3,
}


class AdminError(Exception):
    """A request WooCommerce refuses: its error ``code``, ``message`` and HTTP ``status``."""

    def __init__(self, code: str, message: str, status: int) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


def _order(state: MarketplaceState, order_id: int) -> Order:
    order = state.orders.get(order_id)
    if order is None:
        raise AdminError("woocommerce_rest_shop_order_invalid_id", "Invalid ID.", 404)
    return order


# ------------------------------------------------------------------------------ trash
def trash_order(state: MarketplaceState, order_id: int) -> None:
    """``wp_trash_post`` of an order (DELETE without ``force``)."""
    order = _order(state, order_id)
    if order.is_trashed:
        raise AdminError(
            "woocommerce_rest_already_trashed", "The order has already been deleted.", 410
        )
    now = utcnow()
    notes = [note for note in state.notes.get(order_id, []) if not note.trashed]
    slug = "order-" + order.date_created.strftime("%b-%d-%Y-%I%M-%p").lower()
    operations.set_order_meta(state, order, "_wp_trash_meta_status", f"wc-{order.status}")
    operations.set_order_meta(state, order, "_wp_trash_meta_time", str(int(now.timestamp())))
    operations.set_order_meta(state, order, "_wp_desired_post_slug", slug)
    operations.set_order_meta(
        state, order, "_wp_trash_meta_comments_status", {str(note.id): "1" for note in notes}
    )
    for note in notes:
        note.trashed = True
    for row in state.commissions_of_order(order_id):
        row.is_trashed = True
    order.is_trashed = True
    state.update_visibility(order_id)
    order.date_modified = now


def restore_order(state: MarketplaceState, order_id: int, status: str | None = None) -> None:
    """Take an order out of the trash the only way wc/v3 can: a status PUT (file 167), by
    default to the status it had. Raises :class:`AdminError` when it is not in the trash."""
    order = _order(state, order_id)
    if not order.is_trashed:
        raise AdminError("woocommerce_rest_not_trashed", "The order is not in the trash.", 400)
    wanted = status or str(order.meta_value("_wp_trash_meta_status") or order.status)
    operations.set_main_status(state, order_id, wanted.removeprefix("wc-"))


def delete_order(state: MarketplaceState, order_id: int) -> None:
    """``wp_delete_post`` of an order (DELETE ``force=true``): the order, its commission rows
    and its notes go; notifications about it stay (file 174)."""
    _order(state, order_id)
    state.remove_order(order_id)


# ------------------------------------------------------------------------------ refunds
def refund_order(
    state: MarketplaceState, order_id: int, amount: Any, reason: str = "", refunded_by: int = 0
) -> Refund:
    """``wc_create_refund`` of an amount, no items (``POST /wc/v3/orders/N/refunds``; files
    180, 185). The customer gets the refund mail; the order turns ``refunded`` once nothing is
    left to refund."""
    order = state.orders.get(order_id)
    if order is None:
        raise AdminError("woocommerce_rest_invalid_order_id", "Invalid order ID.", 404)
    try:
        value = Decimal(str(amount).strip())
    except InvalidOperation:
        value = Decimal(-1)
    if not value.is_finite() or value <= 0:
        raise AdminError(
            "woocommerce_rest_invalid_order_refund", "Refund amount must be greater than zero.", 400
        )
    refunded = sum((refund.amount for refund in order.refunds), Decimal(0))
    if value.quantize(Decimal("0.01")) != value or value > order.total - refunded:
        raise AdminError(
            "woocommerce_rest_cannot_create_order_refund", "Invalid refund amount.", 500
        )
    from vendor_desk.sandbox import refunds

    now = utcnow()
    refund = Refund(
        id=state.next_id(SEQ_POST),
        order_id=order_id,
        amount=value,
        reason=reason,
        date_created=now,
        refunded_by=refunded_by,
        restocked=False,
    )
    order.refunds.append(refund)
    order.date_modified = now
    refunds.after_wc_refund(state, order, refund)
    return refund


# ------------------------------------------------------------------------------ edits
def _address_values(values: Mapping[str, Any]) -> dict[str, str]:
    found = {key: str(value) for key, value in values.items() if key in _ADDRESS_FIELDS}
    country = found.get("country")
    region = found.get("state")
    if region and (country in (None, "", "US")) and region in _STATE_NAMES:
        found["state"] = _STATE_NAMES[region]  # WooCommerce shows the state's name (file 202)
    return found


def update_addresses(
    state: MarketplaceState,
    order_id: int,
    *,
    billing: Mapping[str, Any] | None = None,
    shipping: Mapping[str, Any] | None = None,
) -> None:
    """Change fields of the billing and/or shipping address (file 200). ``date_modified``
    does not move, and nobody is told."""
    order = _order(state, order_id)
    for address, values in ((order.billing, billing), (order.shipping, shipping)):
        for key, value in _address_values(values or {}).items():
            setattr(address, key, value)


def add_admin_note(state: MarketplaceState, order_id: int, text: str, *, customer: bool) -> Note:
    """A note the admin writes (``POST /wc/v3/orders/N/notes``; file 201): WooCommerce's own
    ("system") — a customer note mails the customer; a JWT vendor never sees it (204)."""
    order = state.orders.get(order_id)
    if order is None:
        raise AdminError("woocommerce_rest_order_invalid_id", "Invalid order ID.", 404)
    if not text.strip():
        raise AdminError("woocommerce_rest_missing_note", "Note is required.", 400)
    return operations.add_note(state, order, text, customer=customer)


# ------------------------------------------------------------------------------ create
@dataclass(frozen=True)
class NewLine:
    """One line of an order the admin creates: a product (or variation) id and a quantity."""

    product_id: int
    quantity: int = 1


def create_order(
    state: MarketplaceState,
    *,
    customer_id: int,
    lines: Sequence[NewLine],
    status: str = "pending",
    set_paid: bool = False,
    payment_method: str = "cod",
    billing: Mapping[str, Any] | None = None,
    shipping: Mapping[str, Any] | None = None,
    shipping_total: Decimal | None = None,
    customer_note: str = "",
) -> Order:
    """``POST /wc/v3/orders`` (file 230): WCFM processes the new order like a checkout —
    commission rows, "You have received an Order #N" notifications, the store's mails and
    invoice (file 231–233). ``set_paid`` runs ``payment_complete()``, which does nothing for
    an order created as processing already (its ``date_paid`` stays empty). ``shipping_total``
    None: no shipping line."""
    from vendor_desk.sandbox import checkout

    customer = state.users.get(customer_id)
    if customer is None:
        raise AdminError("woocommerce_rest_invalid_customer_id", "Invalid customer ID.", 400)
    gateway = checkout.PAYMENT_METHODS.get(payment_method)
    if gateway is None:
        raise AdminError("woocommerce_rest_invalid_payment_method", "Invalid payment method.", 400)
    if not lines:
        raise AdminError("woocommerce_rest_required_product_reference", "Add a line item.", 400)
    order_lines: list[checkout.Line] = []
    for line in lines:
        product = state.products.get(line.product_id)
        if product is None or line.quantity < 1:
            raise AdminError(
                "woocommerce_rest_invalid_product_id", f"Invalid product {line.product_id}.", 400
            )
        parent = state.products.get(product.parent_id) if product.type == "variation" else None
        order_lines.append(
            (parent, line.quantity, product)
            if parent is not None
            else (product, line.quantity, None)
        )
    paid_now = set_paid and status in ("pending", "on-hold", "failed")
    if paid_now:
        status = "processing"
    try:
        order = checkout.place_order(
            state,
            customer,
            order_lines,
            status=status,
            payment_method=gateway.id,
            customer_note=customer_note,
            billing=_address_of(customer.billing, billing),
            shipping=_address_of(customer.shipping, shipping),
            shipping_cost=shipping_total or Decimal(0),
            per_vendor_shipping=False,
            with_shipping=shipping_total is not None,
            created_via="rest-api",
        )
    except ValueError as error:
        raise AdminError("rest_invalid_param", str(error), 400) from None
    if paid_now:
        order.date_paid = order.date_created
    if state.settings.edition == "ultimate" and status in ("processing", "on-hold", "completed"):
        # The order mail WooCommerce sends carries PDF Invoices' invoice and WCFM's store invoice.
        operations.record_pdf_document(state, order, "invoice")
        invoices.issue_store_invoices(state, order.id)
    order.meta.sort(key=lambda entry: _NEW_ORDER_META_RANK.get(entry.key, 2))
    return order


def _address_of(default: Address, values: Mapping[str, Any] | None) -> Address:
    if not values:
        return Address(**{name: getattr(default, name) for name in _ADDRESS_FIELDS})
    found = _address_values(values)
    return Address(**{name: found.get(name, "") for name in _ADDRESS_FIELDS})
