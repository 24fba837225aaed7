"""Fault injection: make chosen requests fail the way real networks and real WordPress sites do.

A :class:`Fault` matches requests by a regular expression searched in ``path?query`` and an
optional HTTP method, and fires a number of times (``times``; None = until removed). Kinds:

========================  ===========================================================  =========
kind                      what the client sees                                         applied?
========================  ===========================================================  =========
``status``                ``status`` with a WordPress error body (``code``/``message``) no
``delay``                 the normal answer, ``delay`` seconds late                    yes
``rate_limit``            429 + ``Retry-After: retry_after`` (seconds, or an HTTP date no
                          given as text; "" for none), as a rate-limiting plugin or a
                          firewall sends
``unavailable``           503 + ``Retry-After: retry_after``                           no
``maintenance``           WordPress's maintenance page while it updates: 503,          no
                          ``Retry-After: retry_after`` (WordPress sends 600)
``reset``                 the connection closed (RST) without any response             no
``truncate``              the real answer, but the body stops half-way (Content-Length  yes
                          larger than what is sent) and the connection closes
``invalid_json``          200 with a body that is not JSON                             no
``critical_error``        WordPress's "critical error" HTML page, ``status`` 200/500   no
``apply_then_drop``       the write is performed, then the connection is reset         yes
``not_found_page``        the theme's 404 HTML page: ``wp-login.php`` hidden by a      no
                          login-URL plugin, ``/wp-json/`` with "Plain" permalinks
``blocked_page``          a firewall's or security plugin's HTML page, ``status``      no
                          (403 unless given), ``message`` its title
``login_challenge``       ``wp-login.php`` shows the login form again without a        no
                          session: ``message`` in its error box (a CAPTCHA's or
                          lockout's words), or with no message a two-factor code step
``plugin_inactive``       the REST namespace ``path`` (``jwt-auth/v1``, ``wcfmmp/v1``)  index
                          is gone, as when its plugin is not active: its routes answer
                          404 ``rest_no_route`` and the ``/wp-json/`` index omits it
``bad_nonce``             admin-ajax's 200 ``{"success": false, "data": "Invalid        no
                          nonce! …"}``, as when a cache served an old dashboard page
``moved``                 301 to the same path and query at ``message`` (the site's     no
                          new address: https, www, another domain)
========================  ===========================================================  =========

"applied?" says whether the request reaches the simulated marketplace (whether a write happens).
The control surface (``/_sandbox/…``) is never subject to faults. ``plugin_inactive`` is matched
by namespace, not by regular expression; give it ``times=None`` to keep the plugin off.
"""

from __future__ import annotations

import html
import itertools
import json
import re
import threading
from dataclasses import dataclass, field
from typing import Any

from vendor_desk.sandbox.http import (
    HTML_CONTENT_TYPE,
    INVALID_NONCE,
    JSON_CONTENT_TYPE,
    NOT_FOUND_PAGE,
    Response,
)

FAULT_KINDS = (
    "status",
    "delay",
    "rate_limit",
    "unavailable",
    "reset",
    "truncate",
    "invalid_json",
    "critical_error",
    "apply_then_drop",
    "maintenance",
    "not_found_page",
    "blocked_page",
    "login_challenge",
    "plugin_inactive",
    "bad_nonce",
    "moved",
)

#: Kinds whose request still reaches the marketplace.
APPLYING_KINDS = frozenset({"delay", "truncate", "apply_then_drop"})

CRITICAL_ERROR_PAGE = """<!DOCTYPE html>
<html lang="en-US">
<head>
\t<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
\t<meta name="viewport" content="width=device-width, initial-scale=1.0">
\t<meta name='robots' content='max-image-preview:large, noindex, follow' />
\t<title>WordPress &rsaquo; Error</title>
</head>
<body id="error-page">
\t<div class="wp-die-message"><p>There has been a critical error on this website.</p>\
<p><a href="https://wordpress.org/documentation/article/faq-troubleshooting/">\
Learn more about troubleshooting WordPress.</a></p></div></body>
</html>
"""

#: wp_maintenance(): what WordPress shows while it updates (a ``.maintenance`` file exists).
MAINTENANCE_PAGE = """<!DOCTYPE html>
<html lang="en-US">
<head>
\t<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
\t<title>Maintenance</title>
</head>
<body id="error-page">
\t<div class="wp-die-message"><h1>Briefly unavailable for scheduled maintenance. \
Check back in a minute.</h1></div></body>
</html>
"""

BLOCKED_PAGE = """<!DOCTYPE html>
<html><head><meta charset="UTF-8"><title>{title}</title></head>
<body><h1>{title}</h1><p>Your access to this service has been limited. (HTTP response code \
{status})</p><p>If you think you have been blocked in error, contact the owner of this site.</p>
</body></html>
"""

