"""Marketplace business operations shared by the REST routes, the dashboard surface and the
control surface. They reproduce WCFM's side effects (commission rows, notes, notifications,
mails). Callers hold ``state.lock``.

What each operation does is taken from the recordings (``shared/marketplace/recorded``, files
20–33, 91, 105–121, 130–131, 138, 149 and ``ultimate-side-effects.json``) and from the plugin
code described in ``wcfm-api.md`` §3.3, §3.5, §3.6 and §4.1.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from vendor_desk.sandbox.model import (
    SEQ_COMMENT,
    SEQ_ITEM_META,
    SEQ_MESSAGE,
    SEQ_POST_META,
    WC_ORDER_STATUSES,
    MarketplaceState,
    Message,
    MetaEntry,
    Note,
    Order,
    OrderItem,
    User,
    utcnow,
)

#: Statuses for which WCFM's vendor handler may switch the main order (all parts agree).
MAIN_SWITCH_STATUSES = ("completed", "processing")

#: ``added_by`` of notes WooCommerce writes itself (``comment_author`` "WooCommerce").
SYSTEM_AUTHOR = "system"


class OperationError(Exception):
    """An operation that cannot run at all (unknown order, unknown status …)."""


# ------------------------------------------------------------------ small building blocks
def status_label(status: str) -> str:
    """``wc_get_order_status_name``: "Completed", "On hold" …; unknown slugs come back as-is."""
    return WC_ORDER_STATUSES.get(status, status.replace("-", " ").title())


def slugify(text: str) -> str:
    """``sanitize_title``, close enough for product and store URLs."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def store_name(vendor: User) -> str:
    return vendor.store.store_name if vendor.store else vendor.display_name


def store_url(state: MarketplaceState, vendor: User) -> str:
    slug = vendor.store.store_slug if vendor.store else slugify(vendor.login)
    return f"{state.settings.site_url}/store/{slug}"


def store_link(state: MarketplaceState, vendor: User) -> str:
    """``wcfm_get_vendor_store``: the store name as a dashboard link."""
    return (
        f'<a class="wcfm_dashboard_item_title" target="_blank" '
        f'href="{store_url(state, vendor)}">{html.escape(store_name(vendor), quote=False)}</a>'
    )


def product_url(state: MarketplaceState, product_id: int, fallback_name: str) -> str:
    product = state.products.get(product_id)
    slug = (product.slug if product and product.slug else "") or slugify(
        product.name if product else fallback_name
    )
    return f"{state.settings.site_url}/product/{slug}/"


def product_title(state: MarketplaceState, product_id: int) -> str:
    """``get_the_title($product_id)`` (empty for an unknown product, as WordPress)."""
    product = state.products.get(product_id)
    return product.name if product else ""


def strip_tags(text: str) -> str:
    """``wp_strip_all_tags`` (entities are left alone)."""
    return re.sub(r"<[^>]*>", "", text)


def admin_user(state: MarketplaceState) -> User | None:
    for user in state.users.values():
        if user.role == "administrator":
            return user
    return None


def admin_email(state: MarketplaceState) -> str:
    admin = admin_user(state)
    return admin.email if admin else "admin@example.test"


def set_item_meta(state: MarketplaceState, item: OrderItem, key: str, value: str) -> None:
    """``wc_update_order_item_meta``: overwrite in place (same meta id) or append a new row."""
    for entry in item.meta:
        if entry.key == key:
            entry.value = value
            return
    item.meta.append(MetaEntry(state.next_id(SEQ_ITEM_META), key, value))


def set_order_meta(state: MarketplaceState, order: Order, key: str, value: object) -> None:
    for entry in order.meta:
        if entry.key == key:
            entry.value = value
            return
    order.meta.append(MetaEntry(state.next_id(SEQ_POST_META), key, value))


