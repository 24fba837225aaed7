"""The window prints off its own thread: a batch of slips to a CUPS queue goes as the PDF itself
(read back from what the cups-pdf queue wrote), other printers get rasterised pages on a worker
thread, and the window's event loop keeps running all along; Cancel stops a rasterised job.

The queue tests skip, saying why, where there is no print service (the same check as
tests/cli/test_print_queue.py: ``VD_PRINT_QUEUE`` set by CI, else CUPS with a cups-pdf queue).
"""

from __future__ import annotations

import io
import multiprocessing
import os
import signal
import threading
from pathlib import Path
from typing import Any

import pypdf
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtPrintSupport import QPrintDialog, QPrinter

from tests.cli.test_print_queue import QUEUE, _queue_output, needs_queue
from vendor_desk import documents as docs
from vendor_desk.cache.queries import order_ids
from vendor_desk.documents import DocumentKind, Paper
from vendor_desk.documents.printed import printed_orders
from vendor_desk.documents.render_process import Renderer
from vendor_desk.ui import printing
from vendor_desk.ui.main_window import MainWindow
from vendor_desk.ui.print_background import PrintOutcome
from vendor_desk.ui.print_preview import PrintPreviewDialog
from vendor_desk.ui.printing import PrintSettings


class Ticks:
    """A 10 ms QTimer on the window's thread: counts its ticks and the longest gap between."""

    def __init__(self) -> None:
        self.count = 0
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def _tick(self) -> None:
        self.count += 1


def _ids(window: MainWindow, count: int) -> list[int]:
    cache, account_id = window._cache, window._connection.account_id  # type: ignore[union-attr]
    with cache.session() as session:
        ids = sorted(order_ids(session, account_id, include_vanished=False))
    assert len(ids) >= count
    return ids[:count]


def _outcome(window: MainWindow, qtbot: Any, ticks: Ticks, timeout: int = 60000) -> PrintOutcome:
    qtbot.waitUntil(lambda: bool(window.background_printer.outcomes), timeout=timeout)
    ticks.timer.stop()
    (outcome,) = window.background_printer.outcomes
    return outcome


@needs_queue
def test_a_batch_printed_from_the_window_goes_to_the_queue_as_the_pdf(
    window: MainWindow, settings: QSettings, qtbot: Any
) -> None:
    """Slips to the CUPS queue the vendor chose: the PDF itself goes to the queue (no
    rasterising), while the window keeps running; the queue's output has every page."""
    assert QUEUE is not None
    PrintSettings(DocumentKind.SLIP, QUEUE, Paper.LABEL_4X6, skip_dialog=True).save(settings)
    ids = _ids(window, 12)
    cache, account_id = window._cache, window._connection.account_id  # type: ignore[union-attr]
    loaded = docs.load_document_orders(cache, account_id, ids)
    expected = docs.render_packing_slips(loaded, docs.DocumentSettings(), Paper.LABEL_4X6)
    pages = len(pypdf.PdfReader(io.BytesIO(expected)).pages)

    ticks = Ticks()
    # handed to the worker: loaded, rendered and sent there, not here
    assert window.print_jobs.print_slips(ids) == len(ids)
    assert window.print_progress.isVisible()
    outcome = _outcome(window, qtbot, ticks)
    assert ticks.count > 0  # the window's event loop ran while the job was out
    assert (outcome.pages, outcome.error, outcome.cancelled) == (pages, "", False)
    assert outcome.queue == QUEUE and len(outcome.jobs) == 1
    assert outcome.jobs[0] in window.statusBar().currentMessage()

    printed = pypdf.PdfReader(io.BytesIO(_queue_output(outcome.jobs[0])))
    assert len(printed.pages) == pages
    assert {(round(p.mediabox.width), round(p.mediabox.height)) for p in printed.pages} == {
        (288, 432)
    }
    # once out, the slips are marked printed
    assert set(printed_orders(cache, account_id, ids, DocumentKind.SLIP)) == set(ids)


def _raster_to(window: MainWindow, settings: QSettings, out: Path) -> None:
    """Slips go straight to a printer that is no CUPS queue (a PDF file here, as a Windows
    driver would be): rasterised, page by page, at 203 dpi."""
    PrintSettings(DocumentKind.SLIP, "Zebra ZD421", Paper.LABEL_4X6, skip_dialog=True).save(
        settings
    )

    window.print_jobs.printer_available = lambda name: name == "Zebra ZD421"
    window.print_jobs.make_printer = lambda _remembered, paper: printing.pdf_file_printer(
        out, paper, 203
    )


def test_a_rasterised_job_runs_off_the_window_thread_and_reports_done(
    window: MainWindow, settings: QSettings, qtbot: Any, tmp_path: Path
) -> None:
    out = tmp_path / "raster.pdf"
    _raster_to(window, settings, out)
    ids = _ids(window, 6)
    ticks = Ticks()
    assert window.print_jobs.print_slips(ids) == len(ids)
    assert window.print_progress.isVisible()
    outcome = _outcome(window, qtbot, ticks)
    assert ticks.count > 0
    pages = outcome.pages
    assert pages >= len(ids) and (outcome.jobs, outcome.error) == ((), "")
    assert len(pypdf.PdfReader(out).pages) == pages
    assert not window.print_progress.isVisible()
    assert f"{pages} pages printed" in window.statusBar().currentMessage()


