"""Many hands with real processes: a ``vendor-desk`` command killed while the marketplace is
still working on its request, two commands on one data folder, a command while the window is
sending, and two desks (two data folders) shipping one order — against the recorded shop over
real HTTP. Nothing lands twice and nothing is overwritten without the vendor's say.
"""

from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.conftest import REPO_ROOT
from vendor_desk import cli_commands
from vendor_desk.cache import open_cache
from vendor_desk.marketplace import WcfmMarketplace
from vendor_desk.sandbox.server import Simulator
from vendor_desk.sync.outbox import UNCERTAIN_GRACE, Outbox, OutboxState
from vendor_desk.sync.sender_lock import SenderLock

from .conftest import command, process_env, vendor_desk_process

PASSWORD = "vendor_a-pass-123"


def desk(sim: Simulator, tmp_path: Path, data: str = "data") -> None:
    """A data folder with vendor_a's account added and synced, by the commands themselves."""
    add = ("account", "add", sim.base_url, "vendor_a")
    assert vendor_desk_process(tmp_path, *add, stdin=PASSWORD + "\n", data=data)[0] == 0
    assert (
        vendor_desk_process(tmp_path, "sync", "--password-stdin", stdin=PASSWORD, data=data)[0] == 0
    )


def run(tmp_path: Path, *argv: str, data: str = "data") -> tuple[int, str, str]:
    return vendor_desk_process(tmp_path, *argv, "--password-stdin", stdin=PASSWORD, data=data)


def start(tmp_path: Path, *argv: str) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        command(tmp_path, *argv, "--password-stdin"),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO_ROOT,
        env=process_env(tmp_path),
    )
    assert process.stdin is not None
    process.stdin.write(PASSWORD + "\n")
    process.stdin.close()
    return process


def entry_state(tmp_path: Path, entry_id: int, data: str = "data") -> OutboxState | None:
    cache = open_cache(tmp_path / data)
    try:
        entries = {e.id: e for e in Outbox(cache, 1, recover_sending=False).entries()}
        return entries[entry_id].state if entry_id in entries else None
    finally:
        cache.close()


