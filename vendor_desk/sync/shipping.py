"""Shipping, completing and noting orders: the one place every front end (the window's dialogs,
the command line, bulk actions, the tracking CSV import) turns a vendor's intent into outbox
entries. No Qt.

The marketplace checks almost nothing (wcfm-api.md §3.6, §4.1): it stores tracking on other
vendors' items, accepts a code without URL as a silent no-op, and has no way at all to mark an
item shipped without tracking. So everything is checked here, *before* anything is queued, and
refusals come back as :class:`ShipProblem` values (an enum code, the parcel, the field and the
item ids) the window puts next to the right field and the command line prints::

    parcel = tracked_parcel(order, "colissimo", "6A12345678901")        # URL from the preset
    try:
        result = queue_shipment(outbox, order, [parcel], capabilities=caps)
    except ShipmentRefused as refused:
        for problem in refused.problems:
            show(problem.parcel, problem.field, problem.code, problem.item_ids)
    result.entry_ids                       # the outbox entries, sent by the account's worker

How each parcel is recorded (docs/fulfilment.md):

* :attr:`ShipMethod.TRACKED` → one ``TRACKING`` entry per parcel: the marketplace's Mark
  Shipped (code and URL on the items, vendor status ``shipped``).
* :attr:`ShipMethod.NO_TRACKING` / :attr:`ShipMethod.PICKUP` → one ``LOCAL_SHIPMENT`` entry:
  recorded in ``orders.local["shipments"]`` (the list shows "shipped · no tracking" /
  "collected", Mark Complete becomes available) and told to the marketplace as a **private**
  note where notes work (WCFM Ultimate); elsewhere the entry ends ``local`` — done on this
  computer only, never shown as failed or as on the marketplace.

When the marketplace turns out not to store tracking (free edition: the call is a silent no-op
the client detects), the ``TRACKING`` entry fails and is rolled back; :func:`fallback_for`
offers the honest alternative and :func:`use_fallback` carries it out: the tracking kept
locally (for the packing slip, marked "not on the marketplace") and a message asking the store
admin to add it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from vendor_desk.cache import store as cache_store
from vendor_desk.domain import Capabilities, NoteKind, Order, rules
from vendor_desk.domain.carriers import (
    OTHER,
    CodeProblem,
    Parcel,
    ShipMethod,
    UrlProblem,
    carrier_by_key,
    find_carrier,
    normalise_code,
)
from vendor_desk.domain.text import N_, Capitalised, Sentence
from vendor_desk.sync.outbox import Outbox, OutboxEntry, OutboxKind, OutboxState


# ======================================================================== problems
class ShipProblemCode(StrEnum):
    """Why a shipment (or completion, or note) is not queued. The window says these with tr(),
    the command line with :attr:`ShipProblem.reason`."""

    #: The order cannot be shipped now (status, refund pending, only virtual items …);
    #: :attr:`ShipProblem.reason` carries the rule's words.
    ORDER_NOT_SHIPPABLE = "order_not_shippable"
    #: No parcel at all, or a parcel without items.
    NO_ITEMS = "no_items"
    #: Not one of the vendor's items of this order (another vendor's, or no such item).
    NOT_OWN_ITEM = "not_own_item"
    #: A virtual item (nothing to ship).
    VIRTUAL_ITEM = "virtual_item"
    #: The same item in two parcels.
    ITEM_IN_TWO_PARCELS = "item_in_two_parcels"
    #: The tracking code is implausible (:attr:`ShipProblem.detail` is a :class:`CodeProblem`).
    BAD_CODE = "bad_code"
    #: The tracking URL is unusable (:attr:`ShipProblem.detail` is a :class:`UrlProblem`).
    BAD_URL = "bad_url"
    #: The item already carries another tracking code (pass ``replace_tracking=True`` to
    #: correct it).
    HAS_OTHER_TRACKING = "has_other_tracking"
    #: Shipping without tracking / pickup for an item that is already shipped.
    ALREADY_SHIPPED = "already_shipped"
    #: Everything asked for is already done (same code on every item …): nothing to queue.
    NOTHING_TO_DO = "nothing_to_do"
    #: Mark Complete refused (:func:`rules.ready_to_complete`); reason carries the rule's words.
    NOT_COMPLETABLE = "not_completable"
    #: An empty note.
    EMPTY_NOTE = "empty_note"
    #: The store admin deleted the order or moved it to the trash (``rules.removal``); reason
    #: carries the rule's words.
    ORDER_REMOVED = "order_removed"
    #: The order is not among the cached orders (bulk actions, CSV import).
    UNKNOWN_ORDER = "unknown_order"

    @property
    def is_input(self) -> bool:
        """A mistake in what was typed (command line: exit 2), not the order's state (exit 1)."""
        return self in _INPUT_PROBLEMS


