"""Printing: the preview, printing to a PDF-file QPrinter, batches of slips, the remembered
printer and paper per document kind, printed marks and the reprint question, and the slip path
that skips the dialogs — over real orders synced from the simulator into a real cache."""

from __future__ import annotations

import io
import re
import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pypdf
import pypdfium2 as pdfium
import pytest
import zxingcpp
from PIL import Image, ImageChops, ImageStat
from PySide6.QtCore import QSettings, QSize
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget
from sqlalchemy import func, select

from tests.sync.placed_orders import place
from vendor_desk import documents as docs
from vendor_desk.cache import store as cache_store
from vendor_desk.cache.models import InvoiceNumberRecord
from vendor_desk.cache.queries import order_detail, order_ids
from vendor_desk.documents import DocumentKind, Paper
from vendor_desk.documents.numbering import issued_number
from vendor_desk.documents.printed import (
    printed_at,
    printed_orders,
    to_ship_order_ids,
    to_ship_orders,
)
from vendor_desk.marketplace.probe import AccountInput, open_marketplace
from vendor_desk.sync import Syncer
from vendor_desk.ui import printing
from vendor_desk.ui.fitting import FRAME
from vendor_desk.ui.print_jobs import BatchSlipsDialog, PrintJobs
from vendor_desk.ui.print_preview import PrintPreviewDialog
from vendor_desk.ui.printing import PrintSettings

from .conftest import cached_vendor, vendor

LABEL_POINTS = (283.0, 425.0)  # 100 × 150 mm


@pytest.fixture(scope="module")
def shop(sim: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, int]]:
    """The demo vendor's orders in a cache synced once for the module; tests that print
    marks use orders of their own (see :func:`_to_ship`)."""
    cache, connection = cached_vendor(sim, tmp_path_factory.mktemp("printing") / "data")
    yield cache, connection.account_id
    cache.close()


