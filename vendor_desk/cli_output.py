"""What the command line prints about orders: the ``orders`` table and ``order N`` in full.
No Qt.

Amounts and dates follow the user's locale with the documents' formatter
(:mod:`vendor_desk.documents.formatting`), so ``$1,234.50`` / ``1.234,50 €`` read as in the
window. Columns are measured in terminal cells with ``wcwidth`` (a CJK character takes two), long
texts are cut with "…" so the columns stay aligned, and a table drops its least useful column
rather than wrap in a narrow terminal. Text from the marketplace is printed without its control
characters: a customer's name cannot move the cursor or recolour the terminal.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

import wcwidth

from vendor_desk.cache.queries import OrderDetail, OrderRow
from vendor_desk.documents.formatting import format_date, format_money
from vendor_desk.documents.sources import shipping_methods
from vendor_desk.domain import Address, LineItem, Money, Order, OrderStatus, rules
from vendor_desk.domain.carriers import carrier_by_key
from vendor_desk.domain.refunds import (
    ADMIN_REFUNDS_UNSEEN,
    admin_refunds_may_be_unseen,
    order_refund_state,
)
from vendor_desk.i18n import N_, _, ngettext, translated
from vendor_desk.sync.outbox import PENDING_NOTE_AUTHOR, OutboxEntry
from vendor_desk.sync.scan import ScanKind, ScanResult, confirm_code
from vendor_desk.sync.shipping import local_shipments, shipment_label

ELLIPSIS = "…"
GAP = "  "


# ================================================================================= text
def entry_json(entry: OutboxEntry) -> dict[str, Any]:
    """An outbox entry as JSON data, its sentences (summary, error, what it may have reached)
    in the vendor's language; keys and values meant for programs stay as they are."""
    data = entry.as_json()
    for key in ("summary", "last_error", "may_have_reached"):
        if isinstance(data.get(key), str):
            data[key] = translated(data[key])
    return data


def plain(text: str, *, one_line: bool = True) -> str:
    """``text`` safe for a terminal: control characters (escape sequences start with one) become
    spaces; ``one_line`` also folds line breaks and runs of spaces into one space."""
    keep = "" if one_line else "\n"
    cleaned = "".join(
        char if char in keep or unicodedata.category(char) != "Cc" else " " for char in text
    )
    if one_line:
        return " ".join(cleaned.split())
    return "\n".join(line.rstrip() for line in cleaned.split("\n"))


def cells(text: str) -> int:
    """How many terminal cells ``text`` (already :func:`plain`) takes."""
    return int(wcwidth.width(text))


def fit(text: str, width: int) -> str:
    """``text`` cut to ``width`` cells, ending with "…" when something was cut."""
    if cells(text) <= width:
        return text
    if width <= 0:
        return ""
    return str(wcwidth.clip(text, 0, width - 1)).rstrip() + ELLIPSIS


@dataclass(frozen=True)
class Column:
    """One column of a :func:`table`.

    ``right``: right-aligned (amounts, counts). ``cut_to``: may be cut down to this many cells
    when the table is too wide (None: never cut). ``widest``: when the table is too wide, cut to
    this many cells first (a very long name must not push the other columns away).
    ``optional``: left out when the table does not fit otherwise.
    """

    header: str
    right: bool = False
    cut_to: int | None = None
    widest: int | None = None
    optional: bool = False


def _cut(widths: list[int], columns: Sequence[Column], over: int, optional: bool) -> int:
    """Cut the (optional or other) columns that may be cut, the widest first and one cell at
    a time, so long texts share the cuts; the cells still missing."""
    while over > 0:
        candidates = [
            index
            for index, column in enumerate(columns)
            if column.optional is optional
            and column.cut_to is not None
            and widths[index] > column.cut_to
        ]
        if not candidates:
            break
        widest = max(candidates, key=lambda index: widths[index])
        widths[widest] -= 1
        over -= 1
    return over


def _total(widths: Sequence[int]) -> int:
    return sum(widths) + len(GAP) * (len(widths) - 1)


