"""JSON shapes of the simulated marketplace, exactly as the real one prints them.

Everything here is a pure function of the state (callers hold ``state.lock``). The shapes, key
orders and JSON types follow the recordings:

* WCFM REST order (``wcfmmp/v1/orders``): ``WC_Order::get_data()`` reshaped by the REST add-on —
  money as WooCommerce stored it (``"73.00"`` for the order total, ``"12.5"``/``"5"``/``"0"``
  elsewhere), ``price``/``commission_value`` JSON numbers, the vendor's own line items only,
  ``shipment_tracking`` and, on the list route only, ``vendor_order_details`` (all strings).
* WooCommerce ``wc/v3`` order (admin views): everything rounded to 2 decimals.
* Order notes with a PHP ``DateTime`` dump as ``date_created``; notifications with HTML stripped.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from vendor_desk.sandbox.model import (
    Address,
    CommissionRow,
    MarketplaceState,
    Message,
    Note,
    Order,
    OrderItem,
    Refund,
    User,
)
from vendor_desk.sandbox.operations import store_name, strip_tags

WC_VERSION = "9.9.5"
CENT = Decimal("0.01")
#: ``get_woocommerce_currency_symbol()`` decoded, as the wc/v3 order's ``currency_symbol``.
CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "CAD": "$", "CHF": "CHF"}

#: How the single-order route sees the caller: ``vendor`` (JWT, cookie, or the list/update
#: routes), ``app_password`` (WCFM's init ran as nobody: status ``""`` and every item in
#: ``shipment_tracking``) or ``admin`` (the whole order).
View = Literal["vendor", "app_password", "admin"]

#: Main statuses for which the REST add-on offers no shipment tracking.
NO_TRACKING_STATUSES = frozenset({"failed", "cancelled", "refunded", "pending"})

#: US state names (as WooCommerce shows them) to their codes.
US_STATES = {
    "Alabama": "AL", "Alaska": "AK", "Arizona": "AZ", "Arkansas": "AR", "California": "CA",
    "Colorado": "CO", "Connecticut": "CT", "Delaware": "DE", "District of Columbia": "DC",
    "Florida": "FL", "Georgia": "GA", "Hawaii": "HI", "Idaho": "ID", "Illinois": "IL",
    "Indiana": "IN", "Iowa": "IA", "Kansas": "KS", "Kentucky": "KY", "Louisiana": "LA",
    "Maine": "ME", "Maryland": "MD", "Massachusetts": "MA", "Michigan": "MI", "Minnesota": "MN",
    "Mississippi": "MS", "Missouri": "MO", "Montana": "MT", "Nebraska": "NE", "Nevada": "NV",
    "New Hampshire": "NH", "New Jersey": "NJ", "New Mexico": "NM", "New York": "NY",
    "North Carolina": "NC", "North Dakota": "ND", "Ohio": "OH", "Oklahoma": "OK", "Oregon": "OR",
    "Pennsylvania": "PA", "Rhode Island": "RI", "South Carolina": "SC", "South Dakota": "SD",
    "Tennessee": "TN", "Texas": "TX", "Utah": "UT", "Vermont": "VT", "Virginia": "VA",
    "Washington": "WA", "West Virginia": "WV", "Wisconsin": "WI", "Wyoming": "WY",
}  # fmt: skip

#: ``display_key`` WooCommerce/WCFM show for item meta in wc/v3.
_ITEM_META_LABELS = {
    "_vendor_id": "Store",
    "_wcfmmp_order_item_processed": "Store Order ID",
    "wcfm_tracking_code": "Tracking Code",
    "wcfm_tracking_url": "Tracking URL",
}


# ------------------------------------------------------------------ scalars
def money(value: Decimal) -> str:
    """A WooCommerce amount as stored: no rounding, trailing zeros dropped (``"12.5"``, ``"5"``)."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def money2(value: Decimal) -> str:
    """A rounded amount (``"73.00"``): the order total, wc/v3 money, commission prices."""
    return str(value.quantize(CENT))


def number(value: Decimal) -> int | float:
    """A PHP float as ``json_encode`` prints it: ``25`` or ``12.5``."""
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def wc_date(value: datetime | None) -> str | None:
    """WooCommerce REST date (site-local; the site runs on UTC, so the ``_gmt`` twin is equal)."""
    return value.strftime("%Y-%m-%dT%H:%M:%S") if value else None


