"""Transport-neutral request/response objects used by the simulator's route handlers.

The HTTP server (server.py) turns each incoming request into a :class:`Request`, hands it to a
handler (REST routes, the dashboard surface, the control surface) and writes back the
:class:`Response`. Handlers never touch sockets, which keeps them easy to read and test.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from http.cookies import CookieError, SimpleCookie
from typing import Any
from urllib.parse import parse_qs

JSON_CONTENT_TYPE = "application/json; charset=UTF-8"
HTML_CONTENT_TYPE = "text/html; charset=UTF-8"

#: WCFM's answer to a dashboard call with a bad or missing ``wcfm_ajax_nonce``.
INVALID_NONCE = "Invalid nonce! Refresh your page and try again."

#: What the theme shows for a URL WordPress has nothing at.
NOT_FOUND_PAGE = (
    "<!DOCTYPE html><html><head><title>Page not found</title></head>"
    "<body><h1>Oops! That page can&rsquo;t be found.</h1></body></html>"
)


@dataclass
class Request:
    method: str  # upper case
    path: str  # without the query string, percent-decoded
    query: dict[str, list[str]]
    headers: dict[str, str]  # keys lower-cased
    body: bytes = b""
    client: str = "127.0.0.1"

    # ----------------------------------------------------------- accessors
    def header(self, name: str, default: str | None = None) -> str | None:
        return self.headers.get(name.lower(), default)

    def arg(self, name: str, default: str | None = None) -> str | None:
        """First value of a query-string parameter."""
        values = self.query.get(name)
        return values[0] if values else default

    @property
    def content_type(self) -> str:
        return (self.header("content-type") or "").split(";")[0].strip().lower()

    def form(self) -> dict[str, list[str]]:
        """The body parsed as ``application/x-www-form-urlencoded`` (empty if it is not)."""
        if self.content_type != "application/x-www-form-urlencoded" or not self.body:
            return {}
        return parse_qs(self.body.decode("utf-8", "replace"), keep_blank_values=True)

    def json(self) -> Any:
        """The body parsed as JSON, or None when it is not JSON."""
        if self.content_type != "application/json" or not self.body:
            return None
        try:
            return json.loads(self.body)
        except ValueError:
            return None

    def params(self) -> dict[str, Any]:
        """WordPress REST-style merged parameters: query, then form or JSON body (body wins)."""
        merged: dict[str, Any] = {key: values[0] for key, values in self.query.items() if values}
        body_json = self.json()
        if isinstance(body_json, dict):
            merged.update(body_json)
        else:
            merged.update({key: values[0] for key, values in self.form().items() if values})
        return merged

    def cookies(self) -> dict[str, str]:
        raw = self.header("cookie")
        if not raw:
            return {}
        jar: SimpleCookie = SimpleCookie()
        try:
            jar.load(raw)
        except CookieError:  # a malformed Cookie header is ignored, as PHP does
            return {}
        return {key: morsel.value for key, morsel in jar.items()}


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    headers: list[tuple[str, str]] = field(default_factory=list)
    #: How many orders the answer carries, when it is a list of orders (the cost model charges
    #: per order returned; see :mod:`vendor_desk.sandbox.cost`). None: not an order list.
    orders: int | None = None

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None


def json_response(
    payload: Any, status: int = 200, headers: list[tuple[str, str]] | None = None
) -> Response:
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    all_headers = [("Content-Type", JSON_CONTENT_TYPE)]
    all_headers.extend(headers or [])
    return Response(status, body, all_headers)


def text_response(
    text: str,
    status: int = 200,
    content_type: str = HTML_CONTENT_TYPE,
    headers: list[tuple[str, str]] | None = None,
) -> Response:
    all_headers = [("Content-Type", content_type)]
    all_headers.extend(headers or [])
    return Response(status, text.encode("utf-8"), all_headers)


def wp_error(code: str, message: str, status: int, **data: Any) -> Response:
    """A WordPress REST error: ``{"code", "message", "data": {"status", …}}``."""
    return json_response(
        {"code": code, "message": message, "data": {"status": status, **data}}, status
    )