#: wp-login.php shown again without a session: a plugin stopped the login (``{error}``: its
#: error box) or asks for a second step (``{step}``: the two-factor form's field).
LOGIN_AGAIN_PAGE = """<!DOCTYPE html>
<html lang="en-US">
<head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />
<title>{title}</title></head>
<body class="login wp-core-ui">
<div id="login">
{error}
<form name="{form}" id="loginform" action="/wp-login.php" method="post">
{step}
<p class="submit"><input type="submit" name="wp-submit" id="wp-submit" value="Log In" /></p>
</form>
</div>
</body>
</html>
"""
LOGIN_FIELDS = """<p><label for="user_login">Username or Email Address</label>
<input type="text" name="log" id="user_login" value="" /></p>
<p><label for="user_pass">Password</label><input type="password" name="pwd" id="user_pass" /></p>
<div class="captcha"><label>Type the characters you see</label>
<input name="captcha_code" /></div>"""
TWO_FACTOR_FIELDS = """<input type="hidden" name="provider" value="Two_Factor_Totp" />
<p>Please enter the code generated by your authenticator app.</p>
<p><label for="authcode">Authentication Code:</label>
<input type="text" name="authcode" id="authcode" autocomplete="one-time-code" /></p>"""

_STATUS_TEXT = {
    400: ("rest_invalid_request", "Bad request."),
    401: ("rest_forbidden", "Sorry, you are not allowed to do that."),
    403: ("rest_forbidden", "Sorry, you are not allowed to do that."),
    404: ("rest_no_route", "No route was found matching the URL and request method."),
    429: ("too_many_requests", "Too many requests. Please slow down."),
    500: ("internal_server_error", "Internal server error."),
    502: ("bad_gateway", "Bad gateway."),
    503: ("service_unavailable", "The site is temporarily unavailable."),
    504: ("gateway_timeout", "Gateway timeout."),
}


@dataclass
class Fault:
    """One injected fault. ``remaining`` None fires until removed."""

    id: int
    kind: str
    path: str  # regular expression, searched in "path?query"
    method: str | None = None
    remaining: int | None = 1
    status: int = 500
    delay: float = 0.0
    #: Seconds, or text sent as it is (an HTTP date); "" sends no ``Retry-After``.
    retry_after: int | str = 30
    code: str | None = None
    message: str | None = None
    #: Optional regular expression searched in the request body (URL-decoded once), so one
    #: admin-ajax action can be told from another.
    body: str | None = None
    hits: int = 0
    _regex: re.Pattern[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; one of {', '.join(FAULT_KINDS)}")
        if self.kind == "plugin_inactive":
            namespace = self.path.strip("/")
            if not re.fullmatch(r"[\w.-]+/v\d+", namespace):
                raise ValueError("plugin_inactive takes a REST namespace such as wcfmmp/v1")
            # the namespace's routes, and the site index that lists it
            self._regex = re.compile(rf"^/wp-json/?(?:$|\?|{re.escape(namespace)}(?:[/?]|$))")
        else:
            self._regex = re.compile(self.path)
        if self.method:
            self.method = self.method.upper()

    def matches(self, method: str, target: str, body: str = "") -> bool:
        if self.method and self.method != method.upper():
            return False
        if self.body is not None and re.search(self.body, body) is None:
            return False
        return self._regex.search(target) is not None

    @property
    def applies_request(self) -> bool:
        return self.kind in APPLYING_KINDS

    def hides_from_index(self, path: str) -> bool:
        """Whether this request is the REST site index a ``plugin_inactive`` fault edits (the
        request is then answered by the marketplace, minus the namespace)."""
        return self.kind == "plugin_inactive" and path.rstrip("/") == "/wp-json"

    def without_namespace(self, response: Response) -> Response:
        """The site index ``response`` without this fault's namespace and its routes."""
        namespace = self.path.strip("/")
        try:
            index = json.loads(response.body)
        except ValueError:
            return response
        if not isinstance(index, dict):
            return response
        index["namespaces"] = [ns for ns in index.get("namespaces", []) if ns != namespace]
        index["routes"] = {
            route: data
            for route, data in dict(index.get("routes", {})).items()
            if not (route == f"/{namespace}" or route.startswith(f"/{namespace}/"))
        }
        body = json.dumps(index, ensure_ascii=False).encode("utf-8")
        return Response(response.status, body, response.headers)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "path": self.path,
            "method": self.method,
            "times": self.remaining,
            "status": self.status,
            "delay": self.delay,
            "retry_after": self.retry_after,
            "code": self.code,
            "message": self.message,
            "body": self.body,
            "hits": self.hits,
        }

    # ------------------------------------------------------------------ responses
    def _retry_after(self) -> list[tuple[str, str]]:
        """The ``Retry-After`` header; none when ``retry_after`` is ""."""
        value = str(self.retry_after).strip()
        return [("Retry-After", value)] if value else []

    def response(self, target: str = "") -> Response:
        """The canned response of the kinds that answer without the marketplace (``target``:
        the request's ``path?query``)."""
        if self.kind == "rate_limit":
            return _wp_error(429, self.code, self.message, self._retry_after())
        if self.kind == "unavailable":
            return _wp_error(503, self.code, self.message, self._retry_after())
        if self.kind == "invalid_json":
            body = b'{"id": 18, "status": "processing", <br />\n<b>Warning</b>: Undefined'
            return Response(200, body, [("Content-Type", JSON_CONTENT_TYPE)])
        if self.kind == "critical_error":
            status = self.status if self.status in (200, 500) else 500
            return Response(
                status, CRITICAL_ERROR_PAGE.encode("utf-8"), [("Content-Type", HTML_CONTENT_TYPE)]
            )
        if self.kind == "maintenance":
            return _page(503, MAINTENANCE_PAGE, self._retry_after())
        if self.kind == "not_found_page":
            return _page(404, NOT_FOUND_PAGE)
        if self.kind == "blocked_page":
            status = self.status if 400 <= self.status < 600 and self.status != 500 else 403
            title = html.escape(self.message or "403 Forbidden")
            return _page(status, BLOCKED_PAGE.format(title=title, status=status))
        if self.kind == "login_challenge":
            if self.message:
                box = (
                    f'<div id="login_error" class="notice notice-error"><p>{self.message}</p></div>'
                )
                page = LOGIN_AGAIN_PAGE.format(
                    title="Log In", error=box, form="loginform", step=LOGIN_FIELDS
                )
            else:
                page = LOGIN_AGAIN_PAGE.format(
                    title="Log In", error="", form="validate_2fa_form", step=TWO_FACTOR_FIELDS
                )
            return _page(200, page)
        if self.kind == "plugin_inactive":
            return _wp_error(404, "rest_no_route", None, [])
        if self.kind == "bad_nonce":
            body = json.dumps({"success": False, "data": INVALID_NONCE}).encode("utf-8")
            return Response(200, body, [("Content-Type", JSON_CONTENT_TYPE)])
        if self.kind == "moved":
            location = (self.message or "https://moved.example").rstrip("/") + target
            return Response(
                301,
                b"",
                [
                    ("Content-Type", HTML_CONTENT_TYPE),
                    ("X-Redirect-By", "WordPress"),
                    ("Location", location),
                ],
            )
        return _wp_error(self.status, self.code, self.message, [])