def mysql_date(value: datetime | None) -> str | None:
    return value.strftime("%Y-%m-%d %H:%M:%S") if value else None


def php_datetime(value: datetime) -> dict[str, Any]:
    """A PHP ``DateTime`` object as ``json_encode`` dumps it (order notes' ``date_created``)."""
    return {
        "date": value.strftime("%Y-%m-%d %H:%M:%S.000000"),
        "timezone_type": 1,
        "timezone": "+00:00",
    }


def flag(value: bool) -> str:
    return "1" if value else "0"


# ------------------------------------------------------------------ addresses
def _address(address: Address, *, with_email: bool, state_code: bool) -> dict[str, str]:
    region = US_STATES.get(address.state, address.state) if state_code else address.state
    data = {
        "first_name": address.first_name,
        "last_name": address.last_name,
        "company": address.company,
        "address_1": address.address_1,
        "address_2": address.address_2,
        "city": address.city,
        "state": region,
        "postcode": address.postcode,
        "country": address.country,
    }
    if with_email:
        data["email"] = address.email
    data["phone"] = address.phone
    return data


def _meta_list(entries: Iterable[Any]) -> list[dict[str, Any]]:
    return [{"id": entry.id, "key": entry.key, "value": entry.value} for entry in entries]


# ------------------------------------------------------------------ vendor status
def vendor_rows(
    state: MarketplaceState, order_id: int, vendor_id: int, *, include_trashed: bool = False
) -> list[CommissionRow]:
    """The vendor's live commission rows of an order, ascending by row ID (with those of a
    trashed or cancelled order too when ``include_trashed``: the single-order route reads
    them, files 163 and 197)."""
    rows = [
        r
        for r in state.commissions_of_order(order_id, vendor_id)
        if include_trashed or not r.is_trashed
    ]
    rows.sort(key=lambda row: row.ID)
    return rows


def vendor_status(
    state: MarketplaceState, order: Order, vendor_id: int, *, include_trashed: bool = False
) -> str:
    """``wcfm_current_order_status`` with order_sync = no: the ``commission_status`` of the
    vendor's first commission row (``""`` when the vendor has none), ``wc-`` stripped."""
    rows = vendor_rows(state, order.id, vendor_id, include_trashed=include_trashed)
    return rows[0].commission_status.removeprefix("wc-") if rows else ""


# ------------------------------------------------------------------ line items
def _taxes(item: OrderItem, order: Order) -> list[dict[str, Any]]:
    if not item.total_tax or not order.tax_lines:
        return []
    rate = order.tax_lines[0].rate_id
    return [{"id": rate, "total": money(item.total_tax), "subtotal": money(item.subtotal_tax)}]


def _shipping_taxes(line: Any, order: Order, fmt: Any) -> list[dict[str, Any]]:
    """A shipping line's ``taxes``: the rate's share of it (``subtotal`` is empty for shipping)."""
    if not line.total_tax or not order.tax_lines:
        return []
    return [{"id": order.tax_lines[0].rate_id, "total": fmt(line.total_tax), "subtotal": ""}]


def _price(item: OrderItem) -> Decimal:
    return item.total / item.quantity if item.quantity else Decimal(0)


def _line_item(
    state: MarketplaceState,
    order: Order,
    item: OrderItem,
    commission: CommissionRow | None,
) -> dict[str, Any]:
    vendor = state.users.get(item.vendor_id)
    data: dict[str, Any] = {
        "id": item.id,
        "name": item.name,
        "product_id": item.product_id,
        "variation_id": item.variation_id,
        "quantity": item.quantity,
        "tax_class": item.tax_class,
        "subtotal": money(item.subtotal),
        "subtotal_tax": money(item.subtotal_tax),
        "total": money(item.total),
        "total_tax": money(item.total_tax),
        "taxes": _taxes(item, order),
        "meta_data": _meta_list(item.meta),
        "sku": item.sku,
        "thumbnail": "",
        "image_url": False,
        "price": number(_price(item)),
    }
    if vendor is not None:
        data["store_name"] = store_name(vendor)
    if commission is None or commission.is_refunded:
        data["commission_value"] = 0
    else:
        data["commission_value"] = number(commission.commission_amount)
    return data


