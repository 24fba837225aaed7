# ruff: noqa: E501 - HTML templates reproduce the recorded markup line for line
"""HTML fragments of the WCFM dashboard, shaped like the recorded ones (recordings 64, 72, 75,
128, 129, 135, 142, 150): price spans, addresses, the orders table's cells and action icons,
the refund popup, the shipment-tracking popup, the refund-request and message lists.

Pure functions of the state; callers hold ``state.lock``.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from vendor_desk.sandbox import invoices, messaging, refunds
from vendor_desk.sandbox.model import (
    WC_ORDER_STATUSES,
    Address,
    CommissionRow,
    MarketplaceState,
    Message,
    Order,
    OrderItem,
    RefundRequest,
    User,
)
from vendor_desk.sandbox.render import US_STATES

CURRENCY_SYMBOLS = {"USD": "&#36;", "EUR": "&euro;", "GBP": "&pound;", "CAD": "&#36;"}


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def wc_date(value: datetime) -> str:
    """WordPress' ``F j, Y g:i a`` (``November 27, 2026 4:05 pm``)."""
    hour = value.hour % 12 or 12
    return f"{value:%B} {value.day}, {value.year} {hour}:{value:%M} {'am' if value.hour < 12 else 'pm'}"


def price_html(state: MarketplaceState, amount: Decimal) -> str:
    symbol = CURRENCY_SYMBOLS.get(state.settings.currency, esc(state.settings.currency))
    sign = "-" if amount < 0 else ""
    value = abs(amount).quantize(Decimal("0.01"))
    return (
        f'<span class="woocommerce-Price-amount amount"><bdi>{sign}'
        f'<span class="woocommerce-Price-currencySymbol">{symbol}</span>{value}</bdi></span>'
    )


def number(amount: Decimal) -> int | float:
    """A PHP float as json_encode prints it: ``50`` for whole numbers, else ``29.97``."""
    if amount == amount.to_integral_value():
        return int(amount)
    return float(amount)


def address_html(address: Address) -> str:
    """WooCommerce's formatted address (US layout for US addresses)."""
    if not (address.address_1 or address.city or address.first_name):
        return "&ndash;"
    name = f"{address.first_name} {address.last_name}".strip()
    lines = [name, address.company, address.address_1, address.address_2]
    if address.country in ("US", ""):
        state = US_STATES.get(address.state, address.state)
        lines.append(f"{address.city}, {state} {address.postcode}".strip(" ,"))
    else:
        lines += [f"{address.postcode} {address.city}".strip(), address.state, address.country]
    text = "<br />".join(esc(line) for line in lines if line)
    return f"<div style='text-align:left;'>{text}</div>"


def store_link(state: MarketplaceState, user: User | None) -> str:
    if user is None:
        return ""
    name = user.store.store_name if user.store else user.display_name
    slug = user.store.store_slug if user.store else user.nicename or user.login
    return (
        f'<a class="wcfm_dashboard_item_title" target="_blank" '
        f'href="{state.settings.site_url}/store/{esc(slug)}">{esc(name)}</a>'
    )


def status_label(status: str) -> str:
    return WC_ORDER_STATUSES.get(status, status.replace("-", " ").capitalize())


# ------------------------------------------------------------------------ orders table
@dataclass
class OrderGroup:
    """One line of the orders table: an order and the vendor's commission rows (``GROUP BY
    order_id``), first row first (highest ID, as the recorded grouping shows)."""

    order: Order
    rows: list[CommissionRow]

    @property
    def first(self) -> CommissionRow:
        return self.rows[0]


