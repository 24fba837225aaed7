"""The outbox: every change the vendor makes, kept locally until the marketplace has it. No Qt.

A change (status, mark complete, note, tracking, message to the admin) is first written to the
``outbox`` table **and** applied to the cached order in one transaction, so the app shows it at
once — flagged as pending in ``orders.local["outbox"]`` — and nothing is lost if the app stops.
:meth:`Outbox.send_due` sends the due entries later, one at a time, in order per order::

    outbox = Outbox(cache, account_id)
    entry_id = outbox.enqueue(OutboxKind.TRACKING, 19, {"item_ids": [3], "code": "X1",
                                                         "url": "https://t.example/X1"})
    report = outbox.send_due(marketplace)

States and transitions::

    enqueue ──> pending ──send──> sending ──ok──> sent (order re-read from the marketplace)
                  ^  │                 │ transient error (offline, 5xx …) → pending, backed off
                  │  │                 │ permanent refusal → failed (change rolled back)
                  │  │                 └ outcome unknown (dropped, timeout) → uncertain
                  │  │   uncertain ──grace over, check server──> sent (it landed)
                  │  │                                          | resend (it did not)
                  │  │                                          | needs_decision (cannot tell)
                  │  │   pending ──the order changed since the vendor looked──> needs_decision
                  │  │   needs_decision ──decide──> discarded | pending | sent
                  │  └──discard──> discarded (change rolled back)
                  └──retry── failed (change applied again)
    a local shipment where notes cannot be added ──> local (done on this computer only)

* Exactly once: an ``uncertain`` entry is left alone for :data:`UNCERTAIN_GRACE` after its
  request went out (a slow WordPress may still be working on it); then, before it is sent again,
  the marketplace is asked whether its own effect is there (status already set, note with that
  text newer than before, its tracking on every item, message among the sent ones newer than
  before, refund request of the order with that mode and reason newer than before). Where the
  marketplace cannot tell (the order is gone, other tracking replaced the items'), the vendor
  decides (:meth:`Outbox.decide`), told what may already have reached the customer.
* One sender per account across processes (:class:`~vendor_desk.sync.sender_lock.SenderLock`,
  held for a send pass): the window and a command never send at the same time, and a process
  never takes over another live process's entry.
* Never overwrite what the marketplace changed since the vendor looked: each entry keeps a
  snapshot of the order as the vendor saw it; tracking, status, completion and refund entries
  are compared with the marketplace's copy read right before sending
  (:mod:`vendor_desk.sync.conflicts`) and wait for the vendor's decision when it moved on — and
  an order is never moved backwards (completed → shipped) as a side effect.
* Crash-safe: an entry is marked ``sending`` (committed) before the request goes out; one still
  ``sending`` while no process holds the account's sender lock was interrupted and is treated
  as ``uncertain``.
* In order per order: while an entry of an order is pending, uncertain, backed off or failed, the
  order's later entries wait. Messages to the admin form one queue of their own.
* The marketplace's rules are the client's job (own items only, no writes with application
  passwords …): its typed errors decide between retrying (``.transient``) and failing.

Optimistic changes: status changes and completion set the vendor status; tracking sets the code
and URL on the items and the vendor status to ``shipped``; a note is shown as a provisional note
(negative id, author ``"pending"``); a local shipment (no tracking, pickup) is a record in
``orders.local["shipments"]`` (docs/fulfilment.md); a refund request sets the order's
``refund_requested`` flag and its items' refund state to ``requested`` (the list's "Refund
requested" group and icon). The replaced values are kept in the entry
for the roll-back.
An optimistically changed order gets an empty fingerprint, so the next store of the marketplace's
copy rewrites it; :meth:`Outbox.reapply` puts the still-pending changes back on top afterwards.
"""

from __future__ import annotations

import html
import json
import logging
import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from vendor_desk.cache import store as cache_store
from vendor_desk.cache.db import Cache
from vendor_desk.cache.models import LineItemRecord, NoteRecord, OrderRecord, OutboxRecord
from vendor_desk.domain import (
    Money,
    NoteKind,
    OrderStatus,
    RefundLine,
    RefundMode,
    RefundState,
    rules,
    to_decimal,
)
from vendor_desk.domain.text import N_, Sentence, dump, load
from vendor_desk.marketplace import (
    AuthenticationRefused,
    CapabilityMissing,
    MarketplaceError,
    NotFound,
    ReadOnlyCredentials,
    Unreachable,
    WriteOutcomeUnknown,
)
from vendor_desk.sync.conflicts import Conflict, ConflictReason, Decision, compare, gone, snapshot
from vendor_desk.sync.sender_lock import SenderInfo, SenderLock

if TYPE_CHECKING:  # the HTTP client (and requests) load only when first used
    from vendor_desk.domain import Order
    from vendor_desk.marketplace import Marketplace

log = logging.getLogger("vendor_desk.sync.outbox")


class OutboxKind(StrEnum):
    """What an entry asks the marketplace to do."""

    SET_STATUS = "set_status"  # payload {"status": "processing"}
    COMPLETE = "complete"  # payload {}
    NOTE = "note"  # payload {"text": "...", "kind": "private" | "customer"}
    #: payload {"item_ids": [3, 4], "code": "...", "url": "https://...", "carrier": "dhl"}
    #: ("carrier", a preset key, is optional).
    TRACKING = "tracking"
    #: payload {"message": "...", "about_order_id": 19}: a direct message to the store admin.
    #: It changes no order, so the entry has none (it is never held up behind an order's
    #: refused change — often what the message is about); ``about_order_id`` (optional) is the
    #: order it was written from, shown with it (:attr:`OutboxEntry.about_order_id`).
    MESSAGE_ADMIN = "message_admin"
    #: A shipment the marketplace cannot record as such (no tracking, local pickup, or tracking
    #: it could not store): payload {"item_ids": [3], "method": "no_tracking" | "pickup" |
    #: "tracked", "carrier": "", "code": "", "url": "", "note": "Shipped without tracking …"}.
    #: Kept in ``orders.local["shipments"]``; sent as a private note where notes work, else it
    #: ends :attr:`OutboxState.LOCAL`. Built by :mod:`vendor_desk.sync.shipping`.
    LOCAL_SHIPMENT = "local_shipment"
    #: A refund request for the store admin to decide: payload {"mode": "full" | "partial",
    #: "currency": "EUR", "reason": "...", "lines": [{"item_id": 3, "qty": 1, "amount": "12.5"}]}
    #: (amounts as decimal text). Checked and built by :mod:`vendor_desk.sync.refunds`; shown
    #: at once as "Refund requested" on the order and its items.
    REFUND = "refund"


class OutboxState(StrEnum):
    PENDING = "pending"  # waiting to be sent (maybe backed off until next_attempt_at)
    SENDING = "sending"  # the request is (or was, if the app stopped) under way
    UNCERTAIN = "uncertain"  # sent, outcome unknown: check the marketplace before resending
    SENT = "sent"  # the marketplace has it
    FAILED = "failed"  # refused for good; the optimistic change is rolled back
    DISCARDED = "discarded"  # the vendor dropped it; the optimistic change is rolled back
    #: Done, but on this computer only: the marketplace has no way to record it (a local
    #: shipment on a marketplace where notes cannot be added). The local change stays.
    LOCAL = "local"
    #: Not sent; waits for the vendor (its change rolled back, the marketplace's shown): the
    #: marketplace changed what this change depends on since the vendor looked (another desk,
    #: the store admin), or an earlier attempt's outcome is unknown and the marketplace cannot
    #: tell whether it landed. :attr:`OutboxEntry.conflict` says which, with both sides;
    #: :meth:`Outbox.decide` goes on.
    NEEDS_DECISION = "needs_decision"


