"""Benchmark: 50 packing slips to a CUPS queue — from "Print" (the orders in the cache) to the
job accepted by the queue (``lp`` returned its job id), and the job's size.

What "Print" does on a system with CUPS: load the orders from the cache, render the slips
(reportlab), hand the PDF as it is to ``lp`` (vendor_desk.print_system.submit). Orders are real
ones from the generated simulator, synced into a temporary cache. Also says how long the queue
took to finish the job (cups-pdf re-distils it with Ghostscript; a label printer's driver takes
its own time) — that part runs in the print system, not in the app.

The window's path (``--window``, on by default): the same 50 slips from the window's "Print"
(the remembered slip printer being the queue) to the job accepted, measured with a 10 ms QTimer
on the window's thread whose longest gap between ticks says how long the window could not
answer input; and the rasterising path used for printers that are no CUPS queue (Windows
drivers): time per page at 203 dpi on a 4×6 in label (a PDF-file QPrinter stands for the
driver).

    python3 bench/bench_print.py [--queue VD-PDF] [--paper a4|letter|label4x6|label100x150]
"""

from __future__ import annotations

import argparse
import itertools
import os
import platform
import statistics
import sys
import tempfile
import time
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.sync.conftest import make_env
from vendor_desk import documents as docs
from vendor_desk import print_system
from vendor_desk.cache.queries import order_ids

SLIPS = 50
ROUNDS = 5
RASTER_DPI = 203
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
        # the demo vendor has about half of the shop's orders
        gen = make_env(Path(folder), orders=(3 * ROUNDS + 4) * SLIPS * 2 + 100, seed=3)
        env = next(gen)
        try:
            env.syncer().sync()
            with env.cache.session() as session:
                every = sorted(order_ids(session, env.account_id))
            ids = every[:SLIPS]
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
            window = _window_path(env, every[SLIPS:], queue, paper, Path(folder))
            rest = every[(ROUNDS + 2) * SLIPS :]
            window_raster = _window_path(
                env, rest, queue, paper, Path(folder), raster=(docs.Paper.LABEL_4X6, RASTER_DPI)
            )
            window_office = _window_path(
                env,
                rest[(ROUNDS + 1) * SLIPS :],
                queue,
                paper,
                Path(folder),
                raster=(docs.Paper.A4, 300),
            )
            raster = _raster_path(env, ids, Path(folder))
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
    for name, figures in (
        ("queue", window),
        ("rasterised, 4x6 label at 203 dpi", window_raster),
        ("rasterised, A4 at 300 dpi", window_office),
    ):
        print(
            f"window ({name}): Print -> job done: median "
            f"{statistics.median(figures['totals']):.2f} s, max {max(figures['totals']):.2f} s;"
            f" longest gap between 10 ms ticks {max(figures['gaps']) * 1000:.0f} ms (rounds: "
            + ", ".join(f"{gap * 1000:.0f}" for gap in figures["gaps"])
            + f" ms); first print after opening (renderer starting): "
            f"{figures['first']['total']:.2f} s, longest gap "
            f"{figures['first']['gap'] * 1000:.0f} ms"
        )
    print(
        f"rasterising path, {RASTER_DPI} dpi, 4x6 in label: {raster['pages']} pages in "
        f"{raster['seconds']:.2f} s = {raster['seconds'] / raster['pages'] * 1000:.0f} ms a page, "
        f"{raster['size'] / 1024 / 1024:.1f} MB"
    )
    return 0


def _tick(ticks: list[float]) -> None:
    ticks.append(time.perf_counter())


