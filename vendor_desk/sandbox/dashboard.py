# ruff: noqa: E501 - HTML templates reproduce the recorded markup line for line
"""The simulator's dashboard surface: ``wp-login.php``, the WCFM ``/store-manager/`` pages,
``/wp-admin/admin-ajax.php`` and the static store-invoice files under ``wp-content/uploads``.

Entry point: :func:`handle` — the HTTP server's dispatcher calls it before answering 404; it
returns None for paths it does not serve.

What it reproduces (recordings 61–81 on the free stack, 125–152 with WCFM Ultimate):

* ``POST /wp-login.php`` — 302 + the three auth cookies, or the login page with an error.
* ``GET /store-manager/…`` — the dashboard page with the inline ``var wcfm_params = {…,
  "wcfm_ajax_nonce":"<10 hex>"};``; the Ultimate store-setup redirect on a vendor's first visit.
* admin-ajax: ``rest-nonce`` and the WCFM actions with their real bodies and content types:
  WCFM's own ``{"status": …}`` strings (``text/html``), ``wp_send_json`` errors
  (``application/json``), ``400`` + ``0`` for an unregistered action (Ultimate actions on the
  free edition, logged-out callers of logged-in-only actions).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from html import escape
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

from vendor_desk.sandbox import dashboard_html as ui
from vendor_desk.sandbox import invoices, messaging, operations, refunds
from vendor_desk.sandbox.http import (
    HTML_CONTENT_TYPE,
    INVALID_NONCE,
    JSON_CONTENT_TYPE,
    Request,
    Response,
)
from vendor_desk.sandbox.model import WC_ORDER_STATUSES, MarketplaceState, User
from vendor_desk.sandbox.sessions import (
    TEST_COOKIE,
    TEST_COOKIE_VALUE,
    WCFM_NONCE_ACTION,
    Session,
    SessionStore,
    parse_cookie_header,
)

LOGIN_PATH = "/wp-login.php"
AJAX_PATH = "/wp-admin/admin-ajax.php"
STORE_MANAGER = "/store-manager"
UPLOADS = "/wp-content/uploads/"

NO_PERMISSION = "You don&#8217;t have permission to do this."
STATUS_UPDATED = '{"status": true, "message": "Order status updated."}'

NOCACHE_HEADERS = [
    ("Expires", "Wed, 11 Jan 1984 05:00:00 GMT"),
    ("Cache-Control", "no-cache, must-revalidate, max-age=0, no-store, private"),
]
SECURITY_HEADERS = [
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("X-Frame-Options", "SAMEORIGIN"),
    ("Content-Security-Policy", "frame-ancestors 'self';"),
]
AJAX_HEADERS = [("X-Robots-Tag", "noindex"), ("X-Content-Type-Options", "nosniff")]


def php_json(payload: Any) -> str:
    """``json_encode`` as PHP prints it: compact, ``\\/`` for slashes, ASCII only."""
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=True).replace("/", "\\/")


# =============================================================================== entry point
def handle(state: MarketplaceState, sessions: SessionStore, request: Request) -> Response | None:
    """Serve the dashboard surface; None for any other path."""
    path = request.path
    if path == LOGIN_PATH:
        return _login(state, sessions, request)
    if path == AJAX_PATH:
        return _ajax(state, sessions, request)
    if path == STORE_MANAGER or path.startswith(STORE_MANAGER + "/"):
        return _store_manager(state, sessions, request)
    if path.startswith(UPLOADS):
        return _upload(state, path)
    return None


# =============================================================================== responses
def _page(body: str, status: int = 200, extra: list[tuple[str, str]] | None = None) -> Response:
    headers = [*NOCACHE_HEADERS, ("Content-Type", HTML_CONTENT_TYPE), *(extra or [])]
    return Response(status, body.encode("utf-8"), headers)


def _redirect(
    location: str, extra: list[tuple[str, str]] | None = None, body: str = ""
) -> Response:
    headers = [
        *NOCACHE_HEADERS,
        ("Content-Type", HTML_CONTENT_TYPE),
        *(extra or []),
        ("X-Redirect-By", "WordPress"),
        ("Location", location),
    ]
    return Response(302, body.encode("utf-8"), headers)


def _ajax_text(body: str, status: int = 200) -> Response:
    """What a handler ``echo``es: ``text/html`` whatever the body looks like."""
    headers = [("Content-Type", HTML_CONTENT_TYPE), *AJAX_HEADERS, *NOCACHE_HEADERS]
    return Response(status, body.encode("utf-8"), [*headers, *SECURITY_HEADERS])


def _ajax_json(payload: Any, status: int = 200) -> Response:
    """``wp_send_json``: ``application/json``."""
    headers = [*AJAX_HEADERS, *SECURITY_HEADERS, ("Content-Type", JSON_CONTENT_TYPE)]
    return Response(status, php_json(payload).encode("utf-8"), [*headers, *NOCACHE_HEADERS])


def _ajax_die_zero() -> Response:
    """``wp_die('0', 400)``: unknown or unregistered action."""
    return _ajax_text("0", 400)


def _invalid_nonce() -> Response:
    return _ajax_json({"success": False, "data": INVALID_NONCE})


def _pdf(content: bytes, filename: str) -> Response:
    headers = [
        *AJAX_HEADERS,
        *SECURITY_HEADERS,
        ("Content-Type", "application/octet-stream"),
        ("Content-Disposition", f'attachment; filename="{filename}"'),
        ("Content-Transfer-Encoding", "binary"),
        ("Accept-Ranges", "bytes"),
        ("Cache-Control", "public, must-revalidate, max-age=0"),
        ("Pragma", "public"),
        ("Expires", "0"),
    ]
    return Response(200, content, headers)


# =============================================================================== wp-login.php
def _login(state: MarketplaceState, sessions: SessionStore, request: Request) -> Response:
    """``wp-login.php``: the form (GET), logging in (POST), ``action=logout``."""
    test_cookie = (
        "Set-Cookie",
        f"{TEST_COOKIE}={quote(TEST_COOKIE_VALUE)}; path=/; HttpOnly",
    )
    action = request.arg("action") or "login"
    if action == "logout":
        return _logout(state, sessions, request, test_cookie)
    form = {key: values[0] for key, values in request.form().items() if values}
    redirect_to = form.get("redirect_to") or request.arg("redirect_to") or ""
    if request.method != "POST":
        message = ""
        if request.arg("loggedout") == "true":
            message = '<div id="login-message" class="notice notice-info message"><p>You are now logged out.</p></div>'
        return _page(
            _login_page(state, request.arg("log") or "", redirect_to, message),
            extra=[test_cookie, *SECURITY_HEADERS],
        )

    login = form.get("log", "").strip()
    password = form.get("pwd", "")
    error = _login_error(state, sessions, login, password)
    if error is None:
        user = sessions.authenticate(login, password)
        assert user is not None
        remember = form.get("rememberme") == "forever"
        session = sessions.create_session(
            user,
            remember=remember,
            ip=request.client,
            user_agent=request.header("user-agent") or "",
        )
        cookies = sessions.login_cookies(session, remember=remember)
        cookies_present = parse_cookie_header(request.header("cookie"))
        if "testcookie" in form and not cookies_present.get(TEST_COOKIE):
            # WordPress has already set the auth cookies, then reports the missing test cookie.
            error = (
                "<strong>Error:</strong> Cookies are blocked or not supported by your browser. "
                'You must <a href="https://developer.wordpress.org/advanced-administration/'
                'wordpress/cookies/#enable-cookies-in-your-browser">enable cookies</a> to use WordPress.'
            )
            return _page(
                _login_page(state, login, redirect_to, _error_box(error)),
                extra=[test_cookie, *cookies, *SECURITY_HEADERS],
            )
        location = _safe_redirect(state, redirect_to) or _default_landing(state, user)
        return _redirect(location, [test_cookie, *cookies, *SECURITY_HEADERS])
    return _page(
        _login_page(state, login, redirect_to, _error_box(error)),
        extra=[test_cookie, *SECURITY_HEADERS],
    )


def _login_error(
    state: MarketplaceState, sessions: SessionStore, login: str, password: str
) -> str | None:
    """``wp_authenticate``'s error message for the login form, None when the login is good."""
    if not login and not password:
        return "<strong>Error:</strong> The username field is empty.<br /><strong>Error:</strong> The password field is empty."
    if not login:
        return "<strong>Error:</strong> The username field is empty."
    if not password:
        return "<strong>Error:</strong> The password field is empty."
    with state.lock:
        user = state.user_by_login(login)
    lost = f'<a href="{state.settings.site_url}/wp-login.php?action=lostpassword">Lost your password?</a>'
    by_email = "@" in login
    if user is None:
        if by_email:
            return (
                "<strong>Error:</strong> Unknown email address. Check again or try your username."
            )
        return (
            f"<strong>Error:</strong> The username <strong>{escape(login)}</strong> is not "
            "registered on this site. If you are unsure of your username, try your email "
            "address instead."
        )
    if sessions.authenticate(login, password) is None:
        if by_email:
            return (
                f"<strong>Error:</strong> The password you entered for the email address "
                f"<strong>{escape(login)}</strong> is incorrect. {lost}"
            )
        return (
            f"<strong>Error:</strong> The password you entered for the username "
            f"<strong>{escape(login)}</strong> is incorrect. {lost}"
        )
    return None


