"""Fixtures and helpers of the command-line tests: a real keyring backend (keyrings.alt's
plaintext file) in a temp folder, and a data folder with an account added and synced through
the commands themselves (``vendor-desk account add``, ``vendor-desk sync``)."""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from keyrings.alt.file import PlaintextKeyring
from sqlalchemy import select

from tests.conftest import REPO_ROOT
from vendor_desk import app
from vendor_desk.cache import open_cache
from vendor_desk.cache.models import AccountRow
from vendor_desk.sandbox.server import Simulator
from vendor_desk.secrets import SecretStore


@pytest.fixture(autouse=True)
def _keyring(file_keyring: PlaintextKeyring) -> None:
    """Every command-line test keeps passwords in the file keyring (tests/conftest.py)."""


@pytest.fixture
def sim() -> Iterator[Simulator]:
    """The recorded shop (vendor_a: orders 18–24), fresh for each test; modules needing
    another dataset define their own ``sim``."""
    with Simulator(dataset="recorded") as simulator:
        yield simulator


@pytest.fixture
def data(sim: Simulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any) -> str:
    """A data folder with the demo vendor's account added and synced, in an 80-column English
    terminal."""
    terminal(monkeypatch)
    return added_and_synced(sim, tmp_path / "data", monkeypatch, capsys)


def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """An 80-column terminal in American English (tables and amounts as the tests expect)."""
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)


def demo_vendor(sim: Simulator) -> dict[str, Any]:
    """The simulator's demo vendor: login, password, …"""
    return next(u for u in sim.users if u["login"] == sim.demo_vendor)


def added_and_synced(sim: Simulator, folder: Path, monkeypatch: Any, capsys: Any) -> str:
    """``folder`` (returned as text) holding the demo vendor's account, added with the password
    on standard input and synced, as a vendor would with the commands."""
    data = str(folder)
    user = demo_vendor(sim)
    monkeypatch.setattr(sys, "stdin", io.StringIO(user["password"] + "\n"))
    assert app.main(["account", "add", sim.base_url, user["login"], "--data-dir", data]) == 0
    assert app.main(["sync", "--data-dir", data]) == 0
    capsys.readouterr()
    return data


def run(data: str, capsys: Any, *argv: str) -> tuple[int, str, str]:
    """``vendor-desk ARGV --data-dir DATA``: exit code, standard output and error."""
    code = app.main([*argv, "--data-dir", data])
    out = capsys.readouterr()
    return code, out.out, out.err


def point_account_at(data: str, base_url: str, password: str) -> str:
    """Move the account to another address (and store its password there); the old one."""
    cache = open_cache(Path(data))
    try:
        with cache.session(write=True) as session:
            account = session.scalars(select(AccountRow)).one()
            old, account.base_url = account.base_url, base_url
            login = account.login
    finally:
        cache.close()
    SecretStore().set(base_url, login, password)
    return old


def closed_port_url() -> str:
    """An address on loopback where nothing listens (a marketplace out of reach)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


def process_env(tmp_path: Path) -> dict[str, str]:
    """The environment of a ``vendor-desk`` process of the tests: its own HOME, and keyring's
    "fail" backend (no keyring: each command takes ``--password-stdin``)."""
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    return {
        **os.environ,
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
    }


def vendor_desk_process(
    tmp_path: Path, *argv: str, stdin: str | None = None, data: str = "data"
) -> tuple[int, str, str]:
    """Run ``vendor-desk ARGV --data-dir TMP/DATA`` as its own process; stdin is empty unless
    given. Its exit code, standard output and error."""
    result = subprocess.run(
        command(tmp_path, *argv, data=data),
        input=stdin,
        stdin=subprocess.DEVNULL if stdin is None else None,
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env=process_env(tmp_path),
        timeout=120,
    )
    return result.returncode, result.stdout, result.stderr


def command(tmp_path: Path, *argv: str, data: str = "data") -> list[str]:
    """The command line of a ``vendor-desk`` process on the data folder TMP/DATA."""
    return [sys.executable, "-m", "vendor_desk", *argv, "--data-dir", str(tmp_path / data)]
