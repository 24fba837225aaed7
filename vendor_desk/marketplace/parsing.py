"""Marketplace JSON (and the dashboard's HTML snippets) → domain objects.

Pure functions, no I/O. They accept what the real WCFM stack sends (see
``shared/marketplace/wcfm-api.md``): ids as ints or strings, money as decimal strings or JSON
numbers (the client decodes JSON numbers as ``Decimal``; floats are tolerated and converted
through their shortest text), ``"0"/"1"`` flags, WooCommerce dates with ``_gmt`` twins, PHP
``DateTime`` dumps.
Unknown extra fields are ignored; a missing or malformed required field raises
:class:`~vendor_desk.marketplace.errors.InvalidResponse`.
"""

from __future__ import annotations

import base64
import html
import json
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from decimal import Decimal, InvalidOperation
from html.parser import HTMLParser
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from vendor_desk.domain import (
    Address,
    AuthMethod,
    LineItem,
    Money,
    Note,
    Notification,
    Order,
    OrderStatus,
    PayoutState,
    RefundMode,
    RefundRequest,
    RefundRequestStatus,
    RefundState,
    SalesPeriods,
    SalesStats,
    ShippingStatus,
    StoreAddress,
    StoreSettings,
    VendorIdentity,
    rules,
)
from vendor_desk.domain.text import N_, Sentence
from vendor_desk.marketplace.errors import InvalidResponse

JsonDict = Mapping[str, Any]

TRACKING_CODE_KEY = "wcfm_tracking_code"
TRACKING_URL_KEY = "wcfm_tracking_url"
REFUND_REQUEST_META_KEY = "_wcfm_refund_request"


# =============================================================================== scalars
def _invalid(what: str, detail: str) -> InvalidResponse:
    return InvalidResponse(
        Sentence(
            N_(
                "The marketplace sent {what} the app cannot read. Try again later; if it "
                "persists, the marketplace may have been updated."
            ),
            what=Sentence(what),
        ),
        detail=detail,
    )


def require(data: JsonDict, key: str, what: str) -> Any:
    """``data[key]``, or InvalidResponse naming the missing field."""
    if not isinstance(data, Mapping):
        raise _invalid(what, f"expected an object, got {type(data).__name__}")
    if key not in data:
        raise _invalid(what, f"required field {key!r} is missing")
    return data[key]


def as_int(value: Any, what: str = N_("a value"), field_name: str = "") -> int:
    """An int from an int or a decimal-digit string (WCFM tables send ids as strings)."""
    if isinstance(value, bool):
        raise _invalid(what, f"{field_name or 'field'}: boolean where a number was expected")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    raise _invalid(what, f"{field_name or 'field'}: {value!r} is not a whole number")


def as_decimal(value: Any, what: str = N_("an amount"), field_name: str = "") -> Decimal:
    """A Decimal from a decimal string, int, Decimal or (tolerated) float; None/"" are zero."""
    if value is None or value == "":
        return Decimal(0)
    if isinstance(value, bool):
        raise _invalid(what, f"{field_name or 'field'}: boolean where an amount was expected")
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, str):
        try:
            result = Decimal(value.strip())
        except InvalidOperation:
            pass
        else:
            if result.is_finite():
                return result
    raise _invalid(what, f"{field_name or 'field'}: {value!r} is not an amount")


def as_text(value: Any) -> str:
    """Text for display fields; None and non-strings become their plain text ('' for None)."""
    if value is None or value is False:
        return ""
    return value if isinstance(value, str) else str(value)


def as_flag(value: Any) -> bool:
    """WCFM flags: ``"1"``/``1``/``true``/``"yes"`` are true."""
    if isinstance(value, str):
        return value.strip().lower() in {"1", "yes", "true"}
    return bool(value)


def comma_list(value: Any) -> list[str]:
    """WCFM's GROUP_CONCAT lists (``"5,4,3"``) as a list of stripped strings."""
    if value is None or value == "":
        return []
    return [part.strip() for part in str(value).split(",")]


# ================================================================================= dates
def site_timezone(name: str | None) -> tzinfo:
    """The marketplace's timezone by IANA name or ``+HH:MM`` offset; UTC when unknown."""
    if not name:
        return UTC
    return _tz_from_text(name) or UTC


