"""Translated labels for status slugs and filter groups (one place, so lupdate sees them).

Each label is a literal ``QCoreApplication.translate`` call: pyside6-lupdate extracts only
those (not calls through an alias).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication

from vendor_desk.domain.carriers import OTHER, Carrier, CodeProblem, ShipMethod, UrlProblem
from vendor_desk.domain.earnings import EarningPart
from vendor_desk.domain.refunds import (  # refund requests (issue 5)
    RefundProblem,
    RefundProblemCode,
    UnpaidRefund,
    minor_units,
    remaining_amount,
    remaining_quantity,
    unpaid_refund,
)
from vendor_desk.domain.text import render
from vendor_desk.sync.shipping import ShipProblem, ShipProblemCode
from vendor_desk.ui.formatting import format_money  # refund requests (issue 5)


def _status_labels() -> dict[str, str]:
    return {
        "pending": QCoreApplication.translate("Status", "Pending payment"),
        "processing": QCoreApplication.translate("Status", "Processing"),
        "on-hold": QCoreApplication.translate("Status", "On hold"),
        "completed": QCoreApplication.translate("Status", "Completed"),
        "cancelled": QCoreApplication.translate("Status", "Cancelled"),
        "refunded": QCoreApplication.translate("Status", "Refunded"),
        "failed": QCoreApplication.translate("Status", "Failed"),
        "checkout-draft": QCoreApplication.translate("Status", "Draft"),
        "shipped": QCoreApplication.translate("Status", "Shipped"),
        "refund-requested": QCoreApplication.translate("Status", "Refund requested"),
        "refund_requested": QCoreApplication.translate("Status", "Refund requested"),
        # orders the store admin took away (cache.store.TRASHED_DISPLAY, VANISHED_DISPLAY)
        "trashed": QCoreApplication.translate("Status", "In the trash"),
        "removed": QCoreApplication.translate("Status", "Removed"),
        "": QCoreApplication.translate("Status", "Unknown"),
    }


def status_label(slug: str) -> str:
    """The label of an order status slug ("on-hold" → "On hold")."""
    labels = _status_labels()
    slug = (slug or "").strip().lower()
    if slug.startswith("wc-"):
        slug = slug[3:]
    return labels.get(slug, slug.replace("-", " ").replace("_", " ").capitalize())


def status_labels() -> list[str]:
    """Every label :func:`status_label` has for a known status (to size the Status column)."""
    return list(dict.fromkeys(_status_labels().values()))


def shipping_label(slug: str, has_tracking: bool) -> str:
    """The shipping column: the vendor's shipment state, and whether tracking is on file."""
    labels = {
        "pending": QCoreApplication.translate("Status", "Not shipped"),
        "shipped": QCoreApplication.translate("Status", "Shipped"),
        "completed": QCoreApplication.translate("Status", "Received"),
        # virtual or downloadable items only, still to complete (cache.store.NOTHING_TO_SHIP)
        "nothing to ship": QCoreApplication.translate("Status", "Nothing to ship — complete it"),
        "": "",
    }
    slug = (slug or "").strip().lower()
    text = labels.get(slug, slug.replace("-", " ").capitalize())
    if has_tracking:
        tracked = QCoreApplication.translate("Status", "tracked")
        return f"{text} · {tracked}" if text else tracked
    return text


def group_label(group: str) -> str:
    """The label of a status filter group of the order list."""
    labels = {
        "to_ship": QCoreApplication.translate("Status", "To ship"),
        "shipped": QCoreApplication.translate("Status", "Shipped"),
        "completed": QCoreApplication.translate("Status", "Completed"),
        "awaiting_payment": QCoreApplication.translate("Status", "Waiting for payment"),
        "refund_requested": QCoreApplication.translate("Status", "Refund requested"),
        "closed": QCoreApplication.translate("Status", "Cancelled / refunded / failed"),
        "all": QCoreApplication.translate("Status", "All orders"),
    }
    return labels.get(group, group)


