"""Window actions of the action controllers (``order_actions``, ``print_jobs``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget


def window_action(
    window: QWidget, text: str, shortcut: str, slot: Callable[[], Any], name: str
) -> QAction:
    """An action of ``window`` (its shortcut works anywhere in the window) that calls ``slot``
    without the ``checked`` argument; ``name`` is its object name (tests find it by it)."""
    action = QAction(text, window)
    action.setObjectName(name)
    if shortcut:
        action.setShortcut(QKeySequence(shortcut))
    action.triggered.connect(lambda _checked=False: slot())
    window.addAction(action)
    return action
