"""Barcode scans typed into the main window, wherever the focus is.

A USB barcode scanner is a keyboard: it types the code, a few milliseconds per character, then
Enter. :class:`ScanDetector` (an application-wide event filter) tells such a burst from a person
typing by the gaps between the keys: every gap at most :data:`SCAN_GAP_MS` and at least
:data:`SCAN_MIN_LENGTH` characters, then Enter — and emits :attr:`ScanDetector.scanned`.

* Focus on a list, a button, the side bar …: the characters are held back while they come at
  scanner speed; a pause longer than a scan's gap hands them on to the focused widget as typed
  (a person typing loses nothing, e.g. the list's type-ahead); Enter after a burst is a scan.
* Focus in one of the window's text fields that accept scans (the search box): the characters go
  in as usual; Enter after a burst takes the burst out of the field again and is a scan.
* Other text fields, and any dialog (a text field in a dialog keeps what is typed): nothing is
  done.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

#: The longest gap between two characters of a scan (scanners: 1–15 ms a character, 12 ms for
#: ``xdotool type``; a person rarely types two characters within 50 ms, and never a whole code).
SCAN_GAP_MS = 50
#: The longest wait for the Enter after a scan's last character (some scanners, and a script
#: sending the Enter as a separate key, are slower there).
SCAN_ENTER_MS = 400
#: The shortest scan (an order number can have two digits).
SCAN_MIN_LENGTH = 2

_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_TEXT_INPUTS = (QLineEdit, QTextEdit, QPlainTextEdit, QAbstractSpinBox, QComboBox)


def _now_ms() -> float:
    return time.monotonic() * 1000.0


class ScanDetector(QObject):
    """Watches the key presses of ``window``'s widgets (install it on the application).

    Args:
        window: the main window whose keys are watched (not its dialogs).
        accept_in: text fields of the window that take scans too (the search box).
    """

    #: A scan: the code as typed (without the Enter).
    scanned = Signal(str)

    def __init__(
        self,
        window: QWidget,
        accept_in: Iterable[QLineEdit] = (),
        *,
        gap_ms: float = SCAN_GAP_MS,
        enter_ms: float = SCAN_ENTER_MS,
        min_length: int = SCAN_MIN_LENGTH,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._accept_in = list(accept_in)
        self._gap = gap_ms
        self._enter = enter_ms
        self._min = min_length
        #: Characters held back (focus outside text fields): (event copy, arrival ms).
        self._held: list[tuple[QKeyEvent, float]] = []
        self._held_target: QObject | None = None
        #: Characters typed into a scan-accepting field: (character, arrival ms).
        self._typed: list[tuple[str, float]] = []
        self._typed_field: QLineEdit | None = None
        self._replaying = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._release)

    # ------------------------------------------------------------------------ the filter
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._replaying or event.type() != QEvent.Type.KeyPress:
            return False
        assert isinstance(event, QKeyEvent)
        focus = QApplication.focusWidget()
        target = focus if focus is not None else watched
        # Unhandled key events travel up to the parents: look at each press once, when it
        # reaches the focused widget.
        if watched is not target or not isinstance(target, QWidget):
            return False
        if target.window() is not self._window:
            return False
        now = _now_ms()
        if isinstance(target, QLineEdit) and target in self._accept_in:
            return self._in_field(target, event, now)
        if isinstance(target, _TEXT_INPUTS):
            self._forget()
            return False
        return self._outside_fields(target, event, now)

    def _printable(self, event: QKeyEvent) -> str:
        mods = event.modifiers() & ~(
            Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier
        )
        text = event.text()
        if mods != Qt.KeyboardModifier.NoModifier or len(text) != 1 or not text.isprintable():
            return ""
        return text

    def _fast(self, times: list[float], now: float) -> bool:
        """Characters typed at ``times`` then Enter at ``now`` make a scan."""
        gaps = [b - a for a, b in itertools.pairwise(times)]
        return (
            len(times) >= self._min
            and all(gap <= self._gap for gap in gaps)
            and now - times[-1] <= self._enter
        )

    def _outside_fields(self, target: QWidget, event: QKeyEvent, now: float) -> bool:
        if event.key() in _ENTER and self._held:
            if self._fast([at for _e, at in self._held], now):
                code = "".join(e.text() for e, _at in self._held)
                self._held.clear()
                self._timer.stop()
                self.scanned.emit(code)
                return True
            self._release()
            return False
        text = self._printable(event)
        if not text or (not self._held and not (text.isalnum() or text == "#")):
            # Not the start of a code (Space toggles, Escape closes …): straight through.
            self._release()
            return False
        if self._held and (now - self._held[-1][1] > self._gap or target is not self._held_target):
            self._release()
        self._held.append((self._copy(event), now))
        self._held_target = target
        # Held until Enter comes (a scan) or the wait for it is over (typed: handed on).
        self._timer.start(int(self._enter) + 1)
        return True

    def _in_field(self, field: QLineEdit, event: QKeyEvent, now: float) -> bool:
        if event.key() in _ENTER:
            typed = self._typed if self._typed_field is field else []
            if typed and self._fast([at for _c, at in typed], now):
                code = "".join(c for c, _at in typed)
                text = field.text()
                if text.endswith(code):
                    field.setText(text[: len(text) - len(code)])
                self._forget()
                self.scanned.emit(code)
                return True
            self._forget()
            return False
        text = self._printable(event)
        if not text:
            self._forget()
            return False
        if self._typed_field is not field or (self._typed and now - self._typed[-1][1] > self._gap):
            self._typed = []
        self._typed_field = field
        self._typed.append((text, now))
        return False

    # ----------------------------------------------------------------------- internals
    @staticmethod
    def _copy(event: QKeyEvent) -> QKeyEvent:
        return QKeyEvent(
            QEvent.Type.KeyPress, event.key(), event.modifiers(), event.text(), event.isAutoRepeat()
        )

    def _release(self) -> None:
        """Hand the characters held back on to the widget they were typed into (not a scan)."""
        self._timer.stop()
        held, target = self._held, self._held_target
        self._held = []
        if not held or target is None:
            return
        self._replaying = True
        try:
            for event, _at in held:
                QCoreApplication.sendEvent(target, event)
                release = QKeyEvent(
                    QEvent.Type.KeyRelease, event.key(), event.modifiers(), event.text()
                )
                QCoreApplication.sendEvent(target, release)
        finally:
            self._replaying = False

    def _forget(self) -> None:
        self._typed = []
        self._typed_field = None


__all__ = ["SCAN_ENTER_MS", "SCAN_GAP_MS", "SCAN_MIN_LENGTH", "ScanDetector"]