def _shipping_line(state: MarketplaceState, order: Order, line: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": line.id,
        "method_title": line.method_title,
        "method_id": line.method_id,
        "instance_id": line.instance_id,
        "total": money(line.total),
        "total_tax": money(line.total_tax),
        "taxes": _shipping_taxes(line, order, money),
        "tax_status": "taxable",
        "meta_data": _meta_list(line.meta),
    }
    vendor = state.users.get(line.vendor_id) if line.vendor_id else None
    if vendor is not None:
        data["store_name"] = store_name(vendor)
    return data


def _tax_lines(order: Order, fmt: Any) -> list[dict[str, Any]]:
    return [
        {
            "id": line.id,
            "rate_code": line.rate_code,
            "rate_id": line.rate_id,
            "label": line.label,
            "compound": line.compound,
            "tax_total": fmt(line.tax_total),
            "shipping_tax_total": fmt(line.shipping_tax_total),
            "rate_percent": number(line.rate_percent),
            "meta_data": [],
        }
        for line in order.tax_lines
    ]


def _fee_lines(order: Order, fmt: Any) -> list[dict[str, Any]]:
    return [
        {
            "id": line.id,
            "name": line.name,
            "tax_class": "",
            "tax_status": "taxable",
            "amount": fmt(line.total),
            "total": fmt(line.total),
            "total_tax": fmt(line.total_tax),
            "taxes": [],
            "meta_data": [],
        }
        for line in order.fee_lines
    ]


def _coupon_lines(order: Order, fmt: Any) -> list[dict[str, Any]]:
    return [
        {
            "id": line.id,
            "code": line.code,
            "discount": fmt(line.discount),
            "discount_tax": fmt(line.discount_tax),
            "meta_data": [],
        }
        for line in order.coupon_lines
    ]


def _needs_shipping(state: MarketplaceState, item: OrderItem) -> bool:
    product = state.products.get(item.product_id)
    if product is not None:
        return not product.virtual
    return not item.virtual


def shipment_tracking(
    state: MarketplaceState, order: Order, items: list[OrderItem]
) -> dict[str, Any] | list[Any]:
    """``get_order_shipping_data``: one entry per shippable item (virtual ones skipped), the
    tracking meta once set, ``mark_all`` from two shippable items on. ``[]`` (PHP's empty array)
    when the order needs no shipping or its main status rules tracking out."""
    if order.status in NO_TRACKING_STATUSES:
        return []
    if not any(_needs_shipping(state, item) for item in order.items):
        return []
    each: list[dict[str, Any]] = []
    product_ids: list[int] = []
    item_ids: list[int] = []
    for item in items:
        if not _needs_shipping(state, item):
            continue
        item_ids.append(item.id)
        product_ids.append(item.product_id)
        entry: dict[str, Any] = {
            "item_id": item.id,
            "product_id": item.product_id,
            "product_name": item.name,
        }
        if item.sku:
            entry["sku"] = item.sku
        code = item.meta_value("wcfm_tracking_code")
        url = item.meta_value("wcfm_tracking_url")
        if code:
            entry["tracking_code"] = code
        if url:
            entry["tracking_url"] = url
        entry["mark_shipped"] = True
        each.append(entry)
    if not each:
        return []
    data: dict[str, Any] = {"each_data": each}
    if len(product_ids) > 1:
        data["mark_all"] = {"product_ids": product_ids, "order_item_ids": item_ids}
    return data


