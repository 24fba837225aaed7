"""The notification board in the cache: storing the marketplace's notifications without losing
what the vendor has read here, and reading them back for the board. No Qt, no network.

The marketplace's REST list answers either the unread or the read notifications, never both, and
it has no "mark read" route (wcfm-api.md §3.7, §7): the dashboard's admin-ajax call does that.
So the cache keeps the read state itself:

* ``read`` — the vendor has seen it (here, or on the marketplace);
* ``pending_read`` — read here, the marketplace not told yet. :mod:`vendor_desk.sync.notifications`
  sends those and clears the flag. A notification the vendor has read locally stays read even if
  the marketplace still lists it as unread.
* ``recheck`` — a new unread status update ("#19 order status updated to Processing": the store
  admin changed the order): the sync reads that order again, then clears the flag
  (:func:`orders_to_recheck`, :func:`clear_rechecks`).

``order_id`` (the order the text is about) and ``kind`` (the board's category) are derived once
when a notification is first stored.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from sqlalchemy import case, func, select, update
from sqlalchemy.orm import Session

from vendor_desk.cache.models import NotificationRecord
from vendor_desk.domain import Notification


class NotificationKind(StrEnum):
    """What a notification is about (the board shows an icon and a label per kind)."""

    NEW_ORDER = "new_order"
    STATUS_UPDATE = "status_update"
    REFUND = "refund"
    MESSAGE = "message"
    SHIPMENT = "shipment"
    NOTICE = "notice"
    OTHER = "other"


#: The marketplace's ``message_type`` values (wcfm-api.md §3.7) → the board's kinds.
_KINDS_BY_TYPE = {
    "order": NotificationKind.NEW_ORDER,
    "status-update": NotificationKind.STATUS_UPDATE,
    "refund-request": NotificationKind.REFUND,
    "direct": NotificationKind.MESSAGE,
    "shipment_tracking": NotificationKind.SHIPMENT,
    "shipment_received": NotificationKind.SHIPMENT,
    "notice": NotificationKind.NOTICE,
}


def kind_of(message_type: str) -> NotificationKind:
    """The board's kind of a marketplace ``message_type`` (``OTHER`` for the rest)."""
    return _KINDS_BY_TYPE.get(message_type.strip().lower(), NotificationKind.OTHER)


#: "Order #24", "order #24", "Order # 24" — the most specific mention of an order.
_ORDER_HASH = re.compile(r"\border\s*#\s*(\d+)", re.IGNORECASE)
#: "#22 order item …" (status updates).
_HASH_ORDER = re.compile(r"#\s*(\d+)\s+order\b", re.IGNORECASE)


def order_id_in(notification: Notification) -> int | None:
    """The order a notification is about.

    "Refund Request #5 received for Order #22" is about order 22, not 5: an explicit
    "Order #N" (or "#N order item") wins over the first number after a ``#``.
    """
    for pattern in (_ORDER_HASH, _HASH_ORDER):
        match = pattern.search(notification.message)
        if match:
            return int(match.group(1))
    return notification.order_id


@dataclass(frozen=True)
class StoredNotification:
    """A notification as the board shows it."""

    id: int
    kind: NotificationKind
    #: The marketplace's own ``message_type`` ("order", "direct" …).
    message_type: str
    #: Plain text (the client strips the marketplace's HTML).
    text: str
    created: datetime
    read: bool
    #: Read here; the marketplace has not been told yet.
    pending_read: bool
    order_id: int | None


@dataclass
class MergeResult:
    """What :func:`store_notifications` changed."""

    #: Notifications stored for the first time (newest first).
    new: list[StoredNotification] = field(default_factory=list)
    #: Notifications the marketplace now lists as read that were unread here.
    read_elsewhere: list[int] = field(default_factory=list)
    #: Nothing was stored for the account before (the first fetch: everything is "new").
    first: bool = False


def _stored(record: NotificationRecord) -> StoredNotification:
    return StoredNotification(
        id=record.notification_id,
        kind=NotificationKind(record.kind) if record.kind else NotificationKind.OTHER,
        message_type=record.type,
        text=record.message,
        created=record.created,
        read=record.read,
        pending_read=record.pending_read,
        order_id=record.order_id,
    )


