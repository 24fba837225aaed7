"""Placing orders the way a WooCommerce checkout + WCFM do.

:func:`place_order` creates what the real stack writes when a customer checks out:

* the WooCommerce order with its line items (variation attributes, ``_vendor_id``,
  ``_reduced_stock`` where the product manages stock, ``_wcfmmp_order_item_processed`` = the
  commission row id), shipping lines (one untagged flat rate, or one per vendor tagged with
  ``vendor_id`` as WCFM's per-vendor shipping does), fee, coupon and tax lines, totals, and the
  order meta ``_wcfm_new_order_notified``, ``_wcfmmp_order_email_triggered``,
  ``_wcfmmp_order_processed``;
* one WCFM commission row per vendor line item (``settings.commission_percent`` of the line
  total, plus the vendor's own shipping);
* the WooCommerce notes ("Stock levels reduced: …", "… Order status changed from Pending payment
  to Processing.");
* the WCFM messages: "You have received an Order #N" to the admin, then "… for PRODUCT" to the
  vendor of each item;
* the mails: the admin's new-order mail, each vendor's "store new order" mail, the customer's
  order mail.

It also holds the small text helpers (note and message HTML as WordPress stores it) the datasets
share. Callers may hold ``state.lock``; everything here takes it too (it is re-entrant).
"""

from __future__ import annotations

import base64
import functools
import random
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from vendor_desk.sandbox.model import (
    SEQ_COMMENT,
    SEQ_COMMISSION,
    SEQ_ITEM_META,
    SEQ_MESSAGE,
    SEQ_ORDER_ITEM,
    SEQ_POST,
    SEQ_POST_META,
    WC_ORDER_STATUSES,
    Address,
    CommissionRow,
    CouponLine,
    FeeLine,
    MarketplaceState,
    Message,
    MetaEntry,
    Note,
    Order,
    OrderItem,
    Product,
    ShippingLine,
    TaxLine,
    User,
    utcnow,
)

__all__ = [
    "FREE_SHIPPING",
    "LOCAL_PICKUP",
    "PAYMENT_METHODS",
    "Line",
    "PaymentMethod",
    "ShippingRate",
    "TaxRate",
    "admin_new_order_message",
    "flat_rate",
    "order_url",
    "php_amount",
    "place_order",
    "place_random_order",
    "status_change_note",
    "stock_reduced_note",
    "store_link",
    "vendor_new_order_message",
]

CENT = Decimal("0.01")
_TENTH = Decimal("0.1")
_ONE = Decimal("1")
ZERO = Decimal("0")

#: One order line: (product or variable parent, quantity, chosen variation or None).
Line = tuple[Product, int, Product | None]


# ------------------------------------------------------------------------------ money
@functools.lru_cache(maxsize=8192)
def php_amount(value: Decimal) -> Decimal:
    """``value`` rounded to cents, written the way WooCommerce item meta and WCFM's commission
    table hold amounts (a PHP float printed as text): ``25``, ``12.5``, ``9.99``.

    ``str()`` of the result is exactly what the REST routes show, e.g. line item ``subtotal``
    ``"12.5"`` or ``commission_amount`` ``"45"``.
    """
    cents = value.quantize(CENT)
    if cents == cents.to_integral_value():
        return cents.quantize(_ONE)
    if cents == cents.quantize(_TENTH):
        return cents.quantize(_TENTH)
    return cents


# ------------------------------------------------------------------------ payment methods
@dataclass(frozen=True)
class PaymentMethod:
    id: str
    title: str
    #: Paid at checkout (card/PayPal): ``date_paid`` and a transaction id are set.
    paid_at_checkout: bool
    #: The status WooCommerce gives a successful checkout with this gateway.
    checkout_status: str
    #: The text the gateway passes to ``update_status`` (prefixed to the status-change note).
    status_note: str


PAYMENT_METHODS: dict[str, PaymentMethod] = {
    "cod": PaymentMethod(
        "cod", "Cash on delivery", False, "processing", "Payment to be made upon delivery."
    ),
    "bacs": PaymentMethod(
        "bacs", "Direct bank transfer", False, "on-hold", "Awaiting BACS payment"
    ),
    "stripe": PaymentMethod("stripe", "Credit Card (Stripe)", True, "processing", ""),
    "paypal": PaymentMethod("paypal", "PayPal", True, "processing", ""),
}

