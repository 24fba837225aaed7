"""Checking an account against its marketplace (no Qt: used by the dialog and the CLI)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from vendor_desk.domain import AuthMethod

if TYPE_CHECKING:  # the HTTP client (and requests) load when a connection is first opened
    from vendor_desk.marketplace.client import WcfmMarketplace


@dataclass(frozen=True)
class AccountInput:
    """What the vendor typed (plain data)."""

    base_url: str
    login: str
    password: str
    app_password: bool


@dataclass(frozen=True)
class ProbeResult:
    """What a successful connection test found out."""

    base_url: str
    login: str
    vendor_id: int
    store_name: str
    display_name: str
    auth_method: str  # AuthMethod value
    jwt_available: bool
    ultimate: bool | None
    dashboard_available: bool


def open_marketplace(account: AccountInput) -> WcfmMarketplace:
    """A client for the account (application passwords are used as such, read only)."""
    from vendor_desk.marketplace.client import WcfmMarketplace

    auth = AuthMethod.APP_PASSWORD if account.app_password else None
    return WcfmMarketplace(account.base_url, account.login, account.password, auth=auth)


def probe_marketplace(account: AccountInput) -> ProbeResult:
    """Sign in and read who the vendor is and what the marketplace offers (worker thread)."""
    with open_marketplace(account) as market:
        identity = market.identify()
        capabilities = market.capabilities()
        return ProbeResult(
            base_url=market.base_url,
            login=account.login,
            vendor_id=identity.vendor_id,
            store_name=identity.store_name,
            display_name=identity.display_name,
            auth_method=market.auth_method.value,
            jwt_available=capabilities.jwt_available,
            ultimate=capabilities.ultimate,
            dashboard_available=capabilities.dashboard_available,
        )


__all__ = ["AccountInput", "ProbeResult", "open_marketplace", "probe_marketplace"]