_INPUT_PROBLEMS = frozenset(
    {
        ShipProblemCode.NO_ITEMS,
        ShipProblemCode.NOT_OWN_ITEM,
        ShipProblemCode.VIRTUAL_ITEM,
        ShipProblemCode.ITEM_IN_TWO_PARCELS,
        ShipProblemCode.BAD_CODE,
        ShipProblemCode.BAD_URL,
        ShipProblemCode.EMPTY_NOTE,
        ShipProblemCode.UNKNOWN_ORDER,
    }
)


@dataclass(frozen=True)
class ShipProblem:
    """One thing wrong with a requested shipment, machine-readable.

    ``parcel`` is the index of the parcel in the list given (None: the whole order), ``field``
    the dialog's field ("items", "code", "url", "carrier" or None), ``item_ids`` the items
    concerned, ``detail`` the carriers module's finer problem for codes and URLs. ``reason`` is
    an English sentence for the command line and logs.
    """

    code: ShipProblemCode
    reason: str
    parcel: int | None = None
    field: str | None = None
    item_ids: tuple[int, ...] = ()
    detail: CodeProblem | UrlProblem | None = None

    def __str__(self) -> str:
        return self.reason


class ShipmentRefused(ValueError):
    """Nothing was queued; ``problems`` says why (at least one)."""

    def __init__(self, problems: Sequence[ShipProblem]) -> None:
        super().__init__("; ".join(problem.reason for problem in problems))
        self.problems: tuple[ShipProblem, ...] = tuple(problems)

    @property
    def is_input(self) -> bool:
        """Every problem is a typing mistake (command line: exit 2 rather than 1)."""
        return all(problem.code.is_input for problem in self.problems)


class ShipWarning(StrEnum):
    """Worth telling the vendor, but not a reason to refuse."""

    #: Shipping without a tracking number puts the risk of a lost parcel on the vendor.
    NO_TRACKING_RISK = "no_tracking_risk"
    #: The marketplace is known to lack WCFM Ultimate: tracking will not be stored there
    #: (the entry fails; :func:`fallback_for` offers the alternative).
    TRACKING_NOT_ON_MARKETPLACE = "tracking_not_on_marketplace"
    #: The marketplace is known to take no notes from the app: a shipment without tracking
    #: or a pickup is recorded on this computer only.
    RECORDED_LOCALLY_ONLY = "recorded_locally_only"
    #: Payment is not confirmed (on hold, pending, unpaid cash on delivery …); see
    #: :func:`rules.payment_warnings` for the words.
    PAYMENT_NOT_CONFIRMED = "payment_not_confirmed"


WARNING_TEXT: Mapping[ShipWarning, str] = {
    ShipWarning.NO_TRACKING_RISK: N_(
        "Shipping without a tracking number puts the risk of a lost parcel on you."
    ),
    ShipWarning.TRACKING_NOT_ON_MARKETPLACE: N_(
        "This marketplace cannot store tracking numbers (WCFM Ultimate is not installed)."
    ),
    ShipWarning.RECORDED_LOCALLY_ONLY: N_(
        "This marketplace takes no notes from the app: the shipment is recorded on this "
        "computer only."
    ),
    ShipWarning.PAYMENT_NOT_CONFIRMED: N_("The payment of this order is not confirmed."),
}


