"""The marketplace client (WCFM over HTTP). No Qt.

The app talks to :class:`Marketplace`; :class:`WcfmMarketplace` implements it over requests::

    with WcfmMarketplace("https://shop.example", "vendor_a", password) as market:
        vendor = market.identify()
        for page in market.iter_order_pages():
            ...

Every failure is a :class:`MarketplaceError` subclass with a message a vendor understands.

The client, the transport and ``requests`` are imported on first use of their names (the
window paints its list before anything talks to the marketplace); the errors load at once.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from vendor_desk.marketplace.errors import (
    AuthenticationRefused,
    CapabilityMissing,
    InsecureConnection,
    InvalidResponse,
    MarketplaceError,
    NotAllowed,
    NotFound,
    RateLimited,
    ReadOnlyCredentials,
    RuleRefused,
    ServerError,
    SignInFailed,
    Unavailable,
    Unreachable,
    WriteOutcomeUnknown,
)

if TYPE_CHECKING:
    from vendor_desk.marketplace.client import MAX_PER_PAGE, Marketplace, WcfmMarketplace
    from vendor_desk.marketplace.transport import HttpSettings

_LAZY = {
    "MAX_PER_PAGE": "vendor_desk.marketplace.client",
    "Marketplace": "vendor_desk.marketplace.client",
    "WcfmMarketplace": "vendor_desk.marketplace.client",
    "HttpSettings": "vendor_desk.marketplace.transport",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "MAX_PER_PAGE",
    "AuthenticationRefused",
    "CapabilityMissing",
    "HttpSettings",
    "InsecureConnection",
    "InvalidResponse",
    "Marketplace",
    "MarketplaceError",
    "NotAllowed",
    "NotFound",
    "RateLimited",
    "ReadOnlyCredentials",
    "RuleRefused",
    "ServerError",
    "SignInFailed",
    "Unavailable",
    "Unreachable",
    "WcfmMarketplace",
    "WriteOutcomeUnknown",
]
