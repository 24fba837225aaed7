"""Confirm "Mark Complete" — and say what the customer gets, which differs on split orders.

On an order the vendor shares with other vendors, completing one's own part does not complete
the order: the customer's completion e-mail and the store invoices wait until every vendor has
completed theirs (:func:`vendor_desk.domain.rules.completion_waits_for_others`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from vendor_desk.domain import Order
from vendor_desk.domain.rules import completion_waits_for_others
from vendor_desk.sync.shipping import ready_to_complete
from vendor_desk.ui import labels
from vendor_desk.ui.icons import app_icon
from vendor_desk.ui.tracking_dialog import hint_label


class CompleteDialog(QDialog):
    """Ask before marking the vendor's part of ``order`` completed.

    ``exec()`` returns ``Accepted`` when the vendor confirms; :attr:`order_id` says which order.
    When the rules refuse completion the reasons are shown and there is nothing to confirm.
    ``local`` is the order's app-owned state: shipments without tracking and pickups recorded
    there count as shipped (:func:`vendor_desk.sync.shipping.ready_to_complete`).
    """

    def __init__(
        self,
        order: Order,
        parent: QWidget | None = None,
        *,
        local: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(parent)
        self.order_id = order.id
        self.setWindowTitle(self.tr("Mark order #{number} complete").format(number=order.number))
        self.setWindowIcon(app_icon())
        self.setMinimumWidth(460)
        verdict = ready_to_complete(order, local or {})
        self.allowed = verdict.allowed
        self.waits_for_others = completion_waits_for_others(order)

        question = QLabel(
            self.tr("Mark your part of order #{number} as completed?").format(number=order.number)
        )
        question.setObjectName("detailTitle")
        question.setWordWrap(True)

        if self.waits_for_others:
            explanation = self.tr(
                "This is a split order: the customer also bought from other vendors. The "
                "customer's completion e-mail and the store invoices go out only when every "
                "vendor has completed their part. Until then the order stays “{status}” and "
                "shows “your part: completed”."
            ).format(status=labels.status_label(order.main_status.slug or "processing"))
            kind = "info"
        else:
            explanation = self.tr(
                "The customer receives an e-mail that the order is complete, with the store "
                "invoice attached."
            )
            kind = "ok"
        self.explanation_label = hint_label(kind, explanation)
        self.explanation_label.setProperty("role", "explanation")

        self.refusal_label = hint_label(
            "warning",
            "\n".join(labels.rule_reason(reason) for reason in verdict.reasons),
        )
        self.refusal_label.setVisible(not verdict.allowed)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Mark complete"))
        self.ok_button.setEnabled(verdict.allowed)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(question)
        layout.addWidget(self.explanation_label)
        layout.addWidget(self.refusal_label)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

    def accept(self) -> None:
        if self.allowed:
            super().accept()