def add_note(
    state: MarketplaceState,
    order: Order,
    content: str,
    *,
    customer: bool,
    added_by: str = SYSTEM_AUTHOR,
    author_user_id: int | None = None,
    vendor_id: int | None = None,
) -> Note:
    """``WC_Order::add_order_note``. A customer note sends WooCommerce's "note added" mail."""
    note = Note(
        id=state.next_id(SEQ_COMMENT),
        order_id=order.id,
        content=content,
        customer_note=customer,
        added_by=added_by,
        date_created=utcnow(),
        author_user_id=author_user_id,
        vendor_id=vendor_id,
    )
    state.add_note(note)
    if customer and order.billing.email:
        site = state.settings.site_name
        state.record_mail(
            order.billing.email,
            f"A note has been added to your order from {site}",
            f"{site} A note has been added to your order Hi {order.billing.first_name}, "
            f"The following note has been added to your order: {strip_tags(content)} "
            f"As a reminder, here are your order details: Order #{order.id}",
        )
    return note


def send_notification(
    state: MarketplaceState,
    *,
    text: str,
    message_type: str,
    author_id: int,
    message_to: int,
    author_is_vendor: bool = False,
    author_is_admin: bool = False,
    mail_subject: str | None = None,
) -> Message:
    """``wcfm_send_direct_message``: a board message (read for a real-user author) and, for
    messages to the admin, the "Notification - …" mail."""
    now = utcnow()
    message = Message(
        ID=state.next_id(SEQ_MESSAGE),
        message=text.replace("<br/>", "<br />"),
        author_id=author_id,
        message_to=message_to,
        message_type=message_type,
        created=now,
        author_is_admin=author_is_admin,
        author_is_vendor=author_is_vendor,
        is_direct_message=True,
    )
    if author_id > 0:
        message.read_by[author_id] = now
    state.add_message(message)
    if mail_subject is not None and message_to == 0:
        site = state.settings.site_name
        state.record_mail(
            admin_email(state),
            f"[{site}] Notification - {mail_subject}",
            f"{site} Notification - {mail_subject} Hi,You have received a new notification:"
            f"{strip_tags(text)}Check more details here.Thank You {site}",
        )
    return message


# ------------------------------------------------------------------ main order status
_CUSTOMER_STATUS_MAILS = {
    "processing": "Your {site} order has been received!",
    "on-hold": "Your {site} order has been received!",
    "completed": "Your order from {site} is on its way!",
    "refunded": "Your {site} order #{id} has been refunded",
}
_ADMIN_STATUS_MAILS = {
    "cancelled": "[{site}]: Order #{id} has been cancelled",
    "failed": "[{site}]: Order #{id} has failed",
}


#: "PDF Invoices & Packing Slips" invoice-number sequence; the recorded site had issued six.
SEQ_WPO_INVOICE = "wpo_invoice"
WPO_FIRST_INVOICE_NUMBER = 7

_WPO_INVOICE_SETTINGS_KEYS = (
    "header_logo",
    "header_logo_height",
    "vat_number",
    "coc_number",
    "shop_name",
    "shop_phone_number",
    "shop_email_address",
    "shop_address_line_1",
    "shop_address_line_2",
    "shop_address_country",
    "shop_address_state",
    "shop_address_city",
    "shop_address_postcode",
    "shop_address_additional",
    "footer",
    "extra_1",
    "extra_2",
    "extra_3",
)


