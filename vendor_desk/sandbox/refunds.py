"""WCFM refund requests (dashboard only): submit, list, approve, reject.

Reproduces WCFM Marketplace 3.6.x (``wcfmmp-controller-refund-requests-form.php`` and
``WCFMmp_Refund::wcfmmp_refund_processed`` / ``wcfmmp_refund_status_update_by_refund``) on the
simulator's tables, plus the WooCommerce side of an approval (``wc_create_refund``: a refund
record on the order, restock, the order becoming ``refunded`` once nothing is left to refund).

Callers hold ``state.lock``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from urllib.parse import parse_qsl

from vendor_desk.sandbox import messaging, operations
from vendor_desk.sandbox.model import (
    SEQ_POST,
    SEQ_REFUND_REQUEST,
    CommissionRow,
    MarketplaceState,
    Order,
    OrderItem,
    Refund,
    RefundLine,
    RefundRequest,
    User,
    utcnow,
)

CENT = Decimal("0.01")

MSG_SUCCESS = '{"status": true, "message": "Refund requests successfully processed."}'
MSG_NO_REASON = '{"status": false, "message": "Please insert your refund reason before submit."}'
MSG_NO_ITEM = '{"status": false, "message": "No item selected for refund request."}'
MSG_TOO_MUCH = '{"status": false, "message": "Refund request amount more than item value."}'
MSG_TOO_MUCH_TAX = (
    '{"status": false, "message": "Refund request tax amount more than item actual tax value."}'
)

#: Main order statuses without a refund offer (``wcfm_refund_disable_order_status``).
REFUND_DISABLED_STATUSES = frozenset({"failed", "cancelled", "refunded", "pending", "on-hold"})


@dataclass
class RefundForm:
    """The popup form as PHP's ``parse_str`` reads the ``wcfm_refund_requests_form`` field."""

    mode: str = ""
    order_id: int = 0
    reason: str = ""
    #: item key -> {"item", "qty", "total"} (in the order the fields came)
    inputs: dict[str, dict[str, str]] = field(default_factory=dict)
    #: item id -> tax rate id -> amount
    tax_inputs: dict[str, dict[str, str]] = field(default_factory=dict)


_BRACKETS = re.compile(r"^([^\[]+)\[([^\]]*)\]\[([^\]]*)\]$")


def parse_refund_form(encoded: str) -> RefundForm:
    form = RefundForm()
    for key, value in parse_qsl(encoded, keep_blank_values=True):
        match = _BRACKETS.match(key)
        if match:
            name, first, second = match.groups()
            if name == "wcfm_refund_input":
                form.inputs.setdefault(first, {})[second] = value
            elif name == "wcfm_refund_tax_input":
                form.tax_inputs.setdefault(first, {})[second] = value
        elif key == "wcfm_refund_request":
            form.mode = value.strip()
        elif key == "wcfm_refund_order_id":
            form.order_id = _absint(value)
        elif key == "wcfm_refund_reason":
            form.reason = value
    return form


# --------------------------------------------------------------------------- helpers
def _absint(value: str | None) -> int:
    match = re.match(r"\s*-?(\d+)", value or "")
    return int(match.group(1)) if match else 0


def _decimal(value: str | None) -> Decimal:
    """PHP's ``(float)`` cast: a leading number, else 0."""
    match = re.match(r"\s*(-?\d+(?:\.\d*)?|-?\.\d+)", value or "")
    if not match:
        return Decimal("0")
    try:
        return Decimal(match.group(1))
    except InvalidOperation:
        return Decimal("0")


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def find_item(state: MarketplaceState, order: Order | None, item_id: int) -> OrderItem | None:
    """``new WC_Order_Item_Product($id)``: the item wherever it is (preferring the order)."""
    if order is not None:
        item = order.item(item_id)
        if item is not None:
            return item
    for other in state.orders.values():
        item = other.item(item_id)
        if item is not None:
            return item
    return None


def refunded_for_item(order: Order, item_id: int) -> tuple[Decimal, int, Decimal]:
    """WooCommerce's refunded total, quantity and tax of an item (approved refunds only)."""
    total = Decimal("0")
    qty = 0
    tax = Decimal("0")
    for refund in order.refunds:
        for line in refund.lines:
            if line.item_id == item_id:
                total += line.refund_total
                qty += line.quantity
                tax += line.refund_tax
    return total, qty, tax


