"""The main window's packing mode: the Pack view beside the order list, and scans anywhere.

:class:`PackMode` puts the :class:`~vendor_desk.ui.pack_view.PackView` in the window (the list
and the Pack view share the central area; one shows at a time), adds the "Pack" action (F2, the
toolbar), and listens for barcode scans wherever the focus is in the window
(:class:`~vendor_desk.ui.scanner.ScanDetector`). A scan is resolved by
:func:`vendor_desk.sync.scan.resolve`:

* an order number or a slip's confirm barcode → the order in the Pack view, whatever filter the
  list shows (an order the cache does not hold yet is read from the marketplace first);
* an item or a tracking code → the Pack view's when an order is open there, else searched in
  the list;
* anything else → a message in the status bar and the error sound.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QStackedWidget

from vendor_desk.documents.model import DocumentKind
from vendor_desk.documents.printed import printed_orders
from vendor_desk.sync.scan import ScanKind
from vendor_desk.ui.pack_view import PackView
from vendor_desk.ui.scanner import ScanDetector
from vendor_desk.ui.sounds import PackSounds, Sound
from vendor_desk.ui.workers import JobError

if TYPE_CHECKING:
    from vendor_desk.ui.main_window import MainWindow

FETCH_JOB = "fetch-order"


class PackMode(QObject):
    """The Pack view and the scanner, wired into ``window`` (an account must be open)."""

    def __init__(self, window: MainWindow, account_id: int) -> None:
        super().__init__(window)
        self._window = window
        self._account_id = account_id
        settings = window.settings
        self.sounds = PackSounds(settings, self)
        self.view = PackView(
            window.cache,
            account_id,
            settings,
            sounds=self.sounds,
            capabilities=lambda: window.order_actions.capabilities,
            printed=self._slip_printed,
        )
        self._fetching: int | None = None

        self.stack = QStackedWidget()
        self.stack.setObjectName("centralStack")
        list_area = window.takeCentralWidget()
        assert list_area is not None
        self.stack.addWidget(list_area)
        self.stack.addWidget(self.view)
        window.setCentralWidget(self.stack)

        self.action = QAction(self.tr("Pack"), window)
        self.action.setObjectName("packAction")
        self.action.setShortcut(QKeySequence(Qt.Key.Key_F2))
        self.action.setToolTip(
            self.tr("Pack the selected order: scan its items and the carrier's label (F2)")
        )
        self.action.triggered.connect(lambda: self.show(self._selected()))
        window.addAction(self.action)

        self.view.queued.connect(self._queued)
        self.view.leave_requested.connect(self.leave)
        self.view.fetch_requested.connect(self._fetch)
        self.view.print_slip_requested.connect(
            lambda order_id: window.print_jobs.print_slips([order_id])
        )
        self.view.search_requested.connect(self._search)
        # The Order menu's actions (Ctrl+Shift+N …) apply to the order shown in the Pack view.
        self.view.order_changed.connect(window.order_actions.update_enabled)
        window.worker.finished.connect(self._job_finished)
        window.worker.failed.connect(self._job_failed)

        self.scanner = ScanDetector(window, accept_in=[window.search_edit])
        self.scanner.scanned.connect(self.handle_scan)
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self.scanner)

    # ================================================================= showing
    @property
    def active(self) -> bool:
        return self.stack.currentWidget() is self.view

    def order_ids(self) -> list[int]:
        """The order open in the Pack view ([] when it waits for a scan)."""
        current = self.view.current
        return [current.order.id] if current is not None else []

    def _selected(self) -> int | None:
        ids = self._window.selected_order_ids()
        return ids[0] if len(ids) == 1 else None

    def show(self, order_id: int | None = None) -> None:
        """The Pack view, with ``order_id`` open (or waiting for a scan)."""
        self.stack.setCurrentWidget(self.view)
        self._window.order_actions.update_enabled()
        if order_id is not None:
            self.view.open_order(order_id)
        self.view.focus_scan()

    @Slot()
    def leave(self) -> None:
        """Back to the order list."""
        self.stack.setCurrentIndex(0)
        self._window.table.setFocus(Qt.FocusReason.OtherFocusReason)
        self._window.order_actions.update_enabled()

    # ================================================================= scans
    @Slot(str)
    def handle_scan(self, code: str) -> None:
        """A scan typed anywhere in the window (see the module docs)."""
        if self.active:
            self.view.handle_scan(code)
            return
        result = self.view.resolve(code)
        if result.kind in (ScanKind.ORDER, ScanKind.CONFIRM):
            self.show()
            self.view.handle_result(result)
        elif result.kind in (ScanKind.ITEM, ScanKind.TRACKING):
            self._search(result.code)
        else:
            self.sounds.play(Sound.ERROR)
            self._window.statusBar().showMessage(
                self.tr("Unknown code {code}: not an order, an item or a tracking code.").format(
                    code=result.code
                )
                if result.kind is ScanKind.UNKNOWN
                else self.tr(
                    "{code}: a mis-scan (its check digit is wrong). Scan it again."
                ).format(code=result.code),
                10000,
            )

    def _search(self, code: str) -> None:
        self.leave()
        window = self._window
        window.search_edit.setText(code)
        window.apply_search_now()

    # ================================================================= outbox, marketplace
    @Slot(list)
    def _queued(self, entry_ids: list[int]) -> None:
        self._window.changes_queued(entry_ids)

    def _slip_printed(self, order_id: int) -> bool:
        return bool(
            printed_orders(self._window.cache, self._account_id, [order_id], DocumentKind.SLIP)
        )

    @Slot(int)
    def _fetch(self, order_id: int) -> None:
        """Read an order the cache does not hold yet (a new order's slip was scanned)."""
        session = self._window.account_session()
        if session is None:
            self.view.fetch_failed(order_id, self.tr("no marketplace account"))
            return
        self._fetching = order_id

        def job(_progress: Any, _cancel: threading.Event) -> tuple[int, bool]:
            return order_id, session.fetch_order(order_id) is not None

        self._window.worker.submit(FETCH_JOB, job, unique=False)

    @Slot(str, object)
    def _job_finished(self, name: str, result: Any) -> None:
        if name != FETCH_JOB:
            return
        order_id, found = result
        if found:
            self._window.reload()
        self.view.fetched(order_id, found)

    @Slot(str, object)
    def _job_failed(self, name: str, error: JobError) -> None:
        if name != FETCH_JOB or self._fetching is None:
            return
        order_id, self._fetching = self._fetching, None
        if error.kind == "unreachable":
            self._window.set_offline(True, error.message)
        self.view.fetch_failed(order_id, error.message)


__all__ = ["FETCH_JOB", "PackMode"]
