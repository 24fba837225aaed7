"""The marketplace as the rest of the app sees it: the :class:`Marketplace` protocol, and
:class:`WcfmMarketplace`, its implementation for WooCommerce + WCFM over HTTP.

What the implementation takes care of (see ``shared/marketplace/real-server.md``):

* sign-in by JWT, cookie session or application password, renewed transparently when a token,
  session or nonce expires (a refused token/nonce means nothing was done, so the call is replayed
  once);
* REST for orders, notes, tracking, notifications, stats and settings; the dashboard surface
  (admin-ajax) for refund requests, messages to the admin and marking notifications read;
* the marketplace's quirks: no paging totals, an empty status under application passwords, the
  tracking-URL encoding flaw, silent no-ops without WCFM Ultimate (detected and reported), and no
  ownership checks on writes (the client checks the vendor's own item ids itself).

A client instance is meant for one worker thread at a time (the app runs one queue per account).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, date, tzinfo
from typing import Any, Protocol, runtime_checkable
from urllib.parse import SplitResult, quote, urlencode, urlsplit

import requests

from vendor_desk.domain import (
    AuthMethod,
    Capabilities,
    Note,
    NoteKind,
    Notification,
    Order,
    OrderStatus,
    RefundLine,
    RefundMode,
    RefundRequest,
    RefundRequestStatus,
    SalesStats,
    StoreSettings,
    VendorIdentity,
    rules,
)
from vendor_desk.domain.text import N_, Sentence, join_sentences
from vendor_desk.marketplace import invoices, parsing
from vendor_desk.marketplace.auth import (
    AJAX_URL,
    WRONG_CREDENTIALS,
    AppPasswordAuth,
    CookieSession,
    JwtAuth,
    blocked_message,
    not_vendor,
)
from vendor_desk.marketplace.errors import (
    AuthenticationRefused,
    CapabilityMissing,
    InvalidResponse,
    MarketplaceError,
    NotAllowed,
    NotFound,
    ReadOnlyCredentials,
    RuleRefused,
    ServerError,
    SignInFailed,
    WriteOutcomeUnknown,
)
from vendor_desk.marketplace.transport import (
    HttpSettings,
    answer_words,
    build_session,
    busy_error,
    decode_json,
    error_body,
    normalise_base_url,
    send,
)

log = logging.getLogger("vendor_desk.marketplace")

API = "/wp-json/wcfmmp/v1"
MAX_PER_PAGE = 100

NOTES_NEED_ULTIMATE = N_(
    "This marketplace does not allow adding notes from outside its dashboard "
    "(WCFM Ultimate is not installed)."
)
TRACKING_NEEDS_ULTIMATE = N_(
    "This marketplace cannot store tracking numbers: marking items shipped needs WCFM Ultimate, "
    "which is not installed. Tell the customer by other means."
)
TRACKING_NOT_STORED = N_(
    "The marketplace accepted the tracking details but did not store them on the items. "
    "Check the order in the marketplace's dashboard."
)
APP_PASSWORD_WRITES = N_(
    "You are signed in with an application password, which the app uses for reading only: "
    "this marketplace crashes half-way through changes made with one. Sign in with your "
    "marketplace password to make changes."
)
APP_PASSWORD_DASHBOARD = N_(
    "This needs the marketplace's vendor dashboard, which only opens with your marketplace "
    "password, not with an application password."
)
REST_ADD_ON_MISSING = N_(
    "WCFM's REST API add-on (the plugin “WCFM – Multivendor Marketplace – REST API”) is not "
    "active on this site, so the app cannot work with it. Ask the marketplace's administrator "
    "to activate it."
)
NO_REST_API = N_(
    "Nothing answers at {base}/wp-json/, where a WordPress marketplace has its REST API: check "
    "the marketplace's address (its home page, e.g. https://shop.example), or ask its "
    "administrator to choose a permalink structure other than “Plain” (Settings → Permalinks)."
)


# =============================================================================== protocol
@runtime_checkable
class Marketplace(Protocol):
    """Everything the app asks of a marketplace. All methods may raise MarketplaceError."""

    def identify(self) -> VendorIdentity:
        """Sign in (verifying the credentials) and say who the vendor is."""
        ...

    def capabilities(self, *, refresh: bool = False) -> Capabilities:
        """What the marketplace offers (JWT plugin, WCFM Ultimate …); detected once."""
        ...

    def list_orders(
        self,
        page: int = 1,
        per_page: int = MAX_PER_PAGE,
        *,
        after: date | None = None,
        before: date | None = None,
    ) -> list[Order]:
        """One page of the vendor's orders, newest first."""
        ...

    def iter_order_pages(
        self,
        per_page: int = MAX_PER_PAGE,
        *,
        after: date | None = None,
        before: date | None = None,
    ) -> Iterator[list[Order]]:
        """Every page of orders, newest first, until a short page."""
        ...

    def get_order(self, order_id: int) -> Order:
        """One order (NotFound when it does not exist or is not the vendor's)."""
        ...

    def set_status(self, order_id: int, status: OrderStatus) -> Order:
        """Set the vendor's status of its part of the order; returns the order after."""
        ...

    def mark_complete(self, order_id: int) -> Order:
        """Mark the vendor's part complete."""
        ...

    def list_notes(self, order_id: int) -> list[Note]:
        """The order's notes, newest first."""
        ...

    def add_note(self, order_id: int, text: str, kind: NoteKind) -> list[Note]:
        """Add a private note or a note to the customer; returns the notes after."""
        ...

    def add_tracking(
        self,
        order_id: int,
        item_ids: Sequence[int],
        tracking_code: str,
        tracking_url: str,
        *,
        known: Order | None = None,
    ) -> Order:
        """Mark the vendor's items shipped with tracking; returns the order re-read.
        ``known``: the order as the caller just read it (not read again)."""
        ...

    def request_refund(
        self,
        order_id: int,
        mode: RefundMode,
        lines: Sequence[RefundLine],
        reason: str,
        *,
        known: Order | None = None,
    ) -> None:
        """File a refund request for the admin to approve. ``known``: the order as the caller
        just read it (not read again)."""
        ...

    def list_refund_requests(
        self, status: RefundRequestStatus | None = None
    ) -> list[RefundRequest]:
        """The vendor's refund requests (all statuses when None)."""
        ...

    def send_message_to_admin(self, text: str) -> None:
        """A direct message to the marketplace's administrator."""
        ...

    def list_notifications(
        self, *, read: bool = False, page: int = 1, per_page: int = 50
    ) -> list[Notification]:
        """One page of the notification board (unread by default)."""
        ...

    def mark_notification_read(self, notification_id: int) -> None:
        """Mark one notification read on the marketplace."""
        ...

    def sales_stats(self) -> SalesStats:
        """The marketplace's sales and earnings summary."""
        ...

    def store_settings(self) -> StoreSettings:
        """The vendor's store profile (name, address for documents)."""
        ...

    def download_store_invoice(self, order: Order) -> bytes | None:
        """The marketplace's own store invoice of the order for this vendor (PDF bytes), or
        None when the order carries none (wcfm-api.md §4.7)."""
        ...

    def close(self) -> None:
        """Release connections."""
        ...


