"""The WordPress REST surface: ``/wp-json/wcfmmp/v1/…``, ``/wp-json/jwt-auth/v1/…`` and the bit of
``/wp-json/wc/v3/orders`` the admin views need.

:class:`RestApi` does what ``WP_REST_Server::serve_request`` does, in the same order:

1. method override (``?_method=`` / ``X-HTTP-Method-Override``), trailing slash dropped;
2. authentication errors first (bad app password 401, bad Bearer 403 — even on public routes);
3. route matching (``404 rest_no_route``), then argument validation (``400``), then the
   permission callback (``401``/``403 rest_forbidden``), then the handler;
4. the headers the real site sends: ``Link``, CORS expose/allow headers, ``Allow`` (methods the
   caller may use on the matched route), no-cache headers for logged-in callers,
   ``Vary: Origin`` for anonymous GETs, ``X-WP-Nonce`` back to cookie callers. Never
   ``X-WP-Total``: the WCFM routes do not send totals.

Handlers return a JSON-able payload (200), a ready :class:`Response`, or raise :class:`RestError`.
Callers of :meth:`RestApi.handle` need not hold ``state.lock``; handlers take it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import unquote_plus

from vendor_desk.sandbox import admin_orders, render
from vendor_desk.sandbox.auth import Authenticator, Identity
from vendor_desk.sandbox.http import JSON_CONTENT_TYPE, Request, Response
from vendor_desk.sandbox.model import WC_ORDER_STATUSES, MarketplaceState, Order, User, utcnow
from vendor_desk.sandbox.operations import (
    OperationError,
    add_note,
    add_vendor_note,
    set_main_status,
    set_vendor_status,
    ship_items,
)
from vendor_desk.sandbox.route_index import (
    COLLECTION_ARGS,
    ID_ARG,
    STATUS_ARG,
    USER_PROFILE_ARGS,
    ArgSchema,
    Endpoint,
    Route,
    namespace_index,
    namespace_root_route,
    route_data,
    with_id,
)

REST_PREFIX = "/wp-json"
EDITABLE = ("POST", "PUT", "PATCH")

CRITICAL_ERROR_MESSAGE = (
    "<p>There has been a critical error on this website.</p><p><a "
    'href="https://wordpress.org/documentation/article/faq-troubleshooting/">'
    "Learn more about troubleshooting WordPress.</a></p>"
)

#: ``GET /restricted-capabilities``: the site's global WCFM capability option ("yes" = restricted).
RESTRICTED_CAPABILITIES = {
    "wp_admin_view": "yes",
    "manage_vendors": "yes",
    "manage_commission": "yes",
    "capability_controller": "yes",
}


class RestError(Exception):
    """A ``WP_Error`` returned by a handler: ``{"code", "message", "data": {"status", …}}``."""

    def __init__(self, code: str, message: str, status: int, **data: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.data = data

    def body(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": self.message,
            "data": {"status": self.status, **self.data},
        }


class CriticalError(RestError):
    """A PHP fatal inside a handler: WordPress's shutdown handler answers, without ``Allow``."""

    def __init__(self) -> None:
        super().__init__("internal_server_error", CRITICAL_ERROR_MESSAGE, 500)

    def body(self) -> dict[str, Any]:
        return {**super().body(), "additional_errors": []}


def forbidden(identity: Identity) -> RestError:
    status = 403 if identity.logged_in else 401
    return RestError("rest_forbidden", "Sorry, you are not allowed to do that.", status)


@dataclass
class RestContext:
    """Everything a handler sees."""

    api: RestApi
    request: Request
    method: str
    identity: Identity
    params: dict[str, Any]
    url_params: dict[str, str] = field(default_factory=dict)

    @property
    def state(self) -> MarketplaceState:
        return self.api.state

    @property
    def user(self) -> User:
        assert self.identity.user is not None  # permission callbacks ran before
        return self.identity.user

    @property
    def is_admin(self) -> bool:
        return self.identity.user is not None and self.identity.user.role == "administrator"

    def url_int(self, name: str) -> int:
        return int(self.url_params[name])


# ------------------------------------------------------------------ PHP helpers
def php_empty(value: Any) -> bool:
    return value in (None, False, 0, "", "0") or value == [] or value == {}


def php_str(value: Any) -> str:
    """PHP string conversion, as ``.`` concatenation does it."""
    if value is None or value is False:
        return ""
    if value is True:
        return "1"
    if isinstance(value, (list, dict)):
        return "Array"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def php_intval(value: Any) -> int:
    """``absint``/``intval`` of a string: the leading digits, 0 when there are none."""
    match = re.match(r"\s*[+-]?\d+", php_str(value))
    return abs(int(match.group())) if match else 0


def php_parse_str(query: str) -> dict[str, str]:
    """PHP ``parse_str`` for flat keys: split on ``&``, URL-decode (``+`` is a space), later keys
    win but keep their first position; ``.`` and spaces in names become ``_``."""
    result: dict[str, str] = {}
    for part in query.split("&"):
        if not part:
            continue
        key, _, value = part.partition("=")
        name = unquote_plus(key).lstrip(" ")
        if not name:
            continue
        name = re.sub(r"[. ]", "_", name)
        result[name] = unquote_plus(value)
    return result


def php_stripslashes(text: str) -> str:
    return re.sub(r"\\(.?)", lambda m: m.group(1), text, flags=re.DOTALL)


_ALLOWED_TAGS = frozenset(
    {
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "code",
        "del",
        "div",
        "em",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "li",
        "ol",
        "p",
        "pre",
        "s",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "u",
        "ul",
    }
)


