"""A barcode scanner's burst of keys + Enter is a scan wherever the focus is in the main window;
a person typing is not, and a dialog's text field keeps what is typed."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog, QLineEdit, QVBoxLayout

from vendor_desk.ui.main_window import MainWindow
from vendor_desk.ui.scanner import SCAN_GAP_MS


def type_keys(widget: Any, text: str, gap_ms: int) -> None:
    for character in text:
        QTest.keyClick(widget, character, Qt.KeyboardModifier.NoModifier, gap_ms)
    QTest.keyClick(widget, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier, gap_ms)


def test_a_burst_on_the_list_is_a_scan_and_typing_is_not(window: MainWindow, qtbot: Any) -> None:
    assert window.pack is not None
    scans: list[str] = []
    window.pack.scanner.scanned.disconnect()
    window.pack.scanner.scanned.connect(scans.append)
    window.table.setFocus()
    type_keys(window.table, "HP-MUG", 3)
    assert scans == ["HP-MUG"]
    type_keys(window.table, "12", SCAN_GAP_MS * 3)
    qtbot.wait(500)
    assert scans == ["HP-MUG"], "typed at a person's pace: not a scan"


def test_a_scan_in_the_search_box_is_taken_out_of_it(window: MainWindow) -> None:
    assert window.pack is not None
    scans: list[str] = []
    window.pack.scanner.scanned.disconnect()
    window.pack.scanner.scanned.connect(scans.append)
    window.search_edit.setText("ana ")
    window.search_edit.setFocus()
    window.search_edit.end(False)
    type_keys(window.search_edit, "538", 3)
    assert scans == ["538"]
    assert window.search_edit.text() == "ana "
    type_keys(window.search_edit, "lo", SCAN_GAP_MS * 3)
    assert scans == ["538"] and window.search_edit.text() == "ana lo"


def test_a_dialogs_text_field_keeps_what_is_typed(window: MainWindow, qtbot: Any) -> None:
    assert window.pack is not None
    scans: list[str] = []
    window.pack.scanner.scanned.connect(scans.append)
    dialog = QDialog(window)
    field = QLineEdit(dialog)
    QVBoxLayout(dialog).addWidget(field)
    dialog.show()
    field.setFocus()
    type_keys(field, "6A12345678901", 3)
    assert field.text() == "6A12345678901"
    assert scans == []
    dialog.close()
