"""HTTP plumbing of the marketplace client: sessions, timeouts, retries, answer decoding.

* Every request carries a ``(connect, read)`` timeout.
* Reads (GET) are retried by urllib3 with exponential backoff on connection problems and on
  502/504. Writes are never retried by the transport: urllib3's ``allowed_methods`` is GET only,
  so a POST/PUT whose connection was reset after sending raises at once (``Retry`` retries connect
  errors for any method, which is safe: nothing was sent).
* 429 (rate limited) and 503 (maintenance, overloaded) ask the client to wait: :func:`send` waits
  (``Retry-After`` in seconds or as an HTTP date, else the backoff) and asks again — for reads and
  for sign-in, which the marketplace turned away before doing anything — when the wait is at most
  ``retry_after_max``. A longer wait, or a write, is the caller's: :func:`busy_error` turns the
  answer into :class:`RateLimited` / :class:`Unavailable` carrying ``retry_after``, so the outbox
  and the sync try again after it.
* Failures become the typed errors of :mod:`vendor_desk.marketplace.errors`; a write whose
  outcome is uncertain becomes :class:`WriteOutcomeUnknown`.
* Plain http is refused unless the marketplace runs on this computer (loopback).
"""

from __future__ import annotations

import email.utils
import html
import ipaddress
import json
import logging
import math
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import ConnectTimeoutError, MaxRetryError, NewConnectionError
from urllib3.util.retry import Retry

from vendor_desk.domain.text import N_, Sentence
from vendor_desk.marketplace.errors import (
    InsecureConnection,
    InvalidResponse,
    RateLimited,
    Unavailable,
    Unreachable,
    WriteOutcomeUnknown,
)

log = logging.getLogger("vendor_desk.marketplace")

USER_AGENT = "VendorDesk/1.0 (+desktop order desk for WCFM vendors)"
READ_METHODS = frozenset({"GET"})
#: Answers asking the client to come back later: 429 Too Many Requests, 503 Service Unavailable.
BUSY_STATUSES = frozenset({429, 503})


@dataclass(frozen=True, slots=True)
class HttpSettings:
    """Timeouts and retry policy. Tests pass short values to stay fast."""

    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    #: How many times a read is retried (connection errors, 502/504; 429/503 as below).
    read_retries: int = 3
    #: Backoff: sleeps ``factor * 2**(n-1)`` seconds between retries.
    backoff_factor: float = 0.5
    backoff_max: float = 20.0
    #: Longest the client waits before asking again after a 429/503 (its ``Retry-After``, else
    #: the backoff); when the marketplace asks for longer, the caller gets the error at once,
    #: with ``retry_after``, instead of a window that hangs.
    retry_after_max: float = 15.0
    verify_tls: bool = True

    @property
    def timeout(self) -> tuple[float, float]:
        return (self.connect_timeout, self.read_timeout)


def is_loopback_host(host: str) -> bool:
    """True for ``localhost``, 127.0.0.0/8 and ::1."""
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def normalise_base_url(base_url: str) -> str:
    """The site's base URL without trailing slash; refuses plain http to a non-loopback host.

    Raises:
        InsecureConnection: http to another computer, or a scheme other than http(s).
    """
    text = base_url.strip()
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    host = parts.hostname or ""
    if scheme not in {"http", "https"} or not host:
        raise InsecureConnection(
            Sentence(
                N_(
                    "“{address}” is not a web address of a marketplace (it must start with https://)."
                ),
                address=base_url,
            ),
            detail=f"scheme={scheme!r} host={host!r}",
        )
    if scheme == "http" and not is_loopback_host(host):
        raise InsecureConnection(
            N_(
                "The marketplace address must start with https:// — the app does not send your "
                "password over an unencrypted connection."
            ),
            detail=f"refused plain http to {host}",
        )
    return text.rstrip("/")


def build_session(settings: HttpSettings) -> requests.Session:
    """A requests session whose adapter retries reads only (see the module docstring)."""
    retry = Retry(
        total=settings.read_retries,
        connect=settings.read_retries,
        read=settings.read_retries,
        status=settings.read_retries,
        other=0,
        redirect=False,
        allowed_methods=READ_METHODS,
        status_forcelist=(502, 504),
        backoff_factor=settings.backoff_factor,
        backoff_max=settings.backoff_max,
        # 429/503 and their Retry-After are send()'s: it knows when a wait is too long.
        respect_retry_after_header=False,
        raise_on_status=False,
    )
    adapter = HTTPAdapter(max_retries=retry, pool_connections=2, pool_maxsize=4)
    session = requests.Session()
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers["User-Agent"] = USER_AGENT
    session.verify = settings.verify_tls
    session.trust_env = False  # no proxy/netrc surprises: the app talks to the marketplace only
    return session


