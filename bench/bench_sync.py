"""Sync benchmarks against the simulator on loopback (run by hand; figures in docs/performance.md).

1. First sync of a 10,000-order shop, divided by a raw paged fetch of the same pages with
   ``requests`` (target ≤ 1.3).
2. Routine sync with nothing changed, on that shop with only the most recent 150 orders open
   (older ones completed, as in a real shop) — target ≤ 3 requests and ≤ 0.3 s.

    python3 bench/bench_sync.py [--orders 10000]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import requests

from vendor_desk.cache import add_account, open_cache
from vendor_desk.marketplace import WcfmMarketplace
from vendor_desk.sandbox.server import Simulator
from vendor_desk.sync import Syncer

OPEN = {"pending", "on-hold", "processing", "shipped"}


def close_old_orders(sim: Simulator, login: str, password: str, keep_open: int) -> None:
    """Complete every open order of the vendor except the newest ``keep_open``."""
    with WcfmMarketplace(sim.base_url, login, password) as market:
        listed = [o for page in market.iter_order_pages() for o in page]
    for order in listed[keep_open:]:
        if order.vendor_status.slug in OPEN or order.main_status.slug in OPEN:
            sim.set_main_status(order.id, "completed")


def raw_fetch(sim: Simulator, login: str) -> tuple[float, int]:
    token = sim.token_for(login)
    session = requests.Session()
    started = time.perf_counter()
    page, total = 1, 0
    while True:
        answer = session.get(
            sim.base_url + "/wp-json/wcfmmp/v1/orders",
            params={"page": page, "per_page": 100},
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )
        data = answer.json()
        total += len(data)
        if len(data) < 100:
            return time.perf_counter() - started, total
        page += 1


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with Simulator(dataset="generated", orders=args.orders, seed=1) as sim:
        login = sim.demo_vendor
        password = next(u for u in sim.users if u["login"] == login)["password"]
        close_old_orders(sim, login, password, keep_open=150)
        raw_seconds, count = raw_fetch(sim, login)
        with tempfile.TemporaryDirectory() as folder:
            cache = open_cache(Path(folder))
            with cache.session() as session:
                account = add_account(session, sim.base_url, login, "", 0, "jwt")
            market = WcfmMarketplace(sim.base_url, login, password)
            market.identify()  # sign in outside the timing, as the app does at start
            syncer = Syncer(cache, account, market)
            first = syncer.first_sync()
            print(f"vendor orders: {count}")
            print(f"raw paged fetch: {raw_seconds:.2f} s")
            print(f"first sync:      {first.duration:.2f} s ({first.requests_made} requests)")
            print(f"ratio:           {first.duration / raw_seconds:.2f}  (target <= 1.3)")
            routine = [syncer.routine_sync() for _ in range(args.repeat)]
            seconds = statistics.median(r.duration for r in routine)
            print(
                f"routine sync, nothing changed: {routine[-1].requests_made} requests, "
                f"median {seconds:.3f} s (target <= 3 requests, <= 0.3 s)"
            )
            market.close()
            cache.close()


if __name__ == "__main__":
    main()
