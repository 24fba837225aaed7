"""Never overwrite what the marketplace changed since the vendor looked. No Qt, no network.

Two desks of one vendor (or the desk and the store admin) may act on one order: desk A ships
order X with tracking A; desk B, whose cache has not seen that yet, ships X with tracking B. The
marketplace checks nothing — it keeps B, the customer gets e-mails for both, and A vanishes
without a word. Or desk B adds tracking to an order desk A already completed, and the vendor's
status goes back from completed to shipped.

So each outbox entry keeps what the vendor saw when acting (:func:`snapshot` of the cached order,
taken when the change is queued), and right before it is sent the order is read again and
:func:`compare`\\ d: the parts this change depends on (the vendor status, the tracking on its
items, their refund state, the payout) must be as the vendor saw them. If they are not, nothing
is sent: the entry waits for the vendor's decision, with both sides (:class:`Conflict`).

The snapshot also holds the outbox's own earlier entries of the order (they were applied to the
cache optimistically and are sent first, in order), so a tracking entry followed by "mark
complete" compares the completion with the order as the tracking left it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from vendor_desk.domain import Order, OrderStatus
from vendor_desk.domain.rules import status_word
from vendor_desk.domain.text import N_, Sentence, join_sentences
from vendor_desk.marketplace.parsing import has_trash_meta

#: Vendor statuses after which nothing more is sent for an order (no tracking, no status).
_CLOSED = frozenset({"cancelled", "refunded", "failed"})
#: Kinds compared with the marketplace's copy (notes, messages and local shipments add only).
_CHECKED_KINDS = frozenset({"tracking", "complete", "set_status", "refund"})


class ConflictReason(StrEnum):
    """Why an entry was not sent and waits for the vendor."""

    #: Items of a tracking entry carry another tracking now (another desk shipped them).
    TRACKING_ELSEWHERE = "tracking_elsewhere"
    #: The vendor's part is completed (meanwhile, or by this desk): tracking sent now would set
    #: it back to shipped.
    COMPLETED_ELSEWHERE = "completed_elsewhere"
    #: The order was cancelled, refunded or failed meanwhile.
    CLOSED_ELSEWHERE = "closed_elsewhere"
    #: The vendor status is not what the vendor saw (a status change).
    STATUS_ELSEWHERE = "status_elsewhere"
    #: A refund was requested, decided or paid out meanwhile (a refund request).
    REFUND_ELSEWHERE = "refund_elsewhere"
    #: The order is no longer the vendor's on the marketplace (deleted, trashed …).
    ORDER_GONE = "order_gone"
    #: The outcome of an earlier attempt is unknown and the marketplace cannot tell whether it
    #: landed (see :mod:`vendor_desk.sync.outbox`).
    OUTCOME_UNKNOWN = "outcome_unknown"


class Decision(StrEnum):
    """What the vendor may decide for an entry that waits (``Outbox.decide``)."""

    #: Keep what the marketplace has; drop this change.
    KEEP_THEIRS = "keep-theirs"
    #: Send this change anyway, replacing what the marketplace has.
    REPLACE = "replace"
    #: Tracking: keep theirs on the items that have it; this parcel goes on the items without
    #: tracking, or is kept as another parcel (recorded on this computer, told in a private
    #: note) when every item has tracking.
    ADD_PARCEL = "add-parcel"
    #: Outcome unknown: send it again (it may arrive twice).
    SEND_AGAIN = "send-again"
    #: Outcome unknown: it did arrive; count it as sent.
    ARRIVED = "arrived"
    #: Drop this change.
    DROP = "drop"


@dataclass(frozen=True)
class Conflict:
    """Why an entry waits, and the two sides: ``theirs`` (the marketplace now) and ``mine``
    (what the entry would send), as plain JSON data; ``choices`` the decisions offered."""

    reason: ConflictReason
    theirs: Mapping[str, Any] = field(default_factory=dict)
    mine: Mapping[str, Any] = field(default_factory=dict)
    choices: tuple[Decision, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {
            "reason": self.reason.value,
            "theirs": dict(self.theirs),
            "mine": dict(self.mine),
            "choices": [choice.value for choice in self.choices],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Conflict:
        return cls(
            ConflictReason(str(data["reason"])),
            dict(data.get("theirs") or {}),
            dict(data.get("mine") or {}),
            tuple(Decision(choice) for choice in data.get("choices") or ()),
        )


@dataclass(frozen=True)
class Comparison:
    """The verdict of :func:`compare`: send it, it is ``done`` already (the marketplace shows
    exactly this change), or a :class:`Conflict`."""

    done: bool = False
    conflict: Conflict | None = None

    @property
    def send(self) -> bool:
        return not self.done and self.conflict is None


SEND = Comparison()
DONE = Comparison(done=True)


def snapshot(order: Order, raw: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """What the vendor sees of ``order`` (the cached copy, with the outbox's pending changes
    on it), as plain JSON data: statuses, payout, per item the tracking and refund state, and
    whether its stored JSON (``raw``, when given) carries WordPress's trash meta."""
    return {
        "trash_meta": has_trash_meta(raw if raw is not None else order.raw),
        "vendor_status": order.vendor_status.slug,
        "main_status": order.main_status.slug,
        "payout": order.payout_state.slug,
        "refund_requested": order.refund_requested,
        "items": {
            str(item.item_id): {
                "code": item.tracking_code,
                "url": item.tracking_url,
                "refund": item.refund_state.slug,
            }
            for item in order.items
        },
    }


