"""What a scanned code is: the one resolver behind the main window's scans, the Pack view and
``vendor-desk scan``. No Qt, no network: it reads the cache only (index lookups, so that a
scan resolves in well under a millisecond's worth of SQL on a 100,000-order cache).

    result = resolve(cache, account_id, "#538")
    result.kind          # ScanKind.ORDER; result.order_id 538, result.in_cache True/False

    result = resolve(cache, account_id, "1Z5R89390357567127", open_order=order)
    result.kind, result.carrier, result.tracking_url   # TRACKING, "ups", "https://www.ups.com/…"

Resolution order (the first that applies wins):

1. Spaces are taken out (scanners and people add them). An empty code is UNKNOWN.
2. With an order open in the Pack view, an exact (case-insensitive) SKU of one of that order's
   items → ITEM with those ``item_ids`` (packing is the frequent case; a numeric SKU must not
   open another order).
3. An order number — digits with an optional leading ``#`` — → ORDER. ``in_cache`` says
   whether the cache holds it: looked up by number first, then by id (WooCommerce's number is
   the order id unless a plugin renumbers). A number the cache lacks is still an ORDER (the
   caller fetches it) when it has a ``#`` or at most 9 digits — except, while an order is
   open, 8 digits that have the shape of a Mondial Relay shipment number (a tracking code,
   step 5/7). A code equal to a cached order's number that is not only digits (a plugin's
   "WC-538") is an ORDER too.
4. A confirm code (:func:`confirm_code`, "SHIP538", printed on the packing slip and the pick
   list) → CONFIRM for that order (``in_cache`` as for ORDER).
5. A tracking code whose shape is the carrier's own (letters or a prefix in fixed places:
   UPU S10, ``1Z…``, Colissimo, ``3S…``, ``JJD…``, USPS ``420``+ZIP …) and whose check digit
   holds where the format has one → TRACKING (:mod:`vendor_desk.domain.tracking_codes`). The
   carriers come best first; the carrier the vendor used last for the open order's ship-to
   country (``preferred_carriers``, else :func:`last_carriers`) is moved first.
6. A SKU of items in cached orders → ITEM, ``order_ids`` newest first (at most
   :data:`~vendor_desk.cache.queries.ITEM_ORDERS_LIMIT`); with an order open, ``order_id`` is
   the open order and ``item_ids`` is empty (the item is not in it).
7. Bare digits that pass a carrier's check digit (FedEx 12, DHL Express 10, GLS …) → TRACKING;
   while an order is open, also codes with only the shape of a format without check digit
   (Mondial Relay's 8 digits, DPD's 14, a GLS Track-ID).
8. A code with the shape of a carrier's format whose check digit fails → MISSCAN (read it
   again): always for distinctive shapes (``1Z…``, S10 …), for bare digits only while an
   order is open (elsewhere such digits are just an unknown code).
9. With an order open, a code that looks like a label's tracking number (8–40 letters, digits
   or dashes, with a digit; not a product's EAN/UPC) in no format known here → TRACKING with
   ``recognised`` False: the carrier this vendor used last for the destination first, then
   the carriers used in that country (carriers change formats, some publish none — the packer
   is told and one key changes the carrier; a dead end would stop the packing).
10. Anything else → UNKNOWN.

GTIN/EAN: the marketplace's line items carry no GTIN (WooCommerce's order items have none in
the REST API, nor do the recorded orders), so a product's EAN is found when the shop uses it
as the SKU — which is how most shops that scan do it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from vendor_desk.cache import Cache, queries
from vendor_desk.domain import Order
from vendor_desk.domain.carriers import (
    OTHER,
    ShipMethod,
    carrier_by_key,
    carrier_for_url,
    carriers_for,
    find_carrier,
)
from vendor_desk.domain.confirm_codes import CONFIRM_PREFIX, confirm_code
from vendor_desk.domain.text import N_, Sentence
from vendor_desk.domain.tracking_codes import (
    FORMATS,
    Guess,
    gs1_valid,
    guess,
    misscan_formats,
    preferred_for,
)
from vendor_desk.sync.shipping import local_shipments, preset_url


class ScanKind(StrEnum):
    ORDER = "order"
    CONFIRM = "confirm"
    ITEM = "item"
    TRACKING = "tracking"
    MISSCAN = "misscan"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class ScanResult:
    """What a scan resolved to (see the module docstring for the order of the rules)."""

    #: The code as scanned, spaces taken out (TRACKING: the tracking number, upper-case — the
    #: part carriers track of a longer label barcode such as USPS's 420 + ZIP + number).
    code: str
    kind: ScanKind
    #: ORDER / CONFIRM: the order; ITEM with an open order: the open order.
    order_id: int | None = None
    #: ORDER / CONFIRM: the cache holds the order (else: fetch it from the marketplace).
    in_cache: bool = False
    #: ITEM: the open order's line items carrying this code, in the order's order.
    item_ids: tuple[int, ...] = ()
    #: ITEM: cached orders carrying an item with this code, newest first (capped).
    order_ids: tuple[int, ...] = ()
    #: TRACKING: the carrier key guessed first.
    carrier: str = ""
    #: TRACKING: every plausible carrier key, best first.
    carriers: tuple[str, ...] = ()
    #: TRACKING: the URL the first carrier's preset builds (for the open order's address).
    tracking_url: str = ""
    #: MISSCAN / UNKNOWN: why, in a plain English sentence.
    reason: str = ""
    #: TRACKING: False when no carrier's format was recognised in the code (step 9: a label
    #: with an order open); ``carriers`` are then the vendor's usual ones for the country.
    recognised: bool = True


_CONFIRM = re.compile(CONFIRM_PREFIX + r"([0-9A-Z]+)")
#: What a carrier label's tracking number looks like when its format is not known here: 8 to
#: 40 letters, digits or dashes, with a digit.
_LABEL_LIKE = re.compile(r"(?=[A-Z-]*\d)[0-9A-Z-]{8,40}")
_ORDER_NUMBER = re.compile(r"(#?)(\d{1,18})")
#: Digits the cache does not hold are still taken for a (new) order number up to this length.
MAX_NEW_ORDER_DIGITS = 9
_DISTINCTIVE_NAMES = frozenset(fmt.name for fmt in FORMATS if fmt.distinctive)


def _open_order_items(order: Order, code: str) -> tuple[int, ...]:
    wanted = code.casefold()
    return tuple(item.item_id for item in order.items if item.sku and item.sku.casefold() == wanted)


def _country(order: Order) -> str:
    address = order.shipping if not order.shipping.is_empty else order.billing
    return address.country.strip().upper()


def resolve(
    cache: Cache,
    account_id: int,
    code: str,
    *,
    open_order: Order | None = None,
    preferred_carriers: Mapping[str, str] | None = None,
) -> ScanResult:
    """What ``code`` is, for the account's cache; ``open_order``: the order open in the Pack
    view, if any; ``preferred_carriers``: destination country → carrier key (default
    :func:`last_carriers`, read only when a tracking code is ambiguous)."""
    text = "".join(code.split())
    if not text:
        return ScanResult(text, ScanKind.UNKNOWN, reason=N_("The code is empty."))
    upper = text.upper()
    if open_order is not None and (item_ids := _open_order_items(open_order, text)):
        return ScanResult(
            text, ScanKind.ITEM, open_order.id, item_ids=item_ids, order_ids=(open_order.id,)
        )
    with cache.session() as session:
        # ---------------------------------------------------------------- order numbers
        if number := _ORDER_NUMBER.fullmatch(text):
            hashed, digits = number.groups()
            found = queries.order_id_by_number(session, account_id, digits)
            if found is not None:
                return ScanResult(text, ScanKind.ORDER, found, in_cache=True)
            looks_tracked = open_order is not None and bool(guess(upper))
            if hashed or (len(digits) <= MAX_NEW_ORDER_DIGITS and not looks_tracked):
                return ScanResult(text, ScanKind.ORDER, int(digits), in_cache=False)
        elif (found := queries.order_id_by_number(session, account_id, text)) is not None:
            return ScanResult(text, ScanKind.ORDER, found, in_cache=True)
        # ---------------------------------------------------------------- confirm codes
        if confirm := _CONFIRM.fullmatch(upper):
            wanted = confirm.group(1)
            found = queries.order_id_by_number(session, account_id, wanted)
            if found is not None:
                return ScanResult(text, ScanKind.CONFIRM, found, in_cache=True)
            if wanted.isdigit() and len(wanted) <= 18:
                return ScanResult(text, ScanKind.CONFIRM, int(wanted), in_cache=False)
        # ---------------------------------------------------------------- tracking, items
        guesses = guess(upper)
        if guesses and preferred_carriers is None and open_order is not None and len(guesses) > 1:
            preferred_carriers = last_carriers(cache, account_id)
        if guesses and open_order is not None:
            guesses = guess(upper, preferred_for(preferred_carriers, _country(open_order)))
        if any(g.distinctive for g in guesses):
            return _tracking(guesses, open_order)
        orders = queries.order_ids_with_sku(session, account_id, text)
    if orders:
        return ScanResult(
            text,
            ScanKind.ITEM,
            open_order.id if open_order is not None else None,
            order_ids=tuple(orders),
        )
    if any(g.verified for g in guesses) or (guesses and open_order is not None):
        return _tracking(guesses, open_order)
    failed = misscan_formats(upper)
    if failed and (open_order is not None or _DISTINCTIVE_NAMES.intersection(failed)):
        return ScanResult(
            text,
            ScanKind.MISSCAN,
            reason=Sentence(
                N_(
                    "The code has the shape of {formats} but its check digit does not match: it "
                    "was probably misread. Scan it again."
                ),
                formats=", ".join(failed),
            ),
        )
    if open_order is not None and _LABEL_LIKE.fullmatch(upper) and not _product_barcode(upper):
        return _unrecognised_tracking(cache, account_id, upper, open_order, preferred_carriers)
    if guesses:  # only the shape of a format without check digit, and no order open
        names = ", ".join(dict.fromkeys(g.format_name for g in guesses))
        reason = Sentence(
            N_(
                "No order, confirm code, tracking code or SKU known as {code} (it could be a "
                "tracking number of {names}: open an order to use it)."
            ),
            code=text,
            names=names,
        )
    else:
        reason = Sentence(
            N_("No order, confirm code, tracking code or SKU known as {code}."), code=text
        )
    return ScanResult(text, ScanKind.UNKNOWN, reason=reason)


def _product_barcode(code: str) -> bool:
    """An EAN-8, UPC-A, EAN-13 or GTIN-14 with its check digit: a product's barcode."""
    return code.isdigit() and len(code) in (8, 12, 13, 14) and gs1_valid(code)


