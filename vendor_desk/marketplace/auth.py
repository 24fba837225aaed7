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

Only a real refusal of the user name or password is :class:`AuthenticationRefused` (see
:data:`WRONG_CREDENTIALS` and :func:`login_form_refuses`). A rate limit or maintenance
(:func:`~vendor_desk.marketplace.transport.busy_error`), a missing plugin or a hidden login page
(:class:`CapabilityMissing`) and a sign-in stopped by something else — a CAPTCHA, a second
factor, a security plugin, a session the site does not keep (:class:`SignInFailed`) — each say so.
"""

from __future__ import annotations

import html
import logging
import re
from datetime import UTC, datetime, timedelta

import requests

from vendor_desk.domain import AuthMethod, VendorIdentity
from vendor_desk.domain.text import N_, Sentence
from vendor_desk.marketplace import parsing
from vendor_desk.marketplace.errors import (
    AuthenticationRefused,
    CapabilityMissing,
    InvalidResponse,
    NotAllowed,
    ServerError,
    SignInFailed,
)
from vendor_desk.marketplace.transport import (
    HttpSettings,
    answer_words,
    build_session,
    busy_error,
    decode_json,
    error_body,
    send,
)

log = logging.getLogger("vendor_desk.marketplace.auth")

TOKEN_ROUTE = "/wp-json/jwt-auth/v1/token"
LOGIN_PAGE = "/wp-login.php"
AJAX_URL = "/wp-admin/admin-ajax.php"
DASHBOARD_PAGE = "/store-manager/"

#: Renew a JWT this long before it expires, rather than waiting for a 403.
_TOKEN_MARGIN = timedelta(seconds=60)

#: WordPress's error codes (``wp_authenticate``) for a wrong user name or password: the token
#: route answers them as ``[jwt_auth] <code>``, HTTP Basic as the code itself.
WRONG_CREDENTIALS = frozenset(
    {
        "incorrect_password",
        "invalid_username",
        "invalid_email",
        "empty_username",
        "empty_password",
        "authentication_failed",
    }
)

SIGNING_IN = Sentence(N_("signing in"))
OPENING_SESSION = Sentence(N_("opening the session"))
OPENING_DASHBOARD = Sentence(N_("opening the dashboard"))


def _refused(detail: str, status: int | None = None, code: str = "") -> AuthenticationRefused:
    return AuthenticationRefused(
        N_("The marketplace did not accept this user name and password."),
        detail=detail,
        status=status,
        code=code,
    )


def blocked_message(response: requests.Response, what: str) -> str:
    """The message for a 401/403/404 page that is not WordPress answering (a firewall, a security
    plugin, the web server's own password), quoting the page's title."""
    status = response.status_code
    challenge = response.headers.get("WWW-Authenticate", "")
    if status == 401 and challenge.lower().startswith(("basic", "digest")):
        return Sentence(
            N_(
                "The marketplace's web server asks for a password of its own (HTTP "
                "authentication) before {what}; the app cannot give it. Ask the marketplace's "
                "administrator."
            ),
            what=what,
        )
    words = answer_words(response)
    if words:
        return Sentence(
            N_(
                "A firewall or security plugin on the marketplace blocked {what} (HTTP {status}, "
                "“{words}”). Ask the marketplace's administrator to let this computer through."
            ),
            what=what,
            status=status,
            words=words,
        )
    return Sentence(
        N_(
            "A firewall or security plugin on the marketplace blocked {what} (HTTP {status}). "
            "Ask the marketplace's administrator to let this computer through."
        ),
        what=what,
        status=status,
    )


_LOGIN_ERROR = re.compile(
    r"<div[^>]*\bid=[\"']login_error[\"'][^>]*>(.*?)</div>", re.IGNORECASE | re.DOTALL
)
#: WordPress core's English wording where the message quotes neither the user name nor a link.
_CORE_REFUSALS = ("unknown email address", "unknown username", "field is empty")


def login_form_error(page: str) -> str:
    """The HTML inside wp-login.php's error box (``#login_error``), or "" when there is none."""
    match = _LOGIN_ERROR.search(page)
    return match.group(1) if match else ""


def login_form_refuses(error_html: str, login: str) -> bool:
    """Whether wp-login.php's error box is WordPress refusing the user name or password: core
    quotes the user name in bold (unknown user, wrong password — in every language) and links the
    wrong-password message to "Lost your password?"; the few messages without either are matched
    by their English words. A CAPTCHA's, a lockout's or a second factor's message does none of
    that."""
    quoted = f"<strong>{html.escape(login)}</strong>".lower()
    lowered = error_html.lower()
    plain = parsing.html_to_text(error_html).lower()
    return (
        quoted in lowered
        or "action=lostpassword" in lowered
        or any(words in plain for words in _CORE_REFUSALS)
    )


def not_vendor(login: str, role: str = "") -> NotAllowed:
    return NotAllowed(
        Sentence(
            N_(
                "“{login}” is not a vendor account on this marketplace. Sign in with your "
                "store's account."
            ),
            login=login,
        ),
        detail=f"role {role!r}" if role else "user has no wcfm_vendor role",
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
            what=SIGNING_IN,
            idempotent=True,  # turned away or not, signing in changes nothing
            json={"username": self._login, "password": self._password},
        )
        status = response.status_code
        busy = busy_error(response, what=SIGNING_IN, signing_in=True)
        if busy is not None:
            raise busy
        code, message = parsing.wp_error(error_body(response))
        if status == 404:
            # WordPress's rest_no_route: the plugin is not active (the client then signs in
            # with a cookie session instead).
            raise CapabilityMissing(
                N_(
                    "This marketplace does not offer token sign-in (the plugin “JWT "
                    "Authentication for WP REST API” is not active)."
                ),
                detail=f"jwt-auth/v1/token: 404 {code}",
                status=404,
                code=code,
            )
        if status >= 500:
            raise ServerError(
                Sentence(
                    N_(
                        "The marketplace failed while signing in (HTTP {status}). Try again "
                        "later; your password was not refused."
                    ),
                    status=status,
                ),
                detail=response.text[:200],
                status=status,
            )
        if status != 200:
            if code == "jwt_auth_bad_config":
                raise CapabilityMissing(
                    N_(
                        "Token sign-in is not set up on this marketplace (the JWT plugin has no "
                        "secret key)."
                    ),
                    detail=message,
                    code=code,
                )
            if code.removeprefix("[jwt_auth] ") in WRONG_CREDENTIALS:
                raise _refused(f"{code}: {message}", status, code)
            if code.startswith("[jwt_auth] "):
                # Another plugin stopped wp_authenticate: a lockout, a CAPTCHA, a second factor.
                raise SignInFailed(
                    Sentence(
                        N_(
                            "The marketplace did not sign you in; it says: “{words}”. Your "
                            "password was not refused."
                        ),
                        words=message or code,
                    ),
                    detail=f"HTTP {status} {code}: {message}",
                    status=status,
                    code=code,
                )
            raise SignInFailed(
                blocked_message(response, SIGNING_IN),
                detail=f"HTTP {status} {code}: {response.text[:200]!r}",
                status=status,
                code=code,
            )
        # Signing in changes nothing on the server: an unreadable answer is just invalid.
        data = decode_json(response, what=SIGNING_IN)
        token, identity, roles = parsing.parse_token_response(data, self._login)
        if roles and "wcfm_vendor" not in roles:
            raise not_vendor(self._login)
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
        """Sign in through wp-login.php. Raises AuthenticationRefused only when WordPress
        refused the user name or password (see :func:`login_form_refuses`)."""
        self.session.cookies.clear()
        self.rest_nonce = None
        self.ajax_nonce = None
        self.session.cookies.set("wordpress_test_cookie", "WP Cookie check")
        response = send(
            self.session,
            "POST",
            self._base_url + LOGIN_PAGE,
            self._settings,
            what=SIGNING_IN,
            idempotent=True,
            data={
                "log": self._login,
                "pwd": self._password,
                "wp-submit": "Log In",
                "testcookie": "1",
                "redirect_to": self._base_url + DASHBOARD_PAGE,
            },
        )
        status = response.status_code
        logged_in = any(
            cookie.name.startswith("wordpress_logged_in") for cookie in self.session.cookies
        )
        if status in (200, 302, 303) and logged_in:
            self.logged_in = True
            return
        busy = busy_error(response, what=SIGNING_IN, signing_in=True)
        if busy is not None:
            raise busy
        detail = f"wp-login.php answered {status} without a session cookie"
        if status == 404:
            raise CapabilityMissing(
                N_(
                    "The marketplace's login page is not at /wp-login.php (a plugin hides or "
                    "moves it), so the app cannot open a session on the marketplace. Ask the "
                    "marketplace's administrator to let /wp-login.php be reached, or to activate "
                    "the plugin “JWT Authentication for WP REST API”."
                ),
                detail=detail,
                status=status,
            )
        if status >= 500:
            raise ServerError(
                Sentence(
                    N_(
                        "The marketplace failed while signing in (HTTP {status}). Try again "
                        "later; your password was not refused."
                    ),
                    status=status,
                ),
                detail=response.text[:200],
                status=status,
            )
        if status in (401, 403):
            raise SignInFailed(blocked_message(response, SIGNING_IN), detail=detail, status=status)
        if status == 200:
            error_html = login_form_error(response.text)
            if error_html and login_form_refuses(error_html, self._login):
                raise _refused(f"{detail}: {parsing.html_to_text(error_html)!r}", status)
            if error_html:
                words = parsing.html_to_text(error_html).removeprefix("Error:").strip()
                raise SignInFailed(
                    Sentence(
                        N_(
                            "The marketplace's login page did not sign you in; it says: "
                            "“{words}”. Your password was not refused."
                        ),
                        words=words,
                    ),
                    detail=detail,
                    status=status,
                )
            page = answer_words(response)
            raise SignInFailed(
                Sentence(
                    N_(
                        "The marketplace's login page asks for another step after the password "
                        "(a two-factor code, a CAPTCHA or a confirmation: “{page}”), which the "
                        "app cannot answer. Ask the marketplace's administrator to activate the "
                        "plugin “JWT Authentication for WP REST API”."
                    ),
                    page=page,
                )
                if page
                else N_(
                    "The marketplace's login page asks for another step after the password (a "
                    "two-factor code, a CAPTCHA or a confirmation), which the app cannot answer. "
                    "Ask the marketplace's administrator to activate the plugin “JWT "
                    "Authentication for WP REST API”."
                ),
                detail=detail,
                status=status,
            )
        if status in (301, 302, 303, 307, 308):
            location = response.headers.get("Location", "")
            raise SignInFailed(
                Sentence(
                    N_(
                        "The marketplace's login page sent the app on to {location} without "
                        "signing in (an extra sign-in step, such as a two-factor code, which the "
                        "app cannot answer). Your password was not refused."
                    ),
                    location=location or Sentence(N_("another page")),
                ),
                detail=detail,
                status=status,
            )
        raise InvalidResponse(
            Sentence(
                N_("The marketplace's login page gave an unexpected answer (HTTP {status})."),
                status=status,
            ),
            detail=detail,
            status=status,
        )

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
                what=OPENING_SESSION,
                params={"action": "rest-nonce"},
            )
            nonce = response.text.strip()
            if response.status_code != 200 or not nonce.isalnum() or nonce in {"0", "-1"}:
                raise self._session_error(response, f"rest-nonce: {nonce[:40]!r}")
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
                    N_(
                        "The marketplace's vendor dashboard (/store-manager/) opened without the "
                        "security code the app needs: WCFM may have changed the page, or a "
                        "caching plugin serves a copy made for visitors. Try again later; if it "
                        "persists, tell the marketplace's administrator."
                    ),
                    detail="no wcfm_ajax_nonce in /store-manager/",
                )
            self.ajax_nonce = nonce
            self.dashboard_page = page
        return self.ajax_nonce

    def _session_error(self, response: requests.Response, detail: str) -> Exception:
        """The error of a session call (admin-ajax, the dashboard page) answered as if nobody
        had signed in, although wp-login.php has just opened the session."""
        status = response.status_code
        busy = busy_error(response, what=OPENING_SESSION, signing_in=True)
        if busy is not None:
            return busy
        detail = f"HTTP {status} {detail}"
        if status >= 500:
            return ServerError(
                Sentence(
                    N_(
                        "The marketplace failed while opening the session (HTTP {status}). Try "
                        "again later."
                    ),
                    status=status,
                ),
                detail=detail,
                status=status,
            )
        if status in (401, 403, 404) and response.text.strip() not in {"0", "-1"}:
            return SignInFailed(
                blocked_message(response, OPENING_SESSION), detail=detail, status=status
            )
        return SignInFailed(
            Sentence(
                N_(
                    "The marketplace accepted the password but did not recognise the session "
                    "right after: its login cookies do not work at {address}. The account's "
                    "address may differ from the site's own address (with or without www, http "
                    "or https); check it in the account settings."
                ),
                address=self._base_url,
            ),
            detail=detail,
            status=status,
        )

    def _dashboard_page(self) -> str:
        url = self._base_url + DASHBOARD_PAGE
        for _attempt in range(3):
            response = send(self.session, "GET", url, self._settings, what=OPENING_DASHBOARD)
            if response.status_code in (301, 302, 303, 307, 308):
                location = response.headers.get("Location", "")
                if "wp-login.php" in location:
                    raise self._session_error(response, "the dashboard redirected to wp-login")
                # store-setup wizard (first visit) or a trailing-slash redirect: ask again
                continue
            if response.status_code == 200:
                return response.text
            busy = busy_error(response, what=OPENING_DASHBOARD)
            if busy is not None:
                raise busy
            if response.status_code in (401, 403):
                raise NotAllowed(
                    Sentence(
                        N_(
                            "This account may not open the vendor dashboard of the marketplace "
                            "(“{words}”)."
                        ),
                        words=answer_words(response),
                    )
                    if answer_words(response)
                    else N_("This account may not open the vendor dashboard of the marketplace."),
                    status=response.status_code,
                )
            if response.status_code == 404:
                raise CapabilityMissing(
                    N_(
                        "The marketplace has no vendor dashboard at /store-manager/ (WCFM's "
                        "dashboard page is missing or has another address), so refund requests, "
                        "messages to the store admin and marking notifications read are not "
                        "available from the app."
                    ),
                    status=404,
                )
            raise ServerError(
                Sentence(
                    N_(
                        "The marketplace's vendor dashboard failed to open (HTTP {status}). Try "
                        "again later."
                    ),
                    status=response.status_code,
                ),
                status=response.status_code,
                detail=response.text[:200],
            )
        raise InvalidResponse(
            N_(
                "The marketplace's vendor dashboard keeps redirecting; open it once in a web "
                "browser."
            ),
            detail="too many redirects on /store-manager/",
        )
