"""Fixtures for the simulator tests: a fresh simulator on 127.0.0.1 (random port) per test,
and HTTP clients authenticated the three ways a vendor can (application password, JWT,
cookie + nonce)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from vendor_desk.sandbox import Simulator

TIMEOUT = 10


class Market:
    """A running simulator plus ready-made clients."""

    def __init__(self, sim: Simulator) -> None:
        self.sim = sim
        self.users = {user["login"]: user for user in sim.users}

    def url(self, path: str) -> str:
        return f"{self.sim.base_url}{path}"

    def rest(self, route: str) -> str:
        return self.url(f"/wp-json{route}")

    def anonymous(self) -> requests.Session:
        return requests.Session()

    def app(self, login: str = "vendor_a") -> requests.Session:
        """Application password over HTTP Basic."""
        session = requests.Session()
        session.auth = (login, self.users[login]["app_password"])
        return session

    def token(self, login: str = "vendor_a") -> str:
        response = requests.post(
            self.rest("/jwt-auth/v1/token"),
            json={"username": login, "password": self.users[login]["password"]},
            timeout=TIMEOUT,
        )
        assert response.status_code == 200, response.text
        token: str = response.json()["token"]
        return token

    def jwt(self, login: str = "vendor_a") -> requests.Session:
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {self.token(login)}"
        return session

    def cookie(self, login: str = "vendor_a") -> requests.Session:
        """wp-login.php + the ``rest-nonce`` admin-ajax action, as the dashboard does."""
        session = requests.Session()
        session.cookies.set("wordpress_test_cookie", "WP Cookie check")
        response = session.post(
            self.url("/wp-login.php"),
            data={
                "log": login,
                "pwd": self.users[login]["password"],
                "wp-submit": "Log In",
                "testcookie": "1",
                "redirect_to": self.url("/store-manager/"),
            },
            allow_redirects=False,
            timeout=TIMEOUT,
        )
        assert response.status_code == 302, response.text[:200]
        nonce = session.get(
            self.url("/wp-admin/admin-ajax.php"), params={"action": "rest-nonce"}, timeout=TIMEOUT
        ).text.strip()
        session.headers["X-WP-Nonce"] = nonce
        return session

    def get(self, session: requests.Session, route: str, **kwargs: Any) -> requests.Response:
        return session.get(self.rest(route), timeout=TIMEOUT, **kwargs)

    def put(self, session: requests.Session, route: str, **kwargs: Any) -> requests.Response:
        return session.put(self.rest(route), timeout=TIMEOUT, **kwargs)

    def post(self, session: requests.Session, route: str, **kwargs: Any) -> requests.Response:
        return session.post(self.rest(route), timeout=TIMEOUT, **kwargs)

    def admin_status(self, order_id: int) -> str:
        """The main order status, as the admin reads it through WooCommerce's own API."""
        response = self.get(self.app("storeadmin"), f"/wc/v3/orders/{order_id}")
        assert response.status_code == 200
        status: str = response.json()["status"]
        return status


@pytest.fixture
def free_market() -> Iterator[Market]:
    with Simulator(edition="free") as sim:
        yield Market(sim)


@pytest.fixture
def ultimate_market() -> Iterator[Market]:
    with Simulator(edition="ultimate") as sim:
        yield Market(sim)