#: Icon shown next to each filter group.
GROUP_ICONS = {
    "to_ship": "processing",
    "shipped": "shipped",
    "completed": "completed",
    "awaiting_payment": "pending",
    "refund_requested": "refund-requested",
    "closed": "cancelled",
    "all": "",
}


def earning_part_label(part: EarningPart) -> str:
    """A line of an order's earning breakdown (see :mod:`vendor_desk.domain.earnings`)."""
    texts = {
        EarningPart.ITEMS: QCoreApplication.translate("Earnings", "Commission on your items"),
        EarningPart.SHIPPING: QCoreApplication.translate("Earnings", "Shipping you receive"),
        EarningPart.SHIPPING_TAX: QCoreApplication.translate("Earnings", "Tax on the shipping"),
        EarningPart.TAX: QCoreApplication.translate("Earnings", "Tax on your items"),
        EarningPart.OTHER: QCoreApplication.translate(
            "Earnings", "Other adjustments (charges, fees …)"
        ),
    }
    return texts[part]


# ------------------------------------------------------------------ fulfilment (issue 4)
def code_problem_text(problem: CodeProblem) -> str:
    """What is wrong with a tracking code, as a sentence shown under the field."""
    texts = {
        CodeProblem.EMPTY: QCoreApplication.translate("Tracking", "Enter the tracking code."),
        CodeProblem.TOO_SHORT: QCoreApplication.translate(
            "Tracking", "This code is too short for a tracking number."
        ),
        CodeProblem.TOO_LONG: QCoreApplication.translate(
            "Tracking", "This code is too long for a tracking number."
        ),
        CodeProblem.BAD_CHARACTERS: QCoreApplication.translate(
            "Tracking", "A tracking code has only letters, digits and dashes."
        ),
    }
    return texts[problem]


def url_problem_text(problem: UrlProblem) -> str:
    """What is wrong with a tracking URL, as a sentence shown under the field."""
    texts = {
        UrlProblem.EMPTY: QCoreApplication.translate(
            "Tracking",
            "Enter the address of the carrier's tracking page (the marketplace needs both "
            "the code and the address).",
        ),
        UrlProblem.NOT_HTTP: QCoreApplication.translate(
            "Tracking", "The address must start with https:// or http://."
        ),
        UrlProblem.NO_HOST: QCoreApplication.translate(
            "Tracking", "This is not a complete web address."
        ),
        UrlProblem.SPACES: QCoreApplication.translate(
            "Tracking", "A web address cannot contain spaces."
        ),
        UrlProblem.TOO_LONG: QCoreApplication.translate("Tracking", "This address is too long."),
    }
    return texts[problem]


def problem_text(problem: CodeProblem | UrlProblem) -> str:
    """The sentence for a problem of :meth:`Parcel.problems` (code or URL)."""
    if isinstance(problem, CodeProblem):
        return code_problem_text(problem)
    return url_problem_text(problem)


def carrier_label(carrier: Carrier) -> str:
    """The carrier's name in the combo box ("Other" is translated; brand names are not)."""
    if carrier.key == OTHER.key:
        return QCoreApplication.translate("Tracking", "Other carrier (type the address)")
    return carrier.name


def ship_method_label(method: ShipMethod) -> str:
    """How a parcel leaves the vendor, as offered in the tracking dialog."""
    texts = {
        ShipMethod.TRACKED: QCoreApplication.translate("Tracking", "With a tracking number"),
        ShipMethod.NO_TRACKING: QCoreApplication.translate("Tracking", "Shipped without tracking"),
        ShipMethod.PICKUP: QCoreApplication.translate("Tracking", "Local pickup"),
    }
    return texts[method]


def no_tracking_warning() -> str:
    """The marketplace's warning about parcels sent without a tracking number (vendor guide)."""
    return QCoreApplication.translate(
        "Tracking",
        "Shipping without a tracking number puts the risk on you: if the customer never "
        "receives the parcel, you are responsible for it. The marketplace strongly recommends "
        "always shipping with a tracking number, even when it costs a little more.",
    )


