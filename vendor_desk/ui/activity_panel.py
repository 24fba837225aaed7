"""The Activity panel: every change the vendor made through the outbox — waiting, sent, failed —
with what the marketplace said, and Retry (with an edit form), Discard and Open order.

It reads and acts through :class:`vendor_desk.sync.outbox.Outbox` only (no SQL here). Give it an
``Outbox`` built with ``recover_sending=False``: the panel lives on the UI thread while the
account worker may be sending, and must not turn an entry in flight into "uncertain".
After a retry or discard the panel emits :attr:`ActivityPanel.entries_changed`; the window
refreshes the order list and asks the worker to send.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QBrush, QColor, QIcon
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from vendor_desk.domain.carriers import check_code, check_url, normalise_code
from vendor_desk.sync.outbox import Outbox, OutboxEntry, OutboxError, OutboxKind, OutboxState
from vendor_desk.ui import labels
from vendor_desk.ui.formatting import format_count, format_datetime, format_time
from vendor_desk.ui.icons import icon
from vendor_desk.ui.record_table import RecordTableModel, record_table_view

_Index = QModelIndex | QPersistentModelIndex

#: Roles of :class:`ActivityTableModel`.
ENTRY_ROLE = int(Qt.ItemDataRole.UserRole) + 1
ORDER_ID_ROLE = int(Qt.ItemDataRole.UserRole) + 2
STATE_ROLE = int(Qt.ItemDataRole.UserRole) + 3

COL_WHEN, COL_ORDER, COL_WHAT, COL_STATE, COL_ATTEMPTS, COL_NEXT, COL_MESSAGE = range(7)

#: States still on their way to the marketplace.
WAITING_STATES = frozenset({OutboxState.PENDING, OutboxState.SENDING, OutboxState.UNCERTAIN})
#: States in which the vendor must act: refused, or waiting for a decision.
ACT_STATES = frozenset({OutboxState.FAILED, OutboxState.NEEDS_DECISION})
#: States the toolbar badge counts: waiting, failed and waiting for a decision.
ATTENTION_STATES = WAITING_STATES | ACT_STATES

#: The filters of the panel: key → states shown (None: every state).
FILTERS: dict[str, frozenset[OutboxState] | None] = {
    "all": None,
    "waiting": WAITING_STATES,
    "decide": frozenset({OutboxState.NEEDS_DECISION}),
    "failed": frozenset({OutboxState.FAILED}),
    "sent": frozenset({OutboxState.SENT, OutboxState.LOCAL}),
    "discarded": frozenset({OutboxState.DISCARDED}),
}

_STATE_ICONS = {
    OutboxState.PENDING: "status-pending",
    OutboxState.SENDING: "status-processing",
    OutboxState.UNCERTAIN: "status-unknown",
    OutboxState.SENT: "status-completed",
    OutboxState.LOCAL: "status-completed",
    OutboxState.FAILED: "status-failed",
    OutboxState.DISCARDED: "status-cancelled",
    OutboxState.NEEDS_DECISION: "status-on-hold",
}
_STATE_COLOURS = {
    OutboxState.PENDING: "#b35c00",
    OutboxState.SENDING: "#b35c00",
    OutboxState.UNCERTAIN: "#b35c00",
    OutboxState.SENT: "#2b8a3e",
    OutboxState.LOCAL: "#2b8a3e",
    OutboxState.FAILED: "#c92a2a",
    OutboxState.NEEDS_DECISION: "#c92a2a",
}


def filter_label(key: str) -> str:
    translate = QCoreApplication.translate
    texts = {
        "all": translate("Activity", "Everything"),
        "waiting": translate("Activity", "Waiting to send"),
        "decide": translate("Activity", "Needs your decision"),
        "failed": translate("Activity", "Failed"),
        "sent": translate("Activity", "Sent"),
        "discarded": translate("Activity", "Discarded"),
    }
    return texts[key]


def state_icon(state: OutboxState) -> QIcon:
    return icon(_STATE_ICONS.get(state, "status-unknown"))


def _when(value: datetime | None, now: datetime | None = None) -> str:
    """Today's times as a time only, other days with their date."""
    if value is None:
        return ""
    now = now or datetime.now(UTC)
    if value.astimezone().date() == now.astimezone().date():
        return format_time(value)
    return format_datetime(value)


