"""The order list's cell painter: the same texts, icons, colours and layout as Qt's
``QStyledItemDelegate``, at a fraction of its cost.

Why: a search keystroke repaints the whole visible list (≈ 30 rows × 9 columns). With the stock
delegate every cell costs about ten calls from C++ into Python (``data()`` once per role,
``flags()``, ``rowCount()``/``columnCount()``) and a fresh ``QTextLayout`` (itemising, shaping,
eliding) for its text: ≈ 13–20 ms per repaint on the benchmark machine, the largest part of a
keystroke (docs/performance.md, Desktop). This delegate is one Python call per cell: it reads
the row's values straight from the model's per-row tables (:meth:`OrderTableModel.cells_at`,
:meth:`RowCells.columns`: the same values ``data()`` answers), draws the text from a cached,
already laid-out and elided ``QStaticText`` (plain text: never interpreted as markup) and the
icon from a cached pixmap: ≈ 5–8 ms per repaint.

The look stays the platform's: the selection / hover background and the focus frame are drawn by
the style (``PE_PanelItemViewItem``, ``PE_FrameFocusRect``), the alternating row colours by the
view, margins come from the style's metrics as in ``QCommonStyle``'s item layout. Anything this
painter does not do — right-to-left layouts, a cell without cached values — is handed to
``QStyledItemDelegate.paint``. Size hints, tooltips and accessibility still ask ``data()``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from decimal import Decimal

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, QPointF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QFontMetricsF,
    QIcon,
    QPainter,
    QPalette,
    QPixmap,
    QStaticText,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionFocusRect,
    QStyleOptionViewItem,
)

from vendor_desk.ui import labels
from vendor_desk.ui.formatting import format_datetime, format_money
from vendor_desk.ui.order_model import (
    COL_DATE,
    COL_EARNING,
    COL_NUMBER,
    COL_PAYMENT,
    COL_STATUS,
    COL_TOTAL,
    OrderTableModel,
)

_Index = QModelIndex | QPersistentModelIndex

_SELECTED = QStyle.StateFlag.State_Selected.value
_MOUSE_OVER = QStyle.StateFlag.State_MouseOver.value
_HAS_FOCUS = QStyle.StateFlag.State_HasFocus.value
_ENABLED = QStyle.StateFlag.State_Enabled.value
_ACTIVE = QStyle.StateFlag.State_Active.value
_ALIGN_RIGHT = int(Qt.AlignmentFlag.AlignRight)
_ALIGN_HCENTER = int(Qt.AlignmentFlag.AlignHCenter)
_GROUPS = (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive, QPalette.ColorGroup.Disabled)

#: Events of the view after which what the painter kept no longer holds.
_RESET_EVENTS = frozenset(
    {
        QEvent.Type.FontChange,
        QEvent.Type.StyleChange,
        QEvent.Type.PaletteChange,
        QEvent.Type.LayoutDirectionChange,
    }
)

#: A font's resolve mask with every attribute set (Qt's ``QFont::AllPropertiesResolved``, not
#: exposed by PySide).
_ALL_RESOLVED = 0xFFFFFFFF

#: Laid-out texts kept; emptied when full (many screens' worth).
_TEXT_CACHE_SIZE = 4000


@dataclass
class _Setup:
    """What every cell of the view shares, read once from the view (see ``_RESET_EVENTS``)."""

    style: QStyle
    font: QFont
    #: Horizontal padding around icons and texts, as QCommonStyle's item layout has it.
    margin: int
    right_to_left: bool
    #: (colour group index, selected) → the pen of a cell's text.
    pens: dict[tuple[int, bool], QColor] = field(default_factory=dict)
    #: cell font key ("" for the view's own) → (that key, the font, the height of a line of it
    #: in pixels, its metrics).
    fonts: dict[str, tuple[str, QFont, int, QFontMetrics]] = field(default_factory=dict)


class OrderRowDelegate(QStyledItemDelegate):
    """Paints the order table's cells from the model's per-row tables (see the module docs)."""

    def __init__(self, model: OrderTableModel, view: QAbstractItemView) -> None:
        super().__init__(view)
        self._model = model
        self._view = view
        self._setup: _Setup | None = None
        #: (text, available width, cell font key) → (laid-out static text, its width).
        self._texts: dict[tuple[str, int, str], tuple[QStaticText, float]] = {}
        #: (icon or pixmap cache key, selected, device pixel ratio) → pixmap at the icon size.
        self._pixmaps: dict[tuple[int, bool, float], QPixmap] = {}
        view.installEventFilter(self)

    def clear_caches(self) -> None:
        """Forget what was read from the view and laid out (its font, style, palette or
        direction changed)."""
        self._setup = None
        self._texts.clear()
        self._pixmaps.clear()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._view and event.type() in _RESET_EVENTS:
            self.clear_caches()
        return False

    # ------------------------------------------------------------------ painting
    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        setup = self._setup or self._read_setup()
        cells = self._model.cells_at(index.row())
        if cells is None or setup.right_to_left:
            super().paint(painter, option, index)
            return
        text, decoration, role_font, foreground, alignment = (
            cells.columns(self._model.constant_roles)
        )[index.column()]
        state = option.state.value
        selected = bool(state & _SELECTED)
        style = setup.style
        view = self._view
        if state & (_SELECTED | _MOUSE_OVER):
            # The platform's selection / hover background (as QCommonStyle's CE_ItemViewItem).
            style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter, view)

        rect = option.rect
        top, height = rect.y(), rect.height()
        margin = setup.margin
        left = rect.x()
        width = rect.width()
        if decoration is not None:
            pixmap = self._pixmap(decoration, option, painter, selected)
            ratio = pixmap.devicePixelRatio() or 1.0
            icon_width = round(pixmap.width() / ratio)
            painter.drawPixmap(
                left + margin, top + (height - round(pixmap.height() / ratio)) // 2, pixmap
            )
            left += icon_width + 2 * margin
            width -= icon_width + 2 * margin

        group = (0 if state & _ACTIVE else 1) if state & _ENABLED else 2
        if text:
            font_key, font, line_height, metrics = self._font(setup, role_font)
            available = max(0, width - 2 * margin)
            static, text_width = self._static_text(text, available, font_key, font, metrics, option)
            if foreground is not None and not selected:
                pen = foreground
            else:
                pen = self._pen(setup, group, selected)
            x: float = left + margin
            if alignment & _ALIGN_RIGHT:
                x += available - text_width
            elif alignment & _ALIGN_HCENTER:
                x += (available - text_width) / 2
            # Centred as QCommonStyle centres a one-line text: on the font's height rounded to
            # whole pixels.
            painter.save()
            painter.setPen(pen)
            painter.setFont(font)
            painter.drawStaticText(QPointF(x, top + (height - line_height) // 2), static)
            painter.restore()

        if state & _HAS_FOCUS:
            self._focus_frame(painter, option, style, _GROUPS[group], selected)

    # ------------------------------------------------------------------ caches
    def _read_setup(self) -> _Setup:
        view = self._view
        style = view.style()
        self._setup = _Setup(
            style=style,
            font=_explicit(QFont(view.font())),
            margin=style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1,
            right_to_left=view.layoutDirection() == Qt.LayoutDirection.RightToLeft,
        )
        return self._setup

    def _pen(self, setup: _Setup, group: int, selected: bool) -> QColor:
        pen = setup.pens.get((group, selected))
        if pen is None:
            role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
            pen = setup.pens[(group, selected)] = self._view.palette().color(_GROUPS[group], role)
        return pen

    @staticmethod
    def _font(setup: _Setup, role_font: QFont | None) -> tuple[str, QFont, int, QFontMetrics]:
        """A cell's font (the view's, or the model's resolved against it): its key, the font,
        the height of a line of it and its metrics."""
        key = "" if role_font is None else role_font.key()
        found = setup.fonts.get(key)
        if found is None:
            font = setup.font if role_font is None else _explicit(role_font.resolve(setup.font))
            found = setup.fonts[key] = (
                key,
                font,
                round(QFontMetricsF(font).height()),
                QFontMetrics(font),
            )
        return found

    def _static_text(
        self,
        text: str,
        width: int,
        font_key: str,
        font: QFont,
        metrics: QFontMetrics,
        option: QStyleOptionViewItem,
    ) -> tuple[QStaticText, float]:
        """The text laid out in ``font`` on one line, elided to ``width`` as the view elides
        (plain text: markup is shown as typed), and its width."""
        key = (text, width, font_key)
        found = self._texts.get(key)
        if found is None:
            line = text.replace("\r\n", " ").replace("\n", " ")  # one line, as the view shows
            static = _laid_out(line if width > 0 else "", font)
            if static.size().width() > width:  # most texts fit: laid out once, not elided
                static = _laid_out(metrics.elidedText(line, option.textElideMode, width), font)
            if len(self._texts) >= _TEXT_CACHE_SIZE:
                self._texts.clear()
            found = self._texts[key] = (static, static.size().width())
        return found

    def _pixmap(
        self,
        decoration: QIcon | QPixmap,
        option: QStyleOptionViewItem,
        painter: QPainter,
        selected: bool,
    ) -> QPixmap:
        """An icon's pixmap at the view's icon size (a pixmap as it is), for the device."""
        device = painter.device()
        ratio = device.devicePixelRatioF() if device is not None else 1.0
        key = (decoration.cacheKey(), selected, ratio)
        pixmap = self._pixmaps.get(key)
        if pixmap is None:
            if isinstance(decoration, QIcon):
                mode = QIcon.Mode.Selected if selected else QIcon.Mode.Normal
                pixmap = decoration.pixmap(option.decorationSize, ratio, mode)
            else:
                pixmap = decoration
            self._pixmaps[key] = pixmap
        return pixmap

    def _focus_frame(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        style: QStyle,
        group: QPalette.ColorGroup,
        selected: bool,
    ) -> None:
        """The focus frame of the current cell, as QCommonStyle's CE_ItemViewItem draws it."""
        view = self._view
        frame = QStyleOptionFocusRect()
        frame.initFrom(view)
        frame.rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemFocusRect, option, view)
        frame.state = (
            option.state | QStyle.StateFlag.State_KeyboardFocusChange | QStyle.StateFlag.State_Item
        )
        frame.backgroundColor = option.palette.color(
            group, QPalette.ColorRole.Highlight if selected else QPalette.ColorRole.Window
        )
        style.drawPrimitive(QStyle.PrimitiveElement.PE_FrameFocusRect, frame, painter, view)