#: States in which an entry still holds up its order's later entries.
BLOCKING_STATES = frozenset(
    {
        OutboxState.PENDING,
        OutboxState.SENDING,
        OutboxState.UNCERTAIN,
        OutboxState.FAILED,
        OutboxState.NEEDS_DECISION,
    }
)
#: How long after a request went out it may still be running on the marketplace (a slow
#: WordPress keeps working after the app gave up waiting — the read timeout is 30 s — or after
#: the app was killed): an entry whose outcome is unknown is neither checked nor sent again
#: before then, or the check would find nothing yet and the change would land twice.
UNCERTAIN_GRACE = timedelta(minutes=5)
#: States in which the entry's optimistic change is applied to the cache.
APPLIED_STATES = frozenset({OutboxState.PENDING, OutboxState.SENDING, OutboxState.UNCERTAIN})

#: Columns of ``orders`` an optimistic change may alter (restored on roll-back).
_ORDER_COLUMNS = (
    "vendor_status",
    "shipping_status",
    "status_group",
    "display_status",
    "shipping_state",
    "has_tracking",
    "refund_requested",
    "fingerprint",
)
#: Author of the provisional notes shown while a note waits to be sent.
PENDING_NOTE_AUTHOR = "pending"


class OutboxError(Exception):
    """An outbox operation the entry's state does not allow (or an unknown entry)."""


@dataclass(frozen=True)
class OutboxEntry:
    """One outbox entry as the UI and CLI see it."""

    id: int
    account_id: int
    order_id: int | None
    kind: OutboxKind
    payload: Mapping[str, Any]
    state: OutboxState
    attempts: int
    next_attempt_at: datetime | None
    last_error: str
    created_at: datetime
    sent_at: datetime | None
    #: For a failed entry, the kind of refusal (the client's error class name, e.g.
    #: ``"CapabilityMissing"`` when the marketplace lacks WCFM Ultimate); "" otherwise.
    refusal: str = ""
    #: When the last request went out (None: never sent).
    attempt_at: datetime | None = None
    #: For an entry whose outcome is unknown: not checked or sent again before then (the
    #: request may still be running on the marketplace, :data:`UNCERTAIN_GRACE`).
    check_after: datetime | None = None
    #: Why a :attr:`OutboxState.NEEDS_DECISION` entry waits, with both sides.
    conflict: Conflict | None = None

    def as_json(self) -> dict[str, Any]:
        """The entry as plain JSON data (the command line's ``--json``)."""
        return {
            "id": self.id,
            "order": self.order_id,
            "kind": self.kind.value,
            "state": self.state.value,
            "summary": self.summary,
            "payload": dict(self.payload),
            "attempts": self.attempts,
            "last_error": self.last_error,
            "created_at": self.created_at.isoformat(),
            "sent_at": self.sent_at.isoformat() if self.sent_at else None,
            "check_after": self.check_after.isoformat() if self.check_after else None,
            "conflict": self.conflict.as_json() if self.conflict else None,
            "may_have_reached": self.may_have_reached if self.attempt_at else None,
        }

    @property
    def may_have_reached(self) -> str:
        """What this change shows the customer (or the admin) once it lands — what may already
        have reached them when its outcome is unknown."""
        if self.kind is OutboxKind.TRACKING:
            count = len(self.payload.get("item_ids") or ())
            code = self.payload.get("code", "")
            if count == 1:
                return Sentence(N_("the customer: a tracking e-mail with {code}"), code=code)
            return Sentence(
                N_("the customer: {count} tracking e-mails (one per item) with {code}"),
                count=count,
                code=code,
            )
        if self.kind is OutboxKind.NOTE:
            if self.payload.get("kind") == NoteKind.CUSTOMER.value:
                return N_("the customer: the note, by e-mail")
            return N_("nobody: a private note")
        if self.kind is OutboxKind.COMPLETE:
            return N_("the customer: the order's completion e-mail")
        if self.kind is OutboxKind.SET_STATUS:
            return N_("the customer: a status e-mail")
        if self.kind is OutboxKind.REFUND:
            return N_("the customer: a note that a refund was requested")
        if self.kind is OutboxKind.MESSAGE_ADMIN:
            return N_("the store admin: the message")
        return N_("nobody: a private note")

    @property
    def about_order_id(self) -> int | None:
        """The order the entry is about: its own, or the order a message to the store admin
        was written from (None for a message about no order)."""
        if self.order_id is not None:
            return self.order_id
        about = (
            self.payload.get("about_order_id") if self.kind is OutboxKind.MESSAGE_ADMIN else None
        )
        return about if isinstance(about, int) and not isinstance(about, bool) else None

    @property
    def lacks_capability(self) -> bool:
        """Failed because the marketplace cannot do it at all (not because of this entry)."""
        return self.state is OutboxState.FAILED and self.refusal == CapabilityMissing.__name__

    @property
    def summary(self) -> str:
        """A one-line description ("Tracking X1 on order #19"), a sentence marked for the
        catalogue (translated where it is shown)."""
        code = self.payload.get("code", "")

        def said(template: str, **values: Any) -> str:
            # every kind but a message to the store admin belongs to an order
            return Sentence(template, order=self.order_id, **values)

        if self.kind is OutboxKind.SET_STATUS:
            status = Sentence(OrderStatus(str(self.payload.get("status", ""))).label)
            return said(N_("Status “{status}” on order #{order}"), status=status)
        if self.kind is OutboxKind.COMPLETE:
            return said(N_("Mark complete on order #{order}"))
        if self.kind is OutboxKind.NOTE:
            if self.payload.get("kind", "private") == NoteKind.CUSTOMER.value:
                return said(N_("Customer note on order #{order}"))
            return said(N_("Private note on order #{order}"))
        if self.kind is OutboxKind.TRACKING:
            return said(N_("Tracking {code} on order #{order}"), code=code)
        if self.kind is OutboxKind.REFUND:
            if self.payload.get("mode") == RefundMode.FULL.value:
                return said(N_("Full refund request on order #{order}"))
            return said(N_("Partial refund request on order #{order}"))
        if self.kind is OutboxKind.LOCAL_SHIPMENT:
            method = self.payload.get("method")
            if method == "pickup":
                return said(
                    N_("Collected by the customer on order #{order}"),
                )
            if method == "tracked":
                return said(
                    N_("Tracking {code} kept locally on order #{order}"),
                    code=code,
                )
            return said(N_("Shipped without tracking on order #{order}"))
        if self.about_order_id is not None:
            return Sentence(
                N_("Message to the store admin about order #{order}"), order=self.about_order_id
            )
        return N_("Message to the store admin")


@dataclass
class SendReport:
    """What one :meth:`Outbox.send_due` pass did (entry ids)."""

    sent: list[int] = field(default_factory=list)
    #: Sent earlier after all: an uncertain entry that the check found on the marketplace.
    confirmed: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    uncertain: list[int] = field(default_factory=list)
    #: Transient errors: still pending, next attempt backed off.
    deferred: list[int] = field(default_factory=list)
    #: Not due yet, or waiting behind an earlier entry of the same order.
    waiting: list[int] = field(default_factory=list)
    #: The marketplace could not be reached; the pass stopped early.
    offline: bool = False
    #: The marketplace refused the account's password: entries wait until the vendor signs in
    #: again (nothing is rolled back).
    signed_out: bool = False
    #: Orders re-read from the marketplace after a successful send.
    refreshed: list[int] = field(default_factory=list)
    #: Done on this computer only (:attr:`OutboxState.LOCAL`): the marketplace cannot record it.
    local: list[int] = field(default_factory=list)
    #: Not sent: they wait for the vendor's decision (:attr:`OutboxState.NEEDS_DECISION`).
    decide: list[int] = field(default_factory=list)
    #: Another process was sending for this account: this pass sent nothing (who, when known).
    busy: SenderInfo | None = None


