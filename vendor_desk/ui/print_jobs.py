"""Print jobs in the window: a slip, a batch of slips (optionally after a pick list), invoices.

:class:`PrintJobs` owns the window's print actions. Each loads the orders from the cache
(:func:`vendor_desk.documents.load_document_orders` — offline), renders the PDF with
:func:`vendor_desk.documents.render`, shows it in :class:`PrintPreviewDialog`, and once printed
records when each order's slip/invoice was printed (:mod:`vendor_desk.documents.printed`).
Printing a slip again asks first, listing the orders printed before.

Batches (:class:`BatchSlipsDialog`): the selected orders or every order "To ship" with something
to pack (orders of digital items only are left out and named), in a chosen order (number, date,
shipping method, SKU), optionally preceded by the pick list of the same orders — one print job.

Store invoices are previewed without using up a number: an invoice not issued yet shows a
placeholder, and gets its number and date when it is first printed or saved (``issue``).

Like :class:`~vendor_desk.ui.order_actions.OrderActions`, every dialog runs through the
``run_dialog`` hook so tests can answer it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale, QObject, QSettings, Qt, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from vendor_desk import documents as docs
from vendor_desk import i18n
from vendor_desk.documents import DocumentKind, Paper
from vendor_desk.documents.printed import (
    order_numbers,
    printed_orders,
    record_printed,
    to_ship_orders,
)
from vendor_desk.documents.render_process import Renderer, RenderRequest, shared_renderer
from vendor_desk.i18n import ngettext
from vendor_desk.ui import printing
from vendor_desk.ui.actions import window_action
from vendor_desk.ui.formatting import format_datetime
from vendor_desk.ui.icons import app_icon
from vendor_desk.ui.modal import DialogRunner, run_modal
from vendor_desk.ui.print_background import BackgroundPrinter
from vendor_desk.ui.print_preview import (
    PrintPreviewDialog,
    kind_label,
    make_printer,
    paper_label,
)
from vendor_desk.ui.printing import PrintSettings

log = logging.getLogger("vendor_desk.ui.printing")


#: Batch sort keys (documents.sort_orders) in the order offered.
SORT_KEYS = ("number", "date", "shipping", "sku")
#: Kinds whose printing is recorded on the order (the list's printed mark, the reprint check).
RECORDED_KINDS = frozenset({DocumentKind.SLIP, DocumentKind.INVOICE})
#: At most this many orders are named in the reprint question.
_LISTED = 12


def sort_label(key: str) -> str:
    labels = {
        "number": QCoreApplication.translate("Printing", "Order number"),
        "date": QCoreApplication.translate("Printing", "Order date (oldest first)"),
        "shipping": QCoreApplication.translate("Printing", "Shipping method"),
        "sku": QCoreApplication.translate("Printing", "SKU (first item)"),
    }
    return labels[key]


@dataclass(frozen=True)
class BatchOptions:
    """What the vendor chose in :class:`BatchSlipsDialog`."""

    order_ids: tuple[int, ...]
    sort: str = "number"
    pick_list: bool = False
    paper: Paper = Paper.A4


class BatchSlipsDialog(QDialog):
    """Options of a batch of packing slips: which orders, in which order, on which paper, and
    whether a pick list comes first. The sort and pick-list choices are remembered."""

    def __init__(
        self,
        selected_ids: Sequence[int],
        to_ship_ids: Sequence[int],
        settings: QSettings,
        parent: QWidget | None = None,
        *,
        nothing_to_pack: Sequence[str] = (),
    ) -> None:
        """``to_ship_ids``: the orders to ship with something to pack; ``nothing_to_pack``:
        the numbers of those to ship left out because they hold only digital items."""
        super().__init__(parent)
        self.setObjectName("batchSlipsDialog")
        self.setWindowTitle(self.tr("Print packing slips"))
        self.setWindowIcon(app_icon())
        self._settings = settings
        self._selected = tuple(dict.fromkeys(selected_ids))
        self._to_ship = tuple(dict.fromkeys(to_ship_ids))

        self.selected_radio = QRadioButton(
            self.tr("The selected orders (%n)", "", len(self._selected))
        )
        self.selected_radio.setObjectName("selectedOrders")
        self.to_ship_radio = QRadioButton(
            self.tr("All orders to ship (%n)", "", len(self._to_ship))
        )
        self.to_ship_radio.setObjectName("toShipOrders")
        group = QButtonGroup(self)
        group.addButton(self.selected_radio)
        group.addButton(self.to_ship_radio)
        self.selected_radio.setEnabled(bool(self._selected))
        self.to_ship_radio.setEnabled(bool(self._to_ship))
        # Several orders selected: those; one or none: every order to ship (the daily batch).
        use_selected = len(self._selected) > 1 or (bool(self._selected) and not self._to_ship)
        (self.selected_radio if use_selected else self.to_ship_radio).setChecked(True)

        self.sort_combo = QComboBox()
        self.sort_combo.setObjectName("sortCombo")
        for key in SORT_KEYS:
            self.sort_combo.addItem(sort_label(key), key)
        remembered_sort = str(settings.value("printing/batch/sort", "number"))
        self.sort_combo.setCurrentIndex(max(0, self.sort_combo.findData(remembered_sort)))

        self.paper_combo = QComboBox()
        self.paper_combo.setObjectName("paperCombo")
        for paper in printing.PAPERS[DocumentKind.SLIP]:
            self.paper_combo.addItem(paper_label(paper), paper.value)
        slip_paper = PrintSettings.load(settings, DocumentKind.SLIP).paper
        self.paper_combo.setCurrentIndex(max(0, self.paper_combo.findData(slip_paper.value)))

        self.pick_box = QCheckBox(self.tr("Start with a pick list of these orders"))
        self.pick_box.setObjectName("pickListBox")
        self.pick_box.setChecked(settings.value("printing/batch/pickList", False) in (True, "true"))

        hint = QLabel(
            self.tr(
                "One slip per order, in one print job. Each order remembers when its slip was "
                "printed; you are asked before a slip is printed twice."
            )
        )
        hint.setObjectName("muted")
        hint.setWordWrap(True)
        listed = ", ".join(f"#{number}" for number in nothing_to_pack[:_LISTED])
        if len(nothing_to_pack) > _LISTED:
            listed += " …"
        self.digital_label = QLabel(
            self.tr(
                "Left out of “All orders to ship”, as they hold only digital items and have "
                "nothing to pack (they only need completing): {orders}"
            ).format(orders=listed)
        )
        self.digital_label.setObjectName("digitalOnlyOrders")
        self.digital_label.setTextFormat(Qt.TextFormat.PlainText)
        self.digital_label.setWordWrap(True)
        self.digital_label.setVisible(bool(nothing_to_pack))

        form = QFormLayout()
        form.addRow(self.tr("Orders"), self.selected_radio)
        form.addRow("", self.to_ship_radio)
        form.addRow(self.tr("Print order"), self.sort_combo)
        form.addRow(self.tr("Paper"), self.paper_combo)
        form.addRow("", self.pick_box)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Preview…"))
        ok.setEnabled(bool(self._selected or self._to_ship))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.digital_label)
        layout.addWidget(hint)
        layout.addWidget(buttons)

    def options(self) -> BatchOptions:
        ids = self._to_ship if self.to_ship_radio.isChecked() else self._selected
        return BatchOptions(
            order_ids=ids,
            sort=str(self.sort_combo.currentData()),
            pick_list=self.pick_box.isChecked(),
            paper=Paper(str(self.paper_combo.currentData())),
        )

    def accept(self) -> None:
        options = self.options()
        self._settings.setValue("printing/batch/sort", options.sort)
        self._settings.setValue("printing/batch/pickList", options.pick_list)
        super().accept()


class PrintJobs(QObject):
    """The window's print actions for one account.

    Args:
        parent: the window (dialogs are centred on it).
        cache: the open cache.
        account_id: the account (None: no account, every action disabled).
        selection: returns the selected order ids (the current one first).
        settings: the app's QSettings (printers, papers, batch choices).

    Signals:
        printed(list, str): these order ids had this kind ("slip", "invoice") printed — the
            window reloads their rows to show the printed mark.
    """

    printed = Signal(list, str)

    def __init__(
        self,
        parent: QWidget,
        cache: Any,
        account_id: int | None,
        selection: Callable[[], list[int]],
        settings: QSettings,
    ) -> None:
        super().__init__(parent)
        self._window = parent
        self._cache = cache
        self._account_id = account_id
        self._selection = selection
        self._settings = settings
        self.run_dialog: DialogRunner = run_modal
        #: Applied to each preview before it opens (tests set printer hooks here).
        self.prepare_preview: Callable[[PrintPreviewDialog], None] = lambda _preview: None
        #: The last preview opened (tests, and the window's status bar).
        self.last_preview: PrintPreviewDialog | None = None
        #: Runs the print jobs off the window's thread (the window sets it; None: printed
        #: on the calling thread, as a command would).
        self.background: BackgroundPrinter | None = None
        #: Hooks for slips printed straight to the remembered printer in the background
        #: (tests replace them): whether that printer is installed, the printer made for it.
        self.printer_available: Callable[[str], bool] = lambda name: (
            name in printing.available_printers()
        )
        self.make_printer: Callable[[PrintSettings, Paper], QPrinter] = make_printer
        #: Renders the documents of jobs printed straight to the printer (a child process).
        self.renderer: Renderer = shared_renderer()
        #: The time a store invoice is issued at (tests set another day).
        self.clock: Callable[[], datetime] = lambda: datetime.now(UTC)

        self.slip_action = window_action(
            self._window,
            self.tr("Print Packing Slip…"),
            "Ctrl+P",
            self.print_slips,
            "printSlipAction",
        )
        self.batch_action = window_action(
            self._window,
            self.tr("Print Packing Slips for a Batch…"),
            "Ctrl+Shift+P",
            self.print_batch,
            "printBatchAction",
        )
        self.invoice_action = window_action(
            self._window,
            self.tr("Store Invoice…"),
            "",
            lambda: self.preview(DocumentKind.INVOICE),
            "invoiceAction",
        )
        self.commission_action = window_action(
            self._window,
            self.tr("Commission Invoice…"),
            "",
            lambda: self.preview(DocumentKind.COMMISSION),
            "commissionAction",
        )
        self.picklist_action = window_action(
            self._window,
            self.tr("Pick List…"),
            "",
            lambda: self.preview(DocumentKind.PICKLIST),
            "pickAction",
        )

    @property
    def actions(self) -> list[QAction]:
        return [
            self.slip_action,
            self.batch_action,
            self.invoice_action,
            self.commission_action,
            self.picklist_action,
        ]

    def update_enabled(self) -> None:
        """Enable the actions for the current selection."""
        ids = self._selection() if self._account_id is not None else []
        for action in (
            self.slip_action,
            self.invoice_action,
            self.commission_action,
            self.picklist_action,
        ):
            action.setEnabled(bool(ids))
        self.batch_action.setEnabled(self._account_id is not None)
        self.slip_action.setText(
            self.tr("Print {count} Packing Slips…").format(count=len(ids))
            if len(ids) > 1
            else self.tr("Print Packing Slip…")
        )

    @Slot()
    def prepare(self) -> None:
        """Start the child process that renders slips printed straight to the remembered
        printer, when the vendor prints them so (it takes about a second to start)."""
        if (
            self._account_id is not None
            and self.background is not None
            and PrintSettings.load(self._settings, DocumentKind.SLIP).may_skip_dialog
        ):
            self.renderer.warm_up()

    # ================================================================ actions
    @Slot()
    def print_slips(self, order_ids: Sequence[int] | None = None) -> int:
        """Slips of the selected orders (or ``order_ids``) in the order given: straight to the
        remembered slip printer when allowed, else through the preview. Returns pages printed
        (in the window, where jobs run in the background, going straight to the printer: the
        number of slips handed to the print worker)."""
        ids = list(order_ids) if order_ids is not None else self._selection()
        if self._account_id is None or not ids:
            return 0
        ids = self._confirm_reprint(ids)
        if not ids:
            return 0
        remembered = PrintSettings.load(self._settings, DocumentKind.SLIP)
        paper = remembered.paper
        if (
            self.background is not None
            and remembered.may_skip_dialog
            and self.printer_available(remembered.printer)
        ):
            return self._slips_in_background(ids, remembered)
        loaded = self._load(ids, DocumentKind.SLIP)
        if loaded is None:
            return 0
        preview = self._preview_of(
            DocumentKind.SLIP, loaded, paper, self._title(DocumentKind.SLIP, loaded)
        )
        if preview.remembered.may_skip_dialog and preview.printer_available(
            preview.remembered.printer
        ):
            return preview.print_now()
        self.run_dialog(preview)
        return preview.last_printed_pages

    @Slot()
    def print_batch(self) -> int:
        """Ask for the batch's orders and options, then preview and print. Returns pages
        printed."""
        if self._account_id is None:
            return 0
        selected = self._selection()
        to_ship = to_ship_orders(self._cache, self._account_id)
        digital = order_numbers(self._cache, self._account_id, to_ship.nothing_to_pack)
        dialog = BatchSlipsDialog(
            selected,
            to_ship.order_ids,
            self._settings,
            self._window,
            nothing_to_pack=[digital.get(i, str(i)) for i in to_ship.nothing_to_pack],
        )
        if not self.run_dialog(dialog):
            return 0
        options = dialog.options()
        ids = self._confirm_reprint(list(options.order_ids))
        if not ids:
            return 0
        loaded = self._load(ids, DocumentKind.SLIP)
        if loaded is None:
            return 0
        ordered = docs.sort_orders(loaded, options.sort)
        count = len(ordered)
        title = ngettext(
            "Packing slips — {count} order", "Packing slips — {count} orders", count
        ).format(count=count)
        preview = self._preview_of(
            DocumentKind.SLIP, ordered, options.paper, title, pick_list=options.pick_list
        )
        self.run_dialog(preview)
        return preview.last_printed_pages

    @Slot()
    def preview(self, kind: DocumentKind, order_ids: Sequence[int] | None = None) -> bool:
        """Preview (and perhaps print or save) one kind of document for the selected orders.
        Returns whether the preview opened."""
        ids = list(order_ids) if order_ids is not None else self._selection()
        if self._account_id is None or not ids:
            return False
        loaded = self._load(ids, kind)
        if loaded is None:
            return False
        paper = PrintSettings.load(self._settings, kind).paper
        preview = self._preview_of(kind, loaded, paper, self._title(kind, loaded))
        self.run_dialog(preview)
        return True

    # ================================================================ private
    def _slips_in_background(self, ids: list[int], remembered: PrintSettings) -> int:
        """Slips straight to the remembered printer, all off the window's thread: the orders
        are loaded, the slips rendered and printed, and their printed mark recorded, by the
        print worker. Returns the number of slips handed over."""
        assert self._account_id is not None and self.background is not None
        account_id = self._account_id
        cache = self._cache
        paper = remembered.paper
        numbers = order_numbers(cache, account_id, ids)
        if len(ids) == 1:
            title = self.tr("{what} #{number}").format(
                what=kind_label(DocumentKind.SLIP), number=numbers.get(ids[0], ids[0])
            )
        else:
            title = ngettext(
                "Packing slips — {count} order", "Packing slips — {count} orders", len(ids)
            ).format(count=len(ids))
        unknown_text = self.tr(
            "These orders are not in the local copy: {orders}. Sync and try again."
        )

        request = RenderRequest(
            cache_path=cache.path,
            account_id=account_id,
            order_ids=tuple(ids),
            kind=DocumentKind.SLIP,
            paper=paper,
            locale=QLocale().name(),
            language=i18n.language(),
        )
        renderer = self.renderer

        def render(cancel: threading.Event) -> list[bytes]:
            try:
                return [renderer.render(request, cancel)]
            except docs.UnknownOrders as unknown:
                raise ValueError(unknown_text.format(orders=str(unknown))) from None

        self.background.start(
            render,
            self.make_printer(remembered, paper),
            paper,
            title,
            lambda _pages: self.printed.emit(ids, DocumentKind.SLIP.value),
            after=lambda _pages: record_printed(cache, account_id, ids, DocumentKind.SLIP),
        )
        return len(ids)

    def _load(self, ids: list[int], kind: DocumentKind) -> list[docs.DocumentOrder] | None:
        """The orders' documents from the cache. Store invoices come with the numbers they
        were issued (or the marketplace's); none is issued here — that happens when they are
        printed or saved (:meth:`_preview_of`)."""
        assert self._account_id is not None
        with self._cache.session() as session:
            settings = docs.load_settings(session, self._account_id).with_locale(QLocale().name())
        try:
            return docs.load_document_orders(
                self._cache,
                self._account_id,
                ids,
                invoice_settings=settings if kind is DocumentKind.INVOICE else None,
            )
        except docs.UnknownOrders as unknown:
            self._warn(
                self.tr("Orders not on this computer"),
                self.tr(
                    "These orders are not in the local copy: {orders}. Sync and try again."
                ).format(orders=str(unknown)),
            )
            return None

    def _title(self, kind: DocumentKind, loaded: Sequence[docs.DocumentOrder]) -> str:
        if len(loaded) == 1:
            return self.tr("{what} #{number}").format(
                what=kind_label(kind), number=loaded[0].order.number
            )
        return ngettext("{what} — {count} order", "{what} — {count} orders", len(loaded)).format(
            what=kind_label(kind), count=len(loaded)
        )

    def _preview_of(
        self,
        kind: DocumentKind,
        loaded: Sequence[docs.DocumentOrder],
        paper: Paper,
        title: str,
        *,
        pick_list: bool = False,
    ) -> PrintPreviewDialog:
        assert self._account_id is not None
        account_id = self._account_id
        with self._cache.session() as session:
            settings = docs.load_settings(session, account_id).with_locale(QLocale().name())
        orders = list(loaded)

        def rerender(chosen: Paper) -> list[bytes]:
            if pick_list and kind is DocumentKind.SLIP:
                # one PDF: the pick list's pages, then the slips (one job, one saved file)
                return [docs.render_packing_slips(orders, settings, chosen, pick_list=True)]
            # invoices not issued yet show a placeholder and a PREVIEW mark until printed
            return [docs.render(kind, orders, settings, chosen, preview=True)]

        def issue(chosen: Paper) -> list[bytes]:
            """Store invoices are issued as they are printed or saved: numbers and dates."""
            orders[:] = docs.issue_store_invoices(
                self._cache, account_id, orders, settings, now=self.clock()
            )
            return rerender(chosen)

        preview = PrintPreviewDialog(
            rerender(paper),
            kind,
            title,
            self._settings,
            self._window,
            rerender=rerender,
            paper=paper,
            issue=issue if kind is DocumentKind.INVOICE else None,
        )
        preview.run_dialog = self.run_dialog
        preview.background = self.background
        ids = [doc.order.id for doc in orders]
        if kind in RECORDED_KINDS:
            preview.printed.connect(lambda _pages: self._record(ids, kind))
        self.prepare_preview(preview)
        self.last_preview = preview
        return preview

    def _record(self, ids: list[int], kind: DocumentKind) -> None:
        assert self._account_id is not None
        record_printed(self._cache, self._account_id, ids, kind)
        self.printed.emit(ids, kind.value)

    def _confirm_reprint(self, ids: list[int]) -> list[int]:
        """The slips to print: all, only those never printed, or none (cancelled) — asked
        when some were printed before."""
        assert self._account_id is not None
        before = printed_orders(self._cache, self._account_id, ids, DocumentKind.SLIP)
        if not before:
            return ids
        numbers = order_numbers(self._cache, self._account_id, before)
        lines = [
            self.tr("#{number} — printed {when}").format(
                number=numbers.get(order_id, order_id), when=format_datetime(when)
            )
            for order_id, when in list(before.items())[:_LISTED]
        ]
        if len(before) > _LISTED:
            more = len(before) - _LISTED
            lines.append(
                ngettext("… and {count} more", "… and {count} more", more).format(count=more)
            )
        fresh = [order_id for order_id in ids if order_id not in before]
        box = QMessageBox(self._window)
        box.setObjectName("reprintQuestion")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Print slips again?"))
        box.setText(
            ngettext(
                "The slip of {count} order was printed before:",
                "The slips of {count} orders were printed before:",
                len(before),
            ).format(count=len(before))
        )
        box.setInformativeText("\n".join(lines))
        box.setTextFormat(Qt.TextFormat.PlainText)
        again = box.addButton(self.tr("Print Again"), QMessageBox.ButtonRole.AcceptRole)
        only_new = None
        if fresh:
            only_new = box.addButton(
                ngettext(
                    "Only the {count} Not Printed", "Only the {count} Not Printed", len(fresh)
                ).format(count=len(fresh)),
                QMessageBox.ButtonRole.AcceptRole,
            )
            box.setDefaultButton(only_new)
        box.addButton(QMessageBox.StandardButton.Cancel)
        self.run_dialog(box)
        clicked = box.clickedButton()
        if clicked is again:
            return ids
        if only_new is not None and clicked is only_new:
            return fresh
        return []

    def _warn(self, title: str, text: str) -> None:
        box = QMessageBox(self._window)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(title)
        box.setText(text)
        box.addButton(QMessageBox.StandardButton.Close)
        self.run_dialog(box)