def entry_details(entry: OutboxEntry) -> str:
    """What the entry carries, in plain text (note text, tracking, message)."""
    translate = QCoreApplication.translate
    payload = entry.payload
    if entry.kind is OutboxKind.NOTE:
        return str(payload.get("text", ""))
    if entry.kind is OutboxKind.TRACKING:
        return translate("Activity", "Tracking page: {url}").format(url=payload.get("url", ""))
    if entry.kind is OutboxKind.LOCAL_SHIPMENT:
        return str(payload.get("note", ""))
    if entry.kind is OutboxKind.MESSAGE_ADMIN:
        return str(payload.get("message", ""))
    return ""


# ------------------------------------------------------------------------------- model
class ActivityTableModel(RecordTableModel):
    """Outbox entries (newest first) as a table; :meth:`set_filter` picks the states shown."""

    def __init__(self, outbox: Outbox | None, parent: Any = None) -> None:
        translate = QCoreApplication.translate
        headers = [
            translate("Activity", "When"),
            translate("Activity", "Order"),
            translate("Activity", "What"),
            translate("Activity", "State"),
            translate("Activity", "Tries"),
            translate("Activity", "Next try"),
            translate("Activity", "Marketplace says"),
        ]
        super().__init__(headers, FILTERS, parent)
        self._outbox = outbox
        self.refresh()

    def keeps(self, record: Any, wanted: Any) -> bool:
        return wanted is None or record.state in wanted

    def set_outbox(self, outbox: Outbox | None) -> None:
        self._outbox = outbox
        self.refresh()

    def refresh(self) -> None:
        """Re-read the entries from the outbox."""
        entries = self._outbox.entries() if self._outbox is not None else []
        self.set_records(sorted(entries, key=lambda entry: entry.id, reverse=True))

    def count(self, states: frozenset[OutboxState]) -> int:
        """Entries (whatever the filter) in ``states``."""
        return sum(1 for entry in self.records if entry.state in states)

    def entry(self, row: int) -> OutboxEntry:
        return self.record(row)  # type: ignore[no-any-return]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        entry = self.record_at(index)
        if entry is None:
            return None
        column = index.column()
        if role == ENTRY_ROLE:
            return entry
        if role == ORDER_ID_ROLE:
            return entry.about_order_id
        if role == STATE_ROLE:
            return entry.state.value
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(entry, column)
        if role == Qt.ItemDataRole.DecorationRole and column == COL_STATE:
            return state_icon(entry.state)
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == COL_STATE and entry.state in _STATE_COLOURS:
                return QBrush(QColor(_STATE_COLOURS[entry.state]))
            if column == COL_MESSAGE and entry.state is OutboxState.FAILED:
                return QBrush(QColor(_STATE_COLOURS[OutboxState.FAILED]))
            if entry.state is OutboxState.DISCARDED:
                return QBrush(QColor("#868e96"))
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == COL_MESSAGE and entry.last_error:
                return labels.rule_reason(entry.last_error)
            if column == COL_WHEN:
                return format_datetime(entry.created_at)
            details = entry_details(entry)
            return details or None
        if role == Qt.ItemDataRole.TextAlignmentRole and column == COL_ATTEMPTS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _text(self, entry: OutboxEntry, column: int) -> str:
        if column == COL_WHEN:
            return _when(entry.sent_at or entry.created_at)
        if column == COL_ORDER:
            about = entry.about_order_id
            return f"#{about}" if about is not None else "—"
        if column == COL_WHAT:
            return labels.activity_what(entry.kind.value, entry.payload)
        if column == COL_STATE:
            return labels.activity_state_label(entry.state.value)
        if column == COL_ATTEMPTS:
            return format_count(entry.attempts) if entry.attempts else ""
        if column == COL_NEXT:
            due = [
                when
                for when in (
                    entry.next_attempt_at,
                    entry.check_after if entry.state is OutboxState.UNCERTAIN else None,
                )
                if when is not None
            ]
            return _when(max(due)) if entry.state in WAITING_STATES and due else ""
        if column == COL_MESSAGE:
            if entry.conflict is not None:
                return " ".join(labels.conflict_text(entry.conflict).split("\n")[0].split())
            if entry.state in (OutboxState.SENT, OutboxState.DISCARDED):
                return ""
            return " ".join(labels.rule_reason(entry.last_error).split())
        return ""