def order_actions(state: MarketplaceState, group: OrderGroup, vendor: User | None) -> str:
    site = state.settings.site_url
    order = group.order
    first = group.first
    vendor_status = first.commission_status
    ultimate = state.settings.edition == "ultimate"
    refund_requested = any(row.refund_status == "requested" for row in group.rows)
    all_refunded = all(row.is_refunded for row in group.rows)
    actions = ""
    if (
        vendor_status not in ("completed", "failed", "cancelled", "refunded")
        and not refund_requested
        and not all_refunded
    ):
        actions += (
            f'<a class="wcfm_order_mark_complete wcfm-action-icon" href="#" data-orderid="{order.id}">'
            '<span class="wcfmfa fa-check-circle text_tip" data-tip="Mark as Complete"></span></a>'
        )
    actions += (
        f'<a class="wcfm-action-icon" href="{site}/store-manager/orders-details/{order.id}">'
        '<span class="wcfmfa fa-eye text_tip" data-tip="View Details"></span></a>'
    )
    if ultimate:
        vendor_id = vendor.id if vendor is not None else first.vendor_id
        actions += (
            f'<br/><a class="wcfm_pdf_invoice wcfm-action-icon  " href="#" data-vendorid="{vendor_id}"'
            f' data-orderid="{order.id}"><span class="wcfmfa fa-currence text_tip" '
            'data-tip="Commission Invoice">&#36;</span></a>'
        )
        invoice_url = invoices.store_invoice_url(state, order, vendor_id)
        if invoice_url:
            actions += (
                f'<a class="wcfm_store_invoice wcfm-action-icon " target="_blank" href="{invoice_url}">'
                '<span class="wcfmfa fa-file-invoice text_tip" data-tip="Store Invoice"></span></a>'
            )
        actions += (
            f'<a class="wcfm_pdf_packing_slip wcfm-action-icon " href="#" data-orderid="{order.id}">'
            '<span class="wcfmfa fa-file-powerpoint text_tip" data-tip="Download Packing Slip">'
            "</span></a><br/>"
        )
        needs_shipping = any(
            (item := order.item(row.item_id)) is not None and not item.virtual for row in group.rows
        )
        if (
            needs_shipping
            and vendor_status not in ("failed", "cancelled", "refunded", "pending")
            and not refund_requested
            and not all_refunded
        ):
            product_ids = ",".join(str(row.product_id) for row in group.rows)
            item_ids = ",".join(str(row.item_id) for row in group.rows)
            actions += (
                f'<a class="wcfm_wcfmmarketplace_order_mark_shipped wcfm-action-icon" href="#" '
                f'data-productid="{product_ids}" data-orderitemid="{item_ids}" '
                f'data-orderid="{order.id}"><span class="wcfmfa fa-truck text_tip" '
                'data-tip="Mark Shipped"></span></a>'
            )
    if (
        order.status not in refunds.REFUND_DISABLED_STATUSES
        and first.withdraw_status == "pending"
        and not all_refunded
    ):
        data_item = (
            ",".join(str(row.item_id) for row in group.rows) if ultimate else str(first.item_id)
        )
        actions += (
            f'<a class="wcfmmp_order_refund_request wcfm-action-icon" href="#" data-item="{data_item}"'
            f' data-commission="{first.ID}" data-order="{order.id}"><span class="wcfmfa fa-retweet '
            'text_tip" data-tip="Refund Request"></span></a>'
        )
    return actions


def order_row(state: MarketplaceState, group: OrderGroup, vendor: User | None) -> list[object]:
    """The 13 cells of one orders-table line (recording 64)."""
    order = group.order
    site = state.settings.site_url
    status = group.first.commission_status if vendor is not None else order.status
    customer = f"{order.billing.first_name} {order.billing.last_name}".strip() or "Guest"
    quantity = sum(row.quantity for row in group.rows)
    items_html = ""
    for row in group.rows:
        item = order.item(row.item_id)
        if item is None:
            continue
        sku = f" (SKU: {esc(item.sku)})" if item.sku else ""
        items_html += (
            f'<div class=""><span class="qty">{item.quantity}x</span>'
            f'<span class="name">{esc(item.name)}{sku}</span></div>'
        )
    gross = sum(
        (row.item_total + row.shipping + row.tax + row.shipping_tax_amount - row.refunded_amount)
        for row in group.rows
    )
    earning = sum((row.total_commission for row in group.rows), Decimal("0"))
    withdraw = group.first.withdraw_status
    paid_label = {
        "completed": '<span class="wcpv-paid-status">PAID</span>',
        "requested": '<span class="wcpv-unpaid-status">REQUESTED</span>',
    }.get(withdraw, '<span class="wcpv-unpaid-status">UNPAID</span>')
    return [
        f'<span class="order-status tips wcicon-status-default wcicon-status-{esc(status)} text_tip"'
        f' data-tip="{esc(status_label(status))}"></span>',
        f'<a href="{site}/store-manager/orders-details/{order.id}" class="wcfm_order_title">'
        f'#{order.id}</a> by <span class="wcfm_order_by_customer">{esc(customer)}</span>',
        f'<a href="#" class="show_order_items">{quantity} item{"" if quantity == 1 else "s"}</a>'
        f'<div class="order_items order_items_visible" cellspacing="0">{items_html}</div>',
        str(quantity),
        address_html(order.billing),
        address_html(order.shipping),
        f'{price_html(state, Decimal(gross))}<br /><small class="meta">Via '
        f"{esc(order.payment_method_title)}</small>",
        number(Decimal(gross)),
        f"{price_html(state, earning)}<br />{paid_label}",
        number(earning),
        "&ndash;",
        wc_date(order.date_created),
        order_actions(state, group, vendor),
    ]