def kses_post(text: str) -> str:
    """A light ``wp_kses_post``: tags outside the post whitelist are dropped (their text stays),
    event-handler attributes and ``javascript:`` URLs go."""

    def tag(match: re.Match[str]) -> str:
        if match.group(1).lower() not in _ALLOWED_TAGS:
            return ""
        cleaned = re.sub(r"(?i)\s+on\w+\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+)", "", match.group(0))
        return re.sub(r"(?i)javascript:", "", cleaned)

    return re.sub(r"</?([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>", tag, text)


# ------------------------------------------------------------------ argument validation
def _is_integer(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    if isinstance(value, float):
        return value.is_integer()
    if isinstance(value, str):
        try:
            return float(value.strip()).is_integer() if value.strip() else False
        except ValueError:
            return False
    return False


def _join_enum(values: list[Any]) -> str:
    items = [str(v) for v in values]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _check_arg(name: str, value: Any, schema: ArgSchema) -> tuple[str, str] | None:
    """``rest_validate_value_from_schema`` for the types our routes declare."""
    kind = schema.get("type")
    if kind == "integer":
        if not _is_integer(value):
            return "rest_invalid_type", f"{name} is not of type integer."
        number = int(float(value))
        low, high = schema.get("minimum"), schema.get("maximum")
        if low is not None and high is not None and not low <= number <= high:
            return (
                "rest_out_of_bounds",
                f"{name} must be between {low} (inclusive) and {high} (inclusive)",
            )
        if low is not None and number < low:
            return "rest_out_of_bounds", f"{name} must be greater than or equal to {low}"
        if high is not None and number > high:
            return "rest_out_of_bounds", f"{name} must be less than or equal to {high}"
    elif kind == "string" and not isinstance(value, str):
        return "rest_invalid_type", f"{name} is not of type string."
    if "enum" in schema and value not in schema["enum"]:
        return "rest_not_in_enum", f"{name} is not one of {_join_enum(list(schema['enum']))}."
    return None


def validate_args(args: Mapping[str, ArgSchema] | None, params: dict[str, Any]) -> dict[str, Any]:
    """Required params, then types and bounds; defaults applied and integers sanitised."""
    if not args:
        return params
    missing = [
        name for name, schema in args.items() if schema.get("required") and params.get(name) is None
    ]
    if missing:
        raise RestError(
            "rest_missing_callback_param",
            f"Missing parameter(s): {', '.join(missing)}",
            400,
            params=missing,
        )
    invalid: dict[str, str] = {}
    details: dict[str, Any] = {}
    for name, schema in args.items():
        if name not in params:
            continue
        problem = _check_arg(name, params[name], schema)
        if problem:
            invalid[name] = problem[1]
            details[name] = {"code": problem[0], "message": problem[1], "data": None}
    if invalid:
        raise RestError(
            "rest_invalid_param",
            f"Invalid parameter(s): {', '.join(invalid)}",
            400,
            params=invalid,
            details=details,
        )
    result = dict(params)
    for name, schema in args.items():
        if name not in result and "default" in schema:
            result[name] = schema["default"]
        elif name in result and schema.get("type") == "integer":
            result[name] = int(float(result[name]))
    return result


# ------------------------------------------------------------------ permissions
def allow_public(ctx: RestContext) -> bool:
    return True


def allow_logged_in(ctx: RestContext) -> bool:
    return ctx.identity.logged_in


def allow_vendor_or_admin(ctx: RestContext) -> bool:
    """REST add-on 1.6.x: logged in and (vendor or administrator)."""
    user = ctx.identity.user
    return user is not None and (user.is_vendor or user.role == "administrator")


def allow_own_settings(ctx: RestContext) -> bool:
    user = ctx.identity.user
    if user is None:
        return False
    if user.role == "administrator":
        return True
    if not user.is_vendor:
        return False
    if "id" in ctx.url_params:
        return ctx.url_int("id") == user.id
    return unquote_plus(ctx.url_params.get("email", "")).lower() == user.email.lower()


def allow_wc_orders(ctx: RestContext) -> bool | RestError:
    """WooCommerce's ``wc_rest_check_post_permissions``: administrators only here."""
    if ctx.is_admin:
        return True
    status = 403 if ctx.identity.logged_in else 401
    if ctx.method == "DELETE":
        return RestError(
            "woocommerce_rest_cannot_delete",
            "Sorry, you are not allowed to delete this resource.",
            status,
        )
    if ctx.method in EDITABLE:
        return RestError(
            "woocommerce_rest_cannot_edit",
            "Sorry, you are not allowed to edit this resource.",
            status,
        )
    if "id" in ctx.url_params:
        return RestError(
            "woocommerce_rest_cannot_view", "Sorry, you cannot view this resource.", status
        )
    return RestError("woocommerce_rest_cannot_view", "Sorry, you cannot list resources.", status)


# ------------------------------------------------------------------ the API
class RestApi:
    """Routes WordPress REST requests to the simulated plugins."""

    def __init__(
        self,
        state: MarketplaceState,
        auth: Authenticator,
        *,
        base_url: Callable[[], str],
    ) -> None:
        self.state = state
        self.auth = auth
        self._base_url = base_url
        self.routes: list[Route] = self._build_routes()

    @property
    def base_url(self) -> str:
        return self._base_url()

    # -------------------------------------------------------------- dispatch
    @staticmethod
    def rest_route(request: Request) -> str | None:
        """The REST route of a request (``/wcfmmp/v1/orders``), or None if it is not REST."""
        if request.path == REST_PREFIX or request.path.startswith(REST_PREFIX + "/"):
            route = request.path[len(REST_PREFIX) :] or "/"
        elif request.arg("rest_route") is not None:
            route = request.arg("rest_route") or "/"
        else:
            return None
        return route.rstrip("/") or "/"

    def handle(self, request: Request) -> Response | None:
        route_path = self.rest_route(request)
        if route_path is None:
            return None
        method = (
            request.arg("_method") or request.header("x-http-method-override") or request.method
        )
        method = method.upper()
        identity = Identity()
        matched: Route | None = None
        allow = True
        try:
            if route_path != "/jwt-auth/v1/token/validate":
                identity, auth_error = self.auth.authenticate(request)
                if auth_error is not None:
                    return self._finish(auth_error, identity, method, None, request)
            if method == "OPTIONS":
                # WordPress answers OPTIONS on any route with the route's own index entry.
                for route in self.routes:
                    if route.regex.match(route_path):
                        return self._finish(
                            _json(route_data(route, self.base_url), 200),
                            identity,
                            method,
                            route,
                            request,
                        )
            matched, endpoint, url_params = self._match(route_path, method)
            if matched is None or endpoint is None:
                raise RestError(
                    "rest_no_route", "No route was found matching the URL and request method.", 404
                )
            ctx = RestContext(self, request, method, identity, {}, url_params)
            ctx.params = validate_args(endpoint.args, self._params(request, url_params))
            permitted = endpoint.permission(ctx)
            if isinstance(permitted, RestError):
                raise permitted
            if not permitted:
                raise forbidden(identity)
            result = endpoint.handler(ctx)
            response = result if isinstance(result, Response) else _json(result, 200)
        except CriticalError as error:
            allow = False
            response = _json(error.body(), error.status)
        except RestError as error:
            response = _json(error.body(), error.status)
        return self._finish(response, identity, method, matched if allow else None, request)

    def _match(
        self, path: str, method: str
    ) -> tuple[Route | None, Endpoint | None, dict[str, str]]:
        lookup = "GET" if method == "HEAD" else method
        first_route: Route | None = None
        for route in self.routes:
            match = route.regex.match(path)
            if not match:
                continue
            first_route = first_route or route
            for endpoint in route.endpoints:
                if lookup in endpoint.methods:
                    return (
                        route,
                        endpoint,
                        {k: v for k, v in match.groupdict().items() if v is not None},
                    )
        return None, None, {}

    @staticmethod
    def _params(request: Request, url_params: dict[str, str]) -> dict[str, Any]:
        params: dict[str, Any] = {key: values[0] for key, values in request.query.items() if values}
        if request.content_type == "application/json" and request.body.strip():
            try:
                body = json.loads(request.body)
            except ValueError:
                raise RestError(
                    "rest_invalid_json",
                    "Invalid JSON body passed.",
                    400,
                    json_error_code=4,
                    json_error_message="Syntax error",
                ) from None
            if isinstance(body, dict):
                params.update(body)
        else:
            for key, values in request.form().items():
                if values:
                    params[key] = values[-1]
        params.update(url_params)
        return params

    def _finish(
        self,
        response: Response,
        identity: Identity,
        method: str,
        route: Route | None,
        request: Request,
    ) -> Response:
        base = self.base_url
        headers: list[tuple[str, str]] = []
        content_type = response.header("Content-Type")
        if content_type:
            headers.append(("Content-Type", content_type))
        headers += [
            ("X-Robots-Tag", "noindex"),
            ("Link", f'<{base}/wp-json/>; rel="https://api.w.org/"'),
            ("X-Content-Type-Options", "nosniff"),
            ("Access-Control-Expose-Headers", "X-WP-Total, X-WP-TotalPages, Link"),
            (
                "Access-Control-Allow-Headers",
                "Authorization, X-WP-Nonce, Content-Disposition, Content-MD5, Content-Type",
            ),
        ]
        if identity.method == "cookie" and identity.nonce:
            headers.append(("X-WP-Nonce", identity.nonce))
        if route is not None:
            allowed = self._allowed_methods(route, identity, request)
            if allowed:
                headers.append(("Allow", ", ".join(allowed)))
        if identity.logged_in:
            headers.append(("Expires", "Wed, 11 Jan 1984 05:00:00 GMT"))
            headers.append(
                ("Cache-Control", "no-cache, must-revalidate, max-age=0, no-store, private")
            )
        elif method in ("GET", "HEAD"):
            headers.append(("Vary", "Origin"))
        headers += [(k, v) for k, v in response.headers if k.lower() != "content-type"]
        body = b"" if method == "HEAD" else response.body
        return Response(response.status, body, headers, orders=response.orders)

    def _allowed_methods(self, route: Route, identity: Identity, request: Request) -> list[str]:
        ctx = RestContext(self, request, "GET", identity, {}, {})
        match = route.regex.match(self.rest_route(request) or "")
        if match:
            ctx.url_params = {k: v for k, v in match.groupdict().items() if v is not None}
        allowed: list[str] = []
        for endpoint in route.endpoints:
            ctx.method = endpoint.methods[0]
            if endpoint.permission(ctx) is True:
                allowed.extend(m for m in endpoint.methods if m not in allowed)
        return allowed

    # -------------------------------------------------------------- route table
    def _build_routes(self) -> list[Route]:
        ns = "wcfmmp/v1"
        p = f"/{ns}"
        vendor = allow_vendor_or_admin
        routes = [
            namespace_root_route(ns, self.namespace_index, allow_public),
            Route(
                ns, f"{p}/orders", (Endpoint(("GET",), self.orders_list, vendor, COLLECTION_ARGS),)
            ),
            Route(
                ns,
                f"{p}/orders/(?P<id>[\\d]+)",
                (
                    Endpoint(("GET",), self.order_get, vendor, with_id(COLLECTION_ARGS)),
                    Endpoint(
                        EDITABLE, self.order_update, vendor, {"id": ID_ARG, "status": STATUS_ARG}
                    ),
                ),
            ),
            Route(
                ns,
                f"{p}/orders/note/(?P<id>[\\d]+)",
                (
                    Endpoint(("GET",), self.notes_get, vendor, with_id(COLLECTION_ARGS)),
                    Endpoint(EDITABLE, self.notes_add, vendor, with_id({})),
                ),
            ),
            Route(
                ns,
                f"{p}/orders/shipment_tracking",
                (Endpoint(EDITABLE, self.shipment_tracking, vendor),),
            ),
            Route(
                ns,
                f"{p}/settings/email/(?P<email>.+)",
                (Endpoint(("GET",), self.settings, allow_own_settings, COLLECTION_ARGS),),
            ),
            Route(
                ns,
                f"{p}/settings/id/(?P<id>[\\d]+)",
                (Endpoint(("GET",), self.settings, allow_own_settings, COLLECTION_ARGS),),
            ),
            Route(
                ns,
                f"{p}/restricted-capabilities",
                (
                    Endpoint(
                        ("GET",), self.restricted_capabilities, allow_logged_in, COLLECTION_ARGS
                    ),
                ),
            ),
            Route(
                ns,
                f"{p}/notifications",
                (Endpoint(("GET",), self.notifications, vendor, COLLECTION_ARGS),),
            ),
            Route(
                ns,
                f"{p}/sales-stats",
                (Endpoint(("GET",), self.sales_stats, vendor, COLLECTION_ARGS),),
            ),
            Route(
                ns,
                f"{p}/user-profile",
                (
                    Endpoint(("GET",), self.user_profile, allow_logged_in, USER_PROFILE_ARGS),
                    Endpoint(
                        ("POST",), self.user_profile_update, allow_logged_in, USER_PROFILE_ARGS
                    ),
                ),
            ),
            # JWT Authentication for WP REST API
            namespace_root_route("jwt-auth/v1", self.namespace_index, allow_public),
            Route(
                "jwt-auth/v1",
                "/jwt-auth/v1/token",
                (Endpoint(("POST",), self.jwt_token, allow_public, {}),),
            ),
            Route(
                "jwt-auth/v1",
                "/jwt-auth/v1/token/validate",
                (Endpoint(("POST",), self.jwt_validate, allow_public, {}),),
            ),
            # WooCommerce's own API, for the admin's view of orders
            namespace_root_route("wc/v3", self.namespace_index, allow_public),
            Route(
                "wc/v3",
                "/wc/v3/orders",
                (
                    Endpoint(("GET",), self.wc_orders_list, allow_wc_orders, {}),
                    Endpoint(("POST",), self.wc_order_create, allow_wc_orders, {}),
                ),
            ),
            Route(
                "wc/v3",
                "/wc/v3/orders/(?P<id>[\\d]+)",
                (
                    Endpoint(("GET",), self.wc_order_get, allow_wc_orders, {}),
                    Endpoint(EDITABLE, self.wc_order_update, allow_wc_orders, {}),
                    Endpoint(("DELETE",), self.wc_order_delete, allow_wc_orders, {}),
                ),
            ),
            Route(
                "wc/v3",
                "/wc/v3/orders/(?P<order_id>[\\d]+)/refunds",
                (
                    Endpoint(("GET",), self.wc_refunds_list, allow_wc_orders, {}),
                    Endpoint(("POST",), self.wc_refund_create, allow_wc_orders, {}),
                ),
            ),
            Route(
                "wc/v3",
                "/wc/v3/orders/(?P<order_id>[\\d]+)/notes",
                (
                    Endpoint(("GET",), self.wc_notes_list, allow_wc_orders, {}),
                    Endpoint(("POST",), self.wc_note_create, allow_wc_orders, {}),
                ),
            ),
            Route("", "/", (Endpoint(("GET",), self.site_index, allow_public, {}),)),
        ]
        return routes

    # -------------------------------------------------------------- indexes
    def namespace_index(self, ctx: RestContext) -> Any:
        path = self.rest_route(ctx.request) or ""
        return namespace_index(self.routes, path.strip("/"), self.base_url)

    def site_index(self, ctx: RestContext) -> Any:
        settings = self.state.settings
        namespaces: list[str] = []
        for route in self.routes:
            if route.namespace and route.namespace not in namespaces:
                namespaces.append(route.namespace)
        return {
            "name": settings.site_name,
            "description": "",
            "url": self.base_url,
            "home": self.base_url,
            "gmt_offset": "0",
            "timezone_string": "UTC",
            "namespaces": namespaces,
            "authentication": {},
            "routes": {route.pattern: route_data(route, self.base_url) for route in self.routes},
        }

    # -------------------------------------------------------------- orders
    def _vendor_id(self, ctx: RestContext) -> int | None:
        """The vendor the order routes scope to; None for an administrator (whole orders)."""
        return None if ctx.is_admin else ctx.user.id

    def orders_list(self, ctx: RestContext) -> Any:
        params = ctx.params
        per_page: int = params["per_page"]
        page: int = params["page"]
        search = str(params.get("search") or "").strip()
        ascending = str(params.get("order", "")).lower() == "asc"
        date_range = None
        if (
            not search
            and not php_empty(params.get("after"))
            and not php_empty(params.get("before"))
        ):
            date_range = (_php_date(params["after"]), _php_date(params["before"]))
        offset = (page - 1) * per_page
        vendor_id = self._vendor_id(ctx)
        state = self.state
        with state.lock:
            ids = self._order_ids(vendor_id, ascending)
            result: list[dict[str, Any]] = []
            skipped = 0
            simple = not search and date_range is None
            if simple and vendor_id is not None and not ascending:
                ids = state.iter_vendor_order_ids_desc(vendor_id, offset)
                skipped = offset
            for order_id in ids:
                order = state.orders.get(order_id)
                if order is None or order.is_trashed:
                    continue
                if vendor_id is not None:
                    rows = render.vendor_rows(state, order_id, vendor_id)
                    if not rows:
                        continue
                    if date_range and not any(
                        date_range[0] <= row.created.date() <= date_range[1] for row in rows
                    ):
                        continue
                elif date_range and not date_range[0] <= order.date_created.date() <= date_range[1]:
                    continue
                if search and not _order_matches(order, search):
                    continue
                if skipped < offset:
                    skipped += 1
                    continue
                result.append(
                    render.wcfm_order(state, order, vendor_id, view="vendor", with_details=True)
                    if vendor_id is not None
                    else render.wcfm_order(state, order, None, view="admin")
                )
                if len(result) >= per_page:
                    break
        response = _json(result, 200)
        response.orders = len(result)
        return response

    def _order_ids(self, vendor_id: int | None, ascending: bool) -> Iterator[int]:
        if vendor_id is not None:
            ids = self.state.vendor_order_ids(vendor_id)
            return (
                iter(list(ids)) if ascending else self.state.iter_vendor_order_ids_desc(vendor_id)
            )
        ordered = sorted(self.state.orders)
        return iter(ordered if ascending else list(reversed(ordered)))

    def _single(self, ctx: RestContext, order_id: int, *, after_update: bool) -> Any:
        """``get_post_type_item``: 404 unless the order has rows of the calling vendor."""
        state = self.state
        order = state.orders.get(order_id)
        vendor_id = self._vendor_id(ctx)
        if vendor_id is None:
            if order is None:
                raise RestError("wcfmapi_rest_invalid_shop_order_id", "Invalid ID.", 404)
            return render.wcfm_order(state, order, None, view="admin")
        # Ownership by commission rows, trashed ones included: a trashed or cancelled order
        # leaves the vendor's list but still answers here (files 163, 197).
        if order is None or not state.commissions_of_order(order_id, vendor_id):
            raise RestError(
                "wcfmapi_rest_invalid_vendor",
                "Invalid Vendor - Order Id do not belong to the loggedin vendor",
                404,
            )
        view: render.View = "vendor"
        if ctx.identity.method == "app_password" and not after_update:
            view = "app_password"
        return render.wcfm_order(state, order, vendor_id, view=view)

    def order_get(self, ctx: RestContext) -> Any:
        with self.state.lock:
            return self._single(ctx, ctx.url_int("id"), after_update=False)

    def order_update(self, ctx: RestContext) -> Any:
        order_id = ctx.url_int("id")
        status = php_str(ctx.params.get("status"))
        if not order_id:
            raise RestError("wcfmapi_rest_invalid_shop_order_id", "Invalid order ID", 404)
        # The add-on always prefixes "wc-" (its 2-character substr never equals "wc-").
        if status not in WC_ORDER_STATUSES:
            raise RestError("wcfmapi_rest_invalid_shop_order_status", "Order status not valid", 404)
        with self.state.lock:
            if ctx.is_admin:
                if order_id in self.state.orders:
                    set_main_status(self.state, order_id, status)
            else:
                set_vendor_status(self.state, order_id, ctx.user, status)
            return self._single(ctx, order_id, after_update=True)

    # -------------------------------------------------------------- notes
    def _visible_notes(self, ctx: RestContext, order_id: int) -> list[dict[str, Any]]:
        """``wc_get_order_notes`` for any order id (no ownership check). With Ultimate, a vendor
        known at ``init`` (JWT or cookie) sees only the notes their own user wrote."""
        entries = [note for note in self.state.notes.get(order_id, []) if not note.trashed]
        user = ctx.identity.user
        if (
            self.state.settings.edition == "ultimate"
            and user is not None
            and user.is_vendor
            and ctx.identity.method in ("jwt", "cookie")
        ):
            entries = [note for note in entries if note.author_user_id == user.id]
        return render.notes(entries)

    def notes_get(self, ctx: RestContext) -> Any:
        with self.state.lock:
            return self._visible_notes(ctx, ctx.url_int("id"))

    def notes_add(self, ctx: RestContext) -> Any:
        order_id = ctx.url_int("id")
        user = ctx.user
        state = self.state
        ultimate = state.settings.edition == "ultimate"
        if user.is_vendor and (not ultimate or ctx.identity.method == "app_password"):
            # Free: the handler calls into the absent Ultimate object. Ultimate under an
            # application password: Ultimate's helper was never built. Both are PHP fatals.
            raise CriticalError()
        text = kses_post(php_stripslashes(php_str(ctx.params.get("note")).strip()))
        text += _attachment_links(ctx.params.get("attachments"), text)
        customer = php_str(ctx.params.get("note_type")) == "customer"
        with state.lock:
            if order_id > 0:
                if order_id not in state.orders:
                    raise CriticalError()  # $order->add_order_note() on false
                if user.is_vendor:
                    add_vendor_note(state, order_id, user, text, customer=customer)
                else:
                    add_note(
                        state,
                        state.orders[order_id],
                        text,
                        customer=customer,
                        added_by=user.display_name,
                        author_user_id=user.id,
                    )
            return self._visible_notes(ctx, order_id)

    # -------------------------------------------------------------- shipping
    def shipment_tracking(self, ctx: RestContext) -> Any:
        state = self.state
        if state.settings.edition != "ultimate":
            # REST 1.6.x only forwards to Ultimate/Delivery; without them: 200, empty body.
            return Response(200, b"", [("Content-Type", JSON_CONTENT_TYPE)])
        params = ctx.params

        def field(name: str) -> str:
            value = params.get(name)
            return "" if php_empty(value) else php_str(value)

        # The add-on glues the params into a query string WITHOUT encoding them, and Ultimate
        # parses it back with parse_str (wcfm-api.md §3.6): "&", "+" and "%" in a raw value
        # corrupt it; a value percent-encoded once arrives intact.
        glued = (
            f"wcfm_tracking_order_id={field('order_id')}"
            f"&wcfm_tracking_product_id={field('product_id')}"
            f"&wcfm_tracking_order_item_id={field('item_id')}"
            f"&wcfm_tracking_url={field('tracking_url')}"
            f"&wcfm_tracking_code={field('tracking_code')}"
            f"&wcfm_delivery_boy={field('delivery_boy')}"
        )
        tracking: dict[str, str] = {}
        user = ctx.user
        with state.lock:
            if field("order_id"):
                tracking = php_parse_str(glued)
                order_id = php_intval(tracking.get("wcfm_tracking_order_id", ""))
                item_ids = [
                    php_intval(part)
                    for part in tracking.get("wcfm_tracking_order_item_id", "").split(",")
                ]
                product_ids = [
                    php_intval(part)
                    for part in tracking.get("wcfm_tracking_product_id", "").split(",")
                ]
                try:
                    ship_items(
                        state,
                        order_id,
                        user,
                        item_ids,
                        product_ids,
                        tracking.get("wcfm_tracking_code", ""),
                        tracking.get("wcfm_tracking_url", ""),
                        crash_half_way=ctx.identity.method == "app_password" and user.is_vendor,
                    )
                except OperationError:
                    raise CriticalError() from None
            order_id = php_intval(tracking.get("wcfm_tracking_order_id", ""))
            order = state.orders.get(order_id)
            if order is None:
                raise CriticalError()  # $order->get_status() on false
            status = order.status if ctx.is_admin else render.vendor_status(state, order, user.id)
            return {"order_id": order_id, "order_status": status, "tracking_data": tracking}

    # -------------------------------------------------------------- vendor data
    def notifications(self, ctx: RestContext) -> Any:
        params = ctx.params
        status = "read" if params.get("notification_status") == "read" else "unread"
        kind = php_str(params.get("notification_type") or "all")
        ascending = php_str(params.get("order")).lower() == "asc"
        per_page: int = params["per_page"]
        offset = (params["page"] - 1) * per_page
        user = ctx.user
        with self.state.lock:
            messages = self.state.messages if ascending else list(reversed(self.state.messages))
            result: list[dict[str, str]] = []
            skipped = 0
            for message in messages:
                if not _visible_to(message, user):
                    continue
                if kind != "all" and message.message_type != kind:
                    continue
                if (user.id in message.read_by) != (status == "read"):
                    continue
                if skipped < offset:
                    skipped += 1
                    continue
                result.append(render.notification(message))
                if len(result) >= per_page:
                    break
            return result

    def sales_stats(self, ctx: RestContext) -> Any:
        """Gross sales and earnings of the caller's vendor-completed items: this calendar month,
        last calendar month, and the last 7 days (by commission date)."""
        today = utcnow().date()
        month_start = today.replace(day=1)
        last_month_start = (month_start - timedelta(days=1)).replace(day=1)
        week_start = today - timedelta(days=7)
        gross = {"last_month": Decimal(0), "month": Decimal(0), "week": Decimal(0)}
        earnings = dict(gross)
        user = ctx.user
        with self.state.lock:
            for order_id in self.state.vendor_order_ids(user.id):
                for row in self.state.commissions_of_order(order_id, user.id):
                    if row.is_trashed or row.commission_status != "completed":
                        continue
                    day = row.created.date()
                    amount = row.item_total - row.refunded_amount
                    periods = []
                    if day >= month_start:
                        periods.append("month")
                    elif day >= last_month_start:
                        periods.append("last_month")
                    if day >= week_start:
                        periods.append("week")
                    for period in periods:
                        gross[period] += amount
                        earnings[period] += row.total_commission
        return {
            "gross_sales": {k: render.number(v.quantize(render.CENT)) for k, v in gross.items()},
            "earnings": {k: render.number(v.quantize(render.CENT)) for k, v in earnings.items()},
            "currency": self.state.settings.currency,
        }

    def restricted_capabilities(self, ctx: RestContext) -> Any:
        return dict(RESTRICTED_CAPABILITIES)

    def settings(self, ctx: RestContext) -> Any:
        with self.state.lock:
            if "id" in ctx.url_params:
                target = self.state.users.get(ctx.url_int("id"))
            else:
                target = self.state.user_by_login(unquote_plus(ctx.url_params["email"]))
            if target is None or target.store is None:
                return ""  # get_user_meta(…, single) of a missing meta
            return render.store_settings(target)

    def user_profile(self, ctx: RestContext) -> Any:
        registered = min((o.date_created for o in self.state.orders.values()), default=utcnow())
        return render.user_profile(ctx.user, self.base_url, registered)

    def user_profile_update(self, ctx: RestContext) -> Any:
        user = ctx.user
        params = ctx.params
        with self.state.lock:
            for name in ("first_name", "last_name", "email"):
                if isinstance(params.get(name), str):
                    setattr(user, name, params[name])
            for part in ("billing", "shipping"):
                values = params.get(part)
                if isinstance(values, dict):
                    address = getattr(user, part)
                    for key, value in values.items():
                        if hasattr(address, key) and isinstance(value, str):
                            setattr(address, key, value)
        return self.user_profile(ctx)

    # -------------------------------------------------------------- JWT
    def jwt_token(self, ctx: RestContext) -> Any:
        with self.state.lock:
            status, body = self.auth.token_endpoint(ctx.params)
        return _json(body, status)

    def jwt_validate(self, ctx: RestContext) -> Any:
        with self.state.lock:
            status, body = self.auth.validate_endpoint(ctx.request)
        return _json(body, status)

    # -------------------------------------------------------------- wc/v3
    def wc_orders_list(self, ctx: RestContext) -> Any:
        per_page = _bounded_int(ctx.params.get("per_page"), 10, 1, 100)
        page = _bounded_int(ctx.params.get("page"), 1, 1, 10**9)
        status = php_str(ctx.params.get("status") or "any")
        with self.state.lock:
            ids = sorted(self.state.orders, reverse=True)
            orders = [
                order
                for order in (self.state.orders[i] for i in ids)
                if (order.is_trashed and status == "trash")
                or (not order.is_trashed and status in ("any", order.status))
            ]
            total = len(orders)
            chunk = orders[(page - 1) * per_page : page * per_page]
            body = [render.wc_order(self.state, order, self.base_url) for order in chunk]
        pages = (total + per_page - 1) // per_page
        response = _json(body, 200)
        response.headers += [("X-WP-Total", str(total)), ("X-WP-TotalPages", str(pages))]
        response.orders = len(body)
        return response

    def wc_order_get(self, ctx: RestContext) -> Any:
        with self.state.lock:
            order = self.state.orders.get(ctx.url_int("id"))
            if order is None:
                raise RestError("woocommerce_rest_shop_order_invalid_id", "Invalid ID.", 404)
            return render.wc_order(self.state, order, self.base_url)

    def wc_order_delete(self, ctx: RestContext) -> Any:
        """To the trash, or (``force=true``) gone for good; answers the order as it was
        (files 161, 170)."""
        force = php_str(ctx.params.get("force")).lower() in ("1", "true", "yes")
        with self.state.lock:
            order = self.state.orders.get(ctx.url_int("id"))
            if order is None:
                raise RestError("woocommerce_rest_shop_order_invalid_id", "Invalid ID.", 404)
            before = render.wc_order(self.state, order, self.base_url)
            try:
                if force:
                    admin_orders.delete_order(self.state, order.id)
                else:
                    admin_orders.trash_order(self.state, order.id)
            except admin_orders.AdminError as error:
                raise RestError(error.code, error.message, error.status) from None
            return before

    def wc_order_update(self, ctx: RestContext) -> Any:
        """Addresses, then the status (which takes a trashed order out of the trash)."""
        status = ctx.params.get("status")
        with self.state.lock:
            order = self.state.orders.get(ctx.url_int("id"))
            if order is None:
                raise RestError("woocommerce_rest_shop_order_invalid_id", "Invalid ID.", 404)
            billing, shipping = ctx.params.get("billing"), ctx.params.get("shipping")
            admin_orders.update_addresses(
                self.state,
                order.id,
                billing=billing if isinstance(billing, dict) else None,
                shipping=shipping if isinstance(shipping, dict) else None,
            )
            if isinstance(status, str) and status:
                try:
                    set_main_status(self.state, order.id, status)
                except OperationError as error:
                    raise RestError("rest_invalid_param", str(error), 400) from None
            return render.wc_order(self.state, order, self.base_url)

    def wc_order_create(self, ctx: RestContext) -> Any:
        """A new order (file 230): 201 with its ``Location``."""
        params = ctx.params
        lines = []
        for line in params.get("line_items") or []:
            if isinstance(line, dict):
                product = php_intval(line.get("variation_id")) or php_intval(line.get("product_id"))
                lines.append(admin_orders.NewLine(product, php_intval(line.get("quantity") or 1)))
        shipping_total: Decimal | None = None
        for line in params.get("shipping_lines") or []:
            if isinstance(line, dict):
                shipping_total = (shipping_total or Decimal(0)) + _decimal(line.get("total"))
        billing, shipping = params.get("billing"), params.get("shipping")
        with self.state.lock:
            try:
                order = admin_orders.create_order(
                    self.state,
                    customer_id=php_intval(params.get("customer_id")),
                    lines=lines,
                    status=php_str(params.get("status") or "pending").removeprefix("wc-"),
                    set_paid=params.get("set_paid") in (True, "true", "1", 1),
                    payment_method=php_str(params.get("payment_method") or "cod"),
                    billing=billing if isinstance(billing, dict) else None,
                    shipping=shipping if isinstance(shipping, dict) else None,
                    shipping_total=shipping_total,
                    customer_note=php_str(params.get("customer_note")),
                )
            except admin_orders.AdminError as error:
                raise RestError(error.code, error.message, error.status) from None
            response = _json(render.wc_order(self.state, order, self.base_url), 201)
        response.headers.append(("Location", f"{self.base_url}/wp-json/wc/v3/orders/{order.id}"))
        return response

    def wc_refunds_list(self, ctx: RestContext) -> Any:
        with self.state.lock:
            order = self.state.orders.get(ctx.url_int("order_id"))
            if order is None:
                raise RestError("woocommerce_rest_invalid_order_id", "Invalid order ID.", 404)
            return [render.wc_refund(refund, self.base_url) for refund in reversed(order.refunds)]

    def wc_refund_create(self, ctx: RestContext) -> Any:
        """A refund of an amount (files 180, 185). The ``Location`` carries the route's pattern
        instead of the order id, as WooCommerce's does."""
        params = ctx.params
        with self.state.lock:
            try:
                refund = admin_orders.refund_order(
                    self.state,
                    ctx.url_int("order_id"),
                    params.get("amount", ""),
                    php_str(params.get("reason")),
                    refunded_by=ctx.user.id,
                )
            except admin_orders.AdminError as error:
                raise RestError(error.code, error.message, error.status) from None
            response = _json(render.wc_refund(refund, self.base_url), 201)
        pattern = "(?P<order_id>[\\d]+)"
        response.headers.append(
            ("Location", f"{self.base_url}/wp-json/wc/v3/orders/{pattern}/refunds/{refund.id}")
        )
        return response

    def wc_notes_list(self, ctx: RestContext) -> Any:
        """The admin's notes of an order: every note, newest first (files 191, 192)."""
        kind = php_str(ctx.params.get("type") or "any")
        with self.state.lock:
            order_id = ctx.url_int("order_id")
            if order_id not in self.state.orders:
                raise RestError("woocommerce_rest_order_invalid_id", "Invalid order ID.", 404)
            notes = [
                note
                for note in self.state.notes.get(order_id, [])
                if not note.trashed
                and (kind == "any" or note.customer_note == (kind == "customer"))
            ]
            notes.sort(key=lambda note: (-note.date_created.timestamp(), note.id))
            return [render.wc_note(note, self.base_url) for note in notes]

    def wc_note_create(self, ctx: RestContext) -> Any:
        """A note by the admin (file 201): 201 with its ``Location``."""
        params = ctx.params
        customer = params.get("customer_note") in (True, "true", "1", 1)
        with self.state.lock:
            try:
                note = admin_orders.add_admin_note(
                    self.state,
                    ctx.url_int("order_id"),
                    php_str(params.get("note")),
                    customer=customer,
                )
            except admin_orders.AdminError as error:
                raise RestError(error.code, error.message, error.status) from None
            response = _json(render.wc_note(note, self.base_url), 201)
        response.headers.append(
            (
                "Location",
                f"{self.base_url}/wp-json/wc/v3/orders/{note.order_id}/notes/{note.id}",
            )
        )
        return response


# ------------------------------------------------------------------ helpers
def _json(payload: Any, status: int) -> Response:
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    return Response(status, body, [("Content-Type", JSON_CONTENT_TYPE)])


def _decimal(value: Any) -> Decimal:
    """An amount WooCommerce reads with ``wc_format_decimal``: 0 for what is not a number."""
    try:
        result = Decimal(php_str(value).strip() or "0")
    except ArithmeticError:
        return Decimal(0)
    return result if result.is_finite() else Decimal(0)


def _bounded_int(value: Any, default: int, low: int, high: int) -> int:
    if value is None or not _is_integer(value):
        return default
    return max(low, min(high, int(float(value))))


def _php_date(value: Any) -> date:
    """``date('Y-m-d', strtotime($value))``: the calendar day of a date or datetime string;
    1970-01-01 for what strtotime cannot read."""
    text = php_str(value).strip()
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    match = re.match(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    if match:
        try:
            return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            pass
    return date(1970, 1, 1)


def _order_matches(order: Order, term: str) -> bool:
    """``wc_order_search``: the order number, the billing/shipping address index, the billing
    e-mail and the names of the order's items (every vendor's), case-insensitively."""
    needle = term.lower()
    if needle.isdigit() and int(needle) == order.id:
        return True
    fields: list[str] = [order.billing.email]
    for address in (order.billing, order.shipping):
        fields += [
            address.first_name,
            address.last_name,
            address.company,
            address.address_1,
            address.address_2,
            address.city,
            address.state,
            address.postcode,
            address.country,
            address.phone,
        ]
    fields += [item.name for item in order.items]
    return any(needle in value.lower() for value in fields if value)


def _visible_to(message: Any, user: User) -> bool:
    """The notification board's scope (WCFM ``wcfm-controller-messages``)."""
    if not message.is_direct_message:
        return False
    if user.role == "administrator":
        return bool(message.message_to in (0, -1) or message.author_id == user.id)
    return bool(message.author_id == user.id or message.message_to in (user.id, -1))


def _attachment_links(attachments: Any, note: str) -> str:
    """The add-on's note attachments: ``[{"attachmentText", "attachmentData": {"source_url"}}]``
    appended as links (with its quirk: the separator lands in the note text)."""
    if not isinstance(attachments, list):
        return ""
    extra = ""
    links = ""
    for index, attachment in enumerate(attachments):
        if not isinstance(attachment, dict):
            continue
        data = attachment.get("attachmentData")
        if not isinstance(data, dict) or not data:
            continue
        name = php_str(attachment.get("attachmentText")) or f"Attachment {index}"
        if index != 0:
            extra += ",&nbsp;"
        links += (
            '<a class="wcfm_dashboard_item_title wcfm_linked_attached" target="_blank" '
            f'href="{php_str(data.get("source_url"))}">{name}</a>'
        )
    if links:
        extra += f"<br />Attachments: {links}"
    return extra