# ========================================================================= results
@dataclass(frozen=True)
class PlannedParcel:
    """A parcel as it will be queued: code normalised, URL trimmed, already-done items left out.

    ``index`` is its position in the list given; ``kind``/``payload`` the outbox entry.
    """

    index: int
    parcel: Parcel
    kind: OutboxKind
    payload: Mapping[str, Any]


@dataclass(frozen=True)
class ShipmentPlan:
    """What :func:`plan_shipment` would queue (a dry run; nothing written)."""

    order_id: int
    order_number: str
    parcels: tuple[PlannedParcel, ...]
    #: Items left out because they already carry the same code and URL (or were already
    #: recorded the same way locally): sent before, nothing to do.
    skipped_item_ids: tuple[int, ...] = ()
    warnings: tuple[ShipWarning, ...] = ()
    #: The payment warnings' words (:func:`rules.payment_warnings`), when any.
    payment_warnings: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not self.parcels


@dataclass(frozen=True)
class ShipmentResult:
    """A queued shipment: the plan and the outbox entries, one per planned parcel (same order)."""

    plan: ShipmentPlan
    entry_ids: tuple[int, ...]


@dataclass(frozen=True)
class LocalShipment:
    """A shipment the marketplace cannot hold as such, from ``orders.local["shipments"]``.

    ``marketplace`` says where it is known: "pending" (the note waits in the outbox), "note"
    (a private note on the marketplace says it) or "local" (this computer only).
    """

    entry_id: int
    item_ids: tuple[int, ...]
    method: ShipMethod
    carrier: str
    code: str
    url: str
    at: datetime | None
    marketplace: str

    @property
    def label(self) -> str:
        """English label for the list and the command line."""
        if self.method is ShipMethod.PICKUP:
            return N_("collected")
        if self.method is ShipMethod.TRACKED:
            return N_("shipped · tracking not on the marketplace")
        return N_("shipped · no tracking")

    @property
    def carrier_name(self) -> str:
        if not self.carrier:
            return ""
        preset = carrier_by_key(self.carrier)
        return preset.name if preset is not OTHER else self.carrier


# ====================================================================== local state
def local_shipments(local: Mapping[str, Any]) -> list[LocalShipment]:
    """The order's local shipments, from its app-owned state (``orders.local``)."""
    found: list[LocalShipment] = []
    for raw in local.get("shipments") or ():
        try:
            at = datetime.fromisoformat(raw["at"]) if raw.get("at") else None
            found.append(
                LocalShipment(
                    entry_id=int(raw.get("entry", 0)),
                    item_ids=tuple(int(i) for i in raw.get("item_ids", ())),
                    method=ShipMethod(raw.get("method", ShipMethod.NO_TRACKING)),
                    carrier=str(raw.get("carrier", "")),
                    code=str(raw.get("code", "")),
                    url=str(raw.get("url", "")),
                    at=at,
                    marketplace=str(raw.get("marketplace", "local")),
                )
            )
        except (KeyError, TypeError, ValueError):  # a damaged record: show the rest
            continue
    return found


def locally_shipped_item_ids(local: Mapping[str, Any]) -> frozenset[int]:
    """Items shipped without tracking, collected, or with tracking kept locally."""
    return frozenset(i for shipment in local_shipments(local) for i in shipment.item_ids)


def load_local(outbox: Outbox, order_id: int) -> dict[str, Any]:
    """The order's app-owned state from the outbox's cache."""
    with outbox.cache.session() as session:
        return cache_store.get_local(session, outbox.account_id, order_id)


def shipment_label(order: Order, local: Mapping[str, Any]) -> str | None:
    """ "shipped · no tracking" / "collected" / "shipped · tracking not on the marketplace" when
    the vendor's unshipped items were all shipped that way; None otherwise (the marketplace's
    own status says it)."""
    shipments = local_shipments(local)
    if not shipments or order.is_shipped:
        return None
    if rules.unshipped_item_ids(order, locally_shipped_item_ids(local)):
        return None
    return shipments[-1].label


def ready_to_complete(order: Order, local: Mapping[str, Any]) -> rules.Verdict:
    """Whether Mark Complete applies now, local shipments counted
    (:func:`rules.ready_to_complete`)."""
    return rules.ready_to_complete(order, locally_shipped_item_ids(local))