# ------------------------------------------------------------------------ refund popup
def refund_popup(state: MarketplaceState, order: Order, vendor_id: int | None) -> str:
    """``wcmp-view-refund-requests-popup.php`` (recording 72)."""
    if vendor_id is None:
        items = [
            item
            for vid in order.vendor_ids()
            for item in refunds.refundable_items(state, order, vid)
        ]
    else:
        items = refunds.refundable_items(state, order, vendor_id)
    rows = ""
    for item in items:
        old_total, old_qty, _ = refunds.refunded_for_item(order, item.id)
        left_qty = item.quantity - old_qty
        left_total = item.total - old_total
        unit = (item.total / item.quantity) if item.quantity else item.total
        options = "".join(f'<option value="{q}">{q}</option>' for q in range(1, left_qty + 1))
        max_total = number(left_total)
        rows += (
            f'<tr class="order_line_item_{item.id}">'
            f'<td class="item sortable" data-sort="string-ins">{esc(item.name)}'
            '<ul class="wc-item-meta"><li><strong class="wc-item-meta-label">Store:</strong> '
            f"{store_link(state, state.users.get(item.vendor_id))}</li></ul></td>"
            '<td class="item_cost sortable no_mob" data-sort="float" style="text-align:center;">'
            f"{price_html(state, unit)}</td>"
            '<td class="item_quantity wcfm_item_qty_heading sortable" data-sort="int" '
            f'style="text-align:center;">{item.quantity}<br />'
            f'<select class="wcfm_popup_input wcfm_refund_input_qty wcfm_refund_input_ele" '
            f'data-item="{item.id}" name="wcfm_refund_input[{item.id}][qty]">'
            f'<option value="">0</option>{options}</select>'
            f'<input type="hidden" value="{item.id}" name="wcfm_refund_input[{item.id}][item]"></td>'
            '<td class="line_cost sortable" data-sort="float" style="text-align:center;">'
            f"{price_html(state, item.total)}<br />"
            '<input type="number" class="wcfm_popup_input wcfm_refund_input_total '
            f'wcfm_refund_input_ele" data-item_cost="{number(unit)}" '
            f'name="wcfm_refund_input[{item.id}][total]" min="0" step="1" max="{max_total}" '
            f'data-max_total="{max_total}"  /></td></tr>\n'
        )
    return (
        '\n<div class="wcfm-clearfix"></div><br />\n<div id="wcfm_refund_form_wrapper">\n'
        '<form action="" method="post" id="wcfm_refund_requests_form" '
        'class="refund-form wcfm_popup_wrapper" novalidate="">\n'
        '<div style="margin-bottom: 15px;"><h2 style="float: none;">Refund Request</h2></div>\n'
        '<p class="wcfm-refund-form-request wcfm_popup_label"><label for="wcfm_refund_request">'
        '<strong>Request Mode <span class="required">*</span></strong></label></p>\n'
        '<select id="wcfm_refund_request" name="wcfm_refund_request" '
        'class="wcfm-select wcfm_ele wcfm_popup_input"  ><option value="full" >Full Refund</option>'
        "<option value=\"partial\"  selected='selected'>Partial Refund</option></select>\n"
        '<div class="wcfm_refund_items_ele" style="margin-bottom: 15px;"><h2 style="float: none;">'
        "Refund by Item(s)</h2></div>\n"
        '<table cellpadding="0" cellspacing="0" class="woocommerce_order_items '
        'wcfm_refund_items_ele">\n<thead><tr>'
        '<th class="item sortable" data-sort="string-ins">Item</th>'
        '<th class="item_cost sortable no_mob" data-sort="float" style="text-align:center;">Cost</th>'
        '<th class="item_quantity wcfm_item_qty_heading sortable" data-sort="int" '
        'style="text-align:center;">Qty</th>'
        '<th class="line_cost sortable" data-sort="float" style="text-align:center;">Total</th>'
        f'</tr></thead>\n<tbody id="order_line_items">\n{rows}</tbody>\n</table>\n'
        '<p class="wcfm-refund-form-reason wcfm_popup_label"><label for="comment"><strong>'
        'Refund Requests Reason <span class="required">*</span></strong></label></p>\n'
        '<textarea id="wcfm_refund_reason" name="wcfm_refund_reason" '
        'class="wcfm_popup_input wcfm_popup_textarea"></textarea>\n'
        '<div class="wcfm-message" tabindex="-1"></div>\n'
        '<p class="form-submit"><input name="submit" type="submit" '
        'id="wcfm_refund_requests_submit_button" class="submit wcfm_popup_button" value="Submit"> '
        f'<input type="hidden" name="wcfm_refund_order_id" value="{order.id}" '
        'id="wcfm_refund_order_id"></p>\n'
        '<div class="wcfm-clearfix"></div>\n</form>\n<div class="wcfm-clearfix"></div>\n</div>\n'
        '<div class="wcfm-clearfix"></div>\n'
    )


