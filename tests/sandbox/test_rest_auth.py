"""Authentication of the simulated REST API: application passwords, JWT, cookie + nonce, and
the exact errors the real site gives."""

from __future__ import annotations

import base64

import jwt
import pytest
import requests

from tests.sandbox.conftest import TIMEOUT, Market


def basic(login: str, password: str) -> dict[str, str]:
    token = base64.b64encode(f"{login}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def test_no_credentials_is_401_for_a_vendor_route(free_market: Market) -> None:
    response = requests.get(free_market.rest("/wcfmmp/v1/orders"), timeout=TIMEOUT)
    assert response.status_code == 401
    assert response.json() == {
        "code": "rest_forbidden",
        "message": "Sorry, you are not allowed to do that.",
        "data": {"status": 401},
    }
    assert response.headers["Vary"] == "Origin"
    assert "Cache-Control" not in response.headers and "Allow" not in response.headers


@pytest.mark.parametrize(
    ("login", "password", "code"),
    [
        ("vendor_a", "aaaa bbbb cccc dddd eeee ffff", "incorrect_password"),
        ("vendor_a", "vendor_a-pass-123", "incorrect_password"),  # the login password
        ("nobody", "aaaa bbbb cccc dddd eeee ffff", "invalid_username"),
    ],
)
def test_bad_basic_credentials(free_market: Market, login: str, password: str, code: str) -> None:
    for route in ("/wcfmmp/v1/orders", "/wcfmmp/v1"):  # even the public index
        response = requests.get(
            free_market.rest(route), headers=basic(login, password), timeout=TIMEOUT
        )
        assert response.status_code == 401
        assert response.json()["code"] == code


def test_app_password_spaces_do_not_matter(free_market: Market) -> None:
    password = free_market.users["vendor_a"]["app_password"].replace(" ", "")
    response = requests.get(
        free_market.rest("/wcfmmp/v1/orders"), headers=basic("vendor_a", password), timeout=TIMEOUT
    )
    assert response.status_code == 200


def test_customers_are_forbidden_on_vendor_routes(free_market: Market) -> None:
    customer = free_market.app("customer_c")
    for route in ("/wcfmmp/v1/orders", "/wcfmmp/v1/orders/19", "/wcfmmp/v1/orders/note/19"):
        response = free_market.get(customer, route)
        assert response.status_code == 403
        assert response.json()["code"] == "rest_forbidden"
        assert "Allow" not in response.headers


def test_settings_of_another_vendor_are_forbidden(free_market: Market) -> None:
    app = free_market.app()
    own = free_market.get(app, "/wcfmmp/v1/settings/id/2")
    assert own.status_code == 200 and own.json()["store_slug"] == "alpha-goods"
    other = free_market.get(app, "/wcfmmp/v1/settings/id/3")
    assert other.status_code == 403 and other.json()["code"] == "rest_forbidden"


def test_jwt_token_validate_and_use(free_market: Market) -> None:
    response = requests.post(
        free_market.rest("/jwt-auth/v1/token"),
        json={"username": "vendor_a", "password": "vendor_a-pass-123"},
        timeout=TIMEOUT,
    )
    body = response.json()
    assert response.status_code == 200 and response.headers["Allow"] == "POST"
    assert {k: body[k] for k in body if k != "token"} == {
        "user_email": "vendor_a@example.test",
        "user_nicename": "alpha-goods",
        "user_display_name": "Alice Alpha",
        "roles": ["wcfm_vendor"],
        "store_name": "Alpha Goods",
        "store_id": 2,
    }
    claims = jwt.decode(body["token"], options={"verify_signature": False})
    assert claims["data"] == {"user": {"id": "2"}}
    assert claims["exp"] - claims["iat"] == 7 * 24 * 3600
    assert claims["iss"] == free_market.sim.base_url
    bearer = {"Authorization": f"Bearer {body['token']}"}
    valid = requests.post(
        free_market.rest("/jwt-auth/v1/token/validate"), headers=bearer, timeout=TIMEOUT
    )
    assert valid.json() == {"code": "jwt_auth_valid_token", "data": {"status": 200}}
    orders = requests.get(free_market.rest("/wcfmmp/v1/orders"), headers=bearer, timeout=TIMEOUT)
    assert orders.status_code == 200 and len(orders.json()) == 6


def test_jwt_token_with_a_bad_password(free_market: Market) -> None:
    response = requests.post(
        free_market.rest("/jwt-auth/v1/token"),
        json={"username": "vendor_a", "password": "wrong"},
        timeout=TIMEOUT,
    )
    assert response.status_code == 403
    assert response.json()["code"] == "[jwt_auth] incorrect_password"
    form = requests.post(
        free_market.rest("/jwt-auth/v1/token"),
        data={"username": "vendor_a", "password": "vendor_a-pass-123"},
        timeout=TIMEOUT,
    )
    assert form.status_code == 200


def test_a_bad_bearer_fails_every_rest_call(free_market: Market) -> None:
    bad = {"Authorization": "Bearer not.a.token"}
    for route in ("/wcfmmp/v1/orders", "/wcfmmp/v1", "/jwt-auth/v1/token"):
        response = requests.request(
            "POST" if route.endswith("token") else "GET",
            free_market.rest(route),
            headers=bad,
            timeout=TIMEOUT,
        )
        assert response.status_code == 403, route
        assert response.json()["code"] == "jwt_auth_invalid_token"
    forged = jwt.encode(
        {"iss": free_market.sim.base_url, "exp": 9999999999, "data": {"user": {"id": "2"}}},
        "not-the-secret-not-the-secret-not-the-secret",
        algorithm="HS256",
    )
    response = requests.get(
        free_market.rest("/wcfmmp/v1/orders"),
        headers={"Authorization": f"Bearer {forged}"},
        timeout=TIMEOUT,
    )
    assert response.json()["message"] == "Signature verification failed"


def test_expiring_logins_invalidates_old_tokens_and_sessions(free_market: Market) -> None:
    jwt_session = free_market.jwt()
    cookie_session = free_market.cookie()
    assert free_market.get(jwt_session, "/wcfmmp/v1/orders").status_code == 200
    assert free_market.get(cookie_session, "/wcfmmp/v1/orders").status_code == 200
    expired = requests.post(free_market.url("/_sandbox/expire"), timeout=TIMEOUT)
    assert expired.json()["tokens_revoked"] >= 1
    response = free_market.get(jwt_session, "/wcfmmp/v1/orders")
    assert response.status_code == 403
    assert response.json() == {
        "code": "jwt_auth_invalid_token",
        "message": "Expired token",
        "data": {"status": 403},
    }
    assert free_market.get(cookie_session, "/wcfmmp/v1/orders").status_code in (401, 403)
    assert free_market.get(free_market.jwt(), "/wcfmmp/v1/orders").status_code == 200


def test_cookie_auth_needs_the_nonce(free_market: Market) -> None:
    session = free_market.cookie()
    response = free_market.get(session, "/wcfmmp/v1/orders/21")
    assert response.status_code == 200
    assert response.json()["status"] == "processing"  # known at init, unlike app passwords
    assert response.headers["X-WP-Nonce"] == session.headers["X-WP-Nonce"]
    del session.headers["X-WP-Nonce"]
    without = free_market.get(session, "/wcfmmp/v1/orders")
    assert without.status_code == 401 and without.json()["code"] == "rest_forbidden"
