"""The command line after the store admin changed orders behind the vendor's back (trash,
delete, cancel, a partial refund — real-server.md, files 160–233), against the recorded shop
over real HTTP: ``orders --status`` leaves such orders out of every action list, ``order N``
says why first, and actions on them are refused with that reason."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import StoreAdmin
from vendor_desk.domain import rules
from vendor_desk.sandbox.server import Simulator

from .conftest import added_and_synced, run, terminal


@pytest.fixture
def data(
    sim: Simulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> Iterator[str]:
    terminal(monkeypatch)
    data = added_and_synced(sim, tmp_path / "data", monkeypatch, capsys)
    admin = StoreAdmin(sim)  # over /wp-json/wc/v3, as on the real site
    admin.trash(19)  # to ship
    admin.delete(20)  # waiting for payment
    admin.set_status(21, "cancelled")  # to ship (split)
    admin.refund(18, "5.00", "Goodwill")  # to ship; nothing of it shows
    code, _, err = run(data, capsys, "sync")
    assert code == 0, err
    yield data


def listed(data: str, capsys: Any, status: str) -> list[int]:
    code, out, err = run(data, capsys, "orders", "--status", status, "--json")
    assert code == 0, err
    return [row["order_id"] for row in json.loads(out)]


def test_orders_taken_away_leave_every_action_list(data: str, capsys: Any) -> None:
    assert listed(data, capsys, "to_ship") == [18]
    assert listed(data, capsys, "awaiting_payment") == [24]
    assert listed(data, capsys, "closed") == [21]
    assert set(listed(data, capsys, "all")) == {18, 19, 20, 21, 22, 24}
    code, out, _ = run(data, capsys, "orders", "--status", "all")
    assert code == 0
    lines = {line.split()[0]: line for line in out.splitlines()[1:]}
    assert "In the trash" in lines["#19"] and "Removed" in lines["#20"]
    assert "Cancelled" in lines["#21"]


@pytest.mark.parametrize(
    ("order_id", "removal"),
    [
        (19, rules.Removal.TRASHED),
        (20, rules.Removal.DELETED),
        (21, rules.Removal.CANCELLED),
    ],
)
def test_order_says_why_first_and_actions_are_refused_with_it(
    data: str, capsys: Any, order_id: int, removal: rules.Removal
) -> None:
    reason = rules.REMOVAL_REASONS[removal]
    code, out, err = run(data, capsys, "order", str(order_id))
    assert code == 0, err
    head = " ".join(line.lstrip("! ") for line in out.split("\n\n", 1)[0].splitlines()[1:])
    assert head.startswith(reason)
    assert max(len(line) for line in out.splitlines()) <= 80
    shown = json.loads(run(data, capsys, "order", str(order_id), "--json")[1])
    assert (shown["removed"], shown["removed_reason"]) == (removal.value, reason)

    code, _, err = run(data, capsys, "complete", str(order_id))
    assert code == 1 and reason in " ".join(err.split())
    code, _, err = run(data, capsys, "ship", str(order_id), "--code", "JJD1", "--carrier", "dhl")
    assert code == 1 and reason in " ".join(err.split())
    code, _, err = run(data, capsys, "refund", str(order_id), "--full", "--reason", "Broken")
    assert code == 1 and reason in " ".join(err.split())
    code, _, err = run(data, capsys, "note", str(order_id), "Where is it?")
    if removal is rules.Removal.CANCELLED:
        assert code == 0, err  # the customer of a cancelled order may still be told
    else:
        assert code == 1 and reason in " ".join(err.split())
    code, out, _ = run(data, capsys, "outbox")
    assert f"#{order_id}" not in out or removal is rules.Removal.CANCELLED


def test_the_refund_line_says_what_the_marketplace_does_not_show(data: str, capsys: Any) -> None:
    code, out, err = run(data, capsys, "order", "18")
    assert code == 0, err
    refund = out.split("Refund", 1)[1].split("Customer", 1)[0]
    assert re.match(r" +none\n", refund)
    assert " ".join(refund.split()) == (
        "none Refunds the store admin makes directly are not shown to vendors by the "
        "marketplace; a full refund shows as Refunded."
    )
