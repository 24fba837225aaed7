"""The headless command line: account add, sync, orders — exit codes and output."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyrings.alt.file import PlaintextKeyring

from vendor_desk import app
from vendor_desk.sandbox.server import Simulator


@pytest.fixture(autouse=True)
def file_keyring(tmp_path: Path) -> Iterator[None]:
    previous = keyring.get_keyring()
    backend = PlaintextKeyring()
    backend.file_path = str(tmp_path / "keyring.cfg")
    keyring.set_keyring(backend)
    yield
    keyring.set_keyring(previous)


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulator]:
    with Simulator(dataset="generated", orders=40, seed=5) as simulator:
        yield simulator


def _vendor(sim: Simulator) -> dict[str, Any]:
    return next(u for u in sim.users if u["login"] == sim.demo_vendor)


def _run(monkeypatch: pytest.MonkeyPatch, argv: list[str], stdin: str = "") -> int:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    return app.main(argv)


def test_add_sync_and_list(sim: Simulator, tmp_path: Path, monkeypatch: Any, capsys: Any) -> None:
    data = str(tmp_path / "data")
    user = _vendor(sim)
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
    assert capsys.readouterr().out.count("\n") == len(rows)
    # the secret is nowhere in the data dir
    for path in Path(data).rglob("*"):
        if path.is_file():
            assert user["password"].encode() not in path.read_bytes()


def test_exit_codes(sim: Simulator, tmp_path: Path, monkeypatch: Any, capsys: Any) -> None:
    data = str(tmp_path / "data")
    user = _vendor(sim)
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
    user = _vendor(sim)
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
