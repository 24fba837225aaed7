"""Signing in to the marketplace, and keeping the sign-in alive.

Three ways, all with the vendor's marketplace user name:

* :class:`JwtAuth` — login password → ``POST /wp-json/jwt-auth/v1/token`` → ``Authorization:
  Bearer``. An expired or rejected token (403 ``jwt_auth_invalid_token``) is replaced by a new one.
* :class:`CookieSession` — login password → ``wp-login.php`` cookies; REST calls add the
  ``X-WP-Nonce`` from ``admin-ajax.php?action=rest-nonce``; dashboard (admin-ajax) calls add the
  ``wcfm_ajax_nonce`` scraped from ``/store-manager/``. Refund requests, messages to the admin and
  marking notifications read exist only there, so a cookie session is also opened (lazily) in JWT
  mode. When the session or a nonce expires, :meth:`CookieSession.renew` signs in again.
* :class:`AppPasswordAuth` — a WordPress application password over HTTP Basic, for reading only.

None of these classes logs or exposes the password.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import requests

from vendor_desk.domain import AuthMethod, VendorIdentity
from vendor_desk.marketplace import parsing
from vendor_desk.marketplace.errors import (
    AuthenticationRefused,
    CapabilityMissing,
    InvalidResponse,
    NotAllowed,
    ServerError,
)
from vendor_desk.marketplace.transport import HttpSettings, build_session, decode_json, send

log = logging.getLogger("vendor_desk.marketplace.auth")

TOKEN_ROUTE = "/wp-json/jwt-auth/v1/token"
LOGIN_PAGE = "/wp-login.php"
AJAX_URL = "/wp-admin/admin-ajax.php"
DASHBOARD_PAGE = "/store-manager/"

#: Renew a JWT this long before it expires, rather than waiting for a 403.
_TOKEN_MARGIN = timedelta(seconds=60)


def _refused(detail: str, status: int | None = None, code: str = "") -> AuthenticationRefused:
    return AuthenticationRefused(
        "The marketplace did not accept this user name and password.",
        detail=detail,
        status=status,
        code=code,
    )


def _not_vendor(login: str) -> NotAllowed:
    return NotAllowed(
        f"“{login}” is not a vendor account on this marketplace. Sign in with your store's "
        "account.",
        detail="user has no wcfm_vendor role",
    )


class JwtAuth:
    """Bearer tokens from the JWT Authentication plugin."""

    method = AuthMethod.JWT

    def __init__(
        self,
        base_url: str,
        login: str,
        password: str,
        session: requests.Session,
        settings: HttpSettings,
    ) -> None:
        self._base_url = base_url
        self._login = login
        self._password = password
        self._session = session
        self._settings = settings
        self._token: str | None = None
        self._expires: datetime | None = None
        self.identity: VendorIdentity | None = None

    @property
    def has_token(self) -> bool:
        return self._token is not None

    def obtain(self) -> VendorIdentity:
        """Ask the marketplace for a new token; returns who signed in."""
        response = send(
            self._session,
            "POST",
            self._base_url + TOKEN_ROUTE,
            self._settings,
            what="signing in",
            json={"username": self._login, "password": self._password},
        )
        # Signing in changes nothing on the server: an unreadable answer is just invalid.
        data = decode_json(response, what="signing in") if response.text.strip() else {}
        if response.status_code == 404:
            raise CapabilityMissing(
                "This marketplace does not offer token sign-in (the JWT plugin is not installed).",
                detail="jwt-auth/v1/token: 404",
                status=404,
            )
        if response.status_code >= 500:
            raise ServerError(
                "The marketplace failed while signing in. Try again later.",
                detail=response.text[:200],
                status=response.status_code,
            )
        if response.status_code != 200:
            code, message = parsing.wp_error(data)
            if code == "jwt_auth_bad_config":
                raise CapabilityMissing(
                    "Token sign-in is not set up on this marketplace.", detail=message, code=code
                )
            raise _refused(f"{code}: {message}", response.status_code, code)
        token, identity, roles = parsing.parse_token_response(data, self._login)
        if roles and "wcfm_vendor" not in roles:
            raise _not_vendor(self._login)
        self._token = token
        self._expires = parsing.jwt_expiry(token)
        self.identity = identity
        return identity

    def headers(self) -> dict[str, str]:
        """The Authorization header, obtaining or renewing the token when needed."""
        now = datetime.now(UTC)
        if self._token is None or (
            self._expires is not None and self._expires - _TOKEN_MARGIN <= now
        ):
            self.obtain()
        assert self._token is not None
        return {"Authorization": f"Bearer {self._token}"}

    def invalidate(self) -> None:
        """Forget the token (the marketplace rejected it); the next call obtains a new one."""
        self._token = None
        self._expires = None


class AppPasswordAuth:
    """HTTP Basic with a WordPress application password. Reading only."""

    method = AuthMethod.APP_PASSWORD

    def __init__(self, login: str, app_password: str) -> None:
        self.login = login
        self._auth = requests.auth.HTTPBasicAuth(login, app_password)

    @property
    def basic(self) -> requests.auth.HTTPBasicAuth:
        return self._auth


class CookieSession:
    """A logged-in WordPress cookie session plus its two nonces.

    Owns its own ``requests.Session`` (the cookie jar), so that Bearer or Basic REST calls never
    carry the cookies.
    """

    def __init__(self, base_url: str, login: str, password: str, settings: HttpSettings) -> None:
        self._base_url = base_url
        self._login = login
        self._password = password
        self._settings = settings
        self.session = build_session(settings)
        self.rest_nonce: str | None = None
        self.ajax_nonce: str | None = None
        #: The last dashboard page seen (for capability detection).
        self.dashboard_page: str = ""
        self.logged_in = False

    def close(self) -> None:
        self.session.close()

    # ------------------------------------------------------------------ login
    def login(self) -> None:
        """Sign in through wp-login.php. Raises AuthenticationRefused on bad credentials."""
        self.session.cookies.clear()
        self.rest_nonce = None
        self.ajax_nonce = None
        self.session.cookies.set("wordpress_test_cookie", "WP Cookie check")
        response = send(
            self.session,
            "POST",
            self._base_url + LOGIN_PAGE,
            self._settings,
            what="signing in",
            data={
                "log": self._login,
                "pwd": self._password,
                "wp-submit": "Log In",
                "testcookie": "1",
                "redirect_to": self._base_url + DASHBOARD_PAGE,
            },
        )
        logged_in = any(
            cookie.name.startswith("wordpress_logged_in") for cookie in self.session.cookies
        )
        if response.status_code >= 500:
            raise ServerError(
                "The marketplace failed while signing in. Try again later.",
                detail=response.text[:200],
                status=response.status_code,
            )
        if response.status_code not in (200, 302, 303) or not logged_in:
            raise _refused(f"wp-login.php answered {response.status_code} without a session cookie")
        self.logged_in = True

    def ensure_logged_in(self) -> None:
        if not self.logged_in:
            self.login()

    def renew(self) -> None:
        """Sign in again and forget both nonces (they are bound to the login session)."""
        log.info("renewing the marketplace session")
        self.logged_in = False
        self.login()

    # ----------------------------------------------------------------- nonces
    def get_rest_nonce(self) -> str:
        """The ``wp_rest`` nonce for cookie-authenticated REST calls."""
        self.ensure_logged_in()
        if self.rest_nonce is None:
            response = send(
                self.session,
                "GET",
                self._base_url + AJAX_URL,
                self._settings,
                what="opening the session",
                params={"action": "rest-nonce"},
            )
            nonce = response.text.strip()
            if response.status_code != 200 or not nonce.isalnum() or nonce in {"0", "-1"}:
                raise _refused(f"rest-nonce answered {response.status_code}: {nonce[:40]!r}")
            self.rest_nonce = nonce
        return self.rest_nonce

    def get_ajax_nonce(self) -> str:
        """The dashboard's ``wcfm_ajax_nonce`` (the first visit may redirect to the store-setup
        wizard: the page is then fetched again)."""
        self.ensure_logged_in()
        if self.ajax_nonce is None:
            page = self._dashboard_page()
            nonce = parsing.extract_ajax_nonce(page)
            if not nonce:
                raise InvalidResponse(
                    "The marketplace's vendor dashboard could not be opened (its page changed).",
                    detail="no wcfm_ajax_nonce in /store-manager/",
                )
            self.ajax_nonce = nonce
            self.dashboard_page = page
        return self.ajax_nonce

    def _dashboard_page(self) -> str:
        url = self._base_url + DASHBOARD_PAGE
        for _attempt in range(3):
            response = send(self.session, "GET", url, self._settings, what="opening the dashboard")
            if response.status_code in (301, 302, 303, 307, 308):
                location = response.headers.get("Location", "")
                if "wp-login.php" in location:
                    raise _refused("the dashboard redirected to the login page")
                # store-setup wizard (first visit) or a trailing-slash redirect: ask again
                continue
            if response.status_code == 200:
                return response.text
            if response.status_code in (401, 403):
                raise NotAllowed(
                    "This account may not open the vendor dashboard of the marketplace.",
                    status=response.status_code,
                )
            if response.status_code == 404:
                raise CapabilityMissing(
                    "The marketplace has no vendor dashboard at /store-manager/.", status=404
                )
            raise ServerError(
                "The marketplace's vendor dashboard failed to open. Try again later.",
                status=response.status_code,
                detail=response.text[:200],
            )
        raise InvalidResponse(
            "The marketplace's vendor dashboard keeps redirecting; open it once in a web browser.",
            detail="too many redirects on /store-manager/",
        )
