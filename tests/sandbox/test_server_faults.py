"""Fault injection over real sockets: every kind, counts, method filters, and which kinds still
perform the write."""

from __future__ import annotations

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


def test_status_fault_fires_the_given_number_of_times(free_market: Market) -> None:
    add_fault(free_market, kind="status", path=r"/wcfmmp/v1/orders$", status=502, times=2)
    app = free_market.app()
    first = free_market.get(app, ORDERS)
    assert first.status_code == 502
    assert first.json() == {
        "code": "bad_gateway",
        "message": "Bad gateway.",
        "data": {"status": 502},
    }
    assert free_market.get(app, ORDERS).status_code == 502
    assert free_market.get(app, ORDERS).status_code == 200
    assert free_market.get(app, "/wcfmmp/v1/orders/19").status_code == 200  # regex did not match


def test_rate_limit_and_unavailable_carry_retry_after(free_market: Market) -> None:
    free_market.sim.inject_fault("rate_limit", ORDERS, retry_after=7)
    free_market.sim.inject_fault("unavailable", ORDERS, retry_after=11)
    app = free_market.app()
    limited = free_market.get(app, ORDERS)
    assert limited.status_code == 429 and limited.headers["Retry-After"] == "7"
    down = free_market.get(app, ORDERS)
    assert down.status_code == 503 and down.headers["Retry-After"] == "11"
    assert free_market.get(app, ORDERS).status_code == 200


def test_method_filter_and_forever(free_market: Market) -> None:
    fault = free_market.sim.inject_fault(
        "status", "/orders/20", method="PUT", status=500, times=None
    )
    app = free_market.app()
    for _ in range(3):
        assert (
            free_market.put(app, "/wcfmmp/v1/orders/20", json={"status": "processing"}).status_code
            == 500
        )
    assert free_market.get(app, "/wcfmmp/v1/orders/20").status_code == 200
    assert free_market.admin_status(20) == "on-hold"  # never applied
    assert free_market.sim.faults()[0]["hits"] == 3
    assert free_market.sim.remove_fault(fault)
    assert (
        free_market.put(app, "/wcfmmp/v1/orders/20", json={"status": "processing"}).status_code
        == 200
    )


def test_delay(free_market: Market) -> None:
    free_market.sim.inject_fault("delay", ORDERS, delay=0.4)
    started = time.perf_counter()
    response = free_market.get(free_market.app(), ORDERS)
    assert response.status_code == 200
    assert time.perf_counter() - started >= 0.4


def test_reset_drops_the_connection_without_applying(free_market: Market) -> None:
    free_market.sim.inject_fault("reset", "/orders/20", method="PUT")
    with pytest.raises(requests.ConnectionError):
        free_market.put(free_market.app(), "/wcfmmp/v1/orders/20", json={"status": "processing"})
    assert free_market.admin_status(20) == "on-hold"


def test_apply_then_drop_performs_the_write(free_market: Market) -> None:
    free_market.sim.inject_fault("apply_then_drop", "/orders/20", method="PUT")
    with pytest.raises(requests.ConnectionError):
        free_market.put(free_market.app(), "/wcfmmp/v1/orders/20", json={"status": "processing"})
    assert free_market.admin_status(20) == "processing"


def test_truncated_body(free_market: Market) -> None:
    free_market.sim.inject_fault("truncate", ORDERS)
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        free_market.get(free_market.app(), ORDERS)
    assert free_market.get(free_market.app(), ORDERS).status_code == 200


def test_invalid_json_and_critical_error_pages(free_market: Market) -> None:
    free_market.sim.inject_fault("invalid_json", ORDERS)
    free_market.sim.inject_fault("critical_error", ORDERS, status=200)
    free_market.sim.inject_fault("critical_error", ORDERS, status=500)
    app = free_market.app()
    garbage = free_market.get(app, ORDERS)
    assert garbage.status_code == 200
    with pytest.raises(ValueError):
        garbage.json()
    for status in (200, 500):
        page = free_market.get(app, ORDERS)
        assert page.status_code == status
        assert page.headers["Content-Type"].startswith("text/html")
        assert "There has been a critical error on this website." in page.text


def test_control_surface_is_never_faulted_and_bad_specs_are_refused(free_market: Market) -> None:
    free_market.sim.inject_fault("reset", ".*", times=None)
    info = requests.get(free_market.url("/_sandbox"), timeout=TIMEOUT)
    assert info.status_code == 200
    bad = requests.post(
        free_market.url("/_sandbox/faults"), json={"kind": "explode"}, timeout=TIMEOUT
    )
    assert bad.status_code == 400
    cleared = requests.delete(free_market.url("/_sandbox/faults"), timeout=TIMEOUT)
    assert cleared.json() == {"faults": []}
    assert free_market.get(free_market.app(), ORDERS).status_code == 200
