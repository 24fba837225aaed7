"""Typed errors of the marketplace client, with messages a vendor understands.

Every error the client raises is a :class:`MarketplaceError`. Its ``str()`` is the plain-language
message for the vendor; ``detail`` keeps the technical part (the marketplace's code and words) for
logs. ``transient`` tells the outbox whether trying again later may succeed; ``retry_after``
(seconds) is how long the marketplace asked to wait first, when it said so.

docs/errors.md lists every message with its cause and what the command line and the window do.
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
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail
        self.status = status
        self.code = code
        #: Seconds the marketplace asked to wait before trying again (``Retry-After``), if any.
        self.retry_after = retry_after

    def __str__(self) -> str:
        return self.message


class AuthenticationRefused(MarketplaceError):
    """The marketplace refused the user name or password: WordPress said the password is wrong
    or the user unknown (``incorrect_password``, ``invalid_username`` … from the token route or
    HTTP Basic; the login form's error quoting the user name). Only this is "sign-in refused"
    (exit 4): the vendor has to type the password again."""


class SignInFailed(MarketplaceError):
    """Signing in did not work although the password was not refused: the login form asks for
    another step (a CAPTCHA, a two-factor code), a security plugin or firewall blocked it, or the
    marketplace does not keep the session or token it has just handed out. Typing the password
    again does not help; the message names what the site did.

    Transient: the change being sent was not judged, only the sign-in failed — the outbox keeps
    it queued (a lockout ends, the site's administrator fixes the login) instead of rolling it
    back as refused."""

    transient = True


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


class RateLimited(MarketplaceError):
    """The marketplace (or a firewall in front of it) is limiting requests: HTTP 429. Nothing was
    done; ``retry_after`` says how long it asked to wait."""

    transient = True


class ServerError(MarketplaceError):
    """The marketplace failed with an internal error (HTTP 5xx)."""

    transient = True


class Unavailable(ServerError):
    """The marketplace is temporarily unavailable (HTTP 503: WordPress's maintenance mode while it
    updates, or an overloaded server); ``retry_after`` says how long it asked to wait."""


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
    "RateLimited",
    "ReadOnlyCredentials",
    "RuleRefused",
    "ServerError",
    "SignInFailed",
    "Unavailable",
    "Unreachable",
    "WriteOutcomeUnknown",
]