#: The same gateways on a WordPress site in French (``settings.language == "fr"``): their
#: checkout titles and the texts they pass to ``update_status``.
FRENCH_PAYMENT_METHODS: dict[str, PaymentMethod] = {
    "cod": PaymentMethod(
        "cod", "Paiement à la livraison", False, "processing", "Paiement à la livraison."
    ),
    "bacs": PaymentMethod(
        "bacs", "Virement bancaire", False, "on-hold", "En attente du paiement par virement."
    ),
    "stripe": PaymentMethod("stripe", "Carte bancaire (Stripe)", True, "processing", ""),
    "paypal": PaymentMethod("paypal", "PayPal", True, "processing", ""),
}

#: WooCommerce's order status names in French (``wc_get_order_statuses()``).
FRENCH_ORDER_STATUSES: dict[str, str] = {
    "pending": "En attente de paiement",
    "processing": "En cours",
    "on-hold": "En attente",
    "completed": "Terminée",
    "cancelled": "Annulée",
    "refunded": "Remboursée",
    "failed": "Échouée",
    "checkout-draft": "Brouillon",
}


def _gateway(state: MarketplaceState, method_id: str) -> PaymentMethod:
    """The gateway ``method_id`` as the site names it (in the site's language)."""
    if state.settings.language == "fr":
        return FRENCH_PAYMENT_METHODS[method_id]
    return PAYMENT_METHODS[method_id]


@dataclass(frozen=True)
class TaxRate:
    """A WooCommerce tax rate applied to every line and the shipping of an order."""

    rate_id: int
    rate_code: str
    label: str
    percent: Decimal


@dataclass(frozen=True)
class ShippingRate:
    """A shipping method as WooCommerce books it on an order's shipping line (with WCFM's
    per-vendor shipping, one line per vendor package, tagged with the vendor)."""

    method_id: str
    title: str
    #: The method's instance in its shipping zone (WooCommerce writes it as a string).
    instance_id: str
    cost: Decimal
    #: What the method's plugin adds to the shipping line's meta after WCFM's own (e.g. the
    #: relay point a customer chose): (key, value) pairs.
    meta: tuple[tuple[str, str], ...] = ()


def flat_rate(cost: Decimal) -> ShippingRate:
    return ShippingRate("flat_rate", "Flat rate", "1", cost)


FREE_SHIPPING = ShippingRate("free_shipping", "Free shipping", "2", Decimal("0"))
LOCAL_PICKUP = ShippingRate("local_pickup", "Local pickup", "3", Decimal("0"))


def _vendor_rate(free_over: Decimal | None, package: Decimal, cost: Decimal) -> ShippingRate:
    """A vendor package's rate when the customer chose none: free shipping from
    ``free_over`` on, else the flat rate."""
    if free_over is not None and package >= free_over:
        return FREE_SHIPPING
    return flat_rate(cost)


# ------------------------------------------------------------------------------ HTML texts
def order_url(state: MarketplaceState, order_id: int) -> str:
    """``get_wcfm_view_order_url()``: the order's page in the vendor dashboard."""
    return f"{state.settings.site_url}/store-manager/orders-details/{order_id}"


def store_link(state: MarketplaceState, vendor: User) -> str:
    """The store-name link WCFM puts into notes and messages."""
    store = vendor.store
    name = store.store_name if store else vendor.display_name
    slug = store.store_slug if store else vendor.nicename
    return (
        f'<a class="wcfm_dashboard_item_title" target="_blank" '
        f'href="{state.settings.site_url}/store/{slug}">{name}</a>'
    )


def status_change_note(old: str, new: str, prefix: str = "", language: str = "en") -> str:
    """WooCommerce's status transition note, e.g. ``"Seeded order. Order status changed from
    Pending payment to Processing."`` (``prefix`` is the text passed to ``update_status``;
    ``language`` the site's: "fr" writes WooCommerce's French note)."""
    if language == "fr":
        names = FRENCH_ORDER_STATUSES
        text = f"Le statut de la commande est passé de {names[old]} à {names[new]}."
    else:
        text = f"Order status changed from {WC_ORDER_STATUSES[old]} to {WC_ORDER_STATUSES[new]}."
    return f"{prefix} {text}" if prefix else text