def outbox_state_label(state: str) -> str:
    """A short tag for an outbox entry's state, shown next to the fields it changes."""
    texts = {
        "pending": QCoreApplication.translate("Outbox", "pending"),
        "sending": QCoreApplication.translate("Outbox", "sending"),
        "uncertain": QCoreApplication.translate("Outbox", "checking"),
        "failed": QCoreApplication.translate("Outbox", "failed"),
    }
    return texts.get(state, state)


def rule_reason(reason: str) -> str:
    """A reason from :mod:`vendor_desk.domain.rules` (English sentences) in the UI language,
    when a translation catalogue has it (context "Rules"); the English text otherwise. A
    :class:`~vendor_desk.domain.text.Sentence` is translated as its template, then filled in."""
    return render(reason, lambda text: QCoreApplication.translate("Rules", text))


# ------------------------------------------------- notification board & activity (issue 4)
def notification_kind_label(kind: str) -> str:
    """What a notification of the board is about (``cache.notifications.NotificationKind``)."""
    texts = {
        "new_order": QCoreApplication.translate("Notifications", "New order"),
        "status_update": QCoreApplication.translate("Notifications", "Status update"),
        "refund": QCoreApplication.translate("Notifications", "Refund"),
        "message": QCoreApplication.translate("Notifications", "Message"),
        "shipment": QCoreApplication.translate("Notifications", "Shipment"),
        "notice": QCoreApplication.translate("Notifications", "Notice"),
    }
    return texts.get(kind, QCoreApplication.translate("Notifications", "Notification"))


def activity_state_label(state: str) -> str:
    """An outbox entry's state as the Activity panel says it (every state)."""
    texts = {
        "pending": QCoreApplication.translate("Activity", "Waiting to send"),
        "sending": QCoreApplication.translate("Activity", "Sending…"),
        "uncertain": QCoreApplication.translate("Activity", "Checking with the marketplace"),
        "sent": QCoreApplication.translate("Activity", "Sent"),
        "failed": QCoreApplication.translate("Activity", "Failed"),
        "discarded": QCoreApplication.translate("Activity", "Discarded"),
        "local": QCoreApplication.translate("Activity", "Kept on this computer"),
        "needs_decision": QCoreApplication.translate("Activity", "Needs your decision"),
    }
    return texts.get(state, state)


def decision_label(decision: str) -> str:
    """A button of the Activity panel for an entry that waits for the vendor."""
    translate = QCoreApplication.translate
    texts = {
        "keep-theirs": translate("Activity", "Keep the marketplace's"),
        "replace": translate("Activity", "Replace with mine"),
        "add-parcel": translate("Activity", "Add mine as another parcel"),
        "send-again": translate("Activity", "Send again"),
        "arrived": translate("Activity", "It arrived"),
        "drop": translate("Activity", "Drop mine"),
    }
    return texts.get(decision, decision)


def _tracking_text(tracking: Mapping[str, Any]) -> str:
    return "; ".join(
        f"{entry.get('name') or item_id}: {entry.get('code', '')}"
        for item_id, entry in tracking.items()
    )


