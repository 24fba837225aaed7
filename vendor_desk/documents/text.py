"""Text on the page: bundled fonts, per-run font fallback, wrapping, literal drawing.

The documents draw straight onto a reportlab canvas (no platypus ``Paragraph``): text is never
parsed as markup, so a customer note holding ``<b>`` or ``&amp;`` prints exactly as typed, and
a slip costs a fraction of a millisecond of layout.

Fonts (``resources/fonts``, see the README there): Noto Sans regular and bold cover Latin
(with Latin Extended), Greek and Cyrillic; Droid Sans Fallback (under the family name "Vendor
Desk CJK") covers Chinese, Japanese and Korean. Every string is cut into *runs* of characters
one font can show (:func:`runs`), so a name such as ``"Zoë 王小明"`` prints with two fonts on
one line. Characters no bundled font has (right-to-left scripts need shaping and bidi
reordering reportlab does not do) fall back to the main font and may print as boxes: see
docs/documents.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from vendor_desk.paths import resource_path

REGULAR = "VD-Sans"
BOLD = "VD-Sans-Bold"
CJK = "VD-CJK"

_FILES = {
    REGULAR: "NotoSans-Regular.ttf",
    BOLD: "NotoSans-Bold.ttf",
    CJK: "DroidSansFallback.ttf",
}


@dataclass(frozen=True)
class FontSet:
    """The registered fonts and the characters each one has glyphs for."""

    coverage: dict[str, frozenset[int]]

    def covers(self, font: str, char: str) -> bool:
        return ord(char) in self.coverage[font]


@cache
def fonts() -> FontSet:
    """Register the bundled fonts with reportlab (once per process) and return their coverage."""
    coverage: dict[str, frozenset[int]] = {}
    for name, filename in _FILES.items():
        font = TTFont(name, str(resource_path("fonts", filename)))
        pdfmetrics.registerFont(font)
        coverage[name] = frozenset(font.face.charToGlyph)
    return FontSet(coverage)


def _fallbacks(main: str) -> tuple[str, ...]:
    return (main, REGULAR if main == BOLD else BOLD, CJK)


@lru_cache(maxsize=4096)
def font_for(char: str, main: str) -> str:
    """The first font of ``main``'s fallback chain that has ``char`` (``main`` when none has)."""
    font_set = fonts()
    if char.isspace():
        return main
    for candidate in _fallbacks(main):
        if font_set.covers(candidate, char):
            return candidate
    return main


def runs(text: str, main: str = REGULAR) -> list[tuple[str, str]]:
    """``text`` cut into (font, chunk) runs by glyph coverage, in reading order."""
    result: list[tuple[str, str]] = []
    current = main
    start = 0
    for index, char in enumerate(text):
        font = font_for(char, main) if ord(char) > 0x17F else main if not char.isspace() else ""
        if font == "" or font == current:
            continue
        if index > start:
            result.append((current, text[start:index]))
        current, start = font, index
    if start < len(text):
        result.append((current, text[start:]))
    return result


@lru_cache(maxsize=8192)
def width(text: str, size: float, main: str = REGULAR) -> float:
    """Width of ``text`` in points at ``size``, fonts chosen per run."""
    return float(sum(pdfmetrics.stringWidth(chunk, font, size) for font, chunk in runs(text, main)))


def _is_wide(char: str) -> bool:
    """A CJK character: lines may break before or after it without a space."""
    code = ord(char)
    return 0x2E80 <= code <= 0x9FFF or 0xAC00 <= code <= 0xD7AF or 0xF900 <= code <= 0xFAFF


def _tokens(line: str) -> list[str]:
    """Words with their trailing space; each CJK character is a token of its own."""
    tokens: list[str] = []
    current = ""
    for char in line:
        if _is_wide(char):
            if current:
                tokens.append(current)
            tokens.append(char)
            current = ""
        elif char == " ":
            current += char
            tokens.append(current)
            current = ""
        else:
            current += char
    if current:
        tokens.append(current)
    return tokens


def _split_long(token: str, max_width: float, size: float, main: str) -> list[str]:
    """A word wider than the line cut into pieces that fit (long e-mails, URLs, SKUs)."""
    pieces: list[str] = []
    current = ""
    for char in token:
        if current and width(current + char, size, main) > max_width:
            pieces.append(current)
            current = char
        else:
            current += char
    if current:
        pieces.append(current)
    return pieces


def wrap(text: str, max_width: float, size: float, main: str = REGULAR) -> list[str]:
    """``text`` as lines no wider than ``max_width``: breaks at spaces (and between CJK
    characters), over-long words are cut; newlines in ``text`` are kept; control characters
    become spaces."""
    cleaned = "".join(" " if (ord(c) < 32 and c != "\n") else c for c in text.replace("\r", ""))
    lines: list[str] = []
    for paragraph in cleaned.split("\n"):
        if width(paragraph, size, main) <= max_width:
            lines.append(paragraph.rstrip())
            continue
        current = ""
        for token in _tokens(paragraph):
            candidate = current + token
            if width(candidate.rstrip(), size, main) <= max_width:
                current = candidate
                continue
            if current:
                lines.append(current.rstrip())
                current = ""
            if width(token.rstrip(), size, main) <= max_width:
                current = token
            else:
                *full, current = _split_long(token.rstrip(), max_width, size, main)
                lines.extend(full)
                if token.endswith(" "):
                    current += " "
        lines.append(current.rstrip())
    return lines


def draw(
    canvas: Any,
    x: float,
    y: float,
    text: str,
    size: float,
    main: str = REGULAR,
    *,
    align: str = "left",
) -> float:
    """Draw one line of ``text`` (literally, never as markup) with its baseline at ``y``.

    ``align`` is "left" (``x`` is the left edge), "right" (``x`` is the right edge) or
    "center". Returns the width drawn.
    """
    chunks = runs(text, main)
    total = float(sum(pdfmetrics.stringWidth(chunk, font, size) for font, chunk in chunks))
    if align == "right":
        x -= total
    elif align == "center":
        x -= total / 2
    if len(chunks) == 1:
        canvas.setFont(chunks[0][0], size)
        canvas.drawString(x, y, chunks[0][1])
        return total
    text_object = canvas.beginText(x, y)
    for font, chunk in chunks:
        text_object.setFont(font, size)
        text_object.textOut(chunk)
    canvas.drawText(text_object)
    return total


def draw_lines(
    canvas: Any,
    x: float,
    y: float,
    lines: Iterable[str],
    size: float,
    main: str = REGULAR,
    *,
    leading: float | None = None,
    align: str = "left",
) -> float:
    """Draw ``lines`` top-down from baseline ``y``; returns the baseline after the last one."""
    step = leading if leading is not None else size * 1.3
    for line in lines:
        draw(canvas, x, y, line, size, main, align=align)
        y -= step
    return y


def missing_glyphs(text: str) -> set[str]:
    """The characters of ``text`` that no bundled font can show (whitespace ignored)."""
    font_set = fonts()
    return {
        char
        for char in text
        if not char.isspace() and not any(font_set.covers(f, char) for f in (REGULAR, BOLD, CJK))
    }
