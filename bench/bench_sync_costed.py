"""Vendor Desk's sync against a marketplace that costs what a real one does (issue 14, §3).

Starts the simulator in its own process with the cost model on and the ``shop`` dataset (see
``bench_marketplace_cost.py``: 0.13 s a request + 4.9 ms per order listed, 0.09 s an order
alone, 4 PHP workers) and measures, for each shop size:

* **raw**: every listed order, 100 a page, one page at a time (the baseline);
* **first sync**: ``Syncer.first_sync`` into an empty cache — wall time, requests, the site's
  modelled time, the most requests in flight, and the ratio to the raw fetch (target ≤ 0.5);
* **routine syncs**: the window's sync job (``AccountSession.sync``: the outbox, the orders,
  the notification board, the refund-request list when due) every 2 minutes of a clock the
  bench moves, for 62 minutes — per sync: requests and modelled site time (targets: nothing
  changed ≤ 3 requests and ≤ 1 s apart from the sweep's pages; ≤ 5 s with them), and whether
  every order was read again within the hour ("everything checked");
* **admin changes**: 20 minutes in, the store admin (WooCommerce's wc/v3 API, as on the real
  site) cancels 3 old completed orders (the marketplace notifies the vendor) and edits the
  shipping address of 3 others (it does not, and their ``date_modified`` stays); when each was
  seen (simulated minutes).

    PYTHONPATH=. python3 bench/bench_sync_costed.py [--orders 1000 5000 50000] [--json]

The sync's own clock is moved (the sweep's schedule); the site's costs are real sleeps.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_marketplace_cost import CostedSandbox, costed_sandbox, raw_fetch

from vendor_desk.cache import add_account, open_cache
from vendor_desk.cache.models import OrderRecord
from vendor_desk.cache.queries import checked_since
from vendor_desk.marketplace import WcfmMarketplace
from vendor_desk.sync import Syncer
from vendor_desk.sync.account_session import AccountSession
from vendor_desk.sync.syncer import ServerCost

INTERVAL = timedelta(minutes=2)
COST = ServerCost()  # what the sync plans with: the same figures as the simulator's model
HOUR_AND_A_BIT = 31  # routine syncs: 62 minutes


class Clock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now


def admin_put(site: CostedSandbox, order_id: int, body: dict[str, Any]) -> None:
    """The store admin changes an order through WooCommerce's own API, as on the real site."""
    admin = next(u for u in site.users if u["role"] == "administrator")
    answer = requests.put(
        f"{site.base_url}/wp-json/wc/v3/orders/{order_id}",
        json=body,
        auth=(admin["login"], admin["app_password"]),
        timeout=60,
    )
    answer.raise_for_status()


