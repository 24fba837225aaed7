"""``vendor-desk`` says what is really wrong, with the exit code of the README's table: 3 when the
marketplace asks to wait (rate limit, maintenance — nothing is lost, try again later), 1 when it
cannot do it (a missing plugin, a login page that wants more than a password), 4 only when it
refused the user name or password. Faults are injected on the real routes of the simulator."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import keyring
import pytest

from vendor_desk.domain import OrderStatus
from vendor_desk.sandbox.server import Simulator

from .conftest import demo_vendor, run

TOKEN = r"^/wp-json/jwt-auth/v1/token"
LOGIN = r"^/wp-login\.php"


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulator]:
    with Simulator(dataset="generated", orders=30, seed=13) as simulator:
        yield simulator


@pytest.fixture(autouse=True)
def _no_faults_left(sim: Simulator) -> Iterator[None]:
    yield
    sim.clear_faults()


def last_line(err: str) -> str:
    lines = err.strip().splitlines()
    return lines[-1] if lines else ""


def test_rate_limited_sign_in_exits_3_and_says_so(sim: Simulator, data: str, capsys: Any) -> None:
    sim.inject_fault("rate_limit", TOKEN, times=None, retry_after=120)
    code, out, err = run(data, capsys, "sync")
    assert code == 3 and out == ""
    assert err == (
        "vendor-desk: The marketplace is limiting requests (too many in a short time): signing "
        "in has to wait. Try again in 2 minutes. Your password was not refused.\n"
    )


def test_rate_limited_order_list_exits_3(sim: Simulator, data: str, capsys: Any) -> None:
    sim.inject_fault("rate_limit", r"/wcfmmp/v1/orders\?", times=None, retry_after=300)
    code, _out, err = run(data, capsys, "sync")
    assert code == 3
    assert last_line(err) == (
        "vendor-desk: The marketplace is limiting requests (too many in a short time): reading "
        "your orders has to wait. Try again in 5 minutes."
    )


def test_maintenance_exits_3(sim: Simulator, data: str, capsys: Any) -> None:
    sim.inject_fault("maintenance", ".*", times=None, retry_after=600)
    code, _out, err = run(data, capsys, "sync")
    assert code == 3
    assert "down for maintenance" in last_line(err) and "Try again in 10 minutes" in err


def test_missing_wcfm_rest_add_on_exits_1_naming_it(sim: Simulator, data: str, capsys: Any) -> None:
    sim.inject_fault("plugin_inactive", "wcfmmp/v1", times=None)
    code, _out, err = run(data, capsys, "sync")
    assert code == 1
    assert last_line(err).startswith(
        "vendor-desk: WCFM's REST API add-on (the plugin “WCFM – Multivendor Marketplace – REST "
        "API”) is not active on this site"
    )


def test_hidden_login_page_without_jwt_exits_1(sim: Simulator, data: str, capsys: Any) -> None:
    sim.inject_fault("plugin_inactive", "jwt-auth/v1", times=None)
    sim.inject_fault("not_found_page", LOGIN, times=None)
    code, _out, err = run(data, capsys, "sync")
    assert code == 1
    assert "login page is not at /wp-login.php" in last_line(err)


def test_captcha_on_the_login_form_is_not_a_refused_password(
    sim: Simulator, data: str, capsys: Any
) -> None:
    sim.inject_fault("plugin_inactive", "jwt-auth/v1", times=None)
    sim.inject_fault(
        "login_challenge",
        LOGIN,
        method="POST",
        times=None,
        message="<strong>Error:</strong> Please solve the CAPTCHA.",
    )
    code, _out, err = run(data, capsys, "sync")
    assert code == 1
    assert last_line(err) == (
        "vendor-desk: The marketplace's login page did not sign you in; it says: “Please solve "
        "the CAPTCHA.”. Your password was not refused."
    )


@pytest.mark.parametrize("jwt", [True, False])
def test_only_a_refused_password_exits_4(sim: Simulator, data: str, capsys: Any, jwt: bool) -> None:
    """By the token route, or by the login form (the site without the JWT plugin)."""
    if not jwt:
        sim.inject_fault("plugin_inactive", "jwt-auth/v1", times=None)
    user = demo_vendor(sim)
    keyring.set_password("Vendor Desk", f"{sim.base_url}|{user['login']}", "not-the-password")
    code, _out, err = run(data, capsys, "sync")
    assert code == 4
    assert err == "vendor-desk: The marketplace did not accept this user name and password.\n"


def test_a_rate_limited_change_stays_queued_exit_3(sim: Simulator, data: str, capsys: Any) -> None:
    code, out, _err = run(data, capsys, "orders", "--json")
    order_id = next(
        row["order_id"]
        for row in json.loads(out)
        if row["display_status"] == OrderStatus.PROCESSING.slug
    )
    sim.inject_fault("rate_limit", r"/wcfmmp/v1/orders/note/", method="POST", retry_after=90)
    code, _out, err = run(data, capsys, "note", str(order_id), "Packed")
    assert code == 3
    assert err.startswith("vendor-desk: The marketplace could not take outbox entry")
    assert err.endswith(
        "now: The marketplace is limiting requests (too many in a short time): adding a note to "
        f"order #{order_id} has to wait. Try again in 2 minutes; it stays queued.\n"
    )
    code, out, _err = run(data, capsys, "outbox", "--json")
    queued = [entry for entry in json.loads(out) if entry["order"] == order_id]
    assert [entry["state"] for entry in queued] == ["pending"]


def test_a_change_blocked_by_a_captcha_stays_queued(sim: Simulator, data: str, capsys: Any) -> None:
    """Only the sign-in failed, not the change: it is not rolled back as refused."""
    code, out, _err = run(data, capsys, "orders", "--json")
    order_id = next(
        row["order_id"]
        for row in json.loads(out)
        if row["display_status"] == OrderStatus.PROCESSING.slug
    )
    sim.inject_fault("plugin_inactive", "jwt-auth/v1", times=None)
    sim.inject_fault(
        "login_challenge", LOGIN, method="POST", times=None, message="Please solve the CAPTCHA."
    )
    code, _out, err = run(data, capsys, "note", str(order_id), "Gift wrapped")
    assert code == 3
    assert "it says: “Please solve the CAPTCHA.”" in err and "stays queued" in err
    code, out, _err = run(data, capsys, "outbox", "--json")
    queued = [entry for entry in json.loads(out) if entry["order"] == order_id]
    assert [entry["state"] for entry in queued] == ["pending"]