def conflict_text(conflict: Any) -> str:
    """Why an entry waits for the vendor, both sides (``vendor_desk.sync.conflicts.Conflict``),
    in the vendor's language."""
    translate = QCoreApplication.translate
    reason = conflict.reason.value
    theirs = conflict.theirs
    mine = conflict.mine
    status = status_label(str(theirs.get("vendor_status") or theirs.get("main_status") or ""))
    if reason == "tracking_elsewhere":
        return translate(
            "Activity",
            "Not sent: these items already have other tracking on the marketplace (added "
            "elsewhere since you looked).\nOn the marketplace: {theirs}\nYours: {mine}",
        ).format(theirs=_tracking_text(theirs.get("tracking") or {}), mine=mine.get("code", ""))
    if reason == "completed_elsewhere":
        return translate(
            "Activity",
            "Not sent: the order is completed on the marketplace, and adding tracking now would "
            "set it back to shipped.\nYours: {mine}",
        ).format(mine=mine.get("code", ""))
    if reason == "closed_elsewhere":
        if theirs.get("trashed"):
            return translate(
                "Activity",
                "Not sent: the store admin moved the order to the trash since you looked (or "
                "restored it from there).",
            )
        return translate(
            "Activity", "Not sent: the order is {status} on the marketplace now."
        ).format(status=status.lower())
    if reason == "status_elsewhere":
        return translate(
            "Activity",
            "Not sent: the order's status changed on the marketplace since you looked.\n"
            "On the marketplace: {theirs}\nYours: {mine}",
        ).format(theirs=status, mine=status_label(str(mine.get("status", ""))))
    if reason == "refund_elsewhere":
        payout = str(theirs.get("payout") or "")
        if payout and payout != "pending":
            return translate(
                "Activity",
                "Not sent: your earnings for this order are {payout} now; only the store admin "
                "can refund it.",
            ).format(payout=payout_state_words(payout))
        return translate(
            "Activity",
            "Not sent: a refund of these items was requested or decided elsewhere since you "
            "looked.",
        )
    if reason == "order_gone":
        return translate(
            "Activity", "Not sent: the order is no longer yours on the marketplace (deleted?)."
        )
    text = translate(
        "Activity",
        "The first attempt went out, but the marketplace cannot tell whether it arrived.",
    )
    if tracking := theirs.get("tracking"):
        text += "\n" + translate("Activity", "Its items now carry: {tracking}").format(
            tracking=_tracking_text(tracking)
        )
    return text


def may_have_reached_text(kind: str, payload: Mapping[str, Any]) -> str:
    """What an entry shows the customer (or the admin) once it lands, for "it may already have
    reached …" (``OutboxEntry.may_have_reached`` in the vendor's language)."""
    translate = QCoreApplication.translate
    if kind == "tracking":
        code = payload.get("code", "")
        count = len(payload.get("item_ids") or ())
        if count == 1:
            return translate("Activity", "the customer: a tracking e-mail with {code}").format(
                code=code
            )
        return translate(
            "Activity", "the customer: {count} tracking e-mails (one per item) with {code}"
        ).format(count=count, code=code)
    if kind == "note" and payload.get("kind") == "customer":
        return translate("Activity", "the customer: the note, by e-mail")
    if kind == "complete":
        return translate("Activity", "the customer: the order's completion e-mail")
    if kind == "set_status":
        return translate("Activity", "the customer: a status e-mail")
    if kind == "refund":
        return translate("Activity", "the customer: a note that a refund was requested")
    if kind == "message_admin":
        return translate("Activity", "the store admin: the message")
    return translate("Activity", "nobody (a private note)")


def activity_what(kind: str, payload: Mapping[str, Any]) -> str:
    """What an outbox entry does, in one line ("Tracking DHL 1234", "Note to the customer")."""
    translate = QCoreApplication.translate
    if kind == "set_status":
        return translate("Activity", "Status → {status}").format(
            status=status_label(str(payload.get("status", "")))
        )
    if kind == "complete":
        return translate("Activity", "Mark complete")
    if kind == "note":
        if payload.get("kind") == "customer":
            return translate("Activity", "Note to the customer")
        return translate("Activity", "Private note")
    if kind == "tracking":
        return translate("Activity", "Mark shipped · tracking {code}").format(
            code=str(payload.get("code", ""))
        )
    if kind == "local_shipment":
        if payload.get("method") == "pickup":
            return translate("Activity", "Collected by the customer")
        if payload.get("method") == "tracked":
            return translate("Activity", "Tracking {code} kept on this computer").format(
                code=str(payload.get("code", ""))
            )
        return translate("Activity", "Shipped without tracking")
    if kind == "message_admin":
        return translate("Activity", "Message to the store admin")
    return kind