def stock_reduced_note(
    changes: Sequence[tuple[Product, int, int]], verb: str = "reduced", language: str = "en"
) -> str:
    """``"Stock levels reduced: Alpha Mug (ALPHA-MUG) 99&rarr;97, …"`` (product, before, after);
    ``verb="increased"`` for the note of stock given back (a cancelled order); ``language``
    "fr": WooCommerce's French note ("Niveaux de stock réduits : …")."""
    parts = [
        f"{_formatted_name(product)} {before}&rarr;{after}" for product, before, after in changes
    ]
    if language == "fr":
        done = "réduits" if verb == "reduced" else "augmentés"
        return f"Niveaux de stock {done} : " + ", ".join(parts)
    return f"Stock levels {verb}: " + ", ".join(parts)


def _formatted_name(product: Product) -> str:
    """``WC_Product::get_formatted_name()``: the name with the SKU, or ``#id`` without one."""
    return f"{product.name} ({product.sku})" if product.sku else f"{product.name} (#{product.id})"


def _order_link(state: MarketplaceState, order: Order) -> str:
    url = order_url(state, order.id)
    return f'<a target="_blank" class="wcfm_dashboard_item_title" href="{url}">{order.id}</a>'


def admin_new_order_message(
    state: MarketplaceState, message_id: int, order: Order, when: datetime
) -> Message:
    """WCFM's new-order notification to the admin (author -2, to 0)."""
    link = _order_link(state, order)
    return Message(
        ID=message_id,
        message=f"You have received an Order <b>#{link}</b>",
        author_id=-2,
        message_to=0,
        message_type="order",
        created=when,
        author_is_admin=True,
    )


def vendor_new_order_message(
    state: MarketplaceState,
    message_id: int,
    order: Order,
    product: Product,
    vendor_id: int,
    when: datetime,
) -> Message:
    """WCFM's per-item new-order notification to the product's vendor (author -1)."""
    link = _order_link(state, order)
    return Message(
        ID=message_id,
        message=f"You have received an Order <b>#{link}</b> for <b>{product.name}</b>",
        author_id=-1,
        message_to=vendor_id,
        message_type="order",
        created=when,
        author_is_admin=True,
    )


def _copy_address(address: Address) -> Address:
    """A field-for-field copy (the order keeps its own address, as WooCommerce does)."""
    copied = Address.__new__(Address)
    copied.__dict__.update(address.__dict__)
    return copied


def _random_text(rng: random.Random | None, length: int, upper: bool = False) -> str:
    """``length`` random letters and digits (from ``rng``, else from ``secrets``)."""
    raw = rng.randbytes(length) if rng is not None else secrets.token_bytes(length)
    text = base64.b64encode(raw, altchars=b"Xq").decode()[:length]
    return text.upper() if upper else text


def _order_key(rng: random.Random | None) -> str:
    if rng is None:
        return "wc_order_" + _random_text(None, 13)
    # Bulk loading: 13 hex digits are just as unique and ten times cheaper to make.
    return f"wc_order_{rng.getrandbits(52):013x}"


def _transaction_id(method: str, rng: random.Random | None) -> str:
    if method == "paypal":
        return _random_text(rng, 17, upper=True)
    return "pi_3" + _random_text(rng, 23)


