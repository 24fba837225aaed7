"""What the vendor chooses in Qt's print dialog reaches the CUPS queue: the tray (the driver's
InputSlot under Properties → Advanced), two-sided printing, the copies and the driver's and
job's other options — read from a real QPrinter after the real dialog, sent with the PDF, and
read back from the job CUPS keeps (``ipptool``'s Get-Job-Attributes).

The queue is a temporary one, added for these tests: a cups-pdf queue with CUPS's "Generic
PostScript Printer" driver (drv:///sample.drv/generic.ppd, shipped with CUPS), which has trays
and two-sided printing (the VD-PDF queue's driver has neither). The tests skip, saying why,
where there is no print service or no right to add a queue, except in CI (``VD_PRINT_QUEUE``
set), where they must run.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QPageLayout
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QWidget,
)
from reportlab.pdfgen import canvas

from tests.cli.test_print_queue import QUEUE, WHY_NOT
from vendor_desk import print_system
from vendor_desk.documents import Paper
from vendor_desk.ui import printing
from vendor_desk.ui.print_background import print_job

IN_CI = bool(os.environ.get("VD_PRINT_QUEUE"))
C_LOCALE = {**os.environ, "LC_ALL": "C", "LANG": "C"}


@pytest.fixture(scope="module")
def trays_queue() -> Iterator[str]:
    """A cups-pdf queue whose driver has trays (InputSlot: Default, Upper "Cassette", Manual)
    and two-sided printing (its duplexer installed), removed afterwards."""
    if QUEUE is None:
        pytest.skip(f"print service: {WHY_NOT}")
    name = f"VD-Trays-{os.getpid()}"
    driver = ["-m", "drv:///sample.drv/generic.ppd", "-o", "Option1=True"]  # duplexer installed
    made = subprocess.run(
        ["lpadmin", "-p", name, "-E", "-v", "cups-pdf:/", *driver],
        capture_output=True,
        text=True,
        env=C_LOCALE,
    )
    if made.returncode != 0:
        reason = f"cannot add a print queue here: {made.stderr.strip()}"
        if IN_CI:
            pytest.fail(reason)
        pytest.skip(reason)
    try:
        yield name
    finally:
        subprocess.run(["lpadmin", "-x", name], capture_output=True, env=C_LOCALE)


def _printer(queue: str) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPrinterName(queue)
    assert printer.printerName() == queue
    return printer


def _choose_in_the_dialog(printer: QPrinter) -> None:
    """What a vendor does in Qt's print dialog: Properties → Advanced, Media Source
    "Cassette"; Job Options, priority 70 and billing text; then 2 copies, two-sided on the
    long edge, Print."""
    dialog = QPrintDialog(printer)
    dialog.show()
    problems: list[BaseException] = []

    def in_properties() -> None:
        panel = QApplication.activeModalWidget()
        assert isinstance(panel, QDialog)
        try:
            assert panel.metaObject().className() == "QPrintPropertiesDialog"
            advanced = panel.findChild(QWidget, "cupsPropertiesPage")
            (source,) = [b for b in advanced.findChildren(QComboBox) if b.findText("Cassette") >= 0]
            source.setCurrentIndex(source.findText("Cassette"))
            panel.findChild(QSpinBox, "jobPrioritySpinBox").setValue(70)
            panel.findChild(QLineEdit, "jobBillingLineEdit").setText("Boutique d'Anna")
        except BaseException as problem:  # re-raised below, once the dialog is closed
            problems.append(problem)
            panel.reject()
            return
        panel.accept()

    QTimer.singleShot(0, in_properties)
    dialog.findChild(QPushButton, "properties").click()  # modal until in_properties closes it
    if problems:
        raise problems[0]
    dialog.findChild(QSpinBox, "copies").setValue(2)
    dialog.findChild(QRadioButton, "duplexLong").click()
    dialog.accept()


def test_the_dialog_choices_become_the_job_options(trays_queue: str, app: Any) -> None:
    """The tray, two-sided printing, copies and the job options chosen in the real dialog are
    read into the job's options; the paper stays the document's."""
    printer = _printer(trays_queue)
    untouched = printing.queue_options(printer, Paper.A4)
    assert untouched == print_system.PrintOptions(copies=1, media="A4", sides="one-sided")

    _choose_in_the_dialog(printer)
    options = printing.queue_options(printer, Paper.LABEL_4X6)
    assert (options.copies, options.media, options.tray, options.sides) == (
        2,
        "Custom.4x6in",
        "Upper",  # the driver's name of "Cassette"
        "two-sided-long-edge",
    )
    assert dict(options.extra) == {
        "Collate": "True",  # 2 copies, "Collate" ticked (the dialog's default)
        "job-priority": "70",
        "job-billing": "Boutique d'Anna",
        "job-sheets": "none,none",
        "number-up": "1",
        "number-up-layout": "lrtb",
    }


def test_what_qt_stores_is_read_as_qt_would_send_it(trays_queue: str, app: Any) -> None:
    """The CUPS options as Qt's dialog stores them on the print engine (a flat name, value
    list): the pages picked are left out (whole documents are printed), empty values too;
    "auto" two-sided is the short edge for landscape pages; reverse order is CUPS's."""
    printer = _printer(trays_queue)
    printer.printEngine().setProperty(
        printing.CUPS_OPTIONS,
        [
            *("InputSlot", "Manual", "MediaType", "Glossy", "job-billing", ""),
            *("page-ranges", "1-2", "page-set", "odd", "job-hold-until", "night"),
        ],
    )
    printer.setDuplex(QPrinter.DuplexMode.DuplexAuto)
    printer.setPageOrientation(QPageLayout.Orientation.Landscape)
    printer.setPageOrder(QPrinter.PageOrder.LastPageFirst)
    assert printing.queue_options(printer, Paper.A4) == print_system.PrintOptions(
        copies=1,
        media="A4",
        tray="Manual",
        sides="two-sided-short-edge",
        extra=(("outputorder", "reverse"), ("MediaType", "Glossy"), ("job-hold-until", "night")),
    )