def _unrecognised_tracking(
    cache: Cache,
    account_id: int,
    code: str,
    open_order: Order,
    preferred_carriers: Mapping[str, str] | None,
) -> ScanResult:
    """A label's code in no format known here (carriers change formats; some publish none):
    taken as the open order's tracking, for the carrier this vendor used last for the
    destination, then the carriers used there — never a dead end at the packing table."""
    country = _country(open_order)
    if preferred_carriers is None:
        preferred_carriers = last_carriers(cache, account_id)
    keys = [preferred_for(preferred_carriers, country)]
    keys += [c.key for c in carriers_for(country) if c is not OTHER]
    carriers = tuple(dict.fromkeys(key for key in keys if key))
    return ScanResult(
        code,
        ScanKind.TRACKING,
        open_order.id,
        carrier=carriers[0],
        carriers=carriers,
        tracking_url=preset_url(open_order, carriers[0], code),
        recognised=False,
    )


def _tracking(guesses: list[Guess], open_order: Order | None) -> ScanResult:
    best = max(guesses, key=lambda g: g.verified)  # the tracking number of the best format
    carrier = guesses[0].carrier
    if open_order is not None:
        url = preset_url(open_order, carrier, best.tracking)
    else:
        url = carrier_by_key(carrier).url_for(best.tracking)
    return ScanResult(
        best.tracking,
        ScanKind.TRACKING,
        open_order.id if open_order is not None else None,
        carrier=carrier,
        carriers=tuple(g.carrier for g in guesses),
        tracking_url=url,
    )


def last_carriers(cache: Cache, account_id: int) -> dict[str, str]:
    """Destination country (ISO alpha-2) → the carrier key this vendor used last for it:
    from the newest cached orders with tracking — the carrier whose site the marketplace's
    tracking URL is on, or the carrier of a shipment kept locally."""
    with cache.session() as session:
        shipped = queries.recent_shipped_orders(session, account_id)
    last: dict[str, str] = {}
    for order in reversed(shipped):  # oldest first: the newest order has the last word
        if not order.country:
            continue
        carrier = ""
        for url in order.tracking_urls:
            if (preset := carrier_for_url(url)) is not None:
                carrier = preset.key
        for shipment in local_shipments(order.local):
            if shipment.method is ShipMethod.TRACKED and shipment.carrier:
                preset = find_carrier(shipment.carrier) or carrier_by_key(shipment.carrier)
                if preset is not OTHER:
                    carrier = preset.key
        if carrier:
            last[order.country] = carrier
    return last


__all__ = [
    "CONFIRM_PREFIX",
    "ScanKind",
    "ScanResult",
    "confirm_code",
    "last_carriers",
    "resolve",
]
