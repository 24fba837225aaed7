"""What reading a real-sized shop costs a marketplace that costs what a real one does (issue 14).

Starts ``vendor-desk sandbox --cost real --dataset shop --orders N`` in its own process (a real
marketplace runs on another machine, and its answers take its time: 0.13 s a request plus
4.9 ms per order listed, 0.09 s for one order, 4 PHP workers — see
``vendor_desk/sandbox/cost.py``) and measures the raw REST baselines the sync is judged against:

* **one page at a time**: every listed order, 100 per page, page after page, on one keep-alive
  connection (the real site: 30.8 s for 4,935 listed orders);
* **two pages at a time**: the same with two threads, each on its own connection, taking the
  next page number as soon as it is done (the real site: 13.4 s).

The raw fetch signs in with JWT (outside the timing) and decodes each page as the client does
(JSON numbers as ``Decimal``); it parses and stores nothing else. For each it prints the wall
time, the requests, and the server time the cost model charged (``modelled``: what the
marketplace's PHP workers spent), read from the simulator's ``/_sandbox/stats``. A calibration
line first compares single answers with the model (one order; a page of 20, 50 and 100).

    python3 bench/bench_marketplace_cost.py [--orders 1000 5000 50000] [--cost real] [--json]

Reusable: another benchmark (run as ``python3 bench/….py``, so this folder is on ``sys.path``)
can ``from bench_marketplace_cost import costed_sandbox, raw_fetch`` and measure its own client
against the same process: ``with costed_sandbox(5000) as site:`` gives ``site.base_url``,
``site.login``/``site.password`` (the shop's vendor), ``site.users``, ``site.stats()`` and
``site.reset_stats()`` (which returns the counts until the reset).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import requests

ORDERS_ROUTE = "/wp-json/wcfmmp/v1/orders"
PER_PAGE = 100
TIMEOUT = 60
REPO_ROOT = Path(__file__).resolve().parent.parent


@dataclass
class CostedSandbox:
    """A simulator running in a child process, with a cost model (or none)."""

    base_url: str
    login: str
    password: str
    app_password: str
    users: list[dict[str, Any]]
    cost: dict[str, Any] | None
    build_seconds: float
    _control: requests.Session = field(default_factory=requests.Session, repr=False)

    def stats(self) -> dict[str, Any]:
        """What the server did since it started or the last reset (see ``ServerMeter.stats``)."""
        answer = self._control.get(f"{self.base_url}/_sandbox/stats", timeout=TIMEOUT)
        answer.raise_for_status()
        result: dict[str, Any] = answer.json()
        return result

    def reset_stats(self) -> dict[str, Any]:
        """Count afresh; returns the counts until now."""
        answer = self._control.post(f"{self.base_url}/_sandbox/stats/reset", timeout=TIMEOUT)
        answer.raise_for_status()
        result: dict[str, Any] = answer.json()
        return result


@contextmanager
def costed_sandbox(
    orders: int,
    *,
    seed: int = 1,
    cost: str = "real",
    dataset: str = "shop",
    extra: Sequence[str] = (),
) -> Iterator[CostedSandbox]:
    """Start ``vendor-desk sandbox --cost COST --dataset DATASET --orders N`` (``extra``: more
    options, e.g. ``["--workers", "2"]``); read where it listens from its first stdout line;
    terminate it at the end. The vendor is the dataset's demo vendor."""
    command = [
        sys.executable,
        "-m",
        "vendor_desk",
        "sandbox",
        "--port",
        "0",
        "--dataset",
        dataset,
        "--orders",
        str(orders),
        "--seed",
        str(seed),
        "--cost",
        cost,
        *extra,
    ]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=REPO_ROOT)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        if not line:
            raise RuntimeError(f"the simulator did not start: {' '.join(command)}")
        summary: dict[str, Any] = json.loads(line)
        login = str(summary["demo_vendor"])
        user = next(u for u in summary["users"] if u["login"] == login)
        site = CostedSandbox(
            base_url=str(summary["base_url"]),
            login=login,
            password=str(user["password"]),
            app_password=str(user["app_password"]),
            users=list(summary["users"]),
            cost=summary.get("cost"),
            build_seconds=time.perf_counter() - started,
        )
        try:
            yield site
        finally:
            site._control.close()
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def jwt_token(site: CostedSandbox) -> str:
    answer = requests.post(
        site.base_url + "/wp-json/jwt-auth/v1/token",
        json={"username": site.login, "password": site.password},
        timeout=TIMEOUT,
    )
    answer.raise_for_status()
    return str(answer.json()["token"])


@dataclass(frozen=True)
class FetchResult:
    """One raw fetch of the vendor's whole order list."""

    parallel: int
    per_page: int
    wall_seconds: float
    orders: int
    requests: int
    modelled_seconds: float
    queued_seconds: float


