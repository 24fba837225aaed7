"""Desktop benchmarks on a large cache (run by hand; figures in docs/performance.md).

1. Cold start to the painted order list with 100,000 cached orders (target ≤ 1.5 s): a fresh
   Python process, from its start to the first paint of the list with rows in it.
2. Search keystroke to updated list (target p95 ≤ 50 ms): typing search words one character at
   a time (debounce bypassed), until the list has repainted.
3. Peak RSS with 100,000 orders loaded and the list scrolled end to end (target ≤ 300 MB).

    python3 bench/bench_ui.py --data-dir DIR [--orders 100000]

DIR must hold a cache filled by ``bench/bench_cache_queries.py --data-dir DIR`` (a real sync
of the generated demo shop); its orders are copied under new numbers until the cache holds
``--orders`` of them (never fewer: for a small shop fill DIR with fewer, e.g.
``bench_cache_queries.py --orders 2000`` gives the demo vendor ≈ 1,000; under 20,000 orders the
search index gets no n-grams and typing starts once the index is loaded). Runs offscreen unless
QT_QPA_PLATFORM says otherwise. The measured processes use compiled bytecode (``DIR/pycache``,
written once before them) as an installed app does; ``--compile-every-start`` measures them
compiling the app's modules from source instead.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

DB = "vendor-desk.sqlite3"


def grow_cache(data_dir: Path, target: int) -> int:
    """Copy orders (and their items) under new order ids until the cache holds ``target``."""
    connection = sqlite3.connect(data_dir / DB)
    try:
        count = connection.execute("SELECT count(*) FROM orders").fetchone()[0]
        order_columns = [row[1] for row in connection.execute("PRAGMA table_info(orders)")]
        item_columns = [row[1] for row in connection.execute("PRAGMA table_info(line_items)")]
        offset = 10_000_000
        while count < target:
            max_order = connection.execute("SELECT max(order_id) FROM orders").fetchone()[0]
            max_item = connection.execute("SELECT max(item_id) FROM line_items").fetchone()[0]
            shift, item_shift = max(offset, max_order + 1), max_item + 1
            limit = target - count
            picked = f"SELECT order_id FROM orders ORDER BY order_id LIMIT {limit}"
            order_values = [
                f"order_id + {shift}"
                if c == "order_id"
                else f"CAST(order_id + {shift} AS TEXT)"
                if c == "number"
                else c
                for c in order_columns
            ]
            connection.execute(
                f"INSERT INTO orders ({', '.join(order_columns)}) "
                f"SELECT {', '.join(order_values)} FROM orders WHERE order_id IN ({picked})"
            )
            item_values = [
                f"order_id + {shift}"
                if c == "order_id"
                else f"item_id + {item_shift}"
                if c == "item_id"
                else c
                for c in item_columns
            ]
            connection.execute(
                f"INSERT INTO line_items ({', '.join(item_columns)}) "
                f"SELECT {', '.join(item_values)} FROM line_items WHERE order_id IN ({picked})"
            )
            connection.commit()
            count = connection.execute("SELECT count(*) FROM orders").fetchone()[0]
        return int(count)
    finally:
        connection.close()


def search_index_ready(model: Any) -> bool:
    """Whether the order list's search index is loaded — with its n-gram bitmaps when the shop
    is large enough to get them: under the model's ``ngram_min_orders`` (20,000 by default)
    none are ever built, searches scan the texts (``SearchIndex.start_postings``)."""
    future = model._search_index
    if future is None:
        return True
    if not future.done():
        return False
    index = future.result()
    return bool(index.postings_ready or len(index) < model._ngram_min_orders)


def child(
    data_dir: Path,
    started: float,
    *,
    scroll: bool = True,
    detail: bool = False,
    type_at_once: bool = False,
    settle: float = 12.0,
) -> None:
    """Runs in a fresh process: everything the vendor waits for, measured from its start."""
    import resource

    from PySide6.QtCore import QEvent, QObject

    from vendor_desk.cache import open_cache
    from vendor_desk.cache.queries import list_accounts
    from vendor_desk.ui.application import ensure_application, open_settings
    from vendor_desk.ui.main_window import AccountConnection, MainWindow

    app = ensure_application([])
    cache = open_cache(data_dir)
    with cache.session() as session:
        info = list_accounts(session)[0]
    connection = AccountConnection(
        account_id=info.id,
        base_url=info.base_url,
        login=info.login,
        password="not-used",
        auth_method=info.auth_method,
        store_name=info.store_name,
    )
    window = MainWindow(cache, connection, open_settings(data_dir), auto_sync=False)
    painted: list[float] = []

    class PaintWatcher(QObject):
        """Records when the list's viewport paints (with rows in it)."""

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and window.model.rowCount():
                painted.append(time.time())
            return False

    watcher = PaintWatcher()
    window.table.viewport().installEventFilter(watcher)
    window.resize(1600, 900)
    window.show()
    while not painted:
        app.processEvents()
    cold_start = painted[0] - started
    first_view_rows = window.model.rowCount()
    window.model.set_group("all")  # the rest runs over every cached order
    app.processEvents()
    rows = window.model.rowCount()

    # A vendor types some seconds after the start: the search index (and, for a large shop, its
    # n-gram bitmaps, built in a child process) are ready by then. Typing starts once they are,
    # and not before `settle` seconds (the same moment for every version of the code: the
    # window's own timers make later keystrokes slower). --type-at-once types at once instead
    # (the first keystroke waits for the index, the next ones scan the texts until the n-grams
    # come).
    search_ready = None
    if not type_at_once:
        ready_started = time.perf_counter()
        window.model.prepare_search()
        while not search_index_ready(window.model) or time.perf_counter() - ready_started < settle:
            app.processEvents()
            time.sleep(0.01)
            if time.perf_counter() - ready_started > 120:
                raise SystemExit("the search index was not ready after 120 s")
        search_ready = round(time.perf_counter() - ready_started, 2)
    loaded = window.model._search_index
    ngrams = bool(loaded is not None and loaded.done() and loaded.result().postings_ready)

    keystrokes: list[float] = []
    typed: list[tuple[str, float, int]] = []
    for word in ("sato", "müller", "#1234", "mug", "@example"):
        for end in range(1, len(word) + 1):
            t0 = time.perf_counter()
            paints = len(painted)
            window.search_edit.setText(word[:end])
            window._apply_search()  # what the search debounce timer calls
            while len(painted) == paints and window.model.rowCount():
                app.processEvents()  # until the list has repainted
            keystrokes.append(time.perf_counter() - t0)
            typed.append((word[:end], round(keystrokes[-1] * 1000, 1), window.model.rowCount()))
    window.search_edit.setText("")
    window._apply_search()
    app.processEvents()

    bar = window.table.verticalScrollBar()
    scroll_started = time.perf_counter()
    step = max(1, bar.pageStep())
    value = 0
    while scroll and value < bar.maximum():
        value = min(bar.maximum(), value + step)
        bar.setValue(value)
        app.processEvents()
    scroll_seconds = time.perf_counter() - scroll_started if scroll else None
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    keystrokes.sort()
    print(
        json.dumps(
            {
                "first_view_rows": first_view_rows,
                "rows": rows,
                "cold_start_s": round(cold_start, 3),
                "typing_started_s": search_ready,
                "search_ngrams": ngrams,
                "keystroke_median_ms": round(statistics.median(keystrokes) * 1000, 1),
                "keystroke_p95_ms": round(keystrokes[int(len(keystrokes) * 0.95) - 1] * 1000, 1),
                "keystroke_worst_ms": round(keystrokes[-1] * 1000, 1),
                "keystrokes": len(keystrokes),
                "scroll_end_to_end_s": scroll_seconds and round(scroll_seconds, 2),
                "peak_rss_mb": round(rss_mb),
            }
            | ({"typed": typed} if detail else {})
        )
    )
    sys.stdout.flush()
    # Measurements are done; skip interpreter teardown (its order is PySide's business).
    os._exit(0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--no-scroll", action="store_true", help="skip the end-to-end scroll (quick runs)"
    )
    parser.add_argument(
        "--keystrokes", action="store_true", help="also print each keystroke's time and rows"
    )
    parser.add_argument(
        "--compile-every-start",
        action="store_true",
        help="no bytecode cache: every run compiles the app's modules from source",
    )
    parser.add_argument(
        "--type-at-once",
        action="store_true",
        help="type right after the first paint (else wait until the search index is ready)",
    )
    parser.add_argument(
        "--settle",
        type=float,
        default=12.0,
        help="seconds after the first paint before typing, at least (unless --type-at-once)",
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--started", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(
            args.data_dir,
            args.started,
            scroll=not args.no_scroll,
            detail=args.keystrokes,
            type_at_once=args.type_at_once,
            settle=args.settle,
        )
        return
    total = grow_cache(args.data_dir, args.orders)
    print(f"machine: {platform.machine()} python {platform.python_version()}")
    print(f"cache: {total} orders; load average {os.getloadavg()[0]:.2f}")
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    if args.compile_every_start:
        print("bytecode: compiled from source in every run (as PYTHONDONTWRITEBYTECODE says)")
    else:
        # An installed app has its modules compiled (pip writes the .pyc files); a work tree run
        # with PYTHONDONTWRITEBYTECODE=1 would compile the app's own modules on every start
        # (≈ 0.3 s). Compile them once into a private cache outside the tree, then measure.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(args.data_dir / "pycache")
        subprocess.run(
            [sys.executable, "-c", "import vendor_desk.ui.main_window, vendor_desk.cache"],
            env=env,
            check=True,
        )
        print(f"bytecode: compiled once into {env['PYTHONPYCACHEPREFIX']}")
    for _ in range(args.repeat):
        started = time.time()
        result = subprocess.run(
            [
                sys.executable,
                __file__,
                "--child",
                "--data-dir",
                str(args.data_dir),
                "--started",
                repr(started),
                *(["--no-scroll"] if args.no_scroll else []),
                *(["--keystrokes"] if args.keystrokes else []),
                *(["--type-at-once"] if args.type_at_once else []),
                *(["--settle", str(args.settle)]),
            ],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        print(result.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