def _tracking(order: Order, item_ids: Sequence[int]) -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = {}
    for item_id in item_ids:
        item = order.item(item_id)
        if item is not None and item.has_tracking:
            found[str(item_id)] = {
                "name": item.name,
                "code": item.tracking_code,
                "url": item.tracking_url,
            }
    return found


def compare(
    kind: str, payload: Mapping[str, Any], seen: Mapping[str, Any] | None, current: Order
) -> Comparison:
    """Whether an entry of ``kind`` (an ``OutboxKind`` value) may be sent to ``current`` (the
    order as the marketplace has it now), given what the vendor ``seen`` when acting (None: an
    entry queued before snapshots existed — only the marketplace's state itself is checked)."""
    status = current.vendor_status.or_else(current.main_status).slug
    closed = status in _CLOSED or current.main_status.slug in _CLOSED
    if (
        kind in _CHECKED_KINDS
        and seen is not None
        and not seen.get("trash_meta", False)
        and has_trash_meta(current.raw)
    ):
        # the store admin moved it to the trash since the vendor looked (the single GET still
        # answers; the meta stays after a restore, so the vendor may send it all the same)
        return _conflict(
            ConflictReason.CLOSED_ELSEWHERE,
            current,
            {"kind": kind, **dict(payload)},
            {"trashed": True},
            (Decision.KEEP_THEIRS, Decision.REPLACE),
        )
    seen_status = str((seen or {}).get("vendor_status", ""))
    seen_items: Mapping[str, Any] = (seen or {}).get("items") or {}
    if kind == "tracking":
        item_ids = [int(i) for i in payload["item_ids"]]
        mine = {"code": str(payload["code"]), "url": str(payload["url"]), "item_ids": item_ids}
        theirs = _tracking(current, item_ids)
        if len(theirs) == len(item_ids) and all(
            entry["code"] == mine["code"] and entry["url"] == mine["url"]
            for entry in theirs.values()
        ):
            return DONE  # exactly this tracking is there (sent earlier, or by another desk)
        if closed:
            return _conflict(ConflictReason.CLOSED_ELSEWHERE, current, mine)
        if status == OrderStatus.COMPLETED.slug:
            # tracking on a completed part sets it back to "shipped" (real-server.md, F):
            # never as a side effect, whoever completed it
            return _conflict(
                ConflictReason.COMPLETED_ELSEWHERE,
                current,
                mine,
                {"tracking": theirs},
                (Decision.KEEP_THEIRS, Decision.ADD_PARCEL),
            )
        changed = {
            item_id: entry
            for item_id, entry in theirs.items()
            if (entry["code"], entry["url"])
            != (
                str((seen_items.get(item_id) or {}).get("code", "")),
                str((seen_items.get(item_id) or {}).get("url", "")),
            )
        }
        if changed:
            return _conflict(
                ConflictReason.TRACKING_ELSEWHERE,
                current,
                mine,
                {"tracking": changed},
                (Decision.KEEP_THEIRS, Decision.REPLACE, Decision.ADD_PARCEL),
            )
        return SEND
    if kind == "complete":
        if status == OrderStatus.COMPLETED.slug:
            return DONE
        if closed:
            return _conflict(ConflictReason.CLOSED_ELSEWHERE, current, {"status": "completed"})
        return SEND
    if kind == "set_status":
        target = str(payload["status"])
        if status == target:
            return DONE
        if closed or (seen_status and seen_status != status):
            reason = ConflictReason.CLOSED_ELSEWHERE if closed else ConflictReason.STATUS_ELSEWHERE
            choices = (
                (Decision.KEEP_THEIRS,) if closed else (Decision.KEEP_THEIRS, Decision.REPLACE)
            )
            return _conflict(reason, current, {"status": target}, choices=choices)
        return SEND
    if kind == "refund":
        mine = {"mode": payload["mode"], "lines": list(payload["lines"])}
        if closed:
            return _conflict(ConflictReason.CLOSED_ELSEWHERE, current, mine)
        wanted = {str(line["item_id"]) for line in payload["lines"]}
        now_states = {
            str(item.item_id): item.refund_state.slug
            for item in current.items
            if str(item.item_id) in wanted
        }
        moved = {
            item_id: state
            for item_id, state in now_states.items()
            if state and state != str((seen_items.get(item_id) or {}).get("refund", state))
        }
        payout = current.payout_state.slug
        paid_out = bool(payout) and payout != str((seen or {}).get("payout", payout))
        if moved or paid_out:
            # once the earnings are requested or paid out only the store admin can refund
            refund_choices: tuple[Decision, ...] = (Decision.KEEP_THEIRS,)
            if not paid_out:
                refund_choices = (Decision.KEEP_THEIRS, Decision.REPLACE)
            return _conflict(
                ConflictReason.REFUND_ELSEWHERE,
                current,
                mine,
                {"refund": moved, "payout": payout},
                refund_choices,
            )
        return SEND
    return SEND  # notes, messages, local shipments add; they overwrite nothing