def record_pdf_document(state: MarketplaceState, order: Order, document_type: str) -> None:
    """The order meta "PDF Invoices & Packing Slips" (active with Ultimate on the recorded
    site) writes the first time it makes a document of an order: ``invoice`` (the commission
    invoice download, or the invoice it attaches to the customer's completed mail) gets a
    number from the site-wide sequence and ``_wcpdf_invoice_*`` meta; ``packing-slip`` gets
    ``_wcpdf_packing_slip_date*``. Later documents of the same kind change nothing."""
    now = utcnow()
    stamp = str(int(now.timestamp()))
    formatted = now.strftime("%Y-%m-%d %H:%M:%S")
    if document_type == "invoice":
        if order.meta_value("_wcpdf_invoice_number") is not None:
            return
        number = state.next_id(SEQ_WPO_INVOICE, minimum=WPO_FIRST_INVOICE_NUMBER)
        set_order_meta(
            state, order, "_wcpdf_invoice_settings", dict.fromkeys(_WPO_INVOICE_SETTINGS_KEYS, "")
        )
        set_order_meta(state, order, "_wcpdf_invoice_display_date", "document_date")
        set_order_meta(state, order, "_wcpdf_invoice_date", stamp)
        set_order_meta(state, order, "_wcpdf_invoice_date_formatted", formatted)
        set_order_meta(state, order, "_wcpdf_invoice_number", str(number))
        set_order_meta(
            state,
            order,
            "_wcpdf_invoice_number_data",
            {
                "number": number,
                "formatted_number": str(number),
                "document_type": "invoice",
                "order_id": order.id,
            },
        )
    elif document_type == "packing-slip":
        if order.meta_value("_wcpdf_packing_slip_date") is not None:
            return
        set_order_meta(state, order, "_wcpdf_packing_slip_date", stamp)
        set_order_meta(state, order, "_wcpdf_packing_slip_date_formatted", formatted)


def _store_invoice_attachments(state: MarketplaceState, order: Order) -> list[str]:
    """WCFM Ultimate's store invoices, made when WooCommerce mails the customer an order mail
    (:mod:`vendor_desk.sandbox.invoices`). The recorded mail carries each invoice twice (two
    attachment filters run)."""
    from vendor_desk.sandbox import invoices

    if not invoices.store_invoices_enabled(state):
        return []
    if order.status == "completed":
        record_pdf_document(state, order, "invoice")  # WPO attaches its invoice to this mail
    names = invoices.issue_store_invoices(state, order.id)
    return [name for name in names for _ in range(2)]


def _change_stock(state: MarketplaceState, order: Order, *, give_back: bool) -> None:
    """WooCommerce's ``wc_maybe_increase_stock_levels`` (cancelled, pending) and
    ``wc_maybe_reduce_stock_levels`` (processing, completed, on-hold): the items' stock moves
    once per direction (``_reduced_stock`` item meta, the order's ``order_stock_reduced``), with
    a system note."""
    from vendor_desk.sandbox.checkout import stock_reduced_note

    if give_back != order.order_stock_reduced:
        return
    changes = []
    for item in order.items:
        product = state.products.get(item.variation_id or item.product_id)
        if product is None or product.stock is None:
            continue
        if give_back:
            reduced = item.meta_value("_reduced_stock")
            if reduced is None:
                continue
            item.meta = [entry for entry in item.meta if entry.key != "_reduced_stock"]
            before = product.stock
            product.stock += int(reduced)
        else:
            before = product.stock
            product.stock -= item.quantity
            set_item_meta(state, item, "_reduced_stock", str(item.quantity))
        changes.append((product, before, product.stock))
    order.order_stock_reduced = not give_back
    if changes:
        verb = "increased" if give_back else "reduced"
        add_note(state, order, stock_reduced_note(changes, verb), customer=False)


def notify_vendors_of_status(state: MarketplaceState, order: Order, status: str) -> None:
    """WCFM's notice to every vendor of an order whose main status the store admin changed
    (files 169, 189, 199): an unread ``status-update`` "#N order status updated to <Label>"
    on each vendor's board and the "Notification - Status Updated" mail. A change the vendor
    made itself (its own status reaching every row) tells only the admin."""
    label = status_label(status)
    order_url = f"{state.settings.site_url}/store-manager/orders-details/{order.id}"
    link = f'<a target="_blank" class="wcfm_dashboard_item_title" href="{order_url}">{order.id}</a>'
    text = f"<b>#{link}</b> order status updated to <b>{label}</b>"
    site = state.settings.site_name
    for vendor_id in order.vendor_ids():
        vendor = state.users.get(vendor_id)
        if vendor is None or not vendor.is_vendor:
            continue
        send_notification(
            state,
            text=text,
            message_type="status-update",
            author_id=-1,
            message_to=vendor_id,
            author_is_admin=True,
        )
        state.record_mail(
            vendor.store.store_email if vendor.store else vendor.email,
            f"[{site}] Notification - Status Updated",
            f"{site} Notification - Status Updated Hi,You have received a new notification:"
            f"{strip_tags(text)}Check more details here.Thank You {site}",
        )


