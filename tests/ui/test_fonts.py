"""Korean and Chinese names in the window on a machine without CJK fonts (issue 12: empty boxes
in the order list, while the PDFs showed them): the app's bundled fonts are its fallbacks.

The test machine has no CJK fonts (``fc-list :lang=ko`` and ``:lang=zh`` list nothing). A
missing glyph is drawn as a box — which has ink too — so each test checks both that the text
is drawn (ink in the cell or label) and that every character comes out as a real glyph of a font
that has it (glyph index 0 is the "missing" box)."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtGui import QFont, QImage, QTextLayout
from PySide6.QtWidgets import QApplication, QLabel

from vendor_desk.sandbox.server import Simulator
from vendor_desk.ui.application import BUNDLED_FONTS, ensure_application
from vendor_desk.ui.main_window import MainWindow
from vendor_desk.ui.order_model import COL_CUSTOMER

NAMES = {"민준": "김", "伟": "王"}  # first → last name, as the list shows them: "민준 김", "伟 王"


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulator]:
    """A shop where two of the demo vendor's customers have a Korean and a Chinese name."""
    simulator = Simulator(dataset="generated", orders=40, seed=3).start()
    state = simulator.state
    with state.lock:
        vendor = state.user_by_login(simulator.demo_vendor)
        assert vendor is not None
        mine = [
            order
            for order in sorted(state.orders.values(), key=lambda o: o.id, reverse=True)
            if any(item.vendor_id == vendor.id for item in order.items)
        ]
        for order, (first, last) in zip(mine, NAMES.items(), strict=False):
            order.billing = dataclasses.replace(order.billing, first_name=first, last_name=last)
    yield simulator
    simulator.stop()


def missing_glyphs(text: str, font: QFont) -> list[str]:
    """The characters of ``text`` that ``font`` (with its fallbacks) draws as a box."""
    layout = QTextLayout(text, font)
    layout.beginLayout()
    layout.createLine()
    layout.endLayout()
    drawn = [index for run in layout.glyphRuns() for index in run.glyphIndexes()]
    assert len(drawn) == len(text)
    return [char for char, index in zip(text, drawn, strict=True) if index == 0]


def ink(image: QImage) -> int:
    """Pixels not of the image's most common colour (its background)."""
    pixels = Counter(image.pixel(x, y) for x in range(image.width()) for y in range(image.height()))
    return image.width() * image.height() - pixels.most_common(1)[0][1]


def test_the_bundled_fonts_are_the_apps_fallbacks(qapp: Any) -> None:
    app = ensure_application()
    families = app.font().families()
    # after the system's family; the CJK fallback under a family of its own: the system's
    # "Droid Sans Fallback" (Debian's fonts-droid-fallback, pulled in by Ghostscript) lacks
    # Hangul and, under the same name, was taken instead of the bundled one
    assert families[1:] == ["Noto Sans", "Vendor Desk CJK"]
    assert families[0] not in ("Noto Sans", "Vendor Desk CJK")
    assert len(BUNDLED_FONTS) == 3
    assert ensure_application().font().families() == families  # installed once


def test_korean_and_chinese_names_are_drawn_in_the_order_list(window: MainWindow) -> None:
    model, table = window.model, window.table
    window.filter_view.setCurrentIndex(window.filter_model.index(window.filter_model.row_of("all")))
    rows = {
        model.index(row, COL_CUSTOMER).data(): row
        for row in range(model.rowCount())
        if model.index(row, COL_CUSTOMER).data() in ("민준 김", "伟 王")
    }
    assert set(rows) == {"민준 김", "伟 王"}
    for name, row in rows.items():
        assert missing_glyphs(name, table.font()) == [], name
        index = model.index(row, COL_CUSTOMER)
        table.scrollTo(index)
        QApplication.processEvents()
        cell = table.viewport().grab(table.visualRect(index)).toImage()
        assert ink(cell) > 20, name  # the painter drew the name


def test_korean_and_chinese_names_are_drawn_in_a_label(qtbot: Any, app: Any) -> None:
    for name in ("민준 김", "伟 王"):
        label = QLabel(name)
        qtbot.addWidget(label)
        label.show()
        assert missing_glyphs(name, label.font()) == [], name
        assert ink(label.grab().toImage()) > 20, name