def _tz_from_text(text: str) -> tzinfo | None:
    text = text.strip()
    match = re.fullmatch(r"([+-])(\d{1,2}):?(\d{2})", text)
    if match:
        sign = 1 if match.group(1) == "+" else -1
        offset = timedelta(hours=int(match.group(2)), minutes=int(match.group(3)))
        return UTC if not offset else timezone(sign * offset)
    if text.upper() in {"UTC", "Z", "GMT"}:
        return UTC
    try:
        return ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def parse_wc_datetime(local: Any, gmt: Any = None, site_tz: tzinfo = UTC) -> datetime | None:
    """A WooCommerce date (``2026-11-24T16:05:53``), preferring its ``_gmt`` twin; None if unset."""
    for value, tz in ((gmt, UTC), (local, site_tz)):
        if not value:
            continue
        if not isinstance(value, str):
            raise _invalid(N_("a date"), f"{value!r} is not a date")
        try:
            parsed = datetime.fromisoformat(value.strip().replace(" ", "T"))
        except ValueError as error:
            raise _invalid(N_("a date"), f"{value!r}: {error}") from error
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)
    return None


def parse_php_datetime(value: Any, site_tz: tzinfo = UTC) -> datetime:
    """A PHP ``DateTime`` as json_encode dumps it: ``{"date": "2026-11-27 16:09:13.000000",
    "timezone_type": 1|2|3, "timezone": "+00:00"|"UTC"|"Europe/Paris"}``. ISO strings work too."""
    if isinstance(value, str):
        parsed = parse_wc_datetime(value, site_tz=site_tz)
        if parsed is None:
            raise _invalid(N_("a note date"), "empty date")
        return parsed
    date_text = require(value, "date", N_("a note date"))
    try:
        naive = datetime.fromisoformat(str(date_text).strip().replace(" ", "T"))
    except ValueError as error:
        raise _invalid(N_("a note date"), f"{date_text!r}: {error}") from error
    tz = _tz_from_text(as_text(value.get("timezone"))) if value.get("timezone") else None
    return naive.replace(tzinfo=tz or site_tz)


def parse_table_datetime(value: Any, site_tz: tzinfo = UTC) -> datetime:
    """A date from a WCFM table (``2026-11-27 16:05:53``, site-local time)."""
    parsed = parse_wc_datetime(value, site_tz=site_tz)
    if parsed is None:
        raise _invalid(N_("a date"), "empty date")
    return parsed


