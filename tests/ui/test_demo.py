"""`vendor-desk --demo`: the window opens on the in-process simulator, already connected, syncs
by itself and lists the demo shop's orders — with its own temporary data folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pytestqt.qtbot import QtBot

from vendor_desk.ui.application import _demo_window


def test_demo_window_connects_syncs_and_cleans_up(qtbot: QtBot) -> None:
    cleanup: list[Callable[[], None]] = []
    window = _demo_window(cleanup)
    try:
        qtbot.addWidget(window)
        data_dir = Path(window._cache.path).parent
        assert data_dir.name.startswith("vendor-desk-demo-")
        window.show()
        with qtbot.waitSignal(window.sync_succeeded, timeout=60_000):
            pass
        qtbot.waitUntil(lambda: window.model.rowCount() > 0, timeout=10_000)
        assert "(demo)" in window.windowTitle()
        counts = window.model.group_counts()
        assert counts["all"] > 100
    finally:
        for step in reversed(cleanup):
            step()
    assert not data_dir.exists()
