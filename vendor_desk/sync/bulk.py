"""One action on many orders (the window's multi-selection, ``vendor-desk complete A B C``). No Qt.

Each order is checked and queued on its own, through the same functions as a single order
(:mod:`vendor_desk.sync.shipping`), so one refused order never stops the others; the summary
says, per order, which outbox entries were queued or why it was refused::

    summary = bulk_apply(outbox, [19, 20, 21], BulkAction.COMPLETE)
    summary.queued            # [(19, [31]), (21, [32])]
    summary.refused           # [BulkOutcome(order_id=20, reason="Ship your items first …")]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from vendor_desk.cache import store as cache_store
from vendor_desk.domain import Capabilities, NoteKind
from vendor_desk.domain.carriers import ShipMethod
from vendor_desk.sync.outbox import Outbox
from vendor_desk.sync.shipping import (
    ShipmentRefused,
    ShipProblem,
    ShipProblemCode,
    queue_completion,
    queue_note,
    queue_shipment,
    untracked_parcel,
)


class BulkAction(StrEnum):
    """What a bulk action does to each order."""

    SHIP_NO_TRACKING = "ship_no_tracking"  # every shippable item, shipped without tracking
    SHIP_PICKUP = "ship_pickup"  # every shippable item, collected by the customer
    COMPLETE = "complete"  # Mark Complete
    NOTE = "note"  # the same note on each order


@dataclass(frozen=True)
class BulkOutcome:
    """One order's outcome: the entries queued, or the problems that refused it."""

    order_id: int
    order_number: str
    entry_ids: tuple[int, ...] = ()
    problems: tuple[ShipProblem, ...] = ()

    @property
    def queued(self) -> bool:
        return bool(self.entry_ids)

    @property
    def reason(self) -> str:
        """Why it was refused (English), "" when queued."""
        return "; ".join(problem.reason for problem in self.problems)


@dataclass(frozen=True)
class BulkSummary:
    action: BulkAction
    outcomes: tuple[BulkOutcome, ...] = field(default=())

    @property
    def queued(self) -> list[BulkOutcome]:
        return [outcome for outcome in self.outcomes if outcome.queued]

    @property
    def refused(self) -> list[BulkOutcome]:
        return [outcome for outcome in self.outcomes if not outcome.queued]

    @property
    def entry_ids(self) -> list[int]:
        return [entry_id for outcome in self.outcomes for entry_id in outcome.entry_ids]

    def text(self) -> str:
        """A plain-English summary ("3 queued, 1 refused: #20 Ship your items first …")."""
        lines = [f"{len(self.queued)} queued, {len(self.refused)} refused."]
        lines += [f"#{outcome.order_number}: {outcome.reason}" for outcome in self.refused]
        return "\n".join(lines)


def bulk_apply(
    outbox: Outbox,
    order_ids: Iterable[int],
    action: BulkAction,
    *,
    note: str = "",
    note_kind: NoteKind = NoteKind.PRIVATE,
    carrier: str = "",
    capabilities: Capabilities | None = None,
) -> BulkSummary:
    """Apply ``action`` to each cached order of ``order_ids`` (in that order, duplicates once).

    ``note``/``note_kind`` are the note of :attr:`BulkAction.NOTE`; ``carrier`` is an optional
    carrier for :attr:`BulkAction.SHIP_NO_TRACKING`. Orders not in the cache are refused.
    """
    wanted: Sequence[int] = list(dict.fromkeys(int(i) for i in order_ids))
    with outbox.cache.session() as session:
        orders = cache_store.load_orders(session, outbox.account_id, wanted)
    outcomes: list[BulkOutcome] = []
    for order_id in wanted:
        order = orders.get(order_id)
        if order is None:
            missing = ShipProblem(
                ShipProblemCode.UNKNOWN_ORDER,
                f"Order #{order_id} is not among your cached orders.",
            )
            outcomes.append(BulkOutcome(order_id, str(order_id), problems=(missing,)))
            continue
        try:
            if action is BulkAction.COMPLETE:
                ids: tuple[int, ...] = (queue_completion(outbox, order),)
            elif action is BulkAction.NOTE:
                ids = (queue_note(outbox, order, note, note_kind),)
            else:
                method = (
                    ShipMethod.PICKUP
                    if action is BulkAction.SHIP_PICKUP
                    else ShipMethod.NO_TRACKING
                )
                parcel = untracked_parcel(order, method, carrier)
                result = queue_shipment(outbox, order, [parcel], capabilities=capabilities)
                ids = result.entry_ids
        except ShipmentRefused as refused:
            outcomes.append(BulkOutcome(order.id, order.number, problems=refused.problems))
            continue
        outcomes.append(BulkOutcome(order.id, order.number, entry_ids=ids))
    return BulkSummary(action, tuple(outcomes))


__all__ = ["BulkAction", "BulkOutcome", "BulkSummary", "bulk_apply"]
