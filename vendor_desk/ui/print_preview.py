"""The print preview: the document's pages as they will print, the paper, Print…, Save as PDF….

The dialog shows PDF bytes made by :func:`vendor_desk.documents.render` — one PDF, or several
printed as one job (a batch's pick list, then its slips). Choosing another paper asks the caller
to render again (``rerender(paper)``): each paper has its own layout, nothing is scaled. Print…
opens Qt's print dialog with the printer and paper remembered for this kind of document
(:class:`~vendor_desk.ui.printing.PrintSettings`); slips go straight to the remembered printer
once the vendor allowed it (:meth:`PrintPreviewDialog.print_now`). In the window, the job then
runs off the window's thread (:mod:`vendor_desk.ui.print_background`): the preview closes and the
status bar shows the job's progress and Cancel.

A document that is *issued* when it goes out (a store invoice gets its number when first
printed or saved, never in the preview) is made final through ``issue(paper)`` right before it
is printed or saved; the window then shows the issued PDF.

Pages are drawn by :class:`PageView` (QtPdf renders each page when it scrolls into view), which,
unlike QPdfView, shows several PDFs one after the other.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QPixmap, QResizeEvent
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from vendor_desk.documents import DocumentKind, Paper
from vendor_desk.i18n import ngettext
from vendor_desk.ui import printing
from vendor_desk.ui.fitting import on_screen
from vendor_desk.ui.icons import app_icon
from vendor_desk.ui.modal import DialogRunner, run_modal
from vendor_desk.ui.print_background import BackgroundPrinter
from vendor_desk.ui.printing import PrintSettings

#: Makes the PDF(s) again for another paper.
Rerender = Callable[[Paper], "bytes | Sequence[bytes]"]

#: Grey around the pages; a page's width in the view never exceeds this (pixels).
_MAX_PAGE_WIDTH = 900
_PAGE_GAP = 14


def paper_label(paper: Paper) -> str:
    labels = {
        Paper.A4: QCoreApplication.translate("Printing", "A4"),
        Paper.LETTER: QCoreApplication.translate("Printing", "Letter"),
        Paper.LABEL_4X6: QCoreApplication.translate("Printing", "4×6 in label"),
        Paper.LABEL_100X150: QCoreApplication.translate("Printing", "100 × 150 mm label"),
    }
    return labels[paper]


def kind_label(kind: DocumentKind) -> str:
    labels = {
        DocumentKind.SLIP: QCoreApplication.translate("Printing", "Packing slip"),
        DocumentKind.INVOICE: QCoreApplication.translate("Printing", "Store invoice"),
        DocumentKind.COMMISSION: QCoreApplication.translate("Printing", "Commission invoice"),
        DocumentKind.PICKLIST: QCoreApplication.translate("Printing", "Pick list"),
    }
    return labels[kind]


class PageView(QScrollArea):
    """The pages of one or more PDFs, top to bottom, as wide as the view allows.

    A page is rasterised when it comes into view (and again when the width changes), so a
    batch of hundreds of slips opens at once.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pageView")
        self.setWidgetResizable(True)
        self.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self._content = QWidget()
        self._content.setObjectName("pageViewContent")
        self._content.setStyleSheet("QWidget#pageViewContent { background: #8a9099; }")
        self._layout = QVBoxLayout(self._content)
        self._layout.setContentsMargins(_PAGE_GAP, _PAGE_GAP, _PAGE_GAP, _PAGE_GAP)
        self._layout.setSpacing(_PAGE_GAP)
        self._layout.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.setWidget(self._content)
        self._documents: list[QPdfDocument] = []
        #: (document, page index, label, width the label's pixmap was rendered at)
        self._pages: list[tuple[QPdfDocument, int, QLabel]] = []
        self._rendered: dict[int, int] = {}
        self._refresh = QTimer(self)
        self._refresh.setSingleShot(True)
        self._refresh.setInterval(0)
        self._refresh.timeout.connect(self._render_visible)
        self.verticalScrollBar().valueChanged.connect(lambda _value: self._refresh.start())

    @property
    def page_labels(self) -> list[QLabel]:
        return [label for _document, _index, label in self._pages]

    def page_count(self) -> int:
        return len(self._pages)

    def set_pdfs(self, pdfs: bytes | Sequence[bytes]) -> None:
        """Show these PDFs (replacing what was shown)."""
        for _document, _index, label in self._pages:
            self._layout.removeWidget(label)
            label.deleteLater()
        for document in self._documents:
            document.close()
            document.deleteLater()
        self._pages = []
        self._rendered = {}
        self._documents = [printing.open_pdf(pdf) for pdf in printing._as_list(pdfs)]
        for document in self._documents:
            for index in range(document.pageCount()):
                label = QLabel()
                label.setObjectName("pdfPage")
                label.setAlignment(Qt.AlignmentFlag.AlignCenter)
                label.setStyleSheet("background: white; border: 1px solid #6b7480;")
                self._layout.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)
                self._pages.append((document, index, label))
        self._size_pages()
        self.verticalScrollBar().setValue(0)
        self._refresh.start()

    def close_documents(self) -> None:
        for document in self._documents:
            document.close()

    def _page_width(self) -> int:
        available = self.viewport().width() - 2 * _PAGE_GAP
        return max(160, min(_MAX_PAGE_WIDTH, available))

    def _size_pages(self) -> None:
        width = self._page_width()
        for document, index, label in self._pages:
            points = document.pagePointSize(index)
            height = round(width * points.height() / max(1.0, points.width()))
            label.setFixedSize(QSize(width, height))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._size_pages()
        self._refresh.start()

    @Slot()
    def _render_visible(self) -> None:
        """Rasterise the pages in (or just below) the viewport at their current size."""
        if not self.isVisible():  # closed (e.g. by Print) before its refresh came
            return
        top = self.verticalScrollBar().value()
        bottom = top + self.viewport().height() * 2
        ratio = self.devicePixelRatioF()
        for position, (document, index, label) in enumerate(self._pages):
            geometry = label.geometry()
            if geometry.bottom() < top - geometry.height() or geometry.top() > bottom:
                continue
            width = label.width()
            if width <= 0 or self._rendered.get(position) == width:
                continue
            pixels = QSize(round(width * ratio), round(label.height() * ratio))
            pixmap = QPixmap.fromImage(printing.render_page(document, index, pixels))
            pixmap.setDevicePixelRatio(ratio)
            label.setPixmap(pixmap)
            self._rendered[position] = width

    def rendered_pages(self) -> int:
        """How many pages have a picture (tests, and a guard against blank previews)."""
        return len(self._rendered)