def test_cancel_stops_a_rasterised_job(
    window: MainWindow, settings: QSettings, qtbot: Any, tmp_path: Path
) -> None:
    out = tmp_path / "cancelled.pdf"
    _raster_to(window, settings, out)
    ids = _ids(window, 30)

    clicked = threading.Event()

    def hold(_name: str, data: tuple[int, int]) -> None:
        """On the worker thread: after the first page, wait for the vendor's click (the test
        would otherwise race a fast machine's rasteriser)."""
        if data[0] == 1:
            clicked.wait(30)

    def cancel_after_first(done: int, _total: int) -> None:
        if done >= 1 and window.print_progress.cancel_button.isEnabled():
            window.print_progress.cancel_button.click()
            clicked.set()

    window.background_printer._worker.progress.connect(hold, Qt.ConnectionType.DirectConnection)
    window.background_printer.progress.connect(cancel_after_first)
    ticks = Ticks()
    assert window.print_jobs.print_slips(ids) == len(ids)
    outcome = _outcome(window, qtbot, ticks)
    assert outcome.cancelled and 1 <= outcome.pages < len(ids)
    assert "cancelled" in window.statusBar().currentMessage()
    cache, account_id = window._cache, window._connection.account_id  # type: ignore[union-attr]
    assert not printed_orders(cache, account_id, ids, DocumentKind.SLIP)  # nothing recorded
    assert not window.print_progress.isVisible()


def test_printing_from_the_preview_runs_in_the_background_too(
    window: MainWindow, settings: QSettings, qtbot: Any, tmp_path: Path
) -> None:
    """Print… in the preview, then OK in the print dialog: the preview hands the job to the
    worker and closes; the slip is marked printed once the job went out."""
    out = tmp_path / "preview.pdf"
    (order_id,) = _ids(window, 1)
    previews: list[PrintPreviewDialog] = []

    def answer(dialog: Any) -> bool:
        if isinstance(dialog, PrintPreviewDialog):
            previews.append(dialog)
            dialog.print_now()
            return False
        assert isinstance(dialog, QPrintDialog)
        printer = dialog.printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        printer.setResolution(203)
        return True

    window.print_jobs.run_dialog = answer
    ticks = Ticks()
    pages = window.print_jobs.print_slips([order_id])
    assert pages == previews[0].page_count() >= 1
    outcome = _outcome(window, qtbot, ticks)
    assert (outcome.pages, outcome.error) == (pages, "")
    assert previews[0].last_printed_pages == pages
    assert len(pypdf.PdfReader(out).pages) == pages
    cache, account_id = window._cache, window._connection.account_id  # type: ignore[union-attr]
    assert order_id in printed_orders(cache, account_id, [order_id], DocumentKind.SLIP)


def test_a_renderer_that_died_is_reported_and_the_next_print_works(
    window: MainWindow, settings: QSettings, qtbot: Any, tmp_path: Path
) -> None:
    """The slips are rendered in a child process: if it dies (killed, out of memory), the
    vendor is told the job failed, nothing is marked printed, and Print works again."""
    renderer = window.print_jobs.renderer = Renderer()
    try:
        before = _children()
        renderer.warm_up()
        qtbot.waitUntil(lambda: bool(_children() - before), timeout=30000)
        (child,) = _children() - before
        os.kill(child, signal.SIGKILL)
        qtbot.waitUntil(lambda: child not in _children(), timeout=30000)

        out = tmp_path / "after.pdf"
        _raster_to(window, settings, out)
        ids = _ids(window, 3)
        ticks = Ticks()
        assert window.print_jobs.print_slips(ids) == len(ids)
        outcome = _outcome(window, qtbot, ticks)
        assert outcome.pages == 0 and "stopped unexpectedly" in outcome.error
        assert "Could not print" in window.statusBar().currentMessage()
        cache, account_id = window._cache, window._connection.account_id  # type: ignore[union-attr]
        assert not printed_orders(cache, account_id, ids, DocumentKind.SLIP)

        window.background_printer.outcomes.clear()
        ticks = Ticks()
        assert window.print_jobs.print_slips(ids) == len(ids)
        outcome = _outcome(window, qtbot, ticks)
        assert outcome.error == "" and outcome.pages >= len(ids)
        assert len(pypdf.PdfReader(out).pages) == outcome.pages
        assert set(printed_orders(cache, account_id, ids, DocumentKind.SLIP)) == set(ids)
    finally:
        renderer.shutdown()


def _children() -> set[int]:
    return {child.pid for child in multiprocessing.active_children() if child.pid is not None}


def test_the_renderer_is_started_ahead_only_for_slips_printed_straight_away(
    window: MainWindow, settings: QSettings, qtbot: Any
) -> None:
    renderer = window.print_jobs.renderer = Renderer()
    try:
        before = _children()
        PrintSettings(DocumentKind.SLIP, "Zebra", Paper.LABEL_4X6, skip_dialog=False).save(settings)
        window.print_jobs.prepare()
        qtbot.wait(300)
        assert _children() == before  # the preview path renders in the window's process

        PrintSettings(DocumentKind.SLIP, "Zebra", Paper.LABEL_4X6, skip_dialog=True).save(settings)
        window.print_jobs.prepare()
        qtbot.waitUntil(lambda: bool(_children() - before), timeout=30000)
    finally:
        renderer.shutdown()
