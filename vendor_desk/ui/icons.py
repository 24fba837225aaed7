"""Icons from ``resources/icons`` (SVG), loaded once and cached."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QIcon

from vendor_desk.paths import ResourceNotFoundError, resource_path

#: Status slugs that have their own icon file ``status-<slug>.svg``.
STATUS_ICON_NAMES: tuple[str, ...] = (
    "processing",
    "shipped",
    "completed",
    "on-hold",
    "pending",
    "cancelled",
    "refunded",
    "failed",
    "refund-requested",
)

#: Other slugs mapped onto one of the above.
_ALIASES = {
    "refund_requested": "refund-requested",
    "on_hold": "on-hold",
    "checkout-draft": "pending",
    # taken away by the store admin (in the trash, or no longer on the marketplace)
    "trashed": "cancelled",
    "removed": "cancelled",
}


def status_icon_name(slug: str) -> str:
    """The icon name used for a status slug (``"unknown"`` when the app has no icon for it)."""
    slug = (slug or "").strip().lower()
    if slug.startswith("wc-"):
        slug = slug[3:]
    slug = _ALIASES.get(slug, slug)
    return slug if slug in STATUS_ICON_NAMES else "unknown"


@cache
def icon(name: str) -> QIcon:
    """The icon ``resources/icons/<name>.svg`` (an empty icon if the file is missing)."""
    try:
        return QIcon(str(resource_path("icons", f"{name}.svg")))
    except ResourceNotFoundError:
        return QIcon()


def status_icon(slug: str) -> QIcon:
    """The icon of an order status slug."""
    return icon(f"status-{status_icon_name(slug)}")


def app_icon() -> QIcon:
    return icon("vendor-desk")