class PrintPreviewDialog(QDialog):
    """Preview, print or save one document (or one batch) of a kind.

    Args:
        pdf: the PDF bytes — or several PDFs printed one after the other as one job.
        kind: what is shown (decides the papers offered and the printer remembered).
        title: the window title ("Packing slip #1201").
        settings: the app's QSettings (remembered printers and papers).
        rerender: makes the PDF(s) again for another paper; without it the paper is fixed.
        paper: the paper ``pdf`` was made for (default: the one remembered for ``kind``).
        issue: makes the document final right before it is printed or saved — store invoices
            get their numbers then, never in the preview — and returns its PDF(s) for the
            paper, which replace the preview's (so the window shows what was printed).

    Signals:
        printed(int): the job was sent to the printer; the number of pages.
        saved(str): the PDF was saved to this path.
    """

    printed = Signal(int)
    saved = Signal(str)

    def __init__(
        self,
        pdf: bytes | Sequence[bytes],
        kind: DocumentKind,
        title: str,
        settings: QSettings,
        parent: QWidget | None = None,
        *,
        rerender: Rerender | None = None,
        paper: Paper | None = None,
        issue: Rerender | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("printPreview")
        self.setWindowTitle(title)
        self.setWindowIcon(app_icon())
        self.kind = kind
        self._settings = settings
        self._rerender = rerender
        self._issue = issue
        self.remembered = PrintSettings.load(settings, kind)
        self.paper = paper or self.remembered.paper
        self._pdfs = printing._as_list(pdf)
        #: Hooks (tests replace them): how dialogs run, which printer is made, whether a
        #: remembered printer is still installed.
        self.run_dialog: DialogRunner = run_modal
        self.make_printer: Callable[[PrintSettings, Paper], QPrinter] = make_printer
        self.printer_available: Callable[[str], bool] = lambda name: (
            name in printing.available_printers()
        )
        #: Runs print jobs off the window's thread (the window sets it); None: print here.
        self.background: BackgroundPrinter | None = None
        #: Pages in the last job sent (handed to ``background`` when set; 0: nothing printed
        #: yet).
        self.last_printed_pages = 0

        heading = QLabel(title)
        heading.setObjectName("detailTitle")
        heading.setTextFormat(Qt.TextFormat.PlainText)
        self.pages_label = QLabel()
        self.pages_label.setObjectName("muted")
        self.paper_combo = QComboBox()
        self.paper_combo.setObjectName("paperCombo")
        for choice in printing.PAPERS[kind]:
            self.paper_combo.addItem(paper_label(choice), choice.value)
        self.paper_combo.setCurrentIndex(max(0, self.paper_combo.findData(self.paper.value)))
        self.paper_combo.setEnabled(rerender is not None and self.paper_combo.count() > 1)
        self.paper_combo.currentIndexChanged.connect(self._paper_changed)
        top = QHBoxLayout()
        top.addWidget(heading)
        top.addSpacing(12)
        top.addWidget(self.pages_label)
        top.addStretch(1)
        top.addWidget(QLabel(self.tr("Paper")))
        top.addWidget(self.paper_combo)

        self.view = PageView()
        self.view.setFrameShape(QFrame.Shape.NoFrame)

        self.skip_box = QCheckBox(self.tr("Print slips straight to this printer next time"))
        self.skip_box.setObjectName("skipDialogBox")
        self.skip_box.setVisible(kind is DocumentKind.SLIP)
        self.skip_box.toggled.connect(self._skip_toggled)
        self._update_skip_box()
        self.print_button = QPushButton(self.tr("Print…"))
        self.print_button.setObjectName("printButton")
        self.print_button.setDefault(True)
        self.print_button.clicked.connect(self.print_now)
        self.save_button = QPushButton(self.tr("Save as PDF…"))
        self.save_button.setObjectName("savePdfButton")
        self.save_button.clicked.connect(self.save_as)
        self.close_button = QPushButton(self.tr("Close"))
        self.close_button.setObjectName("closeButton")
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.skip_box)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.print_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self.resize(on_screen(self, QSize(760 if not self.paper.is_label else 560, 860)))
        self._show_pdfs()

    # ------------------------------------------------------------------ state
    @property
    def pdfs(self) -> list[bytes]:
        """What Print and Save use: the PDFs on screen."""
        return list(self._pdfs)

    def page_count(self) -> int:
        return self.view.page_count()

    def _show_pdfs(self) -> None:
        self.view.set_pdfs(self._pdfs)
        count = self.view.page_count()
        self.pages_label.setText(
            ngettext("{count} page", "{count} pages", count).format(count=count)
        )
        self.print_button.setEnabled(count > 0)
        self.save_button.setEnabled(count > 0)

    def _update_skip_box(self) -> None:
        has_printer = bool(self.remembered.printer)
        self.skip_box.setEnabled(has_printer)
        self.skip_box.blockSignals(True)
        self.skip_box.setChecked(self.remembered.skip_dialog and has_printer)
        self.skip_box.blockSignals(False)
        self.skip_box.setToolTip(
            self.tr("Slips go to {printer} without the print dialog.").format(
                printer=self.remembered.printer
            )
            if has_printer
            else self.tr("Print a slip once through the print dialog to choose the printer.")
        )

    @Slot(bool)
    def _skip_toggled(self, checked: bool) -> None:
        self.remembered = PrintSettings(
            self.kind, self.remembered.printer, self.remembered.paper, checked
        )
        self.remembered.save(self._settings)

    @Slot(int)
    def _paper_changed(self, _index: int) -> None:
        self.set_paper(Paper(str(self.paper_combo.currentData())))

    def set_paper(self, paper: Paper) -> None:
        """Lay the document out for ``paper`` (through ``rerender``) and remember the choice."""
        if paper == self.paper or self._rerender is None:
            return
        self._pdfs = printing._as_list(self._rerender(paper))
        self.paper = paper
        self.paper_combo.blockSignals(True)
        self.paper_combo.setCurrentIndex(self.paper_combo.findData(paper.value))
        self.paper_combo.blockSignals(False)
        self.remembered = PrintSettings(
            self.kind, self.remembered.printer, paper, self.remembered.skip_dialog
        )
        self.remembered.save(self._settings)
        self._show_pdfs()

    # ---------------------------------------------------------------- actions
    @Slot()
    def print_now(self) -> int:
        """Print: straight to the remembered slip printer when the vendor allowed it and the
        printer is still installed, else through Qt's print dialog. Returns the pages printed
        (0 when cancelled)."""
        if self.remembered.may_skip_dialog and self.printer_available(self.remembered.printer):
            printer = self.make_printer(self.remembered, self.paper)
            self._make_final()
            return self._print_on(printer)
        return self.print_with_dialog()

    @Slot()
    def print_with_dialog(self) -> int:
        """Qt's print dialog, preselecting the remembered printer and the paper."""
        printer = self.make_printer(self.remembered, self.paper)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(self.tr("Print {what}").format(what=kind_label(self.kind)))
        if not self.run_dialog(dialog):
            return 0
        chosen = printing.paper_of(printer.pageLayout().pageSize())
        if chosen is not None and chosen != self.paper and chosen in printing.PAPERS[self.kind]:
            self.set_paper(chosen)  # the layout made for that paper, not a scaled one
        self._make_final()
        pages = self._print_on(printer)
        if pages:
            self.remembered = self.remembered.remember(printer, self._settings)
            self._update_skip_box()
        return pages

    def _make_final(self) -> None:
        """Issue the document (``issue``) now that it is printed or saved, and show the PDFs
        that go out."""
        if self._issue is None:
            return
        self._pdfs = printing._as_list(self._issue(self.paper))
        self._show_pdfs()

    def _print_on(self, printer: QPrinter) -> int:
        if self.background is not None:
            # off the window's thread: the preview closes, the status bar shows the job, and
            # ``printed`` follows once it went out
            pages = self.last_printed_pages = self.page_count()  # handed over
            self.background.start(
                self._pdfs, printer, self.paper, self.windowTitle(), self._printed_later
            )
            if self.isVisible():
                self.accept()
            return pages
        try:
            pages = printing.print_pdf(self._pdfs, printer)
        except (OSError, ValueError) as error:
            self._warn(self.tr("Could not print"), str(error))
            return 0
        self.last_printed_pages = pages
        if pages:
            self.printed.emit(pages)
        return pages

    def _printed_later(self, pages: int) -> None:
        self.last_printed_pages = pages
        self.printed.emit(pages)

    @Slot()
    def save_as(self) -> str:
        """Save the PDF to a file the vendor chooses (a batch of several PDFs as numbered
        files, :func:`save_parts`). The file dialog opens in the folder this kind was last
        saved to, else the Documents folder (:func:`printing.save_folder`). Returns the path
        chosen, or "" when cancelled or failed."""
        chooser = QFileDialog(self, self.tr("Save as PDF"))
        chooser.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        chooser.setNameFilter(self.tr("PDF documents (*.pdf)"))
        chooser.setDefaultSuffix("pdf")
        chooser.setDirectory(printing.save_folder(self._settings, self.kind))
        chooser.selectFile(self._suggested_name())
        if not self.run_dialog(chooser) or not chooser.selectedFiles():
            return ""
        path = Path(chooser.selectedFiles()[0])
        self._make_final()
        try:
            save_parts(self._pdfs, path)
        except OSError as error:
            self._warn(self.tr("Could not save the PDF"), f"{path}: {error.strerror or error}")
            return ""
        printing.remember_save_folder(self._settings, self.kind, path.parent)
        self.saved.emit(str(path))
        return str(path)

    def _suggested_name(self) -> str:
        name = self.windowTitle().replace("#", "").replace("/", "-").replace(" — ", " ")
        return "-".join(name.lower().split())[:80] + ".pdf"

    def _warn(self, title: str, text: str) -> None:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(title)
        box.setText(text)
        box.addButton(QMessageBox.StandardButton.Close)
        self.run_dialog(box)

    def done(self, result: int) -> None:
        self.view.close_documents()
        super().done(result)


def save_parts(pdfs: Sequence[bytes], path: Path) -> list[Path]:
    """Save a job's PDFs: one file at ``path``, or — for a batch of several PDFs (pick list,
    slips) — ``name-1.pdf``, ``name-2.pdf`` … next to it (PDFs are not merged without a PDF
    library). Returns the files written."""
    if len(pdfs) == 1:
        printing.save_pdf(pdfs[0], path)
        return [path]
    written = []
    for number, pdf in enumerate(pdfs, start=1):
        part = path.with_name(f"{path.stem}-{number}{path.suffix or '.pdf'}")
        printing.save_pdf(pdf, part)
        written.append(part)
    return written


def make_printer(remembered: PrintSettings, paper: Paper) -> QPrinter:
    """The printer a document of ``paper`` goes to: the remembered one when installed."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printing.configure_printer(printer, remembered, paper)
    return printer
