"""Earnings view benchmark: opening the view for a year on a 100,000-order cache (target
≤ 150 ms, issue 17 §3; figures in docs/performance.md). Run by hand:

    python3 bench/bench_earnings_view.py --data-dir DIR [--orders 100000] [--runs 15]

DIR holds a cache filled by ``bench/bench_cache_queries.py --data-dir DIR`` (filled here with
``--seed-orders`` orders when empty); its orders are copied under new numbers up to
``--orders`` (``bench_ui.grow_cache``), so the year shown holds about half of them.

Timed from View ▸ Earnings to the page painted with "this year": the first opening of the
process (which loads Qt Charts, builds the page and reads the year), re-openings (back to the
list, View ▸ Earnings again: the page shows what it read, re-read only after a sync) and period
switches (this month → this year: the year read again). ``load_summary`` alone (the cache's and
the domain's share) is timed too; the rest is the view's own.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from vendor_desk.cache import open_cache  # noqa: E402
from vendor_desk.cache.queries import list_accounts  # noqa: E402
from vendor_desk.ui.application import ensure_application  # noqa: E402
from vendor_desk.ui.main_window import AccountConnection, MainWindow  # noqa: E402


def _painted(app: QApplication, widget: object) -> None:
    """Lay out and paint what is shown now (as the event loop would before the next frame)."""
    app.processEvents()
    widget.grab()  # type: ignore[attr-defined]  # paints every visible child, the chart too


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--seed-orders", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    from bench_cache_queries import fill
    from bench_ui import grow_cache

    from vendor_desk.sync.earnings import load_summary

    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="vd-earnings-view-"))
    fill(data_dir, args.seed_orders)
    count = grow_cache(data_dir, args.orders)

    app = ensure_application()
    cache = open_cache(data_dir)
    with cache.session() as session:
        account = list_accounts(session)[0]
    connection = AccountConnection(account.id, account.base_url, account.login, "")
    settings = QSettings(str(data_dir / "bench-settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(cache, connection, settings, sync_interval_ms=0, auto_sync=False)
    window.resize(1366, 768)
    window.show()
    _painted(app, window)
    page = window.earnings
    assert page is not None
    page._stats_at = time.monotonic()  # no marketplace here: time what the vendor waits for
    # The page opens on the period picked last time.
    settings.setValue(f"accounts/{account.id}/earnings_period", "this_year")

    started = time.perf_counter()
    view = page.show()
    _painted(app, window)
    first = (time.perf_counter() - started) * 1000
    assert view.summary is not None
    lines = len(view.summary.lines)

    reopen: list[float] = []
    switch: list[float] = []
    summary: list[float] = []
    for _ in range(args.runs):
        page.leave()
        _painted(app, window)
        started = time.perf_counter()
        page.show()
        _painted(app, window)
        reopen.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        load_summary(cache, account.id, view.summary.period)
        summary.append((time.perf_counter() - started) * 1000)
        view.set_period("this_month")
        _painted(app, window)
        started = time.perf_counter()
        view.set_period("this_year")
        _painted(app, window)
        switch.append((time.perf_counter() - started) * 1000)

    def stats(values: list[float]) -> str:
        ordered = sorted(values)
        p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
        return f"median {statistics.median(values):.0f} ms, p95 {p95:.0f} ms"

    print(
        f"{platform.machine()} · {os.cpu_count()} CPUs · Python {platform.python_version()} · "
        f"load {os.getloadavg()[0]:.2f}"
    )
    print(f"cache: {count:,} orders; this year: {lines:,} order parts")
    print(f"first opening (loads Qt Charts, builds the page): {first:.0f} ms")
    print(f"opening again: {stats(reopen)}")
    print(f"this month → this year: {stats(switch)}")
    print(f"of which load_summary (cache + domain): {stats(summary)}")
    window.shutdown()
    cache.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