# ------------------------------------------------------------------------------ checkout
def place_order(
    state: MarketplaceState,
    customer: User,
    lines: Sequence[Line],
    *,
    status: str | None = None,
    payment_method: str = "cod",
    when: datetime | None = None,
    customer_note: str = "",
    billing: Address | None = None,
    shipping: Address | None = None,
    shipping_cost: Decimal = Decimal("5"),
    per_vendor_shipping: bool | None = None,
    shipping_rates: Mapping[int, ShippingRate] | None = None,
    coupon: tuple[str, Decimal] | None = None,
    fees: Sequence[tuple[str, Decimal]] = (),
    tax: TaxRate | None = None,
    order_key: str | None = None,
    transaction_id: str | None = None,
    rng: random.Random | None = None,
    write_notes: bool = True,
    notify: bool = True,
    send_mails: bool = True,
    with_shipping: bool = True,
    created_via: str = "checkout",
) -> Order:
    """Check ``lines`` out for ``customer`` and return the new order.

    ``status`` defaults to what the gateway gives a successful checkout (``processing`` for
    cash on delivery and paid card/PayPal orders, ``on-hold`` for bank transfers); ``pending``
    (unpaid, e.g. an abandoned card payment) and ``failed`` (declined) are possible too, and so
    is ``completed`` (a paid order of virtual items only). Shipping: one "Flat rate" line of
    ``shipping_cost`` (not tagged with a vendor, so vendors do not see it), or with
    ``per_vendor_shipping`` (default: the site's ``vendor_shipping``) one line per vendor with
    something to ship, at that vendor's rate in ``shipping_rates`` — by default free shipping
    from the site's ``free_shipping_over``, else flat rate at ``shipping_cost``; orders of
    virtual items only get none. ``coupon`` is (code, percent off);
    ``fees`` are (name, amount) lines. Stock is reduced for products that manage it (not for
    pending/failed orders). ``rng`` makes keys and transaction ids deterministic.
    ``write_notes``/``notify``/``send_mails`` switch off the notes, the WCFM messages and the
    mails (bulk-loading old history). ``with_shipping=False``: no shipping line at all (an order
    the store admin creates without one); ``created_via``: ``rest-api`` for such orders.
    """
    gateway = _gateway(state, payment_method)
    status = status or gateway.checkout_status
    if status not in ("pending", "processing", "on-hold", "completed", "failed"):
        raise ValueError(f"a checkout cannot end in {status!r}")
    when = when or utcnow()
    paid = gateway.paid_at_checkout and status in ("processing", "completed")
    reduces_stock = status in ("processing", "on-hold", "completed")
    new_order_flow = status in ("processing", "on-hold", "completed")
    settings = state.settings
    if per_vendor_shipping is None:
        per_vendor_shipping = settings.vendor_shipping
    solds: list[Product] = []
    shippable_vendors: list[int] = []
    stock_reductions = 0
    for product, _, variation in lines:
        sold = variation or product
        solds.append(sold)
        if not sold.virtual and product.vendor_id not in shippable_vendors:
            shippable_vendors.append(product.vendor_id)
        if reduces_stock and sold.stock is not None:
            stock_reductions += 1
    if not shippable_vendors or not with_shipping:
        shipping_line_count = 0
    else:
        shipping_line_count = len(shippable_vendors) if per_vendor_shipping else 1

    with state.lock:
        # WordPress hands out every id of this order consecutively: reserve them in one go.
        order_id = state.next_id(SEQ_POST)
        next_item = state.reserve_ids(
            SEQ_ORDER_ITEM,
            len(lines) + shipping_line_count + len(fees) + (1 if coupon else 0) + (1 if tax else 0),
        )
        chosen = [(shipping_rates or {}).get(vendor_id) for vendor_id in shippable_vendors]
        plugin_meta = (
            sum(len(rate.meta) for rate in chosen if rate is not None)
            if per_vendor_shipping and shipping_line_count
            else 0
        )
        next_item_meta = state.reserve_ids(
            SEQ_ITEM_META,
            sum(len(variation.attributes) for _, _, variation in lines if variation)
            + 2 * len(lines)
            + (3 * shipping_line_count if per_vendor_shipping else 0)
            + plugin_meta
            + stock_reductions,
        )
        next_post_meta = state.reserve_ids(SEQ_POST_META, 3 if new_order_flow else 1)
        next_commission = state.reserve_ids(SEQ_COMMISSION, len(lines))

        order = Order(
            id=order_id,
            status=status,
            customer_id=customer.id,
            billing=_copy_address(billing or customer.billing),
            shipping=_copy_address(shipping or customer.shipping),
            date_created=when,
            date_modified=when,
            currency=settings.currency,
            order_key=order_key or _order_key(rng),
            payment_method=gateway.id,
            payment_method_title=gateway.title,
            customer_note=customer_note,
            created_via=created_via,
            download_permissions_granted=status in ("processing", "completed"),
            order_stock_reduced=reduces_stock,
        )
        if paid:
            order.date_paid = when
            order.transaction_id = transaction_id or _transaction_id(gateway.id, rng)
        if status == "completed":
            order.date_completed = when
            order.date_paid = order.date_paid or when

        # --- line items (attributes and _vendor_id are written when the item is created)
        keep = (100 - coupon[1]) / 100 if coupon else None
        items = order.items
        for (product, quantity, variation), sold in zip(lines, solds, strict=True):
            subtotal = php_amount(sold.price * quantity)
            total = php_amount(subtotal * keep) if keep is not None else subtotal
            item = OrderItem(
                id=next_item,
                order_id=order_id,
                product_id=product.id,
                variation_id=variation.id if variation else 0,
                name=sold.name,
                sku=sold.sku,
                quantity=quantity,
                subtotal=subtotal,
                total=total,
                vendor_id=product.vendor_id,
                virtual=sold.virtual,
            )
            next_item += 1
            if tax is not None:
                item.subtotal_tax = php_amount(subtotal * tax.percent / 100)
                item.total_tax = php_amount(total * tax.percent / 100)
            if variation:
                for name, value in variation.attributes.items():
                    item.meta.append(MetaEntry(next_item_meta, name.lower(), value))
                    next_item_meta += 1
            item.meta.append(MetaEntry(next_item_meta, "_vendor_id", str(product.vendor_id)))
            next_item_meta += 1
            items.append(item)

        # --- shipping, fees, coupon, taxes, totals
        vendor_shipping: dict[int, tuple[Decimal, Decimal]] = {}
        if shipping_line_count:
            cost = php_amount(shipping_cost)
            line_tax = php_amount(cost * tax.percent / 100) if tax else ZERO
            if per_vendor_shipping:
                for vendor_id in shippable_vendors:
                    own = [
                        item for item in items if item.vendor_id == vendor_id and not item.virtual
                    ]
                    label = ", ".join(f"{item.name} &times; {item.quantity}" for item in own)
                    rate = (shipping_rates or {}).get(vendor_id) or _vendor_rate(
                        settings.free_shipping_over,
                        sum([item.total for item in own], ZERO),
                        shipping_cost,
                    )
                    cost = php_amount(rate.cost)
                    line_tax = php_amount(cost * tax.percent / 100) if tax else ZERO
                    line = ShippingLine(
                        id=next_item,
                        method_title=rate.title,
                        method_id=rate.method_id,
                        total=cost,
                        total_tax=line_tax,
                        instance_id=rate.instance_id,
                        vendor_id=vendor_id,
                    )
                    line.meta = [
                        MetaEntry(next_item_meta, "Items", label),
                        MetaEntry(next_item_meta + 1, "vendor_id", str(vendor_id)),
                        MetaEntry(
                            next_item_meta + 2, "package_qty", str(sum(i.quantity for i in own))
                        ),
                    ]
                    next_item += 1
                    next_item_meta += 3
                    for key, value in rate.meta:
                        line.meta.append(MetaEntry(next_item_meta, key, value))
                        next_item_meta += 1
                    order.shipping_lines.append(line)
                    vendor_shipping[vendor_id] = (cost, line_tax)
            else:
                order.shipping_lines.append(
                    ShippingLine(
                        id=next_item,
                        method_title="Flat rate",
                        method_id="flat_rate",
                        total=cost,
                        total_tax=line_tax,
                    )
                )
                next_item += 1
        for name, amount in fees:
            order.fee_lines.append(FeeLine(id=next_item, name=name, total=php_amount(amount)))
            next_item += 1
        items_total = sum([item.total for item in items], ZERO)
        discount = sum([item.subtotal for item in items], ZERO) - items_total
        if coupon:
            order.coupon_lines.append(
                CouponLine(id=next_item, code=coupon[0], discount=php_amount(discount))
            )
            next_item += 1
        order.discount_total = php_amount(discount)
        order.shipping_total = php_amount(sum([line.total for line in order.shipping_lines], ZERO))
        if tax is not None:
            order.shipping_tax = php_amount(
                sum([line.total_tax for line in order.shipping_lines], ZERO)
            )
            order.cart_tax = php_amount(sum([item.total_tax for item in items], ZERO))
            order.total_tax = php_amount(order.cart_tax + order.shipping_tax)
            order.tax_lines.append(
                TaxLine(
                    id=next_item,
                    rate_code=tax.rate_code,
                    rate_id=tax.rate_id,
                    label=tax.label,
                    compound=False,
                    tax_total=order.cart_tax,
                    shipping_tax_total=order.shipping_tax,
                    rate_percent=tax.percent,
                )
            )
            next_item += 1
        fee_total = sum([fee.total for fee in order.fee_lines], ZERO)
        order.total = (
            items_total + order.shipping_total + fee_total + order.cart_tax + order.shipping_tax
        ).quantize(CENT)

        # --- order meta (WCFM marks the order notified/processed)
        if new_order_flow:
            order.meta.append(MetaEntry(next_post_meta, "_wcfm_new_order_notified", "yes"))
            order.meta.append(MetaEntry(next_post_meta + 1, "_wcfmmp_order_email_triggered", "yes"))
            next_post_meta += 2
        state.add_order(order)

        # --- stock
        changes: list[tuple[Product, int, int]] = []
        for item, (product, quantity, _), sold in zip(items, lines, solds, strict=True):
            sold.total_sales += quantity
            if sold is not product:
                product.total_sales += quantity
            if reduces_stock and sold.stock is not None:
                before = sold.stock
                sold.stock = before - quantity
                changes.append((sold, before, sold.stock))
                item.meta.append(MetaEntry(next_item_meta, "_reduced_stock", str(quantity)))
                next_item_meta += 1

        # --- WCFM commission rows, one per vendor line item
        share = settings.commission_percent / 100
        for item, sold in zip(items, solds, strict=True):
            row_id = next_commission
            next_commission += 1
            commission = php_amount(item.total * share)
            row_shipping = row_shipping_tax = ZERO
            if not item.virtual and item.vendor_id in vendor_shipping:
                # The vendor's shipping is booked on its first shippable row.
                row_shipping, row_shipping_tax = vendor_shipping.pop(item.vendor_id)
            price = sold.price.quantize(CENT)
            state.add_commission(
                CommissionRow(
                    ID=row_id,
                    vendor_id=item.vendor_id,
                    order_id=order_id,
                    customer_id=customer.id,
                    payment_method=gateway.id,
                    product_id=item.product_id,
                    variation_id=item.variation_id,
                    quantity=item.quantity,
                    product_price=price,
                    purchase_price=price,
                    item_id=item.id,
                    item_sub_total=item.subtotal,
                    item_total=item.total,
                    commission_amount=commission,
                    total_commission=(
                        php_amount(commission + row_shipping + row_shipping_tax)
                        if row_shipping
                        else commission
                    ),
                    order_status=status,
                    commission_status=status,
                    created=when,
                    shipping=row_shipping,
                    tax=item.total_tax,
                    shipping_tax_amount=row_shipping_tax,
                    discount_amount=php_amount(item.subtotal - item.total) if coupon else ZERO,
                    discount_type="percent" if coupon else "",
                )
            )
            item.meta.append(MetaEntry(next_item_meta, "_wcfmmp_order_item_processed", str(row_id)))
            next_item_meta += 1
        order.meta.append(MetaEntry(next_post_meta, "_wcfmmp_order_processed", "yes"))

        # --- notes, messages, mails
        if write_notes:
            _checkout_notes(state, order, gateway, changes, when)
        if notify and new_order_flow:
            state.add_message(
                admin_new_order_message(state, state.next_id(SEQ_MESSAGE), order, when)
            )
            for item in order.items:
                ordered = state.products.get(item.product_id)
                if ordered is not None:
                    state.add_message(
                        vendor_new_order_message(
                            state, state.next_id(SEQ_MESSAGE), order, ordered, item.vendor_id, when
                        )
                    )
        if send_mails and new_order_flow:
            _checkout_mails(state, order, customer)
    return order


