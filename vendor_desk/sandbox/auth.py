"""Who is calling: JWT Bearer tokens, application passwords over HTTP Basic, cookie + nonce.

Reproduces the three ways the real site authenticates a REST request (``real-server.md``,
"Authentication that works for a vendor") with their exact error bodies:

* ``Authorization: Bearer`` — the "JWT Authentication for WP REST API" plugin (1.3.6). A bad,
  expired or revoked token fails **every** REST call with 403 ``jwt_auth_invalid_token``.
* ``Authorization: Basic`` — WordPress application passwords: 401 ``invalid_username`` /
  ``incorrect_password`` (the login password is refused the same way).
* Cookies — only with a valid ``X-WP-Nonce`` (checked by the dashboard helper's SessionStore);
  a cookie without nonce counts as anonymous.

The JWT endpoints ``/jwt-auth/v1/token`` and ``/token/validate`` live here too.
"""

from __future__ import annotations

import base64
import binascii
import re
import threading
import time
from dataclasses import dataclass
from typing import Any, Literal

import jwt

from vendor_desk.sandbox.http import Response, wp_error
from vendor_desk.sandbox.model import MarketplaceState, User
from vendor_desk.sandbox.operations import store_name

AuthMethod = Literal["jwt", "app_password", "cookie"]

MSG_UNKNOWN_USER = (
    "<strong>Error:</strong> Unknown username. Check again or try your email address."
)
MSG_BAD_APP_PASSWORD = "The provided password is an invalid application password."


@dataclass(frozen=True)
class Identity:
    """The authenticated caller (``user`` None = anonymous) and how they authenticated."""

    user: User | None = None
    method: AuthMethod | None = None
    #: The ``X-WP-Nonce`` of a cookie-authenticated request (WordPress echoes a nonce back).
    nonce: str | None = None

    @property
    def logged_in(self) -> bool:
        return self.user is not None


