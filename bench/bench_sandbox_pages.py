"""Benchmark: orders-list pages of the simulator on a large generated marketplace.

The real marketplace answers one page of 100 orders in a time that does not depend on how many
orders the vendor has; the simulator must too, or sync benchmarks against it mean nothing.

    python3 bench/bench_sandbox_pages.py [--orders 100000] [--repeat 20] [--dataset shop]

Prints the dataset load time and the median / worst time of page 1, a middle page and the last
page (100 orders per page, application-password auth, keep-alive connection).
"""

from __future__ import annotations

import argparse
import gc
import platform
import statistics
import time

import requests

from vendor_desk.sandbox.server import Simulator


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--dataset",
        choices=("generated", "shop"),
        default="generated",
        help="shop: every order the vendor's, cancelled ones hidden from its list",
    )
    args = parser.parse_args()

    started = time.perf_counter()
    sim = Simulator(dataset=args.dataset, orders=args.orders, seed=args.seed)
    sim.start()
    load_seconds = time.perf_counter() - started
    # A dedicated simulator process keeps its dataset for life: move it out of the garbage
    # collector's reach, as `vendor-desk sandbox` does, so collections don't rescan it.
    gc.collect()
    gc.freeze()
    try:
        vendor = next(user for user in sim.users if user["login"] == sim.demo_vendor)
        session = requests.Session()
        session.auth = (vendor["login"], vendor["app_password"])
        url = f"{sim.base_url.rstrip('/')}/wp-json/wcfmmp/v1/orders"
        vendor_id = int(vendor["id"])
        state = sim.state
        count = sum(  # the orders its list shows (a cancelled one of the shop's is hidden)
            not state.orders[order_id].is_trashed and state.is_order_for_vendor(order_id, vendor_id)
            for order_id in state.vendor_order_ids(vendor_id)
        )
        last = max(1, (count + 99) // 100)
        session.get(url, params={"per_page": 1}, timeout=30).raise_for_status()  # warm up
        print(
            f"machine: {platform.machine()} {platform.processor() or ''} "
            f"python {platform.python_version()}"
        )
        print(
            f"generated {args.orders} orders in {load_seconds:.2f} s; "
            f"demo vendor lists {count} orders"
        )
        for label, page in (("first", 1), ("middle", max(1, last // 2)), ("last", last)):
            timings = []
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                response = session.get(url, params={"per_page": 100, "page": page}, timeout=30)
                timings.append(time.perf_counter() - t0)
                response.raise_for_status()
                assert response.json(), "empty page"
            print(
                f"page {label:>6} ({page:>5}): median {statistics.median(timings) * 1000:6.1f} ms, "
                f"worst {max(timings) * 1000:6.1f} ms"
            )
    finally:
        sim.stop()


if __name__ == "__main__":
    main()
