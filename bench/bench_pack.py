"""Packing station benchmarks (run by hand; figures in docs/performance.md).

1. Scan → order shown in the Pack view, with 100,000 cached orders (target p95 ≤ 30 ms): a
   packing slip's number typed into the main window as a scanner types it, then Enter; timed
   from the Enter key to the Pack view painted with the order — from the order list (the first
   slip) and from the Pack view (the next slip while packing).

       python3 bench/bench_pack.py scan --data-dir DIR [--orders 100000] [--scans 200]

   DIR holds a cache filled by ``bench/bench_cache_queries.py --data-dir DIR``; its orders are
   copied under new numbers up to ``--orders`` (``bench_ui.grow_cache``).

2. A scripted 20-order run against the simulator over HTTP: each order is packed as a packer
   does it with a scanner — the slip's number + Enter, each item's SKU + Enter once per unit, the
   carrier label's code + Enter, Ctrl+Enter — and the outbox sends the shipments. Reports the
   keystrokes per order and the app's time per order (keys sent as fast as Qt takes them, so the
   figure is what the app costs, not a person's packing time), and checks the marketplace shows
   each order shipped with its tracking.

       python3 bench/bench_pack.py run [--orders 20]
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from PySide6.QtCore import QSettings, Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from vendor_desk.cache import open_cache  # noqa: E402
from vendor_desk.cache.queries import list_accounts  # noqa: E402
from vendor_desk.ui.application import ensure_application  # noqa: E402
from vendor_desk.ui.main_window import AccountConnection, MainWindow  # noqa: E402


def _machine() -> str:
    return (
        f"{platform.machine()} · {os.cpu_count()} CPUs · Python {platform.python_version()} · "
        f"load {os.getloadavg()[0]:.2f}"
    )


def _typed_at(window: MainWindow) -> QWidget:
    return window.focusWidget() or window


def _type(window: MainWindow, code: str) -> int:
    """A scanner types ``code`` (no Enter); keystrokes sent."""
    for character in code:
        QTest.keyClick(_typed_at(window), character)
    return len(code)


def _enter(window: MainWindow, mods: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(_typed_at(window), Qt.Key.Key_Return, mods)


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


# ================================================================================ 1. scan
def bench_scan(data_dir: Path, orders: int, scans: int) -> None:
    from bench_ui import grow_cache

    total = grow_cache(data_dir, orders)
    app = ensure_application([])
    cache = open_cache(data_dir)
    with cache.session() as session:
        info = list_accounts(session)[0]
        numbers = [
            str(n)
            for (n,) in session.execute(
                __import__("sqlalchemy").text(
                    "SELECT number FROM orders WHERE account_id = :a ORDER BY random() LIMIT :n"
                ),
                {"a": info.id, "n": scans},
            )
        ]
    connection = AccountConnection(
        info.id, info.base_url, info.login, "not-used", info.auth_method, info.store_name
    )
    settings_dir = tempfile.mkdtemp()
    settings = QSettings(str(Path(settings_dir) / "s.ini"), QSettings.Format.IniFormat)
    settings.setValue("pack/muteSounds", True)
    window = MainWindow(cache, connection, settings, auto_sync=False, sync_interval_ms=0)
    window.resize(1366, 768)
    window.show()
    for _ in range(20):
        app.processEvents()
    assert window.pack is not None
    view = window.pack.view
    from_list: list[float] = []
    in_view: list[float] = []
    for index, number in enumerate(numbers):
        leave_first = index % 2 == 0
        if leave_first:
            window.pack.leave()
            window.table.setFocus()
            app.processEvents()
        _type(window, number)
        started = time.perf_counter()
        _enter(window)
        view.repaint()  # the Pack view painted with the order
        elapsed = (time.perf_counter() - started) * 1000
        assert view.current is not None and view.current.order.number == number, number
        (from_list if leave_first else in_view).append(elapsed)
        app.processEvents()
    every = from_list + in_view
    print(f"machine: {_machine()}")
    print(f"cache: {total:,} orders")
    for label, values in (("from the list", from_list), ("in the Pack view", in_view)):
        print(
            f"scan → Pack view {label}: n={len(values)} median {statistics.median(values):.1f} ms"
            f" · p95 {_p(values, 0.95):.1f} ms · max {max(values):.1f} ms"
        )
    print(f"all scans: p95 {_p(every, 0.95):.1f} ms (target ≤ 30 ms)")
    window.shutdown()
    cache.close()
    shutil.rmtree(settings_dir, ignore_errors=True)


# ================================================================================ 2. a run
def bench_run(count: int) -> None:
    from tests.ui.test_pack_view import place, s10
    from vendor_desk.marketplace.probe import AccountInput, probe_marketplace
    from vendor_desk.marketplace.probe import open_marketplace as open_market
    from vendor_desk.sandbox.server import Simulator
    from vendor_desk.sync import Syncer
    from vendor_desk.sync.accounts import add_probed_account

    app = ensure_application([])
    rng = random.Random(15)
    with (
        Simulator(dataset="generated", orders=200, seed=3) as sim,
        tempfile.TemporaryDirectory() as tmp,
    ):
        placed = [
            place(sim, [rng.choice([1, 1, 1, 2]) for _ in range(rng.randint(1, 3))], offset=n)
            for n in range(count)
        ]
        user = next(u for u in sim.users if u["login"] == sim.demo_vendor)
        account = AccountInput(sim.base_url, user["login"], user["password"], False)
        probe = probe_marketplace(account)
        cache = open_cache(Path(tmp) / "data")
        account_id = add_probed_account(cache, account, probe)
        with open_market(account) as market:
            Syncer(cache, account_id, market).sync(None, threading.Event())
        connection = AccountConnection(
            account_id, probe.base_url, user["login"], user["password"], probe.auth_method,
            probe.store_name,
        )  # fmt: skip
        settings = QSettings(str(Path(tmp) / "s.ini"), QSettings.Format.IniFormat)
        settings.setValue("pack/muteSounds", True)
        window = MainWindow(cache, connection, settings, auto_sync=False, sync_interval_ms=0)
        window.resize(1366, 768)
        window.show()
        window.table.setFocus()
        for _ in range(20):
            app.processEvents()
        assert window.pack is not None
        view = window.pack.view
        keystrokes: list[int] = []
        scans: list[int] = []
        times: list[float] = []
        codes: dict[int, str] = {}
        for n, order in enumerate(placed):
            keys = 0
            started = time.perf_counter()
            keys += _type(window, str(order.order_id)) + 1
            _enter(window)
            for line in order.shippable():
                for _ in range(line.quantity):
                    keys += _type(window, line.sku) + 1
                    _enter(window)
            codes[order.order_id] = s10(f"{50_000_000 + n:08d}")
            keys += _type(window, codes[order.order_id]) + 1
            _enter(window)
            _enter(window, Qt.KeyboardModifier.ControlModifier)
            keys += 1
            assert view.current is None and "shipped" in view.message.text, view.message.text
            times.append((time.perf_counter() - started) * 1000)
            keystrokes.append(keys)
            scans.append(2 + sum(line.quantity for line in order.shippable()))
            app.processEvents()
        deadline = time.monotonic() + 60
        shipped = 0
        while time.monotonic() < deadline:
            app.processEvents()
            shipped = sum(
                all(
                    dict(item["meta"]).get("wcfm_tracking_code") == codes[order.order_id]
                    for item in sim.order_snapshot(order.order_id)["items"]
                    if item["id"] in {line.item_id for line in order.shippable()}
                )
                for order in placed
            )
            if shipped == len(placed):
                break
            time.sleep(0.05)
        units = [sum(line.quantity for line in order.shippable()) for order in placed]
        print(f"machine: {_machine()}")
        print(
            f"{count} orders, {statistics.mean(units):.1f} units each on average: "
            f"keystrokes per order median {statistics.median(keystrokes):.0f} "
            f"(min {min(keystrokes)}, max {max(keystrokes)}; every one a scanned character, "
            f"an Enter or Ctrl+Enter — no mouse)"
        )
        print(
            f"per order: {statistics.median(scans):.0f} scans (slip, each unit, label; median) "
            f"and 1 key the packer presses (Ctrl+Enter)"
        )
        print(
            f"app time per order: median {statistics.median(times):.0f} ms · "
            f"max {max(times):.0f} ms (opening, counting, tracking, queueing the shipment)"
        )
        print(f"on the marketplace with their tracking: {shipped} of {count}")
        window.shutdown()
        cache.close()
        QApplication.processEvents()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    scan = commands.add_parser("scan")
    scan.add_argument("--data-dir", type=Path, required=True)
    scan.add_argument("--orders", type=int, default=100_000)
    scan.add_argument("--scans", type=int, default=200)
    run = commands.add_parser("run")
    run.add_argument("--orders", type=int, default=20)
    args: Any = parser.parse_args()
    if args.command == "scan":
        bench_scan(args.data_dir, args.orders, args.scans)
    else:
        bench_run(args.orders)


if __name__ == "__main__":
    main()
