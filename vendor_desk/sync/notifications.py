"""The notification board: fetching the marketplace's notifications, sending the vendor's
"mark read"s, and the board's entries (with the vendor's own messages to the admin). No Qt.

Call :func:`sync_notifications` from the account's worker after the order sync::

    report = sync_notifications(cache, account_id, marketplace)
    if not report.first:
        for order_id in report.new_order_ids: ...   # desktop notification "New order #…"

It costs few requests: the pending "mark read"s (usually none), the newest unread page (a second
one only if the first is full) and the newest page of read ones (the vendor's own status updates,
shipments and messages to the admin, which the marketplace files as read — wcfm-api.md §3.7).
A new "#N order status updated to …" (the store admin cancelled, refunded or restored order N)
has that order read again in the same pass (:func:`recheck_named_orders`).

The marketplace has no REST route to mark a notification read; the client uses the dashboard's
admin-ajax call (§7). A "mark read" is recorded in the cache first (``pending_read``) and sent
here; one that fails transiently (offline, server busy, signed out) stays pending for the next
pass. One the marketplace refuses for good (e.g. read-only application-password sign-in) stays
read on this computer only.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from vendor_desk.cache import notifications as board_store
from vendor_desk.cache.db import Cache
from vendor_desk.cache.notifications import NotificationKind, StoredNotification
from vendor_desk.domain import Notification
from vendor_desk.marketplace import AuthenticationRefused, MarketplaceError, Unreachable
from vendor_desk.sync.outbox import Outbox, OutboxKind, OutboxState
from vendor_desk.sync.syncer import Syncer, SyncResult

if TYPE_CHECKING:  # the HTTP client (and requests) load only when first used
    from vendor_desk.marketplace import Marketplace

log = logging.getLogger("vendor_desk.sync.notifications")

#: Unread notifications read per page, and at most this many pages per pass.
UNREAD_PER_PAGE = 50
UNREAD_PAGES = 2
#: Read notifications (the vendor's own messages and updates) read per pass: one page.
READ_PER_PAGE = 20


@dataclass
class NotificationSyncReport:
    """What one :func:`sync_notifications` pass did."""

    #: Unread notifications seen for the first time (newest first).
    new: list[StoredNotification] = field(default_factory=list)
    #: Nothing was stored before this pass: ``new`` is the whole board, not news.
    first: bool = False
    #: "Mark read"s the marketplace received in this pass.
    marked_read: list[int] = field(default_factory=list)
    #: "Mark read"s still waiting (transient failure); sent at the next pass.
    still_pending: list[int] = field(default_factory=list)
    #: "Mark read"s the marketplace refused for good (read on this computer only).
    refused: list[int] = field(default_factory=list)
    #: Unread here after the pass (for the toolbar).
    unread: int = 0
    #: The marketplace could not be reached (nothing fetched).
    offline: bool = False
    #: The marketplace's message when the pass stopped early; "" when it completed.
    error: str = ""
    #: The orders new "#N order status updated to …" notifications named, read again in this
    #: pass (:meth:`Syncer.recheck_orders`); None when there were none (or it failed: the next
    #: sync reads them).
    recheck: SyncResult | None = None

    @property
    def new_order_ids(self) -> list[int]:
        """Orders of the new "new order" notifications (each once, newest first)."""
        seen: list[int] = []
        for item in self.new:
            order_id = item.order_id
            if item.kind is NotificationKind.NEW_ORDER and order_id and order_id not in seen:
                seen.append(order_id)
        return seen


def mark_read(cache: Cache, account_id: int, notification_ids: Iterable[int]) -> list[int]:
    """Mark notifications read on this computer now (the marketplace is told at the next pass);
    returns the ids that were unread."""
    with cache.session(write=True) as session:
        return board_store.mark_read(session, account_id, notification_ids)


def mark_all_read(cache: Cache, account_id: int) -> list[int]:
    """Mark every unread notification read (see :func:`mark_read`)."""
    with cache.session(write=True) as session:
        return board_store.mark_all_read(session, account_id)


def send_pending_reads(
    cache: Cache, account_id: int, marketplace: Marketplace, report: NotificationSyncReport
) -> None:
    """Tell the marketplace about the notifications read here (oldest first)."""
    with cache.session() as session:
        pending = board_store.pending_reads(session, account_id)
    for position, notification_id in enumerate(pending):
        try:
            marketplace.mark_notification_read(notification_id)
        except MarketplaceError as error:
            if error.transient or isinstance(error, AuthenticationRefused):
                # Offline, busy or signed out: the rest waits for the next pass.
                report.still_pending.extend(pending[position:])
                report.offline = isinstance(error, Unreachable)
                report.error = str(error)
                return
            log.info("notification %s: marking read refused: %s", notification_id, error)
            report.refused.append(notification_id)
        else:
            report.marked_read.append(notification_id)
        with cache.session(write=True) as session:
            board_store.clear_pending_read(session, account_id, [notification_id])


def fetch_newest(
    marketplace: Marketplace,
    *,
    unread_per_page: int = UNREAD_PER_PAGE,
    unread_pages: int = UNREAD_PAGES,
    read_per_page: int = READ_PER_PAGE,
) -> tuple[list[Notification], bool]:
    """The newest unread and read notifications; and whether the unread list is complete."""
    found: list[Notification] = []
    complete = False
    for page in range(1, unread_pages + 1):
        batch = marketplace.list_notifications(read=False, page=page, per_page=unread_per_page)
        found.extend(batch)
        if len(batch) < unread_per_page:
            complete = True
            break
    if read_per_page > 0:
        found.extend(marketplace.list_notifications(read=True, page=1, per_page=read_per_page))
    return found, complete


def sync_notifications(
    cache: Cache,
    account_id: int,
    marketplace: Marketplace,
    *,
    unread_per_page: int = UNREAD_PER_PAGE,
    unread_pages: int = UNREAD_PAGES,
    read_per_page: int = READ_PER_PAGE,
) -> NotificationSyncReport:
    """Send the pending "mark read"s, then fetch and store the newest notifications.

    Never raises a :class:`MarketplaceError`: the board is secondary to the orders, so a failure
    is reported (``offline``, ``error``) and the next pass tries again.
    """
    report = NotificationSyncReport()
    send_pending_reads(cache, account_id, marketplace, report)
    if not report.error:
        try:
            fetched, complete = fetch_newest(
                marketplace,
                unread_per_page=unread_per_page,
                unread_pages=unread_pages,
                read_per_page=read_per_page,
            )
        except MarketplaceError as error:
            log.info("notifications not fetched: %s", error)
            report.offline = isinstance(error, Unreachable)
            report.error = str(error)
        else:
            with cache.session(write=True) as session:
                merged = board_store.store_notifications(
                    session, account_id, fetched, complete_unread=complete
                )
            report.first = merged.first
            report.new = [item for item in merged.new if not item.read]
            recheck_named_orders(cache, account_id, marketplace, report)
    with cache.session() as session:
        report.unread = board_store.unread_count(session, account_id)
    return report


def recheck_named_orders(
    cache: Cache, account_id: int, marketplace: Marketplace, report: NotificationSyncReport
) -> None:
    """Read again the orders the store admin changed, as the new "#N order status updated to
    …" notifications say (cancelled, refunded, restored from the trash …) — at once, since
    the board was read anyway; an old closed order would otherwise wait for the next
    reconcile. A failure leaves them flagged for the next sync."""
    with cache.session() as session:
        named = board_store.orders_to_recheck(session, account_id)
    if not named:
        return
    try:
        report.recheck = Syncer(cache, account_id, marketplace).recheck_orders(named)
    except MarketplaceError as error:
        log.info("orders %s not read again: %s", named, error)
        report.offline = isinstance(error, Unreachable)
        report.error = str(error)


# ================================================================================ the board
@dataclass(frozen=True)
class BoardEntry:
    """One line of the notification board: a marketplace notification, or a message the vendor
    sent to the store admin from this app (while it waits, fails or once sent)."""

    #: Unique on the board: ``"n<id>"`` for notifications, ``"m<id>"`` for outbox messages.
    key: str
    kind: NotificationKind
    text: str
    created: datetime
    read: bool
    order_id: int | None = None
    notification_id: int | None = None
    #: Read here, the marketplace not told yet.
    pending_read: bool = False
    #: The vendor wrote it (a message to the store admin).
    from_you: bool = False
    #: For the vendor's messages sent from this app: the outbox entry and its state.
    outbox_id: int | None = None
    delivery: OutboxState | None = None
    #: The marketplace's refusal of a failed message.
    error: str = ""


#: Outbox states of a message that the marketplace may already show on the board.
_MAYBE_ON_THE_MARKETPLACE = frozenset(
    {OutboxState.SENT, OutboxState.SENDING, OutboxState.UNCERTAIN}
)


def _comparable(text: str) -> str:
    """Text as the marketplace shows it back (tags stripped, entities decoded, blanks
    collapsed), for matching a sent message with the board's copy."""
    return " ".join(html.unescape(re.sub(r"<[^>]*>", " ", text)).split()).casefold()