def _checkout_notes(
    state: MarketplaceState,
    order: Order,
    gateway: PaymentMethod,
    changes: list[tuple[Product, int, int]],
    when: datetime,
) -> None:
    def add(content: str) -> None:
        state.add_note(Note(state.next_id(SEQ_COMMENT), order.id, content, False, "system", when))

    if order.status == "failed":
        if state.settings.language == "fr":
            failure = f"Échec du paiement {gateway.title} : votre carte a été refusée. "
        else:
            failure = f"{gateway.title} payment failed: Your card was declined. "
        add(failure + status_change_note("pending", "failed", language=state.settings.language))
        return
    if order.status == "pending":
        return
    language = state.settings.language
    if gateway.paid_at_checkout and order.transaction_id:
        if language == "fr":
            add(f"{gateway.title} : paiement effectué (identifiant : {order.transaction_id})")
        else:
            add(f"{gateway.title} charge complete (Charge ID: {order.transaction_id})")
    if changes:
        add(stock_reduced_note(changes, language=language))
    add(status_change_note("pending", order.status, gateway.status_note, language))


def _checkout_mails(state: MarketplaceState, order: Order, customer: User) -> None:
    site = state.settings.site_name
    lines = "\n".join(
        f"{item.name} × {item.quantity}  {state.settings.currency} {item.total}"
        for item in order.items
    )
    summary = f"Order #{order.id} ({order.date_created:%B %d, %Y})\n{lines}\nTotal: {order.total}"
    admin = next((user for user in state.users.values() if user.role == "administrator"), None)
    if admin is not None:
        state.record_mail(
            admin.email,
            f"[{site}]: New order #{order.id}",
            f"You've received the following order from {order.billing.first_name} "
            f"{order.billing.last_name}:\n{summary}",
        )
    for vendor_id in order.vendor_ids():
        vendor = state.users.get(vendor_id)
        if vendor is None:
            continue
        own = "\n".join(
            f"{item.name} × {item.quantity}  {item.total}" for item in order.items_of(vendor_id)
        )
        state.record_mail(
            vendor.store.store_email if vendor.store else vendor.email,
            f"[{site}] New Store Order #{order.id}",
            f"You have received an order from {order.billing.first_name} "
            f"{order.billing.last_name}.\nOrder #{order.id}\n{own}",
        )
    recipient = order.billing.email or customer.email
    if order.status == "completed":
        subject = f"Your {site} order is now complete"
    else:
        subject = f"Your {site} order has been received!"
    state.record_mail(
        recipient,
        subject,
        f"Hi {order.billing.first_name},\nJust to let you know — we've received your order "
        f"#{order.id}, and it is now being processed:\n{summary}",
    )


