"""The notification board: the marketplace's notifications and the vendor's messages to the
store admin, unread first.

:class:`NotificationBoard` is a plain widget (the main window puts it in a dock or a dialog). It
reads the board through :func:`vendor_desk.sync.notifications.board_entries` (no SQL here) and
writes only the local read state (:func:`vendor_desk.sync.notifications.mark_read`); the account
worker's :func:`~vendor_desk.sync.notifications.sync_notifications` tells the marketplace.

Text from the marketplace is shown as plain text, never interpreted: tags are stripped and
entities decoded, and it is drawn with ``drawText`` (tooltips get escaped HTML).
"""

from __future__ import annotations

import html
from datetime import UTC, datetime
from functools import cache
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from vendor_desk.cache.db import Cache
from vendor_desk.cache.notifications import NotificationKind
from vendor_desk.i18n import ngettext
from vendor_desk.marketplace.parsing import html_to_text
from vendor_desk.sync import notifications as board_sync
from vendor_desk.sync.notifications import BoardEntry
from vendor_desk.sync.outbox import OutboxState
from vendor_desk.ui import labels
from vendor_desk.ui.formatting import format_count, format_datetime
from vendor_desk.ui.icons import icon

_Index = QModelIndex | QPersistentModelIndex

#: Roles of :class:`NotificationListModel`.
ENTRY_ROLE = int(Qt.ItemDataRole.UserRole) + 1
ORDER_ID_ROLE = int(Qt.ItemDataRole.UserRole) + 2
UNREAD_ROLE = int(Qt.ItemDataRole.UserRole) + 3
KIND_ROLE = int(Qt.ItemDataRole.UserRole) + 4

#: The unread dot and the accent of unread entries.
UNREAD_COLOUR = "#1c7ed6"


def plain_text(text: str) -> str:
    """Text safe to show as is: markup stripped and entities decoded (never interpreted), on
    one line."""
    if "<" in text or "&" in text:
        text = html_to_text(text)
    return " ".join(text.split())