def _error_box(error: str) -> str:
    return f'<div id="login_error" class="notice notice-error"><p>{error}</p></div>'


def _login_page(state: MarketplaceState, login: str, redirect_to: str, message: str) -> str:
    site = state.settings.site_url
    name = escape(state.settings.site_name)
    return f"""<!DOCTYPE html>
<html lang="en-US">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />
<title>Log In &lsaquo; {name} &#8212; WordPress</title>
<meta name='robots' content='max-image-preview:large, noindex, noarchive' />
</head>
<body class="login no-js login-action-login wp-core-ui">
<div id="login">
<h1 class="screen-reader-text">Log In</h1>
{message}
<form name="loginform" id="loginform" action="{site}/wp-login.php" method="post">
<p><label for="user_login">Username or Email Address</label>
<input type="text" name="log" id="user_login" class="input" value="{escape(login)}" size="20" autocapitalize="off" autocomplete="username" required="required" /></p>
<div class="user-pass-wrap"><label for="user_pass">Password</label>
<input type="password" name="pwd" id="user_pass" class="input password-input" value="" size="20" autocomplete="current-password" spellcheck="false" required="required" /></div>
<p class="forgetmenot"><input name="rememberme" type="checkbox" id="rememberme" value="forever"  /> <label for="rememberme">Remember Me</label></p>
<p class="submit">
<input type="submit" name="wp-submit" id="wp-submit" class="button button-primary button-large" value="Log In" />
<input type="hidden" name="redirect_to" value="{escape(redirect_to)}" />
<input type="hidden" name="testcookie" value="1" />
</p>
</form>
<p id="nav"><a class="wp-login-lost-password" href="{site}/wp-login.php?action=lostpassword">Lost your password?</a></p>
</div>
</body>
</html>
"""


