"""Fixtures of the UI tests: a simulator over real HTTP, a real cache synced from it, a real
keyring backend (keyrings.alt's plaintext file) in a temp folder."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from keyrings.alt.file import PlaintextKeyring
from PySide6.QtCore import QSettings

from vendor_desk.cache import open_cache
from vendor_desk.marketplace.probe import AccountInput, open_marketplace, probe_marketplace
from vendor_desk.sandbox.server import Simulator
from vendor_desk.sync import Syncer
from vendor_desk.sync.accounts import add_probed_account
from vendor_desk.ui.application import ensure_application
from vendor_desk.ui.main_window import AccountConnection, MainWindow

HTML_NOTE = "<b>Please gift wrap</b> & <a href='http://evil.example'>click</a>"


@pytest.fixture(autouse=True)
def plaintext_keyring(file_keyring: PlaintextKeyring) -> PlaintextKeyring:
    """Every window test keeps passwords in the file keyring (tests/conftest.py)."""
    return file_keyring


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulator]:
    simulator = Simulator(dataset="generated", orders=60, seed=3).start()
    with simulator.state.lock:
        for order in simulator.state.orders.values():
            order.customer_note = HTML_NOTE
    yield simulator
    simulator.stop()


def vendor(sim: Simulator) -> dict[str, Any]:
    return next(u for u in sim.users if u["login"] == sim.demo_vendor)


@pytest.fixture
def app(qapp: Any) -> Any:
    return ensure_application()


def cached_vendor(sim: Simulator, data_dir: Path) -> tuple[Any, AccountConnection]:
    """A cache in ``data_dir`` holding the demo vendor's orders (a real first sync over HTTP),
    and the account's connection. The caller closes the cache."""
    user = vendor(sim)
    account = AccountInput(sim.base_url, user["login"], user["password"], False)
    probe = probe_marketplace(account)
    cache = open_cache(data_dir)
    account_id = add_probed_account(cache, account, probe)
    with open_marketplace(account) as market:
        Syncer(cache, account_id, market).sync(None, threading.Event())
    connection = AccountConnection(
        account_id,
        probe.base_url,
        user["login"],
        user["password"],
        probe.auth_method,
        probe.store_name,
    )
    return cache, connection


@pytest.fixture
def synced(sim: Simulator, tmp_path: Path, app: Any) -> Iterator[tuple[Any, AccountConnection]]:
    """A cache in tmp_path holding the demo vendor's orders, and its connection."""
    cache, connection = cached_vendor(sim, tmp_path / "data")
    yield cache, connection
    cache.close()


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(synced: Any, settings: QSettings, qtbot: Any) -> Iterator[MainWindow]:
    cache, connection = synced
    main = MainWindow(cache, connection, settings, sync_interval_ms=0, auto_sync=False)
    qtbot.addWidget(main)
    main.show()
    yield main
    main.shutdown()


@pytest.fixture
def french(app: Any) -> Iterator[Any]:
    """The app speaks French (catalogue, Qt's translations, French formats) during the test."""
    from tests.ui.french import speaking

    with speaking(app, "fr"):
        yield app


@pytest.fixture
def french_window(
    french: Any, synced: Any, settings: QSettings, qtbot: Any
) -> Iterator[MainWindow]:
    """The main window built in French."""
    cache, connection = synced
    main = MainWindow(cache, connection, settings, sync_interval_ms=0, auto_sync=False)
    qtbot.addWidget(main)
    main.show()
    yield main
    main.shutdown()
