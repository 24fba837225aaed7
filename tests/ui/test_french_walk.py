"""The window in French, walked widget by widget: the main window, its menus and toolbar, the
panels, the Pack view and every dialog the vendor opens from the window — no text left in
English (compared with the catalogue's English sources), none cut off in a button or label."""

from __future__ import annotations

import gettext
import re
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDockWidget,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTabBar,
    QToolButton,
    QWidget,
)

from vendor_desk import i18n
from vendor_desk.ui import translator
from vendor_desk.ui.main_window import MainWindow


@pytest.fixture
def french(app: Any) -> Iterator[None]:
    i18n.set_language("fr")
    translator.install(app, "fr")
    try:
        yield
    finally:
        i18n.set_language("en")
        translator.install(app, "en")


@pytest.fixture
def window(french: None, synced: Any, settings: Any, qtbot: Any) -> Iterator[MainWindow]:
    cache, connection = synced
    main = MainWindow(cache, connection, settings, sync_interval_ms=0, auto_sync=False)
    qtbot.addWidget(main)
    main.resize(1366, 768)
    main.show()
    qtbot.waitExposed(main)
    yield main
    main.shutdown()


def english_sources() -> tuple[set[str], list[re.Pattern[str]]]:
    """The catalogue's English texts whose French differs: exact ones, and patterns for those
    with placeholders ("Order #{number}" matches "Order #538")."""
    catalogue = gettext.translation(
        i18n.DOMAIN, i18n.catalogue_dir(), languages=["fr"], fallback=False
    )
    entries: dict[Any, str] = catalogue._catalog  # type: ignore[attr-defined]
    exact: set[str] = set()
    patterns: list[re.Pattern[str]] = []
    for key, french_text in entries.items():
        source = key[0] if isinstance(key, tuple) else key
        source = source.split("\x04", 1)[-1]
        if not source or source == french_text or len(source) < 3:
            continue
        if re.search(r"\{[a-z_]+\}", source):
            literal = [re.escape(part) for part in re.split(r"\{[a-z_]+[^}]*\}", source)]
            if sum(len(part) for part in literal) >= 6:
                patterns.append(re.compile("^" + ".+".join(literal) + "$", re.S))
        else:
            exact.add(source.replace("&", ""))
    return exact, patterns


def visible_texts(root: QWidget) -> list[tuple[QWidget, str]]:
    """(widget, text) of what the vendor can read in ``root``."""
    found: list[tuple[QWidget, str]] = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisibleTo(root) and widget is not root:
            continue
        if widget.isWindow():
            found.append((widget, widget.windowTitle()))
        if isinstance(widget, QLabel) and widget.textFormat() != Qt.TextFormat.RichText:
            found.append((widget, widget.text()))
        elif isinstance(widget, QAbstractButton):
            found.append((widget, widget.text()))
            found.append((widget, widget.toolTip()))
        elif isinstance(widget, QGroupBox):
            found.append((widget, widget.title()))
        elif isinstance(widget, QLineEdit):
            found.append((widget, widget.placeholderText()))
        elif isinstance(widget, QComboBox):
            found.extend((widget, widget.itemText(i)) for i in range(widget.count()))
        elif isinstance(widget, QTabBar):
            found.extend((widget, widget.tabText(i)) for i in range(widget.count()))
        elif isinstance(widget, QDockWidget):
            found.append((widget, widget.windowTitle()))
        elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model = widget.model()
            try:
                columns = model.columnCount(QModelIndex())
            except TypeError:  # a list model: one column, no header
                columns = 0
            for column in range(columns):
                header = model.headerData(column, Qt.Orientation.Horizontal)
                if isinstance(header, str):
                    found.append((widget, header))
    return [(w, t.replace("&", "").strip()) for w, t in found if t and t.strip()]