# ------------------------------------------------------------------ vendor_order_details
def vendor_order_details(rows: list[CommissionRow]) -> dict[str, Any]:
    """The list route's ``SELECT *, GROUP_CONCAT(…), SUM(…) … GROUP BY order_id``: plain columns
    from the group's first row (MySQL returns the newest row first here), aggregates over all,
    every value a string. ``rows`` must not be empty."""
    group = sorted(rows, key=lambda row: row.ID, reverse=True)
    first = group[0]

    def total(attr: str) -> str:
        return money(sum((getattr(row, attr) for row in group), Decimal(0)))

    def joined(values: Iterable[object]) -> str:
        return ",".join(str(value) for value in values)

    return {
        "ID": str(first.ID),
        "vendor_id": str(first.vendor_id),
        "order_id": str(first.order_id),
        "customer_id": str(first.customer_id),
        "payment_method": first.payment_method,
        "product_id": joined(row.product_id for row in group),
        "variation_id": str(first.variation_id),
        "quantity": str(first.quantity),
        "product_price": money2(first.product_price),
        "purchase_price": money2(first.purchase_price),
        "item_id": str(first.item_id),
        "item_type": first.item_type,
        "item_sub_total": total("item_sub_total"),
        "item_total": total("item_total"),
        "shipping": total("shipping"),
        "tax": total("tax"),
        "shipping_tax_amount": total("shipping_tax_amount"),
        "commission_amount": money(first.commission_amount),
        "discount_amount": total("discount_amount"),
        "discount_type": first.discount_type,
        "other_amount": money(first.other_amount),
        "other_amount_type": first.other_amount_type,
        "withdrawal_id": str(first.withdrawal_id),
        "refunded_id": str(first.refunded_id),
        "refunded_amount": total("refunded_amount"),
        "withdraw_charges": money(first.withdraw_charges),
        "total_commission": total("total_commission"),
        "order_status": first.order_status,
        "shipping_status": first.shipping_status,
        "commission_status": first.commission_status,
        "withdraw_status": first.withdraw_status,
        "refund_status": first.refund_status,
        "is_refunded": flag(first.is_refunded),
        "is_partially_refunded": flag(first.is_partially_refunded),
        "is_withdrawable": flag(first.is_withdrawable),
        "is_auto_withdrawal": flag(first.is_auto_withdrawal),
        "is_trashed": flag(first.is_trashed),
        "commission_paid_date": mysql_date(first.commission_paid_date),
        "created": mysql_date(first.created),
        "commission_ids": joined(row.ID for row in group),
        "order_item_ids": joined(row.item_id for row in group),
        "order_item_count": str(sum(row.quantity for row in group)),
        "is_refundeds": joined(flag(row.is_refunded) for row in group),
        "refund_statuses": joined(row.refund_status for row in group),
    }


# ------------------------------------------------------------------ WCFM REST order
def wcfm_order(
    state: MarketplaceState,
    order: Order,
    vendor_id: int | None,
    *,
    view: View = "vendor",
    with_details: bool = False,
) -> dict[str, Any]:
    """The WCFM REST order object. ``vendor_id`` None means an administrator's view (every
    item, the main status). ``with_details`` adds the list route's ``vendor_order_details``.
    ``shipment_tracking`` is left out while the main status rules tracking out (files 186,
    187, 197)."""
    rows = (
        vendor_rows(state, order.id, vendor_id, include_trashed=not with_details)
        if vendor_id is not None
        else []
    )
    by_item = {row.item_id: row for row in rows}
    if vendor_id is None:
        items = list(order.items)
        status = order.status
        commissions = {
            row.item_id: row for row in state.commissions_of_order(order.id) if not row.is_trashed
        }
    else:
        items = [item for item in order.items if item.vendor_id == vendor_id]
        status = (
            ""
            if view == "app_password"
            else vendor_status(state, order, vendor_id, include_trashed=not with_details)
        )
        commissions = by_item
    tracking_items = list(order.items) if view == "app_password" else items
    shipping_lines = [
        line
        for line in order.shipping_lines
        if vendor_id is None or (line.vendor_id is not None and line.vendor_id == vendor_id)
    ]
    data: dict[str, Any] = {
        "id": order.id,
        "parent_id": 0,
        "status": status,
        "currency": order.currency,
        "version": WC_VERSION,
        "prices_include_tax": order.prices_include_tax,
        "date_created": wc_date(order.date_created),
        "date_modified": wc_date(order.date_modified),
        "discount_total": money(order.discount_total),
        "discount_tax": money(order.discount_tax),
        "shipping_total": money(order.shipping_total),
        "shipping_tax": money(order.shipping_tax),
        "cart_tax": money(order.cart_tax),
        "total": money2(order.total),
        "total_tax": money(order.total_tax),
        "customer_id": order.customer_id,
        "order_key": order.order_key,
        "billing": _address(order.billing, with_email=True, state_code=False),
        "shipping": _address(order.shipping, with_email=False, state_code=False),
        "payment_method": order.payment_method,
        "payment_method_title": order.payment_method_title,
        "transaction_id": order.transaction_id,
        "customer_ip_address": order.customer_ip_address,
        "customer_user_agent": order.customer_user_agent,
        "created_via": order.created_via,
        "customer_note": order.customer_note,
        "date_completed": wc_date(order.date_completed),
        "date_paid": wc_date(order.date_paid),
        "cart_hash": order.cart_hash,
        "order_stock_reduced": order.order_stock_reduced,
        "download_permissions_granted": order.download_permissions_granted
        or order.status in ("processing", "completed"),
        "new_order_email_sent": order.new_order_email_sent,
        "recorded_sales": order.recorded_sales,
        "recorded_coupon_usage_counts": order.recorded_coupon_usage_counts,
        "number": str(order.id),
        "meta_data": _meta_list(order.meta),
        "line_items": [_line_item(state, order, item, commissions.get(item.id)) for item in items],
        "tax_lines": _tax_lines(order, money),
        "shipping_lines": [_shipping_line(state, order, line) for line in shipping_lines],
        "fee_lines": _fee_lines(order, money),
        "coupon_lines": _coupon_lines(order, money),
        "date_created_gmt": wc_date(order.date_created),
        "date_modified_gmt": wc_date(order.date_modified),
        "date_completed_gmt": wc_date(order.date_completed),
        "date_paid_gmt": wc_date(order.date_paid),
        "commission_head": "Earning",
        "user_delivery_location": order.user_delivery_location,
    }
    if order.status not in NO_TRACKING_STATUSES:
        data["shipment_tracking"] = shipment_tracking(state, order, tracking_items)
    if with_details and rows:
        data["vendor_order_details"] = vendor_order_details(rows)
    return data


