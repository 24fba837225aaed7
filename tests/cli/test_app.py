"""The headless command line: account add, sync, orders — exit codes and output, and the
``orders`` table (a header, columns aligned in terminal cells with CJK names, amounts in the
user's locale, long texts cut with "…")."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import wcwidth

from vendor_desk import app
from vendor_desk.documents.formatting import format_money
from vendor_desk.domain import Money
from vendor_desk.sandbox.server import Simulator

from .conftest import demo_vendor


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulator]:
    with Simulator(dataset="generated", orders=40, seed=5) as simulator:
        yield simulator


def _run(monkeypatch: pytest.MonkeyPatch, argv: list[str], stdin: str = "") -> int:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    return app.main(argv)


def test_add_sync_and_list(sim: Simulator, tmp_path: Path, monkeypatch: Any, capsys: Any) -> None:
    data = str(tmp_path / "data")
    user = demo_vendor(sim)
    code = _run(
        monkeypatch,
        ["account", "add", sim.base_url, user["login"], "--data-dir", data],
        user["password"] + "\n",
    )
    out = capsys.readouterr()
    assert code == 0, out.err
    assert json.loads(out.out)["store"]

    assert app.main(["--data-dir", data, "sync"]) == 0
    out = capsys.readouterr()
    summary = json.loads(out.out)
    assert summary["kind"] == "first" and len(summary["new_order_ids"]) > 0
    assert "orders" in out.err  # progress on stderr

    assert app.main(["orders", "--json", "--data-dir", data, "--account", user["login"]]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == len(summary["new_order_ids"])
    assert app.main(["orders", "--status", "completed", "--json", "--data-dir", data]) == 0
    completed = json.loads(capsys.readouterr().out)
    assert completed and all(r["display_status"] == "completed" for r in completed)
    assert app.main(["orders", "--data-dir", data]) == 0
    assert capsys.readouterr().out.count("\n") == len(rows) + 1  # the header
    # the secret is nowhere in the data dir
    for path in Path(data).rglob("*"):
        if path.is_file():
            assert user["password"].encode() not in path.read_bytes()


def test_exit_codes(sim: Simulator, tmp_path: Path, monkeypatch: Any, capsys: Any) -> None:
    data = str(tmp_path / "data")
    user = demo_vendor(sim)
    assert (
        _run(
            monkeypatch,
            ["account", "add", sim.base_url, user["login"], "--data-dir", data],
            "wrong\n",
        )
        == 4
    )
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("vendor-desk:")
    assert (
        _run(monkeypatch, ["account", "add", "http://127.0.0.1:9", "x", "--data-dir", data], "pw\n")
        == 3
    )
    capsys.readouterr()
    assert app.main(["sync", "--data-dir", data]) == 2  # no account yet
    assert "account add" in capsys.readouterr().err
    with pytest.raises(SystemExit) as usage:
        app.main(["orders", "--status", "bogus"])
    assert usage.value.code == 2


def test_sync_unreachable_is_3(
    sim: Simulator, tmp_path: Path, monkeypatch: Any, capsys: Any
) -> None:
    data = str(tmp_path / "data")
    user = demo_vendor(sim)
    assert (
        _run(
            monkeypatch,
            ["account", "add", sim.base_url, user["login"], "--data-dir", data],
            user["password"] + "\n",
        )
        == 0
    )
    fault = sim.fault_injector.add("reset", times=None)
    try:
        assert app.main(["sync", "--data-dir", data]) == 3
    finally:
        sim.fault_injector.remove(fault.id)
    assert "reached" in capsys.readouterr().err


@pytest.fixture
def synced(sim: Simulator, tmp_path: Path, monkeypatch: Any, capsys: Any) -> str:
    data = str(tmp_path / "data")
    user = demo_vendor(sim)
    add = ["account", "add", sim.base_url, user["login"], "--data-dir", data]
    assert _run(monkeypatch, add, user["password"] + "\n") == 0
    assert app.main(["sync", "--data-dir", data]) == 0
    capsys.readouterr()
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    return data


def _table(data: str, capsys: Any) -> tuple[list[str], list[dict[str, Any]]]:
    assert app.main(["orders", "--data-dir", data]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert app.main(["orders", "--json", "--data-dir", data]) == 0
    return lines, json.loads(capsys.readouterr().out)


def test_orders_table_fits_80_columns_aligned_with_cjk_names(
    synced: str, monkeypatch: Any, capsys: Any
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    lines, rows = _table(synced, capsys)
    header, body = lines[0], lines[1:]
    assert header.split() == ["Order", "Date", "Customer", "Status", "Your", "total", "Earning"]
    assert len(body) == len(rows)
    # The last column (the earning) is right-aligned, so every aligned line is exactly as wide
    # as the header — in terminal cells: a CJK character takes two.
    widths = {wcwidth.width(line) for line in lines}
    assert widths == {wcwidth.width(header)} and widths.pop() <= 80
    wide = [
        line
        for line, row in zip(body, rows, strict=True)
        if any(wcwidth.wcwidth(char) == 2 for char in row["customer"])
    ]
    assert wide and all(len(line) < wcwidth.width(line) for line in wide)
    for line, row in zip(body, rows, strict=True):
        assert line.startswith(f"#{row['number']} ")
        earning = format_money(Money(Decimal(row["earning"]), row["currency"]), "en_US")
        total = format_money(Money(Decimal(row["total"]), row["currency"]), "en_US")
        assert line.endswith(earning) and f"{total}  " in line  # "$1,234.50", as in the window
    long_names = [row["customer"] for row in rows if wcwidth.width(row["customer"]) > 30]
    assert long_names and any(
        name[:8] in line and "…" in line for line in body for name in long_names
    )


def test_orders_table_shows_the_items_when_there_is_room(
    synced: str, monkeypatch: Any, capsys: Any
) -> None:
    monkeypatch.setenv("COLUMNS", "160")
    lines, rows = _table(synced, capsys)
    assert lines[0].split()[-1] == "Items"
    for line, row in zip(lines[1:], rows, strict=True):
        summary = row["items_summary"]
        assert summary in line or (summary[:10] in line and line.endswith("…"))
    assert max(wcwidth.width(line) for line in lines) <= 160


def test_orders_table_amounts_follow_the_locale(synced: str, monkeypatch: Any, capsys: Any) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("LANG", "de_DE.UTF-8")  # no C locale data needed: read like Qt does
    lines, rows = _table(synced, capsys)
    row = next(r for r in rows if Decimal(r["total"]) >= 100)
    line = next(line for line in lines if line.startswith(f"#{row['number']} "))
    german = format_money(Money(Decimal(row["total"]), row["currency"]), "de_DE")
    assert german in line and "," in german
    assert format_money(Money(Decimal(row["total"]), row["currency"]), "en_US") not in line


def test_sync_everything_reads_every_order_and_says_since_when(
    sim: Simulator, tmp_path: Path, monkeypatch: Any, capsys: Any
) -> None:
    data = str(tmp_path / "data")
    user = demo_vendor(sim)
    add = ["account", "add", sim.base_url, user["login"], "--data-dir", data]
    assert _run(monkeypatch, add, user["password"] + "\n") == 0
    assert app.main(["sync", "--data-dir", data]) == 0
    capsys.readouterr()
    assert app.main(["sync", "--everything", "--data-dir", data]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["kind"] == "reconcile" and summary["everything_checked_since"]
