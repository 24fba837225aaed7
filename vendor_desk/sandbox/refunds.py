"""WCFM refund requests (dashboard only). OWNER: dashboard helper. Agreed interface below."""

from __future__ import annotations

from vendor_desk.sandbox.model import MarketplaceState


def approve_refund_request(state: MarketplaceState, request_id: int) -> None:
    """The admin approves: wc_create_refund equivalent, commission recalculated, notes,
    vendor notification (see wcfm-api.md §4.3). Raises KeyError for an unknown id."""
    raise NotImplementedError


def reject_refund_request(state: MarketplaceState, request_id: int) -> None:
    """The admin rejects: commission ``refund_status='cancelled'``, note, vendor notification."""
    raise NotImplementedError
