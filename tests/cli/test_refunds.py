"""The command line's ``refund`` and ``refunds`` against the recorded shop over real HTTP:
full and partial requests (comma decimals), refusals with their exit codes (1 for the order's
state, 2 for typing mistakes), an unpaid cash-on-delivery order only with ``--unpaid-ok``,
offline → queued (exit 3) → sent once, and the listing."""

from __future__ import annotations

import json
from typing import Any

import pytest

from vendor_desk.sandbox.server import Simulator

from .conftest import closed_port_url, point_account_at, run


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


def test_offline_is_queued_then_sent_once(sim: Simulator, data: str, capsys: Any) -> None:
    dead = closed_port_url()
    real = point_account_at(data, dead, "vendor_a-pass-123")
    code, _, err = run(data, capsys, "refund", "22", "--full", "--reason", "Lost")
    assert code == 3 and "queued" in err
    code, out, _ = run(data, capsys, "refunds", "--json")
    assert [(r["order"], r["status"]) for r in json.loads(out)] == [(22, "queued")]
    assert sim.refund_requests() == []
    point_account_at(data, real, "vendor_a-pass-123")
    code, out, err = run(data, capsys, "outbox", "--retry", "1")
    assert code == 0, err
    assert json.loads(out)["state"] == "sent"
    assert len(requests_of(sim, 22)) == 1
    code, _, err = run(data, capsys, "outbox", "--retry", "1")
    assert code == 1 and "cannot be retried" in err
    assert len(requests_of(sim, 22)) == 1
