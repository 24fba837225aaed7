"""Page furniture shared by every document: the page cursor, header, blocks and tables.

Everything is drawn with :mod:`.text` (literal text, per-run fonts, wrapping). A
:class:`Sheet` keeps the vertical cursor of the current page and starts a new page — with the
document's running header — when the next block does not fit.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.lib.colors import Color

from vendor_desk.documents import text
from vendor_desk.documents.model import DocumentSettings, Paper
from vendor_desk.documents.text import BOLD, REGULAR
from vendor_desk.i18n import Translator

INK = Color(0.11, 0.12, 0.14)
MUTED = Color(0.42, 0.45, 0.5)
RULE = Color(0.80, 0.82, 0.86)
ACCENT = Color(0.12, 0.33, 0.55)
SHADE = Color(0.95, 0.96, 0.975)
NOTE = Color(1.0, 0.97, 0.86)
NOTE_EDGE = Color(0.90, 0.74, 0.30)
WATERMARK = Color(0.88, 0.89, 0.91)


@dataclass(frozen=True)
class Column:
    """A table column: title, width share (of the table width), alignment."""

    title: str
    share: float
    align: str = "left"


@dataclass
class Cell:
    """One table cell: lines of text (first line may be bold), size."""

    lines: Sequence[str]
    bold_first: bool = False
    size: float = 9.5
    muted_after_first: bool = True


class Sheet:
    """The canvas with a cursor; calls ``header(sheet)`` at the top of every new page."""

    def __init__(
        self, canvas: Any, paper: Paper, header: Callable[[Sheet], None] | None = None
    ) -> None:
        self.canvas = canvas
        self.paper = paper
        self.width, self.height = paper.size
        self.margin = 16.0 if paper.is_label else 40.0
        self.left = self.margin
        self.right = self.width - self.margin
        self.bottom = self.margin + (10 if paper.is_label else 24)
        self.header = header
        self.y = self.height - self.margin
        self.page_in_document = 0
        self.footer_text = ""

    @property
    def content_width(self) -> float:
        return self.right - self.left

    def start_page(self) -> None:
        """Begin a page of the current document (the canvas page must be fresh)."""
        self.page_in_document += 1
        self.y = self.height - self.margin
        if self.header is not None:
            self.header(self)

    def finish_page(self) -> None:
        if self.footer_text:
            size = 6.5 if self.paper.is_label else 7.5
            self.canvas.setFillColor(MUTED)
            text.draw(
                self.canvas, self.width / 2, self.margin - 2, self.footer_text, size, align="center"
            )
            self.canvas.setFillColor(INK)
        self.canvas.showPage()

    def ensure(self, needed: float) -> None:
        """Start a new page unless ``needed`` points fit above the bottom margin."""
        if self.y - needed < self.bottom:
            self.finish_page()
            self.start_page()


# --------------------------------------------------------------------------- helpers
def draw_wrapped(
    sheet: Sheet,
    x: float,
    value: str,
    max_width: float,
    size: float,
    font: str = REGULAR,
    *,
    color: Color = INK,
    leading: float | None = None,
) -> None:
    """Wrapped text at the cursor, page breaks between lines when needed."""
    step = leading or size * 1.3
    sheet.canvas.setFillColor(color)
    for line in text.wrap(value, max_width, size, font):
        sheet.ensure(step)
        text.draw(sheet.canvas, x, sheet.y - size, line, size, font)
        sheet.y -= step
    sheet.canvas.setFillColor(INK)


def block_height(lines: Sequence[tuple[str, float, str]], max_width: float) -> float:
    return sum(len(text.wrap(v, max_width, s, f)) * s * 1.3 for v, s, f in lines)


def draw_block(
    canvas: Any,
    x: float,
    top: float,
    max_width: float,
    lines: Sequence[tuple[str, float, str]],
    *,
    colors: Sequence[Color] | None = None,
) -> float:
    """Lines of (text, size, font), each wrapped, from ``top`` down; returns the bottom."""
    y = top
    for index, (value, size, font) in enumerate(lines):
        canvas.setFillColor(colors[index] if colors else INK)
        for line in text.wrap(value, max_width, size, font):
            text.draw(canvas, x, y - size, line, size, font)
            y -= size * 1.3
    canvas.setFillColor(INK)
    return y


def draw_logo(canvas: Any, path: str, x: float, top: float, max_w: float, max_h: float) -> float:
    """The logo scaled into (max_w × max_h) with its top-left at (x, top); returns the width
    used (0 when there is no readable logo)."""
    if not path or not Path(path).is_file():
        return 0.0
    from reportlab.lib.utils import ImageReader

    try:
        image = ImageReader(path)
        w, h = image.getSize()
    except Exception:  # a damaged or unsupported picture: print without it
        return 0.0
    scale = min(max_w / w, max_h / h)
    canvas.drawImage(image, x, top - h * scale, w * scale, h * scale, mask="auto")
    return float(w * scale)


def store_block(
    canvas: Any,
    settings: DocumentSettings,
    x: float,
    top: float,
    max_width: float,
    *,
    small: bool,
    t: Translator,
) -> float:
    """Logo, store name and contact lines; returns the bottom."""
    logo_h = 30.0 if small else 48.0
    used = draw_logo(canvas, settings.logo_path, x, top, max_width * 0.4, logo_h)
    if used:
        x += used + 10
        max_width -= used + 10
    name_size = 11.0 if small else 16.0
    detail = 7.0 if small else 8.5
    lines: list[tuple[str, float, str]] = [
        (settings.store_name or t.gettext("Your store"), name_size, BOLD)
    ]
    lines += [(line, detail, REGULAR) for line in settings.address_lines]
    contact = "  ·  ".join(p for p in (settings.phone, settings.email, settings.website) if p)
    if contact:
        lines.append((contact, detail, REGULAR))
    colors = [INK] + [MUTED] * (len(lines) - 1)
    bottom = draw_block(canvas, x, top, max_width, lines, colors=colors)
    return min(bottom, top - logo_h if used else bottom)


def label_value_rows(
    canvas: Any,
    x: float,
    top: float,
    width: float,
    rows: Sequence[tuple[str, str]],
    size: float = 9.0,
    *,
    label_share: float = 0.42,
) -> float:
    """Right-hand "Order number: 1234" style rows; returns the bottom."""
    y = top
    label_w = width * label_share
    for label, value in rows:
        canvas.setFillColor(MUTED)
        text.draw(canvas, x, y - size, label, size)
        canvas.setFillColor(INK)
        lines = text.wrap(value, width - label_w, size, BOLD)
        for line in lines:
            text.draw(canvas, x + width, y - size, line, size, BOLD, align="right")
            y -= size * 1.35
    return y


def section_title(sheet: Sheet, title: str, size: float = 8.0) -> None:
    sheet.ensure(size * 2.2)
    sheet.canvas.setFillColor(ACCENT)
    text.draw(sheet.canvas, sheet.left, sheet.y - size, title.upper(), size, BOLD)
    sheet.canvas.setFillColor(INK)
    sheet.y -= size * 1.6


def rule(sheet: Sheet, gap: float = 6.0, color: Color = RULE, weight: float = 0.6) -> None:
    sheet.canvas.setStrokeColor(color)
    sheet.canvas.setLineWidth(weight)
    sheet.canvas.line(sheet.left, sheet.y, sheet.right, sheet.y)
    sheet.y -= gap


def note_box(sheet: Sheet, title: str, body: str, size: float) -> None:
    """A tinted box with a title and the (literal, wrapped) text."""
    pad = 6.0 if sheet.paper.is_label else 8.0
    inner = sheet.content_width - 2 * pad - 3
    lines = text.wrap(body, inner, size)
    step = size * 1.3
    height = pad * 2 + size * 1.5 + len(lines) * step
    if height > sheet.y - sheet.bottom:  # a very long note: let it run over pages unboxed
        section_title(sheet, title)
        draw_wrapped(sheet, sheet.left, body, sheet.content_width, size)
        sheet.y -= 4
        return
    canvas = sheet.canvas
    canvas.setFillColor(NOTE)
    canvas.setStrokeColor(NOTE)
    canvas.rect(sheet.left, sheet.y - height, sheet.content_width, height, stroke=0, fill=1)
    canvas.setFillColor(NOTE_EDGE)
    canvas.rect(sheet.left, sheet.y - height, 3, height, stroke=0, fill=1)
    y = sheet.y - pad
    canvas.setFillColor(Color(0.45, 0.33, 0.05))
    text.draw(canvas, sheet.left + pad + 3, y - size * 0.85, title.upper(), size * 0.85, BOLD)
    y -= size * 1.5
    canvas.setFillColor(INK)
    for line in lines:
        text.draw(canvas, sheet.left + pad + 3, y - size, line, size)
        y -= step
    sheet.y -= height + (6 if sheet.paper.is_label else 10)


def checkbox(canvas: Any, x: float, top: float, size: float) -> None:
    canvas.setStrokeColor(INK)
    canvas.setLineWidth(0.8)
    canvas.rect(x, top - size, size, size, stroke=1, fill=0)


def table(
    sheet: Sheet,
    columns: Sequence[Column],
    rows: Sequence[Sequence[Cell]],
    *,
    header_size: float = 7.5,
    check_column: bool = False,
    tick_boxes: bool = True,
    zebra: bool = True,
) -> None:
    """A table with a repeated header row; rows never split across pages (a row taller than a
    page is allowed to run on). ``check_column`` adds a tick box before each row — or, without
    ``tick_boxes``, only its room (lining the table up with one that has them)."""
    pad = 3.0 if sheet.paper.is_label else 4.5
    check_w = 14.0 if check_column else 0.0
    total_share = sum(c.share for c in columns)
    widths = [(sheet.content_width - check_w) * c.share / total_share for c in columns]
    lefts: list[float] = []
    x = sheet.left + check_w
    for w in widths:
        lefts.append(x)
        x += w

    def header() -> None:
        sheet.ensure(header_size * 2.6 + 20)
        canvas = sheet.canvas
        h = header_size * 2.2
        canvas.setFillColor(ACCENT)
        canvas.rect(sheet.left, sheet.y - h, sheet.content_width, h, stroke=0, fill=1)
        canvas.setFillColor(Color(1, 1, 1))
        for column, left, w in zip(columns, lefts, widths, strict=True):
            anchor = left + w - pad if column.align == "right" else left + pad
            if column.align == "center":
                anchor = left + w / 2
            text.draw(
                canvas,
                anchor,
                sheet.y - h + header_size * 0.75,
                column.title.upper(),
                header_size,
                BOLD,
                align=column.align,
            )
        canvas.setFillColor(INK)
        sheet.y -= h

    header()
    for index, row in enumerate(rows):
        wrapped: list[list[tuple[str, float, str, Color]]] = []
        height = 0.0
        for cell, w in zip(row, widths, strict=True):
            parts: list[tuple[str, float, str, Color]] = []
            for n, value in enumerate(cell.lines):
                first = n == 0
                font = BOLD if cell.bold_first and first else REGULAR
                size = cell.size if first else cell.size * 0.88
                color = MUTED if (not first and cell.muted_after_first) else INK
                parts += [
                    (line, size, font, color) for line in text.wrap(value, w - 2 * pad, size, font)
                ]
            wrapped.append(parts)
            height = max(height, sum(p[1] * 1.3 for p in parts))
        height += 2 * pad
        if sheet.y - height < sheet.bottom:
            sheet.finish_page()
            sheet.start_page()
            header()
        canvas = sheet.canvas
        if zebra and index % 2 == 1:
            canvas.setFillColor(SHADE)
            canvas.rect(sheet.left, sheet.y - height, sheet.content_width, height, stroke=0, fill=1)
        if check_column and tick_boxes:
            checkbox(canvas, sheet.left + 3, sheet.y - pad - 1, 9)
        for column, parts, left, w in zip(columns, wrapped, lefts, widths, strict=True):
            y = sheet.y - pad
            anchor = left + w - pad if column.align == "right" else left + pad
            if column.align == "center":
                anchor = left + w / 2
            for line, size, font, color in parts:
                canvas.setFillColor(color)
                text.draw(canvas, anchor, y - size, line, size, font, align=column.align)
                y -= size * 1.3
        canvas.setFillColor(INK)
        sheet.y -= height
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.4)
        canvas.line(sheet.left, sheet.y, sheet.right, sheet.y)
    sheet.y -= 8


def totals(
    sheet: Sheet,
    rows: Sequence[tuple[str, str, bool]],
    *,
    size: float = 9.5,
    width_share: float = 0.45,
) -> None:
    """Right-aligned (label, amount, emphasised) rows; emphasised rows get a rule above."""
    width = sheet.content_width * width_share
    x = sheet.right - width
    sheet.ensure(len(rows) * size * 1.6 + 8)
    canvas = sheet.canvas
    for label, amount, strong in rows:
        font = BOLD if strong else REGULAR
        row_size = size * 1.15 if strong else size
        if strong:
            canvas.setStrokeColor(INK)
            canvas.setLineWidth(0.8)
            canvas.line(x, sheet.y + 1, sheet.right, sheet.y + 1)
            sheet.y -= 3
        canvas.setFillColor(INK if strong else MUTED)
        text.draw(canvas, x, sheet.y - row_size, label, row_size, font)
        canvas.setFillColor(INK)
        text.draw(canvas, sheet.right, sheet.y - row_size, amount, row_size, font, align="right")
        sheet.y -= row_size * 1.55
