"""Search index benchmark: the in-memory search pass of one keystroke (run by hand).

Loads the search index of the first account of an existing cache (read-only: the cache is
never written, not even migrated), builds its postings in this process (timed; the app builds
them in a child process, see ``SearchIndex.start_postings``), reports their memory and the size
of the pickle the child sends, then types the order list benchmark's words one character at a
time (cleared between words, as ``bench_ui.py`` does) and times ``SearchIndex.match`` per
keystroke. Target (issue 3): search keystroke to updated list p95 ≤ 50 ms over 100,000 orders,
of which painting the list takes ≈ 10 ms; this script measures the search pass's share.

    python3 bench/bench_search.py --data-dir /tmp/benchB [--repeat 5] [--scan]

``--scan`` also times the keystrokes without postings (every search scans the texts).
The machine's load average is printed: compare runs made at a similar load.
"""

from __future__ import annotations

import argparse
import os
import pickle
import statistics
import sys
import time
from pathlib import Path

from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from vendor_desk.cache.db import DB_FILENAME
from vendor_desk.cache.models import OrderSearchRecord
from vendor_desk.cache.search import SearchIndex, build_postings

#: What bench_ui.py types, one character at a time.
WORDS = ("sato", "müller", "#1234", "mug", "@example")


def load_index(data_dir: Path) -> SearchIndex:
    """The search index of the cache's first account, read through a read-only connection."""
    path = (data_dir / DB_FILENAME).resolve()
    if not path.exists():
        raise SystemExit(f"no cache at {path}")
    engine = create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    try:
        with Session(engine) as session:
            account_id = session.scalars(
                select(OrderSearchRecord.account_id).order_by(OrderSearchRecord.account_id)
            ).first()
            if account_id is None:
                raise SystemExit(f"no orders in {path}")
            return SearchIndex.load(session, account_id)
    finally:
        engine.dispose()


def type_words(index: SearchIndex) -> list[tuple[str, float, int]]:
    """Each keystroke's search, its ``match`` time (ms) and its number of matches."""
    typed = []
    for word in WORDS:
        index.match("")  # the search field cleared between words
        for end in range(1, len(word) + 1):
            started = time.perf_counter()
            found = index.match(word[:end])
            typed.append((word[:end], (time.perf_counter() - started) * 1000, len(found.order_ids)))
    index.match("")
    return typed


def report(label: str, runs: list[list[tuple[str, float, int]]]) -> None:
    """Per keystroke the median over the runs, then the median and p95 of all keystrokes."""
    print(f"\n{label}: ms per keystroke (median of {len(runs)} runs), matches")
    for position, (search, _ms, matches) in enumerate(runs[0]):
        median = statistics.median(run[position][1] for run in runs)
        print(f"  {search!r:12} {median:7.2f} ms  {matches:7d}")
    every = sorted(ms for run in runs for _search, ms, _matches in run)
    p95 = every[min(len(every) - 1, round(0.95 * (len(every) - 1)))]
    print(f"  all keystrokes: median {statistics.median(every):.2f} ms, p95 {p95:.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, required=True, help="folder of the cache")
    parser.add_argument("--repeat", type=int, default=5, help="typing runs (default 5)")
    parser.add_argument("--scan", action="store_true", help="also time without postings")
    args = parser.parse_args()

    print(f"python {sys.version.split()[0]}, load average {os.getloadavg()}")
    started = time.perf_counter()
    index = load_index(args.data_dir)
    texts: list[str] = index._texts
    print(f"{len(index)} orders loaded in {time.perf_counter() - started:.2f} s")

    if args.scan:
        report("scan (no postings)", [type_words(index) for _ in range(args.repeat)])

    started, cpu = time.perf_counter(), time.process_time()
    keys = build_postings(texts)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    started = time.perf_counter()
    sent = pickle.dumps(keys, protocol=pickle.HIGHEST_PROTOCOL)
    dumped = time.perf_counter() - started
    started = time.perf_counter()
    keys = pickle.loads(sent)  # what the window's process holds: arrays of their exact size
    loaded = time.perf_counter() - started
    by_length: dict[int, int] = {}
    for key in keys:
        by_length[min(len(key), 4)] = by_length.get(min(len(key), 4), 0) + 1
    dense = sum(isinstance(posting, int) for posting in keys.values())
    print(f"postings built in {wall:.2f} s ({cpu:.2f} s CPU), load average {os.getloadavg()}")
    print(
        f"  keys: {by_length.get(1, 0)} characters, {by_length.get(2, 0)} pairs, "
        f"{by_length.get(3, 0)} trigrams, {by_length.get(4, 0)} frequent substrings; "
        f"{dense} bitmaps, {len(keys) - dense} position arrays"
    )
    memory = sum(map(sys.getsizeof, keys.values()))  # bitmaps and positions, not the keys
    print(
        f"  memory {memory / 1e6:.1f} MB; pickle {len(sent) / 1e6:.1f} MB "
        f"(dumped in {dumped * 1000:.0f} ms, loaded in {loaded * 1000:.0f} ms)"
    )
    index.use_postings(keys)
    report("postings", [type_words(index) for _ in range(args.repeat)])
    print(f"\nload average {os.getloadavg()}")


if __name__ == "__main__":
    main()