def _now() -> datetime:
    return datetime.now(UTC)


def _plain(text: str) -> str:
    """Text as the marketplace shows it back: tags stripped, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]*>", " ", text)).split())


def _validate(kind: OutboxKind, order_id: int | None, payload: Mapping[str, Any]) -> dict[str, Any]:
    """The payload as plain JSON data, checked for shape (the marketplace's rules are the
    client's business)."""
    if kind is OutboxKind.MESSAGE_ADMIN:
        if order_id is not None:
            raise ValueError("a message to the admin belongs to no order")
    elif order_id is None:
        raise ValueError(f"{kind} needs an order")

    def text(key: str) -> str:
        value = payload.get(key)
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"{kind} needs a non-empty {key!r}")
        return value

    if kind is OutboxKind.SET_STATUS:
        return {"status": OrderStatus(text("status")).slug}
    if kind is OutboxKind.COMPLETE:
        return {}
    if kind is OutboxKind.NOTE:
        return {"text": text("text"), "kind": NoteKind(payload.get("kind", NoteKind.PRIVATE)).value}

    def item_ids() -> list[int]:
        items = payload.get("item_ids")
        if not isinstance(items, Sequence) or isinstance(items, str) or not items:
            raise ValueError(f"{kind} needs a non-empty list 'item_ids'")
        return [int(item) for item in items]

    def optional(key: str) -> str:
        value = payload.get(key, "")
        if not isinstance(value, str):
            raise ValueError(f"{kind}: {key!r} must be text")
        return value.strip()

    if kind is OutboxKind.TRACKING:
        data: dict[str, Any] = {
            "item_ids": item_ids(),
            "code": text("code").strip(),
            "url": text("url").strip(),
        }
        if carrier := optional("carrier"):
            data["carrier"] = carrier
        return data
    if kind is OutboxKind.REFUND:
        return _validate_refund(payload)
    if kind is OutboxKind.LOCAL_SHIPMENT:
        method = optional("method")
        if method not in _LOCAL_METHODS:
            raise ValueError(f"a local shipment's method is one of {', '.join(_LOCAL_METHODS)}")
        data = {
            "item_ids": item_ids(),
            "method": method,
            "carrier": optional("carrier"),
            "code": optional("code"),
            "url": optional("url"),
            "note": text("note").strip(),
        }
        if method == "tracked" and not (data["code"] and data["url"]):
            raise ValueError("a locally kept tracking needs its 'code' and 'url'")
        return data
    data = {"message": text("message")}
    about = payload.get("about_order_id")
    if about is not None:
        if isinstance(about, bool) or not isinstance(about, int) or about <= 0:
            raise ValueError("a message's 'about_order_id' is an order id")
        data["about_order_id"] = about
    return data


def _validate_refund(payload: Mapping[str, Any]) -> dict[str, Any]:
    """A refund request's payload, checked for shape (the rules are sync.refunds' business)."""
    mode = RefundMode(str(payload.get("mode", "")))
    reason = payload.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        raise ValueError("a refund request needs a non-empty 'reason'")
    currency = payload.get("currency", "")
    if not isinstance(currency, str):
        raise ValueError("a refund request's 'currency' must be text")
    lines = payload.get("lines")
    if not isinstance(lines, Sequence) or isinstance(lines, str) or not lines:
        raise ValueError("a refund request needs a non-empty list 'lines'")
    data_lines: list[dict[str, Any]] = []
    for line in lines:
        if not isinstance(line, Mapping):
            raise ValueError("each refund line is {'item_id', 'qty', 'amount'}")
        amount = to_decimal(str(line.get("amount", "0")))
        qty = int(line.get("qty", 0))
        if amount < 0 or qty < 0:
            raise ValueError("refund amounts and quantities cannot be negative")
        data_lines.append({"item_id": int(line["item_id"]), "qty": qty, "amount": f"{amount:f}"})
    return {
        "mode": mode.value,
        "currency": currency.strip().upper(),
        "reason": reason.strip(),
        "lines": data_lines,
    }


#: Ways a local shipment leaves the vendor (the values of domain.carriers.ShipMethod).
_LOCAL_METHODS = ("no_tracking", "pickup", "tracked")


def _entry(record: OutboxRecord) -> OutboxEntry:
    check = json.loads(record.check_json or "{}")
    # The error in English (as stored) or, when its sentence was kept with it, the sentence
    # (translated where it is shown).
    error: str = record.last_error
    if check.get("error") is not None:
        kept = load(check["error"])
        if kept == record.last_error:
            error = kept
    return OutboxEntry(
        id=record.id,
        account_id=record.account_id,
        order_id=record.order_id,
        kind=OutboxKind(record.kind),
        payload=json.loads(record.payload_json),
        state=OutboxState(record.state),
        attempts=record.attempts,
        next_attempt_at=record.next_attempt_at,
        last_error=error,
        created_at=record.created_at,
        sent_at=record.sent_at,
        refusal=str(check.get("refused_by", "")),
        attempt_at=_when(check.get("attempt_at")),
        check_after=_when(check.get("check_after")),
        conflict=(
            Conflict.from_json(check["conflict"])
            if record.state == OutboxState.NEEDS_DECISION.value and check.get("conflict")
            else None
        ),
    )


def _when(text: Any) -> datetime | None:
    return datetime.fromisoformat(text) if isinstance(text, str) and text else None


