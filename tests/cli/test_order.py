"""``vendor-desk order N``: one cached order in full, against the recorded shop over real HTTP —
the item ids ``ship --item`` and ``refund --item`` take, as text and as JSON, tracking once
shipped, and what waits in the outbox."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

import pytest

from vendor_desk import app
from vendor_desk.sandbox.server import Simulator

from .conftest import closed_port_url, point_account_at, run


def item_rows(text: str) -> dict[int, list[str]]:
    """The rows of the items table (cells split on runs of 2+ spaces), by item id."""
    section = text.split("Your items (", 1)[1].split("\n\n", 1)[0]
    rows = {}
    for line in section.splitlines()[2:]:
        cells = re.split(r" {2,}", line.strip())
        if cells[0].isdigit():
            rows[int(cells[0])] = cells
    return rows


def test_order_in_full_with_its_item_ids(data: str, capsys: Any) -> None:
    code, out, err = run(data, capsys, "order", "#19")
    assert code == 0, err
    assert out.startswith("Order #19 · Processing")
    assert "Cash on delivery (cod) — not paid" in out
    assert "no payment yet" in out  # the warning the window shows before shipping
    assert "Carol Customer · customer_c@example.test · 555-0199" in out
    assert "3 Buyer Rd" in out and "94002 Localhost, California" in out
    assert "Customer's note  Please gift wrap" in out
    assert item_rows(out) == {
        3: ["3", "Alpha Mug", "ALPHA-MUG", "2", "$12.50", "$25.00", "$22.50"],
        4: ["4", "Alpha T-Shirt", "ALPHA-TEE", "1", "$25.00", "$25.00", "$22.50"],
        5: ["5", "Alpha E-Book", "ALPHA-EBOOK", "1", "$9.99", "$9.99", "$8.99"],
    }
    assert re.search(r"Your items +\$59\.99", out) and re.search(r"Your earning +\$53\.99", out)
    assert re.search(r"Order total +\$64\.99", out)
    assert "Waiting in the outbox\n  nothing" in out
    assert max(len(line) for line in out.splitlines()) <= 80

    code, out, err = run(data, capsys, "order", "19", "--json")
    assert code == 0, err
    order = json.loads(out)
    assert (order["order_id"], order["number"], order["status"]) == (19, "19", "processing")
    assert order["payment"] == {"method": "cod", "title": "Cash on delivery", "paid": False}
    assert order["paid_at"] is None and order["customer_note"] == "Please gift wrap"
    assert order["shipping_address"]["address_1"] == "3 Buyer Rd"
    assert [
        (i["item_id"], i["sku"], i["quantity"], i["price"], i["earning"]) for i in order["items"]
    ] == [
        (3, "ALPHA-MUG", 2, "12.50", "22.50"),
        (4, "ALPHA-TEE", 1, "25.00", "22.50"),
        (5, "ALPHA-EBOOK", 1, "9.99", "8.99"),
    ]
    assert (order["items_total"], order["earning"], order["order_total"]) == (
        "59.99",
        "53.99",
        "64.99",
    )
    for moment in (order["created"], order["modified"], order["as_of"]):
        assert datetime.fromisoformat(moment).utcoffset() is not None
    assert order["outbox"] == [] and order["notes"] == []


def test_the_ids_it_shows_are_what_ship_takes(sim: Simulator, data: str, capsys: Any) -> None:
    items = json.loads(run(data, capsys, "order", "19", "--json")[1])["items"]
    mug = next(item["item_id"] for item in items if item["sku"] == "ALPHA-MUG")
    code, _, err = run(
        data, capsys, "ship", "19", "--item", str(mug), "--carrier", "dhl", "--code", "JJD42"
    )
    assert code == 0, err
    code, out, _ = run(data, capsys, "order", "19", "--json")
    tracked = {item["item_id"]: item["tracking_code"] for item in json.loads(out)["items"]}
    assert tracked == {3: "JJD42", 4: "", 5: ""}
    code, out, _ = run(data, capsys, "order", "19")
    assert "Tracking of 3 (Alpha Mug): JJD42" in out
    assert item_rows(out)[3][-1] == "JJD42"


def test_what_waits_in_the_outbox(sim: Simulator, data: str, capsys: Any) -> None:
    dead = closed_port_url()
    point_account_at(data, dead, "vendor_a-pass-123")
    code, _, err = run(data, capsys, "note", "19", "Wrapped in blue")
    assert code == 3 and "queued" in err
    code, out, _ = run(data, capsys, "order", "19")
    assert code == 0
    assert "Waiting in the outbox\n  entry 1 · pending · Private note on order #19" in out
    assert "private · waiting to be sent\n    Wrapped in blue" in out
    code, out, _ = run(data, capsys, "order", "19", "--json")
    order = json.loads(out)
    assert [(e["id"], e["state"], e["kind"]) for e in order["outbox"]] == [(1, "pending", "note")]
    assert [(n["text"], n["waiting"]) for n in order["notes"]] == [("Wrapped in blue", True)]


def test_unknown_order_and_bad_numbers(data: str, capsys: Any) -> None:
    code, out, err = run(data, capsys, "order", "999")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "#999 is not among your cached orders" in err
    # the same exit code and words as ship on an unknown order
    code, _, ship_err = run(data, capsys, "ship", "999", "--code", "X")
    assert code == 2 and "#999 is not among your cached orders" in ship_err
    with pytest.raises(SystemExit) as usage:
        app.main(["order", "nineteen", "--data-dir", data])
    assert usage.value.code == 2
    assert "not an order number" in capsys.readouterr().err


def test_marketplace_text_cannot_drive_the_terminal(sim: Simulator, data: str, capsys: Any) -> None:
    """Names and notes are the customer's words: escape sequences in them are printed as
    harmless text, not sent to the terminal."""
    with sim.state.lock:
        order = sim.state.orders[19]
        order.customer_note = "Gift \x1b[2J\x1b]0;owned\x07wrap\nplease"
        order.billing.first_name = "Carol\x1b[31m"
        order.date_modified = datetime.now(UTC)
    assert run(data, capsys, "sync")[0] == 0
    for argv in (("order", "19"), ("orders",)):
        code, out, _ = run(data, capsys, *argv)
        assert code == 0
        assert "\x1b" not in out and "\x07" not in out
    assert "Gift  [2J ]0;owned wrap\n" in run(data, capsys, "order", "19")[1]
