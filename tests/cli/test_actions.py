"""The command line's outbox actions: complete, note, ship, message-admin, outbox.

Against the simulator over real HTTP, with a real data dir and a file keyring: each command's
effect on the marketplace, refusals (free edition), unknown orders and bad input, and the
offline path (queued, exit 3) followed by exactly one send once the marketplace is back.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest
from sqlalchemy import select

from vendor_desk.cache import open_cache
from vendor_desk.cache.models import AccountRow, OrderRecord
from vendor_desk.cache.store import load_orders
from vendor_desk.domain import Order, OrderStatus
from vendor_desk.sandbox.server import Simulator

from .conftest import closed_port_url, demo_vendor, point_account_at, run


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulator]:
    with Simulator(dataset="generated", orders=100, seed=11) as simulator:
        yield simulator


def _cached_orders(data: str) -> list[Order]:
    cache = open_cache(Path(data))
    try:
        with cache.session() as session:
            account_id = session.scalars(select(AccountRow.id)).one()
            ids = session.scalars(
                select(OrderRecord.order_id).where(OrderRecord.account_id == account_id)
            ).all()
            return sorted(load_orders(session, account_id, ids).values(), key=lambda o: o.id)
    finally:
        cache.close()


_taken: set[int] = set()


def _fresh_order(sim: Simulator, data: str, capsys: Any) -> Order:
    """A processing order with shippable items and no tracking, not used by an earlier test
    (the simulator is shared by the module); new orders are placed and synced when needed."""
    for _ in range(10):
        for order in _cached_orders(data):
            if (
                order.id not in _taken
                and order.vendor_status == OrderStatus.PROCESSING
                and any(item.shippable for item in order.items)
                and not any(item.has_tracking for item in order.items)
            ):
                _taken.add(order.id)
                return order
        sim.add_orders(10)
        assert run(data, capsys, "sync")[0] == 0
    raise AssertionError("the simulator placed no order to ship")


def _server_vendor_status(sim: Simulator, order_id: int) -> set[str]:
    vendor_id = demo_vendor(sim)["id"]
    rows = sim.order_snapshot(order_id)["commissions"]
    return {row["commission_status"] for row in rows if row["vendor_id"] == vendor_id}


def _server_notes(sim: Simulator, order_id: int, text: str) -> list[Any]:
    with sim.state.lock:
        return [note for note in sim.state.notes.get(order_id, []) if text in note.content]


def _server_messages(sim: Simulator, text: str) -> int:
    with sim.state.lock:
        return sum(m.message_type == "direct" and text in m.message for m in sim.state.messages)


def _item_meta(sim: Simulator, order_id: int, item_id: int) -> dict[str, str]:
    items = sim.order_snapshot(order_id)["items"]
    return dict(next(item["meta"] for item in items if item["id"] == item_id))


def _outbox(data: str, capsys: Any) -> list[dict[str, Any]]:
    code, out, err = run(data, capsys, "outbox", "--json")
    assert code == 0, err
    entries: list[dict[str, Any]] = json.loads(out)
    return entries


# =============================================================================== each action
def test_complete(sim: Simulator, data: str, capsys: Any) -> None:
    order = _fresh_order(sim, data, capsys)
    code, out, err = run(data, capsys, "complete", str(order.id))
    assert code == 1 and out == "" and "Ship your items first" in err  # not shipped yet
    assert _outbox(data, capsys) == []
    code, out, err = run(data, capsys, "ship", str(order.id), "--pickup")
    assert code == 0, err
    assert json.loads(out)["kind"] == "local_shipment"
    code, out, err = run(data, capsys, "complete", str(order.id))
    assert code == 0, err
    entry = json.loads(out)
    assert entry["state"] == "sent" and entry["kind"] == "complete" and entry["order"] == order.id
    assert _server_vendor_status(sim, order.id) == {"completed"}
    assert [e["state"] for e in _outbox(data, capsys)] == ["sent", "sent"]
    # the cache shows the marketplace's copy
    assert next(o for o in _cached_orders(data) if o.id == order.id).vendor_status == (
        OrderStatus.COMPLETED
    )


def test_private_and_customer_notes(sim: Simulator, data: str, capsys: Any) -> None:
    order = _fresh_order(sim, data, capsys)
    code, _, err = run(data, capsys, "note", str(order.id), "Packed by Ann")
    assert code == 0, err
    assert "e-mail" not in err
    [private] = _server_notes(sim, order.id, "Packed by Ann")
    assert not private.customer_note
    sim.clear_mails()
    code, _, err = run(data, capsys, "note", str(order.id), "--customer", "On its way")
    assert code == 0, err
    assert err.count("\n") == 1 and "e-mail" in err  # the one-line warning
    [public] = _server_notes(sim, order.id, "On its way")
    assert public.customer_note
    assert any("On its way" in mail["body"] for mail in sim.mails())


def test_ship_all_shippable_items_by_default(sim: Simulator, data: str, capsys: Any) -> None:
    order = _fresh_order(sim, data, capsys)
    items = [item.item_id for item in order.items if item.shippable]
    url = "https://track.example/?id=Z9&lang=en#top"
    code, out, err = run(data, capsys, "ship", str(order.id), "--code", "  z9 99 ", "--url", url)
    assert code == 0, err
    assert json.loads(out)["payload"] == {"item_ids": items, "code": "Z999", "url": url}
    assert _server_vendor_status(sim, order.id) == {"shipped"}
    for item_id in items:
        meta = _item_meta(sim, order.id, item_id)
        assert "Z999" in meta.values() and url in meta.values()
    # The same again is nothing to do (exit 0, nothing queued).
    code, out, err = run(data, capsys, "ship", str(order.id), "--code", "Z999", "--url", url)
    assert code == 0 and out == "" and "nothing to do" in err
    assert len(_outbox(data, capsys)) == 1


def test_ship_chosen_items_and_bad_input(sim: Simulator, data: str, capsys: Any) -> None:
    order = _fresh_order(sim, data, capsys)
    first = next(item.item_id for item in order.items if item.shippable)
    code, _, err = run(
        data, capsys, "ship", str(order.id), "--code", "A1A1", "--url", "ftp://x.example/A1"
    )
    assert code == 2 and "http" in err
    code, _, err = run(
        data,
        capsys,
        "ship",
        str(order.id),
        "--item",
        "999999",
        "--code",
        "A1A1",
        "--url",
        "https://t.example/A1",
    )
    assert code == 2 and "999999" in err
    code, _, err = run(
        data, capsys, "ship", str(order.id), "--code", " ", "--url", "https://t.example/A1"
    )
    assert code == 2 and "code" in err
    assert _outbox(data, capsys) == []  # nothing queued by refused input
    code, _, err = run(
        data,
        capsys,
        "ship",
        str(order.id),
        "--item",
        str(first),
        "--code",
        "A1A1",
        "--url",
        "https://t.example/A1",
    )
    assert code == 0, err
    assert "A1A1" in _item_meta(sim, order.id, first).values()


def test_message_admin(sim: Simulator, data: str, capsys: Any) -> None:
    code, out, err = run(data, capsys, "message-admin", "Please call me back")
    assert code == 0, err
    assert json.loads(out)["kind"] == "message_admin"
    assert _server_messages(sim, "Please call me back") == 1


def test_unknown_order_is_a_usage_error(data: str, capsys: Any) -> None:
    for argv in (["complete", "987654"], ["note", "987654", "hello"]):
        code, out, err = run(data, capsys, *argv)
        assert code == 2 and out == ""
        assert err.count("\n") == 1 and "987654" in err and "sync" in err
    assert _outbox(data, capsys) == []


# =================================================================================== refusals
def test_free_edition_note_is_refused_and_listed_failed(
    sim: Simulator, data: str, capsys: Any
) -> None:
    order = _fresh_order(sim, data, capsys)
    sim.set_edition("free")
    try:
        code, _, err = run(data, capsys, "note", str(order.id), "Free edition note")
    finally:
        sim.set_edition("ultimate")
    assert code == 1
    assert err.count("\n") == 1 and "does not allow adding notes" in err
    [entry] = _outbox(data, capsys)
    assert entry["state"] == "failed" and "does not allow adding notes" in entry["last_error"]
    # later changes of the same order wait behind the refused one
    code, _, err = run(data, capsys, "ship", str(order.id), "--pickup")
    assert code == 1 and f"entry {entry['id']}" in err
    code, _, err = run(data, capsys, "complete", str(order.id))
    assert code == 1 and f"entry {entry['id']}" in err
    assert _server_vendor_status(sim, order.id) == {"processing"}
    # discarding the refused note lets the order's queue go on
    code, out, err = run(data, capsys, "outbox", "--discard", str(entry["id"]))
    assert code == 0 and json.loads(out)["state"] == "discarded"
    code, _, err = run(data, capsys, "message-admin", "Unblocked")
    assert code == 0, err
    assert _server_vendor_status(sim, order.id) == {"completed"}
    assert not _server_notes(sim, order.id, "Free edition note")
    code, _, err = run(data, capsys, "outbox", "--retry", "424242")
    assert code == 2 and "424242" in err


# ============================================================================ offline, then back
def test_offline_queues_then_each_is_sent_once(sim: Simulator, data: str, capsys: Any) -> None:
    order = _fresh_order(sim, data, capsys)
    real_url = point_account_at(data, closed_port_url(), demo_vendor(sim)["password"])
    code, out, err = run(data, capsys, "note", str(order.id), "Written offline")
    assert code == 3 and out == ""
    assert err.count("\n") == 1 and "queued" in err
    assert run(data, capsys, "ship", str(order.id), "--no-tracking")[0] == 3
    code, _, err = run(data, capsys, "complete", str(order.id))
    assert code == 3
    entries = _outbox(data, capsys)
    assert [(e["kind"], e["state"]) for e in entries] == [
        ("note", "pending"),
        ("local_shipment", "pending"),
        ("complete", "pending"),
    ]
    assert entries[0]["attempts"] >= 1 and entries[0]["last_error"]
    assert not _server_notes(sim, order.id, "Written offline")
    assert _server_vendor_status(sim, order.id) == {"processing"}

    point_account_at(data, real_url, demo_vendor(sim)["password"])
    note_id, complete_id = entries[0]["id"], entries[2]["id"]
    # --retry sends the backed-off entry now (and the order's next one after it)
    code, out, err = run(data, capsys, "outbox", "--retry", str(note_id))
    assert code == 0, err
    assert json.loads(out)["state"] == "sent"
    assert f"{complete_id}" in err  # also sent
    assert len(_server_notes(sim, order.id, "Written offline")) == 1
    assert _server_vendor_status(sim, order.id) == {"completed"}
    assert [e["state"] for e in _outbox(data, capsys)] == ["sent", "sent", "sent"]
    assert len(_server_notes(sim, order.id, "Shipped without tracking")) == 1

    # a sent entry is not sent again
    code, _, err = run(data, capsys, "outbox", "--retry", str(note_id))
    assert code == 1 and "cannot be retried" in err
    assert len(_server_notes(sim, order.id, "Written offline")) == 1


def test_offline_entry_goes_with_the_next_command(sim: Simulator, data: str, capsys: Any) -> None:
    real_url = point_account_at(data, closed_port_url(), demo_vendor(sim)["password"])
    assert run(data, capsys, "message-admin", "First, offline")[0] == 3
    point_account_at(data, real_url, demo_vendor(sim)["password"])
    code, _, err = run(data, capsys, "message-admin", "Second, online")
    assert code == 0, err
    assert _server_messages(sim, "First, offline") == 1
    assert _server_messages(sim, "Second, online") == 1
    assert [e["state"] for e in _outbox(data, capsys)] == ["sent", "sent"]
    code, out, _ = run(data, capsys, "outbox")
    assert code == 0 and out.count("message_admin") == 2


def test_a_refused_password_exits_4_and_keeps_the_change_queued(
    sim: Simulator, data: str, capsys: Any
) -> None:
    order = _fresh_order(sim, data, capsys)
    user = demo_vendor(sim)
    keyring.set_password("Vendor Desk", f"{sim.base_url}|{user['login']}", "not-the-password")
    code, _out, err = run(data, capsys, "note", str(order.id), "Signed out")
    assert code == 4, err
    assert "refused the password" in err
    code, out, _err = run(data, capsys, "outbox", "--json")
    assert code == 0
    queued = [e for e in json.loads(out) if e["order"] == order.id]
    assert [e["state"] for e in queued] == ["pending"]
    keyring.set_password("Vendor Desk", f"{sim.base_url}|{user['login']}", user["password"])
    code, _out, err = run(data, capsys, "outbox", "--retry", str(queued[0]["id"]))
    assert code == 0, err


# ================================================================ shipping options, imports
def test_ship_with_a_carrier_preset_and_per_item(sim: Simulator, data: str, capsys: Any) -> None:
    order = _fresh_order(sim, data, capsys)
    first = next(item.item_id for item in order.items if item.shippable)
    code, _, err = run(data, capsys, "ship", str(order.id), "--code", "XY1234567")
    assert code == 2 and "URL" in err  # no carrier, no URL
    code, _, err = run(data, capsys, "ship", str(order.id), "--pickup", "--code", "XY12345")
    assert code == 2
    code, out, err = run(
        data, capsys, "ship", str(order.id), "--item", str(first),
        "--carrier", "Royal Mail", "--code", "ab123456789gb",
    )  # fmt: skip
    assert code == 0, err
    url = "https://www.royalmail.com/track-your-item#/tracking-results/AB123456789GB"
    assert json.loads(out)["payload"]["url"] == url
    assert _item_meta(sim, order.id, first)["wcfm_tracking_url"] == url  # `#` intact


def test_free_edition_untracked_is_local_and_tracking_offers_the_fallback(
    sim: Simulator, data: str, capsys: Any
) -> None:
    untracked = _fresh_order(sim, data, capsys)
    tracked = _fresh_order(sim, data, capsys)
    sim.set_edition("free")
    try:
        code, out, err = run(data, capsys, "ship", str(untracked.id), "--no-tracking")
        assert code == 0, err
        assert json.loads(out)["state"] == "local"
        assert "this computer only" in err and "lost parcel" in err
        assert not _server_notes(sim, untracked.id, "Shipped without tracking")
        code, out, err = run(
            data, capsys, "ship", str(tracked.id), "--carrier", "dhl", "--code", "JD0123456789"
        )
        assert code == 1 and out == ""
        assert "WCFM Ultimate" in err and "--fallback" in err
        [entry] = [e for e in _outbox(data, capsys) if e["kind"] == "tracking"]
        assert entry["state"] == "failed"
        code, out, err = run(data, capsys, "outbox", "--fallback", str(entry["id"]))
        assert code == 0, err
        assert json.loads(out)["kind"] == "message_admin"
        assert _server_messages(sim, "JD0123456789") == 1
        states = {e["kind"]: e["state"] for e in _outbox(data, capsys)}
        assert states == {
            "local_shipment": "local",
            "tracking": "discarded",
            "message_admin": "sent",
        }
        # both orders may now be completed: their items count as shipped
        code, _, err = run(data, capsys, "complete", str(untracked.id), str(tracked.id))
        assert code == 0, err
    finally:
        sim.set_edition("ultimate")
    assert _server_vendor_status(sim, tracked.id) == {"completed"}
    code, _, err = run(data, capsys, "outbox", "--fallback", str(entry["id"] + 1))
    assert code == 2


def test_complete_several_orders_reports_each(sim: Simulator, data: str, capsys: Any) -> None:
    ready = _fresh_order(sim, data, capsys)
    not_shipped = _fresh_order(sim, data, capsys)
    assert run(data, capsys, "ship", str(ready.id), "--pickup")[0] == 0
    code, out, err = run(data, capsys, "complete", str(ready.id), str(not_shipped.id))
    assert code == 1 and f"#{not_shipped.number}: Ship your items first" in err
    assert json.loads(out)["order"] == ready.id
    assert _server_vendor_status(sim, ready.id) == {"completed"}
    assert _server_vendor_status(sim, not_shipped.id) == {"processing"}


def test_import_tracking(sim: Simulator, data: str, capsys: Any, tmp_path: Path) -> None:
    order = _fresh_order(sim, data, capsys)
    path = tmp_path / "export.csv"
    path.write_text(
        "Order #\tTracking number\tCarrier\n"
        f"{order.number}\tCP123456789\tChronopost\n"
        "999999\tCP999999999\tChronopost\n",
        encoding="utf-8-sig",
    )
    code, out, err = run(data, capsys, "import-tracking", str(path), "--dry-run", "--json")
    assert code == 0, err
    preview = json.loads(out)
    assert preview["dry_run"] is True
    assert [(line["line"], line["outcome"]) for line in preview["lines"]] == [
        (2, "applied"),
        (3, "skipped"),
    ]
    assert _outbox(data, capsys) == []
    code, out, err = run(data, capsys, "import-tracking", str(path))
    assert code == 0, err
    assert "line    2  applied" in out and "line    3  skipped" in out
    assert "1 applied, 1 skipped, 0 refused" in err
    item = next(item.item_id for item in order.items if item.shippable)
    assert _item_meta(sim, order.id, item)["wcfm_tracking_code"] == "CP123456789"

    path.write_text(f"Order,Tracking\n{order.number},BAD CODE!\n", encoding="utf-8")
    assert run(data, capsys, "import-tracking", str(path))[0] == 1
    path.write_bytes("Commande;Suivi\n1;caf\xe9\n".encode("latin-1"))
    code, _, err = run(data, capsys, "import-tracking", str(path))
    assert code == 2 and "UTF-8" in err
    code, _, err = run(data, capsys, "import-tracking", str(tmp_path / "missing.csv"))
    assert code == 2 and "missing.csv" in err