# ------------------------------------------------------------------ WooCommerce wc/v3 order
def _wc_item_meta(state: MarketplaceState, entries: Iterable[Any]) -> list[dict[str, Any]]:
    result = []
    for entry in entries:
        display_value = entry.value
        if entry.key == "_vendor_id":
            vendor = state.users.get(int(entry.value)) if str(entry.value).isdigit() else None
            display_value = store_name(vendor) if vendor else entry.value
        result.append(
            {
                "id": entry.id,
                "key": entry.key,
                "value": entry.value,
                "display_key": _ITEM_META_LABELS.get(entry.key, entry.key),
                "display_value": display_value,
            }
        )
    return result


def wc_order(state: MarketplaceState, order: Order, base_url: str) -> dict[str, Any]:
    """WooCommerce's own ``GET /wc/v3/orders/{id}`` (the admin's view)."""
    api = f"{base_url}/wp-json/wc/v3"
    needs_processing = any(
        not (item.virtual or _is_downloadable(state, item)) for item in order.items
    )
    data: dict[str, Any] = {
        "id": order.id,
        "parent_id": 0,
        "status": "trash" if order.is_trashed else order.status,
        "currency": order.currency,
        "version": WC_VERSION,
        "prices_include_tax": order.prices_include_tax,
        "date_created": wc_date(order.date_created),
        "date_modified": wc_date(order.date_modified),
        "discount_total": money2(order.discount_total),
        "discount_tax": money2(order.discount_tax),
        "shipping_total": money2(order.shipping_total),
        "shipping_tax": money2(order.shipping_tax),
        "cart_tax": money2(order.cart_tax),
        "total": money2(order.total),
        "total_tax": money2(order.total_tax),
        "customer_id": order.customer_id,
        "order_key": order.order_key,
        "billing": _address(order.billing, with_email=True, state_code=True),
        "shipping": _address(order.shipping, with_email=False, state_code=True),
        "payment_method": order.payment_method,
        "payment_method_title": order.payment_method_title,
        "transaction_id": order.transaction_id,
        "customer_ip_address": order.customer_ip_address,
        "customer_user_agent": order.customer_user_agent,
        "created_via": order.created_via,
        "customer_note": order.customer_note,
        "date_completed": wc_date(order.date_completed),
        "date_paid": wc_date(order.date_paid),
        "cart_hash": order.cart_hash,
        "number": str(order.id),
        "meta_data": _meta_list(order.meta),
        "line_items": [
            {
                "id": item.id,
                "name": item.name,
                "product_id": item.product_id,
                "variation_id": item.variation_id,
                "quantity": item.quantity,
                "tax_class": item.tax_class,
                "subtotal": money2(item.subtotal),
                "subtotal_tax": money2(item.subtotal_tax),
                "total": money2(item.total),
                "total_tax": money2(item.total_tax),
                "taxes": _taxes(item, order),
                "meta_data": _wc_item_meta(state, item.meta),
                "sku": item.sku,
                "price": number(_price(item)),
                "image": {"id": "", "src": ""},
                "parent_name": None,
            }
            for item in order.items
        ],
        "tax_lines": _tax_lines(order, money2),
        "shipping_lines": [
            {
                "id": line.id,
                "method_title": line.method_title,
                "method_id": line.method_id,
                "instance_id": line.instance_id,
                "total": money2(line.total),
                "total_tax": money2(line.total_tax),
                "taxes": _shipping_taxes(line, order, money2),
                "tax_status": "taxable",
                "meta_data": _meta_list(line.meta),
            }
            for line in order.shipping_lines
        ],
        "fee_lines": _fee_lines(order, money2),
        "coupon_lines": _coupon_lines(order, money2),
        "refunds": [
            {"id": refund.id, "reason": refund.reason, "total": money2(-refund.amount)}
            for refund in reversed(order.refunds)
        ],
        "payment_url": (
            f"{base_url}/checkout/order-pay/{order.id}/?pay_for_order=true&key={order.order_key}"
        ),
        "is_editable": order.status in ("pending", "on-hold", "checkout-draft"),
        "needs_payment": order.status in ("pending", "failed") and order.total > 0,
        "needs_processing": needs_processing,
        "date_created_gmt": wc_date(order.date_created),
        "date_modified_gmt": wc_date(order.date_modified),
        "date_completed_gmt": wc_date(order.date_completed),
        "date_paid_gmt": wc_date(order.date_paid),
        "currency_symbol": CURRENCY_SYMBOLS.get(order.currency, order.currency),
    }
    if state.settings.edition == "ultimate":
        # "PDF Invoices & Packing Slips" (active with Ultimate on the recorded site)
        data["wpo_wcpdf_invoice_number"] = str(order.meta_value("_wcpdf_invoice_number") or "")
    data["_links"] = {
        "self": [
            {
                "href": f"{api}/orders/{order.id}",
                "targetHints": {"allow": ["GET", "POST", "PUT", "PATCH", "DELETE"]},
            }
        ],
        "collection": [{"href": f"{api}/orders"}],
        "email_templates": [
            {"embeddable": True, "href": f"{api}/orders/{order.id}/actions/email_templates"}
        ],
    }
    if order.customer_id:
        data["_links"]["customer"] = [{"href": f"{api}/customers/{order.customer_id}"}]
    return data