def _pdf(pages: int) -> bytes:
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=(288, 432))
    for number in range(1, pages + 1):
        page.drawString(40, 380, f"Page {number}")
        page.showPage()
    page.save()
    return out.getvalue()


def _job_attributes(job: str) -> dict[str, str]:
    """The attributes CUPS keeps for a job (``ipptool``'s Get-Job-Attributes), as ipptool
    prints them (``name (type) = value``)."""
    number = job.rsplit("-", 1)[1]
    result = subprocess.run(
        ["ipptool", "-tv", f"ipp://localhost/jobs/{number}", "get-job-attributes.test"],
        capture_output=True,
        text=True,
        env=C_LOCALE,
        timeout=30,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    found = re.findall(r"^\s+(\S+) \([^)]*\) = (.*)$", result.stdout, re.MULTILINE)
    return dict(found)


@pytest.mark.skipif(
    shutil.which("ipptool") is None and not IN_CI,
    reason="ipptool (Debian's cups-ipp-utils) is not installed: no way to read a job back",
)
def test_a_job_reaches_the_queue_with_the_dialog_choices(trays_queue: str, app: Any) -> None:
    """Printed on the worker's path (print_job, as the window does) after the dialog: the
    queue's job carries the tray, the sides, the copies and the other options, and the queue
    prints it (the job completes)."""
    printer = _printer(trays_queue)
    _choose_in_the_dialog(printer)
    outcome = print_job(
        [_pdf(2)], printer, Paper.LABEL_4X6, "Packing slips", lambda _: None, threading.Event()
    )
    assert (outcome.error, outcome.queue, outcome.pages) == ("", trays_queue, 2)
    (job,) = outcome.jobs

    attributes = _job_attributes(job)
    assert attributes["InputSlot"] == "Upper"
    assert attributes["sides"] == "two-sided-long-edge"
    assert attributes["copies"] == "2"
    assert attributes["Collate"] == "true"  # CUPS keeps it as a boolean
    assert attributes["job-priority"] == "70"
    assert attributes["job-billing"] == "Boutique d'Anna"  # one value, its space kept
    assert attributes["media"] == "Custom.4x6in"
    assert attributes["document-format"] == "application/pdf"

    deadline = time.monotonic() + 90
    while not print_system.job_done(job) and time.monotonic() < deadline:
        time.sleep(0.3)
    assert print_system.job_done(job), f"{job} not printed after 90 s"


@pytest.mark.skipif(
    shutil.which("ipptool") is None and not IN_CI,
    reason="ipptool (Debian's cups-ipp-utils) is not installed: no way to read a job back",
)
def test_the_app_s_paper_and_copies_win_over_the_same_options_in_extra(
    trays_queue: str,
) -> None:
    """Options naming what the app sets itself are dropped for the app's: CUPS gets the
    app's paper, copies and sides."""
    job = print_system.submit(
        trays_queue,
        _pdf(1),
        title="Conflicts",
        options=print_system.PrintOptions(
            copies=1,
            media="A4",
            sides="one-sided",
            extra=(("PageSize", "Letter"), ("copies", "5"), ("Duplex", "DuplexTumble")),
        ),
    )
    attributes = _job_attributes(job)
    assert (attributes["media"], attributes["copies"], attributes["sides"]) == (
        "A4",
        "1",
        "one-sided",
    )
    assert "PageSize" not in attributes and "Duplex" not in attributes
