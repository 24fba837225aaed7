"""WordPress cookie sessions and nonces (wp-login.php, ``X-WP-Nonce``, ``wcfm_ajax_nonce``).

OWNER: dashboard helper. Signatures below are the agreed interface.
"""

from __future__ import annotations

from vendor_desk.sandbox.http import Request, Response
from vendor_desk.sandbox.model import MarketplaceState


class SessionStore:
    def __init__(self, state: MarketplaceState) -> None:
        self.state = state

    def rest_auth(self, request: Request) -> tuple[int | None, Response | None]:
        """Cookie auth for REST: ``(user_id, None)`` when the logged-in cookie is valid AND the
        ``X-WP-Nonce`` header (or ``_wpnonce`` arg) matches; ``(None, None)`` when there is no
        cookie or no nonce (WordPress then treats the request as anonymous); ``(None, error)``
        for a bad nonce (WordPress: 403 ``rest_cookie_invalid_nonce``)."""
        raise NotImplementedError

    def expire_all(self) -> None:
        """Control surface: every session and nonce becomes invalid (forces re-login)."""
        raise NotImplementedError