def raw_fetch(site: CostedSandbox, *, per_page: int = PER_PAGE, parallel: int = 1) -> FetchResult:
    """Read every listed order, ``per_page`` a page, ``parallel`` pages at a time (each thread
    on its own keep-alive connection takes the next page number; all stop after the first
    short page). Sign-in is outside the timing and the server counts."""
    headers = {"Authorization": f"Bearer {jwt_token(site)}"}
    pages = itertools.count(1)
    lock = threading.Lock()
    done = threading.Event()
    seen: list[int] = []
    errors: list[BaseException] = []

    def reader() -> None:
        with requests.Session() as session:
            while not done.is_set():
                with lock:
                    page = next(pages)
                try:
                    answer = session.get(
                        site.base_url + ORDERS_ROUTE,
                        params={"page": page, "per_page": per_page},
                        headers=headers,
                        timeout=TIMEOUT,
                    )
                    answer.raise_for_status()
                    data = json.loads(answer.text, parse_float=Decimal)
                except BaseException as error:  # reported by the caller
                    errors.append(error)
                    done.set()
                    return
                with lock:
                    seen.extend(int(order["id"]) for order in data)
                if len(data) < per_page:
                    done.set()

    site.reset_stats()
    started = time.perf_counter()
    threads = [threading.Thread(target=reader) for _ in range(parallel)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    stats = site.stats()
    if errors:
        raise errors[0]
    if len(seen) != len(set(seen)):
        raise RuntimeError(f"{len(seen) - len(set(seen))} orders were listed twice")
    return FetchResult(
        parallel=parallel,
        per_page=per_page,
        wall_seconds=wall,
        orders=len(seen),
        requests=int(stats["requests"]),
        modelled_seconds=float(stats["modelled_seconds"]),
        queued_seconds=float(stats["queued_seconds"]),
    )


def calibrate(site: CostedSandbox, repeat: int = 3) -> dict[str, tuple[float, float]]:
    """Median wall time of one answer against the model's figure: one order, and a page of
    20, 50 and 100 orders (``{label: (measured, modelled)}``)."""
    headers = {"Authorization": f"Bearer {jwt_token(site)}"}
    results: dict[str, tuple[float, float]] = {}
    with requests.Session() as session:
        session.headers.update(headers)
        newest = session.get(site.base_url + ORDERS_ROUTE, params={"per_page": 1}, timeout=TIMEOUT)
        order_id = newest.json()[0]["id"]
        probes: list[tuple[str, str, dict[str, Any]]] = [
            ("one order", f"{ORDERS_ROUTE}/{order_id}", {}),
            *[(f"{n} a page", ORDERS_ROUTE, {"per_page": n}) for n in (20, 50, 100)],
        ]
        for label, path, params in probes:
            timings = []
            site.reset_stats()
            for _ in range(repeat):
                started = time.perf_counter()
                session.get(site.base_url + path, params=params, timeout=TIMEOUT).raise_for_status()
                timings.append(time.perf_counter() - started)
            modelled = float(site.stats()["modelled_seconds"]) / repeat
            results[label] = (statistics.median(timings), modelled)
    return results


def measure(orders: int, *, seed: int, cost: str, rounds: int) -> dict[str, Any]:
    """Start a costed shop of ``orders`` orders and take its raw baselines."""
    with costed_sandbox(orders, seed=seed, cost=cost) as site:
        report: dict[str, Any] = {
            "orders": orders,
            "cost": site.cost,
            "sandbox_start_seconds": round(site.build_seconds, 2),
            "calibration": {k: [round(v, 3) for v in pair] for k, pair in calibrate(site).items()},
        }
        for parallel in (1, 2):
            runs = [raw_fetch(site, parallel=parallel) for _ in range(rounds)]
            report[f"raw_{parallel}_at_a_time"] = [asdict(run) for run in runs]
        return report


def print_report(report: dict[str, Any]) -> None:
    print(
        f"\nshop of {report['orders']:,} orders (simulator ready in "
        f"{report['sandbox_start_seconds']:.1f} s; cost model {report['cost']})"
    )
    calibration = ", ".join(
        f"{label} {measured:.3f} s (model {modelled:.3f})"
        for label, (measured, modelled) in report["calibration"].items()
    )
    print(f"  one answer, wall vs model: {calibration}")
    for parallel in (1, 2):
        for run in report[f"raw_{parallel}_at_a_time"]:
            label = "one page at a time " if parallel == 1 else "two pages at a time"
            print(
                f"  raw fetch, {label}: {run['wall_seconds']:6.2f} s wall, "
                f"{run['orders']:,} orders listed, {run['requests']} requests, "
                f"{run['modelled_seconds']:.2f} s modelled server time "
                f"({run['queued_seconds']:.2f} s queued)"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--orders",
        type=int,
        nargs="+",
        default=[1000, 5000],
        help="shop sizes (default: 1000 5000; 50000 takes about 10 minutes)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cost", choices=("real", "off"), default="real")
    parser.add_argument("--rounds", type=int, default=1, help="raw fetches of each kind")
    parser.add_argument("--json", action="store_true", help="also print each report as JSON")
    args = parser.parse_args()
    print(
        f"machine: {platform.machine()} {platform.processor() or ''} "
        f"python {platform.python_version()}, {os.cpu_count()} cores"
    )
    print("load average at start: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    for orders in args.orders:
        report = measure(orders, seed=args.seed, cost=args.cost, rounds=args.rounds)
        print_report(report)
        if args.json:
            print(json.dumps(report))
        sys.stdout.flush()
    print("\nload average at end:   {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))


if __name__ == "__main__":
    main()
