"""Printing PDF documents with Qt: the remembered printer per document kind, and the print itself.

Documents are PDF bytes from :func:`vendor_desk.documents.render`; this module never lays
anything out. Printing rasterises each PDF page with QtPdf at the printer's resolution (capped
at :data:`MAX_DPI`, which no label or office printer needs more than) and paints it on the
printer's page, so what comes out is what the preview showed.

Per document kind (slips often go to a label printer, invoices to an A4 printer) the QSettings
keep, under ``printing/<kind>/``: the printer's name, the paper, and — for slips — whether
"Print slip" may skip Qt's print dialog once a printer is set (:class:`PrintSettings`); and the
folder "Save as PDF" last saved that kind to (:func:`save_folder` — per kind, because invoices
usually go to the bookkeeping folder and slips or pick lists somewhere else).
"""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QCoreApplication,
    QDir,
    QIODevice,
    QLocale,
    QMarginsF,
    QRect,
    QRectF,
    QSettings,
    QSize,
    QSizeF,
    QStandardPaths,
    Qt,
)
from PySide6.QtGui import QColor, QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument, QPdfDocumentRenderOptions
from PySide6.QtPrintSupport import QPrintEngine, QPrinter, QPrinterInfo

from vendor_desk import print_system
from vendor_desk.documents import DocumentKind, Paper

#: Pages are never rasterised finer than this (a 1200 dpi A4 page would take half a gigabyte).
MAX_DPI = 600
#: A page is rasterised for the printer in bands of about this many pixels (:func:`print_pdf`):
#: QtPdf's rendering and the white backing hold Python's GIL while they run, so on the print
#: worker a whole A4 page at 300 dpi (8.7 million pixels) would keep the window's thread
#: waiting for 60 ms and more; a band takes a few milliseconds. A 4×6 in label at 203 dpi is
#: one band.
BAND_PIXELS = 1_000_000

#: The paper sizes each kind is laid out for (invoices are not made for labels).
PAPERS: dict[DocumentKind, tuple[Paper, ...]] = {
    DocumentKind.SLIP: (Paper.A4, Paper.LETTER, Paper.LABEL_4X6, Paper.LABEL_100X150),
    DocumentKind.INVOICE: (Paper.A4, Paper.LETTER),
    DocumentKind.COMMISSION: (Paper.A4, Paper.LETTER),
    DocumentKind.PICKLIST: (Paper.A4, Paper.LETTER, Paper.LABEL_4X6, Paper.LABEL_100X150),
}

_LETTER_TERRITORIES = frozenset(
    {QLocale.Country.UnitedStates, QLocale.Country.Canada, QLocale.Country.Mexico}
)


def default_paper() -> Paper:
    """Letter where it is the usual office paper (North America), A4 elsewhere."""
    return Paper.LETTER if QLocale().territory() in _LETTER_TERRITORIES else Paper.A4


def page_size(paper: Paper) -> QPageSize:
    """Qt's page size for a paper (the labels as Qt's 4×6 in size and a custom 100 × 150 mm)."""
    if paper is Paper.A4:
        return QPageSize(QPageSize.PageSizeId.A4)
    if paper is Paper.LETTER:
        return QPageSize(QPageSize.PageSizeId.Letter)
    if paper is Paper.LABEL_4X6:
        return QPageSize(
            QSizeF(4, 6),
            QPageSize.Unit.Inch,
            QCoreApplication.translate("Printing", "4×6 in label"),
        )
    return QPageSize(
        QSizeF(100, 150),
        QPageSize.Unit.Millimeter,
        QCoreApplication.translate("Printing", "100 × 150 mm label"),
    )


def paper_of(size: QPageSize) -> Paper | None:
    """The paper a Qt page size stands for (None: neither A4, Letter nor one of the labels —
    4×6 in is 101.6 × 152.4 mm, within a millimetre of it; 100 × 150 mm likewise)."""
    if size.id() == QPageSize.PageSizeId.A4:
        return Paper.A4
    if size.id() == QPageSize.PageSizeId.Letter:
        return Paper.LETTER
    millimetres = size.size(QPageSize.Unit.Millimeter)
    short, long = sorted((millimetres.width(), millimetres.height()))
    if abs(short - 101.6) < 0.8 and abs(long - 152.4) < 1.2:
        return Paper.LABEL_4X6
    if abs(short - 100) < 0.8 and abs(long - 150) < 1.2:
        return Paper.LABEL_100X150
    return None


def available_printers() -> list[str]:
    """The names of the printers the system offers now."""
    return list(QPrinterInfo.availablePrinterNames())