def _logout(
    state: MarketplaceState,
    sessions: SessionStore,
    request: Request,
    test_cookie: tuple[str, str],
) -> Response:
    """``wp-login.php?action=logout&_wpnonce=…``: ends the session and clears the cookies."""
    session = sessions.current_session(request)
    if session is None or not sessions.verify_nonce(session, request.arg("_wpnonce"), "log-out"):
        body = (
            f"<!DOCTYPE html><html><body><p>You are attempting to log out of "
            f"{escape(state.settings.site_name)}</p><p>Do you really want to "
            f'<a href="{state.settings.site_url}/wp-login.php?action=logout">log out</a>?</p>'
            "</body></html>"
        )
        return _page(body, status=403, extra=SECURITY_HEADERS)
    sessions.logout(session)
    expired = "expires=Thu, 01 Jan 1970 00:00:01 GMT; Max-Age=0"
    clear = [
        ("Set-Cookie", f"{sessions.auth_cookie_name}=+; {expired}; path=/wp-admin"),
        ("Set-Cookie", f"{sessions.auth_cookie_name}=+; {expired}; path=/wp-content/plugins"),
        ("Set-Cookie", f"{sessions.logged_in_cookie_name}=+; {expired}; path=/"),
    ]
    location = f"{state.settings.site_url}/wp-login.php?loggedout=true&wp_lang=en_US"
    return _redirect(location, [test_cookie, *clear, *SECURITY_HEADERS])


def _safe_redirect(state: MarketplaceState, target: str) -> str | None:
    """``wp_safe_redirect``: only this site's URLs (relative ones are made absolute)."""
    if not target:
        return None
    site = urlsplit(state.settings.site_url)
    parts = urlsplit(target)
    if not parts.scheme and not parts.netloc:
        return state.settings.site_url + ("" if target.startswith("/") else "/") + target
    if parts.scheme in ("http", "https") and parts.netloc == site.netloc:
        return target
    return None


def _default_landing(state: MarketplaceState, user: User) -> str:
    site = state.settings.site_url
    if user.is_vendor:
        return f"{site}/store-manager/"
    if user.role == "administrator":
        return f"{site}/wp-admin/"
    return f"{site}/my-account/"