# ========================================================================== parcels
def shippable_item_ids(order: Order) -> list[int]:
    """The vendor's items of ``order`` that need shipping: known-shippable ones; when the
    marketplace did not say, every item not known to be virtual."""
    known = [item.item_id for item in order.items if item.shippable]
    return known or [item.item_id for item in order.items if item.shippable is None]


def preset_url(order: Order, carrier: str, code: str) -> str:
    """The tracking URL a carrier preset builds for ``code`` (with the order's ship-to
    postcode and country where the carrier needs them); "" for "Other" / unknown carriers.
    ``carrier`` is a preset key or a name ("Colissimo", "Royal Mail" …)."""
    preset = find_carrier(carrier) or carrier_by_key(carrier)
    address = order.shipping if not order.shipping.is_empty else order.billing
    return preset.url_for(code, postcode=address.postcode, country=address.country)


def tracked_parcel(
    order: Order,
    carrier: str,
    code: str,
    url: str = "",
    item_ids: Iterable[int] | None = None,
) -> Parcel:
    """A tracked parcel of ``item_ids`` (default: every shippable item), the URL built by the
    carrier preset when ``url`` is empty. Not checked yet: :func:`plan_shipment` does."""
    preset = find_carrier(carrier)
    key = preset.key if preset is not None else (carrier.strip() and OTHER.key)
    chosen = tuple(item_ids) if item_ids is not None else tuple(shippable_item_ids(order))
    code = normalise_code(code)
    return Parcel(
        item_ids=chosen,
        method=ShipMethod.TRACKED,
        carrier=key or "",
        code=code,
        url=url.strip() or preset_url(order, carrier, code),
    )


def untracked_parcel(
    order: Order,
    method: ShipMethod = ShipMethod.NO_TRACKING,
    carrier: str = "",
    item_ids: Iterable[int] | None = None,
) -> Parcel:
    """A parcel posted without tracking, or collected (``ShipMethod.PICKUP``)."""
    if method is ShipMethod.TRACKED:
        raise ValueError("an untracked parcel needs NO_TRACKING or PICKUP")
    preset = find_carrier(carrier) if carrier.strip() else None
    chosen = tuple(item_ids) if item_ids is not None else tuple(shippable_item_ids(order))
    return Parcel(
        item_ids=chosen,
        method=method,
        carrier=preset.key if preset is not None else carrier.strip(),
    )


# ========================================================================= planning
def _names(order: Order, item_ids: Iterable[int]) -> str:
    names = []
    for item_id in item_ids:
        item = order.item(item_id)
        names.append(f"“{item.name}”" if item is not None else str(item_id))
    return ", ".join(names)


def _sentence(parcel: int | None, clause: str, *, capitalise: bool = True) -> str:
    """``clause`` (lower case, no full stop) as a sentence after a "Parcel N: " prefix when
    ``parcel`` (its number) is given; otherwise on its own, capitalised unless told not to."""
    if parcel is not None:
        return Sentence(N_("Parcel {parcel}: {problem}."), parcel=parcel, problem=clause)
    return (Capitalised if capitalise else Sentence)(N_("{problem}."), problem=clause)


def _carrier_words(carrier: str) -> str:
    if not carrier:
        return ""
    preset = carrier_by_key(carrier)
    return preset.name if preset is not OTHER else carrier


def untracked_note(order: Order, parcel: Parcel) -> str:
    """The private note that tells the marketplace about a shipment it cannot record."""
    items = _names(order, parcel.item_ids)
    carrier = _carrier_words(parcel.carrier)
    if parcel.method is ShipMethod.PICKUP:
        return f"Collected by the customer (local pickup): {items}."
    if parcel.method is ShipMethod.TRACKED:
        via = f" ({carrier})" if carrier else ""
        return (
            f"Shipped with tracking {parcel.code}{via}: {parcel.url} — {items}. The marketplace "
            "could not store this tracking on the items."
        )
    via = f" ({carrier})" if carrier else ""
    return f"Shipped without tracking{via}: {items}."