def commission_of_item(
    state: MarketplaceState, order_id: int, item_id: int
) -> CommissionRow | None:
    for row in state.commissions_of_order(order_id):
        if row.item_id == item_id:
            return row
    return None


def delete_order_meta(order: Order, key: str) -> None:
    order.meta[:] = [entry for entry in order.meta if entry.key != key]


def _order_link(state: MarketplaceState, order_id: int) -> str:
    url = f"{state.settings.site_url}/store-manager/orders-details/{order_id}"
    return f'<a target="_blank" class="wcfm_dashboard_item_title" href="{url}">#{order_id}</a>'


def _request_link(state: MarketplaceState, request_id: int) -> str:
    url = f"{state.settings.site_url}/store-manager/refund-requests/?request_id={request_id}"
    return f'<a target="_blank" class="wcfm_dashboard_item_title" href="{url}">#{request_id}</a>'


# --------------------------------------------------------------------------- submit
def submit_refund_request(state: MarketplaceState, requester: User, encoded_form: str) -> str:
    """The ``wcfm-refund-requests-form`` controller. Returns the response body, which is what
    WCFM echoes: one JSON object, or two concatenated when the reason is missing.

    Rules (as the real controller): the reason is required; ``full`` takes each listed item's
    remaining quantity and amount; ``partial`` takes qty and total as given, skips items with
    both 0, and stops with an error when the total exceeds what is left of the item (requests
    already inserted for earlier items stay). The item's vendor comes from the product and is
    not checked against the requester. One request row per item; the commission row gets
    ``refund_status='requested'``; order meta ``_wcfm_refund_request=yes``; admin notification
    and customer-visible order note "Refund Request #ID received for Order #N [item PRODUCT]".
    """
    state.refund_forms.append(encoded_form)
    form = parse_refund_form(encoded_form)
    body = ""
    processed = False
    reason = re.sub(r"<[^>]*>", "", re.sub(r"[\r\n]+", " ", form.reason)).strip()
    if not reason:
        body += MSG_NO_REASON
    else:
        order = state.orders.get(form.order_id)
        if order is None:
            # WCFM would fatal on a missing order; nothing can be requested.
            return MSG_NO_ITEM
        for fields in form.inputs.values():
            item_id = _absint(fields.get("item"))
            if not item_id:
                continue
            item = find_item(state, order, item_id)
            if item is None:
                continue
            old_total, old_qty, old_tax = refunded_for_item(order, item_id)
            tax_by_rate: dict[str, Decimal] = {}
            if form.mode == "full":
                qty = item.quantity - old_qty
                amount = item.total - old_total
                if item.total_tax:
                    tax_by_rate = {"1": item.total_tax - old_tax}
            else:
                qty = _absint(fields.get("qty"))
                amount = _decimal(fields.get("total"))
                if amount > item.total - old_total:
                    return body + MSG_TOO_MUCH
                tax_by_rate = {
                    rate: _decimal(value)
                    for rate, value in form.tax_inputs.get(str(item_id), {}).items()
                }
                if sum(tax_by_rate.values(), Decimal("0")) > item.total_tax - old_tax:
                    return body + MSG_TOO_MUCH_TAX
            if not qty and not amount:
                continue
            commission = commission_of_item(state, order.id, item_id)
            request = RefundRequest(
                ID=state.next_id(SEQ_REFUND_REQUEST),
                vendor_id=item.vendor_id,
                requested_by=requester.id,
                order_id=order.id,
                commission_id=commission.ID if commission else 0,
                item_id=item_id,
                refunded_amount=amount,
                refund_reason=reason,
                is_partially_refunded=form.mode == "partial",
                created=utcnow(),
                refunded_qty=qty,
                refunded_tax=sum(tax_by_rate.values(), Decimal("0")),
            )
            state.refund_requests[request.ID] = request
            operations.set_order_meta(state, order, "_wcfm_refund_request", "yes")
            if commission is not None:
                commission.refund_status = "requested"
            text = ""
            if form.mode == "full":
                if not processed:
                    text = (
                        f"Refund Request <b>{_request_link(state, request.ID)}</b> received for "
                        f"Order <b>{_order_link(state, order.id)}</b>"
                    )
            else:
                text = (
                    f"Refund Request <b>{_request_link(state, request.ID)}</b> received for "
                    f"Order <b>{_order_link(state, order.id)}</b> item <b>{item.name}</b>"
                )
            if text:
                operations.send_notification(
                    state,
                    text=text,
                    message_type="refund-request",
                    author_id=messaging.SYSTEM_TO_ADMIN,
                    message_to=messaging.ADMIN_RECIPIENT,
                )
                if item.vendor_id and not requester.is_vendor:
                    operations.send_notification(
                        state,
                        text=text,
                        message_type="refund-request",
                        author_id=messaging.SYSTEM_TO_VENDOR,
                        message_to=item.vendor_id,
                    )
                operations.add_note(state, order, operations.strip_tags(text), customer=True)
            processed = True
    return body + (MSG_SUCCESS if processed else MSG_NO_ITEM)


