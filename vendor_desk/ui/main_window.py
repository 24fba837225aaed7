"""The main window: status filters, the order table, the detail pane, sync and notifications.

Reading happens on the UI thread straight from the SQLite cache (short read sessions; the table
model reads one page of rows at a time). Everything that talks to the marketplace runs on the
account's :class:`~vendor_desk.ui.workers.AccountWorker`.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QByteArray,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSettings,
    QSize,
    Qt,
    QTimer,
    QUrl,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QAction,
    QColor,
    QDesktopServices,
    QFont,
    QKeySequence,
    QPainter,
    QPalette,
    QShortcut,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from vendor_desk.cache.queries import checked_since, get_account, order_detail
from vendor_desk.documents.marketplace_copies import has_store_invoice, save_store_invoice
from vendor_desk.documents.sources import fill_from_store, load_settings, save_settings
from vendor_desk.domain import AuthMethod
from vendor_desk.i18n import ngettext
from vendor_desk.sync.account_session import AccountSession, AccountSyncResult
from vendor_desk.sync.outbox import Outbox, SendReport
from vendor_desk.sync.shipping import fallback_for, use_fallback
from vendor_desk.ui import labels
from vendor_desk.ui.activity_panel import ActivityPanel
from vendor_desk.ui.detail_pane import OrderDetailPane
from vendor_desk.ui.document_settings_dialog import DocumentSettingsDialog
from vendor_desk.ui.earnings_view import EarningsPage
from vendor_desk.ui.fitting import ColumnFitter, ElidedLabel, ToolbarFitter
from vendor_desk.ui.formatting import format_count, format_datetime, format_time
from vendor_desk.ui.icons import app_icon
from vendor_desk.ui.message_dialog import MessageDialog
from vendor_desk.ui.notification_board import NotificationBoard
from vendor_desk.ui.notifier import DesktopNotifier, flag
from vendor_desk.ui.order_actions import OrderActions
from vendor_desk.ui.order_delegate import OrderRowDelegate, fitted_column_widths
from vendor_desk.ui.order_model import (
    COL_CUSTOMER,
    COL_DATE,
    COL_EARNING,
    COL_ITEMS,
    COL_NUMBER,
    COL_PAYMENT,
    COL_SHIPPING,
    COL_STATUS,
    COL_TOTAL,
    COUNT_ROLE,
    GROUP_ROLE,
    OrderTableModel,
    StatusFilterModel,
)
from vendor_desk.ui.pack_mode import PackMode
from vendor_desk.ui.preferences_dialog import PreferencesDialog
from vendor_desk.ui.print_background import BackgroundPrinter, PrintOutcome, PrintProgress
from vendor_desk.ui.print_jobs import PrintJobs
from vendor_desk.ui.refunds_view import RefundsView
from vendor_desk.ui.workers import AccountWorker, JobError

if TYPE_CHECKING:
    from vendor_desk.marketplace import WcfmMarketplace

log = logging.getLogger("vendor_desk.ui")

SYNC_JOB = "sync"
SEND_JOB = "send"
STORE_INVOICE_JOB = "store-invoice"
DEFAULT_SYNC_INTERVAL_MS = 2 * 60 * 1000
SEARCH_DEBOUNCE_MS = 200
#: Enter in the search box looks for the order with the typed number among this many matches.
SEARCH_NUMBER_ROWS = 500
#: When another process is sending for the account, the window tries again after this long.
BUSY_RETRY_MS = 5000
#: After this long, the child process slips are rendered in is started when the vendor prints
#: them straight to a printer (the first slip then does not wait for it to start).
RENDERER_WARM_UP_MS = 5000
#: The fixed widths of the Payment and Status columns before they were measured (issue 12): a
#: saved layout still holding them gets the measured widths.
_FIXED_WIDTHS_BEFORE = {COL_PAYMENT: 100, COL_STATUS: 118}
#: The order list's columns, the most important first: those that do not fit give way, from
#: the end. What to pack (Items) before when it was ordered (the list's order says it).
COLUMN_PRIORITY = (
    COL_STATUS,
    COL_NUMBER,
    COL_CUSTOMER,
    COL_ITEMS,
    COL_DATE,
    COL_EARNING,
    COL_TOTAL,
    COL_PAYMENT,
    COL_SHIPPING,
)
#: The size a window without saved geometry opens at, when the screen has room for it.
DEFAULT_WINDOW_SIZE = QSize(1500, 860)
#: Narrower than this, the detail pane sits below the order list instead of beside it (beside
#: it, the list would keep little more than its Status, Order and Customer columns).
DETAIL_BELOW_WIDTH = 1200
#: The list's share of the width beside the detail pane (the pane 440 px wide in a 1366 px
#: window: the items' names readable), and of the height above it.
LIST_SHARE_BESIDE = 0.6
LIST_SHARE_ABOVE = 0.45


@dataclass(frozen=True)
class AccountConnection:
    """Everything needed to talk to one account's marketplace (plain data, thread-safe).

    ``password`` is read from the secret store by the caller and lives only in memory.
    """

    account_id: int
    base_url: str
    login: str
    password: str
    auth_method: str | None = None  # AuthMethod value; None = let the client choose
    store_name: str = ""

    def open_marketplace(self) -> WcfmMarketplace:
        from vendor_desk.marketplace import WcfmMarketplace

        auth = AuthMethod(self.auth_method) if self.auth_method == "app-password" else None
        return WcfmMarketplace(self.base_url, self.login, self.password, auth=auth)


class FilterDelegate(QStyledItemDelegate):
    """Draws each status filter with its count as a right-aligned pill."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        count = index.data(COUNT_ROLE)
        super().paint(painter, option, index)
        if count is None:
            return
        text = format_count(int(count))
        painter.save()
        font = QFont(option.font)
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.9))
        font.setBold(index.data(GROUP_ROLE) == "to_ship" and count > 0)
        painter.setFont(font)
        metrics = painter.fontMetrics()
        rect: QRect = option.rect
        width = metrics.horizontalAdvance(text) + 14
        height = metrics.height() + 2
        view = self.parent()
        right = rect.right()
        if isinstance(view, QListView):  # list items are as wide as their text, not the view
            right = view.viewport().width() - 1
        pill = QRect(right - width - 14, rect.center().y() - height // 2, width, height)
        highlight = index.data(GROUP_ROLE) == "to_ship" and count > 0
        palette: QPalette = option.palette
        background = QColor("#2f9e44") if highlight else palette.color(QPalette.ColorRole.Mid)
        if not highlight:
            background.setAlpha(70)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(background)
        painter.drawRoundedRect(pill, height / 2, height / 2)
        painter.setPen(QColor("white") if highlight else palette.color(QPalette.ColorRole.Text))
        painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width(), max(size.height(), 30))


