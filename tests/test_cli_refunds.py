"""The command line's ``refund`` and ``refunds`` against the recorded shop over real HTTP:
full and partial requests (comma decimals), refusals with their exit codes (1 for the order's
state, 2 for typing mistakes), an unpaid cash-on-delivery order only with ``--unpaid-ok``,
offline → queued (exit 3) → sent once, and the listing."""

from __future__ import annotations

import io
import json
import socket
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyrings.alt.file import PlaintextKeyring
from sqlalchemy import select

from vendor_desk import app
from vendor_desk.cache import open_cache
from vendor_desk.cache.models import AccountRow
from vendor_desk.sandbox.server import Simulator
from vendor_desk.secrets import SecretStore


@pytest.fixture(autouse=True)
def file_keyring(tmp_path: Path) -> Iterator[None]:
    previous = keyring.get_keyring()
    backend = PlaintextKeyring()
    backend.file_path = str(tmp_path / "keyring.cfg")
    keyring.set_keyring(backend)
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def sim() -> Iterator[Simulator]:
    with Simulator(dataset="recorded") as simulator:
        yield simulator


@pytest.fixture
def data(sim: Simulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any) -> str:
    folder = str(tmp_path / "data")
    monkeypatch.setattr(sys, "stdin", io.StringIO("vendor_a-pass-123\n"))
    assert app.main(["account", "add", sim.base_url, "vendor_a", "--data-dir", folder]) == 0
    assert app.main(["sync", "--data-dir", folder]) == 0
    capsys.readouterr()
    return folder


def run(data: str, capsys: Any, *argv: str) -> tuple[int, str, str]:
    code = app.main([*argv, "--data-dir", data])
    out = capsys.readouterr()
    return code, out.out, out.err


def requests_of(sim: Simulator, order_id: int) -> list[dict[str, Any]]:
    return [r for r in sim.refund_requests() if r["order_id"] == order_id]


def test_partial_refund_with_comma_decimals(sim: Simulator, data: str, capsys: Any) -> None:
    code, out, err = run(
        data,
        capsys,
        "refund",
        "19",
        "--partial",
        "--item",
        "3:1:12,5",
        "--reason",
        "Chipped",
        "--unpaid-ok",
    )
    assert code == 0, err
    assert json.loads(out)["state"] == "sent"
    [request] = requests_of(sim, 19)
    assert (request["item_id"], request["qty"], request["amount"]) == (3, 1, "12.50")
    assert run(data, capsys, "sync")[0] == 0  # reads the request list too
    code, out, _ = run(data, capsys, "refunds", "--json")
    assert code == 0
    assert [(r["order"], r["status"], r["mode"], r["amount"]) for r in json.loads(out)] == [
        (19, "requested", "partial", "12.50")
    ]
    sim.approve_refund_request(request["id"])
    code, _, err = run(data, capsys, "sync")
    assert code == 0 and f"refund request #{request['id']} of order #19 was approved" in err
    code, out, _ = run(data, capsys, "refunds")
    assert "approved" in out and "Chipped" in out


def test_full_refund_says_shipping_is_refunded(sim: Simulator, data: str, capsys: Any) -> None:
    code, _, err = run(data, capsys, "refund", "22", "--full", "--reason", "Changed mind")
    assert code == 0, err
    assert "original shipping is refunded" in err
    assert "Nothing has been paid" not in err  # order 22 is paid: no warning, no flag needed
    assert [r["partial"] for r in requests_of(sim, 22)] == [False]


def test_unpaid_cash_on_delivery_needs_unpaid_ok(sim: Simulator, data: str, capsys: Any) -> None:
    code, out, err = run(data, capsys, "refund", "19", "--full", "--reason", "Broken")
    assert code == 1 and out == ""
    assert err.count("\n") == 1
    assert "Nothing has been paid for order #19 yet" in err and "gives no money back" in err
    assert "--unpaid-ok" in err
    assert sim.refund_requests() == []
    assert json.loads(run(data, capsys, "outbox", "--json")[1]) == []  # nothing queued

    code, out, err = run(
        data, capsys, "refund", "19", "--full", "--reason", "Broken", "--unpaid-ok"
    )
    assert code == 0, err
    assert json.loads(out)["state"] == "sent"
    assert "warning: Nothing has been paid for order #19 yet" in err  # said anyway
    assert len(requests_of(sim, 19)) == 3  # one per item of a full refund


@pytest.mark.parametrize(
    ("argv", "code", "words"),
    [
        (["--partial", "--item", "3:1:99", "--reason", "x"], 2, "at most $25.00"),
        (["--partial", "--item", "3:5:1", "--reason", "x"], 2, "at most 2 can be refunded"),
        (["--partial", "--item", "3:0:1,005", "--reason", "x"], 2, "at most 2 decimals"),
        (["--partial", "--item", "3:0:-2", "--reason", "x"], 2, "negative"),
        (["--partial", "--item", "3:0:0", "--reason", "x"], 2, "at least one item"),
        (["--partial", "--item", "3-1-2", "--reason", "x"], 2, "ID:QTY:AMOUNT"),
        (["--partial", "--reason", "x"], 2, "at least one --item"),
        (["--full", "--reason", "  "], 2, "Give a reason"),
    ],
)
def test_typing_mistakes_exit_2(
    sim: Simulator, data: str, capsys: Any, argv: list[str], code: int, words: str
) -> None:
    exit_code, _, err = run(data, capsys, "refund", "19", *argv)
    assert exit_code == code and words in err
    assert sim.refund_requests() == []


def test_the_orders_state_exits_1_and_points_to_the_admin(
    sim: Simulator, data: str, capsys: Any
) -> None:
    sim.set_payout(19, "completed")
    assert run(data, capsys, "sync")[0] == 0
    code, _, err = run(data, capsys, "refund", "19", "--full", "--reason", "Broken")
    assert code == 1
    assert "store admin" in err and "message-admin" in err
    assert sim.refund_requests() == []


def test_unknown_order_exits_2(data: str, capsys: Any) -> None:
    code, _, err = run(data, capsys, "refund", "999999", "--full", "--reason", "x")
    assert code == 2 and "not among your cached orders" in err


def point_account_at(data: str, base_url: str) -> str:
    """Move the account to another address (its password stored there too); the old one."""
    cache = open_cache(Path(data))
    try:
        with cache.session(write=True) as session:
            account = session.scalars(select(AccountRow)).one()
            old, account.base_url = account.base_url, base_url
    finally:
        cache.close()
    SecretStore().set(base_url, "vendor_a", "vendor_a-pass-123")
    return old


def test_offline_is_queued_then_sent_once(sim: Simulator, data: str, capsys: Any) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{probe.getsockname()[1]}"
    real = point_account_at(data, dead)
    code, _, err = run(data, capsys, "refund", "22", "--full", "--reason", "Lost")
    assert code == 3 and "queued" in err
    code, out, _ = run(data, capsys, "refunds", "--json")
    assert [(r["order"], r["status"]) for r in json.loads(out)] == [(22, "queued")]
    assert sim.refund_requests() == []
    point_account_at(data, real)
    code, out, err = run(data, capsys, "outbox", "--retry", "1")
    assert code == 0, err
    assert json.loads(out)["state"] == "sent"
    assert len(requests_of(sim, 22)) == 1
    code, _, err = run(data, capsys, "outbox", "--retry", "1")
    assert code == 1 and "cannot be retried" in err
    assert len(requests_of(sim, 22)) == 1