class Authenticator:
    """Resolves the caller of a REST request and issues/validates JWTs."""

    def __init__(self, state: MarketplaceState, sessions: Any | None = None) -> None:
        self.state = state
        self.sessions = sessions
        self._lock = threading.Lock()
        self._issued: set[str] = set()
        self._revoked: set[str] = set()

    # ------------------------------------------------------------------ tokens
    def issue_token(self, user: User) -> str:
        """A token as the JWT plugin makes it: HS256, ``iss`` the site URL, 7 days of life,
        the user id as a string in ``data.user.id``."""
        now = int(time.time())
        settings = self.state.settings
        payload: dict[str, Any] = {
            "iss": settings.site_url,
            "iat": now,
            "nbf": now,
            "exp": now + settings.jwt_lifetime_seconds,
            "data": {"user": {"id": str(user.id)}},
        }
        with self._lock:
            token = jwt.encode(payload, settings.jwt_secret, algorithm="HS256")
            # A token revoked by expire_all() within the same second would come out identical;
            # shorten the new one's life by a second until it differs.
            while token in self._revoked:
                payload["exp"] -= 1
                token = jwt.encode(payload, settings.jwt_secret, algorithm="HS256")
            self._issued.add(token)
        return token

    def revoke_all(self) -> int:
        """Control surface: every token issued so far now fails with "Expired token"."""
        with self._lock:
            count = len(self._issued)
            self._revoked |= self._issued
            self._issued = set()
        return count

    def decode_token(self, token: str) -> tuple[User | None, tuple[str, str] | None]:
        """Validate a Bearer token: ``(user, None)`` or ``(None, (code, message))`` — the
        plugin's ``jwt_auth_invalid_token`` with php-jwt's reason as the message."""
        if token.count(".") != 2:
            return None, _invalid_token("Wrong number of segments")
        with self._lock:
            revoked = token in self._revoked
        if revoked:
            return None, _invalid_token("Expired token")
        try:
            claims = jwt.decode(
                token,
                self.state.settings.jwt_secret,
                algorithms=["HS256"],
                options={"require": ["exp"], "verify_iss": False},
            )
        except jwt.ExpiredSignatureError:
            return None, _invalid_token("Expired token")
        except jwt.InvalidSignatureError:
            return None, _invalid_token("Signature verification failed")
        except jwt.ImmatureSignatureError:
            return None, _invalid_token("Cannot handle token prior to now")
        except jwt.PyJWTError:
            return None, _invalid_token("Malformed UTF-8 characters")
        if claims.get("iss") != self.state.settings.site_url:
            return None, ("jwt_auth_bad_iss", "The iss do not match with this server")
        try:
            user_id = int(claims["data"]["user"]["id"])
        except (KeyError, TypeError, ValueError):
            return None, ("jwt_auth_bad_request", "User ID not found in the token")
        return self.state.users.get(user_id), None

    # ------------------------------------------------------------------ requests
    def authenticate(self, request: Any) -> tuple[Identity, Response | None]:
        """The caller of a REST request, or the error WordPress answers before any route runs
        (``rest_authentication_errors`` / the JWT plugin's ``rest_pre_dispatch``)."""
        header = (request.header("authorization") or "").strip()
        scheme, _, credentials = header.partition(" ")
        scheme = scheme.lower()
        if scheme == "bearer":
            token = credentials.strip()
            if not token:
                return Identity(), wp_error(
                    "jwt_auth_bad_auth_header", "Authorization header malformed.", 403
                )
            user, error = self.decode_token(token)
            if error is not None:
                return Identity(), wp_error(error[0], error[1], 403)
            return Identity(user, "jwt" if user else None), None
        if scheme == "basic":
            return self._basic(credentials.strip())
        return self._cookie(request)

    def _basic(self, credentials: str) -> tuple[Identity, Response | None]:
        try:
            decoded = base64.b64decode(credentials, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return Identity(), None  # WordPress ignores a header it cannot read
        login, sep, password = decoded.partition(":")
        if not sep:
            return Identity(), None
        user = self.state.user_by_login(login)
        if user is None:
            return Identity(), wp_error("invalid_username", MSG_UNKNOWN_USER, 401)
        if not user.app_password or _app_password_key(password) != _app_password_key(
            user.app_password
        ):
            return Identity(), wp_error("incorrect_password", MSG_BAD_APP_PASSWORD, 401)
        return Identity(user, "app_password"), None

    def _cookie(self, request: Any) -> tuple[Identity, Response | None]:
        if self.sessions is None:
            return Identity(), None
        try:
            user_id, error = self.sessions.rest_auth(request)
        except NotImplementedError:
            return Identity(), None
        if error is not None:
            return Identity(), error
        if user_id is None:
            return Identity(), None
        user = self.state.users.get(user_id)
        nonce = request.header("x-wp-nonce") or request.arg("_wpnonce")
        return Identity(user, "cookie" if user else None, nonce), None

    # ------------------------------------------------------------------ JWT endpoints
    def token_endpoint(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """``POST /jwt-auth/v1/token`` with the login password (and WCFM's extra fields)."""
        login = str(params.get("username") or "")
        password = str(params.get("password") or "")
        if not login:
            return _jwt_error(
                "empty_username", "<strong>Error:</strong> The username field is empty."
            )
        if not password:
            return _jwt_error(
                "empty_password", "<strong>Error:</strong> The password field is empty."
            )
        user = self.state.user_by_login(login)
        if user is None:
            return _jwt_error("invalid_username", MSG_UNKNOWN_USER)
        if password != user.password:
            # The recorded site answers with the application-password wording (REC 56).
            return _jwt_error("incorrect_password", MSG_BAD_APP_PASSWORD)
        body: dict[str, Any] = {
            "token": self.issue_token(user),
            "user_email": user.email,
            "user_nicename": user.nicename or user.login,
            "user_display_name": user.display_name,
            "roles": [user.role],
        }
        if user.is_vendor:
            body["store_name"] = store_name(user)
            body["store_id"] = user.id
        return 200, body

    def validate_endpoint(self, request: Any) -> tuple[int, dict[str, Any]]:
        """``POST /jwt-auth/v1/token/validate``."""
        header = (request.header("authorization") or "").strip()
        scheme, _, token = header.partition(" ")
        if not header:
            return 403, _error_body(
                "jwt_auth_no_auth_header", "Authorization header not found.", 403
            )
        if scheme.lower() != "bearer" or not token.strip():
            return 403, _error_body(
                "jwt_auth_bad_auth_header", "Authorization header malformed.", 403
            )
        user, error = self.decode_token(token.strip())
        if error is not None:
            return 403, _error_body(error[0], error[1], 403)
        if user is None:
            return 403, _error_body("jwt_auth_bad_request", "User ID not found in the token", 403)
        return 200, {"code": "jwt_auth_valid_token", "data": {"status": 200}}


def _app_password_key(password: str) -> str:
    """WordPress compares application passwords without spaces or dashes."""
    return re.sub(r"[^a-z\d]", "", password, flags=re.IGNORECASE)


def _invalid_token(reason: str) -> tuple[str, str]:
    return "jwt_auth_invalid_token", reason


def _error_body(code: str, message: str, status: int) -> dict[str, Any]:
    return {"code": code, "message": message, "data": {"status": status}}


def _jwt_error(code: str, message: str) -> tuple[int, dict[str, Any]]:
    return 403, _error_body(f"[jwt_auth] {code}", message, 403)