def relative_date(when: datetime, now: datetime | None = None) -> str:
    """ "just now", "5 min ago", "3 h ago", "yesterday", else the locale's short date."""
    now = now or datetime.now(UTC)
    seconds = (now - when).total_seconds()
    translate = QCoreApplication.translate
    if seconds < 60:
        return translate("Notifications", "just now")
    if seconds < 3600:
        return translate("Notifications", "%n min ago", "", int(seconds // 60))
    if seconds < 24 * 3600:
        return translate("Notifications", "%n h ago", "", int(seconds // 3600))
    if seconds < 48 * 3600:
        return translate("Notifications", "yesterday")
    return format_datetime(when).split(" ")[0]


# ----------------------------------------------------------------------------- icons
_KIND_SVG = {
    # Green disc with a white "+" (a new order came in).
    NotificationKind.NEW_ORDER: (
        '<circle cx="8" cy="8" r="7.2" fill="#2f9e44"/>'
        '<path d="M8 4.2v7.6M4.2 8h7.6" stroke="#fff" stroke-width="1.9" stroke-linecap="round"/>'
    ),
    # Teal disc with a white circular arrow (an order's status changed).
    NotificationKind.STATUS_UPDATE: (
        '<circle cx="8" cy="8" r="7.2" fill="#0c8599"/>'
        '<path d="M11.3 6.4A3.6 3.6 0 1 0 11.4 9.6" fill="none" stroke="#fff" '
        'stroke-width="1.6" stroke-linecap="round"/>'
        '<path d="M11.9 3.9v2.9H9z" fill="#fff"/>'
    ),
    # Violet rounded square with a white envelope (a message).
    NotificationKind.MESSAGE: (
        '<rect x="0.8" y="0.8" width="14.4" height="14.4" rx="3.2" fill="#7048e8"/>'
        '<rect x="3.4" y="4.8" width="9.2" height="6.4" rx="0.8" fill="#fff"/>'
        '<path d="M3.8 5.3 8 8.4l4.2-3.1" fill="none" stroke="#7048e8" stroke-width="1.1"/>'
    ),
    # Amber disc with a white exclamation mark (a notice from the marketplace).
    NotificationKind.NOTICE: (
        '<circle cx="8" cy="8" r="7.2" fill="#f08c00"/>'
        '<path d="M8 4.2v4.6" stroke="#fff" stroke-width="1.9" stroke-linecap="round"/>'
        '<circle cx="8" cy="11.4" r="1.1" fill="#fff"/>'
    ),
    # Grey disc with a white dot.
    NotificationKind.OTHER: (
        '<circle cx="8" cy="8" r="7.2" fill="#868e96"/><circle cx="8" cy="8" r="2" fill="#fff"/>'
    ),
}
#: Kinds drawn with the app's status icons.
_KIND_ICON_FILES = {
    NotificationKind.SHIPMENT: "status-shipped",
    NotificationKind.REFUND: "status-refund-requested",
}


@cache
def kind_icon(kind: NotificationKind) -> QIcon:
    """The board's icon for a kind of notification."""
    if kind in _KIND_ICON_FILES:
        return icon(_KIND_ICON_FILES[kind])
    body = _KIND_SVG.get(kind, _KIND_SVG[NotificationKind.OTHER])
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 16 16">'
        f"{body}</svg>"
    )
    pixmap = QPixmap()
    pixmap.loadFromData(svg.encode(), "SVG")
    return QIcon(pixmap)


def delivery_label(state: OutboxState | None) -> str:
    """How far a message the vendor wrote has got."""
    translate = QCoreApplication.translate
    if state in (OutboxState.PENDING, OutboxState.SENDING, OutboxState.UNCERTAIN):
        return translate("Notifications", "waiting to be sent")
    if state is OutboxState.FAILED:
        return translate("Notifications", "not sent")
    return translate("Notifications", "sent")


def entry_title(entry: BoardEntry) -> str:
    """The first line of an entry: what it is, and its order."""
    translate = QCoreApplication.translate
    if entry.from_you:
        title = translate("Notifications", "You wrote to the store admin")
        if entry.delivery is not None and entry.delivery is not OutboxState.SENT:
            title += f" · {delivery_label(entry.delivery)}"
        return title
    if entry.kind is NotificationKind.MESSAGE:
        title = translate("Notifications", "Message from the store admin")
    else:
        title = labels.notification_kind_label(entry.kind.value)
    if entry.order_id is not None:
        title += " · " + translate("Notifications", "Order #{number}").format(number=entry.order_id)
    return title


# ----------------------------------------------------------------------------- model
class NotificationListModel(QAbstractListModel):
    """The board's entries (unread first, then newest) as a list model.

    Args:
        cache: the open cache.
        account_id: whose board; None shows an empty list.
    """

    def __init__(self, cache: Cache | None, account_id: int | None, parent: Any = None) -> None:
        super().__init__(parent)
        self._cache = cache
        self._account_id = account_id
        self._entries: list[BoardEntry] = []
        self._unread_only = False
        self._all: list[BoardEntry] = []
        self._bold = QFont()
        self._bold.setBold(True)
        self.refresh()

    # -------------------------------------------------------------- loading
    def set_account(self, account_id: int | None) -> None:
        self._account_id = account_id
        self.refresh()

    def set_unread_only(self, unread_only: bool) -> None:
        self._unread_only = unread_only
        self._apply()

    def refresh(self) -> None:
        """Re-read the board from the cache (after a sync, or after marking read)."""
        if self._cache is None or self._account_id is None:
            self._all = []
        else:
            self._all = board_sync.board_entries(self._cache, self._account_id)
        self._apply()

    def _apply(self) -> None:
        self.beginResetModel()
        self._entries = [e for e in self._all if not (self._unread_only and e.read)]
        self.endResetModel()

    @property
    def unread_count(self) -> int:
        return sum(1 for entry in self._all if not entry.read)

    def entry(self, row: int) -> BoardEntry:
        return self._entries[row]

    def entries(self) -> list[BoardEntry]:
        return list(self._entries)

    # -------------------------------------------------------------- Qt model
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._entries)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        entry = self._entries[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return plain_text(entry.text)
        if role == Qt.ItemDataRole.DecorationRole:
            return kind_icon(entry.kind)
        if role == Qt.ItemDataRole.ToolTipRole:
            # Escaped: a tooltip would otherwise render markup that slipped through.
            text = html.escape(plain_text(entry.text))
            when = html.escape(format_datetime(entry.created))
            extra = ""
            if entry.error:
                extra = (
                    "<br><i>" + html.escape(plain_text(labels.rule_reason(entry.error))) + "</i>"
                )
            return f"<p><b>{html.escape(entry_title(entry))}</b><br>{text}<br>{when}{extra}</p>"
        if role == Qt.ItemDataRole.FontRole:
            return self._bold if not entry.read else None
        if role == Qt.ItemDataRole.AccessibleTextRole:
            state = (
                QCoreApplication.translate("Notifications", "unread")
                if not entry.read
                else QCoreApplication.translate("Notifications", "read")
            )
            return f"{entry_title(entry)}, {state}: {plain_text(entry.text)}"
        if role == ENTRY_ROLE:
            return entry
        if role == ORDER_ID_ROLE:
            return entry.order_id
        if role == UNREAD_ROLE:
            return not entry.read
        if role == KIND_ROLE:
            return entry.kind.value
        return None


# ----------------------------------------------------------------------------- delegate
class NotificationDelegate(QStyledItemDelegate):
    """Two lines per entry: icon, title (bold when unread) and relative date; then the text.
    An unread entry has a blue dot at its left edge."""

    PADDING = 8
    ICON = 22
    DOT = 8

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        metrics = QFontMetrics(option.font)
        return QSize(320, metrics.height() * 2 + self.PADDING * 2 + 4)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        entry: BoardEntry | None = index.data(ENTRY_ROLE)
        if entry is None:
            super().paint(painter, option, index)
            return
        painter.save()
        rect: QRect = option.rect
        palette: QPalette = option.palette
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        style = option.widget.style() if option.widget else None
        if style is not None:
            style.drawPrimitive(
                QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter, option.widget
            )
        text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        muted = QColor(palette.color(text_role))
        if not selected:
            muted.setAlphaF(0.62)
        unread = not entry.read
        if unread:  # a dot level with the title line
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(UNREAD_COLOUR))
            middle = rect.top() + self.PADDING + self.ICON // 2
            painter.drawEllipse(rect.left() + 5, middle - self.DOT // 2, self.DOT, self.DOT)
        left = rect.left() + 5 + self.DOT + 6
        kind_icon(entry.kind).paint(
            painter,
            QRect(left, rect.top() + self.PADDING, self.ICON, self.ICON),
        )
        left += self.ICON + 10
        right = rect.right() - self.PADDING
        base: QFont = option.font
        title_font = QFont(base)
        title_font.setBold(unread)
        metrics = QFontMetrics(base)
        line = metrics.height()
        top = rect.top() + self.PADDING

        date = relative_date(entry.created)
        painter.setFont(base)
        painter.setPen(muted)
        date_width = metrics.horizontalAdvance(date)
        painter.drawText(
            QRect(right - date_width, top, date_width, line),
            int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
            date,
        )
        title_rect = QRect(left, top, max(0, right - date_width - 12 - left), line)
        painter.setFont(title_font)
        title_colour = palette.color(text_role)
        if entry.from_you and entry.delivery is OutboxState.FAILED and not selected:
            title_colour = QColor("#c92a2a")
        painter.setPen(title_colour)
        title = QFontMetrics(title_font).elidedText(
            entry_title(entry), Qt.TextElideMode.ElideRight, title_rect.width()
        )
        painter.drawText(title_rect, int(Qt.AlignmentFlag.AlignVCenter), title)

        body_rect = QRect(left, top + line + 4, max(0, right - left), line)
        painter.setFont(base)
        painter.setPen(palette.color(text_role) if unread else muted)
        body = metrics.elidedText(
            plain_text(entry.text), Qt.TextElideMode.ElideRight, body_rect.width()
        )
        painter.drawText(body_rect, int(Qt.AlignmentFlag.AlignVCenter), body)
        painter.restore()


# ----------------------------------------------------------------------------- widget
class NotificationBoard(QWidget):
    """The notification board panel.

    Args:
        cache: the open cache.
        account_id: whose board (None: empty until :meth:`set_account`).

    Signals:
        order_requested(int): the vendor clicked an entry about an order: open it.
        unread_count_changed(int): the number of unread entries changed (for the toolbar).
        message_admin_requested(): "Message the store admin" was clicked: open the dialog.
        marked_read(list): notification ids just marked read here (the marketplace is told at
            the next :func:`~vendor_desk.sync.notifications.sync_notifications`).
    """

    order_requested = Signal(int)
    unread_count_changed = Signal(int)
    message_admin_requested = Signal()
    marked_read = Signal(list)

    def __init__(
        self, cache: Cache | None, account_id: int | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("notificationBoard")
        self._cache = cache
        self._account_id = account_id
        self._last_unread = -1
        self.model = NotificationListModel(cache, account_id, self)

        self.title = QLabel(self.tr("Notifications"))
        self.title.setObjectName("detailTitle")
        self.count_label = QLabel()
        self.count_label.setObjectName("muted")
        self.unread_only = QCheckBox(self.tr("Unread only"))
        self.unread_only.toggled.connect(self._set_unread_only)

        self.view = QListView()
        self.view.setObjectName("notificationList")
        self.view.setModel(self.model)
        self.view.setItemDelegate(NotificationDelegate(self.view))
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setUniformItemSizes(True)
        self.view.setAlternatingRowColors(False)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.clicked.connect(self.open_entry)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)

        self.empty_label = QLabel(self.tr("No notifications yet."))
        self.empty_label.setObjectName("placeholder")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.mark_read_button = QPushButton(self.tr("Mark read"))
        self.mark_read_button.setToolTip(self.tr("Mark the selected notifications read"))
        self.mark_read_button.clicked.connect(self.mark_selected_read)
        self.mark_all_button = QPushButton(self.tr("Mark all read"))
        self.mark_all_button.clicked.connect(self.mark_all_read)
        self.message_button = QPushButton(self.tr("Message the store admin…"))
        self.message_button.setIcon(kind_icon(NotificationKind.MESSAGE))
        self.message_button.clicked.connect(self.message_admin_requested)

        header = QHBoxLayout()
        header.addWidget(self.title)
        header.addWidget(self.count_label)
        header.addStretch(1)
        header.addWidget(self.unread_only)
        buttons = QHBoxLayout()
        buttons.addWidget(self.mark_read_button)
        buttons.addWidget(self.mark_all_button)
        buttons.addStretch(1)
        buttons.addWidget(self.message_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 10)
        layout.addLayout(header)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty_label, 1)
        layout.addLayout(buttons)
        self._after_refresh()

    # -------------------------------------------------------------- public API
    @property
    def unread_count(self) -> int:
        return self.model.unread_count

    def set_account(self, account_id: int | None) -> None:
        self._account_id = account_id
        self.model.set_account(account_id)
        self._after_refresh()

    @Slot()
    def refresh(self) -> None:
        """Re-read the board (call after a notification sync or after sending a message)."""
        self.model.refresh()
        self._after_refresh()

    @Slot()
    def mark_selected_read(self) -> None:
        ids = [
            entry.notification_id
            for entry in (
                index.data(ENTRY_ROLE) for index in self.view.selectionModel().selectedRows()
            )
            if entry is not None and not entry.read and entry.notification_id is not None
        ]
        self._mark_read(ids)

    @Slot()
    def mark_all_read(self) -> None:
        if self._cache is None or self._account_id is None:
            return
        marked = board_sync.mark_all_read(self._cache, self._account_id)
        self._changed(marked)

    @Slot(QModelIndex)
    def open_entry(self, index: QModelIndex) -> None:
        """An entry was clicked: mark it read, and ask for its order (if it has one)."""
        entry: BoardEntry | None = index.data(ENTRY_ROLE)
        if entry is None:
            return
        if not entry.read and entry.notification_id is not None:
            self._mark_read([entry.notification_id])
        if entry.order_id is not None:
            self.order_requested.emit(entry.order_id)

    # -------------------------------------------------------------- internals
    def _mark_read(self, ids: list[int]) -> None:
        if not ids or self._cache is None or self._account_id is None:
            return
        self._changed(board_sync.mark_read(self._cache, self._account_id, ids))

    def _changed(self, marked: list[int]) -> None:
        if not marked:
            return
        self.refresh()
        self.marked_read.emit(marked)

    def _set_unread_only(self, checked: bool) -> None:
        self.model.set_unread_only(checked)
        self._after_refresh()

    def _after_refresh(self) -> None:
        unread = self.model.unread_count
        self.count_label.setText(
            ngettext("{count} unread", "{count} unread", unread).format(count=format_count(unread))
            if unread
            else ""
        )
        empty = self.model.rowCount() == 0
        self.view.setVisible(not empty)
        self.empty_label.setVisible(empty)
        self.empty_label.setText(
            self.tr("No unread notifications.")
            if self.unread_only.isChecked()
            else self.tr("No notifications yet.")
        )
        self.mark_all_button.setEnabled(unread > 0)
        self.message_button.setEnabled(self._account_id is not None)
        self._update_buttons()
        if unread != self._last_unread:
            self._last_unread = unread
            self.unread_count_changed.emit(unread)

    def _update_buttons(self, *_args: Any) -> None:
        selected = [index.data(ENTRY_ROLE) for index in self.view.selectionModel().selectedRows()]
        self.mark_read_button.setEnabled(
            any(entry is not None and not entry.read for entry in selected)
        )