def menu_texts(window: MainWindow) -> list[tuple[QWidget, str]]:
    found: list[tuple[QWidget, str]] = []
    for action in window.menuBar().actions():
        found.append((window, action.text().replace("&", "")))
        menu = action.menu()
        if isinstance(menu, QMenu):
            found.extend((window, a.text().replace("&", "")) for a in menu.actions() if a.text())
    for action in window.toolbar.actions():
        if action.text():
            found.append((window, action.text().replace("&", "")))
            if action.toolTip():
                found.append((window, action.toolTip()))
    return found


def english_left(texts: list[tuple[QWidget, str]]) -> list[str]:
    exact, patterns = english_sources()
    left = []
    for widget, text in texts:
        lines = [text, *text.splitlines()]
        if any(line in exact or any(p.match(line) for p in patterns) for line in lines):
            left.append(f"{type(widget).__name__} {widget.objectName()!r}: {text!r}")
    return sorted(set(left))


def cut_off(root: QWidget) -> list[str]:
    """Labels without word wrap and buttons whose text does not fit their width."""
    cut = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisible() or widget.width() <= 0:
            continue
        if widget.objectName() == "accountLabel":
            continue  # the store's name and address: elided by design (ui/fitting.py)
        if isinstance(widget, QLabel) and not widget.wordWrap() and widget.text():
            if widget.textFormat() == Qt.TextFormat.RichText or "\n" in widget.text():
                continue
            shown = widget.text().replace("&&", "\x00").replace("&", "").replace("\x00", "&")
            needed = widget.fontMetrics().horizontalAdvance(shown)
            if needed > widget.contentsRect().width() + 1 and widget.maximumWidth() > needed:
                cut.append(f"label {widget.text()!r}: {needed} > {widget.contentsRect().width()}")
        elif (
            isinstance(widget, QAbstractButton)
            and not isinstance(widget, QToolButton)
            and widget.text()
            and widget.sizeHint().width() > widget.width() + 1
        ):
            cut.append(f"button {widget.text()!r}: {widget.sizeHint().width()} > {widget.width()}")
    return cut


def test_the_main_window_menus_panels_and_pack_view_speak_french(
    window: MainWindow, qtbot: Any
) -> None:
    window.select_row(0)
    qtbot.wait(50)
    titles = [a.text().replace("&", "") for a in window.menuBar().actions()]
    assert "Commande" in titles, titles
    texts = visible_texts(window) + menu_texts(window)
    for which in ("board", "activity", "refunds"):
        window.show_panel(which)
        qtbot.wait(20)
        texts += visible_texts(window)
    assert window.pack is not None
    window.pack.show(window.selected_order_ids()[0])
    qtbot.wait(20)
    texts += visible_texts(window)
    assert english_left(texts) == []
    window.pack.leave()
    assert cut_off(window) == []


def test_every_dialog_opened_from_the_window_speaks_french(window: MainWindow, qtbot: Any) -> None:
    seen: list[QDialog] = []
    problems: list[str] = []

    def look(dialog: Any) -> bool:
        dialog.show()
        qtbot.waitExposed(dialog)
        seen.append(dialog)
        problems.extend(english_left(visible_texts(dialog)))
        problems.extend(cut_off(dialog))
        dialog.close()
        return False

    window.order_actions.run_dialog = look
    window.select_row(0)
    actions = window.order_actions
    actions.ship()
    actions.note()
    actions.message_admin()
    actions.refund()
    window.edit_preferences()
    window.edit_document_settings()
    assert len(seen) >= 5, [type(d).__name__ for d in seen]
    assert problems == []


def test_the_walk_sees_english_and_cut_texts(french: None, qtbot: Any) -> None:
    """The checks above can fail: an English source text and a cut button are found."""
    box = QWidget()
    qtbot.addWidget(box)
    english = QLabel("Message the store admin…", box)
    english.setObjectName("english")
    button = QPushButton("Marquer comme expédiée maintenant", box)
    button.resize(40, 30)
    box.show()
    assert any("english" in line for line in english_left(visible_texts(box)))
    assert any("Marquer" in line for line in cut_off(box))