def _switch_main_status(
    state: MarketplaceState, order: Order, status: str, *, by_admin: bool = False
) -> str:
    """WooCommerce ``WC_Order::set_status`` + save: dates, stock, the transition note, the mails
    WC sends, and WCFMmp's ``wcfmmp_order_status_changed`` (every commission row follows the
    main status; a cancelled order's rows are flagged ``is_trashed``, which takes it off the
    vendors' order list, file 196). ``by_admin``: the store admin made the change (the vendors
    are notified). A trashed order comes back from the trash ("from trash to …"). Returns the
    old status."""
    old = order.status
    from_trash = order.is_trashed
    now = utcnow()
    order.status = status
    order.date_modified = now
    if from_trash:
        order.is_trashed = False
        order.meta = [entry for entry in order.meta if entry.key != "_wp_desired_post_slug"]
    if status in ("processing", "completed"):
        order.download_permissions_granted = True
    if status == "completed":
        order.date_completed = now
        if order.date_paid is None:
            order.date_paid = now
    for row in state.commissions_of_order(order.id):
        row.order_status = status
        row.commission_status = status
        row.is_trashed = status == "cancelled"
    state.update_visibility(order.id)
    if status in ("cancelled", "pending"):
        _change_stock(state, order, give_back=True)
    elif status in ("processing", "completed", "on-hold"):
        _change_stock(state, order, give_back=False)
    add_note(
        state,
        order,
        f"Order status changed from {'trash' if from_trash else status_label(old)} to "
        f"{status_label(status)}.",
        customer=False,
    )
    site = state.settings.site_name
    subject = _CUSTOMER_STATUS_MAILS.get(status)
    if subject and order.billing.email and not from_trash:
        state.record_mail(
            order.billing.email,
            subject.format(site=site, id=order.id),
            f"{site} Hi {order.billing.first_name}, order #{order.id} is now "
            f"{status_label(status)}.",
            # WCFM attaches store invoices to the order mails, not to the refund mail (187)
            [] if status == "refunded" else _store_invoice_attachments(state, order),
        )
    admin_subject = _ADMIN_STATUS_MAILS.get(status)
    if admin_subject:
        state.record_mail(
            admin_email(state),
            admin_subject.format(site=site, id=order.id),
            f"{site} Order #{order.id} is now {status_label(status)}.",
        )
    if by_admin:
        notify_vendors_of_status(state, order, status)
    return old


def set_main_status(state: MarketplaceState, order_id: int, status: str) -> None:
    """An admin changes the main WooCommerce status: rewrites ``order_status`` and
    ``commission_status`` on every commission row, adds the WooCommerce note, sends the mails
    WooCommerce would send (e.g. completed) and tells every vendor of the order (a
    ``status-update`` notification). On a trashed order it is the restore (wc/v3 has no untrash
    route; file 167).

    Raises :class:`OperationError` for an unknown order or status. Setting the current status
    again changes nothing (WooCommerce makes no transition then), except on a trashed order."""
    status = status.removeprefix("wc-")
    order = state.orders.get(order_id)
    if order is None:
        raise OperationError(f"no order {order_id}")
    if status not in WC_ORDER_STATUSES:
        raise OperationError(f"unknown order status {status!r}")
    if order.status == status and not order.is_trashed:
        return
    _switch_main_status(state, order, status, by_admin=True)