# --------------------------------------------------------------------------- queries
def requests_of_vendor(
    state: MarketplaceState, vendor_id: int | None, status: str = ""
) -> list[RefundRequest]:
    """Refund requests, newest first; ``vendor_id`` None = all (admin); ``status`` '' = all."""
    rows = [
        request
        for request in state.refund_requests.values()
        if (vendor_id is None or request.vendor_id == vendor_id)
        and (not status or request.refund_status == status)
    ]
    rows.sort(key=lambda request: request.ID, reverse=True)
    return rows


def refundable_items(state: MarketplaceState, order: Order, vendor_id: int) -> list[OrderItem]:
    """The popup's items: the vendor's items without a pending request and not fully refunded."""
    items: list[OrderItem] = []
    for item in order.items_of(vendor_id):
        row = commission_of_item(state, order.id, item.id)
        if row is not None and (row.refund_status == "requested" or row.is_refunded):
            continue
        old_total, old_qty, _ = refunded_for_item(order, item.id)
        if old_qty >= item.quantity and old_total >= item.total:
            continue
        items.append(item)
    return items


# --------------------------------------------------------------------------- admin
def approve_refund_request(state: MarketplaceState, request_id: int) -> None:
    """The admin approves: wc_create_refund equivalent, commission recalculated, notes,
    vendor notification (see wcfm-api.md §4.3). Raises KeyError for an unknown id."""
    request = state.refund_requests[request_id]
    if request.refund_status != "requested":
        return
    order = state.orders[request.order_id]
    item = order.item(request.item_id)
    is_partial = request.is_partially_refunded
    is_refunded = not is_partial
    if is_partial and item is not None and request.refunded_qty == item.quantity:
        is_partial = False  # every unit refunded: no longer "partial"

    amount = request.refunded_amount + request.refunded_tax
    lines = [
        RefundLine(
            request.item_id, request.refunded_qty, request.refunded_amount, request.refunded_tax
        )
    ]
    if is_refunded and item is not None and not item.virtual:
        shipping = _vendor_shipping_share(order, request.vendor_id, item)
        if shipping is not None:
            line_id, share = shipping
            amount += share
            lines.append(RefundLine(line_id, 0, share))

    now = utcnow()
    refund = Refund(
        id=state.next_id(SEQ_POST),
        order_id=order.id,
        amount=money(amount),
        reason=request.refund_reason,
        date_created=now,
        refunded_by=request.vendor_id,
        lines=lines,
    )
    order.refunds.append(refund)
    _restock(state, order, item, request.refunded_qty)

    commission = state.commissions.get(request.commission_id)
    if commission is not None and commission.vendor_id == request.vendor_id:
        _recalculate_commission(state, commission, request, is_partial=is_partial)
        commission.refunded_id = request.ID

    operations.send_notification(
        state,
        text=f"Your Refund Request approved for Order <b>{_order_link(state, order.id)}</b>.",
        message_type="refund-request",
        author_id=messaging.SYSTEM_TO_VENDOR,
        message_to=request.vendor_id,
    )
    request.refund_status = "completed"
    request.refund_paid_date = now
    notified = bool(order.meta_value("_wcfm_refund_request_notified"))
    if is_partial:
        note = f"Partial Refund Request approved for Order <b>#{order.id}</b>."
    else:
        note = f"Refund Request approved for Order <b>#{order.id}</b>."
        operations.set_order_meta(state, order, "_wcfm_refund_request_notified", 1)
    if is_partial or not notified:
        operations.add_note(state, order, note, customer=True, vendor_id=request.vendor_id)
    delete_order_meta(order, "_wcfm_refund_request")
    order.date_modified = now
    after_wc_refund(state, order, refund)


