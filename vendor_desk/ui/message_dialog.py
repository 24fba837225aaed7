""" "Message the store admin": a plain-text direct message, pre-filled with the order number
(and, when opened from a shipping warning, the problem). Returns the text; sends nothing."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from vendor_desk.ui.icons import app_icon


class MessageDialog(QDialog):
    """Write a direct message to the store admin.

    Args:
        order_number: the order the message is about ("" for a general message).
        problem: what the app found wrong (e.g. "The order is on hold …"), added to the draft.

    After ``exec()`` returns ``Accepted``, :meth:`message` holds the text.
    """

    def __init__(
        self, order_number: str = "", problem: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Message the store admin"))
        self.setWindowIcon(app_icon())
        self.setMinimumWidth(480)
        intro = QLabel(
            self.tr(
                "The store admin receives this as a direct message on the marketplace's "
                "notification board. Plain text only."
            )
        )
        intro.setObjectName("muted")
        intro.setWordWrap(True)

        self.text_edit = QPlainTextEdit()
        self.text_edit.setObjectName("messageText")
        self.text_edit.setTabChangesFocus(True)
        lines: list[str] = []
        if order_number:
            lines.append(self.tr("About order #{number}:").format(number=order_number))
        if problem:
            lines.append(problem)
        draft = "\n".join(lines)
        self.text_edit.setPlainText(f"{draft}\n\n" if draft else "")
        self.text_edit.moveCursor(QTextCursor.MoveOperation.End)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Send"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        layout.addWidget(intro)
        layout.addWidget(self.text_edit, 1)
        layout.addWidget(self.buttons)
        self.text_edit.textChanged.connect(self._update)
        self.text_edit.setFocus()
        self._update()

    def message(self) -> str:
        """The message as written, without leading/trailing blank space."""
        return self.text_edit.toPlainText().strip()

    def accept(self) -> None:
        if self.message():
            super().accept()

    @Slot()
    def _update(self) -> None:
        self.ok_button.setEnabled(bool(self.message()))