# ------------------------------------------------------------------------- random orders
def place_random_order(state: MarketplaceState, rng: random.Random) -> Order:
    """A new, plausible order from an existing customer for one or more vendors, placed now
    (used by ``--new-order-every`` and the control surface)."""
    with state.lock:
        customers = sorted(
            (user for user in state.users.values() if user.role == "customer"), key=lambda u: u.id
        )
        if not customers:
            raise LookupError("the marketplace has no customer to place an order")
        by_vendor: dict[int, list[Product]] = {}
        variations: dict[int, list[Product]] = {}
        for product in sorted(state.products.values(), key=lambda p: p.id):
            if product.type == "variation":
                variations.setdefault(product.parent_id, []).append(product)
            elif product.vendor_id in state.users:
                by_vendor.setdefault(product.vendor_id, []).append(product)
        if not by_vendor:
            raise LookupError("the marketplace has no product to order")
        customer = rng.choice(customers)
        vendor_ids = sorted(by_vendor)
        chosen = rng.sample(vendor_ids, k=1 if len(vendor_ids) == 1 or rng.random() < 0.75 else 2)
        lines: list[Line] = []
        for vendor_id in chosen:
            for product in rng.sample(
                by_vendor[vendor_id], k=min(len(by_vendor[vendor_id]), rng.choice((1, 1, 2)))
            ):
                variation = rng.choice(variations[product.id]) if product.id in variations else None
                lines.append((product, rng.choice((1, 1, 1, 2, 3)), variation))
        method = rng.choice(("cod", "bacs", "stripe", "stripe", "paypal"))
        last = max((order.date_created for order in state.orders.values()), default=None)
        when = utcnow()
        if last is not None and last > when:  # a seeded site dated in the future (the recordings)
            when = last + timedelta(minutes=1)
        return place_order(state, customer, lines, payment_method=method, when=when, rng=rng)