def reject_refund_request(state: MarketplaceState, request_id: int) -> None:
    """The admin rejects: commission ``refund_status='cancelled'``, note, vendor notification."""
    request = state.refund_requests[request_id]
    if request.refund_status != "requested":
        return
    order = state.orders[request.order_id]
    commission = state.commissions.get(request.commission_id)
    if commission is not None:
        commission.refund_status = "cancelled"
    operations.send_notification(
        state,
        text=f"Your Refund Request cancelled for Order <b>{_order_link(state, order.id)}</b>.",
        message_type="refund-request",
        author_id=messaging.SYSTEM_TO_VENDOR,
        message_to=request.vendor_id,
    )
    request.refund_status = "cancelled"
    request.refund_paid_date = utcnow()
    operations.add_note(
        state,
        order,
        f"Refund Request cancelled for Order <b>#{order.id}</b>.",
        customer=True,
        vendor_id=request.vendor_id,
    )
    delete_order_meta(order, "_wcfm_refund_request")


def _vendor_shipping_share(
    order: Order, vendor_id: int, item: OrderItem
) -> tuple[int, Decimal] | None:
    """A full refund also returns the item's share of the vendor's own shipping line."""
    for line in order.shipping_lines:
        if line.vendor_id == vendor_id:
            package_qty = sum(i.quantity for i in order.items_of(vendor_id) if not i.virtual)
            if package_qty <= 0:
                return None
            share = money(line.total / package_qty * item.quantity)
            return line.id, share
    return None


def _restock(state: MarketplaceState, order: Order, item: OrderItem | None, qty: int) -> None:
    if item is None or qty <= 0:
        return
    product = state.products.get(item.variation_id or item.product_id)
    if product is None or product.stock is None:
        return
    before = product.stock
    product.stock += qty
    operations.add_note(
        state,
        order,
        f"Item #{item.id} stock increased from {before} to {product.stock}.",
        customer=False,
    )


def _recalculate_commission(
    state: MarketplaceState, row: CommissionRow, request: RefundRequest, *, is_partial: bool
) -> None:
    """``wcfmmp_refund_status_update_by_refund``'s commission update."""
    if is_partial:
        remaining = row.item_sub_total - (request.refunded_amount + row.refunded_amount)
        new_commission = money(remaining * state.settings.commission_percent / Decimal(100))
        row.total_commission = money(
            row.total_commission - row.commission_amount + new_commission - request.refunded_tax
        )
        row.commission_amount = new_commission
        row.tax = row.tax - request.refunded_tax
    else:
        row.commission_amount = Decimal("0")
        row.total_commission = Decimal("0")
        row.commission_status = "refunded"
    row.refunded_amount = row.refunded_amount + request.refunded_amount
    row.refund_status = "completed"
    row.is_refunded = not is_partial
    row.is_partially_refunded = is_partial


def after_wc_refund(state: MarketplaceState, order: Order, refund: Refund) -> None:
    """WooCommerce after ``wc_create_refund``: the customer mail, and the order turns
    ``refunded`` when nothing is left to refund."""
    refunded = sum((r.amount for r in order.refunds), Decimal("0"))
    site = state.settings.site_name
    if order.total - refunded > 0:
        if order.billing.email:
            state.record_mail(
                order.billing.email,
                f"Your {site} order #{order.id} has been partially refunded",
                f"Hi {order.billing.first_name}, Your order on {site} has been partially "
                f"refunded. Refund: {refund.amount} ({refund.reason})",
            )
        return
    if order.status != "refunded":  # WooCommerce's status change sends the "refunded" mail
        operations.set_main_status(state, order.id, "refunded")
