"""The Earnings view's figures for a year of a 100,000-order cache (target: the whole view
opens in ≤ 150 ms; this measures its share, ``load_summary``). Run by hand; figures in
docs/performance.md.

    python3 bench/bench_earnings.py --data-dir DIR [--orders 100000] [--runs 7]

DIR holds a cache filled as for bench/bench_ui.py (``bench_cache_queries.py --data-dir DIR``),
grown to ``--orders`` by copying orders (``bench_ui.grow_cache``). The year measured is the one
with the most orders.
"""

from __future__ import annotations

import argparse
import platform
import sqlite3
import statistics
import sys
import time
from datetime import UTC, date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_ui import DB, grow_cache

from vendor_desk.cache import open_cache
from vendor_desk.domain.earnings import Period
from vendor_desk.sync.earnings import load_summary


def busiest_year(data_dir: Path) -> tuple[int, int, int]:
    connection = sqlite3.connect(data_dir / DB)
    try:
        year, count = connection.execute(
            "SELECT strftime('%Y', created), count(*) FROM orders GROUP BY 1 ORDER BY 2 DESC"
        ).fetchone()
        account = connection.execute("SELECT min(account_id) FROM orders").fetchone()[0]
    finally:
        connection.close()
    return int(year), int(count), int(account)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    total = grow_cache(args.data_dir, args.orders)
    year, in_year, account = busiest_year(args.data_dir)
    period = Period.this_year(date(year, 6, 1))
    cache = open_cache(args.data_dir)  # migrates the cache to this version first
    try:
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            summary = load_summary(cache, account, period, tz=UTC)
            times.append((time.perf_counter() - start) * 1000)
    finally:
        cache.close()
    print(
        f"machine: {platform.processor() or platform.machine()}, Python {platform.python_version()}"
    )
    print(f"cache: {total} orders, {in_year} placed in {year} ({len(summary.lines)} sales)")
    print(
        f"load_summary({year}): median {statistics.median(times):.0f} ms, "
        f"first {times[0]:.0f} ms, best {min(times):.0f} ms  (target ≤ 150 ms for the view)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