def refund_form(order_id: int, mode: RefundMode, lines: Sequence[RefundLine], reason: str) -> str:
    """The dashboard's refund popup form, URL-encoded as one string (recordings 73/74): mode,
    per item ``wcfm_refund_input[ID][qty|item|total]``, reason, order id."""
    form: list[tuple[str, str]] = [("wcfm_refund_request", RefundMode(mode).value)]
    for line in lines:
        key = f"wcfm_refund_input[{line.item_id}]"
        form += [
            (f"{key}[qty]", str(line.quantity)),
            (f"{key}[item]", str(line.item_id)),
            (f"{key}[total]", f"{line.amount.amount:f}"),
        ]
    form += [("wcfm_refund_reason", reason), ("wcfm_refund_order_id", str(order_id))]
    return urlencode(form)


# ========================================================================= implementation
class WcfmMarketplace:
    """:class:`Marketplace` over HTTP for a WooCommerce + WCFM site.

    Args:
        base_url: the site's address (``https://shop.example``); plain http only on loopback.
        login: the vendor's marketplace user name.
        password: the LOGIN password (or, with ``auth=AuthMethod.APP_PASSWORD``, an application
            password — reading only).
        auth: force a sign-in method; None picks JWT when the site has the plugin, else a cookie
            session.
        settings: timeouts and retry policy.
        site_timezone: the marketplace's timezone, for the few dates it sends without one; read
            from the site when it tells, UTC otherwise.
    """

    def __init__(
        self,
        base_url: str,
        login: str,
        password: str,
        *,
        auth: AuthMethod | None = None,
        settings: HttpSettings | None = None,
        site_timezone: tzinfo | None = None,
    ) -> None:
        self.base_url = normalise_base_url(base_url)
        self.login = login
        self._password = password
        self._requested_auth = auth
        self._settings = settings or HttpSettings()
        self._site_tz: tzinfo = site_timezone or UTC
        self._site_tz_given = site_timezone is not None
        self._session = build_session(self._settings)
        self._method: AuthMethod | None = None
        self._jwt: JwtAuth | None = None
        self._basic: AppPasswordAuth | None = None
        self._cookie: CookieSession | None = None
        self._identity: VendorIdentity | None = None
        self._capabilities: Capabilities | None = None
        self._jwt_available: bool | None = None
        self._discovered = False
        self._currency: str | None = None
        #: Sign-in and renewing credentials happen once at a time: a full walk reads pages
        #: from several threads with this one client (its HTTP session pools connections).
        self._auth_lock = threading.RLock()

    # ------------------------------------------------------------------ lifecycle
    def close(self) -> None:
        self._session.close()
        if self._cookie is not None:
            self._cookie.close()

    def __enter__(self) -> WcfmMarketplace:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def auth_method(self) -> AuthMethod:
        """The sign-in method in use (signs in first if needed)."""
        self._ensure_auth()
        assert self._method is not None
        return self._method

    # =========================================================================== sign-in
    def _discover(self) -> None:
        """Read the site's REST index (no auth): JWT plugin present? WCFM REST present?"""
        if self._discovered:
            return
        what = Sentence(N_("contacting the marketplace"))
        response = send(
            self._session, "GET", self.base_url + "/wp-json/", self._settings, what=what
        )
        busy = busy_error(response, what=what)
        if busy is not None:
            raise busy
        if 300 <= response.status_code < 400:
            raise self._moved(response, what)
        if response.status_code == 404 and not error_body(response).get("code"):
            # a web page, not WordPress's REST API answering
            raise InvalidResponse(
                Sentence(NO_REST_API, base=self.base_url),
                detail=f"/wp-json/: 404 {answer_words(response)!r}",
                status=404,
            )
        self._discovered = True
        data: Any = None
        if response.status_code == 200:
            try:
                data = decode_json(response, what=what)
            except InvalidResponse:
                data = None
        if not isinstance(data, Mapping) or not isinstance(data.get("namespaces"), list):
            # No usable index (some sites hide it): find out by trying the token route.
            log.info("no REST index at %s/wp-json/; probing", self.base_url)
            return
        namespaces = [str(ns) for ns in data["namespaces"]]
        if "wcfmmp/v1" not in namespaces:
            raise CapabilityMissing(REST_ADD_ON_MISSING, detail=f"namespaces: {namespaces}")
        self._jwt_available = "jwt-auth/v1" in namespaces
        if not self._site_tz_given:
            self._site_tz = (
                parsing.site_timezone(str(data.get("timezone_string") or ""))
                if data.get("timezone_string")
                else self._tz_from_offset(data.get("gmt_offset"))
            )

    def _moved(self, response: requests.Response, what: str) -> InvalidResponse:
        """A redirect where the marketplace answers itself: the site moved (another address, or
        https). Names the new address to give the account."""
        location = response.headers.get("Location", "")
        asked = response.url[len(self.base_url) :] if response.url.startswith(self.base_url) else ""
        if asked and location.endswith(asked) and len(location) > len(asked):
            hint = Sentence(
                N_(" Change the account's address to {address}."), address=location[: -len(asked)]
            )
        else:
            hint = Sentence(N_(" Check the account's address."))
        return InvalidResponse(
            Sentence(
                N_("The marketplace sent {what} on to {location}: its address has changed.{hint}"),
                what=what,
                location=location or Sentence(N_("another address")),
                hint=hint,
            ),
            detail=f"HTTP {response.status_code} to {location!r}",
            status=response.status_code,
        )

    @staticmethod
    def _tz_from_offset(offset: Any) -> tzinfo:
        try:
            hours = float(str(offset))
        except ValueError:
            return UTC
        sign = "-" if hours < 0 else "+"
        minutes = round(abs(hours) * 60)
        return parsing.site_timezone(f"{sign}{minutes // 60:02d}:{minutes % 60:02d}")

    def _ensure_auth(self) -> None:
        if self._method is not None:
            return
        with self._auth_lock:
            if self._method is None:
                self._sign_in()

    def _sign_in(self) -> None:
        requested = self._requested_auth
        if requested is AuthMethod.APP_PASSWORD:
            self._basic = AppPasswordAuth(self.login, self._password)
            self._method = AuthMethod.APP_PASSWORD
            return
        self._discover()
        if requested is AuthMethod.COOKIE or (requested is None and self._jwt_available is False):
            self._cookie_session().ensure_logged_in()
            self._method = AuthMethod.COOKIE
            return
        jwt = JwtAuth(self.base_url, self.login, self._password, self._session, self._settings)
        try:
            self._identity = jwt.obtain()
        except CapabilityMissing:
            if requested is AuthMethod.JWT:
                raise
            self._jwt_available = False
            self._cookie_session().ensure_logged_in()
            self._method = AuthMethod.COOKIE
            return
        self._jwt_available = True
        self._jwt = jwt
        self._method = AuthMethod.JWT

    def _cookie_session(self) -> CookieSession:
        if self._cookie is None:
            self._cookie = CookieSession(self.base_url, self.login, self._password, self._settings)
        return self._cookie

    def identify(self) -> VendorIdentity:
        if self._identity is not None and self._identity.store_name:
            return self._identity
        self._ensure_auth()
        identity = self._identity
        if identity is None or not identity.vendor_id:
            data = self._rest_json(
                "GET", "/user-profile", what=Sentence(N_("checking your account"))
            )
            identity, role = parsing.parse_user_profile(data, self.auth_method)
            if role and role != "wcfm_vendor":
                raise not_vendor(self.login, role)
        if not identity.store_name:
            store = self._store_settings_of(identity.vendor_id)
            identity = VendorIdentity(
                vendor_id=identity.vendor_id,
                login=identity.login or self.login,
                store_name=store.store_name,
                display_name=identity.display_name,
                auth_method=self.auth_method,
                email=identity.email or store.email,
            )
        self._identity = identity
        return identity

    def capabilities(self, *, refresh: bool = False) -> Capabilities:
        if self._capabilities is not None and not refresh:
            return self._capabilities
        self._ensure_auth()
        self._discover()
        ultimate: bool | None = None
        dashboard = self.auth_method is not AuthMethod.APP_PASSWORD
        if dashboard:
            try:
                ultimate = self._detect_ultimate()
            except (CapabilityMissing, InvalidResponse, NotAllowed, SignInFailed) as error:
                log.warning("the vendor dashboard could not be read: %s", error.detail or error)
                dashboard = False
        self._capabilities = Capabilities(
            jwt_available=bool(self._jwt_available),
            ultimate=ultimate,
            dashboard_available=dashboard,
        )
        return self._capabilities

    def _detect_ultimate(self) -> bool | None:
        """WCFM Ultimate leaves its scripts on the dashboard page and its action icons (mark
        shipped, PDFs) in the dashboard's order table. Non-destructive: both are reads."""
        cookie = self._cookie_session()
        cookie.get_ajax_nonce()
        if parsing.page_shows_ultimate(cookie.dashboard_page):
            return True
        table = self._ajax(
            {
                "action": "wcfm_ajax_controller",
                "controller": "wcfm-orders",
                "draw": "1",
                "start": "0",
                "length": "25",
            },
            what=Sentence(N_("reading the dashboard's order table")),
        )
        rows = table.get("data") if isinstance(table, Mapping) else None
        if not isinstance(rows, list):
            return None
        if parsing.page_shows_ultimate(str(rows)):
            return True
        return False if rows else None

    # ========================================================================== transport
    def _rest_response(
        self,
        method: str,
        path: str,
        *,
        what: str,
        params: Mapping[str, Any] | None = None,
        json_body: Any = None,
    ) -> requests.Response:
        """One REST call with the current credentials; a rejected token, expired session or
        stale nonce is renewed and the call replayed once (it was refused before doing anything).
        """
        write = method.upper() != "GET"
        self._ensure_auth()
        if write and self._method is AuthMethod.APP_PASSWORD:
            raise ReadOnlyCredentials(APP_PASSWORD_WRITES)
        url = self.base_url + API + path
        for attempt in (1, 2):
            kwargs: dict[str, Any] = {"params": params}
            if json_body is not None:
                kwargs["json"] = json_body
            session = self._session
            with self._auth_lock:  # a token or nonce being renewed by another thread
                if self._method is AuthMethod.JWT:
                    assert self._jwt is not None
                    kwargs["headers"] = self._jwt.headers()
                elif self._method is AuthMethod.COOKIE:
                    cookie = self._cookie_session()
                    kwargs["headers"] = {"X-WP-Nonce": cookie.get_rest_nonce()}
                    session = cookie.session
                else:
                    assert self._basic is not None
                    kwargs["auth"] = self._basic.basic
                sent_with = kwargs.get("headers")
            response = send(session, method, url, self._settings, what=what, **kwargs)
            if attempt == 1 and self._renew_if_rejected(response, sent_with):
                continue
            return response
        raise AssertionError("unreachable")

    def _renew_if_rejected(
        self, response: requests.Response, sent_with: Mapping[str, str] | None = None
    ) -> bool:
        """Renew the credentials when ``response`` says they were rejected. True = replay.
        Renewed once however many threads were refused with the same credentials
        (``sent_with``: the headers the refused request carried)."""
        if response.status_code not in (401, 403):
            return False
        with self._auth_lock:
            if sent_with is not None and sent_with != self._current_headers():
                return True  # another thread renewed them meanwhile: just replay
            return self._renew(response)

    def _current_headers(self) -> Mapping[str, str] | None:
        if self._method is AuthMethod.JWT and self._jwt is not None and self._jwt.has_token:
            return self._jwt.headers()
        if self._method is AuthMethod.COOKIE and self._cookie is not None:
            return {"X-WP-Nonce": self._cookie.get_rest_nonce()}
        return None

    def _renew(self, response: requests.Response) -> bool:
        code = str(error_body(response).get("code", ""))
        if self._method is AuthMethod.JWT and code == "jwt_auth_invalid_token":
            log.info("JWT rejected (%s); obtaining a new one", code)
            assert self._jwt is not None
            self._jwt.invalidate()
            return True
        if self._method is AuthMethod.COOKIE and (
            response.status_code == 401
            or code in {"rest_cookie_invalid_nonce", "rest_not_logged_in"}
        ):
            log.info("cookie session rejected (%s); signing in again", code or response.status_code)
            self._cookie_session().renew()
            return True
        return False

    def _rest_json(
        self,
        method: str,
        path: str,
        *,
        what: str,
        params: Mapping[str, Any] | None = None,
        json_body: Any = None,
        not_found: str = "",
    ) -> Any:
        response = self._rest_response(method, path, what=what, params=params, json_body=json_body)
        write = method.upper() != "GET"
        self._raise_for_status(response, what=what, write=write, not_found=not_found)
        return decode_json(response, what=what, write=write)

    def _raise_for_status(
        self, response: requests.Response, *, what: str, write: bool, not_found: str = ""
    ) -> None:
        """Turn a non-2xx answer into the matching typed error (docs/errors.md lists them)."""
        status = response.status_code
        if 200 <= status < 300:
            return
        busy = busy_error(response, what=what)
        if busy is not None:
            raise busy
        body = error_body(response)
        code, message = parsing.wp_error(body)
        detail = f"HTTP {status} {code}: {message or response.text[:200]!r}"
        if 300 <= status < 400:
            raise self._moved(response, what)
        if status == 401:
            if code in WRONG_CREDENTIALS:
                raise AuthenticationRefused(
                    N_("The marketplace did not accept this user name and application password.")
                    if self._method is AuthMethod.APP_PASSWORD
                    else N_("The marketplace did not accept this user name and password."),
                    detail=detail,
                    status=status,
                    code=code,
                )
            raise SignInFailed(
                self._ignored_sign_in(what) if code else blocked_message(response, what),
                detail=detail,
                status=status,
                code=code,
            )
        if status == 403:
            if code.startswith("jwt_auth_"):
                raise SignInFailed(
                    Sentence(
                        N_(
                            "The marketplace handed out a sign-in token but refused it on {what} "
                            "(“{words}”): the site's JWT plugin is set up inconsistently (its "
                            "secret key or the server's clock). Your password was not refused; "
                            "tell the marketplace's administrator."
                        ),
                        what=what,
                        words=message or code,
                    ),
                    detail=detail,
                    status=status,
                    code=code,
                )
            raise NotAllowed(
                Sentence(N_("The marketplace does not allow your account {what}."), what=what)
                if code
                else blocked_message(response, what),
                detail=detail,
                status=status,
                code=code,
            )
        if status == 404:
            if code == "rest_no_route":
                raise self._missing_route(response, what, detail)
            if not code and "/wp-json/" in response.url:
                raise InvalidResponse(
                    Sentence(NO_REST_API, base=self.base_url), detail=detail, status=status
                )
            if code == "wcfmapi_rest_invalid_shop_order_status":
                raise RuleRefused(
                    N_("The marketplace does not accept this order status."),
                    detail=detail,
                    status=status,
                    code=code,
                )
            raise NotFound(
                not_found or Sentence(N_("The marketplace found nothing for {what}."), what=what),
                detail=detail,
                status=status,
                code=code,
            )
        if status in (400, 409, 422):
            raise RuleRefused(
                Sentence(
                    N_("The marketplace refused {what}: {words}"),
                    what=what,
                    words=message or Sentence(N_("invalid request")),
                ),
                detail=detail,
                status=status,
                code=code,
            )
        if status >= 500:
            words = answer_words(response)
            said = f"HTTP {status}" + (f": “{words}”" if words else "")
            if write:
                raise WriteOutcomeUnknown(
                    Sentence(
                        N_(
                            "The marketplace failed while {what} ({said}); it may have done part "
                            "of it. The app checks before sending it again."
                        ),
                        what=what,
                        said=said,
                    ),
                    detail=detail,
                    status=status,
                    code=code,
                )
            raise ServerError(
                Sentence(
                    N_(
                        "The marketplace failed while {what} ({said}). Try again later; if it "
                        "keeps failing, tell the marketplace's administrator."
                    ),
                    what=what,
                    said=said,
                ),
                detail=detail,
                status=status,
                code=code,
            )
        raise InvalidResponse(
            Sentence(
                N_("The marketplace gave an unexpected answer to {what} (HTTP {status})."),
                what=what,
                status=status,
            ),
            detail=detail,
            status=status,
            code=code,
        )

    def _ignored_sign_in(self, what: str) -> str:
        """The message for a 401 "not logged in" although the request carried the sign-in."""
        if self._method is AuthMethod.COOKIE:
            template = N_(
                "The marketplace treated {what} as coming from someone not signed in, although "
                "the app had just signed in: the marketplace does not recognise its session (its "
                "address may differ from the site's own address, with or without www, http or "
                "https — check the account's address). Your password was not refused."
            )
        elif self._method is AuthMethod.JWT:
            template = N_(
                "The marketplace treated {what} as coming from someone not signed in, although "
                "the app sent its sign-in token: the site's web server drops the “Authorization” "
                "header before WordPress sees it (the JWT plugin's installation notes show the "
                "administrator how to pass it on). Your password was not refused."
            )
        else:
            template = N_(
                "The marketplace treated {what} as coming from someone not signed in, although "
                "the app sent its application password: the site's web server drops the "
                "“Authorization” header before WordPress sees it (the JWT plugin's installation "
                "notes show the administrator how to pass it on). Your password was not refused."
            )
        return Sentence(template, what=what)

    def _missing_route(
        self, response: requests.Response, what: str, detail: str
    ) -> CapabilityMissing:
        """404 ``rest_no_route``: which plugin is missing. A WCFM route is missing either because
        the whole ``wcfmmp/v1`` namespace is (the REST add-on is not active) or because the
        add-on is older than the route."""
        if API + "/" in response.url:
            index = self._rest_response("GET", "", what=Sentence(N_("checking the WCFM REST API")))
            if index.status_code == 404:
                return CapabilityMissing(REST_ADD_ON_MISSING, detail=detail, status=404)
            return CapabilityMissing(
                Sentence(
                    N_(
                        "The marketplace's WCFM REST API has no route for {what}: its add-on (the "
                        "plugin “WCFM – Multivendor Marketplace – REST API”) is older than this "
                        "app needs. Ask the marketplace's administrator to update it."
                    ),
                    what=what,
                ),
                detail=detail,
                status=404,
                code="rest_no_route",
            )
        return CapabilityMissing(
            Sentence(
                N_("This marketplace does not offer {what} (the route does not exist)."), what=what
            ),
            detail=detail,
            status=404,
            code="rest_no_route",
        )

    # --------------------------------------------------------------------- dashboard
    def _ajax(self, fields: Mapping[str, str], *, what: str, write: bool = False) -> Any:
        """One dashboard (admin-ajax) call with the cookie session and ``wcfm_ajax_nonce``.

        A bad-nonce answer means nothing was done: the session is renewed, the page re-scraped
        and the call sent once more. Returns the decoded JSON, or the raw text when the action
        prints something else (e.g. nothing).
        """
        self._ensure_auth()
        if self._method is AuthMethod.APP_PASSWORD:
            if write:
                raise ReadOnlyCredentials(APP_PASSWORD_WRITES)
            raise ReadOnlyCredentials(APP_PASSWORD_DASHBOARD)
        cookie = self._cookie_session()
        for attempt in (1, 2):
            data = dict(fields)
            data["wcfm_ajax_nonce"] = cookie.get_ajax_nonce()
            response = send(
                cookie.session,
                "POST",
                self.base_url + AJAX_URL,
                self._settings,
                what=what,
                idempotent=not write,  # the dashboard's reads are POSTs too
                data=data,
            )
            text = response.text.strip()
            session_lost = response.status_code in (401, 403) or (
                response.status_code in (301, 302, 303)
                and "wp-login" in response.headers.get("Location", "")
            )
            failure: str | None = None
            decoded: Any = text
            if response.status_code == 200 and text.startswith(("{", "[")):
                decoded = decode_json(response, what=what, write=write)
                failure = parsing.ajax_failure_message(decoded)
            if attempt == 1 and (session_lost or parsing.is_bad_nonce(failure)):
                log.info("dashboard session or nonce rejected; signing in again")
                cookie.renew()
                continue
            if session_lost or parsing.is_bad_nonce(failure):
                refused_detail = f"HTTP {response.status_code}: {text[:200]!r}"
                if response.status_code in (401, 403) and not text.startswith(("{", "[")):
                    raise SignInFailed(
                        blocked_message(response, what),
                        detail=refused_detail,
                        status=response.status_code,
                    )
                if session_lost:
                    raise SignInFailed(
                        Sentence(
                            N_(
                                "The marketplace's dashboard did not recognise the session while "
                                "{what}, even right after signing in again (its address may "
                                "differ from the site's own address, with or without www, http or "
                                "https — check the account's address). Your password was not "
                                "refused."
                            ),
                            what=what,
                        ),
                        detail=refused_detail,
                        status=response.status_code,
                    )
                raise SignInFailed(
                    Sentence(
                        N_(
                            "The marketplace's dashboard refused its own security code "
                            "(“{failure}”) while {what}, even right after signing in again: a "
                            "caching plugin may be serving an old copy of the /store-manager/ "
                            "page. Ask the marketplace's administrator to exclude /store-manager/ "
                            "from caching."
                        ),
                        failure=failure,
                        what=what,
                    ),
                    detail=refused_detail,
                    status=response.status_code,
                )
            if response.status_code == 400 and text in {"0", "-1"}:
                raise CapabilityMissing(
                    Sentence(
                        N_(
                            "This marketplace does not offer {what} (the dashboard action is "
                            "missing)."
                        ),
                        what=what,
                    ),
                    detail=f"admin-ajax {fields.get('action')}: 400 {text!r}",
                    status=400,
                )
            if response.status_code != 200:
                self._raise_for_status(response, what=what, write=write)
                raise InvalidResponse(
                    Sentence(N_("The marketplace gave an unexpected answer to {what}."), what=what),
                    detail=f"HTTP {response.status_code}",
                    status=response.status_code,
                )
            if failure is not None:
                if "permission" in failure.lower():
                    raise NotAllowed(failure, detail=f"admin-ajax {fields.get('action')}")
                raise RuleRefused(failure, detail=f"admin-ajax {fields.get('action')}")
            return decoded
        raise AssertionError("unreachable")

    # ============================================================================ orders
    @property
    def site_timezone(self) -> tzinfo:
        """The marketplace's timezone (known after the first request; UTC until then)."""
        return self._site_tz

    def list_order_entries(
        self,
        page: int = 1,
        per_page: int = MAX_PER_PAGE,
        *,
        after: date | None = None,
        before: date | None = None,
    ) -> list[tuple[Any, str | None]]:
        """One page of the order list as it came: each entry's decoded JSON (numbers as
        ``Decimal``) with its exact text, or None as text when the page needed the tolerant
        decoder. :meth:`list_orders` parses these; the sync's fast path turns them into cache
        rows directly (with :attr:`site_timezone`)."""
        if not 1 <= per_page <= MAX_PER_PAGE:
            raise ValueError(f"per_page must be 1..{MAX_PER_PAGE}")
        if page < 1:
            raise ValueError("page starts at 1")
        if (after is None) != (before is None):
            raise ValueError("the marketplace filters dates only with both after and before")
        params: dict[str, Any] = {"page": page, "per_page": per_page}
        if after is not None and before is not None:
            params["after"] = after.isoformat()
            params["before"] = before.isoformat()
        what = Sentence(N_("reading your orders"))
        response = self._rest_response("GET", "/orders", what=what, params=params)
        self._raise_for_status(response, what=what, write=False)
        # Decode entry by entry to keep each order's exact text (the cache stores it as the raw
        # JSON without encoding it again); anything unusual goes through the tolerant decoder.
        elements = parsing.split_json_array(response.text)
        if elements is not None:
            entries: list[tuple[Any, str | None]] = list(elements)
        else:
            data = decode_json(response, what=what)
            if not isinstance(data, list):
                parsing.parse_orders(data, self._site_tz)  # raises the parser's error
            entries = [(entry, None) for entry in data]
        if entries and self._currency is None and isinstance(entries[0][0], Mapping):
            self._currency = parsing.as_text(entries[0][0].get("currency")) or "USD"
        return entries

    def list_orders(
        self,
        page: int = 1,
        per_page: int = MAX_PER_PAGE,
        *,
        after: date | None = None,
        before: date | None = None,
    ) -> list[Order]:
        entries = self.list_order_entries(page, per_page, after=after, before=before)
        return [parsing.parse_order(data, self._site_tz, json_text=text) for data, text in entries]

    def iter_order_pages(
        self,
        per_page: int = MAX_PER_PAGE,
        *,
        after: date | None = None,
        before: date | None = None,
    ) -> Iterator[list[Order]]:
        page = 1
        seen_last: tuple[int, ...] = ()
        while True:
            orders = self.list_orders(page, per_page, after=after, before=before)
            ids = tuple(order.id for order in orders)
            if orders and ids == seen_last:
                # A marketplace that ignores ``page`` would loop forever: stop instead.
                raise InvalidResponse(
                    "The marketplace keeps sending the same page of orders.",
                    detail=f"page {page} repeats page {page - 1}",
                )
            if orders:
                yield orders
            if len(orders) < per_page:
                return
            seen_last = ids
            page += 1

    def get_order(self, order_id: int) -> Order:
        data = self._rest_json(
            "GET",
            f"/orders/{int(order_id)}",
            what=Sentence(N_("reading order #{order}"), order=order_id),
            not_found=Sentence(
                N_("Order #{order} was not found among your orders."), order=order_id
            ),
        )
        return parsing.parse_order(data, self._site_tz)

    def set_status(self, order_id: int, status: OrderStatus) -> Order:
        if status == OrderStatus.REFUNDED:
            raise RuleRefused(N_("Refunds go through a refund request, not a status change."))
        if status == OrderStatus.SHIPPED:
            raise RuleRefused(N_("An order becomes shipped by adding tracking to its items."))
        if status not in rules.SETTABLE_STATUSES:
            raise RuleRefused(
                Sentence(
                    N_("“{status}” is not a status the marketplace accepts."), status=status.label
                )
            )
        data = self._rest_json(
            "PUT",
            f"/orders/{int(order_id)}",
            what=Sentence(N_("changing the status of order #{order}"), order=order_id),
            json_body={"status": status.slug},  # never with the wc- prefix
            not_found=Sentence(
                N_("Order #{order} was not found among your orders."), order=order_id
            ),
        )
        if not isinstance(data, Mapping):
            raise WriteOutcomeUnknown(
                Sentence(
                    N_(
                        "The marketplace's answer to the status change of order #{order} was "
                        "not the order; the app checks before sending it again."
                    ),
                    order=order_id,
                ),
                detail=repr(data)[:200],
            )
        return parsing.parse_order(data, self._site_tz)

    def mark_complete(self, order_id: int) -> Order:
        return self.set_status(order_id, OrderStatus.COMPLETED)

    # ============================================================================= notes
    def list_notes(self, order_id: int) -> list[Note]:
        data = self._rest_json(
            "GET",
            f"/orders/note/{int(order_id)}",
            what=Sentence(N_("reading the notes of order #{order}"), order=order_id),
        )
        return parsing.parse_notes(data, self._site_tz)

    def add_note(self, order_id: int, text: str, kind: NoteKind) -> list[Note]:
        if not text.strip():
            raise RuleRefused(N_("The note is empty."))
        self._refuse_app_password_write()
        self.get_order(order_id)  # the marketplace checks no ownership: we do
        what = Sentence(N_("adding a note to order #{order}"), order=order_id)
        response = self._rest_response(
            "POST",
            f"/orders/note/{int(order_id)}",
            what=what,
            json_body={"note": text, "note_type": NoteKind(kind).value},
        )
        if response.status_code == 500 and self.capabilities().ultimate is not True:
            raise CapabilityMissing(NOTES_NEED_ULTIMATE, detail=response.text[:200], status=500)
        self._raise_for_status(response, what=what, write=True)
        return parsing.parse_notes(decode_json(response, what=what, write=True), self._site_tz)

    # ========================================================================== tracking
    def add_tracking(
        self,
        order_id: int,
        item_ids: Sequence[int],
        tracking_code: str,
        tracking_url: str,
        *,
        known: Order | None = None,
    ) -> Order:
        code = tracking_code.strip()
        url = tracking_url.strip()
        if not item_ids:
            raise RuleRefused(N_("Choose at least one item to ship."))
        if not code or not url:
            raise RuleRefused(
                N_("The marketplace needs both a tracking number and a tracking URL.")
            )
        if not url.lower().startswith(("https://", "http://")):
            raise RuleRefused(N_("The tracking URL must start with https:// or http://."))
        self._refuse_app_password_write()
        order = known if known is not None and known.id == order_id else self.get_order(order_id)
        wanted = list(dict.fromkeys(int(item_id) for item_id in item_ids))
        foreign = rules.foreign_item_ids(order, wanted)
        if foreign:
            raise RuleRefused(
                Sentence(
                    N_(
                        "Only your own items can be marked shipped; not yours in order "
                        "#{order}: {items}."
                    ),
                    order=order_id,
                    items=", ".join(str(i) for i in foreign),
                ),
            )
        product_ids = [order.item(item_id).product_id for item_id in wanted]  # type: ignore[union-attr]
        what = Sentence(N_("adding tracking to order #{order}"), order=order_id)
        response = self._rest_response(
            "POST",
            "/orders/shipment_tracking",
            what=what,
            json_body={
                "order_id": order.id,
                "item_id": ",".join(str(i) for i in wanted),
                "product_id": ",".join(str(p) for p in product_ids),
                # The marketplace glues these into a query string and parses it back without
                # encoding them first (wcfm-api.md §3.6): percent-encode once so `&#+%` survive.
                "tracking_code": quote(code, safe=""),
                "tracking_url": quote(url, safe=""),
            },
        )
        self._raise_for_status(response, what=what, write=True)
        answer: Any = None
        if response.text.strip():
            answer = decode_json(response, what=what, write=True)
        if answer in (None, "", []) or parsing.parse_tracking_answer(answer) is None:
            raise CapabilityMissing(
                TRACKING_NEEDS_ULTIMATE, detail=f"answer: {response.text[:100]!r}"
            )
        after = self.get_order(order_id)
        for item_id in wanted:
            item = after.item(item_id)
            if item is None or item.tracking_code != code or item.tracking_url != url:
                found = (item.tracking_code, item.tracking_url) if item else None
                raise CapabilityMissing(TRACKING_NOT_STORED, detail=f"item {item_id}: {found!r}")
        return after

    def _refuse_app_password_write(self) -> None:
        self._ensure_auth()
        if self._method is AuthMethod.APP_PASSWORD:
            raise ReadOnlyCredentials(APP_PASSWORD_WRITES)

    # =========================================================================== refunds
    def request_refund(
        self,
        order_id: int,
        mode: RefundMode,
        lines: Sequence[RefundLine],
        reason: str,
        *,
        known: Order | None = None,
    ) -> None:
        reason = reason.strip()
        if not reason:
            raise RuleRefused(N_("Give a reason for the refund; the customer will see it."))
        self._refuse_app_password_write()
        order = known if known is not None and known.id == order_id else self.get_order(order_id)
        verdict = rules.check_refund_lines(order, RefundMode(mode), lines)
        if not verdict:
            raise RuleRefused(join_sentences(verdict.reasons))
        sent: list[RefundLine] = []
        for line in lines:
            item = order.item(line.item_id)
            assert item is not None  # checked above
            if mode is RefundMode.FULL:  # the marketplace recomputes full refunds itself
                line = RefundLine(item.item_id, item.quantity, item.total)
            sent.append(line)
        answer = self._ajax(
            {
                "action": "wcfm_ajax_controller",
                "controller": "wcfm-refund-requests-form",
                # the whole popup form travels URL-encoded inside this one field
                "wcfm_refund_requests_form": refund_form(order.id, mode, sent, reason),
            },
            what=Sentence(N_("requesting a refund for order #{order}"), order=order_id),
            write=True,
        )
        self._expect_ajax_success(
            answer, what=Sentence(N_("the refund request for order #{order}"), order=order_id)
        )

    def list_refund_requests(
        self, status: RefundRequestStatus | None = None
    ) -> list[RefundRequest]:
        statuses = [status] if status is not None else list(RefundRequestStatus)
        currency = self._store_currency()
        found: list[RefundRequest] = []
        for wanted in statuses:
            start = 0
            page_size = 100
            while True:
                table = self._ajax(
                    {
                        "action": "wcfm_ajax_controller",
                        "controller": "wcfm-refund-requests",
                        "status_type": wanted.marketplace_value,
                        "draw": "1",
                        "start": str(start),
                        "length": str(page_size),
                    },
                    what=Sentence(N_("reading your refund requests")),
                )
                rows, _total = parsing.parse_refund_requests_table(
                    table, status=wanted, currency=currency, site_tz=self._site_tz
                )
                found.extend(rows)
                if len(rows) < page_size:
                    break
                start += page_size
        return found

    # ===================================================================== messages/board
    def send_message_to_admin(self, text: str) -> None:
        if not text.strip():
            raise RuleRefused(N_("The message is empty."))
        answer = self._ajax(
            {
                "action": "wcfm_ajax_controller",
                "controller": "wcfm-message-sent",
                "wcfm_messages": text,
                "direct_to": "0",
            },
            what=Sentence(N_("sending your message to the marketplace")),
            write=True,
        )
        self._expect_ajax_success(answer, what=Sentence(N_("your message")))

    def list_notifications(
        self, *, read: bool = False, page: int = 1, per_page: int = 50
    ) -> list[Notification]:
        data = self._rest_json(
            "GET",
            "/notifications",
            what=Sentence(N_("reading your notifications")),
            params={
                "notification_status": "read" if read else "unread",
                "page": page,
                "per_page": per_page,
            },
        )
        return parsing.parse_notifications(data, read=read, site_tz=self._site_tz)

    def iter_notifications(
        self, *, read: bool = False, per_page: int = 50
    ) -> Iterator[Notification]:
        """Every notification of the board, newest first (pages until a short one)."""
        page = 1
        while True:
            batch = self.list_notifications(read=read, page=page, per_page=per_page)
            yield from batch
            if len(batch) < per_page:
                return
            page += 1

    def mark_notification_read(self, notification_id: int) -> None:
        self._ajax(
            {"action": "wcfm_messages_mark_read", "messageid": str(int(notification_id))},
            what=Sentence(N_("marking the notification read")),
            write=True,
        )

    # ======================================================================= store & stats
    def sales_stats(self) -> SalesStats:
        data = self._rest_json(
            "GET", "/sales-stats", what=Sentence(N_("reading your sales figures"))
        )
        stats = parsing.parse_sales_stats(data)
        self._currency = self._currency or stats.currency
        return stats

    def store_settings(self) -> StoreSettings:
        return self._store_settings_of(self.identify().vendor_id)

    # ==================================================================== store invoice
    def download_store_invoice(self, order: Order, *, vendor_id: int | None = None) -> bytes | None:
        """The store invoice WCFM Ultimate filed for this vendor's part of ``order`` (PDF bytes),
        or None when the order carries none (free edition, store invoices off, not mailed yet).

        The path comes from the order meta ``_wcfm_store_invoices`` in ``order.raw``; when the
        order was loaded without its JSON (no ``meta_data`` at all) it is read again first. The
        file is a public static one under the site's uploads: no credentials are sent.

        Args:
            vendor_id: whose invoice; the signed-in vendor by default.

        Raises:
            NotFound: the order names an invoice the site does not have (404).
            InvalidResponse: the answer is not a PDF.
        """
        vendor = self.identify().vendor_id if vendor_id is None else vendor_id
        raw: Mapping[str, Any] = order.raw
        if "meta_data" not in raw:
            raw = self.get_order(order.id).raw
        server_path = invoices.store_invoice_path(raw, vendor)
        if server_path is None:
            return None
        url = invoices.store_invoice_url(self.base_url, server_path)
        if url is None:
            log.warning("store invoice of order %s outside the uploads: %r", order.id, server_path)
            return None
        return self.fetch_store_invoice(url, order_number=order.number)

    def fetch_store_invoice(self, url: str, *, order_number: str = "") -> bytes:
        """GET a store invoice by its public address (see :func:`invoices.store_invoice_url`).

        Only addresses on this marketplace (same scheme, host and port) under its
        ``wp-content/uploads`` are fetched; redirects are not followed.

        Raises:
            RuleRefused: ``url`` is on another site or outside the uploads (nothing is sent).
            NotFound: 404. InvalidResponse: not a PDF, or an unexpected answer.
        """
        what = Sentence(
            N_("downloading the store invoice of order #{order}"), order=order_number or "?"
        )
        site = urlsplit(self.base_url)
        target = urlsplit(url)
        default_ports = {"http": 80, "https": 443}

        def origin(parts: SplitResult) -> tuple[str, str | None, int | None]:
            scheme = parts.scheme.lower()
            return scheme, parts.hostname, parts.port or default_ports.get(scheme)

        try:
            same_origin = origin(target) == origin(site)
        except ValueError:  # an invalid port in ``url``
            same_origin = False
        uploads = f"{site.path.rstrip('/')}/{invoices.UPLOADS_DIR}"
        if not same_origin or not target.path.startswith(uploads):
            raise RuleRefused(
                N_(
                    "The store invoice's address is not on your marketplace; the app does not "
                    "download it."
                ),
                detail=f"refused {url!r} (marketplace {self.base_url!r})",
            )
        response = send(self._session, "GET", url, self._settings, what=what)
        if 300 <= response.status_code < 400:
            raise InvalidResponse(
                Sentence(N_("The marketplace redirected elsewhere while {what}."), what=what),
                detail=f"HTTP {response.status_code} to {response.headers.get('Location')!r}",
                status=response.status_code,
            )
        self._raise_for_status(
            response,
            what=what,
            write=False,
            not_found=N_("The marketplace no longer has the store invoice of this order."),
        )
        content = response.content
        if not invoices.looks_like_pdf(content):
            content_type = response.headers.get("Content-Type", "")
            raise InvalidResponse(
                Sentence(
                    N_("The marketplace's answer to {what} is not a PDF document."), what=what
                ),
                detail=f"Content-Type {content_type!r}, {len(content)} bytes: {content[:80]!r}",
                status=response.status_code,
            )
        return content

    def _store_settings_of(self, vendor_id: int) -> StoreSettings:
        data = self._rest_json(
            "GET",
            f"/settings/id/{int(vendor_id)}",
            what=Sentence(N_("reading your store settings")),
        )
        return parsing.parse_store_settings(data)

    def _store_currency(self) -> str:
        if self._currency is None:
            self.sales_stats()
        return self._currency or "USD"

    @staticmethod
    def _expect_ajax_success(answer: Any, *, what: str) -> None:
        if isinstance(answer, Mapping) and (
            answer.get("status") is True or answer.get("success") is True
        ):
            return
        raise WriteOutcomeUnknown(
            Sentence(
                N_(
                    "The marketplace's answer to {what} did not say whether it worked; the app "
                    "checks before sending it again."
                ),
                what=what,
            ),
            detail=repr(answer)[:200],
        )


__all__ = ["MAX_PER_PAGE", "Marketplace", "MarketplaceError", "WcfmMarketplace"]
