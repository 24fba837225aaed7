"""The vendor's order actions in the window: Mark Shipped, Mark Complete, notes, messages.

:class:`OrderActions` owns the menu/toolbar actions, opens the dialogs, and hands what the vendor
decided to :mod:`vendor_desk.sync.shipping` / :mod:`vendor_desk.sync.bulk`, which check it and
queue it in the outbox (applied to the cache at once). It never talks to the marketplace: the
window's account worker sends the queued entries (:attr:`OrderActions.queued` tells it to).

One order selected → the full dialog of the action. Several → the bulk form of the action (ship
without tracking or as collected, complete, the same note), each order checked and queued on its
own, with one summary of what was queued and what was refused.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox, QWidget

from vendor_desk.cache import store as cache_store
from vendor_desk.domain import Capabilities, Order, rules
from vendor_desk.domain.refunds import eligibility_problems
from vendor_desk.i18n import ngettext
from vendor_desk.sync.bulk import BulkAction, BulkSummary, bulk_apply
from vendor_desk.sync.outbox import Outbox
from vendor_desk.sync.refunds import RefundRefused, queue_refund
from vendor_desk.sync.shipping import (
    ShipmentRefused,
    queue_admin_message,
    queue_completion,
    queue_note,
    queue_shipment,
    ready_to_complete,
)
from vendor_desk.ui import labels
from vendor_desk.ui.actions import window_action
from vendor_desk.ui.complete_dialog import CompleteDialog
from vendor_desk.ui.icons import status_icon
from vendor_desk.ui.message_dialog import MessageDialog
from vendor_desk.ui.modal import DialogRunner, run_modal
from vendor_desk.ui.note_dialog import NoteDialog
from vendor_desk.ui.refund_dialog import RefundDialog
from vendor_desk.ui.tracking_dialog import TrackingDialog

log = logging.getLogger("vendor_desk.ui.actions")


class OrderActions(QObject):
    """Actions on the selected order(s) of one account.

    Args:
        parent: the window (dialogs are centred on it).
        cache: the open cache.
        account_id: the account.
        selection: returns the selected order ids (the current one first).

    Signals:
        queued(list): outbox entry ids just queued (the window sends them and reloads).
    """

    queued = Signal(list)

    def __init__(
        self,
        parent: QWidget,
        cache: Any,
        account_id: int | None,
        selection: Callable[[], list[int]],
    ) -> None:
        super().__init__(parent)
        self._window = parent
        self._cache = cache
        self._account_id = account_id
        self._selection = selection
        self.capabilities: Capabilities | None = None
        self.run_dialog: DialogRunner = run_modal
        #: The last bulk summary (shown to the vendor; kept for tests).
        self.last_summary: BulkSummary | None = None

        self.ship_action = window_action(
            self._window, self.tr("Mark Shipped…"), "Ctrl+Shift+S", self.ship, "shipAction"
        )
        self.complete_action = window_action(
            self._window, self.tr("Mark Complete…"), "Ctrl+Shift+C", self.complete, "completeAction"
        )
        self.note_action = window_action(
            self._window, self.tr("Add Note…"), "Ctrl+Shift+N", self.note, "noteAction"
        )
        self.message_action = window_action(
            self._window,
            self.tr("Message the Store Admin…"),
            "",
            self.message_admin,
            "messageAction",
        )
        self.refund_action = window_action(
            self._window, self.tr("Refund Request…"), "Ctrl+Shift+R", self.refund, "refundAction"
        )
        self.refund_action.setIcon(status_icon("refund-requested"))
        #: Whether this marketplace asks for refund reasons in English (a per-account setting).
        self.english_refund_reasons = False
        self.ship_action.setIcon(status_icon("shipped"))
        self.complete_action.setIcon(status_icon("completed"))

    @property
    def actions(self) -> list[QAction]:
        return [
            self.ship_action,
            self.complete_action,
            self.note_action,
            self.refund_action,
            self.message_action,
        ]

    def outbox(self) -> Outbox:
        """The account's outbox for queueing (the worker's own one sends and recovers)."""
        assert self._account_id is not None
        return Outbox(self._cache, self._account_id, recover_sending=False)

    # ================================================================== enabling
    def _orders(self, order_ids: Sequence[int]) -> dict[int, Order]:
        if self._account_id is None or not order_ids:
            return {}
        with self._cache.session() as session:
            return cache_store.load_orders(session, self._account_id, order_ids)

    def _local(self, order_id: int) -> dict[str, Any]:
        assert self._account_id is not None
        with self._cache.session() as session:
            return cache_store.get_local(session, self._account_id, order_id)

    def update_enabled(self) -> None:
        """Enable the actions for the current selection; a disabled one says why (tooltip)."""
        ids = self._selection() if self._account_id is not None else []
        self.message_action.setEnabled(self._account_id is not None)
        for action in (self.ship_action, self.complete_action, self.note_action):
            action.setEnabled(bool(ids))
            action.setToolTip("")
        self.refund_action.setEnabled(len(ids) == 1)
        self.refund_action.setToolTip(
            self.tr("Refund requests are made one order at a time.") if len(ids) > 1 else ""
        )
        if len(ids) > 1:
            count = len(ids)
            self.ship_action.setText(self.tr("Mark {count} Orders Shipped…").format(count=count))
            self.complete_action.setText(
                self.tr("Mark {count} Orders Complete…").format(count=count)
            )
            self.note_action.setText(self.tr("Add a Note to {count} Orders…").format(count=count))
            return
        self.ship_action.setText(self.tr("Mark Shipped…"))
        self.complete_action.setText(self.tr("Mark Complete…"))
        self.note_action.setText(self.tr("Add Note…"))
        if not ids:
            return
        order = self._orders(ids).get(ids[0])
        if order is None:
            return
        ship = rules.may_ship(order)
        self.ship_action.setEnabled(ship.allowed)
        self.ship_action.setToolTip(
            "\n".join(labels.rule_reason(r) for r in ship.reasons)
            if not ship.allowed
            else self.tr("Enter tracking for the items you sent (Ctrl+Shift+S)")
        )
        note = rules.may_add_note(order)
        self.note_action.setEnabled(note.allowed)
        if not note.allowed:
            self.note_action.setToolTip("\n".join(labels.rule_reason(r) for r in note.reasons))
        complete = ready_to_complete(order, self._local(order.id))
        self.complete_action.setEnabled(complete.allowed)
        self.complete_action.setToolTip(
            "\n".join(labels.rule_reason(r) for r in complete.reasons)
            if not complete.allowed
            else self.tr("Mark your part of the order complete (Ctrl+Shift+C)")
        )
        refund = eligibility_problems(order)
        # Payout already requested/paid: the dialog still opens, to message the admin instead.
        blocking = [p for p in refund if not p.code.needs_admin]
        self.refund_action.setEnabled(not blocking)
        self.refund_action.setToolTip(
            "\n".join(labels.refund_problem_text(p, order) for p in blocking)
            if blocking
            else self.tr("Ask the store admin to refund the customer (Ctrl+Shift+R)")
        )

    # ================================================================== actions
    @Slot()
    def ship(self, order_id: int | None = None) -> bool:
        ids = [order_id] if order_id is not None else self._selection()
        if len(ids) > 1:
            return self._bulk_ship(ids)
        if not ids:
            return False
        order = self._orders(ids).get(ids[0])
        if order is None:
            return False
        verdict = rules.may_ship(order)
        if not verdict.allowed:
            self._explain_refusal(
                self.tr("Order #{number} cannot be shipped").format(number=order.number),
                [labels.rule_reason(r) for r in verdict.reasons],
                order,
            )
            return False
        address = order.shipping if not order.shipping.is_empty else order.billing
        local = self._local(order.id)
        dialog = TrackingDialog(
            order,
            address.country,
            address.postcode,
            self._window,
            capabilities=self.capabilities,
            local=local,
        )
        if not self.run_dialog(dialog):
            return False
        try:
            result = queue_shipment(
                self.outbox(),
                order,
                dialog.parcels(),
                capabilities=self.capabilities,
                replace_tracking=dialog.replaces_tracking(),
            )
        except ShipmentRefused as refused:
            self._show_problems(order, refused)
            return False
        self.queued.emit(list(result.entry_ids))
        return True

    def _bulk_ship(self, ids: list[int]) -> bool:
        box = QMessageBox(self._window)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("Mark {count} orders shipped").format(count=len(ids)))
        box.setText(
            self.tr(
                "Mark every item of the {count} selected orders as shipped without a tracking "
                "number, or as collected by the customer?"
            ).format(count=len(ids))
        )
        box.setInformativeText(
            self.tr(
                "Shipping without a tracking number puts the risk of a lost parcel on you: if "
                "the customer does not receive it, you are responsible. To add tracking, mark "
                "the orders shipped one at a time."
            )
        )
        without = box.addButton(
            self.tr("Shipped without tracking"), QMessageBox.ButtonRole.AcceptRole
        )
        pickup = box.addButton(
            self.tr("Collected (local pickup)"), QMessageBox.ButtonRole.AcceptRole
        )
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        self.run_dialog(box)
        clicked = box.clickedButton()
        if clicked is without:
            action = BulkAction.SHIP_NO_TRACKING
        elif clicked is pickup:
            action = BulkAction.SHIP_PICKUP
        else:
            return False
        return self._run_bulk(ids, action)

    @Slot()
    def complete(self, order_id: int | None = None) -> bool:
        ids = [order_id] if order_id is not None else self._selection()
        if len(ids) > 1:
            box = QMessageBox(self._window)
            box.setIcon(QMessageBox.Icon.Question)
            box.setWindowTitle(self.tr("Mark {count} orders complete").format(count=len(ids)))
            box.setText(
                self.tr(
                    "Mark your part of the {count} selected orders complete? On split orders the "
                    "customer's completion e-mail waits until every vendor has completed theirs."
                ).format(count=len(ids))
            )
            yes = box.addButton(self.tr("Mark complete"), QMessageBox.ButtonRole.AcceptRole)
            box.addButton(QMessageBox.StandardButton.Cancel)
            self.run_dialog(box)
            if box.clickedButton() is not yes:
                return False
            return self._run_bulk(ids, BulkAction.COMPLETE)
        if not ids:
            return False
        order = self._orders(ids).get(ids[0])
        if order is None:
            return False
        dialog = CompleteDialog(order, self._window, local=self._local(order.id))
        if not self.run_dialog(dialog):
            return False
        try:
            entry_id = queue_completion(self.outbox(), order)
        except ShipmentRefused as refused:
            self._show_problems(order, refused)
            return False
        self.queued.emit([entry_id])
        return True

    @Slot()
    def note(self, order_id: int | None = None) -> bool:
        ids = [order_id] if order_id is not None else self._selection()
        if not ids:
            return False
        orders = self._orders(ids)
        first = orders.get(ids[0])
        if first is None:
            return False
        verdict = rules.may_add_note(first)
        if len(ids) == 1 and not verdict.allowed:
            self._explain_refusal(
                self.tr("No note can be added to order #{number}").format(number=first.number),
                [labels.rule_reason(r) for r in verdict.reasons],
                first,
            )
            return False
        dialog = NoteDialog(first.number, self._window, capabilities=self.capabilities)
        if len(ids) > 1:
            dialog.setWindowTitle(
                self.tr("Add the same note to {count} orders").format(count=len(ids))
            )
        if not self.run_dialog(dialog):
            return False
        text, kind = dialog.note()
        if len(ids) > 1:
            return self._run_bulk(ids, BulkAction.NOTE, note=text, note_kind=kind)
        try:
            entry_id = queue_note(self.outbox(), first, text, kind)
        except ShipmentRefused as refused:
            self._show_problems(first, refused)
            return False
        self.queued.emit([entry_id])
        return True

    @Slot()
    def refund(self, order_id: int | None = None) -> bool:
        ids = [order_id] if order_id is not None else self._selection()
        if len(ids) != 1:
            return False
        order = self._orders(ids).get(ids[0])
        if order is None:
            return False
        dialog = RefundDialog(
            order,
            self._window,
            local=self._local(order.id),
            english_hint=self.english_refund_reasons,
        )
        # Emitted after the refund dialog closed: the message dialog does not stack on it.
        dialog.message_admin_requested.connect(lambda about, text: self.message_admin(about, text))
        if not self.run_dialog(dialog):
            return False
        try:
            entry_id = queue_refund(
                self.outbox(),
                order,
                *dialog.request(),
                confirm_unpaid=dialog.unpaid_confirmed(),  # the vendor ticked it, or no need
            )
        except RefundRefused as refused:
            self._explain_refusal(
                self.tr("Nothing was queued for order #{number}").format(number=order.number),
                [labels.refund_problem_text(p, order) for p in refused.problems],
                order,
            )
            return False
        self.queued.emit([entry_id])
        return True

    @Slot()
    def message_admin(self, order_id: int | None = None, problem: str = "") -> bool:
        if self._account_id is None:
            return False
        number = ""
        if order_id is None:
            ids = self._selection()
            order_id = ids[0] if len(ids) == 1 else None
        if order_id is not None:
            order = self._orders([order_id]).get(order_id)
            number = order.number if order is not None else str(order_id)
        dialog = MessageDialog(number, problem, self._window)
        if not self.run_dialog(dialog):
            return False
        entry_id = queue_admin_message(self.outbox(), dialog.message(), about_order_id=order_id)
        self.queued.emit([entry_id])
        return True

    # ================================================================== helpers
    def _run_bulk(self, ids: list[int], action: BulkAction, **options: Any) -> bool:
        summary = bulk_apply(self.outbox(), ids, action, capabilities=self.capabilities, **options)
        self.last_summary = summary
        if summary.entry_ids:
            self.queued.emit(summary.entry_ids)
        self._show_summary(summary)
        return bool(summary.entry_ids)

    def _show_summary(self, summary: BulkSummary) -> None:
        queued, refused = summary.queued, summary.refused
        text = " ".join(
            (
                ngettext("{count} order queued.", "{count} orders queued.", len(queued)),
                ngettext("{refused} refused.", "{refused} refused.", len(refused)),
            )
        )
        text = text.format(count=len(queued), refused=len(refused))
        details = "\n".join(
            self.tr("#{number}: {reason}").format(
                number=outcome.order_number,
                reason="; ".join(labels.ship_problem_text(p) for p in outcome.problems),
            )
            for outcome in refused
        )
        box = QMessageBox(self._window)
        box.setIcon(QMessageBox.Icon.Warning if refused else QMessageBox.Icon.Information)
        box.setWindowTitle(self.tr("Bulk action"))
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(text)
        if queued:
            box.setInformativeText(
                self.tr(
                    "Queued changes are sent to the marketplace now, or as soon as it can be "
                    "reached."
                )
            )
        if details:
            box.setDetailedText(details)
        self.run_dialog(box)

    def _show_problems(self, order: Order, refused: ShipmentRefused) -> None:
        self._explain_refusal(
            self.tr("Nothing was queued for order #{number}").format(number=order.number),
            [labels.ship_problem_text(p) for p in refused.problems],
            order,
        )

    def _explain_refusal(self, title: str, reasons: list[str], order: Order) -> None:
        box = QMessageBox(self._window)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(title)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText("\n".join(reasons) or title)
        ask = box.addButton(self.tr("Message the store admin…"), QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Close)
        self.run_dialog(box)
        if box.clickedButton() is ask:
            self.message_admin(order.id, "\n".join(reasons))