def _from_notification(item: StoredNotification, *, from_you: bool) -> BoardEntry:
    return BoardEntry(
        key=f"n{item.id}",
        kind=item.kind,
        text=item.text,
        created=item.created,
        read=item.read,
        order_id=item.order_id,
        notification_id=item.id,
        pending_read=item.pending_read,
        from_you=from_you,
    )


def board_entries(
    cache: Cache, account_id: int, *, outbox: Outbox | None = None, limit: int | None = 300
) -> list[BoardEntry]:
    """The board: unread first, then newest first; the vendor's messages to the admin included.

    A message sent from this app shows once: as the marketplace's copy (a read ``direct``
    notification with the same text) once fetched, as the outbox entry (with its delivery
    state) until then. Discarded messages are left out.
    """
    outbox = outbox or Outbox(cache, account_id, recover_sending=False)
    messages = [
        entry
        for entry in outbox.entries()
        if entry.kind is OutboxKind.MESSAGE_ADMIN and entry.state is not OutboxState.DISCARDED
    ]
    with cache.session() as session:
        stored = board_store.list_board(session, account_id, limit=limit)
    sent_texts: dict[str, int] = {}
    for entry in messages:
        text = _comparable(str(entry.payload.get("message", "")))
        sent_texts[text] = sent_texts.get(text, 0) + 1
    board: list[BoardEntry] = []
    matched: dict[str, int] = {}
    for item in stored:
        mine = False
        if item.kind is NotificationKind.MESSAGE and item.read:
            text = _comparable(item.text)
            if matched.get(text, 0) < sent_texts.get(text, 0):
                matched[text] = matched.get(text, 0) + 1
                mine = True
        board.append(_from_notification(item, from_you=mine))
    # The outbox messages the board does not show yet (newest matched first: the marketplace's
    # copies are the newest of its messages with that text).
    for entry in reversed(messages):
        text = _comparable(str(entry.payload.get("message", "")))
        if matched.get(text, 0) > 0 and entry.state in _MAYBE_ON_THE_MARKETPLACE:
            matched[text] -= 1
            continue
        board.append(
            BoardEntry(
                key=f"m{entry.id}",
                kind=NotificationKind.MESSAGE,
                text=str(entry.payload.get("message", "")),
                created=entry.sent_at or entry.created_at,
                read=True,
                from_you=True,
                outbox_id=entry.id,
                delivery=entry.state,
                error=entry.last_error if entry.state is OutboxState.FAILED else "",
            )
        )
    board.sort(
        key=lambda e: (
            e.read,
            -e.created.timestamp(),
            -(e.notification_id or 0),
            -(e.outbox_id or 0),
        )
    )
    return board if limit is None else board[:limit]