# ------------------------------------------------------------------ column widths
#: The payment titles most orders show (WooCommerce's own gateways, PayPal): the Payment column
#: is as wide as the widest of them.
USUAL_PAYMENT_TITLES = ("Cash on delivery", "Direct bank transfer", "Check payments", "PayPal")
#: The status column's picture with a change waiting in the outbox: the status icon and the
#: clock badge beside it (``order_model._status_decoration``), wider than the icon alone.
STATUS_DECORATION_WIDTH = 30


def cell_width(
    view: QAbstractItemView, texts: Iterable[str], *, font: QFont | None = None, icon: int = 0
) -> int:
    """The width a cell of ``view`` needs for :class:`OrderRowDelegate` to show each of
    ``texts`` whole (not elided), after an icon ``icon`` pixels wide when given: the text's
    advance in the font, plus the margins the painter leaves around icon and text."""
    margin = view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1
    metrics = QFontMetricsF(font or view.font())
    widest = max((metrics.horizontalAdvance(text) for text in texts), default=0.0)
    width = math.ceil(widest) + 2 * margin + 1  # + 1: sub-pixel positions of the glyphs
    return width + (icon + 2 * margin if icon else 0)


def _sample_dates() -> list[datetime]:
    """Dates whose local short form is among the widest (two-digit days and months, hours
    before and after noon)."""
    local = timezone(timedelta(0))
    return [
        datetime(2026, month, 28, hour, 58, tzinfo=local)
        for month in (9, 10, 12)
        for hour in (10, 22)
    ]