# =============================================================================== store-manager
def _store_manager(state: MarketplaceState, sessions: SessionStore, request: Request) -> Response:
    site = state.settings.site_url
    session = sessions.current_session(request)
    if session is None:
        target = quote(site + request.path, safe="")
        return _redirect(f"{site}/wp-login.php?redirect_to={target}&reauth=1")
    with state.lock:
        user = state.users.get(session.user_id)
        if user is None:
            return _redirect(f"{site}/wp-login.php")
        allowed = user.is_vendor or user.role in ("administrator", "shop_staff")
        content = _dashboard_content(state, user, request.path) if allowed else _no_access()
        params = _wcfm_params(state, sessions, session, user) if allowed else ""
        page = _dashboard_page(state, params, content)
        if user.is_vendor and user.store_setup_pending and state.settings.edition == "ultimate":
            # WCFM Ultimate's store-setup wizard, once per vendor (recording 126): the page is
            # rendered, then redirected (the recorded 302 carries the page as its body).
            user.store_setup_pending = False
            return _redirect(f"{site}?store-setup=yes", _page_links(state), body=page)
    return _page(page, extra=_page_links(state))


def _page_links(state: MarketplaceState) -> list[tuple[str, str]]:
    site = state.settings.site_url
    return [
        (
            "Link",
            f'<{site}/wp-json/>; rel="https://api.w.org/", <{site}/wp-json/wp/v2/pages/10>; '
            f'rel="alternate"; title="JSON"; type="application/json", <{site}/?p=10>; rel=shortlink',
        )
    ]


def _wcfm_params(
    state: MarketplaceState, sessions: SessionStore, session: Session, user: User
) -> str:
    """The inline ``wcfm_params`` object; ``wcfm_ajax_nonce`` is its last key."""
    site = state.settings.site_url
    counts = messaging.unread_counts(state, user)
    params: dict[str, Any] = {
        "ajax_url": "/wp-admin/admin-ajax.php",
        "wc_ajax_url": "/?wc-ajax=%%endpoint%%",
        "shop_url": f"{site}/shop/",
        "wcfm_is_vendor": "1" if user.is_vendor else "",
        "is_user_logged_in": "1",
        "wcfm_allow_tinymce_options": "undo redo | bold italic underline | link",
        "unread_message": str(counts["message"]),
        "unread_enquiry": "0",
        "wcfm_is_allow_external_product_analytics": "",
        "is_mobile": "",
        "is_tablet": "",
        "dashboard_url": f"{site}/store-manager/",
        "logout_url": f"{site}/wp-login.php?action=logout&_wpnonce="
        + sessions.create_nonce(session, "log-out"),
        "wcfm_ajax_nonce": sessions.create_nonce(session, WCFM_NONCE_ACTION),
    }
    return f"var wcfm_params = {php_json(params)};"


def _dashboard_page(state: MarketplaceState, params: str, content: str) -> str:
    site = state.settings.site_url
    name = escape(state.settings.site_name)
    scripts = [f"{site}/wp-content/plugins/wc-frontend-manager/assets/js/wcfm-script-core.js"]
    if state.settings.edition == "ultimate":
        scripts.append(
            f"{site}/wp-content/plugins/wc-frontend-manager-ultimate/assets/js/orders/"
            "wcfmu-script-orders.js"
        )
    script_tags = "\n".join(f'<script src="{src}" id="wcfm-js"></script>' for src in scripts)
    inline = f'<script id="wcfm_core_js-js-extra">\n{params}\n</script>\n' if params else ""
    return f"""<!DOCTYPE html>
<html lang="en-US">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />
<title>Store Manager &#8211; {name}</title>
<meta name="viewport" content="width=device-width, initial-scale=1" />
{inline}{script_tags}
</head>
<body class="page-template-default page wcfm-dashboard-page">
<div id="wcfm-main-contentainer">
{content}
</div>
</body>
</html>
"""


def _no_access() -> str:
    return (
        '<div class="wcfm-container"><div class="wcfm-content">You don&#8217;t have permission '
        "to access this page. Please contact your Store Admin for assistance.</div></div>"
    )


def _dashboard_content(state: MarketplaceState, user: User, path: str) -> str:
    sub = path[len(STORE_MANAGER) :].strip("/")
    match = re.fullmatch(r"orders-details/(\d+)", sub)
    if match:
        return _order_details(state, user, int(match.group(1)))
    if sub == "orderslist":
        return (
            '<div id="wcfm-orders" class="collapse wcfm-collapse"><h2>Orders</h2>'
            '<table id="wcfm-orders" class="display"><thead><tr><th>Status</th><th>Order</th>'
            "<th>Purchased</th><th>Quantity</th><th>Billing Address</th><th>Shipping Address</th>"
            "<th>Gross Sales</th><th>Gross Sales Amount</th><th>Earning</th><th>Earning Amount</th>"
            "<th>Additional Info</th><th>Date</th><th>Actions</th></tr></thead></table></div>"
        )
    store = user.store.store_name if user.store else user.display_name
    return f'<div class="wcfm-dashboard"><h2>Welcome to {escape(store)} Dashboard</h2></div>'