def wait_until(condition: Callable[[], bool], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def notes_with(sim: Simulator, text: str) -> int:
    with sim.state.lock:
        return sum(text in note.content for note in sim.state.notes.get(19, []))


def tracking(sim: Simulator) -> set[str]:
    items = sim.order_snapshot(19)["items"]
    return {dict(i["meta"]).get("wcfm_tracking_code", "") for i in items if i["id"] in (3, 4)}


def test_a_killed_ship_then_retry_at_once_sends_nothing_twice(
    sim: Simulator, tmp_path: Path
) -> None:
    """The marketplace takes 6 s to store the tracking; ``ship`` is killed while it waits, and
    ``outbox --retry`` runs at once: it says when it may send and sends nothing; the tracking
    lands once (two items: two notes, two customer e-mails — not four)."""
    desk(sim, tmp_path)
    sim.inject_fault("delay", r"/orders/shipment_tracking", method="POST", delay=6.0)
    ship = start(tmp_path, "ship", "19", "--carrier", "colissimo", "--code", "6AKILLED00001")
    wait_until(lambda: entry_state(tmp_path, 1) is OutboxState.SENDING)
    time.sleep(0.5)  # the request is out, the marketplace is working on it
    ship.send_signal(signal.SIGKILL)
    ship.wait(10)
    assert entry_state(tmp_path, 1) is OutboxState.SENDING  # as the killed process left it

    code, _out, err = run(tmp_path, "outbox", "--retry", "1")
    assert code == 3, err
    assert "may still be under way" in err and "checked" in err and "from " in err
    assert "tracking e-mails" in err  # what may already have reached the customer
    assert entry_state(tmp_path, 1) is OutboxState.UNCERTAIN
    wait_until(lambda: tracking(sim) == {"6AKILLED00001"})  # the first request lands
    assert notes_with(sim, "6AKILLED00001") == 2

    # Once the grace is over the check finds it: counted as sent, not sent again.
    cache = open_cache(tmp_path / "data")
    try:
        later = datetime.now(UTC) + UNCERTAIN_GRACE
        box = Outbox(cache, 1, clock=lambda: later)
        with WcfmMarketplace(sim.base_url, "vendor_a", PASSWORD) as market:
            assert box.send_due(market).confirmed == [1]
    finally:
        cache.close()
    assert notes_with(sim, "6AKILLED00001") == 2


def test_two_commands_on_one_data_folder_take_turns(sim: Simulator, tmp_path: Path) -> None:
    """A second command starting while the first is sending neither takes over the first's
    entry nor sends it again: it waits its turn, then sends its own."""
    desk(sim, tmp_path)
    sim.inject_fault("delay", r"/orders/note/19", method="POST", delay=4.0)
    first = start(tmp_path, "note", "19", "Packed by the first command")
    wait_until(lambda: entry_state(tmp_path, 1) is OutboxState.SENDING)
    code, _out, err = run(tmp_path, "note", "19", "Checked by the second command")
    assert code == 0, err
    first.wait(30)
    assert first.stderr is not None
    assert first.returncode == 0, first.stderr.read()
    assert notes_with(sim, "Packed by the first command") == 1
    assert notes_with(sim, "Checked by the second command") == 1


def test_a_command_while_the_window_sends_queues_and_says_who_sends(
    sim: Simulator, tmp_path: Path, monkeypatch: Any, capsys: Any
) -> None:
    from vendor_desk import app

    desk(sim, tmp_path)
    cache = open_cache(tmp_path / "data")
    window = SenderLock(cache.path.parent, 1, "Vendor Desk's window")
    cache.close()
    assert window.acquire()
    try:
        monkeypatch.setattr(cli_commands, "SENDER_WAIT", 0.5)
        monkeypatch.setattr("sys.stdin", __import__("io").StringIO(PASSWORD + "\n"))
        data = ["--data-dir", str(tmp_path / "data"), "--password-stdin"]
        code = app.main(["note", "19", "Written while the window sends", *data])
        err = capsys.readouterr().err
    finally:
        window.release()
    assert code == 3
    assert "Queued as outbox entry 1" in err and "Vendor Desk's window (process " in err
    assert notes_with(sim, "Written while the window sends") == 0
    assert entry_state(tmp_path, 1) is OutboxState.PENDING  # left for the window


def test_two_desks_ship_one_order_the_second_is_asked(sim: Simulator, tmp_path: Path) -> None:
    desk(sim, tmp_path, "desk-a")
    desk(sim, tmp_path, "desk-b")
    ship = ("ship", "19", "--carrier", "colissimo")
    code, _out, err = run(tmp_path, *ship, "--code", "6AAAAAAAAAAAA", data="desk-a")
    assert code == 0, err
    code, _out, err = run(tmp_path, *ship, "--code", "6ABBBBBBBBBBB", data="desk-b")
    assert code == 1, err
    assert "Not sent" in err and "6AAAAAAAAAAAA" in err and "6ABBBBBBBBBBB" in err
    assert "vendor-desk outbox --decide 1 keep-theirs" in err
    assert tracking(sim) == {"6AAAAAAAAAAAA"} and notes_with(sim, "6ABBBBBBBBBBB") == 0
    code, out, err = run(tmp_path, "outbox", data="desk-b")
    assert "needs_decision" in out and "6AAAAAAAAAAAA" in out
    code, out, err = run(tmp_path, "outbox", "--decide", "1", "keep-theirs", data="desk-b")
    assert code == 0, err
    assert entry_state(tmp_path, 1, "desk-b") is OutboxState.DISCARDED
    code, _out, err = run(tmp_path, "outbox", "--decide", "1", "replace", data="desk-b")
    assert code == 2 and "does not wait" in err
    assert tracking(sim) == {"6AAAAAAAAAAAA"}