def store_notifications(
    session: Session,
    account_id: int,
    notifications: Iterable[Notification],
    *,
    complete_unread: bool = False,
) -> MergeResult:
    """Merge notifications read from the marketplace into the cache.

    * New ones are inserted as the marketplace lists them (read or unread).
    * Known ones keep the vendor's local read state: one read here stays read. One the
      marketplace lists as read becomes read here too (read on the dashboard), and any pending
      "mark read" for it is dropped — the marketplace already has it.
    * ``complete_unread=True`` says ``notifications`` include the marketplace's *whole* unread
      list: a notification unread here but missing from it was read (or deleted) elsewhere and
      is marked read.
    """
    incoming = {notification.id: notification for notification in notifications}
    existing = {
        record.notification_id: record
        for record in session.scalars(
            select(NotificationRecord).where(NotificationRecord.account_id == account_id)
        )
    }
    result = MergeResult(first=not existing)
    for notification in sorted(incoming.values(), key=lambda n: (n.created, n.id), reverse=True):
        record = existing.get(notification.id)
        if record is None:
            order_id = order_id_in(notification)
            kind = kind_of(notification.type)
            record = NotificationRecord(
                account_id=account_id,
                notification_id=notification.id,
                message=notification.message,
                type=notification.type,
                created=notification.created,
                read=notification.read,
                order_id=order_id,
                kind=kind.value,
                pending_read=False,
                # News that an order's status changed (the store admin's doing: the vendor's
                # own updates come read): read that order again. Not on the first fetch, whose
                # notifications are old news.
                recheck=bool(
                    existing
                    and order_id
                    and not notification.read
                    and kind is NotificationKind.STATUS_UPDATE
                ),
            )
            session.add(record)
            result.new.append(_stored(record))
            continue
        record.message = notification.message
        record.type = notification.type
        if notification.read:
            if not record.read:
                result.read_elsewhere.append(record.notification_id)
            record.read = True
            record.pending_read = False
    if complete_unread:
        unread_ids = {n.id for n in incoming.values() if not n.read}
        for notification_id, record in existing.items():
            if not record.read and notification_id not in unread_ids:
                record.read = True
                result.read_elsewhere.append(notification_id)
    session.flush()
    return result


def list_board(
    session: Session, account_id: int, *, limit: int | None = 300
) -> list[StoredNotification]:
    """The account's notifications for the board: unread first, then newest first."""
    query = (
        select(NotificationRecord)
        .where(NotificationRecord.account_id == account_id)
        .order_by(
            NotificationRecord.read,
            NotificationRecord.created.desc(),
            NotificationRecord.notification_id.desc(),
        )
    )
    if limit is not None:
        query = query.limit(limit)
    return [_stored(record) for record in session.scalars(query)]


def get_notification(
    session: Session, account_id: int, notification_id: int
) -> StoredNotification | None:
    record = session.get(NotificationRecord, (account_id, notification_id))
    return None if record is None else _stored(record)


def unread_count(session: Session, account_id: int) -> int:
    """How many of the account's notifications are unread."""
    query = select(func.count()).where(
        NotificationRecord.account_id == account_id, NotificationRecord.read.is_(False)
    )
    return int(session.scalar(query) or 0)


def counts(session: Session, account_id: int) -> tuple[int, int]:
    """(all, unread) notifications of the account, in one query."""
    query = select(
        func.count(),
        func.coalesce(func.sum(case((NotificationRecord.read.is_(False), 1), else_=0)), 0),
    ).where(NotificationRecord.account_id == account_id)
    total, unread = session.execute(query).one()
    return int(total), int(unread)


def mark_read(session: Session, account_id: int, notification_ids: Iterable[int]) -> list[int]:
    """Mark notifications read here and flag them for the marketplace; returns the ids that
    were unread (the others are left alone)."""
    wanted = sorted(set(notification_ids))
    if not wanted:
        return []
    records = session.scalars(
        select(NotificationRecord).where(
            NotificationRecord.account_id == account_id,
            NotificationRecord.notification_id.in_(wanted),
            NotificationRecord.read.is_(False),
        )
    ).all()
    for record in records:
        record.read = True
        record.pending_read = True
    session.flush()
    return sorted(record.notification_id for record in records)


def mark_all_read(session: Session, account_id: int) -> list[int]:
    """Mark every unread notification of the account read (see :func:`mark_read`)."""
    ids = session.scalars(
        select(NotificationRecord.notification_id).where(
            NotificationRecord.account_id == account_id, NotificationRecord.read.is_(False)
        )
    ).all()
    return mark_read(session, account_id, ids)


def pending_reads(session: Session, account_id: int) -> list[int]:
    """Notifications read here whose "mark read" the marketplace has not received (oldest
    first)."""
    return list(
        session.scalars(
            select(NotificationRecord.notification_id)
            .where(
                NotificationRecord.account_id == account_id,
                NotificationRecord.pending_read.is_(True),
            )
            .order_by(NotificationRecord.notification_id)
        )
    )


def clear_pending_read(session: Session, account_id: int, notification_ids: Iterable[int]) -> None:
    """The marketplace has the "mark read" of these notifications."""
    wanted = sorted(set(notification_ids))
    if not wanted:
        return
    session.execute(
        update(NotificationRecord)
        .where(
            NotificationRecord.account_id == account_id,
            NotificationRecord.notification_id.in_(wanted),
        )
        .values(pending_read=False)
    )


def orders_to_recheck(session: Session, account_id: int) -> list[int]:
    """The orders flagged notifications name (newest first), to read again."""
    return list(
        session.scalars(
            select(NotificationRecord.order_id)
            .where(
                NotificationRecord.account_id == account_id,
                NotificationRecord.recheck.is_(True),
                NotificationRecord.order_id.is_not(None),
            )
            .group_by(NotificationRecord.order_id)
            .order_by(NotificationRecord.order_id.desc())
        )
    )


def clear_rechecks(session: Session, account_id: int, order_ids: Iterable[int]) -> None:
    """These orders were read again: their notifications need nothing more."""
    wanted = sorted(set(order_ids))
    for start in range(0, len(wanted), 500):
        session.execute(
            update(NotificationRecord)
            .where(
                NotificationRecord.account_id == account_id,
                NotificationRecord.recheck.is_(True),
                NotificationRecord.order_id.in_(wanted[start : start + 500]),
            )
            .values(recheck=False)
        )