def _order_details(state: MarketplaceState, user: User, order_id: int) -> str:
    order = state.orders.get(order_id)
    if order is None or (user.is_vendor and not state.is_order_for_vendor(order_id, user.id)):
        return (
            '<div class="wcfm-container"><div class="wcfm-content">This order does not belong '
            "to your store.</div></div>"
        )
    items = order.items_of(user.id) if user.is_vendor else order.items
    ultimate = state.settings.edition == "ultimate"
    rows = ""
    for item in items:
        code, url = ui.order_item_tracking(item)
        tracking = ""
        if code or url:
            tracking = (
                f'<div class="wcfm_tracking_info">Tracking Code: {escape(code)}<br/>'
                f'Tracking URL: <a href="{escape(url)}">{escape(url)}</a></div>'
            )
        ship = ""
        if ultimate and not item.virtual:
            ship = (
                f'<a class="wcfm_order_mark_shipped wcfm-action-icon" href="#" '
                f'data-shipped_action="wcfm_wcfmmarketplace_order_mark_shipped" '
                f'data-productid="{item.product_id}" data-orderitemid="{item.id}" '
                f'data-orderid="{order.id}"><span class="wcfmfa fa-truck text_tip" '
                'data-tip="Mark Shipped"></span></a>'
            )
        rows += (
            f'<tr class="item" data-order_item_id="{item.id}"><td class="name">{escape(item.name)}'
            f'{tracking}</td><td class="quantity">{item.quantity}</td>'
            f'<td class="line_cost">{ui.price_html(state, item.total)}</td><td>{ship}</td></tr>'
        )
    return (
        f'<div id="wcfm-orders-details" class="wcfm-collapse"><h2>Order #{order.id}</h2>'
        f'<p class="order_status">Order status: {escape(ui.status_label(order.status))}</p>'
        f'<p class="order_date">{ui.wc_date(order.date_created)}</p>'
        f"<h3>Billing address</h3>{ui.address_html(order.billing)}"
        f"<h3>Shipping address</h3>{ui.address_html(order.shipping)}"
        f'<table class="woocommerce_order_items"><tbody id="order_line_items">{rows}</tbody></table>'
        '<table id="notes_holder" class="wcfm-order-notes"><tbody></tbody></table></div>'
    )


# =============================================================================== uploads
def _upload(state: MarketplaceState, path: str) -> Response | None:
    """Static files under ``wp-content/uploads`` (store invoices): public, no cookie needed."""
    with state.lock:
        content = invoices.uploaded_file(state, path.lstrip("/"))
    if content is None:
        return None
    content_type = "application/pdf" if path.endswith(".pdf") else "application/octet-stream"
    return Response(200, content, [("Content-Type", content_type)])


# =============================================================================== admin-ajax
@dataclass
class AjaxContext:
    state: MarketplaceState
    sessions: SessionStore
    request: Request
    session: Session | None
    user: User | None
    params: dict[str, str]  # $_REQUEST: query then form (form wins)
    form: dict[str, str]  # $_POST
    query: dict[str, str]  # $_GET

    @property
    def vendor(self) -> User | None:
        return self.user if self.user is not None and self.user.is_vendor else None


AjaxHandler = Callable[[AjaxContext], Response]


@dataclass(frozen=True)
class AjaxAction:
    handler: AjaxHandler
    ultimate_only: bool = False
    nopriv: bool = False  # also registered for logged-out visitors (wp_ajax_nopriv_…)
    nonce_style: str = "json"  # "json": wp_send_json_error; "echo": WCFM's echoed string