def _page(status: int, page: str, headers: list[tuple[str, str]] | None = None) -> Response:
    return Response(
        status, page.encode("utf-8"), [("Content-Type", HTML_CONTENT_TYPE), *(headers or [])]
    )


def _wp_error(
    status: int, code: str | None, message: str | None, headers: list[tuple[str, str]]
) -> Response:
    default_code, default_message = _STATUS_TEXT.get(status, ("http_error", f"HTTP {status}"))
    payload = {
        "code": code or default_code,
        "message": message or default_message,
        "data": {"status": status},
    }
    body = json.dumps(payload).encode("utf-8")
    return Response(status, body, [("Content-Type", JSON_CONTENT_TYPE), *headers])


class FaultInjector:
    """The active faults, thread-safe. The first matching fault (oldest first) fires."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self._ids = itertools.count(1)

    def add(
        self,
        kind: str,
        path: str = ".*",
        *,
        method: str | None = None,
        times: int | None = 1,
        status: int = 500,
        delay: float = 0.0,
        retry_after: int | str = 30,
        code: str | None = None,
        message: str | None = None,
        body: str | None = None,
    ) -> Fault:
        if times is not None and times < 1:
            raise ValueError("times must be at least 1 (or None for forever)")
        if kind == "status" and not 100 <= status <= 599:
            raise ValueError("status must be an HTTP status code")
        with self._lock:
            fault = Fault(
                id=next(self._ids),
                kind=kind,
                path=path,
                method=method,
                remaining=times,
                status=status,
                delay=max(0.0, float(delay)),
                retry_after=retry_after if isinstance(retry_after, str) else int(retry_after),
                code=code,
                message=message,
                body=body,
            )
            self._faults.append(fault)
            return fault

    def take(self, method: str, target: str, body: str = "") -> Fault | None:
        """The fault to fire for this request (its count is used up), or None. ``body`` is the
        request body, URL-decoded once (for faults with a body pattern)."""
        with self._lock:
            for fault in self._faults:
                if fault.matches(method, target, body):
                    fault.hits += 1
                    if fault.remaining is not None:
                        fault.remaining -= 1
                        if fault.remaining <= 0:
                            self._faults.remove(fault)
                    return fault
        return None

    def remove(self, fault_id: int) -> bool:
        with self._lock:
            for fault in self._faults:
                if fault.id == fault_id:
                    self._faults.remove(fault)
                    return True
        return False

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def list(self) -> list[dict[str, Any]]:
        with self._lock:
            return [fault.as_dict() for fault in self._faults]
