"""The marketplace client (WCFM over HTTP). No Qt.

The app talks to :class:`Marketplace`; :class:`WcfmMarketplace` implements it over requests::

    with WcfmMarketplace("https://shop.example", "vendor_a", password) as market:
        vendor = market.identify()
        for page in market.iter_order_pages():
            ...

Every failure is a :class:`MarketplaceError` subclass with a message a vendor understands.
"""

from vendor_desk.marketplace.client import MAX_PER_PAGE, Marketplace, WcfmMarketplace
from vendor_desk.marketplace.errors import (
    AuthenticationRefused,
    CapabilityMissing,
    InsecureConnection,
    InvalidResponse,
    MarketplaceError,
    NotAllowed,
    NotFound,
    ReadOnlyCredentials,
    RuleRefused,
    ServerError,
    Unreachable,
    WriteOutcomeUnknown,
)
from vendor_desk.marketplace.transport import HttpSettings

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
    "ReadOnlyCredentials",
    "RuleRefused",
    "ServerError",
    "Unreachable",
    "WcfmMarketplace",
    "WriteOutcomeUnknown",
]