def fitted_column_widths(view: QAbstractItemView, header: QHeaderView) -> dict[int, int]:
    """Widths for the order list's columns of known, short values — number, date, amounts,
    payment, status — measured in the view's font so their usual values show whole (icons
    included), and never narrower than the column's title (with its sort arrow)."""
    bold = QFont(view.font())
    bold.setBold(True)
    icon = view.iconSize().width()
    money = [format_money(Decimal("8888.88"), currency) for currency in ("USD", "EUR", "GBP")]
    widths = {
        COL_NUMBER: cell_width(view, ["#88888"], font=bold, icon=icon),  # icon: slip printed
        COL_DATE: cell_width(view, [format_datetime(when) for when in _sample_dates()]),
        COL_TOTAL: cell_width(view, money),
        COL_EARNING: cell_width(view, money),
        COL_PAYMENT: cell_width(view, USUAL_PAYMENT_TITLES),
        COL_STATUS: cell_width(
            view, labels.status_labels(), icon=max(icon, STATUS_DECORATION_WIDTH)
        ),
    }
    return {
        column: max(width, header.sectionSizeFromContents(column).width())
        for column, width in widths.items()
    }


def _laid_out(text: str, font: QFont) -> QStaticText:
    """``text`` as plain text (markup shown as typed), laid out in ``font``."""
    static = QStaticText(text)
    static.setTextFormat(Qt.TextFormat.PlainText)
    static.prepare(font=font)
    return static


def _explicit(font: QFont) -> QFont:
    """``font`` with every attribute set explicitly: a painter resolves what is not against its
    device's font (the viewport's, which is not the view's after ``setFont`` on the view)."""
    font.setResolveMask(_ALL_RESOLVED)
    return font
