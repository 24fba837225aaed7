"""The note dialog: a private note (default) or a note to the customer, who gets it by e-mail.

The dialog returns plain data — :meth:`NoteDialog.note` gives ``(text, NoteKind)`` — and sends
nothing: the window queues it in the outbox.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from vendor_desk.domain import Capabilities, NoteKind
from vendor_desk.ui.icons import app_icon
from vendor_desk.ui.tracking_dialog import hint_label


class NoteDialog(QDialog):
    """Add a note to order ``order_number``.

    Args:
        order_number: shown in the title.
        capabilities: when the marketplace is known to lack WCFM Ultimate, notes cannot be added
            from outside its dashboard: the dialog says so and offers no OK button.
        text, kind: a note to start from (editing a failed note from the Activity panel).
    """

    def __init__(
        self,
        order_number: str,
        parent: QWidget | None = None,
        *,
        capabilities: Capabilities | None = None,
        text: str = "",
        kind: NoteKind = NoteKind.PRIVATE,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Add a note to order #{number}").format(number=order_number))
        self.setWindowIcon(app_icon())
        self.setMinimumWidth(480)
        self.notes_work = capabilities is None or capabilities.can_add_notes

        self.capability_label = hint_label(
            "warning",
            self.tr(
                "Notes can't be added from outside the marketplace's dashboard for this "
                "marketplace (WCFM Ultimate is not installed). Add the note in the dashboard "
                "in your web browser instead."
            ),
        )
        self.capability_label.setVisible(not self.notes_work)

        self.text_edit = QPlainTextEdit()
        self.text_edit.setObjectName("noteText")
        self.text_edit.setPlaceholderText(self.tr("Write the note…"))
        self.text_edit.setTabChangesFocus(True)
        self.text_edit.setPlainText(text)

        self.private_button = QRadioButton(self.tr("Private note"))
        self.private_button.setToolTip(self.tr("Only you and the store admin see it."))
        self.customer_button = QRadioButton(self.tr("Note to customer"))
        group = QButtonGroup(self)
        group.addButton(self.private_button)
        group.addButton(self.customer_button)
        (self.customer_button if kind is NoteKind.CUSTOMER else self.private_button).setChecked(
            True
        )
        kinds = QHBoxLayout()
        kinds.addWidget(self.private_button)
        kinds.addWidget(self.customer_button)
        kinds.addStretch(1)

        self.private_hint = QLabel(self.tr("Only you and the store admin will see this note."))
        self.private_hint.setObjectName("muted")
        self.customer_hint = hint_label(
            "info", self.tr("The customer will receive this note by e-mail.")
        )
        self.customer_hint.setProperty("role", "customerHint")

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Add note"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        if not self.notes_work:
            self.ok_button.setVisible(False)
            self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Close"))

        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        layout.addWidget(self.capability_label)
        layout.addWidget(self.text_edit, 1)
        layout.addLayout(kinds)
        layout.addWidget(self.private_hint)
        layout.addWidget(self.customer_hint)
        layout.addWidget(self.buttons)

        self.text_edit.textChanged.connect(self._update)
        self.customer_button.toggled.connect(self._update)
        self.text_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self._update()

    # ----------------------------------------------------------------- public
    def kind(self) -> NoteKind:
        return NoteKind.CUSTOMER if self.customer_button.isChecked() else NoteKind.PRIVATE

    def text(self) -> str:
        """The note as typed, without leading/trailing blank space."""
        return self.text_edit.toPlainText().strip()

    def note(self) -> tuple[str, NoteKind]:
        """The result: ``(text, kind)``."""
        return self.text(), self.kind()

    def accept(self) -> None:
        if not self.notes_work or not self.text():
            return
        super().accept()

    # ---------------------------------------------------------------- private
    @Slot()
    def _update(self, *_args: object) -> None:
        to_customer = self.customer_button.isChecked()
        self.customer_hint.setVisible(to_customer)
        self.private_hint.setVisible(not to_customer)
        self.ok_button.setEnabled(self.notes_work and bool(self.text()))
        self.ok_button.setText(
            self.tr("Send to customer") if to_customer else self.tr("Add private note")
        )
