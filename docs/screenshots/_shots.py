"""What the screenshot scripts share: a synced cache of the simulator's demo vendor, the demo
shop's main window, and grabbing a widget into a PNG next to the scripts. Imported by the scripts
run from this folder."""

from __future__ import annotations

import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from vendor_desk.cache import open_cache  # noqa: E402
from vendor_desk.marketplace.probe import (  # noqa: E402
    AccountInput,
    open_marketplace,
    probe_marketplace,
)
from vendor_desk.sandbox.server import Simulator  # noqa: E402
from vendor_desk.sync import Syncer  # noqa: E402
from vendor_desk.sync.accounts import add_probed_account  # noqa: E402
from vendor_desk.ui.application import start_demo  # noqa: E402
from vendor_desk.ui.main_window import MainWindow  # noqa: E402

#: Automatic syncs every half hour: none comes while a script runs.
SYNC_INTERVAL_MS = 30 * 60 * 1000


def demo_vendor_cache(sim: Simulator, data_dir: Path) -> tuple[Any, int, AccountInput]:
    """A cache in ``data_dir`` holding the demo vendor's orders after a real first sync over
    HTTP: (cache, account id, the account's sign-in for more calls). The caller closes it."""
    user = next(u for u in sim.users if u["login"] == sim.demo_vendor)
    account = AccountInput(sim.base_url, user["login"], user["password"], False)
    probe = probe_marketplace(account)
    cache = open_cache(data_dir)
    account_id = add_probed_account(cache, account, probe)
    with open_marketplace(account) as market:
        Syncer(cache, account_id, market).sync(None, threading.Event())
    return cache, account_id, account


@contextmanager
def demo_document_orders(
    folder: Path, orders: int = 120, seed: int = 7, currency: str = ""
) -> Iterator[Any]:
    """(the sync test environment, every order of the demo vendor as a document order) after a
    real first sync of a generated shop (in ``currency`` when given) into ``folder``; closed at
    the end."""
    from tests.sync.conftest import make_env
    from vendor_desk import documents as docs
    from vendor_desk.cache.queries import order_ids

    environments = make_env(folder, orders=orders, seed=seed, currency=currency)
    env = next(environments)
    try:
        env.syncer().sync()
        with env.cache.session() as session:
            ids = sorted(order_ids(session, env.account_id))
        yield env, docs.load_document_orders(env.cache, env.account_id, ids)
    finally:
        environments.close()


def wait_until(app: QApplication, condition: Callable[[], object], timeout: float = 60.0) -> None:
    """Run the event loop until ``condition()`` holds; TimeoutError after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("timed out")
        app.processEvents()
        time.sleep(0.02)


def settle(app: QApplication, rounds: int = 3) -> None:
    """Let posted work run: layout requests posted while laying out need a second pass."""
    for _ in range(rounds):
        app.processEvents()
        time.sleep(0.01)


@dataclass
class DemoShop:
    """The app's built-in demo marketplace (``start_demo``) in a temporary folder."""

    folder: Path
    simulator: Simulator
    cache: Any
    connection: Any
    settings: QSettings

    def open_window(self, app: QApplication, width: int, height: int) -> MainWindow:
        """The main window at ``width``×``height``, shown, after its first sync."""
        window = MainWindow(
            self.cache, self.connection, self.settings, sync_interval_ms=SYNC_INTERVAL_MS
        )
        window.resize(width, height)
        window.show()
        wait_until(app, lambda: window.last_sync is not None)
        return window


@contextmanager
def demo_shop() -> Iterator[DemoShop]:
    """The demo marketplace and its synced-to cache, for as long as the block runs."""
    cleanup: list[Callable[[], object]] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        try:
            simulator, cache, connection = start_demo(folder, cleanup, new_order_every=None)
            settings = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
            yield DemoShop(folder, simulator, cache, connection, settings)
        finally:
            for step in reversed(cleanup):
                step()


def grab(app: QApplication, widget: QWidget, name: str) -> None:
    """Show ``widget`` and save what it looks like as ``docs/screenshots/<name>``."""
    widget.show()
    settle(app)
    widget.grab().save(str(HERE / name))
    print(f"wrote {HERE / name}")
