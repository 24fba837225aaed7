"""WordPress cookie sessions and nonces (wp-login.php, ``X-WP-Nonce``, ``wcfm_ajax_nonce``).

This reproduces how WordPress core authenticates a browser:

* Logging in creates a *session* (user meta ``session_tokens``: one entry per login, keyed by
  the SHA-256 of a random 43-character token) and sets three cookies, all carrying
  ``<login>|<expiration>|<token>|<hmac>`` (URL-encoded, so ``|`` travels as ``%7C``):
  ``wordpress_<COOKIEHASH>`` for ``/wp-admin`` and ``/wp-content/plugins`` (the "auth" cookie)
  and ``wordpress_logged_in_<COOKIEHASH>`` for ``/`` — ``COOKIEHASH`` being the MD5 of the
  site URL. The HMAC is keyed with a fragment of the user's password, so changing the password
  invalidates the cookies, as in WordPress.
* A cookie is valid while it is unexpired, its HMAC matches and its session still exists.
* Nonces (``wp_create_nonce``) are 10 hex characters bound to the action, the user id **and**
  the session token, over 12-hour ticks; a nonce is accepted during its tick and the next one
  (12–24 h), exactly like WordPress. A nonce of an older session stays valid as long as that
  session's cookie is still presented — logging in again creates a *new* session (and new
  nonces) without ending the old one.
* ``expire_all()`` (control surface) drops every session: all cookies and nonces stop working.

Thread-safe: the store has its own lock; it never takes ``state.lock``.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote, unquote

from vendor_desk.sandbox.http import Request, Response, wp_error
from vendor_desk.sandbox.model import MarketplaceState, User

#: WordPress' ``DAY_IN_SECONDS``; a nonce tick is half of it.
DAY_IN_SECONDS = 24 * 3600
#: Lifetime of a login without "remember me" (``auth_cookie_expiration``: 2 days).
SESSION_LIFETIME = 2 * DAY_IN_SECONDS
#: Lifetime with "remember me" (14 days).
REMEMBER_LIFETIME = 14 * DAY_IN_SECONDS

_TOKEN_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

TEST_COOKIE = "wordpress_test_cookie"
TEST_COOKIE_VALUE = "WP Cookie check"

#: The nonce action of the WCFM dashboard (``wcfm_params.wcfm_ajax_nonce``).
WCFM_NONCE_ACTION = "wcfm_ajax_nonce"
#: The nonce action of cookie-authenticated REST calls (``X-WP-Nonce``).
REST_NONCE_ACTION = "wp_rest"


def parse_cookie_header(raw: str | None) -> dict[str, str]:
    """Cookies of a request, values as sent (still URL-encoded).

    Browsers and ``requests`` may send values with spaces (``WP Cookie check``), which
    ``http.cookies`` refuses, so this is a plain ``name=value; …`` split, like PHP's.
    """
    cookies: dict[str, str] = {}
    if not raw:
        return cookies
    for part in raw.split(";"):
        name, sep, value = part.strip().partition("=")
        if sep and name and name not in cookies:
            cookies[name] = value.strip().strip('"')
    return cookies


@dataclass(frozen=True)
class Session:
    """One logged-in browser: who, and the token that ties cookies and nonces to the login."""

    user_id: int
    login: str
    token: str
    expiration: int


@dataclass
class _SessionRecord:
    expiration: int
    login_time: int
    ip: str
    user_agent: str


class SessionStore:
    """Sessions, cookies and nonces of the simulated WordPress site."""

    def __init__(self, state: MarketplaceState, *, clock: Callable[[], float] = time.time) -> None:
        self.state = state
        self._clock = clock
        self._lock = threading.Lock()
        self._secret = secrets.token_hex(32)  # the salts of wp-config.php
        # user id -> sha256(token) -> session record (user meta ``session_tokens``)
        self._sessions: dict[int, dict[str, _SessionRecord]] = {}

    # ------------------------------------------------------------ cookie names
    @property
    def cookie_hash(self) -> str:
        """WordPress' ``COOKIEHASH``: the configured one, else md5 of the site URL."""
        configured = self.state.settings.cookie_hash
        return configured or hashlib.md5(self.state.settings.site_url.encode()).hexdigest()

    @property
    def auth_cookie_name(self) -> str:
        return f"wordpress_{self.cookie_hash}"

    @property
    def logged_in_cookie_name(self) -> str:
        return f"wordpress_logged_in_{self.cookie_hash}"

    # ----------------------------------------------------------------- login
    def authenticate(self, login: str, password: str) -> User | None:
        """The user whose login (or e-mail) and login password match, else None."""
        with self.state.lock:
            user = self.state.user_by_login(login)
        if user is None or not hmac.compare_digest(user.password, password):
            return None
        return user

    def create_session(
        self, user: User, *, remember: bool = False, ip: str = "", user_agent: str = ""
    ) -> Session:
        """A new session for ``user`` (``WP_Session_Tokens::create``)."""
        now = int(self._clock())
        expiration = now + (REMEMBER_LIFETIME if remember else SESSION_LIFETIME)
        token = "".join(secrets.choice(_TOKEN_CHARS) for _ in range(43))
        record = _SessionRecord(expiration, now, ip, user_agent)
        with self._lock:
            self._sessions.setdefault(user.id, {})[_verifier(token)] = record
        return Session(user.id, user.login, token, expiration)

    def login_cookies(self, session: Session, *, remember: bool = False) -> list[tuple[str, str]]:
        """The ``Set-Cookie`` headers of ``wp_set_auth_cookie``, in WordPress' order."""
        auth_value = quote(self._cookie_value(session, "auth"), safe="")
        logged_in_value = quote(self._cookie_value(session, "logged_in"), safe="")
        expires = ""
        if remember:
            stamp = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(session.expiration))
            expires = f"; expires={stamp}; Max-Age={session.expiration - int(self._clock())}"
        return [
            (
                "Set-Cookie",
                f"{self.auth_cookie_name}={auth_value}{expires}; "
                "path=/wp-content/plugins; HttpOnly",
            ),
            (
                "Set-Cookie",
                f"{self.auth_cookie_name}={auth_value}{expires}; path=/wp-admin; HttpOnly",
            ),
            (
                "Set-Cookie",
                f"{self.logged_in_cookie_name}={logged_in_value}{expires}; path=/; HttpOnly",
            ),
        ]

    def logout(self, session: Session) -> None:
        """Destroy one session (``wp_logout``)."""
        with self._lock:
            self._sessions.get(session.user_id, {}).pop(_verifier(session.token), None)

    def expire_all(self) -> None:
        """Control surface: every session and nonce becomes invalid (forces re-login)."""
        with self._lock:
            self._sessions.clear()

    def session_count(self, user_id: int | None = None) -> int:
        with self._lock:
            if user_id is not None:
                return len(self._sessions.get(user_id, {}))
            return sum(len(tokens) for tokens in self._sessions.values())

    # ------------------------------------------------------------ validation
    def current_session(self, request: Request) -> Session | None:
        """The session of the request's auth cookie or logged-in cookie, when valid.

        WordPress' ``determine_current_user`` tries the auth cookie (only sent under
        ``/wp-admin``), then the logged-in cookie.
        """
        cookies = parse_cookie_header(request.header("cookie"))
        for name, scheme in (
            (self.auth_cookie_name, "auth"),
            (self.logged_in_cookie_name, "logged_in"),
        ):
            raw = cookies.get(name)
            if raw:
                session = self.validate_cookie(unquote(raw), scheme)
                if session is not None:
                    return session
        return None

    def has_login_cookie(self, request: Request) -> bool:
        cookies = parse_cookie_header(request.header("cookie"))
        return self.logged_in_cookie_name in cookies or self.auth_cookie_name in cookies

    def validate_cookie(self, value: str, scheme: str) -> Session | None:
        """``wp_validate_auth_cookie``: the session a cookie value stands for, or None."""
        parts = value.split("|")
        if len(parts) != 4:
            return None
        login, expiration_text, token, mac = parts
        try:
            expiration = int(expiration_text)
        except ValueError:
            return None
        if expiration < self._clock():
            return None
        with self.state.lock:
            user = self.state.user_by_login(login)
        if user is None or user.login != login:
            return None
        session = Session(user.id, login, token, expiration)
        expected = self._cookie_mac(user, session, scheme)
        if not hmac.compare_digest(expected, mac):
            return None
        with self._lock:
            record = self._sessions.get(user.id, {}).get(_verifier(token))
        if record is None or record.expiration < self._clock():
            return None
        return session

    # ---------------------------------------------------------------- nonces
    def create_nonce(self, session: Session | None, action: str) -> str:
        """``wp_create_nonce``: 10 hex characters for (tick, action, user, session token)."""
        return self._nonce(self._tick(), action, session)

    def verify_nonce(self, session: Session | None, nonce: str | None, action: str) -> bool:
        """``wp_verify_nonce``: valid during the current 12-hour tick and the one before."""
        if not nonce:
            return False
        tick = self._tick()
        return any(
            hmac.compare_digest(self._nonce(t, action, session), nonce) for t in (tick, tick - 1)
        )

    # ------------------------------------------------------------------ REST
    def rest_auth(self, request: Request) -> tuple[int | None, Response | None]:
        """Cookie auth for REST: ``(user_id, None)`` when the logged-in cookie is valid AND the
        ``X-WP-Nonce`` header (or ``_wpnonce`` arg) matches; ``(None, None)`` when there is no
        cookie or no nonce (WordPress then treats the request as anonymous); ``(None, error)``
        for a bad nonce (WordPress: 403 ``rest_cookie_invalid_nonce``).

        Call it only for requests without other credentials (an ``Authorization`` header):
        like ``rest_cookie_check_errors``, it judges a nonce sent without a valid session
        against the anonymous user, which fails (an expired login → 403 "Cookie check failed").
        """
        nonce = request.arg("_wpnonce") or request.header("x-wp-nonce")
        if not nonce:
            return None, None
        session = self.current_session(request)
        if not self.verify_nonce(session, nonce, REST_NONCE_ACTION):
            return None, wp_error("rest_cookie_invalid_nonce", "Cookie check failed", 403)
        return (session.user_id if session else None), None

    # -------------------------------------------------------------- internals
    def _tick(self) -> int:
        return math.ceil(self._clock() / (DAY_IN_SECONDS / 2))

    def _nonce(self, tick: int, action: str, session: Session | None) -> str:
        uid = session.user_id if session else 0
        token = session.token if session else ""
        digest = self._hash(f"{tick}|{action}|{uid}|{token}", "nonce")
        return digest[-12:-2]

    def _hash(self, data: str, scheme: str) -> str:
        """``wp_hash``: HMAC-MD5 with the scheme's salt."""
        return hmac.new(f"{self._secret}{scheme}".encode(), data.encode(), "md5").hexdigest()

    def _cookie_mac(self, user: User, session: Session, scheme: str) -> str:
        pass_frag = user.password[8:12]
        key = self._hash(
            f"{session.login}|{pass_frag}|{session.expiration}|{session.token}", scheme
        )
        data = f"{session.login}|{session.expiration}|{session.token}"
        return hmac.new(key.encode(), data.encode(), "sha256").hexdigest()

    def _cookie_value(self, session: Session, scheme: str) -> str:
        with self.state.lock:
            user = self.state.users[session.user_id]
        mac = self._cookie_mac(user, session, scheme)
        return f"{session.login}|{session.expiration}|{session.token}|{mac}"


def _verifier(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
