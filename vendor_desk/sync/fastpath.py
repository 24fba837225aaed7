"""Marketplace order JSON → cache rows in one pass, without building domain objects.

During a first sync and a reconcile nearly every order is new (or unchanged), so the domain
:class:`~vendor_desk.domain.Order` would only be a way to compute its column values. This module
computes exactly the rows :func:`vendor_desk.cache.store.prepare` computes from
``parsing.parse_order(data)`` — same ``orders`` values in the same key order, same item rows,
same fingerprint — several times faster. It reuses the parser's scalar readers
(``as_int``, ``as_decimal``, ``parse_wc_datetime`` …) and the cache's derived-value cores
(``group_of``, ``shipping_state_of`` …), so each rule is still written once.

Anything unusual (a field of an unexpected type, a missing required field) makes
:func:`prepare_json_order` return None: the caller then takes the domain path, which raises the
parser's precise error when the order is really malformed. ``tests/sync/test_fastpath.py``
checks the equivalence on every order of the simulator's datasets.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping, Sequence
from datetime import tzinfo
from decimal import Decimal
from typing import Any

from vendor_desk.cache import store
from vendor_desk.cache.models import money_units
from vendor_desk.domain import OrderStatus, PayoutState, RefundState, ShippingStatus
from vendor_desk.marketplace import parsing
from vendor_desk.marketplace.errors import InvalidResponse
from vendor_desk.marketplace.parsing import as_decimal, as_int, as_text, parse_wc_datetime

_ADDRESS_FIELDS = store.ADDRESS_FIELDS
#: Status value objects by the marketplace's text: immutable, and a shop uses a handful of
#: texts, so each is built (its slug normalised) once instead of for every order.
_order_status = functools.lru_cache(maxsize=256)(OrderStatus)
_shipping_status = functools.lru_cache(maxsize=256)(ShippingStatus)
_payout_state = functools.lru_cache(maxsize=256)(PayoutState)
_ZERO = Decimal(0)
_REQUESTED = RefundState.REQUESTED.slug
_SHIPPED_STATES = (ShippingStatus.SHIPPED.slug, ShippingStatus.COMPLETED.slug)


def _text(value: Decimal) -> str:
    """An amount as the cache stores it (``store._money_text``)."""
    return f"{value:f}"


def _is_mapping(value: Any) -> bool:
    """``isinstance(value, Mapping)``, quick for the dicts decoded JSON is made of (the ABC
    check costs ≈ 1 µs, and an order has dozens of objects)."""
    return isinstance(value, (dict, Mapping))


#: How ``store.encode_json`` (``JSONEncoder(ensure_ascii=False)``) writes a str value.
_json_text = json.encoder.encode_basestring
#: ``"first_name": `` … in ``Address`` field order.
_ADDRESS_KEYS = tuple((_json_text(name) + ": ", name) for name in _ADDRESS_FIELDS)


def _address_json(address: Mapping[str, str]) -> str:
    """``store.encode_json(address)`` for an address of :func:`_address` (every value a str),
    written directly: the same text, without the encoder's per-call set-up."""
    return "{" + ", ".join([key + _json_text(address[name]) for key, name in _ADDRESS_KEYS]) + "}"


def _meta_value(meta: Any, key: str) -> Any:
    """``parsing._meta_value`` with the quick mapping check (meta lists are long)."""
    if not isinstance(meta, list):
        return None
    for entry in meta:
        if _is_mapping(entry) and entry.get("key") == key:
            return entry.get("value")
    return None


def _address(data: Any) -> dict[str, str]:
    """The fields of ``parsing._address`` as a dict in ``Address`` field order."""
    if not _is_mapping(data):
        return dict.fromkeys(_ADDRESS_FIELDS, "")
    get = data.get
    address: dict[str, str] = {}
    for name in _ADDRESS_FIELDS:
        value = get(name)
        address[name] = value if type(value) is str else as_text(value)
    return address


def _name(address: Mapping[str, str]) -> str:
    """``Address.name``."""
    return " ".join(part for part in (address["first_name"], address["last_name"]) if part)


def prepare_json_order(
    data: Any, json_text: str | None, site_tz: tzinfo
) -> store.PreparedOrder | None:
    """The cache rows of one order object of the order list, or None when the domain path must
    handle it. ``json_text`` is the exact text ``data`` was decoded from (stored as raw JSON)."""
    try:
        return _prepare(data, json_text, site_tz)
    except (InvalidResponse, ArithmeticError, TypeError, ValueError, KeyError, AttributeError):
        return None


