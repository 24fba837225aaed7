"""HTTP plumbing of the marketplace client: sessions, timeouts, retries, answer decoding.

* Every request carries a ``(connect, read)`` timeout.
* Reads (GET) are retried by urllib3 with exponential backoff on connection problems and on
  429/502/503/504, honouring ``Retry-After``. Writes are never retried by the transport: urllib3's
  ``allowed_methods`` is GET only, so a POST/PUT whose connection was reset after sending raises at
  once (``Retry`` retries connect errors for any method, which is safe: nothing was sent).
* Failures become the typed errors of :mod:`vendor_desk.marketplace.errors`; a write whose
  outcome is uncertain becomes :class:`WriteOutcomeUnknown`.
* Plain http is refused unless the marketplace runs on this computer (loopback).
"""

from __future__ import annotations

import ipaddress
import json
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import ConnectTimeoutError, MaxRetryError, NewConnectionError
from urllib3.util.retry import Retry

from vendor_desk.marketplace.errors import (
    InsecureConnection,
    InvalidResponse,
    Unreachable,
    WriteOutcomeUnknown,
)

log = logging.getLogger("vendor_desk.marketplace")

USER_AGENT = "VendorDesk/1.0 (+desktop order desk for WCFM vendors)"
READ_METHODS = frozenset({"GET"})


@dataclass(frozen=True, slots=True)
class HttpSettings:
    """Timeouts and retry policy. Tests pass short values to stay fast."""

    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    #: How many times an idempotent read is retried (connection errors, 429/502/503/504).
    read_retries: int = 3
    #: urllib3 backoff: sleeps ``factor * 2**(n-1)`` seconds between retries.
    backoff_factor: float = 0.5
    backoff_max: float = 20.0
    #: Longest the client sleeps for a ``Retry-After`` before retrying a read.
    retry_after_max: float = 60.0
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
            f"“{base_url}” is not a web address of a marketplace (it must start with https://).",
            detail=f"scheme={scheme!r} host={host!r}",
        )
    if scheme == "http" and not is_loopback_host(host):
        raise InsecureConnection(
            "The marketplace address must start with https:// — the app does not send your "
            "password over an unencrypted connection.",
            detail=f"refused plain http to {host}",
        )
    return text.rstrip("/")


class _CappedRetry(Retry):
    """A Retry that never sleeps longer than ``retry_after_cap`` for a ``Retry-After`` header
    (urllib3 before 2.6 would sleep for whatever the server asks)."""

    retry_after_cap: float = 60.0

    def new(self, **kw: Any) -> _CappedRetry:
        retry = super().new(**kw)
        retry.retry_after_cap = self.retry_after_cap
        return retry

    def sleep_for_retry(self, response: Any = None) -> bool:
        retry_after = self.get_retry_after(response) if response is not None else None
        if not retry_after:
            return False
        time.sleep(min(retry_after, self.retry_after_cap))
        return True


def build_session(settings: HttpSettings) -> requests.Session:
    """A requests session whose adapter retries reads only (see the module docstring)."""
    retry = _CappedRetry(
        total=settings.read_retries,
        connect=settings.read_retries,
        read=settings.read_retries,
        status=settings.read_retries,
        other=0,
        redirect=False,
        allowed_methods=READ_METHODS,
        status_forcelist=(429, 502, 503, 504),
        backoff_factor=settings.backoff_factor,
        backoff_max=settings.backoff_max,
        respect_retry_after_header=True,
        raise_on_status=False,
    )
    retry.retry_after_cap = settings.retry_after_max
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
    **kwargs: Any,
) -> requests.Response:
    """One HTTP exchange with timeouts; transport failures become typed errors.

    ``what`` names the operation in plain words for the error messages ("reading order 19").
    """
    write = method.upper() not in READ_METHODS
    try:
        return session.request(
            method, url, timeout=settings.timeout, allow_redirects=False, **kwargs
        )
    except requests.exceptions.SSLError as error:
        raise Unreachable(
            f"The marketplace's security certificate could not be verified while {what}.",
            detail=str(error),
        ) from error
    except requests.RequestException as error:
        if write and not _never_sent(error):
            raise WriteOutcomeUnknown(
                f"The connection was lost while {what}; the marketplace may or may not have "
                "carried it out. The app checks before sending it again.",
                detail=f"{type(error).__name__}: {error}",
            ) from error
        if isinstance(
            error,
            requests.exceptions.ChunkedEncodingError | requests.exceptions.ContentDecodingError,
        ):
            raise InvalidResponse(
                f"The marketplace's answer was cut off while {what}. Try again later.",
                detail=f"{type(error).__name__}: {error}",
            ) from error
        if isinstance(error, requests.Timeout):
            message = f"The marketplace did not answer in time while {what}."
        else:
            message = f"The marketplace could not be reached while {what}. Check the connection."
        raise Unreachable(message, detail=f"{type(error).__name__}: {error}") from error


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
            f"The marketplace's answer to {what} could not be read; it may or may not have been "
            "carried out. The app checks before sending it again.",
            detail=detail,
            status=response.status_code,
        )
    raise InvalidResponse(
        f"The marketplace's answer to {what} could not be read (it is not the expected data). "
        "Try again later.",
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
