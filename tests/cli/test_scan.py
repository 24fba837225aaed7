"""``vendor-desk scan CODE [--json]`` on the recorded shop (vendor_a: orders 18–24, SKUs
ALPHA-MUG, ALPHA-TEE, ALPHA-EBOOK), synced through the commands: what a code resolves to, in
text and JSON, and the exit code (1 for a mis-scan or an unknown code)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from .conftest import run

KEYS = {"code", "kind", "order", "item", "tracking", "reason"}


def scan_json(data: str, capsys: Any, code: str) -> tuple[int, dict[str, Any]]:
    exit_code, out, _err = run(data, capsys, "scan", code, "--json")
    found = json.loads(out)
    assert set(found) == KEYS
    return exit_code, found


def test_an_order_in_the_cache(data: str, capsys: Any) -> None:
    code, out, _err = run(data, capsys, "scan", "#19")
    assert code == 0
    assert "Order #19 · Processing · Carol Customer" in out
    assert "SHIP19" in out
    code, found = scan_json(data, capsys, "19")
    assert code == 0 and found["kind"] == "order"
    assert found["order"] == {
        "id": 19,
        "number": "19",
        "status": "processing",
        "customer": "Carol Customer",
        "in_cache": True,
        "confirm_code": "SHIP19",
    }
    assert found["item"] is None and found["tracking"] is None and found["reason"] == ""


def test_an_order_the_cache_lacks(data: str, capsys: Any) -> None:
    code, out, _err = run(data, capsys, "scan", "777")
    assert code == 0 and "not in the cache yet" in out
    assert scan_json(data, capsys, "#777")[1]["order"] == {"id": 777, "in_cache": False}


def test_a_confirm_code(data: str, capsys: Any) -> None:
    code, out, _err = run(data, capsys, "scan", "ship19")
    assert code == 0 and "Confirm code" in out and "#19" in out
    found = scan_json(data, capsys, "SHIP19")[1]
    assert (found["kind"], found["order"]["id"]) == ("confirm", 19)


def test_an_item_and_the_orders_carrying_it(data: str, capsys: Any) -> None:
    code, out, _err = run(data, capsys, "scan", "alpha-mug")
    assert code == 0
    assert "Item with SKU alpha-mug (Alpha Mug), in 3 cached orders" in out
    assert [line.split()[0] for line in out.splitlines()[1:]] == ["#21", "#19", "#18"]
    found = scan_json(data, capsys, "ALPHA-MUG")[1]
    assert found["kind"] == "item" and found["item"]["name"] == "Alpha Mug"
    assert [o["id"] for o in found["item"]["orders"]] == [21, 19, 18]


def test_a_tracking_code(data: str, capsys: Any) -> None:
    code, out, _err = run(data, capsys, "scan", "201298452277")
    assert code == 0
    assert out.splitlines()[0] == "Tracking code 201298452277: FedEx (fedex)"
    assert "Could also be: DHL, Deutsche Post, GLS" in out
    assert "URL: https://www.fedex.com/fedextrack/?trknbr=201298452277" in out
    found = scan_json(data, capsys, "1Z5R89390357567127")[1]
    assert found["tracking"] == {
        "number": "1Z5R89390357567127",
        "carrier": "ups",
        "carrier_name": "UPS",
        "carriers": ["ups"],
        "url": "https://www.ups.com/track?tracknum=1Z5R89390357567127",
    }


@pytest.mark.parametrize(
    ("scanned", "kind", "words"),
    [
        ("1Z5R89390357567128", "misscan", "check digit does not match"),
        ("NOTHING-HERE", "unknown", "No order, confirm code, tracking code or SKU"),
    ],
)
def test_a_misscan_or_an_unknown_code_exits_1(
    data: str, capsys: Any, scanned: str, kind: str, words: str
) -> None:
    code, out, _err = run(data, capsys, "scan", scanned)
    assert code == 1 and words in out
    code, found = scan_json(data, capsys, scanned)
    assert code == 1 and found["kind"] == kind and words in found["reason"]
