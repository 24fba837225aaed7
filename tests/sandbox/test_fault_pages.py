"""The fault kinds that imitate what a real WordPress site puts in the way: rate limits with
either form of ``Retry-After``, maintenance, a theme's 404 page, a firewall's page, a login form
that wants more than a password, an inactive plugin, a cached dashboard nonce, a moved site."""

from __future__ import annotations

import email.utils
import time

import pytest
import requests

from tests.sandbox.conftest import TIMEOUT, Market

ORDERS = "/wcfmmp/v1/orders"


def add_fault(market: Market, **spec: object) -> int:
    response = requests.post(market.url("/_sandbox/faults"), json=spec, timeout=TIMEOUT)
    assert response.status_code == 200, response.text
    fault_id: int = response.json()["id"]
    return fault_id


def login(market: Market, password: str | None = None) -> requests.Response:
    session = requests.Session()
    session.cookies.set("wordpress_test_cookie", "WP Cookie check")
    return session.post(
        market.url("/wp-login.php"),
        data={
            "log": "vendor_a",
            "pwd": password or market.users["vendor_a"]["password"],
            "wp-submit": "Log In",
            "testcookie": "1",
        },
        allow_redirects=False,
        timeout=TIMEOUT,
    )


def test_rate_limit_with_an_http_date_or_without_retry_after(free_market: Market) -> None:
    when = email.utils.formatdate(time.time() + 120, usegmt=True)
    add_fault(free_market, kind="rate_limit", path=ORDERS, retry_after=when)
    add_fault(free_market, kind="rate_limit", path=ORDERS, retry_after="")
    app = free_market.app()
    dated = free_market.get(app, ORDERS)
    assert dated.status_code == 429 and dated.headers["Retry-After"] == when
    bare = free_market.get(app, ORDERS)
    assert bare.status_code == 429 and "Retry-After" not in bare.headers
    assert bare.json()["code"] == "too_many_requests"


def test_maintenance(free_market: Market) -> None:
    add_fault(free_market, kind="maintenance", path=".*", retry_after=600)
    page = requests.get(free_market.url("/wp-json/"), timeout=TIMEOUT)
    assert page.status_code == 503 and page.headers["Retry-After"] == "600"
    assert page.headers["Content-Type"].startswith("text/html")
    assert "Briefly unavailable for scheduled maintenance." in page.text


def test_not_found_and_blocked_pages(free_market: Market) -> None:
    add_fault(free_market, kind="not_found_page", path=r"^/wp-login\.php")
    add_fault(free_market, kind="blocked_page", path=ORDERS, message="Blocked by the firewall")
    assert login(free_market).status_code == 404
    blocked = free_market.get(free_market.app(), ORDERS)
    assert blocked.status_code == 403
    assert "<title>Blocked by the firewall</title>" in blocked.text
    assert login(free_market).status_code == 302  # used up


def test_login_challenge_keeps_the_vendor_out(free_market: Market) -> None:
    add_fault(
        free_market,
        kind="login_challenge",
        path=r"^/wp-login\.php",
        message="<strong>Error:</strong> Please solve the CAPTCHA.",
    )
    add_fault(free_market, kind="login_challenge", path=r"^/wp-login\.php")
    captcha = login(free_market)
    assert captcha.status_code == 200 and "wordpress_logged_in" not in str(captcha.cookies)
    assert '<div id="login_error"' in captcha.text and "Please solve the CAPTCHA." in captcha.text
    two_factor = login(free_market)
    assert two_factor.status_code == 200 and 'name="authcode"' in two_factor.text
    assert 'id="login_error"' not in two_factor.text


def test_plugin_inactive_hides_its_namespace(free_market: Market) -> None:
    add_fault(free_market, kind="plugin_inactive", path="jwt-auth/v1", times=None)
    index = requests.get(free_market.rest("/"), timeout=TIMEOUT).json()
    assert "jwt-auth/v1" not in index["namespaces"] and "wcfmmp/v1" in index["namespaces"]
    assert not [route for route in index["routes"] if route.startswith("/jwt-auth/")]
    token = requests.post(
        free_market.rest("/jwt-auth/v1/token"),
        json={"username": "vendor_a", "password": free_market.users["vendor_a"]["password"]},
        timeout=TIMEOUT,
    )
    assert token.status_code == 404 and token.json()["code"] == "rest_no_route"
    assert free_market.get(free_market.app(), ORDERS).status_code == 200  # the rest works
    refused = requests.post(
        free_market.url("/_sandbox/faults"),
        json={"kind": "plugin_inactive", "path": ".*"},
        timeout=TIMEOUT,
    )
    assert refused.status_code == 400


def test_bad_nonce_and_moved(free_market: Market) -> None:
    add_fault(free_market, kind="bad_nonce", path="admin-ajax")
    add_fault(free_market, kind="moved", path=ORDERS, message="https://www.shop.example")
    session = free_market.cookie()
    answer = session.post(
        free_market.url("/wp-admin/admin-ajax.php"),
        data={"action": "wcfm_ajax_controller", "controller": "wcfm-orders"},
        timeout=TIMEOUT,
    )
    assert answer.json() == {
        "success": False,
        "data": "Invalid nonce! Refresh your page and try again.",
    }
    moved = free_market.app().get(
        free_market.rest(ORDERS), params={"page": 2}, allow_redirects=False, timeout=TIMEOUT
    )
    assert moved.status_code == 301
    assert moved.headers["Location"] == "https://www.shop.example/wp-json/wcfmmp/v1/orders?page=2"


@pytest.mark.parametrize("kind", ["maintenance", "not_found_page", "login_challenge"])
def test_new_kinds_never_reach_the_marketplace(free_market: Market, kind: str) -> None:
    free_market.sim.inject_fault(kind, r"/orders/20", method="PUT")
    free_market.put(free_market.app(), "/wcfmmp/v1/orders/20", json={"status": "processing"})
    assert free_market.admin_status(20) == "on-hold"