def parse_display_datetime(value: str, site_tz: tzinfo = UTC) -> datetime | None:
    """A date as the dashboard prints it (``November 27, 2026 4:09 pm``); None if unreadable."""
    text = html_to_text(value).strip()
    for pattern in ("%B %d, %Y %I:%M %p", "%B %d, %Y %H:%M", "%B %d, %Y", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(text, pattern).replace(tzinfo=site_tz)
        except ValueError:
            continue
    return None


# ================================================================================== HTML
class _TextExtractor(HTMLParser):
    """Collects the text of an HTML fragment; line-breaking tags become newlines."""

    _BREAKS = frozenset({"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def _line_break(self) -> None:
        """End the current line unless already at the start of one (block elements)."""
        if self.parts and not self.parts[-1].endswith("\n"):
            self.parts.append("\n")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style"}:
            self._skip += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag in self._BREAKS:
            self._line_break()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style"}:
            self._skip = max(0, self._skip - 1)
        elif tag in self._BREAKS and tag != "br":
            self._line_break()

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment: tags stripped, entities decoded, ``<br>`` → newline,
    runs of blanks collapsed, no leading/trailing blank lines."""
    if not fragment:
        return ""
    parser = _TextExtractor()
    parser.feed(fragment)
    parser.close()
    text = html.unescape("".join(parser.parts)).replace("\xa0", " ")
    lines = [re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in text.split("\n")]
    # collapse blank-line runs to one, drop leading/trailing blanks
    cleaned: list[str] = []
    for line in lines:
        if not line and (not cleaned or not cleaned[-1]):
            continue
        cleaned.append(line)
    while cleaned and not cleaned[-1]:
        cleaned.pop()
    return "\n".join(cleaned)


# ============================================================================ raw JSON
class RawJsonObject(dict[str, Any]):
    """A decoded JSON object that also keeps the exact text it was decoded from.

    ``Order.raw`` holds one of these when the order came from a list page, so the cache can store
    the marketplace's own text instead of encoding the object again (see
    :func:`split_json_array`). It is an ordinary ``dict`` in every other respect.
    """

    __slots__ = ("json_text",)

    def __init__(self, data: Mapping[str, Any], json_text: str) -> None:
        super().__init__(data)
        self.json_text = json_text


_JSON_DECODER = json.JSONDecoder(parse_float=Decimal)
_JSON_BLANKS = re.compile(r"[ \t\n\r]*")


def _after_blanks(text: str, index: int) -> int:
    """The index of the first non-blank character at or after ``index``."""
    match = _JSON_BLANKS.match(text, index)
    return match.end() if match else index


def split_json_array(text: str) -> list[tuple[Any, str]] | None:
    """Decode a JSON array element by element: ``[(value, exact text of the value), …]``.

    JSON numbers become ``Decimal`` (as :func:`~vendor_desk.marketplace.transport.decode_json`
    makes them). Costs the same as decoding the whole array at once. Returns None when ``text``
    is not exactly one JSON array (the caller then falls back to the tolerant decoder).
    """
    blank = _after_blanks
    end = len(text)
    index = blank(text, 0)
    if not text.startswith("[", index):
        return None
    index = blank(text, index + 1)
    elements: list[tuple[Any, str]] = []
    if text.startswith("]", index):
        return elements if blank(text, index + 1) == end else None
    while True:
        try:
            value, stop = _JSON_DECODER.raw_decode(text, index)
        except ValueError:
            return None
        elements.append((value, text[index:stop]))
        index = blank(text, stop)
        if text.startswith(",", index):
            index = blank(text, index + 1)
        elif text.startswith("]", index):
            return elements if blank(text, index + 1) == end else None
        else:
            return None


# ================================================================================ orders
def _meta_value(meta: Any, key: str) -> Any:
    if not isinstance(meta, list):
        return None
    for entry in meta:
        if isinstance(entry, Mapping) and entry.get("key") == key:
            return entry.get("value")
    return None


def _address(data: Any) -> Address:
    if not isinstance(data, Mapping):
        return Address()
    return Address(
        first_name=as_text(data.get("first_name")),
        last_name=as_text(data.get("last_name")),
        company=as_text(data.get("company")),
        address_1=as_text(data.get("address_1")),
        address_2=as_text(data.get("address_2")),
        city=as_text(data.get("city")),
        state=as_text(data.get("state")),
        postcode=as_text(data.get("postcode")),
        country=as_text(data.get("country")),
        email=as_text(data.get("email")),
        phone=as_text(data.get("phone")),
    )


def _item_refund_states(details: JsonDict | None) -> dict[int, RefundState]:
    """Per-item refund state from the list route's comma lists (matched by position)."""
    if not details:
        return {}
    item_ids = comma_list(details.get("order_item_ids"))
    statuses = comma_list(details.get("refund_statuses"))
    refunded = comma_list(details.get("is_refundeds"))
    states: dict[int, RefundState] = {}
    for index, raw_id in enumerate(item_ids):
        if not raw_id.isdigit():
            continue
        status = statuses[index] if index < len(statuses) else ""
        flag = as_flag(refunded[index]) if index < len(refunded) else False
        states[int(raw_id)] = RefundState.from_commission(status, flag)
    if len(item_ids) == 1 and not statuses and details.get("refund_status") is not None:
        only = int(item_ids[0]) if item_ids[0].isdigit() else None
        if only is not None:
            states[only] = RefundState.from_commission(
                as_text(details.get("refund_status")), as_flag(details.get("is_refunded"))
            )
    return states


#: Main statuses for which the marketplace lists no item as shippable, whatever the items are
#: (``shipment_tracking`` is then ``[]``; wcfm-api.md §3.2).
NO_TRACKING_STATUSES = frozenset({"failed", "cancelled", "refunded", "pending"})


def _shipment_each_data(data: JsonDict, status: str) -> list[JsonDict] | None:
    """The shippable items the marketplace lists (``shipment_tracking.each_data``), or None
    when it does not say.

    ``shipment_tracking`` is ``[]`` (PHP's empty array) when no item of the order needs
    shipping — virtual or downloadable items only, or nothing the marketplace would let the
    vendor ship (an order to collect, a shop that does not ship) — and also when the main
    status rules tracking out. So with ``status`` (the main status, else the vendor's) known
    and not one of those, ``[]`` means: none of the vendor's items is shipped.
    """
    tracking = data.get("shipment_tracking")
    if isinstance(tracking, list) and not tracking:
        return [] if status and status not in NO_TRACKING_STATUSES else None
    if not isinstance(tracking, Mapping):
        return None
    each = tracking.get("each_data")
    if not isinstance(each, list):
        return None
    return [entry for entry in each if isinstance(entry, Mapping)]


def parse_line_item(
    data: JsonDict,
    currency: str,
    *,
    refund_state: RefundState = RefundState.UNKNOWN,
    shipment_entry: JsonDict | None = None,
    shippable: bool | None = None,
) -> LineItem:
    what = N_("an order item")
    item_id = as_int(require(data, "id", what), what, "id")
    quantity = as_int(require(data, "quantity", what), what, "quantity")
    total = as_decimal(require(data, "total", what), what, "total")
    raw_price = data.get("price")
    if raw_price is None or raw_price == "":
        price = total / quantity if quantity else total
    else:
        price = as_decimal(raw_price, what, "price")
    commission_raw = data.get("commission_value")
    commission = (
        None
        if commission_raw is None or commission_raw == ""
        else Money(as_decimal(commission_raw, what, "commission_value"), currency)
    )
    meta = data.get("meta_data")
    code = as_text(_meta_value(meta, TRACKING_CODE_KEY))
    url = as_text(_meta_value(meta, TRACKING_URL_KEY))
    if shipment_entry is not None:
        code = code or as_text(shipment_entry.get("tracking_code"))
        url = url or as_text(shipment_entry.get("tracking_url"))
    return LineItem(
        item_id=item_id,
        product_id=as_int(data.get("product_id") or 0, what, "product_id"),
        variation_id=as_int(data.get("variation_id") or 0, what, "variation_id"),
        name=as_text(data.get("name")),
        sku=as_text(data.get("sku")),
        quantity=quantity,
        subtotal=Money(as_decimal(data.get("subtotal"), what, "subtotal"), currency),
        total=Money(total, currency),
        tax=Money(as_decimal(data.get("total_tax"), what, "total_tax"), currency),
        price=Money(price, currency),
        commission=commission,
        refund_state=refund_state,
        tracking_code=code,
        tracking_url=url,
        shippable=shippable,
    )


def parse_order(data: JsonDict, site_tz: tzinfo = UTC, *, json_text: str | None = None) -> Order:
    """One order object of ``GET /orders`` (with ``vendor_order_details``) or ``GET /orders/{id}``.

    Under application-password auth the single-order route sends ``status: ""``: the vendor
    status then comes out unknown, never as a value (merge with :meth:`Order.fill_unknown_from`).
    ``json_text``, the exact text ``data`` was decoded from, is kept in ``raw`` (a
    :class:`RawJsonObject`) when given. ``trashed`` is False for a list entry (a trashed order
    is never listed) and unknown (None) otherwise.
    """
    what = N_("an order")
    order_id = as_int(require(data, "id", what), what, "id")
    currency = as_text(require(data, "currency", what)) or "USD"
    raw_items = require(data, "line_items", what)
    if not isinstance(raw_items, list):
        raise _invalid(what, "line_items is not a list")
    details_raw = data.get("vendor_order_details")
    details: JsonDict | None = details_raw if isinstance(details_raw, Mapping) else None

    status_text = as_text(require(data, "status", what))
    if not status_text and details:
        status_text = as_text(details.get("commission_status"))
    vendor_status = OrderStatus(status_text)
    main_status = OrderStatus(as_text(details.get("order_status"))) if details else OrderStatus("")

    date_created = parse_wc_datetime(
        require(data, "date_created", what), data.get("date_created_gmt"), site_tz
    )
    if date_created is None:
        raise _invalid(what, "date_created is empty")

    refund_states = _item_refund_states(details)
    each_data = _shipment_each_data(data, main_status.or_else(vendor_status).slug)
    shipment_by_item: dict[int, JsonDict] = {}
    for entry in each_data or []:
        try:
            shipment_by_item[as_int(entry.get("item_id"), what, "item_id")] = entry
        except InvalidResponse:
            continue
    parsed_items: list[LineItem] = []
    for raw in raw_items:
        if not isinstance(raw, Mapping):
            raise _invalid(what, f"line item {raw!r:.100} is not an object")
        item_id = as_int(require(raw, "id", N_("an order item")), what, "id")
        parsed_items.append(
            parse_line_item(
                raw,
                currency,
                refund_state=refund_states.get(item_id, RefundState.UNKNOWN),
                shipment_entry=shipment_by_item.get(item_id),
                shippable=None if each_data is None else item_id in shipment_by_item,
            )
        )
    items = tuple(parsed_items)
    own_ids = {item.item_id for item in items}
    foreign = tuple(item_id for item_id in shipment_by_item if item_id not in own_ids)

    def money(key: str) -> Money:
        return Money(as_decimal(data.get(key), what, key), currency)

    total = Money(as_decimal(require(data, "total", what), what, "total"), currency)
    shipping_total = money("shipping_total")
    items_total = Money.total((item.total for item in items), currency)
    fees = data.get("fee_lines")
    fees_total = Money.total(
        (
            Money(as_decimal(fee.get("total"), what, "fee total"), currency)
            for fee in (fees if isinstance(fees, list) else [])
            if isinstance(fee, Mapping)
        ),
        currency,
    )
    split = rules.infer_split(
        total, items_total, shipping_total, money("total_tax"), fees_total, foreign
    )

    if details and details.get("total_commission") not in (None, ""):
        earning: Money | None = Money(
            as_decimal(details.get("total_commission"), what, "total_commission"), currency
        )
    elif items and all(item.commission is not None for item in items):
        earning = Money.total((item.commission for item in items if item.commission), currency)
    else:
        earning = None

    refund_requested = as_text(
        _meta_value(data.get("meta_data"), REFUND_REQUEST_META_KEY)
    ).lower() == "yes" or any(state == RefundState.REQUESTED for state in refund_states.values())

    return Order(
        id=order_id,
        number=as_text(data.get("number")) or str(order_id),
        vendor_status=vendor_status,
        main_status=main_status,
        currency=currency,
        date_created=date_created,
        date_modified=parse_wc_datetime(
            data.get("date_modified"), data.get("date_modified_gmt"), site_tz
        ),
        date_paid=parse_wc_datetime(data.get("date_paid"), data.get("date_paid_gmt"), site_tz),
        date_completed=parse_wc_datetime(
            data.get("date_completed"), data.get("date_completed_gmt"), site_tz
        ),
        payment_method=as_text(data.get("payment_method")),
        payment_method_title=as_text(data.get("payment_method_title")),
        customer_id=as_int(data.get("customer_id") or 0, what, "customer_id"),
        billing=_address(data.get("billing")),
        shipping=_address(data.get("shipping")),
        customer_note=as_text(data.get("customer_note")),
        total=total,
        shipping_total=shipping_total,
        items_total=items_total,
        earning=earning,
        items=items,
        split=split,
        payout_state=PayoutState(as_text(details.get("withdraw_status") if details else "")),
        shipping_status=ShippingStatus(as_text(details.get("shipping_status") if details else "")),
        refund_requested=refund_requested,
        foreign_item_ids=foreign,
        # Listed (the list route's details) means not in the trash; the single route cannot
        # tell (see has_trash_meta).
        trashed=False if details else None,
        raw=dict(data) if json_text is None else RawJsonObject(data, json_text),
    )


#: Order meta WordPress writes when the order goes to the trash; it stays after a restore.
TRASH_META_KEY = "_wp_trash_meta_status"


def has_trash_meta(data: Any) -> bool:
    """Whether an order's JSON carries WordPress's trash meta (``_wp_trash_meta_status``): the
    order is in the trash, or was and has been restored — the single-order route shows both
    the same (files 163, 168); only the order list tells them apart."""
    return (
        isinstance(data, Mapping) and _meta_value(data.get("meta_data"), TRASH_META_KEY) is not None
    )


def parse_orders(
    data: Any, site_tz: tzinfo = UTC, *, json_texts: Sequence[str] | None = None
) -> list[Order]:
    """An order list page. ``json_texts`` (from :func:`split_json_array`) are the exact texts of
    the entries, kept in each order's ``raw``."""
    if not isinstance(data, list):
        raise _invalid(N_("an order list"), f"expected a list, got {type(data).__name__}")
    if json_texts is None:
        return [parse_order(entry, site_tz) for entry in data]
    if len(json_texts) != len(data):
        raise ValueError("one JSON text per order")
    return [
        parse_order(entry, site_tz, json_text=text)
        for entry, text in zip(data, json_texts, strict=True)
    ]


# ========================================================================= notes & board
def parse_note(data: JsonDict, site_tz: tzinfo = UTC) -> Note:
    what = N_("an order note")
    content = as_text(require(data, "content", what))
    return Note(
        id=as_int(require(data, "id", what), what, "id"),
        order_id=as_int(data.get("order_id") or 0, what, "order_id"),
        date=parse_php_datetime(require(data, "date_created", what), site_tz),
        text=html_to_text(content),
        customer_visible=as_flag(data.get("customer_note")),
        author=as_text(data.get("added_by")) or "system",
        html=content,
    )


def parse_notes(data: Any, site_tz: tzinfo = UTC) -> list[Note]:
    if not isinstance(data, list):
        raise _invalid(N_("the order notes"), f"expected a list, got {type(data).__name__}")
    return [parse_note(entry, site_tz) for entry in data]


def parse_notification(data: JsonDict, *, read: bool, site_tz: tzinfo = UTC) -> Notification:
    what = N_("a notification")
    return Notification(
        id=as_int(require(data, "ID", what), what, "ID"),
        message=html_to_text(as_text(require(data, "message", what))),
        type=as_text(data.get("message_type")),
        created=parse_table_datetime(require(data, "created", what), site_tz),
        read=read,
    )


def parse_notifications(data: Any, *, read: bool, site_tz: tzinfo = UTC) -> list[Notification]:
    if not isinstance(data, list):
        raise _invalid(N_("the notifications"), f"expected a list, got {type(data).__name__}")
    return [parse_notification(entry, read=read, site_tz=site_tz) for entry in data]


# ===================================================================== store & identity
def parse_store_settings(data: JsonDict) -> StoreSettings:
    what = N_("the store settings")
    address = data.get("address") if isinstance(data, Mapping) else None
    address = address if isinstance(address, Mapping) else {}
    return StoreSettings(
        store_name=as_text(require(data, "store_name", what)),
        store_slug=as_text(data.get("store_slug")),
        email=as_text(data.get("store_email")),
        phone=as_text(data.get("phone")),
        address=StoreAddress(
            street_1=as_text(address.get("street_1")),
            street_2=as_text(address.get("street_2")),
            city=as_text(address.get("city")),
            zip=as_text(address.get("zip")),
            state=as_text(address.get("state")),
            country=as_text(address.get("country")),
        ),
        description=html_to_text(as_text(data.get("shop_description"))),
    )


def parse_sales_stats(data: JsonDict) -> SalesStats:
    what = N_("the sales figures")
    currency = as_text(data.get("currency")) if isinstance(data, Mapping) else ""
    currency = currency or "USD"

    def periods(key: str) -> SalesPeriods:
        block = require(data, key, what)
        if not isinstance(block, Mapping):
            raise _invalid(what, f"{key} is not an object")
        return SalesPeriods(
            week=Money(as_decimal(block.get("week"), what, f"{key}.week"), currency),
            month=Money(as_decimal(block.get("month"), what, f"{key}.month"), currency),
            last_month=Money(
                as_decimal(block.get("last_month"), what, f"{key}.last_month"), currency
            ),
        )

    return SalesStats(
        gross_sales=periods("gross_sales"), earnings=periods("earnings"), currency=currency
    )


def parse_token_response(data: JsonDict, login: str) -> tuple[str, VendorIdentity, list[str]]:
    """The JWT plugin's token answer → (token, identity, roles)."""
    what = N_("the sign-in answer")
    token = as_text(require(data, "token", what))
    if not token:
        raise _invalid(what, "empty token")
    roles_raw = data.get("roles")
    roles = [as_text(role) for role in roles_raw] if isinstance(roles_raw, list) else []
    store_id = data.get("store_id")
    vendor_id = as_int(store_id, what, "store_id") if store_id not in (None, "", 0) else 0
    if not vendor_id:
        vendor_id = jwt_user_id(token) or 0
    identity = VendorIdentity(
        vendor_id=vendor_id,
        login=login,
        store_name=as_text(data.get("store_name")),
        display_name=as_text(data.get("user_display_name")),
        auth_method=AuthMethod.JWT,
        email=as_text(data.get("user_email")),
    )
    return token, identity, roles


def _jwt_claims(token: str) -> Any:
    """The claims of a JWT, read WITHOUT verifying the signature: only for hints (user id,
    expiry) about a token the marketplace itself issued to us."""
    try:
        payload = token.split(".")[1]
        padded = payload + "=" * (-len(payload) % 4)
        return json.loads(base64.urlsafe_b64decode(padded))
    except (IndexError, ValueError):
        return None


def jwt_user_id(token: str) -> int | None:
    """The ``data.user.id`` claim of a JWT."""
    try:
        return int(_jwt_claims(token)["data"]["user"]["id"])
    except (ValueError, KeyError, TypeError):
        return None


def jwt_expiry(token: str) -> datetime | None:
    """The ``exp`` claim of a JWT as an aware datetime (None when absent/unreadable)."""
    try:
        return datetime.fromtimestamp(int(_jwt_claims(token)["exp"]), UTC)
    except (ValueError, KeyError, TypeError, OverflowError, OSError):
        return None


def parse_user_profile(data: JsonDict, auth_method: AuthMethod) -> tuple[VendorIdentity, str]:
    """``GET /user-profile`` → (identity without store name, role)."""
    what = N_("the user profile")
    first = as_text(data.get("first_name"))
    last = as_text(data.get("last_name"))
    identity = VendorIdentity(
        vendor_id=as_int(require(data, "id", what), what, "id"),
        login=as_text(data.get("username")),
        store_name="",
        display_name=" ".join(part for part in (first, last) if part),
        auth_method=auth_method,
        email=as_text(data.get("email")),
    )
    return identity, as_text(data.get("role"))


# ===================================================================== dashboard (ajax)
_WCFM_PARAMS = re.compile(r"wcfm_params\s*=\s*(\{.*?\})\s*;", re.DOTALL)
_NONCE = re.compile(r"""["']wcfm_ajax_nonce["']\s*:\s*["']([0-9a-zA-Z]+)["']""")
#: Traces of WCFM Ultimate on dashboard pages and tables: its plugin assets, its mark-shipped
#: and PDF action icons. The free edition's upsell teasers carry the same names with ``_dummy``.
_ULTIMATE_MARKERS = re.compile(
    r"wc-frontend-manager-ultimate"
    r"|wcfmu-script"
    r"|wcfm_wcfmmarketplace_order_mark_shipped(?![\w-])"
    r"|wcfm_pdf_invoice(?![\w-])"
    r"|wcfm_pdf_packing_slip(?![\w-])"
)


def extract_ajax_nonce(page: str) -> str | None:
    """The ``wcfm_ajax_nonce`` of the dashboard page's inline ``wcfm_params`` object."""
    match = _WCFM_PARAMS.search(page)
    if match:
        try:
            params = json.loads(match.group(1))
        except ValueError:
            params = None
        if isinstance(params, Mapping) and params.get("wcfm_ajax_nonce"):
            return as_text(params["wcfm_ajax_nonce"])
    found = _NONCE.search(page)
    return found.group(1) if found else None


def page_shows_ultimate(page: str) -> bool:
    """Whether a dashboard page or table carries WCFM Ultimate's scripts or action icons."""
    return _ULTIMATE_MARKERS.search(page) is not None


def ajax_failure_message(data: Any) -> str | None:
    """The error text of a dashboard answer, or None when it reports success.

    WordPress helpers answer ``{"success": false, "data": "…"}``; WCFM's controllers
    ``{"status": false, "message": "…"}``.
    """
    if isinstance(data, Mapping):
        if data.get("success") is False:
            return html_to_text(as_text(data.get("data"))) or "The marketplace refused the request."
        if data.get("status") is False:
            return html_to_text(as_text(data.get("message"))) or "The marketplace refused it."
    return None


def is_bad_nonce(message: str | None) -> bool:
    return bool(message) and "nonce" in (message or "").lower()


_AMOUNT = re.compile(r"-?\d[\d.,\s]*")


def parse_amount_text(text: str) -> Decimal:
    """An amount as the dashboard prints it (``$1,234.50``, ``1.234,50 €``)."""
    plain = html_to_text(text)
    match = _AMOUNT.search(plain)
    if not match:
        raise _invalid(N_("a refund amount"), f"{plain!r} has no number")
    number = re.sub(r"\s", "", match.group(0)).rstrip(".,")
    if "," in number and "." in number:
        # the last separator is the decimal point
        if number.rfind(",") > number.rfind("."):
            number = number.replace(".", "").replace(",", ".")
        else:
            number = number.replace(",", "")
    elif "," in number:
        head, _, tail = number.rpartition(",")
        number = f"{head.replace(',', '')}.{tail}" if len(tail) != 3 else number.replace(",", "")
    return as_decimal(number, N_("a refund amount"))


_HASH_NUMBER = re.compile(r"#\s*(\d+)")


def parse_refund_requests_table(
    data: Any,
    *,
    status: RefundRequestStatus,
    currency: str,
    site_tz: tzinfo = UTC,
) -> tuple[list[RefundRequest], int | None]:
    """The vendor's refund-request DataTables answer → (requests, recordsTotal).

    Row cells (HTML): checkbox or dash, ``# <request id>``, ``#<order id>`` link, store, amount,
    "Full Refund"/"Partial Refund", reason, date, extra.
    """
    what = N_("the refund request list")
    rows = require(data, "data", what)
    if not isinstance(rows, list):
        raise _invalid(what, "data is not a list")
    requests: list[RefundRequest] = []
    for row in rows:
        if not isinstance(row, Sequence) or isinstance(row, str) or len(row) < 8:
            raise _invalid(what, f"unexpected row {row!r:.200}")
        cells = [as_text(cell) for cell in row]
        request_match = _HASH_NUMBER.search(html_to_text(cells[1]))
        order_match = _HASH_NUMBER.search(html_to_text(cells[2]))
        if not request_match or not order_match:
            raise _invalid(what, f"no request/order number in {cells[1]!r} / {cells[2]!r}")
        mode_text = html_to_text(cells[5]).lower()
        requests.append(
            RefundRequest(
                id=int(request_match.group(1)),
                order_id=int(order_match.group(1)),
                amount=Money(parse_amount_text(cells[4]), currency),
                mode=RefundMode.FULL if mode_text.startswith("full") else RefundMode.PARTIAL,
                reason=html_to_text(cells[6]),
                status=status,
                date=parse_display_datetime(cells[7], site_tz),
            )
        )
    total_raw = data.get("recordsTotal") if isinstance(data, Mapping) else None
    total = as_int(total_raw) if total_raw not in (None, "") else None
    return requests, total


def parse_tracking_answer(data: Any) -> dict[str, str] | None:
    """``tracking_data`` of a shipment-tracking answer, or None when there is none (the free
    edition's empty body)."""
    if not isinstance(data, Mapping):
        return None
    tracking = data.get("tracking_data")
    if not isinstance(tracking, Mapping):
        return None
    return {as_text(key): as_text(value) for key, value in tracking.items()}


def wp_error(data: Any) -> tuple[str, str]:
    """(code, plain message) of a WordPress REST error body; empty strings if it is none."""
    if isinstance(data, Mapping) and "code" in data:
        return as_text(data.get("code")), html_to_text(as_text(data.get("message")))
    return "", ""
