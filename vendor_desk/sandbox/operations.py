"""Marketplace business operations shared by the REST routes, the dashboard surface and the
control surface. They reproduce WCFM's side effects (commission rows, notes, notifications,
mails). Callers hold ``state.lock``.

OWNER: simulator-core helper. Signatures below are the agreed interface.
"""

from __future__ import annotations

from vendor_desk.sandbox.model import MarketplaceState, Note, User


def set_vendor_status(state: MarketplaceState, order_id: int, vendor: User, status: str) -> None:
    """WCFM's vendor status handler (order_sync = no): the vendor's commission rows get
    ``commission_status = status``; per vendor item a customer-visible note "Order item … status
    updated to … by <store>"; an admin ``status-update`` message (authored by the vendor, read
    for the vendor); the main order switches when every row of every vendor now shares
    ``completed``/``processing``. ``refunded`` is refused silently (no change)."""
    raise NotImplementedError


def set_main_status(state: MarketplaceState, order_id: int, status: str) -> None:
    """An admin changes the main WooCommerce status: rewrites ``order_status`` and
    ``commission_status`` on every commission row, adds the WooCommerce note, sends the customer
    mail WooCommerce would send (e.g. completed)."""
    raise NotImplementedError


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
    customer mail). Returns the ``tracking_data`` dict of the last item processed."""
    raise NotImplementedError


def add_vendor_note(
    state: MarketplaceState, order_id: int, vendor: User, text: str, *, customer: bool
) -> Note:
    """A vendor note as Ultimate writes it ("<store link> has added the following note: <br />"
    + text), authored by the vendor user; a customer note mails the customer."""
    raise NotImplementedError