# ------------------------------------------------------------------- tracking popup
def tracking_popup(
    order_id: str, product_id: str, item_id: str, code: str = "", url: str = ""
) -> str:
    """``wcfmu-view-shipment-tracking.php`` (recording 129)."""

    def field(name: str, label: str, value: str) -> str:
        return (
            f'<p class="{name} shipment_tracking_input wcfm_popup_label"><strong>{label}'
            f'<span class="required">*</span></strong></p><label class="screen-reader-text" '
            f'for="{name}">{label}<span class="required">*</span></label><input type="text" '
            f'id="{name}" name="{name}" class="wcfm-text shipment_tracking_input wcfm_popup_input" '
            f'value="{esc(value)}" placeholder="" data-required="1" '
            f'data-required_message="{label}: This field is required."  />'
        )

    def hidden(name: str, value: str) -> str:
        return f'<input type="hidden" id="{name}" name="{name}" class="hidden" value="{esc(value)}"  />'

    return (
        '\n<div class="wcfm-collapse-content wcfm_popup_wrapper">\n'
        '  <form id="wcfm_shipping_tracking_form">\n'
        '        <div style="margin-bottom: 15px;"><h2 style="float: none;">Shipment Tracking Info'
        "</h2></div>\n        \n        "
        + field("wcfm_tracking_code", "Tracking Code", code)
        + field("wcfm_tracking_url", "Tracking URL", url)
        + hidden("wcfm_tracking_order_id", order_id)
        + hidden("wcfm_tracking_product_id", product_id)
        + hidden("wcfm_tracking_order_item_id", item_id)
        + '        <div class="wcfm-clearfix"></div>\n        <div class="wcfm-message"></div>\n'
        '        <div class="wcfm-clearfix"></div><br/>\n        \n'
        '        <input type="submit" id="wcfm_tracking_button" name="wcfm_tracking_button" '
        'class="wcfm_submit_button wcfm_popup_button" value="Submit" />\n'
        '        <div class="wcfm-clearfix"></div>\n    </form>\n'
        '    <div class="wcfm-clearfix"></div>\n</div>\n'
    )