def table(columns: Sequence[Column], rows: Sequence[Sequence[str]], width: int) -> list[str]:
    """Lines of an aligned table with a header, at most ``width`` cells wide when the columns
    allow it. Optional columns give way first: cut down to their ``cut_to``, then left out (the
    last first) before any other column is cut. Cells must be :func:`plain` text."""
    shown = list(range(len(columns)))
    while True:
        picked = [columns[i] for i in shown]
        picked_rows = [[row[i] for i in shown] for row in rows]
        natural = [
            max([cells(_(column.header)), *(cells(row[index]) for row in picked_rows)])
            for index, column in enumerate(picked)
        ]
        widths = natural
        if _total(natural) > width:
            widths = [
                min(size, column.widest or size)
                for size, column in zip(natural, picked, strict=True)
            ]
        over = _cut(widths, picked, _total(widths) - width, optional=True)
        optional = [i for i in shown if columns[i].optional]
        if over <= 0 or not optional:
            break
        shown.remove(optional[-1])
    _cut(widths, picked, over, optional=False)
    lines = []
    # headers are marked (N_) where the columns are declared, translated here
    for row in [[_(column.header) for column in picked], *picked_rows]:
        parts = []
        for column, text, size in zip(picked, row, widths, strict=True):
            text = fit(text, size)
            parts.append(wcwidth.rjust(text, size) if column.right else wcwidth.ljust(text, size))
        lines.append(GAP.join(parts).rstrip())
    return lines


# ============================================================================ formatting
def money_text(amount: Decimal | Money | None, currency: str, locale: str) -> str:
    """An amount as the window shows it in ``locale`` ("" when unknown)."""
    if amount is None:
        return ""
    money = amount if isinstance(amount, Money) else Money(amount, currency or "XXX")
    return format_money(money, locale)


def date_text(moment: datetime | None, locale: str, *, with_time: bool = False) -> str:
    """The calendar date of ``moment`` in this computer's time zone, the locale's way; with
    ``with_time`` also the 24-hour time ("" when unknown)."""
    if moment is None:
        return ""
    local = moment.astimezone()
    text = format_date(local, locale)
    return f"{text} {local:%H:%M}" if with_time else text


#: Status-column values that are not order statuses (``cache.store.display_status``).
_DISPLAY_WORDS = {"trashed": N_("In the trash"), "removed": N_("Removed")}


def status_text(slug: str) -> str:
    """The label of an order status slug, as the order list names it ("Refund requested"; "In
    the trash" and "Removed" for orders the store admin took away)."""
    return translated(_DISPLAY_WORDS.get(slug) or OrderStatus(slug).label)


# ============================================================================== the list
#: The ``orders`` table: what matters first (number, date, customer, status, amounts); the
#: items are shown when the terminal has room for them.
ORDER_COLUMNS = (
    Column(N_("Order")),
    Column(N_("Date")),
    Column(N_("Customer"), cut_to=12, widest=30),
    Column(N_("Status"), cut_to=10),
    Column(N_("Your total"), right=True),
    Column(N_("Earning"), right=True),
    Column(N_("Items"), cut_to=14, optional=True),
)


def order_table(rows: Iterable[OrderRow], locale: str, width: int) -> list[str]:
    """The lines of the ``orders`` table (a header, then one line per order)."""
    cells_of_rows = [
        [
            f"#{plain(row.number)}",
            date_text(row.created, locale),
            plain(row.customer),
            status_text(row.display_status),
            money_text(row.total, row.currency, locale),
            money_text(row.earning, row.currency, locale),
            plain(row.items_summary),
        ]
        for row in rows
    ]
    if not cells_of_rows:
        return []
    return table(ORDER_COLUMNS, cells_of_rows, width)


# =========================================================================== one order
def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _amount(money: Money | None) -> str | None:
    """Decimal text with the currency's minor units ("12.50"); more digits only when the
    marketplace gave more (nothing is rounded away)."""
    if money is None:
        return None
    rounded = money.rounded()
    return rounded.plain() if rounded.amount == money.amount else f"{money.amount:f}"


def _address_json(address: Address) -> dict[str, str]:
    return {
        "name": address.name,
        "company": address.company,
        "address_1": address.address_1,
        "address_2": address.address_2,
        "city": address.city,
        "state": address.state,
        "postcode": address.postcode,
        "country": address.country,
        "email": address.email,
        "phone": address.phone,
    }


#: The words of the order's refund state (:func:`order_refund_state`), as the window says them.
_REFUND_WORDS = {
    "requested": N_("refund requested — waiting for the store admin"),
    "refunded": N_("refunded"),
    "partially-refunded": N_("partially refunded"),
    "rejected": N_("refund rejected"),
}


