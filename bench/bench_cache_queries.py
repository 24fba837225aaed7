"""Cache query benchmark: what one search keystroke costs on a large cache (run by hand).

Fills a cache by a real first sync from the simulator (generated dataset), then replays typing:
for each prefix of a few search words, the queries the order list runs per keystroke — the
filter counts (``group_counts``, which also give the list its row count) and the first 200 rows
(``fetch_rows``, the list model's page size).
Target (issue 3): search keystroke to updated list p95 ≤ 50 ms over 100,000 orders; this script
measures the cache's share of it.

    python3 bench/bench_cache_queries.py [--orders 100000] [--data-dir DIR]

With ``--data-dir`` an existing cache there is reused (the first sync of 100,000 orders takes
a while).
"""

from __future__ import annotations

import argparse
import gc
import platform
import resource
import statistics
import tempfile
import time
from pathlib import Path

from vendor_desk.cache import add_account, open_cache
from vendor_desk.cache.queries import (
    OrderQuery,
    fetch_rows,
    group_counts,
    list_accounts,
    sync_status,
)
from vendor_desk.marketplace import WcfmMarketplace
from vendor_desk.sandbox.server import Simulator
from vendor_desk.sync import Syncer


def fill(data_dir: Path, orders: int) -> None:
    cache = open_cache(data_dir)
    try:
        with cache.session() as session:
            if list_accounts(session):
                return
        with Simulator(dataset="generated", orders=orders, seed=1) as sim:
            gc.collect()
            gc.freeze()
            vendor = next(u for u in sim.users if u["login"] == sim.demo_vendor)
            with cache.session() as session:
                account_id = add_account(
                    session, sim.base_url, vendor["login"], "Demo", int(vendor["id"]), "jwt"
                )
            started = time.perf_counter()
            with WcfmMarketplace(sim.base_url, vendor["login"], vendor["password"]) as market:
                Syncer(cache, account_id, market).sync()
            print(f"first sync of the demo vendor's orders: {time.perf_counter() - started:.1f} s")
    finally:
        cache.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--data-dir", type=Path)
    args = parser.parse_args()
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="vd-bench-"))
    fill(data_dir, args.orders)

    cache = open_cache(data_dir)
    with cache.session() as session:
        account = list_accounts(session)[0]
        cached = sync_status(session, account.id).order_count
        words = ["sato", "alpha mug", "müller", "#1234", "@example"]
        timings: list[float] = []
        for word in words:
            for end in range(1, len(word) + 1):
                query = OrderQuery(account.id, group="all", search=word[:end])
                started = time.perf_counter()
                group_counts(session, account.id, word[:end])
                fetch_rows(session, query, 0, 200)
                timings.append(time.perf_counter() - started)
    cache.close()
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"machine: {platform.machine()} python {platform.python_version()}")
    print(f"cached orders: {cached}; keystrokes: {len(timings)}")
    print(
        f"per keystroke (filter counts + first 200 rows): "
        f"median {statistics.median(timings) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms, "
        f"worst {timings[-1] * 1000:.1f} ms; peak RSS of this process {rss_mb:.0f} MB"
    )


if __name__ == "__main__":
    main()