def _window_path(
    env: Any,
    fresh: list[int],
    queue: str,
    paper: Any,
    folder: Path,
    *,
    raster: tuple[Any, int] | None = None,
) -> dict[str, Any]:
    """50 slips from the window's Print (straight to the remembered queue) to the job
    accepted, with the longest gap between the window's 10 ms timer ticks meanwhile. Each
    round prints 50 slips never printed (``fresh``), as the morning batch is: no "printed
    before" question. The first round is the first print after the window opened, before
    the renderer's child process was started (``first``); then the window starts it, as it
    does five seconds after opening, and the other rounds follow.

    With ``raster`` (paper, dpi), the remembered printer is no CUPS queue: a PDF-file QPrinter
    at that resolution stands for a Windows driver (a label printer at 203 dpi, an office
    printer at 300), the pages rasterised on the print worker."""
    if len(fresh) < (ROUNDS + 1) * SLIPS:
        raise SystemExit(f"bench_print: {len(fresh)} orders left for the window's rounds")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, QSettings, QTimer
    from PySide6.QtWidgets import QMessageBox

    from vendor_desk.ui.application import ensure_application
    from vendor_desk.ui.main_window import AccountConnection, MainWindow
    from vendor_desk.ui.printing import PrintSettings

    app = ensure_application()
    settings = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
    if raster:
        paper, dpi = raster
    PrintSettings(docs.DocumentKind.SLIP, queue, paper, skip_dialog=True).save(settings)
    connection = AccountConnection(env.account_id, env.sim.base_url, env.login, env.password)
    window = MainWindow(env.cache, connection, settings, sync_interval_ms=0, auto_sync=False)
    if raster:
        from vendor_desk.ui import printing

        out = folder / "window-raster.pdf"
        window.print_jobs.printer_available = lambda _name: True
        window.print_jobs.make_printer = lambda _remembered, paper: printing.pdf_file_printer(
            out, paper, dpi
        )
    window.show()

    def again(dialog: Any) -> bool:  # "printed before": print again
        if isinstance(dialog, QMessageBox):
            for button in dialog.buttons():
                if dialog.buttonRole(button) == QMessageBox.ButtonRole.AcceptRole:
                    button.click()
                    return True
        return False

    window.print_jobs.run_dialog = again
    totals, gaps, first = [], [], {}
    try:
        for round_ in range(ROUNDS + 1):
            ids = fresh[round_ * SLIPS : (round_ + 1) * SLIPS]
            window.background_printer.outcomes.clear()
            app.processEvents()
            ticks: list[float] = []
            timer = QTimer()
            timer.setInterval(10)
            timer.timeout.connect(partial(_tick, ticks))
            timer.start()
            start = time.perf_counter()
            ticks.append(start)
            QTimer.singleShot(0, partial(window.print_jobs.print_slips, ids))
            # the window's own event loop (Qt's, as app.exec() runs it), ended 0.3 s after
            # the job was accepted (the window's own work once the job is out)
            loop = QEventLoop()
            marks: dict[str, float] = {}

            def ended(_outcome: Any, marks: dict[str, float] = marks, loop: Any = loop) -> None:
                marks["accepted"] = time.perf_counter()
                QTimer.singleShot(300, loop.quit)

            window.background_printer.finished.connect(ended)
            QTimer.singleShot(60_000, loop.quit)
            loop.exec()
            window.background_printer.finished.disconnect(ended)
            if "accepted" not in marks:
                raise SystemExit("bench_print: the window's job did not end within 60 s")
            accepted = marks["accepted"]
            timer.stop()
            (outcome,) = window.background_printer.outcomes
            if outcome.error or not (outcome.jobs or raster):
                raise SystemExit(f"bench_print: the window's job failed: {outcome}")
            gap = max(b - a for a, b in itertools.pairwise(ticks))
            if round_ == 0:
                first = {"total": accepted - start, "gap": gap, "pages": outcome.pages}
                window.print_jobs.prepare()  # what the window does 5 s after opening
                _wait(app, 3.0)
                continue
            totals.append(accepted - start)
            gaps.append(gap)
    finally:
        window.shutdown()
        window.close()
    return {"totals": totals, "gaps": gaps, "first": first}


def _wait(app: Any, seconds: float) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        app.processEvents()
        time.sleep(0.01)


def _raster_path(env: Any, ids: list[int], folder: Path) -> dict[str, Any]:
    """The rasterising path (printers that are no CUPS queue): the slips on 4×6 in labels
    rasterised at 203 dpi onto a PDF-file QPrinter."""
    from vendor_desk.ui import printing

    loaded = docs.load_document_orders(env.cache, env.account_id, ids)
    pdf = docs.render_packing_slips(loaded, SETTINGS, docs.Paper.LABEL_4X6)
    out = folder / "raster.pdf"
    printer = printing.pdf_file_printer(out, docs.Paper.LABEL_4X6, RASTER_DPI)
    start = time.perf_counter()
    pages = printing.print_pdf(pdf, printer)
    seconds = time.perf_counter() - start
    return {"pages": pages, "seconds": seconds, "size": out.stat().st_size}


if __name__ == "__main__":
    raise SystemExit(main())