def _never_sent(error: requests.RequestException) -> bool:
    """Whether the request certainly did not reach the server (connect phase failed)."""
    if isinstance(error, requests.ConnectTimeout):
        return True
    cause: Any = error.args[0] if error.args else None
    if isinstance(cause, MaxRetryError):
        cause = cause.reason
    return isinstance(cause, NewConnectionError | ConnectTimeoutError)


def send(
    session: requests.Session,
    method: str,
    url: str,
    settings: HttpSettings,
    *,
    what: str,
    idempotent: bool | None = None,
    **kwargs: Any,
) -> requests.Response:
    """One HTTP exchange with timeouts; transport failures become typed errors.

    ``what`` names the operation in plain words for the error messages ("reading order 19").
    ``idempotent`` (default: GET only) marks a call that may be sent again — signing in: a
    dropped connection is then :class:`Unreachable` rather than :class:`WriteOutcomeUnknown`, and
    a 429/503 is waited out and asked again when the wait is at most ``retry_after_max`` (see the
    module docstring). A 429/503 answer that is returned is the caller's to raise with
    :func:`busy_error`.
    """
    repeatable = method.upper() in READ_METHODS if idempotent is None else idempotent
    attempt = 0
    while True:
        response = _exchange(
            session, method, url, settings, what=what, write=not repeatable, **kwargs
        )
        if (
            not repeatable
            or response.status_code not in BUSY_STATUSES
            or attempt >= settings.read_retries
        ):
            return response
        wait = retry_after_seconds(response)
        if wait is None:
            wait = min(settings.backoff_factor * 2**attempt, settings.backoff_max)
        if wait > settings.retry_after_max:
            return response
        log.info("%s answered %s; asking again in %.1f s", url, response.status_code, wait)
        response.close()
        time.sleep(wait)
        attempt += 1


def _exchange(
    session: requests.Session,
    method: str,
    url: str,
    settings: HttpSettings,
    *,
    what: str,
    write: bool,
    **kwargs: Any,
) -> requests.Response:
    try:
        return session.request(
            method, url, timeout=settings.timeout, allow_redirects=False, **kwargs
        )
    except requests.exceptions.SSLError as error:
        raise Unreachable(
            Sentence(
                N_(
                    "The marketplace's security certificate could not be verified while {what}: "
                    "check this computer's date and time; a network that intercepts secure "
                    "connections (a hotel or office sign-in page) causes this too."
                ),
                what=what,
            ),
            detail=str(error),
        ) from error
    except requests.RequestException as error:
        if write and not _never_sent(error):
            raise WriteOutcomeUnknown(
                Sentence(
                    N_(
                        "The connection was lost while {what}; the marketplace may or may not "
                        "have carried it out. The app checks before sending it again."
                    ),
                    what=what,
                ),
                detail=f"{type(error).__name__}: {error}",
            ) from error
        if isinstance(
            error,
            requests.exceptions.ChunkedEncodingError | requests.exceptions.ContentDecodingError,
        ):
            raise InvalidResponse(
                Sentence(
                    N_("The marketplace's answer was cut off while {what}. Try again later."),
                    what=what,
                ),
                detail=f"{type(error).__name__}: {error}",
            ) from error
        if isinstance(error, requests.Timeout):
            message = Sentence(
                N_("The marketplace did not answer in time while {what}."), what=what
            )
        else:
            message = Sentence(
                N_("The marketplace could not be reached while {what}. Check the connection."),
                what=what,
            )
        raise Unreachable(message, detail=f"{type(error).__name__}: {error}") from error