_CODE_WORDS = {
    CodeProblem.EMPTY: N_("the tracking code is empty"),
    CodeProblem.TOO_SHORT: N_("the tracking code is too short"),
    CodeProblem.TOO_LONG: N_("the tracking code is too long"),
    CodeProblem.BAD_CHARACTERS: N_("the tracking code may hold only letters, digits and dashes"),
}
_URL_WORDS = {
    UrlProblem.EMPTY: N_("the tracking URL is empty (choose a carrier or type the URL)"),
    UrlProblem.NOT_HTTP: N_("the tracking URL must start with http:// or https://"),
    UrlProblem.NO_HOST: N_("the tracking URL has no web address"),
    UrlProblem.SPACES: N_("the tracking URL contains spaces"),
    UrlProblem.TOO_LONG: N_("the tracking URL is too long"),
}


def plan_shipment(
    order: Order,
    parcels: Sequence[Parcel],
    *,
    capabilities: Capabilities | None = None,
    local: Mapping[str, Any] | None = None,
    replace_tracking: bool = False,
) -> ShipmentPlan:
    """Check a shipment of ``order`` and say what would be queued (nothing is written).

    Checks: :func:`rules.may_ship`; at least one item per parcel; only the vendor's own,
    shippable (not virtual) items; no item in two parcels; every parcel's
    :meth:`Parcel.problems`; an item already tracked under another code is refused unless
    ``replace_tracking``. Items already carrying the same code and URL (or, for untracked
    parcels, already recorded locally) are skipped; parcels left empty are dropped.

    ``local`` is the order's ``orders.local`` (for its local shipments); ``capabilities`` the
    marketplace's, when known (for warnings only: the send finds out in any case).

    Raises :class:`ShipmentRefused` with every problem found.
    """
    problems: list[ShipProblem] = []
    local = local or {}
    verdict = rules.may_ship(order)
    refused = (
        ShipProblemCode.ORDER_NOT_SHIPPABLE
        if rules.removal(order) is None
        else ShipProblemCode.ORDER_REMOVED
    )
    for reason in verdict.reasons:
        problems.append(ShipProblem(refused, reason))
    if not parcels:
        problems.append(
            ShipProblem(ShipProblemCode.NO_ITEMS, N_("Choose at least one item to ship."))
        )
    own = order.own_item_ids
    seen: dict[int, int] = {}
    already_local = locally_shipped_item_ids(local)
    planned: list[PlannedParcel] = []
    skipped: list[int] = []
    for index, parcel in enumerate(parcels):
        where = index + 1 if len(parcels) > 1 else None
        ids = list(dict.fromkeys(int(i) for i in parcel.item_ids))
        if not ids:
            problems.append(
                ShipProblem(
                    ShipProblemCode.NO_ITEMS,
                    _sentence(where, Sentence(N_("choose at least one item")), capitalise=False),
                    index,
                    "items",
                )
            )
        foreign = [i for i in ids if i not in own]
        if foreign:
            problems.append(
                ShipProblem(
                    ShipProblemCode.NOT_OWN_ITEM,
                    _sentence(
                        where,
                        Sentence(
                            N_("order #{number} has no item {items} of yours"),
                            number=order.number,
                            items=", ".join(map(str, foreign)),
                        ),
                        capitalise=False,
                    ),
                    index,
                    "items",
                    tuple(foreign),
                )
            )
        virtual = [i for i in ids if i in own and order.item(i).shippable is False]  # type: ignore[union-attr]
        if virtual:
            problems.append(
                ShipProblem(
                    ShipProblemCode.VIRTUAL_ITEM,
                    _sentence(
                        where,
                        Sentence(
                            N_("{names} need no shipping (virtual)"), names=_names(order, virtual)
                        ),
                        capitalise=False,
                    ),
                    index,
                    "items",
                    tuple(virtual),
                )
            )
        twice = [i for i in ids if i in seen]
        if twice:
            problems.append(
                ShipProblem(
                    ShipProblemCode.ITEM_IN_TWO_PARCELS,
                    _sentence(
                        where,
                        Sentence(
                            N_("{names} is already in parcel {parcel}"),
                            names=_names(order, twice),
                            parcel=seen[twice[0]] + 1,
                        ),
                        capitalise=False,
                    ),
                    index,
                    "items",
                    tuple(twice),
                )
            )
        for i in ids:
            seen.setdefault(i, index)
        clean = Parcel(
            item_ids=tuple(ids),
            method=parcel.method,
            carrier=parcel.carrier.strip(),
            code=normalise_code(parcel.code) if parcel.method is ShipMethod.TRACKED else "",
            url=parcel.url.strip() if parcel.method is ShipMethod.TRACKED else "",
        )
        for name, detail in clean.problems().items():
            if isinstance(detail, CodeProblem):
                problems.append(
                    ShipProblem(
                        ShipProblemCode.BAD_CODE,
                        _sentence(where, Sentence(_CODE_WORDS[detail])),
                        index,
                        name,
                        detail=detail,
                    )
                )
            else:
                problems.append(
                    ShipProblem(
                        ShipProblemCode.BAD_URL,
                        _sentence(where, Sentence(_URL_WORDS[detail])),
                        index,
                        name,
                        detail=detail,
                    )
                )
        todo: list[int] = []
        for i in ids:
            item = order.item(i)
            if item is None or item.shippable is False:
                continue
            if clean.method is ShipMethod.TRACKED:
                if item.tracking_code == clean.code and item.tracking_url == clean.url:
                    skipped.append(i)
                    continue
                if item.has_tracking and not replace_tracking:
                    problems.append(
                        ShipProblem(
                            ShipProblemCode.HAS_OTHER_TRACKING,
                            _sentence(
                                where,
                                Sentence(
                                    N_("“{name}” already has tracking {code}"),
                                    name=item.name,
                                    code=item.tracking_code,
                                ),
                                capitalise=False,
                            ),
                            index,
                            "code",
                            (i,),
                        )
                    )
                    continue
            else:
                if i in already_local:
                    skipped.append(i)
                    continue
                if item.has_tracking:
                    problems.append(
                        ShipProblem(
                            ShipProblemCode.ALREADY_SHIPPED,
                            _sentence(
                                where,
                                Sentence(
                                    N_("“{name}” is already shipped with tracking {code}"),
                                    name=item.name,
                                    code=item.tracking_code,
                                ),
                                capitalise=False,
                            ),
                            index,
                            "items",
                            (i,),
                        )
                    )
                    continue
            todo.append(i)
        if not todo:
            continue
        clean = Parcel(tuple(todo), clean.method, clean.carrier, clean.code, clean.url)
        if clean.method is ShipMethod.TRACKED:
            payload: dict[str, Any] = {"item_ids": list(todo), "code": clean.code, "url": clean.url}
            if clean.carrier:
                payload["carrier"] = clean.carrier
            planned.append(PlannedParcel(index, clean, OutboxKind.TRACKING, payload))
        else:
            payload = {
                "item_ids": list(todo),
                "method": clean.method.value,
                "carrier": clean.carrier,
                "note": untracked_note(order, clean),
            }
            planned.append(PlannedParcel(index, clean, OutboxKind.LOCAL_SHIPMENT, payload))
    if problems:
        raise ShipmentRefused(problems)
    if not planned:
        raise ShipmentRefused(
            [
                ShipProblem(
                    ShipProblemCode.NOTHING_TO_DO,
                    Sentence(
                        N_("Order #{number}: already shipped that way; nothing to do."),
                        number=order.number,
                    ),
                    item_ids=tuple(skipped),
                )
            ]
        )
    warnings: list[ShipWarning] = []
    methods = {p.parcel.method for p in planned}
    if methods & {ShipMethod.NO_TRACKING}:
        warnings.append(ShipWarning.NO_TRACKING_RISK)
    if capabilities is not None and capabilities.ultimate is False:
        if ShipMethod.TRACKED in methods:
            warnings.append(ShipWarning.TRACKING_NOT_ON_MARKETPLACE)
        if methods - {ShipMethod.TRACKED}:
            warnings.append(ShipWarning.RECORDED_LOCALLY_ONLY)
    payment = tuple(rules.payment_warnings(order))
    if payment:
        warnings.append(ShipWarning.PAYMENT_NOT_CONFIRMED)
    return ShipmentPlan(
        order_id=order.id,
        order_number=order.number,
        parcels=tuple(planned),
        skipped_item_ids=tuple(skipped),
        warnings=tuple(warnings),
        payment_warnings=payment,
    )