def ship_problem_text(problem: ShipProblem) -> str:
    """A refusal of :func:`vendor_desk.sync.shipping.plan_shipment` as a sentence for the field
    it concerns (the rules' own words for the order's state)."""
    if problem.detail is not None:
        return problem_text(problem.detail)
    texts = {
        ShipProblemCode.NO_ITEMS: QCoreApplication.translate(
            "Tracking", "Tick the items that go in this parcel."
        ),
        ShipProblemCode.NOT_OWN_ITEM: QCoreApplication.translate(
            "Tracking", "This item is not one of yours in this order."
        ),
        ShipProblemCode.VIRTUAL_ITEM: QCoreApplication.translate(
            "Tracking", "Virtual items need no shipping."
        ),
        ShipProblemCode.ITEM_IN_TWO_PARCELS: QCoreApplication.translate(
            "Tracking", "An item can go in one parcel only."
        ),
        ShipProblemCode.HAS_OTHER_TRACKING: QCoreApplication.translate(
            "Tracking", "An item you ticked already has another tracking code."
        ),
        ShipProblemCode.ALREADY_SHIPPED: QCoreApplication.translate(
            "Tracking", "An item you ticked is already shipped with tracking."
        ),
        ShipProblemCode.NOTHING_TO_DO: QCoreApplication.translate(
            "Tracking", "These items are already shipped this way: nothing to do."
        ),
        ShipProblemCode.EMPTY_NOTE: QCoreApplication.translate("Tracking", "The note is empty."),
    }
    return texts.get(problem.code) or rule_reason(problem.reason)


def local_shipment_label(method: ShipMethod) -> str:
    """The shipment state of items the marketplace could not record as shipped."""
    texts = {
        ShipMethod.NO_TRACKING: QCoreApplication.translate("Status", "Shipped · no tracking"),
        ShipMethod.PICKUP: QCoreApplication.translate("Status", "Collected by the customer"),
        ShipMethod.TRACKED: QCoreApplication.translate(
            "Status", "Shipped · tracking not on the marketplace"
        ),
    }
    return texts[method]


def local_shipment_where(marketplace: str) -> str:
    """Where a local shipment is known ("pending", "note" or "local", see sync/shipping.py)."""
    texts = {
        "pending": QCoreApplication.translate("Status", "the note for the marketplace is pending"),
        "note": QCoreApplication.translate("Status", "noted on the marketplace (private note)"),
        "local": QCoreApplication.translate("Status", "recorded on this computer only"),
    }
    return texts.get(marketplace, marketplace)


# ------------------------------------------------------------------ refund requests (issue 5)
def refund_mode_label(mode: str) -> str:
    """A refund request's mode ("full" / "partial", ``RefundMode`` values)."""
    texts = {
        "full": QCoreApplication.translate("Refunds", "Full refund"),
        "partial": QCoreApplication.translate("Refunds", "Partial refund"),
    }
    return texts.get(str(mode), str(mode))


def refund_request_status_label(status: str) -> str:
    """A refund request's state (``RefundRequestStatus`` values), as the vendor reads it."""
    texts = {
        "requested": QCoreApplication.translate("Refunds", "Waiting for the admin"),
        "approved": QCoreApplication.translate("Refunds", "Approved"),
        "rejected": QCoreApplication.translate("Refunds", "Rejected"),
    }
    return texts.get(str(status), str(status))


def payout_label(slug: str) -> str:
    """The vendor's payout for an order (``PayoutState`` slugs), as the detail pane shows it."""
    texts = {
        "pending": QCoreApplication.translate("Status", "Not paid out"),
        "requested": QCoreApplication.translate("Status", "Payout requested"),
        "completed": QCoreApplication.translate("Status", "Paid out"),
        "cancelled": QCoreApplication.translate("Status", "Payout cancelled"),
    }
    return texts.get(slug, slug.replace("-", " ").capitalize())


def item_refund_label(slug: str) -> str:
    """One item's refund state (``RefundState`` slugs)."""
    texts = {
        "none": QCoreApplication.translate("Item", "Not refunded"),
        "requested": QCoreApplication.translate("Item", "Refund requested"),
        "partially-refunded": QCoreApplication.translate("Item", "Partially refunded"),
        "refunded": QCoreApplication.translate("Item", "Refunded"),
        "rejected": QCoreApplication.translate("Item", "Refund rejected"),
    }
    return texts.get(slug, slug.replace("-", " ").capitalize())


