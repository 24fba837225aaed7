"""Helpers for the dashboard-surface tests: a browser-like client of ``wp-login.php``,
``/store-manager/`` and ``admin-ajax.php`` over real HTTP (``requests.Session``), and the
recorded refund-form strings."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

import requests

TIMEOUT = 10

#: The single ``wcfm_refund_requests_form`` field exactly as recordings 73 and 74 send it.
PARTIAL_REFUND_19 = (
    "wcfm_refund_request=partial&wcfm_refund_input%5B3%5D%5Bqty%5D=1"
    "&wcfm_refund_input%5B3%5D%5Bitem%5D=3&wcfm_refund_input%5B3%5D%5Btotal%5D=12.5"
    "&wcfm_refund_reason=Mug+arrived+chipped&wcfm_refund_order_id=19"
)
FULL_REFUND_22 = (
    "wcfm_refund_request=full&wcfm_refund_input%5B12%5D%5Bqty%5D=3"
    "&wcfm_refund_input%5B12%5D%5Bitem%5D=12&wcfm_refund_input%5B12%5D%5Btotal%5D=29.97"
    "&wcfm_refund_reason=Customer+changed+mind&wcfm_refund_order_id=22"
)

NONCE_RE = re.compile(r'"wcfm_ajax_nonce":"([0-9a-f]{10})"')


def refund_form(order_id: int, mode: str, reason: str, items: dict[int, tuple[int, str]]) -> str:
    """A popup form string: ``items`` maps item id -> (qty, total)."""
    fields: list[tuple[str, str]] = [("wcfm_refund_request", mode)]
    for item_id, (qty, total) in items.items():
        fields += [
            (f"wcfm_refund_input[{item_id}][qty]", str(qty)),
            (f"wcfm_refund_input[{item_id}][item]", str(item_id)),
            (f"wcfm_refund_input[{item_id}][total]", total),
        ]
    fields += [("wcfm_refund_reason", reason), ("wcfm_refund_order_id", str(order_id))]
    return urlencode(fields)


class DashboardClient:
    """What a browser (or Vendor Desk's dashboard transport) does on the WCFM site."""

    def __init__(self, base_url: str) -> None:
        self.base = base_url.rstrip("/")
        self.http = requests.Session()
        self.nonce: str | None = None

    # ------------------------------------------------------------------ login
    def login(
        self, login: str, password: str | None = None, *, test_cookie: bool = True
    ) -> requests.Response:
        if test_cookie:
            self.http.cookies.set("wordpress_test_cookie", "WP Cookie check")
        return self.http.post(
            f"{self.base}/wp-login.php",
            data={
                "log": login,
                "pwd": password if password is not None else f"{login}-pass-123",
                "wp-submit": "Log In",
                "testcookie": "1",
                "redirect_to": f"{self.base}/store-manager/",
            },
            allow_redirects=False,
            timeout=TIMEOUT,
        )

    def dashboard(self, path: str = "/store-manager/") -> requests.Response:
        return self.http.get(f"{self.base}{path}", allow_redirects=False, timeout=TIMEOUT)

    def scrape_nonce(self, path: str = "/store-manager/") -> str:
        """Load the dashboard (again after the one-time store-setup redirect) and keep the
        ``wcfm_ajax_nonce`` of the inline ``wcfm_params``."""
        page = self.dashboard(path)
        if page.status_code == 302:
            page = self.dashboard(path)
        assert page.status_code == 200, page.status_code
        match = NONCE_RE.search(page.text)
        assert match, "no wcfm_ajax_nonce on the dashboard page"
        self.nonce = match.group(1)
        return self.nonce

    def sign_in(self, login: str = "vendor_a") -> DashboardClient:
        response = self.login(login)
        assert response.status_code == 302, response.text[:300]
        self.scrape_nonce()
        return self

    # ------------------------------------------------------------------ admin-ajax
    def ajax(self, action: str, *, nonce: str | None = None, **fields: Any) -> requests.Response:
        data = {"action": action, **{k: str(v) for k, v in fields.items()}}
        data["wcfm_ajax_nonce"] = nonce if nonce is not None else (self.nonce or "")
        return self.http.post(f"{self.base}/wp-admin/admin-ajax.php", data=data, timeout=TIMEOUT)

    def ajax_get(self, action: str, *, nonce: str | None = None, **args: Any) -> requests.Response:
        params = {"action": action, **{k: str(v) for k, v in args.items()}}
        params["wcfm_ajax_nonce"] = nonce if nonce is not None else (self.nonce or "")
        return self.http.get(f"{self.base}/wp-admin/admin-ajax.php", params=params, timeout=TIMEOUT)

    def controller(self, controller: str, **fields: Any) -> requests.Response:
        return self.ajax("wcfm_ajax_controller", controller=controller, **fields)

    def orders_table(self, **fields: Any) -> dict[str, Any]:
        response = self.controller("wcfm-orders", draw=1, start=0, length=10, **fields)
        assert response.status_code == 200
        body: dict[str, Any] = response.json()
        return body

    def submit_refund(self, form: str) -> requests.Response:
        return self.controller("wcfm-refund-requests-form", wcfm_refund_requests_form=form)

    def rest_nonce(self) -> requests.Response:
        return self.http.get(
            f"{self.base}/wp-admin/admin-ajax.php", params={"action": "rest-nonce"}, timeout=TIMEOUT
        )


def order_ids(table: dict[str, Any]) -> list[int]:
    """Order numbers of an orders-table answer, in table order."""
    return [int(re.search(r">#(\d+)</a>", row[1]).group(1)) for row in table["data"]]  # type: ignore[union-attr]
