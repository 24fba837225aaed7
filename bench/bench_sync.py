"""Sync benchmarks against the simulator on loopback (run by hand; figures in docs/performance.md).

1. First sync of a 10,000-order shop, divided by a raw paged fetch of the same pages with
   ``requests`` (target ≤ 1.3). The raw fetch asks for the same pages as the sync (same JWT
   Bearer auth, same page size) and decodes each answer as the client does (JSON numbers as
   ``Decimal``); it parses and stores nothing.
2. Routine sync with nothing changed, on that shop with only the most recent 150 orders open
   (older ones completed, as in a real shop) — target ≤ 3 requests and ≤ 0.3 s.

The simulator runs in its own process (``python3 -m vendor_desk sandbox``), as a real
marketplace runs on another machine: in-process, its page rendering would compete with the
client for the GIL and be counted against the sync. Both measurements talk to the same server.
Each round measures a raw fetch and then a first sync into a fresh cache; the medians are
reported, with the client's CPU time during the first syncs (both threads; steadier than the
wall time on a shared machine) and the load average before and after (other jobs on the machine
slow the simulator process and the client alike, and the ratio with them).

    python3 bench/bench_sync.py [--orders 10000] [--rounds 3] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import requests

from vendor_desk.cache import add_account, open_cache
from vendor_desk.marketplace import WcfmMarketplace
from vendor_desk.sync import Syncer
from vendor_desk.sync.syncer import PER_PAGE, SyncResult

OPEN = {"pending", "on-hold", "processing", "shipped"}
ORDERS_ROUTE = "/wp-json/wcfmmp/v1/orders"
TIMEOUT = 30


@dataclass(frozen=True)
class Sandbox:
    """A simulator running in a child process."""

    base_url: str
    login: str
    password: str


@contextmanager
def sandbox(orders: int, seed: int) -> Iterator[Sandbox]:
    """Start ``vendor_desk sandbox`` with a generated shop; read where it listens from its
    first stdout line; terminate it at the end."""
    command = [
        sys.executable,
        "-m",
        "vendor_desk",
        "sandbox",
        "--dataset",
        "generated",
        "--orders",
        str(orders),
        "--seed",
        str(seed),
        "--port",
        "0",
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        summary: dict[str, Any] = json.loads(process.stdout.readline())
        login = str(summary["demo_vendor"])
        user = next(u for u in summary["users"] if u["login"] == login)
        yield Sandbox(str(summary["base_url"]), login, str(user["password"]))
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def close_old_orders(site: Sandbox, keep_open: int) -> int:
    """Complete (as the admin, through the control surface) every open order of the vendor
    except the newest ``keep_open``. Returns how many were completed."""
    with WcfmMarketplace(site.base_url, site.login, site.password) as market:
        listed = [o for page in market.iter_order_pages() for o in page]
    completed = 0
    with requests.Session() as control:
        for order in listed[keep_open:]:
            if order.vendor_status.slug in OPEN or order.main_status.slug in OPEN:
                answer = control.post(
                    f"{site.base_url}/_sandbox/orders/{order.id}/status",
                    json={"status": "completed"},
                    timeout=TIMEOUT,
                )
                answer.raise_for_status()
                completed += 1
    return completed


def jwt_token(session: requests.Session, site: Sandbox) -> str:
    answer = session.post(
        site.base_url + "/wp-json/jwt-auth/v1/token",
        json={"username": site.login, "password": site.password},
        timeout=TIMEOUT,
    )
    answer.raise_for_status()
    return str(answer.json()["token"])


def raw_fetch(site: Sandbox) -> tuple[float, int]:
    """Seconds to read every page of the vendor's order list, and the number of orders."""
    with requests.Session() as session:
        headers = {"Authorization": f"Bearer {jwt_token(session, site)}"}  # outside the timing
        started = time.perf_counter()
        page, total = 1, 0
        while True:
            answer = session.get(
                site.base_url + ORDERS_ROUTE,
                params={"page": page, "per_page": PER_PAGE},
                headers=headers,
                timeout=TIMEOUT,
            )
            answer.raise_for_status()
            data = json.loads(answer.text, parse_float=Decimal)
            total += len(data)
            if len(data) < PER_PAGE:
                return time.perf_counter() - started, total
            page += 1


def first_sync(site: Sandbox) -> tuple[SyncResult, float]:
    """A first sync into a fresh cache (sign-in outside the timing, as the app does at start),
    and the CPU seconds this process spent in it."""
    with tempfile.TemporaryDirectory() as folder:
        cache = open_cache(Path(folder))
        try:
            with cache.session() as session:
                account = add_account(session, site.base_url, site.login, "", 0, "jwt")
            with WcfmMarketplace(site.base_url, site.login, site.password) as market:
                market.identify()
                cpu = time.process_time()
                result = Syncer(cache, account, market).first_sync()
                return result, time.process_time() - cpu
        finally:
            cache.close()


def routine_syncs(site: Sandbox, repeat: int) -> list[SyncResult]:
    """``repeat`` routine syncs with nothing changed, after a first sync."""
    with tempfile.TemporaryDirectory() as folder:
        cache = open_cache(Path(folder))
        try:
            with cache.session() as session:
                account = add_account(session, site.base_url, site.login, "", 0, "jwt")
            with WcfmMarketplace(site.base_url, site.login, site.password) as market:
                market.identify()
                syncer = Syncer(cache, account, market)
                syncer.first_sync()
                return [syncer.routine_sync() for _ in range(repeat)]
        finally:
            cache.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=3, help="raw fetch + first sync rounds")
    parser.add_argument("--repeat", type=int, default=5, help="routine syncs")
    args = parser.parse_args()
    print("load average at start: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    with sandbox(args.orders, args.seed) as site:
        completed = close_old_orders(site, keep_open=150)
        raw_fetch(site)  # warm up the server (first-touch caches) before measuring
        raws: list[float] = []
        firsts: list[SyncResult] = []
        cpus: list[float] = []
        count = 0
        for _ in range(args.rounds):
            seconds, count = raw_fetch(site)
            raws.append(seconds)
            result, cpu = first_sync(site)
            firsts.append(result)
            cpus.append(cpu)
        raw_seconds = statistics.median(raws)
        sync_seconds = statistics.median(r.duration for r in firsts)
        print(f"vendor orders: {count} ({completed} older open orders completed first)")
        print(
            f"raw paged fetch: median {raw_seconds:.2f} s  ({', '.join(f'{s:.2f}' for s in raws)})"
        )
        print(
            f"first sync:      median {sync_seconds:.2f} s  "
            f"({', '.join(f'{r.duration:.2f}' for r in firsts)}; "
            f"{firsts[-1].requests_made} requests)"
        )
        print(f"ratio:           {sync_seconds / raw_seconds:.2f}  (target <= 1.3)")
        print(
            f"first sync client CPU: median {statistics.median(cpus):.2f} s  "
            f"({', '.join(f'{c:.2f}' for c in cpus)})"
        )
        routine = routine_syncs(site, args.repeat)
        seconds = statistics.median(r.duration for r in routine)
        print(
            f"routine sync, nothing changed: {routine[-1].requests_made} requests, "
            f"median {seconds:.3f} s (target <= 3 requests, <= 0.3 s)"
        )
    print("load average at end:   {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))


if __name__ == "__main__":
    main()