def payout_state_words(slug: str) -> str:
    """Where the vendor's earnings for an order are, completing "Your earnings … are already …"."""
    texts = {
        "requested": QCoreApplication.translate("Refunds", "requested for payout"),
        "completed": QCoreApplication.translate("Refunds", "paid out"),
        "cancelled": QCoreApplication.translate("Refunds", "in a cancelled payout"),
    }
    return texts.get(slug, slug)


def refund_reason_presets() -> list[tuple[str, str]]:
    """Polite reasons a vendor may start from: ``(short title, text the customer reads)``."""
    translate = QCoreApplication.translate
    return [
        (
            translate("Refunds", "Cancelled before shipping"),
            translate(
                "Refunds",
                "Your order was cancelled before it was shipped, as you asked. "
                "We hope to see you again soon.",
            ),
        ),
        (
            translate("Refunds", "Parcel returned"),
            translate(
                "Refunds", "We received the items you sent back. Thank you for returning them."
            ),
        ),
        (
            translate("Refunds", "Parcel lost by the carrier"),
            translate(
                "Refunds", "The carrier lost your parcel. We are very sorry for the trouble."
            ),
        ),
        (
            translate("Refunds", "Some items returned"),
            translate(
                "Refunds",
                "We received the items you returned. Thank you, and sorry they did not suit you.",
            ),
        ),
        (
            translate("Refunds", "Price reduction for a defect"),
            translate(
                "Refunds",
                "A partial refund for the defect you told us about, as agreed. We are "
                "sorry the item was not perfect.",
            ),
        ),
        (
            translate("Refunds", "Item out of stock"),
            translate(
                "Refunds",
                "We are sorry: this item turned out to be out of stock, so we could not send it.",
            ),
        ),
    ]


def unpaid_refund_text(facts: UnpaidRefund) -> str:
    """The warning shown before a refund request of an order nobody paid yet (see
    :func:`vendor_desk.domain.refunds.unpaid_refund`)."""
    translate = QCoreApplication.translate
    if facts.cash_on_delivery:
        text = translate(
            "Refunds",
            "Nothing has been paid for order #{number} yet: the customer pays the carrier on "
            "delivery (cash on delivery).",
        )
    elif facts.method:
        text = translate(
            "Refunds", "Nothing has been paid for order #{number} yet (payment via {method})."
        )
    else:
        text = translate("Refunds", "Nothing has been paid for order #{number} yet.")
    text = text.format(number=facts.order_number, method=facts.method)
    text += " " + translate(
        "Refunds",
        "A refund request gives no money back to anyone: once approved, it only lowers the "
        "order's total and your earning.",
    )
    if facts.still_to_ship:
        text += " " + translate(
            "Refunds",
            "The items still have to be shipped, or the order cancelled by the store admin.",
        )
    return text