# ========================================================================== queueing
def queue_shipment(
    outbox: Outbox,
    order: Order,
    parcels: Sequence[Parcel],
    *,
    capabilities: Capabilities | None = None,
    replace_tracking: bool = False,
) -> ShipmentResult:
    """Check a shipment (:func:`plan_shipment`, with the order's local state read from the
    cache) and queue one outbox entry per planned parcel: ``TRACKING`` for tracked parcels,
    ``LOCAL_SHIPMENT`` for untracked ones and pickups. Each entry is applied to the cache at
    once; the account's worker sends them.

    Raises :class:`ShipmentRefused` (nothing queued).
    """
    plan = plan_shipment(
        order,
        parcels,
        capabilities=capabilities,
        local=load_local(outbox, order.id),
        replace_tracking=replace_tracking,
    )
    ids = tuple(outbox.enqueue(p.kind, order.id, p.payload) for p in plan.parcels)
    return ShipmentResult(plan, ids)


def check_completion(order: Order, local: Mapping[str, Any] | None = None) -> None:
    """Raise :class:`ShipmentRefused` (code ``NOT_COMPLETABLE``) unless Mark Complete applies
    now (:func:`ready_to_complete`)."""
    verdict = ready_to_complete(order, local or {})
    if not verdict:
        raise ShipmentRefused(
            [ShipProblem(ShipProblemCode.NOT_COMPLETABLE, reason) for reason in verdict.reasons]
        )