def _conflict(
    reason: ConflictReason,
    current: Order,
    mine: Mapping[str, Any],
    theirs: Mapping[str, Any] | None = None,
    choices: tuple[Decision, ...] = (Decision.KEEP_THEIRS,),
) -> Comparison:
    sides = {
        "vendor_status": current.vendor_status.slug,
        "main_status": current.main_status.slug,
        **(theirs or {}),
    }
    return Comparison(conflict=Conflict(reason, sides, dict(mine), choices))


def _tracking_words(tracking: Mapping[str, Any]) -> str:
    return join_sentences(
        (
            Sentence(
                N_("{name}: {code}"),
                name=entry.get("name") or Sentence(N_("item {id}"), id=item_id),
                code=entry.get("code", ""),
            )
            for item_id, entry in tracking.items()
        ),
        "; ",
    )


def _status(slug: str) -> str:
    """A status slug inside a sentence: as it is in English, translated where the catalogue
    has the word."""
    word = status_word(OrderStatus(slug)) if slug else ""
    return word if word == slug else slug


def describe(conflict: Conflict) -> str:
    """The conflict in one sentence or two, marked for the catalogue (the command line
    translates it; the window words it in the vendor's language from the same fields)."""
    theirs = conflict.theirs
    mine = conflict.mine
    status = _status(str(theirs.get("vendor_status") or theirs.get("main_status") or ""))
    code = mine.get("code", "")
    if conflict.reason is ConflictReason.TRACKING_ELSEWHERE:
        return Sentence(
            N_(
                "The marketplace already has other tracking on these items (set elsewhere since "
                "you looked): {theirs}. Yours: {code}."
            ),
            theirs=_tracking_words(theirs.get("tracking") or {}),
            code=code,
        )
    if conflict.reason is ConflictReason.COMPLETED_ELSEWHERE:
        return Sentence(
            N_(
                "The order is completed on the marketplace: adding tracking now would set it "
                "back to shipped. Yours: {code}."
            ),
            code=code,
        )
    if conflict.reason is ConflictReason.CLOSED_ELSEWHERE:
        if theirs.get("trashed"):
            return N_(
                "The store admin moved the order to the trash since you looked (or restored it "
                "from there)."
            )
        return Sentence(
            N_("The order is {status} on the marketplace now."),
            status=status or Sentence(N_("closed")),
        )
    if conflict.reason is ConflictReason.STATUS_ELSEWHERE:
        return Sentence(
            N_(
                "The order's status changed on the marketplace since you looked: it is "
                "{status} now. Yours: {mine}."
            ),
            status=status,
            mine=_status(str(mine.get("status", ""))),
        )
    if conflict.reason is ConflictReason.REFUND_ELSEWHERE:
        payout = str(theirs.get("payout") or "")
        if payout and payout != "pending":
            texts = {
                "requested": N_(
                    "Your earnings for this order are requested now: only the store admin can "
                    "refund it."
                ),
                "completed": N_(
                    "Your earnings for this order are completed now: only the store admin can "
                    "refund it."
                ),
                "cancelled": N_(
                    "Your earnings for this order are cancelled now: only the store admin can "
                    "refund it."
                ),
            }
            return texts.get(payout) or Sentence(
                N_(
                    "Your earnings for this order are {payout} now: only the store admin can "
                    "refund it."
                ),
                payout=payout,
            )
        return N_("A refund of these items was requested or decided elsewhere since you looked.")
    if conflict.reason is ConflictReason.ORDER_GONE:
        return N_("The order is no longer yours on the marketplace (deleted, or moved).")
    tracking = theirs.get("tracking")
    if tracking:
        return Sentence(
            N_(
                "The first attempt went out, but the marketplace cannot tell whether it arrived. "
                "Its items now carry: {theirs}."
            ),
            theirs=_tracking_words(tracking),
        )
    return N_("The first attempt went out, but the marketplace cannot tell whether it arrived.")


def gone(mine: Mapping[str, Any]) -> Conflict:
    """The conflict of an entry whose order the marketplace no longer gives the vendor."""
    return Conflict(ConflictReason.ORDER_GONE, {}, dict(mine), (Decision.KEEP_THEIRS,))


__all__ = [
    "DONE",
    "SEND",
    "Comparison",
    "Conflict",
    "ConflictReason",
    "Decision",
    "compare",
    "describe",
    "gone",
    "snapshot",
]