@dataclass(frozen=True)
class PrintSettings:
    """What is remembered for one document kind."""

    kind: DocumentKind
    #: The printer last used ("" until one was chosen in the print dialog).
    printer: str = ""
    paper: Paper = Paper.A4
    #: Slips only: print straight to :attr:`printer` without Qt's print dialog.
    skip_dialog: bool = False

    @property
    def may_skip_dialog(self) -> bool:
        """Whether "Print slip" goes straight to the remembered printer."""
        return self.kind is DocumentKind.SLIP and self.skip_dialog and bool(self.printer)

    @classmethod
    def load(cls, settings: QSettings, kind: DocumentKind) -> PrintSettings:
        group = f"printing/{kind.value}"
        paper_text = str(settings.value(f"{group}/paper", "") or "")
        try:
            paper = Paper(paper_text)
        except ValueError:
            paper = default_paper()
        if paper not in PAPERS[kind]:
            paper = default_paper()
        skip = settings.value(f"{group}/skipDialog", False)
        return cls(
            kind=kind,
            printer=str(settings.value(f"{group}/printer", "") or ""),
            paper=paper,
            skip_dialog=skip in (True, "true", "1", 1),
        )

    def save(self, settings: QSettings) -> None:
        group = f"printing/{self.kind.value}"
        settings.setValue(f"{group}/printer", self.printer)
        settings.setValue(f"{group}/paper", self.paper.value)
        settings.setValue(f"{group}/skipDialog", self.skip_dialog)
        settings.sync()

    def remember(self, printer: QPrinter, settings: QSettings) -> PrintSettings:
        """These settings updated from the printer the vendor just printed on, saved."""
        updated = self
        name = printer.printerName()
        if name and printer.outputFormat() == QPrinter.OutputFormat.NativeFormat:
            updated = replace(updated, printer=name)
        paper = paper_of(printer.pageLayout().pageSize())
        if paper is not None and paper in PAPERS[self.kind]:
            updated = replace(updated, paper=paper)
        updated.save(settings)
        return updated


def save_folder(settings: QSettings, kind: DocumentKind) -> str:
    """Where "Save as PDF" opens for ``kind``: the folder the vendor last saved this kind of
    document to (``printing/<kind>/saveFolder``) while it still exists, else the user's
    Documents folder, else the home folder — never the folder the app was started from."""
    remembered = str(settings.value(f"printing/{kind.value}/saveFolder", "") or "")
    if remembered and Path(remembered).is_dir():
        return remembered
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    if documents and Path(documents).is_dir():
        return documents
    return QDir.homePath()


def remember_save_folder(settings: QSettings, kind: DocumentKind, folder: str | Path) -> None:
    """Remember ``folder`` as where ``kind`` was last saved (:func:`save_folder`)."""
    settings.setValue(f"printing/{kind.value}/saveFolder", str(folder))
    settings.sync()


def configure_printer(printer: QPrinter, remembered: PrintSettings, paper: Paper) -> None:
    """Preselect the remembered printer (when the system still has it) and the paper."""
    if remembered.printer and remembered.printer in available_printers():
        printer.setPrinterName(remembered.printer)
    printer.setFullPage(True)  # the PDF pages carry their own margins
    printer.setPageLayout(
        QPageLayout(page_size(paper), QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0))
    )


def open_pdf(pdf: bytes) -> QPdfDocument:
    """A QtPdf document over these bytes (it keeps its buffer alive)."""
    buffer = QBuffer()
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    buffer.setParent(document)
    document.load(buffer)
    if document.status() != QPdfDocument.Status.Ready:
        raise ValueError(
            QCoreApplication.translate(
                "Printing", "The document could not be read ({error})."
            ).format(error=document.error().name)
        )
    return document


def page_count(pdfs: bytes | Sequence[bytes]) -> int:
    """How many pages these PDFs have together."""
    total = 0
    for pdf in _as_list(pdfs):
        document = open_pdf(pdf)
        total += document.pageCount()
        document.close()
    return total