# -------------------------------------------------------------------- refund requests list
def refund_request_row(state: MarketplaceState, request: RefundRequest, admin: bool) -> list[str]:
    """One line of the refund-requests table (recording 75)."""
    site = state.settings.site_url
    checkbox = (
        '<input type="checkbox" class="wcfm-checkbox bulk_action_checkbox_single" '
        f'name="bulk_action_checkbox[]" value="{request.ID}" />'
        if admin and request.refund_status == "requested"
        else "&ndash;"
    )
    actions = "&ndash;"
    if admin and request.refund_status == "requested":
        actions = (
            f'<a class="wcfm_refund_request_approve wcfm-action-icon" href="#" '
            f'data-refundid="{request.ID}"><span class="wcfmfa fa-check-circle text_tip" '
            'data-tip="Approve"></span></a><a class="wcfm_refund_request_cancel wcfm-action-icon" '
            f'href="#" data-refundid="{request.ID}"><span class="wcfmfa fa-times-circle text_tip" '
            'data-tip="Cancel"></span></a>'
        )
    return [
        checkbox,
        f'<span class="wcfm_dashboard_item_title"># {request.ID}</span>',
        f'<a target="_blank" href="{site}/store-manager/orders-details/{request.order_id}" '
        f'class="wcfm_dashboard_item_title transaction_order_id">#{request.order_id}</a>',
        store_link(state, state.users.get(request.vendor_id)),
        price_html(state, request.refunded_amount),
        "Partial Refund" if request.is_partially_refunded else "Full Refund",
        esc(request.refund_reason),
        wc_date(request.created),
        actions,
    ]


# -------------------------------------------------------------------------- messages
_ICON_CLASSES = {
    "order": "fa-shopping-cart",
    "direct": "fa-telegram-plane fab",
    "notice": "fa-bullhorn",
    "product_review": "fa-cube",
    "product_lowstk": "fa-cube",
    "status-update": "fa-edit",
    "withdraw-request": "fa-money-bill-alt",
    "refund-request": "fa-retweet",
    "new_product": "fa-cube",
    "new_taxonomy_term": "fa-tags",
    "shipment_tracking": "fa-truck",
    "shipment_received": "fa-truck",
}


def message_icon(message_type: str) -> str:
    label = messaging.MESSAGE_TYPE_LABELS.get(message_type, message_type.capitalize())
    icon = _ICON_CLASSES.get(message_type)
    classes = (
        f"wcfmfa wcfm-message-type-icon text_tip wcfm-message-type-{esc(message_type)} {icon}"
        if icon
        else "fa-cart"
    )
    return f'<span class="{classes}" data-tip="{esc(label)}"></span>'


def _party(state: MarketplaceState, user_id: int, *, recipient: bool) -> str:
    if recipient and user_id == messaging.ALL_VENDORS:
        return "All Vendors"
    if user_id in (messaging.SYSTEM_TO_VENDOR, messaging.SYSTEM_TO_ADMIN) and not recipient:
        return "System"
    user = state.users.get(user_id)
    if user_id == messaging.ADMIN_RECIPIENT or (user is not None and user.role == "administrator"):
        return "Store"
    if user is not None and user.is_vendor:
        return store_link(state, user)
    return esc(user.display_name) if user is not None else "&ndash;"


def message_row(state: MarketplaceState, message: Message) -> list[str]:
    """One line of the notification board (recording 142)."""
    return [
        '<input type="checkbox" class="wcfm-checkbox bulk_action_checkbox_single" '
        f'name="bulk_action_checkbox[]" value="{message.ID}" />',
        message_icon(message.message_type),
        message.message,
        _party(state, message.author_id, recipient=False),
        _party(state, message.message_to, recipient=True),
        wc_date(message.created),
        f'<a class="wcfm_messages_delete wcfm-action-icon" href="#" data-messageid="{message.ID}">'
        '<span class="wcfmfa fa-trash-alt text_tip" data-tip="Delete"></span></a>',
    ]


def note_row(content: str, customer: bool) -> str:
    """The ``<tr>`` WCFM Ultimate answers after adding a note (recordings 135, 136)."""
    css = "customer-note" if customer else ""
    return f'<tr class="{css}"><td><p>{content}</p>\n</td><td>Just Now</td></tr>'


def order_item_tracking(item: OrderItem) -> tuple[str, str]:
    return str(item.meta_value("wcfm_tracking_code") or ""), str(
        item.meta_value("wcfm_tracking_url") or ""
    )