class MainWindow(QMainWindow):
    """Vendor Desk's main window for one marketplace account.

    Args:
        cache: the open cache.
        connection: the account to show and sync (None: an empty window).
        settings: where geometry, columns, sort and filter persist.
        sync_interval_ms: automatic sync period (0 disables the timer).
        auto_sync: start a sync as soon as the window is shown.
        reauthenticate: called when the marketplace refuses the password; returns a new
            connection (or None when the vendor cancelled).
    """

    sync_succeeded = Signal(object)
    #: The refund-request list may have changed (the Refunds view re-reads it).
    refunds_changed = Signal()
    sync_failed = Signal(object)

    def __init__(
        self,
        cache: Any,
        connection: AccountConnection | None,
        settings: QSettings,
        *,
        sync_interval_ms: int = DEFAULT_SYNC_INTERVAL_MS,
        auto_sync: bool = True,
        reauthenticate: Callable[[], AccountConnection | None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._cache = cache
        self._connection = connection
        self._settings = settings
        self._reauthenticate = reauthenticate
        self.unread = 0
        self.last_sync: datetime | None = None
        #: Where the last downloaded marketplace store invoice was saved.
        self.last_store_invoice: Path | None = None
        #: Opens a saved file with the system's viewer (tests replace it).
        self.open_file: Callable[[Path], object] = lambda path: QDesktopServices.openUrl(
            QUrl.fromLocalFile(str(path))
        )
        self.offline = False
        #: The Pack view and scans anywhere in the window (with an account open; built below).
        self.pack: PackMode | None = None
        #: The default size the window opened at (no saved geometry), to shrink by its frame
        #: once shown if it still has it.
        self._fit_frame_to_screen: QSize | None = None
        #: Whether the list shows a search's matches (from every order: "All orders").
        self._searching = False
        #: The filter shown before the search, shown again when it is cleared (None when the
        #: vendor picked a filter while searching: it stays).
        self._filter_before_search: str | None = None
        self._filter_set_by_search = False
        self._session: AccountSession | None = None
        self._worker = AccountWorker(f"account-{connection.account_id if connection else 0}", self)
        self._worker.started.connect(self._job_started)
        self._worker.progress.connect(self._job_progress)
        self._worker.finished.connect(self._job_finished)
        self._worker.failed.connect(self._job_failed)

        self.setWindowIcon(app_icon())
        self.notifier = DesktopNotifier(settings, self)
        self.notifier.tray_activated.connect(self._bring_to_front)
        self.notifier.clicked.connect(self._notification_clicked)
        account_id = connection.account_id if connection else None
        self.order_actions = OrderActions(self, cache, account_id, self.selected_order_ids)
        self.order_actions.queued.connect(self._changes_queued)
        self.print_jobs = PrintJobs(self, cache, account_id, self.selected_order_ids, settings)
        self.print_jobs.printed.connect(lambda _ids, _kind: self.reload())
        # print jobs run off the window's thread; their progress and Cancel in the status bar
        self.background_printer = BackgroundPrinter(self)
        self.background_printer.finished.connect(self._print_finished)
        self.print_jobs.background = self.background_printer
        self._build_actions()
        self._build_ui()
        self._build_panels()
        if account_id is not None:
            self.pack = PackMode(self, account_id)
            self.toolbar.insertAction(self.order_actions.ship_action, self.pack.action)
        self._update_title()
        self._restore_settings()
        self._refresh_counts()
        self._show_checked()

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DEBOUNCE_MS)
        self._search_timer.timeout.connect(self._apply_search)

        self._sync_interval_ms = sync_interval_ms
        self._sync_timer = QTimer(self)
        self._sync_timer.timeout.connect(self.start_sync)
        if sync_interval_ms > 0 and connection is not None:
            self._sync_timer.start(sync_interval_ms)
        if auto_sync and connection is not None:
            QTimer.singleShot(0, self.start_sync)
        QTimer.singleShot(RENDERER_WARM_UP_MS, self.print_jobs.prepare)

    # ================================================================= building
    def _build_actions(self) -> None:
        self.sync_action = QAction(
            self.style().standardIcon(QStyle.StandardPixmap.SP_BrowserReload), self.tr("Sync"), self
        )
        self.sync_action.setShortcut(QKeySequence(Qt.Key.Key_F5))
        self.sync_action.setToolTip(self.tr("Fetch new and changed orders now (F5)"))
        self.sync_action.triggered.connect(self.start_sync)
        self.addAction(self.sync_action)
        self.check_all_action = QAction(self.tr("Check Everything Now"), self)
        self.check_all_action.setToolTip(
            self.tr(
                "Read every order on the marketplace again now (Vendor Desk does it anyway, a "
                "few pages at each sync, within the hour)"
            )
        )
        self.check_all_action.triggered.connect(self.check_everything)
        self.find_action = QAction(self.tr("Search"), self)
        self.find_action.setShortcut(QKeySequence.StandardKey.Find)
        self.find_action.triggered.connect(self.focus_search)
        self.addAction(self.find_action)

    def _build_ui(self) -> None:
        toolbar = QToolBar(self.tr("Main"))
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.setIconSize(QSize(18, 18))
        toolbar.addAction(self.sync_action)
        toolbar.addSeparator()
        toolbar.addAction(self.order_actions.ship_action)
        toolbar.addAction(self.order_actions.complete_action)
        toolbar.addAction(self.order_actions.note_action)
        toolbar.addAction(self.order_actions.refund_action)
        toolbar.addSeparator()
        toolbar.addAction(self.print_jobs.slip_action)
        self.toolbar = toolbar
        spacer = QWidget()
        spacer.setSizePolicy(
            spacer.sizePolicy().horizontalPolicy().Expanding, spacer.sizePolicy().verticalPolicy()
        )
        #: The panels' buttons go before it (_build_panels); the account's name after it.
        self._toolbar_spacer = toolbar.addWidget(spacer)
        # The account's name takes the room left, elided: it never pushes actions into the
        # toolbar's "»" overflow, and the fitter shows icons alone when text does not fit.
        self.account_label = ElidedLabel()
        self.account_label.setObjectName("accountLabel")
        self.account_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        toolbar.addWidget(self.account_label)
        self.addToolBar(toolbar)
        self.toolbar_fitter = ToolbarFitter(toolbar)

        # The search box sits above the list, not in the toolbar: a narrow window moves toolbar
        # buttons into the "»" overflow, and a hidden search box would swallow what Ctrl+F and
        # a barcode scanner type.
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("searchEdit")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setPlaceholderText(
            self.tr("Search number, customer, e-mail, SKU, product  (Ctrl+F)")
        )
        self.search_edit.textChanged.connect(self._search_changed)
        self.search_edit.installEventFilter(self)
        search_bar = QWidget()
        search_bar.setObjectName("searchBar")
        search_layout = QHBoxLayout(search_bar)
        search_layout.setContentsMargins(6, 6, 6, 6)
        search_layout.addWidget(self.search_edit)

        # offline / sign-in banner
        self.banner = QFrame()
        self.banner.setObjectName("offlineBanner")
        banner_layout = QHBoxLayout(self.banner)
        banner_layout.setContentsMargins(14, 8, 14, 8)
        self.banner_label = QLabel()
        self.banner_label.setTextFormat(Qt.TextFormat.PlainText)
        self.banner_label.setWordWrap(True)
        banner_layout.addWidget(self.banner_label, 1)
        self.banner_button = QPushButton(self.tr("Try again"))
        self.banner_button.clicked.connect(self._banner_clicked)
        banner_layout.addWidget(self.banner_button)
        self.banner.setVisible(False)

        # side bar: status filters
        self.filter_model = StatusFilterModel(self)
        self.filter_view = QListView()
        self.filter_view.setObjectName("filterList")
        self.filter_view.setModel(self.filter_model)
        self.filter_view.setItemDelegate(FilterDelegate(self.filter_view))
        self.filter_view.setIconSize(QSize(16, 16))
        self.filter_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.filter_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.filter_view.selectionModel().currentChanged.connect(self._filter_changed)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.setSpacing(0)
        side_title = QLabel(self.tr("ORDERS"))
        side_title.setObjectName("sideTitle")
        side_layout.addWidget(side_title)
        side_layout.addWidget(self.filter_view)
        # Room for the longest filter with its icon and count (a translation may be longer).
        metrics = self.filter_view.fontMetrics()
        longest = max(
            (
                metrics.horizontalAdvance(str(self.filter_model.index(row).data() or ""))
                for row in range(self.filter_model.rowCount())
            ),
            default=0,
        )
        self._side_width = max(262, longest + 110)
        side.setMinimumWidth(self._side_width)
        side.setObjectName("sideBar")

        # order table
        self.model = OrderTableModel(
            self._cache, self._connection.account_id if self._connection else None, self
        )
        self.table = QTableView()
        self.table.setObjectName("orderTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._table_menu)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setIconSize(QSize(16, 16))
        # Paints the cells from the model's row tables (a keystroke repaints the whole list).
        self.table.setItemDelegate(OrderRowDelegate(self.model, self.table))
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(28)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        header.setSectionsMovable(True)
        # Columns of short, known values fit them (measured in the font: issue 12's
        # "Processin…", "Cash on deliv…"); free text (names, items) is elided as it must.
        self._fitted_widths = fitted_column_widths(self.table, header)
        widths = {COL_CUSTOMER: 150, COL_ITEMS: 170, COL_SHIPPING: 130, **self._fitted_widths}
        for column, width in widths.items():
            header.resizeSection(column, width)
        # Columns that do not fit the list's width give way by priority (no sideways scrolling:
        # the Status column sat out of sight at the end).
        self.column_fitter = ColumnFitter(self.table, COLUMN_PRIORITY, widths)
        header.setSortIndicator(COL_DATE, Qt.SortOrder.DescendingOrder)
        self.table.setSortingEnabled(True)
        self.table.selectionModel().currentRowChanged.connect(self._current_row_changed)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.activated.connect(self._row_activated)
        self._default_header_state = header.saveState()

        self.empty_label = QLabel()
        self.empty_label.setObjectName("placeholder")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setVisible(False)
        center = QWidget()
        center_layout = QVBoxLayout(center)
        center_layout.setContentsMargins(0, 0, 0, 0)
        center_layout.setSpacing(0)
        center_layout.addWidget(search_bar)
        center_layout.addWidget(self.table)
        center_layout.addWidget(self.empty_label)

        self.detail = OrderDetailPane()
        self.detail.ship_requested.connect(lambda order_id: self.order_actions.ship(order_id))
        self.detail.complete_requested.connect(
            lambda order_id: self.order_actions.complete(order_id)
        )
        self.detail.note_requested.connect(lambda order_id: self.order_actions.note(order_id))
        self.detail.refund_requested.connect(lambda order_id: self.order_actions.refund(order_id))
        self.detail.message_admin_requested.connect(
            lambda order_id, problem: self.order_actions.message_admin(order_id, problem)
        )

        # The list and the detail pane: side by side, or the pane below the list in a narrow
        # window (_fit_layout).
        self.content_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.content_splitter.setObjectName("contentSplitter")
        self.content_splitter.addWidget(center)
        self.content_splitter.addWidget(self.detail)
        self.content_splitter.setStretchFactor(0, 3)
        self.content_splitter.setStretchFactor(1, 2)
        self.content_splitter.setSizes([900, 600])
        self.content_splitter.setChildrenCollapsible(False)
        #: The list's and pane's sizes side by side, kept while the pane is below the list.
        self._beside_sizes: list[int] = []

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(side)
        self.splitter.addWidget(self.content_splitter)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([self._side_width, 1440])
        self.splitter.setChildrenCollapsible(False)

        central = QWidget()
        central_layout = QVBoxLayout(central)
        central_layout.setContentsMargins(0, 0, 0, 0)
        central_layout.setSpacing(0)
        central_layout.addWidget(self.banner)
        central_layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

        # status bar
        status = self.statusBar()
        self.sync_label = QLabel(self.tr("Not synced yet"))
        self.sync_label.setTextFormat(Qt.TextFormat.PlainText)
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(180)
        self.progress.setMaximumHeight(14)
        self.progress.setTextVisible(False)
        self.progress.setVisible(False)
        self.last_sync_label = QLabel()
        self.checked_label = QLabel()
        self.checked_label.setObjectName("checkedLabel")
        self.unread_button = QToolButton()
        self.unread_button.setObjectName("unreadButton")
        self.unread_button.setVisible(False)
        self.unread_button.setToolTip(self.tr("New orders since you last looked — click to clear"))
        self.unread_button.clicked.connect(self.clear_unread)
        status.addWidget(self.sync_label)
        status.addWidget(self.progress)
        # permanent: stays in view while the status bar shows a message
        self.print_progress = PrintProgress(self.background_printer)
        status.addPermanentWidget(self.print_progress)
        status.addPermanentWidget(self.unread_button)
        status.addPermanentWidget(self.checked_label)
        status.addPermanentWidget(self.last_sync_label)

        QShortcut(
            QKeySequence(Qt.Key.Key_Escape),
            self.search_edit,
            self.clear_search,
            context=Qt.ShortcutContext.WidgetShortcut,
        )

    def _build_panels(self) -> None:
        """The Activity panel and the notification board (docks, hidden until asked for), and
        the menus."""
        account_id = self._connection.account_id if self._connection else None
        outbox = (
            Outbox(self._cache, account_id, recover_sending=False)
            if account_id is not None
            else None
        )
        self.activity = ActivityPanel(outbox)
        self.activity.order_requested.connect(self.open_order)
        self.activity.entries_changed.connect(self._activity_changed)
        self.activity.attention_count_changed.connect(self._update_panel_counts)
        self.activity_dock = self._dock(self.activity, self.tr("Activity"), "activityDock")
        self.activity_action = self.activity_dock.toggleViewAction()
        self.activity_action.setShortcut(QKeySequence("Ctrl+Shift+A"))

        self.board = NotificationBoard(self._cache, account_id)
        self.board.order_requested.connect(self.open_order)
        self.board.unread_count_changed.connect(self._update_panel_counts)
        self.board.message_admin_requested.connect(lambda: self.order_actions.message_admin())
        self.board_dock = self._dock(self.board, self.tr("Notifications"), "notificationsDock")
        self.board_action = self.board_dock.toggleViewAction()
        self.board_action.setShortcut(QKeySequence("Ctrl+Shift+B"))
        self.tabifyDockWidget(self.activity_dock, self.board_dock)

        self.refunds = RefundsView(self._cache, account_id)
        self.refunds.order_requested.connect(self.open_order)
        self.refunds_changed.connect(self.refunds.refresh)
        self.refunds_dock = self._dock(self.refunds, self.tr("Refunds"), "refundsDock")
        self.refunds_action = self.refunds_dock.toggleViewAction()
        self.refunds_action.setText(self.tr("Refunds"))
        self.tabifyDockWidget(self.board_dock, self.refunds_dock)
        #: The Earnings page (View ▸ Earnings; with an account open).
        self.earnings = EarningsPage(self, account_id) if account_id is not None else None

        self.toolbar.insertSeparator(self._toolbar_spacer)
        self.toolbar.insertAction(self._toolbar_spacer, self.board_action)
        self.toolbar.insertAction(self._toolbar_spacer, self.activity_action)
        self.toolbar.insertAction(self._toolbar_spacer, self.refunds_action)
        if self.earnings is not None:
            self.toolbar.insertAction(self._toolbar_spacer, self.earnings.action)

        menu_bar = self.menuBar()
        order_menu = menu_bar.addMenu(self.tr("&Order"))
        order_menu.addActions(self.order_actions.actions)
        print_menu = menu_bar.addMenu(self.tr("&Print"))
        print_menu.addActions(self.print_jobs.actions)
        print_menu.addSeparator()
        self.store_invoice_action = QAction(self.tr("Marketplace's Store Invoice…"), self)
        self.store_invoice_action.setToolTip(
            self.tr("Download and open the store invoice the marketplace issued for this order")
        )
        self.store_invoice_action.triggered.connect(self.open_store_invoice)
        print_menu.addAction(self.store_invoice_action)
        print_menu.addSeparator()
        self.document_settings_action = QAction(self.tr("Document Settings…"), self)
        self.document_settings_action.setEnabled(self._connection is not None)
        self.document_settings_action.triggered.connect(self.edit_document_settings)
        print_menu.addAction(self.document_settings_action)
        view_menu = menu_bar.addMenu(self.tr("&View"))
        view_menu.addAction(self.sync_action)
        view_menu.addAction(self.check_all_action)
        view_menu.addAction(self.find_action)
        view_menu.addSeparator()
        view_menu.addAction(self.board_action)
        view_menu.addAction(self.activity_action)
        view_menu.addAction(self.refunds_action)
        if self.earnings is not None:
            view_menu.addAction(self.earnings.action)
        self.sound_action = QAction(self.tr("Sound for New Orders"), self)
        self.sound_action.setCheckable(True)
        self.sound_action.setChecked(self.notifier.sound)
        self.sound_action.toggled.connect(self.notifier.set_sound)
        view_menu.addSeparator()
        view_menu.addAction(self.sound_action)
        self.preferences_action = QAction(self.tr("Preferences…"), self)
        self.preferences_action.setShortcut(QKeySequence("Ctrl+,"))
        self.preferences_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.preferences_action.triggered.connect(self.edit_preferences)
        view_menu.addSeparator()
        view_menu.addAction(self.preferences_action)
        self.english_reasons_action = QAction(self.tr("Write Refund Reasons in English"), self)
        self.english_reasons_action.setCheckable(True)
        self.english_reasons_action.setToolTip(
            self.tr("For marketplaces that ask vendors to write refund reasons in English")
        )
        self.english_reasons_action.setChecked(
            flag(self._settings.value(self._english_key(), False))
        )
        self.english_reasons_action.toggled.connect(self._set_english_reasons)
        self.order_actions.english_refund_reasons = self.english_reasons_action.isChecked()
        order_menu.addSeparator()
        order_menu.addAction(self.english_reasons_action)
        self._update_panel_counts()
        self._selection_changed()

    def _english_key(self) -> str:
        account = self._connection.account_id if self._connection else 0
        return f"accounts/{account}/refund_reasons_in_english"

    @Slot(bool)
    def _set_english_reasons(self, on: bool) -> None:
        self._settings.setValue(self._english_key(), on)
        self.order_actions.english_refund_reasons = on

    def _dock(self, widget: QWidget, title: str, name: str) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setAllowedAreas(
            Qt.DockWidgetArea.BottomDockWidgetArea | Qt.DockWidgetArea.RightDockWidgetArea
        )
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetMovable
        )
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        dock.setVisible(False)
        return dock

    @Slot()
    def _update_panel_counts(self, *_args: Any) -> None:
        unread = self.board.unread_count
        self.board_action.setText(
            self.tr("Notifications ({count})").format(count=format_count(unread))
            if unread
            else self.tr("Notifications")
        )
        attention = self.activity.attention_count
        self.activity_action.setText(
            self.tr("Activity ({count})").format(count=format_count(attention))
            if attention
            else self.tr("Activity")
        )

    def show_panel(self, which: str) -> None:
        """Show and raise the "activity", "notifications" or "refunds" panel."""
        dock = {"activity": self.activity_dock, "refunds": self.refunds_dock}.get(
            which, self.board_dock
        )
        dock.setVisible(True)
        dock.raise_()

    # ================================================================= settings
    def _restore_settings(self) -> None:
        geometry = self._settings.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            # At most the screen's free area (a laptop's 1366×768 or 1024×700 screen included).
            screen = self.screen()
            available = screen.availableGeometry() if screen is not None else None
            size = DEFAULT_WINDOW_SIZE
            if available is not None and not available.isEmpty():
                size = size.boundedTo(available.size())
                self._fit_frame_to_screen = size
                self.setGeometry(
                    QStyle.alignedRect(
                        Qt.LayoutDirection.LeftToRight,
                        Qt.AlignmentFlag.AlignCenter,
                        size,
                        available,
                    )
                )
            self.resize(size)
        state = self._settings.value("window/state")
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)
        splitter = self._settings.value("window/splitter")
        if isinstance(splitter, QByteArray) and not splitter.isEmpty():
            self.splitter.restoreState(splitter)
        content = self._settings.value("window/contentSplitter")
        if isinstance(content, QByteArray) and not content.isEmpty():
            self.content_splitter.restoreState(content)
        header_state = self._settings.value("orders/header")
        header = self.table.horizontalHeader()
        if isinstance(header_state, QByteArray) and not header_state.isEmpty():
            if not header.restoreState(header_state):
                header.restoreState(self._default_header_state)
            for column, old_default in _FIXED_WIDTHS_BEFORE.items():
                if header.sectionSize(column) == old_default:  # never resized by the vendor
                    header.resizeSection(column, self._fitted_widths[column])
            self.column_fitter.take_widths()
            self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        group = str(self._settings.value("orders/group", "to_ship"))
        try:
            row = self.filter_model.row_of(group)
        except ValueError:
            row = self.filter_model.row_of("all")
        self.filter_view.setCurrentIndex(self.filter_model.index(row))

    def save_settings(self) -> None:
        self._settings.setValue("window/geometry", self.saveGeometry())
        self._settings.setValue("window/state", self.saveState())
        self._settings.setValue("window/splitter", self.splitter.saveState())
        self._settings.setValue("window/contentSplitter", self.content_splitter.saveState())
        self._settings.setValue("orders/header", self.table.horizontalHeader().saveState())
        self._settings.setValue(
            "orders/group", self._filter_before_search or self.model.query.group
        )
        self._settings.sync()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        screen = self.screen()
        opened_at, self._fit_frame_to_screen = self._fit_frame_to_screen, None
        if opened_at == self.size() and screen is not None:
            # The frame (title bar, borders) is known once shown: the whole window fits too.
            available = screen.availableGeometry()
            frame = self.frameGeometry()
            extra = frame.size() - available.size()
            if extra.width() > 0 or extra.height() > 0:
                self.resize(
                    self.width() - max(0, extra.width()), self.height() - max(0, extra.height())
                )
                self.move(available.topLeft())

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self._fit_layout()

    def _fit_layout(self) -> None:
        """The detail pane beside the list, or below it when the window is narrower than
        DETAIL_BELOW_WIDTH (then the list keeps its most useful columns and the pane its width;
        the vendor's split beside comes back with the width)."""
        splitter = self.content_splitter
        below = self.width() < DETAIL_BELOW_WIDTH
        wanted = Qt.Orientation.Vertical if below else Qt.Orientation.Horizontal
        if splitter.orientation() == wanted:
            return
        if below:
            if splitter.isVisible() and sum(splitter.sizes()) > 0:
                self._beside_sizes = splitter.sizes()
            splitter.setOrientation(wanted)
            list_height = round(splitter.height() * LIST_SHARE_ABOVE)
            splitter.setSizes([list_height, splitter.height() - list_height])
        else:
            splitter.setOrientation(wanted)
            list_width = round(splitter.width() * LIST_SHARE_BESIDE)
            splitter.setSizes(self._beside_sizes or [list_width, splitter.width() - list_width])

    def closeEvent(self, event: Any) -> None:
        self.save_settings()
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Stop timers and the worker (idempotent)."""
        self._sync_timer.stop()
        self._worker.shutdown(timeout=5)
        self.background_printer.shutdown(timeout=5)
        if self._session is not None:
            self._session.close()
        self.notifier.hide()

    # ================================================================= filters/search
    @Slot(QModelIndex, QModelIndex)
    def _filter_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        if not self._filter_set_by_search:
            self._filter_before_search = None  # picked by the vendor: it stays
        self.model.set_group(self.filter_model.group_at(current.row()))
        self._after_model_reset()

    def _show_filter(self, group: str) -> None:
        self._filter_set_by_search = True
        try:
            self.filter_view.setCurrentIndex(
                self.filter_model.index(self.filter_model.row_of(group))
            )
        finally:
            self._filter_set_by_search = False

    @Slot(str)
    def _search_changed(self, _text: str) -> None:
        self.model.prepare_search()
        self._search_timer.start()

    @Slot()
    def _apply_search(self) -> None:
        """Search every order: the list shows "All orders" while there is a search (the side
        bar's counts say which filters hold the matches; picking one narrows them), and the
        filter shown before comes back when the search is cleared. A vendor looking for an
        order by its number or customer does not know, or care, which filter it is in."""
        text = self.search_edit.text()
        searching = bool(text.strip())
        self.model.set_search(text)
        if searching and not self._searching:
            self._searching = True
            self._filter_before_search = self.model.query.group
            self._show_filter("all")
        elif not searching and self._searching:
            self._searching = False
            back, self._filter_before_search = self._filter_before_search, None
            if back is not None:
                self._show_filter(back)
        self._refresh_counts()
        self._after_model_reset()

    def _search_entered(self) -> None:
        """Enter (or Down) in the search box: the order searched for is selected and shown,
        and the keyboard goes to the list, where the shortcuts act on it at once."""
        self._search_timer.stop()
        self._apply_search()
        row = self._search_match_row()
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        if row is not None:
            self.select_row(row)
            self.table.scrollTo(self.model.index(row, 0))

    def _search_match_row(self) -> int | None:
        """The order with the number typed (with or without "#"), else the first match; with
        no search, the order selected (the first one when none is)."""
        count = self.model.rowCount()
        if count == 0:
            return None
        text = self.search_edit.text().strip()
        current = self.table.currentIndex()
        if not text:
            return current.row() if current.isValid() else 0
        number = text.removeprefix("#").strip().casefold()
        for row in range(min(count, SEARCH_NUMBER_ROWS)):
            order_row = self.model.row_at(row)
            if order_row is not None and order_row.number.casefold() == number:
                return row
        return 0

    @Slot()
    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    @Slot()
    def clear_search(self) -> None:
        self.search_edit.clear()
        self._search_timer.stop()
        self._apply_search()

    def eventFilter(self, watched: Any, event: QEvent) -> bool:
        if watched is self.search_edit and event.type() == QEvent.Type.KeyPress:
            key = event.key()  # type: ignore[attr-defined]
            if key == Qt.Key.Key_Escape:
                self.clear_search()
                return True
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._search_entered()
                return True
        return super().eventFilter(watched, event)

    def _refresh_counts(self) -> None:
        if self._connection is None:
            self.filter_model.set_counts({})
            return
        self.filter_model.set_counts(self.model.group_counts())

    def _after_model_reset(self) -> None:
        empty = self.model.rowCount() == 0
        self.empty_label.setVisible(empty)
        self.table.setVisible(not empty)
        if empty:
            if self.model.query.search:
                text = self.tr("No orders match “{text}”.").format(text=self.model.query.search)
            elif self.last_sync is None and self._connection is not None:
                text = self.tr("Fetching your orders from the marketplace…")
            else:
                text = self.tr("No orders here.")
            self.empty_label.setText(text)
            self.detail.clear()
        elif not self.table.currentIndex().isValid():
            self.detail.clear()
        # A new list clears the selection without saying so: the actions follow it now.
        self._selection_changed()

    # ================================================================= selection/detail
    @Slot(QModelIndex, QModelIndex)
    def _current_row_changed(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_selected()

    def _show_selected(self) -> None:
        """The detail pane shows the order the actions apply to: the current one when it is
        selected, else the first selected one (Ctrl+arrows move the list's cursor without
        selecting), else none — never an order shown but not selected."""
        ids = self.selected_order_ids()
        if not ids:
            self.detail.clear()
        elif self.detail.order_id != ids[0]:
            self.show_order(ids[0])

    def show_order(self, order_id: int) -> None:
        if self._connection is None:
            return
        with self._cache.session() as session:
            detail = order_detail(session, self._connection.account_id, order_id)
        if detail is None:
            self.detail.clear()
        else:
            self.detail.show_detail(detail)

    @Slot(QModelIndex)
    def _row_activated(self, index: QModelIndex) -> None:
        order_id = self.model.order_id_at(index.row())
        if order_id is not None:
            self.show_order(order_id)
            self.detail.setFocus()

    def select_row(self, row: int) -> None:
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )

    def selected_order_ids(self) -> list[int]:
        """The orders the actions apply to: the order open in the Pack view while it shows,
        else the selected orders, the current one first."""
        if self.pack is not None and self.pack.active:
            return self.pack.order_ids()
        current = self.table.currentIndex()
        ids: list[int] = []
        if current.isValid() and self.table.selectionModel().isRowSelected(current.row()):
            order_id = self.model.order_id_at(current.row())
            if order_id is not None:
                ids.append(order_id)
        for index in sorted(self.table.selectionModel().selectedRows(), key=lambda i: i.row()):
            order_id = self.model.order_id_at(index.row())
            if order_id is not None and order_id not in ids:
                ids.append(order_id)
        return ids

    @Slot()
    def _selection_changed(self, *_args: Any) -> None:
        self._show_selected()
        self.order_actions.update_enabled()
        self.print_jobs.update_enabled()
        self.store_invoice_action.setEnabled(self._store_invoice_order() is not None)

    def _store_invoice_order(self) -> int | None:
        """The selected order when it is one and carries a marketplace-issued store invoice."""
        ids = self.selected_order_ids()
        if self._connection is None or len(ids) != 1:
            return None
        with self._cache.session() as session:
            detail = order_detail(session, self._connection.account_id, ids[0])
            account = get_account(session, self._connection.account_id)
        if detail is None or account is None:
            return None
        return ids[0] if has_store_invoice(detail.order, account.vendor_id) else None

    @Slot()
    def edit_preferences(self) -> bool:
        """The Preferences dialog (the language); True when saved."""
        dialog = PreferencesDialog(self._settings, self)
        return bool(self.order_actions.run_dialog(dialog))

    def edit_document_settings(self) -> bool:
        """The seller's details and invoice numbering printed on documents (saved per account)."""
        if self._connection is None:
            return False
        account_id = self._connection.account_id
        with self._cache.session() as session:
            current = load_settings(session, account_id)
        dialog = DocumentSettingsDialog(current, self)
        if not self.order_actions.run_dialog(dialog):
            return False
        with self._cache.session(write=True) as session:
            save_settings(session, account_id, dialog.settings())
        return True

    @Slot()
    def open_store_invoice(self) -> bool:
        """Download the marketplace's store invoice of the selected order (on the worker)."""
        order_id = self._store_invoice_order()
        if order_id is None:
            return False
        session = self._account_session()
        return self._worker.submit(
            STORE_INVOICE_JOB, lambda _progress, _cancel: session.store_invoice(order_id)
        )

    @Slot(object)
    def _print_finished(self, outcome: PrintOutcome) -> None:
        """A print job ended: say so in the status bar; a failure also as a notification."""
        if outcome.error:
            title = self.tr("Could not print {title}").format(title=outcome.title)
            self.statusBar().showMessage(f"{title}: {outcome.error}", 15000)
            self.notifier.notify(title, outcome.error, warning=True)
        elif outcome.cancelled:
            self.statusBar().showMessage(
                self.tr("{title}: printing cancelled.").format(title=outcome.title), 8000
            )
        elif outcome.jobs:
            self.statusBar().showMessage(
                ngettext(
                    "{title}: {count} page sent to {queue} (job {job}).",
                    "{title}: {count} pages sent to {queue} (job {job}).",
                    outcome.pages,
                ).format(
                    title=outcome.title,
                    count=outcome.pages,
                    queue=outcome.queue,
                    job=", ".join(outcome.jobs),
                ),
                10000,
            )
        else:
            self.statusBar().showMessage(
                ngettext(
                    "{title}: {count} page printed.",
                    "{title}: {count} pages printed.",
                    outcome.pages,
                ).format(title=outcome.title, count=outcome.pages),
                10000,
            )

    def _store_invoice_downloaded(self, result: tuple[str, bytes | None]) -> None:
        number, pdf = result
        if pdf is None:
            self.statusBar().showMessage(
                self.tr("The marketplace has no store invoice for order #{number}.").format(
                    number=number
                ),
                8000,
            )
            return
        folder = Path(self._cache.path).parent / "store-invoices"
        path = save_store_invoice(pdf, folder, number)
        self.last_store_invoice = path
        self.open_file(path)

    @Slot(object)
    def _table_menu(self, position: Any) -> None:
        self._selection_changed()
        menu = QMenu(self)
        menu.addActions(self.order_actions.actions)
        menu.addSeparator()
        menu.addActions(self.print_jobs.actions)
        menu.popup(self.table.viewport().mapToGlobal(position))

    # ================================================================= for the Pack view
    @property
    def cache(self) -> Any:
        return self._cache

    @property
    def settings(self) -> QSettings:
        return self._settings

    @property
    def worker(self) -> AccountWorker:
        """The account's worker thread (one job at a time, in order)."""
        return self._worker

    def account_session(self) -> AccountSession | None:
        """The marketplace session of the open account (None without an account)."""
        return self._account_session() if self._connection is not None else None

    def apply_search_now(self) -> None:
        """Search for what the search box holds at once (no typing pause to wait for)."""
        self._search_timer.stop()
        self._apply_search()

    def changes_queued(self, entry_ids: list[int]) -> None:
        """Changes were queued in the outbox elsewhere (the Pack view): show and send them."""
        self._changes_queued(entry_ids)

    # ================================================================= outbox
    @Slot(list)
    def _changes_queued(self, entry_ids: list[int]) -> None:
        """The vendor acted: show the change at once, then send it on the worker."""
        self.reload(follow=True)
        self.activity.refresh()
        self.send_now()

    @Slot()
    def _activity_changed(self) -> None:
        self.reload()
        self.send_now()

    def send_now(self) -> bool:
        """Send the queued changes on the account's worker (after those already queued)."""
        if self._connection is None:
            return False
        return self._worker.submit(SEND_JOB, self._account_session().send, unique=False)

    def _after_send(self, report: SendReport) -> None:
        """After a send pass (alone or before a sync): show the marketplace's answers."""
        self.activity.refresh()
        self.board.refresh()
        self.refunds.refresh()
        if report.failed:
            self._report_failures(report.failed)
        if report.decide:
            self.notifier.notify(
                self.tr("A change was not sent"),
                self.tr(
                    "The marketplace changed the order since you looked (another desk or the "
                    "store admin). Decide in Activity: keep theirs, or send yours."
                ),
                warning=True,
            )
            self.show_panel("activity")
            self.activity.select_entry(report.decide[0])
        if report.offline and (report.waiting or report.deferred):
            self.set_offline(True)
            self.sync_label.setText(self.tr("Offline — changes queued"))
        if report.busy is not None and report.waiting:
            # Another process (a command typed in a terminal) is sending for this account:
            # take the next turn shortly rather than at the next sync.
            self.sync_label.setText(
                self.tr("Changes wait for {who} to finish sending").format(
                    who=labels.rule_reason(report.busy.describe())
                )
            )
            QTimer.singleShot(BUSY_RETRY_MS, self.send_now)

    def _report_failures(self, entry_ids: list[int]) -> None:
        assert self._connection is not None
        outbox = Outbox(self._cache, self._connection.account_id, recover_sending=False)
        self.notifier.notify(
            self.tr("The marketplace refused a change"),
            self.tr("See Activity for its message; you can edit and retry, or discard."),
            warning=True,
        )
        self.show_panel("activity")
        self.activity.select_entry(entry_ids[0])
        for entry_id in entry_ids:
            fallback = fallback_for(outbox, entry_id)
            if fallback is not None:
                self._offer_tracking_fallback(outbox, fallback)

    def _offer_tracking_fallback(self, outbox: Outbox, fallback: Any) -> None:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("Tracking not stored on the marketplace"))
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(
            self.tr(
                "This marketplace cannot store tracking numbers (WCFM Ultimate is not "
                "installed), so order #{number} was not marked shipped there."
            ).format(number=fallback.order_number)
        )
        box.setInformativeText(
            self.tr(
                "Vendor Desk can keep tracking {code} on this computer (for your packing slip "
                "and records) and send the store admin a message asking them to add it."
            ).format(code=fallback.code)
        )
        use = box.addButton(
            self.tr("Keep it and message the admin…"), QMessageBox.ButtonRole.AcceptRole
        )
        box.addButton(self.tr("Not now"), QMessageBox.ButtonRole.RejectRole)
        self.order_actions.run_dialog(box)
        if box.clickedButton() is not use:
            return
        dialog = MessageDialog(fallback.order_number, "", self)
        dialog.text_edit.setPlainText(fallback.admin_message)
        if not self.order_actions.run_dialog(dialog):
            return
        use_fallback(outbox, fallback, message=dialog.message())
        self._changes_queued([])

    # ================================================================= sync
    @Slot()
    def start_sync(self) -> bool:
        """Queue a sync on the account's worker (ignored while one is queued or running)."""
        if self._connection is None:
            return False
        return self._worker.submit(SYNC_JOB, self._account_session().sync)

    @Slot()
    def check_everything(self) -> bool:
        """Read every order again now (a full walk) on the account's worker."""
        if self._connection is None:
            return False
        session = self._account_session()
        return self._worker.submit(
            SYNC_JOB, lambda progress, cancel: session.sync(progress, cancel, everything=True)
        )

    def _account_session(self) -> AccountSession:
        assert self._connection is not None
        if self._session is None:
            self._session = AccountSession(
                self._cache,
                self._connection.account_id,
                self._connection.open_marketplace,
                dashboard=self._connection.auth_method != "app-password",
            )
        return self._session

    def _replace_session(self) -> None:
        """Sign in afresh with the current connection (after the vendor typed a new password).
        The old session is closed on the worker thread, after the jobs queued before."""
        old, self._session = self._session, None
        if old is not None:
            self._worker.submit("close-session", lambda _p, _c: old.close(), unique=False)

    def is_syncing(self) -> bool:
        return self._worker.is_busy(SYNC_JOB)

    @Slot(str)
    def _job_started(self, name: str) -> None:
        if name != SYNC_JOB:
            return
        self.sync_action.setEnabled(False)
        self.sync_label.setText(self.tr("Syncing…"))
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)

    @Slot(str, object)
    def _job_progress(self, name: str, data: Any) -> None:
        if name != SYNC_JOB:
            return
        orders = getattr(data, "orders_so_far", None)
        phase = getattr(data, "phase", "")
        if isinstance(orders, int):
            text = (
                ngettext(
                    "First sync… {count} order so far", "First sync… {count} orders so far", orders
                )
                if phase == "first"
                else ngettext(
                    "Syncing… {count} order checked", "Syncing… {count} orders checked", orders
                )
            )
            self.sync_label.setText(text.format(count=format_count(orders)))

    @Slot(str, object)
    def _job_finished(self, name: str, result: Any) -> None:
        if name == STORE_INVOICE_JOB:
            self._store_invoice_downloaded(result)
            return
        if name == SEND_JOB:
            self.reload()
            self._after_send(result)
            return
        if name != SYNC_JOB:
            return
        self.sync_action.setEnabled(True)
        self.progress.setVisible(False)
        self.last_sync = datetime.now(UTC)
        self._postpone_sync(None)
        self.set_offline(False)
        self.sync_label.setText(self.tr("Up to date"))
        self.last_sync_label.setText(
            self.tr("Last sync {time}").format(time=format_time(self.last_sync))
        )
        self._show_checked()
        self.reload()
        if isinstance(result, AccountSyncResult):
            self._after_account_sync(result)
        new_ids = list(getattr(result, "new_order_ids", []) or [])
        first_sync = getattr(result, "kind", "") == "first"
        if new_ids and not first_sync:
            self._notify_new_orders(new_ids)
        self.sync_succeeded.emit(result)

    def _show_checked(self) -> None:
        """ "Everything checked 12 min ago": how long ago the least recently read order on the
        marketplace was read (the sweep keeps it within the hour)."""
        if self._connection is None:
            return
        with self._cache.session() as session:
            since = checked_since(session, self._connection.account_id)
        if since is None:
            self.checked_label.setText("")
            return
        minutes = max(0, int((datetime.now(UTC) - since).total_seconds() // 60))
        if minutes < 1:
            text = self.tr("Everything checked just now")
        elif minutes < 120:
            text = self.tr("Everything checked {minutes} min ago").format(minutes=minutes)
        else:
            text = self.tr("Everything checked {hours} h ago").format(hours=minutes // 60)
        self.checked_label.setText(text)
        self.checked_label.setToolTip(
            self.tr(
                "Every order on the marketplace was read again at or after {time}. Vendor Desk "
                "reads them all within the hour, a few pages at each sync (View → Check "
                "Everything Now reads them at once)."
            ).format(time=format_datetime(since))
        )

    def _after_account_sync(self, result: AccountSyncResult) -> None:
        if result.store is not None and self._connection is not None:
            # Fields of the documents the vendor left empty come from the marketplace.
            with self._cache.session(write=True) as session:
                fill_from_store(session, self._connection.account_id, result.store)
        if result.capabilities is not None:
            self.order_actions.capabilities = result.capabilities
            self.order_actions.update_enabled()
        self._after_send(result.sent)
        board = result.notifications
        if board is not None and not board.first:
            news = [n for n in board.new if n.order_id not in set(board.new_order_ids)]
            for item in news[:3]:  # new orders have their own notification
                self.notifier.notify(
                    self.tr("Marketplace notification"), item.text, order_id=item.order_id
                )
        if result.refunds is not None:
            for decided in result.refunds.decided:
                title = (
                    self.tr("Refund approved for order #{number}")
                    if decided.approved
                    else self.tr("Refund rejected for order #{number}")
                ).format(number=decided.order_id)
                self.notifier.notify(
                    title,
                    self.tr("The store admin decided on your refund request."),
                    order_id=decided.order_id,
                )
            self.refunds_changed.emit()
        self._update_panel_counts()

    @Slot(str, object)
    def _job_failed(self, name: str, error: JobError) -> None:
        if name == STORE_INVOICE_JOB:
            QMessageBox.warning(
                self,
                self.tr("Store invoice"),
                self.tr("The store invoice could not be downloaded: {detail}").format(
                    detail=error.message
                ),
            )
            return
        if name == SEND_JOB:
            self.activity.refresh()
            if error.kind == "unreachable":
                self.set_offline(True, error.message)
            return
        if name != SYNC_JOB:
            return
        self.sync_action.setEnabled(True)
        self.progress.setVisible(False)
        if error.kind == "unreachable":
            self.set_offline(True, error.message)
        elif error.kind == "auth":
            self._show_banner(
                self.tr("The marketplace refused your password. {detail}").format(
                    detail=error.message
                ),
                self.tr("Sign in again…") if self._reauthenticate else self.tr("Try again"),
            )
            self.sync_label.setText(self.tr("Sign-in refused"))
        elif error.kind in ("rate_limited", "unavailable"):
            # The marketplace asked to wait: say so (never "password refused") and keep away
            # until it said.
            if error.kind == "rate_limited":
                text = self.tr(
                    "The marketplace is limiting requests (too many in a short time), so it was "
                    "not synced. Your password and your changes are fine."
                )
                self.sync_label.setText(self.tr("Marketplace busy"))
            else:
                text = self.tr(
                    "The marketplace is temporarily unavailable (maintenance or overload), so it "
                    "was not synced. Your changes wait."
                )
                self.sync_label.setText(self.tr("Marketplace unavailable"))
            when = self._postpone_sync(error.retry_after)
            if when is not None:
                text += " " + self.tr("The app tries again at {time}.").format(
                    time=format_time(when)
                )
            self._show_banner(text, self.tr("Try again"))
        else:
            self._show_banner(
                self.tr("Sync failed: {detail}").format(detail=error.message), self.tr("Try again")
            )
            self.sync_label.setText(self.tr("Sync failed"))
        self.reload()  # a page may have been stored before the failure
        self.sync_failed.emit(error)

    def reload(self, *, follow: bool = False) -> None:
        """Re-read the list, counts and the open order from the cache, keeping the selection.

        ``follow``: when the selected order left the list (the vendor shipped it off "To
        ship"), select the one that took its place (the one above when it was the last), so
        that the next shortcut has an order to act on."""
        current = self.table.currentIndex()
        row = current.row() if current.isValid() else -1
        order_id = self.model.order_id_at(row) if row >= 0 else None
        self.model.refresh()
        self._refresh_counts()
        if order_id is not None:
            new_row = row if self.model.order_id_at(row) == order_id else None
            if new_row is None:
                new_row = self.model.row_of_order(order_id)
            if new_row is None and follow and self.model.rowCount():
                new_row = min(row, self.model.rowCount() - 1)
            shown = self.model.order_id_at(new_row) if new_row is not None else None
            if new_row is not None and shown is not None:
                self.table.selectionModel().blockSignals(True)
                self.select_row(new_row)
                self.table.selectionModel().blockSignals(False)
                self.table.viewport().update()
                self.show_order(shown)  # never an order shown but not selected
        self._after_model_reset()

    # ================================================================= offline / banner
    def set_offline(self, offline: bool, message: str = "") -> None:
        self.offline = offline
        if offline:
            self._show_banner(
                self.tr(
                    "You are offline: the marketplace cannot be reached. Everything below is "
                    "from the local copy and stays usable; the app keeps retrying."
                )
                + (f"\n{message}" if message else ""),
                self.tr("Try again"),
            )
            self.sync_label.setText(self.tr("Offline"))
        else:
            self.banner.setVisible(False)

    def _postpone_sync(self, seconds: float | None) -> datetime | None:
        """The next automatic sync not before ``seconds`` from now (a 429/503's Retry-After;
        None: the usual interval again). Returns when it comes, None without automatic syncs."""
        if not self._sync_timer.isActive():
            return None
        wait_ms = max(self._sync_interval_ms, math.ceil((seconds or 0) * 1000))
        if seconds is not None or self._sync_timer.interval() != wait_ms:
            self._sync_timer.start(wait_ms)
        return datetime.now(UTC) + timedelta(milliseconds=self._sync_timer.remainingTime())

    def _show_banner(self, text: str, button: str) -> None:
        self.banner_label.setText(text)
        self.banner_button.setText(button)
        self.banner.setVisible(True)

    @Slot()
    def _banner_clicked(self) -> None:
        if self.sync_label.text() == self.tr("Sign-in refused") and self._reauthenticate:
            connection = self._reauthenticate()
            if connection is None:
                return
            self._connection = connection
            self._replace_session()
        self.start_sync()

    # ================================================================= notifications
    def _notify_new_orders(self, order_ids: list[int]) -> None:
        self.unread += len(order_ids)
        self._update_unread()
        if len(order_ids) == 1:
            title = self.tr("New order #{number}").format(number=order_ids[0])
        else:
            title = ngettext("{count} new order", "{count} new orders", len(order_ids)).format(
                count=format_count(len(order_ids))
            )
        self.notifier.notify(
            title,
            self.tr("Open Vendor Desk to see what to pack."),
            order_id=order_ids[0] if len(order_ids) == 1 else None,
        )

    @Slot(int)
    def _notification_clicked(self, order_id: int) -> None:
        self._bring_to_front()
        if order_id > 0:
            self.open_order(order_id)

    def _find_row(self, order_id: int, limit: int = 2000) -> int | None:
        """The row of ``order_id`` among the first ``limit`` rows (read page by page)."""
        for row in range(min(self.model.rowCount(), limit)):
            if self.model.order_id_at(row) == order_id:
                return row
        return None

    def open_order(self, order_id: int) -> None:
        """Show ``order_id`` in the list (leaving a filter or search that hides it) and open it."""
        row = self.model.row_of_order(order_id)
        if row is None:
            self.search_edit.blockSignals(True)
            self.search_edit.clear()
            self.search_edit.blockSignals(False)
            self.model.set_search("")
            self._searching = False
            self._filter_before_search = None
            self.filter_view.setCurrentIndex(
                self.filter_model.index(self.filter_model.row_of("all"))
            )
            self._refresh_counts()
            self._after_model_reset()
            row = self._find_row(order_id)
        if row is not None:
            self.select_row(row)
            self.table.scrollTo(self.model.index(row, 0))
        self.show_order(order_id)

    @Slot()
    def clear_unread(self) -> None:
        self.unread = 0
        self._update_unread()

    def _update_unread(self) -> None:
        self.unread_button.setVisible(self.unread > 0)
        self.unread_button.setText(
            ngettext("{count} new", "{count} new", self.unread).format(
                count=format_count(self.unread)
            )
        )
        self._update_title()

    def _update_title(self) -> None:
        name = ""
        if self._connection is not None:
            name = self._connection.store_name or self._connection.login
            self.account_label.setText(
                f"{name} — {self._connection.base_url}" if name else self._connection.base_url
            )
        title = f"{name} — Vendor Desk" if name else "Vendor Desk"
        self.setWindowTitle(f"({self.unread}) {title}" if self.unread else title)

    def _bring_to_front(self) -> None:
        self.showNormal()
        self.raise_()
        self.activateWindow()
