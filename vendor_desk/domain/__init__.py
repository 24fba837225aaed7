"""Pure domain model: orders, items, money, statuses, workflow rules. Imports nothing else of ours.

Everything a caller needs is re-exported here::

    from vendor_desk.domain import Money, Order, OrderStatus, rules
"""

from vendor_desk.domain import rules
from vendor_desk.domain.money import CurrencyMismatch, Money, to_decimal
from vendor_desk.domain.orders import (
    Address,
    Capabilities,
    LineItem,
    Note,
    NoteKind,
    Notification,
    Order,
    RefundLine,
    RefundRequest,
    SalesPeriods,
    SalesStats,
    StoreAddress,
    StoreSettings,
    VendorIdentity,
)
from vendor_desk.domain.statuses import (
    AuthMethod,
    MainStatus,
    OrderStatus,
    PayoutState,
    RefundMode,
    RefundRequestStatus,
    RefundState,
    ShippingStatus,
    Status,
    VendorStatus,
)

__all__ = [
    "Address",
    "AuthMethod",
    "Capabilities",
    "CurrencyMismatch",
    "LineItem",
    "MainStatus",
    "Money",
    "Note",
    "NoteKind",
    "Notification",
    "Order",
    "OrderStatus",
    "PayoutState",
    "RefundLine",
    "RefundMode",
    "RefundRequest",
    "RefundRequestStatus",
    "RefundState",
    "SalesPeriods",
    "SalesStats",
    "ShippingStatus",
    "Status",
    "StoreAddress",
    "StoreSettings",
    "VendorIdentity",
    "VendorStatus",
    "rules",
    "to_decimal",
]
