"""Cookie sessions of the simulator over real HTTP: wp-login.php, cookies, nonces, REST cookie
auth, expiry (recordings 61, 63, 79, 80, 125)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from urllib.parse import unquote

import pytest
import requests

from tests.sandbox.dashboard_helpers import TIMEOUT, DashboardClient
from vendor_desk.sandbox.server import Simulator

RECORDED_COOKIE_HASH = hashlib.md5(b"http://127.0.0.1:8089").hexdigest()


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulator]:
    with Simulator(edition="free", dataset="recorded") as simulator:
        yield simulator


def test_login_sets_the_recorded_cookies_and_redirects(sim: Simulator) -> None:
    client = DashboardClient(sim.base_url)
    response = client.login("vendor_a")
    assert response.status_code == 302
    assert response.headers["Location"] == f"{sim.base_url.rstrip('/')}/store-manager/"
    assert response.headers["X-Redirect-By"] == "WordPress"
    assert response.headers["Content-Type"] == "text/html; charset=UTF-8"
    cookies = {(c.name, c.path) for c in client.http.cookies}
    auth = f"wordpress_{RECORDED_COOKIE_HASH}"
    logged_in = f"wordpress_logged_in_{RECORDED_COOKIE_HASH}"
    assert {
        ("wordpress_test_cookie", "/"),
        (auth, "/wp-content/plugins"),
        (auth, "/wp-admin"),
        (logged_in, "/"),
    } <= cookies
    # WordPress' order of the Set-Cookie lines (recording 61).
    raw = response.raw.headers.getlist("Set-Cookie")
    assert [line.split("=")[0] for line in raw] == ["wordpress_test_cookie", auth, auth, logged_in]
    assert raw[1].endswith("path=/wp-content/plugins; HttpOnly")
    assert raw[3].endswith("path=/; HttpOnly")
    # <login>|<expiration>|<token>|<hmac>, URL-encoded.
    value = client.http.cookies.get(logged_in, path="/")
    assert value is not None and value.startswith("vendor_a%7C")
    login, expiration, token, mac = unquote(value).split("|")
    assert login == "vendor_a" and expiration.isdigit() and len(token) == 43 and len(mac) == 64


@pytest.mark.parametrize(
    ("login", "password", "message"),
    [
        (
            "vendor_a",
            "wrong-password",
            "The password you entered for the username <strong>vendor_a</strong> is incorrect.",
        ),
        ("nobody", "whatever", "The username <strong>nobody</strong> is not registered"),
        ("vendor_a", "", "The password field is empty."),
    ],
)
def test_failed_login_shows_the_login_page_without_auth_cookies(
    sim: Simulator, login: str, password: str, message: str
) -> None:
    client = DashboardClient(sim.base_url)
    response = client.login(login, password)
    assert response.status_code == 200
    assert 'id="login_error"' in response.text and message in response.text
    assert 'name="loginform"' in response.text
    assert not any(c.name.startswith("wordpress_logged_in_") for c in client.http.cookies)


def test_login_without_test_cookie_reports_blocked_cookies(sim: Simulator) -> None:
    client = DashboardClient(sim.base_url)
    response = client.login("vendor_a", test_cookie=False)
    assert response.status_code == 200
    assert "Cookies are blocked or not supported by your browser" in response.text


def test_login_page_get_sets_the_test_cookie(sim: Simulator) -> None:
    response = requests.get(f"{sim.base_url}/wp-login.php", timeout=TIMEOUT)
    assert response.status_code == 200
    assert 'name="log"' in response.text and 'name="pwd"' in response.text
    assert response.cookies.get("wordpress_test_cookie") == "WP%20Cookie%20check"


def test_rest_nonce_and_cookie_auth_on_rest(sim: Simulator) -> None:
    client = DashboardClient(sim.base_url).sign_in()
    nonce_response = client.rest_nonce()
    assert nonce_response.status_code == 200
    assert nonce_response.headers["Content-Type"] == "text/html; charset=UTF-8"
    rest_nonce = nonce_response.text
    assert len(rest_nonce) == 10 and int(rest_nonce, 16) >= 0

    url = f"{sim.base_url}/wp-json/wcfmmp/v1/orders/21"
    with_nonce = client.http.get(url, headers={"X-WP-Nonce": rest_nonce}, timeout=TIMEOUT)
    assert with_nonce.status_code == 200
    assert with_nonce.json()["id"] == 21
    # Cookie without nonce: anonymous (recording 80).
    anonymous = client.http.get(f"{sim.base_url}/wp-json/wcfmmp/v1/orders", timeout=TIMEOUT)
    assert anonymous.status_code == 401
    assert anonymous.json()["code"] == "rest_forbidden"
    # A wrong nonce: WordPress' "Cookie check failed".
    bad = client.http.get(url, headers={"X-WP-Nonce": "0123456789"}, timeout=TIMEOUT)
    assert bad.status_code == 403
    assert bad.json()["code"] == "rest_cookie_invalid_nonce"
    # The dashboard nonce is for another action: refused on REST.
    assert client.nonce != rest_nonce
    wrong_action = client.http.get(url, headers={"X-WP-Nonce": client.nonce or ""}, timeout=30)
    assert wrong_action.status_code == 403


def test_rest_nonce_when_logged_out_is_zero(sim: Simulator) -> None:
    response = requests.get(
        f"{sim.base_url}/wp-admin/admin-ajax.php", params={"action": "rest-nonce"}, timeout=TIMEOUT
    )
    assert (response.status_code, response.text) == (400, "0")


def test_nonces_are_bound_to_user_and_session(sim: Simulator) -> None:
    first = DashboardClient(sim.base_url).sign_in("vendor_a")
    second = DashboardClient(sim.base_url).sign_in("vendor_a")
    other = DashboardClient(sim.base_url).sign_in("vendor_b")
    assert first.nonce and second.nonce and other.nonce
    assert len({first.nonce, second.nonce, other.nonce}) == 3
    # A nonce works only with the session it was made for; the old session keeps working.
    assert first.ajax("wcfm_message_count").json()["status"] is True
    borrowed = second.ajax("wcfm_message_count", nonce=first.nonce)
    assert borrowed.json() == {
        "success": False,
        "data": "Invalid nonce! Refresh your page and try again.",
    }
    assert other.ajax("wcfm_message_count", nonce=first.nonce).json()["success"] is False


def test_expire_all_forces_a_new_login() -> None:
    with Simulator(edition="free", dataset="recorded") as sim:
        client = DashboardClient(sim.base_url).sign_in()
        rest_nonce = client.rest_nonce().text
        assert client.ajax("wcfm_message_count").status_code == 200
        sim.sessions.expire_all()
        # The dashboard sends the browser back to the login page …
        page = client.dashboard()
        assert page.status_code == 302
        assert "/wp-login.php?redirect_to=" in page.headers["Location"]
        # … admin-ajax treats the cookie as logged out …
        assert client.ajax("wcfm_message_count").text == "0"
        stale = client.controller("wcfm-orders", draw=1, start=0, length=10)
        assert stale.json()["success"] is False
        # … and a stale REST nonce gets "Cookie check failed".
        rest = client.http.get(
            f"{sim.base_url}/wp-json/wcfmmp/v1/orders",
            headers={"X-WP-Nonce": rest_nonce},
            timeout=TIMEOUT,
        )
        assert rest.status_code == 403
        # Logging in again gives a working session and new nonces.
        old_nonce = client.nonce
        client.sign_in()
        assert client.nonce != old_nonce
        assert client.orders_table()["recordsTotal"] == 6
