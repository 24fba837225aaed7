"""Translated labels for status slugs and filter groups (one place, so lupdate sees them).

Each label is a literal ``QCoreApplication.translate`` call: pyside6-lupdate extracts only
those (not calls through an alias).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def status_label(slug: str) -> str:
    """The label of an order status slug ("on-hold" → "On hold")."""
    labels = {
        "pending": QCoreApplication.translate("Status", "Pending payment"),
        "processing": QCoreApplication.translate("Status", "Processing"),
        "on-hold": QCoreApplication.translate("Status", "On hold"),
        "completed": QCoreApplication.translate("Status", "Completed"),
        "cancelled": QCoreApplication.translate("Status", "Cancelled"),
        "refunded": QCoreApplication.translate("Status", "Refunded"),
        "failed": QCoreApplication.translate("Status", "Failed"),
        "checkout-draft": QCoreApplication.translate("Status", "Draft"),
        "shipped": QCoreApplication.translate("Status", "Shipped"),
        "refund-requested": QCoreApplication.translate("Status", "Refund requested"),
        "refund_requested": QCoreApplication.translate("Status", "Refund requested"),
        "": QCoreApplication.translate("Status", "Unknown"),
    }
    slug = (slug or "").strip().lower()
    if slug.startswith("wc-"):
        slug = slug[3:]
    return labels.get(slug, slug.replace("-", " ").replace("_", " ").capitalize())


def shipping_label(slug: str, has_tracking: bool) -> str:
    """The shipping column: the vendor's shipment state, and whether tracking is on file."""
    labels = {
        "pending": QCoreApplication.translate("Status", "Not shipped"),
        "shipped": QCoreApplication.translate("Status", "Shipped"),
        "completed": QCoreApplication.translate("Status", "Received"),
        "": "",
    }
    slug = (slug or "").strip().lower()
    text = labels.get(slug, slug.replace("-", " ").capitalize())
    if has_tracking:
        tracked = QCoreApplication.translate("Status", "tracked")
        return f"{text} · {tracked}" if text else tracked
    return text


def group_label(group: str) -> str:
    """The label of a status filter group of the order list."""
    labels = {
        "to_ship": QCoreApplication.translate("Status", "To ship"),
        "shipped": QCoreApplication.translate("Status", "Shipped"),
        "completed": QCoreApplication.translate("Status", "Completed"),
        "awaiting_payment": QCoreApplication.translate("Status", "Waiting for payment"),
        "refund_requested": QCoreApplication.translate("Status", "Refund requested"),
        "closed": QCoreApplication.translate("Status", "Cancelled / refunded / failed"),
        "all": QCoreApplication.translate("Status", "All orders"),
    }
    return labels.get(group, group)


#: Icon shown next to each filter group.
GROUP_ICONS = {
    "to_ship": "processing",
    "shipped": "shipped",
    "completed": "completed",
    "awaiting_payment": "pending",
    "refund_requested": "refund-requested",
    "closed": "cancelled",
    "all": "",
}
