"""Typed errors of the marketplace client, with messages a vendor understands.

Every error the client raises is a :class:`MarketplaceError`. Its ``str()`` is the plain-language
message for the vendor; ``detail`` keeps the technical part (the marketplace's code and words) for
logs. ``transient`` tells the outbox whether trying again later may succeed.
"""

from __future__ import annotations


class MarketplaceError(Exception):
    """Base of every error raised by the marketplace client."""

    #: Whether the same call may succeed later without anything changing on our side.
    transient: bool = False

    def __init__(
        self,
        message: str,
        *,
        detail: str = "",
        status: int | None = None,
        code: str = "",
    ) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail
        self.status = status
        self.code = code

    def __str__(self) -> str:
        return self.message


class AuthenticationRefused(MarketplaceError):
    """The user name or password was refused (or the session could not be renewed)."""


class NotAllowed(MarketplaceError):
    """The marketplace refuses this account the operation (not a vendor, not its data …)."""


class NotFound(MarketplaceError):
    """The order (or other object) does not exist, or is not the vendor's — the marketplace
    answers both the same way."""


class CapabilityMissing(MarketplaceError):
    """The marketplace lacks the add-on an operation needs (typically WCFM Ultimate)."""


class RuleRefused(MarketplaceError):
    """The marketplace (or the app, enforcing the marketplace's rules) refused the request;
    ``message`` carries the reason."""


class ServerError(MarketplaceError):
    """The marketplace failed with an internal error (HTTP 5xx)."""

    transient = True


class Unreachable(MarketplaceError):
    """The marketplace could not be reached (offline, DNS, refused, timed out before sending)."""

    transient = True


class InvalidResponse(MarketplaceError):
    """The marketplace answered something the app cannot read (HTML where JSON was expected,
    truncated or invalid JSON, required fields missing)."""

    transient = True


class WriteOutcomeUnknown(MarketplaceError):
    """A change was sent but no answer came back (timeout, dropped connection, unreadable reply).

    It may or may not have been carried out: check the order on the marketplace before sending
    it again.
    """

    transient = True


class ReadOnlyCredentials(MarketplaceError):
    """An application password was used for a change; the app only reads with those."""


class InsecureConnection(MarketplaceError):
    """Plain http to a marketplace that is not on this computer."""


__all__ = [
    "AuthenticationRefused",
    "CapabilityMissing",
    "InsecureConnection",
    "InvalidResponse",
    "MarketplaceError",
    "NotAllowed",
    "NotFound",
    "ReadOnlyCredentials",
    "RuleRefused",
    "ServerError",
    "Unreachable",
    "WriteOutcomeUnknown",
]