#: An item's refund state in the items table's narrow "Refund" column.
_ITEM_REFUND_WORDS = {
    "requested": N_("requested"),
    "partially-refunded": N_("Partially refunded"),
    "refunded": N_("Refunded"),
    "rejected": N_("rejected"),
}

#: An outbox entry's state as ``order N`` says it.
_OUTBOX_WORDS = {
    "pending": N_("pending"),
    "sending": N_("sending"),
    "uncertain": N_("uncertain"),
    "failed": N_("refused"),
    "needs_decision": N_("needs_decision"),
    "local": N_("local"),
    "sent": N_("sent"),
    "discarded": N_("discarded"),
}


def _item_refund_word(slug: str) -> str:
    word = _ITEM_REFUND_WORDS.get(slug)
    return _(word) if word else slug.replace("-", " ").capitalize()


def _refund_summary(order: Order) -> str:
    words = _(_REFUND_WORDS.get(order_refund_state(order).slug, N_("none")))
    if admin_refunds_may_be_unseen(order):
        words += "\n" + _(ADMIN_REFUNDS_UNSEEN)
    return words


def _is_pending_note(note: Any) -> bool:
    return bool(note.id < 0 or note.author == PENDING_NOTE_AUTHOR)


def _warnings(order: Order) -> list[str]:
    """Why the order should not be shipped yet, when it is still the vendor's to ship."""
    if order.vendor_status.is_closed or order.is_shipped or rules.removal(order) is not None:
        return []
    found = [*rules.may_ship(order).reasons, *rules.payment_warnings(order)]
    return [translated(reason) for reason in dict.fromkeys(found)]


def _item_json(item: LineItem) -> dict[str, Any]:
    return {
        "item_id": item.item_id,
        "product_id": item.product_id,
        "variation_id": item.variation_id,
        "name": item.name,
        "sku": item.sku,
        "quantity": item.quantity,
        "price": _amount(item.price),
        "subtotal": _amount(item.subtotal),
        "total": _amount(item.total),
        "tax": _amount(item.tax),
        "earning": _amount(item.commission),
        "refund_state": item.refund_state.slug,
        "refunded_quantity": item.refunded_quantity,
        "refunded_amount": _amount(item.refunded_amount),
        "tracking_code": item.tracking_code,
        "tracking_url": item.tracking_url,
        "shippable": item.shippable,
    }


def order_json(
    detail: OrderDetail, row: OrderRow | None, outbox: Sequence[OutboxEntry]
) -> dict[str, Any]:
    """``order N --json``: the order in full; amounts as decimal strings, dates ISO 8601 with
    their time zone."""
    order = detail.order
    local: Mapping[str, Any] = detail.local or {}
    return {
        "order_id": order.id,
        "number": order.number,
        "created": _iso(order.date_created),
        "modified": _iso(order.date_modified),
        "paid_at": _iso(order.date_paid),
        "completed_at": _iso(order.date_completed),
        "as_of": _iso(detail.as_of),
        "status": row.display_status if row is not None else order.vendor_status.slug,
        "vendor_status": order.vendor_status.slug,
        "main_status": order.main_status.slug,
        "payment": {
            "method": order.payment_method,
            "title": order.payment_method_title,
            "paid": order.is_paid,
        },
        "shipping_status": order.shipping_status.slug,
        "shipping_state": row.shipping_state if row is not None else "",
        "shipping_methods": list(shipping_methods(order.raw)),
        "payout": order.payout_state.slug,
        "refund_requested": order.refund_requested,
        "split": order.split,
        "vanished": detail.vanished,
        "trashed": bool(order.trashed),
        # deleted / trashed / cancelled: why nothing can be done with it ("" when it can)
        "removed": str(rules.removal(order) or ""),
        "removed_reason": translated(rules.removal_reason(order)),
        "warnings": _warnings(order),
        "currency": order.currency,
        "customer": {
            "id": order.customer_id,
            "name": order.customer_name,
            "email": order.customer_email,
            "phone": order.customer_phone,
        },
        "shipping_address": _address_json(order.shipping),
        "billing_address": _address_json(order.billing),
        "customer_note": order.customer_note,
        "items": [_item_json(item) for item in order.items],
        "local_shipments": [
            {
                "item_ids": list(shipment.item_ids),
                "method": shipment.method.value,
                "carrier": shipment.carrier,
                "code": shipment.code,
                "url": shipment.url,
                "at": _iso(shipment.at),
                "marketplace": shipment.marketplace,
            }
            for shipment in local_shipments(local)
        ],
        "items_total": _amount(order.items_total),
        "earning": _amount(order.earning),
        "shipping_total": _amount(order.shipping_total),
        "order_total": _amount(order.total),
        "notes": [
            {
                "id": note.id,
                "date": _iso(note.date),
                "to_customer": note.customer_visible,
                "author": note.author,
                "text": note.text,
                "waiting": _is_pending_note(note),
            }
            for note in detail.notes
        ],
        "outbox": [entry_json(entry) for entry in outbox],
    }