# ------------------------------------------------------------------ vendor status
def set_vendor_status(state: MarketplaceState, order_id: int, vendor: User, status: str) -> None:
    """WCFM's vendor status handler (order_sync = no): the vendor's commission rows get
    ``commission_status = status``; per vendor item a customer-visible note "Order item … status
    updated to … by <store>"; an admin ``status-update`` message (authored by the vendor, read
    for the vendor); the main order switches when every row of every vendor now shares
    ``completed``/``processing``. ``refunded`` is refused silently (no change). An order without
    rows of this vendor changes nothing (the dashboard still reports success)."""
    status = status.removeprefix("wc-")
    order = state.orders.get(order_id)
    if order is None or status == "refunded" or status not in WC_ORDER_STATUSES:
        return
    rows = state.commissions_of_order(order_id, vendor.id)
    if not rows:
        return
    label = status_label(status)
    shop = store_link(state, vendor)
    for row in rows:
        row.commission_status = status
    for row in sorted(rows, key=lambda r: r.item_id):
        item = order.item(row.item_id)
        name = item.name if item else product_title(state, row.product_id)
        product = (
            f'<a target="_blank" class="wcfm_dashboard_item_title" '
            f'href="{product_url(state, row.product_id, name)}">{name}</a>'
        )
        add_note(
            state,
            order,
            f"Order item <b>{product}</b> status updated to <b>{label}</b> by <b>{shop}</b>",
            customer=True,
            added_by=store_name(vendor),
            author_user_id=vendor.id,
            vendor_id=vendor.id,
        )
        order_url = f"{state.settings.site_url}/store-manager/orders-details/{order.id}"
        send_notification(
            state,
            text=(
                f'<b>#<a target="_blank" class="wcfm_dashboard_item_title" href="{order_url}">'
                f"{order.id}</a></b> order item <b>{product}</b> status updated to "
                f"<b>{label}</b> by <b>{shop}</b>"
            ),
            message_type="status-update",
            author_id=vendor.id,
            message_to=0,
            author_is_vendor=True,
            mail_subject="Status Updated",
        )
    if status in MAIN_SWITCH_STATUSES and order.status != status:
        every_row = state.commissions_of_order(order_id)
        if every_row and all(row.commission_status == status for row in every_row):
            _switch_main_status(state, order, status)
            add_note(
                state,
                order,
                f"<b>#{order.id}</b> order status updated to <b>{label}</b>",
                customer=True,
            )
            send_notification(
                state,
                text=f"<b>#{order.id}</b> order status updated to <b>{label}</b>",
                message_type="status-update",
                author_id=-2,
                message_to=0,
                author_is_admin=True,
                mail_subject="Status Updated",
            )


# ------------------------------------------------------------------ shipping
@dataclass
class _ShipTarget:
    item_id: int
    product_id: int


