"""Fault injection: make chosen requests fail the way real networks and real WordPress sites do.

A :class:`Fault` matches requests by a regular expression searched in ``path?query`` and an
optional HTTP method, and fires a number of times (``times``; None = until removed). Kinds:

========================  ===========================================================  =========
kind                      what the client sees                                         applied?
========================  ===========================================================  =========
``status``                ``status`` with a WordPress error body (``code``/``message``) no
``delay``                 the normal answer, ``delay`` seconds late                    yes
``rate_limit``            429 + ``Retry-After: retry_after``                           no
``unavailable``           503 + ``Retry-After: retry_after``                           no
``reset``                 the connection closed (RST) without any response             no
``truncate``              the real answer, but the body stops half-way (Content-Length  yes
                          larger than what is sent) and the connection closes
``invalid_json``          200 with a body that is not JSON                             no
``critical_error``        WordPress's "critical error" HTML page, ``status`` 200/500   no
``apply_then_drop``       the write is performed, then the connection is reset         yes
========================  ===========================================================  =========

"applied?" says whether the request reaches the simulated marketplace (whether a write happens).
The control surface (``/_sandbox/…``) is never subject to faults.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
from dataclasses import dataclass, field
from typing import Any

from vendor_desk.sandbox.http import HTML_CONTENT_TYPE, JSON_CONTENT_TYPE, Response

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
    retry_after: int = 30
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
    def response(self) -> Response:
        """The canned response of the kinds that answer without the marketplace."""
        if self.kind == "rate_limit":
            return _wp_error(429, self.code, self.message, [("Retry-After", str(self.retry_after))])
        if self.kind == "unavailable":
            return _wp_error(503, self.code, self.message, [("Retry-After", str(self.retry_after))])
        if self.kind == "invalid_json":
            body = b'{"id": 18, "status": "processing", <br />\n<b>Warning</b>: Undefined'
            return Response(200, body, [("Content-Type", JSON_CONTENT_TYPE)])
        if self.kind == "critical_error":
            status = self.status if self.status in (200, 500) else 500
            return Response(
                status, CRITICAL_ERROR_PAGE.encode("utf-8"), [("Content-Type", HTML_CONTENT_TYPE)]
            )
        return _wp_error(self.status, self.code, self.message, [])


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
        retry_after: int = 30,
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
                retry_after=int(retry_after),
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