def wrap(text: str, width: int) -> list[str]:
    """``text`` (one line, already :func:`plain`) in lines of at most ``width`` cells, broken
    between words (a word longer than that, e.g. a URL, gets a line of its own)."""
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if current and cells(candidate) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    lines.append(current)
    return lines


def _field_lines(fields: Sequence[tuple[str, str]], width: int = 100_000) -> list[str]:
    """``Name   value`` lines, the values aligned; a multi-line value continues under itself,
    and a value line too long for ``width`` cells is wrapped there too."""
    size = max(cells(name) for name, _ in fields) + 2
    room = max(20, width - size)
    lines = []
    for name, value in fields:
        parts = [piece for line in (value or "").split("\n") for piece in wrap(line, room)]
        first, *rest = parts
        lines.append((wcwidth.ljust(name, size) + first).rstrip())
        lines.extend(" " * size + line for line in rest)
    return lines


def _warning_lines(text: str, width: int) -> list[str]:
    """A ``! warning`` (wrapped to ``width``, continued under its text)."""
    first, *rest = wrap(text, max(20, width - 2))
    return [f"! {first}", *(f"  {line}" for line in rest)]


def _address_text(address: Address) -> str:
    return "\n".join(plain(line) for line in address.lines())


def order_text(
    detail: OrderDetail,
    row: OrderRow | None,
    outbox: Sequence[OutboxEntry],
    locale: str,
    width: int,
) -> list[str]:
    """``order N``: the order in full for a terminal."""
    order = detail.order
    local: Mapping[str, Any] = detail.local or {}
    currency = order.currency

    def money(value: Money | None) -> str:
        return money_text(value, currency, locale) or _("unknown")

    status = row.display_status if row is not None else order.vendor_status.slug
    synced = (
        _("as of {moment}").format(moment=date_text(detail.as_of, locale, with_time=True))
        if detail.as_of
        else _("not synced yet")
    )
    lines = [
        _("Order #{number} · {status} ({synced})").format(
            number=plain(order.number), status=status_text(status), synced=synced
        )
    ]
    gone = rules.removal(order)
    if gone is not None:
        # deleted, in the trash or cancelled: said first, as every action refuses with it
        reason = translated(rules.removal_reason(order))
        if gone is not rules.Removal.CANCELLED:
            reason += " " + _("This is the last copy kept here; it can still be printed.")
        lines += _warning_lines(reason, width)
    if order.split:
        lines += _warning_lines(
            _(
                "Split order: the customer also bought from other vendors; their items are not "
                "shown and the order total is the whole order's."
            ),
            width,
        )
    for warning in _warnings(order):
        lines += _warning_lines(warning, width)
    lines.append("")

    payment = plain(order.payment_method_title or order.payment_method) or _("unknown method")
    if order.payment_method and order.payment_method_title:
        payment += f" ({plain(order.payment_method)})"
    paid = (
        _("paid {moment}").format(moment=date_text(order.date_paid, locale, with_time=True))
        if order.is_paid
        else _("not paid")
    )
    shipment = shipment_label(order, local) or (row.shipping_state if row is not None else "")
    if not shipment and not order.shipping_status.is_unknown:
        shipment = order.shipping_status.label
    methods = ", ".join(plain(method) for method in shipping_methods(order.raw))
    fields = [
        (_("Placed"), date_text(order.date_created, locale, with_time=True)),
        (_("Payment"), f"{payment} — {paid}"),
    ]
    if order.date_completed is not None:
        fields.append((_("Completed"), date_text(order.date_completed, locale, with_time=True)))
    fields += [
        (_("Your part"), translated(order.vendor_status.label)),
        (_("Whole order"), translated(order.main_status.label)),
        (_("Shipment"), translated(shipment) if shipment else _("unknown")),
        *([(_("Ship via"), methods)] if methods else []),
        (
            _("Payout"),
            translated(order.payout_state.label)
            if not order.payout_state.is_unknown
            else _("unknown"),
        ),
        (_("Refund"), _refund_summary(order)),
        (
            _("Customer"),
            " · ".join(
                plain(part)
                for part in (order.customer_name, order.customer_email, order.customer_phone)
                if part
            )
            or _("unknown"),
        ),
        (
            _("Ship to"),
            _address_text(order.shipping)
            if not order.shipping.is_empty
            else _("no shipping address (pickup or virtual)"),
        ),
    ]
    if not order.billing.is_empty and order.billing.lines() != order.shipping.lines():
        fields.append((_("Billing"), _address_text(order.billing)))
    if order.customer_note.strip():
        fields.append((_("Customer's note"), plain(order.customer_note, one_line=False).strip()))
    lines += _field_lines(fields, width)

    lines += ["", _("Your items (the ID is what ship --item and refund --item take)")]
    with_refunds = any(item.refund_state.slug not in ("", "none") for item in order.items)
    with_tracking = any(item.has_tracking for item in order.items)
    columns = [
        Column(N_("ID"), right=True),
        Column(N_("Product"), cut_to=12),
        Column(N_("SKU"), cut_to=6),
        Column(N_("Qty"), right=True),
        Column(N_("Price"), right=True),
        Column(N_("Total"), right=True),
        Column(N_("Earning"), right=True),
    ]
    if with_refunds:
        columns.append(Column(N_("Refund"), cut_to=9))
    if with_tracking:
        columns.append(Column(N_("Tracking"), cut_to=8, optional=True))
    item_rows = []
    for item in order.items:
        cells_of_item = [
            str(item.item_id),
            plain(item.name),
            plain(item.sku),
            str(item.quantity),
            money_text(item.price, currency, locale),
            money_text(item.total, currency, locale),
            money_text(item.commission, currency, locale),
        ]
        if with_refunds:
            refund = item.refund_state
            text = "" if refund.slug in ("", "none") else _item_refund_word(refund.slug)
            cells_of_item.append(text)
        if with_tracking:
            cells_of_item.append(plain(item.tracking_code))
        item_rows.append(cells_of_item)
    lines += ["  " + line for line in table(columns, item_rows, width - 2)] if item_rows else []
    if not item_rows:
        lines.append("  " + _("none of your items are in this order"))
    for item in order.items:
        if item.has_tracking:
            where = " · ".join(plain(part) for part in (item.tracking_code, item.tracking_url))
            lines.append(
                "  "
                + _("Tracking of {item} ({name}): {where}").format(
                    item=item.item_id, name=plain(item.name), where=where.strip(" ·")
                )
            )
    names = {item.item_id: plain(item.name) for item in order.items}
    for shipped in local_shipments(local):
        parts = [translated(shipped.label)]
        parts += [plain(part) for part in (shipped.carrier, shipped.code, shipped.url) if part]
        where = {
            "pending": _("waiting to be noted on the marketplace"),
            "note": _("a private note on the marketplace says so"),
        }.get(shipped.marketplace) or _("kept on this computer only")
        items = ", ".join(f"{i} ({names.get(i, '?')})" for i in shipped.item_ids)
        lines.append(f"  {items}: {' · '.join(parts)} — {where}")
    lines.append("")
    whole = " " + _("(whole order)") if order.split else ""
    lines += _field_lines(
        [
            (_("Your items"), money(order.items_total)),
            (_("Your earning"), money(order.earning)),
            (_("Shipping"), money(order.shipping_total) + whole),
            (_("Order total"), money(order.total) + whole),
        ]
    )

    lines += ["", _("Notes (newest first)")]
    if not detail.notes:
        lines.append("  " + _("none"))
    for note in detail.notes:
        kind = _("to the customer") if note.customer_visible else _("private")
        author = _("waiting to be sent") if _is_pending_note(note) else plain(note.author)
        head = " · ".join(
            part for part in (date_text(note.date, locale, with_time=True), kind, author) if part
        )
        lines.append(f"  {head}")
        lines += [f"    {line}" for line in plain(note.text, one_line=False).strip().split("\n")]

    lines += ["", _("Waiting in the outbox")]
    if not outbox:
        lines.append("  " + _("nothing"))
    for entry in outbox:
        state = _(_OUTBOX_WORDS.get(entry.state.value, entry.state.value))
        text = "  " + _("entry {entry} · {state} · {summary}").format(
            entry=entry.id, state=state, summary=translated(entry.summary)
        )
        if entry.last_error:
            text += f" — {plain(translated(entry.last_error))}"
        lines.append(text)
    return lines