# ===================================================================== what an answer says
def retry_after_seconds(response: requests.Response) -> float | None:
    """The answer's ``Retry-After`` in seconds (given as seconds or as an HTTP date), or None
    when it has none or an unreadable one."""
    value = (response.headers.get("Retry-After") or "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:  # an HTTP date is GMT
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def wait_in_words(seconds: float | None) -> Sentence:
    """``"in 2 minutes"`` — how long to wait, rounded up, for the messages (a sentence marked
    for the catalogue; the count is never 0, so "1" is the only singular in both languages)."""
    if seconds is None:
        return Sentence(N_("in a few minutes"))
    if seconds < 90:
        count = max(1, math.ceil(seconds))
        if count == 1:
            return Sentence(N_("in 1 second"))
        return Sentence(N_("in {count} seconds"), count=count)
    if seconds < 90 * 60:
        return Sentence(N_("in {count} minutes"), count=math.ceil(seconds / 60))
    count = math.ceil(seconds / 3600)
    if count == 1:
        return Sentence(N_("in 1 hour"))
    return Sentence(N_("in {count} hours"), count=count)


#: Where a page says what happened: wp_die()'s message, else the title, else the heading.
_PAGE_WORDS = (
    re.compile(r"<div[^>]*class=[\"']wp-die-message[\"'][^>]*>(.*?)</div>", re.I | re.S),
    re.compile(r"<title[^>]*>(.*?)</title>", re.I | re.S),
    re.compile(r"<h1[^>]*>(.*?)</h1>", re.I | re.S),
)


_PARAGRAPH = re.compile(r"<p[^>]*>(.*?)</p>", re.I | re.S)


def answer_words(response: requests.Response, limit: int = 160) -> str:
    """What the answer says in a few words, to quote in a message: a WordPress error's message,
    else an HTML page's wp_die() message, title or first heading; "" for anything else."""
    text = response.text
    body = error_body(response)
    words = ""
    if isinstance(body.get("message"), str):
        words = body["message"]
    else:
        for pattern in _PAGE_WORDS:
            match = pattern.search(text)
            if match:
                words = match.group(1)
                break
    first = _PARAGRAPH.search(words)  # "critical error" pages: the first paragraph says it
    if first:
        words = first.group(1)
    plain = " ".join(html.unescape(re.sub(r"<[^>]*>", " ", words)).split())
    return plain if len(plain) <= limit else plain[: limit - 1].rstrip() + "…"


def busy_error(
    response: requests.Response, *, what: str, signing_in: bool = False
) -> RateLimited | Unavailable | None:
    """The error of a 429 (rate limited) or 503 (maintenance, overloaded) answer, with how long
    the marketplace asked to wait; None for any other answer."""
    status = response.status_code
    if status not in BUSY_STATUSES:
        return None
    wait = retry_after_seconds(response)
    again = (
        Sentence(N_("Try again {when}."), when=wait_in_words(wait))
        if wait is not None
        else Sentence(N_("Try again later."))
    )
    not_password = Sentence(N_(" Your password was not refused.")) if signing_in else ""
    code, detail_words = str(error_body(response).get("code") or ""), answer_words(response)
    header = response.headers.get("Retry-After")
    detail = f"HTTP {status} {code}: {detail_words!r}, Retry-After {header!r}"
    if status == 429:
        return RateLimited(
            Sentence(
                N_(
                    "The marketplace is limiting requests (too many in a short time): {what} has "
                    "to wait. {again}{not_password}"
                ),
                what=what,
                again=again,
                not_password=not_password,
            ),
            detail=detail,
            status=status,
            code=code,
            retry_after=wait,
        )
    if "maintenance" in response.text[:2000].lower():
        template = N_(
            "The marketplace is down for maintenance (WordPress is being updated): {what} has "
            "to wait. {again}{not_password}"
        )
    elif detail_words:
        template = N_(
            "The marketplace is temporarily unavailable (“{words}”): {what} has to wait. "
            "{again}{not_password}"
        )
    else:
        template = N_(
            "The marketplace is temporarily unavailable: {what} has to wait. {again}{not_password}"
        )
    return Unavailable(
        Sentence(template, what=what, again=again, not_password=not_password, words=detail_words)
        if detail_words
        else Sentence(template, what=what, again=again, not_password=not_password),
        detail=detail,
        status=status,
        code=code,
        retry_after=wait,
    )


def decode_json(response: requests.Response, *, what: str, write: bool = False) -> Any:
    """The JSON body (JSON numbers as Decimal). Unreadable bodies raise InvalidResponse — or
    WriteOutcomeUnknown for a write, whose effect is then unknown."""
    text = response.text
    try:
        return json.loads(text, parse_float=Decimal)
    except ValueError:
        pass
    # WCFM sometimes prints two JSON objects back to back: read the first.
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        try:
            value, _ = json.JSONDecoder(parse_float=Decimal).raw_decode(stripped)
            return value
        except ValueError:
            pass
    detail = f"HTTP {response.status_code}, {len(text)} chars: {text[:200]!r}"
    if write:
        raise WriteOutcomeUnknown(
            Sentence(
                N_(
                    "The marketplace's answer to {what} could not be read; it may or may not "
                    "have been carried out. The app checks before sending it again."
                ),
                what=what,
            ),
            detail=detail,
            status=response.status_code,
        )
    raise InvalidResponse(
        Sentence(
            N_(
                "The marketplace's answer to {what} could not be read (it is not the expected "
                "data). Try again later."
            ),
            what=what,
        ),
        detail=detail,
        status=response.status_code,
    )


def error_body(response: requests.Response) -> Mapping[str, Any]:
    """The WordPress error object of a failed response, or {} when the body is not one."""
    try:
        data = json.loads(response.text, parse_float=Decimal)
    except ValueError:
        return {}
    return data if isinstance(data, Mapping) else {}