def _on_white(picture: QImage) -> QImage:
    """What QtPdf rendered (transparent where the page is blank) on a white picture, as paper
    and printer drivers expect; a null image stays null (nothing painted)."""
    if picture.isNull():
        return QImage()
    image = QImage(picture.size(), QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.drawImage(0, 0, picture)
    painter.end()
    return image


def render_page(document: QPdfDocument, index: int, size: QSize) -> QImage:
    """Page ``index`` rasterised to ``size`` pixels, on white; a null image for an empty size or
    a page QtPdf cannot render."""
    return _on_white(document.render(index, size) if not size.isEmpty() else QImage())


def render_band(document: QPdfDocument, index: int, size: QSize, top: int, rows: int) -> QImage:
    """Rows ``top`` to ``top + rows`` of page ``index`` rasterised as part of the whole page at
    ``size`` pixels, on white."""
    options = QPdfDocumentRenderOptions()
    options.setScaledSize(size)
    # QtPdf scales a clipped render by (clip.right() - clip.left()) / image width, and
    # QRect.right() is inclusive: a clip one pixel wider and taller than the image gives the
    # page's own scale (tests/ui/test_printing.py compares banded pages with whole ones).
    options.setScaledClipRect(QRect(0, top, size.width() + 1, rows + 1))
    return _on_white(document.render(index, QSize(size.width(), rows), options))


def _page_pixels(points: QSizeF, dpi: int, target: QSize) -> QSize:
    """The pixels a page of ``points`` is rasterised to at ``dpi``: the printer's page itself
    when they differ only by rounding (the page is then printed pixel for pixel, not resampled
    by a pixel — sharper barcodes)."""
    pixels = QSize(
        max(1, round(points.width() * dpi / 72)), max(1, round(points.height() * dpi / 72))
    )
    if abs(pixels.width() - target.width()) <= 2 and abs(pixels.height() - target.height()) <= 2:
        return target
    return pixels


def _draw_page(
    painter: QPainter, document: QPdfDocument, index: int, pixels: QSize, target: QRect
) -> None:
    """Page ``index`` rasterised at ``pixels`` and drawn to fit ``target``, band by band
    (:data:`BAND_PIXELS`); each band also covers the next one's first row, so that no seam
    shows when the page is scaled to the paper."""
    fit = _fit(pixels, target.size())
    scale = fit.height() / pixels.height()
    step = max(1, BAND_PIXELS // pixels.width())
    for top in range(0, pixels.height(), step):
        rows = min(step + 1, pixels.height() - top)
        band = render_band(document, index, pixels, top, rows)
        painter.drawImage(QRectF(fit.x(), fit.y() + top * scale, fit.width(), rows * scale), band)


def print_pdf(
    pdfs: bytes | Sequence[bytes],
    printer: QPrinter,
    *,
    progress: Callable[[int, int], None] | None = None,
    cancel: threading.Event | None = None,
) -> int:
    """Print one PDF or several in sequence (a pick list, then the slips) as one job.

    Each page is rasterised at the printer's resolution (at most :data:`MAX_DPI`), in bands,
    scaled to fit the printer's paper without distortion and centred. Returns the number of
    pages printed.
    Safe to run off the window's thread (QtPdf, QPainter on a QPrinter): ``progress(done,
    total)`` is called after each page; when ``cancel`` is set the job is aborted (nothing is
    printed) and :class:`PrintCancelled` raised.
    """
    documents = [open_pdf(pdf) for pdf in _as_list(pdfs)]
    try:
        total = sum(document.pageCount() for document in documents)
        if not total:
            return 0
        painter = QPainter()
        if not painter.begin(printer):
            raise OSError(
                QCoreApplication.translate("Printing", "Cannot print to {printer}.").format(
                    printer=printer.printerName() or printer.outputFileName()
                )
            )
        pages = 0
        try:
            target = printer.pageLayout().fullRectPixels(printer.resolution())
            dpi = min(printer.resolution(), MAX_DPI)
            for document in documents:
                for index in range(document.pageCount()):
                    if pages:
                        printer.newPage()
                    points = document.pagePointSize(index)
                    pixels = _page_pixels(points, dpi, target.size())
                    if cancel is not None and cancel.is_set():
                        printer.abort()
                        raise PrintCancelled(pages)
                    _draw_page(painter, document, index, pixels, target)
                    pages += 1
                    if progress is not None:
                        progress(pages, total)
        finally:
            painter.end()
        return pages
    finally:
        for document in documents:
            document.close()


#: Where Qt's print dialog leaves the CUPS options it collected, on the printer's print engine
#: (``PPK_CupsOptions`` in qtbase's qcups_p.h): a flat list ``[name, value, name, value, …]``.
CUPS_OPTIONS = QPrintEngine.PrintEnginePropertyKey(0xFE00)

#: CUPS options the dialog may store that a job does not take: the pages picked ("Pages",
#: "Odd/Even pages"). The app prints whole documents and marks every order in them printed.
_WHOLE_DOCUMENTS = frozenset({"page-ranges", "page-set"})

_SIDES = {
    QPrinter.DuplexMode.DuplexNone: "one-sided",
    QPrinter.DuplexMode.DuplexLongSide: "two-sided-long-edge",
    QPrinter.DuplexMode.DuplexShortSide: "two-sided-short-edge",
}


def cups_options(printer: QPrinter) -> list[tuple[str, str]]:
    """The CUPS options Qt's print dialog stored on ``printer``, as ``(name, value)`` pairs
    (none for a printer that is no CUPS queue, or no dialog)."""
    stored = printer.printEngine().property(CUPS_OPTIONS)
    if not isinstance(stored, list | tuple):
        return []
    flat = [str(item) for item in stored]
    return [(flat[i], flat[i + 1]) for i in range(0, len(flat) - 1, 2)]


def queue_options(printer: QPrinter, paper: Paper) -> print_system.PrintOptions:
    """What the vendor chose in Qt's print dialog, for a job the PDF of which goes to a CUPS
    queue as it is (:func:`vendor_desk.print_system.submit`).

    Qt's own CUPS print engine is the model (qtbase: qcupsprintengine.cpp, qprintdialog_unix.cpp):

    - the paper: ``paper``, the one the document is laid out for (the preview has already
      taken the page size chosen in the dialog when it is one of the app's papers), as CUPS
      names it (:func:`~vendor_desk.print_system.media_for`);
    - the copies (``copyCount``), and ``Collate=True`` when more than one is collated, as
      Qt sends it;
    - the tray: on Linux Qt's dialog has no "paper source" of its own (its page setup's is
      compiled out); the tray is the driver's ``InputSlot`` under Properties → Advanced, kept
      with the CUPS options when it differs from the driver's default — it becomes
      ``tray``. ``QPrinter.paperSource()`` is not read: the dialog never sets it there, Qt's
      CUPS engine ignores it, and its list (Upper, Lower, Cassette …) names no driver's trays;
    - two-sided printing (``duplex``) as ``sides``: one-sided, long edge, short edge; "auto"
      is the long edge for portrait pages, the short edge for landscape ones;
    - "Reverse" page order as ``outputorder=reverse``;
    - every other CUPS option the dialog stored (:func:`cups_options`), as it is: the
      driver's from the Advanced tab (``MediaType``, ``Resolution``, ``ColorModel``, print
      quality … — only those changed from the driver's defaults), the Job Options tab's
      (``job-hold-until``, ``job-priority``, ``job-billing``, ``job-sheets`` banners) and the
      pages per sheet (``number-up``, ``number-up-layout``); empty ones (no billing text) are
      left out.

    Not passed on: the pages picked (``page-ranges``, ``page-set`` — whole documents are
    printed, as on the rasterised path, and their orders marked printed); the orientation
    and margins (the PDF's pages carry their own); a page size that is none of the app's
    papers (the document stays laid out for ``paper``)."""
    copies = max(1, printer.copyCount())
    tray: str | None = None
    extra: list[tuple[str, str]] = []
    if copies > 1 and printer.collateCopies():
        extra.append(("Collate", "True"))
    if printer.pageOrder() == QPrinter.PageOrder.LastPageFirst:
        extra.append(("outputorder", "reverse"))
    for name, value in cups_options(printer):
        if not name or not value or name in _WHOLE_DOCUMENTS:
            continue
        if name == "InputSlot":
            tray = value
        else:
            extra.append((name, value))
    duplex = printer.duplex()
    if duplex == QPrinter.DuplexMode.DuplexAuto:
        landscape = printer.pageLayout().orientation() == QPageLayout.Orientation.Landscape
        duplex = (
            QPrinter.DuplexMode.DuplexShortSide if landscape else QPrinter.DuplexMode.DuplexLongSide
        )
    return print_system.PrintOptions(
        copies=copies,
        media=print_system.media_for(paper),
        tray=tray,
        sides=_SIDES.get(duplex),
        extra=tuple(extra),
    )


class PrintCancelled(Exception):
    """The vendor cancelled a job while it was being rasterised; ``args[0]``: pages done."""


def pdf_file_printer(path: str | Path, paper: Paper, resolution: int = 150) -> QPrinter:
    """A printer that writes a PDF file (for "print to file" and tests)."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setResolution(resolution)
    configure_printer(printer, PrintSettings(DocumentKind.SLIP), paper)
    return printer


def save_pdf(pdf: bytes, path: str | Path) -> None:
    """Write the PDF to ``path`` (through a temporary file, so a failed write leaves no half
    file behind)."""
    target = Path(path)
    handle, temp = tempfile.mkstemp(prefix=".vendor-desk-", suffix=".pdf", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(pdf)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _as_list(pdfs: bytes | Sequence[bytes]) -> list[bytes]:
    return [pdfs] if isinstance(pdfs, bytes | bytearray) else [bytes(p) for p in pdfs]


def _fit(source: QSize, target: QSize) -> QRect:
    """``source`` scaled to fit ``target`` (aspect kept), centred in it."""
    scaled = source.scaled(target, Qt.AspectRatioMode.KeepAspectRatio)
    left = (target.width() - scaled.width()) // 2
    top = (target.height() - scaled.height()) // 2
    return QRect(left, top, scaled.width(), scaled.height())
