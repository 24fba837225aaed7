"""Keeping the main window whole on a laptop screen (1024×700 and up; issue 15).

At a packing table the window is often small. Qt's own answers cut things off: a toolbar that
does not fit moves its last actions into a "»" menu (where the vendor cannot see them), and a
table wider than its view scrolls sideways, so its last columns — the order's status among
them — sit out of sight. Instead:

* :class:`ElidedLabel`: a label that shortens its text with "…" (the whole text as tooltip)
  rather than push its neighbours out — the account's name at the end of the toolbar.
* :class:`ToolbarFitter`: the toolbar's buttons show their text beside the icon while every
  action fits; when they do not (a narrow window, "Mark 3 Orders Shipped…", a longer
  translation), the buttons that have an icon show the icon alone (their name in the tooltip).
* :class:`ColumnFitter`: the table's columns that do not fit give way, the least important
  first; they come back when there is room again.
* :func:`on_screen`: a dialog's opening size, at most the screen's free area (frame included) —
  the print preview's 860 pixels of height would hide its buttons below a 768-pixel screen.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QPainter
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QSizePolicy,
    QTableView,
    QToolBar,
    QToolButton,
    QWidget,
)

#: Room left for a window's frame (title bar, borders) when its size is fitted to the screen.
FRAME = QSize(16, 48)


def on_screen(widget: QWidget, size: QSize) -> QSize:
    """``size`` bounded by the free area of the screen ``widget`` (or its parent) is on, less
    the window frame (:data:`FRAME`); ``size`` as it is when no screen is known."""
    parent = widget.parentWidget()
    screen = (parent.screen() if parent is not None else None) or widget.screen()
    if screen is None:
        return size
    room = screen.availableGeometry().size() - FRAME
    return size.boundedTo(room) if not room.isEmpty() else size


class ElidedLabel(QLabel):
    """A one-line plain-text label that asks for the room of its text but takes less, eliding
    its text to it (never pushing its neighbours into an overflow)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setToolTip(text)

    def minimumSizeHint(self) -> QSize:
        return QSize(0, super().minimumSizeHint().height())

    def paintEvent(self, _event: Any) -> None:
        painter = QPainter(self)
        rect = self.contentsRect()
        margin = self.margin()
        rect.adjust(margin, margin, -margin, -margin)
        text = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, rect.width())
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(rect, int(self.alignment()), text)


class ToolbarFitter(QObject):
    """Keeps every action of ``toolbar`` on it, out of the "»" overflow menu (module docs).

    A stretching spacer takes only the room left, and an :class:`ElidedLabel` gives its room up
    (it does not count). Refits when the toolbar is resized and when an action's text changes.
    """

    def __init__(self, toolbar: QToolBar) -> None:
        super().__init__(toolbar)
        self._toolbar = toolbar
        #: Whether the buttons with an icon show it alone (the toolbar is too narrow).
        self.compact = False
        self._watched: set[QAction] = set()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.fit)
        toolbar.installEventFilter(self)
        for action in toolbar.actions():
            self._watch(action)

    def _watch(self, action: QAction) -> None:
        if action not in self._watched:
            self._watched.add(action)
            action.changed.connect(self._timer.start)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.ActionAdded:
            self._watch(event.action())  # type: ignore[attr-defined]
            self._timer.start()
        elif kind in (QEvent.Type.Resize, QEvent.Type.Show):
            self.fit()
        return False

    def _buttons(self) -> list[QToolButton]:
        buttons = []
        for action in self._toolbar.actions():
            widget = self._toolbar.widgetForAction(action)
            if isinstance(widget, QToolButton) and not action.isSeparator():
                buttons.append(widget)
        return buttons

    def fit(self) -> None:
        """Text beside the icons if everything fits so, else icons alone where there is one."""
        buttons = self._buttons()
        wide = Qt.ToolButtonStyle.ToolButtonTextBesideIcon
        for button in buttons:
            button.setToolButtonStyle(wide)
        layout = self._toolbar.layout()
        if layout is None:
            return
        layout.invalidate()
        # An elided label gives up its room: it does not count.
        elided = sum(
            widget.sizeHint().width()
            for action in self._toolbar.actions()
            if isinstance(widget := self._toolbar.widgetForAction(action), ElidedLabel)
        )
        self.compact = layout.sizeHint().width() - elided > self._toolbar.width()
        if self.compact:
            for button in buttons:
                if not button.icon().isNull():
                    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)


class ColumnFitter(QObject):
    """Shows as many of ``table``'s columns as fit its view, in order of ``priority`` (logical
    columns, the most important first); the others are hidden until there is room.

    A column counts at its natural width: ``widths`` (the defaults), or the width the vendor
    gave it by dragging its edge. The columns shown are always the first ones of ``priority``
    (a column never shows while a more important one is hidden), and at least the first.
    """

    def __init__(self, table: QTableView, priority: Sequence[int], widths: dict[int, int]) -> None:
        super().__init__(table)
        self._table = table
        self._priority = list(priority)
        self._widths = dict(widths)
        header = table.horizontalHeader()
        header.sectionResized.connect(self._resized)
        table.viewport().installEventFilter(self)

    def take_widths(self) -> None:
        """Take the current widths of the shown columns as their natural widths (after a saved
        layout was restored). The last one stretches to the view's edge: it keeps its own."""
        header = self._table.horizontalHeader()
        shown = [c for c in range(header.count()) if not header.isSectionHidden(c)]
        last = max(shown, key=header.visualIndex, default=None)
        for column in shown:
            if column != last:
                self._widths[column] = header.sectionSize(column)

    def width_of(self, column: int) -> int:
        return self._widths.get(column, self._table.horizontalHeader().defaultSectionSize())

    def _resized(self, column: int, _old: int, new: int) -> None:
        # Only the vendor's own drag sets a natural width (the stretching last column and the
        # fitting itself resize columns too).
        if new > 0 and QApplication.mouseButtons() & Qt.MouseButton.LeftButton:
            self._widths[column] = new

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            self.fit()
        return False

    def fit(self) -> None:
        header = self._table.horizontalHeader()
        room = self._table.viewport().width()
        if room <= 0:
            return
        used = 0
        shown: set[int] = set()
        for position, column in enumerate(self._priority):
            width = self.width_of(column)
            if position > 0 and used + width > room:
                break
            used += width
            shown.add(column)
        for column in range(header.count()):
            hide = column not in shown and column in self._priority
            if header.isSectionHidden(column) != hide:
                header.setSectionHidden(column, hide)
                if not hide:
                    header.resizeSection(column, self.width_of(column))