def ship_items(
    state: MarketplaceState,
    order_id: int,
    vendor: User,
    item_ids: list[int],
    product_ids: list[int],
    tracking_code: str,
    tracking_url: str,
    *,
    crash_half_way: bool = False,
) -> dict[str, str]:
    """WCFM Ultimate's mark-shipped (updateShippingTrackingInfo), once per item id. Does nothing
    unless both code and URL are non-empty. No ownership check on the items (as the real one);
    only the caller's commission rows change. ``crash_half_way`` reproduces the application-
    password crash: commission row shipped + admin message/mail, then stop (no item meta, note or
    customer mail). Returns the ``tracking_data`` dict of the last item processed.

    The order of effects is Ultimate's: commission rows; then per product an admin message (+
    mail) and a private note authored by the vendor; then per item the tracking meta and the
    customer mail "Shipment Tracking Update - PRODUCT". An unknown order raises
    :class:`OperationError` after the first admin message, where PHP dies on ``$order``.
    """
    tracking_data = {
        "wcfm_tracking_order_id": str(order_id),
        "wcfm_tracking_product_id": ",".join(str(p) for p in product_ids),
        "wcfm_tracking_order_item_id": ",".join(str(i) for i in item_ids),
        "wcfm_tracking_url": tracking_url,
        "wcfm_tracking_code": tracking_code,
        "wcfm_delivery_boy": "",
    }
    order = state.orders.get(order_id)
    if not (tracking_code and tracking_url):
        if order is None:
            raise OperationError(f"no order {order_id}")
        return tracking_data
    for row in state.commissions_of_order(order_id, vendor.id):
        if row.item_id in item_ids:
            row.commission_status = "shipped"
            row.shipping_status = "shipped"
    shop = store_link(state, vendor)
    for product_id in product_ids:
        title = product_title(state, product_id)
        text = (
            f"Vendor <b>{shop}</b> has shipped <b>{title}</b> to customer.<br/>Tracking Info : "
            f'<a class="wcfm_dashboard_item_title" target="_blank" href="{tracking_url}">'
            f"{tracking_code}</a>"
        )
        send_notification(
            state,
            text=text,
            message_type="shipment_tracking",
            author_id=vendor.id,
            message_to=0,
            author_is_vendor=True,
            mail_subject="Shipment Tracking",
        )
        if crash_half_way:
            raise OperationError("WCFM Ultimate helper missing (application-password auth)")
        if order is None:
            raise OperationError(f"no order {order_id}")
        add_note(
            state,
            order,
            text,
            customer=False,
            added_by=store_name(vendor),
            author_user_id=vendor.id,
            vendor_id=vendor.id,
        )
    if order is None:  # no product ids at all
        raise OperationError(f"no order {order_id}")
    site = state.settings.site_name
    for index, item_id in enumerate(item_ids):
        product_id = product_ids[index] if index < len(product_ids) else 0
        item = order.item(item_id)
        if item is not None:
            set_item_meta(state, item, "wcfm_tracking_code", tracking_code)
            set_item_meta(state, item, "wcfm_tracking_url", tracking_url)
        if order.billing.email:
            title = product_title(state, product_id)
            state.record_mail(
                order.billing.email,
                f"[{site}] Shipment Tracking Update - {title}",
                f"{site} Shipment Tracking Update Hi {order.billing.first_name},Product Shipment "
                f"update:Product {title} has been shipped to you.Tracking Code : {tracking_code} "
                f"Tracking URL : {tracking_url}Track your package here.Thank You {site}",
            )
    return tracking_data


# ------------------------------------------------------------------ notes
def vendor_note_text(state: MarketplaceState, vendor: User, text: str) -> str:
    """The note as Ultimate stores it for a vendor author."""
    return f"{store_link(state, vendor)} has added the following note: <br />{text}"


def add_vendor_note(
    state: MarketplaceState, order_id: int, vendor: User, text: str, *, customer: bool
) -> Note:
    """A vendor note as Ultimate writes it ("<store link> has added the following note: <br />"
    + text), authored by the vendor user; a customer note mails the customer. No ownership
    check (as the real one). Raises :class:`OperationError` for an unknown order."""
    order = state.orders.get(order_id)
    if order is None:
        raise OperationError(f"no order {order_id}")
    return add_note(
        state,
        order,
        vendor_note_text(state, vendor, text),
        customer=customer,
        added_by=vendor.display_name,
        author_user_id=vendor.id,
    )


# ------------------------------------------------------------------ payouts
def set_payout(
    state: MarketplaceState, order_id: int, withdraw_status: str, vendor_id: int | None = None
) -> int:
    """The admin's withdrawal workflow, reduced to its effect on the commission rows:
    ``withdraw_status`` (pending / requested / completed / cancelled) on the order's rows (of one
    vendor or all); ``completed`` stamps ``commission_paid_date`` and ends ``is_withdrawable``.
    Returns the number of rows changed; raises :class:`OperationError` for an unknown order."""
    if order_id not in state.orders:
        raise OperationError(f"no order {order_id}")
    if withdraw_status not in ("pending", "requested", "completed", "cancelled"):
        raise OperationError(f"unknown withdraw status {withdraw_status!r}")
    rows = state.commissions_of_order(order_id, vendor_id)
    now = utcnow()
    for row in rows:
        row.withdraw_status = withdraw_status
        if withdraw_status == "completed":
            row.commission_paid_date = now
            row.is_withdrawable = False
        elif withdraw_status == "pending":
            row.commission_paid_date = None
            row.is_withdrawable = True
    return len(rows)