def queue_completion(outbox: Outbox, order: Order) -> int:
    """Check (:func:`check_completion`) and queue Mark Complete; the entry id."""
    check_completion(order, load_local(outbox, order.id))
    return outbox.enqueue(OutboxKind.COMPLETE, order.id, {})


def queue_note(outbox: Outbox, order: Order, text: str, kind: NoteKind = NoteKind.PRIVATE) -> int:
    """Queue a note (private by default; a customer note is e-mailed to the customer). Refused
    on an order the store admin deleted or moved to the trash (:func:`rules.may_add_note`)."""
    verdict = rules.may_add_note(order)
    if not verdict:
        raise ShipmentRefused(
            [ShipProblem(ShipProblemCode.ORDER_REMOVED, reason) for reason in verdict.reasons]
        )
    if not text.strip():
        raise ShipmentRefused(
            [ShipProblem(ShipProblemCode.EMPTY_NOTE, N_("The note is empty."), field="text")]
        )
    return outbox.enqueue(OutboxKind.NOTE, order.id, {"text": text, "kind": NoteKind(kind).value})


def queue_admin_message(outbox: Outbox, text: str, *, about_order_id: int | None = None) -> int:
    """Queue a direct message to the store admin; ``about_order_id`` is the order it was
    written from (kept with the message and shown with it, e.g. in the Activity panel). The
    entry itself belongs to no order: a message changes none, and is never held up behind the
    order's refused changes (often what it is about)."""
    payload: dict[str, Any] = {"message": text}
    if about_order_id is not None:
        payload["about_order_id"] = about_order_id
    return outbox.enqueue(OutboxKind.MESSAGE_ADMIN, None, payload)


# ========================================================================= fallbacks
@dataclass(frozen=True)
class TrackingFallback:
    """The honest alternative when the marketplace cannot store tracking (free edition).

    ``admin_message`` is pre-filled (editable) for a message asking the store admin to add the
    tracking; ``reason`` is the failed entry's error.
    """

    entry_id: int
    order_id: int
    order_number: str
    item_ids: tuple[int, ...]
    carrier: str
    code: str
    url: str
    reason: str
    admin_message: str
    item_names: tuple[str, ...] = field(default=())