@pytest.fixture
def parent(qtbot: Any, app: Any) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def _pages(pdf: bytes | Path) -> list[str]:
    data = pdf.read_bytes() if isinstance(pdf, Path) else pdf
    return [page.extract_text() or "" for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def _sizes(path: Path) -> list[tuple[float, float]]:
    reader = pypdf.PdfReader(str(path))
    return [(float(p.mediabox.width), float(p.mediabox.height)) for p in reader.pages]


def _orders(shop: tuple[Any, int], count: int, start: int = 0) -> list[int]:
    """``count`` cached orders (by id, from ``start``): each test prints its own orders, so
    printed marks of one test do not reach another."""
    cache, account_id = shop
    with cache.session() as session:
        ids = sorted(order_ids(session, account_id, include_vanished=False))
    assert len(ids) >= start + count
    return ids[start : start + count]


def _numbers(cache: Any, account_id: int, ids: list[int]) -> dict[int, str]:
    with cache.session() as session:
        orders = cache_store.load_orders(session, account_id, ids)
    return {order_id: orders[order_id].number for order_id in ids}


def _slip_pdf(pdf: bytes, *, first_page: int) -> bytes:
    """The pages of ``pdf`` from ``first_page`` on, as a PDF of their own."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    writer = pypdf.PdfWriter()
    for page in reader.pages[first_page:]:
        writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _slip_numbers(pdf: bytes) -> list[str]:
    """The order number printed on each slip page, in page order."""
    found = []
    for text in _pages(pdf):
        match = re.search(r"Order\s*#?\s*(\d+)", text)
        assert match, text[:300]
        if not found or found[-1] != match.group(1):
            found.append(match.group(1))
    return found


def _render(shop: tuple[Any, int], kind: DocumentKind, ids: list[int], paper: Paper) -> bytes:
    cache, account_id = shop
    with cache.session() as session:
        settings = docs.load_settings(session, account_id)
    loaded = docs.load_document_orders(
        cache,
        account_id,
        ids,
        invoice_settings=settings if kind is DocumentKind.INVOICE else None,
        issue_invoices=True,
    )
    return docs.render(kind, loaded, settings, paper)


def _text(pdf: bytes) -> str:
    """All the PDF's text, whitespace squashed."""
    return " ".join(" ".join(_pages(pdf)).split())


def _highest_invoice(cache: Any, account_id: int) -> int:
    with cache.session() as session:
        return int(
            session.scalar(
                select(func.max(InvoiceNumberRecord.sequence)).where(
                    InvoiceNumberRecord.account_id == account_id
                )
            )
            or 0
        )


def _issued(cache: Any, account_id: int, order_id: int) -> tuple[str, datetime] | None:
    with cache.session() as session:
        return issued_number(session, account_id, order_id)


def test_preview_shows_every_page_of_each_kind(
    shop: tuple[Any, int], settings: QSettings, parent: QWidget, qtbot: Any
) -> None:
    ids = _orders(shop, 4)
    for kind, paper, orders in (
        (DocumentKind.SLIP, Paper.A4, ids[:3]),
        (DocumentKind.INVOICE, Paper.A4, ids[:2]),
        (DocumentKind.PICKLIST, Paper.LABEL_100X150, ids),
        (DocumentKind.COMMISSION, Paper.LETTER, ids[:1]),
    ):
        pdf = _render(shop, kind, orders, paper)
        expected = len(_pages(pdf))
        assert expected >= (len(orders) if kind is not DocumentKind.PICKLIST else 1)
        preview = PrintPreviewDialog(pdf, kind, "Preview", settings, parent, paper=paper)
        qtbot.addWidget(preview)
        preview.show()
        assert preview.page_count() == expected
        assert len(preview.view.page_labels) == expected
        assert str(expected) in preview.pages_label.text()
        # the visible pages get a picture (a blank preview would be a silent failure)
        qtbot.waitUntil(lambda p=preview: p.view.rendered_pages() > 0, timeout=5_000)
        assert not preview.view.page_labels[0].pixmap().isNull()
        # invoices are not laid out for labels
        offered = {preview.paper_combo.itemData(i) for i in range(preview.paper_combo.count())}
        assert (Paper.LABEL_100X150.value in offered) == (
            kind in (DocumentKind.SLIP, DocumentKind.PICKLIST)
        )
        preview.close()


def test_both_label_sizes_map_to_their_own_page_size(app: Any, tmp_path: Path) -> None:
    """4×6 in and 100 × 150 mm each have a Qt page size that reads back as the same paper;
    the one label of earlier versions (stored "label4x6", laid out 100 × 150 mm) reads as
    the 100 × 150 mm label."""
    for paper, points in ((Paper.LABEL_4X6, (288, 432)), (Paper.LABEL_100X150, LABEL_POINTS)):
        size = printing.page_size(paper)
        assert printing.paper_of(size) is paper
        assert tuple(round(v) for v in size.sizePoints().toTuple()) == points
    settings = QSettings(str(tmp_path / "old.ini"), QSettings.Format.IniFormat)
    settings.setValue("printing/slip/paper", "label4x6")
    assert PrintSettings.load(settings, DocumentKind.SLIP).paper is Paper.LABEL_100X150
    PrintSettings(DocumentKind.SLIP, "Zebra", Paper.LABEL_4X6).save(settings)
    assert PrintSettings.load(settings, DocumentKind.SLIP).paper is Paper.LABEL_4X6


def test_printing_to_a_pdf_file_printer_gives_every_page(
    shop: tuple[Any, int], tmp_path: Path, app: Any
) -> None:
    ids = _orders(shop, 3)
    slips = _render(shop, DocumentKind.SLIP, ids, Paper.LABEL_100X150)
    pick = _render(shop, DocumentKind.PICKLIST, ids, Paper.LABEL_100X150)
    expected = len(_pages(slips)) + len(_pages(pick))

    out = tmp_path / "job.pdf"
    printer = printing.pdf_file_printer(out, Paper.LABEL_100X150, resolution=96)
    assert printing.print_pdf([pick, slips], printer) == expected
    assert len(_sizes(out)) == expected
    for width, height in _sizes(out):
        assert (round(width), round(height)) == LABEL_POINTS

    a4 = tmp_path / "a4.pdf"
    invoice = _render(shop, DocumentKind.INVOICE, ids[:1], Paper.A4)
    assert printing.print_pdf(invoice, printing.pdf_file_printer(a4, Paper.A4, 96)) == len(
        _pages(invoice)
    )
    assert {(round(w), round(h)) for w, h in _sizes(a4)} == {(595, 842)}


@pytest.mark.parametrize(("paper", "dpi"), [(Paper.A4, 300), (Paper.LETTER, 203)])
def test_a_page_rasterised_in_bands_prints_as_the_whole_page_would(
    shop: tuple[Any, int], tmp_path: Path, app: Any, paper: Paper, dpi: int, monkeypatch: Any
) -> None:
    """A page goes to a rasterising printer in bands (printing.BAND_PIXELS): what prints is
    what the page rasterised at once prints — each band in its place, none missing, no seam —
    and both barcodes scan."""
    (order_id,) = _orders(shop, 1)
    slip = _render(shop, DocumentKind.SLIP, [order_id], paper)
    banded, whole = tmp_path / "banded.pdf", tmp_path / "whole.pdf"
    printer = printing.pdf_file_printer(banded, paper, resolution=dpi)
    width = printer.pageLayout().fullRectPixels(dpi).width()
    step = printing.BAND_PIXELS // width
    assert printing.print_pdf(slip, printer) == len(_pages(slip))
    monkeypatch.setattr(printing, "BAND_PIXELS", width * width * 4)  # the page at once
    printing.print_pdf(slip, printing.pdf_file_printer(whole, paper, resolution=dpi))

    printed, reference = _gray(banded.read_bytes(), dpi / 72), _gray(whole.read_bytes(), dpi / 72)
    assert printed.size == reference.size
    assert reference.height > 2 * step  # several bands
    assert _difference(printed, reference) < 1.5
    for top in range(0, reference.height - step, step):
        # each band lies where the whole page has it (within the device pixel that rounding
        # the page's scale to whole pixels may cost), none shifted further or missing
        band = (0, top + 4, reference.width, top + step - 4)
        offsets = {
            shift: _difference(
                printed.crop((0, band[1] + shift, band[2], band[3] + shift)),
                reference.crop(band),
            )
            for shift in range(-3, 4)
        }
        near = min(offsets[shift] for shift in (-1, 0, 1))
        assert near <= min(offsets[shift] for shift in (-3, -2, 2, 3)), (top, offsets)
    codes = zxingcpp.read_barcodes(printed)
    assert len([c for c in codes if c.format.name == "Code128"]) == 2


def _gray(pdf: bytes, scale: float) -> Image.Image:
    document = pdfium.PdfDocument(pdf)
    try:
        return document[0].render(scale=scale).to_pil().convert("L")
    finally:
        document.close()


def _difference(first: Image.Image, second: Image.Image) -> float:
    return float(ImageStat.Stat(ImageChops.difference(first, second)).mean[0])


def test_the_preview_opens_within_the_screen_with_its_buttons_in_sight(
    shop: tuple[Any, int], settings: QSettings, parent: QWidget, qtbot: Any
) -> None:
    """The preview asks for 860 pixels of height: on a smaller screen (a 1366×768 laptop; the
    test platform's screen is 800×800) it opens at the screen's height, frame included, so
    that Print and Save stay in sight."""
    pdf = _render(shop, DocumentKind.SLIP, _orders(shop, 2), Paper.A4)
    preview = PrintPreviewDialog(pdf, DocumentKind.SLIP, "Packing slips", settings, parent)
    qtbot.addWidget(preview)
    preview.show()
    qtbot.waitExposed(preview)
    available = preview.screen().availableGeometry()
    assert available.height() < 860 + FRAME.height()  # the case this test is for
    assert preview.height() + FRAME.height() <= available.height()
    for button in (preview.print_button, preview.save_button):
        assert button.isVisible()
        bottom = button.mapTo(preview, button.rect().bottomLeft()).y()
        assert bottom < preview.height()


def test_a_page_picture_of_no_size_is_empty_and_nothing_is_painted(
    shop: tuple[Any, int], app: Any, qtlog: Any
) -> None:
    """A preview closing (Print) while its pages' refresh is due asked for pictures of no
    size: Qt warned "QPainter::begin: Paint device returned engine == 0" for each page (seen
    in a real window)."""
    slip = _render(shop, DocumentKind.SLIP, _orders(shop, 1), Paper.A4)
    document = printing.open_pdf(slip)
    try:
        assert printing.render_page(document, 0, QSize(0, 0)).isNull()
        assert printing.render_page(document, 0, QSize(120, 0)).isNull()
        assert not printing.render_page(document, 0, QSize(120, 170)).isNull()
    finally:
        document.close()
    assert not [r.message for r in qtlog.records if "QPainter" in r.message]


def test_save_as_pdf_writes_the_same_bytes(
    shop: tuple[Any, int], settings: QSettings, parent: QWidget, tmp_path: Path, qtbot: Any
) -> None:
    pdf = _render(shop, DocumentKind.SLIP, _orders(shop, 1), Paper.A4)
    preview = PrintPreviewDialog(pdf, DocumentKind.SLIP, "Packing slip #1", settings, parent)
    qtbot.addWidget(preview)
    target = tmp_path / "out" / "slip.pdf"
    target.parent.mkdir()

    def answer(dialog: Any) -> bool:
        assert isinstance(dialog, QFileDialog)
        dialog.selectFile(str(target))
        return True

    preview.run_dialog = answer
    assert preview.save_as() == str(target)
    assert target.read_bytes() == pdf
    assert [p.name for p in target.parent.iterdir()] == ["slip.pdf"]  # no temp file left


def test_printer_and_paper_are_remembered_per_kind(
    shop: tuple[Any, int], settings: QSettings, parent: QWidget, tmp_path: Path, qtbot: Any
) -> None:
    ids = _orders(shop, 2)
    rendered: list[Paper] = []

    def rerender(paper: Paper) -> bytes:
        rendered.append(paper)
        return _render(shop, DocumentKind.SLIP, ids, paper)

    # nothing remembered yet: the locale's usual office paper
    assert PrintSettings.load(settings, DocumentKind.SLIP).paper is printing.default_paper()
    first = PrintPreviewDialog(
        rerender(Paper.A4),
        DocumentKind.SLIP,
        "Slips",
        settings,
        parent,
        rerender=rerender,
        paper=Paper.A4,
    )
    qtbot.addWidget(first)
    assert first.paper_combo.currentData() == Paper.A4.value
    first.paper_combo.setCurrentIndex(first.paper_combo.findData(Paper.LABEL_100X150.value))
    assert rendered == [Paper.A4, Paper.LABEL_100X150]  # laid out again, not scaled
    assert {(round(w), round(h)) for w, h in _page_sizes(first.pdfs[0])} == {LABEL_POINTS}

    out = tmp_path / "slip.pdf"

    def accept_print(dialog: Any) -> bool:
        assert isinstance(dialog, QPrintDialog)
        printer = dialog.printer()
        # the remembered paper is preselected in the print dialog
        assert printing.paper_of(printer.pageLayout().pageSize()) is Paper.LABEL_100X150
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        printer.setResolution(96)
        return True

    first.run_dialog = accept_print
    assert first.print_now() == len(_pages(first.pdfs[0]))
    assert _sizes(out)[0] == pytest.approx(LABEL_POINTS, abs=1)

    # slips remember the label; invoices keep their own paper
    assert PrintSettings.load(settings, DocumentKind.SLIP).paper is Paper.LABEL_100X150
    assert PrintSettings.load(settings, DocumentKind.INVOICE).paper is printing.default_paper()
    PrintSettings(DocumentKind.INVOICE, "Office Laser", Paper.LETTER).save(settings)
    reread = QSettings(settings.fileName(), QSettings.Format.IniFormat)
    invoice = PrintSettings.load(reread, DocumentKind.INVOICE)
    assert (invoice.printer, invoice.paper) == ("Office Laser", Paper.LETTER)
    assert not invoice.may_skip_dialog  # only slips skip the dialog
    assert PrintSettings.load(reread, DocumentKind.SLIP).paper is Paper.LABEL_100X150

    # a new slip preview opens on the remembered label paper
    second = PrintPreviewDialog(
        rerender(Paper.LABEL_100X150),
        DocumentKind.SLIP,
        "Slips",
        settings,
        parent,
        rerender=rerender,
    )
    qtbot.addWidget(second)
    assert second.paper_combo.currentData() == Paper.LABEL_100X150.value
    # a label is never offered for invoices, even if the settings file says so
    settings.setValue("printing/invoice/paper", "label4x6")
    assert PrintSettings.load(settings, DocumentKind.INVOICE).paper in (Paper.A4, Paper.LETTER)


def _page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return [(float(p.mediabox.width), float(p.mediabox.height)) for p in reader.pages]


class Answers:
    """Answers the dialogs a print job opens, and keeps what it saw."""

    def __init__(self, out: Path, batch: Callable[[BatchSlipsDialog], None] | None = None) -> None:
        self.out = out
        self.batch = batch
        self.seen: list[Any] = []
        self.questions: list[str] = []
        self.reprint_choice = "Print Again"
        self.previews: list[PrintPreviewDialog] = []

    def __call__(self, dialog: Any) -> bool:
        self.seen.append(dialog)
        if isinstance(dialog, BatchSlipsDialog):
            if self.batch is not None:
                self.batch(dialog)
            dialog.accept()
            return True
        if isinstance(dialog, QMessageBox):
            self.questions.append(dialog.text() + "\n" + dialog.informativeText())
            for button in dialog.buttons():
                if button.text() == self.reprint_choice:
                    button.click()
                    return True
            return False
        if isinstance(dialog, PrintPreviewDialog):
            self.previews.append(dialog)
            dialog.print_now()
            return False
        if isinstance(dialog, QPrintDialog):
            printer = dialog.printer()
            printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            printer.setOutputFileName(str(self.out))
            printer.setResolution(96)
            return True
        raise AssertionError(f"unexpected dialog {dialog!r}")


def _jobs(shop: tuple[Any, int], parent: QWidget, settings: QSettings, ids: list[int]) -> PrintJobs:
    cache, account_id = shop
    return PrintJobs(parent, cache, account_id, lambda: list(ids), settings)


def test_batch_prints_pick_list_then_slips_in_the_chosen_order_and_asks_before_reprinting(
    shop: tuple[Any, int], settings: QSettings, parent: QWidget, tmp_path: Path
) -> None:
    cache, account_id = shop
    ids = _orders(shop, 5, start=5)
    numbers = _numbers(cache, account_id, ids)

    def choose(dialog: BatchSlipsDialog) -> None:
        dialog.selected_radio.setChecked(True)
        dialog.sort_combo.setCurrentIndex(dialog.sort_combo.findData("number"))
        dialog.pick_box.setChecked(True)
        dialog.paper_combo.setCurrentIndex(dialog.paper_combo.findData(Paper.A4.value))

    answers = Answers(tmp_path / "batch.pdf", choose)
    jobs = _jobs(shop, parent, settings, list(reversed(ids)))
    jobs.run_dialog = answers
    marked: list[tuple[list[int], str]] = []
    jobs.printed.connect(lambda order_ids, kind: marked.append((order_ids, kind)))

    pages = jobs.print_batch()
    (preview,) = answers.previews
    (batch,) = preview.pdfs  # one PDF: the pick list's pages, then the slips
    texts = _pages(batch)
    assert "pick" in texts[0].lower()
    pick_pages = next(i for i, text in enumerate(texts) if "pick" not in text.lower())
    slips = _slip_pdf(batch, first_page=pick_pages)
    expected_order = sorted(numbers.values(), key=int)
    assert _slip_numbers(slips) == expected_order
    assert pages == len(texts) == len(_sizes(answers.out))
    assert not answers.questions  # nothing printed before
    # the batch options are remembered
    assert settings.value("printing/batch/sort") == "number"

    # printed marks: every order of the batch, in one go
    assert marked == [([int(i) for i in _ids_in(expected_order, numbers)], "slip")]
    before = printed_orders(cache, account_id, ids, DocumentKind.SLIP)
    assert set(before) == set(ids)
    with cache.session() as session:
        local = cache_store.get_local(session, account_id, ids[0])
    assert printed_at(local, DocumentKind.SLIP) == before[ids[0]]
    assert printed_at(local, DocumentKind.INVOICE) is None

    # a second batch with one new order: the question lists the printed ones
    extra = _orders(shop, 1, start=10)[0]
    answers2 = Answers(tmp_path / "again.pdf", choose)
    answers2.reprint_choice = "Only the 1 Not Printed"
    jobs2 = _jobs(shop, parent, settings, [*ids, extra])
    jobs2.run_dialog = answers2
    assert jobs2.print_batch() > 0
    (question,) = answers2.questions
    for order_id in ids:
        assert f"#{numbers[order_id]}" in question
    (again,) = answers2.previews
    (batch,) = again.pdfs
    texts = _pages(batch)
    first_slip = next(i for i, text in enumerate(texts) if "pick" not in text.lower())
    slips = _slip_pdf(batch, first_page=first_slip)
    assert _slip_numbers(slips) == [_numbers(cache, account_id, [extra])[extra]]

    # cancelling the question prints nothing
    answers3 = Answers(tmp_path / "none.pdf", choose)
    answers3.reprint_choice = "Cancel"
    jobs3 = _jobs(shop, parent, settings, ids)
    jobs3.run_dialog = answers3
    assert jobs3.print_batch() == 0
    assert not answers3.previews and not (tmp_path / "none.pdf").exists()


def _ids_in(order: list[str], numbers: dict[int, str]) -> list[int]:
    by_number = {number: order_id for order_id, number in numbers.items()}
    return [by_number[number] for number in order]


def test_batch_sorted_by_shipping_method_and_all_to_ship(
    shop: tuple[Any, int], settings: QSettings, parent: QWidget, tmp_path: Path
) -> None:
    cache, account_id = shop
    ids = _orders(shop, 12, start=20)

    def by_shipping(dialog: BatchSlipsDialog) -> None:
        assert dialog.selected_radio.isChecked()  # several orders selected: those
        dialog.sort_combo.setCurrentIndex(dialog.sort_combo.findData("shipping"))
        dialog.pick_box.setChecked(False)

    answers = Answers(tmp_path / "shipping.pdf", by_shipping)
    jobs = _jobs(shop, parent, settings, ids)
    jobs.run_dialog = answers
    jobs.print_batch()
    (preview,) = answers.previews
    (slips,) = preview.pdfs
    loaded = docs.load_document_orders(cache, account_id, ids)
    expected = [d.order.number for d in docs.sort_orders(loaded, "shipping")]
    assert _slip_numbers(slips) == expected
    assert expected != sorted(expected, key=int)  # the sort made a difference

    # one order selected: the batch offers every order to ship
    to_ship = to_ship_order_ids(cache, account_id)
    assert to_ship

    def all_to_ship(dialog: BatchSlipsDialog) -> None:
        assert dialog.to_ship_radio.isChecked()
        assert dialog.options().order_ids == tuple(to_ship)
        dialog.sort_combo.setCurrentIndex(dialog.sort_combo.findData("number"))

    answers = Answers(tmp_path / "all.pdf", all_to_ship)
    jobs = _jobs(shop, parent, settings, ids[:1])
    jobs.run_dialog = answers
    jobs.print_batch()
    (preview,) = answers.previews
    numbers = _numbers(cache, account_id, to_ship)
    assert _slip_numbers(preview.pdfs[-1]) == sorted(numbers.values(), key=int)


def test_print_slip_skips_the_dialogs_once_a_slip_printer_is_set(
    shop: tuple[Any, int], settings: QSettings, parent: QWidget, tmp_path: Path
) -> None:
    cache, account_id = shop
    order_id = _orders(shop, 1, start=12)[0]
    out = tmp_path / "direct.pdf"

    def direct(preview: PrintPreviewDialog) -> None:
        # the system has the remembered label printer; it writes to a file here
        preview.printer_available = lambda name: name == "Zebra ZD421"
        preview.make_printer = lambda remembered, paper: printing.pdf_file_printer(out, paper, 96)

    # without the permission, "Print slip" shows the preview
    PrintSettings(DocumentKind.SLIP, "Zebra ZD421", Paper.LABEL_100X150, skip_dialog=False).save(
        settings
    )
    answers = Answers(tmp_path / "dialog.pdf")
    jobs = _jobs(shop, parent, settings, [order_id])
    jobs.run_dialog = answers
    jobs.prepare_preview = direct
    assert jobs.print_slips() > 0
    assert [type(d) for d in answers.seen] == [PrintPreviewDialog, QPrintDialog]

    # allowed: straight to the printer — but a reprint is still asked about first
    preview = answers.previews[0]
    preview.skip_box.setChecked(True)
    assert PrintSettings.load(settings, DocumentKind.SLIP).may_skip_dialog
    answers = Answers(tmp_path / "unused.pdf")
    jobs.run_dialog = answers
    pages = jobs.print_slips()
    assert [type(d) for d in answers.seen] == [QMessageBox]
    assert pages == len(_sizes(out)) >= 1
    assert _sizes(out)[0] == pytest.approx(LABEL_POINTS, abs=1)
    assert order_id in printed_orders(cache, account_id, [order_id], DocumentKind.SLIP)

    # the remembered printer is gone: back to the print dialog
    answers = Answers(tmp_path / "fallback.pdf")
    jobs.run_dialog = answers

    def gone(preview: PrintPreviewDialog) -> None:
        preview.printer_available = lambda name: False

    jobs.prepare_preview = gone
    assert jobs.print_slips() > 0
    assert QPrintDialog in [type(d) for d in answers.seen]


def test_invoice_preview_records_the_invoice_print(
    shop: tuple[Any, int], settings: QSettings, parent: QWidget, tmp_path: Path
) -> None:
    cache, account_id = shop
    order_id = _orders(shop, 1, start=14)[0]
    answers = Answers(tmp_path / "invoice.pdf")
    jobs = _jobs(shop, parent, settings, [order_id])
    jobs.run_dialog = answers
    assert jobs.preview(DocumentKind.INVOICE)
    (preview,) = answers.previews
    assert preview.paper_combo.count() == 2
    assert "invoice" in _pages(preview.pdfs[0])[0].lower()
    assert len(_sizes(answers.out)) == len(_pages(preview.pdfs[0]))
    with cache.session() as session:
        local = cache_store.get_local(session, account_id, order_id)
    assert printed_at(local, DocumentKind.INVOICE) is not None
    assert printed_at(local, DocumentKind.SLIP) is None


def test_store_invoice_number_is_issued_when_printed_or_saved_never_by_the_preview(
    shop: tuple[Any, int], settings: QSettings, parent: QWidget, tmp_path: Path
) -> None:
    cache, account_id = shop
    first, second = _orders(shop, 2, start=16)
    assert _issued(cache, account_id, first) is None
    highest = _highest_invoice(cache, account_id)
    number = f"{highest + 1:06d}"  # the account's format: six digits, no prefix

    # the vendor looks at the invoice and closes the preview: no number used up
    looked: list[Any] = []

    def look(dialog: Any) -> bool:
        looked.append(dialog)
        return False

    jobs = _jobs(shop, parent, settings, [first])
    jobs.run_dialog = look
    assert jobs.preview(DocumentKind.INVOICE)
    (preview,) = looked
    shown = _text(preview.pdfs[0])
    assert "Given when printed or saved" in shown and "PREVIEW" in shown
    assert number not in shown
    assert _issued(cache, account_id, first) is None
    assert _highest_invoice(cache, account_id) == highest

    # printed on day D: number N dated D, and the window shows the invoice that was printed
    day = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    jobs.clock = lambda: day
    answers = Answers(tmp_path / "invoice.pdf")
    jobs.run_dialog = answers
    assert jobs.preview(DocumentKind.INVOICE)
    (printed,) = answers.previews
    assert printed.last_printed_pages > 0
    assert _issued(cache, account_id, first) == (number, day)
    shown = _text(printed.pdfs[0])
    assert number in shown and docs.format_date(day) in shown and "PREVIEW" not in shown

    # the next day: the preview and the reprint show the same number and date
    next_day = day + timedelta(days=1)
    jobs.clock = lambda: next_day
    answers = Answers(tmp_path / "again.pdf")
    jobs.run_dialog = answers
    assert jobs.preview(DocumentKind.INVOICE)
    (reprinted,) = answers.previews
    shown = _text(reprinted.pdfs[0])
    assert number in shown and docs.format_date(day) in shown
    assert docs.format_date(next_day) not in shown
    assert _issued(cache, account_id, first) == (number, day)

    # another order, saved as a PDF: the next number
    target = tmp_path / "saved" / "invoice.pdf"
    target.parent.mkdir()

    def save(dialog: Any) -> bool:
        if isinstance(dialog, PrintPreviewDialog):
            assert dialog.save_as() == str(target)
            return False
        assert isinstance(dialog, QFileDialog)
        dialog.selectFile(str(target))
        return True

    other = _jobs(shop, parent, settings, [second])
    other.clock = lambda: next_day
    other.run_dialog = save
    assert other.preview(DocumentKind.INVOICE)
    assert _issued(cache, account_id, second) == (f"{highest + 2:06d}", next_day)
    saved = _text(target.read_bytes())
    assert f"{highest + 2:06d}" in saved and "PREVIEW" not in saved


def test_save_as_pdf_starts_in_documents_then_in_the_folder_used_last(
    shop: tuple[Any, int],
    settings: QSettings,
    parent: QWidget,
    tmp_path: Path,
    qtbot: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    home = tmp_path / "home"
    documents = home / "My Documents"
    documents.mkdir(parents=True)
    config = tmp_path / "config"
    config.mkdir()
    (config / "user-dirs.dirs").write_text(f'XDG_DOCUMENTS_DIR="{documents}"\n')
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    monkeypatch.chdir(tmp_path)  # the folder the app was started from: never offered
    pdf = _render(shop, DocumentKind.SLIP, _orders(shop, 1), Paper.A4)
    started: list[Path] = []
    slips = tmp_path / "slips"
    slips.mkdir()

    def save_to(folder: Path) -> Callable[[Any], bool]:
        def answer(dialog: Any) -> bool:
            assert isinstance(dialog, QFileDialog)
            started.append(Path(dialog.directory().absolutePath()))
            dialog.selectFile(str(folder / "document.pdf"))
            return True

        return answer

    def save(kind: DocumentKind, folder: Path) -> None:
        preview = PrintPreviewDialog(pdf, kind, "Document #1", settings, parent)
        qtbot.addWidget(preview)
        preview.run_dialog = save_to(folder)
        assert preview.save_as() == str(folder / "document.pdf")

    assert printing.save_folder(settings, DocumentKind.SLIP) == str(documents)
    save(DocumentKind.SLIP, slips)  # opens in Documents, saved elsewhere
    save(DocumentKind.SLIP, slips)  # opens where the last slip was saved
    save(DocumentKind.INVOICE, documents)  # invoices remember their own folder
    assert started == [documents, slips, documents]
    # remembered in the app's settings (per kind), also after a restart
    reread = QSettings(settings.fileName(), QSettings.Format.IniFormat)
    assert printing.save_folder(reread, DocumentKind.SLIP) == str(slips)

    # the folder used last is gone: Documents again; no Documents folder: the home folder
    shutil.rmtree(slips)
    assert printing.save_folder(settings, DocumentKind.SLIP) == str(documents)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "no-config"))
    shutil.rmtree(documents)
    assert printing.save_folder(settings, DocumentKind.PICKLIST) == str(home)