class Outbox:
    """The outbox of one account.

    Args:
        cache: the open cache.
        account_id: the account (``accounts.id``).
        base_delay, max_delay: back-off after a transient failure: ``base_delay`` doubled per
            failed attempt, at most ``max_delay``.
        clock: returns "now" (tests).
        refresh: re-reads one order into the cache after a successful send; by default a
            :class:`~vendor_desk.sync.syncer.Syncer`'s ``refresh_order``.
        grace: how long an entry whose outcome is unknown waits before it is checked
            (:data:`UNCERTAIN_GRACE`).
        sender: this process's name for the others ("Vendor Desk's window"; default: the
            command line).

    One process sends for an account at a time (:class:`SenderLock`, held for a send pass);
    creating an :class:`Outbox` when none is sending recovers from a crash: entries left
    ``sending`` by a process that is gone become ``uncertain``.
    """

    def __init__(
        self,
        cache: Cache,
        account_id: int,
        *,
        base_delay: timedelta = timedelta(seconds=30),
        max_delay: timedelta = timedelta(minutes=30),
        clock: Callable[[], datetime] = _now,
        refresh: Callable[[Marketplace, int], object] | None = None,
        recover_sending: bool = True,
        grace: timedelta = UNCERTAIN_GRACE,
        sender: str = "",
    ) -> None:
        self.cache = cache
        self.account_id = account_id
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.clock = clock
        self.grace = grace
        self.lock = SenderLock(cache.path.parent, account_id, sender)
        self._refresh = refresh or self._refresh_with_syncer
        if recover_sending:
            self.recover()

    # ================================================================== queue management
    def enqueue(
        self, kind: OutboxKind | str, order_id: int | None, payload: Mapping[str, Any]
    ) -> int:
        """Queue a change and apply it to the cached order (one transaction); returns its id.

        Raises ValueError for a malformed payload (nothing is written then).
        """
        with self.cache.session(write=True) as session:
            return self._enqueue_in(session, kind, order_id, payload)

    def _enqueue_in(
        self,
        session: Session,
        kind: OutboxKind | str,
        order_id: int | None,
        payload: Mapping[str, Any],
    ) -> int:
        """:meth:`enqueue` in the caller's transaction."""
        kind = OutboxKind(kind)
        data = _validate(kind, order_id, payload)
        now = self.clock()
        record = OutboxRecord(
            account_id=self.account_id,
            order_id=order_id,
            kind=kind.value,
            payload_json=json.dumps(data, ensure_ascii=False),
            state=OutboxState.PENDING.value,
            attempts=0,
            last_error="",
            created_at=now,
            updated_at=now,
            rollback_json="{}",
            check_json="{}",
        )
        session.add(record)
        session.flush()
        self._take_snapshot(session, record)
        self._apply(session, record)
        self._update_flags(session, order_id)
        return record.id

    def _take_snapshot(self, session: Session, record: OutboxRecord) -> None:
        """Remember what the vendor saw of the order when acting (the cached copy with the
        earlier pending changes on it): the send compares the marketplace's copy with it."""
        if record.order_id is None:
            return
        order = cache_store.load_orders(session, self.account_id, [record.order_id]).get(
            record.order_id
        )
        if order is not None:
            raw = session.scalar(
                select(OrderRecord.raw_json).where(
                    OrderRecord.account_id == self.account_id,
                    OrderRecord.order_id == record.order_id,
                )
            )
            self._set_check(record, seen=snapshot(order, json.loads(raw or "{}")))

    def get(self, entry_id: int) -> OutboxEntry:
        with self.cache.session() as session:
            return _entry(self._record(session, entry_id))

    def entries(
        self, states: Collection[OutboxState | str] | None = None, *, order_id: int | None = None
    ) -> list[OutboxEntry]:
        """The account's entries (oldest first), optionally only in ``states`` / of one order."""
        query = select(OutboxRecord).where(OutboxRecord.account_id == self.account_id)
        if states is not None:
            query = query.where(OutboxRecord.state.in_([OutboxState(s).value for s in states]))
        if order_id is not None:
            query = query.where(OutboxRecord.order_id == order_id)
        with self.cache.session() as session:
            return [_entry(record) for record in session.scalars(query.order_by(OutboxRecord.id))]

    def pending(self) -> list[OutboxEntry]:
        """Entries not yet known to be on the marketplace (pending, sending, uncertain)."""
        return self.entries(APPLIED_STATES)

    def wake_deferred(self) -> int:
        """Pending entries backed off while the marketplace could not be reached are due now
        (it answers again: they go at the next pass, not minutes later). Uncertain entries keep
        their check's grace. The number woken."""
        with self.cache.session(write=True) as session:
            records = session.scalars(
                select(OutboxRecord).where(
                    OutboxRecord.account_id == self.account_id,
                    OutboxRecord.state == OutboxState.PENDING.value,
                    OutboxRecord.next_attempt_at.is_not(None),
                )
            ).all()
            for record in records:
                record.next_attempt_at = None
            return len(records)

    def retry(self, entry_id: int, payload: Mapping[str, Any] | None = None) -> None:
        """Send an entry at the next pass: a failed one (optionally with an edited payload; its
        change is applied again), or a backed-off pending/uncertain one (now, not later)."""
        with self.cache.session(write=True) as session:
            record = self._record(session, entry_id)
            state = OutboxState(record.state)
            if state not in (OutboxState.FAILED, OutboxState.PENDING, OutboxState.UNCERTAIN):
                raise OutboxError(f"a {state} entry cannot be retried")
            if payload is not None:
                if state is not OutboxState.FAILED:
                    raise OutboxError("only a failed entry can be edited")
                data = _validate(OutboxKind(record.kind), record.order_id, payload)
                record.payload_json = json.dumps(data, ensure_ascii=False)
                record.check_json = "{}"
            # An uncertain entry is still checked no earlier than its grace allows
            # (check_after): retrying only drops the back-off.
            record.next_attempt_at = None
            record.updated_at = self.clock()
            if state is OutboxState.FAILED:
                record.state = OutboxState.PENDING.value
                record.attempts = 0
                record.last_error = ""
                self._set_check(record, refused_by=None)
                self._take_snapshot(session, record)  # what the vendor sees now
                self._apply_in_order(session, record)
            self._update_flags(session, record.order_id)

    def decide(self, entry_id: int, decision: Decision | str) -> int | None:
        """Go on with an entry that waits for the vendor (:attr:`OutboxState.NEEDS_DECISION`);
        returns the id of an entry queued instead (a parcel kept on this computer), or None.

        * ``keep-theirs`` / ``drop``: discarded (the marketplace's copy stays as it is);
        * ``replace``: sent at the next pass as it is, over what the marketplace has;
        * ``add-parcel`` (tracking): sent to the items that have no tracking on the marketplace;
          when every item has, kept as another parcel on this computer and told to the
          marketplace in a private note;
        * ``send-again`` (outcome unknown): sent again at the next pass — it may arrive twice;
        * ``arrived`` (outcome unknown): counted as sent.

        Raises :class:`OutboxError` when the entry does not wait or the decision is not one of
        its choices.
        """
        decision = Decision(decision)
        with self.cache.session(write=True) as session:
            record = self._record(session, entry_id)
            entry = _entry(record)
            if entry.state is not OutboxState.NEEDS_DECISION or entry.conflict is None:
                raise OutboxError(f"entry {entry_id} does not wait for a decision")
            conflict = entry.conflict
            allowed = set(conflict.choices) | {Decision.DROP}
            if decision not in allowed:
                choices = ", ".join(choice.value for choice in sorted(allowed))
                raise OutboxError(f"entry {entry_id}: choose one of {choices}")
            now = self.clock()
            record.updated_at = now
            if decision in (Decision.KEEP_THEIRS, Decision.DROP):
                record.state = OutboxState.DISCARDED.value
                self._set_check(record, decided=decision.value)
                self._update_flags(session, record.order_id)
                return None
            if decision is Decision.ARRIVED:
                record.state = OutboxState.SENT.value
                record.sent_at = now
                self._set_check(record, decided=decision.value)
                self._update_flags(session, record.order_id)
                return None
            instead: int | None = None
            if decision is Decision.ADD_PARCEL:
                instead = self._add_parcel(session, record, conflict)
                if instead is not None:
                    return instead
            # replace / send again / a parcel for the items still without tracking
            record.state = OutboxState.PENDING.value
            record.attempts = 0
            record.last_error = ""
            record.next_attempt_at = None
            self._set_check(
                record,
                conflict=None,
                decided=decision.value,
                # the next send skips the comparison (replace) or the landed check (send again)
                override=decision in (Decision.REPLACE, Decision.SEND_AGAIN),
                check_after=None,
            )
            self._apply_in_order(session, record)
            self._update_flags(session, record.order_id)
            return None

    def _add_parcel(self, session: Session, record: OutboxRecord, conflict: Conflict) -> int | None:
        """``add-parcel``: the tracking entry keeps only the items without tracking on the
        marketplace (None: it goes on); when none is left it is discarded and the parcel is
        kept on this computer instead — the id of that new entry."""
        payload = json.loads(record.payload_json)
        theirs = conflict.theirs.get("tracking") or {}
        free = [item for item in payload["item_ids"] if str(item) not in theirs]
        if free and conflict.reason is not ConflictReason.COMPLETED_ELSEWHERE:
            payload["item_ids"] = free
            record.payload_json = json.dumps(payload, ensure_ascii=False)
            return None
        record.state = OutboxState.DISCARDED.value
        self._set_check(record, decided=Decision.ADD_PARCEL.value)
        self._update_flags(session, record.order_id)
        carrier = str(payload.get("carrier", ""))
        note = (
            f"Also shipped in another parcel: tracking {payload['code']}"
            + (f" ({carrier})" if carrier else "")
            + f" — {payload['url']}"
        )
        local = {
            "item_ids": payload["item_ids"],
            "method": "tracked",
            "carrier": carrier,
            "code": payload["code"],
            "url": payload["url"],
            "note": note,
        }
        session.flush()
        return self._enqueue_in(session, OutboxKind.LOCAL_SHIPMENT, record.order_id, local)

    def discard(self, entry_id: int) -> None:
        """Drop an entry that was not sent (pending, uncertain or failed) and roll its change
        back. An uncertain one may have landed after all: the next sync shows the truth."""
        with self.cache.session(write=True) as session:
            record = self._record(session, entry_id)
            state = OutboxState(record.state)
            if state not in (OutboxState.PENDING, OutboxState.UNCERTAIN, OutboxState.FAILED):
                raise OutboxError(f"a {state} entry cannot be discarded")
            if state in APPLIED_STATES:
                self._rollback(session, record)
            record.state = OutboxState.DISCARDED.value
            record.updated_at = self.clock()
            self._update_flags(session, record.order_id)

    def recover(self) -> int:
        """Entries left ``sending`` by a process that stopped mid-send become ``uncertain``
        (checked once their grace is over, before any resend); their count. Only while no
        process is sending for the account: another one's live ``sending`` entry is its own."""
        if not self.lock.acquire(timeout=0):
            return 0
        try:
            with self.cache.session(write=True) as session:
                records = session.scalars(
                    select(OutboxRecord).where(
                        OutboxRecord.account_id == self.account_id,
                        OutboxRecord.state == OutboxState.SENDING.value,
                    )
                ).all()
                for record in records:
                    record.state = OutboxState.UNCERTAIN.value
                    record.next_attempt_at = None
                    record.updated_at = self.clock()
                    self._update_flags(session, record.order_id)
                return len(records)
        finally:
            self.lock.release()

    def reapply(self, order_ids: Iterable[int] | None = None) -> None:
        """Put the pending changes back on orders the sync has just rewritten from the
        marketplace (all orders with pending entries when ``order_ids`` is None)."""
        with self.cache.session(write=True) as session:
            self.reapply_in(session, order_ids)

    def reapply_in(self, session: Session, order_ids: Iterable[int] | None = None) -> None:
        """:meth:`reapply` inside the caller's transaction (the sync calls it right after
        storing a page, so no reader ever sees a pending change undone)."""
        query = select(OutboxRecord.order_id).where(
            OutboxRecord.account_id == self.account_id,
            OutboxRecord.state.in_([s.value for s in APPLIED_STATES]),
            OutboxRecord.order_id.is_not(None),
        )
        wanted = set(session.scalars(query.distinct()))
        if order_ids is not None:
            wanted &= set(order_ids)
        for order_id in sorted(i for i in wanted if i is not None):
            self._reapply(session, order_id)

    # ============================================================================ sending
    def send_due(
        self, marketplace: Marketplace, now: datetime | None = None, *, wait: float = 0.0
    ) -> SendReport:
        """Send every due entry, oldest first, one at a time, in order per order.

        Only one process sends for an account at a time: when another one is sending, this
        waits at most ``wait`` seconds for its turn, then sends nothing (``report.busy`` says
        who is sending; the entries stay queued for it or the next pass)."""
        if not self.lock.acquire(timeout=wait):
            report = SendReport(busy=self.lock.holder() or SenderInfo(0, "", None))
            report.waiting = [entry.id for entry in self.entries(BLOCKING_STATES)]
            return report
        try:
            return self._send_due(marketplace, now)
        finally:
            self.lock.release()

    def _send_due(self, marketplace: Marketplace, now: datetime | None) -> SendReport:
        self.recover()
        now = now or self.clock()
        report = SendReport()
        with self.cache.session() as session:
            queue = [
                _entry(record)
                for record in session.scalars(
                    select(OutboxRecord)
                    .where(
                        OutboxRecord.account_id == self.account_id,
                        OutboxRecord.state.in_([s.value for s in BLOCKING_STATES]),
                    )
                    .order_by(OutboxRecord.id)
                )
            ]
        blocked: set[int | None] = set()
        for entry in queue:
            if report.offline or report.signed_out or entry.order_id in blocked:
                report.waiting.append(entry.id)
                continue
            if entry.state in (OutboxState.FAILED, OutboxState.NEEDS_DECISION):
                blocked.add(entry.order_id)
                continue
            if (entry.next_attempt_at is not None and entry.next_attempt_at > now) or (
                entry.state is OutboxState.UNCERTAIN
                and entry.check_after is not None
                and entry.check_after > now
            ):
                blocked.add(entry.order_id)
                report.waiting.append(entry.id)
                continue
            if not self._send_one(marketplace, entry, report, now):
                blocked.add(entry.order_id)
        return report

    def _send_one(
        self, market: Marketplace, entry: OutboxEntry, report: SendReport, now: datetime
    ) -> bool:
        """Send (or confirm) one entry; True when it is now on the marketplace."""
        # Until the request goes out, a transient error leaves the entry as it was (an
        # uncertain one stays uncertain: it still needs its check).
        unsent_state = entry.state
        self._set_state(entry.id, entry.state, now, attempt=True)  # counts checks and offline tries
        with self.cache.session() as session:
            check = self._check(self._record(session, entry.id))
        override = bool(check.get("override"))
        try:
            if entry.state is OutboxState.UNCERTAIN and not override:
                landed = self._landed(market, entry)
                if isinstance(landed, Conflict):
                    self._hold(market, entry, landed, report)
                    return False
                if landed:
                    log.info("outbox %s: found on the marketplace, not sent again", entry.id)
                    self._finish(market, entry, report, confirmed=True)
                    return True
            if entry.kind is OutboxKind.LOCAL_SHIPMENT and not market.capabilities().can_add_notes:
                self._finish(market, entry, report, confirmed=False, local=True)
                return True
            current: Order | None = None
            if entry.kind in _COMPARED_KINDS:
                assert entry.order_id is not None
                try:
                    current = market.get_order(entry.order_id)
                except NotFound:
                    self._hold(market, entry, gone(self._mine(entry)), report)
                    return False
                if not override:
                    verdict = compare(entry.kind.value, entry.payload, check.get("seen"), current)
                    if verdict.conflict is not None:
                        self._hold(market, entry, verdict.conflict, report)
                        return False
                    if verdict.done:
                        log.info("outbox %s: already so on the marketplace, not sent", entry.id)
                        self._finish(market, entry, report, confirmed=True)
                        return True
            if entry.kind in _BASELINE_KINDS:
                self._remember_baseline(market, entry)
            sent_at = self.clock()
            self._set_state(
                entry.id,
                OutboxState.SENDING,
                now,
                check={
                    "attempt_at": sent_at.isoformat(),
                    "check_after": (sent_at + self.grace).isoformat(),
                    "override": None,
                },
            )
            unsent_state = OutboxState.PENDING  # checked: it had not landed
            self._perform(market, entry, current)
        except (CapabilityMissing, ReadOnlyCredentials) as error:
            if entry.kind is not OutboxKind.LOCAL_SHIPMENT:
                self._fail(entry.id, error)
                report.failed.append(entry.id)
                return False
            # The shipment happened all the same; only the marketplace cannot be told.
            log.info("outbox %s: kept locally only: %s", entry.id, error)
            self._finish(market, entry, report, confirmed=False, local=True)
            return True
        except WriteOutcomeUnknown as error:
            self._set_state(entry.id, OutboxState.UNCERTAIN, now, error=error, backoff=True)
            report.uncertain.append(entry.id)
            return False
        except MarketplaceError as error:
            signed_out = isinstance(error, AuthenticationRefused)
            if error.transient or signed_out:
                # Not carried out (offline, busy, the password was changed …): try again
                # later, backed off; a refused password is the vendor's to fix, not a refusal
                # of the change.
                self._set_state(entry.id, unsent_state, now, error=error, backoff=True)
                report.deferred.append(entry.id)
                report.offline = report.offline or isinstance(error, Unreachable)
                report.signed_out = report.signed_out or signed_out
                return False
            self._fail(entry.id, error)
            report.failed.append(entry.id)
            return False
        except BaseException as error:
            # A bug or an interruption mid-send: whether it went out is unknown.
            self._set_state(entry.id, OutboxState.UNCERTAIN, now, error=error)
            raise
        self._finish(market, entry, report, confirmed=False)
        return True

    @staticmethod
    def _mine(entry: OutboxEntry) -> dict[str, Any]:
        """What an entry would send, for the vendor's side of a conflict."""
        return {"kind": entry.kind.value, **dict(entry.payload)}

    def _hold(
        self, market: Marketplace, entry: OutboxEntry, conflict: Conflict, report: SendReport
    ) -> None:
        """Not sent: the entry waits for the vendor's decision, its change rolled back, and
        the order is read again so that the cache shows the marketplace's side."""
        log.info("outbox %s: waits for the vendor: %s", entry.id, conflict.reason)
        with self.cache.session(write=True) as session:
            record = self._record(session, entry.id)
            if OutboxState(record.state) in APPLIED_STATES:
                self._rollback(session, record)
            record.state = OutboxState.NEEDS_DECISION.value
            record.next_attempt_at = None
            record.updated_at = self.clock()
            self._set_check(record, conflict=conflict.as_json(), override=None)
            self._update_flags(session, record.order_id)
        report.decide.append(entry.id)
        if entry.order_id is None or conflict.reason is ConflictReason.ORDER_GONE:
            return
        try:
            self._refresh(market, entry.order_id)
        except MarketplaceError as error:  # the next sync catches up
            log.info("outbox %s: re-reading order %s failed: %s", entry.id, entry.order_id, error)
            return
        with self.cache.session(write=True) as session:
            self._reapply(session, entry.order_id)
            self._update_flags(session, entry.order_id)

    def _perform(self, market: Marketplace, entry: OutboxEntry, current: Order | None) -> None:
        """The marketplace call of one entry (``current``: the order as just read, or None)."""
        payload = entry.payload
        order_id = entry.order_id
        if entry.kind is OutboxKind.MESSAGE_ADMIN:
            market.send_message_to_admin(str(payload["message"]))
            return
        assert order_id is not None
        if entry.kind is OutboxKind.SET_STATUS:
            market.set_status(order_id, OrderStatus(str(payload["status"])))
        elif entry.kind is OutboxKind.COMPLETE:
            market.mark_complete(order_id)
        elif entry.kind is OutboxKind.NOTE:
            market.add_note(order_id, str(payload["text"]), NoteKind(payload["kind"]))
        elif entry.kind is OutboxKind.LOCAL_SHIPMENT:
            market.add_note(order_id, str(payload["note"]), NoteKind.PRIVATE)
        elif entry.kind is OutboxKind.TRACKING:
            market.add_tracking(
                order_id,
                [int(i) for i in payload["item_ids"]],
                payload["code"],
                payload["url"],
                known=current,
            )
        elif entry.kind is OutboxKind.REFUND:
            market.request_refund(
                order_id,
                RefundMode(payload["mode"]),
                refund_lines_of(payload),
                payload["reason"],
                known=current,
            )

    def _remember_baseline(self, market: Marketplace, entry: OutboxEntry) -> None:
        """Before the first send of a note or message: the newest matching id on the
        marketplace, so the check after an uncertain send only counts newer ones."""
        with self.cache.session() as session:
            if json.loads(self._record(session, entry.id).check_json).get("baseline") is not None:
                return
        if entry.kind in _NOTE_KINDS:
            assert entry.order_id is not None
            ids = [note.id for note in market.list_notes(entry.order_id)]
        elif entry.kind is OutboxKind.REFUND:
            ids = [request.id for request in market.list_refund_requests()]
        else:
            ids = [n.id for n in market.list_notifications(read=True) if n.type == "direct"]
        with self.cache.session(write=True) as session:
            record = self._record(session, entry.id)
            self._set_check(record, baseline=max(ids, default=0))

    def _landed(self, market: Marketplace, entry: OutboxEntry) -> bool | Conflict:
        """Whether an entry whose send had an unknown outcome is on the marketplace: its own
        effect is looked for (the status it set, its tracking on its items, a note / message /
        refund request newer than the newest one before it was sent). A :class:`Conflict`
        when the marketplace cannot tell (the order is gone; its items carry another tracking
        now, which may have replaced this one): the vendor decides."""
        payload = entry.payload
        unknown = Conflict(
            ConflictReason.OUTCOME_UNKNOWN,
            {},
            self._mine(entry),
            (Decision.SEND_AGAIN, Decision.ARRIVED, Decision.DROP),
        )
        if entry.kind in (OutboxKind.SET_STATUS, OutboxKind.COMPLETE, OutboxKind.TRACKING):
            assert entry.order_id is not None
            try:
                order = market.get_order(entry.order_id)
            except NotFound:
                return unknown
            if entry.kind is OutboxKind.SET_STATUS:
                return order.vendor_status.slug == str(payload["status"])
            if entry.kind is OutboxKind.COMPLETE:
                return order.vendor_status == OrderStatus.COMPLETED
            items = [order.item(int(item_id)) for item_id in payload["item_ids"]]
            if all(
                item is not None
                and item.tracking_code == payload["code"]
                and item.tracking_url == payload["url"]
                for item in items
            ):
                return True
            others = {
                str(item.item_id): {"name": item.name, "code": item.tracking_code}
                for item in items
                if item is not None and item.has_tracking
            }
            if others:
                return replace(unknown, theirs={"tracking": others})
            return False
        with self.cache.session() as session:
            baseline = json.loads(self._record(session, entry.id).check_json).get("baseline")
        if baseline is None:  # never got as far as sending
            return False
        if entry.kind is OutboxKind.REFUND:
            # One request row per item; the list shows order, mode and reason (tags stripped).
            reason = _plain(str(payload["reason"]))
            return any(
                request.id > baseline
                and request.order_id == entry.order_id
                and request.mode.value == payload["mode"]
                and _plain(request.reason) == reason
                for request in market.list_refund_requests()
            )
        if entry.kind in _NOTE_KINDS:
            assert entry.order_id is not None
            if entry.kind is OutboxKind.LOCAL_SHIPMENT:
                text, customer = _plain(str(payload["note"])), False
            else:
                text = _plain(str(payload["text"]))
                customer = payload["kind"] == NoteKind.CUSTOMER.value
            return any(
                note.id > baseline
                and _plain(note.text).endswith(text)
                and note.customer_visible == customer
                for note in market.list_notes(entry.order_id)
            )
        text = _plain(str(payload["message"]))
        return any(
            n.id > baseline and n.type == "direct" and _plain(n.message) == text
            for n in market.list_notifications(read=True)
        )

    def _finish(
        self,
        market: Marketplace,
        entry: OutboxEntry,
        report: SendReport,
        *,
        confirmed: bool,
        local: bool = False,
    ) -> None:
        """Mark an entry sent (or, with ``local``, done on this computer only), then re-read
        its order so the cache holds the marketplace's truth."""
        now = self.clock()
        with self.cache.session(write=True) as session:
            record = self._record(session, entry.id)
            record.state = (OutboxState.LOCAL if local else OutboxState.SENT).value
            record.sent_at = None if local else now
            record.updated_at = now
            record.next_attempt_at = None
            record.last_error = ""
            if entry.kind is OutboxKind.LOCAL_SHIPMENT:
                self._settle_shipment(session, record, "local" if local else "note")
            self._update_flags(session, record.order_id)
        if local:
            report.local.append(entry.id)
            return
        (report.confirmed if confirmed else report.sent).append(entry.id)
        if entry.order_id is None:
            return
        try:
            self._refresh(market, entry.order_id)
        except MarketplaceError as error:  # sent all the same; the next sync catches up
            log.info("outbox %s: re-reading order %s failed: %s", entry.id, entry.order_id, error)
            return
        report.refreshed.append(entry.order_id)
        with self.cache.session(write=True) as session:
            self._reapply(session, entry.order_id)
            self._update_flags(session, entry.order_id)

    def _refresh_with_syncer(self, market: Marketplace, order_id: int) -> object:
        from vendor_desk.sync.syncer import Syncer

        return Syncer(self.cache, self.account_id, market, clock=self.clock).refresh_order(order_id)

    # ============================================================================ states
    def _record(self, session: Session, entry_id: int) -> OutboxRecord:
        record = session.get(OutboxRecord, entry_id)
        if record is None or record.account_id != self.account_id:
            raise OutboxError(f"no outbox entry {entry_id}")
        return record

    @staticmethod
    def _check(record: OutboxRecord) -> dict[str, Any]:
        """The entry's bookkeeping for its checks (``check_json``): what the vendor saw, the
        baseline, when it went out, a refusal or a conflict …"""
        data: dict[str, Any] = json.loads(record.check_json or "{}")
        return data

    @classmethod
    def _set_check(cls, record: OutboxRecord, **values: Any) -> None:
        """Merge ``values`` into the entry's check bookkeeping (None removes a key)."""
        check = cls._check(record)
        for key, value in values.items():
            if value is None or value is False:
                check.pop(key, None)
            else:
                check[key] = value
        record.check_json = json.dumps(check, ensure_ascii=False)

    @classmethod
    def _set_error(cls, record: OutboxRecord, error: str) -> None:
        """Keep an error: its English text in ``last_error`` and, for a sentence, its template
        and values in the check bookkeeping, so that it is translated when shown."""
        record.last_error = error
        cls._set_check(record, error=dump(error) if isinstance(error, Sentence) else None)

    def _backoff(self, attempts: int) -> timedelta:
        factor: int = 2 ** max(0, min(attempts - 1, 30))
        delay: timedelta = self.base_delay * factor
        return min(delay, self.max_delay)

    def _set_state(
        self,
        entry_id: int,
        state: OutboxState,
        now: datetime,
        *,
        attempt: bool = False,
        error: BaseException | None = None,
        backoff: bool = False,
        check: Mapping[str, Any] | None = None,
    ) -> None:
        with self.cache.session(write=True) as session:
            record = self._record(session, entry_id)
            record.state = state.value
            record.updated_at = now
            if check:
                self._set_check(record, **check)
            if attempt:
                record.attempts += 1
            if error is not None:
                self._set_error(record, str(error) or type(error).__name__)
            delay = self._backoff(record.attempts)
            # Not before the marketplace said (429/503 Retry-After).
            asked = getattr(error, "retry_after", None)
            if asked is not None:
                delay = max(delay, timedelta(seconds=asked))
            record.next_attempt_at = now + delay if backoff else None
            self._update_flags(session, record.order_id)

    def _fail(self, entry_id: int, error: MarketplaceError) -> None:
        """A permanent refusal: failed, with the marketplace's words; change rolled back."""
        with self.cache.session(write=True) as session:
            record = self._record(session, entry_id)
            self._rollback(session, record)
            self._set_check(record, refused_by=type(error).__name__)
            record.state = OutboxState.FAILED.value
            self._set_error(record, str(error))
            record.next_attempt_at = None
            record.updated_at = self.clock()
            self._update_flags(session, record.order_id)

    # =============================================================== optimistic changes
    def _apply(self, session: Session, record: OutboxRecord) -> None:
        """Apply an entry's change to the cached order; remember what it replaced."""
        kind = OutboxKind(record.kind)
        payload = json.loads(record.payload_json)
        order_id = record.order_id
        if order_id is None:
            return
        row = session.get(OrderRecord, (self.account_id, order_id))
        if row is None:  # not cached (yet): nothing to show
            record.rollback_json = "{}"
            return
        if kind is OutboxKind.LOCAL_SHIPMENT:
            shipments = self._shipments(session, order_id, without=record.id)
            shipments.append(
                {
                    "entry": record.id,
                    "item_ids": payload["item_ids"],
                    "method": payload["method"],
                    "carrier": payload["carrier"],
                    "code": payload["code"],
                    "url": payload["url"],
                    "at": record.created_at.isoformat(),
                    "marketplace": "pending",
                }
            )
            cache_store.set_local(session, self.account_id, order_id, shipments=shipments)
            self._mark_locally_shipped(session, order_id)
            record.rollback_json = json.dumps({"shipment_entry": record.id})
            return
        if kind is OutboxKind.NOTE:
            note_id = -record.id
            session.execute(
                delete(NoteRecord).where(
                    NoteRecord.account_id == self.account_id, NoteRecord.note_id == note_id
                )
            )
            session.add(
                NoteRecord(
                    account_id=self.account_id,
                    note_id=note_id,
                    order_id=order_id,
                    date=record.created_at,
                    text=payload["text"],
                    html="",
                    customer_visible=payload["kind"] == NoteKind.CUSTOMER.value,
                    author=PENDING_NOTE_AUTHOR,
                )
            )
            record.rollback_json = json.dumps({"note_id": note_id})
            return
        order = cache_store.load_orders(session, self.account_id, [order_id])[order_id]
        touched: list[int] = []
        if kind is OutboxKind.SET_STATUS:
            order = replace(order, vendor_status=OrderStatus(payload["status"]))
        elif kind is OutboxKind.COMPLETE:
            order = replace(order, vendor_status=OrderStatus.COMPLETED)
        elif kind is OutboxKind.REFUND:
            wanted = {int(line["item_id"]) for line in payload["lines"]}
            touched = [item.item_id for item in order.items if item.item_id in wanted]
            order = replace(
                order,
                refund_requested=True,
                items=tuple(
                    replace(item, refund_state=RefundState.REQUESTED)
                    if item.item_id in wanted
                    else item
                    for item in order.items
                ),
            )
        elif kind is OutboxKind.TRACKING:
            wanted = {int(i) for i in payload["item_ids"]}
            touched = [item.item_id for item in order.items if item.item_id in wanted]
            order = replace(
                order,
                vendor_status=OrderStatus.SHIPPED,
                items=tuple(
                    replace(item, tracking_code=payload["code"], tracking_url=payload["url"])
                    if item.item_id in wanted
                    else item
                    for item in order.items
                ),
            )
        items = {
            item.item_id: item
            for item in session.scalars(
                select(LineItemRecord).where(
                    LineItemRecord.account_id == self.account_id,
                    LineItemRecord.item_id.in_(touched),
                )
            )
        }
        saved: dict[str, Any] = {"order": {name: getattr(row, name) for name in _ORDER_COLUMNS}}
        if kind is OutboxKind.REFUND:
            saved["refund_items"] = {str(i): items[i].refund_state for i in items}
        else:
            saved["items"] = {
                str(i): [items[i].tracking_code, items[i].tracking_url] for i in items
            }
        record.rollback_json = json.dumps(saved)
        values = cache_store.order_values(order)
        if kind is OutboxKind.TRACKING:
            values["shipping_status"] = "shipped"
        for name in _ORDER_COLUMNS:
            if name != "fingerprint":
                setattr(row, name, values[name])
        row.fingerprint = ""  # the marketplace's copy rewrites this row whatever it says
        for item in items.values():
            if kind is OutboxKind.REFUND:
                item.refund_state = RefundState.REQUESTED.slug
            else:
                item.tracking_code = payload["code"]
                item.tracking_url = payload["url"]
        session.flush()
        # the group was derived from the marketplace's view: shipments recorded on this
        # computer only still count (a refund request of such an order is not "to ship")
        cache_store.apply_local_shipments(session, self.account_id, [order_id])

    def _restore(self, session: Session, record: OutboxRecord) -> None:
        """Put back what an entry's change replaced."""
        saved = json.loads(record.rollback_json or "{}")
        if "shipment_entry" in saved and record.order_id is not None:
            shipments = self._shipments(session, record.order_id, without=saved["shipment_entry"])
            cache_store.set_local(
                session, self.account_id, record.order_id, shipments=shipments or None
            )
            self._mark_locally_shipped(session, record.order_id)
        if "note_id" in saved:
            session.execute(
                delete(NoteRecord).where(
                    NoteRecord.account_id == self.account_id,
                    NoteRecord.note_id == saved["note_id"],
                )
            )
        if record.order_id is not None and "order" in saved:
            row = session.get(OrderRecord, (self.account_id, record.order_id))
            if row is not None:
                for name, value in saved["order"].items():
                    setattr(row, name, value)
            for item_id, (code, url) in saved.get("items", {}).items():
                item = session.get(LineItemRecord, (self.account_id, int(item_id)))
                if item is not None:
                    item.tracking_code = code
                    item.tracking_url = url
            for item_id, refund_state in saved.get("refund_items", {}).items():
                item = session.get(LineItemRecord, (self.account_id, int(item_id)))
                if item is not None:
                    item.refund_state = refund_state
        record.rollback_json = "{}"

    def _shipments(
        self, session: Session, order_id: int, *, without: int | None = None
    ) -> list[dict[str, Any]]:
        """The order's local shipment records (``orders.local["shipments"]``), except the one
        of entry ``without``."""
        local = cache_store.get_local(session, self.account_id, order_id)
        return [s for s in local.get("shipments", []) if s.get("entry") != without]

    def _mark_locally_shipped(self, session: Session, order_id: int) -> None:
        """Flag the order as shipped when its local shipments cover every item still to ship,
        and recompute its list group ("To ship" → "Shipped", or back after a roll-back)."""
        order = cache_store.load_orders(session, self.account_id, [order_id]).get(order_id)
        if order is None:
            return
        covered = {int(i) for s in self._shipments(session, order_id) for i in s["item_ids"]}
        done = bool(covered) and not rules.unshipped_item_ids(order, covered)
        cache_store.set_local(
            session, self.account_id, order_id, **{cache_store.SHIPPED_LOCALLY: done or None}
        )
        cache_store.recompute_group(session, self.account_id, order_id)

    def _settle_shipment(self, session: Session, record: OutboxRecord, where: str) -> None:
        """A local shipment's record once its entry is done: ``marketplace`` = "note" (told as
        a private note) or "local" (the marketplace could not be told)."""
        if record.order_id is None:
            return
        shipments = self._shipments(session, record.order_id)
        for shipment in shipments:
            if shipment.get("entry") == record.id:
                shipment["marketplace"] = where
        cache_store.set_local(session, self.account_id, record.order_id, shipments=shipments)

    def _later_applied(self, session: Session, record: OutboxRecord) -> list[OutboxRecord]:
        return list(
            session.scalars(
                select(OutboxRecord)
                .where(
                    OutboxRecord.account_id == self.account_id,
                    OutboxRecord.order_id == record.order_id,
                    OutboxRecord.id > record.id,
                    OutboxRecord.state.in_([s.value for s in APPLIED_STATES]),
                )
                .order_by(OutboxRecord.id)
            )
        )

    def _apply_in_order(self, session: Session, record: OutboxRecord) -> None:
        """Apply an entry again (after a retry) beneath the later entries of its order."""
        later = self._later_applied(session, record)
        for other in reversed(later):
            self._restore(session, other)
        self._apply(session, record)
        for other in later:
            self._apply(session, other)
        session.flush()

    def _rollback(self, session: Session, record: OutboxRecord) -> None:
        """Undo an entry's change. Later entries of the order were applied on top of it: undo
        them too (newest first), then apply them again without this one."""
        if record.order_id is None:
            return
        later = self._later_applied(session, record)
        for other in reversed(later):
            self._restore(session, other)
        self._restore(session, record)
        for other in later:
            self._apply(session, other)
        session.flush()

    def _reapply(self, session: Session, order_id: int) -> None:
        """After the marketplace's copy of an order was stored: apply its pending entries
        again on top (an untouched optimistic state — empty fingerprint — is left as it is)."""
        row = session.get(OrderRecord, (self.account_id, order_id))
        if row is None:
            return
        rewritten = row.fingerprint != ""
        for record in session.scalars(
            select(OutboxRecord)
            .where(
                OutboxRecord.account_id == self.account_id,
                OutboxRecord.order_id == order_id,
                OutboxRecord.state.in_([s.value for s in APPLIED_STATES]),
            )
            .order_by(OutboxRecord.id)
        ):
            if rewritten or OutboxKind(record.kind) in _NOTE_KINDS:
                self._apply(session, record)
        session.flush()
        self._update_flags(session, order_id)

    def _update_flags(self, session: Session, order_id: int | None) -> None:
        """``orders.local["outbox"]``: the order's unsent/failed entries, for the UI's badges::

        [{"id": 7, "kind": "tracking", "state": "pending", "fields": ["vendor_status", "tracking"]}]
        """
        if order_id is None:
            return
        session.flush()
        records = session.scalars(
            select(OutboxRecord)
            .where(
                OutboxRecord.account_id == self.account_id,
                OutboxRecord.order_id == order_id,
                OutboxRecord.state.in_([s.value for s in BLOCKING_STATES]),
            )
            .order_by(OutboxRecord.id)
        ).all()
        flags = [
            {
                "id": record.id,
                "kind": record.kind,
                "state": record.state,
                "fields": list(_FIELDS[OutboxKind(record.kind)]),
            }
            for record in records
        ]
        cache_store.set_local(session, self.account_id, order_id, outbox=flags or None)


