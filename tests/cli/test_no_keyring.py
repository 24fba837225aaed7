"""The command line on a computer without a keyring: real ``vendor-desk`` processes with keyring's
own "fail" backend (``PYTHON_KEYRING_BACKEND``), against the recorded shop over real HTTP.

The password is never saved: ``--password-stdin`` gives it to each command, a terminal (a real
pseudo-terminal here) is asked for it, and with neither the command stops before queueing
anything (exit 2) with a message naming the option.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from tests.conftest import REPO_ROOT
from vendor_desk.sandbox.server import Simulator

from .conftest import process_env, vendor_desk_process

PASSWORD = "vendor_a-pass-123"


def vendor_desk(tmp_path: Path, *argv: str, stdin: str | None = None) -> tuple[int, str, str]:
    return vendor_desk_process(tmp_path, *argv, stdin=stdin)


def in_terminal(tmp_path: Path, *argv: str, typed: str) -> tuple[int, str]:
    """Run ``vendor-desk ARGV`` on a pseudo-terminal (its own session, so the prompt cannot
    reach the terminal running the tests), type ``typed`` once it asks for a password; the exit
    code and everything the terminal showed."""
    master, slave = os.openpty()
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "vendor_desk", *argv, "--data-dir", str(tmp_path / "data")],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            cwd=REPO_ROOT,
            env=process_env(tmp_path),
            start_new_session=True,
        )
    finally:
        os.close(slave)
    shown = b""

    def read(until: bytes | None, timeout: float) -> None:
        nonlocal shown
        end = time.monotonic() + timeout
        while time.monotonic() < end and (until is None or until not in shown):
            ready, _, _ = select.select([master], [], [], 0.1)
            if not ready:
                if until is None and process.poll() is not None:
                    return
                continue
            try:
                chunk = os.read(master, 4096)
            except OSError:  # the other side closed (the process ended)
                return
            if not chunk:
                return
            shown += chunk

    try:
        read(b"Password for", 60)
        assert b"Password for" in shown, shown.decode(errors="replace")
        # getpass switches the echo off before it shows the prompt: typing now is not shown.
        os.write(master, typed.encode() + b"\n")
        read(None, 60)
        code = process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(master)
    return code, shown.decode(errors="replace")


def _files_holding(folder: Path, secret: str) -> list[Path]:
    return [
        path
        for path in folder.rglob("*")
        if path.is_file() and secret.encode() in path.read_bytes()
    ]


def _server_tracking(sim: Simulator, order_id: int) -> set[str]:
    items = sim.order_snapshot(order_id)["items"]
    return {
        item["meta"]["wcfm_tracking_code"]
        for item in items
        if item["meta"].get("wcfm_tracking_code")
    }


def _server_notes(sim: Simulator, order_id: int, text: str) -> list[Any]:
    with sim.state.lock:
        return [note for note in sim.state.notes.get(order_id, []) if text in note.content]


def test_password_stdin_end_to_end(sim: Simulator, tmp_path: Path) -> None:
    code, out, err = vendor_desk(
        tmp_path, "account", "add", sim.base_url, "vendor_a", stdin=PASSWORD + "\n"
    )
    assert code == 0, err
    assert json.loads(out)["password_saved"] is False
    # one line saying there is no keyring and how to give the password from now on
    assert err.count("\n") == 1
    assert "no keyring" in err and "--password-stdin" in err and "session only" not in err

    # Neither a keyring, nor a terminal, nor the option: a usage error naming the option.
    code, out, err = vendor_desk(tmp_path, "sync")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("vendor-desk: ")
    assert "--password-stdin" in err and "No password stored" not in err

    code, out, err = vendor_desk(tmp_path, "sync", "--password-stdin", stdin=PASSWORD + "\n")
    assert code == 0, err
    assert json.loads(out)["kind"] == "first"

    # A write command: refused before anything is queued without the password …
    code, out, err = vendor_desk(tmp_path, "ship", "21", "--carrier", "dhl", "--code", "JJD01")
    assert code == 2 and "--password-stdin" in err
    code, out, _ = vendor_desk(tmp_path, "outbox", "--json")
    assert code == 0 and json.loads(out) == []
    assert _server_tracking(sim, 21) == set()
    # … and sent with it.
    code, out, err = vendor_desk(
        tmp_path,
        "ship",
        "21",
        "--carrier",
        "dhl",
        "--code",
        "JJD01",
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )
    assert code == 0, err
    assert json.loads(out)["state"] == "sent"
    assert _server_tracking(sim, 21) == {"JJD01"}

    # An empty line is no password (usage), a wrong one is refused by the marketplace (4).
    code, _, err = vendor_desk(tmp_path, "sync", "--password-stdin", stdin="\n")
    assert code == 2 and "No password" in err
    code, _, err = vendor_desk(tmp_path, "sync", "--password-stdin", stdin="wrong\n")
    assert code == 4, err

    assert _files_holding(tmp_path, PASSWORD) == []


def test_a_terminal_is_asked_for_the_password(sim: Simulator, tmp_path: Path) -> None:
    code, shown = in_terminal(tmp_path, "account", "add", sim.base_url, "vendor_a", typed=PASSWORD)
    assert code == 0, shown
    assert "no keyring" in shown

    code, shown = in_terminal(tmp_path, "sync", typed=PASSWORD)
    assert code == 0, shown
    assert "no keyring" in shown and "--password-stdin" in shown  # said before the prompt
    assert f"Password for vendor_a at {sim.base_url}" in shown
    assert PASSWORD not in shown  # not echoed
    assert '"kind": "first"' in shown

    code, shown = in_terminal(tmp_path, "note", "21", "Typed at a terminal", typed=PASSWORD)
    assert code == 0, shown
    assert len(_server_notes(sim, 21, "Typed at a terminal")) == 1

    code, shown = in_terminal(tmp_path, "sync", typed="wrong")
    assert code == 4, shown

    assert _files_holding(tmp_path, PASSWORD) == []