def refund_problem_text(problem: RefundProblem, order: Any = None) -> str:
    """A :class:`~vendor_desk.domain.refunds.RefundProblem` as a sentence for the field it
    concerns (items' limits formatted in the order's currency and the app's locale)."""
    translate = QCoreApplication.translate
    code = problem.code
    item = order.item(problem.item_id) if order is not None and problem.item_id else None
    if code is RefundProblemCode.ORDER_REMOVED:
        # deleted, trashed or cancelled: the rule's own reason (rules.REMOVAL_REASONS)
        return translate("Refunds", "No refund can be requested: {reason}").format(
            reason=rule_reason(problem.reason)
        )
    if code is RefundProblemCode.NOT_ELIGIBLE_STATUS and order is not None:
        status = order.vendor_status.or_else(order.main_status)
        for value in (status, order.main_status):
            if value.slug in ("pending", "on-hold", "failed", "cancelled", "refunded"):
                status = value
                break
        return translate(
            "Refunds", "No refund can be requested while the order is “{status}”."
        ).format(status=status_label(status.slug))
    if code is RefundProblemCode.PAYOUT_NOT_PENDING and order is not None:
        return translate(
            "Refunds",
            "Your earnings for this order are already {payout}, so the marketplace no longer "
            "lets you request a refund yourself. Refunds must now go through the store admin: "
            "send them a message saying what to refund and why.",
        ).format(payout=payout_state_words(order.payout_state.slug))
    if code is RefundProblemCode.AMOUNT_TOO_HIGH and item is not None:
        left = remaining_amount(item)
        return translate("Refunds", "At most {amount} can be refunded on this item.").format(
            amount=format_money(left.amount, left.currency)
        )
    if code is RefundProblemCode.QTY_TOO_HIGH and item is not None:
        return translate("Refunds", "At most {count} can be put back (bought {bought}).").format(
            count=remaining_quantity(item), bought=item.quantity
        )
    if code is RefundProblemCode.TOO_MANY_DECIMALS and order is not None:
        places = minor_units(order.currency)
        if places == 0:
            return translate("Refunds", "Amounts in {currency} have no decimals.").format(
                currency=order.currency.upper()
            )
        return translate("Refunds", "At most {places} decimals in {currency}.").format(
            places=places, currency=order.currency.upper()
        )
    if code is RefundProblemCode.UNPAID_NOT_CONFIRMED and order is not None:
        facts = unpaid_refund(order)
        if facts is not None:
            return (
                unpaid_refund_text(facts)
                + " "
                + translate("Refunds", "Confirm that you understand to send the request anyway.")
            )
    if code is RefundProblemCode.NEGATIVE:
        if problem.field == "qty":
            return translate("Refunds", "The quantity cannot be negative.")
        return translate("Refunds", "The amount cannot be negative.")
    if code is RefundProblemCode.NOT_A_NUMBER:
        if problem.field == "qty":
            return translate("Refunds", "Type a whole number of units.")
        return translate("Refunds", "Type an amount, like 12.50 or 12,50.")
    texts = {
        RefundProblemCode.PAYOUT_UNKNOWN: translate(
            "Refunds",
            "The app does not know yet whether your earnings for this order were paid out. "
            "Sync the orders, then try again.",
        ),
        RefundProblemCode.NO_REFUNDABLE_ITEMS: translate(
            "Refunds",
            "Every item of this order is already refunded or waiting for the store admin's "
            "decision on a refund request.",
        ),
        RefundProblemCode.ALREADY_QUEUED: translate(
            "Refunds",
            "A refund request for this order was refused and waits in the Activity panel: "
            "retry or discard it there first.",
        ),
        RefundProblemCode.ITEM_NOT_REFUNDABLE: translate(
            "Refunds", "This item already has a refund requested, or is fully refunded."
        ),
        RefundProblemCode.NOT_OWN_ITEM: translate("Refunds", "This item is not one of yours."),
        RefundProblemCode.DUPLICATE_ITEM: translate("Refunds", "This item is listed twice."),
        RefundProblemCode.WRONG_CURRENCY: translate(
            "Refunds", "The amount must be in the order's currency."
        ),
        RefundProblemCode.AMOUNT_TOO_HIGH: translate(
            "Refunds", "This is more than what remains refundable on the item."
        ),
        RefundProblemCode.QTY_TOO_HIGH: translate(
            "Refunds", "This is more than was bought and not yet refunded."
        ),
        RefundProblemCode.TOO_MANY_DECIMALS: translate(
            "Refunds", "Too many decimals for the currency."
        ),
        RefundProblemCode.NOTHING_CHOSEN: translate(
            "Refunds", "Type an amount (or a quantity) for at least one item."
        ),
        RefundProblemCode.REASON_EMPTY: translate(
            "Refunds", "Write a reason: the customer reads it once the store admin approves."
        ),
        RefundProblemCode.UNPAID_NOT_CONFIRMED: translate(
            "Refunds",
            "Nothing has been paid for this order yet, so a refund gives no money back. "
            "Confirm that you understand to send the request anyway.",
        ),
    }
    return texts.get(code) or rule_reason(problem.reason)