# ================================================================================ scans
def _order_brief(row: OrderRow) -> dict[str, Any]:
    return {
        "id": row.order_id,
        "number": row.number,
        "status": row.display_status,
        "customer": row.customer,
    }


def scan_json(result: ScanResult, rows: Sequence[OrderRow], item_name: str = "") -> dict[str, Any]:
    """``vendor-desk scan --json``: always the keys ``code``, ``kind`` (order, confirm, item,
    tracking, misscan, unknown), ``order``, ``item``, ``tracking`` (objects or null) and
    ``reason`` (why, for misscan/unknown; else "")."""
    by_id = {row.order_id: row for row in rows}
    order: dict[str, Any] | None = None
    if result.kind in (ScanKind.ORDER, ScanKind.CONFIRM) and result.order_id is not None:
        row = by_id.get(result.order_id) if result.in_cache else None
        order = _order_brief(row) if row is not None else {"id": result.order_id}
        order["in_cache"] = row is not None
        if row is not None:
            order["confirm_code"] = confirm_code(row.number)
    item: dict[str, Any] | None = None
    if result.kind is ScanKind.ITEM:
        item = {
            "sku": result.code,
            "name": item_name,
            "orders": [_order_brief(by_id[i]) for i in result.order_ids if i in by_id],
        }
    tracking: dict[str, Any] | None = None
    if result.kind is ScanKind.TRACKING:
        tracking = {
            "number": result.code,
            "carrier": result.carrier,
            "carrier_name": carrier_by_key(result.carrier).name,
            "carriers": list(result.carriers),
            "url": result.tracking_url,
        }
    return {
        "code": result.code,
        "kind": result.kind.value,
        "order": order,
        "item": item,
        "tracking": tracking,
        "reason": translated(result.reason),
    }