def _ajax(state: MarketplaceState, sessions: SessionStore, request: Request) -> Response:
    query = {key: values[0] for key, values in request.query.items() if values}
    form = {key: values[0] for key, values in request.form().items() if values}
    params = {**query, **form}
    action = params.get("action", "")
    if not action:
        return _ajax_die_zero()
    session = sessions.current_session(request)
    with state.lock:
        user = state.users.get(session.user_id) if session else None
    if action == "rest-nonce":
        if user is None:
            return _ajax_die_zero()
        return _ajax_text(sessions.create_nonce(session, "wp_rest"))
    registered = ACTIONS.get(action)
    if registered is None:
        return _ajax_die_zero()
    if registered.ultimate_only and state.settings.edition != "ultimate":
        return _ajax_die_zero()
    if user is None and not registered.nopriv:
        return _ajax_die_zero()
    if not sessions.verify_nonce(session, params.get("wcfm_ajax_nonce"), WCFM_NONCE_ACTION):
        if registered.nonce_style == "echo":
            return _ajax_text(f'{{"status": false, "message": "{INVALID_NONCE}"}}')
        return _invalid_nonce()
    if user is None or not (user.is_vendor or user.role in ("administrator", "shop_staff")):
        return _ajax_json({"success": False, "data": NO_PERMISSION})
    ctx = AjaxContext(state, sessions, request, session, user, params, form, query)
    with state.lock:
        return registered.handler(ctx)


# ------------------------------------------------------------------------- controllers
def _ajax_controller(ctx: AjaxContext) -> Response:
    controller = ctx.form.get("controller", "")
    handler = CONTROLLERS.get(controller)
    if handler is None:
        return _ajax_text("")
    return handler(ctx)


def _int(value: str | None, default: int = 0) -> int:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return default


def _parse_day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def _order_groups(ctx: AjaxContext) -> list[ui.OrderGroup]:
    """``wcfm-controller-wcfmmarketplace-orders.php``: the vendor's commission rows filtered
    (``order_status``, ``commission_status``, ``order_product``, date range, search) and
    grouped by order, newest order first."""
    state = ctx.state
    vendor = ctx.vendor
    status_filter = ctx.form.get("order_status", "all") or "all"
    payout_filter = ctx.form.get("commission_status", "") or ""
    product_filter = _int(ctx.form.get("order_product"))
    day_from = _parse_day(ctx.form.get("filter_date_form"))
    day_to = _parse_day(ctx.form.get("filter_date_to"))
    search = (ctx.form.get("search[value]") or "").strip().lower()
    if vendor is not None:
        order_ids = list(state.iter_vendor_order_ids_desc(vendor.id))
    else:
        order_ids = sorted(state.orders, reverse=True)
    groups: list[ui.OrderGroup] = []
    for order_id in order_ids:
        order = state.orders.get(order_id)
        if order is None or order.is_trashed:
            continue
        rows = [
            row
            for row in state.commissions_of_order(order_id, vendor.id if vendor else None)
            if not row.is_trashed
        ]
        if status_filter != "all":
            rows = [row for row in rows if row.commission_status == status_filter]
        if payout_filter:
            rows = [row for row in rows if row.withdraw_status == payout_filter]
        if product_filter:
            rows = [row for row in rows if product_filter in (row.product_id, row.variation_id)]
        if day_from and day_to and not search:
            rows = [row for row in rows if day_from <= row.created.date() <= day_to]
        if not rows:
            continue
        if search and not _order_matches(order, search):
            continue
        rows.sort(key=lambda row: row.ID, reverse=True)
        groups.append(ui.OrderGroup(order, rows))
    return groups


def _order_matches(order: Any, needle: str) -> bool:
    haystack = [str(order.id)]
    for address in (order.billing, order.shipping):
        haystack += [
            address.first_name,
            address.last_name,
            address.company,
            address.address_1,
            address.city,
            address.postcode,
            address.email,
            address.phone,
        ]
    haystack += [item.name for item in order.items]
    return any(needle in str(value).lower() for value in haystack if value)


def _paginate(ctx: AjaxContext, rows: list[Any]) -> list[Any]:
    start = max(_int(ctx.form.get("start")), 0)
    length = _int(ctx.form.get("length"), 10)
    return rows[start:] if length <= 0 else rows[start : start + length]


def _orders_table(ctx: AjaxContext) -> Response:
    groups = _order_groups(ctx)
    page = _paginate(ctx, groups)
    response = _ajax_json(
        {
            "draw": _int(ctx.form.get("draw")),
            "recordsTotal": len(groups),
            "recordsFiltered": len(groups),
            "data": [ui.order_row(ctx.state, group, ctx.vendor) for group in page],
        }
    )
    response.orders = len(page)
    return response


def _refund_requests_form(ctx: AjaxContext) -> Response:
    assert ctx.user is not None
    body = refunds.submit_refund_request(
        ctx.state, ctx.user, ctx.form.get("wcfm_refund_requests_form", "")
    )
    return _ajax_text(body)


