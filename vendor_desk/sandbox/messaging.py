"""WCFM messages as the dashboard sees them: the notification board, unread counters,
"mark read" and direct messages to the store admin.

WCFM keeps every notification and message in ``wp_wcfm_messages`` and who read what in
``wp_wcfm_messages_modifier`` (here :attr:`Message.read_by`). Messages a user authored count as
read for that user. A vendor's scope (as ``wcfm-controller-messages.php``): direct messages
written by the vendor, addressed to the vendor, or broadcast to all vendors (``message_to`` -1).
The admin's scope: messages addressed to the admin (``message_to`` 0) or to everyone.

Callers hold ``state.lock``.
"""

from __future__ import annotations

import re

from vendor_desk.sandbox import operations
from vendor_desk.sandbox.model import MarketplaceState, Message, User, utcnow

ADMIN_RECIPIENT = 0
ALL_VENDORS = -1
SYSTEM_TO_VENDOR = -1
SYSTEM_TO_ADMIN = -2

#: ``get_wcfm_message_types()``: the labels the board shows for each ``message_type``.
MESSAGE_TYPE_LABELS: dict[str, str] = {
    "notice": "Notice",
    "direct": "Direct Message",
    "order": "New Order",
    "refund-request": "Refund Requests",
    "withdraw-request": "Withdrawal Requests",
    "status-update": "Status Updated",
    "product_review": "Product Review",
    "product_lowstk": "Low Stock",
    "new_product": "New Product",
    "new_taxonomy_term": "New Category",
    "shipment_tracking": "Shipment Tracking",
    "shipment_received": "Shipment Received",
}


def is_visible_to(message: Message, user: User) -> bool:
    """Whether ``message`` is on ``user``'s notification board."""
    if not message.is_direct_message:
        return False
    if user.role == "administrator":
        return message.message_to in (ADMIN_RECIPIENT, ALL_VENDORS) or message.author_id == user.id
    return message.author_id == user.id or message.message_to in (user.id, ALL_VENDORS)


def is_read_by(message: Message, user: User) -> bool:
    return user.id in message.read_by


def board(
    state: MarketplaceState, user: User, *, status: str = "unread", message_type: str = "all"
) -> list[Message]:
    """The user's messages, newest first. ``status``: ``unread`` (WCFM's default), ``read`` or
    ``all``; ``message_type``: ``all`` or one type."""
    result: list[Message] = []
    for message in reversed(state.messages):
        if not is_visible_to(message, user):
            continue
        if message_type not in ("", "all") and message.message_type != message_type:
            continue
        read = is_read_by(message, user)
        if (status == "read" and not read) or (status not in ("read", "all") and read):
            continue
        result.append(message)
    return result


def unread_counts(state: MarketplaceState, user: User) -> dict[str, int]:
    """``wcfm_message_count``: unread notices and unread messages of the user."""
    notice = message = 0
    for item in state.messages:
        if not is_visible_to(item, user) or is_read_by(item, user):
            continue
        if item.is_notice or item.message_type == "notice":
            notice += 1
        else:
            message += 1
    return {"notice": notice, "message": message}


def mark_read(state: MarketplaceState, user: User, message_id: int) -> None:
    """``wcfm_messages_mark_read``: insert a read row for (message, user). WCFM does not check
    that the message exists or is the user's; an unknown id simply changes nothing here."""
    for item in state.messages:
        if message_id == item.ID:
            item.read_by.setdefault(user.id, utcnow())
            return


def send_direct_message(state: MarketplaceState, author: User, text: str) -> Message:
    """A vendor's "Send Direct Message - To Store Admin" (``wcfm-message-sent``).

    For a vendor the recipient is always the admin (``direct_to`` is ignored). The message is
    stored as ``direct``, read for its author, and mailed to the admin ("Notification - Direct
    Message").
    """
    message = operations.send_notification(
        state,
        text=sanitize_message(text),
        message_type="direct",
        author_id=author.id,
        message_to=ADMIN_RECIPIENT,
        author_is_vendor=author.is_vendor,
        author_is_admin=author.role == "administrator",
        mail_subject="Direct Message",
    )
    message.author_is_customer = author.role == "customer"
    return message


def sanitize_message(text: str) -> str:
    """WCFM stores the message through ``wp_kses_post``: simple markup stays, scripts go.
    Here: ``<script>``/``<style>`` blocks and event-handler attributes are removed."""
    text = re.sub(r"(?is)<(script|style)\b.*?</\1\s*>", "", text)
    text = re.sub(r"(?i)\son\w+\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+)", "", text)
    return text.strip()