def _order_line(order: Mapping[str, Any]) -> str:
    return (
        f"#{plain(order['number'])} · {status_text(order['status'])} · "
        f"{plain(order['customer']) or _('no customer name')}"
    )


def scan_text(data: Mapping[str, Any]) -> list[str]:
    """What ``vendor-desk scan`` prints, from :func:`scan_json`'s object."""
    kind, code = data["kind"], plain(data["code"])
    order, item, tracking = data["order"], data["item"], data["tracking"]
    if kind in ("order", "confirm"):
        what = (
            _("Order")
            if kind == "order"
            else _("Confirm code (marks it shipped in the Pack view) of order")
        )
        if not order["in_cache"]:
            return [
                _(
                    "{what} {number}: not in the cache yet (a new order?). The window fetches "
                    "it when scanned; 'vendor-desk sync' reads it here."
                ).format(what=what, number=order["id"])
            ]
        lines = [f"{what} {_order_line(order)}"]
        if kind == "order":
            lines.append(_("Its confirm code: {code}").format(code=order["confirm_code"]))
        return lines
    if kind == "item":
        orders = item["orders"]
        if item["name"]:
            head = ngettext(
                "Item with SKU {sku} ({name}), in {count} cached order, newest first:",
                "Item with SKU {sku} ({name}), in {count} cached orders, newest first:",
                len(orders),
            )
        else:
            head = ngettext(
                "Item with SKU {sku}, in {count} cached order, newest first:",
                "Item with SKU {sku}, in {count} cached orders, newest first:",
                len(orders),
            )
        lines = [head.format(sku=code, name=plain(item["name"] or ""), count=len(orders))]
        return lines + [f"  {_order_line(found)}" for found in orders]
    if kind == "tracking":
        lines = [
            _("Tracking code {code}: {carrier} ({key})").format(
                code=code, carrier=tracking["carrier_name"], key=tracking["carrier"]
            )
        ]
        others = [carrier_by_key(key).name for key in tracking["carriers"][1:]]
        if others:
            lines.append(_("Could also be: {carriers}").format(carriers=", ".join(others)))
        lines.append(
            _("URL: {url}").format(
                url=tracking["url"] or _("(none: the carrier has no tracking page)")
            )
        )
        return lines
    if kind == "misscan":
        return [_("Mis-scan: {reason}").format(reason=translated(data["reason"]))]
    return [translated(data["reason"]) or _("Unknown code {code}.").format(code=code)]