def _prepare(data: Any, json_text: str | None, site_tz: tzinfo) -> store.PreparedOrder | None:
    if not isinstance(data, dict) or json_text is None:
        return None
    what = "an order"
    order_id = as_int(data["id"], what, "id")
    currency = as_text(data["currency"]) or "USD"
    raw_items = data["line_items"]
    if not isinstance(raw_items, list):
        return None
    details_raw = data.get("vendor_order_details")
    details: Mapping[str, Any] | None = details_raw if _is_mapping(details_raw) else None

    status_text = as_text(data["status"])
    if not status_text and details:
        status_text = as_text(details.get("commission_status"))
    vendor_status = _order_status(status_text).slug
    main_status = _order_status(as_text(details.get("order_status"))).slug if details else ""
    shipping_status = _shipping_status(as_text(details.get("shipping_status") if details else ""))
    payout_state = _payout_state(as_text(details.get("withdraw_status") if details else ""))

    date_created = parse_wc_datetime(data["date_created"], data.get("date_created_gmt"), site_tz)
    if date_created is None:
        return None

    refund_states = parsing._item_refund_states(details)
    each_data = parsing._shipment_each_data(data, main_status or vendor_status)
    shipment_by_item: dict[int, Mapping[str, Any]] = {}
    for entry in each_data or []:
        try:
            shipment_by_item[as_int(entry.get("item_id"), what, "item_id")] = entry
        except InvalidResponse:
            continue

    # ---------------------------------------------------------------- items (parse_line_item)
    item_what = "an order item"
    items: list[dict[str, Any]] = []
    items_total = _ZERO
    commissions: Decimal | None = _ZERO
    shippables: list[bool | None] = []
    parcels: set[str] = set()
    all_tracked = True  # every shippable item has tracking
    any_shippable = False
    any_tracking = False
    refund_pending = False
    to_pack = False  # an item still goes in a parcel (store.to_pack_of)
    item_count = 0
    summary: list[tuple[int, str]] = []
    search_items: list[str] = []
    for position, raw in enumerate(raw_items):
        if not _is_mapping(raw):
            return None
        item_id = as_int(raw["id"], item_what, "id")
        quantity = as_int(raw["quantity"], item_what, "quantity")
        total = as_decimal(raw["total"], item_what, "total")
        raw_price = raw.get("price")
        if raw_price is None or raw_price == "":
            price = total / quantity if quantity else total
        else:
            price = as_decimal(raw_price, item_what, "price")
        commission_raw = raw.get("commission_value")
        commission = (
            None
            if commission_raw is None or commission_raw == ""
            else as_decimal(commission_raw, item_what, "commission_value")
        )
        meta = raw.get("meta_data")
        code = as_text(_meta_value(meta, parsing.TRACKING_CODE_KEY))
        url = as_text(_meta_value(meta, parsing.TRACKING_URL_KEY))
        shipment = shipment_by_item.get(item_id)
        if shipment is not None:
            code = code or as_text(shipment.get("tracking_code"))
            url = url or as_text(shipment.get("tracking_url"))
        shippable = None if each_data is None else item_id in shipment_by_item
        refund_state = refund_states.get(item_id, RefundState.UNKNOWN).slug
        name = as_text(raw.get("name"))
        sku = as_text(raw.get("sku"))
        items.append(
            {
                "item_id": item_id,
                "position": position,
                "product_id": as_int(raw.get("product_id") or 0, item_what, "product_id"),
                "variation_id": as_int(raw.get("variation_id") or 0, item_what, "variation_id"),
                "name": name,
                "sku": sku,
                "quantity": quantity,
                "subtotal": _text(as_decimal(raw.get("subtotal"), item_what, "subtotal")),
                "total": _text(total),
                "total_units": money_units(total),
                "tax": _text(as_decimal(raw.get("total_tax"), item_what, "total_tax")),
                "price": _text(price),
                "commission": None if commission is None else _text(commission),
                "refund_state": refund_state,
                "refunded_quantity": None,
                "refunded_amount": None,
                "tracking_code": code,
                "tracking_url": url,
                "shippable": shippable,
            }
        )
        items_total = items_total + total
        if commission is None:
            commissions = None
        elif commissions is not None:
            commissions = commissions + commission
        has_tracking = bool(code or url)
        shippables.append(shippable)
        if has_tracking:
            any_tracking = True
            parcels.add(code or url)
        if shippable is not False:
            any_shippable = True
            all_tracked = all_tracked and has_tracking
        refund_pending = refund_pending or refund_state == _REQUESTED
        to_pack = to_pack or store.to_pack_of(shippable, has_tracking, refund_state)
        item_count += quantity
        summary.append((quantity, name))
        search_items += [sku, name]
    own_ids = {item["item_id"] for item in items}
    foreign = [item_id for item_id in shipment_by_item if item_id not in own_ids]

    # ---------------------------------------------------------------- order (parse_order)
    total = as_decimal(data["total"], what, "total")
    shipping_total = as_decimal(data.get("shipping_total"), what, "shipping_total")
    fees = data.get("fee_lines")
    fees_total = _ZERO
    for fee in fees if isinstance(fees, list) else []:
        if _is_mapping(fee):
            fees_total = fees_total + as_decimal(fee.get("total"), what, "fee total")
    tax_total = as_decimal(data.get("total_tax"), what, "total_tax")
    split = bool(foreign) or total != items_total + shipping_total + tax_total + fees_total

    earning: Decimal | None
    if details and details.get("total_commission") not in (None, ""):
        earning = as_decimal(details.get("total_commission"), what, "total_commission")
    elif items and commissions is not None:
        earning = commissions
    else:
        earning = None
    refund_flag = as_text(
        _meta_value(data.get("meta_data"), parsing.REFUND_REQUEST_META_KEY)
    ).lower() == "yes" or any(state == RefundState.REQUESTED for state in refund_states.values())

    billing = _address(data.get("billing"))
    shipping = _address(data.get("shipping"))
    customer_name = _name(billing) or _name(shipping)
    customer_phone = billing["phone"] or shipping["phone"]
    number = as_text(data.get("number")) or str(order_id)

    # ------------------------------------------------------------- derived (store.order_values)
    status = vendor_status or main_status  # Status.or_else
    shipped = (
        vendor_status == OrderStatus.SHIPPED.slug
        or shipping_status.slug in _SHIPPED_STATES
        or (any_shippable and all_tracked)
    )
    group = store.group_of(status, main_status, refund_flag or refund_pending, shipped, to_pack)
    values: dict[str, Any] = {
        "number": number,
        "vendor_status": vendor_status,
        "main_status": main_status,
        "shipping_status": shipping_status.slug,
        "payout_state": payout_state.slug,
        "status_group": group,
        "display_status": store.display_of(status, refund_flag or refund_pending),
        "shipping_state": store.shipping_state_of(
            shippables, parcels, shipped, open_=group == "to_ship"
        ),
        "created": date_created,
        "modified": parse_wc_datetime(
            data.get("date_modified"), data.get("date_modified_gmt"), site_tz
        ),
        "paid": parse_wc_datetime(data.get("date_paid"), data.get("date_paid_gmt"), site_tz),
        "completed": parse_wc_datetime(
            data.get("date_completed"), data.get("date_completed_gmt"), site_tz
        ),
        "payment_method": as_text(data.get("payment_method")),
        "payment_title": as_text(data.get("payment_method_title")),
        "customer_id": as_int(data.get("customer_id") or 0, what, "customer_id"),
        "customer_name": customer_name,
        "customer_sort": customer_name.casefold(),
        "customer_email": billing["email"],
        "customer_phone": customer_phone,
        "billing_json": _address_json(billing),
        "shipping_json": _address_json(shipping),
        "customer_note": as_text(data.get("customer_note")),
        "currency": currency,
        "total": _text(total),
        "shipping_total": _text(shipping_total),
        "items_total": _text(items_total),
        "items_total_units": money_units(items_total),
        "earning": None if earning is None else _text(earning),
        "earning_units": money_units(earning) if earning is not None else None,
        **store.commission_values_of(details, date_created),
        "split": split,
        "refund_requested": refund_flag,
        "foreign_item_ids": json.dumps(foreign) if foreign else "[]",
        "items_summary": store.summary_of(summary),
        "item_count": item_count,
        "has_tracking": any_tracking,
        "search_text": store.search_text_of(
            [
                number,
                str(order_id),
                customer_name,
                _name(shipping),
                billing["email"],
                customer_phone,
                *search_items,
            ]
        ),
    }

    def to_order() -> Any:
        return parsing.parse_order(data, site_tz, json_text=json_text)

    return store.PreparedOrder.of(order_id, values, items, json_text, to_order)


def prepare_page(
    entries: Sequence[tuple[Any, str | None]], site_tz: tzinfo
) -> list[store.PreparedOrder]:
    """The rows of one order-list page: the fast path for each entry, the domain path
    (``parse_order`` + ``store.prepare``) for any it cannot take (raising the parser's error
    for a malformed order)."""
    rows: list[store.PreparedOrder] = []
    for data, text in entries:
        fast = prepare_json_order(data, text, site_tz)
        if fast is None:
            fast = store.prepare(parsing.parse_order(data, site_tz, json_text=text))
        rows.append(fast)
    return rows
