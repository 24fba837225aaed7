"""The simulator's cost model (a real marketplace's server time) and its request counters:
arithmetic, the worker limit, the counts per kind of route, the control routes and the
command-line options. Costs in these tests are tiny so the suite stays fast."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
import time
from typing import Any

import pytest
import requests

from tests.conftest import REPO_ROOT
from tests.sandbox.conftest import TIMEOUT, Market
from tests.sandbox.dashboard_helpers import DashboardClient
from vendor_desk.sandbox import Simulator
from vendor_desk.sandbox.cost import REAL_MARKETPLACE, CostModel, route_kind
from vendor_desk.sandbox.http import Request
from vendor_desk.sandbox.server import _Handler


def request(method: str, path: str, body: bytes = b"", **query: str) -> Request:
    headers = {"content-type": "application/x-www-form-urlencoded"} if body else {}
    return Request(method, path, {k: [v] for k, v in query.items()}, headers, body)


# ------------------------------------------------------------------------------ arithmetic
def test_real_figures_are_the_measured_ones() -> None:
    real = REAL_MARKETPLACE
    assert (real.per_request, real.per_order, real.single_order, real.workers) == (
        0.13,
        0.0049,
        0.09,
        4,
    )
    # The real site's pages: 20 a page 0.23 s, 50 0.40 s, 100 0.62 s (issue 14).
    assert real.seconds("orders", 20) == pytest.approx(0.228)
    assert real.seconds("orders", 50) == pytest.approx(0.375)
    assert real.seconds("orders", 100) == pytest.approx(0.62)
    assert real.seconds("order", 1) == pytest.approx(0.09)
    for kind in ("notes", "notifications", "token", "login", "dashboard", "ajax", "write"):
        assert real.seconds(kind) == pytest.approx(0.13)
    assert real.seconds("fault") == 0.0


@pytest.mark.parametrize(
    "bad",
    [{"per_request": -0.1}, {"per_order": -1.0}, {"single_order": -0.5}, {"workers": 0}],
)
def test_impossible_figures_are_refused(bad: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        CostModel(**bad)


@pytest.mark.parametrize(
    ("req", "kind"),
    [
        (request("GET", "/wp-json/wcfmmp/v1/orders", per_page="100"), "orders"),
        (request("GET", "/wp-json/wcfmmp/v1/orders/"), "orders"),
        (request("GET", "/", rest_route="/wcfmmp/v1/orders"), "orders"),
        (request("GET", "/wp-json/wc/v3/orders"), "orders"),
        (request("GET", "/wp-json/wcfmmp/v1/orders/19"), "order"),
        (request("GET", "/wp-json/wc/v3/orders/19"), "order"),
        (request("PUT", "/wp-json/wcfmmp/v1/orders/19"), "write"),
        (request("GET", "/wp-json/wcfmmp/v1/orders/19", _method="PUT"), "write"),
        (request("POST", "/wp-json/wcfmmp/v1/orders/shipment_tracking"), "write"),
        (request("GET", "/wp-json/wcfmmp/v1/orders/note/19"), "notes"),
        (request("POST", "/wp-json/wcfmmp/v1/orders/note/19"), "notes"),
        (request("GET", "/wp-json/wc/v3/orders/19/notes"), "notes"),
        (request("GET", "/wp-json/wcfmmp/v1/notifications"), "notifications"),
        (request("POST", "/wp-json/jwt-auth/v1/token"), "token"),
        (request("GET", "/wp-json/"), "rest"),
        (request("GET", "/wp-json/wcfmmp/v1/sales-stats"), "rest"),
        (request("POST", "/wp-login.php"), "login"),
        (request("GET", "/store-manager/"), "dashboard"),
        (request("GET", "/store-manager/orders/"), "dashboard"),
        (
            request(
                "POST",
                "/wp-admin/admin-ajax.php",
                b"action=wcfm_ajax_controller&controller=wcfm-orders&start=0&length=25",
            ),
            "orders",
        ),
        (request("GET", "/wp-admin/admin-ajax.php", action="rest-nonce"), "ajax"),
        (request("GET", "/wp-content/uploads/x.pdf"), "other"),
    ],
)
def test_route_kinds(req: Request, kind: str) -> None:
    assert route_kind(req) == kind


# ------------------------------------------------------------------------------ counters
def test_counters_work_without_a_cost_model(free_market: Market) -> None:
    sim = free_market.sim
    assert sim.server_stats()["cost"] is None
    sim.reset_server_stats()
    app = free_market.app()
    assert len(free_market.get(app, "/wcfmmp/v1/orders", params={"per_page": 4}).json()) == 4
    assert free_market.get(app, "/wcfmmp/v1/orders/19").status_code == 200
    assert free_market.get(app, "/wcfmmp/v1/orders/999").status_code == 404
    free_market.get(app, "/wcfmmp/v1/notifications")
    free_market.token()
    requests.get(free_market.url("/_sandbox/mails"), timeout=TIMEOUT)  # not counted
    stats = sim.server_stats()
    assert stats["requests"] == 5 and stats["orders"] == 5
    kinds = stats["by_kind"]
    assert kinds["orders"]["requests"] == 1 and kinds["orders"]["orders"] == 4
    assert kinds["order"] == {**kinds["order"], "requests": 2, "orders": 1}
    assert kinds["notifications"]["requests"] == 1 and kinds["token"]["requests"] == 1
    assert stats["modelled_seconds"] == 0.0 and stats["queued_seconds"] < 0.5
    before = sim.reset_server_stats()
    assert before["requests"] == 5
    after = sim.server_stats()
    assert after["requests"] == 0 and after["by_kind"] == {} and after["modelled_seconds"] == 0


def test_the_dashboard_is_counted_by_kind_and_its_order_table_by_orders(
    free_market: Market,
) -> None:
    sim = free_market.sim
    sim.reset_server_stats()
    client = DashboardClient(sim.base_url).sign_in("vendor_a")  # wp-login + the page (twice)
    table = client.orders_table()
    client.rest_nonce()
    kinds = sim.server_stats()["by_kind"]
    assert kinds["login"]["requests"] == 1
    assert kinds["dashboard"]["requests"] >= 1
    assert kinds["orders"] == {**kinds["orders"], "requests": 1, "orders": len(table["data"])}
    assert len(table["data"]) == 6
    assert kinds["ajax"]["requests"] == 1 and kinds["ajax"]["orders"] == 0


def test_control_routes_read_and_reset_the_counts(free_market: Market) -> None:
    app = free_market.app()
    free_market.get(app, "/wcfmmp/v1/orders", params={"per_page": 3})
    stats = requests.get(free_market.url("/_sandbox/stats"), timeout=TIMEOUT).json()
    assert stats["requests"] == 1 and stats["by_kind"]["orders"]["orders"] == 3
    assert stats["cost"] is None
    reset = requests.post(free_market.url("/_sandbox/stats/reset"), timeout=TIMEOUT).json()
    assert reset["requests"] == 1  # the counts until the reset
    again = requests.get(free_market.url("/_sandbox/stats"), timeout=TIMEOUT).json()
    assert again["requests"] == 0
    info = requests.get(free_market.url("/_sandbox"), timeout=TIMEOUT).json()
    assert {"/_sandbox/stats", "/_sandbox/stats/reset"} <= {r["path"] for r in info["control"]}


def test_an_injected_fault_is_counted_and_costs_nothing() -> None:
    with Simulator(cost=CostModel(per_request=0.2, workers=1)) as sim:
        sim.inject_fault("unavailable", "/wcfmmp/v1/orders")
        vendor = next(u for u in sim.users if u["login"] == "vendor_a")
        started = time.perf_counter()
        answer = requests.get(
            f"{sim.base_url}/wp-json/wcfmmp/v1/orders",
            auth=("vendor_a", vendor["app_password"]),
            timeout=TIMEOUT,
        )
        assert answer.status_code == 503 and time.perf_counter() - started < 0.2
        stats = sim.server_stats()
        assert stats["by_kind"] == {
            "fault": {"requests": 1, "orders": 0, "modelled_seconds": 0.0, "busy_seconds": 0.0}
        }


# ------------------------------------------------------------------------------ server time
def test_each_answer_takes_the_fixed_plus_per_order_cost() -> None:
    cost = CostModel(per_request=0.05, per_order=0.01, single_order=0.03, workers=4)
    with Simulator(cost=cost) as sim:
        market = Market(sim)
        app = market.app()
        sim.reset_server_stats()
        started = time.perf_counter()
        assert len(market.get(app, "/wcfmmp/v1/orders", params={"per_page": 6}).json()) == 6
        page_seconds = time.perf_counter() - started
        started = time.perf_counter()
        assert market.get(app, "/wcfmmp/v1/orders/19").status_code == 200
        single_seconds = time.perf_counter() - started
        stats = sim.server_stats()
    assert page_seconds >= 0.05 + 6 * 0.01
    assert single_seconds >= 0.03
    assert stats["cost"] == cost.as_dict()
    assert stats["by_kind"]["orders"]["modelled_seconds"] == pytest.approx(0.11)
    assert stats["by_kind"]["order"]["modelled_seconds"] == pytest.approx(0.03)
    assert stats["modelled_seconds"] == pytest.approx(0.14)
    assert stats["busy_seconds"] >= stats["modelled_seconds"] - 1e-3


def test_no_more_requests_than_workers_are_answered_at_once() -> None:
    cost = CostModel(per_request=0.1, per_order=0.0, single_order=0.1, workers=2)
    with Simulator(cost=cost) as sim:
        vendor = next(u for u in sim.users if u["login"] == "vendor_a")
        url = f"{sim.base_url}/wp-json/wcfmmp/v1/orders/19"
        sessions = [requests.Session() for _ in range(8)]
        for session in sessions:
            session.auth = ("vendor_a", vendor["app_password"])
        start = threading.Barrier(len(sessions) + 1)
        statuses: list[int] = []

        def fetch(session: requests.Session) -> None:
            start.wait()
            statuses.append(session.get(url, timeout=TIMEOUT).status_code)

        threads = [threading.Thread(target=fetch, args=(s,)) for s in sessions]
        for thread in threads:
            thread.start()
        sim.reset_server_stats()
        start.wait()
        began = time.perf_counter()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - began
        stats = sim.server_stats()
    assert statuses == [200] * 8
    assert elapsed >= 4 * 0.1 - 0.01  # 8 requests of 0.1 s on 2 workers
    assert stats["max_in_flight"] == 2
    assert stats["modelled_seconds"] == pytest.approx(0.8)
    assert stats["queued_seconds"] >= 0.1  # the later requests waited for a worker


def test_the_server_keeps_nagle_off() -> None:
    """Small keep-alive answers must not wait for the client's delayed ACK (≈ 40 ms each):
    the handler turns TCP_NODELAY on (StreamRequestHandler.disable_nagle_algorithm)."""
    assert _Handler.disable_nagle_algorithm is True


# ------------------------------------------------------------------------------ command line
def test_sandbox_command_with_a_cost_model_and_the_shop() -> None:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "vendor_desk",
            "sandbox",
            "--port",
            "0",
            "--dataset",
            "shop",
            "--orders",
            "120",
            "--cost-per-request",
            "0.02",
            "--workers",
            "3",
        ],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        summary = json.loads(process.stdout.readline())
        assert summary["dataset"] == "shop" and summary["demo_vendor"] == "demo_vendor"
        assert summary["cost"] == {**REAL_MARKETPLACE.as_dict(), "per_request": 0.02, "workers": 3}
        user = next(u for u in summary["users"] if u["login"] == "demo_vendor")
        listed = requests.get(
            f"{summary['base_url']}/wp-json/wcfmmp/v1/orders",
            params={"per_page": 10},
            auth=("demo_vendor", user["app_password"]),
            timeout=TIMEOUT,
        )
        assert listed.status_code == 200 and len(listed.json()) == 10
        stats = requests.get(f"{summary['base_url']}/_sandbox/stats", timeout=TIMEOUT).json()
        assert stats["requests"] == 1 and stats["orders"] == 10
        assert stats["modelled_seconds"] == pytest.approx(0.02 + 10 * 0.0049)
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=10)
    assert process.returncode == 0, stderr


@pytest.mark.parametrize(
    "options", [["--workers", "0"], ["--cost-per-order", "-1"], ["--cost", "cheap"]]
)
def test_sandbox_command_refuses_impossible_costs(options: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "vendor_desk", "sandbox", *options],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert "--cost" in result.stderr or "--workers" in result.stderr