def _refund_requests_list(ctx: AjaxContext) -> Response:
    vendor = ctx.vendor
    rows = refunds.requests_of_vendor(
        ctx.state, vendor.id if vendor else None, ctx.form.get("status_type", "") or ""
    )
    page = _paginate(ctx, rows)
    admin = vendor is None
    return _ajax_json(
        {
            "draw": _int(ctx.form.get("draw")),
            "recordsTotal": len(rows),
            "recordsFiltered": len(rows),
            "data": [ui.refund_request_row(ctx.state, request, admin) for request in page],
        }
    )


def _message_sent(ctx: AjaxContext) -> Response:
    assert ctx.user is not None
    text = ctx.form.get("wcfm_messages", "")
    if not text.strip():
        return _ajax_text('{"status": false, "message": "Please insert message before submit."}')
    messaging.send_direct_message(ctx.state, ctx.user, text)
    return _ajax_text('{"status": true, "message": "Message sent successfully"}')


def _messages_list(ctx: AjaxContext) -> Response:
    assert ctx.user is not None
    rows = messaging.board(
        ctx.state,
        ctx.user,
        status=ctx.form.get("message_status", "unread") or "unread",
        message_type=ctx.form.get("message_type", "all") or "all",
    )
    page = _paginate(ctx, rows)
    payload = {
        "draw": _int(ctx.form.get("draw")),
        "recordsTotal": len(rows),
        "recordsFiltered": len(rows),
        "data": [ui.message_row(ctx.state, message) for message in page],
    }
    return _ajax_text(php_json(payload))


CONTROLLERS: dict[str, AjaxHandler] = {
    "wcfm-orders": _orders_table,
    "wcfm-refund-requests-form": _refund_requests_form,
    "wcfm-refund-requests": _refund_requests_list,
    "wcfm-message-sent": _message_sent,
    "wcfm-messages": _messages_list,
}


# ------------------------------------------------------------------------- other actions
def _refund_form_html(ctx: AjaxContext) -> Response:
    order = ctx.state.orders.get(_int(ctx.form.get("order_id")))
    if order is None:
        return _ajax_text("")
    vendor = ctx.vendor
    return _ajax_text(ui.refund_popup(ctx.state, order, vendor.id if vendor else None))


def _change_status(ctx: AjaxContext, order_id: int, status: str) -> None:
    """A dashboard status change: the vendor's part (order_sync off) or the main order.
    No ownership error: another vendor's order is left untouched (recording 70)."""
    state = ctx.state
    user = ctx.user
    if order_id not in state.orders or status not in WC_ORDER_STATUSES or user is None:
        return
    if user.is_vendor and not state.settings.order_sync:
        if state.is_order_for_vendor(order_id, user.id):
            operations.set_vendor_status(state, order_id, user, status)
    elif not user.is_vendor or state.is_order_for_vendor(order_id, user.id):
        operations.set_main_status(state, order_id, status)


def _mark_complete(ctx: AjaxContext) -> Response:
    order_id = _int(ctx.form.get("orderid"))
    if order_id:
        _change_status(ctx, order_id, "completed")
    return _ajax_text(STATUS_UPDATED)


def _modify_status(ctx: AjaxContext) -> Response:
    order_id = _int(ctx.form.get("order_id"))
    status = ctx.form.get("order_status", "")
    if status.startswith("wc-"):
        status = status[3:]
    if order_id and status:
        _change_status(ctx, order_id, status)
    return _ajax_text(STATUS_UPDATED)


def _message_count(ctx: AjaxContext) -> Response:
    assert ctx.user is not None
    counts = messaging.unread_counts(ctx.state, ctx.user)
    return _ajax_text(
        f'{{"status": true, "notice": {counts["notice"]}, "message": {counts["message"]}, '
        '"enquiry": 0}'
    )


def _mark_read(ctx: AjaxContext) -> Response:
    assert ctx.user is not None
    messaging.mark_read(ctx.state, ctx.user, _int(ctx.form.get("messageid")))
    return _ajax_text("")


def _ids(value: str | None) -> list[int]:
    return [_int(part) for part in (value or "").split(",") if part.strip()]