def wc_refund(refund: Refund, base_url: str) -> dict[str, Any]:
    """A WooCommerce refund as ``/wc/v3/orders/{id}/refunds`` shows it (files 180, 185)."""
    api = f"{base_url}/wp-json/wc/v3/orders/{refund.order_id}"
    return {
        "id": refund.id,
        "date_created": wc_date(refund.date_created),
        "date_created_gmt": wc_date(refund.date_created),
        "amount": money2(refund.amount),
        "reason": refund.reason,
        "refunded_by": refund.refunded_by,
        "refunded_payment": False,
        "meta_data": [],
        "line_items": [
            {
                "id": line.item_id,
                "quantity": -line.quantity,
                "total": money2(-line.refund_total),
                "total_tax": money2(-line.refund_tax),
            }
            for line in refund.lines
        ],
        "shipping_lines": [],
        "tax_lines": [],
        "fee_lines": [],
        "_links": {
            "self": [
                {
                    "href": f"{api}/refunds/{refund.id}",
                    "targetHints": {"allow": ["GET", "DELETE"]},
                }
            ],
            "collection": [{"href": f"{api}/refunds"}],
            "up": [{"href": api}],
        },
    }


def wc_note(entry: Note, base_url: str) -> dict[str, Any]:
    """An order note as ``/wc/v3/orders/{id}/notes`` shows it: WooCommerce's own notes are
    authored "WooCommerce" (files 191, 192, 201)."""
    api = f"{base_url}/wp-json/wc/v3/orders/{entry.order_id}"
    return {
        "id": entry.id,
        "author": "WooCommerce" if entry.added_by == "system" else entry.added_by,
        "date_created": wc_date(entry.date_created),
        "date_created_gmt": wc_date(entry.date_created),
        "note": entry.content,
        "customer_note": entry.customer_note,
        "_links": {
            "self": [
                {
                    "href": f"{api}/notes/{entry.id}",
                    "targetHints": {"allow": ["GET", "DELETE"]},
                }
            ],
            "collection": [{"href": f"{api}/notes"}],
            "up": [{"href": api}],
        },
    }


