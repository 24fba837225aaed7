"""Benchmark: 50 packing slips to a CUPS queue — from "Print" (the orders in the cache) to the
job accepted by the queue (``lp`` returned its job id), and the job's size.

What "Print" does on a system with CUPS: load the orders from the cache, render the slips
(reportlab), hand the PDF as it is to ``lp`` (vendor_desk.print_system.submit). Orders are real
ones from the generated simulator, synced into a temporary cache. Also says how long the queue
took to finish the job (cups-pdf re-distils it with Ghostscript; a label printer's driver takes
its own time) — that part runs in the print system, not in the app.

    python3 bench/bench_print.py [--queue VD-PDF] [--paper a4|letter|label4x6|label100x150]
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.sync.conftest import make_env
from vendor_desk import documents as docs
from vendor_desk import print_system
from vendor_desk.cache.queries import order_ids

SLIPS = 50
ROUNDS = 5
SETTINGS = docs.DocumentSettings(store_name="Harbor & Pine Goods", address_lines=("2 Quay St",))


def _default_queue() -> str:
    queues = print_system.queues()
    if not queues:
        raise SystemExit("bench_print: no print queue (lpadmin -p VD-PDF -E -v cups-pdf:/ …)")
    return next((q.name for q in queues if q.default), queues[0].name)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--queue")
    parser.add_argument("--paper", default="a4", choices=[p.cli_name for p in docs.Paper])
    args = parser.parse_args()
    if not print_system.available():
        raise SystemExit("bench_print: the CUPS scheduler is not answering (lpstat -r)")
    queue = args.queue or _default_queue()
    paper = docs.Paper.from_cli(args.paper)
    options = print_system.PrintOptions(media=print_system.media_for(paper))
    with tempfile.TemporaryDirectory() as folder:
        gen = make_env(Path(folder), orders=120, seed=3)
        env = next(gen)
        try:
            env.syncer().sync()
            with env.cache.session() as session:
                ids = sorted(order_ids(session, env.account_id))[:SLIPS]
            totals, renders, submits, finished, sizes, pages = [], [], [], [], [], 0
            for _ in range(ROUNDS):
                start = time.perf_counter()
                loaded = docs.load_document_orders(env.cache, env.account_id, ids)
                pdf = docs.render_packing_slips(loaded, SETTINGS, paper)
                rendered = time.perf_counter()
                job = print_system.submit(queue, pdf, title="bench 50 slips", options=options)
                accepted = time.perf_counter()
                while print_system.job_done(job) is False:
                    time.sleep(0.05)
                done = time.perf_counter()
                totals.append(accepted - start)
                renders.append(rendered - start)
                submits.append(accepted - rendered)
                finished.append(done - accepted)
                sizes.append(len(pdf))
                pages = pdf.count(b"/Type /Page\n") or pdf.count(b"/Type /Page")
        finally:
            gen.close()
    print(f"machine: {platform.processor() or platform.machine()}, {platform.platform()}")
    print(f"queue {queue}, {len(ids)} slips on {paper.cli_name} ({pages} pages), {ROUNDS} rounds")
    print(
        f"Print -> job accepted: median {statistics.median(totals):.2f} s "
        f"(load + render {statistics.median(renders):.2f} s, lp {statistics.median(submits):.3f} s)"
        f", max {max(totals):.2f} s"
    )
    print(f"job size: {max(sizes) / 1024:.0f} KB ({max(sizes) / len(ids) / 1024:.1f} KB a slip)")
    print(f"queue finished the job (cups-pdf): median {statistics.median(finished):.2f} s later")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