def test_all_to_ship_leaves_out_orders_with_only_digital_items(
    sim: Any, shop: tuple[Any, int], settings: QSettings, parent: QWidget, tmp_path: Path
) -> None:
    cache, account_id = shop
    # two new orders to ship, checked out on the marketplace and read into the cache: a
    # parcel, and an e-book only
    login = vendor(sim)["login"]
    parcel_id = place(sim, login, shippable=1)
    digital_id = place(sim, login, shippable=0, virtual=1)
    account = AccountInput(sim.base_url, login, vendor(sim)["password"], False)
    with open_marketplace(account) as market:
        for order_id in (parcel_id, digital_id):
            Syncer(cache, account_id, market).refresh_order(order_id)
    # The marketplace lists no item of the e-book order for shipping (``shipment_tracking``
    # is empty): read so by the sync, nothing to pack.
    with cache.session() as session:
        detail = order_detail(session, account_id, digital_id)
    assert detail is not None and all(i.shippable is False for i in detail.order.items)
    numbers = _numbers(cache, account_id, [parcel_id, digital_id])
    batch = to_ship_orders(cache, account_id)
    assert batch.nothing_to_pack == (digital_id,)
    assert parcel_id in batch.order_ids and digital_id not in batch.order_ids
    assert to_ship_order_ids(cache, account_id) == list(batch.order_ids)

    def all_to_ship(dialog: BatchSlipsDialog) -> None:
        assert dialog.to_ship_radio.isChecked()
        assert dialog.options().order_ids == batch.order_ids
        assert dialog.digital_label.isVisibleTo(dialog)
        assert f"#{numbers[digital_id]}" in dialog.digital_label.text()
        dialog.sort_combo.setCurrentIndex(dialog.sort_combo.findData("number"))
        dialog.pick_box.setChecked(True)

    answers = Answers(tmp_path / "to-ship.pdf", all_to_ship)
    jobs = _jobs(shop, parent, settings, [])
    jobs.run_dialog = answers
    assert jobs.print_batch() > 0
    (preview,) = answers.previews
    (pdf,) = preview.pdfs
    texts = _pages(pdf)
    first_slip = next(i for i, text in enumerate(texts) if "pick" not in text.lower())
    pick_list = " ".join(texts[:first_slip])
    assert f"#{numbers[parcel_id]}" in pick_list and f"#{numbers[digital_id]}" not in pick_list
    slips = _slip_numbers(_slip_pdf(pdf, first_page=first_slip))
    assert numbers[parcel_id] in slips and numbers[digital_id] not in slips
    assert slips == sorted(_numbers(cache, account_id, list(batch.order_ids)).values(), key=int)

    # nothing of the kind among the orders to ship: no note
    plain = BatchSlipsDialog([], list(batch.order_ids), settings, parent)
    assert not plain.digital_label.isVisibleTo(plain)