def _is_downloadable(state: MarketplaceState, item: OrderItem) -> bool:
    product = state.products.get(item.product_id)
    return bool(product and product.downloadable)


# ------------------------------------------------------------------ notes
def note(entry: Note) -> dict[str, Any]:
    """``wc_get_order_note()`` as ``json_encode`` prints it."""
    return {
        "id": entry.id,
        "date_created": php_datetime(entry.date_created),
        "content": entry.content,
        "customer_note": entry.customer_note,
        "added_by": entry.added_by,
        "order_id": entry.order_id,
    }


def notes(entries: Iterable[Note]) -> list[dict[str, Any]]:
    """Newest first (``orderby comment_ID DESC``)."""
    return [note(entry) for entry in sorted(entries, key=lambda n: n.id, reverse=True)]


# ------------------------------------------------------------------ notifications
def notification(message: Message) -> dict[str, str]:
    """A row of ``GET /notifications``: four string fields, the message without HTML."""
    return {
        "ID": str(message.ID),
        "message": strip_tags(message.message).strip(),
        "message_type": message.message_type,
        "created": mysql_date(message.created) or "",
    }


# ------------------------------------------------------------------ users
def avatar_url(email: str) -> str:
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    return f"https://secure.gravatar.com/avatar/{digest}?s=96&d=mm&r=g"


def user_profile(user: User, base_url: str, registered: datetime) -> dict[str, Any]:
    """``GET /wcfmmp/v1/user-profile`` (WooCommerce's customer shape)."""
    created = wc_date(user.registered or registered)
    billing = user.billing
    shipping = user.shipping
    api = f"{base_url}/wp-json/wcfmmp/v1"
    return {
        "id": user.id,
        "date_created": created,
        "date_created_gmt": created,
        "date_modified": created,
        "date_modified_gmt": created,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "role": user.role,
        "username": user.login,
        "billing": {
            "first_name": billing.first_name,
            "last_name": billing.last_name,
            "company": billing.company,
            "address_1": billing.address_1,
            "address_2": billing.address_2,
            "city": billing.city,
            "postcode": billing.postcode,
            "country": billing.country,
            "state": billing.state,
            "email": billing.email,
            "phone": billing.phone,
        },
        "shipping": {
            "first_name": shipping.first_name,
            "last_name": shipping.last_name,
            "company": shipping.company,
            "address_1": shipping.address_1,
            "address_2": shipping.address_2,
            "city": shipping.city,
            "postcode": shipping.postcode,
            "country": shipping.country,
            "state": shipping.state,
            "phone": shipping.phone,
        },
        "is_paying_customer": False,
        "avatar_url": avatar_url(user.email),
        "_links": {
            "self": [{"href": f"{api}/customers/{user.id}"}],
            "collection": [{"href": f"{api}/customers"}],
        },
    }


def store_settings(user: User) -> dict[str, Any]:
    """``GET /settings/id/{id}``: the vendor's ``wcfmmp_profile_settings``."""
    store = user.store
    if store is None:
        return {}
    return {
        "store_name": store.store_name,
        "store_slug": store.store_slug,
        "store_email": store.store_email,
        "phone": store.phone,
        "address": {
            "street_1": store.street_1,
            "city": store.city,
            "zip": store.zip,
            "country": store.country,
            "state": store.state,
        },
        "payment": {"method": store.payment_method},
        "shop_description": store.shop_description,
    }