def _mark_shipped(ctx: AjaxContext) -> Response:
    """Ultimate's ``wcfm_wcfmmarketplace_order_mark_shipped``: ``orderid`` only has to be
    present; everything else comes from the URL-encoded ``tracking_data`` string; the answer
    is admin-ajax's trailing ``0`` (recordings 130, 131)."""
    assert ctx.user is not None
    if ctx.form.get("orderid"):
        data = {
            key: values[0]
            for key, values in parse_qs(
                ctx.form.get("tracking_data", ""), keep_blank_values=True
            ).items()
        }
        order_id = _int(data.get("wcfm_tracking_order_id"))
        if order_id in ctx.state.orders:
            operations.ship_items(
                ctx.state,
                order_id,
                ctx.user,
                _ids(data.get("wcfm_tracking_order_item_id")),
                _ids(data.get("wcfm_tracking_product_id")),
                data.get("wcfm_tracking_code", "").strip(),
                data.get("wcfm_tracking_url", "").strip(),
            )
    return _ajax_text("0")


def _tracking_popup(ctx: AjaxContext) -> Response:
    order_id = ctx.form.get("orderid", "")
    item_ids = ctx.form.get("orderitemid", "")
    code = url = ""
    order = ctx.state.orders.get(_int(order_id))
    single = _ids(item_ids)
    if order is not None and len(single) == 1:
        item = order.item(single[0])
        if item is not None:
            code, url = ui.order_item_tracking(item)
    return _ajax_text(
        ui.tracking_popup(order_id, ctx.form.get("productid", ""), item_ids, code, url)
    )


def _add_order_note(ctx: AjaxContext) -> Response:
    assert ctx.user is not None
    note = ctx.form.get("note", "")
    data = {
        key: values[0]
        for key, values in parse_qs(ctx.form.get("note_data", ""), keep_blank_values=True).items()
    }
    order_id = _int(data.get("add_order_note_id"))
    customer = data.get("order_note_type", "") == "customer"
    if not note.strip() or order_id not in ctx.state.orders:
        return _ajax_text("")
    if ctx.user.is_vendor:
        created = operations.add_vendor_note(
            ctx.state, order_id, ctx.user, note.strip(), customer=customer
        )
    else:
        created = operations.add_note(
            ctx.state,
            ctx.state.orders[order_id],
            escape(note.strip()),
            customer=customer,
            added_by=ctx.user.display_name,
            author_user_id=ctx.user.id,
        )
    return _ajax_text(ui.note_row(created.content, created.customer_note))


def _pdf_invoice(ctx: AjaxContext) -> Response:
    """Commission invoice: GET ``order_id``, ``vendor_id``; no ownership check (recording 147)."""
    order = ctx.state.orders.get(_int(ctx.query.get("order_id")))
    if order is None:
        return _ajax_text("")
    vendor_id = _int(ctx.query.get("vendor_id")) or (ctx.user.id if ctx.user else 0)
    content = invoices.commission_invoice_pdf(ctx.state, order, vendor_id)
    operations.record_pdf_document(ctx.state, order, "invoice")  # WPO's _wcpdf_invoice_* meta
    return _pdf(content, f"invoice-{order.id}.pdf")


def _pdf_packing_slip(ctx: AjaxContext) -> Response:
    """Packing slip: GET ``order_id``; the caller's items only (all items for the admin)."""
    order = ctx.state.orders.get(_int(ctx.query.get("order_id")))
    if order is None:
        return _ajax_text("")
    vendor = ctx.vendor
    content = invoices.packing_slip_pdf(ctx.state, order, vendor.id if vendor else None)
    operations.record_pdf_document(ctx.state, order, "packing-slip")  # WPO's _wcpdf_* meta
    return _pdf(content, f"packing-slip-{order.id}.pdf")


ACTIONS: dict[str, AjaxAction] = {
    "wcfm_ajax_controller": AjaxAction(_ajax_controller, nopriv=True),
    "wcfmmp_refund_requests_form_html": AjaxAction(_refund_form_html),
    "wcfm_order_mark_complete": AjaxAction(_mark_complete),
    "wcfm_modify_order_status": AjaxAction(_modify_status),
    "wcfm_message_count": AjaxAction(_message_count),
    "wcfm_messages_mark_read": AjaxAction(_mark_read, nonce_style="echo"),
    "wcfm_wcfmmarketplace_order_mark_shipped": AjaxAction(_mark_shipped, ultimate_only=True),
    "wcfmu_shipment_tracking_html": AjaxAction(_tracking_popup, ultimate_only=True),
    "wcfm_add_order_note": AjaxAction(_add_order_note, ultimate_only=True),
    "wcfm_order_pdf_invoice": AjaxAction(_pdf_invoice, ultimate_only=True),
    "wcfm_order_pdf_packing_slip": AjaxAction(_pdf_packing_slip, ultimate_only=True),
}

__all__ = ["ACTIONS", "CONTROLLERS", "handle", "php_json"]
