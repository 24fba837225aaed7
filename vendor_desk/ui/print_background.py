"""Print jobs off the window's thread, with their progress and Cancel in the status bar.

:class:`BackgroundPrinter` runs each job on its own worker thread (the
:class:`~vendor_desk.ui.workers.AccountWorker` pattern: plain data in, Qt signals out), so the
window keeps answering while a batch prints. The documents of a job printed straight from the
window are rendered in a child process (:mod:`vendor_desk.documents.render_process`): rendering
is pure Python, and on a thread it would hold the GIL the window's thread needs. A job goes one
of two ways (docs/printing.md):

- the printer chosen is a CUPS queue (:func:`vendor_desk.print_system.available` and the
  QPrinter's name among :func:`~vendor_desk.print_system.queues`): the PDF itself goes to the
  queue with :func:`~vendor_desk.print_system.submit` — the paper as CUPS names it
  (:func:`~vendor_desk.print_system.media_for`), and the copies, tray, two-sided printing and
  driver options chosen in the print dialog (:func:`vendor_desk.ui.printing.queue_options`);
  nothing is rasterised;
- any other printer (Windows drivers, "print to file"): each page is rasterised with QtPdf at
  the printer's own resolution (:func:`vendor_desk.ui.printing.print_pdf`, in bands) on the
  worker thread, page by page, and Cancel aborts the job.

:class:`PrintProgress` is the status bar's part: what prints, a progress bar and Cancel.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from vendor_desk import print_system
from vendor_desk.documents import Paper
from vendor_desk.documents.render_process import RenderCancelled, RendererStopped
from vendor_desk.ui import printing
from vendor_desk.ui.workers import AccountWorker, JobError

log = logging.getLogger("vendor_desk.ui.printing")

#: The worker's job name (one print job at a time; the next waits its turn).
PRINT_JOB = "print"


@dataclass(frozen=True)
class PrintOutcome:
    """How a job ended, as plain data."""

    title: str
    pages: int
    #: The CUPS job id(s) when the PDF went to a queue ("VD-PDF-12"); () when rasterised.
    jobs: tuple[str, ...] = ()
    queue: str = ""
    cancelled: bool = False
    #: Why it failed (a sentence for the vendor), "" when it did not.
    error: str = ""


@dataclass
class _Pending:
    title: str
    done: Callable[[int], None]


def cups_queue(printer: QPrinter) -> str:
    """The CUPS queue a printer prints to, "" when it is not one (a file, a Windows driver,
    no CUPS). Runs CUPS's commands: call it off the window's thread."""
    if printer.outputFormat() != QPrinter.OutputFormat.NativeFormat:
        return ""
    name = printer.printerName()
    if not name or not print_system.available():
        return ""
    try:
        return name if name in {queue.name for queue in print_system.queues()} else ""
    except print_system.PrintError:
        return ""


#: The job's PDFs, or what makes them from the worker thread (e.g. has them rendered in the
#: child process, :mod:`vendor_desk.documents.render_process`), given the job's cancel event.
Documents = Sequence[bytes] | Callable[[threading.Event], Sequence[bytes]]


def print_job(
    documents: Documents,
    printer: QPrinter,
    paper: Paper,
    title: str,
    progress: Callable[[Any], None],
    cancel: threading.Event,
    after: Callable[[int], object] | None = None,
) -> PrintOutcome:
    """One print job, on the worker thread: to the CUPS queue as PDF, else rasterised; then
    ``after(pages)`` (e.g. recording the orders' printed mark) once it went out."""
    outcome = _print(documents, printer, paper, title, progress, cancel)
    if after is not None and outcome.pages and not outcome.cancelled and not outcome.error:
        after(outcome.pages)
    return outcome


def _print(
    documents: Documents,
    printer: QPrinter,
    paper: Paper,
    title: str,
    progress: Callable[[Any], None],
    cancel: threading.Event,
) -> PrintOutcome:
    try:
        pdfs = [bytes(pdf) for pdf in (documents(cancel) if callable(documents) else documents)]
        total = printing.page_count(pdfs)
        progress((0, total))
        queue = cups_queue(printer)
        if queue:
            if cancel.is_set():
                return PrintOutcome(title, 0, queue=queue, cancelled=True)
            options = printing.queue_options(printer, paper)
            jobs = tuple(
                print_system.submit(queue, pdf, title=title, options=options) for pdf in pdfs
            )
            progress((total, total))
            return PrintOutcome(title, total, jobs=jobs, queue=queue)
        pages = printing.print_pdf(
            pdfs,
            printer,
            progress=lambda done, count: progress((done, count)),
            cancel=cancel,
        )
        return PrintOutcome(title, pages)
    except printing.PrintCancelled as cancelled:
        return PrintOutcome(title, int(cancelled.args[0]), cancelled=True)
    except RenderCancelled:
        return PrintOutcome(title, 0, cancelled=True)
    except (print_system.PrintError, RendererStopped, OSError, ValueError) as error:
        log.warning("print job %r failed: %s", title, error)
        return PrintOutcome(title, 0, error=str(error))


class BackgroundPrinter(QObject):
    """Runs print jobs on a worker thread, one at a time, in order.

    Signals:
        queued(str): a job was handed over (its title) — shown at once, before it starts.
        started(str): a job began (its title).
        progress(int, int): pages done, pages in the job.
        finished(object): a job ended (:class:`PrintOutcome`: printed, cancelled or failed).
    """

    queued = Signal(str)
    started = Signal(str)
    progress = Signal(int, int)
    finished = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._worker = AccountWorker("print", self)
        self._worker.started.connect(self._started)
        self._worker.progress.connect(self._progress)
        self._worker.finished.connect(self._finished)
        self._worker.failed.connect(self._failed)
        self._pending: list[_Pending] = []
        #: Every outcome so far (tests, and the window's status bar).
        self.outcomes: list[PrintOutcome] = []

    def start(
        self,
        documents: Documents,
        printer: QPrinter,
        paper: Paper,
        title: str,
        done: Callable[[int], None] = lambda _pages: None,
        *,
        after: Callable[[int], object] | None = None,
    ) -> None:
        """Queue a job: ``documents`` are the PDFs, or a function making them, called on the
        worker thread with the job's cancel event (loading and rendering a batch takes long
        too: it has them rendered in the child process and raises RenderCancelled when
        cancelled). Once printed, ``after(pages)``
        runs on the worker thread, then ``done(pages)`` on the window's thread."""
        job: Documents = documents if callable(documents) else [bytes(pdf) for pdf in documents]
        self._pending.append(_Pending(title, done))
        self._worker.submit(
            PRINT_JOB,
            lambda report, cancel: print_job(job, printer, paper, title, report, cancel, after),
            unique=False,
        )
        self.queued.emit(title)

    def is_busy(self) -> bool:
        return self._worker.is_busy()

    @Slot()
    def cancel(self) -> None:
        """Stop the job that is printing (a rasterised one stops at the next page)."""
        self._worker.cancel()

    def shutdown(self, timeout: float = 10.0) -> None:
        self._worker.shutdown(timeout)

    @Slot(str)
    def _started(self, _name: str) -> None:
        if self._pending:
            self.started.emit(self._pending[0].title)

    @Slot(str, object)
    def _progress(self, _name: str, data: Any) -> None:
        done, total = data
        self.progress.emit(int(done), int(total))

    @Slot(str, object)
    def _finished(self, _name: str, outcome: PrintOutcome) -> None:
        pending = self._pending.pop(0) if self._pending else None
        self.outcomes.append(outcome)
        if pending is not None and outcome.pages and not outcome.cancelled and not outcome.error:
            pending.done(outcome.pages)
        self.finished.emit(outcome)

    @Slot(str, object)
    def _failed(self, _name: str, error: JobError) -> None:
        pending = self._pending.pop(0) if self._pending else None
        outcome = PrintOutcome(pending.title if pending else "", 0, error=error.message)
        self.outcomes.append(outcome)
        self.finished.emit(outcome)


class PrintProgress(QWidget):
    """The status bar's view of the print job running: its title, a progress bar, Cancel.
    Hidden while nothing prints."""

    def __init__(self, printer: BackgroundPrinter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("printProgress")
        self._printer = printer
        self.label = QLabel()
        self.label.setObjectName("printProgressLabel")
        self.bar = QProgressBar()
        self.bar.setObjectName("printProgressBar")
        self.bar.setMaximumWidth(160)
        self.bar.setMaximumHeight(14)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setObjectName("cancelPrintButton")
        self.cancel_button.setToolTip(self.tr("Stop this print job"))
        self.cancel_button.clicked.connect(self._cancel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button)
        self.setVisible(False)
        printer.queued.connect(self._queued)
        printer.started.connect(self._started)
        printer.progress.connect(self._progress)
        printer.finished.connect(self._finished)

    @Slot(str)
    def _queued(self, title: str) -> None:
        if not self.isVisible():
            self._started(title)

    @Slot(str)
    def _started(self, title: str) -> None:
        self.label.setText(self.tr("{title}: printing…").format(title=title))
        self.bar.setRange(0, 0)  # busy until the pages are counted
        self.cancel_button.setEnabled(True)
        self.setVisible(True)

    @Slot(int, int)
    def _progress(self, done: int, total: int) -> None:
        self.bar.setRange(0, max(1, total))
        self.bar.setValue(done)

    @Slot()
    def _cancel(self) -> None:
        self.cancel_button.setEnabled(False)
        self.label.setText(self.tr("Cancelling…"))
        self._printer.cancel()

    @Slot(object)
    def _finished(self, _outcome: PrintOutcome) -> None:
        if not self._printer.is_busy():
            self.setVisible(False)