# ------------------------------------------------------------------------ retry form
class RetryDialog(QDialog):
    """Edit a failed entry before it is sent again: the note text, the tracking code and URL,
    or the message. Entries without anything to edit (status, complete) just confirm."""

    def __init__(self, entry: OutboxEntry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entry = entry
        self.setWindowTitle(self.tr("Try again"))
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr("“{what}” was refused. Correct it if needed and send it again.").format(
                what=labels.activity_what(entry.kind.value, entry.payload)
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        if entry.last_error:
            said = QLabel(
                self.tr("The marketplace said: {message}").format(
                    message=labels.rule_reason(entry.last_error)
                )
            )
            said.setTextFormat(Qt.TextFormat.PlainText)
            said.setObjectName("hint_error")
            said.setWordWrap(True)
            layout.addWidget(said)
        form = QFormLayout()
        layout.addLayout(form)
        payload = entry.payload
        self.text_edit: QPlainTextEdit | None = None
        self.kind_combo: QComboBox | None = None
        self.code_edit: QLineEdit | None = None
        self.url_edit: QLineEdit | None = None
        self.problem = QLabel()
        self.problem.setObjectName("hint_warning")
        self.problem.setWordWrap(True)
        text_key = {
            OutboxKind.NOTE: "text",
            OutboxKind.MESSAGE_ADMIN: "message",
            OutboxKind.LOCAL_SHIPMENT: "note",
        }.get(entry.kind)
        if text_key is not None:
            self.text_edit = QPlainTextEdit(str(payload.get(text_key, "")))
            self.text_edit.setTabChangesFocus(True)
            self.text_edit.textChanged.connect(self._validate)
            form.addRow(self.tr("Text"), self.text_edit)
        if entry.kind is OutboxKind.NOTE:
            self.kind_combo = QComboBox()
            self.kind_combo.addItem(self.tr("Private note"), "private")
            self.kind_combo.addItem(self.tr("Note to the customer (sent by e-mail)"), "customer")
            self.kind_combo.setCurrentIndex(1 if payload.get("kind") == "customer" else 0)
            form.addRow(self.tr("Kind"), self.kind_combo)
        if entry.kind is OutboxKind.TRACKING:
            self.code_edit = QLineEdit(str(payload.get("code", "")))
            self.url_edit = QLineEdit(str(payload.get("url", "")))
            self.code_edit.textChanged.connect(self._validate)
            self.url_edit.textChanged.connect(self._validate)
            form.addRow(self.tr("Tracking code"), self.code_edit)
            form.addRow(self.tr("Tracking URL"), self.url_edit)
        if form.rowCount() == 0:
            nothing = QLabel(self.tr("There is nothing to change: it is sent again as it was."))
            nothing.setWordWrap(True)
            layout.addWidget(nothing)
        layout.addWidget(self.problem)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Send again"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._validate()

    def problems(self) -> list[str]:
        """What keeps the form from being sent (sentences; empty when it can go)."""
        found: list[str] = []
        if self.text_edit is not None and not self.text_edit.toPlainText().strip():
            found.append(self.tr("The text is empty."))
        if self.code_edit is not None and (problem := check_code(self.code_edit.text())):
            found.append(labels.code_problem_text(problem))
        if self.url_edit is not None and (url_problem := check_url(self.url_edit.text())):
            found.append(labels.url_problem_text(url_problem))
        return found

    def _validate(self) -> None:
        found = self.problems()
        self.problem.setText("\n".join(found))
        self.problem.setVisible(bool(found))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not found)

    def payload(self) -> dict[str, Any]:
        """The entry's payload with the edits."""
        data: dict[str, Any] = dict(self.entry.payload)
        if self.text_edit is not None:
            key = {
                OutboxKind.NOTE: "text",
                OutboxKind.MESSAGE_ADMIN: "message",
                OutboxKind.LOCAL_SHIPMENT: "note",
            }[self.entry.kind]
            data[key] = self.text_edit.toPlainText().strip()
        if self.kind_combo is not None:
            data["kind"] = self.kind_combo.currentData()
        if self.code_edit is not None and self.url_edit is not None:
            data["code"] = normalise_code(self.code_edit.text())
            data["url"] = self.url_edit.text().strip()
        return data


# ------------------------------------------------------------------------------ panel
class ActivityPanel(QWidget):
    """The Activity panel.

    Args:
        outbox: the account's outbox, built with ``recover_sending=False`` (None: empty).

    Signals:
        order_requested(int): "Open order" (or a double click): show this order.
        attention_count_changed(int): entries waiting or failed (for the toolbar badge).
        entries_changed(): an entry was retried or discarded here: refresh the orders (a
            discard rolled a change back) and let the worker send.
    """

    order_requested = Signal(int)
    attention_count_changed = Signal(int)
    entries_changed = Signal()

    def __init__(self, outbox: Outbox | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("activityPanel")
        self._outbox = outbox
        self._last_count = -1
        self.model = ActivityTableModel(outbox, self)

        title = QLabel(self.tr("Activity"))
        title.setObjectName("detailTitle")
        self.summary = QLabel()
        self.summary.setObjectName("muted")
        self.filter_combo = QComboBox()
        for key in FILTERS:
            self.filter_combo.addItem(filter_label(key), key)
        self.filter_combo.currentIndexChanged.connect(self._filter_changed)

        self.table = record_table_view(self.model, "activityTable")
        header = self.table.horizontalHeader()
        for column in (COL_WHEN, COL_ORDER, COL_STATE, COL_ATTEMPTS, COL_NEXT):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_WHAT, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(COL_WHAT, 240)
        header.setStretchLastSection(True)
        self.table.doubleClicked.connect(self._open_index)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)

        self.details = QLabel()
        self.details.setObjectName("muted")
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.empty_label = QLabel(self.tr("Nothing here: changes you make appear here."))
        self.empty_label.setObjectName("placeholder")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)

        # An entry waiting for the vendor: why, both sides, and a button per choice.
        self.decision_box = QFrame()
        self.decision_box.setObjectName("hint_warning")
        decision_layout = QVBoxLayout(self.decision_box)
        decision_layout.setContentsMargins(10, 8, 10, 8)
        self.decision_text = QLabel()
        self.decision_text.setObjectName("decisionText")
        self.decision_text.setTextFormat(Qt.TextFormat.PlainText)
        self.decision_text.setWordWrap(True)
        decision_layout.addWidget(self.decision_text)
        self.decision_buttons_row = QHBoxLayout()
        decision_layout.addLayout(self.decision_buttons_row)
        #: Decision value → its button (the choices of the selected entry).
        self.decision_buttons: dict[str, QPushButton] = {}
        self.decision_box.setVisible(False)

        self.retry_button = QPushButton(self.tr("Retry…"))
        self.retry_button.clicked.connect(self.retry_selected)
        self.discard_button = QPushButton(self.tr("Discard…"))
        self.discard_button.clicked.connect(self.discard_selected)
        self.open_button = QPushButton(self.tr("Open order"))
        self.open_button.clicked.connect(self.open_selected)

        top = QHBoxLayout()
        top.addWidget(title)
        top.addWidget(self.summary)
        top.addStretch(1)
        top.addWidget(QLabel(self.tr("Show")))
        top.addWidget(self.filter_combo)
        buttons = QHBoxLayout()
        buttons.addWidget(self.retry_button)
        buttons.addWidget(self.discard_button)
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 10)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label, 1)
        layout.addWidget(self.details)
        layout.addWidget(self.decision_box)
        layout.addLayout(buttons)
        self._after_refresh()

    # ------------------------------------------------------------------ public API
    @property
    def attention_count(self) -> int:
        """Entries waiting to be sent or failed."""
        return self.model.count(ATTENTION_STATES)

    def set_outbox(self, outbox: Outbox | None) -> None:
        self._outbox = outbox
        self.model.set_outbox(outbox)
        self._after_refresh()

    @Slot()
    def refresh(self) -> None:
        """Re-read the outbox (call after the worker sent or synced), keeping the selection."""
        selected = self.selected_entry()
        self.model.refresh()
        self._after_refresh(select=selected.id if selected else None)

    def set_filter(self, key: str) -> None:
        self.filter_combo.setCurrentIndex(list(FILTERS).index(key))

    def selected_entry(self) -> OutboxEntry | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.entry(rows[0].row()) if rows else None

    def select_entry(self, entry_id: int) -> bool:
        row = self.model.row_of(entry_id)
        if row is None:
            return False
        self.table.selectRow(row)
        return True

    @Slot()
    def retry_selected(self) -> None:
        """Failed: edit in a small form, then queue again. Waiting: send at the next pass."""
        entry = self.selected_entry()
        if entry is None or self._outbox is None:
            return
        payload: Mapping[str, Any] | None = None
        if entry.state is OutboxState.FAILED:
            dialog = RetryDialog(entry, self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            payload = dialog.payload()
        self._act(lambda outbox: outbox.retry(entry.id, payload), entry.id)

    @Slot()
    def discard_selected(self) -> None:
        entry = self.selected_entry()
        if entry is None or self._outbox is None:
            return
        what = labels.activity_what(entry.kind.value, entry.payload)
        question = self.tr("Discard “{what}”?").format(what=what)
        if entry.order_id is not None:
            question += " " + self.tr("Order #{number} goes back to how it was.").format(
                number=entry.order_id
            )
        if entry.state is OutboxState.UNCERTAIN:
            question += " " + self.tr(
                "The marketplace may have received it already; the next sync will show."
            )
        answer = QMessageBox.question(
            self,
            self.tr("Discard"),
            question,
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Discard:
            return
        self._act(lambda outbox: outbox.discard(entry.id), entry.id)

    def decide_selected(self, decision: str) -> None:
        """Go on with the selected entry that waits for the vendor (a decision's button)."""
        entry = self.selected_entry()
        if entry is None or self._outbox is None:
            return
        self._act(lambda outbox: outbox.decide(entry.id, decision), entry.id)

    @Slot()
    def open_selected(self) -> None:
        entry = self.selected_entry()
        if entry is not None and entry.about_order_id is not None:
            self.order_requested.emit(entry.about_order_id)

    # ------------------------------------------------------------------ internals
    def _act(self, action: Any, entry_id: int) -> None:
        assert self._outbox is not None
        try:
            action(self._outbox)
        except (OutboxError, ValueError) as error:
            QMessageBox.warning(self, self.tr("Activity"), str(error))
        self.model.refresh()
        self._after_refresh(select=entry_id)
        self.entries_changed.emit()

    def _open_index(self, index: QModelIndex) -> None:
        order_id = index.data(ORDER_ID_ROLE)
        if order_id is not None:
            self.order_requested.emit(int(order_id))

    def _filter_changed(self, _index: int) -> None:
        selected = self.selected_entry()
        self.model.set_filter(str(self.filter_combo.currentData()))
        self._after_refresh(select=selected.id if selected else None)

    def _after_refresh(self, select: int | None = None) -> None:
        if select is not None:
            self.select_entry(select)
        waiting = self.model.count(WAITING_STATES)
        failed = self.model.count(frozenset({OutboxState.FAILED}))
        decide = self.model.count(frozenset({OutboxState.NEEDS_DECISION}))
        parts = []
        if waiting:
            parts.append(self.tr("{count} waiting").format(count=format_count(waiting)))
        if decide:
            parts.append(self.tr("{count} to decide").format(count=format_count(decide)))
        if failed:
            parts.append(self.tr("{count} failed").format(count=format_count(failed)))
        self.summary.setText(" · ".join(parts) if parts else self.tr("all sent"))
        empty = self.model.rowCount() == 0
        self.table.setVisible(not empty)
        self.empty_label.setVisible(empty)
        self._selection_changed()
        count = waiting + failed + decide
        if count != self._last_count:
            self._last_count = count
            self.attention_count_changed.emit(count)

    def _selection_changed(self, *_args: Any) -> None:
        entry = self.selected_entry()
        self.open_button.setEnabled(entry is not None and entry.about_order_id is not None)
        self.discard_button.setEnabled(
            entry is not None
            and entry.state in (OutboxState.PENDING, OutboxState.UNCERTAIN, OutboxState.FAILED)
        )
        now = datetime.now(UTC)
        in_grace = (
            entry is not None
            and entry.state is OutboxState.UNCERTAIN
            and entry.check_after is not None
            and entry.check_after > now
        )
        can_retry = entry is not None and (
            entry.state is OutboxState.FAILED
            or (
                entry.state in WAITING_STATES - {OutboxState.SENDING}
                and entry.next_attempt_at
                and not in_grace
            )
        )
        self.retry_button.setEnabled(bool(can_retry))
        self._show_decision(entry)
        self.retry_button.setText(
            self.tr("Send now")
            if entry is not None and entry.state is not OutboxState.FAILED
            else self.tr("Retry…")
        )
        if entry is None:
            self.details.setText("")
            self.details.setVisible(False)
            return
        what = labels.activity_what(entry.kind.value, entry.payload)
        if entry.about_order_id is not None:
            what = self.tr("Order #{number}: {what}").format(number=entry.about_order_id, what=what)
        lines = [f"{what} — {labels.activity_state_label(entry.state.value)}"]
        if details := entry_details(entry):
            lines.append(details)
        if entry.last_error and entry.state not in (
            OutboxState.SENT,
            OutboxState.DISCARDED,
            OutboxState.NEEDS_DECISION,
        ):
            lines.append(
                self.tr("The marketplace said: {message}").format(
                    message=labels.rule_reason(entry.last_error)
                )
            )
        if entry.state is OutboxState.UNCERTAIN and entry.attempt_at is not None:
            reached = labels.may_have_reached_text(entry.kind.value, entry.payload)
            lines.append(
                self.tr(
                    "It went out at {time}, but the marketplace did not confirm it. It may "
                    "already have reached {who}."
                ).format(time=format_time(entry.attempt_at), who=reached)
            )
            if in_grace:
                assert entry.check_after is not None
                lines.append(
                    self.tr(
                        "It may still be under way on the marketplace: it is checked at {time} "
                        "and sent again only if it did not arrive."
                    ).format(time=format_time(entry.check_after))
                )
        self.details.setText("\n".join(lines))
        self.details.setVisible(True)

    def _show_decision(self, entry: OutboxEntry | None) -> None:
        """The decision box of an entry that waits for the vendor (hidden otherwise)."""
        for button in self.decision_buttons.values():
            self.decision_buttons_row.removeWidget(button)
            button.deleteLater()
        self.decision_buttons = {}
        conflict = entry.conflict if entry is not None else None
        self.decision_box.setVisible(conflict is not None)
        if entry is None or conflict is None:
            return
        text = labels.conflict_text(conflict)
        if entry.attempt_at is not None:
            text += "\n" + self.tr("It may already have reached {who}.").format(
                who=labels.may_have_reached_text(entry.kind.value, entry.payload)
            )
        self.decision_text.setText(text)
        for choice in conflict.choices:
            button = QPushButton(labels.decision_label(choice.value))
            button.setObjectName(f"decide_{choice.value}")
            button.clicked.connect(lambda _=False, value=choice.value: self.decide_selected(value))
            self.decision_buttons_row.addWidget(button)
            self.decision_buttons[choice.value] = button
        self.decision_buttons_row.addStretch(0)