def measure(orders: int) -> dict[str, Any]:
    report: dict[str, Any] = {"orders": orders}
    with costed_sandbox(orders) as site, tempfile.TemporaryDirectory() as tmp:
        raw = raw_fetch(site, parallel=1)
        report["raw_one_at_a_time"] = {
            "wall_seconds": round(raw.wall_seconds, 2),
            "requests": raw.requests,
            "orders": raw.orders,
        }
        cache = open_cache(Path(tmp))
        with cache.session(write=True) as session:
            account_id = add_account(session, site.base_url, site.login, "", 2, "jwt")
        market = WcfmMarketplace(site.base_url, site.login, site.password)
        market.identify()  # signed in outside the timing, as the raw fetch
        site.reset_stats()
        clock = Clock()
        started = time.perf_counter()
        first = Syncer(cache, account_id, market, clock=clock).first_sync()
        wall = time.perf_counter() - started
        stats = site.reset_stats()
        report["first_sync"] = {
            "wall_seconds": round(wall, 2),
            "requests": first.requests_made,
            "modelled_seconds": round(stats["modelled_seconds"], 2),
            "max_in_flight": stats["max_in_flight"],
            "ratio_to_raw": round(wall / raw.wall_seconds, 3),
        }
        with cache.session() as session:
            completed = [
                row.order_id
                for row in session.query(OrderRecord)
                .filter_by(account_id=account_id, status_group="completed")
                .order_by(OrderRecord.created)
                .limit(6)
            ]
        # cancelled: a notification names them; a new shipping address: nothing does, and
        # date_modified does not move (real-server.md, E) — only the sweep sees it
        old, moved = completed[:3], completed[3:]
        session_ = AccountSession(cache, account_id, lambda: market, clock=clock)
        session_.sync(lambda _p: None, threading.Event())  # the board's and refunds' first pass
        site.reset_stats()
        syncs: list[dict[str, Any]] = []
        seen_at: dict[int, float] = {}
        changed_at: float | None = None
        for index in range(HOUR_AND_A_BIT):
            clock.now += INTERVAL
            minutes = (index + 1) * INTERVAL.total_seconds() / 60
            if index == 9:  # 20 minutes in
                for order_id in old:
                    admin_put(site, order_id, {"status": "cancelled"})
                for order_id in moved:
                    admin_put(site, order_id, {"shipping": {"city": "Moved City"}})
                site.reset_stats()
                changed_at = minutes
            began = time.perf_counter()
            result = session_.sync(lambda _p: None, threading.Event())
            stats = site.reset_stats()
            kinds = stats["by_kind"]
            sweep = result.sync.sweep_requests
            sweep_seconds = sweep * COST.per_request + result.sync.sweep_orders * COST.per_order
            syncs.append(
                {
                    "minute": minutes,
                    "wall_seconds": round(time.perf_counter() - began, 2),
                    "requests": stats["requests"],
                    "modelled_seconds": round(stats["modelled_seconds"], 3),
                    "sweep_requests": sweep,
                    "sweep_modelled_seconds": round(sweep_seconds, 3),
                    "other_requests": stats["requests"] - sweep,
                    "other_modelled_seconds": round(stats["modelled_seconds"] - sweep_seconds, 3),
                    "orders_returned": stats["orders"],
                    "by_kind": {k: v["requests"] for k, v in kinds.items()},
                }
            )
            with cache.session() as session:
                for order_id in old + moved:
                    row = session.get(OrderRecord, (account_id, order_id))
                    if row is not None and (
                        row.main_status == "cancelled" or "Moved City" in row.shipping_json
                    ):
                        seen_at.setdefault(order_id, minutes)
            del result
        with cache.session() as session:
            since = checked_since(session, account_id)
        # the sync apart from the sweep's pages, in syncs without an admin change
        quiet = [s for s in syncs if s["minute"] != changed_at]
        report["routine"] = {
            "syncs": len(syncs),
            "apart_from_the_sweep": {
                "max_requests": max(s["other_requests"] for s in quiet),
                "max_modelled_seconds": max(s["other_modelled_seconds"] for s in quiet),
                "median_modelled_seconds": round(
                    statistics.median(s["other_modelled_seconds"] for s in quiet), 3
                ),
            },
            "sweep": {
                "max_requests": max(s["sweep_requests"] for s in syncs),
                "total_requests": sum(s["sweep_requests"] for s in syncs),
                "max_modelled_seconds": max(s["sweep_modelled_seconds"] for s in syncs),
            },
            "all": {
                "max_requests": max(s["requests"] for s in syncs),
                "max_modelled_seconds": max(s["modelled_seconds"] for s in syncs),
                "median_modelled_seconds": round(
                    statistics.median(s["modelled_seconds"] for s in syncs), 3
                ),
                "total_modelled_seconds": round(sum(s["modelled_seconds"] for s in syncs), 2),
            },
            "everything_checked_minutes_ago": round((clock.now - since).total_seconds() / 60, 1)
            if since is not None
            else None,
            "admin_changes_seen_after_minutes": {
                kind: [
                    (seen_at[order_id] - changed_at) if order_id in seen_at else None
                    for order_id in ids
                ]
                for kind, ids in (("cancelled (notified)", old), ("address edited", moved))
            }
            if changed_at is not None
            else {},
            "per_sync": syncs,
        }
        market.close()
        cache.close()
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    print(
        f"# {platform.node()} · {platform.processor() or platform.machine()} · "
        f"{os.cpu_count()} cores · load {os.getloadavg()[0]:.2f} · "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    )
    for orders in args.orders:
        report = measure(orders)
        first, routine = report["first_sync"], report["routine"]
        print(
            f"{orders:>6} orders · raw {report['raw_one_at_a_time']['wall_seconds']} s · "
            f"first sync {first['wall_seconds']} s ({first['ratio_to_raw']}× raw, "
            f"{first['requests']} requests, {first['max_in_flight']} in flight at most)"
        )
        quiet, every = routine["apart_from_the_sweep"], routine["all"]
        print(
            f"       routine apart from the sweep: ≤ {quiet['max_requests']} requests, "
            f"≤ {quiet['max_modelled_seconds']} s site time (median "
            f"{quiet['median_modelled_seconds']} s) · sweep ≤ {routine['sweep']['max_requests']} "
            f"pages a sync · whole sync ≤ {every['max_requests']} requests, "
            f"≤ {every['max_modelled_seconds']} s (median {every['median_modelled_seconds']} s, "
            f"{every['total_modelled_seconds']} s an hour) · everything checked "
            f"{routine['everything_checked_minutes_ago']} min ago · admin changes seen after "
            f"{routine['admin_changes_seen_after_minutes']} min"
        )
        if args.json:
            print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