#: Which parts of an order each kind changes (for the UI's pending badges).
_FIELDS: dict[OutboxKind, tuple[str, ...]] = {
    OutboxKind.SET_STATUS: ("vendor_status",),
    OutboxKind.COMPLETE: ("vendor_status",),
    OutboxKind.NOTE: ("notes",),
    OutboxKind.TRACKING: ("vendor_status", "tracking"),
    OutboxKind.MESSAGE_ADMIN: (),
    OutboxKind.LOCAL_SHIPMENT: ("shipment", "notes"),
    OutboxKind.REFUND: ("refund",),
}
#: Kinds sent as an order note (checked like a note after an uncertain send; their optimistic
#: change lives outside the rows the sync rewrites).
_NOTE_KINDS = frozenset({OutboxKind.NOTE, OutboxKind.LOCAL_SHIPMENT})
#: Kinds sent only to an order as the vendor saw it (:func:`vendor_desk.sync.conflicts.compare`
#: with the marketplace's copy read right before sending).
_COMPARED_KINDS = frozenset(
    {OutboxKind.TRACKING, OutboxKind.COMPLETE, OutboxKind.SET_STATUS, OutboxKind.REFUND}
)
#: Kinds whose exactly-once check looks for something newer than a baseline taken before the
#: first send (a note id, a message id, a refund request id).
_BASELINE_KINDS = frozenset({*_NOTE_KINDS, OutboxKind.MESSAGE_ADMIN, OutboxKind.REFUND})


def refund_lines_of(payload: Mapping[str, Any]) -> list[RefundLine]:
    """The lines of a ``REFUND`` payload."""
    currency = str(payload.get("currency") or "USD")
    return [
        RefundLine(
            int(line["item_id"]), int(line["qty"]), Money(to_decimal(line["amount"]), currency)
        )
        for line in payload["lines"]
    ]


__all__ = [
    "APPLIED_STATES",
    "BLOCKING_STATES",
    "PENDING_NOTE_AUTHOR",
    "Outbox",
    "OutboxEntry",
    "OutboxError",
    "OutboxKind",
    "OutboxState",
    "SendReport",
    "refund_lines_of",
]
