"""Translated labels for status slugs and filter groups (one place, so lupdate sees them)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def _t(text: str) -> str:
    return QCoreApplication.translate("Status", text)


def status_label(slug: str) -> str:
    """The label of an order status slug ("on-hold" → "On hold")."""
    labels = {
        "pending": _t("Pending payment"),
        "processing": _t("Processing"),
        "on-hold": _t("On hold"),
        "completed": _t("Completed"),
        "cancelled": _t("Cancelled"),
        "refunded": _t("Refunded"),
        "failed": _t("Failed"),
        "checkout-draft": _t("Draft"),
        "shipped": _t("Shipped"),
        "refund-requested": _t("Refund requested"),
        "refund_requested": _t("Refund requested"),
        "": _t("Unknown"),
    }
    slug = (slug or "").strip().lower()
    if slug.startswith("wc-"):
        slug = slug[3:]
    return labels.get(slug, slug.replace("-", " ").replace("_", " ").capitalize())


def shipping_label(slug: str, has_tracking: bool) -> str:
    """The shipping column: the vendor's shipment state, and whether tracking is on file."""
    labels = {
        "pending": _t("Not shipped"),
        "shipped": _t("Shipped"),
        "completed": _t("Received"),
        "": "",
    }
    slug = (slug or "").strip().lower()
    text = labels.get(slug, slug.replace("-", " ").capitalize())
    if has_tracking:
        tracked = _t("tracked")
        return f"{text} · {tracked}" if text else tracked
    return text


def group_label(group: str) -> str:
    """The label of a status filter group of the order list."""
    labels = {
        "to_ship": _t("To ship"),
        "shipped": _t("Shipped"),
        "completed": _t("Completed"),
        "awaiting_payment": _t("Waiting for payment"),
        "refund_requested": _t("Refund requested"),
        "closed": _t("Cancelled / refunded / failed"),
        "all": _t("All orders"),
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