def fallback_for(outbox: Outbox, entry: OutboxEntry | int) -> TrackingFallback | None:
    """The fallback for a ``TRACKING`` entry that failed because the marketplace cannot store
    tracking (``entry.lacks_capability``); None for any other entry."""
    if isinstance(entry, int):
        entry = outbox.get(entry)
    if entry.kind is not OutboxKind.TRACKING or not entry.lacks_capability:
        return None
    assert entry.order_id is not None
    with outbox.cache.session() as session:
        order = cache_store.load_orders(session, outbox.account_id, [entry.order_id]).get(
            entry.order_id
        )
    item_ids = tuple(int(i) for i in entry.payload["item_ids"])
    number = order.number if order is not None else str(entry.order_id)
    names = tuple(
        order.item(i).name if order is not None and order.item(i) is not None else str(i)  # type: ignore[union-attr]
        for i in item_ids
    )
    code, url = str(entry.payload["code"]), str(entry.payload["url"])
    carrier = str(entry.payload.get("carrier", ""))
    via = f" ({_carrier_words(carrier)})" if carrier else ""
    message = (
        f"Please add tracking {code}{via} to order #{number} "
        f"({', '.join(names)}): {url} — my plan has no shipment tracking, so I cannot add it "
        "myself."
    )
    return TrackingFallback(
        entry_id=entry.id,
        order_id=entry.order_id,
        order_number=number,
        item_ids=item_ids,
        carrier=carrier,
        code=code,
        url=url,
        reason=entry.last_error,
        admin_message=message,
        item_names=names,
    )


@dataclass(frozen=True)
class FallbackResult:
    """The entries :func:`use_fallback` queued (None when not asked for)."""

    local_entry_id: int | None
    message_entry_id: int | None


def use_fallback(
    outbox: Outbox,
    fallback: TrackingFallback,
    *,
    keep_locally: bool = True,
    message_admin: bool = True,
    message: str | None = None,
) -> FallbackResult:
    """Carry out the fallback: the failed tracking entry is discarded (it cannot succeed and
    would hold up the order), then

    * ``keep_locally``: a ``LOCAL_SHIPMENT`` entry with method "tracked" keeps code and URL in
      ``orders.local["shipments"]`` (packing slip, detail pane: "not on the marketplace");
    * ``message_admin``: a ``MESSAGE_ADMIN`` entry (``message`` or the pre-filled text) asks
      the store admin to add the tracking.
    """
    if outbox.get(fallback.entry_id).state is OutboxState.FAILED:
        outbox.discard(fallback.entry_id)
    local_id = message_id = None
    if keep_locally:
        with outbox.cache.session() as session:
            order = cache_store.load_orders(session, outbox.account_id, [fallback.order_id]).get(
                fallback.order_id
            )
        parcel = Parcel(
            fallback.item_ids, ShipMethod.TRACKED, fallback.carrier, fallback.code, fallback.url
        )
        note = (
            untracked_note(order, parcel)
            if order is not None
            else f"Shipped with tracking {fallback.code}: {fallback.url}."
        )
        local_id = outbox.enqueue(
            OutboxKind.LOCAL_SHIPMENT,
            fallback.order_id,
            {
                "item_ids": list(fallback.item_ids),
                "method": ShipMethod.TRACKED.value,
                "carrier": fallback.carrier,
                "code": fallback.code,
                "url": fallback.url,
                "note": note,
            },
        )
    if message_admin:
        text = (message if message is not None else fallback.admin_message).strip()
        if text:
            message_id = queue_admin_message(outbox, text, about_order_id=fallback.order_id)
    return FallbackResult(local_id, message_id)


__all__ = [
    "WARNING_TEXT",
    "FallbackResult",
    "LocalShipment",
    "PlannedParcel",
    "ShipProblem",
    "ShipProblemCode",
    "ShipWarning",
    "ShipmentPlan",
    "ShipmentRefused",
    "ShipmentResult",
    "TrackingFallback",
    "check_completion",
    "fallback_for",
    "load_local",
    "local_shipments",
    "locally_shipped_item_ids",
    "plan_shipment",
    "preset_url",
    "queue_admin_message",
    "queue_completion",
    "queue_note",
    "queue_shipment",
    "ready_to_complete",
    "shipment_label",
    "shippable_item_ids",
    "tracked_parcel",
    "untracked_note",
    "untracked_parcel",
    "use_fallback",
]
